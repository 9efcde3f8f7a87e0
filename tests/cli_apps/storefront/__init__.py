"""A package whose ``__init__`` holds the application."""

import click

from flask import Flask

app = Flask(__name__)


@app.cli.command("whoami")
def whoami() -> None:
    click.echo(f"package {__name__}")
