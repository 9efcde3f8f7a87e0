"""Helpers for running the blog example under real servers on loopback ports.

Every server is a child process in a process group of its own, started from the root
of the repository with the command that docs/deployment.rst shows (only the port, and
sometimes the application object, differ), with its output in a log file. Tests wait
for a server by polling it against a deadline, and the whole group is killed when the
test (or module) is over, whatever happened.

Test modules reach these helpers through the fixtures at the end: ``launcher`` and
``module_launcher`` start servers (the blog, nginx in front of it, Redis),
``certificate`` makes the TLS certificate nginx serves, ``documented_commands`` lists
the commands.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

REPO = Path(__file__).resolve().parents[2]
PROBE_DIR = Path(__file__).resolve().parent
DEPLOY = REPO / "examples" / "blog" / "deploy"
STATIC = REPO / "examples" / "blog" / "jotter" / "static"
PUBLIC_HOST = "blog.example.com"

# What a system-wide nginx.conf provides around a site file, with every file that nginx
# writes kept in the test's folder.
NGINX_MAIN_CONFIG = """\
{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{
    worker_connections 64;
}}
http {{
    types {{
        text/css css;
    }}
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""

# The commands as the deployment page shows them, run from the repository's root.
# Tests replace the port 8000, and may serve another application than jotter.wsgi:app.
DOCUMENTED_COMMANDS = {
    "init-db": "flask --app jotter init-db",
    "gunicorn": "gunicorn -c examples/blog/deploy/gunicorn.conf.py"
    " --bind 127.0.0.1:8000 jotter.wsgi:app",
    "waitress": "waitress-serve --listen=127.0.0.1:8000 --threads=4 jotter.wsgi:app",
    # Waitress removes X-Forwarded-* headers unless told to keep them for ProxyFix.
    "waitress-behind-proxy": "waitress-serve --listen=127.0.0.1:8000 --threads=4"
    " --no-clear-untrusted-proxy-headers jotter.wsgi:app",
    "uwsgi": "uwsgi --ini examples/blog/deploy/uwsgi.ini"
    " --http 127.0.0.1:8000 --module jotter.wsgi:app",
    # Several instances sharing sessions and a cache in Redis (JOTTER_REDIS_URL).
    "gunicorn-redis": "gunicorn -c examples/blog/deploy/gunicorn.conf.py"
    " --pythonpath examples/blog/deploy --bind 127.0.0.1:8000 jotter_redis:app",
    # Tests add --dir, so that Redis writes into the test's folder.
    "redis": "redis-server --bind 127.0.0.1 --port 6379",
}
DOCUMENTED_ADDRESS = "127.0.0.1:8000"
DOCUMENTED_APP = "jotter.wsgi:app"
INSTALL_HINT = "pip install -r requirements/deploy.txt (uwsgi needs a C compiler)"
DOCUMENTED_REDIS_PORT = "6379"
# How each server's log names the process that answered the request carrying
# ``?probe=<token>`` (group 1 is the process id).
PROCESS_IN_LOG = {
    "gunicorn": r"[?&]probe={token}[ &].* pid=<(\d+)>$",
    "gunicorn-redis": r"[?&]probe={token}[ &].* pid=<(\d+)>$",
    "uwsgi": r"^\[pid: (\d+)\|.*[?&]probe={token}[ &]",
}

STARTUP_DEADLINE = 30.0
LOG_DEADLINE = 10.0
POLL_INTERVAL = 0.05


def find_tool(name: str) -> str | None:
    """The path of a command, preferring the console script beside this interpreter."""
    return shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(
        name
    )


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers_http(port: int) -> bool:
    """Whether something on 127.0.0.1:``port`` answers an HTTP request at all."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except OSError:
        return False
    finally:
        connection.close()
    return True


def answers_redis(port: int) -> bool:
    """Whether a Redis server on 127.0.0.1:``port`` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class ServerDied(RuntimeError):
    """A server process exited while a test was still waiting for it."""


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def title(self) -> str | None:
        """The page's heading, as Jotter's layout renders it."""
        found = re.search(r"<h1>(.*?)</h1>", self.text, re.DOTALL)
        return unescape(found.group(1).strip()) if found else None

    @property
    def whoami(self) -> str | None:
        """The name the masthead shows for the logged-in author, if anyone is."""
        found = re.search(r'<span class="whoami">(.*?)</span>', self.text)
        return unescape(found.group(1)) if found else None


@dataclass
class Visitor:
    """Just enough of a browser: it keeps cookies and follows no redirects.

    ``host`` replaces the Host header; with ``tls`` the connection is HTTPS, checked
    against that context.
    """

    port: int
    host: str | None = None
    tls: ssl.SSLContext | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        connection: http.client.HTTPConnection
        if self.tls is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        else:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=10, context=self.tls
            )
        sent = dict(headers or {})
        if self.host is not None:
            sent["Host"] = self.host
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Reply(response.status, response.headers, text)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.request("POST", path, form=form)

    def join(
        self, handle: str, password: str, prefix: str = "", query: str = ""
    ) -> Reply:
        """Register ``handle`` through the form, log in, and return the login reply.

        ``prefix`` is where the blog is mounted; ``query`` is added to the login URL so
        that a test can find that request in a server's log.
        """
        registered = self.post(
            f"{prefix}/account/register",
            {"handle": handle, "password": password, "confirm": password},
        )
        assert registered.status == 302, registered.text
        assert registered.location == f"{prefix}/account/login"
        logged_in = self.post(
            f"{prefix}/account/login{query}", {"handle": handle, "password": password}
        )
        assert logged_in.status == 302, logged_in.text
        assert logged_in.location == f"{prefix}/"
        assert "session" in self.cookies
        return logged_in


@dataclass
class Server:
    """A running server's process group, and the file its output goes to."""

    kind: str
    process: subprocess.Popen[bytes]
    log_path: Path
    port: int

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def visitor(self, **options: Any) -> Visitor:
        """A new visitor of this server; ``options`` as for :class:`Visitor`."""
        return Visitor(self.port, **options)

    def pause(self) -> None:
        """Wait one poll interval, noticing at once if the server has exited."""
        try:
            code = self.process.wait(timeout=POLL_INTERVAL)
        except subprocess.TimeoutExpired:
            return
        raise ServerDied(f"{self.kind} exited with {code}:\n{self.log()[-3000:]}")

    def wait_until(self, check: Callable[[], bool], what: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{self.kind}: no {what} within {seconds}s:\n{self.log()[-3000:]}"
                )
            self.pause()

    def process_that_answered(self, token: str) -> int:
        """The id of the process that served the request with ``?probe=<token>``.

        Servers write the log line after sending the response, so this polls the log.
        """
        pattern = re.compile(
            PROCESS_IN_LOG[self.kind].format(token=re.escape(token)), re.MULTILINE
        )
        found: list[int] = []

        def logged() -> bool:
            match = pattern.search(self.log())
            if match:
                found.append(int(match.group(1)))
            return match is not None

        self.wait_until(logged, f"log line for probe {token}", LOG_DEADLINE)
        return found[0]

    def other_worker_serves(
        self, visitor: Visitor, username: str, login_pid: int, seconds: float = 20.0
    ) -> int:
        """Read the members-only page as ``visitor`` until a worker other than
        ``login_pid`` serves it, checking each page shows ``username`` logged in;
        return that worker's process id. Workers take connections in no fixed
        order, hence the loop."""
        readers: set[int] = set()
        deadline = time.monotonic() + seconds
        while not readers - {login_pid}:
            assert time.monotonic() < deadline, f"only process {login_pid} answered"
            token = uuid.uuid4().hex
            page = visitor.get(f"/write?probe={token}")
            assert (page.status, page.title, page.whoami) == (
                200,
                "New entry",
                username,
            )
            readers.add(self.process_that_answered(token))
        return (readers - {login_pid}).pop()

    def logged(self, token: str) -> bool:
        """Whether this server has logged the request with ``?probe=<token>``."""
        return f"probe={token}" in self.log()

    def kill(self) -> None:
        """End the whole process group at once, as a crash or a lost machine would:
        no graceful shutdown, requests in progress are cut."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def stop(self) -> None:
        """Terminate the whole process group, then make sure nothing of it is left."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


@dataclass
class Launcher:
    """Starts servers, and stops every one of them in :meth:`stop_all`."""

    folder: Path
    running: list[Server] = field(default_factory=list)

    free_port = staticmethod(free_port)
    find_tool = staticmethod(find_tool)

    @staticmethod
    def find_nginx() -> str:
        """Where nginx is; skips the test when it is not installed."""
        found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
        if found is None:
            pytest.skip("nginx is not installed here: apt-get install nginx")
        return found

    def start(
        self,
        kind: str,
        argv: list[str],
        port: int,
        env: dict[str, str] | None = None,
        ready: Callable[[Server], bool] | None = None,
    ) -> Server:
        """Run ``argv`` in a new process group and wait until ``ready(server)`` is
        true (by default: until the port answers HTTP)."""
        log_path = self.folder / f"{kind}-{port}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # A shell without job control starts background commands with
                # Ctrl-C ignored, and children inherit that: the servers stopped
                # with SIGINT must get it.
                preexec_fn=_default_interrupt,
            )
        server = Server(kind, process, log_path, port)
        self.running.append(server)
        check = ready or (lambda server: answers_http(server.port))
        server.wait_until(lambda: check(server), "answer", STARTUP_DEADLINE)
        return server

    def blog(
        self,
        kind: str,
        secret_key: str = "deploy-test-key",
        database: Path | None = None,
        app: str = DOCUMENTED_APP,
        **settings: str,
    ) -> Server:
        """Serve the blog with the documented command for ``kind``.

        The database is created with ``init-db`` unless ``database`` names an existing
        one. ``settings`` become more ``JOTTER_*`` variables, and ``app`` is the
        application object to serve (``probe_app:app`` adds a diagnostic route).
        Skips the test when the server is not installed.
        """
        words = DOCUMENTED_COMMANDS[kind].split()
        executable = find_tool(words[0])
        if executable is None:
            pytest.skip(f"{words[0]} is not installed here: {INSTALL_HINT}")
        port = free_port()
        argv = [executable] + [
            word.replace(DOCUMENTED_ADDRESS, f"127.0.0.1:{port}").replace(
                DOCUMENTED_APP, app
            )
            for word in words[1:]
        ]
        if database is None:
            database = self.folder / f"blog-{port}.sqlite3"
        env = blog_environment(secret_key, database, settings)
        if not database.exists():
            init_database(env)
        return self.start(kind, argv, port, env=env)

    def redis(self) -> Server:
        """Start Debian's redis-server with the documented command on a free port,
        keeping its files in a folder of its own. Skips the test when it is missing."""
        words = shlex.split(DOCUMENTED_COMMANDS["redis"])
        executable = shutil.which(words[0]) or shutil.which(words[0], path="/usr/bin")
        if executable is None:
            pytest.skip(
                "redis-server is not installed here: apt-get install redis-server"
            )
        port = free_port()
        folder = self.folder / f"redis-{port}"
        folder.mkdir()
        argv = [executable] + [
            str(port) if word == DOCUMENTED_REDIS_PORT else word for word in words[1:]
        ]
        return self.start(
            "redis",
            [*argv, "--dir", str(folder)],
            port,
            ready=lambda server: answers_redis(server.port),
        )

    def nginx(
        self,
        site_file: str,
        backends: list[Server],
        certificate: tuple[Path, Path, ssl.SSLContext],
    ) -> tuple[Server, dict[str, Any]]:
        """Run nginx with ``site_file`` from examples/blog/deploy/, passing requests to
        ``backends``; return it and the options of :class:`Visitor` that reach it.

        The file is used as it is, except for what only a test can choose: the
        listening address, the backends' addresses (its ``server 127.0.0.1:...;``
        lines, in order), the certificate and the static folder.
        """
        found = self.find_nginx()
        cert, key, context = certificate
        port = free_port()
        folder = self.folder / f"nginx-{port}"
        folder.mkdir()
        site = (DEPLOY / site_file).read_text()
        upstreams = re.findall(r"server 127\.0\.0\.1:\d+;", site)
        assert len(upstreams) == len(backends), upstreams
        for documented, backend in zip(upstreams, backends, strict=True):
            site = site.replace(documented, f"server 127.0.0.1:{backend.port};", 1)
        choices = {
            "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
            "/etc/ssl/certs/blog.example.com.pem": str(cert),
            "/etc/ssl/private/blog.example.com.key": str(key),
            "/srv/jotter/static/": f"{STATIC}/",
        }
        for documented, chosen in choices.items():
            assert site.count(documented) == 1, documented
            site = site.replace(documented, chosen)
        (folder / "site.conf").write_text(site)
        # Run as root, nginx would hand its workers to "nobody", who cannot enter the
        # test's folder; run as anyone else, the directive would only earn a warning.
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = folder / "nginx.conf"
        main.write_text(
            NGINX_MAIN_CONFIG.format(
                user=user, folder=folder, site=folder / "site.conf"
            )
        )
        options: dict[str, Any] = {"host": PUBLIC_HOST, "tls": context}

        def answering(server: Server) -> bool:
            try:
                server.visitor(**options).get("/")
            except OSError:
                return False
            return True

        argv = [found, "-e", str(folder / "error.log"), "-p", str(folder)]
        server = self.start("nginx", [*argv, "-c", str(main)], port, ready=answering)
        return server, options

    def stop_all(self) -> None:
        while self.running:
            self.running.pop().stop()


