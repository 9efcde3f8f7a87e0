"""JSON providers: the object behind ``app.json`` that serializes for the application."""

from __future__ import annotations

import dataclasses
import decimal
import json
import typing as t
import uuid
import weakref
from datetime import date

from werkzeug.http import http_date

from .. import fastpaths

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response

    from ..sansio.app import App


class JSONProvider:
    """The interface an application uses for JSON, and a base for custom providers.

    An application creates one instance of :attr:`~flask.Flask.json_provider_class` and
    stores it as ``app.json``; :func:`flask.json.dumps`, :func:`~flask.json.jsonify`, the
    request's :meth:`~flask.Request.get_json`, the test client's ``json=`` and the
    ``tojson`` template filter all go through it. To use another JSON library, subclass
    this, implement :meth:`dumps` and :meth:`loads`, and set the subclass as
    ``json_provider_class`` on a :class:`~flask.Flask` subclass (or assign an instance to
    ``app.json``).

    :param app: The application. A weak reference is kept, so the provider does not keep
        the application alive.
    """

    def __init__(self, app: App) -> None:
        self._app: App = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` to a JSON string.

        :param obj: The data to serialize.
        :param kwargs: Options for the underlying JSON library.
        """
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Serialize ``obj`` and write it to the text file ``fp``.

        :param obj: The data to serialize.
        :param fp: A file opened for writing text.
        :param kwargs: Passed on to :meth:`dumps`.
        """
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse a JSON document.

        :param s: The document, as text or as UTF-8, UTF-16 or UTF-32 bytes.
        :param kwargs: Options for the underlying JSON library.
        """
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Read a file and parse it as JSON.

        :param fp: A file opened for reading, in text or binary mode.
        :param kwargs: Passed on to :meth:`loads`.
        """
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> t.Any:
        # jsonify(x) -> x, jsonify(a, b) -> [a, b], jsonify(k=v) -> {"k": v},
        # jsonify() -> null. Mixing both forms is ambiguous and refused.
        if args and kwargs:
            raise TypeError(
                "app.json.response() takes either args or kwargs, not both. The same"
                " holds for jsonify(); pass a single dict to combine them."
            )
        if len(args) == 1:
            return args[0]
        return args or kwargs or None

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Serialize the arguments and wrap them in a response with a JSON mimetype.

        One positional argument is serialized as is, several as a list, keyword
        arguments as an object, and no arguments as ``null``. Giving both kinds of
        arguments is a :exc:`TypeError`.
        """
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self.dumps(obj), mimetype="application/json")


def _default(o: t.Any) -> t.Any:
    # Types the standard library cannot serialize but web applications commonly return.
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    html = getattr(o, "__html__", None)
    if html is not None:
        return str(html())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class DefaultJSONProvider(JSONProvider):
    """The provider applications use unless configured otherwise, built on :mod:`json`.

    Besides the standard JSON types it serializes :class:`~datetime.date` and
    :class:`~datetime.datetime` (as HTTP date strings), :class:`~decimal.Decimal` and
    :class:`~uuid.UUID` (as strings), dataclass instances (as objects) and anything with
    an ``__html__`` method (as the string it returns). Change the class attributes on
    ``app.json`` (or on a subclass) to adjust the output.
    """

    #: Called for objects :mod:`json` cannot serialize; returns something it can, or
    #: raises :exc:`TypeError`.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)

    #: Escape every non-ASCII character as ``\\uXXXX``.
    ensure_ascii = True

    #: Sort the keys of every object. This keeps output stable, which helps caching,
    #: but fails for dicts whose keys cannot be compared with each other.
    sort_keys = True

    #: How :meth:`response` formats its body: ``True`` for no extra whitespace, ``False``
    #: for an indent of 2, ``None`` for indented in debug mode and compact otherwise.
    compact: bool | None = None

    #: The mimetype :meth:`response` sets.
    mimetype = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` with :func:`json.dumps`.

        :attr:`default`, :attr:`ensure_ascii` and :attr:`sort_keys` fill in any of those
        options that ``kwargs`` does not give.
        """
        # Options given by the caller come last, so they win over the attributes.
        options = {
            "default": self.default,
            "ensure_ascii": self.ensure_ascii,
            "sort_keys": self.sort_keys,
            **kwargs,
        }
        encoder = fastpaths.json_encoder(json, options)
        if encoder is not None:  # PERF: json
            return encoder.encode(obj)
        return json.dumps(obj, **options)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse ``s`` with :func:`json.loads`."""
        return json.loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Build a JSON response for :func:`~flask.json.jsonify` and for views that
        return a dict or list.

        The body is :meth:`response_text` and its content type is :attr:`mimetype`.
        """
        obj = self._prepare_response_obj(args, kwargs)
        response_class = self._app.response_class
        text = self.response_text(obj)
        built = fastpaths.new_response(response_class, text, mimetype=self.mimetype)
        if built is not None:  # PERF: query
            return built
        return response_class(text, mimetype=self.mimetype)

    def response_text(self, obj: t.Any) -> str:
        """The body :meth:`response` sends for ``obj``: :meth:`dumps` output ending
        with a newline, indented in debug mode unless :attr:`compact` says otherwise.

        This package's addition to Flask's API; the framework also uses it to send a
        view's dict without building a response object.
        """
        if self.compact is False or (self.compact is None and self._app.debug):
            text = self.dumps(obj, indent=2)
        else:
            text = self.dumps(obj, separators=(",", ":"))
        return f"{text}\n"


fastpaths.JSON.capture(DefaultJSONProvider)
