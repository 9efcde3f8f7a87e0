"""An application as a factory builds it: config, JSON, ``g``, sessions, blueprints,
CLI commands, and its tests through the test client and the CLI runner."""

from __future__ import annotations

import typing as t

import click
from click.testing import Result
from typing_extensions import assert_type
from werkzeug.test import TestResponse

from flask import Blueprint
from flask import Config
from flask import current_app
from flask import flash
from flask import Flask
from flask import g
from flask import get_flashed_messages
from flask import json
from flask import request
from flask import session
from flask.ctx import AppContext
from flask.ctx import RequestContext
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SessionMixin
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner
from flask.typing import ResponseReturnValue


class CompactJSON(DefaultJSONProvider):
    compact = True
    sort_keys = False


class Settings:
    DEBUG = False
    ITEMS_PER_PAGE = 20


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.json = CompactJSON(app)
    app.config.from_object(Settings)
    app.config.from_prefixed_env()
    if test_config is None:
        app.config.from_pyfile("settings.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    assert_type(app.config, Config)
    per_page: int = app.config["ITEMS_PER_PAGE"]
    mail: dict[str, t.Any] = app.config.get_namespace("MAIL_")
    app.logger.info("%d items per page, mail %r", per_page, mail)

    api = Blueprint("api", __name__, url_prefix="/api")
    nested = Blueprint("v1", __name__, url_prefix="/v1")
    api.register_blueprint(nested)

    @nested.get("/echo")
    def echo() -> ResponseReturnValue:
        payload = request.get_json(silent=True)
        text: str = app.json.dumps({"got": payload})
        return app.json.response(json.loads(text))

    @api.post("/count")
    def count() -> dict[str, int]:
        session.permanent = True
        session["visits"] = session.get("visits", 0) + 1
        return {"visits": session["visits"]}

    app.register_blueprint(api)

    @app.get("/")
    def index() -> str:
        g.started = True
        assert_type(session, SessionMixin)
        flash("welcome", "info")
        messages = get_flashed_messages(with_categories=True)
        name: str = current_app.name
        return f"{name}: {len(messages)} messages, {g.get('started')}"

    @app.cli.command("greet")
    @click.argument("who")
    def greet(who: str) -> None:
        click.echo(f"Hello, {who}!")

    return app


def test_requests() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "dev"})
    client = app.test_client()
    assert_type(client, FlaskClient)
    with client:
        response = client.post("/api/count", json={"a": 1})
        assert_type(response, TestResponse)
        assert response.json == {"visits": 1}
        with client.session_transaction() as sess:
            assert_type(sess, SessionMixin)
            sess["visits"] = 10
    text: str = client.get("/").get_data(as_text=True)
    assert text.startswith("typing_app")


def test_contexts() -> None:
    app = create_app({"TESTING": True})
    with app.app_context() as app_ctx:
        assert_type(app_ctx, AppContext)
        g.user = "ada"
    with app.test_request_context("/?q=1") as req_ctx:
        assert_type(req_ctx, RequestContext)
        query: str | None = request.args.get("q")
        assert query == "1"


def test_cli() -> None:
    app = create_app({"TESTING": True})
    runner = app.test_cli_runner()
    assert_type(runner, FlaskCliRunner)
    result = runner.invoke(args=["greet", "Ada"])
    assert_type(result, Result)
    assert result.output == "Hello, Ada!\n"
