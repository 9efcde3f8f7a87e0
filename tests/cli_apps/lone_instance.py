"""A single application under a name the discovery does not know."""

import click

from flask import Flask

site = Flask("lone")


@site.cli.command("whoami")
def whoami() -> None:
    click.echo("the only instance")
