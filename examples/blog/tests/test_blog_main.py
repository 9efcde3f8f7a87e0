"""``python -m jotter``: prepares the database, then hands over to the dev server."""

from __future__ import annotations

import runpy
import sqlite3
import sys

import pytest
from jotter.__main__ import main

from flask import Flask


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Record Flask.run calls instead of serving, and point the app at a temp database."""
    calls = []

    def fake_run(app, **options):
        calls.append((app, options))

    monkeypatch.setattr(Flask, "run", fake_run)
    monkeypatch.setenv("JOTTER_DATABASE", str(tmp_path / "data" / "jotter.sqlite3"))
    return calls


def test_first_start_creates_the_database_then_serves_on_localhost(
    served, tmp_path, capsys
):
    main([])
    database = tmp_path / "data" / "jotter.sqlite3"
    assert capsys.readouterr().out == f"Created a new database at {database}\n"
    (app, options) = served[0]
    assert options == {"host": "127.0.0.1", "port": 5000, "debug": False}
    assert app.config["DATABASE"] == str(database)
    with sqlite3.connect(database) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    # The with block only commits; Python 3.13 warns about a connection left open.
    conn.close()
    assert {"author", "entry"} <= tables


def test_later_starts_keep_existing_data(served, tmp_path, capsys):
    main([])
    database = tmp_path / "data" / "jotter.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO author (handle, password_hash) VALUES ('kept', 'x')")
    conn.close()
    capsys.readouterr()
    main([])
    assert capsys.readouterr().out == ""
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT handle FROM author").fetchall() == [("kept",)]
    conn.close()
    assert len(served) == 2


def test_options_choose_address_port_and_debug(served):
    main(["--host", "0.0.0.0", "--port", "8123", "--debug"])
    assert served[0][1] == {"host": "0.0.0.0", "port": 8123, "debug": True}


def test_bad_port_is_a_usage_error(served, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", "eighty"])
    assert exit_info.value.code == 2
    assert "invalid int value: 'eighty'" in capsys.readouterr().err
    assert served == []


def test_running_the_package_as_a_module_starts_the_server(served, monkeypatch):
    monkeypatch.setattr("sys.argv", ["jotter", "--port", "5050"])
    # runpy wants to execute jotter.__main__ fresh, not reuse the imported copy.
    monkeypatch.delitem(sys.modules, "jotter.__main__")
    runpy.run_module("jotter", run_name="__main__", alter_sys=False)
    assert served[0][1]["port"] == 5050
