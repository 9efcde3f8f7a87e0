"""WSGI environs for the benchmark scenarios, made in one of two ways.

:func:`prepared` copies a dict prepared in advance: the cheapest environ a caller can
hand over, so that the framework's own cost stands out. :func:`server_built` builds
each environ from scratch from a raw request line and header list, with every key
gunicorn's sync worker sets, the way a real server does for every request; the
``*_min`` scenarios use it, so that their figures include what a framework pays for
an environ it has not seen before (no key cached in it, a new input stream).
"""

from __future__ import annotations

import io
import sys
import typing as t
from urllib.parse import unquote

Environ = dict[str, t.Any]
EnvironFactory = t.Callable[[], Environ]

_EMPTY = b""
_FORM_TYPE = "application/x-www-form-urlencoded"
#: The headers curl sends, besides ``Host`` (and a body's type and length).
CLIENT_HEADERS = (("User-Agent", "curl/8.5.0"), ("Accept", "*/*"))


def prepared(
    path: str,
    query: str = "",
    method: str = "GET",
    body: bytes = _EMPTY,
    headers: dict[str, str] | None = None,
) -> EnvironFactory:
    """Prepare an environ once; each call returns a shallow copy with a fresh body."""
    base: Environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        base["CONTENT_TYPE"] = _FORM_TYPE
        base["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        base["HTTP_" + name.upper().replace("-", "_")] = value

    def make() -> Environ:
        environ = base.copy()
        environ["wsgi.input"] = io.BytesIO(body)
        return environ

    return make


class _FileWrapper:
    """Stands in for the server's ``wsgi.file_wrapper`` (no scenario sends a file
    through it; the key is there because servers set it)."""

    def __init__(self, filelike: t.Any, blksize: int = 8192) -> None:
        self.filelike = filelike
        self.blksize = blksize


def server_built(
    path: str,
    query: str = "",
    method: str = "GET",
    body: bytes = _EMPTY,
    headers: dict[str, str] | None = None,
) -> EnvironFactory:
    """Return a function that builds a new environ per call, as a server would.

    Only the raw request (the target, the header lines, the body) is kept between
    calls; the dict, the header keys, the decoded path and the input stream are made
    anew every time.
    """
    target = f"{path}?{query}" if query else path
    raw_headers = [("Host", "localhost:8000"), *CLIENT_HEADERS]
    if body:
        raw_headers += [
            ("Content-Type", _FORM_TYPE),
            ("Content-Length", str(len(body))),
        ]
    raw_headers += list((headers or {}).items())
    errors = sys.stderr

    def make() -> Environ:
        environ: Environ = {
            "wsgi.errors": errors,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": _FileWrapper,
            "wsgi.input_terminated": True,
            "SERVER_SOFTWARE": "gunicorn/23.0.0",
            "wsgi.input": io.BytesIO(body),
            "gunicorn.socket": None,
            "REQUEST_METHOD": method,
            "QUERY_STRING": "",
            "RAW_URI": target,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        for name, value in raw_headers:
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            environ[key] = value
        raw_path, _, raw_query = target.partition("?")
        environ["QUERY_STRING"] = raw_query
        environ["wsgi.url_scheme"] = "http"
        environ["REMOTE_ADDR"] = "127.0.0.1"
        environ["REMOTE_PORT"] = "52814"
        environ["SERVER_NAME"] = "localhost"
        environ["SERVER_PORT"] = "8000"
        environ["PATH_INFO"] = unquote(raw_path, "latin-1")
        environ["SCRIPT_NAME"] = ""
        return environ

    return make
