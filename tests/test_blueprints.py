"""Blueprints: construction, scoped and application-wide registrations, deferred setup
functions, registration options and names, nesting, static files and CLI groups."""

from __future__ import annotations

import datetime
import os
import typing as t

import click
import pytest
from werkzeug.exceptions import NotFound

import flask
from flask.blueprints import BlueprintSetupState

BP_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bp_static")


class Gone(Exception):
    """Raised by views to exercise error handlers."""


class Broken(Exception):
    """A second exception class, unrelated to ``Gone``."""


def _text(response: t.Any) -> str:
    return response.get_data(as_text=True)


# Construction ------------------------------------------------------------------------


def test_blueprint_keeps_its_constructor_arguments():
    bp = flask.Blueprint(
        "ledger",
        "some.module",
        url_prefix="/ledger",
        subdomain="books",
        url_defaults={"year": 2024},
        root_path=BP_ROOT,
        template_folder="papers",
    )
    assert bp.name == "ledger"
    assert bp.import_name == "some.module"
    assert bp.url_prefix == "/ledger"
    assert bp.subdomain == "books"
    assert bp.url_values_defaults == {"year": 2024}
    assert bp.root_path == BP_ROOT
    assert bp.template_folder == "papers"
    assert repr(bp) == "<Blueprint 'ledger'>"


def test_blueprint_defaults_have_no_prefix_subdomain_or_static_folder():
    bp = flask.Blueprint("bare", __name__)
    assert bp.url_prefix is None
    assert bp.subdomain is None
    assert bp.url_values_defaults == {}
    assert bp.has_static_folder is False
    assert bp.static_folder is None
    assert bp.static_url_path is None


def test_blueprint_root_path_is_found_from_import_name():
    bp = flask.Blueprint("found", "flask")
    assert bp.root_path == os.path.dirname(os.path.abspath(flask.__file__))


def test_blueprint_name_may_not_be_empty():
    with pytest.raises(ValueError, match="'name' may not be empty"):
        flask.Blueprint("", __name__)


def test_blueprint_name_with_a_dot_is_rejected_with_a_hint_to_fix_it():
    with pytest.raises(ValueError) as info:
        flask.Blueprint("admin.users", __name__)
    message = str(info.value)
    assert "'name' may not contain a dot '.' character" in message
    # The message tells the user what to do instead.
    assert "underscore" in message
    assert "register_blueprint" in message


def test_blueprint_has_no_scoped_template_filter_registration():
    # Template filters, tests and globals always belong to the application's Jinja
    # environment; a blueprint only offers the app_* variants.
    bp = flask.Blueprint("jinja_less", __name__)
    for name in (
        "template_filter",
        "template_test",
        "template_global",
        "add_template_filter",
        "add_template_test",
        "add_template_global",
    ):
        assert not hasattr(bp, name)


# Routes ------------------------------------------------------------------------------


