import click

from flask import Flask

app = Flask("from-wsgi")


@app.cli.command("whoami")
def whoami() -> None:
    click.echo("wsgi.py was used")
