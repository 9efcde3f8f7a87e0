"""Fixtures shared by the whole suite: a fresh application, its test client, and
pushed contexts."""

from __future__ import annotations

import os
import sys
import types
import typing as t

import pytest

import flask


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests must not see FLASK_* variables from the shell that runs them, except the
    # switch that turns the fast paths off (CI runs the suite with and without).
    for name in list(os.environ):
        if name.startswith("FLASK_") and name != "FLASK_FAST_PATHS":
            monkeypatch.delenv(name)


# The optional packages some tests need, and how to install each. CI installs them all
# (requirements/tests.txt), so none of these tests is skipped there.
OPTIONAL_PACKAGES = {
    "greenlet": "pip install greenlet",
    "asgiref": "pip install 'flask[async]'",
    "dotenv": "pip install 'flask[dotenv]'",
}


@pytest.fixture
def fast_paths_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the fast paths on for the test, also in the suite's run with
    ``FLASK_FAST_PATHS=0``: for tests that describe the fast paths themselves."""
    from flask import fastpaths

    monkeypatch.setattr(fastpaths, "ENABLED", True)


def _optional_package(name: str) -> types.ModuleType:
    """Import an optional package, or skip the test saying how to install it."""
    return pytest.importorskip(
        name, reason=f"this test needs {name}: {OPTIONAL_PACKAGES[name]}"
    )


@pytest.fixture
def greenlet() -> types.ModuleType:
    """The greenlet package, for tests that switch between greenlets."""
    return _optional_package("greenlet")


@pytest.fixture
def asgiref() -> types.ModuleType:
    """The asgiref package, which runs ``async def`` views, hooks and handlers."""
    return _optional_package("asgiref")


@pytest.fixture
def dotenv() -> types.ModuleType:
    """The python-dotenv package, which loads ``.env`` and ``.flaskenv`` files."""
    return _optional_package("dotenv")


@pytest.fixture
def app() -> flask.Flask:
    """An application rooted in the tests folder, in testing mode."""
    app = flask.Flask("flask_test", root_path=os.path.dirname(__file__))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


@pytest.fixture
def app_ctx(app: flask.Flask):
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def req_ctx(app: flask.Flask):
    with app.test_request_context() as ctx:
        yield ctx


@pytest.fixture
def modules_tmp_path(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A temporary folder on ``sys.path``, for tests that create importable modules.
    Modules imported from it are removed from ``sys.modules`` afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        module = sys.modules[name]
        if str(tmp_path) in (getattr(module, "__file__", None) or ""):
            del sys.modules[name]


@pytest.fixture
def recording() -> t.Callable[[type, str, list[str]], t.Any]:
    """Make replacements that record their calls: ``recording(cls, name, calls)`` is
    a function to patch in as ``cls.name`` that appends ``name`` to ``calls`` and then
    calls the original method."""

    def make(cls: type, name: str, calls: list[str]) -> t.Any:
        original = getattr(cls, name)

        def replacement(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
            calls.append(name)
            return original(self, *args, **kwargs)

        return replacement

    return make
