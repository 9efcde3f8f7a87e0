"""Coroutine functions as views, hooks, error handlers, context processors and signal
receivers; ``Flask.ensure_sync`` / ``Flask.async_to_sync``; contexts inside async
views, including concurrent requests from several threads."""

from __future__ import annotations

import asyncio
import sys
import threading
import typing as t

import pytest

import flask
from flask.views import MethodView
from flask.views import View

# Every test here runs coroutines through asgiref, or is about the message given
# without it; all are skipped where it is not installed.
pytestmark = pytest.mark.usefixtures("asgiref")

MISSING_ASGIREF = "Install Flask with the 'async' extra in order to use async views"


# -- views -----------------------------------------------------------------------


def test_async_view_is_awaited_and_its_result_sent(app, client):
    @app.route("/square/<int:n>")
    async def square(n: int) -> str:
        await asyncio.sleep(0)
        return f"{n}^2={n * n} for {flask.request.args['who']}"

    response = client.get("/square/12?who=ada")
    assert response.status_code == 200
    assert response.data == b"12^2=144 for ada"


def test_async_view_return_values_are_converted_like_sync_ones(app, client):
    @app.route("/created")
    async def created() -> tuple[str, int, dict[str, str]]:
        await asyncio.sleep(0)
        return "made", 201, {"X-Kind": "widget"}

    @app.route("/data")
    async def data() -> dict[str, t.Any]:
        return {"items": [1, 2], "async": True}

    @app.route("/gone")
    async def gone() -> flask.Response:
        return flask.redirect("/elsewhere")

    made = client.get("/created")
    assert (made.status_code, made.data, made.headers["X-Kind"]) == (
        201,
        b"made",
        "widget",
    )
    assert client.get("/data").json == {"items": [1, 2], "async": True}
    moved = client.get("/gone")
    assert moved.status_code == 302
    assert moved.headers["Location"] == "/elsewhere"


def test_exception_from_async_view_propagates_when_testing(app, client):
    class Overdrawn(Exception):
        pass

    @app.route("/pay")
    async def pay() -> str:
        await asyncio.sleep(0)
        raise Overdrawn("balance too low")

    with pytest.raises(Overdrawn, match="balance too low"):
        client.get("/pay")


def test_async_view_can_change_the_session(app, client):
    @app.route("/visit")
    async def visit() -> str:
        await asyncio.sleep(0)
        flask.session["visits"] = flask.session.get("visits", 0) + 1
        return str(flask.session["visits"])

    assert client.get("/visit").data == b"1"
    assert "Set-Cookie" in client.get("/visit").headers
    assert client.get("/visit").data == b"3"
    with client.session_transaction() as session:
        assert session["visits"] == 3


def test_async_view_sees_url_processors_that_are_sync(app, client):
    @app.url_value_preprocessor
    def take_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        if values is not None:
            flask.g.lang = values.pop("lang", "en")

    @app.url_defaults
    def give_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        if "lang" in flask.g:
            values.setdefault("lang", flask.g.lang)

    @app.route("/<lang>/page/<int:number>")
    async def page(number: int) -> str:
        await asyncio.sleep(0)
        return (
            f"{flask.g.lang} {number} next={flask.url_for('page', number=number + 1)}"
        )

    assert client.get("/fr/page/3").data == b"fr 3 next=/fr/page/4"


def test_async_url_value_preprocessor_is_never_awaited(app, client):
    ran: list[str] = []

    @app.url_value_preprocessor
    async def not_supported(endpoint: str | None, values: t.Any) -> None:
        ran.append("preprocessor")

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    # URL processors are called directly, not through ensure_sync.
    with pytest.warns(RuntimeWarning, match="never awaited"):
        response = client.get("/plain")
    assert response.data == b"plain"
    assert ran == []


def test_async_view_runs_in_a_test_request_context(app):
    async def current_path() -> str:
        await asyncio.sleep(0)
        return f"{flask.request.path} {flask.current_app.name}"

    with app.test_request_context("/somewhere"):
        assert app.ensure_sync(current_path)() == "/somewhere flask_test"


# -- class-based async views ---------------------------------------------------------


def test_method_view_dispatches_to_async_handlers(app, client):
    class Ticket(MethodView):
        async def get(self, code: str) -> str:
            await asyncio.sleep(0)
            return f"ticket {code}"

        async def delete(self, code: str) -> tuple[str, int]:
            await asyncio.sleep(0)
            return "", 204

    app.add_url_rule("/ticket/<code>", view_func=Ticket.as_view("ticket"))

    assert set(Ticket.methods) == {"GET", "DELETE"}  # type: ignore[arg-type]
    assert client.get("/ticket/A7").data == b"ticket A7"
    head = client.head("/ticket/A7")
    assert (head.status_code, head.data) == (200, b"")
    assert client.delete("/ticket/A7").status_code == 204
    assert client.post("/ticket/A7").status_code == 405


