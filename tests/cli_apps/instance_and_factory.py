"""An application instance wins over a factory in the same module."""

import click

from flask import Flask

existing = Flask("existing")


@existing.cli.command("whoami")
def whoami() -> None:
    click.echo("the existing instance")


def create_app():
    raise AssertionError("the factory must not be called when an instance exists")
