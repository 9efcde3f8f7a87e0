"""The :class:`Flask` application: the WSGI side of the framework and the request
lifecycle.

A request travels through these methods, in this order:

``wsgi_app`` → :class:`~flask.ctx.RequestContext` ``push`` (app context, session, URL
match) → ``full_dispatch_request`` → ``preprocess_request`` → ``dispatch_request`` (the
view) → ``finalize_request`` (``make_response``, ``process_response``) → the response is
sent → ``RequestContext.pop`` (teardown functions).

An exception anywhere in between goes to ``handle_user_exception`` (error handlers) and,
if it is not handled, to ``handle_exception`` (500).
"""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import typing as t
from datetime import timedelta
from functools import cached_property
from inspect import iscoroutinefunction
from itertools import chain
from types import TracebackType
from urllib.parse import quote as _url_quote

from werkzeug.datastructures import Headers
from werkzeug.datastructures import ImmutableDict
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import BuildError
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import RoutingException
from werkzeug.routing import Rule
from werkzeug.serving import is_running_from_reloader
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import get_host

from . import fastpaths
from . import typing as ft
from ._deferred import Deferred
from ._malformed import checked_host
from ._runner import async_to_sync as _async_to_sync
from .ctx import AppContext
from .ctx import RequestContext
from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import g
from .globals import request
from .globals import request_ctx as request_ctx
from .globals import session
from .helpers import _make_cli_group
from .helpers import _open_resource
from .helpers import _send_file_max_age
from .helpers import _send_static_file
from .helpers import get_debug_flag
from .helpers import get_flashed_messages
from .helpers import get_load_dotenv as get_load_dotenv
from .helpers import send_from_directory as send_from_directory
from .sansio.app import App
from .sansio.scaffold import _sentinel
from .sessions import SecureCookieSessionInterface
from .sessions import SessionInterface as SessionInterface
from .signals import appcontext_tearing_down
from .signals import got_request_exception
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from click import Group

    from .templating import Environment
    from .testing import FlaskClient
    from .testing import FlaskCliRunner

# flask.templating imports Jinja, which is imported when templates are first used
# (see flask._deferred).
__getattr__ = _templating = Deferred(globals(), "flask.templating", ("Environment",))
__dir__ = _templating.dir

# Characters left unquoted in a URL fragment built by url_for(_anchor=...).
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"

# What make_response accepts as the headers part of a tuple.
_HEADER_TYPES = (Headers, dict, tuple, list)

# Values make_response uses directly as a response body (and, in a tuple's status
# position, as a status line).
_BODY_TYPES = (str, bytes, bytearray)

_INVALID_RETURN = (
    "The view function did not return a valid response. The return type must be a"
    " string, dict, list, tuple with headers or status, Response instance, or WSGI"
    " callable, but it was a {}."
)


def _unpack_response_tuple(rv: tuple[t.Any, ...]) -> tuple[t.Any, t.Any, t.Any]:
    # (body, status, headers), (body, status) or (body, headers) -> all three.
    if len(rv) == 3:
        return rv
    if len(rv) == 2:
        body, extra = rv
        if isinstance(extra, _HEADER_TYPES):
            return body, None, extra
        return body, extra, None
    raise TypeError(
        "The view function did not return a valid response tuple. The tuple must"
        " have the form (body, status, headers), (body, status), or (body, headers)."
        f" The returned tuple has length {len(rv)}."
    )


