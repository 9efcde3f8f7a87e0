"""Flask-JWT-Extended: tokens from a login view, protected views, claims, and tokens in
cookies with CSRF protection."""

from __future__ import annotations

import pytest

flask_jwt_extended = pytest.importorskip("flask_jwt_extended")

from flask import Flask  # noqa: E402
from flask import jsonify  # noqa: E402
from flask import request  # noqa: E402

jwt = flask_jwt_extended


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        JWT_SECRET_KEY="a-long-enough-secret-for-hmac-sha256-signing",
        JWT_TOKEN_LOCATION=["headers", "cookies"],
    )
    jwt.JWTManager(app)

    @app.post("/login")
    def login() -> object:
        name = request.json["name"]
        token = jwt.create_access_token(identity=name, additional_claims={"lvl": 3})
        return {"access_token": token}

    @app.post("/login/cookie")
    def login_cookie() -> object:
        response = jsonify(done=True)
        jwt.set_access_cookies(
            response, jwt.create_access_token(identity=request.json["name"])
        )
        return response

    @app.route("/me", methods=["GET", "POST"])
    @jwt.jwt_required()
    def me() -> object:
        return {"name": jwt.get_jwt_identity(), "lvl": jwt.get_jwt().get("lvl")}

    @app.get("/maybe")
    @jwt.jwt_required(optional=True)
    def maybe() -> object:
        return {"name": jwt.get_jwt_identity()}

    return app


def test_a_bearer_token_from_login_opens_protected_views(app: Flask) -> None:
    client = app.test_client()
    token = client.post("/login", json={"name": "ada"}).json["access_token"]
    me = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json == {"name": "ada", "lvl": 3}


def test_missing_or_bad_tokens_are_refused(app: Flask) -> None:
    client = app.test_client()
    missing = client.get("/me")
    assert missing.status_code == 401
    assert missing.json == {
        "msg": "Missing JWT in headers or cookies"
        ' (Missing Authorization Header; Missing cookie "access_token_cookie")'
    }
    bad = client.get("/me", headers={"Authorization": "Bearer not.a.token"})
    assert bad.status_code == 422
    assert "msg" in bad.json
    assert client.get("/maybe").json == {"name": None}


def test_cookie_tokens_need_the_csrf_header_for_writes(app: Flask) -> None:
    client = app.test_client()
    done = client.post("/login/cookie", json={"name": "grace"})
    access = client.get_cookie("access_token_cookie")
    csrf = client.get_cookie("csrf_access_token")
    assert access is not None and access.http_only
    assert csrf is not None and not csrf.http_only
    assert done.json == {"done": True}
    assert client.get("/me").json == {"name": "grace", "lvl": None}
    refused = client.post("/me")
    assert refused.status_code == 401
    assert refused.json == {"msg": "Missing CSRF token"}
    allowed = client.post("/me", headers={"X-CSRF-TOKEN": csrf.value})
    assert allowed.json == {"name": "grace", "lvl": None}
