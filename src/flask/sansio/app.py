"""The application's registration side: configuration, URL map, blueprints, template
and error-handler setup, independent of WSGI."""

from __future__ import annotations

import logging
import os
import sys
import typing as t
from datetime import timedelta
from itertools import chain

from werkzeug.exceptions import Aborter
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.routing import BuildError
from werkzeug.routing import Map
from werkzeug.routing import Rule
from werkzeug.sansio.response import Response
from werkzeug.utils import cached_property
from werkzeug.utils import redirect as _wz_redirect

from .. import typing as ft
from .._deferred import Deferred
from ..config import Config
from ..config import ConfigAttribute
from ..ctx import _AppCtxGlobals
from ..helpers import _quote_line_breaks
from ..helpers import _split_blueprint_path
from ..helpers import get_debug_flag
from ..json.provider import DefaultJSONProvider
from ..json.provider import JSONProvider
from ..logging import create_logger
from .scaffold import _endpoint_from_view_func
from .scaffold import _registering_decorator
from .scaffold import find_package
from .scaffold import Scaffold
from .scaffold import setupmethod

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.wrappers import Response as BaseResponse

    from ..templating import DispatchingJinjaLoader
    from ..templating import Environment
    from ..testing import FlaskClient
    from ..testing import FlaskCliRunner
    from .blueprints import Blueprint

T_shell_context_processor = t.TypeVar(
    "T_shell_context_processor", bound=ft.ShellContextProcessorCallable
)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_filter = t.TypeVar("T_template_filter", bound=ft.TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=ft.TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=ft.TemplateTestCallable)

__all__ = ["App", "Config", "ConfigAttribute", "DefaultJSONProvider", "JSONProvider"]

# flask.templating imports Jinja, which is imported when templates are first used
# (see flask._deferred).
__getattr__ = _templating = Deferred(
    globals(), "flask.templating", ("DispatchingJinjaLoader", "Environment")
)
__dir__ = _templating.dir


class _EnvironmentClass:
    # App.jinja_environment until it is first read: then it becomes
    # flask.templating.Environment, the class attribute Flask defines.
    def __get__(self, instance: t.Any, owner: t.Any = None) -> type[Environment]:
        from ..templating import Environment

        if App.__dict__.get("jinja_environment") is self:
            App.jinja_environment = Environment
        return Environment


def _make_timedelta(value: timedelta | int | None) -> timedelta | None:
    # PERMANENT_SESSION_LIFETIME may be configured as a number of seconds.
    if value is not None and not isinstance(value, timedelta):
        return timedelta(seconds=value)
    return value