def test_view_with_async_dispatch_request(app, client):
    class Echo(View):
        methods = ["GET", "POST"]
        init_every_request = False

        def __init__(self) -> None:
            self.count = 0

        async def dispatch_request(self) -> str:
            await asyncio.sleep(0)
            self.count += 1
            return f"{flask.request.method} #{self.count}"

    app.add_url_rule("/echo", view_func=Echo.as_view("echo"))

    assert client.get("/echo").data == b"GET #1"
    assert client.post("/echo").data == b"POST #2"


# -- hooks and handlers ----------------------------------------------------------


def test_async_hooks_run_in_request_order(app, client):
    events: list[t.Any] = []

    @app.before_request
    async def before() -> None:
        await asyncio.sleep(0)
        events.append("before")
        flask.g.token = "from before"

    @app.after_request
    async def after(response: flask.Response) -> flask.Response:
        await asyncio.sleep(0)
        events.append("after")
        response.headers["X-After"] = flask.g.token
        return response

    @app.teardown_request
    async def teardown(exc: BaseException | None) -> None:
        await asyncio.sleep(0)
        events.append(("teardown request", exc))

    @app.teardown_appcontext
    async def teardown_app(exc: BaseException | None) -> None:
        await asyncio.sleep(0)
        events.append(("teardown app", exc))

    @app.route("/")
    async def index() -> str:
        events.append("view")

        @flask.after_this_request
        async def only_this_time(response: flask.Response) -> flask.Response:
            await asyncio.sleep(0)
            events.append("after this request")
            response.headers["X-Once"] = "yes"
            return response

        return flask.g.token

    response = client.get("/")
    assert response.data == b"from before"
    assert response.headers["X-After"] == "from before"
    assert response.headers["X-Once"] == "yes"
    assert events == [
        "before",
        "view",
        "after this request",
        "after",
        ("teardown request", None),
        ("teardown app", None),
    ]


def test_async_before_request_can_answer_instead_of_the_view(app, client):
    @app.before_request
    async def gate() -> t.Any:
        await asyncio.sleep(0)
        if flask.request.args.get("key") != "open":
            return "locked", 403
        return None

    @app.route("/door")
    async def door() -> str:
        return "inside"

    refused = client.get("/door")
    assert (refused.status_code, refused.data) == (403, b"locked")
    assert client.get("/door?key=open").data == b"inside"


def test_async_teardown_receives_the_unhandled_exception(app, client):
    app.testing = False
    seen: list[t.Any] = []

    @app.teardown_request
    async def teardown(exc: BaseException | None) -> None:
        seen.append(type(exc).__name__)

    @app.route("/crash")
    async def crash() -> str:
        await asyncio.sleep(0)
        raise LookupError("nothing here")

    response = client.get("/crash")
    assert response.status_code == 500
    assert seen == ["LookupError"]


def test_async_teardown_appcontext_runs_when_an_app_context_ends(app):
    seen: list[t.Any] = []

    @app.teardown_appcontext
    async def release(exc: BaseException | None) -> None:
        await asyncio.sleep(0)
        seen.append((flask.current_app.name, flask.g.get("resource"), exc))

    with app.app_context():
        flask.g.resource = "db handle"

    assert seen == [("flask_test", "db handle", None)]


def test_async_error_handler_for_an_exception_class(app, client):
    class QuotaExceeded(Exception):
        def __init__(self, limit: int) -> None:
            super().__init__(limit)
            self.limit = limit

    @app.errorhandler(QuotaExceeded)
    async def over_quota(error: QuotaExceeded) -> tuple[str, int]:
        await asyncio.sleep(0)
        return f"limit {error.limit} on {flask.request.path}", 429

    @app.route("/upload")
    async def upload() -> str:
        raise QuotaExceeded(5)

    response = client.get("/upload")
    assert (response.status_code, response.data) == (429, b"limit 5 on /upload")


