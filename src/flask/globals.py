"""The context variables behind Flask's context-local names, and the proxies over them.

Two :class:`contextvars.ContextVar` objects hold the active contexts: one for the
:class:`~flask.ctx.AppContext` and one for the :class:`~flask.ctx.RequestContext`. Because
they are context variables, every thread, greenlet and asyncio task sees its own value.

The names applications import (:data:`current_app`, :data:`g`, :data:`request`,
:data:`session`) are Werkzeug :class:`~werkzeug.local.LocalProxy` objects that look the
current context up on each access.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from werkzeug.local import LocalProxy

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .ctx import _AppCtxGlobals
    from .ctx import AppContext
    from .ctx import RequestContext
    from .sessions import SessionMixin
    from .wrappers import Request

_no_app_msg = """\
Working outside of application context.

Code asked for the current application (through current_app, g, url_for or a
similar helper) while no application context was active. Push one with
'with app.app_context():' around that code, or run it from inside a request.\
"""
_no_req_msg = """\
Working outside of request context.

Code asked for data about the incoming request (through request, session or a
similar helper) while no request was being handled. In tests, wrap the code in
'with app.test_request_context():' or make the call through app.test_client().\
"""

_cv_app: ContextVar[AppContext] = ContextVar("flask.app_ctx")
_cv_request: ContextVar[RequestContext] = ContextVar("flask.request_ctx")


def _proxies(var: ContextVar[t.Any], message: str, *fields: str | None) -> list[t.Any]:
    """Make one :class:`~werkzeug.local.LocalProxy` over ``var`` per entry of ``fields``.

    An entry names the attribute of the context object the proxy stands for; ``None``
    stands for the context object itself. Every proxy raises ``message`` when ``var``
    has no value. Only called while this module is imported.
    """
    return [LocalProxy(var, field, unbound_message=message) for field in fields]


# The proxies are typed as what they stand for, so user code type checks naturally.
app_ctx: AppContext
current_app: Flask
g: _AppCtxGlobals
app_ctx, current_app, g = _proxies(_cv_app, _no_app_msg, None, "app", "g")

request_ctx: RequestContext
request: Request
session: SessionMixin
request_ctx, request, session = _proxies(
    _cv_request, _no_req_msg, None, "request", "session"
)
