"""Two applications and no conventional name: discovery cannot choose."""

import click

from flask import Flask

front = Flask("front")
back = Flask("back")


@back.cli.command("whoami")
def whoami() -> None:
    click.echo("the back office")
