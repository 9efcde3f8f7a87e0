"""The request path's fast paths step aside whenever an application customises what
they skip, so the full path runs and the customisation is seen.

Each test sets up one such condition and checks an effect only the full path can
produce (a hook seeing the response object, an override being called, ...), plus
that the response is still the one the full path would send.
"""

from __future__ import annotations

import os
import typing as t

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound

import flask
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface


@pytest.fixture
def plain_app() -> Flask:
    app = Flask("fast_paths")
    app.testing = True
    app.secret_key = "fast path secret"

    @app.route("/text")
    def text() -> str:
        return "plain text"

    @app.route("/data")
    def data() -> dict[str, t.Any]:
        return {"b": 2, "a": 1}

    @app.route("/created")
    def created() -> tuple[str, int]:
        return "made", 201

    return app


# What the direct responses send ---------------------------------------------------


def test_direct_text_response_matches_response_class_output(plain_app):
    response = plain_app.test_client().get("/text")
    assert response.status == "200 OK"
    assert response.headers.to_wsgi_list() == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "10"),
    ]
    assert response.data == b"plain text"


def test_direct_json_response_is_sorted_compact_json_with_newline(plain_app):
    response = plain_app.test_client().get("/data")
    assert response.headers["Content-Type"] == "application/json"
    assert response.data == b'{"a":1,"b":2}\n'


def test_direct_json_response_is_indented_in_debug_mode(plain_app):
    plain_app.debug = True
    response = plain_app.test_client().get("/data")
    assert response.data == b'{\n  "a": 1,\n  "b": 2\n}\n'


def test_direct_response_with_status_code_uses_werkzeug_status_line(plain_app):
    response = plain_app.test_client().get("/created")
    assert response.status == "201 CREATED"
    assert response.data == b"made"


def test_status_without_body_takes_full_path(plain_app):
    @plain_app.route("/empty")
    def empty() -> tuple[str, int]:
        return "ignored", 204

    response = plain_app.test_client().get("/empty")
    assert response.status_code == 204
    assert "Content-Length" not in response.headers
    assert response.data == b""


def test_head_request_gets_headers_without_body(plain_app):
    response = plain_app.test_client().head("/text")
    assert response.headers["Content-Length"] == "10"
    assert response.data == b""


def test_unknown_url_gets_the_standard_404_page(plain_app):
    response = plain_app.test_client().get("/nowhere")
    assert response.status == "404 NOT FOUND"
    assert b"<title>404 Not Found</title>" in response.data
    assert response.headers["Content-Length"] == str(len(response.data))


def test_error_pages_with_different_descriptions_are_not_mixed_up(plain_app):
    @plain_app.route("/gone/<word>")
    def gone(word: str) -> str:
        flask.abort(404, description=f"no {word} here")

    client = plain_app.test_client()
    assert b"no apples here" in client.get("/gone/apples").data
    assert b"no pears here" in client.get("/gone/pears").data


def test_405_keeps_its_allow_header(plain_app):
    response = plain_app.test_client().post("/text")
    assert response.status_code == 405
    assert set(response.allow) == {"GET", "HEAD", "OPTIONS"}


# Conditions that make the direct response step aside ------------------------------


def test_after_request_function_receives_a_response_object(plain_app):
    seen = []

    @plain_app.after_request
    def record(response: flask.Response) -> flask.Response:
        seen.append(type(response))
        response.headers["X-After"] = "1"
        return response

    client = plain_app.test_client()
    for path in ("/text", "/data", "/nowhere"):
        assert client.get(path).headers["X-After"] == "1"
    assert seen == [flask.Response] * 3


def test_after_this_request_function_receives_the_response(plain_app):
    @plain_app.route("/later")
    def later() -> str:
        @flask.after_this_request
        def stamp(response: flask.Response) -> flask.Response:
            response.headers["X-Later"] = "yes"
            return response

        return "body"

    assert plain_app.test_client().get("/later").headers["X-Later"] == "yes"


def test_request_finished_receiver_gets_the_response(plain_app):
    seen = []

    def receiver(sender: Flask, response: flask.Response, **extra: t.Any) -> None:
        seen.append(response.get_data())

    with flask.request_finished.connected_to(receiver, plain_app):
        plain_app.test_client().get("/text")
    assert seen == [b"plain text"]


