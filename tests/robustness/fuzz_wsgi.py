"""A coverage-guided fuzzer (atheris) over the WSGI entry point of ``target_app``.

Each input is cut into the parts of a request (method, path, query, a few headers, a
body) and sent through ``app.wsgi_app`` with an environ built from them, as a server
would build one. A response of 500 or more, or an exception escaping the application,
is a crash: atheris stops and writes the input to a ``crash-*`` file.

Run it by hand for as long as you like::

    python tests/robustness/fuzz_wsgi.py -max_total_time=600

``test_fuzz.py`` runs it for a bounded number of inputs in the normal test run.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import atheris
from werkzeug.test import EnvironBuilder

# Coverage is measured in the framework only: instrumenting Werkzeug as well costs
# about 20 s at start-up for little guidance.
with atheris.instrument_imports(include=["flask", "target_app"]):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from target_app import app  # Imports the framework, instrumented too.

ROUTES = [
    "/args", "/host", "/headers", "/cookies", "/session", "/form", "/json", "/body",
    "/stream-in", "/go", "/go-header", "/build", "/item/", "/number/", "/ratio/",
    "/ident/", "/files/", "/download", "/set-cookie", "/etag", "/stream", "/static/",
]  # fmt: skip
HEADERS = [
    "HTTP_COOKIE", "CONTENT_TYPE", "HTTP_ACCEPT", "HTTP_RANGE", "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE", "HTTP_AUTHORIZATION", "HTTP_X_FORWARDED_FOR",
    "HTTP_ACCEPT_LANGUAGE", "HTTP_IF_RANGE", "HTTP_TRANSFER_ENCODING",
]  # fmt: skip
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=b",
    "text/plain",
]


def latin1(data: atheris.FuzzedDataProvider, size: int) -> str:
    # WSGI servers hand the request's bytes to the application as latin-1 text.
    return data.ConsumeBytes(data.ConsumeIntInRange(0, size)).decode("latin-1")


def environ_from(raw: bytes) -> dict[str, object]:
    data = atheris.FuzzedDataProvider(raw)
    environ: dict[str, object] = EnvironBuilder("/").get_environ()
    environ.update(
        REQUEST_METHOD=data.PickValueInList(["GET", "POST", "PUT", "HEAD", "X"]),
        PATH_INFO=data.PickValueInList(ROUTES) + latin1(data, 40),
        QUERY_STRING=latin1(data, 60),
        HTTP_HOST=latin1(data, 20) if data.ConsumeBool() else "127.0.0.1",
        CONTENT_TYPE=data.PickValueInList(CONTENT_TYPES),
    )
    for _ in range(data.ConsumeIntInRange(0, 4)):
        environ[data.PickValueInList(HEADERS)] = latin1(data, 80)
    body = data.ConsumeBytes(data.remaining_bytes())
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def answer(raw: bytes) -> None:
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    body = app.wsgi_app(environ_from(raw), start_response)
    try:
        for _chunk in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    code = int(statuses[-1].split(" ", 1)[0])
    if code >= 500:
        raise AssertionError(f"status {statuses[-1]} for {raw!r}")


def main() -> None:
    app.testing = True  # An exception escaping a view is raised, not a 500 page.
    atheris.Setup(sys.argv, answer)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
