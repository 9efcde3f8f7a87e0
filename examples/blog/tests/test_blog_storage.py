from __future__ import annotations

import sqlite3

import pytest
from jotter import create_app
from jotter import storage


def test_init_db_command_empties_the_tables_and_says_where(blog, query):
    assert len(query("SELECT * FROM entry")) == 2
    result = blog.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0
    assert result.output == (
        f"Jotter's tables are ready (empty) in {blog.config['DATABASE']}\n"
    )
    assert query("SELECT * FROM entry") == []
    assert query("SELECT * FROM author") == []


def test_init_db_creates_the_database_folder(tmp_path):
    target = tmp_path / "nested" / "folder" / "blog.sqlite3"
    app = create_app({"TESTING": True, "DATABASE": str(target)})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_init_db_is_listed_in_the_cli_help(blog):
    result = blog.test_cli_runner().invoke(args=["--help"])
    assert "init-db" in result.output
    assert "Erase the database" in result.output


def test_one_connection_per_context_closed_at_teardown(blog):
    with blog.app_context():
        conn = storage.connection()
        assert storage.connection() is conn
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        conn.execute("SELECT 1")


def test_rows_can_be_read_by_column_name(blog):
    with blog.app_context():
        row = (
            storage.connection()
            .execute("SELECT handle FROM author WHERE id = 1")
            .fetchone()
        )
    assert row["handle"] == "ada"


def test_releasing_without_a_connection_is_harmless(blog):
    with blog.app_context():
        storage.release()
        storage.release()


def test_tables_exist_only_after_they_are_created(tmp_path):
    path = tmp_path / "blog.sqlite3"
    app = create_app({"TESTING": True, "DATABASE": str(path)})
    with app.app_context():
        assert not storage.tables_exist()
        assert not path.exists()
    path.touch()
    with app.app_context():
        assert not storage.tables_exist()
        storage.create_tables()
    with app.app_context():
        assert storage.tables_exist()


def test_foreign_keys_are_enforced(blog, query):
    with blog.app_context(), pytest.raises(sqlite3.IntegrityError):
        with storage.connection() as conn:
            conn.execute(
                "INSERT INTO entry (author_id, headline, content) VALUES (99, 'x', 'y')"
            )
    with blog.app_context(), storage.connection() as conn:
        conn.execute("DELETE FROM author WHERE handle = 'ada'")
    assert [row["headline"] for row in query("SELECT headline FROM entry")] == [
        "A moth in relay 70"
    ]
