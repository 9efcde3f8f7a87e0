"""The event loop that runs async views, hooks and handlers for a WSGI application.

:meth:`Flask.async_to_sync <flask.Flask.async_to_sync>` hands coroutine functions to
:func:`async_to_sync` here. Every call in the process runs on one event loop that is
created on first use and kept until the interpreter exits, so anything bound to a loop
(an HTTP client's connection pool, an ``asyncio.Lock``, a database pool) keeps working
from one request to the next, in every thread of the worker.

Nobody owns the loop: the thread that needs it while it is idle runs it (the *driver*),
inside its own call. A thread that needs it while another one drives hands its
coroutine over (``call_soon_threadsafe``) and sleeps until the coroutine has finished,
or until the driver's own coroutine is done and it takes over driving. A server that
handles one request at a time therefore never switches threads, and concurrent
requests share the loop like tasks of an ASGI server would.

What a call guarantees (docs/async.rst explains it for users):

- The coroutine runs in a copy of the caller's :mod:`contextvars` context, so the
  request and application contexts are there, in tasks it creates too. Values it sets
  are copied back into the caller's context when it returns, and taken back out when
  the application context that was active ends (:func:`undo_context_changes`), so
  they reach the hooks of the same request but never the next request.
- Tasks that its code created and that are still pending when it returns are
  cancelled, and awaited, before the call returns, like Flask 3.1.3 does when it
  closes its loop. Tasks that the loop's callbacks create (for a server the
  coroutine started, say) are left running.
- Its outcome is returned, or raised in the caller, whatever it is.

A forked child does not reuse the parent's loop; an exit handler cancels what is left
on the loop and closes it when the interpreter exits.
"""

from __future__ import annotations

import atexit
import contextvars
import os
import sys
import threading
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    import asyncio

#: The values the ``ASYNC_RUNNER`` configuration key accepts.
RUNNERS = ("shared_loop", "asgiref")

_NOT_SET = object()

# The call whose coroutine the current task belongs to, for tracking its tasks.
_current_call: contextvars.ContextVar[_Call] = contextvars.ContextVar(
    "flask_runner_call"
)


def require_asgiref() -> t.Any:
    """Return :mod:`asgiref.sync`, which async views need (as in Flask).

    :raises RuntimeError: asgiref is not installed.
    """
    module = sys.modules.get("asgiref.sync")
    if module is not None:
        return module
    try:
        import asgiref.sync
    except ImportError:
        raise RuntimeError(
            "Install Flask with the 'async' extra in order to use async views."
            " For example: pip install 'flask[async]' (which installs asgiref)."
        ) from None
    return asgiref.sync


def async_to_sync(
    func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]], runner: str
) -> t.Callable[..., t.Any]:
    """Wrap ``func`` so that calling the wrapper runs it to completion.

    :param runner: ``"shared_loop"`` runs it on the process's event loop;
        ``"asgiref"`` uses :func:`asgiref.sync.async_to_sync`, which starts a new loop
        in a new thread for every call (what Flask 3.1.3 does).
    :raises RuntimeError: asgiref is not installed.
    :raises ValueError: ``runner`` is not one of :data:`RUNNERS`.
    """
    asgiref_sync = require_asgiref()
    if runner == "shared_loop":

        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return run_coroutine(func(*args, **kwargs))

        # Not functools.update_wrapper: this runs for every async view and hook of
        # every request, and copying the name and __wrapped__ is what matters.
        run.__wrapped__ = func  # type: ignore[attr-defined]
        run.__name__ = run.__qualname__ = getattr(func, "__name__", run.__name__)
        return run
    if runner == "asgiref":
        return asgiref_sync.async_to_sync(func)  # type: ignore[no-any-return]
    raise ValueError(
        f"ASYNC_RUNNER must be one of {', '.join(map(repr, RUNNERS))}, not {runner!r}."
    )


def run_coroutine(coro: t.Coroutine[t.Any, t.Any, t.Any]) -> t.Any:
    """Run ``coro`` on the process's event loop, in a copy of the current context,
    and return its result or raise its exception.

    :raises RuntimeError: Called from code that an event loop is running in this
        thread; that code should await the coroutine instead.
    """
    shared = _shared
    if shared is None:
        shared = _start_shared_loop()
    return shared.run(coro)


def undo_context_changes(
    changes: list[tuple[contextvars.ContextVar[t.Any], t.Any]],
) -> None:
    """Take back the context variable values that calls copied into the caller's
    context, newest first. Called when the application context they were made in is
    popped."""
    while changes:
        var, token = changes.pop()
        try:
            var.reset(token)
        except (ValueError, RuntimeError):
            # Popped from another context (a streamed response ending elsewhere), or
            # reset already: there is nothing of ours left to undo there.
            pass