@pytest.mark.parametrize(
    "method", ["process_response", "make_response", "finalize_request"]
)
def test_subclass_lifecycle_override_runs(method):
    class Custom(Flask):
        pass

    def wrapper(self: Flask, *args: t.Any, **kwargs: t.Any) -> t.Any:
        response = getattr(Flask, method)(self, *args, **kwargs)
        response.headers["X-Override"] = method
        return response

    setattr(Custom, method, wrapper)
    app = Custom("fast_paths_sub")

    @app.route("/")
    def index() -> str:
        return "index"

    client = app.test_client()
    assert client.get("/").headers["X-Override"] == method
    assert client.get("/missing").headers["X-Override"] == method


def test_subclass_full_dispatch_request_override_runs():
    class Custom(Flask):
        def full_dispatch_request(self) -> flask.Response:
            response = super().full_dispatch_request()
            response.headers["X-Full"] = "1"
            return response

    app = Custom("fast_paths_full")
    app.add_url_rule("/", "index", lambda: "index")
    assert app.test_client().get("/").headers["X-Full"] == "1"


def test_process_response_replaced_on_the_instance_runs(plain_app):
    original = plain_app.process_response

    def process(response: flask.Response) -> flask.Response:
        response = original(response)
        response.headers["X-Instance"] = "1"
        return response

    plain_app.process_response = process  # type: ignore[method-assign]
    assert plain_app.test_client().get("/text").headers["X-Instance"] == "1"


