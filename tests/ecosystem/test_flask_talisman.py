"""Flask-Talisman: security headers, the HTTPS redirect, CSP nonces and per-view
options."""

from __future__ import annotations

import pytest

flask_talisman = pytest.importorskip("flask_talisman")

from flask import Flask  # noqa: E402
from flask import render_template_string  # noqa: E402


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    talisman = flask_talisman.Talisman(
        app,
        content_security_policy={"default-src": "'self'", "script-src": "'self'"},
        content_security_policy_nonce_in=["script-src"],
    )

    @app.get("/")
    def index() -> str:
        return render_template_string('<script nonce="{{ csp_nonce() }}">go()</script>')

    @app.get("/embeddable")
    @talisman(frame_options=None)
    def embeddable() -> str:
        return "frame me"

    return app


def test_plain_http_is_sent_to_https(app: Flask) -> None:
    response = app.test_client().get("/?x=1")
    assert response.status_code == 302
    assert response.location == "https://localhost/?x=1"


def test_https_responses_carry_the_security_headers(app: Flask) -> None:
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31556926; includeSubDomains"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text


def test_each_request_gets_a_new_nonce(app: Flask) -> None:
    client = app.test_client()
    policies = {
        client.get("/", base_url="https://localhost").headers["Content-Security-Policy"]
        for _ in range(2)
    }
    assert len(policies) == 2


def test_a_view_can_relax_an_option(app: Flask) -> None:
    response = app.test_client().get("/embeddable", base_url="https://localhost")
    assert response.text == "frame me"
    assert "X-Frame-Options" not in response.headers
    assert "Strict-Transport-Security" in response.headers
