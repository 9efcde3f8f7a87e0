"""The benchmark scenarios: one small application per scenario and framework.

``build(framework, scenario)`` returns a :class:`Case`: the WSGI application and a
function that makes a fresh WSGI environ for one request. ``framework`` is one of
``flask`` (whichever ``flask`` package the running interpreter imports: this project's
or the reference Flask 3.1.3), ``bottle``, ``falcon`` and ``bare`` (a plain WSGI
callable, the floor); the last three are built in :mod:`peers`. A framework that
cannot express a scenario raises :class:`Unsupported`.

The same application code runs on this project and on Flask 3.1.3, so their numbers
compare like for like. The ``*_min`` scenarios are the app a new user writes first: no
secret key, nothing registered but the one route, and an environ built from scratch
for every request (:func:`environs.server_built`).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from pathlib import Path

from environs import EnvironFactory
from environs import prepared
from environs import server_built

HERE = Path(__file__).resolve().parent

#: Every scenario, in report order.
SCENARIOS = (
    "hello",
    "hello_min",
    "param",
    "param_min",
    "json",
    "json_min",
    "query",
    "form",
    "not_found",
    "hooks",
    "blueprint",
    "error",
    "template",
    "session",
    "static",
    "async",
    "async_queue",
)

FRAMEWORKS = ("flask", "bottle", "falcon", "bare")

FORM_BODY = b"username=alice&password=correct+horse&remember=on"
ITEMS = [{"name": f"<item {i}>", "price": i * 3} for i in range(20)]


class Unsupported(Exception):
    """The framework has no natural way to express the scenario."""


@dataclass
class Case:
    """One scenario of one framework, ready to be called."""

    app: t.Callable[..., t.Iterable[bytes]]
    environ: EnvironFactory
    #: Status code every response must start with (checked on every request).
    expect_status: str


def call(case: Case) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run one request through the case and return status, headers and body."""
    seen: list[t.Any] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        seen[:] = [status, headers]
        return lambda data: None

    result = case.app(case.environ(), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return seen[0], list(seen[1]), body


def conditional(
    case: Case, factory: t.Callable[..., EnvironFactory], path: str
) -> Case:
    """The case again, its environ asking for ``path`` with the ETag of a first
    answer in ``If-None-Match`` (so every measured request gets a 304)."""
    _status, headers, _body = call(case)
    etag = {name.lower(): value for name, value in headers}["etag"]
    return Case(case.app, factory(path, headers={"If-None-Match": etag}), "304")


def build(framework: str, scenario: str) -> Case:
    """The case of ``scenario`` for ``framework``; raises :class:`Unsupported`."""
    if framework == "flask":
        if scenario.endswith("_min"):
            return _flask_min(scenario)
        return _flask(scenario)
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}")
    import peers

    return peers.build(framework, scenario)


# Flask (this project or the reference) --------------------------------------------


def _flask_min(scenario: str) -> Case:
    import flask

    app = flask.Flask("bench_min", static_folder=None)

    if scenario == "hello_min":

        @app.route("/")
        def hello() -> str:
            return "Hello, World!"

        return Case(app, server_built("/"), "200")

    if scenario == "param_min":

        @app.route("/user/<int:user_id>")
        def user(user_id: int) -> str:
            return f"user {user_id}"

        return Case(app, server_built("/user/42"), "200")

    if scenario == "json_min":

        @app.route("/data")
        def data() -> dict[str, t.Any]:
            return {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}

        return Case(app, server_built("/data"), "200")

    raise ValueError(f"unknown scenario {scenario!r}")


