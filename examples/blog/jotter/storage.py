"""SQLite storage: one connection per application context, and the ``init-db`` command."""

from __future__ import annotations

import os
import sqlite3

import click

from flask import current_app
from flask import Flask
from flask import g
from flask.cli import with_appcontext


def connection() -> sqlite3.Connection:
    """Return the current context's database connection, opening it on first use."""
    if "db" not in g:
        conn = sqlite3.connect(current_app.config["DATABASE"])
        # Rows behave like read-only dicts, so templates can write entry.headline.
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        g.db = conn
    return g.db


def release(error: BaseException | None = None) -> None:
    """Close the connection opened by :func:`connection` during this context, if any."""
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def create_tables() -> None:
    """Drop Jotter's tables and create them empty from ``schema.sql``."""
    folder = os.path.dirname(current_app.config["DATABASE"])
    if folder:
        os.makedirs(folder, exist_ok=True)
    with current_app.open_resource("schema.sql", "r", encoding="utf-8") as script:
        connection().executescript(script.read())


def tables_exist() -> bool:
    """Tell whether the database file already holds Jotter's tables."""
    if not os.path.exists(current_app.config["DATABASE"]):
        return False
    found = connection().execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
        ("author", "entry"),
    )
    return found.fetchone()[0] == 2


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Erase the database and create Jotter's tables empty."""
    create_tables()
    click.echo(f"Jotter's tables are ready (empty) in {current_app.config['DATABASE']}")


def register(app: Flask) -> None:
    """Hook the storage layer into ``app``: teardown and CLI command."""
    app.teardown_appcontext(release)
    app.cli.add_command(init_db_command)
