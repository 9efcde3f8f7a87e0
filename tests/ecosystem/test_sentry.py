"""Sentry's Flask integration, with a transport that keeps what it would send: errors
become events with the request and the route, every request a transaction named after
its route, errors raised while a body streams are reported too, and HTTP errors are
not reported as errors."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import pytest

sentry_sdk = pytest.importorskip("sentry_sdk")

from sentry_sdk.envelope import Envelope  # noqa: E402
from sentry_sdk.integrations.flask import FlaskIntegration  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

import flask  # noqa: E402
from flask import abort  # noqa: E402
from flask import Flask  # noqa: E402
from flask import render_template_string  # noqa: E402
from flask import Response  # noqa: E402
from flask import stream_with_context  # noqa: E402

SIGNALS = [
    flask.request_started,
    flask.got_request_exception,
    flask.before_render_template,
]


class Recorder(Transport):  # type: ignore[misc]
    """Keeps each envelope instead of sending it."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def errors(self) -> list[dict[str, Any]]:
        found = (envelope.get_event() for envelope in self.envelopes)
        return [event for event in found if event is not None]

    def transactions(self) -> list[dict[str, Any]]:
        found = (envelope.get_transaction_event() for envelope in self.envelopes)
        return [event for event in found if event is not None]


@pytest.fixture(scope="module", autouse=True)
def _undo_the_integration() -> Iterator[None]:
    """The integration patches the Flask class and connects to Flask's signals once per
    process; put both back so that the rest of the suite runs on plain Flask."""
    call = Flask.__call__
    before = [set(signal.receivers) for signal in SIGNALS]
    try:
        yield
    finally:
        sentry_sdk.init()  # no DSN: nothing is recorded any more
        Flask.__call__ = call  # type: ignore[method-assign]
        for signal, known in zip(SIGNALS, before, strict=True):
            for key in set(signal.receivers) - known:
                held = signal.receivers[key]
                signal.disconnect(held() if isinstance(held, weakref.ref) else held)


def start_sentry(transaction_style: str) -> Recorder:
    """Set the SDK up with the Flask integration alone (no patching of the rest of
    the standard library), tracing every request, and return what it will send."""
    transport = Recorder()
    sentry_sdk.init(
        dsn="https://public@sentry.example/1",
        transport=transport,
        integrations=[FlaskIntegration(transaction_style=transaction_style)],
        default_integrations=False,
        auto_enabling_integrations=False,
        traces_sample_rate=1.0,
    )
    return transport


@pytest.fixture
def recorder() -> Recorder:
    return start_sentry("url")


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)

    @app.get("/orders/<int:order_id>")
    def order(order_id: int) -> dict[str, int]:
        return {"order": order_id}

    @app.get("/orders/<int:order_id>/invoice")
    def invoice(order_id: int) -> str:
        raise ZeroDivisionError(f"invoice {order_id} has no lines")

    @app.get("/gone")
    def gone() -> str:
        abort(410)

    @app.get("/export")
    def export() -> Response:
        def rows() -> Iterator[str]:
            yield "a,b\n"
            raise ConnectionResetError("the warehouse hung up")

        return Response(stream_with_context(rows()), mimetype="text/csv")

    @app.get("/page")
    def page() -> str:
        return render_template_string("<head>{{ sentry_trace_meta }}</head>")

    @app.errorhandler(500)
    def sorry(error: Exception) -> tuple[str, int]:
        return "sorry, we were told", 500

    return app


def test_an_unhandled_error_is_reported_with_the_request(
    recorder: Recorder, app: Flask
) -> None:
    response = app.test_client().get("/orders/12/invoice?copy=1")
    assert (response.status_code, response.text) == (500, "sorry, we were told")
    [event] = recorder.errors()
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ZeroDivisionError"
    assert exception["value"] == "invoice 12 has no lines"
    assert exception["mechanism"] == {"type": "flask", "handled": False}
    assert event["transaction"] == "/orders/<int:order_id>/invoice"
    assert event["request"]["url"] == "http://localhost/orders/12/invoice"
    assert event["request"]["query_string"] == "copy=1"
    assert event["request"]["method"] == "GET"
    [transaction] = recorder.transactions()
    assert transaction["contexts"]["trace"]["status"] == "internal_error"
    assert (
        event["contexts"]["trace"]["trace_id"]
        == transaction["contexts"]["trace"]["trace_id"]
    )


def test_each_request_is_a_transaction_named_after_its_route(
    recorder: Recorder, app: Flask
) -> None:
    client = app.test_client()
    assert client.get("/orders/3").json == {"order": 3}
    assert client.get("/gone").status_code == 410
    assert recorder.errors() == []
    found, gone = recorder.transactions()
    assert found["transaction"] == "/orders/<int:order_id>"
    assert found["transaction_info"] == {"source": "route"}
    assert found["contexts"]["trace"]["op"] == "http.server"
    assert found["contexts"]["trace"]["status"] == "ok"
    assert found["contexts"]["response"]["status_code"] == 200
    assert gone["transaction"] == "/gone"
    assert gone["contexts"]["response"]["status_code"] == 410


def test_endpoint_names_as_transaction_names(app: Flask) -> None:
    transport = start_sentry("endpoint")
    app.test_client().get("/orders/3")
    [transaction] = transport.transactions()
    assert transaction["transaction"] == "order"
    assert transaction["transaction_info"] == {"source": "component"}


def test_an_error_while_the_body_streams_is_reported(
    recorder: Recorder, app: Flask
) -> None:
    environ = EnvironBuilder(path="/export").get_environ()
    body = app(environ, lambda *args: None)
    chunks = iter(body)
    assert next(chunks) == b"a,b\n"
    assert recorder.errors() == []
    with pytest.raises(ConnectionResetError):
        next(chunks)
    body.close()  # type: ignore[attr-defined]
    [event] = recorder.errors()
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ConnectionResetError"
    assert exception["value"] == "the warehouse hung up"
    [transaction] = recorder.transactions()
    assert transaction["transaction"] == "/export"


def test_templates_get_the_trace_to_continue_in_the_browser(
    recorder: Recorder, app: Flask
) -> None:
    page = app.test_client().get("/page")
    [transaction] = recorder.transactions()
    trace = transaction["contexts"]["trace"]
    assert f'<meta name="sentry-trace" content="{trace["trace_id"]}-' in page.text
