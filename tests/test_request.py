"""flask.Request and flask.Response: routing information on the request, body limits,
refusing bad input, and the response defaults."""

from __future__ import annotations

import io
import typing as t

import pytest
import werkzeug
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request as WerkzeugRequest
from werkzeug.wrappers import Response as WerkzeugResponse

import flask


def _record_request(app: flask.Flask) -> dict[str, t.Any]:
    """Make ``app`` store what the request knew about routing, before dispatch."""
    seen: dict[str, t.Any] = {}

    @app.before_request
    def remember() -> None:
        req = flask.request
        seen.update(
            url_rule=req.url_rule,
            view_args=req.view_args,
            routing_exception=req.routing_exception,
            endpoint=req.endpoint,
            blueprint=req.blueprint,
            blueprints=req.blueprints,
        )

    return seen


# --- routing information ---------------------------------------------------------


def test_matched_request_exposes_rule_args_and_endpoint(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)

    @app.route("/books/<int:book_id>/pages/<name>", endpoint="page")
    def show_page(book_id: int, name: str) -> str:
        return "ok"

    assert client.get("/books/12/pages/intro").status_code == 200
    assert seen["url_rule"].rule == "/books/<int:book_id>/pages/<name>"
    assert "GET" in seen["url_rule"].methods
    assert seen["view_args"] == {"book_id": 12, "name": "intro"}
    assert seen["routing_exception"] is None
    assert seen["endpoint"] == "page"
    assert seen["blueprint"] is None
    assert seen["blueprints"] == []


def test_unmatched_request_has_not_found_routing_exception(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)

    assert client.get("/nowhere").status_code == 404
    assert isinstance(seen["routing_exception"], NotFound)
    assert seen["url_rule"] is None
    assert seen["view_args"] is None
    assert seen["endpoint"] is None
    assert seen["blueprint"] is None
    assert seen["blueprints"] == []


def test_wrong_method_has_method_not_allowed_routing_exception(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)

    @app.post("/submit")
    def submit() -> str:
        return "ok"

    assert client.get("/submit").status_code == 405
    assert isinstance(seen["routing_exception"], MethodNotAllowed)
    assert seen["endpoint"] is None


def test_missing_slash_redirect_is_the_routing_exception(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)

    @app.route("/folder/")
    def folder() -> str:
        return "ok"

    response = client.get("/folder")
    assert response.status_code == 308
    assert isinstance(seen["routing_exception"], RequestRedirect)


def test_blueprint_attributes_for_a_nested_blueprint(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__)

    @inner.route("/leaf")
    def leaf() -> str:
        return "leaf"

    @outer.route("/trunk")
    def trunk() -> str:
        return "trunk"

    outer.register_blueprint(inner, url_prefix="/inner")
    app.register_blueprint(outer, url_prefix="/outer")

    client.get("/outer/inner/leaf")
    assert seen["endpoint"] == "outer.inner.leaf"
    assert seen["blueprint"] == "outer.inner"
    assert seen["blueprints"] == ["outer.inner", "outer"]

    client.get("/outer/trunk")
    assert seen["blueprint"] == "outer"
    assert seen["blueprints"] == ["outer"]


def test_blueprint_attribute_uses_the_registration_name(
    app: flask.Flask, client: t.Any
) -> None:
    seen = _record_request(app)
    parent = flask.Blueprint("parent", __name__)
    child = flask.Blueprint("child", __name__)

    @child.route("/where")
    def where() -> str:
        return flask.request.blueprint or ""

    parent.register_blueprint(child, url_prefix="/a")
    parent.register_blueprint(child, name="alias", url_prefix="/b")
    app.register_blueprint(parent, name="mounted", url_prefix="/m")

    assert client.get("/m/a/where").get_data(as_text=True) == "mounted.child"
    assert seen["blueprints"] == ["mounted.child", "mounted"]
    assert client.get("/m/b/where").get_data(as_text=True) == "mounted.alias"
    assert seen["blueprints"] == ["mounted.alias", "mounted"]


def test_request_json_module_is_the_app_provider(
    app: flask.Flask, client: t.Any
) -> None:
    found = []

    @app.route("/")
    def index() -> str:
        found.append(flask.request.json_module)
        return ""

    client.get("/")
    assert found == [app.json]
    assert flask.Request.json_module is flask.json


