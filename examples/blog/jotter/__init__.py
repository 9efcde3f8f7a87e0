"""Jotter, a small multi-user blog.

:func:`create_app` builds and configures the application; ``python -m jotter`` makes
sure the database exists and serves it with the development server.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from flask import Flask

DEFAULT_DB_NAME = "jotter.sqlite3"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build a Jotter application.

    Without ``test_config`` the settings come from ``JOTTER_*`` environment variables
    (``JOTTER_SECRET_KEY``, ``JOTTER_DATABASE``, ...). Tests pass a mapping instead,
    which is applied on top of the defaults and ignores the environment.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(
        # Good enough on your own machine; set JOTTER_SECRET_KEY anywhere else.
        SECRET_KEY="jotter-local-development-key",
        DATABASE=os.path.join(app.instance_path, DEFAULT_DB_NAME),
        HEADLINE_MAX_LENGTH=120,
    )
    if test_config is None:
        app.config.from_prefixed_env("JOTTER")
    else:
        app.config.update(test_config)

    # Imported here so that importing the package stays cheap and free of cycles.
    from . import accounts
    from . import entries
    from . import storage

    storage.register(app)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(entries.bp)
    app.add_template_filter(readable_time)
    return app


def readable_time(stamp: str | None) -> str:
    """Turn SQLite's ``YYYY-MM-DD HH:MM:SS`` text into ``3 March 2025, 14:05``."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    return f"{moment.day} {moment:%B %Y, %H:%M}"
