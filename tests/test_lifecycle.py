"""The request lifecycle: what runs during one request, and in which order."""

from __future__ import annotations

import contextlib
import io
import typing as t

import pytest
from werkzeug.routing import BaseConverter
from werkzeug.test import EnvironBuilder

import flask
from flask.ctx import AppContext
from flask.ctx import RequestContext
from flask.sessions import NullSession
from flask.sessions import SecureCookieSession
from flask.sessions import SessionInterface


@contextlib.contextmanager
def _listening(app: flask.Flask, log: list[t.Any], *signals: t.Any) -> t.Iterator[None]:
    """Record the name of each of ``signals`` sent by ``app`` while the block runs."""
    with contextlib.ExitStack() as stack:
        for signal in signals:

            def receiver(
                sender: t.Any, _name: str = signal.name, **kwargs: t.Any
            ) -> None:
                log.append(f"signal:{_name}")

            stack.enter_context(signal.connected_to(receiver, sender=app))
        yield


class _RecordingSessionInterface(SessionInterface):
    """Keeps sessions in memory and notes when they are opened and saved."""

    def __init__(self, log: list[t.Any], give_null: bool = False) -> None:
        self.log = log
        self.give_null = give_null
        self.saved: list[t.Any] = []

    def open_session(
        self, app: flask.Flask, request: flask.Request
    ) -> SecureCookieSession | None:
        self.log.append("open_session")
        if self.give_null:
            return None
        return SecureCookieSession({"visits": 1})

    def save_session(
        self, app: flask.Flask, session: t.Any, response: flask.Response
    ) -> None:
        self.log.append("save_session")
        self.saved.append(session)


