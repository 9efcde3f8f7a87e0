"""Factories called through ``--app 'factories:...'`` with literal arguments."""

import click

from flask import Flask


def create_app(label="plain", *, mode="default", size=0, tags=None):
    made = Flask(label)

    @made.cli.command("describe")
    def describe() -> None:
        click.echo(f"label={label!r} mode={mode!r} size={size!r} tags={tags!r}")

    return made


def returns_nothing():
    return None


def fails_inside():
    # A TypeError from the factory's own body is a bug to show, not a wrong call.
    return len(5)