def test_route_endpoints_are_prefixed_with_the_blueprint_name(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    @desk.route("/memo/<int:number>")
    def memo(number):
        return f"memo {number} via {flask.request.endpoint}"

    app.register_blueprint(desk)

    assert _text(client.get("/desk/memo/4")) == "memo 4 via desk.memo"
    assert "desk.memo" in app.view_functions
    assert "memo" not in app.view_functions
    with app.test_request_context():
        assert flask.url_for("desk.memo", number=9) == "/desk/memo/9"


def test_route_accepts_endpoint_and_methods(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.route("/stamp", methods=["POST"], endpoint="apply_stamp")
    def stamp():
        return "stamped"

    app.register_blueprint(desk)

    assert _text(client.post("/stamp")) == "stamped"
    assert client.get("/stamp").status_code == 405
    with app.test_request_context():
        assert flask.url_for("desk.apply_stamp") == "/stamp"


def test_method_shortcuts_on_a_blueprint(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/d")

    @desk.get("/card")
    def read_card():
        return "read"

    @desk.post("/card")
    def write_card():
        return "written"

    @desk.put("/card")
    def replace_card():
        return "replaced"

    @desk.patch("/card")
    def touch_card():
        return "touched"

    @desk.delete("/card")
    def drop_card():
        return "dropped"

    app.register_blueprint(desk)

    assert _text(client.get("/d/card")) == "read"
    assert _text(client.post("/d/card")) == "written"
    assert _text(client.put("/d/card")) == "replaced"
    assert _text(client.patch("/d/card")) == "touched"
    assert _text(client.delete("/d/card")) == "dropped"


def test_method_shortcut_refuses_methods_argument():
    desk = flask.Blueprint("desk", __name__)
    with pytest.raises(TypeError, match="methods"):
        desk.get("/x", methods=["POST"])


def test_add_url_rule_uses_view_name_as_endpoint(app, client):
    desk = flask.Blueprint("desk", __name__)

    def inventory():
        return "inventory list"

    desk.add_url_rule("/inventory", view_func=inventory)
    app.register_blueprint(desk)

    assert _text(client.get("/inventory")) == "inventory list"
    with app.test_request_context():
        assert flask.url_for("desk.inventory") == "/inventory"


def test_add_url_rule_with_explicit_endpoint_and_options(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/d")

    def show(page):
        return f"page {page}"

    desk.add_url_rule(
        "/pages/",
        "pages",
        show,
        defaults={"page": 1},
        methods=["GET", "POST"],
        strict_slashes=False,
    )
    app.register_blueprint(desk)

    assert _text(client.get("/d/pages/")) == "page 1"
    assert _text(client.post("/d/pages")) == "page 1"
    with app.test_request_context():
        assert flask.url_for("desk.pages") == "/d/pages/"


def test_add_url_rule_provide_automatic_options_false(app, client):
    desk = flask.Blueprint("desk", __name__)
    desk.add_url_rule("/quiet", "quiet", lambda: "shh", provide_automatic_options=False)
    desk.add_url_rule("/chatty", "chatty", lambda: "hello")
    app.register_blueprint(desk)

    assert client.open("/quiet", method="OPTIONS").status_code == 405
    response = client.open("/chatty", method="OPTIONS")
    assert response.status_code == 200
    assert set(response.allow) == {"GET", "HEAD", "OPTIONS"}


def test_add_url_rule_rejects_dotted_endpoint():
    desk = flask.Blueprint("desk", __name__)
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        desk.add_url_rule("/x", "desk.x", lambda: "")
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        desk.route("/y", endpoint="a.b")(lambda: "")


def test_add_url_rule_rejects_view_function_with_dotted_name():
    desk = flask.Blueprint("desk", __name__)

    def view():
        return ""

    view.__name__ = "module.view"
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        desk.add_url_rule("/x", view_func=view)
    # A clean endpoint does not make the dotted function name acceptable.
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        desk.add_url_rule("/x", "clean", view)


def test_rejected_rule_leaves_nothing_behind(app):
    desk = flask.Blueprint("desk", __name__)
    with pytest.raises(ValueError):
        desk.add_url_rule("/x", "a.b", lambda: "")
    app.register_blueprint(desk)
    assert [r.endpoint for r in app.url_map.iter_rules()] == ["static"]


def test_rules_are_added_to_the_app_only_when_registered(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.route("/later")
    def later():
        return "here now"

    assert "desk.later" not in app.view_functions
    assert [r.rule for r in app.url_map.iter_rules()] == ["/static/<path:filename>"]
    app.register_blueprint(desk)
    assert _text(client.get("/later")) == "here now"


def test_endpoint_decorator_fills_in_a_rule_added_without_view(app, client):
    desk = flask.Blueprint("desk", __name__)
    desk.add_url_rule("/signed", "signed")

    @desk.endpoint("desk.signed")
    def signed():
        return "signed by the desk"

    app.register_blueprint(desk)
    assert _text(client.get("/signed")) == "signed by the desk"


def test_endpoint_decorator_name_is_used_on_the_app_as_given(app, client):
    # The name passed to a blueprint's endpoint() is not prefixed: the function is
    # copied to the application's view functions under exactly that name.
    app.add_url_rule("/front", "front")
    desk = flask.Blueprint("desk", __name__)

    @desk.endpoint("front")
    def front():
        return "front from the desk"

    app.register_blueprint(desk)
    assert _text(client.get("/front")) == "front from the desk"


# Scoped request hooks ----------------------------------------------------------------


@pytest.fixture
def scoped_app(app):
    """An application with an app route ``/plain``, a ``desk`` blueprint at ``/desk``
    and an unrelated ``shelf`` blueprint at ``/shelf``. Views log their name."""
    log: list[str] = []
    app.config["LOG"] = log
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")
    shelf = flask.Blueprint("shelf", __name__, url_prefix="/shelf")

    @app.route("/plain")
    def plain():
        log.append("view plain")
        return "plain"

    @desk.route("/task")
    def task():
        log.append("view task")
        return "task"

    @shelf.route("/book")
    def book():
        log.append("view book")
        return "book"

    app.config["DESK"] = desk
    app.config["SHELF"] = shelf
    return app


def _register(app: flask.Flask) -> list[str]:
    app.register_blueprint(app.config["DESK"])
    app.register_blueprint(app.config["SHELF"])
    return app.config["LOG"]


def test_before_request_runs_only_for_the_blueprint_endpoints(scoped_app):
    desk = scoped_app.config["DESK"]

    @desk.before_request
    def check():
        scoped_app.config["LOG"].append("desk before")

    log = _register(scoped_app)
    client = scoped_app.test_client()
    for path in ("/plain", "/desk/task", "/shelf/book"):
        client.get(path)
    assert log == ["view plain", "desk before", "view task", "view book"]


def test_blueprint_before_request_can_short_circuit_its_views(scoped_app):
    desk = scoped_app.config["DESK"]

    @desk.before_request
    def closed():
        return "desk is closed", 503

    _register(scoped_app)
    client = scoped_app.test_client()
    response = client.get("/desk/task")
    assert response.status_code == 503
    assert _text(response) == "desk is closed"
    assert _text(client.get("/plain")) == "plain"
    assert scoped_app.config["LOG"] == ["view plain"]


def test_after_request_changes_only_the_blueprint_responses(scoped_app):
    desk = scoped_app.config["DESK"]

    @desk.after_request
    def label(response):
        response.headers["X-Desk"] = "yes"
        return response

    _register(scoped_app)
    client = scoped_app.test_client()
    assert client.get("/desk/task").headers["X-Desk"] == "yes"
    assert "X-Desk" not in client.get("/plain").headers
    assert "X-Desk" not in client.get("/shelf/book").headers


def test_teardown_request_runs_only_for_the_blueprint_with_the_error(scoped_app):
    desk = scoped_app.config["DESK"]
    seen: list[t.Any] = []

    @desk.teardown_request
    def cleanup(exc):
        seen.append(exc)

    @desk.route("/fail")
    def fail():
        raise Gone("lost")

    _register(scoped_app)
    scoped_app.config["PROPAGATE_EXCEPTIONS"] = False
    client = scoped_app.test_client()
    client.get("/plain")
    client.get("/desk/task")
    assert seen == [None]
    assert client.get("/desk/fail").status_code == 500
    assert len(seen) == 2
    assert isinstance(seen[1], Gone)


def test_errorhandler_on_blueprint_handles_its_views_only(scoped_app):
    desk = scoped_app.config["DESK"]
    shelf = scoped_app.config["SHELF"]

    @desk.errorhandler(Gone)
    def desk_gone(e):
        return f"desk lost: {e}", 410

    @desk.route("/vanish")
    def vanish():
        raise Gone("pen")

    @shelf.route("/vanish")
    def shelf_vanish():
        raise Gone("book")

    _register(scoped_app)
    scoped_app.config["PROPAGATE_EXCEPTIONS"] = False
    client = scoped_app.test_client()
    response = client.get("/desk/vanish")
    assert response.status_code == 410
    assert _text(response) == "desk lost: pen"
    assert client.get("/shelf/vanish").status_code == 500


def test_register_error_handler_on_blueprint_for_a_status_code(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    def desk_missing(e):
        return "nothing on the desk", 404

    desk.register_error_handler(404, desk_missing)

    @desk.route("/drawer")
    def drawer():
        flask.abort(404)

    app.register_blueprint(desk)
    response = client.get("/desk/drawer")
    assert response.status_code == 404
    assert _text(response) == "nothing on the desk"


def test_blueprint_404_handler_does_not_see_unmatched_urls_under_its_prefix(
    app, client
):
    # An unmatched URL has no endpoint, so no blueprint is involved, even when the
    # URL starts with the blueprint's prefix.
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    @desk.errorhandler(404)
    def desk_missing(e):
        return "desk handler", 404

    @app.errorhandler(404)
    def app_missing(e):
        return "app handler", 404

    @desk.route("/drawer")
    def drawer():
        flask.abort(404)

    app.register_blueprint(desk)
    assert _text(client.get("/desk/drawer")) == "desk handler"
    assert _text(client.get("/desk/no-such-page")) == "app handler"


def test_context_processor_applies_to_blueprint_templates_only(scoped_app):
    desk = scoped_app.config["DESK"]

    @desk.context_processor
    def motto():
        return {"motto": "desk first"}

    @desk.route("/render")
    def render():
        return flask.render_template_string("[{{ motto }}]")

    @scoped_app.route("/render")
    def app_render():
        return flask.render_template_string("[{{ motto }}]")

    _register(scoped_app)
    client = scoped_app.test_client()
    assert _text(client.get("/desk/render")) == "[desk first]"
    assert _text(client.get("/render")) == "[]"


def test_explicit_template_values_beat_blueprint_context_processor(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.context_processor
    def colour():
        return {"colour": "grey"}

    @desk.route("/paint")
    def paint():
        return flask.render_template_string("{{ colour }}", colour="red")

    app.register_blueprint(desk)
    assert _text(client.get("/paint")) == "red"


def test_url_value_preprocessor_sees_only_the_blueprint_endpoints(app, client):
    seen: list[tuple[str | None, dict[str, t.Any] | None]] = []
    desk = flask.Blueprint("desk", __name__, url_prefix="/<tenant>/desk")

    @desk.url_value_preprocessor
    def grab_tenant(endpoint, values):
        seen.append((endpoint, dict(values)))
        flask.g.tenant = values.pop("tenant")

    @desk.route("/inbox")
    def inbox():
        return f"inbox of {flask.g.tenant}"

    @app.route("/<tenant>/home")
    def home(tenant):
        return f"home of {tenant}"

    app.register_blueprint(desk)
    assert _text(client.get("/acme/desk/inbox")) == "inbox of acme"
    assert _text(client.get("/acme/home")) == "home of acme"
    assert seen == [("desk.inbox", {"tenant": "acme"})]


def test_url_defaults_fill_values_for_the_blueprint_endpoints_only(app):
    desk = flask.Blueprint("desk", __name__, url_prefix="/<tenant>/desk")

    @desk.url_defaults
    def tenant_default(endpoint, values):
        values.setdefault("tenant", "default-co")

    @desk.route("/inbox")
    def inbox():
        return ""

    @app.route("/<tenant>/home")
    def home(tenant):
        return ""

    app.register_blueprint(desk)
    with app.test_request_context():
        assert flask.url_for("desk.inbox") == "/default-co/desk/inbox"
        assert flask.url_for("desk.inbox", tenant="other") == "/other/desk/inbox"
        with pytest.raises(Exception, match="tenant"):
            flask.url_for("home")


def test_hooks_registered_on_blueprint_return_the_function():
    desk = flask.Blueprint("desk", __name__)

    def hook(*args):
        return None

    for register in (
        desk.before_request,
        desk.after_request,
        desk.teardown_request,
        desk.context_processor,
        desk.url_value_preprocessor,
        desk.url_defaults,
        desk.before_app_request,
        desk.after_app_request,
        desk.teardown_app_request,
        desk.app_context_processor,
        desk.app_url_value_preprocessor,
        desk.app_url_defaults,
    ):
        assert register(hook) is hook
    assert desk.errorhandler(Gone)(hook) is hook
    assert desk.app_errorhandler(Gone)(hook) is hook
    assert desk.app_template_filter()(hook) is hook
    assert desk.app_template_test()(hook) is hook
    assert desk.app_template_global()(hook) is hook


# Application-wide registrations --------------------------------------------------------


def test_app_errorhandler_handles_errors_everywhere(scoped_app):
    desk = scoped_app.config["DESK"]
    shelf = scoped_app.config["SHELF"]

    @desk.app_errorhandler(Gone)
    def anywhere_gone(e):
        return f"handled by desk for {flask.request.path}", 410

    @scoped_app.route("/app-gone")
    def app_gone():
        raise Gone()

    @shelf.route("/gone")
    def shelf_gone():
        raise Gone()

    _register(scoped_app)
    client = scoped_app.test_client()
    response = client.get("/app-gone")
    assert response.status_code == 410
    assert _text(response) == "handled by desk for /app-gone"
    assert _text(client.get("/shelf/gone")) == "handled by desk for /shelf/gone"


def test_app_errorhandler_for_a_status_code_covers_unmatched_urls(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.app_errorhandler(404)
    def missing(e):
        return "custom missing page", 404

    app.register_blueprint(desk)
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert _text(response) == "custom missing page"


def test_blueprint_handler_beats_its_own_app_errorhandler(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    @desk.errorhandler(Gone)
    def local(e):
        return "local", 410

    @desk.app_errorhandler(Gone)
    def everywhere(e):
        return "everywhere", 410

    @desk.route("/x")
    def x():
        raise Gone()

    @app.route("/y")
    def y():
        raise Gone()

    app.register_blueprint(desk)
    assert _text(client.get("/desk/x")) == "local"
    assert _text(client.get("/y")) == "everywhere"


def test_app_request_hooks_run_for_every_request(scoped_app):
    desk = scoped_app.config["DESK"]
    log = scoped_app.config["LOG"]

    @desk.before_app_request
    def before():
        log.append(f"before {flask.request.path}")

    @desk.after_app_request
    def after(response):
        log.append(f"after {flask.request.path}")
        response.headers["X-Seen-By-Desk"] = "1"
        return response

    @desk.teardown_app_request
    def teardown(exc):
        log.append(f"teardown {flask.request.path} {exc!r}")

    _register(scoped_app)
    client = scoped_app.test_client()
    assert client.get("/plain").headers["X-Seen-By-Desk"] == "1"
    assert client.get("/shelf/book").headers["X-Seen-By-Desk"] == "1"
    assert log == [
        "before /plain",
        "view plain",
        "after /plain",
        "teardown /plain None",
        "before /shelf/book",
        "view book",
        "after /shelf/book",
        "teardown /shelf/book None",
    ]


def test_app_request_hooks_take_their_place_among_the_apps_own(app, client):
    # They join the app scope when the blueprint is registered, in that order.
    log: list[str] = []
    desk = flask.Blueprint("desk", __name__)

    app.before_request(lambda: log.append("before app 1"))
    desk.before_app_request(lambda: log.append("before desk"))

    def after(label):
        def hook(response):
            log.append(f"after {label}")
            return response

        return hook

    def teardown(label):
        return lambda exc: log.append(f"teardown {label}")

    app.after_request(after("app 1"))
    desk.after_app_request(after("desk"))
    app.teardown_request(teardown("app 1"))
    desk.teardown_app_request(teardown("desk"))

    app.register_blueprint(desk)
    app.before_request(lambda: log.append("before app 2"))
    app.after_request(after("app 2"))
    app.teardown_request(teardown("app 2"))

    @app.route("/")
    def index():
        log.append("view")
        return ""

    client.get("/")
    assert log == [
        "before app 1",
        "before desk",
        "before app 2",
        "view",
        "after app 2",
        "after desk",
        "after app 1",
        "teardown app 2",
        "teardown desk",
        "teardown app 1",
    ]


def test_before_app_request_can_short_circuit_app_views(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.before_app_request
    def maintenance():
        return "down for maintenance", 503

    @app.route("/")
    def index():
        return "index"

    app.register_blueprint(desk)
    response = client.get("/")
    assert response.status_code == 503
    assert _text(response) == "down for maintenance"


def test_app_context_processor_applies_to_every_template(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    @desk.app_context_processor
    def site():
        return {"site": "Paperworks"}

    @app.route("/")
    def index():
        return flask.render_template_string("{{ site }}")

    @desk.route("/")
    def desk_index():
        return flask.render_template_string("desk of {{ site }}")

    app.register_blueprint(desk)
    assert _text(client.get("/")) == "Paperworks"
    assert _text(client.get("/desk/")) == "desk of Paperworks"
    with app.app_context():
        assert flask.render_template_string("{{ site }}!") == "Paperworks!"


def test_app_url_value_preprocessor_sees_app_endpoints(app, client):
    desk = flask.Blueprint("desk", __name__)
    seen: list[str | None] = []

    @desk.app_url_value_preprocessor
    def pull_lang(endpoint, values):
        seen.append(endpoint)
        if values and "lang" in values:
            flask.g.lang = values.pop("lang")

    @app.route("/<lang>/welcome")
    def welcome():
        return f"welcome in {flask.g.lang}"

    app.register_blueprint(desk)
    assert _text(client.get("/fr/welcome")) == "welcome in fr"
    assert seen == ["welcome"]


def test_app_url_defaults_apply_to_app_endpoints(app):
    desk = flask.Blueprint("desk", __name__)

    @desk.app_url_defaults
    def lang_default(endpoint, values):
        values.setdefault("lang", "nl")

    @app.route("/<lang>/welcome")
    def welcome(lang):
        return ""

    app.register_blueprint(desk)
    with app.test_request_context():
        assert flask.url_for("welcome") == "/nl/welcome"
        assert flask.url_for("welcome", lang="de") == "/de/welcome"


def test_app_template_filter_test_and_global_decorators(app, client):
    desk = flask.Blueprint("desk", __name__)

    @desk.app_template_filter()
    def spaced(value):
        return " ".join(value)

    @desk.app_template_filter("yell")
    def loud(value):
        return value.upper() + "!"

    @desk.app_template_test()
    def even_length(value):
        return len(value) % 2 == 0

    @desk.app_template_test("palindrome")
    def is_palindrome(value):
        return value == value[::-1]

    @desk.app_template_global()
    def shelf_count():
        return 12

    @desk.app_template_global("motto")
    def company_motto():
        return "stamp it"

    @app.route("/")
    def index():
        return flask.render_template_string(
            "{{ 'abc'|spaced }}|{{ 'hey'|yell }}|{{ 'ab' is even_length }}|"
            "{{ 'level' is palindrome }}|{{ shelf_count() }}|{{ motto() }}"
        )

    assert "spaced" not in app.jinja_env.filters
    app.register_blueprint(desk)
    assert _text(client.get("/")) == "a b c|HEY!|True|True|12|stamp it"
    assert app.jinja_env.filters["yell"] is loud
    assert app.jinja_env.tests["palindrome"] is is_palindrome
    assert app.jinja_env.globals["motto"] is company_motto


def test_add_app_template_functions_without_decorators(app):
    desk = flask.Blueprint("desk", __name__)

    def double(value):
        return value * 2

    def is_small(value):
        return value < 10

    def magic():
        return 42

    desk.add_app_template_filter(double)
    desk.add_app_template_filter(double, "twice")
    desk.add_app_template_test(is_small)
    desk.add_app_template_test(is_small, "tiny")
    desk.add_app_template_global(magic)
    desk.add_app_template_global(magic, "answer")
    app.register_blueprint(desk)

    with app.app_context():
        rendered = flask.render_template_string(
            "{{ 4|double }} {{ 5|twice }} {{ 3 is is_small }} {{ 30 is tiny }}"
            " {{ magic() }} {{ answer() }}"
        )
    assert rendered == "8 10 True False 42 42"


def test_app_wide_registrations_happen_once_per_app(app, client):
    # A blueprint registered twice on one app adds its app-wide hooks once.
    log: list[str] = []
    desk = flask.Blueprint("desk", __name__)
    desk.before_app_request(lambda: log.append("app-wide"))
    desk.before_request(lambda: log.append(f"scoped {flask.request.blueprint}"))

    @desk.route("/job")
    def job():
        return ""

    @app.route("/")
    def index():
        return ""

    app.register_blueprint(desk)
    app.register_blueprint(desk, name="desk_copy", url_prefix="/copy")

    client.get("/")
    client.get("/job")
    client.get("/copy/job")
    assert log == [
        "app-wide",
        "app-wide",
        "scoped desk",
        "app-wide",
        "scoped desk_copy",
    ]


# record, record_once and BlueprintSetupState -------------------------------------------


def test_record_runs_at_every_registration_with_a_setup_state(app):
    states: list[BlueprintSetupState] = []
    desk = flask.Blueprint(
        "desk",
        __name__,
        url_prefix="/desk",
        subdomain="office",
        url_defaults={"size": "a4", "copies": 1},
    )
    desk.record(states.append)
    assert states == []

    app.register_blueprint(desk)
    app.register_blueprint(
        desk,
        name="annex",
        url_prefix="/annex",
        subdomain="branch",
        url_defaults={"copies": 3},
        colour="blue",
    )

    first, second = states
    assert isinstance(first, BlueprintSetupState)
    assert first.app is app
    assert first.blueprint is desk
    assert first.options == {}
    assert first.first_registration is True
    assert first.name == "desk"
    assert first.name_prefix == ""
    assert first.url_prefix == "/desk"
    assert first.subdomain == "office"
    assert first.url_defaults == {"size": "a4", "copies": 1}

    assert second.app is app
    assert second.blueprint is desk
    assert second.options == {
        "name": "annex",
        "url_prefix": "/annex",
        "subdomain": "branch",
        "url_defaults": {"copies": 3},
        "colour": "blue",
    }
    assert second.first_registration is False
    assert second.name == "annex"
    assert second.name_prefix == ""
    assert second.url_prefix == "/annex"
    assert second.subdomain == "branch"
    assert second.url_defaults == {"size": "a4", "copies": 3}


def test_record_once_runs_once_per_application(app):
    calls: list[tuple[str, bool]] = []
    desk = flask.Blueprint("desk", __name__)
    desk.record_once(lambda s: calls.append((s.name, s.first_registration)))
    desk.record(lambda s: calls.append((f"every {s.name}", s.first_registration)))

    other_app = flask.Flask("other_app")
    app.register_blueprint(desk)
    app.register_blueprint(desk, name="desk_two")
    other_app.register_blueprint(desk, name="elsewhere")

    assert calls == [
        ("desk", True),
        ("every desk", True),
        ("every desk_two", False),
        ("elsewhere", True),
        ("every elsewhere", True),
    ]


def test_setup_state_add_url_rule_applies_the_registration(app, client):
    desk = flask.Blueprint("desk", __name__, url_defaults={"tray": "in"})

    def extra(tray, mode="plain"):
        return f"{flask.request.endpoint} tray={tray} mode={mode}"

    def add_rules(state):
        state.add_url_rule("/extra", "extra", extra)
        state.add_url_rule("/fancy", view_func=extra, defaults={"mode": "fancy"})
        state.add_url_rule("", "root", extra)

    desk.record(add_rules)
    app.register_blueprint(desk, url_prefix="/d", name="counter")

    assert _text(client.get("/d/extra")) == "counter.extra tray=in mode=plain"
    assert _text(client.get("/d/fancy")) == "counter.extra tray=in mode=fancy"
    assert _text(client.get("/d")) == "counter.root tray=in mode=plain"


def test_setup_state_add_url_rule_uses_the_subdomain(app):
    app.config["SERVER_NAME"] = "paper.test"
    app.subdomain_matching = True
    desk = flask.Blueprint("desk", __name__, subdomain="office")
    desk.record(lambda s: s.add_url_rule("/memo", "memo", lambda: "memo"))
    desk.record(
        lambda s: s.add_url_rule("/lobby", "lobby", lambda: "", subdomain="lobby")
    )
    app.register_blueprint(desk)

    client = app.test_client()
    assert _text(client.get("/memo", subdomain="office")) == "memo"
    assert client.get("/memo").status_code == 404
    with app.app_context():
        assert flask.url_for("desk.memo") == "http://office.paper.test/memo"
        assert flask.url_for("desk.lobby") == "http://lobby.paper.test/lobby"


def test_make_setup_state_can_return_a_custom_state(app):
    class AuditedState(BlueprintSetupState):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.audit = f"registered as {self.name}"

    class AuditedBlueprint(flask.Blueprint):
        def make_setup_state(self, app, options, first_registration=False):
            return AuditedState(self, app, options, first_registration)

    seen: list[str] = []
    desk = AuditedBlueprint("desk", __name__)
    desk.record(lambda s: seen.append(s.audit))
    app.register_blueprint(desk, name="audited")
    assert seen == ["registered as audited"]


# Registering ---------------------------------------------------------------------------


def test_app_keeps_registered_blueprints_by_name_in_order(app):
    desk = flask.Blueprint("desk", __name__)
    shelf = flask.Blueprint("shelf", __name__)
    drawer = flask.Blueprint("drawer", __name__)
    desk.register_blueprint(drawer)

    app.register_blueprint(shelf)
    app.register_blueprint(desk)
    app.register_blueprint(shelf, name="shelf_b")

    assert list(app.blueprints) == ["shelf", "desk", "desk.drawer", "shelf_b"]
    assert app.blueprints["desk.drawer"] is drawer
    assert app.blueprints["shelf_b"] is shelf
    assert list(app.iter_blueprints()) == [shelf, desk, drawer, shelf]


def test_same_blueprint_on_two_apps(app):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")

    @desk.route("/hello")
    def hello():
        return f"hello from {flask.current_app.name}"

    other = flask.Flask("second_app")
    app.register_blueprint(desk)
    other.register_blueprint(desk, url_prefix="/elsewhere")

    assert _text(app.test_client().get("/desk/hello")) == "hello from flask_test"
    assert _text(other.test_client().get("/elsewhere/hello")) == (
        "hello from second_app"
    )
    assert other.test_client().get("/desk/hello").status_code == 404


@pytest.mark.parametrize(
    ("prefix", "rule", "url"),
    [
        ("/desk", "/memo", "/desk/memo"),
        ("/desk/", "/memo", "/desk/memo"),
        ("/desk", "memo", "/desk/memo"),
        ("/desk/", "memo", "/desk/memo"),
        ("/desk//", "//memo", "/desk/memo"),
        ("/desk", "/", "/desk/"),
        ("/desk", "", "/desk"),
        ("/desk/", "", "/desk/"),
        ("/", "/memo", "/memo"),
        ("", "/memo", "/memo"),
        ("/a/b", "/c/d", "/a/b/c/d"),
    ],
)
def test_url_prefix_and_rule_are_joined_with_one_slash(app, prefix, rule, url):
    desk = flask.Blueprint("desk", __name__, url_prefix=prefix)
    desk.add_url_rule(rule, "memo", lambda: "memo")
    app.register_blueprint(desk)
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint == "desk.memo"]
    assert rules == [url]
    assert _text(app.test_client().get(url)) == "memo"


def test_registration_url_prefix_replaces_the_blueprint_prefix(app, client):
    desk = flask.Blueprint("desk", __name__, url_prefix="/desk")
    desk.add_url_rule("/memo", "memo", lambda: flask.request.blueprint)
    app.register_blueprint(desk, url_prefix="/bureau")
    app.register_blueprint(desk, url_prefix="", name="top")

    assert _text(client.get("/bureau/memo")) == "desk"
    assert _text(client.get("/memo")) == "top"
    assert client.get("/desk/memo").status_code == 404


def test_registration_subdomain_replaces_the_blueprint_subdomain(app):
    app.config["SERVER_NAME"] = "paper.test"
    app.subdomain_matching = True
    desk = flask.Blueprint("desk", __name__, subdomain="office")
    desk.add_url_rule("/memo", "memo", lambda: flask.request.host)
    app.register_blueprint(desk, subdomain="branch")

    client = app.test_client()
    assert _text(client.get("/memo", subdomain="branch")) == "branch.paper.test"
    assert client.get("/memo", subdomain="office").status_code == 404


def test_url_defaults_from_blueprint_registration_and_rule(app, client):
    desk = flask.Blueprint(
        "desk", __name__, url_defaults={"size": "a4", "tray": "in", "ink": "black"}
    )

    @desk.route("/print")
    def print_view(size, tray, ink):
        return f"{size} {tray} {ink}"

    @desk.route("/print-red", defaults={"ink": "red"})
    def print_red(size, tray, ink):
        return f"{size} {tray} {ink}"

    app.register_blueprint(desk, url_defaults={"tray": "out"})

    assert _text(client.get("/print")) == "a4 out black"
    # The rule's own defaults win over the registration's and the blueprint's.
    assert _text(client.get("/print-red")) == "a4 out red"


def test_registration_name_overrides_the_blueprint_name(app, client):
    log: list[str] = []
    desk = flask.Blueprint("desk", __name__)
    desk.before_request(lambda: log.append(f"before {flask.request.blueprint}"))

    @desk.route("/who")
    def who():
        return f"{flask.request.blueprint} {flask.url_for('.who')}"

    app.register_blueprint(desk, name="reception")

    assert _text(client.get("/who")) == "reception /who"
    assert log == ["before reception"]
    assert list(app.blueprints) == ["reception"]
    assert "reception.who" in app.view_functions
    assert "desk.who" not in app.view_functions


def test_one_blueprint_registered_twice_under_different_names(app, client):
    log: list[str] = []
    desk = flask.Blueprint("desk", __name__)
    desk.before_request(lambda: log.append(f"before {flask.request.blueprint}"))

    @desk.errorhandler(Gone)
    def gone(e):
        return f"gone in {flask.request.blueprint}", 410

    @desk.route("/lost")
    def lost():
        raise Gone()

    @desk.route("/where")
    def where():
        return flask.url_for(".where")

    app.register_blueprint(desk, url_prefix="/one")
    app.register_blueprint(desk, url_prefix="/two", name="desk_two")

    assert _text(client.get("/one/where")) == "/one/where"
    assert _text(client.get("/two/where")) == "/two/where"
    assert _text(client.get("/one/lost")) == "gone in desk"
    assert _text(client.get("/two/lost")) == "gone in desk_two"
    assert log == ["before desk", "before desk_two", "before desk", "before desk_two"]
    with app.test_request_context():
        assert flask.url_for("desk.where") == "/one/where"
        assert flask.url_for("desk_two.where") == "/two/where"


def test_registering_the_same_blueprint_again_without_a_name_fails(app):
    desk = flask.Blueprint("desk", __name__)
    app.register_blueprint(desk)
    with pytest.raises(ValueError) as info:
        app.register_blueprint(desk, url_prefix="/again")
    assert str(info.value) == (
        "The name 'desk' is already registered for this blueprint."
        " Use 'name=' to provide a unique name."
    )


def test_reusing_a_registration_name_for_the_same_blueprint_fails(app):
    desk = flask.Blueprint("desk", __name__)
    app.register_blueprint(desk)
    app.register_blueprint(desk, name="annex")
    with pytest.raises(ValueError, match="'annex' is already registered for this"):
        app.register_blueprint(desk, name="annex")


def test_a_different_blueprint_with_a_taken_name_fails(app):
    app.register_blueprint(flask.Blueprint("desk", __name__))
    with pytest.raises(ValueError) as info:
        app.register_blueprint(flask.Blueprint("desk", __name__))
    assert str(info.value) == (
        "The name 'desk' is already registered for a different blueprint."
        " Use 'name=' to provide a unique name."
    )
    with pytest.raises(ValueError, match="for a different blueprint"):
        app.register_blueprint(flask.Blueprint("shelf", __name__), name="desk")


def test_failed_registration_leaves_the_app_unchanged(app):
    first = flask.Blueprint("desk", __name__)
    second = flask.Blueprint("desk", __name__)
    second.add_url_rule("/second", "second", lambda: "")
    app.register_blueprint(first)
    with pytest.raises(ValueError):
        app.register_blueprint(second)
    assert app.blueprints == {"desk": first}
    assert "desk.second" not in app.view_functions


def test_nested_name_clash_names_the_full_registration(app):
    parent = flask.Blueprint("parent", __name__)
    child = flask.Blueprint("child", __name__)
    parent.register_blueprint(child, url_prefix="/a")
    parent.register_blueprint(child, url_prefix="/b")
    with pytest.raises(ValueError) as info:
        app.register_blueprint(parent)
    assert str(info.value) == (
        "The name 'child' is already registered for this blueprint 'parent.child'."
        " Use 'name=' to provide a unique name."
    )


def test_blueprint_cannot_be_registered_on_itself():
    desk = flask.Blueprint("desk", __name__)
    with pytest.raises(ValueError, match="Cannot register a blueprint on itself"):
        desk.register_blueprint(desk)


def test_register_blueprint_after_first_request_is_refused(app, client):
    @app.route("/")
    def index():
        return ""

    client.get("/")
    late = flask.Blueprint("late", __name__)
    with pytest.raises(AssertionError) as info:
        app.register_blueprint(late)
    message = str(info.value)
    assert "The setup method 'register_blueprint' can no longer be called" in message
    assert "already handled its first request" in message
    assert late.name not in app.blueprints


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda bp: bp.route("/more"), id="route"),
        pytest.param(lambda bp: bp.add_url_rule("/more", "more"), id="add_url_rule"),
        pytest.param(lambda bp: bp.before_request(print), id="before_request"),
        pytest.param(lambda bp: bp.after_request(print), id="after_request"),
        pytest.param(lambda bp: bp.teardown_request(print), id="teardown_request"),
        pytest.param(lambda bp: bp.errorhandler(404), id="errorhandler"),
        pytest.param(lambda bp: bp.context_processor(dict), id="context_processor"),
        pytest.param(lambda bp: bp.url_defaults(print), id="url_defaults"),
        pytest.param(lambda bp: bp.record(print), id="record"),
        pytest.param(lambda bp: bp.record_once(print), id="record_once"),
        pytest.param(lambda bp: bp.before_app_request(print), id="before_app_request"),
        pytest.param(lambda bp: bp.app_errorhandler(500), id="app_errorhandler"),
        pytest.param(lambda bp: bp.app_template_filter(), id="app_template_filter"),
        pytest.param(
            lambda bp: bp.register_blueprint(flask.Blueprint("late_child", __name__)),
            id="register_blueprint",
        ),
    ],
)
def test_blueprint_setup_methods_are_refused_after_registration(app, setup):
    desk = flask.Blueprint("desk", __name__)
    app.register_blueprint(desk)
    with pytest.raises(AssertionError) as info:
        setup(desk)
    message = str(info.value)
    assert "can no longer be called on the blueprint 'desk'" in message
    assert "already been registered" in message


def test_refused_setup_method_is_named_in_the_message(app):
    desk = flask.Blueprint("desk", __name__)
    app.register_blueprint(desk)
    with pytest.raises(AssertionError, match="The setup method 'url_value_preproc"):
        desk.url_value_preprocessor(print)
    with pytest.raises(AssertionError, match="The setup method 'app_url_defaults'"):
        desk.app_url_defaults(print)


# Nested blueprints ---------------------------------------------------------------------


def test_nested_endpoints_are_dotted_paths(app, client):
    outer = flask.Blueprint("outer", __name__, url_prefix="/o")
    middle = flask.Blueprint("middle", __name__, url_prefix="/m")
    inner = flask.Blueprint("inner", __name__, url_prefix="/i")

    @inner.route("/leaf")
    def leaf():
        return f"{flask.request.endpoint} {flask.request.blueprints}"

    @middle.route("/branch")
    def branch():
        return f"{flask.request.endpoint} {flask.request.blueprints}"

    middle.register_blueprint(inner)
    outer.register_blueprint(middle)
    app.register_blueprint(outer)

    assert _text(client.get("/o/m/i/leaf")) == (
        "outer.middle.inner.leaf ['outer.middle.inner', 'outer.middle', 'outer']"
    )
    assert _text(client.get("/o/m/branch")) == (
        "outer.middle.branch ['outer.middle', 'outer']"
    )
    with app.test_request_context():
        assert flask.url_for("outer.middle.inner.leaf") == "/o/m/i/leaf"


def test_request_blueprint_is_none_outside_blueprints(app, client):
    seen: list[t.Any] = []

    @app.route("/")
    def index():
        seen.append((flask.request.blueprint, flask.request.blueprints))
        return ""

    client.get("/")
    client.get("/missing")
    assert seen == [(None, [])]
    with app.test_request_context("/missing"):
        assert flask.request.blueprint is None
        assert flask.request.blueprints == []


def test_children_registered_on_a_parent_are_registered_with_it(app, client):
    parent = flask.Blueprint("parent", __name__)
    child = flask.Blueprint("child", __name__)
    child.add_url_rule("/kid", "kid", lambda: "kid")
    parent.register_blueprint(child)

    # Nothing reaches the app until the parent is registered.
    assert app.blueprints == {}
    assert "parent.child.kid" not in app.view_functions
    app.register_blueprint(parent)
    assert _text(client.get("/kid")) == "kid"
    assert list(app.blueprints) == ["parent", "parent.child"]


@pytest.mark.parametrize(
    ("parent_prefix", "child_prefix", "rule", "url"),
    [
        ("/p", "/c", "/v", "/p/c/v"),
        ("/p/", "/c/", "/v", "/p/c/v"),
        ("/p/", "c", "v", "/p/c/v"),
        ("/p", None, "/v", "/p/v"),
        (None, "/c", "/v", "/c/v"),
        (None, None, "/v", "/v"),
        ("/p", "/c", "", "/p/c"),
        ("/p/", "/c/", "", "/p/c/"),
        ("/p", "", "", "/p/"),
        ("/", "/", "/", "/"),
    ],
)
def test_nested_url_prefixes_are_joined(app, parent_prefix, child_prefix, rule, url):
    parent = flask.Blueprint("parent", __name__, url_prefix=parent_prefix)
    child = flask.Blueprint("child", __name__, url_prefix=child_prefix)
    child.add_url_rule(rule, "v", lambda: "v")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint == "parent.child.v"]
    assert rules == [url]


def test_nested_prefix_options_at_each_registration(app, client):
    parent = flask.Blueprint("parent", __name__, url_prefix="/ignored-parent")
    child = flask.Blueprint("child", __name__, url_prefix="/ignored-child")
    child.add_url_rule("/v", "v", lambda: flask.request.endpoint)
    parent.register_blueprint(child, url_prefix="/kid")
    app.register_blueprint(parent, url_prefix="/folks")
    assert _text(client.get("/folks/kid/v")) == "parent.child.v"


@pytest.mark.parametrize(
    ("top", "middle", "inner", "option", "expected"),
    [
        ("eu", "books", "rare", None, "rare.books.eu"),
        ("eu", None, None, None, "eu"),
        (None, "books", None, None, "books"),
        (None, None, "rare", None, "rare"),
        ("eu", None, "rare", None, "rare.eu"),
        ("eu", "books", "rare", "old", "old.books.eu"),
        (None, None, None, None, ""),
    ],
)
def test_nested_subdomains_are_joined_child_first(
    app, top, middle, inner, option, expected
):
    outer_bp = flask.Blueprint("outer", __name__, subdomain=top)
    middle_bp = flask.Blueprint("middle", __name__, subdomain=middle)
    inner_bp = flask.Blueprint("inner", __name__, subdomain=inner)
    inner_bp.add_url_rule("/v", "v", lambda: "")
    options = {} if option is None else {"subdomain": option}
    middle_bp.register_blueprint(inner_bp, **options)
    outer_bp.register_blueprint(middle_bp)
    app.register_blueprint(outer_bp)
    (rule,) = [r for r in app.url_map.iter_rules() if r.endpoint.endswith(".v")]
    assert rule.subdomain == expected


def test_parent_url_defaults_are_not_given_to_children(app):
    parent = flask.Blueprint("parent", __name__, url_defaults={"shade": "dark"})
    child = flask.Blueprint("child", __name__, url_defaults={"tone": "warm"})
    parent.add_url_rule("/p", "p", lambda **kw: "")
    child.add_url_rule("/c", "c", lambda **kw: "")
    parent.register_blueprint(child, url_defaults={"grain": "fine"})
    app.register_blueprint(parent, url_defaults={"shade": "light"})

    defaults = {r.endpoint: r.defaults for r in app.url_map.iter_rules()}
    assert defaults["parent.p"] == {"shade": "light"}
    assert defaults["parent.child.c"] == {"tone": "warm", "grain": "fine"}


def test_nested_setup_state_has_combined_prefixes(app):
    states: list[BlueprintSetupState] = []
    parent = flask.Blueprint("parent", __name__, url_prefix="/p", subdomain="api")
    child = flask.Blueprint("child", __name__, url_prefix="/c", subdomain="v2")
    child.record(states.append)
    parent.register_blueprint(child, url_defaults={"fmt": "json"})
    app.register_blueprint(parent, name="gateway")

    (state,) = states
    assert state.blueprint is child
    assert state.name == "child"
    assert state.name_prefix == "gateway"
    assert state.url_prefix == "/p/c"
    assert state.subdomain == "v2.api"
    assert state.url_defaults == {"fmt": "json"}
    assert state.first_registration is True
    assert state.options["name_prefix"] == "gateway"
    assert state.options["url_prefix"] == "/p/c"
    assert state.options["url_defaults"] == {"fmt": "json"}


def test_registering_a_parent_twice_registers_its_children_twice(app, client):
    once: list[str] = []
    parent = flask.Blueprint("parent", __name__)
    child = flask.Blueprint("child", __name__, url_prefix="/c")
    child.record_once(lambda s: once.append(f"{s.name_prefix}.{s.name}"))
    child.add_url_rule("/where", "where", lambda: flask.url_for(".where"))
    parent.register_blueprint(child)
    app.register_blueprint(parent, url_prefix="/x")
    app.register_blueprint(parent, url_prefix="/y", name="parent_y")

    assert _text(client.get("/x/c/where")) == "/x/c/where"
    assert _text(client.get("/y/c/where")) == "/y/c/where"
    assert once == ["parent.child"]
    assert list(app.blueprints) == [
        "parent",
        "parent.child",
        "parent_y",
        "parent_y.child",
    ]


def test_child_registered_twice_in_a_parent_under_different_names(app, client):
    parent = flask.Blueprint("parent", __name__, url_prefix="/p")
    child = flask.Blueprint("child", __name__)

    @child.route("/me")
    def me():
        return f"{flask.request.blueprint} at {flask.url_for('.me')}"

    parent.register_blueprint(child, url_prefix="/one")
    parent.register_blueprint(child, url_prefix="/two", name="twin")
    app.register_blueprint(parent)

    assert _text(client.get("/p/one/me")) == "parent.child at /p/one/me"
    assert _text(client.get("/p/two/me")) == "parent.twin at /p/two/me"


def test_relative_url_for_inside_nested_blueprints(app, client):
    outer = flask.Blueprint("outer", __name__, url_prefix="/o")
    inner = flask.Blueprint("inner", __name__, url_prefix="/i")

    @outer.route("/page")
    def page():
        return "outer page"

    @inner.route("/page")
    def inner_page():
        return "inner page"

    @inner.route("/links")
    def links():
        return " ".join(
            [
                flask.url_for(".inner_page"),
                flask.url_for("outer.page"),
                flask.url_for("outer.inner.inner_page", _anchor="top"),
                flask.url_for(".inner_page", q="1"),
            ]
        )

    @app.route("/page")
    def app_page():
        return flask.url_for(".app_page")

    outer.register_blueprint(inner)
    app.register_blueprint(outer)

    assert _text(client.get("/o/i/links")) == (
        "/o/i/page /o/page /o/i/page#top /o/i/page?q=1"
    )
    assert _text(client.get("/page")) == "/page"


def test_relative_url_for_to_a_missing_sibling_fails(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = True
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__)

    @outer.route("/top")
    def top():
        return ""

    @inner.route("/ask")
    def ask():
        # ".top" means "outer.inner.top", which does not exist.
        return flask.url_for(".top")

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    with pytest.raises(Exception, match="outer.inner.top"):
        client.get("/ask")


@pytest.fixture
def three_levels():
    """An application with three nested blueprints, each with every kind of scoped
    registration, that log what they do."""
    log: list[str] = []
    app = flask.Flask(
        "nested_app", root_path=os.path.dirname(__file__), subdomain_matching=True
    )
    app.config.update(TESTING=True, SERVER_NAME="shop.test")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    region = flask.Blueprint("region", __name__, url_prefix="/r", subdomain="eu")
    store = flask.Blueprint("store", __name__, url_prefix="/s", subdomain="books")
    aisle = flask.Blueprint("aisle", __name__, url_prefix="/a/<int:aisle_no>")

    class AppOnly(Exception):
        pass

    class RegionOnly(Exception):
        pass

    class StoreOnly(Exception):
        pass

    class AisleOnly(Exception):
        pass

    errors = {
        "app": AppOnly,
        "region": RegionOnly,
        "store": StoreOnly,
        "aisle": AisleOnly,
    }

    def instrument(scope: flask.Flask | flask.Blueprint, label: str) -> None:
        @scope.url_value_preprocessor
        def preprocess(endpoint, values):
            log.append(f"preprocess {label}")
            if values and label == "aisle":
                flask.g.aisle_no = values.pop("aisle_no")

        @scope.before_request
        def before():
            log.append(f"before {label}")

        @scope.after_request
        def after(response):
            log.append(f"after {label}")
            response.headers.add("X-Scopes", label)
            return response

        @scope.teardown_request
        def teardown(exc):
            log.append(f"teardown {label}")

        @scope.context_processor
        def context():
            log.append(f"context {label}")
            return {"owner": label, f"{label}_flag": "on"}

        @scope.url_defaults
        def defaults(endpoint, values):
            log.append(f"defaults {label}")
            if label == "aisle":
                values.setdefault("aisle_no", getattr(flask.g, "aisle_no", 1))

        @scope.errorhandler(errors[label])
        def own_error(e):
            return f"{label} handled {type(e).__name__}", 418

        @scope.errorhandler(Gone)
        def gone(e):
            return f"{label} handled Gone", 410

    @aisle.route("/shelf")
    def shelf():
        log.append("view")
        return flask.render_template_string(
            "{{ owner }} {{ region_flag }} {{ store_flag }} {{ aisle_flag }} "
            "{{ url_for('.shelf') }}"
        )

    @aisle.route("/raise/<kind>")
    def raise_kind(kind):
        if kind == "gone":
            raise Gone()
        raise errors[kind]()

    instrument(app, "app")
    instrument(region, "region")
    instrument(store, "store")
    instrument(aisle, "aisle")
    store.register_blueprint(aisle)
    region.register_blueprint(store)
    app.register_blueprint(region)
    app.config["LOG"] = log
    return app


def test_three_levels_of_nesting_build_the_rule(three_levels):
    (rule,) = [
        r for r in three_levels.url_map.iter_rules() if r.endpoint.endswith("shelf")
    ]
    assert rule.endpoint == "region.store.aisle.shelf"
    assert rule.rule == "/r/s/a/<int:aisle_no>/shelf"
    assert rule.subdomain == "books.eu"


def test_three_levels_of_nesting_run_hooks_in_scope_order(three_levels):
    client = three_levels.test_client()
    log = three_levels.config["LOG"]
    response = client.get("/r/s/a/7/shelf", subdomain="books.eu")

    assert response.status_code == 200
    assert _text(response) == "aisle on on on /r/s/a/7/shelf"
    assert response.headers.getlist("X-Scopes") == ["aisle", "store", "region", "app"]
    assert log == [
        "preprocess app",
        "preprocess region",
        "preprocess store",
        "preprocess aisle",
        "before app",
        "before region",
        "before store",
        "before aisle",
        "view",
        "context app",
        "context region",
        "context store",
        "context aisle",
        "defaults app",
        "defaults region",
        "defaults store",
        "defaults aisle",
        "after aisle",
        "after store",
        "after region",
        "after app",
        "teardown aisle",
        "teardown store",
        "teardown region",
        "teardown app",
    ]


def test_three_levels_of_nesting_only_on_their_subdomain(three_levels):
    client = three_levels.test_client()
    assert client.get("/r/s/a/7/shelf").status_code == 404
    assert client.get("/r/s/a/7/shelf", subdomain="eu").status_code == 404
    assert client.get("/r/s/a/7/shelf", subdomain="books.eu").status_code == 200


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("aisle", "aisle handled AisleOnly"),
        ("store", "store handled StoreOnly"),
        ("region", "region handled RegionOnly"),
        ("app", "app handled AppOnly"),
        ("gone", "aisle handled Gone"),
    ],
)
def test_three_levels_of_nesting_find_the_innermost_error_handler(
    three_levels, kind, body
):
    client = three_levels.test_client()
    response = client.get(f"/r/s/a/3/raise/{kind}", subdomain="books.eu")
    assert _text(response) == body


def test_three_levels_of_nesting_build_urls_with_every_scope_defaults(three_levels):
    log = three_levels.config["LOG"]
    with three_levels.app_context():
        url = flask.url_for("region.store.aisle.shelf")
    assert url == "http://books.eu.shop.test/r/s/a/1/shelf"
    assert log == [
        "defaults app",
        "defaults region",
        "defaults store",
        "defaults aisle",
    ]


def test_three_levels_of_nesting_registers_every_level(three_levels):
    assert list(three_levels.blueprints) == [
        "region",
        "region.store",
        "region.store.aisle",
    ]
    for scope in ("region", "region.store", "region.store.aisle"):
        assert len(three_levels.before_request_funcs[scope]) == 1
        assert len(three_levels.error_handler_spec[scope][None]) == 2


def test_outer_blueprint_hooks_apply_to_inner_blueprint_requests(app, client):
    log: list[str] = []
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__)
    outer.before_request(lambda: log.append("outer before"))

    @outer.errorhandler(Broken)
    def broken(e):
        return "outer caught it", 500

    @inner.route("/deep")
    def deep():
        raise Broken()

    @outer.route("/shallow")
    def shallow():
        return "shallow"

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert _text(client.get("/deep")) == "outer caught it"
    assert _text(client.get("/shallow")) == "shallow"
    assert log == ["outer before", "outer before"]


def test_inner_blueprint_hooks_do_not_apply_to_outer_requests(app, client):
    log: list[str] = []
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__, url_prefix="/in")
    inner.before_request(lambda: log.append("inner before"))
    outer.add_url_rule("/top", "top", lambda: "top")
    inner.add_url_rule("/low", "low", lambda: "low")
    outer.register_blueprint(inner)
    app.register_blueprint(outer)

    client.get("/top")
    assert log == []
    client.get("/in/low")
    assert log == ["inner before"]


def test_nested_app_wide_hooks_register_on_the_app(app, client):
    log: list[str] = []
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__)
    inner.before_app_request(lambda: log.append("inner app-wide"))

    @inner.app_errorhandler(Broken)
    def broken(e):
        return "inner app-wide handler", 500

    @app.route("/")
    def index():
        raise Broken()

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert _text(client.get("/")) == "inner app-wide handler"
    assert log == ["inner app-wide"]


# Static files --------------------------------------------------------------------------


def _static_blueprint(**kwargs: t.Any) -> flask.Blueprint:
    return flask.Blueprint(
        "crate", __name__, root_path=BP_ROOT, static_folder="crate", **kwargs
    )


def test_static_folder_is_served_under_the_url_prefix(app, client):
    app.register_blueprint(_static_blueprint(url_prefix="/goods"))

    response = client.get("/goods/crate/ledger.txt")
    assert response.status_code == 200
    assert response.data == b"crate ledger\n"
    assert response.mimetype == "text/plain"
    response.close()
    response = client.get("/goods/crate/deep/olive.css")
    assert response.mimetype == "text/css"
    response.close()
    assert client.get("/goods/crate/missing.txt").status_code == 404
    with app.test_request_context():
        assert flask.url_for("crate.static", filename="ledger.txt") == (
            "/goods/crate/ledger.txt"
        )


def test_static_folder_and_url_path_properties():
    bp = _static_blueprint()
    assert bp.has_static_folder is True
    assert bp.static_folder == os.path.join(BP_ROOT, "crate")
    assert bp.static_url_path == "/crate"

    custom = _static_blueprint(static_url_path="/files/")
    assert custom.static_url_path == "/files"

    absolute = flask.Blueprint(
        "abs", __name__, static_folder=os.path.join(BP_ROOT, "crate")
    )
    assert absolute.static_folder == os.path.join(BP_ROOT, "crate")
    assert absolute.static_url_path == "/crate"


def test_custom_static_url_path_under_the_registration_prefix(app, client):
    app.register_blueprint(
        _static_blueprint(static_url_path="/assets"), url_prefix="/shop"
    )
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint == "crate.static"]
    assert rules == ["/shop/assets/<path:filename>"]
    response = client.get("/shop/assets/ledger.txt")
    assert response.data == b"crate ledger\n"
    response.close()