def test_async_error_handler_for_an_http_status(app, client):
    @app.errorhandler(404)
    async def not_found(error: Exception) -> tuple[str, int]:
        await asyncio.sleep(0)
        return f"no page at {flask.request.path}", 404

    @app.errorhandler(409)
    async def conflict(error: Exception) -> tuple[str, int]:
        return "already taken", 409

    @app.route("/claim")
    async def claim() -> str:
        flask.abort(409)

    missing = client.get("/nowhere")
    assert (missing.status_code, missing.data) == (404, b"no page at /nowhere")
    taken = client.get("/claim")
    assert (taken.status_code, taken.data) == (409, b"already taken")


def test_async_context_processor_feeds_templates(app, client):
    @app.context_processor
    async def extras() -> dict[str, t.Any]:
        await asyncio.sleep(0)
        return {"site": "Harbour", "visitor": flask.request.args.get("name", "guest")}

    @app.route("/hello")
    def hello() -> str:
        return flask.render_template_string("{{ site }} greets {{ visitor }}")

    assert client.get("/hello?name=Lin").data == b"Harbour greets Lin"


def test_async_context_processor_cannot_run_inside_an_async_view(app, client):
    @app.context_processor
    async def extras() -> dict[str, t.Any]:
        return {"site": "Harbour"}

    @app.route("/hello")
    async def hello() -> str:
        return flask.render_template_string("{{ site }}")

    # The processor is wrapped with async_to_sync, which refuses to block the event
    # loop that is running the view.
    with pytest.raises(RuntimeError, match="event loop"):
        client.get("/hello")


def test_async_hooks_and_handlers_on_a_blueprint(app, client):
    api = flask.Blueprint("api", __name__, url_prefix="/api")
    events: list[str] = []

    @api.before_request
    async def api_before() -> None:
        await asyncio.sleep(0)
        events.append(f"before {flask.request.blueprint}")

    @api.after_request
    async def api_after(response: flask.Response) -> flask.Response:
        events.append("after")
        response.headers["X-Api"] = "1"
        return response

    @api.errorhandler(ValueError)
    async def bad_value(error: ValueError) -> tuple[dict[str, str], int]:
        return {"error": str(error)}, 400

    @api.route("/number/<raw>")
    async def number(raw: str) -> dict[str, int]:
        await asyncio.sleep(0)
        return {"value": int(raw)}

    app.register_blueprint(api)

    good = client.get("/api/number/41")
    assert good.json == {"value": 41}
    assert good.headers["X-Api"] == "1"
    bad = client.get("/api/number/forty")
    assert bad.status_code == 400
    assert "forty" in bad.json["error"]
    assert events == ["before api", "after", "before api", "after"]


# -- signals ---------------------------------------------------------------------


def test_async_receivers_of_flask_signals_are_awaited(app, client):
    received: list[t.Any] = []

    async def on_started(sender: flask.Flask, **extra: t.Any) -> None:
        await asyncio.sleep(0)
        received.append(("started", sender is app, flask.request.path))

    async def on_flashed(sender: flask.Flask, message: str, category: str) -> None:
        received.append(("flashed", message, category))

    async def on_rendered(sender: flask.Flask, template: t.Any, context: dict) -> None:
        received.append(("rendered", context["total"]))

    async def on_finished(sender: flask.Flask, response: flask.Response) -> None:
        await asyncio.sleep(0)
        received.append(("finished", response.status_code))

    async def on_exception(sender: flask.Flask, exception: BaseException) -> None:
        received.append(("exception", type(exception).__name__))

    @app.route("/checkout")
    def checkout() -> str:
        # A receiver wrapped with async_to_sync cannot run while an async view's
        # event loop is running, so flash from a sync view.
        flask.flash("order placed", "success")
        return "done"

    @app.route("/receipt")
    def receipt() -> str:
        return flask.render_template_string("{{ total }}", total=30)

    @app.route("/fail")
    async def fail() -> str:
        raise ZeroDivisionError()

    app.testing = False
    connections = [
        (flask.request_started, on_started),
        (flask.message_flashed, on_flashed),
        (flask.template_rendered, on_rendered),
        (flask.request_finished, on_finished),
        (flask.got_request_exception, on_exception),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, app)
    try:
        assert client.get("/checkout").data == b"done"
        assert client.get("/receipt").data == b"30"
        assert client.get("/fail").status_code == 500
    finally:
        for signal, receiver in connections:
            signal.disconnect(receiver, app)

    assert received == [
        ("started", True, "/checkout"),
        ("flashed", "order placed", "success"),
        ("finished", 200),
        ("started", True, "/receipt"),
        ("rendered", 30),
        ("finished", 200),
        ("started", True, "/fail"),
        ("exception", "ZeroDivisionError"),
        ("finished", 500),
    ]


