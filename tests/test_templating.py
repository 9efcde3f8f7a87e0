"""Jinja templating: the application's environment and options, where templates are
looked up (application folder, then blueprint folders), explained lookups, autoescaping,
reloading, the default template globals and the ``tojson`` filter, context processors,
the render and stream functions, registered filters/tests/globals, and the two
templating signals."""

from __future__ import annotations

import datetime
import logging
import os
import typing as t
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

import flask
from flask.templating import DispatchingJinjaLoader

TESTS_DIR = Path(__file__).parent
APP_TEMPLATES = TESTS_DIR / "templates"
BP_FIXTURES = TESTS_DIR / "bp_templates_pkg"

HOSTILE = "</script><script>alert('pwned')</script> & <b>\"quoted\"</b>"


def _blueprint_with_templates(name: str, folder: str | None = None) -> flask.Blueprint:
    """A blueprint whose template folder is ``bp_templates_pkg/<folder>/templates``."""
    return flask.Blueprint(
        name,
        __name__,
        root_path=str(BP_FIXTURES / (folder or name)),
        template_folder="templates",
    )


def _app_log_text(caplog: pytest.LogCaptureFixture, app: flask.Flask) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == app.logger.name]


def _capture_app_log(
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    app: flask.Flask,
    level: int = logging.INFO,
) -> None:
    # Loggers are process-wide; make sure an earlier test did not leave this one off.
    monkeypatch.setattr(app.logger, "disabled", False)
    caplog.set_level(level, logger=app.logger.name)


# --- the environment ---------------------------------------------------------------


def test_jinja_env_is_a_flask_environment_that_knows_its_app(app: flask.Flask) -> None:
    env = app.jinja_env
    assert isinstance(env, flask.templating.Environment)
    assert isinstance(env, jinja2.Environment)
    assert env.app is app
    assert isinstance(env.loader, DispatchingJinjaLoader)
    assert env.loader.app is app
    # Created once, then reused.
    assert app.jinja_env is env


def test_environment_given_its_own_loader_keeps_it(app: flask.Flask) -> None:
    loader = jinja2.DictLoader({"memo.txt": "from a dict loader"})
    env = flask.templating.Environment(app, loader=loader)
    assert env.loader is loader
    assert env.get_template("memo.txt").render() == "from a dict loader"


def test_jinja_options_shape_the_environment_when_it_is_created(
    app: flask.Flask,
) -> None:
    app.jinja_options = {
        "trim_blocks": True,
        "variable_start_string": "<<",
        "variable_end_string": ">>",
        "extensions": ["jinja2.ext.loopcontrols"],
    }
    with app.app_context():
        text = flask.render_template_string(
            "{% for n in numbers %}{% if n > 2 %}{% break %}{% endif %}\n"
            "<<n>>{{ literal }}{% endfor %}",
            numbers=[1, 2, 3, 4],
        )
    assert text == "1{{ literal }}2{{ literal }}"


def test_jinja_options_changed_after_the_environment_exists_are_ignored(
    app: flask.Flask,
) -> None:
    with app.app_context():
        assert flask.render_template_string("{{ 2 + 3 }}") == "5"
        app.jinja_options = {"variable_start_string": "<<", "variable_end_string": ">>"}
        assert flask.render_template_string("<<2 + 3>>{{ 2 + 3 }}") == "<<2 + 3>>5"


def test_autoescape_in_jinja_options_replaces_the_extension_rules(
    app: flask.Flask,
) -> None:
    app.jinja_options = {"autoescape": False}
    with app.app_context():
        page = flask.render_template("tpl/echo.html", payload="<em>")
        inline = flask.render_template_string("{{ payload }}", payload="<em>")
    assert page == "[<em>]"
    assert inline == "<em>"


def test_subclass_can_change_which_templates_are_autoescaped() -> None:
    class EscapeEverything(flask.Flask):
        def select_jinja_autoescape(self, filename: str | None) -> bool:
            return True

    custom = EscapeEverything("escape_everything", root_path=str(TESTS_DIR))
    with custom.app_context():
        assert flask.render_template("tpl/echo.txt", payload="a<b") == "[a&lt;b]"


# --- where templates are found ------------------------------------------------------


def test_app_template_shadows_blueprint_template_of_the_same_name(
    app: flask.Flask,
) -> None:
    first = _blueprint_with_templates("first")

    @first.route("/layered")
    def layered() -> str:
        return flask.render_template("tpl/layered.html")

    app.register_blueprint(first)
    response = app.test_client().get("/layered")
    assert response.text == "layered page from the application folder"


def test_blueprint_folder_is_used_when_the_app_lacks_the_template(
    app: flask.Flask,
) -> None:
    app.register_blueprint(_blueprint_with_templates("first"))
    app.register_blueprint(_blueprint_with_templates("second"))

    @app.route("/")
    def index() -> str:
        # A view of the application itself can use blueprint templates too.
        return flask.render_template("tpl/second_only.html")

    assert app.test_client().get("/").text == "only second has this"


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (("first", "second"), "claimed by first"),
        (("second", "first"), "claimed by second"),
    ],
)
def test_earliest_registered_blueprint_wins_a_shared_template_name(
    app: flask.Flask, order: tuple[str, str], expected: str
) -> None:
    for name in order:
        app.register_blueprint(_blueprint_with_templates(name))
    with app.app_context():
        assert flask.render_template("tpl/claimed.html") == expected


