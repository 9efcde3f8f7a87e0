"""How the request and response objects cope with input they cannot parse.

A client controls every byte of a request, so nothing it sends may surface as an
exception the application did not ask for. Werkzeug, and the WSGI servers below it, can
raise on some inputs: a raw non-UTF-8 byte in the query string, a ``Host`` that is not a
valid internationalized name, JSON nested deeper than the decoder can follow, a chunked
body the server fails to decode. :class:`MalformedInputRequest` turns each of these into
a ``400 Bad Request`` or into a value the application can use, and
:func:`sendable_location` makes a ``Location`` header that cannot be converted to a URI
safe to send.

Only errors whose cause is the input are caught: a bug in a view, or in the
application's own JSON provider called on a valid body, still reaches the error
handlers as itself.
"""

from __future__ import annotations

import re
import typing as t
from collections import ChainMap
from urllib.parse import parse_qsl

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import get_current_url
from werkzeug.urls import iri_to_uri
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wsgi import get_host
from werkzeug.wsgi import get_input_stream

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.datastructures import MultiDict

# Registered by werkzeug.urls: undecodable bytes are kept as %XX escapes, which is how
# Werkzeug already treats a percent-encoded byte that is not UTF-8.
_KEEP_ESCAPED = "werkzeug.url_quote"

#: What a client sees when the server fails to read the request body.
UNREADABLE_BODY = "The request body could not be read."


class MalformedInputRequest(RequestBase):
    """Werkzeug's request, made total over what a client can send.

    :class:`flask.Request` derives from this class; each member behaves as Werkzeug's
    does for well-formed input.
    """

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The parsed query string. A raw byte that is not UTF-8 (which WSGI servers
        pass through as latin-1) is kept as a ``%XX`` escape, as an escaped one is."""
        try:
            return super().args
        except UnicodeDecodeError:
            query = self.query_string.decode("utf-8", _KEEP_ESCAPED)
            pairs = parse_qsl(query, keep_blank_values=True, errors=_KEEP_ESCAPED)
            return self.parameter_storage_class(pairs)

    @property
    def full_path(self) -> str:
        """The path and the query string, with undecodable query bytes as ``%XX``."""
        query = self.query_string.decode("utf-8", _KEEP_ESCAPED)
        return f"{self.path}?{query}"

    @cached_property
    def url(self) -> str:
        """The full URL of the request. See :meth:`_current_url` for a ``Host`` that
        is not a valid internationalized name."""
        return self._current_url(self.root_path, self.path, self.query_string)

    @cached_property
    def base_url(self) -> str:
        """Like :attr:`url`, without the query string."""
        return self._current_url(self.root_path, self.path)

    @cached_property
    def root_url(self) -> str:
        """The URL the application is served under, ending with a slash."""
        return self._current_url(self.root_path)

    @cached_property
    def host_url(self) -> str:
        """The scheme and host of the request, ending with a slash."""
        return self._current_url()

    def _current_url(
        self,
        root_path: str | None = None,
        path: str | None = None,
        query_string: bytes | None = None,
    ) -> str:
        # Werkzeug decodes the host from punycode and gives up on the whole URL when a
        # label does not decode (``xn--``) or, on older releases, when the port is not
        # a number. The URL then keeps the host exactly as the client sent it: the rest
        # is built as usual, under a stand-in host that always decodes.
        scheme, host = self.scheme, self.host
        try:
            return get_current_url(scheme, host, root_path, path, query_string)
        except ValueError:
            rest = get_current_url(scheme, "h", root_path, path, query_string)
            return f"{scheme}://{host}{rest[len(scheme) + 4 :]}"

    @cached_property
    def stream(self) -> t.IO[bytes]:
        """The body, limited to :attr:`content_length` and :attr:`max_content_length`
        as Werkzeug limits it. An exception raised by the WSGI server's input stream
        while it is read (a malformed chunk, a broken connection) becomes a
        ``400 Bad Request``."""
        raw = self.environ.get("wsgi.input")
        if raw is None or self.shallow:
            return super().stream
        # Only the raw stream is guarded: the limits Werkzeug wraps around it raise
        # their own HTTP errors (413, and 400 for a short body) as they are.
        environ = ChainMap({"wsgi.input": _GuardedInput(raw)}, self.environ)
        return get_input_stream(
            t.cast("WSGIEnvironment", environ),
            max_content_length=self.max_content_length,
        )

    def get_json(
        self, force: bool = False, silent: bool = False, cache: bool = True
    ) -> t.Any | None:
        """Parse the body as JSON, as Werkzeug's ``get_json`` does. A body nested too
        deeply for the decoder is a body that cannot be parsed: it goes to
        :meth:`on_json_loading_failed` (or gives ``None`` with ``silent``) instead of
        raising :exc:`RecursionError`."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError as error:
            if silent:
                return None
            failure = ValueError("The JSON body is nested too deeply.")
            failure.__cause__ = error
            return self.on_json_loading_failed(failure)


