"""The JSON provider's ``dumps`` reuses one encoder per set of options instead of
calling :func:`json.dumps`, and steps aside when that call could be told apart: a
replaced or patched :mod:`json`, an encoder class among the options, no ``default``.
"""

from __future__ import annotations

import json
import types
import typing as t

import pytest

import flask
from flask import fastpaths
from flask.json import provider as provider_module


@pytest.fixture
def app() -> flask.Flask:
    app = flask.Flask("json_encoders")

    @app.route("/data")
    def data() -> dict[str, t.Any]:
        return {"b": [1, 2], "a": "\u00e9"}

    return app


def test_output_matches_json_dumps(app):
    with app.app_context():
        for options in ({}, {"indent": 2}, {"separators": (",", ":")}):
            got = app.json.dumps({"b": 1, "a": ["\u00e9", None]}, **options)
            expected = json.dumps(
                {"b": 1, "a": ["\u00e9", None]},
                default=app.json.default,  # type: ignore[attr-defined]
                ensure_ascii=True,
                sort_keys=True,
                **options,
            )
            assert got == expected


def test_one_encoder_serves_calls_with_the_same_options(app):
    fastpaths._json_encoders.clear()
    with app.app_context():
        app.json.dumps([1])
        app.json.dumps({"a": 2})
        app.json.dumps([3], indent=2)
    # None are made with the fast paths off (FLASK_FAST_PATHS=0).
    assert len(fastpaths._json_encoders) == (2 if fastpaths.ENABLED else 0)


def test_replaced_json_module_of_the_provider_is_used(app, monkeypatch):
    shim = types.SimpleNamespace(
        dumps=lambda obj, **options: "shimmed", loads=json.loads
    )
    monkeypatch.setattr(provider_module, "json", shim)
    with app.app_context():
        assert app.json.dumps({"a": 1}) == "shimmed"


def test_patched_json_dumps_is_called(app, monkeypatch):
    calls: list[t.Any] = []
    original = json.dumps

    def dumps(obj: t.Any, **options: t.Any) -> str:
        calls.append(obj)
        return original(obj, **options)

    monkeypatch.setattr(json, "dumps", dumps)
    assert app.test_client().get("/data").status_code == 200
    assert calls == [{"b": [1, 2], "a": "\u00e9"}]


def test_replaced_encoder_class_is_used(app, monkeypatch):
    class Shouting(json.JSONEncoder):
        def encode(self, o: t.Any) -> str:
            return super().encode(o).upper()

    monkeypatch.setattr(json, "JSONEncoder", Shouting)
    assert app.test_client().get("/data").data == b'{"A":"\\U00E9","B":[1,2]}\n'


def test_patched_encoder_constructor_is_called(app, monkeypatch):
    calls: list[str] = []
    original = json.JSONEncoder.__init__

    def init(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        calls.append("init")
        original(self, *args, **kwargs)

    monkeypatch.setattr(json.JSONEncoder, "__init__", init)
    with app.app_context():
        app.json.dumps([1])
        app.json.dumps([1])
    assert calls == ["init", "init"]


def test_encoder_class_among_the_options_is_used(app):
    class Tagged(json.JSONEncoder):
        def encode(self, o: t.Any) -> str:
            return "tagged " + super().encode(o)

    with app.app_context():
        assert app.json.dumps([1], cls=Tagged) == "tagged [1]"


def test_no_default_uses_json_shared_encoder(app, monkeypatch):
    class Shared(json.JSONEncoder):
        def encode(self, o: t.Any) -> str:
            return "shared"

    monkeypatch.setattr(json, "_default_encoder", Shared())
    app.json.default = None  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    with app.app_context():
        assert app.json.dumps([1]) == "shared"


def test_unknown_option_raises_what_json_dumps_raises(app):
    with app.app_context():
        with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
            app.json.dumps([1], colour="red")


def test_unhashable_option_is_passed_to_json_dumps(app):
    with app.app_context():
        assert app.json.dumps([1, 2], separators=[",", ":"]) == "[1,2]"
