"""Flask-Migrate: the ``flask db`` commands create, apply and undo a migration."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

flask_migrate = pytest.importorskip("flask_migrate")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")

from sqlalchemy.orm import Mapped  # noqa: E402
from sqlalchemy.orm import mapped_column  # noqa: E402

from flask import Flask  # noqa: E402

# The env.py that this Flask-Migrate release writes still calls a method that
# Flask-SQLAlchemy 3.1 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'get_engine' is deprecated:DeprecationWarning"
)


@pytest.fixture(autouse=True)
def _logging_left_as_it_was() -> Iterator[None]:
    # The env.py that Flask-Migrate writes configures logging from alembic.ini,
    # which disables every logger that existed before (asyncio's, for one), and
    # adds handlers to the root logger.
    loggers = logging.Logger.manager.loggerDict
    disabled = {
        name: logger.disabled
        for name, logger in loggers.items()
        if isinstance(logger, logging.Logger)
    }
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for name, was_disabled in disabled.items():
        logger = loggers.get(name)
        if isinstance(logger, logging.Logger):
            logger.disabled = was_disabled
    root.handlers[:] = handlers
    root.setLevel(level)


def make_app(folder: Path) -> tuple[Flask, Path]:
    database = folder / "app.db"
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    db = flask_sqlalchemy.SQLAlchemy(app)

    class Bird(db.Model):  # type: ignore[name-defined,misc,unused-ignore]
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    flask_migrate.Migrate(app, db, directory=str(folder / "migrations"))
    return app, database


def tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_init_migrate_upgrade_and_downgrade(tmp_path: Path) -> None:
    app, database = make_app(tmp_path)
    runner = app.test_cli_runner()

    done = runner.invoke(args=["db", "init"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "migrations" / "env.py").is_file()

    done = runner.invoke(args=["db", "migrate", "-m", "birds"])
    assert done.exit_code == 0, done.output
    assert "Detected added table 'bird'" in done.output
    [script] = (tmp_path / "migrations" / "versions").glob("*_birds.py")

    done = runner.invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    assert tables(database) == {"alembic_version", "bird"}

    with sqlite3.connect(database) as conn:
        [(revision,)] = conn.execute("SELECT version_num FROM alembic_version")
    assert script.name.startswith(f"{revision}_")

    done = runner.invoke(args=["db", "downgrade"])
    assert done.exit_code == 0, done.output
    assert tables(database) == {"alembic_version"}


def test_the_db_group_lists_its_commands(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    done = app.test_cli_runner().invoke(args=["db", "--help"])
    assert done.exit_code == 0, done.output
    for command in ["init", "migrate", "upgrade", "downgrade", "history"]:
        assert f"  {command} " in done.output
