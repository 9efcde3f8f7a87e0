"""Only a ``make_app`` factory."""

import click

from flask import Flask


def make_app():
    made = Flask("made")

    @made.cli.command("whoami")
    def whoami() -> None:
        click.echo("built by make_app")

    return made
