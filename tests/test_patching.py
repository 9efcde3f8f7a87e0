"""Patching a class works like subclassing it.

Mocks (``mock.patch.object``) and tracing agents replace methods on the classes
themselves, often after the application has served requests. Whatever they replace
must be called exactly as Flask calls it, for every kind of view return value, even
where the framework normally takes a fast path.
"""

from __future__ import annotations

import typing as t
from unittest import mock

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map
from werkzeug.wsgi import ClosingIterator

import flask
from flask import Flask
from flask.globals import request_ctx
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "patching key"

    @app.route("/text")
    def text() -> str:
        return "hello"

    @app.route("/json")
    def data() -> dict[str, int]:
        return {"a": 1}

    @app.route("/created")
    def created() -> tuple[str, int]:
        return "made", 201

    return app


BODIES = ["/text", "/json", "/created", "/missing"]


@pytest.mark.parametrize("path", BODIES)
@pytest.mark.parametrize(
    "method",
    ["full_dispatch_request", "finalize_request", "make_response", "process_response"],
)
def test_lifecycle_method_patched_on_flask_is_called(app, method, path, recording):
    client = app.test_client()
    client.get(path)  # The application has served requests before the patch.
    calls: list[str] = []
    with mock.patch.object(Flask, method, recording(Flask, method, calls)):
        response = client.get(path)
    assert calls == [method]
    assert response.status_code in {200, 201, 404}


@pytest.mark.parametrize("path", BODIES)
def test_process_response_mock_sees_the_response_object(app, path):
    client = app.test_client()
    with mock.patch.object(
        Flask, "process_response", autospec=True, side_effect=lambda self, r: r
    ) as patched:
        client.get(path)
    assert patched.call_count == 1
    assert isinstance(patched.call_args.args[1], flask.Response)


@pytest.mark.parametrize("path", BODIES)
def test_response_method_patched_on_the_class_is_called(app, path, recording):
    calls: list[str] = []
    client = app.test_client()
    replacement = recording(flask.Response, "get_wsgi_headers", calls)
    with mock.patch.object(flask.Response, "get_wsgi_headers", replacement):
        client.get(path)
    assert calls == ["get_wsgi_headers"]


def test_response_constructor_patched_on_the_class_is_called(app, recording):
    calls: list[str] = []
    client = app.test_client()
    with mock.patch.object(
        flask.Response, "__init__", recording(flask.Response, "__init__", calls)
    ):
        client.get("/text")
    # The application's response, then the test client's wrapper around it.
    assert calls == ["__init__", "__init__"]


def test_turning_off_automatic_content_length_is_honoured(app, monkeypatch):
    monkeypatch.setattr(flask.Response, "automatically_set_content_length", False)
    response = app.test_client().get("/text")
    assert response.data == b"hello"
    assert "Content-Length" not in response.headers


@pytest.mark.parametrize("name", ["open_session", "save_session"])
@pytest.mark.parametrize("path", BODIES)
def test_session_method_patched_on_the_interface_class_is_called(
    app, name, path, recording
):
    client = app.test_client()
    client.get(path)
    calls: list[str] = []
    replacement = recording(SecureCookieSessionInterface, name, calls)
    with mock.patch.object(SecureCookieSessionInterface, name, replacement):
        client.get(path)
    assert calls == [name]


def test_session_method_replaced_on_the_interface_instance_is_called(app):
    calls: list[str] = []
    interface = SecureCookieSessionInterface()
    original = interface.open_session

    def open_session(app: Flask, request: t.Any) -> t.Any:
        calls.append("open_session")
        return original(app, request)

    interface.open_session = open_session  # type: ignore[method-assign]
    app.session_interface = interface
    app.test_client().get("/text")
    assert calls == ["open_session"]


@pytest.mark.parametrize(
    "signal",
    [
        flask.request_started,
        flask.request_finished,
        flask.request_tearing_down,
        flask.appcontext_tearing_down,
        flask.appcontext_pushed,
        flask.appcontext_popped,
    ],
    ids=lambda signal: signal.name,
)
@pytest.mark.parametrize("path", BODIES)
def test_signal_send_patched_on_the_signal_is_called(app, signal, path):
    client = app.test_client()
    client.get(path)
    with mock.patch.object(signal, "send") as send:
        client.get(path)
    assert send.call_count == 1
    assert send.call_args.args == (app,)


def test_request_finished_send_patched_gets_the_response(app):
    with mock.patch.object(flask.request_finished, "send") as send:
        app.test_client().get("/text")
    assert isinstance(send.call_args.kwargs["response"], flask.Response)