# --- body limits: defaults and per-request values -------------------------------------


def test_limits_outside_an_app_are_werkzeugs_defaults() -> None:
    req = flask.Request(EnvironBuilder().get_environ())
    assert req.max_content_length == WerkzeugRequest.max_content_length
    assert req.max_form_memory_size == WerkzeugRequest.max_form_memory_size
    assert req.max_form_parts == WerkzeugRequest.max_form_parts


def test_limits_inside_an_app_come_from_config(app: flask.Flask) -> None:
    app.config.update(
        MAX_CONTENT_LENGTH=111, MAX_FORM_MEMORY_SIZE=222, MAX_FORM_PARTS=3
    )
    with app.test_request_context():
        req = flask.request
        assert req.max_content_length == 111
        assert req.max_form_memory_size == 222
        assert req.max_form_parts == 3


def test_config_limit_defaults(app: flask.Flask) -> None:
    with app.test_request_context():
        assert flask.request.max_content_length is None
        assert flask.request.max_form_memory_size == 500_000
        assert flask.request.max_form_parts == 1_000


def test_limits_set_on_a_request_win_over_config(app: flask.Flask) -> None:
    app.config.update(
        MAX_CONTENT_LENGTH=111, MAX_FORM_MEMORY_SIZE=222, MAX_FORM_PARTS=3
    )
    with app.test_request_context():
        req = flask.request
        req.max_content_length = 5
        req.max_form_memory_size = 6
        req.max_form_parts = 7
        assert (req.max_content_length, req.max_form_memory_size) == (5, 6)
        assert req.max_form_parts == 7
    # A fresh request starts from the config again.
    with app.test_request_context():
        assert flask.request.max_content_length == 111


def test_limits_set_on_a_request_work_outside_an_app() -> None:
    req = flask.Request(EnvironBuilder().get_environ())
    req.max_content_length = 10
    req.max_form_parts = 2
    assert req.max_content_length == 10
    assert req.max_form_parts == 2


def test_request_limit_set_in_before_request_applies_to_the_body(
    app: flask.Flask, client: t.Any
) -> None:
    @app.before_request
    def tighten() -> None:
        if flask.request.path == "/small":
            flask.request.max_content_length = 4

    @app.post("/small")
    @app.post("/large")
    def echo() -> bytes:
        return flask.request.get_data()

    assert client.post("/small", data=b"0123456789").status_code == 413
    assert client.post("/large", data=b"0123456789").data == b"0123456789"


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_malformed_json_body_is_400_with_detail_only_in_debug(
    app: flask.Flask, debug: bool
) -> None:
    app.debug = debug

    @app.errorhandler(400)
    def describe(error: t.Any) -> tuple[str, int]:
        return error.description, 400

    @app.post("/data")
    def data() -> str:
        flask.request.get_json()
        return "parsed"

    response = app.test_client().post(
        "/data", data="{'single': quotes}", content_type="application/json"
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    if debug:
        assert "Failed to decode JSON object" in text
        assert "Expecting property name enclosed in double quotes" in text
    else:
        assert "decode" not in text
        assert text == werkzeug.exceptions.BadRequest.description


def test_get_json_on_a_non_json_content_type_is_415(
    app: flask.Flask, client: t.Any
) -> None:
    @app.post("/data")
    def data() -> str:
        flask.request.get_json()
        return "parsed"

    response = client.post("/data", data='{"a": 1}', content_type="text/plain")
    assert response.status_code == 415
    assert b"application/json" in response.data


def test_get_json_silent_and_force(app: flask.Flask) -> None:
    with app.test_request_context(
        method="POST", data='{"a": 1}', content_type="text/plain"
    ):
        assert flask.request.get_json(silent=True) is None
        assert flask.request.get_json(force=True) == {"a": 1}


def test_custom_on_json_loading_failed_replaces_the_error(app: flask.Flask) -> None:
    class LenientRequest(flask.Request):
        def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
            return {"fallback": e is None}

    app.request_class = LenientRequest

    @app.post("/data")
    def data() -> t.Any:
        return flask.request.get_json()

    client = app.test_client()
    broken = client.post("/data", data="{", content_type="application/json")
    assert broken.get_json() == {"fallback": False}
    wrong_type = client.post("/data", data="{}", content_type="text/plain")
    assert wrong_type.get_json() == {"fallback": True}


class GuardedInput:
    """A ``wsgi.input`` that counts what is read and refuses to give more than a cap."""

    def __init__(self, size: int, cap: int) -> None:
        self._remaining = size
        self.cap = cap
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._remaining
        size = min(size, self._remaining)
        if self.consumed + size > self.cap:
            raise AssertionError(f"read past {self.cap} bytes")
        self._remaining -= size
        self.consumed += size
        return b"x" * size

    def readinto(self, buffer: t.Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post_raw(
    app: flask.Flask, path: str, stream: GuardedInput, headers: dict[str, t.Any]
) -> int:
    """Send a POST whose ``wsgi.input`` is ``stream``; return the status code."""
    environ = EnvironBuilder(path=path, method="POST").get_environ()
    environ["wsgi.input"] = stream
    environ.pop("CONTENT_LENGTH", None)
    environ.pop("CONTENT_TYPE", None)
    for key, value in headers.items():
        environ[key] = value
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0])


