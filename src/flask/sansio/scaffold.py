"""The registration API shared by applications and blueprints."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import sys
import typing as t
from collections import defaultdict
from functools import partial
from functools import update_wrapper

from werkzeug.exceptions import default_exceptions
from werkzeug.exceptions import HTTPException
from werkzeug.utils import cached_property

from .. import typing as ft
from .._deferred import Deferred
from ..ctx import _default_template_ctx_processor
from ..helpers import get_root_path

if t.TYPE_CHECKING:  # pragma: no cover
    from click import Group
    from jinja2 import BaseLoader

# Jinja is imported when a loader is first needed (see flask._deferred).
__getattr__ = _jinja = Deferred(globals(), "jinja2", ("BaseLoader", "FileSystemLoader"))
__dir__ = _jinja.dir

# Marks "argument not given" where None is a meaningful value.
_sentinel = object()

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable
)
T_route = t.TypeVar("T_route", bound=ft.RouteCallable)
_T = t.TypeVar("_T")

# Every per-scope registry maps a scope (``None`` for the object itself, else a dotted
# blueprint name) to what was registered for it.
_ScopedFunctions = dict[ft.AppOrBlueprintKey, list[_T]]
_HandlersByCode = dict[int | None, dict[type[Exception], ft.ErrorHandlerCallable]]

__all__ = ["Scaffold", "default_exceptions", "find_package", "setupmethod"]


def _registering_decorator(
    register: t.Callable[[t.Any, str | None], None], name: str | None
) -> t.Callable[[F], F]:
    """Return a decorator that passes the decorated function and ``name`` to
    ``register``, then returns the function unchanged. Backs the ``template_filter``
    style decorators, which all register under an optional name."""

    def decorator(f: F) -> F:
        register(f, name)
        return f

    return decorator


def setupmethod(f: F) -> F:
    """Mark a method as part of setting up an app or blueprint.

    The wrapped method first calls ``self._check_setup_finished(name)``, which raises
    once setting up is over (after an application handled its first request, or after a
    blueprint was registered), because changes then would apply inconsistently.
    """
    name = f.__name__

    def guarded(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(name)
        return f(self, *args, **kwargs)

    return update_wrapper(guarded, f)  # type: ignore[return-value]


class Scaffold:
    """What applications and blueprints have in common: view functions, request hooks,
    error handlers, URL processors, template context processors, and static and
    template folders.

    Everything is registered per *scope*: the registries are dicts whose key is
    ``None`` for the object itself. When a blueprint is registered, its entries are
    copied into the application's registries under the blueprint's dotted name, and the
    request lifecycle picks the scopes that apply to each request.

    :param import_name: The import name of the module or package that defines the
        object; it is used to find :attr:`root_path`.
    :param static_folder: Folder with static files, relative to :attr:`root_path`.
    :param static_url_path: URL prefix of the static route; defaults to the static
        folder's name.
    :param template_folder: Folder with templates, relative to :attr:`root_path`.
    :param root_path: The folder other paths are relative to. Found from
        ``import_name`` when not given.
    """

    cli: Group
    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ):
        #: The name of the module or package that defined this object.
        self.import_name = import_name
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        #: Absolute path of the folder that static, template and resource paths are
        #: relative to.
        self.root_path = get_root_path(import_name) if root_path is None else root_path
        #: The template folder, relative to :attr:`root_path`, or ``None``.
        self.template_folder = template_folder

        #: View functions by endpoint name, as registered with :meth:`add_url_rule`.
        self.view_functions: dict[str, ft.RouteCallable] = {}

        # The registries below are keyed by scope. They are defaultdicts on purpose:
        # code may append to ``registry[scope]`` (or, for error handlers, store into
        # ``error_handler_spec[scope][code]``) without creating the entry first.

        #: Error handlers, as ``{scope: {status code or None: {exception class:
        #: handler}}}``. Use :meth:`errorhandler` to add to it.
        self.error_handler_spec: dict[ft.AppOrBlueprintKey, _HandlersByCode] = (
            defaultdict(partial(defaultdict, dict))
        )

        #: Functions run before each request, by scope. See :meth:`before_request`.
        self.before_request_funcs: _ScopedFunctions[ft.BeforeRequestCallable] = (
            defaultdict(list)
        )

        #: Functions run on each response, by scope. See :meth:`after_request`.
        self.after_request_funcs: _ScopedFunctions[ft.AfterRequestCallable[t.Any]] = (
            defaultdict(list)
        )

        #: Functions run when each request context is torn down, by scope. See
        #: :meth:`teardown_request`.
        self.teardown_request_funcs: _ScopedFunctions[ft.TeardownCallable] = (
            defaultdict(list)
        )

        #: Functions whose returned dicts are added to template contexts, by scope.
        #: See :meth:`context_processor`. The application scope starts with the
        #: processor that provides ``request``, ``session`` and ``g``.
        self.template_context_processors: _ScopedFunctions[
            ft.TemplateContextProcessorCallable
        ] = defaultdict(list)
        self.template_context_processors[None].append(_default_template_ctx_processor)

        #: Functions that see a request's URL values before the view, by scope. See
        #: :meth:`url_value_preprocessor`.
        self.url_value_preprocessors: _ScopedFunctions[
            ft.URLValuePreprocessorCallable
        ] = defaultdict(list)

        #: Functions that fill in values when building URLs, by scope. See
        #: :meth:`url_defaults`.
        self.url_default_functions: _ScopedFunctions[ft.URLDefaultCallable] = (
            defaultdict(list)
        )

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        raise NotImplementedError

    @property
    def static_folder(self) -> str | None:
        """Absolute path of the static folder, or ``None`` when there is none. Setting
        it takes a path relative to :attr:`root_path`."""
        if self._static_folder is None:
            return None
        return os.path.join(self.root_path, self._static_folder)

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is configured (it need not exist on disk)."""
        return self._static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of the static route. Defaults to ``/`` plus the static
        folder's name, and is ``None`` without a static folder."""
        if self._static_url_path is not None:
            return self._static_url_path
        if self.static_folder is None:
            return None
        return f"/{os.path.basename(self.static_folder)}".rstrip("/")

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A :class:`~jinja2.FileSystemLoader` for :attr:`template_folder`, or ``None``
        without one. Created on first use."""
        if self.template_folder is None:
            return None
        folder = os.path.join(self.root_path, self.template_folder)
        loader: BaseLoader = _jinja.get("FileSystemLoader")(folder)
        return loader

    # Routing ---------------------------------------------------------------------

    def _method_route(
        self, method: str, rule: str, options: dict[str, t.Any]
    ) -> t.Callable[[T_route], T_route]:
        if "methods" in options:
            raise TypeError(
                "Use the 'route' decorator to use the 'methods' argument. The"
                f" '{method.lower()}' decorator sets the method itself."
            )
        return self.route(rule, methods=[method], **options)

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["GET"]``."""
        return self._method_route("GET", rule, options)

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["POST"]``."""
        return self._method_route("POST", rule, options)

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PUT"]``."""
        return self._method_route("PUT", rule, options)

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["DELETE"]``."""
        return self._method_route("DELETE", rule, options)

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PATCH"]``."""
        return self._method_route("PATCH", rule, options)

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Decorate a view function to register it for a URL rule; see
        :meth:`add_url_rule` for the options::

            @app.route("/")
            def index():
                return "Hello, World!"

        The endpoint defaults to the function's name.

        :param rule: The URL rule, such as ``"/user/<int:id>"``.
        :param options: ``endpoint``, ``methods``, and the options of
            :class:`~werkzeug.routing.Rule`.
        """

        def decorator(f: T_route) -> T_route:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register a URL rule, and optionally the view function for its endpoint.

        The :meth:`route` decorator calls this; calling it directly is the same as::

            @app.route("/", endpoint="index")
            def index(): ...

            def index(): ...
            app.add_url_rule("/", "index", index)

        Without a view function, the rule only routes to the endpoint; attach a function
        later with :meth:`endpoint` or by setting ``view_functions[endpoint]``.

        Rule variables are passed to the view as keyword arguments. ``methods`` defaults
        to the view's ``methods`` attribute, else ``["GET"]``; ``HEAD`` is always
        allowed with ``GET``, and ``OPTIONS`` is answered automatically unless turned
        off.

        :param rule: The URL rule.
        :param endpoint: The endpoint name; the view function's name by default.
        :param view_func: The view function.
        :param provide_automatic_options: Whether to answer ``OPTIONS`` requests
            automatically. Defaults to the view's ``provide_automatic_options``
            attribute, else the ``PROVIDE_AUTOMATIC_OPTIONS`` config.
        :param options: Passed to :class:`~werkzeug.routing.Rule`, such as
            ``methods``, ``defaults``, ``subdomain``, ``host``, ``strict_slashes`` and
            ``redirect_to``.
        """
        raise NotImplementedError

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Decorate a function to make it the view function of an endpoint, for rules
        added without one::

            app.add_url_rule("/ex", endpoint="example")

            @app.endpoint("example")
            def example(): ...

        :param endpoint: The endpoint name.
        """

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    # Request hooks ---------------------------------------------------------------

    @setupmethod
    def before_request(self, f: T_before_request) -> T_before_request:
        """Register a function to run before each request's view.

        The function takes no arguments. If it returns something other than ``None``,
        that value is the response, and the view (and later ``before_request``
        functions) do not run; use this to load data for the request or to stop it
        early, for example for a check that the user is logged in::

            @app.before_request
            def load_user():
                g.user = load_user_from_session()

        On an application the function runs for every request; on a blueprint, for
        requests to that blueprint's endpoints. Application functions run first, then
        those of the blueprints from the outermost to the innermost.
        """
        self.before_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_request(self, f: T_after_request) -> T_after_request:
        """Register a function to run on each response.

        The function takes the response object and must return a response object, the
        same or a new one. It does not run when an unhandled exception occurred; use
        :meth:`teardown_request` for cleanup that must always run.

        Functions of the innermost blueprint run first and the application's last,
        and within one scope in the reverse order of registration.
        """
        self.after_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def teardown_request(self, f: T_teardown) -> T_teardown:
        """Register a function to run when the request context is torn down, after the
        response was produced, whether or not the request failed.

        The function receives the unhandled exception, or ``None``; its return value is
        ignored. Write it so it cannot fail, because an error in it is not handled:
        it may be called after parts of the request were never set up. When the test
        client keeps contexts around with ``with client:``, teardown happens when the
        context is finally popped.
        """
        self.teardown_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def context_processor(
        self,
        f: T_template_context_processor,
    ) -> T_template_context_processor:
        """Register a function that adds values to the context of rendered templates.

        The function returns a dict. Values passed to ``render_template`` explicitly
        win over these. On a blueprint it applies to templates rendered while handling
        that blueprint's requests.
        """
        self.template_context_processors[None].append(f)
        return f

    @setupmethod
    def url_value_preprocessor(
        self,
        f: T_url_value_preprocessor,
    ) -> T_url_value_preprocessor:
        """Register a function that sees the matched URL values before the view.

        It is called with the endpoint and the dict of values, and may change the dict,
        for example to pop a language code out of it and store it on ``g``. These
        functions run before the ``before_request`` functions.
        """
        self.url_value_preprocessors[None].append(f)
        return f

    @setupmethod
    def url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Register a function that fills in values when building URLs.

        It is called by :func:`~flask.url_for` with the endpoint and the dict of values,
        and may add to it, for example the current language code.
        """
        self.url_default_functions[None].append(f)
        return f

    # Error handlers --------------------------------------------------------------

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Decorate a function to handle an exception class or an HTTP status code::

            @app.errorhandler(404)
            def page_not_found(error):
                return "This page does not exist", 404

            @app.errorhandler(DatabaseError)
            def special_exception_handler(error):
                return "Database connection failed", 500

        The handler receives the exception and returns a response value, like a view.
        It also handles subclasses of the exception; the most specific registered class
        wins. A blueprint's handlers only apply to its own requests, and beat the
        application's.

        :param code_or_exception: An HTTP status code or an exception class.
        """

        def decorator(f: T_error_handler) -> T_error_handler:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    @setupmethod
    def register_error_handler(
        self,
        code_or_exception: type[Exception] | int,
        f: ft.ErrorHandlerCallable,
    ) -> None:
        """Register an error handler without the decorator; see :meth:`errorhandler`."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        """Resolve an error handler key to ``(exception class, status code or None)``.

        :raises ValueError: An unknown status code, or a class that is not an exception.
        :raises TypeError: An exception instance, or another value that is not a class.
        """
        exc_class: type[Exception]
        if isinstance(exc_class_or_code, int):
            try:
                exc_class = default_exceptions[exc_class_or_code]
            except KeyError:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP error code. Use a"
                    " subclass of HTTPException with that code instead. Register the"
                    " handler for that class."
                ) from None
        else:
            exc_class = exc_class_or_code

        if isinstance(exc_class, Exception):
            raise TypeError(
                f"{exc_class!r} is an instance, not a class. Handlers can only be"
                " registered for Exception classes or HTTP error codes. Pass"
                f" {type(exc_class).__name__} instead."
            )
        if not isinstance(exc_class, type):
            raise TypeError(
                f"{exc_class!r} is not a class. Handlers can only be registered for"
                " Exception classes or HTTP error codes."
            )
        if not issubclass(exc_class, Exception):
            raise ValueError(
                f"'{exc_class.__name__}' is not a subclass of Exception. Handlers can"
                " only be registered for Exception classes or HTTP error codes."
            )

        if issubclass(exc_class, HTTPException):
            return exc_class, exc_class.code
        return exc_class, None


def _endpoint_from_view_func(view_func: ft.RouteCallable) -> str:
    """The default endpoint for a view function: its ``__name__``."""
    if view_func is None:
        raise AssertionError(
            "expected view func if endpoint is not provided. Pass 'endpoint' or"
            " 'view_func' to add_url_rule()."
        )
    return view_func.__name__


def _path_is_relative_to(path: pathlib.PurePath, base: str) -> bool:
    try:
        path.relative_to(base)
    except ValueError:
        return False
    return True


def _find_package_path(import_name: str) -> str:
    """The folder that contains the top-level module or package of ``import_name``."""
    top_name = import_name.partition(".")[0]
    try:
        top_spec = importlib.util.find_spec(top_name)
    except (ImportError, ValueError):
        top_spec = None
    if top_spec is None:
        return os.getcwd()

    locations = top_spec.submodule_search_locations
    if not locations:
        # A plain module: its own folder.
        return os.path.dirname(top_spec.origin)  # type: ignore[type-var, return-value]

    if top_spec.origin is None or top_spec.origin == "namespace":
        # A namespace package spans several folders: pick the one holding the
        # requested submodule.
        spec = importlib.util.find_spec(import_name)
        location = locations[0]
        if spec is not None and spec.submodule_search_locations:
            sub_path = pathlib.Path(os.path.commonpath(spec.submodule_search_locations))
            location = next(
                (loc for loc in locations if _path_is_relative_to(sub_path, loc)),
                location,
            )
        return os.path.dirname(location)

    # A regular package: the folder above the one holding __init__.py.
    return os.path.dirname(os.path.dirname(top_spec.origin))


def find_package(import_name: str) -> tuple[str | None, str]:
    """Find where a module or package is, and whether it is installed.

    Returns ``(prefix, package_path)``. ``package_path`` is the folder that contains
    the top-level module or package. ``prefix`` is the installation prefix (such as
    ``sys.prefix`` or a virtual environment) when the package is installed under one,
    and ``None`` otherwise.

    :param import_name: The import name of the module or package.
    """
    package_path = _find_package_path(import_name)
    py_prefix = os.path.abspath(sys.prefix)

    if _path_is_relative_to(pathlib.PurePath(package_path), py_prefix):
        return py_prefix, package_path

    parent, folder = os.path.split(package_path)
    if folder.lower() == "site-packages":
        grandparent, lib = os.path.split(parent)
        if lib.lower() == "lib":
            # <prefix>/Lib/site-packages (Windows)
            return grandparent, package_path
        if os.path.basename(grandparent).lower() == "lib":
            # <prefix>/lib/pythonX.Y/site-packages
            return os.path.dirname(grandparent), package_path
        return parent, package_path

    return None, package_path