def test_nested_blueprint_templates_are_searched_after_its_parent(
    app: flask.Flask,
) -> None:
    parent = _blueprint_with_templates("first")
    parent.register_blueprint(_blueprint_with_templates("inner"))
    app.register_blueprint(parent)
    with app.app_context():
        assert flask.render_template("tpl/claimed.html") == "claimed by first"
        assert flask.render_template("tpl/inner_only.html") == "only inner has this"


def test_app_without_template_folder_still_finds_blueprint_templates() -> None:
    bare = flask.Flask("no_folder_app", root_path=str(TESTS_DIR), template_folder=None)
    bare.register_blueprint(_blueprint_with_templates("first"))
    with bare.app_context():
        assert flask.render_template("tpl/layered.html") == (
            "layered page from blueprint first"
        )
        with pytest.raises(jinja2.TemplateNotFound):
            flask.render_template("tpl/echo.html", payload="x")


def test_list_templates_covers_the_app_and_every_blueprint(app: flask.Flask) -> None:
    app.register_blueprint(_blueprint_with_templates("first"))
    app.register_blueprint(_blueprint_with_templates("second"))
    names = app.jinja_env.list_templates()
    assert {
        "tpl/echo.html",
        "tpl/layered.html",
        "tpl/claimed.html",
        "tpl/second_only.html",
        "attribute_module.html",
    } <= set(names)
    # A name present in several folders is listed once.
    assert names.count("tpl/claimed.html") == 1


# --- EXPLAIN_TEMPLATE_LOADING -------------------------------------------------------