class Flask(App):
    """A web application: create one, register views on it, and serve it with any WSGI
    server.

    ::

        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def index():
            return "Hello, World!"

    ``import_name`` tells the application where it is defined, which is how it finds its
    ``static`` and ``templates`` folders and its instance folder. Pass ``__name__``
    from the module that creates it; in a package, ``__name__`` of the package's
    ``__init__.py`` works too.

    :param import_name: The name of the application's module or package.
    :param static_url_path: URL prefix of the static files; defaults to the name of
        ``static_folder``. ``""`` serves them from the root.
    :param static_folder: Folder with static files, relative to :attr:`root_path`,
        served at ``static_url_path``. ``None`` disables the static route.
    :param static_host: The host of the static route; required when
        ``host_matching`` is on, and not allowed otherwise.
    :param host_matching: Match rules on the full host instead of only the path; rules
        then take a ``host`` option.
    :param subdomain_matching: Match rules on the subdomain of ``SERVER_NAME``; rules
        then take a ``subdomain`` option.
    :param template_folder: Folder with templates, relative to :attr:`root_path`.
        ``None`` disables the application's own template folder.
    :param instance_path: Absolute path of the instance folder; see
        :attr:`instance_path`.
    :param instance_relative_config: Resolve relative config file names against the
        instance folder instead of :attr:`root_path`.
    :param root_path: The folder static, template and resource paths are relative to.
        Found from ``import_name`` by default; required for namespace packages.
    """

    #: The configuration every new application starts with.
    default_config = ImmutableDict(
        {
            "DEBUG": None,
            "TESTING": False,
            "PROPAGATE_EXCEPTIONS": None,
            "SECRET_KEY": None,
            "SECRET_KEY_FALLBACKS": None,
            "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
            "USE_X_SENDFILE": False,
            "TRUSTED_HOSTS": None,
            "SERVER_NAME": None,
            "APPLICATION_ROOT": "/",
            "SESSION_COOKIE_NAME": "session",
            "SESSION_COOKIE_DOMAIN": None,
            "SESSION_COOKIE_PATH": None,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_PARTITIONED": False,
            "SESSION_COOKIE_SAMESITE": None,
            "SESSION_REFRESH_EACH_REQUEST": True,
            "MAX_CONTENT_LENGTH": None,
            "MAX_FORM_MEMORY_SIZE": 500_000,
            "MAX_FORM_PARTS": 1_000,
            "SEND_FILE_MAX_AGE_DEFAULT": None,
            "TRAP_BAD_REQUEST_ERRORS": None,
            "TRAP_HTTP_EXCEPTIONS": False,
            "EXPLAIN_TEMPLATE_LOADING": False,
            "PREFERRED_URL_SCHEME": "http",
            "TEMPLATES_AUTO_RELOAD": None,
            "MAX_COOKIE_SIZE": 4093,
            "PROVIDE_AUTOMATIC_OPTIONS": True,
            "ASYNC_RUNNER": "shared_loop",
        }
    )

    # The fast-path plan of this application and the stamp of the attribute and setup
    # changes it must not predate (see flask.fastpaths).
    _fast_path_plan: fastpaths.Plan | None = None
    _fast_path_epoch = 0

    #: The class of :data:`~flask.request` objects.
    request_class: type[Request] = Request

    #: The class of the responses the application creates.
    response_class: type[Response] = Response

    #: Opens and saves sessions; a signed-cookie session by default. Assign another
    #: :class:`~flask.sessions.SessionInterface` to store sessions elsewhere.
    session_interface: SessionInterface = SecureCookieSessionInterface()

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ):
        super().__init__(
            import_name=import_name,
            static_url_path=static_url_path,
            static_folder=static_folder,
            static_host=static_host,
            host_matching=host_matching,
            subdomain_matching=subdomain_matching,
            template_folder=template_folder,
            instance_path=instance_path,
            instance_relative_config=instance_relative_config,
            root_path=root_path,
        )

        # The name the ``cli`` group gets when it is created.
        self._cli_name = self.name

        if self.has_static_folder:
            if bool(static_host) != host_matching:
                raise AssertionError(
                    "Invalid static_host/host_matching combination: 'static_host' is"
                    " required when 'host_matching' is on, and not allowed when it is"
                    " off."
                )
            # A plain function rather than a bound method, so the URL map does not
            # keep a reference cycle to the application.
            send_static = _static_view(self)
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=send_static,
            )

    def __setattr__(self, name: str, value: t.Any) -> None:
        super().__setattr__(name, value)
        # The fast-path plan depends on the application's attributes.
        fastpaths.app_changed(self)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        fastpaths.app_changed(self)

    def _check_setup_finished(self, f_name: str) -> None:
        super()._check_setup_finished(f_name)
        # Every setup method comes through here: registrations change the plan.
        fastpaths.app_changed(self)

    # Files and resources ---------------------------------------------------------

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The ``max_age`` :func:`~flask.send_file` uses when none is given:
        ``SEND_FILE_MAX_AGE_DEFAULT`` of the current application, in seconds.

        ``None`` (the default) sends no max age, so browsers revalidate with a
        conditional request. Override to choose per file.

        :param filename: The name of the file being sent, if known.
        """
        app_ctx = _cv_app.get(None)
        config = current_app.config if app_ctx is None else app_ctx.app.config
        return _send_file_max_age(config["SEND_FILE_MAX_AGE_DEFAULT"])

    def send_static_file(self, filename: str) -> Response:
        """The view of the ``static`` route: send a file from :attr:`static_folder`.

        :param filename: The file's path inside the static folder.
        """
        return _send_static_file(self, filename)

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to :attr:`root_path` for reading::

            with app.open_resource("schema.sql") as f:
                conn.executescript(f.read())

        :param resource: Path of the file, relative to the root path.
        :param mode: ``"rb"``, ``"r"`` or ``"rt"``; only reading is allowed.
        :param encoding: Text encoding, for text modes.
        :raises ValueError: ``mode`` is not a read mode.
        """
        return _open_resource(self.root_path, resource, mode, encoding)

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to :attr:`instance_path`. Unlike :meth:`open_resource`
        this allows writing.

        :param resource: Path of the file, relative to the instance folder.
        :param mode: Any mode :func:`open` accepts.
        :param encoding: Text encoding, for text modes.
        """
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    # Templates and shell ---------------------------------------------------------

    def create_jinja_environment(self) -> Environment:
        """Create :attr:`jinja_env` from :attr:`jinja_options`.

        Autoescaping follows :meth:`select_jinja_autoescape` and auto-reload follows
        ``TEMPLATES_AUTO_RELOAD`` (or debug mode) unless the options say otherwise. The
        globals ``url_for``, ``get_flashed_messages``, ``config``, ``request``,
        ``session`` and ``g`` are added, and the ``tojson`` filter uses :attr:`json`.
        """
        options = dict(self.jinja_options)
        options.setdefault("autoescape", self.select_jinja_autoescape)
        if "auto_reload" not in options:
            auto_reload = self.config["TEMPLATES_AUTO_RELOAD"]
            options["auto_reload"] = self.debug if auto_reload is None else auto_reload
        env = self.jinja_environment(self, **options)
        env.globals.update(
            url_for=self.url_for,
            get_flashed_messages=get_flashed_messages,
            config=self.config,
            # The request globals are proxies: templates rendered outside of a
            # request can still test them.
            request=request,
            session=session,
            g=g,
        )
        env.policies["json.dumps_function"] = self.json.dumps
        return env

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the values of the context processors to a template context.

        The application's processors run first, then those of the current request's
        blueprints from the outermost to the innermost. Values already in ``context``
        are kept.

        :param context: The context to update in place.
        """
        scopes: t.Iterable[str | None] = (None,)
        ctx = _cv_request.get(None)
        if ctx is not None:
            scopes = chain(scopes, reversed(ctx.request._scopes))

        explicit = context.copy()
        processors = self.template_context_processors
        for scope in scopes:
            if scope in processors:
                for func in processors[scope]:
                    context.update(self.ensure_sync(func)())
        context.update(explicit)

    def make_shell_context(self) -> dict[str, t.Any]:
        """The namespace of ``flask shell``: ``app``, ``g``, and the names the shell
        context processors return."""
        namespace = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            namespace.update(processor())
        return namespace

    # Serving and testing ---------------------------------------------------------

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the application with Werkzeug's development server.

        The development server is for local development only: use a production WSGI
        server to deploy. Prefer ``flask run``, which also offers the reloader and
        debugger. When the ``flask`` command is running the application, calling
        this only prints a warning, so a leftover ``app.run()`` does not start a second
        server; guard it with ``if __name__ == "__main__":``.

        :param host: Interface to listen on; from ``SERVER_NAME`` or ``127.0.0.1``.
            ``"0.0.0.0"`` listens on all interfaces.
        :param port: Port to listen on; from ``SERVER_NAME`` or ``5000``.
        :param debug: Turn debug mode on or off.
        :param load_dotenv: Load ``.env`` and ``.flaskenv`` files and apply
            ``FLASK_DEBUG`` from them.
        :param options: Passed to :func:`werkzeug.serving.run_simple`.
            ``use_reloader`` and ``use_debugger`` default to debug mode, ``threaded``
            to true.
        """
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            if not is_running_from_reloader():
                import click

                click.secho(
                    " * Ignoring a call to 'app.run()' that would block the current"
                    " 'flask' CLI command.\n   Put 'app.run()' under an"
                    " 'if __name__ == \"__main__\":' guard so it only runs when the"
                    " module is executed directly.",
                    fg="red",
                )
            return

        from . import cli

        use_dotenv = get_load_dotenv(load_dotenv)
        if use_dotenv:
            cli.load_dotenv()
        if debug is None and use_dotenv and "FLASK_DEBUG" in os.environ:
            # A FLASK_DEBUG from the environment (or a dotenv file) applies unless
            # the caller chose explicitly.
            debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)

        server_name = self.config.get("SERVER_NAME")
        name_host, _, name_port = (server_name or "").partition(":")
        host = host or name_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        elif name_port:
            port = int(name_port)
        else:
            port = 5000

        in_debug = self.debug
        server_options = {
            "use_reloader": in_debug,
            "use_debugger": in_debug,
            "threaded": True,
            **options,
        }
        cli.show_server_banner(in_debug, self.name)

        from werkzeug.serving import run_simple

        try:
            run_simple(host, port, self, **server_options)
        finally:
            # The application can be run again (e.g. from an interactive session);
            # allow setup between the runs.
            self._got_first_request = False

    @cached_property
    def cli(self) -> Group:  # type: ignore[override]
        """The click group of the application's ``flask`` commands. Add commands with
        ``@app.cli.command()``. Created on first use."""
        return _make_cli_group(self._cli_name)

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """Create a test client, which sends requests to the application without a
        server::

            with app.test_client() as client:
                response = client.get("/")
                assert response.status_code == 200

        Inside ``with client:`` the contexts of the last request stay active after it
        returns, so the test can inspect :data:`~flask.request`, :data:`~flask.session`
        and :data:`~flask.g`. Set ``app.testing = True`` to see the application's
        exceptions in the test instead of 500 responses.

        :param use_cookies: Store cookies between requests.
        :param kwargs: Passed to :attr:`test_client_class`.
        """
        cls = self.test_client_class
        if cls is None:
            from .testing import FlaskClient

            cls = FlaskClient
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: t.Any) -> FlaskCliRunner:
        """Create a runner that invokes the application's CLI commands in tests.

        :param kwargs: Passed to :attr:`test_cli_runner_class`.
        """
        cls = self.test_cli_runner_class
        if cls is None:
            from .testing import FlaskCliRunner

            cls = FlaskCliRunner
        return cls(self, **kwargs)

    # Routing ---------------------------------------------------------------------

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Bind the URL map for a request, or for building URLs without one.

        For a request, the ``Host`` header is checked against ``TRUSTED_HOSTS``
        first (an untrusted host raises a 400 error). Subdomains are only taken from
        the host when :attr:`subdomain_matching` is on; otherwise every host matches
        the default subdomain.

        Without a request, an adapter can only be made when ``SERVER_NAME`` is set; it
        uses ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``. Returns ``None`` when
        ``SERVER_NAME`` is not set.
        """
        config = self.config
        if request is not None:
            adapter = fastpaths.bind_url_adapter(self, request)  # PERF: hello
            if adapter is not None:
                return adapter
            trusted_hosts = config["TRUSTED_HOSTS"]
            if trusted_hosts is not None:
                request.trusted_hosts = trusted_hosts
            # Validates the host (raising SecurityError, a 400) and caches it. The
            # get_host of this module, as Flask's, is what mocks replace.
            request.host = checked_host(
                request.environ, request.trusted_hosts, get_host
            )

            url_map = self.url_map
            if url_map.host_matching:
                # The request's own host is matched: SERVER_NAME must not replace it.
                bind_host, bind_subdomain = None, None
            elif self.subdomain_matching:
                bind_host, bind_subdomain = config["SERVER_NAME"], None
            else:
                # Every host counts as the default subdomain, so SERVER_NAME does not
                # restrict which hosts are served.
                bind_host = config["SERVER_NAME"]
                bind_subdomain = url_map.default_subdomain or ""
            return url_map.bind_to_environ(request.environ, bind_host, bind_subdomain)

        if config["SERVER_NAME"] is None:
            return None
        return self.url_map.bind(
            config["SERVER_NAME"],
            script_name=config["APPLICATION_ROOT"],
            url_scheme=config["PREFERRED_URL_SCHEME"],
        )

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the error routing stored on the request.

        In debug mode, a redirect that would make the browser drop a request body (a
        301 or 302 for a method other than GET, HEAD and OPTIONS) raises
        :exc:`~flask.debughelpers.FormDataRoutingRedirect` instead, which explains the
        problem.
        """
        exc = request.routing_exception
        if (
            not self.debug
            or not isinstance(exc, RequestRedirect)
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc  # type: ignore[misc]

        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of an endpoint.

        Inside a request, URLs are relative (``/user/1``) unless ``_external`` is true
        or a ``_scheme`` is given, and an endpoint starting with ``.`` is relative to
        the current blueprint. Outside a request, URLs are absolute by default and are
        built from ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.

        The ``url_defaults`` functions fill in values first. Values that are not rule
        variables are added to the query string. If the URL cannot be built, the
        :attr:`url_build_error_handlers` are tried before the
        :exc:`~werkzeug.routing.BuildError` is raised.

        :param endpoint: The endpoint name.
        :param _anchor: Fragment to append after ``#``; it is quoted.
        :param _method: Choose the rule for this method when several rules share the
            endpoint.
        :param _scheme: Scheme of the URL; requires an external URL.
        :param _external: Build an absolute URL with scheme and host.
        :param values: Values for rule variables and the query string.
        :raises RuntimeError: Outside of a request with no ``SERVER_NAME`` configured.
        :raises ValueError: ``_scheme`` is given with ``_external=False``.
        """
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint = req_ctx.request.blueprint
                endpoint = endpoint[1:] if blueprint is None else blueprint + endpoint
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None and app_ctx.app is self:
                adapter = app_ctx.url_adapter
            else:
                adapter = self.create_url_adapter(None)
            if adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request without"
                    " 'SERVER_NAME' configured. Set 'SERVER_NAME' (and"
                    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed) in the"
                    " config, or build the URL inside a request or"
                    " 'app.test_request_context()'."
                )
            if _external is None:
                _external = True

        if _scheme is not None and not _external:
            raise ValueError(
                "When specifying '_scheme', '_external' must be True. A URL with a"
                " scheme is always absolute."
            )

        self.inject_url_defaults(endpoint, values)
        try:
            location = adapter.build(  # type: ignore[union-attr]
                endpoint,
                values,
                method=_method,
                url_scheme=_scheme,
                force_external=_external,
            )
        except BuildError as build_error:
            # Handlers get every argument back, including the underscored ones.
            values.update(
                _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external
            )
            return self.handle_url_build_error(build_error, endpoint, values)

        if _anchor is None:
            return location
        return f"{location}#{_url_quote(_anchor, safe=_ANCHOR_SAFE)}"

    # The request lifecycle -------------------------------------------------------

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:  # fmt: skip
        """The WSGI application that handles one request. :meth:`__call__` calls it.

        Wrap this method, not the application object, to add WSGI middleware while
        keeping the application's attributes reachable::

            app.wsgi_app = ProxyFix(app.wsgi_app)

        :param environ: The WSGI environment.
        :param start_response: The WSGI ``start_response`` callable.
        """
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                plan = fastpaths.plan_for(self)
                if fastpaths.may_respond_directly(self, plan, ctx):  # PERF: hello
                    rv = self._run_to_return_value()
                    body = fastpaths.respond_directly(
                        self, plan, ctx, rv, start_response
                    )
                    if body is not None:
                        return body
                    response = self.finalize_request(rv)
                else:
                    response = self.full_dispatch_request()
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except BaseException:
                # KeyboardInterrupt, SystemExit, GeneratorExit: not handled, but the
                # teardown functions still see them.
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            preserve = environ.get("werkzeug.debug.preserve_context")
            if preserve is not None:
                # The test client and the debugger keep these contexts around after
                # the request.
                preserve(_cv_app.get())
                preserve(_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:  # fmt: skip
        """The WSGI entry point; calls :meth:`wsgi_app`."""
        return self.wsgi_app(environ, start_response)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """Create the :class:`~flask.ctx.RequestContext` for a WSGI environment.
        :meth:`wsgi_app` pushes it for every request; in tests, use
        :meth:`test_request_context`.

        :param environ: A WSGI environment.
        """
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """Create a request context for a request built from the arguments, to run code
        that needs a request without sending one::

            with app.test_request_context("/?name=x", method="POST"):
                assert request.args["name"] == "x"

        Takes the arguments of Werkzeug's :class:`~werkzeug.test.EnvironBuilder` (such
        as ``path``, ``method``, ``headers``, ``data``, ``json``), plus ``base_url``, or
        ``subdomain`` and ``url_scheme`` to build it from ``SERVER_NAME``; see
        :class:`flask.testing.EnvironBuilder`.
        """
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    def app_context(self) -> AppContext:
        """Create an :class:`~flask.ctx.AppContext`, to use :data:`~flask.current_app`
        and :data:`~flask.g` outside of a request::

            with app.app_context():
                init_db()
        """
        return AppContext(self)

    def full_dispatch_request(self) -> Response:
        """Handle the request in the pushed context: send
        :data:`~flask.request_started`, run :meth:`preprocess_request` and, unless it
        produced a response, :meth:`dispatch_request`; pass exceptions to
        :meth:`handle_user_exception`; finish with :meth:`finalize_request`."""
        return self.finalize_request(self._run_to_return_value())

    def _run_to_return_value(self) -> ft.ResponseReturnValue | HTTPException:
        # full_dispatch_request() up to, not including, finalize_request().
        if not self._got_first_request:
            self._got_first_request = True
        try:
            if fastpaths.heard(request_started):
                request_started.send(self, _async_wrapper=self.ensure_sync)
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        return rv

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run the ``url_value_preprocessor`` functions, then the ``before_request``
        functions: the application's first, then those of the request's blueprints
        from the outermost to the innermost.

        :return: The first value other than ``None`` a ``before_request`` function
            returns, which replaces the view's response; ``None`` otherwise.
        """
        preprocessors = self.url_value_preprocessors
        before_funcs = self.before_request_funcs
        if not preprocessors and not before_funcs:
            return None
        req = _cv_request.get().request
        scopes = (None, *reversed(req._scopes))

        if preprocessors:
            for scope in scopes:
                if scope in preprocessors:
                    for url_func in preprocessors[scope]:
                        url_func(req.endpoint, req.view_args)

        if before_funcs:
            for scope in scopes:
                if scope in before_funcs:
                    for before_func in before_funcs[scope]:
                        rv = self.ensure_sync(before_func)()
                        if rv is not None:
                            return rv  # type: ignore[no-any-return]
        return None

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the view function of the matched endpoint with the URL's values and
        return what it returns.

        Raises the routing error if matching failed, and answers ``OPTIONS`` requests
        itself for rules with automatic options.
        """
        req = _cv_request.get().request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: Rule = req.url_rule  # type: ignore[assignment]
        if req.method == "OPTIONS" and getattr(
            rule, "provide_automatic_options", False
        ):
            return self.make_default_options_response()
        view = self.view_functions[rule.endpoint]
        return self.ensure_sync(view)(**req.view_args)  # type: ignore[arg-type, no-any-return]

    def make_default_options_response(self) -> Response:
        """The response to an automatic ``OPTIONS`` request: empty, with an ``Allow``
        header listing the methods the URL accepts."""
        adapter = _cv_request.get().url_adapter
        response = self.response_class()
        response.allow.update(adapter.allowed_methods())  # type: ignore[union-attr]
        return response

    def finalize_request(
        self,
        rv: ft.ResponseReturnValue | HTTPException,
        from_error_handler: bool = False,
    ) -> Response:
        """Turn a view's (or error handler's) return value into the final response:
        :meth:`make_response`, then :meth:`process_response`, then send
        :data:`~flask.request_finished`.

        :param rv: The return value.
        :param from_error_handler: The value comes from the 500 handler. An error while
            finalizing it is then logged instead of raised, since there is nothing
            left to handle it.
        """
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if fastpaths.heard(request_finished):
                request_finished.send(
                    self, _async_wrapper=self.ensure_sync, response=response
                )
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception(
                "Request finalizing failed with an error while handling an error"
            )
        return response

    def make_response(self, rv: ft.ResponseReturnValue) -> Response:
        """Convert a view's return value into an instance of :attr:`response_class`.

        The value may be:

        ``str``, ``bytes`` or ``bytearray``
            The body of a response; a ``str`` is encoded as UTF-8 and sent as
            ``text/html`` by default.
        ``dict`` or ``list``
            Serialized to a JSON response with :attr:`json`.
        an iterator or generator of ``str`` or ``bytes``
            Streamed as the body.
        a :attr:`response_class` instance
            Used as is.
        another Werkzeug response, or any WSGI callable
            Converted with :meth:`~werkzeug.wrappers.Response.force_type`.
        a tuple ``(body, status, headers)``, ``(body, status)`` or ``(body, headers)``
            ``body`` is any value above; ``status`` (an int or a string such as
            ``"418 I'm a teapot"``) replaces the status, and ``headers`` (a dict, a
            list of pairs or a :class:`~werkzeug.datastructures.Headers`) are added.

        :raises TypeError: The value is ``None`` or of another type, or a tuple of
            another length.
        """
        status: t.Any = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            rv, status, headers = _unpack_response_tuple(rv)

        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not return a valid"
                " response. The function either returned None or ended without a"
                " return statement. Return a string, dict, list, tuple, Response"
                " instance or WSGI callable."
            )

        response_class = self.response_class
        if isinstance(rv, response_class):
            response = rv
        elif isinstance(rv, _BODY_TYPES) or isinstance(rv, cabc.Iterator):
            # The constructor applies status and headers itself, so that a
            # Content-Type among the headers replaces the default mimetype.
            if headers is None:
                built = fastpaths.new_response(response_class, rv, status)
                if built is not None:  # PERF: hooks
                    return built
            return response_class(rv, status=status, headers=headers)
        elif isinstance(rv, (dict, list)):
            response = self.json.response(rv)  # type: ignore[assignment]
        elif isinstance(rv, BaseResponse) or callable(rv):
            try:
                response = response_class.force_type(rv, request.environ)  # type: ignore[arg-type, assignment]
            except TypeError as e:
                hint = _INVALID_RETURN.format(type(rv).__name__)
                raise TypeError(f"{e}\n{hint}").with_traceback(
                    sys.exc_info()[2]
                ) from None
        else:
            raise TypeError(_INVALID_RETURN.format(type(rv).__name__))

        if status is None:
            pass
        elif isinstance(status, _BODY_TYPES):
            response.status = status  # type: ignore[assignment]
        else:
            response.status_code = status
        if headers:
            response.headers.update(headers)
        return response

    def process_response(self, response: Response) -> Response:
        """Let the request's hooks change the response, then save the session.

        Runs the functions from :func:`~flask.after_this_request` in registration
        order, then the ``after_request`` functions of the request's blueprints from
        the innermost outwards and then the application's, each scope in reverse
        registration order. Each function's return value replaces the response.

        :param response: The response :meth:`make_response` created.
        :return: The response to send.
        """
        ctx = _cv_request.get()
        ensure_sync = self.ensure_sync

        for func in ctx._after_request_functions:
            response = ensure_sync(func)(response)

        after_funcs = self.after_request_funcs
        if after_funcs:
            for scope in chain(ctx.request._scopes, (None,)):
                if scope in after_funcs:
                    for func in reversed(after_funcs[scope]):
                        response = ensure_sync(func)(response)

        if fastpaths.session_unused(self, ctx):  # PERF: json
            return response
        session = ctx._open_deferred_session()
        interface = self.session_interface
        if not interface.is_null_session(session):
            interface.save_session(self, session, response)  # type: ignore[arg-type]
        return response

    def do_teardown_request(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run the ``teardown_request`` functions and send
        :data:`~flask.request_tearing_down`. Called when the request context is
        popped.

        Functions of the innermost blueprint run first and the application's last, each
        scope in reverse registration order.

        :param exc: The unhandled exception, or ``None``. Defaults to the exception
            being handled.
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]

        teardown_funcs = self.teardown_request_funcs
        if teardown_funcs:
            for scope in chain(_cv_request.get().request._scopes, (None,)):
                if scope in teardown_funcs:
                    for func in reversed(teardown_funcs[scope]):
                        self.ensure_sync(func)(exc)

        if fastpaths.heard(request_tearing_down):
            request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def do_teardown_appcontext(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run the ``teardown_appcontext`` functions in reverse registration order and
        send :data:`~flask.appcontext_tearing_down`. Called when the application
        context is popped.

        :param exc: The unhandled exception, or ``None``. Defaults to the exception
            being handled.
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        for func in reversed(self.teardown_appcontext_funcs):
            self.ensure_sync(func)(exc)
        if fastpaths.heard(appcontext_tearing_down):
            appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    # Errors -----------------------------------------------------------------------

    def handle_http_exception(
        self, e: HTTPException
    ) -> HTTPException | ft.ResponseReturnValue:
        """Handle an HTTP exception with its registered error handler, or return the
        exception itself (which renders as its error page).

        Exceptions without a status code and routing exceptions (such as the
        redirect to a URL with a trailing slash) are always returned unhandled.
        """
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, _cv_request.get().request._scopes)
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_user_exception(
        self, e: Exception
    ) -> HTTPException | ft.ResponseReturnValue:
        """Handle an exception raised while dispatching the request.

        HTTP exceptions go to :meth:`handle_http_exception` unless
        :meth:`trap_http_exception` says to treat them like other exceptions. Other
        exceptions go to their registered error handler; without one, the exception
        is re-raised for :meth:`handle_exception`.
        """
        if isinstance(e, HTTPException):
            if isinstance(e, BadRequestKeyError) and (
                self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
            ):
                # Name the missing key, which is normally hidden from clients.
                e.show_exception = True
            if not self.trap_http_exception(e):
                return self.handle_http_exception(e)

        scopes = _cv_request.get().request._scopes
        handler = self._find_error_handler(e, scopes)
        if handler is not None:
            return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]
        raise

    def handle_exception(self, e: Exception) -> Response:
        """Handle an exception no error handler dealt with: a 500 Internal Server Error.

        Sends :data:`~flask.got_request_exception`. If ``PROPAGATE_EXCEPTIONS`` is true
        (by default: in testing or debug mode) the exception is re-raised, so the test
        client or the debugger sees it. Otherwise it is logged with
        :meth:`log_exception`, and the response comes from the error handler for
        :exc:`~werkzeug.exceptions.InternalServerError` (which receives the original
        error as ``e.original_exception``) or is the default 500 page.
        """
        exc_info = sys.exc_info()
        if fastpaths.heard(got_request_exception):
            got_request_exception.send(
                self, _async_wrapper=self.ensure_sync, exception=e
            )

        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            if exc_info[1] is e:
                raise
            raise e

        self.log_exception(exc_info)
        server_error: InternalServerError | ft.ResponseReturnValue
        server_error = InternalServerError(original_exception=e)
        handler = self._find_error_handler(
            server_error, _cv_request.get().request._scopes
        )
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(
        self,
        exc_info: (tuple[type, BaseException, TracebackType] | tuple[None, None, None]),
    ) -> None:
        """Log an unhandled exception at error level on :attr:`logger`, with its
        traceback and the request's path and method. Override to log differently."""
        req = _cv_request.get().request
        self.logger.error(f"Exception on {req.path} [{req.method}]", exc_info=exc_info)

    # Async support -----------------------------------------------------------------

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return a function that can be called synchronously: coroutine functions are
        wrapped with :meth:`async_to_sync`, other functions are returned unchanged.

        The framework calls every view, hook, handler and signal receiver through
        this.
        """
        # This module's iscoroutinefunction, as in Flask, is what mocks replace.
        if fastpaths.is_coroutine_function(func, iscoroutinefunction):  # PERF: hooks
            return self.async_to_sync(func)
        return func

    def async_to_sync(
        self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
    ) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function so calling it runs it to completion. Override to
        use another way of running coroutines.

        By default (``ASYNC_RUNNER = "shared_loop"``) every call runs on one event
        loop per process that lives as long as the process, so loop-bound clients and
        pools can be reused across requests; ``"asgiref"`` uses asgiref's
        :func:`~asgiref.sync.async_to_sync`, a new loop for each call, as Flask 3.1.3
        does. See :doc:`/async`.

        :raises RuntimeError: asgiref is not installed.
        :raises ValueError: ``ASYNC_RUNNER`` has another value.
        """
        return _async_to_sync(func, self.config.get("ASYNC_RUNNER", "shared_loop"))


def _static_view(app: Flask) -> t.Callable[..., Response]:
    import weakref

    app_ref = weakref.ref(app)

    def send_static(**kwargs: t.Any) -> Response:
        return app_ref().send_static_file(**kwargs)  # type: ignore[union-attr]

    return send_static


fastpaths.LIFECYCLE.capture(Flask)
fastpaths.capture_app_module(globals())
