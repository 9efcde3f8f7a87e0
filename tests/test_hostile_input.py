"""Malformed input from a client gets a 4xx or a usable value, never a server error.

Each test sends one of the requests that used to end in a 500 (see issue 16 and
docs/security.rst). The application is in testing mode, so an exception the framework
let through would fail the test by propagating out of the test client. Tests that a
genuine application error still propagates check that the fixes hide nothing.
"""

from __future__ import annotations

import io
import json

import pytest
from itsdangerous.encoding import base64_encode
from itsdangerous.encoding import int_to_bytes
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app

import flask

DEEP = "[" * 100_000 + "]" * 100_000


class BrokenChunks(io.RawIOBase):
    """A server's input stream that fails as Gunicorn's does on a bad chunk size."""

    class InvalidChunkSize(Exception):
        pass

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise self.InvalidChunkSize("chunk size 'zz' is not a number")

    def readline(self, size: int | None = -1) -> bytes:
        raise self.InvalidChunkSize("chunk size 'zz' is not a number")


def unreadable(content_type: str, length: str | None = "10") -> dict[str, object]:
    environ: dict[str, object] = {
        "wsgi.input": BrokenChunks(),
        "CONTENT_TYPE": content_type,
    }
    if length is None:
        environ["wsgi.input_terminated"] = True
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = length
    return environ


# Deeply nested JSON


def test_json_nested_beyond_the_decoders_depth_is_a_400(app, client):
    @app.post("/")
    def index():
        return {"got": flask.request.get_json() is not None}

    response = client.post("/", data=DEEP, content_type="application/json")
    assert response.status_code == 400


def test_deep_json_goes_through_on_json_loading_failed(app, client):
    class Request(flask.Request):
        def on_json_loading_failed(self, e):
            return {"failed": str(e)}

    app.request_class = Request

    @app.post("/")
    def index():
        return flask.request.json

    response = client.post("/", data=DEEP, content_type="application/json")
    assert response.json == {"failed": "The JSON body is nested too deeply."}


def test_deep_json_with_silent_is_none(app, client):
    @app.post("/")
    def index():
        return {"json": flask.request.get_json(silent=True)}

    response = client.post("/", data=DEEP, content_type="application/json")
    assert response.json == {"json": None}


def test_a_recursion_error_in_the_view_is_still_the_applications_error(app, client):
    @app.post("/")
    def index():
        flask.request.get_json()

        def forever():
            return forever()

        return forever()

    with pytest.raises(RecursionError):
        client.post("/", json=[1])


# Redirect targets that cannot be sent as they are


