"""Flask-Limiter: limits per route and per app, the 429 answer and its headers, and
the ``flask limiter`` commands."""

from __future__ import annotations

import pytest

flask_limiter = pytest.importorskip("flask_limiter")

from flask_limiter.util import get_remote_address  # noqa: E402

from flask import Flask  # noqa: E402
from flask.cli import cli  # noqa: E402


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    limiter = flask_limiter.Limiter(
        get_remote_address,
        app=app,
        default_limits=["5 per hour"],
        storage_uri="memory://",
        headers_enabled=True,
    )

    @app.get("/search")
    @limiter.limit("2 per minute")
    def search() -> str:
        return "found"

    @app.get("/browse")
    def browse() -> str:
        return "browsing"

    @app.get("/health")
    @limiter.exempt
    def health() -> str:
        return "ok"

    return app


def test_the_route_limit_answers_429_when_used_up(app: Flask) -> None:
    client = app.test_client()
    first, second, third = (client.get("/search") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (
        200,
        200,
        429,
    )
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert second.headers["X-RateLimit-Remaining"] == "0"
    assert "Retry-After" in third.headers
    assert "2 per 1 minute" in third.text


def test_limits_are_counted_per_client_address(app: Flask) -> None:
    client = app.test_client()
    for _ in range(2):
        client.get("/search", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    blocked = client.get("/search", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    other = client.get("/search", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert (blocked.status_code, other.status_code) == (429, 200)


def test_the_default_limit_and_exempt_routes(app: Flask) -> None:
    client = app.test_client()
    codes = [client.get("/browse").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert all(client.get("/health").status_code == 200 for _ in range(6))


def test_the_limiter_commands(app: Flask) -> None:
    # The group comes from the extension's "flask.commands" entry point, which only
    # the flask command itself loads.
    runner = app.test_cli_runner()
    done = runner.invoke(cli, ["limiter", "config"])
    assert done.exit_code == 0, done.output
    assert "memory://" in done.output
    done = runner.invoke(cli, ["limiter", "limits"])
    assert done.exit_code == 0, done.output
    assert "2 per 1 minute" in done.output
    assert "search" in done.output
