"""The server benchmark: scenarios served on a loopback port, loaded by wrk.

Two servers. **gunicorn** with two sync workers is the common production setup; its
own work per request (parsing, one connection per request) is large, so it shows how
close a framework gets to a bare WSGI callable there. **bjoern** is a single-threaded
server written in C on libev, with keep-alive: its own cost per request is small, so
the framework's cost dominates and differences between frameworks show in full.
(granian's WSGI mode installs too but served a bare callable less than half as fast
as bjoern here; meinheld does not build on current Pythons.)

Every server process runs in its own process group on a free port, is polled until it
answers, and is killed with its group afterwards. A run that got any response other
than 2xx or 3xx raises.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import typing as t
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The scenarios served, with the path each one answers.
PATHS = {"hello": "/", "json": "/data"}


def _gunicorn(python: Path, port: int) -> list[str]:
    return [
        str(python), "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--chdir", str(HERE), "server_app:app",
    ]  # fmt: skip


def _bjoern(python: Path, port: int) -> list[str]:
    return [str(python), str(HERE / "server_app.py"), str(port)]


#: Per server: the command that starts it, and wrk's thread count (the cores left).
SERVERS: dict[str, tuple[t.Callable[[Path, int], list[str]], int]] = {
    "gunicorn": (_gunicorn, 2),
    "bjoern": (_bjoern, 1),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer at {url} within 30 seconds")


def parse_wrk(output: str) -> float:
    """Requests per second from wrk's output; raises if any response was an error."""
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"the server answered with errors:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return float(match.group(1))


def serve_and_load(
    server: str,
    python: Path,
    framework: str,
    scenario: str,
    duration: int,
    env: dict[str, str],
    connections: int = 16,
) -> float:
    """Requests per second wrk gets from ``server`` serving the scenario."""
    command, threads = SERVERS[server]
    port = free_port()
    process = subprocess.Popen(
        command(python, port),
        env={**env, "BENCH_FRAMEWORK": framework, "BENCH_SCENARIO": scenario},
        cwd=str(HERE),
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{PATHS[scenario]}"
    try:
        wait_until_serving(url, process)
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", url],
            check=True,
            capture_output=True,
            text=True,
            timeout=duration + 60,
        ).stdout
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return parse_wrk(out)


def rotated(items: list[t.Any], turn: int) -> list[t.Any]:
    """``items`` starting at position ``turn`` (modulo its length)."""
    shift = turn % len(items) if items else 0
    return items[shift:] + items[:shift]


def under_servers(
    impls: dict[str, tuple[Path, str]],
    servers: list[str],
    rounds: int,
    duration: int,
    env: dict[str, str],
) -> dict[str, dict[str, dict[str, float]]]:
    """Median requests per second, by server, implementation and scenario.

    Each round runs every server, scenario and implementation once; the order of the
    implementations turns by one place from one round (and scenario) to the next, so
    that none is always measured first or last.
    """
    samples: dict[str, dict[str, dict[str, list[float]]]] = {
        server: {name: {} for name in impls} for server in servers
    }
    turn = 0
    for number in range(rounds):
        for server in servers:
            for scenario in PATHS:
                for name in rotated(list(impls), turn):
                    python, framework = impls[name]
                    print(
                        f"  {server} round {number + 1}/{rounds}: {name} {scenario}",
                        file=sys.stderr,
                    )
                    rps = serve_and_load(
                        server, python, framework, scenario, duration, env
                    )
                    samples[server][name].setdefault(scenario, []).append(rps)
                turn += 1
    return {
        server: {
            name: {
                scenario: statistics.median(values) for scenario, values in by.items()
            }
            for name, by in by_name.items()
        }
        for server, by_name in samples.items()
    }
