"""Error and log messages keep the sentence Flask 3.1.3 uses for the same situation.

Applications' own tests match on these texts (``pytest.raises(match=...)``), and answers
to support questions quote them, so each message below must contain Flask's key phrase
word for word; the package's own advice may follow it. Each case also pins the exception
class, which must be the one Flask raises.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import types
import typing as t
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from werkzeug.routing import BaseConverter
from werkzeug.routing import RequestRedirect

import flask
import flask.cli
import flask.testing
from flask.debughelpers import DebugFilesKeyError
from flask.debughelpers import FormDataRoutingRedirect
from flask.json.tag import TagDict
from flask.json.tag import TaggedJSONSerializer
from flask.views import MethodView

Trigger = t.Callable[[flask.Flask, types.SimpleNamespace], object]
CASES: list[t.Any] = []


def case(exc_type: type[BaseException], phrase: str) -> t.Callable[[Trigger], Trigger]:
    """Register ``trigger`` as a situation that raises ``exc_type`` with ``phrase``."""

    def register(trigger: Trigger) -> Trigger:
        CASES.append(pytest.param(trigger, exc_type, phrase, id=trigger.__name__))
        return trigger

    return register


def _text(exc: BaseException) -> str:
    if isinstance(exc, click.ClickException):
        return exc.format_message()
    if isinstance(exc, KeyError) and not isinstance(exc, DebugFilesKeyError):
        # str() of a KeyError is the repr of its argument.
        return str(exc.args[0])
    return str(exc)


@pytest.fixture
def env(
    modules_tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> types.SimpleNamespace:
    """What triggers need besides the app: a way to write importable modules, and
    monkeypatch."""

    def module(name: str, source: str) -> str:
        (modules_tmp_path / f"{name}.py").write_text(source)
        return name

    return types.SimpleNamespace(
        module=module, monkeypatch=monkeypatch, tmp_path=modules_tmp_path
    )


@pytest.mark.parametrize(("trigger", "exc_type", "phrase"), CASES)
def test_message_keeps_flask_key_phrase(
    app: flask.Flask,
    env: types.SimpleNamespace,
    trigger: Trigger,
    exc_type: type[BaseException],
    phrase: str,
) -> None:
    with pytest.raises(BaseException) as info:
        trigger(app, env)
    assert type(info.value) is exc_type
    assert phrase in _text(info.value)


# The application ---------------------------------------------------------------------


@case(
    ValueError,
    "If an instance path is provided it must be absolute. A relative path was given"
    " instead.",
)
def relative_instance_path(app, env):
    flask.Flask("relative", instance_path="instance")


@case(
    AssertionError,
    "The setup method 'route' can no longer be called on the application. It has"
    " already handled its first request, any changes will not be applied"
    " consistently.",
)
def setup_after_first_request(app, env):
    app.test_client().get("/")
    app.route("/late")(lambda: "")


@case(
    TypeError,
    "Allowed methods must be a list of strings, for example: @app.route(...,"
    ' methods=["POST"])',
)
def methods_as_a_string(app, env):
    app.add_url_rule("/", "index", lambda: "", methods="POST")


@case(
    AssertionError,
    "View function mapping is overwriting an existing endpoint function: index",
)
def endpoint_overwritten(app, env):
    app.add_url_rule("/", "index", lambda: "one")
    app.add_url_rule("/two", "index", lambda: "two")


@case(AssertionError, "Invalid static_host/host_matching combination")
def static_host_without_host_matching(app, env):
    flask.Flask("static_host", static_host="static.test")


@case(
    RuntimeError,
    "Unable to build URLs outside an active request without 'SERVER_NAME' configured.",
)
def url_for_without_server_name(app, env):
    app.add_url_rule("/", "index", lambda: "")
    with app.app_context():
        flask.url_for("index")


@case(ValueError, "When specifying '_scheme', '_external' must be True.")
def url_for_scheme_without_external(app, env):
    app.add_url_rule("/", "index", lambda: "")
    with app.test_request_context():
        flask.url_for("index", _scheme="https", _external=False)


def _serve(app: flask.Flask, value: object) -> None:
    app.add_url_rule("/", "index", lambda: value)
    app.test_client().get("/")


@case(
    TypeError,
    "The view function for 'index' did not return a valid response. The function either"
    " returned None or ended without a return statement.",
)
def view_returns_none(app, env):
    _serve(app, None)


@case(
    TypeError,
    "The view function did not return a valid response tuple. The tuple must have the"
    " form (body, status, headers), (body, status), or (body, headers).",
)
def view_returns_long_tuple(app, env):
    _serve(app, ("body", 200, {}, "extra"))


@case(
    TypeError,
    "The view function did not return a valid response. The return type must be a"
    " string, dict, list, tuple with headers or status, Response instance, or WSGI"
    " callable, but it was a int.",
)
def view_returns_int(app, env):
    _serve(app, 42)


@case(RuntimeError, "Install Flask with the 'async' extra in order to use async views.")
def async_without_asgiref(app, env):
    env.monkeypatch.setitem(sys.modules, "asgiref", None)
    env.monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    async def view() -> str:
        return ""

    app.async_to_sync(view)


@case(RuntimeError, "'static_folder' must be set to serve static_files.")
def app_static_file_without_folder(app, env):
    flask.Flask("no_static", static_folder=None).send_static_file("x.css")


@case(RuntimeError, "'static_folder' must be set to serve static_files.")
def blueprint_static_file_without_folder(app, env):
    flask.Blueprint("shop", __name__).send_static_file("x.css")


@case(ValueError, "Resources can only be opened for reading.")
def app_resource_opened_for_writing(app, env):
    flask.Flask("writer", root_path=env.tmp_path).open_resource("new.txt", "w")


@case(ValueError, "Resources can only be opened for reading.")
def blueprint_resource_opened_for_writing(app, env):
    shop = flask.Blueprint("shop", __name__, root_path=env.tmp_path)
    shop.open_resource("new.txt", "w")


@case(RuntimeError, "No root path can be found for the provided module 'sys'.")
def root_path_of_a_module_without_file(app, env):
    flask.Flask("sys")


# Scaffold and blueprints -------------------------------------------------------------


@case(AssertionError, "expected view func if endpoint is not provided.")
def rule_without_view_or_endpoint(app, env):
    app.add_url_rule("/")


@case(TypeError, "Use the 'route' decorator to use the 'methods' argument.")
def method_shortcut_given_methods(app, env):
    app.post("/", methods=["PUT"])


@case(
    ValueError,
    "'999' is not a recognized HTTP error code. Use a subclass of HTTPException with"
    " that code instead.",
)
def error_handler_for_unknown_code(app, env):
    app.register_error_handler(999, lambda e: "")


@case(
    TypeError,
    "ValueError() is an instance, not a class. Handlers can only be registered for"
    " Exception classes or HTTP error codes.",
)
def error_handler_for_an_instance(app, env):
    app.register_error_handler(ValueError(), lambda e: "")  # type: ignore[arg-type]


@case(
    ValueError,
    "'int' is not a subclass of Exception. Handlers can only be registered for"
    " Exception classes or HTTP error codes.",
)
def error_handler_for_a_non_exception(app, env):
    app.register_error_handler(int, lambda e: "")  # type: ignore[arg-type]


@case(ValueError, "'name' may not be empty.")
def blueprint_without_name(app, env):
    flask.Blueprint("", __name__)


@case(ValueError, "'name' may not contain a dot '.' character.")
def blueprint_name_with_dot(app, env):
    flask.Blueprint("shop.admin", __name__)


@case(
    AssertionError,
    "The setup method 'before_request' can no longer be called on the blueprint 'shop'."
    " It has already been registered at least once, any changes will not be applied"
    " consistently.",
)
def blueprint_setup_after_registration(app, env):
    shop = flask.Blueprint("shop", __name__)
    app.register_blueprint(shop)
    shop.before_request(lambda: None)


@case(ValueError, "Cannot register a blueprint on itself")
def blueprint_registered_on_itself(app, env):
    shop = flask.Blueprint("shop", __name__)
    shop.register_blueprint(shop)


@case(
    ValueError,
    "The name 'shop' is already registered for a different blueprint. Use 'name=' to"
    " provide a unique name.",
)
def blueprint_name_taken(app, env):
    app.register_blueprint(flask.Blueprint("shop", __name__))
    app.register_blueprint(flask.Blueprint("shop", "elsewhere"))


@case(ValueError, "'endpoint' may not contain a dot '.' character.")
def blueprint_endpoint_with_dot(app, env):
    flask.Blueprint("shop", __name__).add_url_rule("/", "a.b", lambda: "")


@case(ValueError, "'view_func' name may not contain a dot '.' character.")
def blueprint_view_name_with_dot(app, env):
    def view() -> str:
        return ""

    view.__name__ = "a.b"
    flask.Blueprint("shop", __name__).add_url_rule("/", view_func=view)


# Contexts ----------------------------------------------------------------------------


@case(
    RuntimeError,
    "'stream_with_context' can only be used when a request context is active, such as"
    " in a view function.",
)
def stream_with_context_outside_request(app, env):
    flask.stream_with_context(iter(()))


@case(
    RuntimeError,
    "'after_this_request' can only be used when a request context is active, such as"
    " in a view function.",
)
def after_this_request_outside_request(app, env):
    flask.after_this_request(lambda response: response)


@case(
    RuntimeError,
    "'copy_current_request_context' can only be used when a request context is active,"
    " such as in a view function.",
)
def copy_request_context_outside_request(app, env):
    flask.copy_current_request_context(lambda: None)


def _pop_out_of_order(first: t.Any, second: t.Any) -> None:
    def misuse() -> None:
        first.push()
        second.push()
        first.pop()

    # In a copied context, so whatever the failed pop leaves pushed stays there.
    contextvars.copy_context().run(misuse)


@case(AssertionError, "Popped wrong app context. (")
def app_context_popped_out_of_order(app, env):
    _pop_out_of_order(app.app_context(), app.app_context())


@case(AssertionError, "Popped wrong request context. (")
def request_context_popped_out_of_order(app, env):
    _pop_out_of_order(app.test_request_context(), app.test_request_context())


@case(AssertionError, "The session has not yet been opened.")
def session_of_unpushed_request_context(app, env):
    app.test_request_context().session  # noqa: B018


@case(RuntimeError, "Working outside of application context.")
def current_app_outside_context(app, env):
    flask.current_app.name  # noqa: B018


@case(RuntimeError, "Working outside of request context.")
def request_outside_context(app, env):
    flask.request.args  # noqa: B018


# Configuration, sessions, JSON -------------------------------------------------------


@case(
    RuntimeError,
    "The environment variable 'MESSAGES_UNSET' is not set and as such configuration"
    " could not be loaded.",
)
def config_from_unset_envvar(app, env):
    env.monkeypatch.delenv("MESSAGES_UNSET", raising=False)
    app.config.from_envvar("MESSAGES_UNSET")


@case(
    FileNotFoundError, "Unable to load configuration file (No such file or directory)"
)
def config_from_missing_pyfile(app, env):
    app.config.from_pyfile("missing.cfg")


@case(RuntimeError, "The session is unavailable because no secret key was set.")
def session_write_without_secret_key(app, env):
    app.secret_key = None

    @app.route("/")
    def index() -> str:
        flask.session["user"] = "ada"
        return ""

    app.test_client().get("/")


@case(TypeError, "app.json.response() takes either args or kwargs, not both")
def jsonify_with_args_and_kwargs(app, env):
    with app.app_context():
        flask.jsonify(1, two=2)


@case(TypeError, "Object of type object is not JSON serializable")
def json_of_unknown_type(app, env):
    app.json.dumps(object())


@case(KeyError, "Tag ' di' is already registered.")
def json_tag_registered_twice(app, env):
    TaggedJSONSerializer().register(TagDict)


# Testing tools, views, debug helpers -------------------------------------------------


@case(AssertionError, 'Cannot pass "subdomain" or "url_scheme" with "base_url".')
def environ_builder_base_url_and_subdomain(app, env):
    flask.testing.EnvironBuilder(app, base_url="http://shop.test/", subdomain="admin")


@case(TypeError, "Cookies are disabled. Create a client with 'use_cookies=True'.")
def session_transaction_without_cookies(app, env):
    with app.test_client(use_cookies=False).session_transaction():
        pass


@case(RuntimeError, "Session backend did not open a session.")
def session_transaction_without_session(app, env):
    app.secret_key = None
    with app.test_client().session_transaction():
        pass


@case(RuntimeError, "Cannot nest client invocations")
def client_with_block_nested(app, env):
    client = app.test_client()
    with client, client:
        pass


@case(AssertionError, "Unimplemented method 'GET'")
def method_view_without_handler(app, env):
    class Orders(MethodView):
        def post(self) -> str:
            return ""

    app.add_url_rule("/", view_func=Orders.as_view("orders"), methods=["GET", "POST"])
    app.test_client().get("/")


@case(
    DebugFilesKeyError,
    "You tried to access the file 'upload' in the request.files dictionary but it does"
    " not exist. The mimetype for the request is 'application/x-www-form-urlencoded'"
    " instead of 'multipart/form-data' which means that no file contents were"
    " transmitted.",
)
def files_read_from_urlencoded_form(app, env):
    app.debug = True

    @app.route("/", methods=["POST"])
    def upload() -> str:
        return flask.request.files["upload"].filename or ""

    app.test_client().post("/", data={"upload": "report.pdf"})


class _SlashRedirect(RequestRedirect):
    code = 301


class _NeedsSlash(BaseConverter):
    def to_python(self, value: str) -> str:
        raise _SlashRedirect(f"http://localhost/shelves/{value}/")


@case(
    FormDataRoutingRedirect,
    "A request was sent to 'http://localhost/shelves/poetry', but routing issued a"
    " redirect to the canonical URL 'http://localhost/shelves/poetry/'. The URL was"
    " defined with a trailing slash.",
)
def form_posted_to_url_missing_slash(app, env):
    app.url_map.converters["needs_slash"] = _NeedsSlash
    app.add_url_rule(
        "/shelves/<needs_slash:name>", "shelf", lambda name: name, methods=["POST"]
    )
    app.debug = True
    app.test_client().post("/shelves/poetry", data={"x": "1"})


# The flask command -------------------------------------------------------------------


@case(
    flask.cli.NoAppException,
    "Detected multiple Flask applications in module 'msg_twins'. Use 'msg_twins:name'"
    " to specify the correct one.",
)
def cli_two_apps_in_module(app, env):
    name = env.module(
        "msg_twins", "import flask\na = flask.Flask('a')\nb = flask.Flask('b')\n"
    )
    flask.cli.locate_app(name, None)


@case(
    flask.cli.NoAppException,
    "Detected factory 'create_app' in module 'msg_factory', but could not call it"
    " without arguments. Use 'msg_factory:create_app(args)' to specify arguments.",
)
def cli_factory_needs_arguments(app, env):
    source = "import flask\ndef create_app(config):\n    return flask.Flask('a')\n"
    flask.cli.locate_app(env.module("msg_factory", source), None)


@case(
    flask.cli.NoAppException,
    "Failed to find Flask application or factory in module 'msg_empty'. Use"
    " 'msg_empty:name' to specify one.",
)
def cli_module_without_app(app, env):
    flask.cli.locate_app(env.module("msg_empty", "x = 1\n"), None)


@case(
    flask.cli.NoAppException,
    "The factory 'create_app(1)' in module 'msg_call' could not be called with the"
    " specified arguments.",
)
def cli_factory_called_with_wrong_arguments(app, env):
    source = "import flask\ndef create_app():\n    return flask.Flask('a')\n"
    flask.cli.locate_app(env.module("msg_call", source), "create_app(1)")


@case(
    flask.cli.NoAppException,
    "While importing 'msg_broken', an ImportError was raised:",
)
def cli_import_error_in_app_module(app, env):
    flask.cli.locate_app(env.module("msg_broken", "import msg_not_a_module\n"), None)


@case(flask.cli.NoAppException, "Could not import 'msg_not_there'.")
def cli_module_not_found(app, env):
    flask.cli.locate_app("msg_not_there", None)


@case(
    flask.cli.NoAppException,
    "Could not locate a Flask application. Use the 'flask --app' option, 'FLASK_APP'"
    " environment variable, or a 'wsgi.py' or 'app.py' file in the current directory.",
)
def cli_no_app_anywhere(app, env):
    env.monkeypatch.chdir(env.tmp_path)
    flask.cli.ScriptInfo().load_app()


@pytest.mark.parametrize(
    ("app_name", "phrase"),
    [
        ("app", "Failed to find attribute 'app' in 'msg_names'."),
        ("a b", "Failed to parse 'a b' as an attribute name or function call."),
        ("a.b()", "Function reference must be a simple name: 'a.b()'."),
        (
            "create_app(config)",
            "Failed to parse arguments as literal values: 'create_app(config)'.",
        ),
        ("x", "A valid Flask application was not obtained from 'msg_names:x'."),
    ],
)
def test_cli_app_name_errors_keep_flask_key_phrase(
    env: types.SimpleNamespace, app_name: str, phrase: str
) -> None:
    name = env.module("msg_names", "x = 1\n")
    with pytest.raises(flask.cli.NoAppException) as info:
        flask.cli.locate_app(name, app_name)
    assert phrase in info.value.format_message()


@pytest.mark.parametrize(
    ("args", "missing", "phrase"),
    [
        (
            ["--env-file", "{tmp}/settings.env", "routes"],
            "dotenv",
            "python-dotenv must be installed to load an env file.",
        ),
        (
            ["run", "--cert", "adhoc"],
            "cryptography",
            "Using ad-hoc certificates requires the cryptography library.",
        ),
        (
            ["run", "--key", "{tmp}/settings.env"],
            None,
            '"--cert" must also be specified.',
        ),
        (
            ["run", "--cert", "{tmp}/settings.env"],
            None,
            'Required when using "--cert".',
        ),
    ],
    ids=[
        "env-file-without-dotenv",
        "adhoc-without-cryptography",
        "key-alone",
        "cert-alone",
    ],
)
def test_cli_option_errors_keep_flask_key_phrase(
    env: types.SimpleNamespace, args: list[str], missing: str | None, phrase: str
) -> None:
    (env.tmp_path / "settings.env").write_text("")
    if missing is not None:
        env.monkeypatch.setitem(sys.modules, missing, None)
    name = env.module("msg_cli_app", "import flask\napp = flask.Flask('a')\n")
    argv = ["--app", name, *(arg.format(tmp=env.tmp_path) for arg in args)]
    result = CliRunner().invoke(flask.cli.cli, argv)
    assert result.exit_code == 2
    assert phrase in result.output


def test_cli_reports_unimportable_app_with_flask_key_phrase(
    env: types.SimpleNamespace,
) -> None:
    result = CliRunner().invoke(flask.cli.cli, ["--app", "msg_not_there", "routes"])
    assert result.exit_code == 2
    assert "Error: Could not import 'msg_not_there'." in result.output


def test_cli_dotenv_tip_keeps_flask_wording(
    env: types.SimpleNamespace, capsys: pytest.CaptureFixture[str]
) -> None:
    env.monkeypatch.chdir(env.tmp_path)
    env.monkeypatch.setitem(sys.modules, "dotenv", None)
    (env.tmp_path / ".env").write_text("")
    flask.cli.load_dotenv()
    tip = " * Tip: There are .env files present. Install python-dotenv to use them."
    assert tip in capsys.readouterr().err


def test_cli_routes_without_rules_keeps_flask_wording(
    env: types.SimpleNamespace,
) -> None:
    source = "import flask\napp = flask.Flask('a', static_folder=None)\n"
    name = env.module("msg_no_routes", source)
    result = CliRunner().invoke(flask.cli.cli, ["--app", name, "routes"])
    assert result.output == "No routes were registered.\n"


def test_app_run_inside_flask_command_keeps_flask_wording(
    app: flask.Flask,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app.run()
    out = capsys.readouterr().out
    assert (
        " * Ignoring a call to 'app.run()' that would block the current 'flask' CLI"
        " command." in out
    )


# Log messages ------------------------------------------------------------------------


def test_error_log_messages_keep_flask_wording(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app.testing = False

    @app.route("/orders")
    def orders() -> str:
        raise ValueError("broken")

    @app.after_request
    def fail(response: flask.Response) -> flask.Response:
        raise KeyError("also broken")

    app.test_client().get("/orders")
    assert [r.getMessage() for r in caplog.records] == [
        "Exception on /orders [GET]",
        "Request finalizing failed with an error while handling an error",
    ]


def _explain(app: flask.Flask, caplog: pytest.LogCaptureFixture) -> t.Callable[[], str]:
    """Turn on ``EXPLAIN_TEMPLATE_LOADING``; the returned function gives the report."""
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    caplog.set_level(logging.INFO, logger=app.logger.name)
    return lambda: "\n".join(r.getMessage() for r in caplog.records)


def test_explained_template_not_found_ends_with_flask_wording(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    report = _explain(app, caplog)
    with app.app_context(), pytest.raises(flask.templating.TemplateNotFound):
        flask.render_template("no_such_template.html")
    assert report().splitlines()[-1] == "Error: the template could not be found."


def test_explained_template_found_twice_keeps_flask_wording(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("page")
    app = flask.Flask("twice", root_path=str(tmp_path))
    app.register_blueprint(
        flask.Blueprint(
            "shop", "twice", root_path=str(tmp_path), template_folder="templates"
        )
    )
    report = _explain(app, caplog)
    with app.app_context():
        flask.render_template("page.html")
    assert "Warning: multiple loaders returned a match for the template." in report()


def test_explained_template_in_blueprint_keeps_flask_wording(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    shop = flask.Blueprint("shop", __name__)

    @shop.route("/")
    def index() -> str:
        return flask.render_template("no_such_template.html")

    app.register_blueprint(shop)
    report = _explain(app, caplog)
    with pytest.raises(flask.templating.TemplateNotFound):
        app.test_client().get("/")
    assert "Error: the template could not be found." in report()
    assert (
        "  The template was looked up from an endpoint that belongs to the blueprint"
        " 'shop'." in report()
    )


def test_version_attribute_warning_keeps_flask_wording() -> None:
    phrase = (
        "The '__version__' attribute is deprecated and will be removed in Flask 3.2."
    )
    with pytest.warns(DeprecationWarning) as record:
        flask.__version__  # noqa: B018
    assert phrase in str(record[0].message)
