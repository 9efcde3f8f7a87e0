"""The fast paths step aside when Werkzeug code they do the work of is patched or
replaced, or when an HTTP error or a request class customises what they skip.

Each test patches something as a mock or a tracing agent would, calls the WSGI
application directly (the test client builds Werkzeug objects of its own) and checks
that the patched code ran, or that the server received what Werkzeug's own code
makes.
"""

from __future__ import annotations

import typing as t
from io import BytesIO

import pytest
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.sansio import response as sansio_response
from werkzeug.sansio.response import Response as SansioResponse
from werkzeug.wrappers import response as wsgi_response
from werkzeug.wrappers.response import Response as WerkzeugResponse
from werkzeug.wsgi import ClosingIterator

import flask
from flask import Flask
from flask.json.provider import DefaultJSONProvider


def _environ(path: str, method: str = "GET") -> dict[str, t.Any]:
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class Sent(t.NamedTuple):
    status: str
    headers: list[tuple[str, t.Any]]
    body: t.Any
    data: bytes


def send(app: Flask, path: str = "/") -> Sent:
    started: list[t.Any] = []

    def start_response(
        status: str, headers: list[t.Any], exc_info: t.Any = None
    ) -> t.Any:
        started[:] = [status, headers]

    body = app(_environ(path), start_response)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return Sent(started[0], started[1], body, data)


def spy(calls: list[str], name: str, original: t.Callable[..., t.Any]) -> t.Any:
    def spying(*args: t.Any, **kwargs: t.Any) -> t.Any:
        calls.append(name)
        return original(*args, **kwargs)

    return spying


@pytest.fixture
def app() -> Flask:
    app = Flask("werkzeug_patches")
    app.secret_key = "werkzeug patches"

    @app.route("/text")
    def text() -> str:
        return "plain text"

    @app.route("/data")
    def data() -> dict[str, int]:
        return {"a": 1}

    @app.route("/jsonify")
    def jsonified() -> t.Any:
        return flask.jsonify(a=1)

    @app.route("/object")
    def response_object() -> flask.Response:
        return flask.Response("an object")

    @app.route("/write")
    def write() -> str:
        flask.session["k"] = "v"
        return "written"

    return app


# Building and sending responses -------------------------------------------------------


@pytest.mark.parametrize("path", ["/text", "/data", "/jsonify", "/missing"])
def test_patched_sansio_response_constructor_runs(app, monkeypatch, path):
    calls: list[str] = []
    monkeypatch.setattr(
        SansioResponse, "__init__", spy(calls, "init", SansioResponse.__init__)
    )
    send(app, path)
    assert calls


@pytest.mark.parametrize("path", ["/text", "/data", "/object", "/missing"])
def test_patched_headers_method_runs(app, monkeypatch, path):
    # Werkzeug's serialization copies the headers: Headers(...) extends the copy.
    calls: list[str] = []
    monkeypatch.setattr(Headers, "extend", spy(calls, "extend", Headers.extend))
    assert send(app, path).data
    assert calls


def test_patched_closing_iterator_runs(app, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        ClosingIterator, "__init__", spy(calls, "init", ClosingIterator.__init__)
    )
    send(app, "/text")
    assert calls


def test_replaced_closing_iterator_is_the_body_the_server_gets(app, monkeypatch):
    class TracedBody(ClosingIterator):
        pass

    monkeypatch.setattr(wsgi_response, "ClosingIterator", TracedBody)
    assert type(send(app, "/text").body) is TracedBody


def test_replaced_headers_class_is_the_class_of_response_headers(app, monkeypatch):
    class TracedHeaders(Headers):
        pass

    monkeypatch.setattr(sansio_response, "Headers", TracedHeaders)
    with app.test_request_context():
        assert type(flask.jsonify(a=1).headers) is TracedHeaders


def test_patched_cookie_method_runs_when_the_session_is_saved(app, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        SansioResponse,
        "set_cookie",
        spy(calls, "set_cookie", SansioResponse.set_cookie),
    )
    sent = send(app, "/write")
    assert calls == ["set_cookie"]
    assert any(name == "Set-Cookie" for name, _ in sent.headers)


def test_replaced_dump_cookie_makes_the_session_cookie(app, monkeypatch):
    original = sansio_response.dump_cookie

    def dump_cookie(*args: t.Any, **kwargs: t.Any) -> str:
        return original(*args, **kwargs) + "; Priority=High"

    monkeypatch.setattr(sansio_response, "dump_cookie", dump_cookie)
    cookies = [
        value for name, value in send(app, "/write").headers if name == "Set-Cookie"
    ]
    assert len(cookies) == 1
    assert cookies[0].endswith("; Priority=High")