def test_custom_response_class_is_used(plain_app):
    class Tagged(flask.Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Class"] = "tagged"

    plain_app.response_class = Tagged
    client = plain_app.test_client()
    assert client.get("/text").headers["X-Class"] == "tagged"
    assert client.get("/data").headers["X-Class"] == "tagged"


def test_custom_json_provider_serializes_dict_returns(plain_app):
    class Shouting(DefaultJSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return super().dumps(obj, **kwargs).upper()

    plain_app.json = Shouting(plain_app)

    @plain_app.route("/word")
    def word() -> dict[str, str]:
        return {"word": "quiet"}

    assert plain_app.test_client().get("/word").data == b'{"WORD":"QUIET"}\n'


def test_custom_http_exception_rendering_is_used(plain_app):
    class Teapot(HTTPException):
        code = 418
        description = "short and stout"

        def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
            return "<p>custom teapot page</p>"

    @plain_app.route("/pot")
    def pot() -> str:
        raise Teapot()

    response = plain_app.test_client().get("/pot")
    assert response.status_code == 418
    assert response.data == b"<p>custom teapot page</p>"


def test_http_exception_carrying_a_response_sends_it(plain_app):
    @plain_app.route("/carry")
    def carry() -> str:
        raise NotFound(response=flask.Response("carried", status=404))

    response = plain_app.test_client().get("/carry")
    assert response.status_code == 404
    assert response.data == b"carried"


# The deferred session -------------------------------------------------------------


def logged_in_permanently(app: Flask) -> t.Any:
    """A test client of ``app`` holding a permanent session cookie."""

    @app.route("/login")
    def login() -> str:
        flask.session.permanent = True
        flask.session["user"] = "ann"
        return "in"

    client = app.test_client()
    client.get("/login")
    return client


def test_permanent_session_cookie_is_refreshed_without_touching_the_session(
    plain_app,
):
    client = logged_in_permanently(plain_app)
    response = client.get("/text")
    assert "session=" in response.headers["Set-Cookie"]
    assert "Expires=" in response.headers["Set-Cookie"]


def test_reading_the_session_adds_vary_cookie(plain_app):
    @plain_app.route("/peek")
    def peek() -> str:
        return str(flask.session.get("user"))

    response = plain_app.test_client().get("/peek")
    assert response.data == b"None"
    assert response.headers["Vary"] == "Cookie"


def test_custom_session_interface_is_opened_before_the_view(plain_app):
    calls = []

    class Recording(SecureCookieSessionInterface):
        def open_session(self, app: Flask, request: flask.Request) -> t.Any:
            calls.append("open")
            return super().open_session(app, request)

        def save_session(self, app: Flask, session: t.Any, response: t.Any) -> None:
            calls.append("save")
            super().save_session(app, session, response)

    plain_app.session_interface = Recording()

    @plain_app.route("/quiet")
    def quiet() -> str:
        calls.append("view")
        return "quiet"

    plain_app.test_client().get("/quiet")
    assert calls == ["open", "view", "save"]


def test_copied_request_context_shares_the_deferred_session(plain_app):
    @plain_app.route("/copy")
    def copy() -> str:
        @flask.copy_current_request_context
        def write() -> None:
            flask.session["from_copy"] = "yes"

        write()
        return flask.session.get("from_copy", "missing")

    assert plain_app.test_client().get("/copy").data == b"yes"


# Sessions saved on the direct path -------------------------------------------------

_SESSION_CONFIGS = [
    {},
    {"SESSION_COOKIE_NAME": "sid", "SESSION_COOKIE_PATH": "/app"},
    {"SESSION_COOKIE_DOMAIN": "example.com", "SESSION_COOKIE_SECURE": True},
    {"SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_HTTPONLY": False},
    {"SESSION_COOKIE_PARTITIONED": True, "SESSION_COOKIE_SECURE": True},
    {"APPLICATION_ROOT": "/root"},
    {"SESSION_REFRESH_EACH_REQUEST": False},
]


def _session_app(config: dict[str, t.Any], slow: bool) -> Flask:
    app = Flask("fast_paths_sessions")
    app.secret_key = "session secret"
    app.config.update(config)

    @app.route("/set")
    def set_value() -> str:
        flask.session["user"] = "ann"
        return "set"

    @app.route("/permanent")
    def permanent() -> str:
        flask.session.permanent = True
        flask.session["user"] = "bob"
        return "permanent"

    @app.route("/read")
    def read() -> str:
        return str(flask.session.get("user"))

    @app.route("/clear")
    def clear() -> dict[str, t.Any]:
        flask.session.clear()
        return {"cleared": True}

    @app.route("/ignore")
    def ignore() -> str:
        return "ignored"

    if slow:
        # Any after_request function sends every response through the full path.
        app.after_request(lambda response: response)
    return app


def _normalized(response: t.Any) -> list[tuple[str, str]]:
    # The cookie value and its expiry depend on the current second; the session
    # stored is compared separately.
    headers = []
    for name, value in response.headers.to_wsgi_list():
        if name == "Set-Cookie":
            cookie_name, _, rest = value.partition("=")
            _value, _, attributes = rest.partition(";")
            attributes = ";".join(
                "Expires=..." if part.strip().startswith("Expires=") else part
                for part in attributes.split(";")
            )
            value = f"{cookie_name}=...;{attributes}"
        headers.append((name, value))
    return headers


@pytest.mark.parametrize("config", _SESSION_CONFIGS)
def test_direct_session_headers_match_the_full_path(config):
    results = []
    for slow in (False, True):
        client = _session_app(config, slow).test_client()
        seen = []
        for path in (
            "/ignore",
            "/set",
            "/read",
            "/ignore",
            "/permanent",
            "/ignore",
            "/read",
            "/clear",
            "/read",
        ):
            response = client.get(path)
            seen.append((path, response.status, _normalized(response), response.data))
        with client.session_transaction() as session:
            seen.append(("stored", dict(session)))
        results.append(seen)
    assert results[0] == results[1]
    assert results[0][-1] == ("stored", {})


def test_direct_session_cookie_holds_the_session(plain_app):
    @plain_app.route("/login")
    def login() -> str:
        flask.session["user"] = "ann"
        return "in"

    client = plain_app.test_client()
    response = client.get("/login")
    assert response.headers.getlist("Vary") == ["Cookie"]
    with client.session_transaction() as session:
        assert session["user"] == "ann"


def test_session_interface_with_save_session_replaced_on_the_instance(plain_app):
    saved = []
    interface = SecureCookieSessionInterface()
    original = interface.save_session

    def save_session(app: Flask, session: t.Any, response: t.Any) -> None:
        saved.append(type(response).__name__)
        original(app, session, response)

    interface.save_session = save_session  # type: ignore[method-assign]
    plain_app.session_interface = interface

    @plain_app.route("/write")
    def write() -> str:
        flask.session["k"] = "v"
        return "written"

    response = plain_app.test_client().get("/write")
    assert saved == ["Response"]
    assert "session=" in response.headers["Set-Cookie"]


def test_session_written_before_an_http_error_is_saved(plain_app):
    @plain_app.route("/deny")
    def deny() -> str:
        flask.session["tried"] = True
        flask.abort(403)

    client = plain_app.test_client()
    response = client.get("/deny")
    assert response.status_code == 403
    assert b"Forbidden" in response.data
    assert "session=" in response.headers["Set-Cookie"]
    with client.session_transaction() as session:
        assert session["tried"] is True


def test_permanent_session_cookie_is_refreshed_on_an_http_error(plain_app):
    @plain_app.route("/gone")
    def gone() -> str:
        flask.abort(410)

    client = logged_in_permanently(plain_app)
    response = client.get("/gone")
    assert response.status_code == 410
    assert "session=" in response.headers["Set-Cookie"]
    assert "Expires=" in response.headers["Set-Cookie"]


def test_unserializable_session_value_goes_to_the_500_handler(plain_app):
    plain_app.testing = False

    @plain_app.errorhandler(500)
    def handle(error: t.Any) -> tuple[str, int]:
        assert isinstance(error.original_exception, TypeError)
        return "cannot save", 500

    @plain_app.route("/bad")
    def bad() -> str:
        flask.session["thing"] = object()
        return "never sent"

    response = plain_app.test_client().get("/bad")
    assert response.status_code == 500
    assert response.data == b"cannot save"


def test_large_session_cookie_warns_with_the_app_limit(plain_app):
    plain_app.config["MAX_COOKIE_SIZE"] = 100

    @plain_app.route("/big")
    def big() -> str:
        # Random text, so that compressing the cookie cannot shrink it.
        flask.session["blob"] = os.urandom(100).hex()
        return "big"

    with pytest.warns(UserWarning, match="cookie is too large"):
        plain_app.test_client().get("/big")


# Session signing -------------------------------------------------------------------


def test_changed_secret_key_invalidates_old_cookies(plain_app):
    @plain_app.route("/set")
    def set_value() -> str:
        flask.session["n"] = 1
        return "set"

    @plain_app.route("/get")
    def get_value() -> str:
        return str(flask.session.get("n"))

    client = plain_app.test_client()
    client.get("/set")
    assert client.get("/get").data == b"1"
    plain_app.secret_key = "a brand new key"
    assert client.get("/get").data == b"None"
    plain_app.config["SECRET_KEY_FALLBACKS"] = ["fast path secret"]
    assert client.get("/get").data == b"1"


def test_overridden_signing_serializer_is_used(plain_app):
    calls = []

    class Counting(SecureCookieSessionInterface):
        def get_signing_serializer(self, app: Flask) -> t.Any:
            calls.append(1)
            return super().get_signing_serializer(app)

    plain_app.session_interface = Counting()

    @plain_app.route("/write")
    def write() -> str:
        flask.session["k"] = "v"
        return "ok"

    client = plain_app.test_client()
    client.get("/write")
    client.get("/write")
    assert len(calls) == 4  # one to open and one to save, per request


@pytest.mark.parametrize("digest", ["sha1", "sha256"])
def test_cookie_signature_is_plain_hmac_with_the_digest_method(plain_app, digest):
    # sha1 is the default (signed from HMAC states kept per key); sha256 takes
    # itsdangerous' general path. Either way plain itsdangerous verifies the cookie.
    import hashlib

    digest_method = getattr(hashlib, digest)
    if digest != "sha1":

        class OtherDigest(SecureCookieSessionInterface):
            pass

        OtherDigest.digest_method = staticmethod(digest_method)
        plain_app.session_interface = OtherDigest()

    assert_cookies_verify(
        plain_app, {"key_derivation": "hmac", "digest_method": digest_method}
    )


@pytest.mark.parametrize("length", [1, 20, 64, 65, 200])
def test_cookie_signed_with_any_length_of_key_is_plain_hmac(plain_app, length):
    # Without key derivation the secret key itself is the HMAC key; one longer than
    # SHA-1's 64-byte block is hashed first, as hmac.new does.
    import hashlib

    class Underived(SecureCookieSessionInterface):
        key_derivation = "none"

    plain_app.secret_key = (f"k{length}" * length)[:length]
    plain_app.session_interface = Underived()
    # The second cookie is signed from the kept HMAC states.
    assert_cookies_verify(
        plain_app, {"key_derivation": "none", "digest_method": hashlib.sha1}, 2
    )


def assert_cookies_verify(
    app: Flask, signer_kwargs: dict[str, t.Any], requests: int = 1
) -> None:
    # Each session cookie the app writes is one that a plain itsdangerous serializer
    # with these signer options accepts.
    from itsdangerous import URLSafeTimedSerializer

    @app.route("/write")
    def write() -> str:
        flask.session["k"] = "v"
        return "ok"

    verifier = URLSafeTimedSerializer(
        app.secret_key,  # type: ignore[arg-type]
        salt="cookie-session",
        signer_kwargs=signer_kwargs,
    )
    client = app.test_client()
    for _ in range(requests):
        client.get("/write")
        cookie = client.get_cookie("session")
        assert cookie is not None
        assert verifier.loads(cookie.value) == {"k": "v"}


# Templates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ row.name }}", {"row": {"name": "<b>"}}, "&lt;b&gt;"),
        ("[{{ row.missing }}]", {"row": {"name": 1}}, "[]"),
        ("{{ row.items is callable }}", {"row": {"items": 1}}, "True"),
        ("{{ row.__class__.__name__ }}", {"row": {}}, "dict"),
        ("{{ row.get('a') }}", {"row": {"a": 5}}, "5"),
        ("{{ row.name }}", {"row": {1: "int key"}}, ""),
    ],
)
def test_dict_attribute_lookup_in_templates(plain_app, source, context, expected):
    with plain_app.app_context():
        assert flask.render_template_string(source, **context) == expected


