import click

from flask import Flask

app = Flask("from-app")


@app.cli.command("whoami")
def whoami() -> None:
    click.echo("app.py was used")
