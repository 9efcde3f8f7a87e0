"""Registering URL rules and matching requests against them: endpoints, methods,
automatic OPTIONS, converters, redirects, hosts, and malformed request paths."""

from __future__ import annotations

import uuid

import pytest
from werkzeug.routing import BaseConverter
from werkzeug.routing import RequestRedirect
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app

import flask
from flask.debughelpers import FormDataRoutingRedirect


def allowed(response) -> set[str]:
    return {m.strip() for m in response.headers["Allow"].split(",")}


# Registration ------------------------------------------------------------------


def test_route_decorator_registers_view_and_returns_it_unchanged(app, client):
    def shelf():
        return "the shelf"

    assert app.route("/shelf")(shelf) is shelf
    assert app.view_functions["shelf"] is shelf
    assert client.get("/shelf").data == b"the shelf"


def test_endpoint_defaults_to_function_name(app, client):
    @app.route("/catalogue")
    def list_books():
        return flask.request.endpoint

    assert client.get("/catalogue").data == b"list_books"
    with app.test_request_context():
        assert flask.url_for("list_books") == "/catalogue"


def test_route_with_explicit_endpoint_name(app, client):
    @app.route("/c", endpoint="catalogue")
    def whatever():
        return flask.request.endpoint

    assert "whatever" not in app.view_functions
    assert client.get("/c").data == b"catalogue"


def test_add_url_rule_registers_view_function(app, client):
    def lend(book_id):
        return f"lent {book_id}"

    app.add_url_rule("/lend/<int:book_id>", view_func=lend, methods=["POST"])
    assert client.post("/lend/7").data == b"lent 7"
    assert client.get("/lend/7").status_code == 405


@pytest.mark.parametrize("shortcut", ["get", "post", "put", "delete", "patch"])
def test_method_shortcut_accepts_only_its_method(app, client, shortcut):
    @getattr(app, shortcut)("/item")
    def item():
        return flask.request.method

    response = client.open("/item", method=shortcut.upper())
    assert response.status_code == 200
    if shortcut != "get":
        assert client.get("/item").status_code == 405
    other = "PUT" if shortcut != "put" else "POST"
    assert client.open("/item", method=other).status_code == 405


@pytest.mark.parametrize("shortcut", ["get", "post", "put", "delete", "patch"])
def test_method_shortcut_rejects_methods_argument(app, shortcut):
    with pytest.raises(TypeError) as exc_info:
        getattr(app, shortcut)("/item", methods=["GET", "POST"])
    message = str(exc_info.value)
    assert "route" in message
    assert "methods" in message


def test_endpoint_decorator_attaches_view_to_rule_added_without_one(app, client):
    app.add_url_rule("/returns", endpoint="returns")

    @app.endpoint("returns")
    def handle_returns():
        return "returns desk"

    assert app.view_functions["returns"] is handle_returns
    assert client.get("/returns").data == b"returns desk"


def test_view_function_can_be_attached_through_view_functions_dict(app, client):
    app.add_url_rule("/desk", "desk")
    app.view_functions["desk"] = lambda: "front desk"
    assert client.get("/desk").data == b"front desk"


def test_add_url_rule_without_endpoint_or_view_is_an_error(app):
    with pytest.raises(AssertionError):
        app.add_url_rule("/nothing")


def test_different_view_under_existing_endpoint_is_rejected(app):
    @app.route("/a")
    def index():
        return "a"

    def other():
        return "b"

    with pytest.raises(AssertionError) as exc_info:
        app.add_url_rule("/b", "index", other)
    assert (
        "View function mapping is overwriting an existing endpoint function: index"
        in str(exc_info.value)
    )
    assert app.view_functions["index"] is index


def test_same_view_under_same_endpoint_on_several_urls_is_allowed(app, client):
    def archive():
        return flask.request.path

    app.add_url_rule("/archive", view_func=archive)
    app.add_url_rule("/old-archive", view_func=archive)
    assert client.get("/archive").data == b"/archive"
    assert client.get("/old-archive").data == b"/old-archive"


def test_blueprint_rejects_dotted_endpoint_and_dotted_view_name():
    bp = flask.Blueprint("shop", __name__)
    with pytest.raises(ValueError, match="endpoint"):
        bp.add_url_rule("/", "cart.view", lambda: "")

    def view():
        return ""

    view.__name__ = "cart.view"
    with pytest.raises(ValueError, match="view_func"):
        bp.add_url_rule("/", view_func=view)


