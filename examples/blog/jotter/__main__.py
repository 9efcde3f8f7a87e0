"""``python -m jotter``: create the database if it is missing, then serve the blog."""

from __future__ import annotations

import argparse

from . import create_app
from . import storage


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m jotter",
        description="Serve the Jotter blog with the development server.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on")
    parser.add_argument(
        "--debug", action="store_true", help="reload on code changes, show tracebacks"
    )
    options = parser.parse_args(argv)

    app = create_app()
    with app.app_context():
        if not storage.tables_exist():
            storage.create_tables()
            print(f"Created a new database at {app.config['DATABASE']}")
    app.run(host=options.host, port=options.port, debug=options.debug)


if __name__ == "__main__":
    main()
