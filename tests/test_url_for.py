"""Building URLs with ``url_for``: inside and outside requests, options, relative
endpoints, URL defaults and value preprocessors, and build error handlers."""

from __future__ import annotations

import pytest
from werkzeug.routing import BuildError

import flask


@pytest.fixture
def catalogue_app(app):
    @app.route("/")
    def home():
        return "home"

    @app.route("/books/<int:book_id>")
    def book(book_id):
        return f"book {book_id}"

    @app.get("/reviews", endpoint="reviews")
    def read_reviews():
        return "read"

    app.add_url_rule("/reviews/new", "reviews", read_reviews, methods=["POST"])
    return app


# Inside a request --------------------------------------------------------------------


def test_url_is_relative_inside_a_request(catalogue_app):
    with catalogue_app.test_request_context("/", base_url="http://shop.test/app/"):
        assert flask.url_for("book", book_id=5) == "/app/books/5"
        assert flask.url_for("home") == "/app/"


def test_external_url_inside_a_request_uses_request_host(catalogue_app):
    with catalogue_app.test_request_context("/", base_url="http://shop.test:81/"):
        url = flask.url_for("book", book_id=5, _external=True)
    assert url == "http://shop.test:81/books/5"


def test_scheme_implies_external_url(catalogue_app):
    with catalogue_app.test_request_context("/", base_url="http://shop.test/"):
        url = flask.url_for("book", book_id=5, _scheme="https")
    assert url == "https://shop.test/books/5"


def test_scheme_with_external_false_is_value_error(catalogue_app):
    with catalogue_app.test_request_context():
        with pytest.raises(ValueError, match="_external"):
            flask.url_for("home", _scheme="https", _external=False)


def test_anchor_is_quoted(catalogue_app):
    with catalogue_app.test_request_context():
        assert flask.url_for("home", _anchor="top") == "/#top"
        assert flask.url_for("home", _anchor="part 2") == "/#part%202"
        assert flask.url_for("home", _anchor="<été>") == "/#%3C%C3%A9t%C3%A9%3E"
        # Characters allowed in a fragment stay as they are.
        assert flask.url_for("home", _anchor="a/b?c=d") == "/#a/b?c=d"


def test_method_selects_rule_among_those_of_an_endpoint(catalogue_app):
    with catalogue_app.test_request_context():
        assert flask.url_for("reviews", _method="GET") == "/reviews"
        assert flask.url_for("reviews", _method="POST") == "/reviews/new"
        with pytest.raises(BuildError):
            flask.url_for("reviews", _method="DELETE")


def test_extra_values_go_to_the_query_string(catalogue_app):
    with catalogue_app.test_request_context():
        url = flask.url_for("book", book_id=3, lang="fr", q="a b", tag=["x", "y"])
    assert url == "/books/3?lang=fr&q=a+b&tag=x&tag=y"


def test_missing_rule_variable_is_build_error(catalogue_app):
    with catalogue_app.test_request_context():
        with pytest.raises(BuildError) as exc_info:
            flask.url_for("book")
    assert exc_info.value.endpoint == "book"


def test_unknown_endpoint_is_build_error(catalogue_app):
    with catalogue_app.test_request_context():
        with pytest.raises(BuildError, match="nowhere"):
            flask.url_for("nowhere")


def test_dotted_endpoint_is_relative_to_current_blueprint(app, client):
    shop = flask.Blueprint("shop", __name__, url_prefix="/shop")

    @shop.route("/")
    def home():
        return "shop home"

    @shop.route("/links")
    def links():
        return " ".join(
            [flask.url_for(".home"), flask.url_for("home"), flask.url_for("shop.home")]
        )

    @app.route("/")
    def home():  # noqa: F811 - the app's own "home", distinct from the blueprint's
        return "app home"

    app.register_blueprint(shop)
    assert client.get("/shop/links").data == b"/shop/ / /shop/"


def test_dotted_endpoint_in_nested_blueprint_stays_in_innermost(app, client):
    outer = flask.Blueprint("outer", __name__, url_prefix="/o")
    inner = flask.Blueprint("inner", __name__, url_prefix="/i")

    @inner.route("/page")
    def page():
        return flask.url_for(".page") + " " + flask.request.endpoint

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert client.get("/o/i/page").data == b"/o/i/page outer.inner.page"


def test_dotted_endpoint_outside_blueprint_refers_to_app(catalogue_app):
    with catalogue_app.test_request_context("/"):
        assert flask.request.blueprint is None
        assert flask.url_for(".book", book_id=1) == "/books/1"


