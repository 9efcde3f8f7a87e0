"""Application and request contexts.

A context makes an application (and, for a request context, an incoming request) the
"current" one for the code running inside it, so that :data:`~flask.current_app`,
:data:`~flask.g`, :data:`~flask.request` and :data:`~flask.session` resolve. The
framework pushes both contexts around every request; push them yourself with
``app.app_context()`` or ``app.test_request_context()`` for work outside of a request,
such as CLI commands, background jobs and tests.
"""

from __future__ import annotations

import sys
import typing as t
from functools import update_wrapper
from types import TracebackType

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from . import fastpaths
from . import typing as ft
from ._malformed import sendable_location
from ._runner import undo_context_changes
from .globals import _cv_app
from .globals import _cv_request
from .signals import appcontext_popped
from .signals import appcontext_pushed

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment

    from .app import Flask
    from .sessions import SessionMixin
    from .wrappers import Request

# Marks "argument not given" where None is a meaningful value (no exception).
_sentinel = object()

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _AppCtxGlobals:
    """The namespace behind :data:`flask.g`: a plain object for storing data during an
    application context.

    One is created for each application context, so values stored on ``g`` during a
    request are gone once the request ends. Besides attribute access it supports ``in``,
    iteration over the stored names, and the dict-like :meth:`get`, :meth:`pop` and
    :meth:`setdefault`. Applications may replace it by setting
    :attr:`~flask.Flask.app_ctx_globals_class`.
    """

    if t.TYPE_CHECKING:  # pragma: no cover
        # Only for type checkers: any attribute may be stored and read on ``g``.
        def __getattr__(self, name: str) -> t.Any: ...

        def __setattr__(self, name: str, value: t.Any) -> None: ...

        def __delattr__(self, name: str) -> None: ...

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """Return the attribute ``name``, or ``default`` when it is not set."""
        return vars(self).get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove the attribute ``name`` and return its value.

        :param default: Returned when the attribute is not set. Without it, a missing
            attribute raises :exc:`KeyError`.
        """
        stored = vars(self)
        if default is _sentinel:
            return stored.pop(name)
        return stored.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return the attribute ``name``, first setting it to ``default`` if it is not
        set."""
        return vars(self).setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in vars(self)

    def __iter__(self) -> t.Iterator[str]:
        return iter(vars(self))

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is None:
            return super().__repr__()
        return f"<flask.g of {ctx.app.name!r}>"


def after_this_request(
    f: ft.AfterRequestCallable[t.Any],
) -> ft.AfterRequestCallable[t.Any]:
    """Register a function to run on the response of the current request only.

    Use it from a view or a ``before_request`` function to change a response that is not
    created yet::

        @app.route("/")
        def index():
            @after_this_request
            def add_header(response):
                response.headers["X-Foo"] = "Parachute"
                return response

            return "Hello, World!"

    The function receives the response object and must return a response object (the
    same one or a new one). Functions registered this way run before the
    ``after_request`` functions, in the order they were registered.

    :raises RuntimeError: No request context is active.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request context is active,"
            " such as in a view function. Call it from a view or a 'before_request'"
            " function."
        )
    ctx._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Bind a function to a copy of the current request context.

    The returned function pushes that copy while it runs, so it can use
    :data:`~flask.request`, :data:`~flask.session` and :data:`~flask.g` even when it is
    called after the request ended, or from another greenlet or thread::

        @app.route("/")
        def index():
            @copy_current_request_context
            def do_some_work():
                # The request of the view is available here.
                ...

            gevent.spawn(do_some_work)
            return "Regular response"

    The copy shares the request and session objects with the original context. The
    function may be ``async def``; it then runs through :meth:`~flask.Flask.ensure_sync`.

    :raises RuntimeError: No request context is active.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a request context"
            " is active, such as in a view function. Outside a request, push one with"
            " 'app.test_request_context()'."
        )
    copied = ctx.copy()

    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with copied:
            return copied.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def has_request_context() -> bool:
    """Return whether a request context is active.

    Use it to write code that behaves differently inside and outside of a request, for
    example to add request details to log records when there is a request::

        if has_request_context():
            remote = request.remote_addr
    """
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Return whether an application context is active (a request context always comes
    with one)."""
    return _cv_app.get(None) is not None


