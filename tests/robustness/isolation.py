"""Many concurrent requests, each checking that it only ever sees its own values.

Run as ``python isolation.py threads|gevent WORKERS REQUESTS``: WORKERS threads (or
greenlets, after gevent's monkey-patching) each send REQUESTS requests straight to
``app.wsgi_app``, with environs built here. Every request carries its worker's session
cookie and a query value unique to it; the view stores that value on ``g``, gives the
other workers a chance to run in the middle of the request, and then answers with what
``g``, ``session``, ``request.args`` and ``request.view_args`` hold. The worker checks
the answer is its own. It prints one JSON line: the requests sent and the mismatches.

A separate process, because gevent's monkey-patching must come before anything else
is imported and must not leak into the rest of the test run.
"""

from __future__ import annotations

import sys

MODE = sys.argv[1] if __name__ == "__main__" else "threads"
if MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import io  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

from werkzeug.test import EnvironBuilder  # noqa: E402

import flask  # noqa: E402

app = flask.Flask(__name__)
app.secret_key = "isolation-key"


@app.get("/w/<int:worker>")
def view(worker: int) -> str:
    mine = flask.request.args["r"]
    flask.g.mine = mine
    # Let another request run between the store and the reads (a switch of greenlet,
    # or of thread: sleep(0) releases the GIL).
    time.sleep(0)
    return "|".join(
        [
            flask.g.mine,
            flask.request.args["r"],
            str(flask.request.view_args["worker"]),  # type: ignore[index]
            str(flask.session.get("worker")),
        ]
    )


def cookie_for(worker: int) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return "session=" + serializer.dumps({"worker": worker})  # type: ignore[union-attr]


def run_worker(worker: int, requests: int, mismatches: list[str]) -> None:
    base = EnvironBuilder(f"/w/{worker}").get_environ()
    base.update(HTTP_COOKIE=cookie_for(worker), **{"wsgi.multithread": True})
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    for number in range(requests):
        token = f"{worker}-{number}"
        environ = dict(base, QUERY_STRING=f"r={token}")
        environ["wsgi.input"] = io.BytesIO()
        body = b"".join(app.wsgi_app(environ, start_response)).decode()
        expected = f"{token}|{token}|{worker}|{worker}"
        if body != expected or statuses[-1] != "200 OK":
            mismatches.append(f"{statuses[-1]} {body!r} != {expected!r}")


def main() -> None:
    workers, requests = int(sys.argv[2]), int(sys.argv[3])
    mismatches: list[str] = []
    if MODE == "gevent":
        import gevent

        jobs = [
            gevent.spawn(run_worker, worker, requests, mismatches)
            for worker in range(workers)
        ]
        gevent.joinall(jobs, raise_error=True)
    else:
        import threading

        threads = [
            threading.Thread(target=run_worker, args=(worker, requests, mismatches))
            for worker in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(json.dumps({"requests": workers * requests, "mismatches": mismatches[:20]}))


if __name__ == "__main__":
    main()
