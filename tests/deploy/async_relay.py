"""An application whose async view relays to another HTTP server through one
``httpx.AsyncClient``, created at import and used by every request of the worker.

The upstream's address comes from ``RELAY_UPSTREAM``. The client is closed at worker
exit, on the loop it used, by an exit handler, as docs/async.rst recommends.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import typing as t

import httpx

from flask import Flask

app = Flask(__name__)
client = httpx.AsyncClient(base_url=os.environ["RELAY_UPSTREAM"], timeout=30)


@app.route("/relay/<name>")
async def relay(name: str) -> dict[str, t.Any]:
    upstream = await client.get(f"/{name}")
    return {
        "status": upstream.status_code,
        "body": upstream.text,
        "pid": os.getpid(),
        "loop": id(asyncio.get_running_loop()),
    }


@atexit.register
def close_client() -> None:
    app.ensure_sync(client.aclose)()
    print(f"relay client closed in {os.getpid()}", flush=True)
