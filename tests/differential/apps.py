"""The application configurations of the differential test.

Each function below builds one application (plus the requests to send it, and any
class patches to apply while they are sent). ``transcribe.py`` answers every request
of every configuration and writes down everything a client, a server, a middleware or
the application's own hooks could observe; the test compares the transcript made with
the fast paths on with the one made with them off.

The functions record what they see in ``log`` (the application's ``extensions["log"]``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import typing as t
from unittest import mock

from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter
from werkzeug.routing import Map
from werkzeug.routing import ValidationError
from werkzeug.wrappers import Response as WerkzeugResponse

import flask
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask.views import MethodView

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static")


@dataclasses.dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    data: bytes | None = None
    base_url: str = "http://localhost/"


@dataclasses.dataclass
class Case:
    app: t.Any
    requests: list[Request]
    patches: list[t.Any] = dataclasses.field(default_factory=list)


CONFIGS: dict[str, t.Callable[[], Case]] = {}


def config(func: t.Callable[[], Case]) -> t.Callable[[], Case]:
    CONFIGS[func.__name__] = func
    return func


def base_app(**options: t.Any) -> Flask:
    """An application with the routes every configuration shares."""
    app = Flask("differential", root_path=HERE, **options)
    app.secret_key = "differential key"
    log: list[str] = []
    app.extensions["log"] = log

    @app.route("/text")
    def text() -> str:
        return "hello \u00e9"

    @app.route("/json")
    def data() -> dict[str, t.Any]:
        return {"b": [1, 2], "a": "\u00e9"}

    @app.route("/created", methods=["GET", "POST"])
    def created() -> tuple[str, int]:
        return "made", 201

    @app.route("/teapot")
    def teapot() -> tuple[dict[str, str], int]:
        return {"short": "stout"}, 418

    @app.route("/unknown-status")
    def unknown_status() -> tuple[str, int]:
        return "odd", 599

    @app.route("/empty")
    def empty() -> tuple[str, int]:
        return "", 204

    @app.route("/write")
    def write() -> str:
        flask.session["visits"] = flask.session.get("visits", 0) + 1
        return f"visit {flask.session['visits']}"

    @app.route("/read")
    def read() -> str:
        return f"visits {flask.session.get('visits')}"

    @app.route("/clear")
    def clear() -> str:
        flask.session.clear()
        return "cleared"

    @app.route("/permanent")
    def permanent() -> str:
        flask.session.permanent = True
        flask.session["p"] = 1
        return "permanent"

    @app.route("/user/<int:user_id>")
    def user(user_id: int) -> str:
        return flask.url_for("user", user_id=user_id + 1, _external=True)

    @app.route("/abort")
    def forbidden() -> str:
        flask.abort(403)

    @app.route("/abort-description")
    def described() -> str:
        flask.abort(409, description="taken <b>already</b>")

    @app.route("/boom")
    def boom() -> str:
        raise ValueError("boom")

    @app.route("/jsonify")
    def via_jsonify() -> flask.Response:
        return flask.jsonify(items=[1, 2, 3])

    @app.route("/bytes")
    def raw_bytes() -> bytes:
        return b"\x00\x01raw"

    @app.route("/list")
    def a_list() -> list[int]:
        return [3, 1, 2]

    @app.route("/headers")
    def with_headers() -> tuple[str, int, dict[str, str]]:
        return "with headers", 202, {"X-One": "1", "Content-Type": "text/plain"}

    @app.route("/stream")
    def stream() -> t.Iterator[str]:
        yield "a"
        yield "b"

    @app.route("/stream-context")
    def stream_context() -> t.Any:
        def generate() -> t.Iterator[str]:
            yield flask.request.path
            yield "!"

        return flask.stream_with_context(generate())

    @app.route("/redirect")
    def moved() -> t.Any:
        return flask.redirect("/caf\u00e9?x=1")

    @app.route("/content-location")
    def content_location() -> flask.Response:
        return flask.Response(b"x", headers={"Content-Location": "/caf\u00e9"})

    @app.route("/conditional")
    def conditional() -> flask.Response:
        response = flask.Response(b"cached body")
        response.set_etag("v1")
        return response.make_conditional(flask.request)

    @app.route("/later")
    def later() -> str:
        @flask.after_this_request
        def stamp(response: flask.Response) -> flask.Response:
            log.append("after_this_request")
            response.headers["X-Later"] = "yes"
            return response

        return "later"

    @app.route("/werkzeug-response")
    def werkzeug_response() -> t.Any:
        return WerkzeugResponse("from werkzeug", mimetype="text/plain")

    @app.route("/wsgi-app")
    def wsgi_app() -> t.Any:
        def tiny(environ: t.Any, start_response: t.Any) -> list[bytes]:
            start_response("200 OK", [("Content-Type", "text/x-tiny")])
            return [b"tiny"]

        return tiny

    @app.route("/flash")
    def flashing() -> str:
        flask.flash("hello")
        return "flashed"

    @app.route("/template")
    def template() -> str:
        return flask.render_template_string(
            "{{ row.name }} {{ request.path }} {{ g.get('x') }}", row={"name": "n"}
        )

    @app.route("/large")
    def large() -> str:
        return "x" * 100_000

    @app.route("/bytes-created")
    def bytes_created() -> tuple[bytes, int]:
        return b"raw made", 201

    @app.route("/list-created")
    def list_created() -> tuple[list[int], int]:
        return [1, 2], 201

    @app.route("/response-accepted")
    def response_accepted() -> tuple[flask.Response, int]:
        return flask.Response("object"), 202

    @app.route("/instance-headers")
    def instance_headers() -> flask.Response:
        response = flask.Response(b"instance")
        general = response.get_wsgi_headers

        def get_wsgi_headers(environ: t.Any) -> t.Any:
            headers = general(environ)
            headers["X-Instance"] = "1"
            return headers

        response.get_wsgi_headers = get_wsgi_headers  # type: ignore[method-assign]
        return response

    @app.route("/not-modified-elsewhere")
    def not_modified_elsewhere() -> flask.Response:
        return flask.Response(
            status=304, headers={"Content-Location": "/caf\u00e9", "ETag": '"e"'}
        )

    @app.route("/passthrough")
    def passthrough() -> flask.Response:
        return flask.Response([b"passed ", b"through"], direct_passthrough=True)

    return app


COMMON = [
    Request("/text"),
    Request("/text", method="HEAD"),
    Request("/json"),
    Request("/json", method="HEAD"),
    Request("/created"),
    Request("/created", method="POST", data=b"x=1"),
    Request("/teapot"),
    Request("/unknown-status"),
    Request("/empty"),
    Request("/missing"),
    Request("/missing", method="HEAD"),
    Request("/text", method="POST"),
    Request("/text", method="OPTIONS"),
    Request("/user/41"),
    Request("/abort"),
    Request("/abort-description"),
    Request("/boom"),
    Request("/jsonify"),
    Request("/bytes"),
    Request("/list"),
    Request("/headers"),
    Request("/stream"),
    Request("/stream-context"),
    Request("/redirect"),
    Request("/content-location"),
    Request("/conditional"),
    Request("/conditional", headers={"If-None-Match": '"v1"'}),
    Request("/later"),
    Request("/werkzeug-response"),
    Request("/wsgi-app"),
    Request("/template"),
    Request("/large"),
    Request("/passthrough"),
    Request("/bytes-created"),
    Request("/list-created"),
    Request("/response-accepted"),
    Request("/instance-headers"),
    Request("/not-modified-elsewhere"),
    Request("/static/style.css"),
    Request("/static/style.css", headers={"If-None-Match": "will-be-replaced"}),
    Request("/static/missing.css"),
    Request("/text", headers={"Upgrade": "websocket", "Connection": "Upgrade"}),
    Request("/text", base_url="http://xn--/"),
    Request("/text", base_url="http://B\u00fccher.example/"),
    Request("/text", base_url="http://example.com:8080/"),
    Request("/user/1", base_url="http://localhost/mount/"),
    Request("/text", headers={"Cookie": "other=1"}),
    Request("/text", headers={"Cookie": "session=forged.value.sig"}),
]

SESSION_FLOW = [
    Request("/read"),
    Request("/write"),
    Request("/write"),
    Request("/read"),
    Request("/text"),
    Request("/json"),
    Request("/created"),
    Request("/missing"),
    Request("/permanent"),
    Request("/text"),
    Request("/flash"),
    Request("/text"),
    Request("/clear"),
    Request("/text"),
]

REQUESTS = COMMON + SESSION_FLOW


def recorder(log: list[str], name: str) -> t.Callable[..., t.Any]:
    def record(*args: t.Any, **kwargs: t.Any) -> t.Any:
        log.append(f"{name} {sorted(kwargs)}")
        return args[0] if args and isinstance(args[0], flask.Response) else None

    return record


def case(app: Flask, *patches: t.Any) -> Case:
    return Case(app, REQUESTS, list(patches))


# Plain applications -------------------------------------------------------------------


@config
def plain() -> Case:
    return case(base_app())


@config
def no_secret_key() -> Case:
    app = base_app()
    app.secret_key = None
    return case(app)


@config
def debug_mode() -> Case:
    app = base_app()
    app.debug = True
    return case(app)


@config
def testing_mode() -> Case:
    app = base_app()
    app.testing = True
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return case(app)


@config
def trap_http_exceptions() -> Case:
    app = base_app()
    app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @app.errorhandler(Exception)
    def everything(e: Exception) -> tuple[str, int]:
        return f"trapped {type(e).__name__}", 500

    return case(app)


# Hooks and signals --------------------------------------------------------------------


@config
def after_request_hook() -> Case:
    app = base_app()
    log = app.extensions["log"]

    @app.after_request
    def stamp(response: flask.Response) -> flask.Response:
        log.append(f"after_request {response.status_code}")
        response.headers["X-Stamp"] = "1"
        return response

    return case(app)


@config
def before_request_short_circuit() -> Case:
    app = base_app()

    @app.before_request
    def gate() -> str | None:
        if flask.request.path == "/json":
            return "stopped early"
        return None

    return case(app)


@config
def teardown_functions() -> Case:
    app = base_app()
    log = app.extensions["log"]

    @app.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        log.append(f"teardown_request {type(exc).__name__}")

    @app.teardown_appcontext
    def teardown_appcontext(exc: BaseException | None) -> None:
        log.append(f"teardown_appcontext {type(exc).__name__}")

    return case(app)


def connect(app: Flask, signal: t.Any) -> None:
    log = app.extensions["log"]

    def receiver(sender: t.Any, **extra: t.Any) -> None:
        described = {
            key: type(value).__name__ if key != "response" else value.status
            for key, value in extra.items()
        }
        log.append(f"{signal.name} {sorted(described.items())}")

    app.extensions.setdefault("receivers", []).append(receiver)
    signal.connect(receiver, app)


def signal_config(signal: t.Any) -> t.Callable[[], Case]:
    def build() -> Case:
        app = base_app()
        connect(app, signal)
        return case(app)

    build.__name__ = f"signal_{signal.name.replace('-', '_')}"
    return config(build)


#: Every signal the framework sends.
SIGNALS = (
    flask.request_started,
    flask.request_finished,
    flask.request_tearing_down,
    flask.got_request_exception,
    flask.appcontext_pushed,
    flask.appcontext_popped,
    flask.appcontext_tearing_down,
    flask.template_rendered,
    flask.before_render_template,
    flask.message_flashed,
)

for _signal in SIGNALS:
    signal_config(_signal)


@config
def request_started_send_patched() -> Case:
    app = base_app()
    log = app.extensions["log"]
    original = type(flask.request_started).send

    def send(*args: t.Any, **kwargs: t.Any) -> t.Any:
        log.append("request_started.send")
        return original(flask.request_started, *args, **kwargs)

    return case(app, mock.patch.object(flask.request_started, "send", send))


@config
def request_finished_send_patched() -> Case:
    app = base_app()
    log = app.extensions["log"]
    original = type(flask.request_finished).send

    def send(*args: t.Any, **kwargs: t.Any) -> t.Any:
        log.append(f"request_finished.send {kwargs['response'].status}")
        return original(flask.request_finished, *args, **kwargs)

    return case(app, mock.patch.object(flask.request_finished, "send", send))


# Lifecycle overrides ------------------------------------------------------------------

LIFECYCLE = [
    "full_dispatch_request",
    "finalize_request",
    "make_response",
    "process_response",
    "preprocess_request",
    "dispatch_request",
    "handle_http_exception",
    "handle_user_exception",
    "handle_exception",
    "create_url_adapter",
    "ensure_sync",
    "do_teardown_request",
    "log_exception",
]


def subclass_config(method: str) -> t.Callable[[], Case]:
    def build() -> Case:
        def override(self: Flask, *args: t.Any, **kwargs: t.Any) -> t.Any:
            self.extensions["log"].append(f"subclass {method}")
            return getattr(Flask, method)(self, *args, **kwargs)

        cls = type("Custom", (Flask,), {method: override})
        app = base_app()
        app.__class__ = cls
        return case(app)

    build.__name__ = f"subclass_{method}"
    return config(build)


def patched_config(method: str) -> t.Callable[[], Case]:
    def build() -> Case:
        app = base_app()
        original = getattr(Flask, method)

        def replacement(self: Flask, *args: t.Any, **kwargs: t.Any) -> t.Any:
            self.extensions["log"].append(f"patched {method}")
            return original(self, *args, **kwargs)

        return case(app, mock.patch.object(Flask, method, replacement))

    build.__name__ = f"patched_{method}"
    return config(build)


for _method in LIFECYCLE:
    subclass_config(_method)
for _method in ("full_dispatch_request", "make_response", "process_response"):
    patched_config(_method)


@config
def instance_process_response() -> Case:
    app = base_app()
    log = app.extensions["log"]
    original = app.process_response

    def process_response(response: flask.Response) -> flask.Response:
        log.append("instance process_response")
        return original(response)

    app.process_response = process_response  # type: ignore[method-assign]
    return case(app)


# Response classes and JSON providers ---------------------------------------------------


@config
def custom_response_class() -> Case:
    app = base_app()

    class Custom(flask.Response):
        default_mimetype = "text/plain"

    app.response_class = Custom
    return case(app)


@config
def response_subclass_overriding_headers() -> Case:
    app = base_app()

    class Custom(flask.Response):
        def get_wsgi_headers(self, environ: t.Any) -> t.Any:
            headers = super().get_wsgi_headers(environ)
            headers["X-Custom"] = "1"
            return headers

    app.response_class = Custom
    return case(app)


@config
def response_class_patched() -> Case:
    app = base_app()
    original = flask.Response.get_wsgi_headers

    def get_wsgi_headers(self: flask.Response, environ: t.Any) -> t.Any:
        headers = original(self, environ)
        headers["X-Patched"] = "1"
        return headers

    return case(
        app, mock.patch.object(flask.Response, "get_wsgi_headers", get_wsgi_headers)
    )


@config
def no_automatic_content_length() -> Case:
    return case(
        base_app(),
        mock.patch.object(flask.Response, "automatically_set_content_length", False),
    )


@config
def default_mimetype_changed() -> Case:
    return case(
        base_app(), mock.patch.object(flask.Response, "default_mimetype", "text/plain")
    )


@config
def json_provider_subclass() -> Case:
    app = base_app()

    class Unsorted(DefaultJSONProvider):
        sort_keys = False

    app.json = Unsorted(app)
    return case(app)


@config
def json_provider_settings() -> Case:
    app = base_app()
    app.json.compact = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.mimetype = "application/vnd.test+json"  # type: ignore[attr-defined]
    return case(app)


@config
def json_provider_of_its_own() -> Case:
    import json

    app = base_app()

    class Plain(flask.json.provider.JSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return json.dumps(obj, separators=(", ", ": "))

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return json.loads(s)

    app.json = Plain(app)
    return case(app)


@config
def json_response_on_the_instance() -> Case:
    app = base_app()
    general = app.json.response

    def response(*args: t.Any, **kwargs: t.Any) -> t.Any:
        result = general(*args, **kwargs)
        result.headers["X-Json"] = "instance"
        return result

    app.json.response = response  # type: ignore[method-assign]
    return case(app)


@config
def json_response_patched() -> Case:
    app = base_app()
    original = DefaultJSONProvider.response

    def response(self: DefaultJSONProvider, *args: t.Any, **kwargs: t.Any) -> t.Any:
        result = original(self, *args, **kwargs)
        result.headers["X-Json"] = "patched"
        return result

    return case(app, mock.patch.object(DefaultJSONProvider, "response", response))


# Sessions -----------------------------------------------------------------------------


@config
def session_cookie_settings() -> Case:
    app = base_app()
    app.config.update(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="localhost.local",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
        SESSION_COOKIE_HTTPONLY=False,
    )
    return case(app)


@config
def session_no_refresh() -> Case:
    app = base_app()
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    return case(app)


@config
def session_key_rotation() -> Case:
    app = base_app()
    app.config["SECRET_KEY_FALLBACKS"] = ["older key"]
    return case(app)


@config
def session_cookie_too_large() -> Case:
    app = base_app()
    app.config["MAX_COOKIE_SIZE"] = 40
    return case(app)


@config
def session_interface_subclass() -> Case:
    app = base_app()

    class Custom(SecureCookieSessionInterface):
        salt = "another salt"

    app.session_interface = Custom()
    return case(app)


@config
def session_interface_instance_setting() -> Case:
    app = base_app()
    interface = SecureCookieSessionInterface()
    interface.salt = "instance salt"
    app.session_interface = interface
    return case(app)


@config
def session_interface_patched() -> Case:
    app = base_app()
    log = app.extensions["log"]
    original = SecureCookieSessionInterface.save_session

    def save_session(self: t.Any, app: Flask, session: t.Any, response: t.Any) -> None:
        log.append(f"save_session {type(response).__name__}")
        original(self, app, session, response)

    return case(
        app,
        mock.patch.object(SecureCookieSessionInterface, "save_session", save_session),
    )


@config
def session_open_patched() -> Case:
    app = base_app()
    log = app.extensions["log"]
    original = SecureCookieSessionInterface.open_session

    def open_session(self: t.Any, app: Flask, request: t.Any) -> t.Any:
        log.append("open_session")
        return original(self, app, request)

    return case(
        app,
        mock.patch.object(SecureCookieSessionInterface, "open_session", open_session),
    )


# Routing and hosts --------------------------------------------------------------------


@config
def trusted_hosts() -> Case:
    app = base_app()
    app.config["TRUSTED_HOSTS"] = ["localhost", ".example.com"]
    return case(app)


@config
def request_class_trusted_hosts() -> Case:
    app = base_app()

    class Strict(flask.Request):
        trusted_hosts = ["localhost"]

    app.request_class = Strict
    return case(app)


@config
def request_trusting_per_instance() -> Case:
    app = base_app()

    class Strict(flask.Request):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.trusted_hosts = ["localhost"]

    app.request_class = Strict
    return case(app)


@config
def server_name() -> Case:
    app = base_app()
    app.config["SERVER_NAME"] = "localhost"
    return case(app)


@config
def subdomain_matching() -> Case:
    app = base_app(subdomain_matching=True)
    app.config["SERVER_NAME"] = "localhost"

    @app.route("/sub", subdomain="<name>")
    def sub(name: str) -> str:
        return f"subdomain {name}"

    result = case(app)
    result.requests = result.requests + [
        Request("/sub", base_url="http://api.localhost/")
    ]
    return result


@config
def host_matching() -> Case:
    app = Flask(
        "differential", root_path=HERE, host_matching=True, static_host="localhost"
    )
    app.secret_key = "k"
    app.extensions["log"] = []

    @app.route("/text", host="localhost")
    def text() -> str:
        return "host text"

    @app.route("/where", host="<name>.test")
    def where(name: str) -> str:
        return " ".join(
            [
                flask.url_for("where", name="x"),
                flask.url_for("where", name=name, _external=True),
                flask.url_for("text"),
                flask.request.host,
                flask.request.url,
            ]
        )

    return Case(
        app,
        [
            Request("/text"),
            Request("/text", base_url="http://other/"),
            Request("/where", base_url="http://abc.test/"),
            Request("/where", base_url="http://abc.test:8080/"),
            Request("/where", base_url="https://ABC.test/"),
            Request("/missing", base_url="http://abc.test/"),
        ],
    )


@config
def url_map_subclass() -> Case:
    class CustomMap(Map):
        def bind_to_environ(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            adapter = super().bind_to_environ(*args, **kwargs)
            adapter.script_name = "/custom/"
            return adapter

    class CustomApp(Flask):
        url_map_class = CustomMap

    app = base_app()
    original = app.url_map
    app.url_map = CustomMap()
    for rule in original.iter_rules():
        app.url_map.add(rule.empty())
    app.__class__ = CustomApp
    return case(app)


@config
def proxy_fix() -> Case:
    app = base_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    result = case(app)
    result.requests = result.requests + [
        Request(
            "/user/1",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.test"},
        )
    ]
    return result


@config
def application_root() -> Case:
    app = base_app()
    app.config["APPLICATION_ROOT"] = "/mount"
    return case(app)


# Blueprints, views, handlers ------------------------------------------------------------


@config
def blueprints() -> Case:
    app = base_app()
    log = app.extensions["log"]
    parent = flask.Blueprint("parent", __name__, url_prefix="/p")
    child = flask.Blueprint("child", __name__, url_prefix="/c")

    @child.route("/leaf")
    def leaf() -> str:
        return flask.url_for(".leaf")

    @child.after_request
    def child_after(response: flask.Response) -> flask.Response:
        log.append("child after_request")
        return response

    @parent.route("/json")
    def parent_json() -> dict[str, str]:
        return {"bp": flask.request.blueprint or ""}

    @parent.errorhandler(404)
    def parent_missing(e: Exception) -> tuple[str, int]:
        return "parent says missing", 404

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    result = case(app)
    result.requests = result.requests + [
        Request("/p/c/leaf"),
        Request("/p/json"),
        Request("/p/nothing"),
    ]
    return result


@config
def error_handlers() -> Case:
    app = base_app()

    @app.errorhandler(404)
    def missing(e: Exception) -> tuple[str, int]:
        return "custom missing", 404

    @app.errorhandler(ValueError)
    def value_error(e: Exception) -> tuple[dict[str, str], int]:
        return {"error": str(e)}, 400

    @app.errorhandler(500)
    def server_error(e: Exception) -> tuple[str, int]:
        return "custom 500", 500

    return case(app)


@config
def http_exception_subclass() -> Case:
    app = base_app()

    class Gone(HTTPException):
        code = 410
        description = "gone away"

        def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
            return f"<gone>{self.description}</gone>"

    @app.route("/gone")
    def gone() -> str:
        raise Gone()

    class NoContent(HTTPException):
        code = 204
        description = "nothing to say"

    class Uncoded(HTTPException):
        description = "no code at all"

    @app.route("/with-response")
    def with_response() -> str:
        flask.abort(flask.Response("attached", status=402))

    @app.route("/no-content")
    def no_content() -> str:
        raise NoContent()

    @app.route("/uncoded")
    def uncoded() -> str:
        raise Uncoded()

    result = case(app)
    result.requests = result.requests + [
        Request("/gone"),
        Request("/with-response"),
        Request("/no-content"),
        Request("/no-content", method="HEAD"),
        Request("/uncoded"),
    ]
    return result


@config
def http_exception_patched() -> Case:
    app = base_app()

    def get_description(self: HTTPException, *args: t.Any, **kwargs: t.Any) -> str:
        return "patched description"

    return case(app, mock.patch.object(NotFound, "get_description", get_description))


@config
def method_views() -> Case:
    app = base_app()

    class Item(MethodView):
        def get(self, item_id: int) -> dict[str, int]:
            return {"id": item_id}

        def post(self, item_id: int) -> tuple[str, int]:
            return "posted", 201

    app.add_url_rule("/item/<int:item_id>", view_func=Item.as_view("item"))
    result = case(app)
    result.requests = result.requests + [
        Request("/item/3"),
        Request("/item/3", method="POST"),
        Request("/item/3", method="DELETE"),
    ]
    return result


@config
def routing_shapes() -> Case:
    # Rules of every shape the direct matching answers or leaves to Werkzeug.
    app = base_app()
    log = app.extensions["log"]

    class Even(BaseConverter):
        def to_python(self, value: str) -> int:
            log.append(f"even {value}")
            if int(value) % 2:
                raise ValidationError()
            return int(value)

    app.url_map.converters["even"] = Even

    def show(**values: t.Any) -> str:
        return repr(sorted(values.items()))

    for rule, endpoint, options in [
        ("/n/<int:n>/<name>", "n_name", {}),
        ("/n/<name>", "name", {}),
        ("/f/<float:x>", "float", {}),
        ("/u/<uuid:u>", "uuid", {}),
        ("/any/<any(red, blue):colour>", "any", {}),
        ("/files/<path:name>", "files", {}),
        ("/tree/<path:name>/", "tree", {}),
        ("/dir/<name>/", "dir", {}),
        ("/loose/<name>", "loose", {"strict_slashes": False}),
        ("/limited/<int(max=9):n>", "limited", {}),
        ("/only-put/<int:n>", "only_put", {"methods": ["PUT"]}),
        ("/page/", "page", {"defaults": {"n": 1}}),
        ("/page/<int:n>", "page", {}),
        ("/old/<int:n>", "old", {"redirect_to": "/n/<n>"}),
        ("/alias/<int:n>", "aliased", {"alias": True}),
        ("/canonical/<int:n>", "aliased", {}),
        ("/even/<even:n>", "even", {}),
        ("/many/" + "-".join(f"<int:a{i}>" for i in range(11)), "many", {}),
    ]:
        app.add_url_rule(rule, endpoint, show, **options)
    result = case(app)
    result.requests = result.requests + [
        Request(path)
        for path in [
            "/n/7/x", "/n/7", "/n/x/", "/n//7/x", "/f/2.5", f"/u/{'0' * 32}",
            "/any/red", "/any/green", "/files/a/b", "/tree/a/b", "/tree/a/b/",
            "/dir/x", "/dir/x/", "/loose/x/", "/limited/3", "/limited/10",
            "/only-put/3", "/page/1", "/page/2", "/old/5", "/alias/4",
            "/canonical/4", "/even/4", "/even/5", "/many/" + "-".join(map(str, range(11))),
            "/n/caf\u00e9", "/nothing/here",
        ]
    ] + [Request("/only-put/3", method="PUT"), Request("/n/7/x", method="HEAD")]  # fmt: skip
    return result


@config
def url_processors() -> Case:
    app = base_app()

    @app.url_defaults
    def defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", "en") if endpoint == "page" else None

    @app.url_value_preprocessor
    def pull(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        flask.g.lang = (values or {}).pop("lang", None)

    @app.route("/<lang>/page")
    def page() -> str:
        return f"{flask.g.lang} {flask.url_for('page')}"

    result = case(app)
    result.requests = result.requests + [Request("/de/page")]
    return result


@config
def async_views() -> Case:
    app = base_app()
    log = app.extensions["log"]

    @app.before_request
    async def before() -> None:
        log.append("async before_request")

    @app.route("/async")
    async def async_view() -> str:
        return "async hello"

    @app.route("/async-json")
    async def async_json() -> dict[str, int]:
        return {"async": 1}

    result = case(app)
    result.requests = result.requests + [Request("/async"), Request("/async-json")]
    return result


@config
def copied_request_context() -> Case:
    app = base_app()
    log = app.extensions["log"]

    @app.route("/copy")
    def copy() -> str:
        @flask.copy_current_request_context
        def inside() -> str:
            return flask.session.get("visits", "none")  # type: ignore[no-any-return]

        log.append(f"copied {inside()}")
        return "copied"

    result = case(app)
    result.requests = result.requests + [Request("/copy")]
    return result


@config
def vary_already_set() -> Case:
    app = base_app()

    @app.route("/vary")
    def vary() -> flask.Response:
        flask.session.get("visits")
        response = flask.make_response("vary")
        response.vary.add("Accept-Encoding")
        return response

    result = case(app)
    result.requests = result.requests + [Request("/vary")]
    return result


@config
def closing_iterator_patched() -> Case:
    from werkzeug.wsgi import ClosingIterator

    app = base_app()
    log = app.extensions["log"]
    original = ClosingIterator.__init__

    def init(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        log.append("ClosingIterator.__init__")
        original(self, *args, **kwargs)

    return case(app, mock.patch.object(ClosingIterator, "__init__", init))


@contextlib.contextmanager
def applied(patches: list[t.Any]) -> t.Iterator[None]:
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield
