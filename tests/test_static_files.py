"""The direct file response: :func:`flask.send_from_directory`, and so the static
route, answers exactly as Werkzeug's ``send_from_directory`` does, and Werkzeug's code
answers whenever something the direct response does the work of is customised, or the
request asks for what only Werkzeug's code does.

Whether Werkzeug's code ran is told by the code objects the interpreter enters
(``sys.setprofile``), so that no patch of Werkzeug's own functions is needed to see it.
"""

from __future__ import annotations

import email.utils
import gc
import inspect
import sys
import typing as t
import warnings
from pathlib import Path

import pytest
import werkzeug.utils
from werkzeug.datastructures import ETags
from werkzeug.datastructures import Headers
from werkzeug.datastructures import ResponseCacheControl
from werkzeug.exceptions import NotFound
from werkzeug.http import http_date
from werkzeug.sansio import http as sansio_http
from werkzeug.sansio import response as sansio_response
from werkzeug.wrappers import response as wsgi_response

import flask
from flask import fastpaths

pytestmark = pytest.mark.usefixtures("fast_paths_on")

FILES = {
    "style.css": b"body { color: red }\n",
    "blob": b"\x00\x01\x02",
    "archive.tar.gz": b"\x1f\x8b not really",
    "with space.txt": b"spaced",
    "empty.js": b"",
    "nested/inner.txt": b"inside",
}
NOW = 1_700_000_000.25
WERKZEUG_CODE = {
    werkzeug.utils.send_from_directory.__code__,
    werkzeug.utils.send_file.__code__,
}


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    for name, data in FILES.items():
        target = tmp_path / "static" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return flask.Flask("static_files", root_path=str(tmp_path))


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both paths look the clock and the Date header's formatting up where Werkzeug
    # does, so answers made at different moments compare equal.
    def fixed_date(timestamp: t.Any = None) -> str:
        return http_date(NOW if timestamp is None else timestamp)

    monkeypatch.setattr(werkzeug.utils, "time", lambda: NOW)
    monkeypatch.setattr(wsgi_response, "http_date", fixed_date)


class Answer(t.NamedTuple):
    status: str
    headers: list[tuple[str, str]]
    attributes: dict[str, t.Any]
    body: bytes


def read(response: flask.Response) -> Answer:
    """What a response carries, with its file read and closed."""
    attributes = {
        name: value
        for name, value in vars(response).items()
        if name not in ("headers", "response")
    }
    attributes["body type"] = type(response.response)
    attributes["headers type"] = type(response.headers)
    try:
        body = b"".join(response.response)
    finally:
        response.close()
    return Answer(response.status, response.headers.to_wsgi_list(), attributes, body)


def werkzeug_ran(make: t.Callable[[], t.Any]) -> tuple[t.Any, bool]:
    """Call ``make``; return its result and whether Werkzeug's send_from_directory
    or send_file ran."""
    entered: set[t.Any] = set()

    def profile(frame: t.Any, event: str, arg: t.Any) -> None:
        if event == "call":
            entered.add(frame.f_code)

    sys.setprofile(profile)
    try:
        result = make()
    finally:
        sys.setprofile(None)
    return result, bool(entered & WERKZEUG_CODE)


def reference(app: flask.Flask, name: str, **kwargs: t.Any) -> flask.Response:
    """Werkzeug's answer, given what flask's send_from_directory passes it."""
    kwargs.setdefault("max_age", app.get_send_file_max_age)
    return werkzeug.utils.send_from_directory(  # type: ignore[return-value]
        "static",
        name,
        flask.request.environ,
        use_x_sendfile=app.config["USE_X_SENDFILE"],
        response_class=app.response_class,
        _root_path=app.root_path,
        **kwargs,
    )


def stamps(app: flask.Flask, name: str) -> dict[str, str]:
    with app.test_request_context("/"):
        headers = read(reference(app, name)).headers
    found = dict(headers)
    return {"ETAG": found["ETag"], "LAST_MODIFIED": found["Last-Modified"]}


def serve(app: flask.Flask, name: str = "style.css", **kwargs: t.Any) -> Answer:
    """Flask's answer for the file inside a request built from ``kwargs``."""
    with app.test_request_context("/", **kwargs):
        return read(flask.send_from_directory("static", name))


# Answers ---------------------------------------------------------------------------

CONDITIONS = [
    {},
    {"If-None-Match": "ETAG"},
    {"If-None-Match": "W/ETAG"},
    {"If-None-Match": '"other", ETAG'},
    {"If-None-Match": '"other"'},
    {"If-None-Match": "*"},
    {"If-None-Match": ", ,"},
    {"If-Modified-Since": "LAST_MODIFIED"},
    {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
    {"If-Modified-Since": "not a date"},
    {"If-Modified-Since": "LAST_MODIFIED", "If-None-Match": '"other"'},
    {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT", "If-None-Match": "ETAG"},
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("name", ["style.css", "blob", "archive.tar.gz", "empty.js"])
@pytest.mark.parametrize("max_age", ["default", None, 0, 60, -5, lambda path: 7])
def test_answers_as_werkzeug_does(app, name, condition, method, max_age):
    known = stamps(app, name)
    headers = {key: value for key, value in condition.items()}
    for key, value in headers.items():
        for placeholder, stamp in known.items():
            value = value.replace(placeholder, stamp)
        headers[key] = value
    options = {} if max_age == "default" else {"max_age": max_age}
    with app.test_request_context("/", headers=headers, method=method):
        theirs = read(reference(app, name, **options))
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", name, **options)
        )
        assert read(ours) == theirs
    assert not ran


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("nested/inner.txt", "nested/inner.txt"),
        ("./style.css", "style.css"),
        ("nested/../style.css", "style.css"),
    ],
)
def test_paths_inside_the_folder_are_served(app, name, path):
    answer = serve(app, name)
    assert answer.body == FILES[path]
    with app.test_request_context("/"):
        assert read(reference(app, name)) == answer


@pytest.mark.parametrize(
    "name", ["../static/style.css", "/etc/passwd", "missing.css", "nested", ""]
)
def test_paths_outside_the_folder_or_missing_are_404(app, name):
    with app.test_request_context("/"):
        with pytest.raises(NotFound):
            reference(app, name)
        with pytest.raises(NotFound):
            flask.send_from_directory("static", name)


def test_a_path_object_is_served(app):
    with app.test_request_context("/"):
        ours = read(flask.send_from_directory(Path("static"), Path("style.css")))
        assert ours == read(reference(app, "style.css"))


def test_the_static_route_answers_304_to_its_etag(app):
    client = app.test_client()
    first = client.get("/static/style.css")
    assert first.status_code == 200
    assert first.get_data() == FILES["style.css"]
    first.close()
    again = client.get(
        "/static/style.css", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    assert "Content-Length" not in again.headers
    again.close()


def test_closing_the_response_closes_the_file(app):
    with app.test_request_context("/"):
        response = flask.send_from_directory("static", "style.css")
        opened = response.response.file  # type: ignore[attr-defined]
        response.close()
    assert opened.closed


def test_the_servers_file_wrapper_is_used(app):
    wrapped = []

    class Wrapper:
        def __init__(self, file: t.Any, size: int) -> None:
            wrapped.append(size)
            self.file = file

        def __iter__(self) -> t.Iterator[bytes]:
            return iter([self.file.read()])

        def close(self) -> None:
            self.file.close()

    with app.test_request_context("/", environ_base={"wsgi.file_wrapper": Wrapper}):
        answer = read(flask.send_from_directory("static", "style.css"))
    assert wrapped == [8192]
    assert answer.attributes["body type"] is Wrapper


# What Werkzeug's code answers --------------------------------------------------------


def test_a_file_name_that_needs_quoting_is_werkzeugs(app):
    with app.test_request_context("/"):
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", "with space.txt")
        )
        answer = read(ours)
    assert ran
    assert ("Content-Disposition", 'inline; filename="with space.txt"') in (
        answer.headers
    )


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Range": "bytes=0-3"}, "206 PARTIAL CONTENT"),
        ({"If-Match": '"nope"', "If-None-Match": "ETAG"}, "412 PRECONDITION FAILED"),
    ],
)
def test_range_and_if_match_requests_are_werkzeugs(app, headers, status):
    etag = stamps(app, "style.css")["ETAG"]
    headers = {key: value.replace("ETAG", etag) for key, value in headers.items()}
    with app.test_request_context("/", headers=headers):
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", "style.css")
        )
        assert ran
        assert read(ours).status == status


def test_other_methods_are_werkzeugs_and_not_conditional(app):
    etag = stamps(app, "style.css")["ETAG"]
    with app.test_request_context("/", method="POST", headers={"If-None-Match": etag}):
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", "style.css")
        )
        answer = read(ours)
    assert ran
    assert answer.status == "200 OK"
    assert "Accept-Ranges" not in dict(answer.headers)


def test_x_sendfile_is_werkzeugs(app):
    app.config["USE_X_SENDFILE"] = True
    answer = serve(app)
    assert dict(answer.headers)["X-Sendfile"].endswith("style.css")
    assert answer.body == b""


def test_arguments_other_than_max_age_are_werkzeugs(app):
    with app.test_request_context("/"):
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", "style.css", mimetype="text/x")
        )
        answer = read(ours)
    assert ran
    assert dict(answer.headers)["Content-Type"] == "text/x; charset=utf-8"


def test_a_max_age_other_than_an_int_is_werkzeugs(app):
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3.5
    with app.test_request_context("/"):
        ours, ran = werkzeug_ran(
            lambda: flask.send_from_directory("static", "style.css")
        )
        answer = read(ours)
    assert ran
    assert dict(answer.headers)["Cache-Control"] == "public, max-age=3"


@pytest.mark.parametrize("guessed", [("text/x\ny", None), ("text/plain", "g\nzip")])
def test_a_type_or_encoding_the_headers_refuse_is_werkzeugs(app, monkeypatch, guessed):
    monkeypatch.setattr(werkzeug.utils.mimetypes, "guess_type", lambda name: guessed)
    with warnings.catch_warnings():
        # Werkzeug opened the file before the headers refused the value, and leaves
        # it to the garbage collector.
        warnings.simplefilter("ignore", ResourceWarning)
        with app.test_request_context("/"):
            with pytest.raises(ValueError, match="newline"):
                flask.send_from_directory("static", "style.css")
        gc.collect()


def test_a_response_subclass_gets_werkzeugs_answer(app):
    class Marked(flask.Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Marked"] = "yes"

    app.response_class = Marked
    assert dict(serve(app).headers)["X-Marked"] == "yes"


# Patched code runs -------------------------------------------------------------------

# The names below are written out rather than taken from flask.fastpaths, so that a
# name dropped from what the fast path checks fails its test.


def spy(calls: list[str], name: str, original: t.Callable[..., t.Any]) -> t.Any:
    def spying(*args: t.Any, **kwargs: t.Any) -> t.Any:
        calls.append(name)
        return original(*args, **kwargs)

    return spying


def spied_class(calls: list[str], name: str, original: type) -> type:
    def init(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        calls.append(name)
        original.__init__(self, *args, **kwargs)

    return type(original.__name__, (original,), {"__init__": init})


def spied_property(calls: list[str], name: str, original: t.Any) -> property:
    def get(instance: t.Any) -> t.Any:
        calls.append(name)
        return original.__get__(instance, type(instance))

    def put(instance: t.Any, value: t.Any) -> None:
        calls.append(name)
        original.__set__(instance, value)

    return property(get, put)


def conditional_request(app: flask.Flask) -> dict[str, t.Any]:
    known = stamps(app, "style.css")
    return {
        "headers": {
            "If-None-Match": known["ETAG"],
            "If-Modified-Since": known["LAST_MODIFIED"],
        }
    }


def patch_and_serve(
    app: flask.Flask,
    monkeypatch: pytest.MonkeyPatch,
    owner: t.Any,
    name: str,
    path: str = "style.css",
) -> list[str]:
    """Serve the file once, patch ``owner.name`` with a spy, serve it again with a
    conditional request and a max age, and return what the spy saw."""
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    request = conditional_request(app)
    serve(app, **request)  # Whatever can be remembered is remembered now.
    calls: list[str] = []
    original = inspect.getattr_static(owner, name)
    if isinstance(original, type):
        replacement: t.Any = spied_class(calls, name, original)
    elif hasattr(original, "__set__"):
        replacement = spied_property(calls, name, original)
    else:
        replacement = spy(calls, name, original)
    monkeypatch.setattr(owner, name, replacement)
    if path == "style.css":
        serve(app, **request)
    else:
        with pytest.raises(NotFound):
            serve(app, path, **request)
    return calls


@pytest.mark.parametrize(
    "name",
    ["send_from_directory", "send_file", "safe_join", "Headers", "NotFound", "adler32"],
)
def test_patched_file_helper_runs(app, monkeypatch, name):
    path = "missing.css" if name == "NotFound" else "style.css"
    assert patch_and_serve(app, monkeypatch, werkzeug.utils, name, path)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (wsgi_response, "is_resource_modified"),
        (wsgi_response, "parse_etags"),
        (sansio_http, "is_resource_modified"),
        (sansio_http, "parse_date"),
        (sansio_http, "parse_etags"),
        (sansio_http, "unquote_etag"),
        (sansio_http, "_dt_as_utc"),
        (sansio_response, "Headers"),
        (sansio_response, "parse_cache_control_header"),
        (sansio_response, "ResponseCacheControl"),
        (sansio_response, "quote_etag"),
    ],
)
def test_patched_conditional_or_header_function_runs(app, monkeypatch, module, name):
    assert patch_and_serve(app, monkeypatch, module, name)