def test_static_folder_without_url_prefix(app, client):
    app.register_blueprint(_static_blueprint())
    response = client.get("/crate/ledger.txt")
    assert response.data == b"crate ledger\n"
    response.close()


def test_static_files_cannot_escape_the_folder(app, client):
    app.register_blueprint(_static_blueprint(url_prefix="/goods"))
    assert client.get("/goods/crate/../papers/notice.txt").status_code == 404
    assert client.get("/goods/crate/%2e%2e/papers/notice.txt").status_code == 404


def test_blueprint_without_static_folder_has_no_static_route(app):
    app.register_blueprint(flask.Blueprint("plain", __name__, url_prefix="/p"))
    endpoints = [r.endpoint for r in app.url_map.iter_rules()]
    assert "plain.static" not in endpoints


def test_static_route_for_nested_and_repeated_registrations(app, client):
    parent = flask.Blueprint("parent", __name__, url_prefix="/p")
    crate = _static_blueprint(url_prefix="/c")
    parent.register_blueprint(crate)
    app.register_blueprint(parent)
    app.register_blueprint(crate, name="loose", url_prefix="/loose")

    rules = {r.endpoint: r.rule for r in app.url_map.iter_rules()}
    assert rules["parent.crate.static"] == "/p/c/crate/<path:filename>"
    assert rules["loose.static"] == "/loose/crate/<path:filename>"
    for url in ("/p/c/crate/ledger.txt", "/loose/crate/ledger.txt"):
        response = client.get(url)
        assert response.data == b"crate ledger\n"
        response.close()