def test_custom_signal_needs_ensure_sync_to_reach_an_async_receiver(app):
    ping = flask.signals.Namespace().signal("ping")
    got: list[str] = []

    @ping.connect
    async def pong(sender: t.Any, word: str) -> None:
        await asyncio.sleep(0)
        got.append(word)

    with pytest.raises(RuntimeError, match="coroutine"):
        ping.send(app, word="bare")
    ping.send(app, _async_wrapper=app.ensure_sync, word="wrapped")

    assert got == ["wrapped"]


# -- contexts inside async views ------------------------------------------------------


def test_stream_with_context_inside_an_async_view(app, client):
    @app.route("/feed")
    async def feed() -> flask.Response:
        flask.g.banner = "news"
        flask.session["reader"] = "kim"
        await asyncio.sleep(0)

        @flask.stream_with_context
        def chunks(sep: str) -> t.Iterator[str]:
            yield flask.g.banner
            yield sep
            yield flask.request.args["topic"]
            yield sep
            yield flask.session["reader"]

        return flask.Response(chunks(":"))

    response = client.get("/feed?topic=tides", buffered=False)
    assert response.get_data() == b"news:tides:kim"
    response.close()


def test_stream_wrapping_a_generator_from_an_async_view(app, client):
    @app.route("/count")
    async def count() -> flask.Response:
        limit = int(flask.request.args["to"])

        def numbers() -> t.Iterator[str]:
            for i in range(1, limit + 1):
                yield f"{i}{flask.request.args['unit']} "

        return flask.Response(flask.stream_with_context(numbers()))

    response = client.get("/count?to=3&unit=m")
    assert response.data == b"1m 2m 3m "


def test_copy_current_request_context_runs_async_work_in_a_thread(app, client):
    results: dict[str, t.Any] = {}

    @app.route("/report")
    async def report() -> str:
        flask.session["owner"] = "ravi"

        @flask.copy_current_request_context
        async def build() -> str:
            await asyncio.sleep(0)
            return f"{flask.request.args['period']} for {flask.session['owner']}"

        def background() -> None:
            results["thread"] = build()

        worker = threading.Thread(target=background)
        worker.start()
        await asyncio.to_thread(worker.join)
        # The copied function can also be handed straight to another thread.
        results["to_thread"] = await asyncio.to_thread(build)
        return build.__name__

    assert client.get("/report?period=Q3").data == b"build"
    assert results == {"thread": "Q3 for ravi", "to_thread": "Q3 for ravi"}


def test_copy_current_request_context_sync_function_from_async_view(app, client):
    @app.route("/upper", methods=["POST"])
    async def upper() -> str:
        @flask.copy_current_request_context
        def shout() -> str:
            return f"{flask.request.method} {flask.request.args['word'].upper()}"

        return await asyncio.to_thread(shout)

    assert client.post("/upper?word=quiet").data == b"POST QUIET"


def test_tasks_gathered_in_an_async_view_share_its_request_and_g(app, client):
    @app.route("/fanout")
    async def fanout() -> str:
        flask.g.base = int(flask.request.args["base"])

        async def part(offset: int) -> str:
            await asyncio.sleep(0)
            return f"{flask.request.args['label']}{flask.g.base + offset}"

        parts = await asyncio.gather(*(part(i) for i in range(3)))
        return ",".join(parts)

    assert client.get("/fanout?base=10&label=n").data == b"n10,n11,n12"


