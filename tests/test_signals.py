"""Signals: the blinker namespace in ``flask.signals``, who sends what and with which
keyword arguments, per-application receivers, async receivers and disconnecting."""

from __future__ import annotations

import asyncio
import typing as t
from contextlib import ExitStack

import blinker
import pytest

import flask
from flask import signals

SIGNAL_NAMES = {
    "template_rendered": "template-rendered",
    "before_render_template": "before-render-template",
    "request_started": "request-started",
    "request_finished": "request-finished",
    "request_tearing_down": "request-tearing-down",
    "got_request_exception": "got-request-exception",
    "appcontext_tearing_down": "appcontext-tearing-down",
    "appcontext_pushed": "appcontext-pushed",
    "appcontext_popped": "appcontext-popped",
    "message_flashed": "message-flashed",
}


class Recorder:
    """Connects to signals for one app and records (signal attribute, sender, kwargs)."""

    def __init__(self, app: flask.Flask) -> None:
        self.app = app
        self.events: list[tuple[str, t.Any, dict[str, t.Any]]] = []
        self._stack = ExitStack()

    def listen(self, *attrs: str) -> Recorder:
        for attr in attrs:
            signal = getattr(signals, attr)

            def receiver(sender: t.Any, _attr: str = attr, **kwargs: t.Any) -> None:
                self.events.append((_attr, sender, kwargs))

            self._stack.enter_context(signal.connected_to(receiver, self.app))
        return self

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]

    def kwargs_of(self, attr: str) -> dict[str, t.Any]:
        (found,) = [kw for name, _, kw in self.events if name == attr]
        return found

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc_info: t.Any) -> None:
        self._stack.close()


# The namespace -----------------------------------------------------------------------


def test_namespace_class_is_blinkers():
    assert signals.Namespace is blinker.Namespace


def test_every_signal_is_a_named_signal_in_a_single_module_namespace():
    namespaces = [
        value
        for value in vars(signals).values()
        if isinstance(value, blinker.Namespace)
    ]
    assert len(namespaces) == 1
    namespace = namespaces[0]

    for attr, name in SIGNAL_NAMES.items():
        signal = getattr(signals, attr)
        assert isinstance(signal, blinker.NamedSignal)
        assert signal.name == name
        assert namespace[name] is signal


@pytest.mark.parametrize("attr", sorted(SIGNAL_NAMES))
def test_each_signal_is_importable_from_the_flask_package(attr: str):
    assert getattr(flask, attr) is getattr(signals, attr)


# Request lifecycle ---------------------------------------------------------------------


def test_successful_request_sends_lifecycle_signals_in_order(app, client):
    calls: list[str] = []

    @app.before_request
    def before() -> None:
        calls.append("before_request")

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        calls.append("after_request")
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        calls.append("teardown_request")

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "hello"

    lifecycle = [
        "appcontext_pushed",
        "request_started",
        "request_finished",
        "request_tearing_down",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]
    senders: list[t.Any] = []
    with ExitStack() as stack:
        for attr in lifecycle:

            def receiver(sender: t.Any, _attr: str = attr, **kwargs: t.Any) -> None:
                calls.append(_attr)
                senders.append(sender)

            stack.enter_context(getattr(signals, attr).connected_to(receiver, app))
        response = client.get("/")

    assert response.data == b"hello"
    assert calls == [
        "appcontext_pushed",
        "request_started",
        "before_request",
        "view",
        "after_request",
        "request_finished",
        "teardown_request",
        "request_tearing_down",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]
    assert senders == [app] * len(lifecycle)


def test_request_started_is_sent_with_no_keyword_arguments(app, client):
    app.add_url_rule("/", "index", lambda: "ok")

    with Recorder(app).listen("request_started") as rec:
        client.get("/")

    assert rec.events == [("request_started", app, {})]


def test_request_finished_receives_the_final_response(app, client):
    @app.route("/")
    def index() -> str:
        return "body"

    @app.after_request
    def tag(response: flask.Response) -> flask.Response:
        response.headers["X-Tagged"] = "yes"
        return response

    with Recorder(app).listen("request_finished") as rec:
        client.get("/")

    response = rec.kwargs_of("request_finished")["response"]
    assert isinstance(response, flask.Response)
    assert response.get_data() == b"body"
    assert response.headers["X-Tagged"] == "yes"
    assert rec.events[0][1] is app