@pytest.fixture
def explained_app(
    app: flask.Flask,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> flask.Flask:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    app.register_blueprint(_blueprint_with_templates("first"))
    # A blueprint without a template folder has no loader and is never tried.
    app.register_blueprint(flask.Blueprint("folderless", __name__))
    app.register_blueprint(_blueprint_with_templates("second"))
    _capture_app_log(caplog, monkeypatch, app)
    return app


def test_explained_lookup_logs_every_folder_in_search_order(
    explained_app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with explained_app.app_context():
        assert flask.render_template("tpl/claimed.html") == "claimed by first"

    (message,) = _app_log_text(caplog, explained_app)
    lines = message.splitlines()
    assert lines[0] == "Locating template 'tpl/claimed.html':"
    tried = [line.strip() for line in lines if "trying loader of" in line]
    assert tried == [
        "1: trying loader of application 'flask_test'",
        f"2: trying loader of blueprint 'first' ({__name__})",
        f"3: trying loader of blueprint 'second' ({__name__})",
    ]
    assert "folderless" not in message
    # Each loader's search path is shown, followed by what it found.
    app_folder = str(APP_TEMPLATES)
    first_folder = str(BP_FIXTURES / "first" / "templates")
    second_folder = str(BP_FIXTURES / "second" / "templates")
    assert f"- {app_folder}" in message
    assert f"- {first_folder}" in message
    assert f"- {second_folder}" in message
    outcomes = [line.strip() for line in lines if line.strip().startswith("->")]
    assert outcomes == [
        "-> no match",
        f"-> found ({os.path.join(first_folder, 'tpl', 'claimed.html')!r})",
        f"-> found ({os.path.join(second_folder, 'tpl', 'claimed.html')!r})",
    ]
    # Two folders matched, so the log warns about it.
    assert lines[-1].startswith("Warning:")


def test_explained_lookup_with_a_single_match_has_no_warning(
    explained_app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with explained_app.app_context():
        flask.render_template("tpl/echo.html", payload="-")

    (message,) = _app_log_text(caplog, explained_app)
    found = os.path.join(str(APP_TEMPLATES), "tpl", "echo.html")
    assert f"-> found ({found!r})" in message
    assert message.count("-> no match") == 2
    assert "Warning" not in message
    assert "Error" not in message


def test_explained_lookup_still_prefers_the_app_folder(
    explained_app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with explained_app.app_context():
        text = flask.render_template("tpl/layered.html")
    assert text == "layered page from the application folder"
    (message,) = _app_log_text(caplog, explained_app)
    first_outcome = next(
        line.strip() for line in message.splitlines() if line.strip().startswith("->")
    )
    app_copy = os.path.join(str(APP_TEMPLATES), "tpl", "layered.html")
    assert first_outcome == f"-> found ({app_copy!r})"


def test_explained_lookup_of_a_missing_template_logs_all_places_then_raises(
    explained_app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with explained_app.app_context():
        with pytest.raises(jinja2.TemplateNotFound) as exc_info:
            flask.render_template("tpl/nowhere.html")
    assert exc_info.value.name == "tpl/nowhere.html"

    (message,) = _app_log_text(caplog, explained_app)
    lines = message.splitlines()
    assert lines[0] == "Locating template 'tpl/nowhere.html':"
    assert sum("trying loader of" in line for line in lines) == 3
    assert message.count("-> no match") == 3
    assert "-> found" not in message
    assert lines[-1].startswith("Error:")


def test_explained_failure_inside_a_blueprint_view_mentions_that_blueprint(
    app: flask.Flask,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    shop = flask.Blueprint("shop", __name__)

    @shop.route("/cart")
    def cart() -> str:
        return flask.render_template("tpl/cart.html")

    app.register_blueprint(shop)
    _capture_app_log(caplog, monkeypatch, app)
    app.testing = False
    response = app.test_client().get("/cart")
    assert response.status_code == 500

    (explanation,) = [m for m in _app_log_text(caplog, app) if "Locating" in m]
    # "shop" has no template folder, so it is named only by the hint.
    assert "blueprint 'shop'" in explanation
    assert "trying loader of blueprint" not in explanation


def test_lookups_are_not_logged_by_default(
    app: flask.Flask,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _capture_app_log(caplog, monkeypatch, app, logging.DEBUG)
    with app.app_context():
        # The logger itself works: the assertion below is not vacuous.
        app.logger.debug("probe")
        flask.render_template("tpl/echo.html", payload="-")
        with pytest.raises(jinja2.TemplateNotFound):
            flask.render_template("tpl/nowhere.html")
    assert _app_log_text(caplog, app) == ["probe"]


# --- autoescaping -------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["html", "htm", "xml", "xhtml", "svg"])
def test_markup_file_types_are_autoescaped(app_ctx: t.Any, extension: str) -> None:
    text = flask.render_template(f"tpl/echo.{extension}", payload="<i>&'\"")
    assert text == "[&lt;i&gt;&amp;&#39;&#34;]"


def test_plain_text_templates_are_not_autoescaped(app_ctx: t.Any) -> None:
    assert flask.render_template("tpl/echo.txt", payload="<i>&") == "[<i>&]"


def test_template_strings_are_autoescaped(app_ctx: t.Any) -> None:
    text = flask.render_template_string("{{ payload }}", payload="<img src=x>")
    assert text == "&lt;img src=x&gt;"


def test_select_jinja_autoescape_decisions(app: flask.Flask) -> None:
    assert app.select_jinja_autoescape(None) is True
    for name in ("a.html", "a.htm", "a.xml", "a.xhtml", "a.svg"):
        assert app.select_jinja_autoescape(name) is True
    for name in ("a.txt", "a.js", "a.css", "a.html.j2", "html"):
        assert app.select_jinja_autoescape(name) is False


def test_autoescape_block_switches_escaping_off_inside_html(app_ctx: t.Any) -> None:
    text = flask.render_template("tpl/escape_off_block.html", payload="<u>")
    assert text == "<u>|&lt;u&gt;"


def test_autoescape_block_switches_escaping_on_inside_text(app_ctx: t.Any) -> None:
    text = flask.render_template("tpl/escape_on_block.txt", payload="<u>")
    assert text == "&lt;u&gt;|<u>"


def test_markup_and_safe_values_are_not_escaped_again(app_ctx: t.Any) -> None:
    text = flask.render_template_string(
        "{{ trusted }}|{{ raw|safe }}|{{ raw }}",
        trusted=Markup("<b>ok</b>"),
        raw="<i>x</i>",
    )
    assert text == "<b>ok</b>|<i>x</i>|&lt;i&gt;x&lt;/i&gt;"


def test_user_data_in_an_html_page_cannot_inject_markup(app: flask.Flask) -> None:
    @app.route("/echo")
    def echo() -> str:
        return flask.render_template("tpl/echo.html", payload=flask.request.args["q"])

    response = app.test_client().get("/echo", query_string={"q": HOSTILE})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<script>" not in response.text
    assert "</script>" not in response.text
    assert "<b>" not in response.text
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;pwned&#39;)" in response.text
    assert "&amp; &lt;b&gt;&#34;quoted&#34;&lt;/b&gt;" in response.text


# --- TEMPLATES_AUTO_RELOAD ----------------------------------------------------------


def _reload_app(tmp_path: Path, **config: t.Any) -> tuple[flask.Flask, Path]:
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "note.txt"
    page.write_text("version one")
    app = flask.Flask("reload_app", root_path=str(tmp_path))
    app.config.update(config)
    return app, page


def _rewrite(page: Path, text: str) -> None:
    # Move the modification time well away from the old one, so the change is seen
    # even on file systems with coarse timestamps.
    before = page.stat().st_mtime_ns
    page.write_text(text)
    later = before + 10_000_000_000
    os.utime(page, ns=(later, later))


def _render_twice(app: flask.Flask, page: Path) -> tuple[str, str]:
    with app.app_context():
        first = flask.render_template("note.txt")
        _rewrite(page, "version two")
        second = flask.render_template("note.txt")
    return first, second


def test_templates_auto_reload_true_picks_up_a_changed_file(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path, TEMPLATES_AUTO_RELOAD=True)
    assert app.jinja_env.auto_reload is True
    assert _render_twice(app, page) == ("version one", "version two")


def test_templates_are_cached_when_not_debugging_by_default(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path)
    assert app.config["TEMPLATES_AUTO_RELOAD"] is None
    assert app.jinja_env.auto_reload is False
    assert _render_twice(app, page) == ("version one", "version one")


def test_unset_auto_reload_follows_debug_mode(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path, DEBUG=True)
    assert app.jinja_env.auto_reload is True
    assert _render_twice(app, page) == ("version one", "version two")


def test_auto_reload_false_wins_over_debug_mode(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path, DEBUG=True, TEMPLATES_AUTO_RELOAD=False)
    assert app.jinja_env.auto_reload is False
    assert _render_twice(app, page) == ("version one", "version one")


def test_turning_debug_on_later_enables_reloading(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path)
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert _render_twice(app, page) == ("version one", "version two")


def test_auto_reload_in_jinja_options_wins_over_config(tmp_path: Path) -> None:
    app, page = _reload_app(tmp_path, TEMPLATES_AUTO_RELOAD=True)
    app.jinja_options = {"auto_reload": False}
    assert _render_twice(app, page) == ("version one", "version one")


# --- default globals and the tojson filter ------------------------------------------


def test_request_globals_are_available_in_templates(app: flask.Flask) -> None:
    app.config["SITE_BANNER"] = "Welcome"

    @app.route("/item/<slug>", endpoint="named_endpoint")
    def item(slug: str) -> str:
        return slug

    @app.route("/login")
    def login() -> str:
        flask.session["visitor"] = "ada"
        return "ok"

    @app.route("/page")
    def page() -> str:
        flask.g.marker = "from-g"
        flask.flash("saved", "info")
        flask.flash("check this", "warning")
        return flask.render_template("tpl/request_globals.html")

    client = app.test_client()
    client.get("/login")
    lines = client.get("/page").text.splitlines()
    assert lines == [
        "path=/page",
        "banner=Welcome",
        "visitor=ada",
        "marker=from-g",
        "link=/item/x%20y",
        "flash=info:saved",
        "flash=warning:check this",
    ]


def test_default_globals_are_registered_on_the_environment(app: flask.Flask) -> None:
    env_globals = app.jinja_env.globals
    for name in (
        "config",
        "request",
        "session",
        "g",
        "url_for",
        "get_flashed_messages",
    ):
        assert name in env_globals
    assert env_globals["config"] is app.config


def test_config_g_and_url_for_work_without_a_request(app: flask.Flask) -> None:
    app.config.update(SERVER_NAME="shop.test", SITE_BANNER="Hi")

    @app.route("/about")
    def about() -> str:
        return ""

    with app.app_context():
        flask.g.counter = 3
        text = flask.render_template_string(
            "{{ config.SITE_BANNER }} {{ g.counter }} {{ url_for('about') }}"
        )
    assert text == "Hi 3 http://shop.test/about"


def test_request_in_a_template_outside_a_request_is_an_error(app_ctx: t.Any) -> None:
    with pytest.raises(RuntimeError, match="outside of request context"):
        flask.render_template_string("{{ request.path }}")


def test_rendering_without_touching_the_session_does_not_vary_on_cookie(
    app: flask.Flask,
) -> None:
    @app.route("/plain")
    def plain() -> str:
        return flask.render_template("tpl/echo.html", payload="hello")

    @app.route("/personal")
    def personal() -> str:
        return flask.render_template_string("{{ session.get('visitor', 'nobody') }}")

    client = app.test_client()
    plain_response = client.get("/plain")
    assert plain_response.text == "[hello]"
    assert "Vary" not in plain_response.headers
    personal_response = client.get("/personal")
    assert personal_response.text == "nobody"
    assert personal_response.headers["Vary"] == "Cookie"


def test_tojson_keeps_script_blocks_closed(app: flask.Flask) -> None:
    settings = {"motto": HOSTILE, "apostrophe": "it's", "range": "1 < 2 > 0 & more"}

    @app.route("/settings")
    def show() -> str:
        return flask.render_template(
            "tpl/script_payload.html", title="Settings", settings=settings, note="n"
        )

    page = app.test_client().get("/settings").text
    # The only closing script tag is the template's own.
    assert page.count("</script>") == 1
    assert "<script>alert" not in page
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    for encoded in ("\\u003c", "\\u003e", "\\u0026", "\\u0027"):
        assert encoded in script
    for raw in ("<", ">", "&", "'"):
        assert raw not in script
    # Inside the single-quoted attribute the value cannot end the attribute either.
    attribute = page.split("data-settings='", 1)[1].split("'>", 1)[0]
    assert "'" not in attribute
    assert "<" not in attribute


def test_tojson_output_decodes_back_to_the_original_data(app_ctx: t.Any) -> None:
    data = {"motto": HOSTILE, "numbers": [1, 2.5, None, True]}
    text = flask.render_template_string("{{ data|tojson }}", data=data)
    assert flask.json.loads(text) == data
    # Marked safe: the double quotes of the JSON are not turned into entities.
    assert text.startswith('{"motto": "\\u003c/script\\u003e')


def test_tojson_uses_the_app_json_provider(app: flask.Flask) -> None:
    with app.app_context():
        stamp = flask.render_template_string(
            "{{ when|tojson }}", when=datetime.datetime(2024, 2, 29, 13, 5, 9)
        )
        ordered = flask.render_template_string(
            "{{ data|tojson }}", data={"zebra": 1, "apple": 2}
        )
    assert stamp == '"Thu, 29 Feb 2024 13:05:09 GMT"'
    assert ordered == '{"apple": 2, "zebra": 1}'


def test_tojson_follows_a_custom_json_provider(app: flask.Flask) -> None:
    class Money:
        def __init__(self, cents: int) -> None:
            self.cents = cents

    class MoneyAwareProvider(flask.json.provider.DefaultJSONProvider):
        @staticmethod
        def default(o: t.Any) -> t.Any:
            if isinstance(o, Money):
                return f"{o.cents / 100:.2f} EUR"
            return flask.json.provider.DefaultJSONProvider.default(o)

    app.json = MoneyAwareProvider(app)
    with app.app_context():
        text = flask.render_template_string("{{ price|tojson }}", price=Money(1250))
    assert text == '"12.50 EUR"'


# --- context processors ------------------------------------------------------------


def test_context_processor_values_reach_templates(app: flask.Flask) -> None:
    @app.context_processor
    def shop_details() -> dict[str, t.Any]:
        return {"shop_name": "Corner Store", "open_hours": "9-5"}

    with app.test_request_context():
        text = flask.render_template_string("{{ shop_name }} ({{ open_hours }})")
    assert text == "Corner Store (9-5)"


def test_explicit_render_values_beat_context_processors(app: flask.Flask) -> None:
    @app.context_processor
    def defaults() -> dict[str, t.Any]:
        return {"heading": "processor heading", "footer": "processor footer"}

    @app.context_processor
    def request_values() -> dict[str, t.Any]:
        # Even a processor that fakes a default global does not win.
        return {"request": "not the request"}

    @app.route("/")
    def index() -> str:
        return flask.render_template_string(
            "{{ heading }}|{{ footer }}|{{ request }}",
            heading="explicit heading",
            request="explicit request",
        )

    assert app.test_client().get("/").text == (
        "explicit heading|processor footer|explicit request"
    )


def test_later_context_processors_override_earlier_ones(app: flask.Flask) -> None:
    @app.context_processor
    def first() -> dict[str, t.Any]:
        return {"theme": "light", "lang": "en"}

    @app.context_processor
    def second() -> dict[str, t.Any]:
        return {"theme": "dark"}

    with app.app_context():
        assert flask.render_template_string("{{ theme }}/{{ lang }}") == "dark/en"


def test_blueprint_context_processors_apply_after_the_apps_and_only_to_it(
    app: flask.Flask,
) -> None:
    seen: list[str] = []
    outer = flask.Blueprint("outer", __name__, url_prefix="/outer")
    inner = flask.Blueprint("inner", __name__, url_prefix="/inner")

    @app.context_processor
    def from_app() -> dict[str, t.Any]:
        seen.append("app")
        return {"layer": "app", "app_only": "a"}

    @outer.context_processor
    def from_outer() -> dict[str, t.Any]:
        seen.append("outer")
        return {"layer": "outer", "outer_only": "o"}

    @inner.context_processor
    def from_inner() -> dict[str, t.Any]:
        seen.append("inner")
        return {"layer": "inner"}

    @inner.app_context_processor
    def everywhere() -> dict[str, t.Any]:
        seen.append("everywhere")
        return {"everywhere": "e"}

    source = "{{ layer }} {{ app_only }} {{ outer_only }} {{ everywhere }}"

    @inner.route("/view")
    def inner_view() -> str:
        return flask.render_template_string(source)

    @outer.route("/view")
    def outer_view() -> str:
        return flask.render_template_string(source)

    @app.route("/view")
    def app_view() -> str:
        return flask.render_template_string(source)

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    client = app.test_client()

    assert client.get("/outer/inner/view").text == "inner a o e"
    assert seen == ["app", "everywhere", "outer", "inner"]
    seen.clear()
    assert client.get("/outer/view").text == "outer a o e"
    assert seen == ["app", "everywhere", "outer"]
    seen.clear()
    assert client.get("/view").text == "app a  e"
    assert seen == ["app", "everywhere"]


def test_only_app_context_processors_run_outside_a_request(
    app: flask.Flask,
) -> None:
    section = flask.Blueprint("section", __name__)

    @section.context_processor
    def section_only() -> dict[str, t.Any]:
        return {"where": "section"}

    @app.context_processor
    def app_wide() -> dict[str, t.Any]:
        return {"where": "app"}

    app.register_blueprint(section)
    with app.app_context():
        assert flask.render_template_string("{{ where }}") == "app"


@pytest.mark.usefixtures("asgiref")
def test_async_context_processor_values_are_awaited(app: flask.Flask) -> None:
    @app.context_processor
    async def slow_values() -> dict[str, t.Any]:
        return {"answer": 42}

    with app.test_request_context():
        assert flask.render_template_string("{{ answer }}") == "42"


# --- render_template and render_template_string ------------------------------------


def test_rendered_page_is_returned_as_html(app: flask.Flask) -> None:
    @app.route("/hello/<name>")
    def hello(name: str) -> str:
        return flask.render_template("tpl/echo.html", payload=name)

    response = app.test_client().get("/hello/Grace")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert response.text == "[Grace]"


def test_first_existing_template_of_a_list_is_used(app_ctx: t.Any) -> None:
    text = flask.render_template(
        ["tpl/absent.html", "tpl/echo.txt", "tpl/echo.html"], payload="<x>"
    )
    assert text == "[<x>]"


def test_render_template_accepts_a_template_object(app: flask.Flask) -> None:
    with app.app_context():
        compiled = app.jinja_env.from_string("{{ greeting }}, {{ who }}!")
        assert flask.render_template(compiled, greeting="Hi", who="you") == "Hi, you!"
        chosen = flask.render_template(["tpl/absent.html", compiled], greeting="Yo")
        assert chosen == "Yo, !"


def test_missing_template_raises_template_not_found_with_its_name(
    app_ctx: t.Any,
) -> None:
    with pytest.raises(jinja2.TemplateNotFound) as exc_info:
        flask.render_template("tpl/does_not_exist.html")
    assert exc_info.value.name == "tpl/does_not_exist.html"
    assert str(exc_info.value) == "tpl/does_not_exist.html"


def test_list_with_no_existing_template_raises_templates_not_found(
    app_ctx: t.Any,
) -> None:
    with pytest.raises(jinja2.TemplatesNotFound) as exc_info:
        flask.render_template(["tpl/gone_a.html", "tpl/gone_b.html"])
    assert exc_info.value.templates == ["tpl/gone_a.html", "tpl/gone_b.html"]
    assert "tpl/gone_a.html, tpl/gone_b.html" in str(exc_info.value)


def test_missing_template_in_a_view_is_a_server_error(app: flask.Flask) -> None:
    @app.route("/broken")
    def broken() -> str:
        return flask.render_template("tpl/never_written.html")

    with pytest.raises(jinja2.TemplateNotFound):
        app.test_client().get("/broken")

    app.testing = False
    assert app.test_client().get("/broken").status_code == 500


@pytest.mark.parametrize(
    "call",
    [
        lambda: flask.render_template("tpl/echo.html"),
        lambda: flask.render_template_string("x"),
        lambda: flask.stream_template("tpl/echo.html"),
        lambda: flask.stream_template_string("x"),
    ],
    ids=["render_template", "render_template_string", "stream", "stream_string"],
)
def test_rendering_needs_an_application_context(call: t.Callable[[], t.Any]) -> None:
    with pytest.raises(RuntimeError, match="outside of application context"):
        call()


def test_templates_can_extend_and_include_each_other(app: flask.Flask) -> None:
    app.jinja_env.globals["site"] = "Docs"
    with app.app_context():
        base = app.jinja_env.from_string(
            "<h1>{{ site }}</h1>{% block body %}{% endblock %}"
        )
        text = flask.render_template_string(
            "{% extends base %}{% block body %}{% include 'tpl/echo.html' %}"
            "{% endblock %}",
            base=base,
            payload="<p>",
        )
    assert text == "<h1>Docs</h1>[&lt;p&gt;]"


# --- streaming ----------------------------------------------------------------------


def test_stream_template_in_a_view_reads_the_request_while_streaming(
    app: flask.Flask,
) -> None:
    @app.route("/list")
    def listing() -> flask.Response:
        chunks = flask.stream_template(
            "tpl/rows.html", items=["a", "<b>"], prefix=flask.request.args["p"]
        )
        return app.response_class(chunks, mimetype="text/html")

    @app.route("/list-live")
    def listing_live() -> flask.Response:
        # The template itself reads the request, after the view has returned.
        return app.response_class(
            flask.stream_template_string(
                "{% for i in range(3) %}{{ request.args.p }}{{ i }};{% endfor %}"
            )
        )

    client = app.test_client()
    response = client.get("/list?p=%23")
    assert response.is_streamed
    assert response.text == "<li>#a</li>\n<li>#&lt;b&gt;</li>\n"
    assert client.get("/list-live?p=n").text == "n0;n1;n2;"


def test_stream_template_inside_a_generator_response(app: flask.Flask) -> None:
    @app.route("/report")
    def report() -> t.Any:
        def body() -> t.Iterator[str]:
            yield "start|"
            yield from flask.stream_template_string(
                "{{ request.path }}?{{ request.args.q }}"
            )
            yield "|end"

        # Wrapping keeps the request context alive while the generator runs.
        return flask.stream_with_context(body())

    response = app.test_client().get("/report?q=1")
    assert response.status_code == 200
    assert response.text == "start|/report?1|end"


def test_stream_template_yields_pieces_not_one_string(app: flask.Flask) -> None:
    with app.test_request_context():
        chunks = flask.stream_template("tpl/rows.html", items=[1, 2, 3], prefix="")
        assert not isinstance(chunks, str)
        pieces = list(chunks)
    assert len(pieces) > 1
    assert "".join(pieces) == "<li>1</li>\n<li>2</li>\n<li>3</li>\n"


def test_stream_template_string_works_with_only_an_app_context(
    app: flask.Flask,
) -> None:
    @app.context_processor
    def extra() -> dict[str, t.Any]:
        return {"unit": "kg"}

    with app.app_context():
        pieces = flask.stream_template_string(
            "{% for w in weights %}{{ w }}{{ unit }} {% endfor %}{{ tag }}",
            weights=[1, 2],
            tag="<end>",
        )
        assert "".join(pieces) == "1kg 2kg &lt;end&gt;"


# --- get_template_attribute ---------------------------------------------------------


def test_get_template_attribute_returns_a_callable_macro(app_ctx: t.Any) -> None:
    field = flask.get_template_attribute("tpl/toolkit.html", "field")
    output = field("Total", "<42>")
    assert str(output) == "<label>Total: <output>&lt;42&gt;</output></label>"
    assert flask.get_template_attribute("tpl/toolkit.html", "palette_size") == 16


def test_get_template_attribute_missing_template(app_ctx: t.Any) -> None:
    with pytest.raises(jinja2.TemplateNotFound, match="tpl/no_toolkit.html"):
        flask.get_template_attribute("tpl/no_toolkit.html", "field")


# --- filters, tests and globals -----------------------------------------------------


def test_template_filter_decorator_uses_the_function_name(app: flask.Flask) -> None:
    @app.template_filter()
    def initials(value: str) -> str:
        return "".join(word[0] for word in value.split()).upper()

    assert initials("grace hopper") == "GH"
    with app.app_context():
        assert flask.render_template_string("{{ 'ada king lovelace'|initials }}") == (
            "AKL"
        )


def test_template_filter_decorator_with_a_name(app: flask.Flask) -> None:
    @app.template_filter("cents")
    def to_cents(value: float) -> int:
        return round(value * 100)

    assert "to_cents" not in app.jinja_env.filters
    with app.app_context():
        assert flask.render_template_string("{{ 1.25|cents }}") == "125"


def test_template_filter_keyword_name(app: flask.Flask) -> None:
    @app.template_filter(name="trimmed")
    def strip_all(value: str) -> str:
        return value.strip()

    with app.app_context():
        assert flask.render_template_string("[{{ '  x  '|trimmed }}]") == "[x]"


def test_template_filter_requires_parentheses_in_this_version(
    app: flask.Flask,
) -> None:
    # Without parentheses the function is taken as the filter name: nothing is
    # registered, and the decorated name is bound to a decorator.
    @app.template_filter  # type: ignore[arg-type]
    def shout(value: str) -> str:
        return value.upper()

    assert "shout" not in app.jinja_env.filters
    with app.app_context():
        with pytest.raises(jinja2.TemplateAssertionError, match="shout"):
            flask.render_template_string("{{ 'x'|shout }}")


def test_add_template_filter_with_and_without_a_name(app: flask.Flask) -> None:
    def reverse_words(value: str) -> str:
        return " ".join(reversed(value.split()))

    app.add_template_filter(reverse_words)
    app.add_template_filter(str.title, "headline")
    with app.app_context():
        text = flask.render_template_string(
            "{{ 'one two three'|reverse_words }}/{{ 'big news'|headline }}"
        )
    assert text == "three two one/Big News"


def test_filter_output_is_autoescaped_unless_markup(app: flask.Flask) -> None:
    @app.template_filter()
    def wrap_plain(value: str) -> str:
        return f"<q>{value}</q>"

    @app.template_filter()
    def wrap_markup(value: str) -> Markup:
        return Markup("<q>{}</q>").format(value)

    with app.app_context():
        text = flask.render_template_string(
            "{{ '<x>'|wrap_plain }} {{ '<x>'|wrap_markup }}"
        )
    assert text == "&lt;q&gt;&lt;x&gt;&lt;/q&gt; <q>&lt;x&gt;</q>"


def test_template_test_decorator_with_and_without_a_name(app: flask.Flask) -> None:
    @app.template_test()
    def palindrome(value: str) -> bool:
        return value == value[::-1]

    @app.template_test("leap")
    def is_leap_year(year: int) -> bool:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

    assert palindrome("abba") is True
    assert "is_leap_year" not in app.jinja_env.tests
    with app.app_context():
        text = flask.render_template_string(
            "{{ 'level' is palindrome }} {{ 'lever' is palindrome }} "
            "{{ 2000 is leap }} {{ 1900 is leap }}"
        )
    assert text == "True False True False"


def test_add_template_test_with_and_without_a_name(app: flask.Flask) -> None:
    def blank(value: str) -> bool:
        return not value.strip()

    app.add_template_test(blank)
    app.add_template_test(lambda n: n < 0, "negative")
    with app.app_context():
        text = flask.render_template_string(
            "{{ '  ' is blank }}{{ 'a' is blank }}{{ -3 is negative }}"
        )
    assert text == "TrueFalseTrue"


def test_template_global_decorator_with_and_without_a_name(app: flask.Flask) -> None:
    @app.template_global()
    def copyright_line(year: int) -> str:
        return f"(c) {year} Example"

    @app.template_global("triple")
    def times_three(n: int) -> int:
        return 3 * n

    assert app.jinja_env.globals["copyright_line"] is copyright_line
    assert "times_three" not in app.jinja_env.globals
    with app.app_context():
        text = flask.render_template_string(
            "{{ copyright_line(2025) }} {{ triple(4) }}"
        )
    assert text == "(c) 2025 Example 12"


def test_add_template_global_with_and_without_a_name(app: flask.Flask) -> None:
    def site_title() -> str:
        return "Field Notes"

    app.add_template_global(site_title)
    app.add_template_global(max, "biggest")
    with app.app_context():
        text = flask.render_template_string(
            "{{ site_title() }}: {{ biggest(3, 9, 4) }}"
        )
    assert text == "Field Notes: 9"


def test_blueprint_app_template_helpers_apply_to_every_template(
    app: flask.Flask,
) -> None:
    widgets = flask.Blueprint("widgets", __name__)

    @widgets.app_template_filter()
    def bracket(value: str) -> str:
        return f"[{value}]"

    @widgets.app_template_filter("dashed")
    def dash_join(value: list[str]) -> str:
        return "-".join(value)

    @widgets.app_template_test()
    def short(value: str) -> bool:
        return len(value) < 4

    @widgets.app_template_test("even_length")
    def has_even_length(value: str) -> bool:
        return len(value) % 2 == 0

    @widgets.app_template_global()
    def version() -> str:
        return "v2"

    @widgets.app_template_global("twice")
    def double(n: int) -> int:
        return 2 * n

    widgets.add_app_template_filter(str.lower)
    widgets.add_app_template_filter(str.swapcase, "flip")
    widgets.add_app_template_test(str.isdigit)
    widgets.add_app_template_test(str.isupper, "shouting")
    widgets.add_app_template_global(len)
    widgets.add_app_template_global(sorted, "in_order")

    # Nothing reaches the app before the blueprint is registered.
    assert "bracket" not in app.jinja_env.filters
    app.register_blueprint(widgets)

    @app.route("/")
    def index() -> str:
        return flask.render_template_string(
            "{{ 'a'|bracket }}{{ ['x', 'y']|dashed }}{{ 'ABC'|lower }}{{ 'aB'|flip }}"
            "|{{ 'abc' is short }}{{ 'ab' is even_length }}{{ '12' is isdigit }}"
            "{{ 'HEY' is shouting }}|{{ version() }}{{ twice(5) }}{{ len('four') }}"
            "{{ in_order([3, 1, 2]) }}"
        )

    assert app.test_client().get("/").text == (
        "[a]x-yabcAb|TrueTrueTrueTrue|v2104[1, 2, 3]"
    )


# --- signals ------------------------------------------------------------------------


def test_render_signals_carry_the_app_template_and_full_context(
    app: flask.Flask,
) -> None:
    events: list[tuple[str, t.Any, str | None, dict[str, t.Any]]] = []

    def before(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        events.append(("before", sender, template.name, dict(context)))

    def after(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        events.append(("after", sender, template.name, dict(context)))

    @app.context_processor
    def brand() -> dict[str, t.Any]:
        return {"brand": "Acme"}

    @app.route("/")
    def index() -> str:
        return flask.render_template("tpl/echo.html", payload="signal")

    with flask.before_render_template.connected_to(before, app):
        with flask.template_rendered.connected_to(after, app):
            assert app.test_client().get("/").text == "[signal]"

    assert [(kind, sender, name) for kind, sender, name, _ in events] == [
        ("before", app, "tpl/echo.html"),
        ("after", app, "tpl/echo.html"),
    ]
    for _, _, _, context in events:
        assert context["payload"] == "signal"
        assert context["brand"] == "Acme"
        assert context["request"].path == "/"
        assert "g" in context


def test_before_render_template_receiver_can_add_to_the_context(
    app: flask.Flask,
) -> None:
    def inject(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        context["stamp"] = "injected"

    with flask.before_render_template.connected_to(inject, app):
        with app.app_context():
            text = flask.render_template_string("{{ stamp }}/{{ payload }}", payload=1)
    assert text == "injected/1"


def test_template_string_signals_have_an_unnamed_template(app: flask.Flask) -> None:
    seen: list[tuple[t.Any, str | None, str]] = []

    def record(
        sender: t.Any,
        template: jinja2.Template,
        context: dict[str, t.Any],
        **extra: t.Any,
    ) -> None:
        seen.append((sender, template.name, template.render(context)))

    with flask.template_rendered.connected_to(record, app):
        with app.app_context():
            flask.render_template_string("{{ n * 2 }}", n=21)
    assert seen == [(app, None, "42")]


def test_streamed_template_reports_rendered_only_after_it_is_consumed(
    app: flask.Flask,
) -> None:
    order: list[str] = []

    def before(sender: t.Any, **extra: t.Any) -> None:
        order.append("before")

    def after(sender: t.Any, **extra: t.Any) -> None:
        order.append("rendered")

    with flask.before_render_template.connected_to(before, app):
        with flask.template_rendered.connected_to(after, app):
            with app.test_request_context():
                chunks = flask.stream_template("tpl/rows.html", items=[1], prefix="")
                order.append("returned")
                for _chunk in chunks:
                    order.append("chunk")
    assert order[:2] == ["before", "returned"]
    assert order[-1] == "rendered"
    assert "chunk" in order
    assert order.count("rendered") == 1


def test_render_signals_ignore_receivers_of_another_app(app: flask.Flask) -> None:
    other = flask.Flask("another_app")
    heard: list[t.Any] = []

    def record(sender: t.Any, **extra: t.Any) -> None:
        heard.append(sender)

    with flask.template_rendered.connected_to(record, other):
        with flask.before_render_template.connected_to(record, other):
            with app.app_context():
                flask.render_template_string("quiet")
    assert heard == []
