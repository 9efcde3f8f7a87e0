"""Flask-Mail: a view sends mail, the test outbox records it, nothing goes out."""

from __future__ import annotations

import pytest

flask_mail = pytest.importorskip("flask_mail")

from flask import Flask  # noqa: E402
from flask import render_template_string  # noqa: E402
from flask import request  # noqa: E402


@pytest.fixture
def setup() -> tuple[Flask, flask_mail.Mail]:
    app = Flask(__name__)
    app.config.update(
        TESTING=True,
        MAIL_DEFAULT_SENDER=("Jotter", "noreply@example.com"),
        # Unreachable on purpose: in testing mode nothing is sent.
        MAIL_SERVER="mail.invalid",
    )
    mail = flask_mail.Mail(app)

    @app.post("/invite")
    def invite() -> tuple[str, int]:
        message = flask_mail.Message(
            subject="You are invited",
            recipients=[request.form["to"]],
            body=render_template_string(
                "Hello {{ name }}, come and write.", name=request.form["name"]
            ),
        )
        message.attach("note.txt", "text/plain", b"see you")
        mail.send(message)
        return "sent", 202

    return app, mail


def test_the_outbox_records_what_a_view_sends(setup) -> None:  # type: ignore[no-untyped-def]
    app, mail = setup
    with mail.record_messages() as outbox:
        response = app.test_client().post(
            "/invite", data={"to": "ada@example.com", "name": "Ada"}
        )
    assert (response.status_code, response.text) == (202, "sent")
    [message] = outbox
    assert message.subject == "You are invited"
    assert message.recipients == ["ada@example.com"]
    assert message.sender == "Jotter <noreply@example.com>"
    assert message.body == "Hello Ada, come and write."
    assert [a.filename for a in message.attachments] == ["note.txt"]
    with app.app_context():
        assert "Subject: You are invited" in message.as_string()


def test_sending_outside_a_request_needs_only_the_app_context(setup) -> None:  # type: ignore[no-untyped-def]
    app, mail = setup
    with app.app_context(), mail.record_messages() as outbox:
        mail.send_message("Digest", recipients=["grace@example.com"], body="3 new")
    assert [(m.subject, m.body) for m in outbox] == [("Digest", "3 new")]