def test_relative_url_for_static_inside_the_blueprint(app, client):
    crate = _static_blueprint(url_prefix="/goods")

    @crate.route("/sheet")
    def sheet():
        return flask.url_for(".static", filename="deep/olive.css")

    app.register_blueprint(crate)
    assert _text(client.get("/goods/sheet")) == "/goods/crate/deep/olive.css"


def test_static_files_use_send_file_max_age_default(app, client):
    app.register_blueprint(_static_blueprint())

    response = client.get("/crate/ledger.txt")
    assert response.cache_control.max_age is None
    assert response.cache_control.no_cache
    response.close()

    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 90
    response = client.get("/crate/ledger.txt")
    assert response.cache_control.max_age == 90
    assert response.cache_control.public
    response.close()

    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = datetime.timedelta(minutes=2)
    response = client.get("/crate/ledger.txt")
    assert response.cache_control.max_age == 120
    response.close()


def test_get_send_file_max_age_reads_the_current_app_config(app):
    bp = _static_blueprint()
    with app.app_context():
        assert bp.get_send_file_max_age("ledger.txt") is None
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 30
        assert bp.get_send_file_max_age("ledger.txt") == 30
        assert bp.get_send_file_max_age(None) == 30


def test_get_send_file_max_age_override_decides_per_file(app, client):
    class PickyCrate(flask.Blueprint):
        def get_send_file_max_age(self, filename):
            return 3600 if filename and filename.endswith(".css") else 5

    picky = PickyCrate("picky", __name__, root_path=BP_ROOT, static_folder="crate")
    app.register_blueprint(picky)

    response = client.get("/crate/deep/olive.css")
    assert response.cache_control.max_age == 3600
    response.close()
    response = client.get("/crate/ledger.txt")
    assert response.cache_control.max_age == 5
    response.close()


