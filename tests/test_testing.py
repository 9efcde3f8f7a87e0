"""Testing tools: the test client, the environ builder, test request contexts, session
transactions and the CLI runner."""

from __future__ import annotations

import importlib.metadata
import typing as t
from datetime import date

import click
import pytest
import werkzeug.test
from werkzeug.wrappers import Request as WerkzeugRequest

import flask
from flask.cli import ScriptInfo
from flask.json.provider import DefaultJSONProvider
from flask.testing import EnvironBuilder
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner


def describe_request() -> dict[str, t.Any]:
    """What a view sees of the incoming request, as a JSON-able dict."""
    req = flask.request
    return {
        "method": req.method,
        "url": req.url,
        "path": req.path,
        "script_root": req.script_root,
        "host": req.host,
        "scheme": req.scheme,
        "args": req.args.to_dict(flat=False),
        "form": req.form.to_dict(flat=False),
        "content_type": req.content_type,
        "body": req.get_data(as_text=True),
        "remote_addr": req.remote_addr,
        "user_agent": req.headers.get("User-Agent"),
        "x_probe": req.headers.get("X-Probe"),
    }


ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


@pytest.fixture
def echo_app(app: flask.Flask) -> flask.Flask:
    app.add_url_rule("/echo", "echo", describe_request, methods=ALL_METHODS)
    return app