# Outside a request -----------------------------------------------------------------


def test_outside_request_url_built_from_server_name_and_is_external(catalogue_app):
    catalogue_app.config.update(
        SERVER_NAME="shop.test:8443",
        APPLICATION_ROOT="/store",
        PREFERRED_URL_SCHEME="https",
    )
    with catalogue_app.app_context():
        assert (
            flask.url_for("book", book_id=9) == "https://shop.test:8443/store/books/9"
        )
        assert flask.url_for("book", book_id=9, _external=False) == "/store/books/9"
        assert flask.url_for("book", book_id=9, _scheme="http") == (
            "http://shop.test:8443/store/books/9"
        )


def test_external_url_inside_request_uses_server_name_when_set(catalogue_app):
    catalogue_app.config["SERVER_NAME"] = "shop.test"
    client = catalogue_app.test_client()

    @catalogue_app.route("/where")
    def where():
        return flask.url_for("book", book_id=1, _external=True)

    response = client.get("/where", base_url="http://mirror.test:5000")
    assert response.data == b"http://shop.test/books/1"


def test_app_url_for_works_without_any_context(catalogue_app):
    catalogue_app.config["SERVER_NAME"] = "shop.test"
    assert catalogue_app.url_for("home") == "http://shop.test/"
    assert catalogue_app.url_for("book", book_id=2, _anchor="x") == (
        "http://shop.test/books/2#x"
    )


def test_outside_request_without_server_name_is_runtime_error(catalogue_app):
    with catalogue_app.app_context():
        with pytest.raises(RuntimeError, match="SERVER_NAME"):
            flask.url_for("home")
    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        catalogue_app.url_for("home")


def test_flask_url_for_without_app_context_is_runtime_error():
    with pytest.raises(RuntimeError, match="application context"):
        flask.url_for("home")


def test_server_name_set_after_app_context_pushed_is_not_seen(catalogue_app):
    with catalogue_app.app_context():
        catalogue_app.config["SERVER_NAME"] = "late.test"
        with pytest.raises(RuntimeError, match="SERVER_NAME"):
            flask.url_for("home")
    with catalogue_app.app_context():
        assert flask.url_for("home") == "http://late.test/"


def test_flask_url_for_calls_current_app_url_for():
    calls = []

    class RecordingFlask(flask.Flask):
        def url_for(self, /, endpoint, **kwargs):
            calls.append((endpoint, kwargs))
            return "/recorded"

    app = RecordingFlask("flask_test")
    with app.test_request_context():
        assert flask.url_for("thing", _anchor="a", page=2) == "/recorded"
    assert calls == [
        (
            "thing",
            {
                "_anchor": "a",
                "_method": None,
                "_scheme": None,
                "_external": None,
                "page": 2,
            },
        )
    ]


def test_flask_url_for_uses_the_current_application(app):
    other = flask.Flask("other_app")

    @app.route("/mine")
    def page():
        return ""

    @other.route("/theirs")
    def page():  # noqa: F811 - same endpoint name in a second application
        return ""

    with other.test_request_context():
        assert flask.url_for("page") == "/theirs"
    with app.test_request_context():
        assert flask.url_for("page") == "/mine"


# URL defaults and value preprocessors ---------------------------------------------


def test_url_defaults_inject_values_and_preprocessor_pops_them(app, client):
    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = flask.g.get("lang", "en")

    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        if values is not None:
            flask.g.lang = values.pop("lang", "en")

    @app.route("/<lang>/about")
    def about():
        return f"{flask.g.lang}: {flask.url_for('about')} {flask.url_for('plain')}"

    @app.route("/plain")
    def plain():
        return ""

    assert client.get("/de/about").data == b"de: /de/about /plain"
    with app.test_request_context():
        assert flask.url_for("about") == "/en/about"
        assert flask.url_for("about", lang="it") == "/it/about"


def test_blueprint_url_defaults_apply_only_to_its_endpoints(app):
    region = flask.Blueprint("region", __name__, url_prefix="/<area>")

    @region.url_defaults
    def default_area(endpoint, values):
        values.setdefault("area", "north")

    @region.route("/map")
    def area_map():
        return ""

    @app.route("/map")
    def world_map():
        return ""

    app.register_blueprint(region)
    with app.test_request_context():
        assert flask.url_for("region.area_map") == "/north/map"
        assert flask.url_for("world_map") == "/map"


