"""The application object: where it finds its files, its static route, the attributes and
class attributes extensions rely on, the setup phase, debug mode, resources and
``app.run``."""

from __future__ import annotations

import importlib
import os
import sys
import types
import typing as t
from datetime import timedelta

import pytest
import werkzeug.serving
from jinja2 import Environment as JinjaEnvironment
from werkzeug.exceptions import Aborter
from werkzeug.routing import Map
from werkzeug.routing import Rule

import flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionInterface
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner


@pytest.fixture
def forget_new_modules():
    """Remove every module imported during the test from ``sys.modules``, including
    namespace packages, which have no ``__file__`` for the shared fixture to match."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


def write_files(base, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    importlib.invalidate_caches()


# Constructor and paths ---------------------------------------------------------------


def test_constructor_defaults(tmp_path):
    app = flask.Flask("defaults_app", root_path=str(tmp_path))
    assert app.import_name == "defaults_app"
    assert app.static_folder == os.path.join(str(tmp_path), "static")
    assert app.static_url_path == "/static"
    assert app.template_folder == "templates"
    assert app.subdomain_matching is False
    assert app.url_map.host_matching is False
    assert app.config.root_path == str(tmp_path)
    assert app.instance_path == os.path.join(os.getcwd(), "instance")


def test_root_path_of_a_module_is_its_folder(modules_tmp_path):
    write_files(modules_tmp_path, {"lone_module_app.py": "VALUE = 1\n"})
    app = flask.Flask("lone_module_app")
    assert app.root_path == str(modules_tmp_path)


def test_root_path_of_an_already_imported_module(modules_tmp_path):
    write_files(modules_tmp_path, {"imported_first_app.py": ""})
    importlib.import_module("imported_first_app")
    assert flask.Flask("imported_first_app").root_path == str(modules_tmp_path)


def test_root_path_of_a_package_is_the_package_folder(modules_tmp_path):
    write_files(
        modules_tmp_path,
        {"shop_pkg/__init__.py": "", "shop_pkg/views.py": ""},
    )
    package_dir = str(modules_tmp_path / "shop_pkg")
    assert flask.Flask("shop_pkg").root_path == package_dir
    assert flask.Flask("shop_pkg.views").root_path == package_dir


def test_unimportable_name_uses_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = flask.Flask("no_module_is_called_like_this")
    assert app.root_path == str(tmp_path)


def test_interactive_main_uses_current_directory(tmp_path, monkeypatch):
    # An interactive session: __main__ has neither a file nor a spec.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    monkeypatch.chdir(tmp_path)
    app = flask.Flask("__main__")
    assert app.root_path == str(tmp_path)
    assert app.name == "__main__"


def test_main_script_gives_name_from_file_stem(tmp_path, monkeypatch):
    script = types.ModuleType("__main__")
    script.__file__ = str(tmp_path / "serve_blog.py")
    monkeypatch.setitem(sys.modules, "__main__", script)
    app = flask.Flask("__main__")
    assert app.name == "serve_blog"
    assert app.root_path == str(tmp_path)
    assert repr(app) == "<Flask 'serve_blog'>"


def test_name_is_the_import_name(tmp_path):
    app = flask.Flask("blog.application", root_path=str(tmp_path))
    assert app.name == "blog.application"
    assert app.cli.name == "blog.application"
    assert app.logger.name == "blog.application"


def test_namespace_package_without_root_path_is_a_runtime_error(
    modules_tmp_path, forget_new_modules
):
    (modules_tmp_path / "spread_ns").mkdir()
    importlib.invalidate_caches()
    # The package is imported, as it is when the application's code runs inside it.
    importlib.import_module("spread_ns")
    with pytest.raises(RuntimeError, match="spread_ns") as info:
        flask.Flask("spread_ns")
    assert "root_path" in str(info.value) or "root path" in str(info.value)


def test_namespace_package_accepts_explicit_root_path(
    modules_tmp_path, forget_new_modules
):
    folder = modules_tmp_path / "spread_ns_ok"
    folder.mkdir()
    importlib.invalidate_caches()
    app = flask.Flask("spread_ns_ok", root_path=str(folder))
    assert app.root_path == str(folder)
    assert app.instance_path == str(modules_tmp_path / "instance")


def test_module_inside_namespace_package(modules_tmp_path, forget_new_modules):
    write_files(modules_tmp_path, {"spread_ns_mod/site_app.py": ""})
    app = flask.Flask("spread_ns_mod.site_app")
    assert app.root_path == str(modules_tmp_path / "spread_ns_mod")
    assert app.instance_path == str(modules_tmp_path / "instance")


def test_instance_path_beside_a_module(modules_tmp_path):
    write_files(modules_tmp_path, {"notes_app.py": ""})
    app = flask.Flask("notes_app")
    assert app.instance_path == str(modules_tmp_path / "instance")


def test_instance_path_beside_a_package(modules_tmp_path):
    write_files(modules_tmp_path, {"notes_pkg/__init__.py": ""})
    app = flask.Flask("notes_pkg")
    # Next to the package folder, not inside it.
    assert app.instance_path == str(modules_tmp_path / "instance")


def installed_layout(base, relative_site, module_name):
    site = base.joinpath(*relative_site)
    site.mkdir(parents=True)
    (site / f"{module_name}.py").write_text("", encoding="utf-8")
    importlib.invalidate_caches()
    return site


def test_instance_path_of_module_installed_in_sys_prefix(
    tmp_path, monkeypatch, forget_new_modules
):
    prefix = tmp_path / "pyenv"
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    site = installed_layout(prefix, ("lib", version, "site-packages"), "installed_app")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "prefix", str(prefix))
    app = flask.Flask("installed_app")
    assert app.root_path == str(site)
    assert app.instance_path == str(prefix / "var" / "installed_app-instance")


def test_instance_path_of_installed_package_uses_app_name(
    tmp_path, monkeypatch, forget_new_modules
):
    prefix = tmp_path / "pyenv"
    site = prefix / "lib" / "python3.99" / "site-packages"
    write_files(site, {"installed_pkg/__init__.py": "", "installed_pkg/web.py": ""})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "prefix", str(prefix))
    app = flask.Flask("installed_pkg.web")
    assert app.instance_path == str(prefix / "var" / "installed_pkg.web-instance")


def test_site_packages_of_another_environment_counts_as_installed(
    tmp_path, monkeypatch, forget_new_modules
):
    # Not below sys.prefix, but in a <prefix>/lib/pythonX.Y/site-packages layout.
    other = tmp_path / "other_env"
    site = installed_layout(
        other, ("lib", "python3.99", "site-packages"), "elsewhere_app"
    )
    monkeypatch.syspath_prepend(str(site))
    app = flask.Flask("elsewhere_app")
    assert app.instance_path == str(other / "var" / "elsewhere_app-instance")


def test_module_below_sys_prefix_counts_as_installed(
    tmp_path, monkeypatch, forget_new_modules
):
    folder = tmp_path / "some" / "folder"
    folder.mkdir(parents=True)
    (folder / "prefixed_app.py").write_text("", encoding="utf-8")
    importlib.invalidate_caches()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    app = flask.Flask("prefixed_app")
    assert app.instance_path == str(tmp_path / "var" / "prefixed_app-instance")


def test_explicit_instance_path_is_used_and_not_created(tmp_path):
    target = tmp_path / "deploy" / "instance"
    app = flask.Flask("explicit_instance", instance_path=str(target))
    assert app.instance_path == str(target)
    assert not target.exists()


def test_default_instance_folder_is_not_created(modules_tmp_path):
    write_files(modules_tmp_path, {"lazy_instance_app.py": ""})
    flask.Flask("lazy_instance_app")
    assert not (modules_tmp_path / "instance").exists()


@pytest.mark.parametrize("value", ["instance", "./var/instance", "../up"])
def test_relative_instance_path_is_a_value_error(tmp_path, value):
    with pytest.raises(ValueError, match="absolute"):
        flask.Flask("relative_instance", root_path=str(tmp_path), instance_path=value)


# Static route --------------------------------------------------------------------


def static_rules(app: flask.Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint == "static"]


def test_static_route_registered_even_without_folder(tmp_path):
    app = flask.Flask("no_static_dir", root_path=str(tmp_path))
    assert not (tmp_path / "static").exists()
    [rule] = static_rules(app)
    assert rule.rule == "/static/<path:filename>"
    assert "static" in app.view_functions
    assert app.test_client().get("/static/missing.css").status_code == 404


def test_static_route_serves_files_from_folder(tmp_path):
    write_files(tmp_path, {"static/site.css": "body { color: teal }"})
    app = flask.Flask("static_served", root_path=str(tmp_path))
    response = app.test_client().get("/static/site.css")
    assert response.status_code == 200
    assert response.data == b"body { color: teal }"
    assert response.mimetype == "text/css"
    response.close()
    with app.test_request_context():
        assert flask.url_for("static", filename="site.css") == "/static/site.css"


def test_empty_static_url_path_serves_from_root(tmp_path):
    write_files(tmp_path, {"static/robots.txt": "User-agent: *"})
    app = flask.Flask("root_static", root_path=str(tmp_path), static_url_path="")
    assert app.static_url_path == ""
    [rule] = static_rules(app)
    assert rule.rule == "/<path:filename>"
    response = app.test_client().get("/robots.txt")
    assert response.data == b"User-agent: *"
    response.close()


def test_custom_static_folder_name_sets_url_path(tmp_path):
    write_files(tmp_path, {"public/app.js": "run()"})
    app = flask.Flask("custom_static", root_path=str(tmp_path), static_folder="public")
    assert app.static_folder == os.path.join(str(tmp_path), "public")
    assert app.static_url_path == "/public"
    response = app.test_client().get("/public/app.js")
    assert response.data == b"run()"
    response.close()


def test_nested_static_folder_uses_its_basename_and_trailing_slash_is_ignored(tmp_path):
    app = flask.Flask(
        "nested_static", root_path=str(tmp_path), static_folder="web/assets/"
    )
    assert app.static_folder == os.path.join(str(tmp_path), "web", "assets")
    assert app.static_url_path == "/assets"


def test_explicit_static_url_path_wins(tmp_path):
    write_files(tmp_path, {"static/logo.svg": "<svg/>"})
    app = flask.Flask(
        "explicit_url", root_path=str(tmp_path), static_url_path="/files/"
    )
    assert app.static_url_path == "/files"
    response = app.test_client().get("/files/logo.svg")
    assert response.data == b"<svg/>"
    response.close()


def test_no_static_folder_means_no_static_route(tmp_path):
    write_files(tmp_path, {"static/a.txt": "a"})
    app = flask.Flask("no_static", root_path=str(tmp_path), static_folder=None)
    assert static_rules(app) == []
    assert "static" not in app.view_functions
    assert app.static_folder is None
    assert app.static_url_path is None
    assert app.has_static_folder is False
    assert app.test_client().get("/static/a.txt").status_code == 404


def test_static_host_with_host_matching_serves_on_that_host(tmp_path):
    write_files(tmp_path, {"static/pic.txt": "pixels"})
    app = flask.Flask(
        "cdn_app",
        root_path=str(tmp_path),
        host_matching=True,
        static_host="cdn.example.test",
    )
    assert app.url_map.host_matching is True
    [rule] = static_rules(app)
    assert rule.host == "cdn.example.test"
    client = app.test_client()
    response = client.get("/static/pic.txt", base_url="http://cdn.example.test")
    assert response.data == b"pixels"
    response.close()
    other = client.get("/static/pic.txt", base_url="http://www.example.test")
    assert other.status_code == 404


@pytest.mark.parametrize(
    "options",
    [{"host_matching": True}, {"static_host": "cdn.example.test"}],
    ids=["host-matching-without-static-host", "static-host-without-host-matching"],
)
def test_inconsistent_static_host_options_raise(tmp_path, options):
    with pytest.raises(AssertionError, match="static_host"):
        flask.Flask("bad_static_host", root_path=str(tmp_path), **options)


def test_static_host_is_ignored_without_static_folder(tmp_path):
    app = flask.Flask(
        "unused_host",
        root_path=str(tmp_path),
        static_folder=None,
        static_host="cdn.example.test",
    )
    assert static_rules(app) == []


def test_host_matching_without_static_folder_needs_no_static_host(tmp_path):
    app = flask.Flask(
        "hosts_only", root_path=str(tmp_path), static_folder=None, host_matching=True
    )
    assert app.url_map.host_matching is True


# Attributes extensions use -------------------------------------------------------------


def test_scope_registries_start_empty(app):
    for name in (
        "before_request_funcs",
        "after_request_funcs",
        "teardown_request_funcs",
        "url_value_preprocessors",
        "url_default_functions",
        "error_handler_spec",
    ):
        registry = getattr(app, name)
        assert isinstance(registry, dict), name
        assert dict(registry) == {}, name


def test_template_context_processors_hold_only_the_default_for_the_app(app):
    processors = app.template_context_processors
    assert isinstance(processors, dict)
    assert list(processors) == [None]
    assert len(processors[None]) == 1


@pytest.mark.parametrize(
    "name",
    [
        "teardown_appcontext_funcs",
        "url_build_error_handlers",
        "shell_context_processors",
    ],
)
def test_list_registries_start_empty(app, name):
    value = getattr(app, name)
    assert isinstance(value, list)
    assert value == []


@pytest.mark.parametrize("name", ["blueprints", "extensions"])
def test_dict_registries_start_empty(app, name):
    value = getattr(app, name)
    assert isinstance(value, dict)
    assert value == {}


def test_registry_of_a_scope_is_created_on_first_use(app):
    # Extensions append to a scope directly, without setting the key first.
    def hook():
        return None

    app.before_request_funcs["admin"].append(hook)
    app.error_handler_spec["admin"][404][KeyError] = hook
    assert app.before_request_funcs == {"admin": [hook]}
    assert app.error_handler_spec["admin"][404] == {KeyError: hook}


def test_component_attributes_have_their_types(app):
    assert isinstance(app.config, flask.Config)
    assert isinstance(app.url_map, Map)
    assert isinstance(app.view_functions, dict)
    assert isinstance(app.cli, flask.cli.AppGroup)
    assert isinstance(app.json, DefaultJSONProvider)
    assert isinstance(app.aborter, Aborter)
    assert isinstance(app.jinja_env, flask.templating.Environment)
    assert isinstance(app.jinja_env, JinjaEnvironment)
    assert app.logger.name == "flask_test"
    assert isinstance(app.session_interface, SecureCookieSessionInterface)
    assert isinstance(app.subdomain_matching, bool)
    for name in ("instance_path", "root_path", "import_name", "template_folder"):
        assert isinstance(getattr(app, name), str), name


def test_extension_state_in_extensions_dict_is_per_app(tmp_path):
    first = flask.Flask("ext_one", root_path=str(tmp_path))
    second = flask.Flask("ext_two", root_path=str(tmp_path))
    first.extensions["cache"] = {"backend": "memory"}
    assert "cache" not in second.extensions


def test_extension_can_add_view_function_directly(app, client):
    app.url_map.add(Rule("/direct", endpoint="direct"))
    app.view_functions["direct"] = lambda: "added by hand"
    assert client.get("/direct").data == b"added by hand"


def test_url_build_error_handler_appended_by_extension_is_used(app):
    app.url_build_error_handlers.append(
        lambda error, endpoint, values: f"/fallback/{endpoint}"
    )
    with app.test_request_context():
        assert flask.url_for("nowhere") == "/fallback/nowhere"


# Class attributes subclasses override ------------------------------------------------


def test_subclass_request_class_is_used(tmp_path):
    class TaggedRequest(flask.Request):
        tag = "custom request"

    class App(flask.Flask):
        request_class = TaggedRequest

    app = App("sub_request", root_path=str(tmp_path))

    @app.route("/")
    def index():
        return flask.request.tag

    assert app.test_client().get("/").data == b"custom request"


def test_subclass_response_class_is_used(tmp_path):
    class StampedResponse(flask.Response):
        default_mimetype = "text/x-stamped"

    class App(flask.Flask):
        response_class = StampedResponse

    app = App("sub_response", root_path=str(tmp_path))
    seen = []

    @app.route("/")
    def index():
        return "body"

    @app.after_request
    def record(response):
        seen.append(type(response))
        return response

    response = app.test_client().get("/")
    assert response.mimetype == "text/x-stamped"
    assert seen == [StampedResponse]


def test_subclass_config_class_is_used(tmp_path):
    class TrackingConfig(flask.Config):
        pass

    class App(flask.Flask):
        config_class = TrackingConfig

    app = App("sub_config", root_path=str(tmp_path))
    assert type(app.config) is TrackingConfig
    assert app.config["APPLICATION_ROOT"] == "/"


def test_subclass_app_ctx_globals_class_is_used(tmp_path):
    class Globals(flask.ctx._AppCtxGlobals):
        def greet(self):
            return "hello from g"

    class App(flask.Flask):
        app_ctx_globals_class = Globals

    app = App("sub_globals", root_path=str(tmp_path))
    with app.app_context():
        assert flask.g.greet() == "hello from g"


def test_subclass_aborter_class_is_used_by_abort(tmp_path):
    class Teapot(Exception):
        pass

    class TeapotAborter(Aborter):
        def __call__(self, code, *args, **kwargs):
            if code == 418:
                raise Teapot()
            return super().__call__(code, *args, **kwargs)

    class App(flask.Flask):
        aborter_class = TeapotAborter

    app = App("sub_aborter", root_path=str(tmp_path))
    assert isinstance(app.aborter, TeapotAborter)
    with app.app_context():
        with pytest.raises(Teapot):
            flask.abort(418)


def test_subclass_json_provider_class_is_used(tmp_path):
    class LoudJSON(DefaultJSONProvider):
        def dumps(self, obj, **kwargs):
            return super().dumps(obj, **kwargs).upper()

    class App(flask.Flask):
        json_provider_class = LoudJSON

    app = App("sub_json", root_path=str(tmp_path))

    @app.route("/")
    def index():
        return {"word": "quiet"}

    assert isinstance(app.json, LoudJSON)
    assert app.test_client().get("/").data.strip() == b'{"WORD":"QUIET"}'


def test_subclass_url_rule_class_is_used(tmp_path):
    class MarkedRule(Rule):
        pass

    class App(flask.Flask):
        url_rule_class = MarkedRule

    app = App("sub_rule", root_path=str(tmp_path))
    app.add_url_rule("/page", "page", lambda: "")
    assert all(isinstance(rule, MarkedRule) for rule in app.url_map.iter_rules())


def test_subclass_url_map_class_is_used(tmp_path):
    class StrictMap(Map):
        pass

    class App(flask.Flask):
        url_map_class = StrictMap

    app = App(
        "sub_map", root_path=str(tmp_path), host_matching=True, static_folder=None
    )
    assert type(app.url_map) is StrictMap
    assert app.url_map.host_matching is True


def test_subclass_test_client_class_is_used(tmp_path):
    class MyClient(FlaskClient):
        pass

    class App(flask.Flask):
        test_client_class = MyClient

    app = App("sub_client", root_path=str(tmp_path))
    assert type(app.test_client()) is MyClient


def test_subclass_test_cli_runner_class_is_used(tmp_path):
    class MyRunner(FlaskCliRunner):
        pass

    class App(flask.Flask):
        test_cli_runner_class = MyRunner

    app = App("sub_runner", root_path=str(tmp_path))
    runner = app.test_cli_runner()
    assert type(runner) is MyRunner
    assert runner.app is app


def test_subclass_jinja_environment_is_used(tmp_path):
    class ShoutingEnvironment(flask.templating.Environment):
        pass

    class App(flask.Flask):
        jinja_environment = ShoutingEnvironment

    app = App("sub_jinja", root_path=str(tmp_path))
    assert type(app.jinja_env) is ShoutingEnvironment
    with app.app_context():
        assert flask.render_template_string("{{ 6 * 7 }}") == "42"


def test_subclass_jinja_options_are_used(tmp_path):
    class App(flask.Flask):
        jinja_options = {"variable_start_string": "[[", "variable_end_string": "]]"}

    app = App("sub_jinja_options", root_path=str(tmp_path))
    with app.app_context():
        rendered = flask.render_template_string("[[ 1 + 2 ]] {{ x }}", x=9)
    assert rendered == "3 {{ x }}"


def test_subclass_session_interface_is_used(tmp_path):
    calls = []

    class RecordingInterface(SecureCookieSessionInterface):
        def open_session(self, app, request):
            calls.append(request.path)
            return super().open_session(app, request)

    class App(flask.Flask):
        session_interface = RecordingInterface()

    app = App("sub_session", root_path=str(tmp_path))
    app.secret_key = "shh"

    @app.route("/visit")
    def visit():
        flask.session["seen"] = True
        return "ok"

    assert isinstance(app.session_interface, SessionInterface)
    response = app.test_client().get("/visit")
    assert calls == ["/visit"]
    assert "session=" in response.headers["Set-Cookie"]


def test_session_interface_can_be_replaced_per_instance(app, client):
    class FixedInterface(SessionInterface):
        def open_session(self, app, request):
            return flask.sessions.SecureCookieSession({"user": "fixed"})

        def save_session(self, app, session, response):
            response.headers["X-Saved"] = session["user"]

    app.session_interface = FixedInterface()

    @app.route("/")
    def index():
        return flask.session["user"]

    response = client.get("/")
    assert response.data == b"fixed"
    assert response.headers["X-Saved"] == "fixed"
    assert "Set-Cookie" not in response.headers


def test_subclass_default_config_is_used(tmp_path):
    class App(flask.Flask):
        default_config = {**flask.Flask.default_config, "GREETING": "hi"}

    app = App("sub_defaults", root_path=str(tmp_path))
    assert app.config["GREETING"] == "hi"
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    assert "GREETING" not in flask.Flask("plain", root_path=str(tmp_path)).config


def test_testing_and_secret_key_forward_to_config(tmp_path):
    app = flask.Flask("forwarding", root_path=str(tmp_path))
    assert app.testing is False
    assert app.secret_key is None
    app.testing = True
    app.secret_key = "k3y"
    assert app.config["TESTING"] is True
    assert app.config["SECRET_KEY"] == "k3y"
    app.config.update(TESTING=False, SECRET_KEY="other")
    assert app.testing is False
    assert app.secret_key == "other"


def test_permanent_session_lifetime_forwards_and_converts_seconds(tmp_path):
    app = flask.Flask("lifetime", root_path=str(tmp_path))
    assert app.permanent_session_lifetime == timedelta(days=31)
    app.config["PERMANENT_SESSION_LIFETIME"] = 120
    assert app.permanent_session_lifetime == timedelta(minutes=2)
    app.permanent_session_lifetime = timedelta(hours=3)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=3)


def test_subclass_can_override_config_attributes_with_defaults(tmp_path):
    class App(flask.Flask):
        default_config = {**flask.Flask.default_config, "TESTING": True}

    app = App("sub_testing", root_path=str(tmp_path))
    assert app.testing is True


def test_subclass_plain_secret_key_is_used_for_sessions(tmp_path):
    class App(flask.Flask):
        secret_key = "fixed in the class"

    app = App("sub_secret", root_path=str(tmp_path))
    # A plain class value replaces the config-backed attribute.
    assert app.config["SECRET_KEY"] is None

    @app.route("/remember")
    def remember():
        flask.session["fruit"] = "pear"
        return ""

    @app.route("/recall")
    def recall():
        return flask.session.get("fruit", "forgotten")

    client = app.test_client()
    assert "session=" in client.get("/remember").headers["Set-Cookie"]
    assert client.get("/recall").data == b"pear"


def test_subclass_plain_testing_flag_propagates_view_errors(tmp_path):
    class App(flask.Flask):
        testing = True

    app = App("sub_testing_flag", root_path=str(tmp_path))

    @app.route("/fail")
    def fail():
        raise LookupError("raised by the view")

    with pytest.raises(LookupError, match="raised by the view"):
        app.test_client().get("/fail")


# Setup phase ---------------------------------------------------------------------------


def _noop(*args: t.Any) -> None:
    return None


SETUP_CALLS: dict[str, t.Callable[[flask.Flask], t.Any]] = {
    "route": lambda app: app.route("/late")(_noop),
    "get": lambda app: app.get("/late"),
    "post": lambda app: app.post("/late"),
    "add_url_rule": lambda app: app.add_url_rule("/late", "late", _noop),
    "endpoint": lambda app: app.endpoint("late"),
    "before_request": lambda app: app.before_request(_noop),
    "after_request": lambda app: app.after_request(_noop),
    "teardown_request": lambda app: app.teardown_request(_noop),
    "teardown_appcontext": lambda app: app.teardown_appcontext(_noop),
    "errorhandler": lambda app: app.errorhandler(500),
    "register_error_handler": lambda app: app.register_error_handler(500, _noop),
    "register_blueprint": lambda app: app.register_blueprint(
        flask.Blueprint("late_bp", __name__)
    ),
    "template_filter": lambda app: app.template_filter(),
    "add_template_filter": lambda app: app.add_template_filter(_noop, "late"),
    "template_global": lambda app: app.template_global(),
    "template_test": lambda app: app.template_test(),
    "context_processor": lambda app: app.context_processor(_noop),
    "url_value_preprocessor": lambda app: app.url_value_preprocessor(_noop),
    "url_defaults": lambda app: app.url_defaults(_noop),
    "shell_context_processor": lambda app: app.shell_context_processor(_noop),
}


@pytest.mark.parametrize("method", sorted(SETUP_CALLS))
def test_setup_method_after_first_request_names_itself(app, client, method):
    @app.route("/")
    def index():
        return "served"

    assert client.get("/").data == b"served"
    with pytest.raises(AssertionError, match=f"'{method}'"):
        SETUP_CALLS[method](app)


@pytest.mark.parametrize("method", sorted(SETUP_CALLS))
def test_setup_method_before_first_request_is_allowed(app, method):
    SETUP_CALLS[method](app)


def test_setup_error_message_explains_first_request(app, client):
    client.get("/")
    with pytest.raises(AssertionError) as info:
        app.before_request(_noop)
    assert "first request" in str(info.value)


def test_registration_failure_after_first_request_leaves_routes_unchanged(app, client):
    client.get("/")
    with pytest.raises(AssertionError):
        app.add_url_rule("/late", "late", lambda: "late")
    assert "late" not in app.view_functions
    assert client.get("/late").status_code == 404


def test_app_context_alone_does_not_end_setup(app):
    with app.app_context():
        pass
    with app.test_request_context("/"):
        pass

    @app.route("/still-ok")
    def still_ok():
        return "fine"

    assert app.test_client().get("/still-ok").data == b"fine"


# Debug mode ----------------------------------------------------------------------------


def test_debug_reads_and_writes_config(tmp_path):
    site = flask.Flask("debug_rw", root_path=str(tmp_path))
    observed = [site.debug]
    site.debug = True
    observed.append(site.config["DEBUG"])
    site.config.update(DEBUG=False)
    observed.append(site.debug)
    assert observed == [False, True, False]


@pytest.mark.parametrize(
    ("configured", "expected_after_debug_on"),
    [(None, True), (False, False)],
)
def test_setting_debug_follows_templates_auto_reload_setting(
    tmp_path, configured, expected_after_debug_on
):
    site = flask.Flask("debug_reload", root_path=str(tmp_path))
    env = site.jinja_env
    site.config["TEMPLATES_AUTO_RELOAD"] = configured
    site.debug = True
    assert env.auto_reload is expected_after_debug_on


def test_switching_debug_off_again_stops_auto_reload(tmp_path):
    site = flask.Flask("debug_toggle", root_path=str(tmp_path))
    states = []
    for value in (True, False):
        site.debug = value
        states.append(site.jinja_env.auto_reload)
    assert states == [True, False]


def test_debug_in_config_before_env_creation_enables_auto_reload(tmp_path):
    site = flask.Flask("debug_env_first", root_path=str(tmp_path))
    site.config["DEBUG"] = True
    assert site.jinja_env.auto_reload is True


# Resources -----------------------------------------------------------------------------


@pytest.fixture
def resource_app(tmp_path):
    write_files(tmp_path, {"data/menu.txt": "crème brûlée"})
    instance = tmp_path / "instance"
    instance.mkdir()
    return flask.Flask(
        "resources", root_path=str(tmp_path), instance_path=str(instance)
    )


def test_open_resource_reads_bytes_by_default(resource_app):
    with resource_app.open_resource("data/menu.txt") as f:
        assert f.read() == "crème brûlée".encode()


@pytest.mark.parametrize("mode", ["r", "rt"])
def test_open_resource_text_mode_uses_encoding(resource_app, mode):
    with resource_app.open_resource("data/menu.txt", mode, encoding="utf-8") as f:
        assert f.read() == "crème brûlée"
    with resource_app.open_resource("data/menu.txt", mode, encoding="latin-1") as f:
        assert f.read() == "crème brûlée".encode().decode("latin-1")


@pytest.mark.parametrize("mode", ["w", "wb", "a", "ab", "x", "r+", "rb+", "w+"])
def test_open_resource_refuses_write_modes(resource_app, mode):
    with pytest.raises(ValueError, match="reading"):
        resource_app.open_resource("data/menu.txt", mode)
    with open(os.path.join(resource_app.root_path, "data", "menu.txt"), "rb") as f:
        assert f.read() == "crème brûlée".encode()


def test_open_resource_missing_file_raises(resource_app):
    with pytest.raises(FileNotFoundError):
        resource_app.open_resource("data/nothing.txt")


def test_open_instance_resource_writes_and_reads_back(resource_app):
    with resource_app.open_instance_resource("state.txt", "w") as f:
        f.write("große Zahl")
    path = os.path.join(resource_app.instance_path, "state.txt")
    with open(path, "rb") as f:
        assert f.read() == "große Zahl".encode()
    with resource_app.open_instance_resource("state.txt") as f:
        assert f.read() == "große Zahl".encode()
    with resource_app.open_instance_resource("state.txt", "r") as f:
        assert f.read() == "große Zahl"


def test_open_instance_resource_honours_encoding(resource_app):
    with resource_app.open_instance_resource("l1.txt", "w", encoding="latin-1") as f:
        f.write("é")
    with resource_app.open_instance_resource("l1.txt", "rb") as f:
        assert f.read() == b"\xe9"


def test_open_instance_resource_appends(resource_app):
    for line in ("one\n", "two\n"):
        with resource_app.open_instance_resource("log.txt", "a") as f:
            f.write(line)
    with resource_app.open_instance_resource("log.txt", "r") as f:
        assert f.read() == "one\ntwo\n"


# app.run -------------------------------------------------------------------------------


class ServerCalls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, t.Any, dict[str, t.Any]]] = []

    def __call__(self, host, port, application, **options):
        self.calls.append((host, port, application, options))

    @property
    def last(self):
        assert len(self.calls) == 1
        return self.calls[0]


@pytest.fixture
def server(monkeypatch, tmp_path):
    """Replace Werkzeug's development server with a recorder of its arguments."""
    recorder = ServerCalls()
    monkeypatch.setattr(werkzeug.serving, "run_simple", recorder)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    # No .env or .flaskenv files from the surrounding folders.
    monkeypatch.chdir(tmp_path)
    return recorder


