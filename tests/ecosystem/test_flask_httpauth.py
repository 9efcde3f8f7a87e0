"""Flask-HTTPAuth: Basic and token authentication, roles, and the 401 challenge."""

from __future__ import annotations

import base64

import pytest

flask_httpauth = pytest.importorskip("flask_httpauth")

from flask import Flask  # noqa: E402

USERS = {"ada": ("lovelace", ["admin"]), "bob": ("builder", [])}
TOKENS = {"s3cr3t": "ada"}


def basic(name: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    auth = flask_httpauth.HTTPBasicAuth(realm="Members")
    tokens = flask_httpauth.HTTPTokenAuth(scheme="Bearer")

    @auth.verify_password
    def check(name: str, password: str) -> str | None:
        if name in USERS and USERS[name][0] == password:
            return name
        return None

    @auth.get_user_roles
    def roles(name: str) -> list[str]:
        return USERS[name][1]

    @tokens.verify_token
    def check_token(token: str) -> str | None:
        return TOKENS.get(token)

    @app.get("/")
    @auth.login_required
    def index() -> str:
        return f"hello {auth.current_user()}"

    @app.get("/admin")
    @auth.login_required(role="admin")
    def admin() -> str:
        return "admin area"

    @app.get("/api")
    @tokens.login_required
    def api() -> dict[str, str]:
        return {"user": tokens.current_user()}

    return app


def test_without_credentials_the_answer_is_a_challenge(app: Flask) -> None:
    response = app.test_client().get("/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Members"'
    assert response.text == "Unauthorized Access"


def test_good_and_bad_passwords(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/", headers=basic("ada", "lovelace")).text == "hello ada"
    assert client.get("/", headers=basic("ada", "babbage")).status_code == 401


def test_roles_decide_who_enters(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/admin", headers=basic("ada", "lovelace")).text == "admin area"
    assert client.get("/admin", headers=basic("bob", "builder")).status_code == 403


def test_token_authentication(app: Flask) -> None:
    client = app.test_client()
    ok = client.get("/api", headers={"Authorization": "Bearer s3cr3t"})
    assert ok.json == {"user": "ada"}
    refused = client.get("/api", headers={"Authorization": "Bearer guess"})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
