"""Flask-Cors: the CORS headers on simple requests and on preflight requests."""

from __future__ import annotations

import pytest

flask_cors = pytest.importorskip("flask_cors")

from flask import Flask  # noqa: E402

TRUSTED = "https://app.example.com"


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    flask_cors.CORS(
        app,
        resources={r"/api/*": {"origins": [TRUSTED]}},
        supports_credentials=True,
        max_age=600,
    )

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> dict[str, list[str]]:
        return {"items": ["a", "b"]}

    @app.get("/public")
    @flask_cors.cross_origin()
    def public() -> str:
        return "anyone"

    @app.get("/private")
    def private() -> str:
        return "same origin only"

    return app


def test_a_trusted_origin_gets_the_headers(app: Flask) -> None:
    response = app.test_client().get("/api/items", headers={"Origin": TRUSTED})
    assert response.json == {"items": ["a", "b"]}
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_another_origin_gets_none(app: Flask) -> None:
    response = app.test_client().get(
        "/api/items", headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_preflight_request_is_answered(app: Flask) -> None:
    response = app.test_client().options(
        "/api/items",
        headers={
            "Origin": TRUSTED,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"].lower() == "content-type"
    assert response.headers["Access-Control-Max-Age"] == "600"


def test_the_decorator_and_routes_outside_the_resources(app: Flask) -> None:
    client = app.test_client()
    public = client.get("/public", headers={"Origin": "https://elsewhere.example"})
    # Any origin is allowed; this version names the one that asked.
    assert public.headers["Access-Control-Allow-Origin"] == "https://elsewhere.example"
    private = client.get("/private", headers={"Origin": TRUSTED})
    assert "Access-Control-Allow-Origin" not in private.headers
