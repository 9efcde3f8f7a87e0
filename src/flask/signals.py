"""Signals the framework sends during the request and context lifecycle.

Every signal lives in one blinker :class:`~blinker.Namespace` and is sent with the
application object as sender. Connect a receiver with ``signal.connect(func, app)`` to
listen to one application only. Receivers may be ``async def`` functions: the framework
runs them through :meth:`flask.Flask.ensure_sync`.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent after a template rendered, with ``template`` and ``context``.
template_rendered = _signals.signal("template-rendered")
#: Sent before a template renders, with ``template`` and ``context``.
before_render_template = _signals.signal("before-render-template")
#: Sent when request handling starts, before any ``before_request`` function runs.
request_started = _signals.signal("request-started")
#: Sent after the response is finalized, with ``response``.
request_finished = _signals.signal("request-finished")
#: Sent while the request context tears down, with ``exc`` (the error or None).
request_tearing_down = _signals.signal("request-tearing-down")
#: Sent when an unhandled exception reaches the app, with ``exception``.
got_request_exception = _signals.signal("got-request-exception")
#: Sent while the application context tears down, with ``exc``.
appcontext_tearing_down = _signals.signal("appcontext-tearing-down")
#: Sent right after an application context is pushed.
appcontext_pushed = _signals.signal("appcontext-pushed")
#: Sent right after an application context is popped.
appcontext_popped = _signals.signal("appcontext-popped")
#: Sent by :func:`flask.flash`, with ``message`` and ``category``.
message_flashed = _signals.signal("message-flashed")

__all__ = [
    "Namespace",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "before_render_template",
    "got_request_exception",
    "message_flashed",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "template_rendered",
]
