"""Flask-Session: the session lives on the server, the cookie only names it, and the
``flask session_cleanup`` command removes expired ones (SQLAlchemy backend)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

flask_session = pytest.importorskip("flask_session")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")

from flask import Flask  # noqa: E402
from flask import session  # noqa: E402


def add_views(app: Flask) -> None:
    @app.post("/visit")
    def visit() -> str:
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    @app.get("/visits")
    def visits() -> str:
        return str(session.get("visits", 0))

    @app.post("/leave")
    def leave() -> str:
        session.clear()
        return "bye"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    from cachelib import FileSystemCache

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="session-tests",
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=FileSystemCache(str(tmp_path / "sessions"), threshold=100),
    )
    flask_session.Session(app)
    add_views(app)
    return app


def test_the_cookie_holds_an_id_and_the_data_stays_on_the_server(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/visit").text == "1"
    assert client.post("/visit").text == "2"
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert "visits" not in cookie.value
    assert app.session_interface.cache.get(f"session:{cookie.value}") is not None
    # Another client holding the same id sees the same session.
    other = app.test_client()
    other.set_cookie("session", cookie.value)
    assert other.get("/visits").text == "2"


def test_clearing_the_session_deletes_it_on_the_server(app: Flask) -> None:
    client = app.test_client()
    client.post("/visit")
    cookie = client.get_cookie("session")
    assert cookie is not None
    stolen = cookie.value
    client.post("/leave")
    assert client.get_cookie("session") is None
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/visits").text == "0"


def test_an_unknown_id_starts_an_empty_session(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie("session", "made-up")
    assert client.get("/visits").text == "0"


def test_session_cleanup_command_removes_expired_sessions(tmp_path: Path) -> None:
    app = Flask(__name__)
    db = flask_sqlalchemy.SQLAlchemy()
    app.config.update(
        SECRET_KEY="session-tests",
        SESSION_TYPE="sqlalchemy",
        SESSION_SQLALCHEMY=db,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'sessions.db'}",
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=-1),
    )
    db.init_app(app)
    flask_session.Session(app)
    add_views(app)
    client = app.test_client()
    client.post("/visit")
    model = app.session_interface.sql_session_model
    with app.app_context():
        assert db.session.query(model).count() == 1
    done = app.test_cli_runner().invoke(args=["session_cleanup"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        assert db.session.query(model).count() == 0
