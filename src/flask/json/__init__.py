"""JSON helpers that follow the current application's JSON provider.

Inside an application context these functions call ``current_app.json`` (a
:class:`~flask.json.provider.JSONProvider`), so an app's customizations apply. Outside of
one they fall back to :mod:`json` with the same extra types the default provider supports.
"""

from __future__ import annotations

import json as _json
import typing as t

from ..globals import _cv_app
from ..globals import current_app as current_app
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialize ``obj`` to a JSON string.

    Uses ``current_app.json.dumps`` when an application context is active, otherwise
    :func:`json.dumps` with support for dates, decimals, UUIDs, dataclasses and
    ``__html__`` objects.

    :param obj: The data to serialize.
    :param kwargs: Options for the serializer.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.dumps(obj, **kwargs)
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Serialize ``obj`` and write it to the text file ``fp``, like :func:`dumps`.

    :param obj: The data to serialize.
    :param fp: A file opened for writing text.
    :param kwargs: Options for the serializer.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.json.dump(obj, fp, **kwargs)
    else:
        kwargs.setdefault("default", _default)
        _json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Parse a JSON document, with ``current_app.json`` when an app context is active.

    :param s: The document, as text or bytes.
    :param kwargs: Options for the parser.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Read a file and parse it as JSON, like :func:`loads`.

    :param fp: A file opened for reading, in text or binary mode.
    :param kwargs: Options for the parser.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.load(fp, **kwargs)
    return _json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """Return a JSON response holding the arguments, through ``current_app.json.response``.

    ``jsonify(data)`` serializes ``data``; ``jsonify(1, 2)`` a list; ``jsonify(a=1)`` an
    object; ``jsonify()`` ``null``. Positional and keyword arguments cannot be mixed. The
    response has the ``application/json`` mimetype, and its body is indented in debug
    mode. A view can also return a dict or list directly for the same result.

    This needs an active application context.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[return-value]
