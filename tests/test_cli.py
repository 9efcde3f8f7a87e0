"""The ``flask`` command, run in-process with click's runner: finding the application,
environment files, the built-in commands and the groups applications extend."""

from __future__ import annotations

import code
import importlib.metadata
import inspect
import os
import platform
import re
import ssl
import sys
import types
from pathlib import Path

import click
import pytest
import werkzeug.serving
from click.testing import CliRunner
from werkzeug.test import create_environ

import flask
import flask.cli
from flask import Blueprint
from flask import current_app
from flask import Flask
from flask.cli import AppGroup
from flask.cli import find_app_by_string
from flask.cli import find_best_app
from flask.cli import FlaskGroup
from flask.cli import load_dotenv
from flask.cli import locate_app
from flask.cli import NoAppException
from flask.cli import prepare_import
from flask.cli import routes_command
from flask.cli import run_command
from flask.cli import ScriptInfo
from flask.cli import shell_command
from flask.cli import with_appcontext

CLI_APPS = Path(__file__).parent / "cli_apps"


@pytest.fixture(autouse=True)
def _restore_process_state(tmp_path_factory: pytest.TempPathFactory):
    """The command changes os.environ, sys.path and sys.modules; put them back."""
    environ = dict(os.environ)
    path = list(sys.path)
    modules = set(sys.modules)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path
    roots = (str(CLI_APPS), str(tmp_path_factory.getbasetemp()))
    for name in set(sys.modules) - modules:
        location = getattr(sys.modules[name], "__file__", None) or ""
        if location.startswith(roots):
            del sys.modules[name]


