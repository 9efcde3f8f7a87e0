"""Application and request contexts, and the context-local proxies over them."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import typing as t
from contextvars import ContextVar

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.local import LocalProxy
from werkzeug.routing import MapAdapter

import flask
from flask import globals as flask_globals
from flask.ctx import _AppCtxGlobals
from flask.ctx import AppContext
from flask.ctx import RequestContext

NO_APP = "Working outside of application context."
NO_REQUEST = "Working outside of request context."


def _current(proxy: t.Any) -> t.Any:
    """The object a proxy stands for right now."""
    return proxy._get_current_object()


# Proxies and context variables ------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["current_app", "g", "request", "session", "app_ctx", "request_ctx"]
)
def test_globals_are_werkzeug_local_proxies(name: str) -> None:
    assert type(getattr(flask_globals, name)) is LocalProxy


@pytest.mark.parametrize("name", ["current_app", "g", "request", "session"])
def test_package_exports_the_same_proxies_as_globals_module(name: str) -> None:
    assert getattr(flask, name) is getattr(flask_globals, name)


def test_context_variables_have_public_names() -> None:
    assert isinstance(flask_globals._cv_app, ContextVar)
    assert isinstance(flask_globals._cv_request, ContextVar)
    assert flask_globals._cv_app.name == "flask.app_ctx"
    assert flask_globals._cv_request.name == "flask.request_ctx"


def test_proxies_resolve_through_the_context_variables(app: flask.Flask) -> None:
    with app.test_request_context("/where") as req_ctx:
        app_ctx = flask_globals._cv_app.get()
        assert flask_globals._cv_request.get() is req_ctx
        assert _current(flask_globals.request_ctx) is req_ctx
        assert _current(flask_globals.app_ctx) is app_ctx
        assert _current(flask.current_app) is app
        assert _current(flask.g) is app_ctx.g
        assert _current(flask.request) is req_ctx.request
        assert _current(flask.session) is req_ctx.session
        assert flask.request.path == "/where"


@pytest.mark.parametrize(
    "use",
    [
        lambda: flask.current_app.name,
        lambda: flask.g.anything,
        lambda: flask_globals.app_ctx.app,
    ],
    ids=["current_app", "g", "app_ctx"],
)
def test_app_proxies_outside_a_context_explain_the_problem(
    use: t.Callable[[], t.Any],
) -> None:
    with pytest.raises(RuntimeError) as info:
        use()
    first_line, _, hint = str(info.value).partition("\n")
    assert first_line == NO_APP
    assert hint.strip()


@pytest.mark.parametrize(
    "use",
    [
        lambda: flask.request.path,
        lambda: flask.session.get("user"),
        lambda: flask_globals.request_ctx.request,
    ],
    ids=["request", "session", "request_ctx"],
)
def test_request_proxies_outside_a_request_explain_the_problem(
    app: flask.Flask, use: t.Callable[[], t.Any]
) -> None:
    # An application context alone is not enough for the request proxies.
    with app.app_context():
        with pytest.raises(RuntimeError) as info:
            use()
    first_line, _, hint = str(info.value).partition("\n")
    assert first_line == NO_REQUEST
    assert hint.strip()


def test_has_context_helpers_follow_what_is_pushed(app: flask.Flask) -> None:
    assert (flask.has_app_context(), flask.has_request_context()) == (False, False)
    with app.app_context():
        assert (flask.has_app_context(), flask.has_request_context()) == (True, False)
        with app.test_request_context():
            assert (flask.has_app_context(), flask.has_request_context()) == (
                True,
                True,
            )
        assert (flask.has_app_context(), flask.has_request_context()) == (True, False)
    assert (flask.has_app_context(), flask.has_request_context()) == (False, False)


# AppContext ---------------------------------------------------------------------------


def test_app_context_exposes_app_g_and_url_adapter(app: flask.Flask) -> None:
    ctx = app.app_context()
    assert isinstance(ctx, AppContext)
    assert ctx.app is app
    assert isinstance(ctx.g, _AppCtxGlobals)
    # Without SERVER_NAME there is nothing to build URLs against.
    assert ctx.url_adapter is None

    app.config["SERVER_NAME"] = "shop.test"

    @app.route("/cart")
    def cart() -> str:
        return ""

    adapter = app.app_context().url_adapter
    assert isinstance(adapter, MapAdapter)
    assert adapter.build("cart", force_external=True) == "http://shop.test/cart"


def test_app_context_push_and_pop_by_hand(app: flask.Flask) -> None:
    ctx = app.app_context()
    ctx.push()
    try:
        assert _current(flask.current_app) is app
        assert _current(flask_globals.app_ctx) is ctx
    finally:
        ctx.pop()
    assert not flask.has_app_context()


def test_app_context_manager_returns_the_context_and_passes_exception_to_teardown(
    app: flask.Flask,
) -> None:
    seen: list[t.Any] = []
    app.teardown_appcontext(seen.append)
    failure = ValueError("inside")

    with pytest.raises(ValueError):
        with app.app_context() as ctx:
            assert isinstance(ctx, AppContext)
            raise failure

    with app.app_context():
        pass

    assert seen == [failure, None]


def test_app_context_pushed_twice_tears_down_only_on_last_pop(
    app: flask.Flask,
) -> None:
    log: list[str] = []
    app.teardown_appcontext(lambda exc: log.append("teardown"))

    def on_pushed(sender: flask.Flask, **kw: t.Any) -> None:
        log.append("pushed")

    def on_popped(sender: flask.Flask, **kw: t.Any) -> None:
        log.append("popped")

    ctx = app.app_context()
    with flask.appcontext_pushed.connected_to(on_pushed, app):
        with flask.appcontext_popped.connected_to(on_popped, app):
            ctx.push()
            flask.g.kept = "across pushes"
            ctx.push()
            assert flask.g.kept == "across pushes"
            ctx.pop()
            log.append("first pop done")
            assert flask.g.kept == "across pushes"
            ctx.pop()

    assert log == ["pushed", "pushed", "popped", "first pop done", "teardown", "popped"]
    assert not flask.has_app_context()


def test_nested_app_contexts_of_two_apps_restore_the_outer_one(
    app: flask.Flask,
) -> None:
    other = flask.Flask("other_app")
    with app.app_context():
        flask.g.owner = "first"
        with other.app_context():
            assert flask.current_app.name == "other_app"
            assert "owner" not in flask.g
        assert _current(flask.current_app) is app
        assert flask.g.owner == "first"


def test_popping_the_wrong_app_context_is_an_assertion_error(
    app: flask.Flask,
) -> None:
    def scenario() -> None:
        first = app.app_context()
        second = app.app_context()
        first.push()
        second.push()
        with pytest.raises(AssertionError):
            first.pop()

    # Run in a throwaway copy of the context, so the mess is not left behind.
    contextvars.copy_context().run(scenario)
    assert not flask.has_app_context()


# RequestContext ----------------------------------------------------------------------


def test_request_context_exposes_request_session_adapter_and_flashes(
    app: flask.Flask,
) -> None:
    @app.route("/items/<int:item_id>")
    def item(item_id: int) -> str:
        return ""

    ctx = app.test_request_context("/items/7?sort=asc", method="GET")
    assert isinstance(ctx, RequestContext)
    assert ctx.app is app
    assert ctx.request.path == "/items/7"
    assert ctx.request.args["sort"] == "asc"
    assert isinstance(ctx.url_adapter, MapAdapter)
    assert ctx.flashes is None

    with ctx:
        assert ctx.request.url_rule is not None
        assert ctx.request.url_rule.rule == "/items/<int:item_id>"
        assert ctx.request.view_args == {"item_id": 7}
        assert ctx.request.endpoint == "item"
        assert isinstance(ctx.session, flask.sessions.SecureCookieSession)
        assert _current(flask.session) is ctx.session


def test_request_context_session_is_unavailable_before_push(app: flask.Flask) -> None:
    ctx = app.test_request_context()
    with pytest.raises(AssertionError):
        ctx.session  # noqa: B018


def test_request_context_built_from_environ(app: flask.Flask) -> None:
    environ = app.test_request_context("/raw", method="PUT").request.environ
    ctx = app.request_context(environ)
    assert isinstance(ctx, RequestContext)
    assert ctx.request.method == "PUT"
    assert ctx.request.path == "/raw"
    assert ctx.request.json_module is app.json


def test_match_request_stores_rule_or_routing_error(app: flask.Flask) -> None:
    @app.route("/known")
    def known() -> str:
        return ""

    hit = app.test_request_context("/known")
    hit.match_request()
    assert hit.request.url_rule is not None
    assert hit.request.url_rule.endpoint == "known"
    assert hit.request.view_args == {}
    assert hit.request.routing_exception is None

    miss = app.test_request_context("/unknown")
    miss.match_request()
    assert miss.request.url_rule is None
    assert isinstance(miss.request.routing_exception, NotFound)


def test_request_context_pushes_and_pops_its_own_app_context(
    app: flask.Flask,
) -> None:
    torn_down: list[t.Any] = []
    app.teardown_appcontext(torn_down.append)

    ctx = app.test_request_context()
    ctx.push()
    try:
        app_ctx = _current(flask_globals.app_ctx)
        assert isinstance(app_ctx, AppContext)
        assert app_ctx.app is app
    finally:
        ctx.pop()

    assert torn_down == [None]
    assert not flask.has_app_context()


def test_request_context_reuses_active_app_context_of_same_app(
    app: flask.Flask,
) -> None:
    torn_down: list[t.Any] = []
    app.teardown_appcontext(torn_down.append)

    with app.app_context() as outer:
        flask.g.user = "ada"
        with app.test_request_context():
            assert _current(flask_globals.app_ctx) is outer
            assert flask.g.user == "ada"
            flask.g.from_request = True
        assert torn_down == []
        assert _current(flask_globals.app_ctx) is outer
        assert flask.g.from_request is True

    assert torn_down == [None]


def test_request_context_pushes_new_app_context_for_another_app(
    app: flask.Flask,
) -> None:
    other = flask.Flask("other_app")
    with app.app_context() as outer:
        flask.g.user = "ada"
        with other.test_request_context():
            inner = _current(flask_globals.app_ctx)
            assert inner is not outer
            assert inner.app is other
            assert _current(flask.current_app) is other
            assert "user" not in flask.g
        assert _current(flask_globals.app_ctx) is outer
        assert flask.g.user == "ada"


def test_request_context_teardown_receives_exception_from_with_block(
    app: flask.Flask,
) -> None:
    seen: list[t.Any] = []
    app.teardown_request(seen.append)
    app.teardown_appcontext(seen.append)
    failure = KeyError("x")

    with pytest.raises(KeyError):
        with app.test_request_context():
            raise failure

    assert seen == [failure, failure]


def test_copy_shares_request_and_session_but_is_a_new_context(
    app: flask.Flask,
) -> None:
    with app.test_request_context("/orig") as ctx:
        flask.session["cart"] = ["apple"]
        copied = ctx.copy()
        assert isinstance(copied, RequestContext)
        assert copied is not ctx
        assert copied.app is app
        assert copied.request is ctx.request
        assert copied.session is ctx.session

    with copied:
        assert flask.request.path == "/orig"
        assert flask.session["cart"] == ["apple"]


def test_popping_the_wrong_request_context_is_an_assertion_error(
    app: flask.Flask,
) -> None:
    def scenario() -> None:
        first = app.test_request_context("/first")
        second = app.test_request_context("/second")
        first.push()
        second.push()
        with pytest.raises(AssertionError):
            first.pop()

    contextvars.copy_context().run(scenario)
    assert not flask.has_request_context()


# g ---------------------------------------------------------------------------------------


def test_g_is_an_attribute_namespace(app_ctx: AppContext) -> None:
    g = flask.g
    g.color = "red"
    assert g.color == "red"
    assert "color" in g
    assert "size" not in g
    assert g.get("color") == "red"
    assert g.get("size") is None
    assert g.get("size", 3) == 3

    del g.color
    assert "color" not in g
    with pytest.raises(AttributeError):
        g.color  # noqa: B018


def test_g_pop_with_and_without_default(app_ctx: AppContext) -> None:
    flask.g.token = "abc"
    assert flask.g.pop("token") == "abc"
    assert "token" not in flask.g
    assert flask.g.pop("token", "fallback") == "fallback"
    assert flask.g.pop("token", None) is None
    with pytest.raises(KeyError):
        flask.g.pop("token")


def test_g_setdefault_keeps_existing_value(app_ctx: AppContext) -> None:
    assert flask.g.setdefault("hits", 1) == 1
    assert flask.g.hits == 1
    assert flask.g.setdefault("hits", 99) == 1
    assert flask.g.setdefault("empty") is None
    assert "empty" in flask.g


def test_g_iterates_over_stored_names(app_ctx: AppContext) -> None:
    flask.g.alpha = 1
    flask.g.beta = 2
    assert sorted(flask.g) == ["alpha", "beta"]


def test_g_repr_names_the_app(app: flask.Flask) -> None:
    with app.app_context():
        assert repr(flask.g) == "<flask.g of 'flask_test'>"


def test_each_app_context_gets_a_fresh_g(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    with app.app_context():
        flask.g.leftover = "first"
    with app.app_context():
        assert "leftover" not in flask.g

    seen: list[bool] = []

    @app.route("/")
    def index() -> str:
        seen.append("visited" in flask.g)
        flask.g.visited = True
        return ""

    client.get("/")
    client.get("/")
    assert seen == [False, False]


def test_app_ctx_globals_class_can_be_replaced(app: flask.Flask) -> None:
    class CountingGlobals(_AppCtxGlobals):
        counter = 0

    app.app_ctx_globals_class = CountingGlobals
    with app.app_context() as ctx:
        assert isinstance(ctx.g, CountingGlobals)
        assert flask.g.counter == 0


# after_this_request ---------------------------------------------------------------------


def test_after_this_request_outside_a_request_is_a_runtime_error(
    app: flask.Flask,
) -> None:
    def hook(response: flask.Response) -> flask.Response:
        return response

    with pytest.raises(RuntimeError, match="after_this_request"):
        flask.after_this_request(hook)
    with app.app_context():
        with pytest.raises(RuntimeError, match="after_this_request"):
            flask.after_this_request(hook)


def test_after_this_request_modifies_only_the_current_response(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.route("/")
    def index() -> str:
        if flask.request.args.get("mark"):

            @flask.after_this_request
            def add_header(response: flask.Response) -> flask.Response:
                response.headers["X-Marked"] = flask.request.args["mark"]
                return response

        return "body"

    assert client.get("/?mark=blue").headers["X-Marked"] == "blue"
    assert "X-Marked" not in client.get("/").headers


def test_after_this_request_from_before_request_can_replace_response(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.before_request
    def plan() -> None:
        flask.after_this_request(lambda response: flask.Response("swapped", 201))

    @app.route("/")
    def index() -> str:
        return "original"

    response = client.get("/")
    assert response.status_code == 201
    assert response.data == b"swapped"


def test_after_this_request_returns_the_function(req_ctx: RequestContext) -> None:
    def hook(response: flask.Response) -> flask.Response:
        return response

    assert flask.after_this_request(hook) is hook


# copy_current_request_context ------------------------------------------------------------


def test_copy_current_request_context_outside_a_request_is_a_runtime_error(
    app: flask.Flask,
) -> None:
    with pytest.raises(RuntimeError, match="copy_current_request_context"):
        flask.copy_current_request_context(lambda: None)
    with app.app_context():
        with pytest.raises(RuntimeError, match="copy_current_request_context"):
            flask.copy_current_request_context(lambda: None)


def _view_leaving_work_behind(
    app: flask.Flask, jobs: list[t.Callable[[], t.Any]]
) -> None:
    """A view that sets the session and leaves a job, bound to its request, to run
    after the response is sent."""

    @app.route("/report")
    def report() -> str:
        flask.session["user"] = "grace"
        view_request = _current(flask.request)
        view_session = _current(flask.session)

        @flask.copy_current_request_context
        def job(suffix: str) -> tuple[t.Any, ...]:
            return (
                _current(flask.request) is view_request,
                _current(flask.session) is view_session,
                flask.request.args["topic"] + suffix,
                flask.session["user"],
                flask.current_app.name,
            )

        jobs.append(job)
        return "queued"


def test_copied_context_function_runs_in_thread_after_view_returned(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    jobs: list[t.Callable[..., t.Any]] = []
    _view_leaving_work_behind(app, jobs)
    assert client.get("/report?topic=sales").data == b"queued"
    assert not flask.has_request_context()

    results: list[t.Any] = []
    worker = threading.Thread(target=lambda: results.append(jobs[0]("!")))
    worker.start()
    worker.join()

    assert results == [(True, True, "sales!", "grace", "flask_test")]
    assert not flask.has_request_context()


def test_copied_context_function_runs_in_greenlet(
    app: flask.Flask, client: flask.testing.FlaskClient, greenlet: t.Any
) -> None:
    jobs: list[t.Callable[..., t.Any]] = []
    _view_leaving_work_behind(app, jobs)
    client.get("/report?topic=ops")

    result = greenlet.greenlet(jobs[0]).switch("?")

    assert result == (True, True, "ops?", "grace", "flask_test")
    assert not flask.has_request_context()


def test_copied_context_function_keeps_its_name(req_ctx: RequestContext) -> None:
    def send_receipt() -> None:
        """Mail the receipt."""

    wrapped = flask.copy_current_request_context(send_receipt)
    assert wrapped.__name__ == "send_receipt"
    assert wrapped.__doc__ == "Mail the receipt."


# Isolation ----------------------------------------------------------------------------------


def _make_app(name: str) -> flask.Flask:
    app = flask.Flask(name)
    app.config["SECRET_KEY"] = name
    return app


def test_threads_see_only_their_own_contexts() -> None:
    apps = [_make_app("north"), _make_app("south")]
    both_pushed = threading.Barrier(2, timeout=30)
    results: dict[str, t.Any] = {}

    def worker(app: flask.Flask, path: str) -> None:
        with app.test_request_context(path):
            flask.g.owner = app.name
            flask.session["who"] = app.name
            both_pushed.wait()
            results[app.name] = (
                flask.current_app.name,
                flask.request.path,
                flask.g.owner,
                flask.session["who"],
            )
            both_pushed.wait()

    threads = [
        threading.Thread(target=worker, args=(apps[0], "/n")),
        threading.Thread(target=worker, args=(apps[1], "/s")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {
        "north": ("north", "/n", "north", "north"),
        "south": ("south", "/s", "south", "south"),
    }
    assert not flask.has_app_context()


def test_thread_does_not_inherit_the_contexts_of_its_parent(app: flask.Flask) -> None:
    seen: list[tuple[bool, bool]] = []
    with app.test_request_context():
        thread = threading.Thread(
            target=lambda: seen.append(
                (flask.has_app_context(), flask.has_request_context())
            )
        )
        thread.start()
        thread.join()
    assert seen == [(False, False)]


def test_greenlets_switching_back_and_forth_see_their_own_contexts(
    greenlet: t.Any,
) -> None:
    apps = {"east": _make_app("east"), "west": _make_app("west")}
    trace: list[tuple[str, str, str]] = []
    peers: dict[str, greenlet.greenlet] = {}

    def run(name: str) -> None:
        other = "west" if name == "east" else "east"
        with apps[name].test_request_context(f"/{name}"):
            flask.g.owner = name
            for _ in range(2):
                # Hand control to the other greenlet while this context is pushed.
                peers[other].switch()
                trace.append((name, flask.request.path, flask.g.owner))

    main = greenlet.getcurrent()
    peers["east"] = greenlet.greenlet(lambda: run("east"), parent=main)
    peers["west"] = greenlet.greenlet(lambda: run("west"), parent=main)
    peers["east"].switch()
    while not (peers["east"].dead and peers["west"].dead):
        (peers["west"] if not peers["west"].dead else peers["east"]).switch()

    assert sorted(trace) == [
        ("east", "/east", "east"),
        ("east", "/east", "east"),
        ("west", "/west", "west"),
        ("west", "/west", "west"),
    ]
    # The greenlets really interleaved.
    assert [entry[0] for entry in trace] != sorted(entry[0] for entry in trace)
    assert not flask.has_request_context()


def test_asyncio_tasks_see_their_own_contexts() -> None:
    apps = {"red": _make_app("red"), "blue": _make_app("blue")}
    steps = ("pushed", "checked")

    async def handle(name: str, other: str, events: dict[str, asyncio.Event]) -> list:
        seen = []
        with apps[name].test_request_context(f"/{name}?n={name}"):
            flask.g.owner = name
            for step in steps:
                # Wait, with this context pushed, until the other task got as far.
                events[f"{name} {step}"].set()
                await events[f"{other} {step}"].wait()
                seen.append(
                    (flask.current_app.name, flask.request.args["n"], flask.g.owner)
                )
        return seen

    async def main() -> list[list[t.Any]]:
        events = {f"{n} {s}": asyncio.Event() for n in apps for s in steps}
        return await asyncio.gather(
            handle("red", "blue", events), handle("blue", "red", events)
        )

    red, blue = asyncio.run(main())

    assert red == [("red", "red", "red")] * 2
    assert blue == [("blue", "blue", "blue")] * 2
    assert not flask.has_app_context()
