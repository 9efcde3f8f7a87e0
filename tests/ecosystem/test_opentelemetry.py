"""OpenTelemetry's Flask instrumentation, with spans kept in memory: one server span
per request, named after the route, with the status, ending when the body is closed,
and errors recorded on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

otel_flask = pytest.importorskip("opentelemetry.instrumentation.flask")
pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import ReadableSpan  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import in_memory_span_exporter  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.trace import SpanKind  # noqa: E402
from opentelemetry.trace import StatusCode  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from flask import abort  # noqa: E402
from flask import Flask  # noqa: E402
from flask import Response  # noqa: E402
from flask import stream_with_context  # noqa: E402


class Traced:
    """An instrumented app and what it has exported so far."""

    def __init__(self) -> None:
        self.app = Flask(__name__)
        self.exporter = in_memory_span_exporter.InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.metrics = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.metrics])

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def only_span(self) -> ReadableSpan:
        [span] = self.spans()
        return span


@pytest.fixture
def traced() -> Iterator[Traced]:
    traced = Traced()
    app = traced.app

    @app.get("/users/<int:user_id>")
    def user(user_id: int) -> dict[str, int]:
        return {"id": user_id}

    @app.get("/forbidden")
    def forbidden() -> str:
        abort(403)

    @app.get("/crash")
    def crash() -> str:
        raise LookupError("the ledger is gone")

    @app.get("/stream")
    def stream() -> Response:
        def lines() -> Iterator[str]:
            yield "one\n"
            yield "two\n"

        return Response(stream_with_context(lines()), mimetype="text/plain")

    otel_flask.FlaskInstrumentor().instrument_app(
        app,
        tracer_provider=traced.tracer_provider,
        meter_provider=traced.meter_provider,
    )
    try:
        yield traced
    finally:
        otel_flask.FlaskInstrumentor().uninstrument_app(app)


def test_one_server_span_per_request_named_after_the_route(traced: Traced) -> None:
    client = traced.app.test_client()
    assert client.get("/users/7?tab=posts").json == {"id": 7}
    assert client.get("/users/8").json == {"id": 8}
    first, second = traced.spans()
    assert first.name == second.name == "GET /users/<int:user_id>"
    assert first.kind is SpanKind.SERVER
    assert first.context.trace_id != second.context.trace_id
    attributes = dict(first.attributes or {})
    assert attributes["http.route"] == "/users/<int:user_id>"
    assert attributes["http.method"] == "GET"
    assert attributes["http.status_code"] == 200
    assert attributes["http.target"] == "/users/7?tab=posts"
    assert first.status.status_code is StatusCode.UNSET


def test_http_errors_set_the_status_code(traced: Traced) -> None:
    client = traced.app.test_client()
    assert client.get("/forbidden").status_code == 403
    assert client.get("/nowhere").status_code == 404
    forbidden, missing = traced.spans()
    assert forbidden.attributes["http.status_code"] == 403
    assert forbidden.name == "GET /forbidden"
    # No route matched: the span is named after the method and the path.
    assert missing.attributes["http.status_code"] == 404
    assert missing.name == "GET /nowhere"
    assert "http.route" not in missing.attributes


def test_an_unhandled_error_is_recorded_on_the_span(traced: Traced) -> None:
    response = traced.app.test_client().get("/crash")
    assert response.status_code == 500
    span = traced.only_span()
    assert span.attributes["http.status_code"] == 500
    assert span.status.status_code is StatusCode.ERROR
    [event] = span.events
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "LookupError"
    assert event.attributes["exception.message"] == "the ledger is gone"


def test_the_span_of_a_streamed_response_ends_when_the_body_is_closed(
    traced: Traced,
) -> None:
    statuses: list[str] = []
    environ = EnvironBuilder(path="/stream").get_environ()
    body = traced.app(environ, lambda status, headers, *_: statuses.append(status))
    assert statuses == ["200 OK"]
    chunks = iter(body)
    assert next(chunks) == b"one\n"
    # The server has not finished sending: the request is still going on.
    assert traced.spans() == []
    # (Flask 3.1.3 ends the request, and so the span, before the body is sent: see
    # "stream_with_context tears down once" in docs/compatibility.rst.)
    body.close()  # type: ignore[attr-defined]
    span = traced.only_span()
    assert span.name == "GET /stream"
    assert span.attributes["http.status_code"] == 200


def test_the_span_of_a_plain_response_ends_by_the_time_the_server_closes_it(
    traced: Traced,
) -> None:
    environ = EnvironBuilder(path="/users/3").get_environ()
    body = traced.app(environ, lambda *args: None)
    assert b"".join(body) == b'{"id":3}\n'
    if hasattr(body, "close"):
        body.close()
    assert [span.name for span in traced.spans()] == ["GET /users/<int:user_id>"]


def test_the_request_duration_is_measured_per_route(traced: Traced) -> None:
    client = traced.app.test_client()
    client.get("/users/1")
    client.get("/users/2")
    data = traced.metrics.get_metrics_data()
    points = {
        metric.name: metric.data.data_points
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    }
    [histogram] = points["http.server.duration"]
    assert histogram.count == 2
    assert histogram.attributes["http.target"] == "/users/<int:user_id>"
    assert histogram.attributes["http.status_code"] == 200


def test_instrumenting_every_app_created_afterwards() -> None:
    # The other way the docs show: instrument() replaces the Flask class, so that
    # applications created from then on are traced, until uninstrument().
    import flask

    exporter = in_memory_span_exporter.InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = otel_flask.FlaskInstrumentor()
    instrumentor.instrument(tracer_provider=provider)
    try:
        app = flask.Flask(__name__)
    finally:
        instrumentor.uninstrument()

    @app.get("/hello/<name>")
    def hello(name: str) -> str:
        return f"hello {name}"

    assert app.test_client().get("/hello/ada").text == "hello ada"
    [span] = exporter.get_finished_spans()
    assert span.name == "GET /hello/<name>"
    assert span.attributes["http.status_code"] == 200
    assert flask.Flask is Flask