def _build_traced_app(app: flask.Flask, log: list[t.Any]) -> None:
    """Register a hook of every kind on the app and on two nested blueprints, each
    appending its own label to ``log``."""

    class TracingConverter(BaseConverter):
        def to_python(self, value: str) -> str:
            log.append("url matched")
            return value

    class TracingRequest(flask.Request):
        def close(self) -> None:
            log.append("request.close")
            super().close()

    class TracingResponse(flask.Response):
        def __call__(self, environ: t.Any, start_response: t.Any) -> t.Any:
            log.append("response sent")
            return super().__call__(environ, start_response)

    app.url_map.converters["traced"] = TracingConverter
    app.request_class = TracingRequest
    app.response_class = TracingResponse
    app.session_interface = _RecordingSessionInterface(log)

    outer = flask.Blueprint("outer", __name__, url_prefix="/outer")
    inner = flask.Blueprint("inner", __name__, url_prefix="/inner")

    def add_scope_hooks(scope: flask.Flask | flask.Blueprint, label: str) -> None:
        @scope.url_value_preprocessor
        def preprocess(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
            log.append(f"url_value_preprocessor {label}")

        @scope.before_request
        def before() -> None:
            log.append(f"before_request {label}")

        for n in (1, 2):

            def after(response: flask.Response, _n: int = n) -> flask.Response:
                log.append(f"after_request {label} #{_n}")
                return response

            scope.after_request(after)

            def teardown(exc: BaseException | None, _n: int = n) -> None:
                log.append(f"teardown_request {label} #{_n}")

            scope.teardown_request(teardown)

    add_scope_hooks(app, "app")
    add_scope_hooks(outer, "outer")
    add_scope_hooks(inner, "inner")

    for n in (1, 2):

        def teardown_app(exc: BaseException | None, _n: int = n) -> None:
            log.append(f"teardown_appcontext #{_n}")

        app.teardown_appcontext(teardown_app)

    @inner.route("/<traced:name>")
    def greet(name: str) -> str:
        log.append("view")

        for n in (1, 2):

            def once(response: flask.Response, _n: int = n) -> flask.Response:
                log.append(f"after_this_request #{_n}")
                return response

            flask.after_this_request(once)
        return f"hello {name}"

    outer.register_blueprint(inner)
    app.register_blueprint(outer)


def test_every_hook_and_signal_runs_in_the_documented_order(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    log: list[t.Any] = []
    _build_traced_app(app, log)

    with _listening(
        app,
        log,
        flask.appcontext_pushed,
        flask.request_started,
        flask.request_finished,
        flask.got_request_exception,
        flask.request_tearing_down,
        flask.appcontext_tearing_down,
        flask.appcontext_popped,
    ):
        response = client.get("/outer/inner/world")

    assert response.status_code == 200
    assert response.data == b"hello world"
    assert log == [
        "signal:appcontext-pushed",
        "open_session",
        "url matched",
        "signal:request-started",
        "url_value_preprocessor app",
        "url_value_preprocessor outer",
        "url_value_preprocessor inner",
        "before_request app",
        "before_request outer",
        "before_request inner",
        "view",
        "after_this_request #1",
        "after_this_request #2",
        "after_request inner #2",
        "after_request inner #1",
        "after_request outer #2",
        "after_request outer #1",
        "after_request app #2",
        "after_request app #1",
        "save_session",
        "signal:request-finished",
        "response sent",
        "teardown_request inner #2",
        "teardown_request inner #1",
        "teardown_request outer #2",
        "teardown_request outer #1",
        "teardown_request app #2",
        "teardown_request app #1",
        "signal:request-tearing-down",
        "request.close",
        "teardown_appcontext #2",
        "teardown_appcontext #1",
        "signal:appcontext-tearing-down",
        "signal:appcontext-popped",
    ]


def test_request_under_active_app_context_reuses_it_and_leaves_it_pushed(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    log: list[t.Any] = []
    _build_traced_app(app, log)

    with app.app_context():
        flask.g.marker = "outer g"

        @app.before_request
        def read_g() -> None:
            log.append(flask.g.get("marker"))

        with _listening(app, log, flask.appcontext_pushed, flask.appcontext_popped):
            client.get("/outer/inner/x")
        assert flask.g.marker == "outer g"
        assert "outer g" in log
        # No app context of its own: nothing pushed, popped or torn down.
        assert [entry for entry in log if "appcontext" in entry] == []

    assert log[-2:] == ["teardown_appcontext #2", "teardown_appcontext #1"]


def test_before_request_response_short_circuits_view_and_later_hooks(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    log: list[str] = []
    bp = flask.Blueprint("shop", __name__)

    @app.before_request
    def gate() -> tuple[str, int]:
        log.append("gate")
        return "closed for today", 403

    @app.before_request
    def never_app() -> None:
        log.append("second app before_request")

    @bp.before_request
    def never_bp() -> None:
        log.append("blueprint before_request")

    @bp.route("/buy")
    def buy() -> str:
        log.append("view")
        return "bought"

    @bp.after_request
    def stamp_bp(response: flask.Response) -> flask.Response:
        log.append(f"blueprint after_request saw {response.status_code}")
        return response

    @app.after_request
    def stamp(response: flask.Response) -> flask.Response:
        log.append(f"app after_request saw {response.status_code}")
        response.headers["X-Stamped"] = "yes"
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        log.append(f"teardown {exc!r}")

    app.register_blueprint(bp)
    response = client.get("/buy")

    assert response.status_code == 403
    assert response.data == b"closed for today"
    assert response.headers["X-Stamped"] == "yes"
    assert log == [
        "gate",
        "blueprint after_request saw 403",
        "app after_request saw 403",
        "teardown None",
    ]


def test_url_value_preprocessor_runs_before_before_request_and_can_edit_values(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.url_value_preprocessor
    def take_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        flask.g.lang = values.pop("lang")

    @app.before_request
    def check() -> None:
        flask.g.seen_in_before = flask.g.lang

    @app.route("/<lang>/about")
    def about() -> str:
        return f"{flask.g.lang} {flask.g.seen_in_before}"

    assert client.get("/fr/about").data == b"fr fr"


def test_after_request_return_value_replaces_response(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.after_request
    def swap(response: flask.Response) -> flask.Response:
        return flask.Response("replacement", status=202)

    @app.route("/")
    def index() -> str:
        return "original"

    response = client.get("/")
    assert response.status_code == 202
    assert response.data == b"replacement"


def _record_teardowns(app: flask.Flask, seen: dict[str, list[t.Any]]) -> None:
    @app.teardown_request
    def on_request(exc: BaseException | None) -> None:
        seen.setdefault("teardown_request", []).append(exc)

    @app.teardown_appcontext
    def on_app(exc: BaseException | None) -> None:
        seen.setdefault("teardown_appcontext", []).append(exc)

    def on_signal(sender: flask.Flask, exc: BaseException | None, **kw: t.Any) -> None:
        seen.setdefault("request_tearing_down", []).append(exc)

    # Held on the app so that the weak reference blinker keeps stays alive.
    app.extensions["test_on_signal"] = on_signal
    flask.request_tearing_down.connect(on_signal, app)


def test_teardown_receives_none_after_a_successful_request(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)

    @app.route("/")
    def index() -> str:
        return "fine"

    assert client.get("/").status_code == 200
    assert seen == {
        "teardown_request": [None],
        "teardown_appcontext": [None],
        "request_tearing_down": [None],
    }


def test_teardown_receives_exception_that_propagates_to_test_client(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)
    boom = ValueError("view failed")

    @app.route("/")
    def index() -> str:
        raise boom

    with pytest.raises(ValueError) as info:
        client.get("/")

    assert info.value is boom
    assert seen == {
        "teardown_request": [boom],
        "teardown_appcontext": [boom],
        "request_tearing_down": [boom],
    }
    assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_teardown_receives_exception_turned_into_500(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)
    boom = LookupError("no such thing")

    @app.route("/")
    def index() -> str:
        raise boom

    response = client.get("/")

    assert response.status_code == 500
    assert seen["teardown_request"] == [boom]
    assert seen["teardown_appcontext"] == [boom]


def test_teardown_receives_none_when_error_handler_dealt_with_exception(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)

    @app.errorhandler(KeyError)
    def missing(e: KeyError) -> tuple[str, int]:
        return "handled", 410

    @app.route("/")
    def index() -> str:
        raise KeyError("gone")

    response = client.get("/")

    assert response.status_code == 410
    assert seen["teardown_request"] == [None]
    assert seen["teardown_appcontext"] == [None]


class _Abandon(BaseException):
    """A BaseException that is not an Exception, like KeyboardInterrupt."""


@pytest.mark.parametrize("exc_class", [KeyboardInterrupt, SystemExit, _Abandon])
def test_base_exception_is_not_handled_but_teardown_sees_it_and_context_pops(
    app: flask.Flask, client: flask.testing.FlaskClient, exc_class: type
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)
    handled: list[t.Any] = []
    raised = exc_class()

    @app.errorhandler(500)
    def server_error(e: Exception) -> str:
        handled.append(e)
        return "handled"

    def on_exception(
        sender: flask.Flask, exception: BaseException, **kw: t.Any
    ) -> None:
        handled.append(exception)

    @app.route("/")
    def index() -> str:
        raise raised

    with flask.got_request_exception.connected_to(on_exception, app):
        with pytest.raises(exc_class) as info:
            client.get("/")

    assert info.value is raised
    assert handled == []
    assert seen["teardown_request"] == [raised]
    assert seen["teardown_appcontext"] == [raised]
    assert not flask.has_request_context()
    assert not flask.has_app_context()


def test_first_request_finishes_setup(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.route("/")
    def index() -> str:
        return "hi"

    # Before any request, setup methods may still be called.
    app.add_url_rule("/early", "early", lambda: "early")
    assert client.get("/early").data == b"early"

    with pytest.raises(AssertionError, match="'add_url_rule' can no longer be called"):
        app.add_url_rule("/late", "late", lambda: "late")
    with pytest.raises(AssertionError, match="'before_request' can no longer"):
        app.before_request(lambda: None)


def test_setup_is_finished_even_during_the_first_request(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    errors: list[str] = []

    @app.route("/")
    def index() -> str:
        try:
            app.add_url_rule("/sneaky", "sneaky", lambda: "sneaky")
        except AssertionError as e:
            errors.append(str(e))
        return "hi"

    client.get("/")
    assert len(errors) == 1
    assert "already handled its first request" in errors[0]


def test_preserve_context_callback_receives_app_and_request_contexts(
    app: flask.Flask,
) -> None:
    events: list[t.Any] = []

    @app.route("/keep")
    def keep() -> str:
        flask.g.note = "from view"
        return "kept"

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    environ = EnvironBuilder(path="/keep").get_environ()
    environ["werkzeug.debug.preserve_context"] = events.append
    statuses: list[str] = []
    body = b"".join(app.wsgi_app(environ, lambda s, h, e=None: statuses.append(s)))

    assert body == b"kept"
    assert statuses == ["200 OK"]
    assert [type(e) for e in events] == [AppContext, RequestContext, str]
    app_ctx, req_ctx = events[0], events[1]
    assert app_ctx.app is app
    assert app_ctx.g.note == "from view"
    assert req_ctx.app is app
    assert req_ctx.request.path == "/keep"
    assert events[2] == "teardown"
    # Handing the contexts over does not leave them pushed.
    assert not flask.has_app_context()


def test_session_opened_at_push_and_saved_after_after_request_functions(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    log: list[t.Any] = []
    interface = _RecordingSessionInterface(log)
    app.session_interface = interface

    @app.before_request
    def before() -> None:
        log.append(f"before_request visits={flask.session['visits']}")

    @app.route("/")
    def index() -> str:
        flask.session["visits"] += 1
        log.append("view")
        return "counted"

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        log.append("after_request")
        return response

    with app.test_request_context("/"):
        # Pushing the context opens the session.
        assert log == ["open_session"]
        assert flask.session["visits"] == 1
    assert log == ["open_session"]

    log.clear()
    client.get("/")
    assert log == [
        "open_session",
        "before_request visits=1",
        "view",
        "after_request",
        "save_session",
    ]
    assert interface.saved[-1]["visits"] == 2


def test_null_session_is_not_saved(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    log: list[t.Any] = []
    app.session_interface = _RecordingSessionInterface(log, give_null=True)
    kinds: list[type] = []

    @app.route("/")
    def index() -> str:
        kinds.append(type(flask.session._get_current_object()))  # type: ignore[attr-defined]
        return "anonymous"

    assert client.get("/").data == b"anonymous"
    assert kinds == [NullSession]
    assert log == ["open_session"]


def test_request_is_closed_after_teardown_request_functions(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    uploads: list[t.Any] = []
    closed_in_teardown: list[bool] = []

    @app.route("/upload", methods=["POST"])
    def upload() -> str:
        uploads.append(flask.request.files["doc"])
        return "stored"

    @app.teardown_request
    def check(exc: BaseException | None) -> None:
        closed_in_teardown.append(uploads[0].stream.closed)

    response = client.post(
        "/upload", data={"doc": (io.BytesIO(b"file body"), "notes.txt")}
    )

    assert response.data == b"stored"
    assert closed_in_teardown == [False]
    assert uploads[0].stream.closed


def test_request_is_closed_when_view_fails(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    uploads: list[t.Any] = []

    @app.route("/upload", methods=["POST"])
    def upload() -> str:
        uploads.append(flask.request.files["doc"])
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        client.post("/upload", data={"doc": (io.BytesIO(b"abc"), "a.txt")})

    assert uploads[0].stream.closed


def test_routing_error_reaches_teardown_like_any_other(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    seen: dict[str, list[t.Any]] = {}
    _record_teardowns(app, seen)
    started: list[str] = []

    @app.before_request
    def before() -> None:
        started.append(flask.request.path)

    response = client.get("/missing")

    assert response.status_code == 404
    # before_request functions still run; the 404 is raised at dispatch.
    assert started == ["/missing"]
    assert seen["teardown_request"] == [None]
