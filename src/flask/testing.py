"""Tools for testing applications: a test client, an environ builder that knows the
application's configuration, and a runner for CLI commands."""

from __future__ import annotations

import importlib.metadata
import typing as t
from contextlib import contextmanager
from contextlib import ExitStack
from copy import copy
from functools import lru_cache
from types import TracebackType
from urllib.parse import urlsplit

import werkzeug.test
from click.testing import CliRunner
from click.testing import Result
from werkzeug.test import Client
from werkzeug.wrappers import Request as BaseRequest

from .cli import ScriptInfo
from .sessions import SessionMixin

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.test import TestResponse

    from .app import Flask

__all__ = [
    "EnvironBuilder",
    "FlaskClient",
    "FlaskCliRunner",
    "ScriptInfo",
    "SessionMixin",
]


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """Werkzeug's :class:`~werkzeug.test.EnvironBuilder`, with defaults taken from an
    application: the host from ``SERVER_NAME`` (else ``localhost``), the script root
    from ``APPLICATION_ROOT``, the scheme from ``PREFERRED_URL_SCHEME``, and JSON
    bodies serialized with ``app.json``.

    :param app: The application the request is for.
    :param path: The URL path; may include a query string, and a scheme and host to
        override the defaults.
    :param base_url: The base URL (scheme, host and script root). Cannot be combined
        with ``subdomain`` or ``url_scheme``.
    :param subdomain: Subdomain to prepend to ``SERVER_NAME``.
    :param url_scheme: Scheme to use instead of ``PREFERRED_URL_SCHEME``.
    :param args: Passed to Werkzeug's ``EnvironBuilder``.
    :param kwargs: Passed to Werkzeug's ``EnvironBuilder``.
    """

    def __init__(
        self,
        app: Flask,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> None:
        if base_url is not None and (subdomain or url_scheme):
            raise AssertionError(
                'Cannot pass "subdomain" or "url_scheme" with "base_url". Give the'
                " subdomain and scheme as part of the base URL instead."
            )

        if base_url is None:
            host = app.config.get("SERVER_NAME") or "localhost"
            if subdomain:
                host = f"{subdomain}.{host}"
            if url_scheme is None:
                url_scheme = app.config["PREFERRED_URL_SCHEME"]
            root = app.config["APPLICATION_ROOT"].lstrip("/")

            url = urlsplit(path)
            base_url = f"{url.scheme or url_scheme}://{url.netloc or host}/{root}"
            path = url.path
            if url.query:
                path = f"{path}?{url.query}"

        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize the ``json=`` body with the application's JSON provider."""
        return self.app.json.dumps(obj, **kwargs)


@lru_cache
def _werkzeug_version() -> str:
    return importlib.metadata.version("werkzeug")


class FlaskClient(Client):
    """The client :meth:`Flask.test_client <flask.Flask.test_client>` returns: sends
    requests to the application and returns the responses, without a server.

    Request methods (``get``, ``post``, ..., ``open``) take the arguments of
    :class:`EnvironBuilder`, including ``json=``, ``data=``, ``headers=`` and
    ``query_string=``, plus ``follow_redirects`` and ``buffered``.

    Used in a ``with`` block, the contexts of the most recent request stay active after
    the request returns, until the next request or the end of the block, so tests can
    inspect :data:`~flask.request`, :data:`~flask.session` and :data:`~flask.g`::

        with app.test_client() as client:
            client.get("/?name=x")
            assert request.args["name"] == "x"
    """

    application: Flask

    #: ``True`` while the client is used in a ``with`` block; the contexts of each
    #: request are then kept active until the next request or the end of the block.
    preserve_context: bool

    # The application appends the contexts of a preserved request to
    # ``_new_contexts``; after the request they move onto ``_context_stack``, which is
    # closed before the next request and when the ``with`` block ends.
    _new_contexts: list[t.ContextManager[t.Any]]
    _context_stack: ExitStack

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.preserve_context = False
        self._new_contexts = []
        self._context_stack = ExitStack()
        #: Environ values every request from this client starts with.
        self.environ_base = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": f"Werkzeug/{_werkzeug_version()}",
        }

    @contextmanager
    def session_transaction(
        self,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> t.Iterator[SessionMixin]:
        """Open the session for the client's current cookies, to read or change it
        between requests; changes are saved back into the client's cookies when the
        block ends::

            with client.session_transaction() as session:
                session["user_id"] = 1

        :param args: Passed to :meth:`~flask.Flask.test_request_context`, to describe
            the request the session is opened for.
        :param kwargs: Likewise.
        :raises TypeError: The client was created with ``use_cookies=False``.
        :raises RuntimeError: The session interface did not open a session.
        """
        if self._cookies is None:
            raise TypeError(
                "Cookies are disabled. Create a client with 'use_cookies=True'."
                " session_transaction() reads and writes the client's cookies."
            )

        app = self.application
        ctx = app.test_request_context(*args, **kwargs)
        self._add_cookies_to_wsgi(ctx.request.environ)

        with ctx:
            sess = app.session_interface.open_session(app, ctx.request)
        if sess is None:
            raise RuntimeError(
                "Session backend did not open a session. Check that 'SECRET_KEY' is"
                " set, or that the session interface's open_session() returns a"
                " session."
            )

        yield sess
        if app.session_interface.is_null_session(sess):
            return

        response = app.response_class()
        with ctx:
            app.session_interface.save_session(app, sess, response)
        # The cookie jar is keyed by host name without the port.
        server_name = ctx.request.host.partition(":")[0]
        self._update_cookies_from_response(
            server_name, ctx.request.path, response.headers.getlist("Set-Cookie")
        )

    def _copy_environ(self, other: WSGIEnvironment) -> WSGIEnvironment:
        environ = {**self.environ_base, **other}
        if self.preserve_context:
            environ["werkzeug.debug.preserve_context"] = self._new_contexts.append
        return environ

    def _request_from_builder_args(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> BaseRequest:
        kwargs["environ_base"] = self._copy_environ(kwargs.get("environ_base", {}))
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def open(
        self,
        *args: t.Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: t.Any,
    ) -> TestResponse:
        first = args[0] if args else None
        if isinstance(first, werkzeug.test.EnvironBuilder):
            builder = copy(first)
            builder.environ_base = self._copy_environ(builder.environ_base or {})  # type: ignore[arg-type]
            request = builder.get_request()
        elif isinstance(first, dict):
            request = EnvironBuilder.from_environ(
                first, app=self.application, environ_base=self._copy_environ({})
            ).get_request()
        elif isinstance(first, BaseRequest):
            request = copy(first)
            request.environ = self._copy_environ(request.environ)
        else:
            request = self._request_from_builder_args(args, kwargs)

        # Contexts kept from the previous request end before the next one starts.
        self._context_stack.close()

        response = super().open(
            request, buffered=buffered, follow_redirects=follow_redirects
        )
        response.json_module = self.application.json  # type: ignore[assignment]

        # Keep the contexts the request handed over, entered in the order they arrived
        # (app context first) so that the request context reuses that app context.
        handed_over = self._new_contexts
        while handed_over:
            self._context_stack.enter_context(handed_over.pop(0))
        return response

    def __enter__(self) -> FlaskClient:
        if self.preserve_context:
            raise RuntimeError(
                "Cannot nest client invocations: this client is already used in a"
                " 'with' block."
            )
        self.preserve_context = True
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False
        self._context_stack.close()


class FlaskCliRunner(CliRunner):
    """A click :class:`~click.testing.CliRunner` for an application's commands; see
    :meth:`Flask.test_cli_runner <flask.Flask.test_cli_runner>`.

    :param app: The application whose commands are invoked.
    :param kwargs: Passed to :class:`~click.testing.CliRunner`.
    """

    def __init__(self, app: Flask, **kwargs: t.Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(  # type: ignore[override]
        self, cli: t.Any = None, args: t.Any = None, **kwargs: t.Any
    ) -> Result:
        """Invoke a command in an isolated environment and return the
        :class:`~click.testing.Result`.

        :param cli: The command to invoke; the application's :attr:`~flask.Flask.cli`
            group by default.
        :param args: The command line arguments, as a list of strings.
        :param kwargs: Passed to :meth:`click.testing.CliRunner.invoke`. Unless ``obj``
            is given, a :class:`~flask.cli.ScriptInfo` that loads this runner's
            application is passed.
        """
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)