# Methods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "methods",
    [
        ["POST", "PUT"],
        ("POST", "PUT"),
        {"POST", "PUT"},
        frozenset({"POST", "PUT"}),
        (m for m in ["POST", "PUT"]),
    ],
    ids=["list", "tuple", "set", "frozenset", "generator"],
)
def test_methods_accepts_any_iterable_of_strings(app, client, methods):
    @app.route("/upload", methods=methods)
    def upload():
        return flask.request.method

    assert client.post("/upload").data == b"POST"
    assert client.put("/upload").data == b"PUT"
    assert client.get("/upload").status_code == 405


def test_methods_as_single_string_is_a_type_error(app):
    def upload():
        return ""

    with pytest.raises(TypeError, match="list of strings"):
        app.add_url_rule("/upload", view_func=upload, methods="POST")
    with pytest.raises(TypeError):
        app.route("/upload2", methods="GET")(upload)


def test_lower_case_methods_are_upper_cased(app, client):
    @app.route("/renew", methods=["post", "Patch"])
    def renew():
        return flask.request.method

    assert client.post("/renew").data == b"POST"
    assert client.patch("/renew").data == b"PATCH"
    rule = next(app.url_map.iter_rules("renew"))
    assert {"POST", "PATCH"} <= rule.methods
    assert not any(m.islower() for m in rule.methods)


def test_methods_default_to_get_with_head_and_options(app, client):
    @app.route("/hours")
    def hours():
        return "9 to 5"

    rule = next(app.url_map.iter_rules("hours"))
    assert rule.methods == {"GET", "HEAD", "OPTIONS"}
    head = client.head("/hours")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == "6"
    assert client.post("/hours").status_code == 405


def test_methods_default_to_view_methods_attribute(app, client):
    def stock():
        return flask.request.method

    stock.methods = ["put", "DELETE"]  # type: ignore[attr-defined]
    app.add_url_rule("/stock", view_func=stock)
    assert client.put("/stock").data == b"PUT"
    assert client.delete("/stock").data == b"DELETE"
    assert client.get("/stock").status_code == 405


def test_explicit_methods_beat_view_methods_attribute(app, client):
    def stock():
        return flask.request.method

    stock.methods = ["PUT"]  # type: ignore[attr-defined]
    app.add_url_rule("/stock", view_func=stock, methods=["POST"])
    assert client.post("/stock").data == b"POST"
    assert client.put("/stock").status_code == 405


def test_required_methods_are_added_to_given_methods(app, client):
    def audit():
        return flask.request.method

    audit.required_methods = {"PATCH"}  # type: ignore[attr-defined]
    app.add_url_rule("/audit", view_func=audit, methods=["POST"])
    assert client.post("/audit").data == b"POST"
    assert client.patch("/audit").data == b"PATCH"
    assert client.get("/audit").status_code == 405


def test_wrong_method_is_405_with_allow_header(app, client):
    @app.route("/checkout", methods=["POST", "PUT"])
    def checkout():
        return ""

    response = client.get("/checkout")
    assert response.status_code == 405
    assert allowed(response) == {"POST", "PUT", "OPTIONS"}


def test_unknown_url_is_404(app, client):
    @app.route("/known")
    def known():
        return ""

    assert client.get("/unknown").status_code == 404
    assert client.post("/known/extra").status_code == 404


def test_unmatched_request_has_no_rule_endpoint_or_view_args(app, client):
    @app.errorhandler(404)
    def not_found(error):
        req = flask.request
        return repr((req.url_rule, req.endpoint, req.view_args, req.blueprint)), 404

    response = client.get("/missing")
    assert response.status_code == 404
    assert response.data == b"(None, None, None, None)"


# Automatic OPTIONS ---------------------------------------------------------------


def test_automatic_options_answers_empty_200_with_allow_header(app, client):
    calls = []

    @app.route("/loans", methods=["GET", "POST"])
    def loans():
        calls.append(flask.request.method)
        return "loans"

    response = client.options("/loans")
    assert response.status_code == 200
    assert response.data == b""
    assert allowed(response) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert calls == []


def test_automatic_options_lists_methods_of_every_rule_on_the_url(app, client):
    @app.get("/members")
    def list_members():
        return ""

    @app.post("/members")
    def add_member():
        return ""

    @app.route("/members", methods=["DELETE"])
    def clear_members():
        return ""

    response = client.options("/members")
    assert response.status_code == 200
    assert allowed(response) == {"GET", "HEAD", "POST", "DELETE", "OPTIONS"}