def test_run_defaults(app, server):
    app.run(load_dotenv=False)
    host, port, application, options = server.last
    assert (host, port) == ("127.0.0.1", 5000)
    assert application is app
    assert options == {"use_reloader": False, "use_debugger": False, "threaded": True}


def test_run_takes_host_and_port_from_server_name(app, server):
    app.config["SERVER_NAME"] = "blog.example.test:8123"
    app.run(load_dotenv=False)
    assert server.last[:2] == ("blog.example.test", 8123)


def test_run_server_name_without_port_uses_default_port(app, server):
    app.config["SERVER_NAME"] = "blog.example.test"
    app.run(load_dotenv=False)
    assert server.last[:2] == ("blog.example.test", 5000)


def test_run_explicit_host_and_port_win_over_server_name(app, server):
    app.config["SERVER_NAME"] = "blog.example.test:8123"
    app.run(host="0.0.0.0", port=9001, load_dotenv=False)
    assert server.last[:2] == ("0.0.0.0", 9001)


def test_run_explicit_port_only(app, server):
    app.config["SERVER_NAME"] = "blog.example.test:8123"
    app.run(port=7000, load_dotenv=False)
    assert server.last[:2] == ("blog.example.test", 7000)


def test_run_port_zero_is_kept(app, server):
    app.config["SERVER_NAME"] = "localhost:8123"
    app.run(port=0, load_dotenv=False)
    assert server.last[1] == 0


