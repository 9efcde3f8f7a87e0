"""Flash messages: ``flash`` stores messages in the session, ``get_flashed_messages``
takes them out on a later request, with categories, filters and the
``message_flashed`` signal."""

from __future__ import annotations

import typing as t

import pytest
from markupsafe import Markup

import flask
from flask import flash
from flask import get_flashed_messages


@pytest.fixture
def flash_app(app: flask.Flask) -> flask.Flask:
    """Views that flash a mix of categories and redirect, and a view that reports
    what it finds."""

    @app.route("/checkout")
    def checkout() -> t.Any:
        flash("Order placed")
        flash("Card expires soon", "warning")
        flash("Coupon rejected", category="error")
        flash("Points added", "info")
        return flask.redirect(flask.url_for("receipt"))

    @app.route("/receipt")
    def receipt() -> str:
        return repr(get_flashed_messages(with_categories=True))

    @app.route("/nothing")
    def nothing() -> str:
        return "quiet"

    return app


def test_flash_stores_category_message_pairs_in_session(flash_app, client):
    client.get("/checkout")
    with client.session_transaction() as sess:
        assert sess["_flashes"] == [
            ("message", "Order placed"),
            ("warning", "Card expires soon"),
            ("error", "Coupon rejected"),
            ("info", "Points added"),
        ]


def test_messages_survive_exactly_one_redirect(flash_app, client):
    response = client.get("/checkout", follow_redirects=True)
    assert response.request.path == "/receipt"
    assert response.data == (
        b"[('message', 'Order placed'), ('warning', 'Card expires soon'),"
        b" ('error', 'Coupon rejected'), ('info', 'Points added')]"
    )
    # Shown once, then gone.
    assert client.get("/receipt").data == b"[]"


def test_messages_wait_until_a_request_reads_them(flash_app, client):
    client.get("/checkout")
    client.get("/nothing")
    client.get("/nothing")
    assert b"Order placed" in client.get("/receipt").data
    assert client.get("/receipt").data == b"[]"


def test_reading_messages_removes_them_from_the_cookie(flash_app, client):
    client.get("/checkout")
    response = client.get("/receipt")
    # The session held nothing else, so the cookie is deleted.
    (header,) = response.headers.getlist("Set-Cookie")
    assert header.startswith("session=;")
    assert client.get_cookie("session") is None


def test_other_session_values_stay_when_messages_are_read(flash_app, client):
    with client.session_transaction() as sess:
        sess["user"] = "ann"
    client.get("/checkout")
    client.get("/receipt")
    with client.session_transaction() as sess:
        assert dict(sess) == {"user": "ann"}


def test_without_categories_only_texts_are_returned(app, client):
    @app.route("/")
    def index() -> str:
        flash("one")
        flash("two", "error")
        return ""

    app.add_url_rule("/read", "read", lambda: repr(get_flashed_messages()))
    client.get("/")
    assert client.get("/read").data == b"['one', 'two']"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"category_filter": ["error"]}, ["Coupon rejected"]),
        (
            {"category_filter": ("warning", "info")},
            ["Card expires soon", "Points added"],
        ),
        ({"category_filter": ["message"]}, ["Order placed"]),
        ({"category_filter": ["debug"]}, []),
        (
            {"with_categories": True, "category_filter": ["error", "message"]},
            [("message", "Order placed"), ("error", "Coupon rejected")],
        ),
    ],
    ids=["error", "warning-info", "default-category", "no-match", "with-categories"],
)
def test_category_filter_keeps_original_order(flash_app, client, kwargs, expected):
    flash_app.add_url_rule(
        "/filtered", "filtered", lambda: repr(get_flashed_messages(**kwargs))
    )
    client.get("/checkout")
    assert client.get("/filtered").data == repr(expected).encode()


def test_filtered_out_messages_are_consumed_too(flash_app, client):
    flash_app.add_url_rule(
        "/errors",
        "errors",
        lambda: repr(get_flashed_messages(category_filter=["error"])),
    )
    client.get("/checkout")
    assert client.get("/errors").data == b"['Coupon rejected']"
    assert client.get("/receipt").data == b"[]"