class _GuardedInput:
    """The server's ``wsgi.input``, with every exception its reading methods raise
    turned into a ``400 Bad Request`` (chained to the original, which the log shows).

    Gunicorn, for one, raises its own exception classes for a chunk size that is not
    a number or a chunk without its terminator; that is the client's error, not the
    application's.
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: t.Any) -> None:
        self._raw = raw

    def read(self, *size: int | None) -> bytes:
        return self._call("read", *size)  # type: ignore[no-any-return]

    def readline(self, *size: int | None) -> bytes:
        return self._call("readline", *size)  # type: ignore[no-any-return]

    def readlines(self, *hint: int) -> list[bytes]:
        return self._call("readlines", *hint)  # type: ignore[no-any-return]

    def _call(self, method: str, *args: t.Any) -> t.Any:
        # Looked up outside the try: a stream without the method is the server's (or
        # a middleware's) bug, not an unreadable body.
        reader = getattr(self._raw, method)
        try:
            return reader(*args)
        except HTTPException:
            raise
        except Exception as error:
            raise BadRequest(UNREADABLE_BODY) from error

    def __iter__(self) -> t.Iterator[bytes]:
        return iter(self.readline, b"")

    def close(self) -> None:
        # The server owns its stream: Werkzeug never closes it, and neither does this.
        pass

    def readable(self) -> bool:
        return True


def sendable_location(location: str) -> str:
    """``location`` as a URI that can be sent in a ``Location`` (or
    ``Content-Location``) header.

    Werkzeug converts the header with :func:`~werkzeug.urls.iri_to_uri` when the
    response is sent, which raises for an authority it cannot parse: a port that is
    not a number, a host that is not a valid internationalized name, an unclosed IPv6
    bracket. Such a value is sent with every character other than ASCII letters,
    digits, ``-``, ``_``, ``~`` and ``/`` percent-encoded: the client receives a URI
    (one that leads nowhere) instead of a server error.
    """
    try:
        return iri_to_uri(location)
    except ValueError:
        return "".join(
            chr(byte) if chr(byte) in _PLAIN else f"%{byte:02X}"
            for byte in location.encode("utf-8", "surrogatepass")
        )


_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~/")


# The control characters Werkzeug's cookie quoting leaves unescaped.
_UNESCAPED_CONTROL = re.compile("[\x1a-\x1f]")


def sendable_cookie(header: str) -> str:
    """A ``Set-Cookie`` value Werkzeug made, with the bytes 0x1A to 0x1F that its
    quoting misses escaped the way it escapes the other control characters (servers
    refuse to send them), so the cookie reads back the same."""
    if _UNESCAPED_CONTROL.search(header) is None:
        return header
    return _UNESCAPED_CONTROL.sub(lambda m: f"\\{ord(m[0]):03o}", header)


def checked_host(
    environ: WSGIEnvironment,
    trusted_hosts: list[str] | None,
    get_host: t.Callable[[WSGIEnvironment, list[str] | None], str] = get_host,
) -> str:
    """The request's host, as ``get_host`` (:func:`werkzeug.wsgi.get_host`) validates
    it against ``trusted_hosts``. Werkzeug 3.1.0 IDNA-encodes the name to compare it
    and lets the :exc:`UnicodeError` of a malformed one (``a..b``) escape; that host
    is refused with the same ``400 Bad Request`` as an untrusted one."""
    try:
        return get_host(environ, trusted_hosts)
    except UnicodeError as error:
        raise SecurityError(
            f"Host {environ.get('HTTP_HOST')!r} is not valid."
        ) from error