class _Call:
    """One coroutine on its way through the loop, and how it ended."""

    __slots__ = (
        "coro", "context", "main", "done", "ok", "value", "final", "tasks", "wake",
    )  # fmt: skip

    def __init__(
        self, coro: t.Coroutine[t.Any, t.Any, t.Any], context: contextvars.Context
    ) -> None:
        self.coro = coro
        self.context = context
        #: The call's own task; held here, since the loop only keeps weak references.
        self.main: asyncio.Task[None] | None = None
        self.done = False
        self.ok = False
        self.value: t.Any = None
        self.final: contextvars.Context | None = None
        #: The tasks the call's code created (see _SharedLoop._make_task).
        self.tasks: list[asyncio.Task[t.Any]] = []
        #: Held while the calling thread waits; released to wake it. ``None`` for a
        #: call whose thread drives the loop from the start.
        self.wake: t.Any = None


class _SharedLoop:
    """The event loop of the process, and who is running it right now."""

    def __init__(self) -> None:
        import asyncio

        self.asyncio = asyncio
        # In an empty context: the loop's own callbacks (its self-pipe reader) keep
        # the context they are created in, which would otherwise be the context of
        # the request that happens to start the loop, with its objects.
        self.loop = contextvars.Context().run(asyncio.new_event_loop)
        self.loop.set_task_factory(self._make_task)
        # Guards driver and waiting. Never held while the loop runs.
        self.lock = threading.Lock()
        self.driver: _Call | None = None
        self.driver_thread: int | None = None
        #: Calls handed over by threads that wait for them, not finished yet.
        self.waiting: list[_Call] = []
        self.closed = False

    def _make_task(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: t.Any,
        context: contextvars.Context | None = None,
        **kwargs: t.Any,
    ) -> asyncio.Task[t.Any]:
        # Remember which call's code created the task, so the ones it leaves pending
        # can be cancelled when it returns (a task created with an explicit
        # context belongs to the call of that context). Tasks that the loop's own
        # callbacks create, like the handler task of a connection to a server that
        # a view started, belong to no call: they live as long as what they serve.
        if context is None:
            task = self.asyncio.Task(coro, loop=loop, **kwargs)
            owner = _current_call.get(None)
        else:
            # Only Python 3.11+ passes a context, and its Task accepts one.
            task = self.asyncio.Task(coro, loop=loop, context=context, **kwargs)  # type: ignore[call-arg]
            owner = context.get(_current_call)
        if owner is not None and self.asyncio.current_task(loop) is not None:
            owner.tasks.append(task)
        return task

    def run(self, coro: t.Coroutine[t.Any, t.Any, t.Any]) -> t.Any:
        running = self.asyncio._get_running_loop()
        # Under gevent every greenlet of a thread sees the loop that one of them
        # runs, so it is only a nested call if this very greenlet drives.
        if running is not None and (
            running is not self.loop or self.driver_thread == threading.get_ident()
        ):
            coro.close()
            raise RuntimeError(
                "A coroutine function cannot be run synchronously from code that an"
                " event loop is running in the same thread (an async view calling"
                " something that goes through 'ensure_sync', for example): await it"
                " instead."
            )
        context = contextvars.copy_context()
        call = _Call(coro, context)
        context.run(_current_call.set, call)
        with self.lock:
            if self.closed:
                # Shut down by the exit handler while this thread was on its way.
                call.wake = False
            elif self.driver is None:
                self.driver = call
            else:
                # Looked up now, so that it is gevent's lock once gevent patched
                # the threading module.
                call.wake = threading.Lock()
                call.wake.acquire()
                self.waiting.append(call)
                self.loop.call_soon_threadsafe(self._start, call)
        if call.wake is False:
            return _start_shared_loop().run(coro)
        if call.wake is None:
            self._start(call)
            self._drive(call)
        else:
            call.wake.acquire()
            if not call.done:
                # The driver's call ended first, and this thread takes over.
                self._drive(call)
        return self._outcome(call)

    def _start(self, call: _Call) -> None:
        # The Task class directly rather than create_task: the call's own task needs
        # no tracking, and skipping the task factory saves a microsecond or two.
        main = self._main(call)
        if sys.version_info >= (3, 11):
            call.main = self.asyncio.Task(main, loop=self.loop, context=call.context)  # type: ignore[call-arg]
        else:  # pragma: no cover
            call.main = call.context.run(self.asyncio.Task, main, loop=self.loop)

    def _drive(self, call: _Call) -> None:
        """Run the loop in this thread until ``call`` is done, then hand it to a
        waiting thread whose call is not done yet, if there is one."""
        self.driver_thread = threading.get_ident()
        try:
            while not call.done:
                self.loop.run_forever()
        finally:
            self.driver_thread = None
            with self.lock:
                successor = next((c for c in self.waiting if not c.done), None)
                self.driver = successor
            if successor is not None:
                successor.wake.release()

    async def _main(self, call: _Call) -> None:
        try:
            try:
                call.value = await call.coro
                call.ok = True
            except BaseException as e:
                # Everything, KeyboardInterrupt included, goes to the caller: raised
                # through the loop, it would stop whichever thread drives it.
                call.value = e
            call.coro = None  # type: ignore[assignment]
            await self._cancel_leftovers(call)
        finally:
            # Whatever happened, the waiting thread must wake up.
            call.final = contextvars.copy_context()
            self._finish(call)

    async def _cancel_leftovers(self, call: _Call) -> None:
        if not call.tasks:  # The usual case.
            return
        asyncio = self.asyncio
        while True:
            pending = [t for t in call.tasks if not t.done()]
            if not pending:
                break
            for task in pending:
                task.cancel()
            await asyncio.wait(pending)
            for task in pending:
                if not task.cancelled() and task.exception() is not None:
                    self.loop.call_exception_handler(
                        {
                            "message": "A task the view left running failed while"
                            " it was being cancelled",
                            "exception": task.exception(),
                            "task": task,
                        }
                    )
        call.tasks.clear()

    def _finish(self, call: _Call) -> None:
        call.done = True
        if self.driver is call:
            # The thread running the loop waits for this call: let it return.
            self.loop.stop()
            return
        with self.lock:
            if call in self.waiting:
                self.waiting.remove(call)
        if call.wake is not None:
            call.wake.release()

    def _outcome(self, call: _Call) -> t.Any:
        """Copy the call's context changes into the caller's context, then return
        its result or raise its exception."""
        final = call.final
        # The call's context refers to the call: break the cycle, so that the
        # request's objects go when the request does, not at the next collection.
        call.final = call.context = call.main = None  # type: ignore[assignment]
        if final is not None:
            _adopt_changes(final)
        value = call.value
        call.value = None
        if call.ok:
            return value
        try:
            raise value
        finally:
            value = None

    def close(self) -> None:
        """Cancel what is left on the loop, finish async generators and the default
        executor, and close the loop. Nothing happens while a thread drives it."""
        asyncio = self.asyncio
        with self.lock:
            if self.driver is not None or self.closed:
                return
            # From now on, new calls start another loop (see _start_shared_loop).
            self.closed = True
        loop = self.loop
        try:
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            try:
                loop.run_until_complete(loop.shutdown_default_executor())
            except RuntimeError:
                # Python 3.12 refuses the thread this starts once the interpreter is
                # exiting; by then concurrent.futures has joined the executor's
                # threads itself, and closing the loop shuts the executor down.
                pass
        finally:
            loop.close()


