"""The session reads the request's cookies as Werkzeug's ``request.cookies`` would,
whatever the environ, the request class or the headers class look like.

The fast path takes the ``HTTP_COOKIE`` value alone; each test sets up a case where
Werkzeug's property finds something else (another key that is a ``Cookie`` header
too, a customised class, a replaced method) and checks that the session sees it.
"""

from __future__ import annotations

import typing as t
from unittest import mock

import pytest
from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

import flask
from flask import fastpaths
from flask import Flask

pytestmark = pytest.mark.usefixtures("fast_paths_on")


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "cookie reading"

    @app.route("/login")
    def login() -> str:
        flask.session["user"] = "ada"
        return "in"

    @app.route("/who")
    def who() -> str:
        return str(flask.session.get("user", "nobody"))

    return app


@pytest.fixture
def signed(app: Flask) -> str:
    """A valid session cookie's value, for the user ``ada``."""
    client = app.test_client()
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def environ_for(path: str, **keys: t.Any) -> dict[str, t.Any]:
    environ = EnvironBuilder(path=path).get_environ()
    environ.update(keys)
    return environ


def call(app: Flask, environ: dict[str, t.Any]) -> tuple[str, bytes]:
    """Serve one request as a server would: the status line and the body."""
    statuses: list[str] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> None:
        statuses.append(status)

    body = app(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return statuses[0], data


def test_a_cookie_header_under_a_key_in_another_case_is_read(app, signed):
    # Not what servers send, but Werkzeug reads it, so Flask does.
    environ = environ_for("/who", HTTP_cookie=f"session={signed}")
    assert "HTTP_COOKIE" not in environ
    assert call(app, environ) == ("200 OK", b"ada")


def test_cookie_headers_under_two_keys_are_joined(app, signed):
    environ = environ_for(
        "/who", HTTP_COOKIE="other=1", HTTP_Cookie=f"session={signed}"
    )
    assert call(app, environ) == ("200 OK", b"ada")


def test_an_environ_of_a_dict_subclass_is_read_through_its_items(app, signed):
    class Environ(dict):  # type: ignore[type-arg]
        def items(self) -> t.Any:
            return [*super().items(), ("HTTP_COOKIE", f"session={signed}")]

    assert call(app, Environ(environ_for("/who"))) == ("200 OK", b"ada")


def test_a_cookie_value_that_is_not_a_string_fails_as_werkzeug_fails(app):
    app.testing = True
    with pytest.raises(TypeError) as werkzeug_error:
        _ = flask.Request(environ_for("/", HTTP_COOKIE=None)).cookies
    with pytest.raises(TypeError) as ours:
        call(app, environ_for("/who", HTTP_COOKIE=None))
    assert str(ours.value) == str(werkzeug_error.value)


def test_cookies_of_a_request_subclass_are_used(app, signed):
    class Request(flask.Request):
        @property
        def cookies(self) -> t.Any:  # type: ignore[override]
            return {"session": signed}

    app.request_class = Request
    assert call(app, environ_for("/who")) == ("200 OK", b"ada")


def test_cookies_patched_on_the_request_class_are_used(app, signed):
    with mock.patch.object(
        flask.Request, "cookies", property(lambda self: {"session": signed})
    ):
        assert call(app, environ_for("/who")) == ("200 OK", b"ada")


def test_header_lookup_patched_on_werkzeug_is_called(app, signed):
    looked_up: list[str] = []
    original = EnvironHeaders.getlist

    def getlist(self: t.Any, key: str, type: t.Any = None) -> t.Any:
        looked_up.append(key)
        return original(self, key, type)

    with mock.patch.object(EnvironHeaders, "getlist", getlist):
        environ = environ_for("/who", HTTP_COOKIE=f"session={signed}")
        assert call(app, environ) == ("200 OK", b"ada")
    assert "Cookie" in looked_up


def test_header_lookup_replaced_on_the_headers_object_is_called(app, request):
    cookies: list[str] = []

    @app.before_request
    def replace_lookup() -> None:
        def getlist(key: str, type: t.Any = None) -> list[str]:
            return cookies if key == "Cookie" else []

        flask.request.headers.getlist = getlist  # type: ignore[method-assign]

    # Logging in (which the hook lets through: it has no cookie yet) comes after
    # registering the hook, as setup must.
    cookies.append(f"session={request.getfixturevalue('signed')}")
    assert call(app, environ_for("/who")) == ("200 OK", b"ada")


def test_headers_of_another_class_are_read(app, signed):
    class Request(flask.Request):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers = Headers([("Cookie", f"session={signed}")])  # type: ignore[assignment]

    app.request_class = Request
    assert call(app, environ_for("/who")) == ("200 OK", b"ada")


@pytest.mark.parametrize(
    "cookie",
    [
        None,
        "",
        "session=abc",
        "a=1; b=2; a=3",
        'quoted="a b\\"c"; plain=x',
        "broken; ;=; k=v",
        "caf\u00e9=\u00e9",
    ],
)
def test_cookies_equal_werkzeugs(cookie):
    keys = {} if cookie is None else {"HTTP_COOKIE": cookie}
    fast = fastpaths.new_request(flask.Request, environ_for("/", **keys))
    found = fastpaths.request_cookies(fast)
    expected = flask.Request(environ_for("/", **keys)).cookies
    assert type(found) is type(expected)
    assert list(found.items(multi=True)) == list(expected.items(multi=True))
    # Kept where the cached property keeps it.
    assert fast.cookies is found
