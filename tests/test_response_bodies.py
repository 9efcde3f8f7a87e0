"""What the WSGI server receives: every response body is a Werkzeug
:class:`~werkzeug.wsgi.ClosingIterator`, as Flask hands it over, so middleware and
monitoring agents that wrap or trace the body's ``close()`` see it for every kind of
response."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wsgi import ClosingIterator
from werkzeug.wsgi import FileWrapper

import flask
from flask import Flask


@pytest.fixture
def app(tmp_path: t.Any) -> Flask:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body { color: red }")
    app = Flask(__name__, root_path=str(tmp_path))
    app.secret_key = "body test key"
    closed: list[str] = []
    app.extensions["closed"] = closed

    @app.route("/text")
    def text() -> str:
        return "hello"

    @app.route("/json")
    def data() -> dict[str, int]:
        return {"a": 1}

    @app.route("/created")
    def created() -> tuple[str, int]:
        return "made", 201

    @app.route("/jsonify")
    def via_jsonify() -> flask.Response:
        return flask.jsonify(b=2)

    @app.route("/response")
    def response() -> flask.Response:
        result = flask.Response(["a", "b"])
        result.call_on_close(lambda: closed.append("response"))
        return result

    @app.route("/bytes-list")
    def bytes_list() -> flask.Response:
        result = flask.Response([b"x", b"y"])
        result.call_on_close(lambda: closed.append("bytes-list"))
        return result

    @app.route("/stream")
    def stream() -> t.Iterator[str]:
        yield "one"
        yield "two"

    @app.route("/redirect")
    def moved() -> flask.Response:
        return flask.redirect("/text")  # type: ignore[return-value]

    @app.route("/session")
    def with_session() -> str:
        flask.session["seen"] = True
        return "remembered"

    return app


def call(
    app: Flask, path: str, **options: t.Any
) -> tuple[str, list[tuple[str, str]], t.Any]:
    environ = EnvironBuilder(path=path, **options).get_environ()
    started: list[t.Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
        started.append((status, headers))

    body = app(environ, start_response)
    return started[0][0], started[0][1], body


PATHS = [
    "/text",
    "/json",
    "/created",
    "/jsonify",
    "/response",
    "/bytes-list",
    "/stream",
    "/redirect",
    "/session",
    "/missing",
    "/static/style.css",
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", PATHS)
def test_every_body_is_a_werkzeug_closing_iterator(app, path, method):
    _status, _headers, body = call(app, path, method=method)
    # A file sent with send_file is passed through in Werkzeug's file wrapper.
    passed_through = path.startswith("/static/") and method == "GET"
    try:
        assert type(body) is (FileWrapper if passed_through else ClosingIterator)
        chunks = list(body)
        if method == "HEAD":
            assert chunks == []
    finally:
        body.close()


def test_not_modified_body_is_a_closing_iterator(app):
    _status, headers, body = call(app, "/static/style.css")
    etag = dict(headers)["ETag"]
    body.close()
    status, _headers, body = call(
        app, "/static/style.css", headers={"If-None-Match": etag}
    )
    assert status.startswith("304")
    assert type(body) is ClosingIterator
    assert list(body) == []
    body.close()


@pytest.mark.parametrize("path", ["/response", "/bytes-list"])
def test_closing_the_body_closes_the_response(app, path):
    closed = app.extensions["closed"]
    _status, _headers, body = call(app, path)
    assert b"".join(body)
    assert closed == []
    body.close()
    assert closed == [path.strip("/")]


def test_a_middleware_tracing_close_sees_every_request(app):
    traced: list[str] = []

    class TraceClose:
        def __init__(self, wsgi_app: t.Any) -> None:
            self.wsgi_app = wsgi_app

        def __call__(self, environ: t.Any, start_response: t.Any) -> t.Any:
            body = self.wsgi_app(environ, start_response)
            close = getattr(body, "close", None)
            if close is None:
                return body

            def traced_close() -> None:
                traced.append(environ["PATH_INFO"])
                close()

            return ClosingIterator(body, traced_close)

    app.wsgi_app = TraceClose(app.wsgi_app)  # type: ignore[method-assign]
    client = app.test_client()
    for path in PATHS:
        client.get(path).close()
    assert traced == PATHS