def _adopt_changes(final: contextvars.Context) -> None:
    """Set, in the current context, the values that differ in ``final`` (the call's
    context at its end; the caller's did not change while it waited), and note them
    on the active application context so that its last pop undoes them."""
    changes: list[tuple[contextvars.ContextVar[t.Any], t.Any]] | None = None
    for var, value in final.items():
        if var is _current_call or var.get(_NOT_SET) is value:
            continue
        if changes is None:
            changes = []
        changes.append((var, var.set(value)))
    if changes is None:
        return
    from .globals import _cv_app

    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        app_ctx.__dict__.setdefault("_context_changes", []).extend(changes)


_shared: _SharedLoop | None = None
_shared_lock = threading.Lock()
# Loops inherited from a parent process. They are kept, never closed: closing one
# would unregister its file descriptors from the selector the parent still uses.
_inherited: list[_SharedLoop] = []


def _start_shared_loop() -> _SharedLoop:
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = _SharedLoop()
        return _shared


def _forget_after_fork() -> None:
    global _shared, _shared_lock
    _shared_lock = threading.Lock()
    if _shared is not None:
        _inherited.append(_shared)
        _shared = None


def shutdown() -> None:
    """Close the process's event loop, if there is one and no thread is running it.
    Registered to run at interpreter exit; the next call starts a new loop."""
    global _shared
    shared = _shared
    if shared is not None:
        shared.close()
        if shared.closed:
            _shared = None


# This module is imported with flask, so the exit handler is registered before any
# that the application registers: those run first (handlers run last-in, first-out)
# and can still use the loop, to close a client for example.
atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