def test_body_over_max_content_length_is_413_without_reading_it(
    app: flask.Flask,
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1_000
    body_size = 10_000_000
    stream = GuardedInput(body_size, cap=1_000)
    reached_view = []

    @app.post("/upload")
    def upload() -> str:
        reached_view.append(True)
        return str(len(flask.request.form))

    status = _post_raw(
        app,
        "/upload",
        stream,
        {
            "CONTENT_LENGTH": str(body_size),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        },
    )
    assert reached_view == [True]
    assert status == 413
    assert stream.consumed == 0


def test_unsized_body_over_max_content_length_stops_reading_at_the_limit(
    app: flask.Flask,
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1_000
    stream = GuardedInput(10_000_000, cap=100_000)

    @app.post("/upload")
    def upload() -> str:
        total = 0
        while chunk := flask.request.stream.read(4_096):
            total += len(chunk)
        return str(total)

    # No Content-Length: a server that terminates the stream itself (chunked
    # transfer) says so with wsgi.input_terminated.
    status = _post_raw(app, "/upload", stream, {"wsgi.input_terminated": True})
    assert status == 413
    assert 0 < stream.consumed <= 100_000


def test_body_within_max_content_length_is_read(app: flask.Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1_000

    @app.post("/upload")
    def upload() -> str:
        return str(len(flask.request.get_data()))

    response = app.test_client().post("/upload", data=b"y" * 1_000)
    assert response.get_data(as_text=True) == "1000"


def test_form_field_over_max_form_memory_size_is_413(
    app: flask.Flask, client: t.Any
) -> None:
    # Werkzeug reads the body in 64 KiB chunks and also refuses a single chunk larger
    # than the limit, so the limit here is above one chunk.
    app.config["MAX_FORM_MEMORY_SIZE"] = 100_000

    @app.post("/form")
    def form() -> str:
        return str(len(flask.request.form["comment"]))

    def post(size: int) -> t.Any:
        return client.post(
            "/form", data={"comment": "c" * size}, content_type="multipart/form-data"
        )

    assert post(90_000).get_data(as_text=True) == "90000"
    assert post(150_000).status_code == 413


def test_urlencoded_form_over_max_form_memory_size_is_413_without_reading_it(
    app: flask.Flask,
) -> None:
    app.config["MAX_FORM_MEMORY_SIZE"] = 1_000
    seen = []

    @app.post("/form")
    def form() -> str:
        seen.append("view")
        return str(len(flask.request.form["comment"]))

    class Untouchable(io.BytesIO):
        def read(self, *args: t.Any) -> bytes:
            raise AssertionError("the oversized body must not be read")

        readline = read

    body = b"comment=" + b"c" * 5_000
    environ = EnvironBuilder(
        path="/form",
        method="POST",
        content_type="application/x-www-form-urlencoded",
    ).get_environ()
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["wsgi.input"] = Untouchable(body)
    app_iter, status, headers = run_wsgi_app(app, environ)
    assert status.startswith("413")
    assert seen == ["view"]

    small = app.test_client().post("/form", data={"comment": "c" * 500})
    assert small.get_data(as_text=True) == "500"


def test_uploaded_file_is_not_limited_by_max_form_memory_size(
    app: flask.Flask, client: t.Any
) -> None:
    app.config["MAX_FORM_MEMORY_SIZE"] = 100_000

    @app.post("/form")
    def form() -> str:
        return str(len(flask.request.files["doc"].read()))

    response = client.post(
        "/form", data={"doc": (io.BytesIO(b"d" * 400_000), "doc.txt")}
    )
    assert response.get_data(as_text=True) == "400000"


def test_multipart_with_more_parts_than_max_form_parts_is_413(
    app: flask.Flask, client: t.Any
) -> None:
    app.config["MAX_FORM_PARTS"] = 5

    @app.post("/form")
    def form() -> str:
        return str(len(flask.request.form))

    def fields(count: int) -> dict[str, str]:
        return {f"field{number}": "v" for number in range(count)}

    allowed = client.post("/form", data=fields(5), content_type="multipart/form-data")
    assert allowed.get_data(as_text=True) == "5"
    refused = client.post("/form", data=fields(6), content_type="multipart/form-data")
    assert refused.status_code == 413


# --- flask.Response ------------------------------------------------------------------


def test_response_default_mimetype_is_html() -> None:
    response = flask.Response("<p>hi</p>")
    assert flask.Response.default_mimetype == "text/html"
    assert response.mimetype == "text/html"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_view_returning_a_string_is_html(app: flask.Flask, client: t.Any) -> None:
    @app.route("/")
    def index() -> str:
        return "<h1>title</h1>"

    response = client.get("/")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_relative_location_header_is_not_made_absolute(
    app: flask.Flask, client: t.Any
) -> None:
    assert flask.Response.autocorrect_location_header is False

    @app.route("/old")
    def old() -> t.Any:
        return flask.redirect("/new/place")

    response = client.get("/old")
    assert response.status_code == 302
    assert response.headers["Location"] == "/new/place"


def test_max_cookie_size_follows_config_inside_an_app(app: flask.Flask) -> None:
    app.config["MAX_COOKIE_SIZE"] = 321
    with app.app_context():
        assert flask.Response().max_cookie_size == 321


def test_max_cookie_size_outside_an_app_is_werkzeugs_default() -> None:
    assert flask.Response().max_cookie_size == WerkzeugResponse.max_cookie_size


def test_cookie_larger_than_the_limit_warns(app: flask.Flask) -> None:
    app.config["MAX_COOKIE_SIZE"] = 80
    with app.app_context():
        response = flask.Response()
        response.set_cookie("small", "s")
        with pytest.warns(UserWarning, match="cookie"):
            response.set_cookie("big", "b" * 200)
    # The oversized cookie is still sent.
    assert any("big=" in value for value in response.headers.getlist("Set-Cookie"))


def test_oversized_cookie_set_in_a_view_warns(app: flask.Flask, client: t.Any) -> None:
    app.config["MAX_COOKIE_SIZE"] = 50

    @app.route("/")
    def index() -> flask.Response:
        response = flask.make_response("ok")
        response.set_cookie("pref", "p" * 100)
        return response

    with pytest.warns(UserWarning):
        client.get("/")


def test_response_json_module_uses_the_app_provider(app: flask.Flask) -> None:
    class MarkingProvider(flask.json.provider.DefaultJSONProvider):
        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return ["marked", super().loads(s, **kwargs)]

    app.json = MarkingProvider(app)
    assert flask.Response.json_module is flask.json
    with app.app_context():
        response = flask.Response("[1]", mimetype="application/json")
        assert response.get_json() == ["marked", [1]]


# --- streamed responses -------------------------------------------------------------


def test_stream_with_context_wrapper_keeps_the_request(
    app: flask.Flask, client: t.Any
) -> None:
    @app.route("/greet")
    def greet() -> flask.Response:
        def produce() -> t.Iterator[str]:
            yield "hello, "
            yield flask.request.args["who"]
            yield f" from {flask.current_app.name}"

        return flask.Response(flask.stream_with_context(produce()))

    response = client.get("/greet?who=ada")
    assert response.get_data(as_text=True) == "hello, ada from flask_test"


def test_stream_with_context_as_a_decorator(app: flask.Flask, client: t.Any) -> None:
    @app.route("/count")
    def count() -> flask.Response:
        flask.g.step = 3

        @flask.stream_with_context
        def numbers(limit: int) -> t.Iterator[str]:
            for number in range(0, limit, flask.g.step):
                yield f"{number}{flask.request.args.get('sep', ',')}"

        return flask.Response(numbers(10))

    assert client.get("/count?sep=;").get_data(as_text=True) == "0;3;6;9;"


def test_stream_without_context_loses_the_request(
    app: flask.Flask, client: t.Any
) -> None:
    # The counterpart of the tests above: without the wrapper the generator runs after
    # the request context is gone.
    @app.route("/plain")
    def plain() -> flask.Response:
        def produce() -> t.Iterator[str]:
            yield "has request: "
            yield str(flask.has_request_context())

        return flask.Response(produce())

    assert client.get("/plain").get_data(as_text=True) == "has request: False"


def test_teardown_request_waits_for_the_stream_to_finish(
    app: flask.Flask, client: t.Any
) -> None:
    events: list[str] = []

    @app.teardown_request
    def record_teardown(error: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/events")
    def stream_events() -> flask.Response:
        def produce() -> t.Iterator[str]:
            for part in ("a", "b"):
                events.append(f"chunk {part} for {flask.request.path}")
                yield part

        events.append("view returned")
        return flask.Response(flask.stream_with_context(produce()))

    response = client.get("/events")
    # The view has returned (the client may already have pulled the first chunk),
    # but the request is not torn down while the body is still being produced.
    assert events[0] == "view returned"
    assert "teardown" not in events
    assert response.get_data(as_text=True) == "ab"
    assert events == [
        "view returned",
        "chunk a for /events",
        "chunk b for /events",
        "teardown",
    ]
    assert not flask.has_request_context()


def test_closing_an_unfinished_stream_runs_teardown(
    app: flask.Flask, client: t.Any
) -> None:
    events: list[str] = []

    @app.teardown_request
    def record_teardown(error: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/endless")
    def endless() -> flask.Response:
        def produce() -> t.Iterator[str]:
            try:
                while True:
                    yield "x"
            finally:
                events.append("generator closed")

        return flask.Response(flask.stream_with_context(produce()))

    response = client.get("/endless")
    chunks = response.iter_encoded()
    assert next(chunks) == b"x"
    assert next(chunks) == b"x"
    assert events == []
    response.close()
    assert events == ["generator closed", "teardown"]


@pytest.mark.usefixtures("asgiref")
def test_stream_with_context_from_an_async_view(
    app: flask.Flask, client: t.Any
) -> None:
    events: list[str] = []

    @app.teardown_request
    def record_teardown(error: BaseException | None) -> None:
        events.append("teardown")

    @app.route("/async")
    async def async_stream() -> flask.Response:
        def produce() -> t.Iterator[str]:
            yield "path="
            yield flask.request.path

        return flask.Response(flask.stream_with_context(produce()))

    response = client.get("/async")
    assert response.get_data(as_text=True) == "path=/async"
    assert events == ["teardown"]
    assert not flask.has_request_context()


def test_stream_closed_before_iterating_still_tears_down(
    app: flask.Flask, client: t.Any
) -> None:
    events: list[str] = []

    @app.teardown_request
    def record_teardown(error: BaseException | None) -> None:
        events.append(f"teardown {flask.request.path}")

    @app.teardown_appcontext
    def record_app_teardown(error: BaseException | None) -> None:
        events.append("app teardown")

    @app.route("/head-only")
    def head_only() -> flask.Response:
        def produce() -> t.Iterator[str]:
            events.append("produced")
            yield "body"

        return flask.Response(flask.stream_with_context(produce()))

    # A HEAD response sends no body, so the stream is never iterated.
    response = client.head("/head-only")
    response.close()
    assert events == ["teardown /head-only", "app teardown"]
    assert not flask.has_app_context()


def test_stream_with_context_outside_a_request_is_a_runtime_error(
    app: flask.Flask,
) -> None:
    def produce() -> t.Iterator[str]:
        yield "never"

    with pytest.raises(RuntimeError, match="request context"):
        flask.stream_with_context(produce())
    with app.app_context():
        with pytest.raises(RuntimeError, match="request context"):
            flask.stream_with_context(produce())

    decorated = flask.stream_with_context(produce)
    with pytest.raises(RuntimeError, match="request context"):
        decorated()
