"""Real servers for the robustness corpus, started with the deployment tests' helpers.

The helpers in tests/deploy/conftest.py (process groups, free ports, polling with
deadlines, killing the group afterwards) are loaded from that file rather than written
again. This folder goes on ``PYTHONPATH`` so the servers can import ``target_app``, and
on ``sys.path`` so the tests can import the corpus and the client.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# The /proc helpers the soak benchmark uses.
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))


def _load_deploy_helpers() -> Any:
    path = HERE.parent / "deploy" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_deploy_helpers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Its dataclasses look their module up there.
    spec.loader.exec_module(module)
    return module


deploy: Any = _load_deploy_helpers()
Launcher = deploy.Launcher
Server = deploy.Server

# How each server runs the target application; PORT is replaced.
COMMANDS = {
    "gunicorn": ["gunicorn", "--workers", "2", "--bind", "127.0.0.1:PORT"],
    "waitress": ["waitress-serve", "--listen=127.0.0.1:PORT", "--threads=4"],
}


def server_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE), env.get("PYTHONPATH")])
    )
    # One malloc arena: with one per thread, what glibc keeps cached in each moves a
    # threaded server's resident memory up and down by a megabyte or more from one
    # measurement to the next, which would hide (or fake) a leak.
    env["MALLOC_ARENA_MAX"] = "1"
    return env


def start_target(launcher: Any, kind: str) -> Any:
    """Serve ``target_app:app`` with ``kind``; skip when that server is missing."""
    words = COMMANDS[kind]
    executable = deploy.find_tool(words[0])
    if executable is None:
        pytest.skip(f"{words[0]} is not installed: {deploy.INSTALL_HINT}")
    port = deploy.free_port()
    argv = [executable] + [w.replace("PORT", str(port)) for w in words[1:]]
    argv.append("target_app:app")
    return launcher.start(kind, argv, port, env=server_environment())


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    """Starts ``target_app`` under the server named (``serve("gunicorn")``) and stops
    every server it started after the test."""
    started = Launcher(tmp_path)
    try:
        yield lambda kind: start_target(started, kind)
    finally:
        started.stop_all()
