"""The scenarios of :mod:`scenarios` written for the peers: Bottle 0.13, Falcon 4
(its WSGI app) and a bare WSGI callable, each in the way its own documentation
suggests.

A scenario a framework has no natural way to express raises
:class:`scenarios.Unsupported` and gets no row: Falcon has no URL building
(``blueprint``) and no session, neither has an async WSGI view, and the bare callable
only answers the simplest requests. Their apps have no secret key and nothing else
registered, so a ``*_min`` scenario is its base scenario with an environ built per
request as a server builds it.
"""

from __future__ import annotations

import json
import typing as t

from environs import EnvironFactory
from environs import prepared
from environs import server_built
from scenarios import call
from scenarios import Case
from scenarios import conditional
from scenarios import FORM_BODY
from scenarios import HERE
from scenarios import ITEMS
from scenarios import Unsupported

Factory = t.Callable[..., EnvironFactory]

_SECRET = "benchmark secret"


def build(framework: str, scenario: str) -> Case:
    """The case of ``scenario`` for ``framework`` (``bottle``, ``falcon``, ``bare``)."""
    factory: Factory = prepared
    if scenario.endswith("_min"):
        scenario, factory = scenario.removesuffix("_min"), server_built
        if scenario not in ("hello", "param", "json"):
            raise ValueError(f"unknown scenario {scenario + '_min'!r}")
    builders = {"bottle": _bottle, "falcon": _falcon, "bare": _bare}
    return builders[framework](scenario, factory)


class OutOfStock(Exception):
    """What the ``error`` scenario's view raises."""


# Bottle 0.13 ----------------------------------------------------------------------


def _bottle(scenario: str, factory: Factory) -> Case:
    import bottle

    app = bottle.Bottle()
    request, response = bottle.request, bottle.response

    if scenario == "hello":
        app.route("/")(lambda: "Hello, World!")
        return Case(app, factory("/"), "200")
    if scenario == "param":
        app.route("/user/<user_id:int>")(lambda user_id: f"user {user_id}")
        return Case(app, factory("/user/42"), "200")
    if scenario == "json":
        app.route("/data")(
            lambda: {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}
        )
        return Case(app, factory("/data"), "200")
    if scenario == "query":

        def search() -> dict[str, t.Any]:
            query = request.query
            return {"q": query.get("q"), "page": int(query.get("page", 1))}

        app.route("/search")(search)
        return Case(app, factory("/search", "q=flask&page=3"), "200")
    if scenario == "form":

        def login() -> str:
            form = request.forms
            return f"welcome {form['username']} ({len(form['password'])})"

        app.route("/login", method="POST")(login)
        return Case(app, factory("/login", method="POST", body=FORM_BODY), "200")
    if scenario == "not_found":
        app.route("/")(lambda: "index")
        return Case(app, factory("/missing/page"), "404")
    if scenario == "hooks":
        state = {}

        def before() -> None:
            state["started"] = True

        def after() -> None:
            response.set_header("X-Hooked", "yes")

        app.add_hook("before_request", before)
        app.add_hook("after_request", after)
        app.route("/")(lambda: "hooked" if state["started"] else "not hooked")
        return Case(app, factory("/"), "200")
    if scenario == "blueprint":
        # Bottle's counterpart of nested blueprints: apps mounted under a prefix,
        # with URLs built from a route's name.
        shop, items = bottle.Bottle(), bottle.Bottle()

        def item(item_id: int) -> str:
            return items.get_url("item", item_id=item_id + 1)

        items.route("/<item_id:int>", name="item")(item)
        shop.mount("/items/", items)
        app.mount("/shop/", shop)
        return Case(app, factory("/shop/items/5"), "200")
    if scenario == "error":
        # Bottle's error handlers are per status code; a plugin wrapping every
        # route is how it maps an exception to a response.
        def answer_out_of_stock(callback: t.Callable[..., t.Any]) -> t.Any:
            def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
                try:
                    return callback(*args, **kwargs)
                except OutOfStock:
                    return bottle.HTTPResponse("sold out", status=409)

            return wrapper

        def buy() -> str:
            raise OutOfStock()

        app.install(answer_out_of_stock)
        app.route("/buy")(buy)
        return Case(app, factory("/buy"), "409")
    if scenario == "template":
        lookup = [str(HERE / "templates")]
        settings = {"autoescape": True}

        def render() -> str:
            return bottle.jinja2_template(
                "items.html", template_lookup=lookup, template_settings=settings,
                title="Items", items=ITEMS,
            )  # fmt: skip

        app.route("/items")(render)
        return Case(app, factory("/items"), "200")
    if scenario == "session":
        # Bottle's session is a signed cookie per value.
        def visit() -> str:
            count = int(request.get_cookie("visits", "0", secret=_SECRET)) + 1
            response.set_cookie("visits", str(count), secret=_SECRET, httponly=True)
            return f"visit {count}"

        app.route("/visit")(visit)
        first = Case(app, factory("/visit"), "200")
        cookie = dict(call(first)[1])["Set-Cookie"].split(";")[0]
        return Case(app, factory("/visit", headers={"Cookie": cookie}), "200")
    if scenario == "static":
        root = str(HERE / "static")
        app.route("/static/<name:path>")(lambda name: bottle.static_file(name, root))
        plain = Case(app, factory("/static/small.css"), "200")
        return conditional(plain, factory, "/static/small.css")
    raise Unsupported(scenario)