def _flask(scenario: str) -> Case:
    import flask

    app = flask.Flask(
        "bench_app",
        root_path=str(HERE),
        template_folder="templates",
        static_folder="static",
    )
    app.config["SECRET_KEY"] = "benchmark secret"

    if scenario == "hello":

        @app.route("/")
        def hello() -> str:
            return "Hello, World!"

        return Case(app, prepared("/"), "200")

    if scenario == "param":

        @app.route("/user/<int:user_id>")
        def user(user_id: int) -> str:
            return f"user {user_id}"

        return Case(app, prepared("/user/42"), "200")

    if scenario == "json":

        @app.route("/data")
        def data() -> dict[str, t.Any]:
            return {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}

        return Case(app, prepared("/data"), "200")

    if scenario == "query":

        @app.route("/search")
        def search() -> t.Any:
            args = flask.request.args
            return flask.jsonify(q=args.get("q"), page=args.get("page", 1, type=int))

        return Case(app, prepared("/search", "q=flask&page=3"), "200")

    if scenario == "form":

        @app.route("/login", methods=["POST"])
        def login() -> str:
            form = flask.request.form
            return f"welcome {form['username']} ({len(form['password'])})"

        return Case(app, prepared("/login", method="POST", body=FORM_BODY), "200")

    if scenario == "not_found":

        @app.route("/")
        def index() -> str:
            return "index"

        return Case(app, prepared("/missing/page"), "404")

    if scenario == "hooks":

        @app.before_request
        def remember_start() -> None:
            flask.g.started = True

        @app.after_request
        def stamp(response: t.Any) -> t.Any:
            response.headers["X-Hooked"] = "yes"
            return response

        @app.teardown_request
        def cleanup(exc: BaseException | None) -> None:
            pass

        @app.route("/")
        def hooked() -> str:
            return "hooked" if flask.g.started else "not hooked"

        return Case(app, prepared("/"), "200")

    if scenario == "blueprint":
        outer = flask.Blueprint("shop", __name__, url_prefix="/shop")
        inner = flask.Blueprint("items", __name__, url_prefix="/items")

        @inner.route("/<int:item_id>")
        def item(item_id: int) -> str:
            return flask.url_for(".item", item_id=item_id + 1)

        outer.register_blueprint(inner)
        app.register_blueprint(outer)
        return Case(app, prepared("/shop/items/5"), "200")

    if scenario == "error":

        class OutOfStock(Exception):
            pass

        @app.errorhandler(OutOfStock)
        def out_of_stock(e: OutOfStock) -> tuple[str, int]:
            return "sold out", 409

        @app.route("/buy")
        def buy() -> str:
            raise OutOfStock()

        return Case(app, prepared("/buy"), "409")

    if scenario == "template":

        @app.route("/items")
        def items() -> str:
            return flask.render_template("items.html", title="Items", items=ITEMS)

        return Case(app, prepared("/items"), "200")

    if scenario == "session":

        @app.route("/visit")
        def visit() -> str:
            count = flask.session.get("visits", 0) + 1
            flask.session["visits"] = count
            return f"visit {count}"

        with app.test_client() as client:
            client.get("/visit")
            cookie = client.get_cookie("session")
            assert cookie is not None
        return Case(
            app,
            prepared("/visit", headers={"Cookie": f"session={cookie.value}"}),
            "200",
        )

    if scenario == "static":
        plain = Case(app, prepared("/static/small.css"), "200")
        return conditional(plain, prepared, "/static/small.css")

    if scenario == "async":
        import asyncio

        @app.route("/wait")
        async def wait() -> str:
            await asyncio.sleep(0)
            return "waited"

        return Case(app, prepared("/wait"), "200")

    if scenario == "async_queue":
        import asyncio

        # Created once, and bound to the event loop of the first request that waits
        # on it: only an implementation that keeps its loop can serve the second.
        queue: asyncio.Queue[str] = asyncio.Queue()

        @app.route("/queue")
        async def hand_over() -> str:
            async def produce() -> None:
                await asyncio.sleep(0)
                queue.put_nowait("handed over")

            producer = asyncio.create_task(produce())
            item = await queue.get()
            await producer
            return item

        app.testing = True  # The second request raises on Flask 3.1.3.
        try:
            for _ in range(2):
                app.test_client().get("/queue")
        except RuntimeError as e:
            raise Unsupported("a loop-bound object does not outlive its request") from e
        app.testing = False
        return Case(app, prepared("/queue"), "200")

    raise ValueError(f"unknown scenario {scenario!r}")