def test_session_cookie_domain_with_a_line_break_is_refused(app):
    app.config["SESSION_COOKIE_DOMAIN"] = "ex\r\nample.com"
    sent = send(app, "/write")
    assert sent.status.startswith("500")
    assert not any(name == "Set-Cookie" for name, _ in sent.headers)


def test_status_line_follows_added_status_codes(app, monkeypatch):
    @app.route("/odd")
    def odd() -> tuple[str, int]:
        return "odd", 299

    assert send(app, "/odd").status == "299 UNKNOWN"
    monkeypatch.setitem(HTTP_STATUS_CODES, 299, "Custom Thing")
    assert send(app, "/odd").status == "299 CUSTOM THING"


# The JSON provider --------------------------------------------------------------------


def _wrapping(
    original: t.Callable[..., t.Any],
) -> t.Callable[..., t.Any]:
    def prepare(*args: t.Any) -> t.Any:
        return {"wrapped": original(*args)}

    return prepare


def test_provider_prepare_patched_on_the_class_is_used(app, monkeypatch):
    monkeypatch.setattr(
        DefaultJSONProvider,
        "_prepare_response_obj",
        _wrapping(DefaultJSONProvider._prepare_response_obj),
    )
    assert send(app, "/data").data == b'{"wrapped":{"a":1}}\n'


def test_provider_prepare_set_on_the_instance_is_used(app):
    app.json._prepare_response_obj = _wrapping(  # type: ignore[attr-defined]
        app.json._prepare_response_obj  # type: ignore[attr-defined]
    )
    assert send(app, "/data").data == b'{"wrapped":{"a":1}}\n'


# HTTP errors --------------------------------------------------------------------------


def _raise_with_headers(
    app: Flask, code: int, headers: list[tuple[str, t.Any]], calls: list[str]
) -> Sent:
    # Send a request to a view raising an HTTPException subclass of its own whose
    # get_headers returns ``headers`` (and records each call in ``calls``).
    class Custom(HTTPException):
        description = "Custom."

        def get_headers(self, environ: t.Any = None, scope: t.Any = None) -> t.Any:
            calls.append("get_headers")
            return headers

    Custom.code = code

    @app.route("/custom-error")
    def custom_error() -> str:
        raise Custom()

    return send(app, "/custom-error")


def _send_405_with_header(app: Flask, monkeypatch: t.Any, header: t.Any) -> Sent:
    # Send a 405 (MethodNotAllowed keeps Werkzeug's own get_headers, which calls
    # HTTPException's) with ``header`` added by a patched HTTPException.get_headers.
    original = HTTPException.get_headers

    def adding(self: t.Any, environ: t.Any = None, scope: t.Any = None) -> t.Any:
        return [*original(self, environ, scope), header]

    monkeypatch.setattr(HTTPException, "get_headers", adding)

    @app.route("/only-post", methods=["POST"])
    def only_post() -> str:
        return "posted"

    return send(app, "/only-post")


def test_error_headers_with_a_line_break_are_refused(app):
    headers = [("Content-Type", "text/html"), ("X-Note", "a\r\nSet-Cookie: x=1")]
    sent = _raise_with_headers(app, 400, headers, [])
    assert sent.status.startswith("500")
    assert not any(name == "X-Note" for name, _ in sent.headers)


def test_werkzeug_error_header_values_are_sent_as_text(app):
    @app.route("/busy")
    def busy() -> str:
        raise werkzeug_exceptions.ServiceUnavailable(retry_after=120)

    headers = send(app, "/busy").headers
    assert ("Retry-After", "120") in headers


def test_werkzeug_error_header_value_that_is_not_text_is_converted(app, monkeypatch):
    sent = _send_405_with_header(app, monkeypatch, ("X-Count", 3))
    assert sent.status.startswith("405")
    assert ("X-Count", "3") in sent.headers


def test_werkzeug_error_location_is_sent_as_a_url(app, monkeypatch):
    sent = _send_405_with_header(app, monkeypatch, ("Location", "/caf\u00e9"))
    assert ("Location", "/caf%C3%A9") in sent.headers


def test_error_location_is_sent_as_a_url(app):
    headers = [("Content-Type", "text/html"), ("Location", "/caf\u00e9 menu")]
    sent = _raise_with_headers(app, 301, headers, [])
    assert ("Location", "/caf%C3%A9%20menu") in sent.headers


