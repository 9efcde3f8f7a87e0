"""Response objects built for a view's string and for ``jsonify`` are Werkzeug's.

The framework fills in the attributes of such a response directly instead of calling
Werkzeug's constructor. Whatever could tell the difference (a patched constructor, a
replaced headers class, a response subclass with its own descriptors, an unusual
mimetype) must get exactly what the constructor does.
"""

from __future__ import annotations

import typing as t
from unittest import mock

import pytest
from werkzeug.datastructures import Headers
from werkzeug.sansio.response import Response as SansioResponse
from werkzeug.test import EnvironBuilder

import flask
from flask import Flask

pytestmark = pytest.mark.usefixtures("fast_paths_on")


@pytest.fixture
def seen() -> list[flask.Response]:
    return []


@pytest.fixture
def app(seen: list[flask.Response]) -> Flask:
    # An after_request function needs a response object for every request.
    app = Flask(__name__)
    app.testing = True

    @app.after_request
    def keep(response: flask.Response) -> flask.Response:
        seen.append(response)
        return response

    routes(app)
    return app


def routes(app: Flask) -> None:
    @app.route("/text")
    def text() -> str:
        return "hello"

    @app.route("/bytes")
    def raw() -> bytes:
        return b"\x00raw"

    @app.route("/created")
    def created() -> tuple[str, int]:
        return "made", 201

    @app.route("/teapot")
    def teapot() -> tuple[str, str]:
        return "short and stout", "418 I'm a teapot"

    @app.route("/bytearray")
    def mutable() -> bytearray:
        return bytearray(b"mutable")

    @app.route("/stream")
    def stream() -> t.Iterator[str]:
        return iter(["a", "b"])

    @app.route("/json")
    def data() -> dict[str, int]:
        return {"a": 1}

    @app.route("/jsonify")
    def via_jsonify() -> flask.Response:
        return flask.jsonify(a=1)


def serve(app: Flask, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call the application as a server would (no test client, whose own response
    object would be built too)."""
    started: list[t.Any] = []
    body = app(EnvironBuilder(path).get_environ(), lambda s, h: started.append((s, h)))
    try:
        data = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return started[0][0], started[0][1], data


@pytest.mark.parametrize(
    ("path", "status", "headers", "body"),
    [
        ("/text", "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                             ("Content-Length", "5")], b"hello"),
        ("/bytes", "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", "4")], b"\x00raw"),
        ("/created", "201 CREATED", [("Content-Type", "text/html; charset=utf-8"),
                                     ("Content-Length", "4")], b"made"),
        ("/teapot", "418 I'm a teapot", [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Length", "15")],
         b"short and stout"),
        ("/bytearray", "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", "7")], b"mutable"),
        ("/stream", "200 OK", [("Content-Type", "text/html; charset=utf-8")], b"ab"),
        ("/jsonify", "200 OK", [("Content-Type", "application/json"),
                                ("Content-Length", "8")], b'{"a":1}\n'),
    ],
)  # fmt: skip
def test_response_objects_are_what_the_constructor_makes(
    app, seen, path, status, headers, body
):
    assert serve(app, path) == (status, headers, body)
    (response,) = seen
    assert type(response) is flask.Response
    assert type(response.headers) is Headers
    assert response.status == status
    assert response.direct_passthrough is False


@pytest.mark.parametrize("path", ["/text", "/created", "/jsonify"])
@pytest.mark.parametrize("name", ["__init__", "_clean_status", "set_data"])
def test_response_method_patched_on_the_class_builds_the_response(
    app, path, name, recording
):
    serve(app, path)
    calls: list[str] = []
    with mock.patch.object(
        flask.Response, name, recording(flask.Response, name, calls)
    ):
        serve(app, path)
    assert calls == [name]


@pytest.mark.parametrize("path", ["/text", "/jsonify"])
def test_werkzeug_response_constructor_patched_is_called(app, path, recording):
    calls: list[str] = []
    replacement = recording(SansioResponse, "__init__", calls)
    with mock.patch.object(SansioResponse, "__init__", replacement):
        serve(app, path)
    assert calls == ["__init__"]


@pytest.mark.parametrize(
    ("path", "name"),
    [("/text", "__init__"), ("/text", "__contains__"), ("/text", "__setitem__"),
     ("/text", "set"), ("/jsonify", "__setitem__"), ("/jsonify", "set")],
)  # fmt: skip
def test_headers_method_patched_is_called(app, path, name, recording):
    calls: list[str] = []
    with mock.patch.object(Headers, name, recording(Headers, name, calls)):
        serve(app, path)
    assert name in calls


@pytest.mark.parametrize("path", ["/text", "/jsonify"])
def test_headers_class_replaced_in_werkzeug_is_used(app, seen, path):
    class OwnHeaders(Headers):
        pass

    with mock.patch("werkzeug.sansio.response.Headers", OwnHeaders):
        serve(app, path)
    assert type(seen[0].headers) is OwnHeaders


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/text", "text/html"), ("/jsonify", "application/json")]
    + [("/json", "application/json")],
)
def test_content_type_function_replaced_in_werkzeug_is_used(mimetype, path):
    # Without after_request functions: the direct response makes the header too.
    app = Flask(__name__)
    routes(app)
    asked: list[str] = []

    def content_type(value: str, charset: str) -> str:
        asked.append(value)
        return "application/x-replaced"

    with mock.patch("werkzeug.sansio.response.get_content_type", content_type):
        status, headers, _ = serve(app, path)
    assert asked == [mimetype]
    assert ("Content-Type", "application/x-replaced") in headers


def test_response_subclass_descriptors_see_the_constructor_assign(app, seen):
    assigned: list[t.Any] = []

    class Watched(flask.Response):
        @property
        def response(self) -> t.Any:
            return self.__dict__["_watched"]

        @response.setter
        def response(self, value: t.Any) -> None:
            assigned.append(value)
            self.__dict__["_watched"] = value

    app.response_class = Watched
    assert serve(app, "/text")[2] == b"hello"
    assert assigned == [[b"hello"]]
    assert type(seen[0]) is Watched


@pytest.mark.parametrize("after_request", [False, True])
@pytest.mark.parametrize("path", ["/json", "/jsonify"])
def test_json_mimetype_none_sends_the_default_mimetype(path, after_request):
    app = Flask(__name__)
    routes(app)
    if after_request:
        app.after_request(lambda response: response)
    app.json.mimetype = None  # type: ignore[attr-defined]
    status, headers, body = serve(app, path)
    assert headers[0] == ("Content-Type", "text/html; charset=utf-8")
    assert body == b'{"a":1}\n'


@pytest.mark.parametrize("path", ["/json", "/jsonify"])
def test_json_mimetype_that_is_not_a_string_fails_as_werkzeug_fails(path):
    app = Flask(__name__)
    app.testing = True
    routes(app)
    app.json.mimetype = ["application/json"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="startswith"):
        serve(app, path)


@pytest.mark.parametrize("path", ["/json", "/jsonify"])
def test_json_mimetype_with_a_newline_is_refused_as_werkzeug_refuses_it(path):
    app = Flask(__name__)
    app.testing = True
    routes(app)
    app.json.mimetype = "application/json\r\nX-Injected: yes"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="newline"):
        serve(app, path)