@pytest.mark.parametrize(
    "name",
    [
        "content_length",
        "last_modified",
        "expires",
        "cache_control",
        "set_etag",
        "make_conditional",
        "_process_range_request",
        "_is_range_request_processable",
        "status_code",
    ],
)
def test_patched_response_attribute_runs(app, monkeypatch, name):
    assert patch_and_serve(app, monkeypatch, flask.Response, name)


def test_patched_accept_ranges_is_used_where_werkzeug_uses_it(app, monkeypatch):
    # Earlier Werkzeug 3.1 releases set the header only for a Range request, and
    # without the property.
    serve(app)
    original = flask.Response.accept_ranges

    def put(response: flask.Response, value: str) -> None:
        original.__set__(response, f"patched-{value}")

    monkeypatch.setattr(
        flask.Response, "accept_ranges", property(original.__get__, put)
    )
    answer = serve(app)
    with app.test_request_context("/"):
        assert answer == read(reference(app, "style.css"))


def test_patched_automatic_content_length_is_read(app, monkeypatch):
    serve(app)
    reads: list[bool] = []
    monkeypatch.setattr(
        flask.Response,
        "automatically_set_content_length",
        property(lambda self: reads.append(True) or True),
    )
    serve(app)
    assert reads


def test_patched_response_constructor_runs(app, monkeypatch):
    assert patch_and_serve(app, monkeypatch, flask.Response, "__init__")


@pytest.mark.parametrize(
    "name",
    ["__init__", "to_header", "_set_cache_value", "no_cache", "public", "max_age"],
)
def test_patched_cache_control_runs(app, monkeypatch, name):
    assert patch_and_serve(app, monkeypatch, ResponseCacheControl, name)


@pytest.mark.parametrize(
    "name", ["__init__", "__bool__", "contains_weak", "is_weak", "contains"]
)
def test_patched_etags_method_runs(app, monkeypatch, name):
    assert patch_and_serve(app, monkeypatch, ETags, name)


def test_patched_formatdate_formats_last_modified(app, monkeypatch):
    serve(app)
    formatted: list[t.Any] = []
    original = email.utils.formatdate

    def formatdate(timeval: t.Any = None, *args: t.Any, **kwargs: t.Any) -> str:
        formatted.append(timeval)
        return original(timeval, *args, **kwargs)

    monkeypatch.setattr(email.utils, "formatdate", formatdate)
    answer = serve(app)
    mtime = (Path(app.root_path) / "static" / "style.css").stat().st_mtime
    assert mtime in formatted
    assert dict(answer.headers)["Last-Modified"] == original(mtime, usegmt=True)


def test_headers_class_of_the_response_is_werkzeugs(app):
    assert serve(app).attributes["headers type"] is Headers


# What describe() says ----------------------------------------------------------------


def test_describe_says_the_file_response_is_on(app):
    assert fastpaths.describe(app)["file_response"] == "on"


def test_describe_names_a_patched_file_helper(app, monkeypatch):
    monkeypatch.setattr(werkzeug.utils, "safe_join", werkzeug.utils.safe_join)
    assert fastpaths.describe(app)["file_response"] == "on"
    monkeypatch.setattr(werkzeug.utils, "safe_join", lambda *parts: None)
    assert fastpaths.describe(app)["file_response"] == (
        "Werkzeug's file, conditional or cache control code is patched"
    )


def test_describe_names_a_patched_response_attribute(app, monkeypatch):
    monkeypatch.setattr(flask.Response, "set_etag", lambda self, etag, weak=False: None)
    assert fastpaths.describe(app)["file_response"] == "Response.set_etag patched"


def test_describe_names_a_response_subclass(app):
    app.response_class = type("Other", (flask.Response,), {})
    assert fastpaths.describe(app)["file_response"] == (
        "response_class is not flask.Response"
    )