def test_repeated_calls_in_one_request_see_the_same_messages(flash_app, client):
    @flash_app.route("/twice")
    def twice() -> str:
        first = get_flashed_messages()
        errors = get_flashed_messages(category_filter=["error"])
        again = get_flashed_messages(with_categories=True)
        return repr((first, errors, len(again)))

    client.get("/checkout")
    assert client.get("/twice").data == (
        b"(['Order placed', 'Card expires soon', 'Coupon rejected', 'Points added'],"
        b" ['Coupon rejected'], 4)"
    )


def test_flash_after_reading_in_same_request_shows_next_time(app, client):
    @app.route("/mixed")
    def mixed() -> str:
        flash("early")
        seen = get_flashed_messages()
        flash("late")
        return repr((seen, get_flashed_messages()))

    app.add_url_rule("/next", "next", lambda: repr(get_flashed_messages()))
    assert client.get("/mixed").data == b"(['early'], ['early'])"
    assert client.get("/next").data == b"['late']"
    assert client.get("/next").data == b"[]"


def test_no_messages_gives_empty_list_and_leaves_session_untouched(app, client):
    app.add_url_rule("/", "index", lambda: repr(get_flashed_messages(True)))
    response = client.get("/")
    assert response.data == b"[]"
    assert response.headers.getlist("Set-Cookie") == []


def test_markup_message_keeps_its_type_across_requests(app, client):
    @app.route("/")
    def index() -> str:
        flash(Markup("<b>Saved</b>"), "success")
        return ""

    @app.route("/show")
    def show() -> str:
        ((category, message),) = get_flashed_messages(with_categories=True)
        return f"{category}:{type(message).__name__}:{message}"

    client.get("/")
    assert client.get("/show").data == b"success:Markup:<b>Saved</b>"


def test_messages_render_in_templates(flash_app, client):
    @flash_app.route("/page")
    def page() -> str:
        return flask.render_template_string(
            "{% for cat, msg in get_flashed_messages(with_categories=true) %}"
            "[{{ cat }}] {{ msg }};{% endfor %}"
        )

    client.get("/checkout")
    assert client.get("/page").data == (
        b"[message] Order placed;[warning] Card expires soon;"
        b"[error] Coupon rejected;[info] Points added;"
    )


def test_message_flashed_signal_reports_app_message_and_category(flash_app, client):
    received: list[tuple[t.Any, ...]] = []

    def listener(sender: flask.Flask, **extra: t.Any) -> None:
        received.append((sender, extra))

    flask.message_flashed.connect(listener, flash_app)
    try:
        client.get("/checkout")
    finally:
        flask.message_flashed.disconnect(listener, flash_app)

    assert received == [
        (flash_app, {"message": "Order placed", "category": "message"}),
        (flash_app, {"message": "Card expires soon", "category": "warning"}),
        (flash_app, {"message": "Coupon rejected", "category": "error"}),
        (flash_app, {"message": "Points added", "category": "info"}),
    ]


def test_message_flashed_signal_is_not_sent_for_other_apps(flash_app, client):
    other = flask.Flask("elsewhere")
    received: list[str] = []

    def listener(sender: flask.Flask, message: str, category: str) -> None:
        received.append(message)

    flask.message_flashed.connect(listener, other)
    try:
        client.get("/checkout")
    finally:
        flask.message_flashed.disconnect(listener, other)
    assert received == []


def test_signal_fires_when_the_message_is_already_in_the_session(app, client):
    states: list[t.Any] = []

    def listener(sender: flask.Flask, message: str, category: str) -> None:
        states.append(list(flask.session["_flashes"]))

    @app.route("/")
    def index() -> str:
        flash("hi", "note")
        return ""

    with flask.message_flashed.connected_to(listener, app):
        client.get("/")
    assert states == [[("note", "hi")]]


def test_flash_without_secret_key_raises(app, client):
    app.secret_key = None

    @app.route("/")
    def index() -> str:
        flash("cannot be stored")
        return ""

    with pytest.raises(RuntimeError, match="no secret key was set"):
        client.get("/")


def test_flash_and_read_in_a_test_request_context(app):
    with app.test_request_context():
        flash("direct", "info")
        assert flask.session["_flashes"] == [("info", "direct")]
        assert get_flashed_messages(with_categories=True) == [("info", "direct")]
        assert "_flashes" not in flask.session


def test_flash_outside_a_request_is_an_error(app):
    with pytest.raises(RuntimeError, match="request context"):
        flash("nowhere")