def test_provide_automatic_options_false_argument_disables_options(app, client):
    @app.route("/quiet", provide_automatic_options=False)
    def quiet():
        return ""

    response = client.options("/quiet")
    assert response.status_code == 405
    assert "OPTIONS" not in allowed(response)


def test_provide_automatic_options_false_view_attribute_disables_options(app, client):
    def quiet():
        return ""

    quiet.provide_automatic_options = False  # type: ignore[attr-defined]
    app.add_url_rule("/quiet", view_func=quiet)
    assert client.options("/quiet").status_code == 405


def test_config_can_turn_off_automatic_options(app, client):
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False

    @app.route("/quiet")
    def quiet():
        return ""

    assert client.options("/quiet").status_code == 405


def test_view_attribute_used_when_argument_is_none(app, client):
    def chatty():
        return ""

    chatty.provide_automatic_options = False  # type: ignore[attr-defined]
    app.add_url_rule("/chatty", view_func=chatty, provide_automatic_options=None)
    assert client.options("/chatty").status_code == 405


def test_argument_beats_view_attribute_for_automatic_options(app, client):
    def chatty():
        return "view ran"

    chatty.provide_automatic_options = True  # type: ignore[attr-defined]
    app.add_url_rule(
        "/chatty",
        view_func=chatty,
        methods=["GET", "OPTIONS"],
        provide_automatic_options=False,
    )
    assert client.options("/chatty").data == b"view ran"


def test_view_listing_options_handles_options_itself(app, client):
    @app.route("/custom", methods=["GET", "OPTIONS"])
    def custom():
        if flask.request.method == "OPTIONS":
            return "handled by view", 200, {"Allow": "GET"}
        return "get"

    response = client.options("/custom")
    assert response.data == b"handled by view"
    assert response.headers["Allow"] == "GET"


# Converters and rule options ----------------------------------------------------


def test_default_converters(app, client):
    @app.route("/int/<int:n>")
    def as_int(n):
        return repr(n)

    @app.route("/float/<float:x>")
    def as_float(x):
        return repr(x)

    @app.route("/path/<path:p>")
    def as_path(p):
        return p

    @app.route("/uuid/<uuid:u>")
    def as_uuid(u):
        return f"{type(u).__name__} {u}"

    @app.route("/fmt/<any(csv, json):fmt>")
    def as_any(fmt):
        return fmt

    @app.route("/code/<string(length=3):code>")
    def as_code(code):
        return code

    assert client.get("/int/42").data == b"42"
    assert client.get("/int/forty").status_code == 404
    assert client.get("/float/2.5").data == b"2.5"
    assert client.get("/path/a/b/c.txt").data == b"a/b/c.txt"
    token = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert client.get(f"/uuid/{token}").data == f"UUID {token}".encode()
    assert client.get("/uuid/not-a-uuid").status_code == 404
    assert client.get("/fmt/json").data == b"json"
    assert client.get("/fmt/xml").status_code == 404
    assert client.get("/code/abc").data == b"abc"
    assert client.get("/code/abcd").status_code == 404


def test_custom_converter_in_url_map_matches_and_builds(app, client):
    class CommaList(BaseConverter):
        def to_python(self, value):
            return value.split(",")

        def to_url(self, value):
            return ",".join(BaseConverter.to_url(self, v) for v in value)

    app.url_map.converters["commas"] = CommaList

    @app.route("/tags/<commas:tags>")
    def by_tags(tags):
        return " | ".join(tags)

    assert client.get("/tags/red,green,blue").data == b"red | green | blue"
    with app.test_request_context():
        assert flask.url_for("by_tags", tags=["a", "b"]) == "/tags/a,b"


def test_missing_trailing_slash_redirects_with_308(app, client):
    @app.route("/genres/", methods=["GET", "POST"])
    def genres():
        return "genres"

    response = client.get("/genres")
    assert response.status_code == 308
    assert response.location == "http://localhost/genres/"
    assert client.post("/genres").status_code == 308
    assert client.get("/genres", follow_redirects=True).data == b"genres"


def test_trailing_slash_redirect_keeps_query_string(app, client):
    @app.route("/genres/")
    def genres():
        return repr(sorted(flask.request.args.items()))

    response = client.get("/genres?sort=name&page=2")
    assert response.status_code == 308
    assert response.location == "http://localhost/genres/?sort=name&page=2"


