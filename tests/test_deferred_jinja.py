"""Jinja is imported on first use: what Flask's import offers is still there."""

from __future__ import annotations

import subprocess
import sys
import typing as t
from unittest import mock

import jinja2
import pytest

import flask
import flask.app
import flask.sansio.app
import flask.sansio.scaffold
import flask.templating
from flask import Flask


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_import_flask_and_creating_an_app_do_not_load_jinja() -> None:
    code = (
        "import sys, flask\n"
        "app = flask.Flask('a')\n"
        "app.add_url_rule('/', 'index', lambda: 'hi')\n"
        "print('jinja2' in sys.modules, 'flask.templating' in sys.modules)\n"
        "print(app.test_client().get('/').data.decode(), 'jinja2' in sys.modules)\n"
    )
    assert _run(code).splitlines() == ["False False", "hi False"]


def test_the_first_template_loads_jinja() -> None:
    code = (
        "import sys, flask\n"
        "app = flask.Flask('a')\n"
        "with app.test_request_context():\n"
        "    print(flask.render_template_string('{{ 1 + 1 }}'), 'jinja2' in sys.modules)\n"
    )
    assert _run(code) == "2 True"


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (flask, "render_template"),
        (flask, "render_template_string"),
        (flask, "stream_template"),
        (flask, "stream_template_string"),
        (flask.app, "Environment"),
        (flask.sansio.app, "Environment"),
        (flask.sansio.app, "DispatchingJinjaLoader"),
    ],
)
def test_names_from_the_templating_module_are_the_same_objects(
    module: t.Any, name: str
) -> None:
    assert getattr(module, name) is getattr(flask.templating, name)
    assert name in dir(module)


def test_names_from_jinja_in_the_scaffold_module() -> None:
    assert flask.sansio.scaffold.FileSystemLoader is jinja2.FileSystemLoader
    assert flask.sansio.scaffold.BaseLoader is jinja2.BaseLoader
    assert "FileSystemLoader" in dir(flask.sansio.scaffold)


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        flask.sansio.scaffold.Nope  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        flask.app.Nope  # noqa: B018


def test_templating_is_an_attribute_of_a_fresh_import() -> None:
    code = (
        "import flask\n"
        "print(flask.templating.Environment.__name__, 'templating' in dir(flask))\n"
    )
    assert _run(code) == "Environment True"


def test_jinja_environment_is_the_templating_environment_class() -> None:
    code = (
        "import flask\n"
        "from flask.sansio.app import App\n"
        "env = flask.Flask.jinja_environment\n"
        "print(env is flask.templating.Environment,"
        " App.__dict__['jinja_environment'] is env)\n"
    )
    assert _run(code) == "True True"
    app = Flask(__name__)
    assert type(app.jinja_env) is flask.templating.Environment


def test_jinja_environment_of_a_subclass_is_used() -> None:
    class Custom(flask.templating.Environment):
        pass

    class App(Flask):
        jinja_environment = Custom

    assert type(App(__name__).jinja_env) is Custom


def test_default_context_processor_is_the_templating_one() -> None:
    app = Flask(__name__)
    processor = app.template_context_processors[None][0]
    assert processor is flask.templating._default_template_ctx_processor


def test_loader_patched_on_the_app_module_is_used() -> None:
    app = Flask(__name__)
    with mock.patch("flask.sansio.app.DispatchingJinjaLoader") as loader:
        assert app.create_global_jinja_loader() is loader.return_value
    loader.assert_called_once_with(app)
    assert isinstance(
        app.create_global_jinja_loader(), flask.templating.DispatchingJinjaLoader
    )


def test_file_system_loader_patched_on_the_scaffold_module_is_used() -> None:
    app = Flask(__name__)
    with mock.patch("flask.sansio.scaffold.FileSystemLoader") as loader:
        assert app.jinja_loader is loader.return_value
    assert type(Flask(__name__).jinja_loader) is jinja2.FileSystemLoader


def test_patches_before_the_first_use_are_honoured_and_undone() -> None:
    code = (
        "from unittest import mock\n"
        "import flask, jinja2\n"
        "app = flask.Flask('a')\n"
        "with mock.patch('flask.sansio.scaffold.FileSystemLoader') as loader:\n"
        "    print(app.jinja_loader is loader.return_value)\n"
        "print(type(flask.Flask('b').jinja_loader) is jinja2.FileSystemLoader)\n"
    )
    assert _run(code).splitlines() == ["True", "True"]
