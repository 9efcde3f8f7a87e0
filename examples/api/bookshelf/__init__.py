"""Bookshelf: a small JSON REST API kept in an SQLite file.

Start it with ``flask --app bookshelf run`` (the CLI finds :func:`create_app`), then
try ``curl http://127.0.0.1:5000/books``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask import url_for

from . import books
from . import db
from . import errors


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build and configure a new application.

    ``overrides`` replaces any of the defaults below; the tests use it to point
    ``DATABASE`` at a temporary file.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "bookshelf.sqlite"),
        BOOKS_PER_PAGE=10,
        BOOKS_MAX_PER_PAGE=50,
    )
    # Settings such as BOOKSHELF_BOOKS_PER_PAGE=5 may also come from the environment.
    app.config.from_prefixed_env("BOOKSHELF")
    if overrides is not None:
        app.config.update(overrides)

    if app.config["DATABASE"] != ":memory:":
        os.makedirs(
            os.path.dirname(os.path.abspath(app.config["DATABASE"])), exist_ok=True
        )

    db.init_app(app)
    errors.init_app(app)
    app.register_blueprint(books.bp)

    @app.get("/")
    def api_root() -> dict[str, Any]:
        return {"name": "bookshelf", "links": {"books": url_for("books.list_books")}}

    return app
