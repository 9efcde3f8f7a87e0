"""A module whose application is the conventional ``app`` attribute."""

import click

from flask import Flask

app = Flask("kiosk")


@app.route("/")
def front_page() -> str:
    return "kiosk front page"


@app.cli.command("greet")
@click.option("--shout", is_flag=True)
def greet(shout: bool) -> None:
    text = f"hello from {app.name}"
    click.echo(text.upper() if shout else text)