def test_send_static_file_called_directly(app):
    bp = _static_blueprint()
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 12
    with app.test_request_context():
        response = bp.send_static_file("ledger.txt")
        response.direct_passthrough = False
        assert response.status_code == 200
        assert response.get_data() == b"crate ledger\n"
        assert response.cache_control.max_age == 12
        response.close()
        with pytest.raises(NotFound):
            bp.send_static_file("absent.txt")


def test_blueprint_open_resource_is_relative_to_its_root(app):
    bp = flask.Blueprint("papers", __name__, root_path=BP_ROOT)
    with bp.open_resource("papers/notice.txt") as f:
        assert f.read() == b"notice from the papers folder\n"
    with bp.open_resource("papers/notice.txt", "r") as f:
        assert f.read() == "notice from the papers folder\n"
    with pytest.raises(ValueError, match="Resources can only be opened for reading"):
        bp.open_resource("papers/notice.txt", "w")


# CLI groups ----------------------------------------------------------------------------


def _cli_blueprint(name: str = "reports", **kwargs: t.Any) -> flask.Blueprint:
    bp = flask.Blueprint(name, __name__, **kwargs)

    @bp.cli.command("tally")
    @click.argument("what", default="all")
    def tally(what):
        click.echo(f"tally {what} in {flask.current_app.name}")

    return bp


