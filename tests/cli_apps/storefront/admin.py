"""A module inside a package, with its application under a custom name."""

import click

from flask import Flask

panel = Flask(__name__)


@panel.cli.command("whoami")
def whoami() -> None:
    click.echo(f"module {__name__}")