def test_error_get_headers_of_its_own_is_called_once(app):
    calls: list[str] = []
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Location", "/new")]
    _raise_with_headers(app, 410, headers, calls)
    assert calls == ["get_headers"]


def test_error_with_its_own_content_length_sends_one(app):
    headers = [("Content-Type", "text/html"), ("Content-Length", "999")]
    sent = _raise_with_headers(app, 400, headers, [])
    lengths = [value for name, value in sent.headers if name == "Content-Length"]
    assert lengths == [str(len(sent.data))]


def test_error_body_method_set_on_the_instance_is_used(app):
    @app.route("/custom")
    def custom() -> str:
        error = NotFound()
        error.get_body = lambda environ=None, scope=None: "custom page"  # type: ignore[method-assign]
        raise error

    assert b"Not Found" in send(app, "/missing").data
    assert send(app, "/custom").data == b"custom page"


def test_error_name_of_a_subclass_is_on_its_page(app):
    class NoSuchWidget(NotFound):
        name = "No Such Widget"

    @app.route("/widget")
    def widget() -> str:
        raise NoSuchWidget()

    assert b"<title>404 Not Found</title>" in send(app, "/missing").data
    assert b"<title>404 No Such Widget</title>" in send(app, "/widget").data


def test_werkzeug_response_patched_for_errors_runs(app, monkeypatch):
    # flask.Response has its own __call__, so only Werkzeug's response class, which
    # an HTTP error builds, sees this patch.
    calls: list[str] = []
    monkeypatch.setattr(
        WerkzeugResponse, "__call__", spy(calls, "call", WerkzeugResponse.__call__)
    )
    assert send(app, "/missing").status.startswith("404")
    assert calls


def test_error_page_follows_a_replaced_escape(app, monkeypatch):
    assert b"Not Found" in send(app, "/missing").data
    original = werkzeug_exceptions.escape
    monkeypatch.setattr(werkzeug_exceptions, "escape", lambda s: original(s).upper())
    assert b"<title>404 NOT FOUND</title>" in send(app, "/missing").data


def test_error_page_follows_a_replaced_markup(app, monkeypatch):
    class Marked(werkzeug_exceptions.Markup):
        pass

    seen: list[str] = []

    def markup(value: t.Any = "", *args: t.Any) -> t.Any:
        seen.append("Markup")
        return Marked(value, *args)

    assert b"Not Found" in send(app, "/missing").data
    monkeypatch.setattr(werkzeug_exceptions, "Markup", markup)
    send(app, "/missing")
    assert seen


# Request classes ----------------------------------------------------------------------


def test_request_class_property_for_a_constructor_attribute_is_set(app):
    class LowerPathRequest(flask.Request):
        @property  # type: ignore[override]
        def path(self) -> str:
            return self.__dict__.get("_path", "<never set>")  # type: ignore[no-any-return]

        @path.setter
        def path(self, value: str) -> None:
            self.__dict__["_path"] = value.lower()

    app.request_class = LowerPathRequest

    @app.route("/ABC")
    def abc() -> str:
        return flask.request.path

    assert send(app, "/ABC").data == b"/abc"


def test_request_class_setattr_sees_the_constructor_attributes(app):
    seen: list[str] = []

    class TracingRequest(flask.Request):
        def __setattr__(self, name: str, value: t.Any) -> None:
            seen.append(name)
            super().__setattr__(name, value)

    app.request_class = TracingRequest
    send(app, "/text")
    assert "method" in seen and "path" in seen


def test_flask_request_class_defines_no_constructor_attribute():
    from flask import fastpaths

    # new_request relies on this for Flask's own request class without looking.
    assert fastpaths._assigns_through_class(flask.Request) is False


# URL binding --------------------------------------------------------------------------


def _host_app() -> Flask:
    app = Flask("werkzeug_patches_hosts")

    @app.route("/")
    def index() -> str:
        adapter = flask.globals.request_ctx.url_adapter
        return f"{flask.request.host} {type(adapter).__name__}"

    return app


def test_patched_get_host_of_flask_app_gives_the_host(monkeypatch):
    import flask.app

    app = _host_app()
    assert send(app).data == b"localhost MapAdapter"
    monkeypatch.setattr(flask.app, "get_host", lambda environ, trusted: "patched")
    assert send(app).data.startswith(b"patched ")


def test_patched_checked_host_of_flask_app_gives_the_host(monkeypatch):
    import flask.app

    app = _host_app()
    assert send(app).data == b"localhost MapAdapter"
    monkeypatch.setattr(flask.app, "checked_host", lambda *args: "checked")
    assert send(app).data.startswith(b"checked ")