@pytest.fixture
def in_cli_apps(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(CLI_APPS)
    return CLI_APPS


@pytest.fixture
def cli_apps_on_path(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(CLI_APPS))
    return CLI_APPS


def cli_runner() -> CliRunner:
    """A runner whose results keep stderr apart from stdout.

    Click 8.2 always does; click 8.1 (the oldest release this package supports) only
    when asked with ``mix_stderr=False``, an argument that 8.2 removed.
    """
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def flask_cmd(*args: str, group: click.Group | None = None, **kwargs):
    """Run the ``flask`` command line (or another group) with these arguments."""
    return cli_runner().invoke(group or flask.cli.cli, list(args), **kwargs)


def error_of(result) -> str:
    """The stderr text of a result, with click's line wrapping undone."""
    assert result.exit_code != 0, result.output
    try:
        text = result.stderr
    except ValueError:  # Click 8.1's runners mix stderr into the output by default.
        text = result.output
    return " ".join(text.split())


def a_group(app: Flask, **options) -> FlaskGroup:
    """A ``flask``-like group whose application is ``app``."""
    return FlaskGroup(name="manage", create_app=lambda: app, **options)


# Finding the application through --app / FLASK_APP --------------------------------------


def test_app_option_loads_the_app_attribute_of_a_module(in_cli_apps):
    result = flask_cmd("--app", "kiosk", "greet")
    assert result.exit_code == 0, result.output
    assert result.output == "hello from kiosk\n"


def test_short_app_option_and_command_options_work_together(in_cli_apps):
    result = flask_cmd("-A", "kiosk", "greet", "--shout")
    assert result.output == "HELLO FROM KIOSK\n"


def test_flask_app_variable_names_the_module(in_cli_apps, monkeypatch):
    monkeypatch.setenv("FLASK_APP", "kiosk")
    assert flask_cmd("greet").output == "hello from kiosk\n"


def test_app_option_wins_over_the_flask_app_variable(in_cli_apps, monkeypatch):
    monkeypatch.setenv("FLASK_APP", "lone_instance")
    assert flask_cmd("--app", "kiosk", "greet").output == "hello from kiosk\n"


def test_application_attribute_is_used_when_app_is_not_an_application(in_cli_apps):
    result = flask_cmd("--app", "legacy_name", "whoami")
    assert result.output == "legacy application\n"


def test_a_single_application_under_any_name_is_found(in_cli_apps):
    assert flask_cmd("--app", "lone_instance", "whoami").output == "the only instance\n"


def test_two_anonymous_applications_ask_the_user_to_choose(in_cli_apps):
    result = flask_cmd("--app", "twin_apps", "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert "Detected multiple Flask applications in module 'twin_apps'." in message
    assert "Use 'twin_apps:name' to specify the correct one." in message


def test_module_colon_name_selects_one_of_several_applications(in_cli_apps):
    assert flask_cmd("--app", "twin_apps:back", "whoami").output == "the back office\n"


def test_create_app_factory_is_called_without_arguments(in_cli_apps):
    result = flask_cmd("--app", "factories", "describe")
    assert result.output == "label='plain' mode='default' size=0 tags=None\n"


def test_make_app_factory_is_used_when_there_is_no_create_app(in_cli_apps):
    assert flask_cmd("--app", "maker", "whoami").output == "built by make_app\n"


def test_create_app_is_tried_before_make_app(in_cli_apps):
    assert (
        flask_cmd("--app", "both_factories", "whoami").output == "built by create_app\n"
    )


def test_an_application_instance_is_preferred_over_a_factory(in_cli_apps):
    result = flask_cmd("--app", "instance_and_factory", "whoami")
    assert result.exit_code == 0, result.output
    assert result.output == "the existing instance\n"


@pytest.mark.parametrize(
    ("reference", "described"),
    [
        ("factories:create_app", "label='plain' mode='default' size=0 tags=None"),
        ("factories:create_app()", "label='plain' mode='default' size=0 tags=None"),
        (
            "factories:create_app('shop')",
            "label='shop' mode='default' size=0 tags=None",
        ),
        (
            'factories:create_app("shop", mode="debug", size=3, tags=["a", "b"])',
            "label='shop' mode='debug' size=3 tags=['a', 'b']",
        ),
        (
            "factories:create_app(size=-1.5, tags={'k': (1, None)}, mode=True)",
            "label='plain' mode=True size=-1.5 tags={'k': (1, None)}",
        ),
        (
            " factories:create_app( 'spaced' ) ",
            "label='spaced' mode='default' size=0 tags=None",
        ),
    ],
)
def test_factory_calls_with_literal_arguments(in_cli_apps, reference, described):
    result = flask_cmd("--app", reference.strip(), "describe")
    assert result.exit_code == 0, result.output
    assert result.output == described + "\n"


def test_factory_that_needs_arguments_says_how_to_pass_them(in_cli_apps):
    result = flask_cmd("--app", "needs_config", "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert (
        "Detected factory 'create_app' in module 'needs_config', but could not call it"
        " without arguments." in message
    )
    assert "Use 'needs_config:create_app(args)' to specify arguments." in message


def test_factory_called_with_the_wrong_arguments_is_reported(in_cli_apps):
    result = flask_cmd("--app", "factories:create_app(1, 2, 3)", "routes")
    message = error_of(result)
    assert (
        "The factory 'create_app(1, 2, 3)' in module 'factories' could not be called"
        " with the specified arguments." in message
    )
    # The user is shown what the factory accepts.
    assert (
        "Pass the arguments its signature expects: create_app(label='plain', *,"
        " mode='default', size=0, tags=None)." in message
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize("reference", ["factory_bug", "factories:fails_inside()"])
def test_type_error_raised_inside_a_factory_is_not_disguised(in_cli_apps, reference):
    result = flask_cmd("--app", reference, "routes")
    assert isinstance(result.exception, TypeError)
    assert "could not be called" not in result.output
    assert "could not call it" not in result.output


@pytest.mark.parametrize(
    ("reference", "kind"),
    [("factories:returns_nothing()", "NoneType"), ("nothing_here:RETRIES", "int")],
)
def test_name_that_does_not_give_an_application_is_rejected(
    in_cli_apps, reference, kind
):
    result = flask_cmd("--app", reference, "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert f"A valid Flask application was not obtained from '{reference}'." in message
    assert f"It gave an object of type '{kind}'" in message
    assert "a factory function that returns one" in message
    assert "Traceback" not in result.output


def test_missing_attribute_is_named_in_the_error(in_cli_apps):
    result = flask_cmd("--app", "kiosk:storefront", "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert "Failed to find attribute 'storefront' in 'kiosk'." in message
    assert "Check the name after the ':' in '--app' or 'FLASK_APP'." in message


NAME_OR_CALL = "Use a name such as 'app' or a call such as 'create_app()'."
TOP_LEVEL = "Call a function defined at the top level of the module"
LITERALS_ONLY = "Only literals (strings, numbers, lists, dicts, ...) can be passed."


@pytest.mark.parametrize(
    ("reference", "expected", "advice"),
    [
        (
            "kiosk:app(",
            "Failed to parse 'app(' as an attribute name or function call.",
            NAME_OR_CALL,
        ),
        (
            "kiosk:42",
            "Failed to parse '42' as an attribute name or function call.",
            NAME_OR_CALL,
        ),
        (
            "kiosk:app[0]",
            "Failed to parse 'app[0]' as an attribute name or function call.",
            NAME_OR_CALL,
        ),
        (
            "kiosk:app.run()",
            "Function reference must be a simple name: 'app.run()'.",
            TOP_LEVEL,
        ),
        (
            "factories:create_app(label)",
            "Failed to parse arguments as literal values: 'create_app(label)'.",
            LITERALS_ONLY,
        ),
        (
            "factories:create_app(mode=print())",
            "Failed to parse arguments as literal values: 'create_app(mode=print())'.",
            LITERALS_ONLY,
        ),
    ],
    ids=[
        "unclosed-call",
        "number",
        "subscript",
        "dotted-call",
        "name-argument",
        "call-argument",
    ],
)
def test_unparsable_app_references_are_explained(
    in_cli_apps, reference, expected, advice
):
    result = flask_cmd("--app", reference, "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert expected in message
    assert advice in message
    assert "Traceback" not in result.output


def test_module_without_any_application(in_cli_apps):
    result = flask_cmd("--app", "nothing_here", "routes")
    assert result.exit_code == 2
    assert (
        "Failed to find Flask application or factory in module 'nothing_here'. Use"
        " 'nothing_here:name' to specify one." in error_of(result)
    )


def test_module_that_does_not_exist(in_cli_apps):
    result = flask_cmd("--app", "no_such_module_anywhere", "routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert "Could not import 'no_such_module_anywhere'." in message
    assert "Check the spelling" in message
    assert "Traceback" not in result.output


def test_import_error_inside_the_app_module_is_shown_with_its_traceback(in_cli_apps):
    result = flask_cmd("--app", "missing_dependency", "routes")
    assert result.exit_code == 2
    assert (
        "While importing 'missing_dependency', an ImportError was raised:"
        in result.stderr
    )
    assert "Traceback (most recent call last):" in result.stderr
    assert "missing_dependency.py" in result.stderr
    assert (
        "No module named 'cli_apps_dependency_that_is_not_installed'" in result.stderr
    )
    assert "Could not import" not in result.stderr


def test_other_errors_while_importing_the_app_propagate(in_cli_apps):
    result = flask_cmd("--app", "crashes_on_import", "routes")
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "the settings file is corrupt"


def test_app_option_accepts_a_file_path_inside_a_package(in_cli_apps):
    result = flask_cmd("--app", "storefront/admin.py:panel", "whoami")
    assert result.exit_code == 0, result.output
    assert result.output == "module storefront.admin\n"


def test_app_option_accepts_a_dotted_module_inside_a_package(in_cli_apps):
    assert (
        flask_cmd("--app", "storefront.admin:panel", "whoami").output
        == "module storefront.admin\n"
    )


@pytest.mark.parametrize(
    "folder", ["storefront", "./storefront/", "storefront/__init__.py"]
)
def test_app_option_accepts_a_package_folder(in_cli_apps, folder):
    assert flask_cmd("--app", folder, "whoami").output == "package storefront\n"


def test_app_option_accepts_an_absolute_file_path_from_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("--app", str(CLI_APPS / "kiosk.py"), "greet")
    assert result.output == "hello from kiosk\n"


def test_wsgi_py_in_the_current_directory_is_tried_first(monkeypatch):
    monkeypatch.chdir(CLI_APPS / "default_both")
    assert flask_cmd("whoami").output == "wsgi.py was used\n"


def test_app_py_in_the_current_directory_is_the_fallback(monkeypatch):
    monkeypatch.chdir(CLI_APPS / "default_app_only")
    assert flask_cmd("whoami").output == "app.py was used\n"


def test_no_application_anywhere_explains_the_ways_to_name_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("routes")
    assert result.exit_code == 2
    message = error_of(result)
    assert message.endswith(
        "Error: Could not locate a Flask application. Use the 'flask --app' option,"
        " 'FLASK_APP' environment variable, or a 'wsgi.py' or 'app.py' file in the"
        " current directory."
    )
    assert "Traceback" not in result.output


def test_unknown_command_without_an_application_reports_both_problems(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("deploy")
    assert result.exit_code == 2
    message = error_of(result)
    assert "Error: Could not locate a Flask application." in message
    assert "Error: No such command 'deploy'." in message


# The discovery functions -------------------------------------------------------------


def fake_module(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


def test_find_best_app_order_of_preference():
    first, second = Flask("first"), Flask("second")
    module = fake_module("catalog", unrelated=second, application=first)
    assert find_best_app(module) is first
    module.app = second
    assert find_best_app(module) is second


def test_find_best_app_ignores_factories_that_are_not_plain_functions():
    class Builder:
        def __new__(cls):
            return Flask("from a class")

    module = fake_module("catalog", create_app=Builder)
    with pytest.raises(NoAppException, match="Failed to find Flask application"):
        find_best_app(module)


def test_find_best_app_ignores_a_factory_that_returns_something_else():
    module = fake_module("catalog", create_app=lambda: "not an app")
    with pytest.raises(NoAppException, match="Use 'catalog:name' to specify one"):
        find_best_app(module)


def test_find_best_app_falls_through_to_make_app_when_create_app_is_not_an_app():
    made = Flask("made")
    module = fake_module("catalog", create_app=lambda: None, make_app=lambda: made)
    assert find_best_app(module) is made


def test_find_app_by_string_calls_a_factory_with_parsed_arguments():
    received = []

    def build(*args, **kwargs):
        received.append((args, kwargs))
        return Flask("built")

    module = fake_module("catalog", build=build)
    app = find_app_by_string(module, "build('a', 2, flag=False, items=[1, 2])")
    assert app.name == "built"
    assert received == [(("a", 2), {"flag": False, "items": [1, 2]})]


def test_find_app_by_string_returns_an_instance_unchanged():
    app = Flask("catalog")
    assert find_app_by_string(fake_module("catalog", shop=app), "shop") is app


def test_find_app_by_string_does_not_call_callable_objects():
    class Callable:
        def __call__(self):
            return Flask("never")

    module = fake_module("catalog", shop=Callable())
    with pytest.raises(NoAppException, match="A valid Flask application was not"):
        find_app_by_string(module, "shop")


def test_find_app_by_string_errors_are_no_app_exceptions_and_usage_errors():
    module = fake_module("catalog")
    with pytest.raises(NoAppException) as caught:
        find_app_by_string(module, "absent")
    assert isinstance(caught.value, click.UsageError)


def test_locate_app_can_return_none_for_a_missing_module(cli_apps_on_path):
    assert locate_app("no_such_module_anywhere", None, raise_if_not_found=False) is None
    with pytest.raises(NoAppException, match="Could not import"):
        locate_app("no_such_module_anywhere", None)


def test_locate_app_still_reports_import_errors_inside_the_module(cli_apps_on_path):
    with pytest.raises(NoAppException, match="an ImportError was raised"):
        locate_app("missing_dependency", None, raise_if_not_found=False)


def test_locate_app_with_a_name(cli_apps_on_path):
    app = locate_app("twin_apps", "front")
    assert app.name == "front"


def test_prepare_import_of_a_plain_file_adds_its_folder_to_the_path(tmp_path):
    (tmp_path / "bakery.py").write_text("")
    assert prepare_import(str(tmp_path / "bakery.py")) == "bakery"
    assert sys.path[0] == str(tmp_path)


def test_prepare_import_of_a_module_in_nested_packages(tmp_path):
    inner = tmp_path / "outer" / "inner"
    inner.mkdir(parents=True)
    for folder in (tmp_path / "outer", inner):
        (folder / "__init__.py").write_text("")
    (inner / "views.py").write_text("")
    assert prepare_import(str(inner / "views.py")) == "outer.inner.views"
    assert sys.path[0] == str(tmp_path)
    assert prepare_import(str(inner)) == "outer.inner"
    assert prepare_import(str(inner / "__init__.py")) == "outer.inner"


def test_prepare_import_does_not_add_the_same_folder_twice(tmp_path):
    (tmp_path / "bakery.py").write_text("")
    prepare_import(str(tmp_path / "bakery.py"))
    before = list(sys.path)
    prepare_import(str(tmp_path / "bakery"))
    assert sys.path == before


def test_prepare_import_of_a_folder_without_init_is_its_own_name(tmp_path):
    (tmp_path / "loose").mkdir()
    assert prepare_import(str(tmp_path / "loose")) == "loose"
    assert sys.path[0] == str(tmp_path)


# ScriptInfo --------------------------------------------------------------------------


def test_script_info_loads_the_app_once():
    built = []

    def factory():
        built.append(Flask("counted"))
        return built[-1]

    info = ScriptInfo(create_app=factory)
    first = info.load_app()
    assert info.load_app() is first
    assert built == [first]


def test_script_info_factory_wins_over_the_import_path(in_cli_apps):
    app = Flask("from factory")
    info = ScriptInfo(app_import_path="kiosk", create_app=lambda: app)
    assert info.load_app() is app


def test_script_info_imports_the_path_it_was_given(in_cli_apps):
    assert ScriptInfo(app_import_path="twin_apps:back").load_app().name == "back"


def test_script_info_without_anything_to_load_raises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoAppException, match="Could not locate a Flask application"):
        ScriptInfo().load_app()


def test_script_info_sets_debug_from_flask_debug(monkeypatch):
    app = Flask("quiet")
    assert not app.debug
    monkeypatch.setenv("FLASK_DEBUG", "1")
    ScriptInfo(create_app=lambda: app, set_debug_flag=False).load_app()
    assert not app.debug
    ScriptInfo(create_app=lambda: app).load_app()
    assert app.debug


def test_script_info_defaults_and_skip_dotenv(monkeypatch):
    info = ScriptInfo()
    assert info.app_import_path is None
    assert info.create_app is None
    assert info.data == {}
    assert info.load_dotenv_defaults is True
    assert ScriptInfo(load_dotenv_defaults=False).load_dotenv_defaults is False
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")
    assert ScriptInfo().load_dotenv_defaults is False


# Environment files -------------------------------------------------------------------

PROBED = ("COLOR", "SHAPE", "SIZE", "FLASK_APP", "FLASK_DEBUG")


@pytest.fixture
def env_probe() -> FlaskGroup:
    """A group with an ``env`` command that prints some environment variables."""
    app = Flask("probe")

    @app.cli.command("env")
    def show_env() -> None:
        for name in PROBED:
            click.echo(f"{name}={os.environ.get(name)}")
        click.echo(f"debug={current_app.debug}")

    return a_group(app)


def probe(group: FlaskGroup, *args: str) -> dict[str, str]:
    result = flask_cmd(*args, "env", group=group)
    assert result.exit_code == 0, result.output
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


@pytest.mark.usefixtures("dotenv")
def test_flaskenv_and_env_are_loaded_and_env_wins(env_probe, tmp_path, monkeypatch):
    (tmp_path / ".flaskenv").write_text("COLOR=flaskenv\nSHAPE=flaskenv\n")
    (tmp_path / ".env").write_text("COLOR=env\nSIZE=env\n")
    monkeypatch.chdir(tmp_path)
    seen = probe(env_probe)
    assert (seen["COLOR"], seen["SHAPE"], seen["SIZE"]) == ("env", "flaskenv", "env")


@pytest.mark.usefixtures("dotenv")
def test_dotenv_files_are_found_in_parent_directories(env_probe, tmp_path, monkeypatch):
    (tmp_path / ".flaskenv").write_text("COLOR=far\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "a" / ".env").write_text("SHAPE=near\n")
    monkeypatch.chdir(deep)
    seen = probe(env_probe)
    assert (seen["COLOR"], seen["SHAPE"]) == ("far", "near")


@pytest.mark.usefixtures("dotenv")
def test_only_the_nearest_file_of_each_name_is_loaded(env_probe, tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("COLOR=outer\nSHAPE=outer\n")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / ".env").write_text("COLOR=inner\n")
    monkeypatch.chdir(tmp_path / "inner")
    seen = probe(env_probe)
    assert (seen["COLOR"], seen["SHAPE"]) == ("inner", "None")


@pytest.mark.usefixtures("dotenv")
def test_dotenv_never_overrides_variables_already_set(env_probe, tmp_path, monkeypatch):
    (tmp_path / ".flaskenv").write_text("COLOR=flaskenv\n")
    (tmp_path / ".env").write_text("SHAPE=env\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLOR", "shell")
    monkeypatch.setenv("SHAPE", "")
    seen = probe(env_probe)
    assert (seen["COLOR"], seen["SHAPE"]) == ("shell", "")


@pytest.mark.usefixtures("dotenv")
def test_env_file_option_wins_over_the_default_files(env_probe, tmp_path, monkeypatch):
    (tmp_path / ".flaskenv").write_text("COLOR=flaskenv\nSHAPE=flaskenv\n")
    (tmp_path / ".env").write_text("COLOR=env\n")
    (tmp_path / "staging.env").write_text("COLOR=staging\nSIZE=staging\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIZE", "shell")
    seen = probe(env_probe, "--env-file", "staging.env")
    assert (seen["COLOR"], seen["SHAPE"], seen["SIZE"]) == (
        "staging",
        "flaskenv",
        "shell",
    )


@pytest.mark.usefixtures("dotenv")
def test_short_env_file_option(env_probe, tmp_path, monkeypatch):
    (tmp_path / "extra.env").write_text("SHAPE=square\n")
    monkeypatch.chdir(tmp_path)
    assert probe(env_probe, "-e", "extra.env")["SHAPE"] == "square"


def test_missing_env_file_is_a_usage_error(env_probe, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("--env-file", "absent.env", "env", group=env_probe)
    assert result.exit_code == 2
    assert (
        "Invalid value for '-e' / '--env-file': File 'absent.env' does not exist."
        in error_of(result)
    )


@pytest.mark.usefixtures("dotenv")
def test_skip_dotenv_ignores_default_files_but_not_env_file(
    env_probe, tmp_path, monkeypatch
):
    (tmp_path / ".env").write_text("COLOR=env\n")
    (tmp_path / "chosen.env").write_text("SHAPE=chosen\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")
    seen = probe(env_probe, "-e", "chosen.env")
    assert (seen["COLOR"], seen["SHAPE"]) == ("None", "chosen")


@pytest.mark.usefixtures("dotenv")
def test_group_can_turn_off_dotenv_loading(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("COLOR=env\n")
    monkeypatch.chdir(tmp_path)
    app = Flask("no dotenv")

    @app.cli.command("color")
    def color() -> None:
        click.echo(os.environ.get("COLOR", "unset"))

    assert flask_cmd("color", group=a_group(app, load_dotenv=False)).output == "unset\n"


@pytest.mark.usefixtures("dotenv")
def test_flaskenv_can_name_the_application(tmp_path, monkeypatch):
    (tmp_path / ".flaskenv").write_text(f"FLASK_APP={CLI_APPS / 'kiosk.py'}\n")
    monkeypatch.chdir(tmp_path)
    assert flask_cmd("greet").output == "hello from kiosk\n"


@pytest.mark.usefixtures("dotenv")
def test_flask_debug_from_a_dotenv_file_turns_debug_on(
    env_probe, tmp_path, monkeypatch
):
    (tmp_path / ".env").write_text("FLASK_DEBUG=1\n")
    monkeypatch.chdir(tmp_path)
    assert probe(env_probe)["debug"] == "True"


@pytest.mark.usefixtures("dotenv")
def test_load_dotenv_reports_whether_anything_was_loaded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_dotenv() is False
    (tmp_path / ".flaskenv").write_text("COLOR=flaskenv\n")
    assert load_dotenv() is True
    assert os.environ["COLOR"] == "flaskenv"


@pytest.mark.usefixtures("dotenv")
def test_load_dotenv_with_a_path(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("COLOR=env\nSHAPE=env\n")
    (tmp_path / "more.env").write_text("COLOR=more\n")
    monkeypatch.chdir(tmp_path)
    assert load_dotenv(tmp_path / "more.env") is True
    assert (os.environ["COLOR"], os.environ["SHAPE"]) == ("more", "env")


@pytest.mark.usefixtures("dotenv")
def test_load_dotenv_path_only_without_defaults(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("SHAPE=env\n")
    (tmp_path / "more.env").write_text("COLOR=more\n")
    monkeypatch.chdir(tmp_path)
    assert load_dotenv(str(tmp_path / "more.env"), load_defaults=False) is True
    assert os.environ["COLOR"] == "more"
    assert "SHAPE" not in os.environ
    assert load_dotenv(str(tmp_path / "absent.env"), load_defaults=False) is False


def test_without_python_dotenv_a_tip_mentions_the_files(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dotenv", None)
    (tmp_path / ".env").write_text("COLOR=env\n")
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("--help")
    assert result.exit_code == 0
    assert (
        " * Tip: There are .env files present. Install python-dotenv to use them."
        in result.stderr
    )
    assert "COLOR" not in os.environ
    assert load_dotenv() is False


def test_without_python_dotenv_and_no_files_nothing_is_said(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dotenv", None)
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("--version")
    assert "Tip" not in result.output


def test_without_python_dotenv_an_env_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dotenv", None)
    (tmp_path / "x.env").write_text("COLOR=x\n")
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("-e", "x.env", "routes")
    assert result.exit_code == 2
    assert (
        "Invalid value for '-e' / '--env-file': python-dotenv must be installed to"
        " load an env file" in error_of(result)
    )


# Debug flag and version ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), None, "False"),
        (("--debug",), None, "True"),
        (("--no-debug",), "1", "False"),
        ((), "1", "True"),
        ((), "0", "False"),
        ((), "false", "False"),
        (("--debug",), "0", "True"),
    ],
)
def test_debug_option_and_flask_debug_variable(
    env_probe, monkeypatch, tmp_path, args, env, expected
):
    monkeypatch.chdir(tmp_path)
    if env is not None:
        monkeypatch.setenv("FLASK_DEBUG", env)
    assert probe(env_probe, *args)["debug"] == expected


def test_debug_option_exports_flask_debug(env_probe, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert probe(env_probe, "--debug")["FLASK_DEBUG"] == "1"
    assert probe(env_probe, "--no-debug")["FLASK_DEBUG"] == "0"


def test_version_prints_python_flask_and_werkzeug_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("--version")
    assert result.exit_code == 0
    assert result.output == (
        f"Python {platform.python_version()}\n"
        f"Flask {importlib.metadata.version('flask')}\n"
        f"Werkzeug {importlib.metadata.version('werkzeug')}\n"
    )
    assert "Flask 3.1.3" in result.output


def test_version_option_can_be_left_out():
    group = a_group(Flask("plain"), add_version_option=False)
    result = flask_cmd("--version", group=group)
    assert result.exit_code == 2
    # Click's own wording, which changed in 8.2: "No such option: --version" before.
    assert re.search("No such option:? '?--version", result.stderr)


def test_invoking_the_command_marks_the_process_as_run_from_the_cli(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert "FLASK_RUN_FROM_CLI" not in os.environ
    flask_cmd("--version")
    assert os.environ["FLASK_RUN_FROM_CLI"] == "true"


def test_app_run_is_ignored_with_a_notice_under_the_flask_command(
    app, monkeypatch, capsys
):
    started = []
    monkeypatch.setattr(
        werkzeug.serving, "run_simple", lambda *a, **k: started.append(a)
    )

    @app.cli.command("serve-inline")
    def serve_inline() -> None:
        app.run(port=5999)
        click.echo("still here")

    result = flask_cmd("serve-inline", group=a_group(app))
    assert result.exit_code == 0, result.output
    assert started == []
    assert "still here" in result.output
    assert "Ignoring a call to 'app.run()'" in result.output
    assert 'if __name__ == "__main__"' in result.output


# flask run ---------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch) -> list[tuple[tuple, dict]]:
    """Replaces the development server with a recorder of its arguments."""
    calls: list[tuple[tuple, dict]] = []

    def fake_run_simple(*args, **kwargs):
        calls.append((args, kwargs))

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    monkeypatch.setattr(flask.cli, "run_simple", fake_run_simple, raising=False)
    return calls


def run_with(*args: str, app: Flask | None = None, group_args: tuple[str, ...] = ()):
    target = app or Flask("served")
    return flask_cmd(*group_args, "run", *args, group=a_group(target))


def test_run_defaults(served, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = Flask("served")
    result = run_with(app=app)
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = served
    assert args == ("127.0.0.1", 5000, app)
    assert kwargs == {
        "use_reloader": False,
        "use_debugger": False,
        "threaded": True,
        "ssl_context": None,
        "extra_files": None,
        "exclude_patterns": None,
    }
    assert " * Debug mode: off" in result.output


@pytest.mark.parametrize(
    ("group_args", "run_args"),
    [(("--debug",), ()), ((), ("--debug",))],
)
def test_debug_mode_turns_on_reloader_and_debugger(served, group_args, run_args):
    result = run_with(*run_args, group_args=group_args)
    [(_, kwargs)] = served
    assert (kwargs["use_reloader"], kwargs["use_debugger"]) == (True, True)
    assert " * Debug mode: on" in result.output


def test_flask_debug_variable_turns_on_reloader_and_debugger(served, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "true")
    run_with()
    [(_, kwargs)] = served
    assert (kwargs["use_reloader"], kwargs["use_debugger"]) == (True, True)


def test_reloader_and_debugger_can_be_chosen_against_debug_mode(served):
    run_with(
        "--no-reload", "--no-debugger", "--without-threads", group_args=("--debug",)
    )
    run_with("--reload", "--debugger")
    (_, in_debug), (_, not_debug) = served
    assert (in_debug["use_reloader"], in_debug["use_debugger"]) == (False, False)
    assert in_debug["threaded"] is False
    assert (not_debug["use_reloader"], not_debug["use_debugger"]) == (True, True)
    assert not_debug["threaded"] is True


@pytest.mark.parametrize(
    "args", [("--host", "0.0.0.0", "--port", "8123"), ("-h", "0.0.0.0", "-p", "8123")]
)
def test_host_and_port_options(served, args):
    run_with(*args)
    [(positional, _)] = served
    assert positional[:2] == ("0.0.0.0", 8123)


def test_host_and_port_from_flask_run_variables(served, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_HOST", "::1")
    monkeypatch.setenv("FLASK_RUN_PORT", "7001")
    run_with()
    [(positional, _)] = served
    assert positional[:2] == ("::1", 7001)


def test_port_must_be_a_number(served):
    result = run_with("--port", "http")
    assert result.exit_code == 2
    assert "Invalid value for '--port' / '-p': 'http' is not a valid integer." in (
        error_of(result)
    )
    assert served == []


@pytest.fixture
def cert_files(tmp_path, monkeypatch) -> Path:
    (tmp_path / "site.crt").write_text("certificate")
    (tmp_path / "site.key").write_text("key")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("--cert", "site.crt", "--key", "site.key"),
        ("--key", "site.key", "--cert", "site.crt"),
    ],
)
def test_cert_and_key_files_make_a_pair(served, cert_files, args):
    result = run_with(*args)
    assert result.exit_code == 0, result.output
    [(_, kwargs)] = served
    assert kwargs["ssl_context"] == (
        str(cert_files / "site.crt"),
        str(cert_files / "site.key"),
    )


def test_cert_and_key_from_flask_run_variables(served, cert_files, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_CERT", "site.crt")
    monkeypatch.setenv("FLASK_RUN_KEY", "site.key")
    run_with()
    [(_, kwargs)] = served
    assert kwargs["ssl_context"] == (
        str(cert_files / "site.crt"),
        str(cert_files / "site.key"),
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--cert", "site.crt"),
            "Invalid value for '--key': Required when using \"--cert\".",
        ),
        (
            ("--key", "site.key"),
            "Invalid value for '--key': \"--cert\" must also be specified.",
        ),
        (
            ("--cert", "absent.crt", "--key", "site.key"),
            "Invalid value for '--cert': File 'absent.crt' does not exist.",
        ),
        (
            ("--cert", "site.crt", "--key", "absent.key"),
            "Invalid value for '--key': File 'absent.key' does not exist.",
        ),
    ],
)
def test_incomplete_or_missing_certificates_are_usage_errors(
    served, cert_files, args, expected
):
    result = run_with(*args)
    assert result.exit_code == 2
    assert expected in error_of(result)
    assert served == []


@pytest.fixture
def with_cryptography(monkeypatch):
    monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))


@pytest.mark.parametrize("spelling", ["adhoc", "AdHoc"])
def test_adhoc_certificate(served, with_cryptography, spelling):
    result = run_with("--cert", spelling)
    assert result.exit_code == 0, result.output
    [(_, kwargs)] = served
    assert kwargs["ssl_context"] == "adhoc"


def test_adhoc_certificate_does_not_take_a_key(served, with_cryptography, cert_files):
    result = run_with("--cert", "adhoc", "--key", "site.key")
    assert result.exit_code == 2
    assert (
        'Invalid value for \'--key\': When "--cert" is "adhoc", "--key" is not used.'
        in error_of(result)
    )


def test_adhoc_certificate_needs_cryptography(served, monkeypatch):
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = run_with("--cert", "adhoc")
    assert result.exit_code == 2
    message = error_of(result)
    assert "Invalid value for '--cert'" in message
    assert "cryptography" in message
    assert served == []


def test_cert_can_name_an_ssl_context_object(served, modules_tmp_path, cert_files):
    (modules_tmp_path / "tls_settings.py").write_text(
        "import ssl\ncontext = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    )
    result = run_with("--cert", "tls_settings.context")
    assert result.exit_code == 0, result.output
    [(_, kwargs)] = served
    assert isinstance(kwargs["ssl_context"], ssl.SSLContext)
    assert kwargs["ssl_context"] is sys.modules["tls_settings"].context

    result = run_with("--cert", "tls_settings.context", "--key", "site.key")
    assert result.exit_code == 2
    assert 'When "--cert" is an SSLContext object, "--key" is not used.' in error_of(
        result
    )


def test_extra_files_and_exclude_patterns_are_split_on_pathsep(served, tmp_path):
    extra = os.pathsep.join([str(tmp_path / "a.cfg"), str(tmp_path / "b.cfg")])
    patterns = os.pathsep.join(["*.pyc", "build/*"])
    run_with("--extra-files", extra, "--exclude-patterns", patterns)
    [(_, kwargs)] = served
    assert kwargs["extra_files"] == [str(tmp_path / "a.cfg"), str(tmp_path / "b.cfg")]
    assert kwargs["exclude_patterns"] == ["*.pyc", "build/*"]


def test_extra_files_from_flask_run_variable(served, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_EXTRA_FILES", os.pathsep.join(["one.txt", "two.txt"]))
    run_with()
    [(_, kwargs)] = served
    assert kwargs["extra_files"] == ["one.txt", "two.txt"]


def test_run_banner_names_the_app_import_path(served, in_cli_apps):
    result = flask_cmd("--app", "kiosk", "run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        " * Serving Flask app 'kiosk'\n * Debug mode: off\n"
    )
    [(args, _)] = served
    assert args[2].name == "kiosk"


def test_run_without_an_application_does_not_start_a_server(
    served, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = flask_cmd("run")
    assert result.exit_code == 2
    assert "Could not locate a Flask application." in error_of(result)
    assert served == []


def test_reloader_child_serves_the_import_error_instead_of_exiting(
    served, in_cli_apps, monkeypatch
):
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    result = flask_cmd("--app", "crashes_on_import", "run")
    assert result.exit_code == 0
    assert "the settings file is corrupt" in result.stderr
    [(args, _)] = served
    with pytest.raises(RuntimeError, match="the settings file is corrupt"):
        args[2](create_environ("/"), lambda *a: None)


def test_run_help_describes_the_options():
    result = flask_cmd("run", "--help")
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--cert",
        "--key",
        "--reload / --no-reload",
        "--debugger / --no-debugger",
        "--with-threads / --without-threads",
        "--extra-files",
        "--exclude-patterns",
        "--debug / --no-debug",
    ):
        assert option in result.output


# flask shell -------------------------------------------------------------------------


@pytest.fixture
def interactions(monkeypatch) -> list[dict]:
    """Replaces the interactive console with a recorder of what it was given."""
    seen: list[dict] = []

    def fake_interact(banner=None, local=None, **kwargs):
        active = current_app._get_current_object() if current_app else None
        seen.append(
            {"banner": banner, "namespace": dict(local or {}), "current_app": active}
        )

    monkeypatch.setattr(code, "interact", fake_interact)
    monkeypatch.delattr(sys, "__interactivehook__", raising=False)
    return seen


def test_shell_runs_in_an_app_context_with_app_and_g(app, interactions):
    result = flask_cmd("shell", group=a_group(app))
    assert result.exit_code == 0, result.output
    [seen] = interactions
    assert seen["current_app"] is app
    assert seen["namespace"]["app"] is app
    assert seen["namespace"]["g"] is flask.g
    assert not current_app


def test_shell_banner_names_python_the_app_and_its_instance_folder(app, interactions):
    flask_cmd("shell", group=a_group(app))
    assert interactions[0]["banner"] == (
        f"Python {sys.version} on {sys.platform}\n"
        f"App: {app.import_name}\n"
        f"Instance: {app.instance_path}"
    )


def test_shell_includes_shell_context_processor_names(app, interactions):
    @app.shell_context_processor
    def tools():
        return {"answer": 42, "app": "shadowed"}

    flask_cmd("shell", group=a_group(app))
    namespace = interactions[0]["namespace"]
    assert namespace["answer"] == 42
    assert namespace["app"] == "shadowed"


def test_shell_runs_pythonstartup_first(app, interactions, tmp_path, monkeypatch):
    startup = tmp_path / "startup.py"
    startup.write_text("from_startup = 'yes'\nanswer = 'startup'\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))

    @app.shell_context_processor
    def tools():
        return {"answer": 42}

    flask_cmd("shell", group=a_group(app))
    namespace = interactions[0]["namespace"]
    assert namespace["from_startup"] == "yes"
    assert namespace["answer"] == 42


def test_shell_ignores_a_missing_pythonstartup_file(
    app, interactions, tmp_path, monkeypatch
):
    monkeypatch.setenv("PYTHONSTARTUP", str(tmp_path / "absent.py"))
    result = flask_cmd("shell", group=a_group(app))
    assert result.exit_code == 0, result.output
    assert len(interactions) == 1


def test_shell_sets_up_the_interactive_hook(app, interactions, monkeypatch):
    hooked = []
    monkeypatch.setattr(
        sys, "__interactivehook__", lambda: hooked.append(True), raising=False
    )
    monkeypatch.setitem(sys.modules, "readline", None)
    flask_cmd("shell", group=a_group(app))
    assert hooked == [True]


# flask routes ------------------------------------------------------------------------


def routes_table(app: Flask, *args: str) -> list[str]:
    result = app.test_cli_runner().invoke(routes_command, list(args))
    assert result.exit_code == 0, result.output
    return [line.rstrip() for line in result.output.splitlines()]


@pytest.fixture
def routed() -> Flask:
    app = Flask("routed", static_folder=None)
    app.add_url_rule("/zeta", "alpha", lambda: "", methods=["POST", "GET"])
    app.add_url_rule("/alpha", "zeta", lambda: "", methods=["DELETE"])
    app.add_url_rule("/mid/<int:n>", "mid", lambda n: "")
    return app


def test_routes_default_table_sorted_by_endpoint(routed):
    assert routes_table(routed) == [
        "Endpoint  Methods    Rule",
        "--------  ---------  ------------",
        "alpha     GET, POST  /zeta",
        "mid       GET        /mid/<int:n>",
        "zeta      DELETE     /alpha",
    ]


@pytest.mark.parametrize(
    ("args", "endpoints"),
    [
        (("--sort", "endpoint"), ["alpha", "mid", "zeta"]),
        (("--sort", "methods"), ["zeta", "mid", "alpha"]),
        (("-s", "rule"), ["zeta", "mid", "alpha"]),
        (("-s", "match"), ["alpha", "zeta", "mid"]),
    ],
)
def test_routes_sort_orders(routed, args, endpoints):
    rows = routes_table(routed, *args)[2:]
    assert [row.split()[0] for row in rows] == endpoints


def test_routes_all_methods_shows_head_and_options(routed):
    assert routes_table(routed, "--all-methods") == [
        "Endpoint  Methods                   Rule",
        "--------  ------------------------  ------------",
        "alpha     GET, HEAD, OPTIONS, POST  /zeta",
        "mid       GET, HEAD, OPTIONS        /mid/<int:n>",
        "zeta      DELETE, OPTIONS           /alpha",
    ]


def test_routes_subdomain_column_only_when_a_rule_has_one(routed):
    assert "Subdomain" not in routes_table(routed)[0]
    routed.config["SERVER_NAME"] = "shop.test"
    routed.add_url_rule("/api", "api", lambda: "", subdomain="api")
    table = routes_table(routed, "--sort", "domain")
    assert table[0] == "Endpoint  Methods    Subdomain  Rule"
    assert table[-1] == "api       GET        api        /api"


def test_routes_host_column_with_host_matching():
    app = Flask("hosted", host_matching=True, static_host="static.test")
    app.add_url_rule("/b", "b", lambda: "", host="b.test")
    app.add_url_rule("/a", "a", lambda: "", host="a.test")
    table = routes_table(app, "-s", "domain")
    assert table[0].split() == ["Endpoint", "Methods", "Host", "Rule"]
    assert [row.split()[2] for row in table[2:]] == ["a.test", "b.test", "static.test"]


def test_routes_without_any_rule():
    app = Flask("empty", static_folder=None)
    assert routes_table(app) == ["No routes were registered."]


def test_routes_rejects_an_unknown_sort_key(routed):
    result = routed.test_cli_runner().invoke(routes_command, ["--sort", "size"])
    assert result.exit_code == 2
    assert (
        "'size' is not one of 'endpoint', 'methods', 'domain', 'rule', 'match'."
        in error_of(result)
    )


def test_routes_through_the_flask_command(in_cli_apps):
    result = flask_cmd("--app", "kiosk", "routes")
    assert [line.split() for line in result.output.splitlines()] == [
        ["Endpoint", "Methods", "Rule"],
        ["----------", "-------", "-----------------------"],
        ["front_page", "GET", "/"],
        ["static", "GET", "/static/<path:filename>"],
    ]


# Groups, commands and plugins --------------------------------------------------------


def test_flask_group_adds_the_app_commands_to_the_builtins(app):
    @app.cli.command("seed")
    def seed() -> None:
        click.echo(f"seeding {current_app.name}")

    group = a_group(app)
    result = flask_cmd("--help", group=group)
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1].split()
    assert {"routes", "run", "seed", "shell"} <= set(commands)
    assert flask_cmd("seed", group=group).output == "seeding flask_test\n"


def test_help_listing_the_app_commands_leaves_no_context_pushed(app):
    @app.cli.command("seed")
    def seed() -> None:
        pass

    result = flask_cmd("--help", group=a_group(app))
    assert "seed" in result.output
    assert not flask.has_app_context()


def test_flask_group_without_default_commands(app):
    group = a_group(app, add_default_commands=False)
    result = flask_cmd("--help", group=group)
    assert "run" not in result.output.split("Commands:")[-1]
    assert "No such command 'run'" in flask_cmd("run", group=group).stderr


def test_flask_group_used_as_a_click_decorator_with_a_factory():
    made = []

    def create_app():
        made.append(Flask("decorated"))

        @made[-1].cli.command("hello")
        def hello() -> None:
            click.echo(f"hi from {current_app.name}")

        return made[-1]

    @click.group(cls=FlaskGroup, create_app=create_app)
    def manage() -> None:
        """Project management commands."""

    result = cli_runner().invoke(manage, ["hello"])
    assert result.output == "hi from decorated\n"
    assert (
        "Project management commands." in cli_runner().invoke(manage, ["--help"]).output
    )


def test_help_still_lists_builtins_when_the_app_fails_to_load(in_cli_apps):
    result = flask_cmd("--app", "needs_config", "--help")
    assert result.exit_code == 0
    assert {"routes", "run", "shell"} <= set(
        result.stdout.split("Commands:")[1].split()
    )
    assert "Detected factory 'create_app'" in result.stderr


def test_help_shows_the_traceback_of_an_unexpected_import_failure(in_cli_apps):
    result = flask_cmd("--app", "crashes_on_import", "--help")
    assert result.exit_code == 0
    assert "RuntimeError: the settings file is corrupt" in result.stderr
    assert "Commands:" in result.stdout


def test_app_group_commands_run_in_an_app_context(app):
    tools = AppGroup("tools")

    @tools.command()
    def inside() -> None:
        click.echo(f"inside {current_app.name}")

    @tools.command(with_appcontext=False)
    def outside() -> None:
        click.echo(f"outside, context active: {bool(current_app)}")

    app.cli.add_command(tools)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tools", "inside"]).output == "inside flask_test\n"
    assert (
        runner.invoke(args=["tools", "outside"]).output
        == "outside, context active: False\n"
    )


def test_app_group_command_without_parentheses(app):
    @app.cli.command
    def bare() -> None:
        click.echo(f"bare in {current_app.name}")

    assert app.test_cli_runner().invoke(args=["bare"]).output == "bare in flask_test\n"


def test_app_group_nested_groups_are_app_groups(app):
    @app.cli.group()
    def db() -> None:
        pass

    @db.group()
    def migrations() -> None:
        pass

    @migrations.command("apply")
    def apply() -> None:
        click.echo(f"applied to {current_app.name}")

    assert isinstance(db, AppGroup)
    assert isinstance(migrations, AppGroup)
    result = app.test_cli_runner().invoke(args=["db", "migrations", "apply"])
    assert result.output == "applied to flask_test\n"


def test_app_group_group_accepts_another_class(app):
    @app.cli.group(cls=click.Group)
    def plain() -> None:
        pass

    assert type(plain) is click.Group


def test_with_appcontext_loads_the_app_from_script_info():
    app = Flask("loaded")

    @click.command()
    @with_appcontext
    def report() -> None:
        click.echo(f"running in {current_app.name}")

    result = cli_runner().invoke(report, obj=ScriptInfo(create_app=lambda: app))
    assert result.output == "running in loaded\n"


def test_with_appcontext_reuses_an_active_context(app_ctx):
    def must_not_load():
        raise AssertionError("the active context should have been used")

    @click.command()
    @with_appcontext
    def report() -> None:
        click.echo(f"running in {current_app.name}")

    result = cli_runner().invoke(report, obj=ScriptInfo(create_app=must_not_load))
    assert result.output == "running in flask_test\n"


def test_with_appcontext_without_an_app_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    @click.command()
    @with_appcontext
    def report() -> None:
        click.echo("unreachable")

    result = cli_runner().invoke(report)
    assert result.exit_code == 2
    assert "Could not locate a Flask application." in error_of(result)


def test_app_context_is_popped_after_the_command(app):
    seen = []

    @app.teardown_appcontext
    def record(exc):
        seen.append("popped")

    @app.cli.command("noop")
    def noop() -> None:
        seen.append("ran")

    app.test_cli_runner().invoke(args=["noop"])
    assert seen == ["ran", "popped"]
    assert not current_app


def test_blueprint_commands_are_grouped_as_configured(app):
    orders = Blueprint("orders", __name__)
    billing = Blueprint("billing", __name__, cli_group="money")
    merged = Blueprint("merged", __name__, cli_group=None)
    renamed = Blueprint("renamed", __name__)
    for blueprint in (orders, billing, merged, renamed):

        @blueprint.cli.command(f"{blueprint.name}-report")
        def report(name=blueprint.name) -> None:
            click.echo(f"{name} report for {current_app.name}")

        app.register_blueprint(
            blueprint, **({"cli_group": "other"} if blueprint is renamed else {})
        )

    runner = app.test_cli_runner()
    assert runner.invoke(args=["orders", "orders-report"]).output == (
        "orders report for flask_test\n"
    )
    assert runner.invoke(args=["money", "billing-report"]).output == (
        "billing report for flask_test\n"
    )
    assert (
        runner.invoke(args=["merged-report"]).output == "merged report for flask_test\n"
    )
    assert runner.invoke(args=["other", "renamed-report"]).output == (
        "renamed report for flask_test\n"
    )
    assert runner.invoke(args=["renamed", "renamed-report"]).exit_code == 2


class FakeEntryPoint:
    def __init__(self, name: str, command: click.Command) -> None:
        self.name = name
        self.command = command
        self.loads = 0

    def load(self) -> click.Command:
        self.loads += 1
        return self.command


def test_plugin_commands_come_from_the_flask_commands_entry_points(monkeypatch):
    @click.command()
    def audit() -> None:
        click.echo(f"plugin ran, app context: {bool(current_app)}")

    plugin = FakeEntryPoint("audit", audit)
    asked = []

    def fake_entry_points(**kwargs):
        asked.append(kwargs)
        return [plugin] if kwargs.get("group") == "flask.commands" else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    group = a_group(Flask("with plugins"))

    assert "audit" in flask_cmd("--help", group=group).output.split("Commands:")[1]
    result = flask_cmd("audit", group=group)
    assert result.exit_code == 0, result.output
    assert result.output == "plugin ran, app context: False\n"
    assert {"group": "flask.commands"} in asked
    assert plugin.loads == 1


def test_plugin_commands_work_without_an_application(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    @click.command()
    def doctor() -> None:
        click.echo("all good")

    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        lambda **kw: [FakeEntryPoint("doctor", doctor)],
    )
    result = flask_cmd("doctor", group=FlaskGroup(name="flask"))
    assert result.exit_code == 0
    assert result.output == "all good\n"


def test_builtin_commands_are_the_exported_objects():
    group = FlaskGroup(name="flask")
    assert group.commands["run"] is run_command
    assert group.commands["shell"] is shell_command
    assert group.commands["routes"] is routes_command
    assert isinstance(flask.cli.cli, FlaskGroup)
    assert flask.cli.cli.name == "flask"


def test_test_cli_runner_invokes_builtin_commands_for_its_app(routed):
    result = routed.test_cli_runner().invoke(routes_command, ["-s", "rule"])
    assert result.output.splitlines()[2].split()[0] == "zeta"


def test_no_app_exception_is_a_usage_error():
    assert issubclass(NoAppException, click.UsageError)


def test_shell_help_is_plain_text():
    result = flask_cmd("shell", "--help")
    assert result.exit_code == 0
    assert "interactive Python shell" in result.output
    assert "``" not in result.output