def test_blueprint_value_preprocessor_pops_value_before_view(app, client):
    region = flask.Blueprint("region", __name__, url_prefix="/<area>")

    @region.url_value_preprocessor
    def take_area(endpoint, values):
        flask.g.area = values.pop("area")

    @region.route("/weather")
    def weather():
        return f"weather in {flask.g.area}"

    app.register_blueprint(region)
    assert client.get("/south/weather").data == b"weather in south"


def test_defaults_and_preprocessors_run_app_first_then_outer_to_inner(app, client):
    order = []
    outer = flask.Blueprint("outer", __name__, url_prefix="/<team>")
    inner = flask.Blueprint("inner", __name__, url_prefix="/tasks")

    def recorder(label):
        def record(endpoint, values):
            order.append((label, endpoint, sorted(values or {})))

        return record

    app.url_value_preprocessor(recorder("app pre"))
    outer.url_value_preprocessor(recorder("outer pre"))
    inner.url_value_preprocessor(recorder("inner pre"))
    app.url_defaults(recorder("app default"))
    outer.url_defaults(recorder("outer default"))
    inner.url_defaults(recorder("inner default"))

    @outer.url_value_preprocessor
    def pop_team(endpoint, values):
        flask.g.team = values.pop("team")

    @outer.url_defaults
    def give_team(endpoint, values):
        values.setdefault("team", flask.g.team)

    @inner.route("/<int:task>")
    def task(task):
        order.append(("view", task))
        return flask.url_for(".task", task=task + 1)

    outer.register_blueprint(inner)
    app.register_blueprint(outer)

    assert client.get("/red/tasks/1").data == b"/red/tasks/2"
    assert order == [
        ("app pre", "outer.inner.task", ["task", "team"]),
        ("outer pre", "outer.inner.task", ["task", "team"]),
        ("inner pre", "outer.inner.task", ["task"]),
        ("view", 1),
        ("app default", "outer.inner.task", ["task"]),
        ("outer default", "outer.inner.task", ["task"]),
        ("inner default", "outer.inner.task", ["task", "team"]),
    ]


# Build error handlers ----------------------------------------------------------------


def test_build_error_handler_supplies_url(catalogue_app):
    seen = []

    def fallback(error, endpoint, values):
        seen.append((type(error), endpoint, values))
        return f"/legacy/{endpoint}"

    catalogue_app.url_build_error_handlers.append(fallback)
    with catalogue_app.test_request_context():
        assert flask.url_for("retired", page=2, _anchor="top") == "/legacy/retired"
    assert seen == [
        (
            BuildError,
            "retired",
            {
                "page": 2,
                "_anchor": "top",
                "_method": None,
                "_scheme": None,
                "_external": False,
            },
        )
    ]


def test_first_build_error_handler_returning_a_value_wins(catalogue_app):
    calls = []

    def declines(error, endpoint, values):
        calls.append("declines")
        return None

    def answers(error, endpoint, values):
        calls.append("answers")
        return "/answered"

    def never(error, endpoint, values):
        calls.append("never")
        return "/never"

    catalogue_app.url_build_error_handlers.extend([declines, answers, never])
    with catalogue_app.test_request_context():
        assert flask.url_for("retired") == "/answered"
    assert calls == ["declines", "answers"]


def test_build_error_reraised_when_no_handler_answers(catalogue_app):
    calls = []

    def declines(error, endpoint, values):
        calls.append(error.endpoint)

    catalogue_app.url_build_error_handlers.append(declines)
    with catalogue_app.test_request_context():
        with pytest.raises(BuildError) as exc_info:
            flask.url_for("retired")
    assert exc_info.value.endpoint == "retired"
    assert calls == ["retired"]


def test_build_error_raised_by_handler_replaces_original(catalogue_app):
    seen = []

    def replace(error, endpoint, values):
        raise BuildError("replacement", {}, None)

    def observe(error, endpoint, values):
        seen.append(error.endpoint)

    catalogue_app.url_build_error_handlers.extend([replace, observe])
    with catalogue_app.test_request_context():
        with pytest.raises(BuildError) as exc_info:
            flask.url_for("retired")
    assert seen == ["replacement"]
    assert exc_info.value.endpoint == "replacement"


def test_build_error_handlers_also_run_outside_requests(catalogue_app):
    catalogue_app.config["SERVER_NAME"] = "shop.test"
    catalogue_app.url_build_error_handlers.append(
        lambda error, endpoint, values: f"external={values['_external']}"
    )
    with catalogue_app.app_context():
        assert flask.url_for("retired") == "external=True"