def test_dict_subclass_attributes_win_over_items(plain_app):
    class Row(dict):  # type: ignore[type-arg]
        name = "attribute"

    with plain_app.app_context():
        rendered = flask.render_template_string("{{ row.name }}", row=Row(name="item"))
    assert rendered == "attribute"


def test_missing_dict_key_with_strict_undefined_raises(plain_app):
    import jinja2

    plain_app.jinja_options = {"undefined": jinja2.StrictUndefined}
    with plain_app.app_context():
        with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
            flask.render_template_string("{{ row.missing }}", row={})


def test_environment_subclass_getattr_is_used():
    from flask.templating import Environment

    class Shouting(Environment):
        def getattr(self, obj: t.Any, attribute: str) -> t.Any:
            return str(super().getattr(obj, attribute)).upper()

    class App(Flask):
        jinja_environment = Shouting

    app = App("fast_paths_templates")
    with app.app_context():
        assert flask.render_template_string("{{ row.name }}", row={"name": "x"}) == "X"


def test_patched_jinja_getattr_is_used_for_dict_rows(plain_app, monkeypatch):
    import jinja2

    def shouting(self: t.Any, obj: t.Any, attribute: str) -> t.Any:
        return str(obj[attribute]).upper()

    monkeypatch.setattr(jinja2.Environment, "getattr", shouting)
    with plain_app.app_context():
        assert flask.render_template_string("{{ row.name }}", row={"name": "x"}) == "X"


