"""The application is called ``application``; ``app`` is something else and must be
passed over."""

import click

from flask import Flask

app = "a string that happens to be called app"
application = Flask("legacy")


@application.cli.command("whoami")
def whoami() -> None:
    click.echo("legacy application")
