"""``create_app`` is tried before ``make_app``."""

import click

from flask import Flask


def _build(name):
    made = Flask(name)

    @made.cli.command("whoami")
    def whoami() -> None:
        click.echo(f"built by {name}")

    return made


def make_app():
    return _build("make_app")


def create_app():
    return _build("create_app")