def _hold_for_stream(req_ctx: RequestContext, app_ctx: AppContext) -> None:
    """Keep both contexts from being torn down by the pops that end the request.

    An extra entry at the bottom of each push stack means those pops are not the last
    ones. No context variable is set, because the view may run in another
    :class:`contextvars.Context` (async views) than the one that iterates the body.
    Used by :func:`~flask.stream_with_context`; undone by :func:`_release_for_stream`.
    """
    req_ctx._cv_tokens.insert(0, (None, None))
    app_ctx._cv_tokens.insert(0, None)


def _release_for_stream(req_ctx: RequestContext, app_ctx: AppContext) -> None:
    """Drop the entries :func:`_hold_for_stream` added, once both contexts are pushed
    again, so the next pops are the last and run the teardown functions."""
    del req_ctx._cv_tokens[0]
    del app_ctx._cv_tokens[0]


class AppContext:
    """Makes an application the current one, giving access to :data:`~flask.current_app`
    and :data:`~flask.g`.

    Create one with :meth:`Flask.app_context() <flask.Flask.app_context>` and use it as a
    context manager. It may be pushed several times (it keeps a stack of its own pushes);
    the ``teardown_appcontext`` functions run when the last push is popped. The framework
    creates one for each request when no context for the same app is active.

    :param app: The application.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        #: Builds URLs when no request is active; ``None`` without ``SERVER_NAME``.
        self.url_adapter = app.create_url_adapter(None)
        #: The :data:`~flask.g` namespace of this context.
        self.g: _AppCtxGlobals = app.app_ctx_globals_class()
        self._cv_tokens: list[t.Any] = []

    def push(self) -> None:
        """Make this context the current one and send
        :data:`~flask.appcontext_pushed`."""
        self._cv_tokens.append(_cv_app.set(self))
        if fastpaths.heard(appcontext_pushed):
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Undo the matching :meth:`push`.

        On the last pop, :meth:`Flask.do_teardown_appcontext
        <flask.Flask.do_teardown_appcontext>` runs with ``exc``; then
        :data:`~flask.appcontext_popped` is sent.

        :param exc: The exception that ended the context. Defaults to the exception
            being handled, if any.
        :raises AssertionError: This context is not the current one.
        """
        try:
            if len(self._cv_tokens) == 1:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            current = _cv_app.get(None)
            _cv_app.reset(self._cv_tokens.pop())
            if not self._cv_tokens and "_context_changes" in self.__dict__:
                # Values async functions set during this context (see _runner).
                undo_context_changes(self.__dict__.pop("_context_changes"))

        if current is not self:
            raise AssertionError(
                f"Popped wrong app context. ({current!r} instead of {self!r}) Pop"
                " contexts in the reverse order of pushing them."
            )
        if fastpaths.heard(appcontext_popped):
            appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """Holds everything about one request: the request object, the session, the URL
    adapter that matched it, and functions to run on its response.

    :meth:`Flask.wsgi_app <flask.Flask.wsgi_app>` creates and pushes one for every
    request, and pops it once the response is sent. Pushing it also pushes an
    application context when none is active for the same application. Tests create one
    with :meth:`~flask.Flask.test_request_context`.

    When the last push is popped, the ``teardown_request`` functions run, the request is
    closed, and the application context that the push created is popped.

    :param app: The application handling the request.
    :param environ: The WSGI environment of the request.
    :param request: An existing request object to use instead of creating one.
    :param session: An existing session to use instead of opening one on push.
    """

    def __init__(
        self,
        app: Flask,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is None:
            request = fastpaths.new_request(app.request_class, environ)  # PERF: hello
            request.json_module = app.json
        self.request: Request = request
        self.url_adapter = None
        try:
            self.url_adapter = app.create_url_adapter(request)
        except HTTPException as e:
            # Raised later, when the view would be dispatched, so that error handlers
            # and teardown functions see it like any other error.
            request.routing_exception = e
        #: Messages :func:`~flask.get_flashed_messages` popped from the session; read
        #: once per request.
        self.flashes: list[tuple[str, str]] | None = None
        # The session once opened (or given), and whether the built-in cookie
        # session is waiting to be opened on first use (see push()).
        self._opened_session = session
        self._session_pending = False
        # Whether fastpaths.responses_kept() held when the request started.
        self._responses_kept = False
        # Filled by after_this_request().
        self._after_request_functions: list[ft.AfterRequestCallable[t.Any]] = []
        # One entry per push: the context var token and the app context the push
        # created (or None when an app context was already active).
        self._cv_tokens: list[tuple[t.Any, AppContext | None]] = []

    @property
    def session(self) -> SessionMixin:
        """The session of this request, opened when the context was pushed.

        Reading it marks the session as accessed, which makes the response vary on the
        ``Cookie`` header.

        :raises AssertionError: The context was not pushed yet, so no session is open.
        """
        session = self._open_deferred_session()
        if session is None:
            raise AssertionError(
                "The session has not yet been opened. It is opened when the request"
                " context is pushed; push the context (or use it in a 'with' block)"
                " before reading its session."
            )
        session.accessed = True
        return session

    @session.setter
    def session(self, value: SessionMixin) -> None:
        self._opened_session = value
        self._session_pending = False

    @property
    def _session(self) -> SessionMixin | None:
        # Where Flask keeps the session, and where tests written for Flask read it:
        # the session once the context was pushed, else None. Reading it opens a
        # deferred session, without marking it accessed.
        return self._open_deferred_session()

    @_session.setter
    def _session(self, value: SessionMixin | None) -> None:
        self._opened_session = value
        self._session_pending = False

    def _open_session(self) -> SessionMixin:
        app = self.app
        interface = app.session_interface
        opened = interface.open_session(app, self.request)
        session = opened if opened is not None else interface.make_null_session(app)
        self._opened_session = session
        return session

    def _open_deferred_session(self) -> SessionMixin | None:
        """Open the session now if :meth:`push` deferred it; return ``None`` if no
        session is due (the context was never pushed)."""
        if not self._session_pending:
            return self._opened_session
        self._session_pending = False
        return self._open_session()

    def copy(self) -> RequestContext:
        """Return a new context for the same request, sharing the request object and the
        session. Used by :func:`copy_current_request_context` to use the request from
        another thread or greenlet."""
        return self.__class__(
            self.app,
            environ=self.request.environ,
            request=self.request,
            session=self._open_deferred_session(),
        )

    def match_request(self) -> None:
        """Match the request against the URL map, storing the rule and its arguments on
        the request, or the routing error (404, 405, redirect) to raise later."""
        try:
            rule, view_args = fastpaths.match(self.url_adapter)  # type: ignore[arg-type]  # PERF: hello
        except HTTPException as e:
            if isinstance(e, RequestRedirect):
                # The target repeats the client's query string, which may hold
                # characters a Location header cannot carry.
                e.new_url = sendable_location(e.new_url)
            self.request.routing_exception = e
        else:
            self.request.url_rule = rule
            self.request.view_args = view_args

    def push(self) -> None:
        """Make this context the current one.

        Pushes an application context first if none is active for this app, opens the
        session if this context has none yet, and matches the URL.
        """
        app = self.app
        active = _cv_app.get(None)
        # Reuse an active context of the same application; otherwise this push
        # creates one, and the matching pop removes it again.
        own_app_ctx = None
        if active is None or active.app is not app:
            own_app_ctx = app.app_context()
            own_app_ctx.push()
        token = _cv_request.set(self)
        self._cv_tokens.append((token, own_app_ctx))

        # The session opens once this context is current, so session interfaces can
        # use the request proxies.
        if self._opened_session is None and not self._session_pending:
            if fastpaths.defers_session(app):  # PERF: hello
                self._session_pending = True
            else:
                self._open_session()

        # Matching comes last, so URL converters can use the session and the
        # application context.
        if self.url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Undo the matching :meth:`push`.

        On the last pop this runs the ``teardown_request`` functions with ``exc``, closes
        the request, and pops the application context the push created.

        :param exc: The exception that ended the request. Defaults to the exception
            being handled, if any.
        :raises AssertionError: This context is not the current one.
        """
        last = len(self._cv_tokens) == 1
        try:
            if last:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                request = self.request
                if fastpaths.needs_close(request):  # PERF: hello
                    close = getattr(request, "close", None)
                    if close is not None:
                        close()
        finally:
            current = _cv_request.get(None)
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if last:
                # Break the request <-> environ reference cycle Werkzeug creates.
                self.request.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)

        if current is not self:
            raise AssertionError(
                f"Popped wrong request context. ({current!r} instead of {self!r}) Pop"
                " contexts in the reverse order of pushing them."
            )

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.request.url!r}"
            f" [{self.request.method}] of {self.app.name}>"
        )


def _default_template_ctx_processor() -> dict[str, t.Any]:
    # Puts g and request into every template's context, when they exist. The session
    # is left to the ``session`` global: reading it here would mark it accessed, and
    # every rendered page would then vary on the cookie.
    values: dict[str, t.Any] = {}
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        values["g"] = app_ctx.g
    req_ctx = _cv_request.get(None)
    if req_ctx is not None:
        values["request"] = req_ctx.request
    return values