def test_signal_send_patched_on_the_signal_class_is_called(app):
    sent: list[str] = []
    cls = type(flask.request_started)
    original = cls.send

    def send(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        sent.append(self.name)
        return original(self, *args, **kwargs)

    with mock.patch.object(cls, "send", send):
        app.test_client().get("/text")
    assert "request-started" in sent
    assert "request-finished" in sent


def test_http_exception_rendering_patched_on_the_class_is_used(app):
    client = app.test_client()
    client.get("/missing")

    def get_body(self: HTTPException, *args: t.Any, **kwargs: t.Any) -> str:
        return f"<p>patched {self.code}</p>"

    with mock.patch.object(HTTPException, "get_body", get_body):
        response = client.get("/missing")
    assert response.data == b"<p>patched 404</p>"
    assert client.get("/missing").data != b"<p>patched 404</p>"


def test_not_found_subclass_patch_is_used(app):
    def get_description(self: HTTPException, *args: t.Any, **kwargs: t.Any) -> str:
        return "nothing here"

    with mock.patch.object(NotFound, "get_description", get_description):
        response = app.test_client().get("/missing")
    assert b"nothing here" in response.data


def test_closing_iterator_constructor_patched_is_called(app, recording):
    calls: list[str] = []
    replacement = recording(ClosingIterator, "__init__", calls)
    with mock.patch.object(ClosingIterator, "__init__", replacement):
        app.test_client().get("/text")
    assert "__init__" in calls


def test_map_bind_to_environ_patched_is_called(app, recording):
    calls: list[str] = []
    replacement = recording(Map, "bind_to_environ", calls)
    with mock.patch.object(Map, "bind_to_environ", replacement):
        response = app.test_client().get("/text")
    assert calls == ["bind_to_environ"]
    assert response.data == b"hello"


def test_request_class_trusted_hosts_are_enforced(app):
    class TrustingRequest(flask.Request):
        trusted_hosts = ["good.example"]

    app.request_class = TrustingRequest
    client = app.test_client()
    assert client.get("/text", base_url="http://good.example").status_code == 200
    assert client.get("/text", base_url="http://evil.example").status_code == 400


def test_websocket_upgrade_request_binds_with_the_websocket_scheme(app):
    @app.route("/where")
    def where() -> str:
        return flask.url_for("where", _external=True)

    headers = {"Upgrade": "websocket", "Connection": "Upgrade"}
    # The rule is not a WebSocket rule, so Werkzeug refuses the upgrade.
    response = app.test_client().get("/where", headers=headers)
    assert response.status_code == 400


def test_non_ascii_content_location_is_encoded(app):
    @app.route("/elsewhere")
    def elsewhere() -> flask.Response:
        return flask.Response(b"x", headers={"Content-Location": "/caf\u00e9"})

    response = app.test_client().get("/elsewhere")
    assert response.headers["Content-Location"] == "/caf%C3%A9"


# The session where Flask keeps it ---------------------------------------------------


def test_unused_session_is_kept_on_the_context_like_flask(app):
    client = app.test_client()
    with client:
        client.get("/text")
        session = request_ctx._session
        assert isinstance(session, SecureCookieSession)
        assert not session.accessed
        assert not session.modified


def test_context_has_no_session_before_it_is_pushed(app):
    ctx = app.test_request_context("/text")
    assert ctx._session is None


def test_session_written_by_the_view_is_on_the_context(app):
    @app.route("/write")
    def write() -> str:
        flask.session["k"] = "v"
        return "ok"

    client = app.test_client()
    with client:
        client.get("/write")
        assert request_ctx._session["k"] == "v"
        assert request_ctx._session.modified


def test_url_adapter_for_the_request_proxy_is_built(app):
    # Extensions pass the request proxy to create_url_adapter.
    with app.test_request_context("/user/1", base_url="http://example.test/"):
        adapter = app.create_url_adapter(flask.request)
        assert adapter is not None
        assert adapter.build("text", force_external=True) == "http://example.test/text"


def test_request_constructor_of_a_subclass_runs(app):
    class Stamped(flask.Request):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.stamp = "made by __init__"

    app.request_class = Stamped

    @app.route("/stamp")
    def stamp() -> str:
        return flask.request.stamp  # type: ignore[attr-defined,no-any-return]

    assert app.test_client().get("/stamp").data == b"made by __init__"


def test_request_constructor_patched_on_werkzeug_is_called(app):
    from werkzeug.sansio.request import Request as SansioRequest

    made: list[type] = []
    original = SansioRequest.__init__

    def replacement(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        made.append(type(self))
        original(self, *args, **kwargs)

    with mock.patch.object(SansioRequest, "__init__", replacement):
        app.test_client().get("/text")
    # The test client makes a request object of its own too.
    assert app.request_class in made


@pytest.mark.parametrize("name", ["set_cookie", "vary"])
def test_cookie_methods_patched_on_the_response_class_see_the_session_saved(
    app, name, recording
):
    @app.route("/login")
    def login() -> str:
        flask.session["user"] = "ada"
        return "in"

    calls: list[str] = []
    original = getattr(flask.Response, name)
    if isinstance(original, property):

        def getter(self: flask.Response) -> t.Any:
            calls.append(name)
            return original.fget(self)  # type: ignore[misc]

        replacement: t.Any = property(getter)
    else:
        replacement = recording(flask.Response, name, calls)
    with mock.patch.object(flask.Response, name, replacement):
        response = app.test_client().get("/login")
    assert name in calls
    assert "session=" in response.headers["Set-Cookie"]


def test_request_headers_class_replaced_in_werkzeug_is_used(app):
    # Werkzeug's request constructor looks the class up in its module.
    from werkzeug.datastructures import EnvironHeaders

    made: list[object] = []

    def factory(environ: t.Any) -> EnvironHeaders:
        made.append(environ)
        return EnvironHeaders(environ)

    with mock.patch("werkzeug.wrappers.request.EnvironHeaders", factory):
        app.test_client().get("/text")
    assert any(environ.get("PATH_INFO") == "/text" for environ in made)  # type: ignore[attr-defined]


@pytest.mark.parametrize("owner", ["EnvironHeaders", "Headers"])
def test_request_headers_constructor_patched_is_called(app, owner):
    from werkzeug import datastructures

    cls = getattr(datastructures, owner)
    original = cls.__init__
    built: list[object] = []

    def replacement(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    @app.route("/headers")
    def headers() -> str:
        return "built" if any(h is flask.request.headers for h in built) else "not"

    with mock.patch.object(cls, "__init__", replacement):
        assert app.test_client().get("/headers").data == b"built"