def test_getattr_of_a_class_between_flask_and_jinja_environments_is_used():
    import jinja2

    from flask.templating import Environment

    class Redacting(jinja2.Environment):
        def getattr(self, obj: t.Any, attribute: str) -> t.Any:
            return (
                "redacted" if attribute == "secret" else super().getattr(obj, attribute)
            )

    # Flask's environment first: Redacting comes between it and Jinja's in the MRO.
    class Mixed(Environment, Redacting):
        pass

    class App(Flask):
        jinja_environment = Mixed

    app = App("fast_paths_templates")
    row = {"secret": "s3cret", "name": "n"}
    with app.app_context():
        rendered = flask.render_template_string(
            "{{ row.secret }} {{ row.name }}", row=row
        )
    assert rendered == "redacted n"


# URL binding --------------------------------------------------------------------------


def test_untrusted_host_is_refused_when_trusted_hosts_is_set(plain_app):
    plain_app.config["TRUSTED_HOSTS"] = ["good.example"]
    client = plain_app.test_client()
    assert client.get("/text", headers={"Host": "good.example"}).status_code == 200
    assert client.get("/text", headers={"Host": "evil.example"}).status_code == 400


def test_trusted_hosts_set_on_the_request_itself_are_checked(plain_app):
    from werkzeug.exceptions import SecurityError
    from werkzeug.test import EnvironBuilder

    plain_app.test_client().get("/text")
    environ = EnvironBuilder("/text", headers={"Host": "evil.example"}).get_environ()
    request = plain_app.request_class(environ)
    request.trusted_hosts = ["good.example"]
    ctx = flask.ctx.RequestContext(plain_app, environ, request=request)
    assert isinstance(request.routing_exception, SecurityError)
    assert ctx.url_adapter is None