def test_strict_slashes_false_matches_both_forms(app, client):
    @app.route("/authors/", strict_slashes=False)
    def authors():
        return "authors"

    assert client.get("/authors").status_code == 200
    assert client.get("/authors").data == b"authors"
    assert client.get("/authors/").data == b"authors"


def test_rule_without_slash_does_not_match_with_slash(app, client):
    @app.route("/about")
    def about():
        return ""

    assert client.get("/about/").status_code == 404


def test_redirect_to_option_redirects_without_calling_view(app, client):
    @app.route("/new-home")
    def new_home():
        return "new"

    @app.route("/old-home", redirect_to="/new-home")
    def old_home():
        raise AssertionError("must not run")

    response = client.get("/old-home")
    assert response.status_code == 308
    assert response.location == "http://localhost/new-home"


def test_defaults_option_fills_view_arguments(app, client):
    @app.route("/results/", defaults={"page": 1})
    @app.route("/results/<int:page>")
    def results(page):
        return f"page {page}"

    assert client.get("/results/").data == b"page 1"
    assert client.get("/results/4").data == b"page 4"
    # The explicit URL for the default value redirects to the canonical one.
    response = client.get("/results/1")
    assert response.status_code == 308
    assert response.location == "http://localhost/results/"


def test_merge_slashes_option_reaches_the_rule(app, client):
    @app.route("/tidy/shelf/<int:n>")
    def tidy(n):
        return str(n)

    @app.route("/exact/shelf/<int:n>", merge_slashes=False)
    def exact(n):
        return str(n)

    response = client.get("/tidy//shelf/3")
    assert response.status_code == 308
    assert response.location == "http://localhost/tidy/shelf/3"
    assert client.get("/exact//shelf/3").status_code == 404
    assert client.get("/exact/shelf/3").data == b"3"


class _Moved(RequestRedirect):
    code = 301


class _ShortRedirect(RequestRedirect):
    code = 307


def _legacy_converter(redirect_class):
    # A converter that sends old-style slugs to their canonical URL, which lets a
    # routing redirect use any status code.
    class LegacySlug(BaseConverter):
        regex = "old-[a-z]+"

        def to_python(self, value):
            raise redirect_class(f"http://localhost/books/{value[4:]}")

    return LegacySlug


def _app_with_legacy_route(app, redirect_class):
    app.url_map.converters["legacy"] = _legacy_converter(redirect_class)

    @app.route("/books/<legacy:slug>", methods=["GET", "POST"])
    def book(slug):
        return slug


def test_debug_post_with_301_routing_redirect_raises_form_data_error(app, client):
    _app_with_legacy_route(app, _Moved)
    app.debug = True
    with pytest.raises(FormDataRoutingRedirect) as exc_info:
        client.post("/books/old-dune", data={"note": "x"})
    message = str(exc_info.value)
    assert "http://localhost/books/old-dune" in message
    assert "http://localhost/books/dune" in message
    assert "307" in message and "308" in message
    assert "debug mode" in message


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_debug_302_routing_redirect_for_body_methods_raises(app, client, method):
    class Found(RequestRedirect):
        code = 302

    app.url_map.converters["legacy"] = _legacy_converter(Found)

    @app.route("/books/<legacy:slug>", methods=["PUT", "DELETE", "PATCH"])
    def book(slug):
        return slug

    app.debug = True
    with pytest.raises(FormDataRoutingRedirect, match="canonical URL"):
        client.open("/books/old-dune", method=method)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_debug_301_routing_redirect_for_safe_methods_redirects(app, client, method):
    _app_with_legacy_route(app, _Moved)
    app.debug = True
    response = client.open("/books/old-dune", method=method)
    assert response.status_code == 301
    assert response.location == "http://localhost/books/dune"


def test_form_data_error_mentions_missing_trailing_slash(app, client):
    class SlashRedirect(RequestRedirect):
        code = 301

    class NeedsSlash(BaseConverter):
        regex = "[a-z]+"

        def to_python(self, value):
            raise SlashRedirect(f"http://localhost/shelves/{value}/")

    app.url_map.converters["needs_slash"] = NeedsSlash

    @app.route("/shelves/<needs_slash:name>", methods=["POST"])
    def shelf(name):
        return name

    app.debug = True
    with pytest.raises(FormDataRoutingRedirect) as exc_info:
        client.post("/shelves/poetry")
    assert "slash" in str(exc_info.value)
    assert "http://localhost/shelves/poetry/" in str(exc_info.value)


