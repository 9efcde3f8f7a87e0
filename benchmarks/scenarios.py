"""The benchmark scenarios: one small application per scenario and framework.

``build(framework, scenario)`` returns a :class:`Case`: the WSGI application and a
function that makes a fresh WSGI environ for one request. ``framework`` is one of
``flask`` (whichever ``flask`` package the running interpreter imports: this project's
or the reference Flask 3.1.3), ``bottle``, ``falcon`` and ``bare`` (a plain WSGI
callable, the floor). A framework that cannot express a scenario raises
:class:`Unsupported`.

The same application code runs on this project and on Flask 3.1.3, so their numbers
compare like for like.
"""

from __future__ import annotations

import io
import sys
import typing as t
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Every scenario, in report order.
SCENARIOS = (
    "hello",
    "param",
    "json",
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

_EMPTY = b""
_FORM_BODY = b"username=alice&password=correct+horse&remember=on"
_ITEMS = [{"name": f"<item {i}>", "price": i * 3} for i in range(20)]


class Unsupported(Exception):
    """The framework has no natural way to express the scenario."""


@dataclass
class Case:
    app: t.Callable[..., t.Iterable[bytes]]
    environ: t.Callable[[], dict[str, t.Any]]
    #: Status line the response must start with; checked once before timing.
    expect_status: str


def _environ_factory(
    path: str,
    query: str = "",
    method: str = "GET",
    body: bytes = _EMPTY,
    headers: dict[str, str] | None = None,
) -> t.Callable[[], dict[str, t.Any]]:
    """Prepare an environ once; each call returns a shallow copy with a fresh body."""
    base: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        base["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        base["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        base["HTTP_" + name.upper().replace("-", "_")] = value

    def make() -> dict[str, t.Any]:
        environ = base.copy()
        environ["wsgi.input"] = io.BytesIO(body)
        return environ

    return make


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


def build(framework: str, scenario: str) -> Case:
    builder = _BUILDERS.get(framework)
    if builder is None:
        raise ValueError(f"unknown framework {framework!r}")
    return builder(scenario)


# Flask (this project or the reference) --------------------------------------------


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

        return Case(app, _environ_factory("/"), "200")

    if scenario == "param":

        @app.route("/user/<int:user_id>")
        def user(user_id: int) -> str:
            return f"user {user_id}"

        return Case(app, _environ_factory("/user/42"), "200")

    if scenario == "json":

        @app.route("/data")
        def data() -> dict[str, t.Any]:
            return {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}

        return Case(app, _environ_factory("/data"), "200")

    if scenario == "query":

        @app.route("/search")
        def search() -> t.Any:
            args = flask.request.args
            return flask.jsonify(q=args.get("q"), page=args.get("page", 1, type=int))

        return Case(app, _environ_factory("/search", "q=flask&page=3"), "200")

    if scenario == "form":

        @app.route("/login", methods=["POST"])
        def login() -> str:
            form = flask.request.form
            return f"welcome {form['username']} ({len(form['password'])})"

        return Case(
            app, _environ_factory("/login", method="POST", body=_FORM_BODY), "200"
        )

    if scenario == "not_found":

        @app.route("/")
        def index() -> str:
            return "index"

        return Case(app, _environ_factory("/missing/page"), "404")

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

        return Case(app, _environ_factory("/"), "200")

    if scenario == "blueprint":
        outer = flask.Blueprint("shop", __name__, url_prefix="/shop")
        inner = flask.Blueprint("items", __name__, url_prefix="/items")

        @inner.route("/<int:item_id>")
        def item(item_id: int) -> str:
            return flask.url_for(".item", item_id=item_id + 1)

        outer.register_blueprint(inner)
        app.register_blueprint(outer)
        return Case(app, _environ_factory("/shop/items/5"), "200")

    if scenario == "error":

        class OutOfStock(Exception):
            pass

        @app.errorhandler(OutOfStock)
        def out_of_stock(e: OutOfStock) -> tuple[str, int]:
            return "sold out", 409

        @app.route("/buy")
        def buy() -> str:
            raise OutOfStock()

        return Case(app, _environ_factory("/buy"), "409")

    if scenario == "template":

        @app.route("/items")
        def items() -> str:
            return flask.render_template("items.html", title="Items", items=_ITEMS)

        return Case(app, _environ_factory("/items"), "200")

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
            _environ_factory("/visit", headers={"Cookie": f"session={cookie.value}"}),
            "200",
        )

    if scenario == "static":
        first = app.test_client().get("/static/small.css")
        etag = first.headers["ETag"]
        first.close()
        return Case(
            app,
            _environ_factory("/static/small.css", headers={"If-None-Match": etag}),
            "304",
        )

    if scenario == "async":
        import asyncio

        @app.route("/wait")
        async def wait() -> str:
            await asyncio.sleep(0)
            return "waited"

        return Case(app, _environ_factory("/wait"), "200")

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
        return Case(app, _environ_factory("/queue"), "200")

    raise ValueError(f"unknown scenario {scenario!r}")


# Bottle 0.13 ----------------------------------------------------------------------


def _bottle(scenario: str) -> Case:
    import bottle

    app = bottle.Bottle()

    if scenario == "hello":
        app.route("/")(lambda: "Hello, World!")
        return Case(app, _environ_factory("/"), "200")
    if scenario == "param":
        app.route("/user/<user_id:int>")(lambda user_id: f"user {user_id}")
        return Case(app, _environ_factory("/user/42"), "200")
    if scenario == "json":
        app.route("/data")(
            lambda: {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}
        )
        return Case(app, _environ_factory("/data"), "200")
    if scenario == "query":

        def search() -> dict[str, t.Any]:
            query = bottle.request.query
            return {"q": query.get("q"), "page": int(query.get("page", 1))}

        app.route("/search")(search)
        return Case(app, _environ_factory("/search", "q=flask&page=3"), "200")
    if scenario == "form":

        def login() -> str:
            form = bottle.request.forms
            return f"welcome {form['username']} ({len(form['password'])})"

        app.route("/login", method="POST")(login)
        return Case(
            app, _environ_factory("/login", method="POST", body=_FORM_BODY), "200"
        )
    if scenario == "not_found":
        app.route("/")(lambda: "index")
        return Case(app, _environ_factory("/missing/page"), "404")
    if scenario == "hooks":
        state = {}

        def before() -> None:
            state["started"] = True

        def after() -> None:
            bottle.response.set_header("X-Hooked", "yes")

        app.add_hook("before_request", before)
        app.add_hook("after_request", after)
        app.route("/")(lambda: "hooked")
        return Case(app, _environ_factory("/"), "200")
    raise Unsupported(scenario)


# Falcon 4 (WSGI) ------------------------------------------------------------------


def _falcon(scenario: str) -> Case:
    import falcon

    app = falcon.App()

    if scenario == "hello":

        class Hello:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.content_type = falcon.MEDIA_HTML
                resp.text = "Hello, World!"

        app.add_route("/", Hello())
        return Case(app, _environ_factory("/"), "200")
    if scenario == "param":

        class User:
            def on_get(self, req: t.Any, resp: t.Any, user_id: int) -> None:
                resp.content_type = falcon.MEDIA_HTML
                resp.text = f"user {user_id}"

        app.add_route("/user/{user_id:int}", User())
        return Case(app, _environ_factory("/user/42"), "200")
    if scenario == "json":

        class Data:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.media = {
                    "id": 7,
                    "name": "widget",
                    "tags": ["a", "b", "c"],
                    "ok": True,
                }

        app.add_route("/data", Data())
        return Case(app, _environ_factory("/data"), "200")
    if scenario == "query":

        class Search:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.media = {
                    "q": req.get_param("q"),
                    "page": req.get_param_as_int("page", default=1),
                }

        app.add_route("/search", Search())
        return Case(app, _environ_factory("/search", "q=flask&page=3"), "200")
    if scenario == "form":

        class Login:
            def on_post(self, req: t.Any, resp: t.Any) -> None:
                form = req.get_media()
                resp.content_type = falcon.MEDIA_HTML
                resp.text = f"welcome {form['username']} ({len(form['password'])})"

        app.add_route("/login", Login())
        return Case(
            app, _environ_factory("/login", method="POST", body=_FORM_BODY), "200"
        )
    if scenario == "not_found":

        class Index:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.text = "index"

        app.add_route("/", Index())
        return Case(app, _environ_factory("/missing/page"), "404")
    if scenario == "hooks":

        class Stamp:
            def process_request(self, req: t.Any, resp: t.Any) -> None:
                req.context.started = True

            def process_response(
                self, req: t.Any, resp: t.Any, resource: t.Any, ok: bool
            ) -> None:
                resp.set_header("X-Hooked", "yes")

        app = falcon.App(middleware=[Stamp()])

        class Hooked:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.content_type = falcon.MEDIA_HTML
                resp.text = "hooked"

        app.add_route("/", Hooked())
        return Case(app, _environ_factory("/"), "200")
    if scenario == "error":

        class OutOfStock(Exception):
            pass

        def out_of_stock(req: t.Any, resp: t.Any, ex: Exception, params: t.Any) -> None:
            resp.status = 409
            resp.text = "sold out"

        class Buy:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                raise OutOfStock()

        app.add_error_handler(OutOfStock, out_of_stock)
        app.add_route("/buy", Buy())
        return Case(app, _environ_factory("/buy"), "409")
    raise Unsupported(scenario)


# A bare WSGI callable: the floor ----------------------------------------------------


def _bare(scenario: str) -> Case:
    if scenario == "hello":
        body = b"Hello, World!"
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]

        def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
            start_response("200 OK", headers)
            return [body]

        return Case(app, _environ_factory("/"), "200")
    if scenario == "json":
        import json

        def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
            data = {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}
            body = json.dumps(data, separators=(",", ":")).encode() + b"\n"
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]

        return Case(app, _environ_factory("/data"), "200")
    raise Unsupported(scenario)


_BUILDERS: dict[str, t.Callable[[str], Case]] = {
    "flask": _flask,
    "bottle": _bottle,
    "falcon": _falcon,
    "bare": _bare,
}
