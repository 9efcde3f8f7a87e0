"""Async views under real servers: one ``httpx.AsyncClient``, created at import,
serves 100 sequential and then 50 concurrent requests in every worker of the dev
server, gunicorn (sync, gthread with 4 threads, gevent) and waitress, each worker on
one event loop; on shutdown the client is closed on that loop and nothing complains
about unclosed loops, transports or pending tasks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import typing as t
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("httpx")

# async_relay.py, beside this file, is imported by the servers from here.
HERE = Path(__file__).resolve().parent

APP = "async_relay:app"
# What the servers must not write to their logs, on shutdown above all. (Not every
# ResourceWarning: Waitress leaves its own listening socket unclosed at exit.)
COMPLAINTS = (
    "Traceback",
    "Exception ignored",
    "Task was destroyed",
    "unclosed event loop",
    "unclosed transport",
    "Event loop is closed",
    "attached to a different loop",
    "never awaited",
)


def server_command(launcher: t.Any, kind: str, port: int) -> list[str] | None:
    """The command serving the relay app with ``kind``, or None if not installed."""
    find_tool = launcher.find_tool
    address = f"127.0.0.1:{port}"
    gunicorn = find_tool("gunicorn")
    commands = {
        "dev server": [find_tool("flask"), "--app", APP, "run", "--port", str(port)],
        "gunicorn sync": [gunicorn, "--workers", "2", "--bind", address, APP],
        "gunicorn gthread": [
            gunicorn, "--worker-class", "gthread", "--threads", "4", "--bind",
            address, APP,
        ],
        "gunicorn gevent": [
            gunicorn, "--worker-class", "gevent", "--bind", address, APP,
        ],
        "waitress": [
            find_tool("waitress-serve"), f"--listen={address}", "--threads=4", APP,
        ],
    }  # fmt: skip
    argv = commands[kind]
    if argv[0] is None:
        return None
    return argv  # type: ignore[return-value]


@pytest.fixture(scope="module")
def upstream(module_launcher: t.Any, tmp_path_factory: pytest.TempPathFactory):
    """A plain HTTP server with a few small files for the relay to fetch."""
    folder = tmp_path_factory.mktemp("upstream")
    for index in range(10):
        (folder / f"item{index}").write_text(f"content of item {index}")
    port = module_launcher.free_port()
    argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1"]
    argv += ["--directory", str(folder), str(port)]
    return module_launcher.start("upstream", argv, port)


def relay_environment(upstream: t.Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env["RELAY_UPSTREAM"] = f"http://127.0.0.1:{upstream.port}"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE), os.environ.get("PYTHONPATH")])
    )
    # Shown, if anything is left unclosed at exit.
    env["PYTHONWARNINGS"] = "always::ResourceWarning"
    return env


def relay(visitor: t.Any, index: int) -> dict[str, object]:
    reply = visitor.get(f"/relay/item{index % 10}")
    assert reply.status == 200, reply.text
    answer = json.loads(reply.text)
    assert (answer["status"], answer["body"]) == (200, f"content of item {index % 10}")
    return answer


def stop_gracefully(server: t.Any, kind: str) -> str:
    """Ask the server to shut down the way an operator would; return its log."""
    # Gunicorn stops gracefully on SIGTERM; the others on Ctrl-C.
    sent = signal.SIGTERM if kind.startswith("gunicorn") else signal.SIGINT
    os.killpg(server.process.pid, sent)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind} did not stop:\n{server.log()[-3000:]}")
    return server.log()


@pytest.mark.parametrize(
    "kind",
    ["dev server", "gunicorn sync", "gunicorn gthread", "gunicorn gevent", "waitress"],
)
def test_one_async_client_serves_every_request_of_a_worker(
    kind: str, launcher: t.Any, upstream: t.Any
) -> None:
    if kind == "gunicorn gevent":
        pytest.importorskip("gevent")
    port = launcher.free_port()
    argv = server_command(launcher, kind, port)
    if argv is None:
        pytest.skip(f"no {kind} here: pip install -r requirements/deploy.txt")
    server = launcher.start(kind, argv, port, env=relay_environment(upstream))
    visitor = server.visitor()

    answers = [relay(visitor, index) for index in range(100)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers += list(pool.map(lambda i: relay(visitor, i), range(50)))

    loops_by_worker: dict[object, set[object]] = {}
    for answer in answers:
        loops_by_worker.setdefault(answer["pid"], set()).add(answer["loop"])
    assert all(len(loops) == 1 for loops in loops_by_worker.values()), loops_by_worker

    log = stop_gracefully(server, kind)
    for pid in loops_by_worker:
        assert f"relay client closed in {pid}" in log, log[-3000:]
    found = [word for word in COMPLAINTS if word in log]
    assert found == [], log[-5000:]