def test_server_name_builds_urls_but_restricts_nothing(plain_app):
    plain_app.config["SERVER_NAME"] = "site.example"
    client = plain_app.test_client()
    assert client.get("/text", headers={"Host": "other.example"}).status_code == 200
    with plain_app.test_request_context("/", headers={"Host": "other.example"}):
        assert flask.url_for("text", _external=True) == "http://site.example/text"


def test_overridden_create_url_adapter_is_used():
    class Custom(Flask):
        def create_url_adapter(self, request: t.Any) -> t.Any:
            adapter = super().create_url_adapter(request)
            if request is not None and adapter is not None:
                adapter.path_info = "/text"
            return adapter

    app = Custom("fast_paths_adapter")
    app.add_url_rule("/text", "text", lambda: "rewritten")
    assert app.test_client().get("/anything").data == b"rewritten"


def _outcome(build: t.Callable[[], str]) -> str | type[BaseException]:
    """What ``build`` returns, or the class of what it raises."""
    try:
        return build()
    except Exception as e:
        return type(e)


def test_host_header_with_invalid_characters_is_bound_as_werkzeug_binds_it(plain_app):
    # Werkzeug's own binding decides what a raw non-ASCII Host header means, and its
    # releases differ: 3.1.0 IDNA-encodes it, later releases treat it as no host.
    with plain_app.test_request_context("/", headers={"Host": "bücher.example"}) as ctx:
        werkzeug_binding = plain_app.url_map.bind_to_environ(ctx.request.environ)
        expected = _outcome(lambda: werkzeug_binding.build("text", force_external=True))
        assert _outcome(lambda: flask.url_for("text", _external=True)) == expected


@pytest.mark.parametrize("script_name", ["/one", "/two/", "/caf%C3%A9", ""])
def test_urls_are_built_under_each_requests_own_script_name(plain_app, script_name):
    # The same host mounted under several prefixes, one request after another.
    for prefix in ["/first", script_name, "/first"]:
        base_url = f"http://localhost{prefix}"
        with plain_app.test_request_context("/", base_url=base_url) as ctx:
            expected = plain_app.url_map.bind_to_environ(ctx.request.environ)
            assert flask.url_for("text") == expected.build("text")


def test_host_with_bad_label_is_a_bad_request(plain_app):
    response = plain_app.test_client().get("/text", headers={"Host": "a..b"})
    assert response.status_code == 400


def _recording_host_request(assigned: list[str]) -> type[flask.Request]:
    # A request class whose host is its own property, with a setter.
    class Recording(flask.Request):
        @property
        def host(self) -> str:
            return "recorded.example"

        @host.setter
        def host(self, value: str) -> None:
            assigned.append(value)

    return Recording


def test_request_class_with_its_own_host_is_assigned_the_host(plain_app):
    assigned: list[str] = []
    plain_app.request_class = _recording_host_request(assigned)
    client = plain_app.test_client()
    assert client.get("/text", headers={"Host": "one.example"}).data == b"plain text"
    assert assigned == ["one.example"]
    with plain_app.test_request_context("/"):
        assert flask.url_for("text", _external=True) == "http://localhost/text"


def test_request_of_another_class_than_the_apps_is_assigned_the_host(plain_app):
    plain_app.test_client().get("/text")  # The plan binds the app's own class.
    assigned: list[str] = []
    request = _recording_host_request(assigned)(
        {**plain_app.test_request_context("/").request.environ}
    )
    with plain_app.request_context(request.environ) as ctx:
        pass
    with flask.ctx.RequestContext(plain_app, request.environ, request=request):
        assert flask.request.host == "recorded.example"
    assert ctx.request.host == "localhost"
    assert assigned == ["localhost"]


# ensure_sync -------------------------------------------------------------------------


def test_overridden_ensure_sync_sees_every_view_and_hook():
    seen = []

    class Custom(Flask):
        def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
            seen.append(func.__name__)
            return super().ensure_sync(func)

    app = Custom("fast_paths_sync")

    @app.before_request
    def before() -> None:
        pass

    @app.route("/")
    def index() -> str:
        return "index"

    client = app.test_client()
    client.get("/")
    client.get("/")
    assert seen == ["before", "index", "before", "index"]


def test_unhashable_callable_view_still_runs(plain_app):
    class Unhashable:
        __name__ = "unhashable"
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> str:
            return "called"

    plain_app.add_url_rule("/odd", "odd", Unhashable())
    assert plain_app.test_client().get("/odd").data == b"called"


# Closing the request ------------------------------------------------------------------