def test_blueprint_commands_are_grouped_under_its_name(app):
    app.register_blueprint(_cli_blueprint())
    runner = app.test_cli_runner()

    result = runner.invoke(args=["reports", "tally", "invoices"])
    assert result.exit_code == 0, result.output
    assert result.output == "tally invoices in flask_test\n"
    assert runner.invoke(args=["tally"]).exit_code != 0


def test_blueprint_cli_group_can_be_renamed(app):
    app.register_blueprint(_cli_blueprint(cli_group="numbers"))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["numbers", "tally"])
    assert result.output == "tally all in flask_test\n"
    assert runner.invoke(args=["reports", "tally"]).exit_code != 0


def test_blueprint_cli_group_none_merges_into_the_app_group(app):
    app.register_blueprint(_cli_blueprint(cli_group=None))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["tally", "receipts"])
    assert result.output == "tally receipts in flask_test\n"
    assert runner.invoke(args=["reports", "tally"]).exit_code != 0


def test_cli_group_given_at_registration_wins(app):
    app.register_blueprint(_cli_blueprint(cli_group="numbers"), cli_group="sums")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["sums", "tally"]).output == ("tally all in flask_test\n")
    assert runner.invoke(args=["numbers", "tally"]).exit_code != 0


def test_cli_group_none_at_registration_merges_commands(app):
    app.register_blueprint(_cli_blueprint(), cli_group=None)
    result = app.test_cli_runner().invoke(args=["tally", "x"])
    assert result.output == "tally x in flask_test\n"


def test_default_cli_group_follows_the_registration_name(app):
    app.register_blueprint(_cli_blueprint(), name="ledgers")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["ledgers", "tally"]).output == (
        "tally all in flask_test\n"
    )
    assert runner.invoke(args=["reports", "tally"]).exit_code != 0


def test_blueprint_without_commands_adds_no_group(app):
    app.register_blueprint(flask.Blueprint("quiet", __name__))
    assert "quiet" not in app.cli.commands
    assert app.test_cli_runner().invoke(args=["quiet"]).exit_code != 0


def test_nested_blueprint_commands_use_the_dotted_name(app):
    parent = flask.Blueprint("office", __name__)
    parent.register_blueprint(_cli_blueprint())
    app.register_blueprint(parent)
    result = app.test_cli_runner().invoke(args=["office.reports", "tally"])
    assert result.output == "tally all in flask_test\n"


def test_blueprint_cli_is_a_click_group_named_after_the_blueprint():
    bp = _cli_blueprint()
    assert isinstance(bp.cli, click.Group)
    assert isinstance(bp.cli, flask.cli.AppGroup)
    assert bp.cli.name == "reports"
    assert list(bp.cli.commands) == ["tally"]