def test_concurrent_async_requests_in_threads_keep_their_own_contexts(app):
    workers = 5
    # Every request waits here, inside the view, until all of them have arrived, so
    # they are all in flight at the same time.
    all_inside = threading.Barrier(workers, timeout=30)

    @app.route("/whoami")
    async def whoami() -> dict[str, t.Any]:
        flask.g.caller = flask.request.args["caller"]
        await asyncio.sleep(0)
        await asyncio.to_thread(all_inside.wait)
        await asyncio.sleep(0)
        return {
            "arg": flask.request.args["caller"],
            "g": flask.g.caller,
            "header": flask.request.headers["X-Caller"],
        }

    answers: dict[str, t.Any] = {}
    failures: list[BaseException] = []

    def call(name: str) -> None:
        try:
            response = app.test_client().get(
                f"/whoami?caller={name}", headers={"X-Caller": name}
            )
            answers[name] = response.json
        except BaseException as e:  # reported by the main thread
            failures.append(e)

    names = [f"caller-{i}" for i in range(workers)]
    threads = [threading.Thread(target=call, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert answers == {name: {"arg": name, "g": name, "header": name} for name in names}


# -- ensure_sync and async_to_sync ------------------------------------------------------


def test_ensure_sync_returns_plain_callables_unchanged(app):
    def regular(x: int) -> int:
        return x + 1

    class Callable:
        def __call__(self) -> str:
            return "called"

    instance = Callable()
    assert app.ensure_sync(regular) is regular
    assert app.ensure_sync(instance) is instance
    assert app.ensure_sync(len) is len


def test_ensure_sync_makes_coroutine_functions_callable_synchronously(app):
    async def combine(a: str, b: str, *, sep: str = "+") -> str:
        await asyncio.sleep(0)
        return f"{a}{sep}{b}"

    wrapped = app.ensure_sync(combine)

    assert wrapped is not combine
    assert not asyncio.iscoroutinefunction(wrapped)
    assert wrapped("x", "y") == "x+y"
    assert wrapped("x", "y", sep="/") == "x/y"


def test_ensure_sync_wrapped_coroutine_raises_its_own_exception(app):
    async def refuse() -> None:
        await asyncio.sleep(0)
        raise PermissionError("not yours")

    with pytest.raises(PermissionError, match="not yours"):
        app.ensure_sync(refuse)()


def test_async_to_sync_can_be_called_directly(app):
    async def double(n: int) -> int:
        await asyncio.sleep(0)
        return n * 2

    assert app.async_to_sync(double)(21) == 42


def test_subclass_ensure_sync_is_used_for_views_hooks_and_handlers():
    seen: list[str] = []

    class Recording(flask.Flask):
        def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
            name = getattr(func, "__name__", "")
            if name.startswith("my_"):
                seen.append(name)
            return super().ensure_sync(func)

    app = Recording(__name__)

    @app.before_request
    def my_before() -> None:
        pass

    @app.after_request
    async def my_after(response: flask.Response) -> flask.Response:
        return response

    @app.teardown_request
    def my_teardown(exc: BaseException | None) -> None:
        pass

    @app.context_processor
    def my_processor() -> dict[str, str]:
        return {"n": "1"}

    @app.errorhandler(404)
    async def my_not_found(error: Exception) -> tuple[str, int]:
        return "absent", 404

    @app.route("/")
    async def my_view() -> str:
        return "root"

    @app.route("/page")
    def my_page() -> str:
        return flask.render_template_string("{{ n }}")

    client = app.test_client()
    assert client.get("/").data == b"root"
    assert seen == ["my_before", "my_view", "my_after", "my_teardown"]
    seen.clear()
    assert client.get("/page").data == b"1"
    assert seen == ["my_before", "my_page", "my_processor", "my_after", "my_teardown"]
    seen.clear()
    assert client.get("/missing").data == b"absent"
    assert seen == ["my_before", "my_not_found", "my_after", "my_teardown"]


def test_subclass_async_to_sync_runs_the_coroutines():
    runs: list[str] = []

    class OwnLoop(flask.Flask):
        def async_to_sync(
            self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
        ) -> t.Callable[..., t.Any]:
            def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
                runs.append(func.__name__)
                return asyncio.run(func(*args, **kwargs))

            return run

    app = OwnLoop(__name__)

    @app.before_request
    async def prepare() -> None:
        flask.g.prepared = True

    @app.route("/own/<word>")
    async def own(word: str) -> str:
        return f"{word} {flask.request.path} {flask.g.prepared}"

    assert app.test_client().get("/own/loop").data == b"loop /own/loop True"
    assert runs == ["prepare", "own"]


# -- without asgiref ---------------------------------------------------------------


@pytest.fixture
def no_asgiref(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import asgiref.sync`` fail, as if the package were not installed."""
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)


def test_without_asgiref_wrapping_a_coroutine_asks_for_the_async_extra(app, no_asgiref):
    async def needs_loop() -> None:
        pass

    with pytest.raises(RuntimeError, match=MISSING_ASGIREF):
        app.ensure_sync(needs_loop)
    with pytest.raises(RuntimeError, match=MISSING_ASGIREF):
        app.async_to_sync(needs_loop)


def test_without_asgiref_sync_functions_still_pass_through(app, client, no_asgiref):
    def regular() -> str:
        return "fine"

    app.route("/regular")(regular)

    assert app.ensure_sync(regular) is regular
    assert client.get("/regular").data == b"fine"


def test_without_asgiref_an_async_view_fails_the_request(app, client, no_asgiref):
    @app.route("/later")
    async def later() -> str:
        return "never"

    with pytest.raises(RuntimeError, match=MISSING_ASGIREF):
        client.get("/later")

    app.testing = False
    assert client.get("/later").status_code == 500
