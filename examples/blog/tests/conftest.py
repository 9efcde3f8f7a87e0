"""Fixtures for Jotter's tests: a blog with two authors and one entry each."""

from __future__ import annotations

import pytest
from jotter import create_app
from jotter import storage
from werkzeug.security import generate_password_hash

# Fast hashes for the seeded accounts; accounts made through the form use the default.
PASSWORDS = {"ada": "analytical-engine", "grace": "compiler-1952"}
SEED_ENTRIES = [
    (
        "ada",
        "Notes on the engine",
        "It weaves algebraic patterns.",
        "2024-05-01 09:30:00",
    ),
    (
        "grace",
        "A moth in relay 70",
        "First actual case of bug being found.",
        "2024-05-02 15:45:00",
    ),
]


@pytest.fixture
def blog(tmp_path, monkeypatch):
    for name in ("JOTTER_SECRET_KEY", "JOTTER_DATABASE", "JOTTER_HEADLINE_MAX_LENGTH"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "only-for-tests",
            "DATABASE": str(tmp_path / "jotter-test.sqlite3"),
        }
    )
    with app.app_context():
        storage.create_tables()
        with storage.connection() as conn:
            for handle, password in PASSWORDS.items():
                conn.execute(
                    "INSERT INTO author (handle, password_hash) VALUES (?, ?)",
                    (handle, generate_password_hash(password, "pbkdf2:sha256:1000")),
                )
            for handle, headline, content, written in SEED_ENTRIES:
                conn.execute(
                    "INSERT INTO entry (author_id, headline, content, written_at)"
                    " SELECT id, ?, ?, ? FROM author WHERE handle = ?",
                    (headline, content, written, handle),
                )
    return app


@pytest.fixture
def visitor(blog):
    return blog.test_client()


@pytest.fixture
def log_in(visitor):
    """Log ``visitor`` in as one of the seeded authors (``ada`` unless told otherwise)."""

    def log_in_as(handle="ada"):
        response = visitor.post(
            "/account/login", data={"handle": handle, "password": PASSWORDS[handle]}
        )
        assert response.status_code == 302
        return response

    return log_in_as


@pytest.fixture
def query(blog):
    """Run one SQL statement against the test database, commit, and return all rows."""

    def run(sql, params=()):
        with blog.app_context(), storage.connection() as conn:
            return conn.execute(sql, params).fetchall()

    return run