class PackedJSONProvider(DefaultJSONProvider):
    """Writes compact JSON and marks every object it reads, so tests can tell that the
    app's provider was used in both directions."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        kwargs.setdefault("separators", (",", ":"))
        return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        value = super().loads(s, **kwargs)
        if isinstance(value, dict):
            value["_loaded_by"] = "packed"
        return value


# Creating clients ----------------------------------------------------------------------


def test_test_client_returns_a_flask_client_bound_to_the_app(app):
    client = app.test_client()
    assert isinstance(client, FlaskClient)
    assert isinstance(client, werkzeug.test.Client)
    assert client.application is app


def test_test_client_class_on_the_app_is_used_and_gets_extra_kwargs(app):
    class TokenClient(FlaskClient):
        def __init__(self, *args: t.Any, token: str = "", **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.token = token

    app.test_client_class = TokenClient
    client = app.test_client(token="abc")
    assert type(client) is TokenClient
    assert client.token == "abc"
    assert client.application is app


def test_test_client_class_on_an_app_subclass_is_honoured():
    class RecordingClient(FlaskClient):
        def __init__(self, *args: t.Any, label: str, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.label = label

    class CustomApp(flask.Flask):
        test_client_class = RecordingClient

    custom = CustomApp("custom_app")
    custom.add_url_rule("/", "index", lambda: "from custom")
    client = custom.test_client(label="lbl")
    assert isinstance(client, RecordingClient)
    assert client.label == "lbl"
    assert client.get("/").data == b"from custom"


def test_responses_are_test_responses_of_the_app_response_class(app, client):
    app.add_url_rule("/", "index", lambda: "hi")
    response = client.get("/")
    assert isinstance(response, werkzeug.test.TestResponse)
    assert isinstance(response, app.response_class)
    assert response.request.path == "/"


# Building requests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "method", ["get", "post", "put", "patch", "delete", "options", "trace"]
)
def test_method_helpers_send_their_http_method(echo_app, method: str):
    response = getattr(echo_app.test_client(), method)("/echo")
    assert response.status_code == 200
    assert response.json["method"] == method.upper()


def test_head_helper_gets_headers_without_body(echo_app):
    response = echo_app.test_client().head("/echo")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Type"] == "application/json"


def test_open_with_method_argument(echo_app, client):
    assert client.open("/echo", method="PATCH").json["method"] == "PATCH"


def test_form_data_and_query_string_arguments_reach_the_view(echo_app, client):
    response = client.post(
        "/echo", data={"name": "Ada", "tag": ["x", "y"]}, query_string={"page": "2"}
    )
    seen = response.json
    assert seen["form"] == {"name": ["Ada"], "tag": ["x", "y"]}
    assert seen["args"] == {"page": ["2"]}
    assert seen["content_type"] == "application/x-www-form-urlencoded"


def test_query_string_in_the_path_is_parsed(echo_app, client):
    seen = client.get("/echo?a=1&a=2&b=3").json
    assert seen["path"] == "/echo"
    assert seen["args"] == {"a": ["1", "2"], "b": ["3"]}


def test_query_string_in_path_and_argument_together_is_an_error(echo_app, client):
    with pytest.raises(ValueError, match="Query string is defined in the path"):
        client.get("/echo?a=1", query_string={"b": "2"})


def test_raw_data_with_explicit_content_type(echo_app, client):
    seen = client.put("/echo", data="<doc/>", content_type="application/xml").json
    assert seen["body"] == "<doc/>"
    assert seen["content_type"] == "application/xml"


def test_headers_argument_is_sent(echo_app, client):
    seen = client.get("/echo", headers={"X-Probe": "on"}).json
    assert seen["x_probe"] == "on"


def test_json_argument_is_serialized_with_the_app_json_provider(app, client):
    app.json = PackedJSONProvider(app)

    @app.post("/raw")
    def raw() -> dict[str, t.Any]:
        return {
            "body": flask.request.get_data(as_text=True),
            "type": flask.request.mimetype,
        }

    response = client.post("/raw", json={"when": date(2021, 3, 4), "n": 1})
    assert response.json["type"] == "application/json"
    # Compact separators and the provider's date format show which dumps() ran.
    assert response.json["body"] == '{"n":1,"when":"Thu, 04 Mar 2021 00:00:00 GMT"}'


def test_response_json_is_parsed_with_the_app_json_provider(app, client):
    app.json = PackedJSONProvider(app)
    app.add_url_rule("/data", "data", lambda: {"value": 3})

    response = client.get("/data")
    assert response.json == {"value": 3, "_loaded_by": "packed"}
    assert response.get_json() == {"value": 3, "_loaded_by": "packed"}


def test_response_json_of_a_non_json_response_is_none(app, client):
    app.add_url_rule("/text", "text", lambda: "plain words")
    response = client.get("/text")
    assert response.mimetype == "text/html"
    assert response.json is None


def test_view_reads_json_body_sent_by_the_client(app, client):
    @app.post("/sum")
    def total() -> dict[str, int]:
        return {"total": sum(flask.request.get_json()["numbers"])}

    assert client.post("/sum", json={"numbers": [1, 2, 3]}).json == {"total": 6}


# Redirects and buffering ---------------------------------------------------------------


def test_follow_redirects_records_history(app, client):
    app.add_url_rule("/start", "start", lambda: flask.redirect("/middle"))
    app.add_url_rule("/middle", "middle", lambda: flask.redirect("/end", code=301))
    app.add_url_rule("/end", "end", lambda: "arrived")

    response = client.get("/start", follow_redirects=True)
    assert response.status_code == 200
    assert response.data == b"arrived"
    assert response.request.path == "/end"
    assert [r.status_code for r in response.history] == [302, 301]
    assert [r.request.path for r in response.history] == ["/start", "/middle"]


def test_without_follow_redirects_the_redirect_itself_is_returned(app, client):
    app.add_url_rule("/start", "start", lambda: flask.redirect("/end"))
    response = client.get("/start")
    assert response.status_code == 302
    assert response.location == "/end"
    assert response.history == ()


def test_buffered_reads_a_streamed_body_before_returning(app, client):
    produced: list[str] = []

    @app.route("/stream")
    def stream() -> t.Any:
        def chunks() -> t.Iterator[str]:
            for part in ("one-", "two"):
                produced.append(part)
                yield part

        return chunks()

    buffered = client.get("/stream", buffered=True)
    assert produced == ["one-", "two"]
    assert not buffered.is_streamed
    assert buffered.data == b"one-two"

    produced.clear()
    lazy = client.get("/stream")
    assert lazy.is_streamed
    assert lazy.data == b"one-two"


# URLs: base_url, subdomain, url_scheme, SERVER_NAME, APPLICATION_ROOT ---------------------


def test_default_base_url_is_http_localhost(echo_app, client):
    seen = client.get("/echo").json
    assert seen["url"] == "http://localhost/echo"
    assert seen["script_root"] == ""


def test_server_name_and_application_root_shape_the_default_url(app):
    app.config.update(SERVER_NAME="shop.test:8000", APPLICATION_ROOT="/store")
    app.add_url_rule("/echo", "echo", describe_request)

    seen = app.test_client().get("/echo").json
    assert seen["url"] == "http://shop.test:8000/store/echo"
    assert seen["host"] == "shop.test:8000"
    assert seen["script_root"] == "/store"
    assert seen["path"] == "/echo"


def test_preferred_url_scheme_sets_the_default_scheme(app):
    app.config.update(SERVER_NAME="shop.test", PREFERRED_URL_SCHEME="https")
    app.add_url_rule("/echo", "echo", describe_request)
    assert app.test_client().get("/echo").json["url"] == "https://shop.test/echo"


def test_base_url_argument_sets_scheme_host_and_script_root(echo_app, client):
    seen = client.get("/echo", base_url="https://api.example.test/v2").json
    assert seen["url"] == "https://api.example.test/v2/echo"
    assert seen["script_root"] == "/v2"
    assert seen["scheme"] == "https"


def test_subdomain_argument_is_prepended_to_the_host(app):
    app.config["SERVER_NAME"] = "site.test"
    app.add_url_rule("/echo", "echo", describe_request)
    assert (
        app.test_client().get("/echo", subdomain="blog").json["host"]
        == "blog.site.test"
    )


def test_subdomain_routes_are_reached_with_the_subdomain_argument():
    app = flask.Flask("subdomain_app", subdomain_matching=True)
    app.config["SERVER_NAME"] = "site.test"
    app.add_url_rule("/", "shop_home", lambda: "shop", subdomain="shop")
    app.add_url_rule("/", "main_home", lambda: "main")

    client = app.test_client()
    assert client.get("/", subdomain="shop").data == b"shop"
    assert client.get("/").data == b"main"


def test_url_scheme_argument(echo_app, client):
    seen = client.get("/echo", url_scheme="https").json
    assert seen["url"] == "https://localhost/echo"


def test_full_url_as_path_overrides_scheme_and_host(echo_app, client):
    seen = client.get("https://other.test:8443/echo?x=1").json
    assert seen["url"] == "https://other.test:8443/echo?x=1"
    assert seen["args"] == {"x": ["1"]}


# The environ base ----------------------------------------------------------------------


def test_environ_has_loopback_remote_addr_and_werkzeug_user_agent(echo_app, client):
    seen = client.get("/echo").json
    assert seen["remote_addr"] == "127.0.0.1"
    version = importlib.metadata.version("werkzeug")
    assert seen["user_agent"] == f"Werkzeug/{version}"


def test_per_request_environ_base_overrides_the_defaults(echo_app, client):
    seen = client.get(
        "/echo", environ_base={"REMOTE_ADDR": "127.0.0.5", "HTTP_USER_AGENT": "probe/1"}
    ).json
    assert seen["remote_addr"] == "127.0.0.5"
    assert seen["user_agent"] == "probe/1"

    # The override applied to that request only.
    assert client.get("/echo").json["remote_addr"] == "127.0.0.1"


def test_client_environ_base_can_be_changed_for_all_requests(echo_app, client):
    client.environ_base["REMOTE_ADDR"] = "127.0.0.7"
    client.environ_base["HTTP_X_PROBE"] = "from base"
    seen = client.get("/echo").json
    assert seen["remote_addr"] == "127.0.0.7"
    assert seen["x_probe"] == "from base"


def test_explicit_header_beats_environ_base(echo_app, client):
    seen = client.get("/echo", headers={"User-Agent": "explicit"}).json
    assert seen["user_agent"] == "explicit"


# Cookies -------------------------------------------------------------------------------


@pytest.fixture
def cookie_app(app: flask.Flask) -> flask.Flask:
    @app.route("/bake")
    def bake() -> flask.Response:
        response = flask.make_response("baked")
        response.set_cookie("flavour", "ginger")
        return response

    @app.route("/taste")
    def taste() -> str:
        return flask.request.cookies.get("flavour", "no cookie")

    return app


def test_cookies_set_by_a_response_are_sent_with_later_requests(cookie_app):
    client = cookie_app.test_client()
    assert client.get("/taste").data == b"no cookie"
    client.get("/bake")
    assert client.get("/taste").data == b"ginger"
    assert client.get_cookie("flavour").value == "ginger"


def test_use_cookies_false_keeps_no_cookies(cookie_app):
    client = cookie_app.test_client(use_cookies=False)
    response = client.get("/bake")
    assert "flavour=ginger" in response.headers["Set-Cookie"]
    assert client.get("/taste").data == b"no cookie"


def test_session_is_carried_between_requests_by_the_cookie(app, client):
    @app.route("/count")
    def count() -> str:
        flask.session["hits"] = flask.session.get("hits", 0) + 1
        return str(flask.session["hits"])

    assert [client.get("/count").data for _ in range(3)] == [b"1", b"2", b"3"]
    assert app.test_client().get("/count").data == b"1"


# Preserving contexts with `with client:` -------------------------------------------------


@pytest.fixture
def context_app(app: flask.Flask) -> flask.Flask:
    @app.route("/visit", methods=["GET", "POST"])
    def visit() -> str:
        flask.g.visitor = flask.request.args.get("who", "anon")
        flask.session["last"] = flask.g.visitor
        return "visited"

    return app


def test_with_client_keeps_request_g_and_session_after_the_request(context_app):
    client = context_app.test_client()
    with client:
        client.get("/visit?who=ann")
        assert flask.request.path == "/visit"
        assert flask.request.args["who"] == "ann"
        assert flask.g.visitor == "ann"
        assert flask.session["last"] == "ann"
        assert flask.current_app._get_current_object() is context_app

    assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_next_request_in_with_block_replaces_the_kept_contexts(context_app):
    client = context_app.test_client()
    with client:
        client.get("/visit?who=ann")
        first_request = flask.request._get_current_object()
        client.post("/visit?who=bob")
        assert flask.request._get_current_object() is not first_request
        assert flask.request.method == "POST"
        assert flask.g.visitor == "bob"
        assert flask.session["last"] == "bob"

    assert not flask.has_request_context()


def test_contexts_are_not_kept_without_a_with_block(context_app, client):
    client.get("/visit?who=ann")
    assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_with_block_before_any_request_pushes_nothing(context_app, client):
    with client:
        assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_kept_contexts_are_popped_when_the_block_raises(context_app, client):
    with pytest.raises(ZeroDivisionError):
        with client:
            client.get("/visit")
            assert flask.has_request_context()
            1 / 0  # noqa: B018

    assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_nested_with_client_is_a_runtime_error(client):
    with client:
        with pytest.raises(RuntimeError, match="Cannot nest client invocations"):
            with client:
                pass


def test_client_can_be_used_in_a_new_with_block_after_the_first_ends(
    context_app, client
):
    with client:
        client.get("/visit?who=ann")
    with client:
        client.get("/visit?who=cy")
        assert flask.g.visitor == "cy"


def test_teardown_runs_again_when_the_kept_contexts_are_popped(context_app, client):
    events: list[str] = []

    @context_app.teardown_request
    def request_done(exc: BaseException | None) -> None:
        events.append("teardown_request")

    @context_app.teardown_appcontext
    def app_done(exc: BaseException | None) -> None:
        events.append("teardown_appcontext")

    with client:
        client.get("/visit")
        # The request itself tore down once before returning.
        assert events == ["teardown_request", "teardown_appcontext"]
        events.clear()

        client.get("/visit")
        # The kept contexts of the first request, then the second request's own.
        assert events == ["teardown_request", "teardown_appcontext"] * 2
        events.clear()

    # Leaving the block pops the second request's kept contexts.
    assert events == ["teardown_request", "teardown_appcontext"]


def test_kept_contexts_reuse_one_app_context(context_app, client):
    pushed: list[t.Any] = []
    popped: list[t.Any] = []

    def on_pushed(sender: flask.Flask) -> None:
        pushed.append(flask.g._get_current_object())

    def on_popped(sender: flask.Flask) -> None:
        popped.append(sender)

    with flask.appcontext_pushed.connected_to(on_pushed, context_app):
        with flask.appcontext_popped.connected_to(on_popped, context_app):
            with client:
                client.get("/visit?who=dee")
                # Pushed for the request, then pushed again to keep it.
                assert len(pushed) == 2
                assert pushed[0] is pushed[1]
                assert len(popped) == 1
                assert flask.g._get_current_object() is pushed[0]
            assert len(popped) == 2


# Other things client.open accepts --------------------------------------------------------


def test_open_accepts_an_environ_builder(echo_app, client):
    builder = EnvironBuilder(echo_app, "/echo", method="PUT", data="payload")
    seen = client.open(builder).json
    assert seen["method"] == "PUT"
    assert seen["body"] == "payload"
    # The client's environ base is still applied.
    assert seen["remote_addr"] == "127.0.0.1"


def test_open_accepts_a_werkzeug_environ_builder(echo_app, client):
    builder = werkzeug.test.EnvironBuilder("/echo", method="DELETE")
    assert client.open(builder).json["method"] == "DELETE"


def test_open_accepts_a_wsgi_environ_dict(echo_app, client):
    environ = EnvironBuilder(
        echo_app, "/echo?k=v", method="POST", data={"f": "1"}
    ).get_environ()
    seen = client.open(environ).json
    assert seen["method"] == "POST"
    assert seen["args"] == {"k": ["v"]}
    assert seen["form"] == {"f": ["1"]}


def test_open_accepts_a_request_object(echo_app, client):
    request = EnvironBuilder(echo_app, "/echo", method="PATCH", data="r").get_request()
    assert isinstance(request, WerkzeugRequest)
    seen = client.open(request).json
    assert seen["method"] == "PATCH"
    assert seen["body"] == "r"
    assert seen["user_agent"].startswith("Werkzeug/")


# flask.testing.EnvironBuilder ------------------------------------------------------------


def test_environ_builder_defaults_come_from_the_app(app):
    builder = EnvironBuilder(app)
    assert builder.base_url == "http://localhost/"
    assert builder.path == "/"

    app.config.update(
        SERVER_NAME="conf.test", APPLICATION_ROOT="/mount", PREFERRED_URL_SCHEME="https"
    )
    builder = EnvironBuilder(app, "/page")
    assert builder.base_url == "https://conf.test/mount/"
    assert builder.path == "/page"


def test_environ_builder_subdomain_and_url_scheme(app):
    app.config["SERVER_NAME"] = "conf.test:5000"
    builder = EnvironBuilder(app, "/p", subdomain="api", url_scheme="https")
    assert builder.base_url == "https://api.conf.test:5000/"
    environ = builder.get_environ()
    assert environ["HTTP_HOST"] == "api.conf.test:5000"
    assert environ["wsgi.url_scheme"] == "https"


def test_environ_builder_explicit_base_url(app):
    builder = EnvironBuilder(app, "/p", base_url="http://given.test/root/")
    assert builder.base_url == "http://given.test/root/"
    assert builder.get_environ()["SCRIPT_NAME"] == "/root"


@pytest.mark.parametrize("extra", [{"subdomain": "api"}, {"url_scheme": "https"}])
def test_environ_builder_rejects_base_url_with_subdomain_or_scheme(app, extra):
    with pytest.raises(AssertionError, match='Cannot pass "subdomain" or "url_scheme"'):
        EnvironBuilder(app, base_url="http://given.test/", **extra)


def test_environ_builder_full_url_path_overrides_scheme_and_host(app):
    app.config.update(SERVER_NAME="conf.test", PREFERRED_URL_SCHEME="http")
    builder = EnvironBuilder(app, "https://elsewhere.test:9000/deep/page?q=1&r=2")
    assert builder.base_url == "https://elsewhere.test:9000/"
    assert builder.path == "/deep/page"
    assert builder.query_string == "q=1&r=2"


def test_environ_builder_keeps_query_string_of_the_path(app):
    environ = EnvironBuilder(app, "/search?term=cat").get_environ()
    assert environ["PATH_INFO"] == "/search"
    assert environ["QUERY_STRING"] == "term=cat"


def test_environ_builder_json_uses_the_app_json_provider(app):
    app.json = PackedJSONProvider(app)
    builder = EnvironBuilder(app, json={"b": [1, 2], "a": None})
    assert builder.content_type == "application/json"
    assert builder.input_stream.read() == b'{"a":null,"b":[1,2]}'
    assert builder.json_dumps({"k": 1}) == '{"k":1}'


def test_environ_builder_passes_other_arguments_to_werkzeug(app):
    builder = EnvironBuilder(
        app, "/x", method="PUT", headers={"X-Probe": "1"}, data="d"
    )
    request = builder.get_request()
    assert request.method == "PUT"
    assert request.headers["X-Probe"] == "1"
    assert request.get_data() == b"d"


# app.test_request_context ----------------------------------------------------------------


def test_test_request_context_builds_the_described_request(app):
    app.config["SERVER_NAME"] = "ctx.test"
    ctx = app.test_request_context(
        "/items/7?sort=asc",
        method="POST",
        data={"name": "lamp"},
        headers={"X-Probe": "yes"},
        subdomain="shop",
        url_scheme="https",
    )
    assert isinstance(ctx, flask.ctx.RequestContext)
    with ctx:
        assert flask.request is not None
        assert flask.request.url == "https://shop.ctx.test/items/7?sort=asc"
        assert flask.request.method == "POST"
        assert flask.request.form["name"] == "lamp"
        assert flask.request.args["sort"] == "asc"
        assert flask.request.headers["X-Probe"] == "yes"
        assert flask.request._get_current_object() is ctx.request


def test_test_request_context_with_base_url(app):
    with app.test_request_context("/page", base_url="https://given.test/prefix/"):
        assert flask.request.url == "https://given.test/prefix/page"
        assert flask.request.script_root == "/prefix"


def test_test_request_context_json_uses_the_app_json_provider(app):
    app.json = PackedJSONProvider(app)
    with app.test_request_context(json={"x": 1}):
        assert flask.request.get_data() == b'{"x":1}'
        assert flask.request.get_json() == {"x": 1, "_loaded_by": "packed"}


def test_test_request_context_matches_the_url_against_the_app(app):
    app.add_url_rule("/user/<int:uid>", "user", lambda uid: str(uid))
    with app.test_request_context("/user/12"):
        assert flask.request.endpoint == "user"
        assert flask.request.view_args == {"uid": 12}


# session_transaction ---------------------------------------------------------------------


def test_session_transaction_values_are_seen_by_the_next_request(app, client):
    app.add_url_rule("/whoami", "whoami", lambda: str(flask.session.get("user")))

    with client.session_transaction() as sess:
        assert "user" not in sess
        sess["user"] = "ada"

    assert client.get("/whoami").data == b"ada"


def test_session_transaction_sees_values_a_request_stored(app, client):
    @app.route("/login")
    def login() -> str:
        flask.session["user"] = "grace"
        return ""

    client.get("/login")
    with client.session_transaction() as sess:
        assert sess["user"] == "grace"


def test_session_transaction_without_cookies_is_a_type_error(app):
    client = app.test_client(use_cookies=False)
    with pytest.raises(TypeError, match="Cookies are disabled"):
        with client.session_transaction():
            pass


def test_session_transaction_without_secret_key_is_a_runtime_error(app):
    app.secret_key = None
    client = app.test_client()
    with pytest.raises(RuntimeError, match="Session backend did not open a session"):
        with client.session_transaction():
            pass


# The CLI runner --------------------------------------------------------------------------


@pytest.fixture
def cli_app(app: flask.Flask) -> flask.Flask:
    @app.cli.command("greet")
    @click.argument("name", default="world")
    def greet(name: str) -> None:
        click.echo(f"greetings {name} from {flask.current_app.name}")

    @app.cli.command("inspect-obj")
    @click.pass_obj
    def inspect_obj(obj: t.Any) -> None:
        click.echo(f"{type(obj).__name__}:{obj.load_app() is app}")

    return app


def test_test_cli_runner_returns_a_flask_cli_runner(app):
    runner = app.test_cli_runner()
    assert isinstance(runner, FlaskCliRunner)
    assert isinstance(runner, click.testing.CliRunner)
    assert runner.app is app


def test_cli_runner_invokes_app_cli_commands_by_default(cli_app):
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["greet"])
    assert result.exit_code == 0
    assert result.output == "greetings world from flask_test\n"

    result = runner.invoke(args=["greet", "Ann"])
    assert result.output == "greetings Ann from flask_test\n"


def test_cli_runner_passes_a_script_info_that_returns_the_app(cli_app):
    result = cli_app.test_cli_runner().invoke(args=["inspect-obj"])
    assert result.exception is None
    assert result.output == "ScriptInfo:True\n"


def test_cli_runner_invokes_a_given_command_with_the_app_context(cli_app):
    command = cli_app.cli.get_command(None, "greet")  # type: ignore[arg-type]
    result = cli_app.test_cli_runner().invoke(command, ["Bo"])
    assert result.output == "greetings Bo from flask_test\n"


def test_cli_runner_explicit_obj_is_passed_through(cli_app):
    info = ScriptInfo(create_app=lambda: cli_app)
    result = cli_app.test_cli_runner().invoke(args=["inspect-obj"], obj=info)
    assert result.output == "ScriptInfo:True\n"


def test_cli_runner_reports_unknown_commands(cli_app):
    result = cli_app.test_cli_runner().invoke(args=["no-such-thing"])
    assert result.exit_code == 2
    assert "No such command 'no-such-thing'" in result.output


def test_cli_runner_kwargs_reach_click(cli_app):
    @cli_app.cli.command("show-env")
    def show_env() -> None:
        import os

        click.echo(os.environ.get("RUNNER_PROBE", "unset"))

    runner = cli_app.test_cli_runner(env={"RUNNER_PROBE": "present"})
    assert runner.invoke(args=["show-env"]).output == "present\n"


def test_test_cli_runner_class_override_gets_the_app_and_kwargs(app):
    class NotingRunner(FlaskCliRunner):
        def __init__(self, app: flask.Flask, **kwargs: t.Any) -> None:
            self.noted = kwargs
            super().__init__(app, **kwargs)

    app.test_cli_runner_class = NotingRunner
    runner = app.test_cli_runner(env={"A": "1"})
    assert type(runner) is NotingRunner
    assert runner.app is app
    assert runner.noted == {"env": {"A": "1"}}