class App(Scaffold):
    """The central registry of an application: its configuration, URL map, view
    functions, blueprints, hooks and handlers.

    This class holds everything that does not depend on how requests arrive;
    :class:`flask.Flask` adds the WSGI request handling on top of it. Create a
    :class:`flask.Flask`, not this. The parameters are documented there.
    """

    #: The class of :attr:`aborter`, used by :func:`flask.abort`.
    aborter_class = Aborter

    #: The class of :attr:`jinja_env`.
    jinja_environment: type[Environment] = _EnvironmentClass()  # type: ignore[assignment]

    #: The class of :data:`~flask.g`. Replace it to store values differently, or to add
    #: methods to ``g``.
    app_ctx_globals_class = _AppCtxGlobals

    #: The class of :attr:`config`.
    config_class = Config

    #: Whether testing mode is on (``TESTING``). It makes exceptions propagate to the
    #: test client instead of being turned into 500 responses, and extensions may
    #: change their behaviour for tests.
    testing = ConfigAttribute[bool]("TESTING")

    #: The key sessions and other signed data are signed with (``SECRET_KEY``). Set it
    #: to a long random value and keep it private.
    secret_key = ConfigAttribute[t.Union[str, bytes, None]]("SECRET_KEY")  # noqa: UP007

    #: How long a permanent session lasts (``PERMANENT_SESSION_LIFETIME``), as a
    #: :class:`~datetime.timedelta`; an integer config value means seconds.
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME",
        get_converter=_make_timedelta,  # type: ignore[arg-type]
    )

    #: The class of :attr:`json`, created once per application.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider

    #: Options for the Jinja environment. Change them before :attr:`jinja_env` is first
    #: used.
    jinja_options: dict[str, t.Any] = {}

    #: The class of the rules :meth:`add_url_rule` creates.
    url_rule_class = Rule

    #: The class of :attr:`url_map`.
    url_map_class = Map

    #: The class :meth:`~flask.Flask.test_client` returns;
    #: :class:`~flask.testing.FlaskClient` when ``None``.
    test_client_class: type[FlaskClient] | None = None

    #: The class :meth:`~flask.Flask.test_cli_runner` returns;
    #: :class:`~flask.testing.FlaskCliRunner` when ``None``.
    test_cli_runner_class: type[FlaskCliRunner] | None = None

    default_config: dict[str, t.Any]
    response_class: type[Response]

    # Attributes every instance sets in __init__.

    #: The instance folder: for files that belong to this deployment rather than the
    #: code, such as configuration and databases. It is not created automatically.
    instance_path: str

    #: The configuration, a :class:`~flask.Config`. Starts as :attr:`default_config`
    #: with ``DEBUG`` taken from ``FLASK_DEBUG``.
    config: Config

    #: Raises the HTTP exceptions for :func:`~flask.abort`.
    aborter: Aborter

    #: The JSON provider, used by :func:`~flask.json.jsonify`, request parsing,
    #: responses for dicts and lists, and the ``tojson`` template filter.
    json: JSONProvider

    #: Functions called with ``(error, endpoint, values)`` when
    #: :meth:`~flask.Flask.url_for` cannot build a URL. The first one that returns
    #: something other than ``None`` provides the URL; if none does, the
    #: :exc:`~werkzeug.routing.BuildError` is raised.
    url_build_error_handlers: list[t.Callable[[Exception, str, dict[str, t.Any]], str]]

    #: Functions run when the application context is torn down. See
    #: :meth:`teardown_appcontext`.
    teardown_appcontext_funcs: list[ft.TeardownCallable]

    #: Functions adding names to the ``flask shell`` namespace. See
    #: :meth:`shell_context_processor`.
    shell_context_processors: list[ft.ShellContextProcessorCallable]

    #: Registered blueprints by their dotted registration name, in registration order.
    blueprints: dict[str, Blueprint]

    #: A place for extensions to store their state, keyed by extension name, such as
    #: ``app.extensions["sqlalchemy"]``.
    extensions: dict[str, t.Any]

    #: The :class:`~werkzeug.routing.Map` of this application's URL rules. Add
    #: converters to ``url_map.converters`` before adding the rules that use them.
    url_map: Map

    #: Whether requests are matched by subdomain against ``SERVER_NAME``.
    subdomain_matching: bool

    # Becomes true (on the instance) with the first request; setup methods refuse to
    # run afterwards.
    _got_first_request = False

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
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )

        if instance_path is not None and not os.path.isabs(instance_path):
            raise ValueError(
                "If an instance path is provided it must be absolute. A relative path"
                " was given instead. Pass an absolute path, for example"
                f" os.path.abspath({instance_path!r})."
            )
        self.instance_path = instance_path or self.auto_find_instance_path()

        self.config = self.make_config(instance_relative_config)
        self.aborter = self.make_aborter()
        self.json = self.json_provider_class(self)

        self.url_build_error_handlers = []
        self.teardown_appcontext_funcs = []
        self.shell_context_processors = []
        self.blueprints = {}
        self.extensions = {}

        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the"
                " application. It has already handled its first request, any changes"
                " will not be applied consistently.\n"
                "Do all setup (imports that register views, decorators, blueprints,"
                " extensions) before the application serves requests."
            )

    @cached_property
    def name(self) -> str:
        """The application's name: its import name, or the script's file name without
        extension when the import name is ``__main__``. Used for the logger and in
        messages."""
        if self.import_name != "__main__":
            return self.import_name
        filename = getattr(sys.modules["__main__"], "__file__", None)
        if filename is None:
            return "__main__"
        return os.path.splitext(os.path.basename(filename))[0]  # type: ignore[no-any-return]

    @cached_property
    def logger(self) -> logging.Logger:
        """The standard library logger named :attr:`name`.

        In debug mode it logs at debug level if no level is set. If no handler is
        configured for its level, one that writes to the WSGI error stream (or stderr)
        is added. Configure logging before accessing this to use your own handlers.
        """
        return create_logger(self)

    @cached_property
    def jinja_env(self) -> Environment:
        """The Jinja environment for templates, created on first use by
        :meth:`create_jinja_environment`. Changing :attr:`jinja_options` afterwards has
        no effect."""
        return self.create_jinja_environment()

    def create_jinja_environment(self) -> Environment:
        """Create the Jinja environment for :attr:`jinja_env`. The sans-IO class has
        none; :meth:`flask.Flask.create_jinja_environment` implements it."""
        raise NotImplementedError()

    def make_config(self, instance_relative: bool = False) -> Config:
        """Create :attr:`config` from :attr:`default_config`, with ``DEBUG`` set from
        the ``FLASK_DEBUG`` environment variable.

        :param instance_relative: Make relative config file paths relative to the
            instance folder instead of the root path.
        """
        root = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root, defaults)

    def make_aborter(self) -> Aborter:
        """Create :attr:`aborter`, an instance of :attr:`aborter_class`."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """The default instance folder: ``instance`` next to the application's module
        or package, or ``<prefix>/var/<name>-instance`` when the application is
        installed."""
        prefix, package_path = find_package(self.import_name)
        if prefix is None:
            return os.path.join(package_path, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        """Create the loader of :attr:`jinja_env`, which searches the application's and
        the blueprints' template folders."""
        loader: DispatchingJinjaLoader = _templating.get("DispatchingJinjaLoader")(self)
        return loader

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether a template is autoescaped: templates from strings and files ending in
        ``.html``, ``.htm``, ``.xml``, ``.xhtml`` or ``.svg`` are."""
        if filename is None:
            return True
        return filename.endswith((".html", ".htm", ".xml", ".xhtml", ".svg"))

    @property
    def debug(self) -> bool:
        """Whether debug mode is on (``DEBUG``).

        In debug mode the development server shows the interactive debugger for
        unhandled errors and reloads on code changes, templates are reloaded when they
        change, and some errors carry more explanation. Never use it in production.
        """
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    @debug.setter
    def debug(self, value: bool) -> None:
        config = self.config
        config["DEBUG"] = value
        # Template reloading follows debug mode unless it was configured explicitly.
        if config["TEMPLATES_AUTO_RELOAD"] is None:
            self.jinja_env.auto_reload = value

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register a blueprint: add its routes, hooks and handlers to this
        application.

        :param blueprint: The blueprint.
        :param options: Override the blueprint's ``url_prefix``, ``subdomain``,
            ``url_defaults`` and ``cli_group``, or register it under another ``name``
            (required to register the same blueprint twice). Also passed to the
            blueprint's deferred functions in :attr:`BlueprintSetupState.options
            <flask.blueprints.BlueprintSetupState.options>`.
        """
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)  # type: ignore[arg-type]
        options["endpoint"] = endpoint

        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            raise TypeError(
                "Allowed methods must be a list of strings, for example:"
                ' @app.route(..., methods=["POST"]). A single string is not accepted.'
            )
        methods = {method.upper() for method in methods}
        methods |= set(getattr(view_func, "required_methods", ()))

        if provide_automatic_options is None:
            provide_automatic_options = getattr(
                view_func, "provide_automatic_options", None
            )
        if provide_automatic_options is None:
            provide_automatic_options = (
                "OPTIONS" not in methods and self.config["PROVIDE_AUTOMATIC_OPTIONS"]
            )
        if provide_automatic_options:
            methods.add("OPTIONS")

        if view_func is not None:
            existing = self.view_functions.get(endpoint)
            if existing is not None and existing != view_func:
                raise AssertionError(
                    "View function mapping is overwriting an existing endpoint"
                    f" function: {endpoint}. Give the view a unique 'endpoint' name,"
                    " or rename the function."
                )

        new_rule = self.url_rule_class(rule, methods=methods, **options)
        # Read when dispatching, to decide whether to answer OPTIONS automatically.
        new_rule.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]
        self.url_map.add(new_rule)
        if view_func is not None:
            self.view_functions[endpoint] = view_func

    @setupmethod
    def template_filter(
        self, name: str | None = None
    ) -> t.Callable[[T_template_filter], T_template_filter]:
        """Decorate a function to register it as a Jinja filter::

            @app.template_filter()
            def reverse(s):
                return s[::-1]

        :param name: The filter's name in templates; the function's name by default.
        """

        return _registering_decorator(self.add_template_filter, name)

    @setupmethod
    def add_template_filter(
        self, f: ft.TemplateFilterCallable, name: str | None = None
    ) -> None:
        """Register a Jinja filter; see :meth:`template_filter`."""
        self.jinja_env.filters[name or f.__name__] = f

    @setupmethod
    def template_test(
        self, name: str | None = None
    ) -> t.Callable[[T_template_test], T_template_test]:
        """Decorate a function to register it as a Jinja test::

            @app.template_test()
            def is_prime(n):
                return n > 1 and all(n % i for i in range(2, int(n**0.5) + 1))

        :param name: The test's name in templates; the function's name by default.
        """

        return _registering_decorator(self.add_template_test, name)

    @setupmethod
    def add_template_test(
        self, f: ft.TemplateTestCallable, name: str | None = None
    ) -> None:
        """Register a Jinja test; see :meth:`template_test`."""
        self.jinja_env.tests[name or f.__name__] = f

    @setupmethod
    def template_global(
        self, name: str | None = None
    ) -> t.Callable[[T_template_global], T_template_global]:
        """Decorate a function to make it available in every template::

            @app.template_global()
            def double(n):
                return 2 * n

        :param name: The name in templates; the function's name by default.
        """

        return _registering_decorator(self.add_template_global, name)

    @setupmethod
    def add_template_global(
        self, f: ft.TemplateGlobalCallable, name: str | None = None
    ) -> None:
        """Register a template global; see :meth:`template_global`."""
        self.jinja_env.globals[name or f.__name__] = f

    @setupmethod
    def teardown_appcontext(self, f: T_teardown) -> T_teardown:
        """Register a function to run when the application context is popped: after
        each request, and at the end of every ``with app.app_context()`` block.

        It receives the unhandled exception that ended the context, or ``None``. Use it
        to release resources stored on ``g``, such as database connections. Its return
        value is ignored.
        """
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(
        self, f: T_shell_context_processor
    ) -> T_shell_context_processor:
        """Register a function that returns a dict of names to add to the ``flask
        shell`` namespace."""
        self.shell_context_processors.append(f)
        return f

    def _find_error_handler(
        self, e: Exception, blueprints: list[str]
    ) -> ft.ErrorHandlerCallable | None:
        """Find the handler for an exception.

        Handlers registered for the exception's status code are considered before
        handlers registered for exception classes without a code (such as
        :exc:`~werkzeug.exceptions.HTTPException` or :exc:`Exception`). Within each
        group, the blueprints of the request are searched from the innermost outwards,
        then the application, and the first class along the exception's MRO that has a
        handler wins.
        """
        exc_class, code = self._get_exc_class_and_code(type(e))
        scopes = (*blueprints, None)
        spec = self.error_handler_spec
        for c in (code, None) if code is not None else (None,):
            for scope in scopes:
                handlers = spec.get(scope)
                if not handlers:
                    continue
                by_class = handlers.get(c)
                if not by_class:
                    continue
                for cls in exc_class.__mro__:
                    handler = by_class.get(cls)
                    if handler is not None:
                        return handler
        return None

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether an HTTP exception should propagate like any other exception instead
        of being turned into its error response.

        True for every HTTP exception when ``TRAP_HTTP_EXCEPTIONS`` is set; for
        :exc:`~werkzeug.exceptions.BadRequest` errors when ``TRAP_BAD_REQUEST_ERRORS``
        is set; and, when that is ``None``, for missing form or query keys in debug
        mode. A trapped exception reaches the error handlers for its class and, if none
        handles it, the debugger.
        """
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None:
            return self.debug and isinstance(e, BadRequestKeyError)
        if trap_bad_request:
            return isinstance(e, BadRequest)
        return False

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether to hide an error from the teardown functions. Always false; override
        to return true for errors teardown should not see."""
        return False

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """Create a redirect response; :func:`flask.redirect` calls this inside an
        application context.

        :param location: The URL to redirect to.
        :param code: The status code.
        """
        return _wz_redirect(
            _quote_line_breaks(location),
            code=code,
            Response=self.response_class,  # type: ignore[arg-type]
        )

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Call the ``url_defaults`` functions that apply to ``endpoint`` on ``values``:
        the application's first, then those of the endpoint's blueprints from the
        outermost to the innermost."""
        scopes: t.Iterable[str | None] = (None,)
        if "." in endpoint:
            scopes = chain(
                scopes, reversed(_split_blueprint_path(endpoint.rpartition(".")[0]))
            )
        functions = self.url_default_functions
        for scope in scopes:
            if scope in functions:
                for func in functions[scope]:
                    func(endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, t.Any]
    ) -> str:
        """Give :attr:`url_build_error_handlers` a chance to produce a URL that could not
        be built; re-raise ``error`` if none does.

        A handler may raise a new :exc:`~werkzeug.routing.BuildError`; it then replaces
        the original for the following handlers.
        """
        for handler in self.url_build_error_handlers:
            try:
                url = handler(error, endpoint, values)
            except BuildError as e:
                error = e
                continue
            if url is not None:
                return url

        if error is sys.exc_info()[1]:
            raise
        raise error