def test_debug_get_with_301_routing_redirect_redirects(app, client):
    _app_with_legacy_route(app, _Moved)
    app.debug = True
    response = client.get("/books/old-dune")
    assert response.status_code == 301
    assert response.location == "http://localhost/books/dune"


def test_post_with_301_routing_redirect_redirects_outside_debug(app, client):
    _app_with_legacy_route(app, _Moved)
    response = client.post("/books/old-dune")
    assert response.status_code == 301
    assert response.location == "http://localhost/books/dune"


def test_debug_post_with_307_routing_redirect_redirects(app, client):
    _app_with_legacy_route(app, _ShortRedirect)
    app.debug = True
    response = client.post("/books/old-dune")
    assert response.status_code == 307


def test_debug_post_to_url_missing_slash_gets_308(app, client):
    @app.route("/forms/", methods=["POST"])
    def forms():
        return "posted"

    app.debug = True
    response = client.post("/forms")
    assert response.status_code == 308
    assert response.location == "http://localhost/forms/"


# Hosts and subdomains ------------------------------------------------------------


@pytest.fixture
def subdomain_app():
    app = flask.Flask("flask_test", subdomain_matching=True)
    app.config.update(TESTING=True, SERVER_NAME="library.test")

    @app.route("/")
    def main_site():
        return "main"

    @app.route("/", subdomain="api")
    def api_root():
        return "api"

    @app.route("/profile", subdomain="<member>")
    def profile(member):
        return f"profile of {member}"

    return app


def test_subdomain_rules_match_their_subdomain(subdomain_app):
    client = subdomain_app.test_client()
    assert client.get("/", base_url="http://library.test").data == b"main"
    assert client.get("/", base_url="http://api.library.test").data == b"api"
    response = client.get("/profile", base_url="http://ann.library.test")
    assert response.data == b"profile of ann"


def test_url_for_builds_subdomain_urls_from_server_name(subdomain_app):
    with subdomain_app.app_context():
        assert flask.url_for("api_root") == "http://api.library.test/"
        assert flask.url_for("profile", member="bo") == "http://bo.library.test/profile"
    with subdomain_app.test_request_context("/", base_url="http://library.test"):
        # Same host: relative; another subdomain: absolute.
        assert flask.url_for("main_site") == "/"
        assert flask.url_for("api_root") == "http://api.library.test/"


def test_subdomain_matching_unknown_subdomain_is_404(subdomain_app):
    client = subdomain_app.test_client()
    assert client.get("/", base_url="http://shop.library.test").status_code == 404


def test_subdomain_matching_host_outside_server_name_warns_and_is_404(
    subdomain_app,
):
    client = subdomain_app.test_client()
    with pytest.warns(UserWarning, match="server name"):
        response = client.get("/", base_url="http://elsewhere.test")
    assert response.status_code == 404


def test_without_subdomain_matching_every_host_is_the_default_subdomain(app):
    app.config["SERVER_NAME"] = "library.test"

    @app.route("/")
    def main_site():
        return "main " + flask.request.host

    @app.route("/", subdomain="api")
    def api_root():
        return "api"

    client = app.test_client()
    assert client.get("/", base_url="http://library.test").data == b"main library.test"
    # The subdomain rule never matches; "api." is served the default rule.
    assert client.get("/", base_url="http://api.library.test").data == (
        b"main api.library.test"
    )
    # SERVER_NAME does not restrict which hosts are served.
    assert client.get("/", base_url="http://other.test").data == b"main other.test"


def test_host_matching_routes_by_host(tmp_path):
    (tmp_path / "logo.txt").write_text("logo")
    app = flask.Flask(
        "flask_test",
        host_matching=True,
        static_host="cdn.test",
        static_folder=str(tmp_path),
        static_url_path="/assets",
    )

    @app.route("/", host="books.test")
    def books():
        return "books"

    @app.route("/", host="<branch>.branches.test")
    def branch(branch):
        return f"branch {branch}"

    client = app.test_client()
    assert client.get("/", base_url="http://books.test").data == b"books"
    assert client.get("/", base_url="http://north.branches.test").data == (
        b"branch north"
    )
    assert client.get("/", base_url="http://unknown.test").status_code == 404
    static = client.get("/assets/logo.txt", base_url="http://cdn.test")
    assert static.status_code == 200
    assert static.data == b"logo"
    static.close()
    response = client.get("/assets/logo.txt", base_url="http://books.test")
    assert response.status_code == 404

    with app.test_request_context("/", base_url="http://books.test"):
        assert flask.url_for("books") == "/"
        assert flask.url_for("branch", branch="east") == "http://east.branches.test/"
        assert flask.url_for("static", filename="logo.txt") == (
            "http://cdn.test/assets/logo.txt"
        )