def test_request_tearing_down_gets_none_after_a_successful_request(app, client):
    app.add_url_rule("/", "index", lambda: "ok")

    with Recorder(app).listen("request_tearing_down") as rec:
        client.get("/")

    assert rec.events == [("request_tearing_down", app, {"exc": None})]


def test_request_tearing_down_gets_the_unhandled_exception(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    failure = LookupError("nothing here")

    @app.route("/fail")
    def fail() -> str:
        raise failure

    monkeypatch.setattr(app.logger, "disabled", True)
    with Recorder(app).listen("request_tearing_down") as rec:
        response = client.get("/fail")

    assert response.status_code == 500
    assert rec.kwargs_of("request_tearing_down")["exc"] is failure


def test_got_request_exception_receives_the_exception_and_answers_500(
    app, client, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(app.logger, "disabled", True)
    failure = ZeroDivisionError("oops")

    @app.route("/fail")
    def fail() -> str:
        raise failure

    with Recorder(app).listen("got_request_exception", "request_finished") as rec:
        response = client.get("/fail")

    assert response.status_code == 500
    assert rec.names() == ["got_request_exception", "request_finished"]
    assert rec.events[0] == ("got_request_exception", app, {"exception": failure})


def test_got_request_exception_is_sent_before_the_error_propagates(app, client):
    @app.route("/fail")
    def fail() -> str:
        raise KeyError("missing")

    with Recorder(app).listen("got_request_exception") as rec:
        with pytest.raises(KeyError):
            client.get("/fail")

    exception = rec.kwargs_of("got_request_exception")["exception"]
    assert isinstance(exception, KeyError)


def test_got_request_exception_is_not_sent_when_an_error_handler_answers(app, client):
    @app.route("/fail")
    def fail() -> str:
        raise ValueError("bad value")

    @app.errorhandler(ValueError)
    def on_value_error(e: ValueError) -> tuple[str, int]:
        return "handled", 400

    with Recorder(app).listen("got_request_exception", "request_tearing_down") as rec:
        response = client.get("/fail")

    assert response.status_code == 400
    assert rec.names() == ["request_tearing_down"]
    assert rec.kwargs_of("request_tearing_down") == {"exc": None}


# Application context -------------------------------------------------------------------


def test_app_context_push_and_pop_send_pushed_tearing_down_popped(app):
    with Recorder(app).listen(
        "appcontext_pushed", "appcontext_tearing_down", "appcontext_popped"
    ) as rec:
        with app.app_context():
            assert rec.names() == ["appcontext_pushed"]
            assert flask.current_app._get_current_object() is app

    assert rec.events == [
        ("appcontext_pushed", app, {}),
        ("appcontext_tearing_down", app, {"exc": None}),
        ("appcontext_popped", app, {}),
    ]


def test_appcontext_pushed_receiver_can_use_the_new_context(app):
    seen: list[t.Any] = []

    def on_pushed(sender: flask.Flask) -> None:
        flask.g.marker = "set by receiver"
        seen.append(flask.current_app.name)

    with flask.appcontext_pushed.connected_to(on_pushed, app):
        with app.app_context():
            assert flask.g.marker == "set by receiver"

    assert seen == [app.name]


def test_appcontext_tearing_down_gets_the_error_that_ended_the_context(app):
    with Recorder(app).listen("appcontext_tearing_down") as rec:
        with pytest.raises(RuntimeError, match="stop here"):
            with app.app_context():
                raise RuntimeError("stop here")

    exc = rec.kwargs_of("appcontext_tearing_down")["exc"]
    assert isinstance(exc, RuntimeError)
    assert str(exc) == "stop here"


def test_nested_push_of_same_app_context_tears_down_once(app):
    ctx = app.app_context()
    with Recorder(app).listen("appcontext_pushed", "appcontext_tearing_down") as rec:
        ctx.push()
        ctx.push()
        ctx.pop()
        assert rec.names() == ["appcontext_pushed", "appcontext_pushed"]
        ctx.pop()

    assert rec.names().count("appcontext_tearing_down") == 1


# Templates and flashing ----------------------------------------------------------------


def test_template_signals_receive_the_template_and_its_context(app, req_ctx):
    with Recorder(app).listen("before_render_template", "template_rendered") as rec:
        text = flask.render_template_string("Hi {{ who }}!", who="Ada")

    assert text == "Hi Ada!"
    assert rec.names() == ["before_render_template", "template_rendered"]
    for _, sender, kwargs in rec.events:
        assert sender is app
        assert set(kwargs) == {"template", "context"}
        assert kwargs["template"].render(who="Bob") == "Hi Bob!"
        assert kwargs["context"]["who"] == "Ada"
        # The context includes what context processors injected.
        assert kwargs["context"]["request"] is flask.request._get_current_object()


def test_template_rendered_is_sent_for_file_templates_too(app, tmp_path):
    (tmp_path / "greet.txt").write_text("greetings, {{ name }}")
    app.template_folder = str(tmp_path)

    with app.test_request_context():
        with Recorder(app).listen("template_rendered") as rec:
            assert flask.render_template("greet.txt", name="x") == "greetings, x"

    assert rec.kwargs_of("template_rendered")["template"].name == "greet.txt"


def test_before_render_template_receiver_can_change_the_context(app, app_ctx):
    def rewrite(
        sender: flask.Flask, template: t.Any, context: dict[str, t.Any]
    ) -> None:
        context["word"] = "rewritten"

    with flask.before_render_template.connected_to(rewrite, app):
        assert (
            flask.render_template_string("{{ word }}", word="original") == "rewritten"
        )


def test_message_flashed_receives_message_and_category(app, client):
    @app.route("/")
    def index() -> str:
        flask.flash("saved")
        flask.flash("careful", "warning")
        return "ok"

    with Recorder(app).listen("message_flashed") as rec:
        client.get("/")

    assert rec.events == [
        ("message_flashed", app, {"message": "saved", "category": "message"}),
        ("message_flashed", app, {"message": "careful", "category": "warning"}),
    ]


# Receivers -----------------------------------------------------------------------------


def test_receiver_for_one_app_does_not_hear_another_app(app):
    other = flask.Flask("other_app")
    other.add_url_rule("/", "index", lambda: "other")
    app.add_url_rule("/", "index", lambda: "mine")

    with Recorder(app).listen("request_started", "request_finished") as rec:
        assert other.test_client().get("/").data == b"other"
        assert rec.events == []
        app.test_client().get("/")

    assert rec.names() == ["request_started", "request_finished"]
    assert all(sender is app for _, sender, _ in rec.events)


def test_receiver_without_a_sender_hears_every_app(app):
    other = flask.Flask("other_app")
    senders: list[t.Any] = []

    def anyone(sender: t.Any) -> None:
        senders.append(sender)

    with flask.appcontext_pushed.connected_to(anyone):
        with app.app_context():
            pass
        with other.app_context():
            pass

    assert senders == [app, other]


@pytest.mark.usefixtures("asgiref")
def test_async_receiver_is_awaited_through_ensure_sync(app, client):
    app.add_url_rule("/", "index", lambda: "ok")
    log: list[tuple[str, t.Any]] = []
    wrapped: list[t.Any] = []
    original_ensure_sync = app.ensure_sync

    def spying_ensure_sync(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        wrapped.append(func)
        return original_ensure_sync(func)

    app.ensure_sync = spying_ensure_sync  # type: ignore[method-assign]

    async def on_finished(sender: flask.Flask, response: flask.Response) -> None:
        await asyncio.sleep(0)
        log.append(("finished", response.status_code))

    with flask.request_finished.connected_to(on_finished, app):
        client.get("/")

    assert log == [("finished", 200)]
    assert on_finished in wrapped


@pytest.mark.usefixtures("asgiref")
def test_async_receiver_runs_outside_a_request(app):
    ran: list[str] = []

    async def on_pushed(sender: flask.Flask) -> None:
        await asyncio.sleep(0)
        ran.append(sender.name)

    with flask.appcontext_pushed.connected_to(on_pushed, app):
        with app.app_context():
            pass

    assert ran == [app.name]


def test_disconnected_receiver_stops_receiving(app, client):
    app.add_url_rule("/", "index", lambda: "ok")
    hits: list[t.Any] = []

    def on_started(sender: flask.Flask) -> None:
        hits.append(sender)

    flask.request_started.connect(on_started, app)
    try:
        client.get("/")
        assert hits == [app]
    finally:
        flask.request_started.disconnect(on_started, app)

    client.get("/")
    assert hits == [app]