# Falcon 4 (WSGI) ------------------------------------------------------------------


def _falcon(scenario: str, factory: Factory) -> Case:
    import falcon

    app = falcon.App()
    html = falcon.MEDIA_HTML

    if scenario == "hello":

        class Hello:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.content_type = html
                resp.text = "Hello, World!"

        app.add_route("/", Hello())
        return Case(app, factory("/"), "200")
    if scenario == "param":

        class User:
            def on_get(self, req: t.Any, resp: t.Any, user_id: int) -> None:
                resp.content_type = html
                resp.text = f"user {user_id}"

        app.add_route("/user/{user_id:int}", User())
        return Case(app, factory("/user/42"), "200")
    if scenario == "json":

        class Data:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.media = {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}  # fmt: skip

        app.add_route("/data", Data())
        return Case(app, factory("/data"), "200")
    if scenario == "query":

        class Search:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.media = {
                    "q": req.get_param("q"),
                    "page": req.get_param_as_int("page", default=1),
                }

        app.add_route("/search", Search())
        return Case(app, factory("/search", "q=flask&page=3"), "200")
    if scenario == "form":

        class Login:
            def on_post(self, req: t.Any, resp: t.Any) -> None:
                form = req.get_media()
                resp.content_type = html
                resp.text = f"welcome {form['username']} ({len(form['password'])})"

        app.add_route("/login", Login())
        return Case(app, factory("/login", method="POST", body=FORM_BODY), "200")
    if scenario == "not_found":

        class Index:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.text = "index"

        app.add_route("/", Index())
        return Case(app, factory("/missing/page"), "404")
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
                resp.content_type = html
                resp.text = "hooked" if req.context.started else "not hooked"

        app.add_route("/", Hooked())
        return Case(app, factory("/"), "200")
    if scenario == "error":

        def out_of_stock(req: t.Any, resp: t.Any, ex: Exception, params: t.Any) -> None:
            resp.status = 409
            resp.content_type = html
            resp.text = "sold out"

        class Buy:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                raise OutOfStock()

        app.add_error_handler(OutOfStock, out_of_stock)
        app.add_route("/buy", Buy())
        return Case(app, factory("/buy"), "409")
    if scenario == "template":
        # Falcon leaves templates to the application: Jinja, set up as Flask does.
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True
        )

        class Items:
            def on_get(self, req: t.Any, resp: t.Any) -> None:
                resp.content_type = html
                resp.text = env.get_template("items.html").render(
                    title="Items", items=ITEMS
                )

        app.add_route("/items", Items())
        return Case(app, factory("/items"), "200")
    if scenario == "static":
        app.add_static_route("/static", str(HERE / "static"))
        plain = Case(app, factory("/static/small.css"), "200")
        return conditional(plain, factory, "/static/small.css")
    raise Unsupported(scenario)


# A bare WSGI callable: the floor ----------------------------------------------------


def _bare(scenario: str, factory: Factory) -> Case:
    if scenario == "hello":
        body = b"Hello, World!"
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]

        def hello(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
            start_response("200 OK", headers)
            return [body]

        return Case(hello, factory("/"), "200")
    if scenario == "param":

        def user(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
            prefix, _, rest = environ["PATH_INFO"].rpartition("/")
            if prefix != "/user" or not rest.isdigit():
                start_response("404 Not Found", [("Content-Length", "0")])
                return []
            body = f"user {int(rest)}".encode()
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]

        return Case(user, factory("/user/42"), "200")
    if scenario == "json":

        def data(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
            document = {"id": 7, "name": "widget", "tags": ["a", "b", "c"], "ok": True}
            body = json.dumps(document, separators=(",", ":")).encode() + b"\n"
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]

        return Case(data, factory("/data"), "200")
    raise Unsupported(scenario)
