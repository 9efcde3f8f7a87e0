"""Storage: one SQLite connection per application context, and the book queries."""

from __future__ import annotations

import sqlite3
from typing import Any

import click

from flask import current_app
from flask import Flask
from flask import g
from flask.cli import with_appcontext

TABLE = """
CREATE TABLE IF NOT EXISTS book (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    year INTEGER NOT NULL,
    rating INTEGER
)
"""

COLUMNS = ("title", "author", "year", "rating")


def get_connection() -> sqlite3.Connection:
    """Open the database on first use in this context and reuse it afterwards."""
    if "bookshelf_db" not in g:
        conn = sqlite3.connect(current_app.config["DATABASE"])
        conn.row_factory = sqlite3.Row
        g.bookshelf_db = conn
    return g.bookshelf_db


def close_connection(exc: BaseException | None = None) -> None:
    conn = g.pop("bookshelf_db", None)
    if conn is not None:
        conn.close()


def create_tables(*, drop_existing: bool = False) -> None:
    conn = get_connection()
    if drop_existing:
        conn.execute("DROP TABLE IF EXISTS book")
    conn.execute(TABLE)
    conn.commit()


@click.command("reset-db")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def reset_db_command(yes: bool) -> None:
    """Delete every book and start with an empty table."""
    if not yes:
        click.confirm("This deletes every book. Continue?", abort=True)
    create_tables(drop_existing=True)
    click.echo("The book table is empty now.")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_connection)
    app.cli.add_command(reset_db_command)
    with app.app_context():
        create_tables()


def _as_dict(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return None if row is None else dict(row)


def count_books() -> int:
    return get_connection().execute("SELECT COUNT(*) FROM book").fetchone()[0]


def fetch_books(offset: int, limit: int) -> list[dict[str, Any]]:
    rows = get_connection().execute(
        "SELECT * FROM book ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
    )
    return [dict(row) for row in rows]


def fetch_book(book_id: int) -> dict[str, Any] | None:
    row = get_connection().execute("SELECT * FROM book WHERE id = ?", (book_id,))
    return _as_dict(row.fetchone())


def insert_book(values: dict[str, Any]) -> int:
    conn = get_connection()
    cursor = conn.execute(
        "INSERT INTO book (title, author, year, rating) VALUES (?, ?, ?, ?)",
        tuple(values.get(column) for column in COLUMNS),
    )
    conn.commit()
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def update_book(book_id: int, values: dict[str, Any]) -> None:
    if not values:
        return
    # Column names come from COLUMNS, never from the request, so building the SET
    # clause from them is safe.
    names = [column for column in COLUMNS if column in values]
    assignments = ", ".join(f"{name} = ?" for name in names)
    conn = get_connection()
    conn.execute(
        f"UPDATE book SET {assignments} WHERE id = ?",
        (*(values[name] for name in names), book_id),
    )
    conn.commit()


def delete_book(book_id: int) -> None:
    conn = get_connection()
    conn.execute("DELETE FROM book WHERE id = ?", (book_id,))
    conn.commit()