def test_line_breaks_in_a_redirect_target_are_percent_encoded(app, client):
    @app.get("/go")
    def go():
        return flask.redirect(flask.request.args["next"])

    response = client.get("/go", query_string={"next": "/a\r\nX-Injected: 1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/a%0D%0AX-Injected:%201"
    assert "X-Injected" not in response.headers


def test_line_breaks_are_encoded_by_redirect_outside_an_application():
    response = flask.redirect("/a\nb")
    assert response.headers["Location"] == "/a%0Ab"


@pytest.mark.parametrize(
    ("target", "sent"),
    [
        ("//%:2fevil.example", "//%25%3A2fevil%2Eexample"),
        ("http://a..b/x", "http%3A//a%2E%2Eb/x"),
        ("http://[::1/", "http%3A//%5B%3A%3A1/"),
    ],
)
def test_a_redirect_target_with_a_bad_authority_is_sent_encoded(
    app, client, target, sent
):
    @app.get("/go")
    def go():
        return flask.redirect(flask.request.args["next"])

    response = client.get("/go", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == sent


def test_a_location_header_set_by_the_view_is_sent_encoded(app, client):
    @app.get("/")
    def index():
        return "", 201, {"Location": "//host:port/", "Content-Location": "//h:p"}

    response = client.get("/")
    assert response.status_code == 201
    assert response.headers["Location"] == "//host%3Aport/"
    assert response.headers["Content-Location"] == "//h%3Ap"


def test_a_valid_redirect_target_is_unchanged(app, client):
    @app.get("/go")
    def go():
        return flask.redirect("/caf\u00e9?q=1#top")

    assert client.get("/go").headers["Location"] == "/caf%C3%A9?q=1#top"


# Hosts


def test_a_host_that_is_not_valid_idna_keeps_its_punycode_in_the_url(app, client):
    @app.get("/page")
    def page():
        request = flask.request
        return {
            "url": request.url,
            "base_url": request.base_url,
            "root_url": request.root_url,
            "host_url": request.host_url,
            "host": request.host,
        }

    # Werkzeug's test client cannot build its own URL for this host either, so the
    # request is sent without it.
    environ = EnvironBuilder("/page?a=%C3%A9", headers={"Host": "xn--.example"})
    body, status, _headers = run_wsgi_app(app, environ.get_environ(), buffered=True)
    assert status == "200 OK"
    assert json.loads(b"".join(body)) == {
        "url": "http://xn--.example/page?a=\u00e9",
        "base_url": "http://xn--.example/page",
        "root_url": "http://xn--.example/",
        "host_url": "http://xn--.example/",
        "host": "xn--.example",
    }


def test_a_valid_punycode_host_is_still_decoded_in_the_url(app, client):
    @app.get("/")
    def index():
        return flask.request.url

    response = client.get("/", headers={"Host": "xn--n3h.example"})
    assert response.text == "http://\u2603.example/"


@pytest.mark.parametrize("host", ["a..b", "..example.org", "x" * 70 + ".example.org"])
def test_a_malformed_host_with_trusted_hosts_is_a_400(app, client, host):
    # Werkzeug 3.1.0 raised UnicodeError while comparing these with the list.
    app.config["TRUSTED_HOSTS"] = [".example.org"]

    @app.get("/")
    def index():
        return "trusted"

    assert client.get("/", headers={"Host": host}).status_code == 400
    assert client.get("/", headers={"Host": "www.example.org"}).text == "trusted"


# The query string


def test_a_raw_non_utf8_byte_in_the_query_is_kept_escaped(app, client):
    @app.get("/")
    def index():
        return {"args": flask.request.args, "full_path": flask.request.full_path}

    # WSGI servers pass the raw byte 0xFF through as the latin-1 character.
    response = client.get(
        "/", environ_overrides={"QUERY_STRING": "id=\xff&q=caf\xc3\xa9"}
    )
    assert response.json == {
        "args": {"id": "%FF", "q": "caf\u00e9"},
        "full_path": "/?id=%FF&q=caf\u00e9",
    }


def test_a_raw_byte_reads_as_the_same_byte_percent_encoded(app, client):
    @app.get("/")
    def index():
        return flask.request.args

    raw = client.get("/", environ_overrides={"QUERY_STRING": "id=\xff"})
    escaped = client.get("/?id=%FF")
    assert raw.json == escaped.json


# Session cookies


@pytest.mark.parametrize("timestamp", [253402300800, 2**40, 2**63, 2**64 - 1])
def test_a_signed_session_with_an_absurd_timestamp_is_empty(app, client, timestamp):
    @app.get("/")
    def index():
        return {"session": dict(flask.session)}

    interface = app.session_interface
    serializer = interface.get_signing_serializer(app)
    signer = serializer.make_signer(serializer.salt)
    payload = serializer.dump_payload({"user": "mallory"})
    value = payload + b"." + base64_encode(int_to_bytes(timestamp))
    cookie = value + b"." + signer.get_signature(value)
    client.set_cookie("session", cookie.decode())

    assert client.get("/").json == {"session": {}}


# Bodies the server cannot read


@pytest.mark.parametrize("length", ["10", None], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("content_type", "read"),
    [
        ("application/x-www-form-urlencoded", lambda r: r.form),
        ("multipart/form-data; boundary=x", lambda r: r.files),
        ("application/json", lambda r: r.get_json()),
        ("text/plain", lambda r: r.get_data()),
        ("text/plain", lambda r: r.stream.readline()),
        ("text/plain", lambda r: list(r.stream)),
    ],
)
def test_a_body_the_server_cannot_read_is_a_400(
    app, client, content_type, read, length
):
    @app.post("/")
    def index():
        read(flask.request)
        return "read"

    response = client.post("/", environ_overrides=unreadable(content_type, length))
    assert response.status_code == 400
    assert "could not be read" in response.text


def test_the_servers_exception_is_the_cause_of_the_400(app):
    with app.test_request_context(
        "/", method="POST", environ_overrides=unreadable("text/plain")
    ):
        with pytest.raises(BadRequest) as caught:
            flask.request.get_data()
    assert isinstance(caught.value.__cause__, BrokenChunks.InvalidChunkSize)


def test_an_error_after_reading_the_body_is_still_the_applications(app, client):
    @app.post("/")
    def index():
        flask.request.get_data()
        raise ValueError("a bug in the view")

    with pytest.raises(ValueError, match="a bug in the view"):
        client.post("/", data="body")


def test_http_errors_raised_by_the_input_stream_keep_their_status(app, client):
    class LimitingStream(io.RawIOBase):
        # What a middleware enforcing its own size limit might put in wsgi.input.
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise RequestEntityTooLarge()

    @app.post("/")
    def index():
        flask.request.get_data()
        return "read"

    limited = {"wsgi.input": LimitingStream(), "CONTENT_LENGTH": "10"}
    response = client.post("/", environ_overrides=limited)
    assert response.status_code == 413


def test_a_readable_body_is_read_unchanged(app, client):
    @app.post("/")
    def index():
        return {"form": flask.request.form, "files": list(flask.request.files)}

    response = client.post("/", data={"a": "1", "f": (io.BytesIO(b"content"), "f.txt")})
    assert response.json == {"form": {"a": "1"}, "files": ["f"]}


def test_redirect_to_the_canonical_url_with_a_raw_newline_in_the_query():
    app = flask.Flask(__name__)

    @app.route("/page/")
    def page() -> str:
        return "page"

    environ = EnvironBuilder(path="/page").get_environ()
    environ["QUERY_STRING"] = "a=1\r\nX-Injected: yes"
    response = app.test_client().open(environ)
    assert response.status_code == 308
    assert "X-Injected" not in response.headers
    assert "\r" not in response.headers["Location"]
    assert response.headers["Location"].startswith("http://localhost/page/?a=1")