def test_patched_get_host_of_the_url_map_module_is_called(monkeypatch):
    from werkzeug.routing import map as map_module

    calls: list[str] = []
    monkeypatch.setattr(
        map_module, "get_host", spy(calls, "get_host", map_module.get_host)
    )
    send(_host_app())
    assert calls == ["get_host"]


def test_replaced_adapter_class_of_the_url_map_module_is_used(monkeypatch):
    from werkzeug.routing import map as map_module
    from werkzeug.routing import MapAdapter

    class TracingAdapter(MapAdapter):
        pass

    monkeypatch.setattr(map_module, "MapAdapter", TracingAdapter)
    assert send(_host_app()).data == b"localhost TracingAdapter"


# Sessions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["get_signing_serializer", "is_null_session"])
def test_session_method_patched_on_the_class_runs_for_an_unused_session(
    app, monkeypatch, name
):
    from flask.sessions import SecureCookieSessionInterface

    calls: list[str] = []
    original = getattr(SecureCookieSessionInterface, name)
    monkeypatch.setattr(SecureCookieSessionInterface, name, spy(calls, name, original))
    send(app, "/text")
    assert name in calls


def test_session_class_patched_on_the_interface_is_made_for_an_unused_session(
    app, monkeypatch
):
    from flask.sessions import SecureCookieSession
    from flask.sessions import SecureCookieSessionInterface

    made: list[str] = []

    class Traced(SecureCookieSession):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            made.append("session")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(SecureCookieSessionInterface, "session_class", Traced)
    send(app, "/text")
    assert made == ["session"]


def test_replaced_serializer_class_of_the_sessions_module_is_used(app, monkeypatch):
    from itsdangerous import URLSafeTimedSerializer

    import flask.sessions

    made: list[str] = []

    class Traced(URLSafeTimedSerializer):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            made.append("serializer")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(flask.sessions, "URLSafeTimedSerializer", Traced)
    send(app, "/write")
    send(app, "/write")
    assert len(made) == 4  # One to open the session and one to save it, each time.


@pytest.mark.parametrize(
    ("owner", "name"),
    [
        ("itsdangerous:URLSafeTimedSerializer", "__init__"),
        ("itsdangerous:URLSafeTimedSerializer", "make_signer"),
        ("itsdangerous:TimestampSigner", "__init__"),
        ("itsdangerous:TimestampSigner", "derive_key"),
        ("itsdangerous.signer:HMACAlgorithm", "__init__"),
        ("itsdangerous.signer:HMACAlgorithm", "get_signature"),
    ],
)
def test_patched_signing_method_runs_for_every_cookie(app, monkeypatch, owner, name):
    import importlib

    module, _, class_name = owner.partition(":")
    cls = getattr(importlib.import_module(module), class_name)
    calls: list[str] = []
    monkeypatch.setattr(cls, name, spy(calls, name, getattr(cls, name)))
    assert_called_for_every_cookie(app, calls)


def test_patched_sha1_signs_the_session(app, monkeypatch):
    import hashlib

    calls: list[str] = []
    monkeypatch.setattr(hashlib, "sha1", spy(calls, "sha1", hashlib.sha1))
    send(app, "/write")
    assert calls


@pytest.mark.parametrize("replaced", ["hmac.new", "itsdangerous.signer.hmac"])
def test_replaced_hmac_signs_every_session_cookie(app, monkeypatch, replaced):
    import hmac
    import types

    import itsdangerous.signer

    calls: list[str] = []
    new = spy(calls, "new", hmac.new)
    if replaced == "hmac.new":
        monkeypatch.setattr(hmac, "new", new)
    else:
        stand_in = types.SimpleNamespace(new=new, compare_digest=hmac.compare_digest)
        monkeypatch.setattr(itsdangerous.signer, "hmac", stand_in)
    assert_called_for_every_cookie(app, calls)


def assert_called_for_every_cookie(app: Flask, calls: list[str]) -> None:
    # The second cookie is made with as many calls as the first: nothing was kept.
    send(app, "/write")
    first = len(calls)
    send(app, "/write")
    assert first > 0
    assert len(calls) == 2 * first


# Coroutine functions ------------------------------------------------------------------


def test_patched_iscoroutinefunction_of_flask_app_decides(app, monkeypatch):
    import flask.app

    asked: list[t.Any] = []

    def iscoroutinefunction(func: t.Any) -> bool:
        asked.append(func)
        return False

    monkeypatch.setattr(flask.app, "iscoroutinefunction", iscoroutinefunction)
    assert send(app, "/text").data == b"plain text"
    assert [func.__name__ for func in asked] == ["text"]
