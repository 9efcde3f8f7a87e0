"""The package under test is this repository's, installed with its metadata."""

from __future__ import annotations

import importlib.metadata
import pathlib
import subprocess
import sys

import pytest

import flask

REPO_SRC = pathlib.Path(__file__).resolve().parent.parent / "src"


def test_flask_is_imported_from_this_repository():
    # A dependency could pull the reference Flask from PyPI into the environment;
    # the tests must exercise this repository's code, never such a wheel.
    assert pathlib.Path(flask.__file__).resolve().parent == REPO_SRC / "flask"


def test_installed_distribution_is_this_project():
    dist = importlib.metadata.distribution("flask")
    assert dist.metadata["Name"] == "Flask"
    files = {str(f) for f in dist.files or ()}
    # An editable install points at src/; a wheel of the reference would list
    # flask/app.py inside site-packages instead.
    assert not any(name.endswith("site-packages/flask/app.py") for name in files)


def test_version_satisfies_extension_requirements():
    version = importlib.metadata.version("flask")
    major, minor = (int(part) for part in version.split(".")[:2])
    assert (major, minor) >= (3, 1)


def test_dunder_version_is_deprecated():
    with pytest.deprecated_call():
        version = flask.__version__
    assert version == importlib.metadata.version("flask")


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        flask.no_such_name  # noqa: B018


def test_py_typed_marker_is_shipped():
    assert (REPO_SRC / "flask" / "py.typed").is_file()


def test_python_dash_m_flask_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_bare_import_makes_flasks_submodules_attributes():
    # What ``import flask`` makes available on Flask 3.1.3; ``cli`` is loaded on
    # first access, so that click stays out of a bare import.
    code = (
        "import sys, types, flask\n"
        "names = ['app', 'blueprints', 'cli', 'config', 'ctx', 'globals', 'helpers',\n"
        "         'json', 'logging', 'sansio', 'sessions', 'signals', 'templating',\n"
        "         'typing', 'wrappers']\n"
        "print('click' in sys.modules, 'cli' in dir(flask))\n"
        "missing = [n for n in names\n"
        "           if not isinstance(getattr(flask, n, None), types.ModuleType)]\n"
        "print(missing, flask.cli.with_appcontext.__module__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["False True", "[] flask.cli"]