def test_run_port_string_becomes_int(app, server):
    app.run(port="8080", load_dotenv=False)
    assert server.last[1] == 8080


def test_run_debug_argument_sets_debug_and_server_defaults(app, server):
    app.run(debug=True, load_dotenv=False)
    assert app.debug is True
    assert app.jinja_env.auto_reload is True
    options = server.last[3]
    assert options["use_reloader"] is True
    assert options["use_debugger"] is True


def test_run_debug_from_config_sets_server_defaults(app, server):
    app.config["DEBUG"] = True
    app.run(load_dotenv=False)
    assert server.last[3]["use_reloader"] is True
    assert server.last[3]["use_debugger"] is True


def test_run_debug_false_turns_debug_off(app, server):
    app.debug = True
    app.run(debug=False, load_dotenv=False)
    assert app.debug is False
    assert server.last[3]["use_debugger"] is False


def test_run_passes_options_through_and_they_win(app, server):
    app.run(
        debug=True,
        load_dotenv=False,
        use_reloader=False,
        threaded=False,
        extra_files=["settings.cfg"],
    )
    assert server.last[3] == {
        "use_reloader": False,
        "use_debugger": True,
        "threaded": False,
        "extra_files": ["settings.cfg"],
    }


def test_run_prints_banner(app, server, capsys):
    app.run(load_dotenv=False)
    out = capsys.readouterr().out
    assert "flask_test" in out
    assert "Debug mode: off" in out


