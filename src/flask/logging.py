"""The application logger and its default handler."""

from __future__ import annotations

import logging
import sys
import typing as t

from werkzeug.local import LocalProxy

from .globals import _cv_request
from .globals import request as request

if t.TYPE_CHECKING:  # pragma: no cover
    from .sansio.app import App


@LocalProxy
def wsgi_errors_stream() -> t.TextIO:
    """The stream log records go to: the current request's ``wsgi.errors`` stream, so
    the WSGI server decides where errors end up, or :data:`sys.stderr` outside of a
    request."""
    ctx = _cv_request.get(None)
    if ctx is not None:
        return ctx.request.environ["wsgi.errors"]  # type: ignore[no-any-return]
    return sys.stderr


def has_level_handler(logger: logging.Logger) -> bool:
    """Return whether some handler on ``logger`` or its ancestors (following
    propagation) would emit records at the logger's effective level."""
    level = logger.getEffectiveLevel()
    node: logging.Logger | None = logger
    while node is not None:
        if any(h.level <= level for h in node.handlers):
            return True
        # Records stop climbing at a logger that does not propagate.
        node = node.parent if node.propagate else None
    return False


#: The handler the application logger gets when logging is not configured otherwise.
#: It writes to :data:`wsgi_errors_stream`. Remove it with
#: ``app.logger.removeHandler(default_handler)`` to use only your own handlers.
default_handler: logging.StreamHandler[t.TextIO] = logging.StreamHandler(
    wsgi_errors_stream  # type: ignore[call-overload]
)
default_handler.setFormatter(
    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
)


def create_logger(app: App) -> logging.Logger:
    """Return the logger named after the application (:attr:`App.name
    <flask.Flask.name>`), set up for it.

    In debug mode a logger without a level gets :data:`logging.DEBUG`. The
    :data:`default_handler` is added unless a handler that would emit at the logger's
    level is already configured on it or an ancestor.
    """
    logger = logging.getLogger(app.name)
    # A level of NOTSET means nobody configured this logger, so debug mode may pick one.
    if logger.level == logging.NOTSET and app.debug:
        logger.setLevel(logging.DEBUG)
    if has_level_handler(logger):
        return logger
    logger.addHandler(default_handler)
    return logger
