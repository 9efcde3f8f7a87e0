"""The shared event loop that runs async views, hooks and handlers (``flask._runner``,
``ASYNC_RUNNER``): what a coroutine sees, what survives between requests, what
happens to its exceptions, context variables and leftover tasks, and how the loop
behaves across threads, forks and interpreter exit."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import logging
import subprocess
import sys
import textwrap
import threading
import typing as t
import weakref

import pytest

import flask

# Every wait in these tests has a deadline, so that a broken runner fails instead of
# hanging the suite.
DEADLINE = 30

trace_id: contextvars.ContextVar[str] = contextvars.ContextVar("trace_id")


def in_threads(count: int, target: t.Callable[[int], t.Any]) -> list[t.Any]:
    """Run ``target(i)`` in ``count`` threads at once; return the results in order,
    re-raising the first failure."""
    results: list[t.Any] = [None] * count
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            results[index] = target(index)
        except BaseException as e:  # reported by the calling thread
            failures.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    if failures:
        raise failures[0]
    return results


# -- what the coroutine sees -------------------------------------------------------


def test_contexts_are_visible_in_the_view_and_in_its_tasks(app, client):
    @app.route("/look/<word>")
    async def look(word: str) -> dict[str, t.Any]:
        flask.g.word = word
        flask.session["seen"] = word

        async def child() -> str:
            await asyncio.sleep(0)
            return (
                f"{flask.request.path} {flask.g.word} {flask.session['seen']}"
                f" {flask.current_app.name}"
            )

        created = await asyncio.create_task(child())
        gathered = await asyncio.gather(child(), child())
        return {"created": created, "gathered": gathered}

    expected = "/look/kite kite kite flask_test"
    assert client.get("/look/kite").json == {
        "created": expected,
        "gathered": [expected, expected],
    }


def test_the_running_loop_is_the_same_in_every_request_and_thread(app):
    @app.route("/loop")
    async def loop() -> str:
        return str(id(asyncio.get_running_loop()))

    first = app.test_client().get("/loop").text
    assert app.test_client().get("/loop").text == first
    from_threads = in_threads(3, lambda i: app.test_client().get("/loop").text)
    assert from_threads == [first] * 3


def test_a_connection_opened_in_one_request_is_reused_by_later_ones(app, client):
    # A TCP server and a client connection to it, both bound to the loop: with a
    # loop per call (Flask 3.1.3), the second request fails on the dead loop.
    state: dict[str, t.Any] = {}

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            writer.write(b"echo " + line)
            await writer.drain()
        writer.close()

    @app.route("/open")
    async def open_connection() -> str:
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        state["server"] = server
        state["streams"] = await asyncio.open_connection("127.0.0.1", port)
        return "open"

    # One request at a time on the connection: the lock is loop-bound too.
    turn = asyncio.Lock()

    @app.route("/say/<word>")
    async def say(word: str) -> str:
        reader, writer = state["streams"]
        async with turn:
            writer.write(word.encode() + b"\n")
            await writer.drain()
            return (await asyncio.wait_for(reader.readline(), DEADLINE)).decode()

    @app.route("/close")
    async def close() -> str:
        reader, writer = state["streams"]
        writer.close()
        await writer.wait_closed()
        state["server"].close()
        await state["server"].wait_closed()
        return "closed"

    assert client.get("/open").text == "open"
    assert client.get("/say/one").text == "echo one\n"
    assert client.get("/say/two").text == "echo two\n"
    assert in_threads(2, lambda i: client.get(f"/say/t{i}").text) == [
        "echo t0\n",
        "echo t1\n",
    ]
    assert client.get("/close").text == "closed"


def test_a_lock_created_at_import_serializes_requests_of_all_threads(app):
    lock = asyncio.Lock()  # created without a loop, bound on first contended use
    inside: list[int] = []
    most: list[int] = []

    @app.route("/critical")
    async def critical() -> str:
        async with lock:
            inside.append(1)
            most.append(len(inside))
            await asyncio.sleep(0.001)
            inside.pop()
        return "done"

    assert (
        in_threads(6, lambda i: app.test_client().get("/critical").text) == ["done"] * 6
    )
    assert most == [1] * 6


def test_concurrent_requests_share_the_loop_while_in_flight(app):
    # Each request waits for an asyncio.Event that the last one to arrive sets: this
    # only finishes if all of them are waiting on the same loop at the same time.
    count = 5
    arrived: list[int] = []
    everyone = asyncio.Event()

    @app.route("/meet/<int:n>")
    async def meet(n: int) -> str:
        arrived.append(n)
        if len(arrived) == count:
            everyone.set()
        await asyncio.wait_for(everyone.wait(), DEADLINE)
        return f"{n} met {len(arrived)}"

    answers = in_threads(count, lambda i: app.test_client().get(f"/meet/{i}").text)
    assert answers == [f"{i} met {count}" for i in range(count)]


def test_many_overlapping_calls_from_many_threads_all_get_their_own_result(app):
    # Calls of different lengths from several threads, so that the loop changes
    # hands many times, between threads with calls in flight and without.
    async def work(thread: int, n: int) -> tuple[int, int, str]:
        for _ in range((thread + n) % 4):
            await asyncio.sleep(0)
        return thread, n, flask.current_app.name

    run = app.ensure_sync(work)

    def calls(thread: int) -> list[tuple[int, int, str]]:
        with app.app_context():
            return [run(thread, n) for n in range(200)]

    results = in_threads(8, calls)
    assert results == [
        [(thread, n, "flask_test") for n in range(200)] for thread in range(8)
    ]


def test_a_coroutine_run_from_a_worker_thread_of_the_view_does_not_deadlock(
    app, client
):
    # The view's thread drives the loop; the worker thread hands its coroutine to it.
    async def inner() -> str:
        await asyncio.sleep(0)
        return f"inner saw {flask.request.args['q']}"

    @app.route("/outer")
    async def outer() -> str:
        run_inner = flask.copy_current_request_context(inner)
        return await asyncio.to_thread(run_inner)

    assert client.get("/outer?q=x").text == "inner saw x"


def test_thread_sensitive_sync_to_async_runs_in_one_shared_thread(app, client):
    from asgiref.sync import sync_to_async

    def blocking() -> tuple[int, str]:
        return threading.get_ident(), flask.request.path

    @app.route("/sensitive/<int:n>")
    async def sensitive(n: int) -> dict[str, t.Any]:
        ident, path = await sync_to_async(blocking, thread_sensitive=True)()
        return {"ident": ident, "path": path, "view": threading.get_ident()}

    first = client.get("/sensitive/1").json
    second = in_threads(1, lambda i: client.get("/sensitive/2").json)[0]
    assert (first["path"], second["path"]) == ("/sensitive/1", "/sensitive/2")
    # asgiref's thread for thread-sensitive code, the same for every request.
    assert first["ident"] == second["ident"]
    assert first["ident"] not in (first["view"], second["view"])


def test_an_async_request_is_freed_without_the_garbage_collector(app, client):
    # The runner keeps no reference cycle to the request's objects, so they go
    # as soon as the request ends, as for a sync view.
    seen: list[weakref.ref[t.Any]] = []

    @app.route("/weak")
    async def weak() -> str:
        seen.append(weakref.ref(flask.request._get_current_object()))  # type: ignore[attr-defined]
        return "ok"

    gc.disable()
    try:
        assert client.get("/weak").text == "ok"
        assert seen[0]() is None
    finally:
        gc.enable()


# -- exceptions ----------------------------------------------------------------------


def test_exceptions_reach_error_handlers_as_from_a_sync_view(app):
    app.testing = False
    handled: list[BaseException] = []
    raised: dict[str, BaseException] = {}

    class Conflict(Exception):
        pass

    @app.errorhandler(Conflict)
    def conflict(error: Conflict) -> tuple[str, int]:
        handled.append(error)
        return f"conflict {error}", 409

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        original = getattr(error, "original_exception", None)
        return f"500 for {type(original).__name__}", 500

    def make_views(prefix: str, is_async: bool) -> None:
        def conflicting() -> str:
            raised[prefix] = Conflict(prefix)
            raise raised[prefix]

        def aborting() -> str:
            flask.abort(418)

        def crashing() -> str:
            raise ZeroDivisionError

        for func in (conflicting, aborting, crashing):
            view: t.Any = func
            if is_async:

                async def view(func: t.Any = func) -> str:
                    await asyncio.sleep(0)
                    return func()  # type: ignore[no-any-return]

            app.add_url_rule(
                f"/{prefix}/{func.__name__}", f"{prefix}_{func.__name__}", view
            )

    make_views("sync", False)
    make_views("async", True)
    client = app.test_client()
    for name in ("conflicting", "aborting", "crashing"):
        sync_response = client.get(f"/sync/{name}")
        async_response = client.get(f"/async/{name}")
        assert (async_response.status_code, async_response.text) == (
            sync_response.status_code,
            sync_response.text.replace("sync", "async"),
        )
    assert handled == [raised["sync"], raised["async"]]


def test_an_unhandled_exception_propagates_with_the_coroutine_frames(app, client):
    @app.route("/deep")
    async def deep() -> str:
        async def innermost() -> None:
            await asyncio.sleep(0)
            raise LookupError("lost")

        await innermost()
        return "never"

    with pytest.raises(LookupError, match="lost") as caught:
        client.get("/deep")
    names = [entry.name for entry in caught.traceback]
    assert names.index("deep") < names.index("innermost")


def test_base_exceptions_from_the_coroutine_reach_the_caller_and_not_the_loop(app):
    async def interrupt() -> None:
        raise KeyboardInterrupt

    async def fine() -> str:
        return "still running"

    with pytest.raises(KeyboardInterrupt):
        app.ensure_sync(interrupt)()
    assert app.ensure_sync(fine)() == "still running"


# -- context variables ----------------------------------------------------------------


def test_context_changes_reach_the_rest_of_the_request_but_not_the_next(app, client):
    seen: list[tuple[str, str]] = []

    @app.before_request
    async def start_trace() -> None:
        if flask.request.path == "/traced":
            trace_id.set("t-1")

    @app.route("/traced")
    def traced() -> str:
        return trace_id.get("none")

    @app.route("/untraced")
    async def untraced() -> str:
        return trace_id.get("none")

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        seen.append(("after", trace_id.get("none")))
        return response

    @app.teardown_appcontext
    def teardown(exc: BaseException | None) -> None:
        seen.append(("teardown", trace_id.get("none")))

    assert client.get("/traced").text == "t-1"
    assert client.get("/untraced").text == "none"
    assert trace_id.get("none") == "none"
    assert seen == [
        ("after", "t-1"),
        ("teardown", "t-1"),
        ("after", "none"),
        ("teardown", "none"),
    ]


def test_context_changes_in_a_task_stay_in_the_task(app, client):
    @app.route("/task")
    async def task() -> str:
        async def child() -> None:
            trace_id.set("child")

        await asyncio.create_task(child())
        return trace_id.get("none")

    assert client.get("/task").text == "none"


def test_context_changes_outside_of_any_context_stay_like_with_asgiref(app):
    # No application context to tie them to: they stay in the caller's context, as
    # asgiref's async_to_sync leaves them.
    async def mark() -> None:
        trace_id.set("kept")

    def call_in_fresh_context() -> str:
        app.ensure_sync(mark)()
        return trace_id.get("none")

    assert contextvars.Context().run(call_in_fresh_context) == "kept"
    assert trace_id.get("none") == "none"


# -- tasks left pending ----------------------------------------------------------------


def test_tasks_left_pending_are_cancelled_before_the_response(app, client):
    events: list[str] = []

    async def background(name: str) -> None:
        try:
            events.append(f"{name} started")
            await asyncio.sleep(DEADLINE)
            events.append(f"{name} finished")
        except asyncio.CancelledError:
            events.append(f"{name} cancelled")
            raise
        finally:
            events.append(f"{name} cleaned up in {flask.request.path}")

    @app.route("/fire")
    async def fire() -> str:
        asyncio.create_task(background("a"))
        asyncio.get_running_loop().create_task(background("b"))
        await asyncio.sleep(0)
        return "fired"

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        events.append("after request")
        return response

    assert client.get("/fire").text == "fired"
    assert events == [
        "a started",
        "b started",
        "a cancelled",
        "a cleaned up in /fire",
        "b cancelled",
        "b cleaned up in /fire",
        "after request",
    ]


def test_a_leftover_task_failing_while_cancelled_is_logged(app, client, caplog):
    async def stubborn() -> None:
        try:
            await asyncio.sleep(DEADLINE)
        finally:
            raise RuntimeError("cleanup failed")

    @app.route("/stubborn")
    async def view() -> str:
        asyncio.create_task(stubborn())
        await asyncio.sleep(0)
        return "returned"

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert client.get("/stubborn").text == "returned"
    assert "cleanup failed" in caplog.text


def test_finished_and_awaited_tasks_are_left_alone(app, client):
    @app.route("/done")
    async def done() -> str:
        quick = asyncio.create_task(asyncio.sleep(0, result="quick"))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return f"{quick.done()} {await quick}"

    assert client.get("/done").text == "True quick"


# -- nested calls and the ASYNC_RUNNER setting -------------------------------------------


def test_running_a_coroutine_from_inside_the_loop_is_refused(app, client):
    async def helper() -> str:
        return "helper"

    @app.route("/nested")
    async def nested() -> str:
        return flask.current_app.ensure_sync(helper)()  # type: ignore[no-any-return]

    with pytest.raises(RuntimeError, match="await it instead"):
        client.get("/nested")


def test_refused_inside_a_foreign_event_loop_too(app):
    async def helper() -> str:
        return "helper"

    async def foreign() -> None:
        app.ensure_sync(helper)()

    with pytest.raises(RuntimeError, match="event loop"):
        asyncio.run(foreign())


def test_asgiref_runner_uses_a_new_loop_for_every_call(app, client):
    app.config["ASYNC_RUNNER"] = "asgiref"

    @app.route("/loop")
    async def loop() -> str:
        return str(id(asyncio.get_running_loop()))

    loops = {client.get("/loop").text for _ in range(3)}
    assert len(loops) > 1


def test_asgiref_runner_leaks_context_changes_like_flask(app, client):
    app.config["ASYNC_RUNNER"] = "asgiref"

    @app.route("/set")
    async def set_trace() -> str:
        trace_id.set("leaked")
        return "set"

    def two_requests() -> str:
        client.get("/set")
        return trace_id.get("none")

    assert contextvars.Context().run(two_requests) == "leaked"


def test_unknown_runner_is_an_error(app, client):
    app.config["ASYNC_RUNNER"] = "uvloop"

    async def anything() -> None:
        pass

    with pytest.raises(ValueError, match="'shared_loop', 'asgiref'"):
        app.ensure_sync(anything)


def test_the_default_runner_is_in_the_default_config():
    assert flask.Flask.default_config["ASYNC_RUNNER"] == "shared_loop"


def test_wrapped_function_keeps_its_name(app):
    async def fetch_price() -> int:
        return 3

    wrapped = app.ensure_sync(fetch_price)
    assert wrapped.__name__ == "fetch_price"
    assert wrapped.__wrapped__ is fetch_price  # type: ignore[attr-defined]


# -- forks and interpreter exit, in fresh interpreters -------------------------------------


def run_script(source: str) -> subprocess.CompletedProcess[str]:
    """Run ``source`` in a new interpreter in development mode, which reports
    unclosed loops, unclosed transports and tasks destroyed while pending."""
    return subprocess.run(
        [sys.executable, "-X", "dev", "-c", textwrap.dedent(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_exit_cancels_leftovers_and_closes_the_loop_without_warnings():
    done = run_script(
        """
        import asyncio, atexit
        import flask

        app = flask.Flask("exiting")
        state = {}

        async def forever():
            await asyncio.sleep(3600)

        async def ticker():
            while True:
                yield 1
                await asyncio.sleep(0)

        @app.route("/")
        async def index():
            state["server"] = await asyncio.start_server(
                lambda r, w: None, "127.0.0.1", 0)
            # A task the view keeps out of its own tracking, and a suspended
            # async generator: both are cleaned up at exit.
            # (Context.run rather than create_task's context argument: Python 3.10.)
            __import__("contextvars").Context().run(asyncio.create_task, forever())
            gen = ticker()
            await gen.__anext__()
            state["gen"] = gen
            return "ok"

        @atexit.register
        def close_server():
            async def close():
                state["server"].close()
                await state["server"].wait_closed()
            app.ensure_sync(close)()
            print("closed at exit")

        print(app.test_client().get("/").text)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "closed", "at", "exit"]
    assert done.stderr == ""


def test_exit_after_the_default_executor_was_used_is_quiet():
    # Shutting the loop's default executor down at exit must not start a thread,
    # which Python 3.12 refuses during interpreter shutdown.
    done = run_script(
        """
        import asyncio
        import flask

        app = flask.Flask("executor")

        @app.route("/")
        async def index():
            return await asyncio.to_thread(str.upper, "ok")

        print(app.test_client().get("/").text)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["OK"]
    assert done.stderr == ""


def test_a_forked_child_starts_its_own_loop():
    done = run_script(
        """
        import asyncio, os
        import flask

        app = flask.Flask("forking")

        async def loop_id():
            await asyncio.sleep(0)
            return id(asyncio.get_running_loop())

        run = app.ensure_sync(loop_id)
        parent_loop = run()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            child_loop = run()
            from flask import _runner
            inherited = [id(shared.loop) for shared in _runner._inherited]
            os.write(write, f"{child_loop != parent_loop} {inherited == [parent_loop]}"
                     f" {run() == child_loop}".encode())
            os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        print(os.read(read, 100).decode(), run() == parent_loop)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "True"]
    assert done.stderr == ""