def blog_environment(
    secret_key: str, database: Path, settings: dict[str, str]
) -> dict[str, str]:
    """This process's environment without FLASK_*/JOTTER_* variables, plus the blog's
    settings, and a search path where the probe application can be imported."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "JOTTER_"))
    }
    env["JOTTER_SECRET_KEY"] = secret_key
    env["JOTTER_DATABASE"] = str(database)
    env.update({f"JOTTER_{name}": value for name, value in settings.items()})
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROBE_DIR), os.environ.get("PYTHONPATH")])
    )
    return env


def init_database(env: dict[str, str]) -> None:
    """Create the empty tables with the documented ``init-db`` command."""
    words = DOCUMENTED_COMMANDS["init-db"].split()
    executable = find_tool(words[0])
    assert executable is not None, "the flask command is missing from the venv"
    done = subprocess.run(
        [executable, *words[1:]],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "tables are ready" in done.stdout


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    """Starts servers for one test and stops them all after it."""
    started = Launcher(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="module")
def module_launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    """Starts servers shared by one test module, stopped after its last test."""
    started = Launcher(tmp_path_factory.mktemp("servers"))
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="module")
def certificate(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, ssl.SSLContext]:
    """A self-signed certificate for the public host name (and 127.0.0.1), its key,
    and a client TLS context that trusts exactly that certificate."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed here: apt-get install openssl")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "blog.pem", folder / "blog.key"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", f"/CN={PUBLIC_HOST}",
            "-addext", f"subjectAltName=DNS:{PUBLIC_HOST},IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    context = ssl.create_default_context(cafile=str(cert))
    return cert, key, context


@pytest.fixture
def documented_commands() -> dict[str, str]:
    return dict(DOCUMENTED_COMMANDS)
