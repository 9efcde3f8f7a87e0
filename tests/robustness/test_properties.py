"""Property-based tests of the input surfaces, with Hypothesis.

Every test runs derandomized (the examples follow from the test's own code, not from
a random seed) and without an example database, so CI runs the same examples on every
machine. Each property says what must hold for any value a client, or an application
passing on a client's value, could produce.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app

import flask

DETERMINISTIC = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a WSGI environ can hold: servers decode the request's bytes as latin-1.
latin1 = st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=40)
hostile = st.sampled_from(
    [
        "",
        "..",
        "../",
        "/",
        "\\",
        "%",
        "%2e",
        "%2f",
        "%ff",
        "\x00",
        "\r\n",
        "\xff",
        "~",
        ";",
    ]
)
fragments = st.lists(st.one_of(hostile, latin1), max_size=6).map("".join)


def sendable(app: flask.Flask, response: flask.Response) -> tuple[str, list, bytes]:
    """Send ``response`` as a server would, returning the status line, the headers
    and the body."""
    sent: dict[str, object] = {}

    def start_response(status, headers, exc_info=None):
        sent.update(status=status, headers=headers)

    environ = EnvironBuilder("/").get_environ()
    body = b"".join(response(environ, start_response))
    return sent["status"], sent["headers"], body  # type: ignore[return-value]


# make_response


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
bodies = st.one_of(
    st.text(max_size=30),
    st.binary(max_size=30),
    st.dictionaries(st.text(max_size=5), json_values, max_size=3),
    st.lists(json_values, max_size=3),
    st.none(),
    st.integers(),
    st.builds(flask.Response, st.text(max_size=10)),
)
# A status is the application's own choice; Werkzeug sends its text as given, so only
# printable text is generated for it.
statuses = st.one_of(
    st.integers(min_value=-5, max_value=1200),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12),
)
# Header names are the application's own (Werkzeug does not check them); the values
# may come from anywhere.
header_names = st.text("ABCXYZabcxyz-0123456789", min_size=1, max_size=10)
header_sets = st.one_of(
    st.dictionaries(header_names, latin1, max_size=3),
    st.lists(st.tuples(header_names, latin1), max_size=3),
)
return_values = st.one_of(
    bodies,
    st.tuples(bodies, statuses),
    st.tuples(bodies, header_sets),
    st.tuples(bodies, statuses, header_sets),
    st.tuples(bodies, statuses, header_sets, st.none()),
)


@DETERMINISTIC
@given(value=return_values)
def test_make_response_gives_a_sendable_response_or_a_documented_error(value):
    app = flask.Flask(__name__)
    with app.test_request_context():
        try:
            response = app.make_response(value)
        except (TypeError, ValueError):
            return  # What make_response raises for a value it cannot use.
        status, headers, _body = sendable(app, response)
    int(status.split(" ", 1)[0])  # Werkzeug sends any integer the view gave.
    assert "\r" not in status and "\n" not in status
    for name, header in headers:
        assert "\r" not in name + header and "\n" not in name + header


# url_for


@pytest.fixture(scope="module")
def routed() -> flask.Flask:
    app = flask.Flask(__name__)
    for rule, endpoint in [
        ("/s/<name>", "string"),
        ("/p/<path:name>", "path"),
        ("/i/<int:name>", "int"),
        ("/f/<float:name>", "float"),
        ("/u/<uuid:name>", "uuid"),
    ]:
        app.add_url_rule(rule, endpoint, lambda name: str(name))
    app.add_url_rule("/args", "args", lambda: flask.request.args.to_dict(flat=False))
    return app


values = st.one_of(
    st.text(max_size=20),
    fragments,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.uuids(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
)
query_values = st.dictionaries(
    st.text(max_size=8).filter(
        lambda k: not k.startswith("_") and k not in ("name", "endpoint")
    ),
    values,
    max_size=3,
)
# A value of the type each converter takes.
typed_values = {
    "string": st.text(min_size=1, max_size=20) | fragments.filter(bool),
    "path": st.text(min_size=1, max_size=20) | fragments.filter(bool),
    "int": st.integers(),
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "uuid": st.uuids(),
}


@DETERMINISTIC
@given(
    endpoint=st.sampled_from(["string", "path", "int", "float", "uuid", "args"]),
    name=values,
    extra=query_values,
)
def test_url_for_with_any_value_builds_a_url_or_raises_a_documented_error(
    routed, endpoint, name, extra
):
    with routed.test_request_context():
        try:
            url = flask.url_for(endpoint, name=name, **extra)
        except (BuildError, ValueError, TypeError):
            # No rule fits, or the value is not of the converter's type.
            return
    assert isinstance(url, str)


@DETERMINISTIC
@given(data=st.data(), extra=query_values)
def test_url_for_with_typed_values_builds_a_local_printable_uri(routed, data, extra):
    endpoint = data.draw(st.sampled_from(sorted(typed_values)))
    name = data.draw(typed_values[endpoint])
    with routed.test_request_context():
        try:
            url = flask.url_for(endpoint, name=name, **extra)
        except ValueError:
            return  # A converter's own refusal (a negative int, say).
    # Printable ASCII without spaces: safe in any header or page, and on this site.
    assert set(url) <= URI_CHARACTERS, url
    assert url.startswith("/") and not url.startswith("//")


URI_CHARACTERS = {chr(c) for c in range(0x21, 0x7F)}


@DETERMINISTIC
@given(
    name=st.text(
        st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20
    ).filter(lambda s: "/" not in s),
    extra=st.dictionaries(
        st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=8),
        max_size=3,
    ),
)
def test_a_built_url_routes_back_to_its_values(routed, name, extra):
    # Names url_for takes for itself: the endpoint and the underscored options.
    extra.pop("name", None)
    extra.pop("endpoint", None)
    extra = {k: v for k, v in extra.items() if not k.startswith("_")}
    with routed.test_request_context():
        url = flask.url_for("string", name=name, **extra)
    path, _, query = url.partition("?")
    with routed.test_request_context(path, query_string=query):
        assert flask.request.url_rule.endpoint == "string"
        assert flask.request.view_args == {"name": name}
        assert flask.request.args.to_dict() == {k: v for k, v in extra.items()}


# Session cookies

SESSION_DATA = {"user": "ada", "admin": False}


@pytest.fixture(scope="module")
def session_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "property-key"
    app.get("/")(lambda: {"session": dict(flask.session)})
    return app


def session_of(app: flask.Flask, cookie_header: str) -> tuple[str, bytes]:
    environ = EnvironBuilder("/").get_environ()
    environ["HTTP_COOKIE"] = cookie_header
    body, status, _headers = run_wsgi_app(app, environ, buffered=True)
    return status, b"".join(body)


def valid_cookie(app: flask.Flask) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps(SESSION_DATA)


@DETERMINISTIC
@given(raw=st.binary(max_size=300))
def test_arbitrary_cookie_bytes_give_an_empty_session(session_app, raw):
    status, body = session_of(session_app, "session=" + raw.decode("latin-1"))
    assert status == "200 OK"
    assert flask.json.loads(body) == {"session": {}}


@DETERMINISTIC
@given(data=st.data())
def test_a_tampered_cookie_is_refused_or_reads_as_the_original(session_app, data):
    cookie = bytearray(valid_cookie(session_app).encode())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(cookie) - 1))
        cookie[at] = data.draw(st.sampled_from(b"ABCabc019-_.=~!"))
    status, body = session_of(session_app, "session=" + cookie.decode())
    assert status == "200 OK"
    # Base64 ignores some trailing bits, so a few changes leave the same signature:
    # then the data is the signed data, never anything else.
    assert flask.json.loads(body)["session"] in ({}, SESSION_DATA)


@DETERMINISTIC
@given(payload=json_values, key=st.text(min_size=1, max_size=20))
def test_a_cookie_signed_with_another_key_gives_an_empty_session(
    session_app, payload, key
):
    if key == session_app.secret_key:
        return
    forged = URLSafeTimedSerializer(
        key, salt="cookie-session", signer_kwargs={"key_derivation": "hmac"}
    )
    status, body = session_of(
        session_app, "session=" + forged.dumps({"forged": payload})
    )
    assert status == "200 OK"
    assert flask.json.loads(body) == {"session": {}}


# send_from_directory


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("files")
    public = root / "public"
    (public / "sub").mkdir(parents=True)
    (public / "a.txt").write_text("inside a")
    (public / "sub" / "b.txt").write_text("inside b")
    (root / "secret.txt").write_text("outside")
    (root / "public-other").mkdir()
    (root / "public-other" / "c.txt").write_text("outside too")
    return public


path_parts = st.sampled_from(
    [
        "a.txt",
        "sub",
        "b.txt",
        "..",
        ".",
        "",
        "secret.txt",
        "public-other",
        "c.txt",
        "~",
        "%2e%2e",
        "\x00",
        "\\",
        "public",
    ]
)


@DETERMINISTIC
@given(
    parts=st.lists(st.one_of(path_parts, latin1), max_size=6),
    separator=st.sampled_from(["/", "\\", "//"]),
    absolute=st.booleans(),
)
def test_send_from_directory_never_serves_a_file_outside_the_folder(
    folder, parts, separator, absolute
):
    path = ("/" if absolute else "") + separator.join(parts)
    app = flask.Flask(__name__)
    with app.test_request_context():
        try:
            response = flask.send_from_directory(folder, path)
        except HTTPException as error:
            assert error.code is not None and 400 <= error.code < 500
            return
        response.direct_passthrough = False
        body = response.get_data()
        response.close()
    assert body in (b"inside a", b"inside b"), (path, body)


# Request parsing from any environ


@pytest.fixture(scope="module")
def target():
    from target_app import app

    app.testing = True  # An exception escaping a view fails the example.
    yield app
    app.testing = False


routes = st.sampled_from(
    ["/args", "/host", "/headers", "/cookies", "/session", "/form", "/json", "/body",
     "/stream-in", "/go", "/build", "/item/", "/number/", "/files/", "/download",
     "/set-cookie", "/etag", "/stream", "/static/"]
)  # fmt: skip


@DETERMINISTIC
@given(
    route=routes,
    tail=fragments,
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD", "get", "X"]),
    query=fragments,
    host=fragments,
    headers=st.dictionaries(
        st.sampled_from(
            [
                "HTTP_COOKIE",
                "CONTENT_TYPE",
                "CONTENT_LENGTH",
                "HTTP_ACCEPT",
                "HTTP_RANGE",
                "HTTP_IF_NONE_MATCH",
                "HTTP_IF_MODIFIED_SINCE",
                "HTTP_AUTHORIZATION",
                "HTTP_TRANSFER_ENCODING",
                "HTTP_X_FORWARDED_FOR",
                "HTTP_ACCEPT_LANGUAGE",
            ]
        ),  # fmt: skip
        st.one_of(
            fragments,
            st.sampled_from(
                [
                    "application/json",
                    "multipart/form-data; boundary=b",
                    "application/x-www-form-urlencoded",
                    "chunked",
                    "5",
                    "-1",
                ]
            ),
        ),
        max_size=5,
    ),
    body=st.binary(max_size=200),
)
def test_any_environ_gets_an_answer_below_500(
    target, route, tail, method, query, host, headers, body
):
    environ = EnvironBuilder("/").get_environ()
    environ.update(
        REQUEST_METHOD=method,
        PATH_INFO=route + tail,
        QUERY_STRING=query,
        HTTP_HOST=host,
        **headers,
    )
    environ["wsgi.input"] = io.BytesIO(body)
    if "CONTENT_LENGTH" not in headers:
        environ["CONTENT_LENGTH"] = str(len(body))
    response, status, _headers = run_wsgi_app(target, environ, buffered=True)
    b"".join(response)
    assert int(status.split()[0]) < 500
