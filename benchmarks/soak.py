"""Soak test: 1,000,000 requests through gunicorn workers, this package next to Flask
3.1.3, with the workers' resident memory after every 100,000.

Usage (from the repository root)::

    python3 benchmarks/soak.py                 # 1,000,000 requests for each
    python3 benchmarks/soak.py --requests 200000 --step 20000

The environments are the benchmark's own (``.bench/ours`` and ``.bench/ref``, made by
:func:`run.prepare_environments`). Both servers run :mod:`soak_app` with two sync
workers at the same time; wrk (with soak.lua) loads them in turns, for about one
step of requests each, so a drift in the machine's speed or load hits both alike. After each
step the script reads VmRSS of every worker from /proc. The last line printed is the
result as JSON; ``--write`` also puts the table into docs/soak_results.inc.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import children  # noqa: E402
from processes import resident_kib  # noqa: E402
from run import clean_env  # noqa: E402
from run import prepare_environments  # noqa: E402
from run import ROOT  # noqa: E402
from servers import free_port  # noqa: E402
from servers import wait_until_serving  # noqa: E402

THREADS, CONNECTIONS = 2, 16


def start(python: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(python), "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--chdir", str(HERE), "soak_app:app",
        ],
        env=clean_env(),
        start_new_session=True,
    )  # fmt: skip
    wait_until_serving(f"http://127.0.0.1:{port}/", process)
    return process, port


def session_cookie(port: int) -> str:
    """A session cookie the server itself signed, for the ``/whoami`` requests."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"http://127.0.0.1:{port}/login?user=soak", timeout=10)
    except urllib.error.HTTPError as error:  # The 302 arrives as an "error".
        header = error.headers["Set-Cookie"]
    return str(header.split(";", 1)[0])


def load(port: int, seconds: float, cookie: str) -> tuple[int, float]:
    """Load the server with wrk for ``seconds``; return the requests it completed
    and their rate. (wrk stops after a duration, not a number of requests.)"""
    env = dict(os.environ, SOAK_COOKIE=cookie)
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
         "-s", str(HERE / "soak.lua"), f"http://127.0.0.1:{port}/"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    count = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if count is None or rate is None or "Socket errors" in out and "read 0" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return int(count.group(1)), float(rate.group(1))


def soak(total: int, step: int) -> dict[str, list[dict[str, int]]]:
    ours, ref = prepare_environments(ROOT / ".bench")
    servers = {name: start(python) for name, python in (("ours", ours), ("ref", ref))}
    rows: dict[str, list[dict[str, int]]] = {name: [] for name in servers}
    try:
        cookies = {name: session_cookie(port) for name, (_p, port) in servers.items()}
        sent = dict.fromkeys(servers, 0)
        rates = {}
        for name, (_process, port) in servers.items():  # Warm-up, and the rate.
            sent[name], rates[name] = load(port, 5, cookies[name])
        while min(sent.values()) < total:
            for name, (process, port) in servers.items():
                # Steps of about ``step`` requests, at the rate measured last.
                count, rates[name] = load(port, step / rates[name], cookies[name])
                sent[name] += count
                memory = [resident_kib(pid) for pid in sorted(children(process.pid))]
                rows[name].append({"requests": sent[name], "rss_kib": max(memory)})
                print(f"{name}: {sent[name]:>9,} requests, worker RSS {memory} KiB")
    finally:
        for process, _port in servers.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    return rows


def table(rows: dict[str, list[dict[str, int]]]) -> str:
    """The results as a reStructuredText table: for each step, the requests each
    server had answered and the resident memory of its largest worker."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - Step",
        "     - This package: requests",
        "     - RSS (MiB)",
        "     - Flask 3.1.3: requests",
        "     - RSS (MiB)",
    ]
    for step, (mine, theirs) in enumerate(
        zip(rows["ours"], rows["ref"], strict=False), 1
    ):
        lines.append(f"   * - {step}")
        for row in (mine, theirs):
            lines.append(f"     - {row['requests']:,}")
            lines.append(f"     - {row['rss_kib'] / 1024:.1f}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--step", type=int, default=100_000)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args(argv)
    rows = soak(options.requests, options.step)
    if options.write:
        (ROOT / "docs" / "soak_results.inc").write_text(table(rows))
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
