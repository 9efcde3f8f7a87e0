"""Answer every request of every configuration in ``apps.py`` and print a JSON
transcript of everything that could be observed.

Run by ``tests/test_differential.py`` twice, with ``FLASK_FAST_PATHS`` on and off.
Time is frozen, so signed cookies and expiry dates are the same in both runs.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import sys
import time
import typing as t
import warnings

FROZEN = 1_800_000_000.0
time.time = lambda: FROZEN  # itsdangerous timestamps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import apps  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

import flask.sessions  # noqa: E402


class FrozenDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz: t.Any = None) -> FrozenDatetime:
        return cls.fromtimestamp(FROZEN, tz)


flask.sessions.datetime = FrozenDatetime  # type: ignore[misc]


def update_jar(jar: dict[str, str], headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        if name.lower() != "set-cookie":
            continue
        pair, _, attributes = value.partition(";")
        key, _, cookie = pair.partition("=")
        if "Max-Age=0" in attributes or "1970" in attributes:
            jar.pop(key, None)
        else:
            jar[key] = cookie


def answer(
    app: t.Any, request: apps.Request, state: dict[str, t.Any]
) -> dict[str, t.Any]:
    headers = dict(request.headers)
    if headers.get("If-None-Match") == "will-be-replaced":
        headers["If-None-Match"] = state.get("etag", "")
    if "Cookie" not in headers and state["jar"]:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in state["jar"].items())
    environ = EnvironBuilder(
        path=request.path,
        base_url=request.base_url,
        method=request.method,
        headers=headers,
        data=request.data,
    ).get_environ()
    record: dict[str, t.Any] = {
        "request": f"{request.method} {request.base_url} {request.path}"
    }
    started: list[t.Any] = []

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> t.Any:
        started.append(
            [status, [list(pair) for pair in response_headers], exc_info is not None]
        )
        return lambda data: None

    log = app.extensions["log"] if hasattr(app, "extensions") else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            body = app(environ, start_response)
            chunks = [bytes(chunk) for chunk in body]
            record["body_type"] = f"{type(body).__module__}.{type(body).__qualname__}"
            record["closable"] = hasattr(body, "close")
            if hasattr(body, "close"):
                body.close()
            record["body"] = b"".join(chunks).decode("latin1")
            record["chunks"] = len(chunks)
        except Exception as error:  # noqa: BLE001
            record["raised"] = f"{type(error).__name__}: {error}"
    record["started"] = started
    record["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    record["log"] = list(log)
    log.clear()
    record["logged"] = list(LOGGED.lines)
    LOGGED.lines.clear()
    if started:
        update_jar(state["jar"], started[-1][1])
        for name, value in started[-1][1]:
            if name == "ETag" and request.path.startswith("/static/"):
                state["etag"] = value
    return record


class Logged(logging.Handler):
    """Keeps what the applications log, which is observable too."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


LOGGED = Logged()
# A handler of its own keeps Flask from adding the one that writes to stderr.
logging.getLogger("differential").addHandler(LOGGED)


def main() -> None:
    transcript: dict[str, list[dict[str, t.Any]]] = {}
    for name, build in apps.CONFIGS.items():
        case = build()
        state: dict[str, t.Any] = {"jar": {}}
        with apps.applied(case.patches):
            transcript[name] = [
                answer(case.app, request, state) for request in case.requests
            ]
        for receiver in getattr(case.app, "extensions", {}).get("receivers", []):
            for signal in apps.SIGNALS:
                signal.disconnect(receiver)
    json.dump(
        {"fast_paths": flask.fastpaths.ENABLED, "configs": transcript},
        sys.stdout,
        indent=1,
        sort_keys=True,
    )


if __name__ == "__main__":
    main()