@pytest.mark.parametrize(
    "options", [{"host_matching": True}, {"static_host": "cdn.test"}]
)
def test_static_host_and_host_matching_must_go_together(options):
    with pytest.raises(AssertionError, match="static_host"):
        flask.Flask("flask_test", **options)


@pytest.fixture
def trusted_app(app):
    app.config["TRUSTED_HOSTS"] = ["library.test", ".branches.test"]
    reached = []

    @app.before_request
    def record():
        reached.append(flask.request.host)

    @app.route("/")
    def index():
        return "hello " + flask.request.host

    app.reached = reached  # type: ignore[attr-defined]
    return app


def test_trusted_host_is_served(trusted_app):
    client = trusted_app.test_client()
    assert client.get("/", base_url="http://library.test").data == b"hello library.test"
    response = client.get("/", base_url="http://library.test:8000")
    assert response.data == b"hello library.test:8000"


def test_untrusted_host_is_400_before_routing(trusted_app):
    client = trusted_app.test_client()
    assert client.get("/", base_url="http://evil.test").status_code == 400
    # An unknown URL on an untrusted host is still 400: routing never ran.
    assert client.get("/missing", base_url="http://evil.test").status_code == 400
    assert trusted_app.reached == []


def test_untrusted_host_error_reaches_400_handler(trusted_app):
    @trusted_app.errorhandler(400)
    def bad_request(error):
        return f"rejected: {type(error).__name__}", 400

    response = trusted_app.test_client().get("/", base_url="http://evil.test")
    assert response.status_code == 400
    assert response.data == b"rejected: SecurityError"


def test_trusted_host_with_leading_dot_matches_domain_and_subdomains(trusted_app):
    client = trusted_app.test_client()
    for host in ["branches.test", "north.branches.test", "a.b.branches.test"]:
        response = client.get("/", base_url=f"http://{host}")
        assert response.data == f"hello {host}".encode()
    assert client.get("/", base_url="http://notbranches.test").status_code == 400


# Malformed request paths -----------------------------------------------------------


def _call_raw(app, path_info: str, query_string: str = ""):
    """Call the app with PATH_INFO and QUERY_STRING as a server would pass them:
    PATH_INFO already percent-decoded and carried as latin-1 characters."""
    environ = EnvironBuilder(path="/").get_environ()
    environ["PATH_INFO"] = path_info
    environ["QUERY_STRING"] = query_string
    app_iter, status, headers = run_wsgi_app(app, environ)
    body = b"".join(app_iter)
    return int(status.split()[0]), body


@pytest.fixture
def echo_app(app):
    @app.route("/")
    def index():
        return repr(sorted(flask.request.args.items()))

    @app.route("/shelf/<int:n>")
    def shelf(n):
        return f"shelf {n}"

    @app.route("/files/<path:name>")
    def files(name):
        return name

    return app


def test_bad_percent_escape_in_path_is_not_a_server_error(echo_app):
    status, body = _call_raw(echo_app, "/files/%zz")
    assert status == 200
    assert body == b"%zz"
    client = echo_app.test_client()
    assert client.get("/files/%zz").data == b"%zz"
    assert client.get("/%zz").status_code == 404


def test_lone_percent_in_path_is_not_a_server_error(echo_app):
    client = echo_app.test_client()
    assert client.get("/%").status_code == 404
    assert client.get("/files/%").data == b"%"


def test_non_utf8_bytes_in_path_are_not_a_server_error(echo_app):
    status, body = _call_raw(echo_app, "/files/\xff\xfe")
    assert status == 200
    assert body == "\ufffd\ufffd".encode()
    client = echo_app.test_client()
    assert client.get("/%ff%fe").status_code == 404
    assert client.get("/shelf/%ff").status_code == 404


def test_non_utf8_bytes_in_query_string_are_not_a_server_error(echo_app):
    status, body = _call_raw(echo_app, "/", "a=%ff&b=ok")
    assert status < 500
    assert b"'b', 'ok'" in body
    client = echo_app.test_client()
    response = client.get("/?a=%ff%fe&c=%")
    assert response.status_code == 200
