"""Views returning every kind of value a route accepts."""

from __future__ import annotations

import typing as t
from collections.abc import AsyncIterator
from collections.abc import Iterator
from http import HTTPStatus

from typing_extensions import assert_type
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response as WerkzeugResponse

from flask import Flask
from flask import jsonify
from flask import make_response
from flask import redirect
from flask import render_template_string
from flask import request
from flask import Response
from flask import stream_with_context
from flask import url_for
from flask.typing import ResponseReturnValue
from flask.views import MethodView
from flask.views import View

app = Flask(__name__)


@app.route("/text")
def text() -> str:
    return "plain text"


@app.route("/raw")
def raw() -> bytes:
    return b"\x00\x01"


@app.route("/mapping")
def mapping() -> dict[str, int]:
    return {"answer": 42}


@app.route("/list")
def a_list() -> list[str]:
    return ["a", "b"]


class Book(t.TypedDict):
    title: str
    pages: int


@app.route("/typed-dict")
def typed_dict() -> Book:
    return {"title": "Dune", "pages": 412}


@app.route("/json")
def json_response() -> Response:
    return jsonify(ok=True)


@app.route("/werkzeug")
def werkzeug_response() -> WerkzeugResponse:
    return WerkzeugResponse("from Werkzeug")


@app.route("/made")
def made() -> Response:
    response = make_response("made", 201)
    response.headers["X-Made"] = "yes"
    return response


@app.route("/redirect")
def go_home() -> WerkzeugResponse:
    return redirect(url_for("text"))


@app.route("/template")
def template() -> str:
    return render_template_string("Hello {{ name }}", name="you")


@app.route("/status")
def with_status() -> tuple[str, int]:
    return "created", 201


@app.route("/http-status")
def with_http_status() -> tuple[str, HTTPStatus]:
    return "accepted", HTTPStatus.ACCEPTED


@app.route("/headers")
def with_headers() -> tuple[str, dict[str, str]]:
    return "tagged", {"X-Tag": "1"}


@app.route("/header-list")
def with_header_list() -> tuple[str, list[tuple[str, str]]]:
    return "tagged", [("X-Tag", "1"), ("X-Tag", "2")]


@app.route("/status-headers")
def with_status_and_headers() -> tuple[dict[str, str], int, Headers]:
    return {"state": "gone"}, 410, Headers({"X-Why": "removed"})


@app.route("/generator")
def generator() -> Iterator[str]:
    yield "one "
    yield "two"


@app.route("/byte-generator")
def byte_generator() -> Iterator[bytes]:
    yield b"chunk"


@app.route("/async-generator")
async def async_generator() -> AsyncIterator[str]:
    yield "later"


@app.route("/async")
async def async_view() -> str:
    return "awaited"


@app.route("/any")
def union_of_kinds() -> ResponseReturnValue:
    if request.args.get("json"):
        return {"kind": "json"}
    if request.args.get("status"):
        return "teapot", 418
    return "text"


@app.route("/wsgi")
def wsgi_app() -> ResponseReturnValue:
    # Any WSGI application is a valid return value; the framework calls it.
    return WerkzeugResponse("wsgi")


# stream_with_context around a generator object: the iterator type is kept.
@app.route("/stream")
def stream() -> ResponseReturnValue:
    def generate() -> Iterator[str]:
        yield "Hello "
        yield request.args.get("name", "stranger")

    body = stream_with_context(generate())
    assert_type(body, Iterator[str])
    return body


# stream_with_context as a decorator: the decorated function keeps its parameters
# and returns the same iterator type.
@app.route("/stream-decorated/<int:count>")
def stream_decorated(count: int) -> ResponseReturnValue:
    @stream_with_context
    def generate(times: int, word: bytes = b"tick") -> Iterator[bytes]:
        for _ in range(times):
            yield word

    body = generate(count, word=b"tock")
    assert_type(body, Iterator[bytes])
    return Response(body, mimetype="text/plain")


class Greeting(View):
    """A view configured through its constructor, one instance for every request."""

    init_every_request = False

    def __init__(self, template: str) -> None:
        self.template = template

    def dispatch_request(self) -> str:
        return render_template_string(self.template, who=request.args.get("who"))


app.add_url_rule(
    "/greeting", view_func=Greeting.as_view("greeting", "Hello {{ who }}!")
)


class Counter(MethodView):
    def get(self) -> str:
        return "0"

    def post(self) -> tuple[dict[str, int], int]:
        return {"count": 1}, 201


app.add_url_rule("/counter", view_func=Counter.as_view("counter"))