def test_uploaded_files_are_closed_after_the_request(plain_app):
    import io

    uploads = []

    @plain_app.route("/upload", methods=["POST"])
    def upload() -> str:
        uploads.append(flask.request.files["doc"])
        return "stored"

    response = plain_app.test_client().post(
        "/upload", data={"doc": (io.BytesIO(b"content"), "doc.txt")}
    )
    assert response.data == b"stored"
    assert uploads[0].stream.closed


def test_request_subclass_close_is_called(plain_app):
    closed = []

    class Closing(flask.Request):
        def close(self) -> None:
            closed.append(self.path)
            super().close()

    plain_app.request_class = Closing
    plain_app.test_client().get("/text")
    assert closed == ["/text"]


def test_close_replaced_on_the_request_is_called(plain_app):
    closed = []

    @plain_app.before_request
    def replace_close() -> None:
        flask.request.close = lambda: closed.append(True)  # type: ignore[method-assign]

    plain_app.test_client().get("/text")
    assert closed == [True]


# Response serialization ----------------------------------------------------------------


def test_response_subclass_overriding_wsgi_headers_is_used(plain_app):
    class Extra(flask.Response):
        def get_wsgi_headers(self, environ: t.Any) -> t.Any:
            headers = super().get_wsgi_headers(environ)
            headers["X-Wsgi"] = "1"
            return headers

    plain_app.response_class = Extra
    assert plain_app.test_client().get("/text").headers["X-Wsgi"] == "1"


def test_call_on_close_callbacks_run(plain_app):
    closed = []

    @plain_app.route("/closing")
    def closing() -> flask.Response:
        response = flask.make_response("bye")
        response.call_on_close(lambda: closed.append(True))
        return response

    response = plain_app.test_client().get("/closing")
    response.close()
    assert response.data == b"bye"
    assert closed == [True]


def test_non_ascii_location_header_is_encoded(plain_app):
    @plain_app.route("/move")
    def move() -> flask.Response:
        return flask.redirect("/caf\u00e9")

    response = plain_app.test_client().get("/move")
    assert response.headers["Location"] == "/caf%C3%A9"


def test_not_modified_static_file_drops_entity_headers(plain_app, tmp_path):
    (tmp_path / "site.css").write_text("body { color: red }")
    app = Flask(
        "fast_paths_static", static_folder=str(tmp_path), static_url_path="/static"
    )
    client = app.test_client()
    first = client.get("/static/site.css")
    etag = first.headers["ETag"]
    first.close()
    second = client.get("/static/site.css", headers={"If-None-Match": etag})
    second.close()
    assert second.status_code == 304
    # Accept-Ranges is not an entity header; Werkzeug sends it since 3.1.8.
    kept = {"Accept-Ranges"} & set(first.headers.keys())
    assert set(second.headers.keys()) == {
        "Content-Disposition",
        "Cache-Control",
        "ETag",
        "Date",
        *kept,
    }
    assert second.data == b""
    assert "Content-Type" not in second.headers
    assert "Content-Length" not in second.headers
    assert second.headers["ETag"] == etag


# The lazily created command groups -------------------------------------------------


def test_import_flask_does_not_load_click():
    import subprocess
    import sys

    code = "import sys, flask; app = flask.Flask('a'); print('click' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_app_cli_group_is_named_after_the_app():
    from flask.cli import AppGroup

    app = Flask("named_app")
    assert isinstance(app.cli, AppGroup)
    assert app.cli.name == "named_app"
    assert app.cli is app.cli


def test_app_cli_group_can_be_replaced():
    import click

    app = Flask("replaced_cli")
    group = click.Group("custom")
    app.cli = group
    assert app.cli is group


def test_blueprint_subclass_with_its_own_cli_group_is_registered():
    from functools import cached_property

    import click

    from flask.cli import AppGroup

    class WithCommands(flask.Blueprint):
        @cached_property
        def cli(self) -> t.Any:
            group = AppGroup("tools")

            @group.command("hello")
            def hello() -> None:
                click.echo("hello from the blueprint")

            return group

    app = Flask("bp_cli")
    app.register_blueprint(WithCommands("tools", __name__))
    result = app.test_cli_runner().invoke(args=["tools", "hello"])
    assert result.output == "hello from the blueprint\n"


def test_blueprint_without_commands_adds_no_group():
    app = Flask("bp_no_cli")
    app.register_blueprint(flask.Blueprint("quiet", __name__))
    assert "quiet" not in app.cli.commands
