from __future__ import annotations

import os

import pytest
from jotter import create_app
from jotter import readable_time


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("JOTTER_"):
            monkeypatch.delenv(name)


def test_default_database_lives_in_the_instance_folder():
    app = create_app()
    assert app.config["DATABASE"] == os.path.join(app.instance_path, "jotter.sqlite3")
    assert not app.testing
    assert app.config["HEADLINE_MAX_LENGTH"] == 120


def test_environment_variables_configure_a_deployed_app(monkeypatch, tmp_path):
    monkeypatch.setenv("JOTTER_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("JOTTER_DATABASE", str(tmp_path / "live.sqlite3"))
    monkeypatch.setenv("JOTTER_HEADLINE_MAX_LENGTH", "60")
    app = create_app()
    assert app.secret_key == "from-the-environment"
    assert app.config["DATABASE"] == str(tmp_path / "live.sqlite3")
    assert app.config["HEADLINE_MAX_LENGTH"] == 60


def test_test_config_overrides_defaults_and_ignores_environment(monkeypatch):
    monkeypatch.setenv("JOTTER_SECRET_KEY", "from-the-environment")
    app = create_app({"TESTING": True, "DATABASE": ":memory:"})
    assert app.testing
    assert app.config["DATABASE"] == ":memory:"
    assert app.secret_key == "jotter-local-development-key"


def test_factory_has_no_side_effects_on_disk(tmp_path):
    create_app({"DATABASE": str(tmp_path / "sub" / "blog.sqlite3")})
    assert not (tmp_path / "sub").exists()


def test_each_call_returns_an_independent_app():
    first = create_app({"HEADLINE_MAX_LENGTH": 10})
    second = create_app()
    assert first is not second
    assert second.config["HEADLINE_MAX_LENGTH"] == 120


def test_both_blueprints_and_the_command_are_registered():
    app = create_app({"TESTING": True})
    assert set(app.blueprints) == {"accounts", "entries"}
    assert "init-db" in app.cli.commands


@pytest.mark.parametrize(
    ("stamp", "shown"),
    [
        ("2025-03-03 14:05:00", "3 March 2025, 14:05"),
        ("2024-12-25 00:00:59", "25 December 2024, 00:00"),
        (None, ""),
        ("", ""),
    ],
)
def test_readable_time_formats_sqlite_timestamps(stamp, shown):
    assert readable_time(stamp) == shown