@pytest.mark.usefixtures("dotenv")
def test_run_loads_dotenv_files(app, server, monkeypatch, tmp_path):
    # Record the variables first so they are removed again after the test.
    for name in ("FLASK_DEBUG", "RUN_DOTENV_MARKER"):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    (tmp_path / ".flaskenv").write_text(
        "FLASK_DEBUG=1\nRUN_DOTENV_MARKER=loaded\n", encoding="utf-8"
    )
    app.run(load_dotenv=False)
    assert "RUN_DOTENV_MARKER" not in os.environ
    assert app.debug is False
    server.calls.clear()

    app.run()
    assert os.environ["RUN_DOTENV_MARKER"] == "loaded"
    assert app.debug is True
    assert server.last[3]["use_reloader"] is True


def test_run_flask_debug_env_applies_when_loading_dotenv(app, server, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.run()
    assert app.debug is True


def test_run_explicit_debug_beats_flask_debug_env(app, server, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.run(debug=False)
    assert app.debug is False


def test_run_inside_flask_command_only_prints_warning(app, server, monkeypatch, capsys):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app.run(debug=True)
    assert server.calls == []
    assert app.debug is False
    captured = capsys.readouterr()
    assert "app.run()" in captured.out
    assert captured.err == ""


def test_run_inside_reloader_child_of_flask_command_is_silent(
    app, server, monkeypatch, capsys
):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    app.run()
    assert server.calls == []
    assert capsys.readouterr().out == ""


def test_run_from_cli_other_values_still_serve(app, server, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
    app.run(load_dotenv=False)
    assert len(server.calls) == 1


def test_run_reopens_setup_afterwards(app, client, server):
    client.get("/")
    with pytest.raises(AssertionError):
        app.route("/after")(_noop)
    app.run(load_dotenv=False)

    @app.route("/after")
    def after():
        return "registered after run"

    assert client.get("/after").data == b"registered after run"
