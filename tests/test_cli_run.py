"""The ``flask`` command as a user runs it: real processes, a real development server
on a loopback port, and HTTP requests to it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CLI_APPS = Path(__file__).parent / "cli_apps"
FLASK = [sys.executable, "-m", "flask"]
# Generous: the limit only matters when something is broken.
DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_environ(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    environ.pop("WERKZEUG_RUN_MAIN", None)
    environ.pop("WERKZEUG_SERVER_FD", None)
    environ.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1", **extra)
    return environ


def flask_exits(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a ``flask`` command that is expected to finish on its own."""
    return subprocess.run(
        [*FLASK, *args],
        cwd=cwd,
        env=child_environ(),
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        stdin=subprocess.DEVNULL,
    )


class Server:
    """A ``flask run`` process in its own process group, logging to a file."""

    def __init__(self, args: list[str], cwd: Path, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [*FLASK, *args, "--port", str(self.port)],
            cwd=cwd,
            env=child_environ(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text()

    def fetch(self, path: str = "/") -> tuple[int, str] | None:
        """One request; ``None`` while nothing answers on the port."""
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()
        except (OSError, http.client.HTTPException):
            # Not listening yet, or restarting: the reloader may cut a response,
            # an error page's included.
            return None

    def poll(self, path: str = "/", until=lambda status, body: True) -> tuple[int, str]:
        """Request ``path`` until the answer satisfies ``until``; fail if the server
        exits or the deadline passes."""
        give_up = time.monotonic() + DEADLINE
        while True:
            answer = self.fetch(path)
            if answer is not None and until(*answer):
                return answer
            if time.monotonic() > give_up:
                pytest.fail(
                    f"no matching answer from {path} (last: {answer!r});"
                    f" server output:\n{self.output()}"
                )
            try:
                code = self.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the server exited with {code}:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._log_file.close()


@pytest.fixture
def start_server(tmp_path):
    """Start ``flask <args> --port <free port>`` and stop it (and any reloader
    child) when the test ends."""
    servers: list[Server] = []

    def start(*args: str, cwd: Path = tmp_path) -> Server:
        server = Server(list(args), cwd, tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def write_module(folder: Path, name: str, source: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return path


def touch_later(path: Path) -> None:
    # The stat reloader restarts when a file's mtime grows; move it clearly forward so
    # the change is seen even on file systems with coarse timestamps.
    stamp = path.stat().st_mtime + 5
    os.utime(path, (stamp, stamp))


# Serving -----------------------------------------------------------------------------


def test_flask_run_serves_the_application(start_server):
    server = start_server("--app", str(CLI_APPS / "kiosk.py"), "run")
    assert server.poll("/") == (200, "kiosk front page")
    assert server.fetch("/no-such-page")[0] == 404
    output = server.output()
    assert " * Serving Flask app" in output
    assert " * Debug mode: off" in output
    assert f"Running on http://127.0.0.1:{server.port}" in output


VERSIONED = """\
    from flask import Flask

    app = Flask(__name__)


    @app.route("/")
    def index():
        return "{reply}"
"""


def test_reloader_restarts_the_server_after_a_source_change(start_server, tmp_path):
    module = write_module(tmp_path, "versioned", VERSIONED.format(reply="version one"))
    server = start_server("--app", "versioned", "run", "--reload")
    assert server.poll("/") == (200, "version one")

    module.write_text(textwrap.dedent(VERSIONED.format(reply="version two")))
    touch_later(module)
    assert server.poll("/", until=lambda status, body: body == "version two")
    assert "Restarting with" in server.output()


def test_reloader_keeps_running_through_a_broken_edit(start_server, tmp_path):
    module = write_module(tmp_path, "versioned", VERSIONED.format(reply="first"))
    server = start_server("--app", "versioned", "--debug", "run")
    assert server.poll("/") == (200, "first")

    module.write_text("raise RuntimeError('half-written module')\n")
    touch_later(module)
    status, body = server.poll("/", until=lambda status, body: status == 500)
    assert "half-written module" in body

    module.write_text(textwrap.dedent(VERSIONED.format(reply="repaired")))
    touch_later(module)
    assert server.poll("/", until=lambda status, body: body == "repaired")


FAILING = """\
    from flask import Flask

    app = Flask(__name__)


    @app.route("/")
    def index():
        return "fine"


    @app.route("/fail")
    def fail():
        loaves = 0
        return str(12 / loaves)
"""


def test_debug_mode_shows_the_debugger_page_for_an_exception(start_server, tmp_path):
    write_module(tmp_path, "failing", FAILING)
    server = start_server("--app", "failing", "--debug", "run", "--no-reload")
    server.poll("/")
    status, body = server.fetch("/fail")
    assert status == 500
    assert "ZeroDivisionError" in body
    assert "Traceback" in body
    assert "Werkzeug Debugger" in body
    assert " * Debug mode: on" in server.output()


def test_without_debug_mode_an_exception_is_a_plain_500(start_server, tmp_path):
    write_module(tmp_path, "failing", FAILING)
    server = start_server("--app", "failing", "run")
    server.poll("/")
    status, body = server.fetch("/fail")
    assert status == 500
    assert "Internal Server Error" in body
    assert "ZeroDivisionError" not in body
    assert "Werkzeug Debugger" not in body
    # The error is logged by the application instead.
    server.poll("/")
    assert "ZeroDivisionError" in server.output()


def test_unguarded_app_run_is_ignored_under_flask_run(start_server, tmp_path):
    write_module(
        tmp_path,
        "eager",
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "served by flask run"


        app.run(port=1)
        """,
    )
    server = start_server("--app", "eager", "run")
    assert server.poll("/") == (200, "served by flask run")
    assert "Ignoring a call to 'app.run()'" in server.output()


# Errors a user can make ----------------------------------------------------------------


def test_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = flask_exits(
            "--app",
            str(CLI_APPS / "kiosk.py"),
            "run",
            "--port",
            str(port),
            cwd=tmp_path,
        )
    assert result.returncode != 0
    assert f"Port {port} is in use by another program." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--cert", "site.crt"),
            "Invalid value for '--key': Required when using \"--cert\".",
        ),
        (
            ("--key", "site.key"),
            "Invalid value for '--key': \"--cert\" must also be specified.",
        ),
    ],
)
def test_certificate_and_key_must_come_together(tmp_path, args, expected):
    (tmp_path / "site.crt").write_text("certificate")
    (tmp_path / "site.key").write_text("key")
    result = flask_exits(
        "--app", str(CLI_APPS / "kiosk.py"), "run", *args, cwd=tmp_path
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Usage: python -m flask run [OPTIONS]" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_application_found(tmp_path):
    result = flask_exits("run", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "Error: Could not locate a Flask application. Use the 'flask --app' option,"
        " 'FLASK_APP' environment variable, or a 'wsgi.py' or 'app.py' file in the"
        " current directory." in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_module_name(tmp_path):
    result = flask_exits("--app", "no_such_module_anywhere", "run", cwd=tmp_path)
    assert result.returncode == 2
    assert "Error: Could not import 'no_such_module_anywhere'." in result.stderr
    assert "Traceback" not in result.stderr


def test_import_error_inside_the_app_module_shows_its_traceback():
    result = flask_exits("--app", "missing_dependency", "run", cwd=CLI_APPS)
    assert result.returncode == 2
    assert (
        "Error: While importing 'missing_dependency', an ImportError was raised:"
        in result.stderr
    )
    assert 'missing_dependency.py", line' in result.stderr
    assert (
        "ModuleNotFoundError: No module named"
        " 'cli_apps_dependency_that_is_not_installed'" in result.stderr
    )


def test_other_errors_while_importing_the_app_show_the_traceback():
    result = flask_exits("--app", "crashes_on_import", "run", cwd=CLI_APPS)
    assert result.returncode == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert 'crashes_on_import.py", line' in result.stderr
    assert result.stderr.rstrip().endswith("RuntimeError: the settings file is corrupt")


def test_factory_needing_arguments(tmp_path):
    result = flask_exits(
        "--app", str(CLI_APPS / "needs_config.py"), "run", cwd=tmp_path
    )
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert (
        "Error: Detected factory 'create_app' in module 'needs_config', but could not"
        " call it without arguments. Use 'needs_config:create_app(args)' to specify"
        " arguments." in message
    )
    assert "Traceback" not in result.stderr


def test_name_that_is_not_an_application(tmp_path):
    result = flask_exits(
        "--app", f"{CLI_APPS / 'nothing_here.py'}:RETRIES", "run", cwd=tmp_path
    )
    assert result.returncode == 2
    assert (
        "Error: A valid Flask application was not obtained from 'nothing_here:RETRIES'."
        in " ".join(result.stderr.split())
    )
    assert "Traceback" not in result.stderr


# Entry points ------------------------------------------------------------------------


def test_python_dash_m_flask_reports_versions(tmp_path):
    result = flask_exits("--version", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["Python", "Flask", "Werkzeug"]
    assert lines[1] == "Flask 3.1.3"


def test_python_dash_m_flask_runs_app_commands():
    result = flask_exits("--app", "kiosk", "greet", "--shout", cwd=CLI_APPS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "HELLO FROM KIOSK\n"


def test_python_dash_m_flask_help_uses_the_module_invocation(tmp_path):
    result = flask_exits("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(
        "Usage: python -m flask [OPTIONS] COMMAND [ARGS]..."
    )
    for command in ("routes", "run", "shell"):
        assert f"  {command} " in result.stdout


def test_flask_console_script_is_installed(tmp_path):
    script = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(script), "--app", "kiosk", "routes"],
        cwd=CLI_APPS,
        env=child_environ(),
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert result.returncode == 0, result.stderr
    assert "front_page  GET      /" in result.stdout
