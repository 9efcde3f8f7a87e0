"""Imports something that is not installed."""

import cli_apps_dependency_that_is_not_installed  # noqa: F401

from flask import Flask

app = Flask("never reached")
