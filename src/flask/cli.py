"""The ``flask`` command line: finding the application, loading environment files, and
the groups applications add their commands to."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import os
import platform
import re
import sys
import traceback
import typing as t
from functools import update_wrapper
from types import ModuleType

import click
from click.core import ParameterSource
from werkzeug.serving import is_running_from_reloader
from werkzeug.serving import run_simple
from werkzeug.utils import import_string

from .globals import current_app
from .helpers import get_debug_flag
from .helpers import get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule

    from .app import Flask

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class NoAppException(click.UsageError):
    """The application could not be found or loaded."""


def find_best_app(module: ModuleType) -> Flask:
    """Find the application in a module that was imported without naming it.

    Looks for an attribute named ``app`` or ``application``, then for exactly one
    :class:`~flask.Flask` instance among the module's attributes, then for a factory
    function ``create_app`` or ``make_app`` that can be called without arguments.

    :raises NoAppException: Nothing, or several applications, were found.
    """
    from . import Flask

    for attr_name in ("app", "application"):
        candidate = getattr(module, attr_name, None)
        if isinstance(candidate, Flask):
            return candidate

    found = [value for value in module.__dict__.values() if isinstance(value, Flask)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise NoAppException(
            f"Detected multiple Flask applications in module '{module.__name__}'."
            f" Use '{module.__name__}:name' to specify the correct one."
        )

    for factory_name in ("create_app", "make_app"):
        factory = getattr(module, factory_name, None)
        if not inspect.isfunction(factory):
            continue
        try:
            app = factory()
        except TypeError as e:
            if not _called_with_wrong_args(factory):
                raise
            raise NoAppException(
                f"Detected factory '{factory_name}' in module '{module.__name__}',"
                " but could not call it without arguments. Use"
                f" '{module.__name__}:{factory_name}(args)' to specify arguments."
            ) from e
        if isinstance(app, Flask):
            return app

    raise NoAppException(
        "Failed to find Flask application or factory in module"
        f" '{module.__name__}'. Use '{module.__name__}:name' to specify one."
    )


def _called_with_wrong_args(f: t.Callable[..., Flask]) -> bool:
    """Whether the :exc:`TypeError` being handled was raised by calling ``f`` itself
    (wrong arguments) rather than from inside it."""
    tb = sys.exc_info()[2]
    try:
        while tb is not None:
            if tb.tb_frame.f_code is f.__code__:
                # The error happened inside the function: not an argument problem.
                return False
            tb = tb.tb_next
        # Only the caller's frame was seen: the call itself failed.
        return True
    finally:
        # Frames in the traceback reference this frame; break the cycle.
        del tb


def find_app_by_string(module: ModuleType, app_name: str) -> Flask:
    """Find the application named by ``app_name`` in a module.

    ``app_name`` is either an attribute name, or a call of an attribute with literal
    arguments, such as ``create_app('dev', debug=True)``.

    :raises NoAppException: The string cannot be parsed, the attribute is missing, the
        factory cannot be called with those arguments, or the result is not an
        application.
    """
    from . import Flask

    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(
            f"Failed to parse {app_name!r} as an attribute name or function call."
        ) from None

    if isinstance(expr, ast.Name):
        name = expr.id
        args: list[t.Any] = []
        kwargs: dict[str, t.Any] = {}
    elif isinstance(expr, ast.Call):
        if not isinstance(expr.func, ast.Name):
            raise NoAppException(
                f"Function reference must be a simple name: {app_name!r}."
            )
        name = expr.func.id
        try:
            args = [ast.literal_eval(arg) for arg in expr.args]
            kwargs = {
                kw.arg: ast.literal_eval(kw.value)
                for kw in expr.keywords
                if kw.arg is not None
            }
        except ValueError:
            raise NoAppException(
                f"Failed to parse arguments as literal values: {app_name!r}. Only"
                " literals (strings, numbers, lists, dicts, ...) can be passed."
            ) from None
    else:
        raise NoAppException(
            f"Failed to parse {app_name!r} as an attribute name or function call."
        )

    try:
        attr = getattr(module, name)
    except AttributeError as e:
        raise NoAppException(
            f"Failed to find attribute {name!r} in {module.__name__!r}."
        ) from e

    if inspect.isfunction(attr):
        try:
            app = attr(*args, **kwargs)
        except TypeError as e:
            if not _called_with_wrong_args(attr):
                raise
            raise NoAppException(
                f"The factory {app_name!r} in module {module.__name__!r} could not be"
                " called with the specified arguments."
            ) from e
    else:
        app = attr

    if isinstance(app, Flask):
        return app
    raise NoAppException(
        "A valid Flask application was not obtained from"
        f" '{module.__name__}:{app_name}'. It is a {type(app).__name__}, not a"
        " Flask instance."
    )


def prepare_import(path: str) -> str:
    """Turn a file or folder path into an import name, adding the folder it is
    importable from to :data:`sys.path`.

    ``path/to/app.py`` becomes ``app`` with ``path/to`` on the path; for a file inside
    packages (folders with ``__init__.py``), the dotted package name is returned and the
    folder above the top package is added.
    """
    path = os.path.realpath(path)

    root, ext = os.path.splitext(path)
    if ext == ".py":
        path = root
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)

    parts = []
    while True:
        path, name = os.path.split(path)
        parts.append(name)
        if not os.path.exists(os.path.join(path, "__init__.py")):
            break

    if sys.path[0] != path:
        sys.path.insert(0, path)
    return ".".join(reversed(parts))


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True
) -> Flask: ...


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[False] = ...
) -> Flask | None: ...


def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = True
) -> Flask | None:
    """Import a module and find the application in it.

    :param module_name: The module to import.
    :param app_name: The application's name or factory call in the module; found with
        :func:`find_best_app` when ``None``.
    :param raise_if_not_found: Raise when the module does not exist; otherwise return
        ``None``.
    :raises NoAppException: The module or the application cannot be found. An
        :exc:`ImportError` raised from inside the module is reported with its
        traceback.
    """
    try:
        __import__(module_name)
    except ImportError:
        # An ImportError from the module itself (a missing dependency) is a real
        # error to show; one for the module we asked for means it does not exist.
        if sys.exc_info()[2].tb_next:  # type: ignore[union-attr]
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:\n\n"
                f"{traceback.format_exc()}"
            ) from None
        if raise_if_not_found:
            raise NoAppException(f"Could not import {module_name!r}.") from None
        return None

    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def get_version(ctx: click.Context, param: click.Parameter, value: t.Any) -> None:
    """The callback of ``--version``: print the Python, Flask and Werkzeug versions and
    exit."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(
        f"Python {platform.python_version()}\n"
        f"Flask {importlib.metadata.version('flask')}\n"
        f"Werkzeug {importlib.metadata.version('werkzeug')}",
        color=ctx.color,
    )
    ctx.exit()


version_option = click.Option(
    ["--version"],
    help="Show the Flask version.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)


class ScriptInfo:
    """Information the ``flask`` command passes to its subcommands, to load the
    application on demand.

    :param app_import_path: Where the application is, as given to ``--app``.
    :param create_app: A function that returns the application; used instead of
        ``app_import_path`` when given.
    :param set_debug_flag: Set the application's debug flag from ``FLASK_DEBUG`` when
        loading it.
    :param load_dotenv_defaults: Whether dotenv files were loaded, unless
        ``FLASK_SKIP_DOTENV`` says otherwise.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: t.Callable[..., Flask] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        #: The application's import path, from ``--app`` or ``FLASK_APP``.
        self.app_import_path = app_import_path
        #: The factory that creates the application, if any.
        self.create_app = create_app
        #: Arbitrary data commands can share.
        self.data: dict[t.Any, t.Any] = {}
        self.set_debug_flag = set_debug_flag
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        self._loaded_app: Flask | None = None

    def load_app(self) -> Flask:
        """Load the application (once; later calls return the same object).

        Uses :attr:`create_app` if given, else :attr:`app_import_path`, else looks for
        ``wsgi.py`` and then ``app.py`` in the current directory.

        :raises NoAppException: No application was found.
        """
        if self._loaded_app is not None:
            return self._loaded_app

        app: Flask | None = None
        if self.create_app is not None:
            app = self.create_app()
        elif self.app_import_path:
            # Split "module:name", but not at the drive colon of a Windows path.
            path, *rest = re.split(r":(?![\\/])", self.app_import_path, maxsplit=1)
            app = locate_app(prepare_import(path), rest[0] if rest else None)
        else:
            for filename in ("wsgi.py", "app.py"):
                app = locate_app(
                    prepare_import(filename), None, raise_if_not_found=False
                )
                if app is not None:
                    break

        if app is None:
            raise NoAppException(
                "Could not locate a Flask application. Use the 'flask --app' option,"
                " 'FLASK_APP' environment variable, or a 'wsgi.py' or 'app.py' file in"
                " the current directory."
            )

        if self.set_debug_flag:
            # Apply FLASK_DEBUG, which the --debug option may have set.
            app.debug = get_debug_flag()

        self._loaded_app = app
        return app


pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run a click command inside the application's context, loading the application
    if no context is active. Commands registered through :class:`AppGroup` (including
    ``app.cli``) get this automatically.
    """

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_app:
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return ctx.invoke(f, *args, **kwargs)

    return update_wrapper(decorator, f)  # type: ignore[return-value]


class AppGroup(click.Group):
    """A click group whose commands run inside an application context.

    :meth:`command` wraps callbacks with :func:`with_appcontext` unless given
    ``with_appcontext=False``; :meth:`group` creates nested :class:`AppGroup`\\ s.
    """

    def command(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]:
        """Like :meth:`click.Group.command`, wrapping the callback with
        :func:`with_appcontext` unless ``with_appcontext=False`` is passed."""
        wrap = kwargs.pop("with_appcontext", True)

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            if wrap:
                f = with_appcontext(f)
            return super(AppGroup, self).command(*args, **kwargs)(f)  # type: ignore[no-any-return]

        if len(args) == 1 and callable(args[0]) and not kwargs:
            # Used as a bare decorator: @group.command
            func = args[0]
            args = ()
            return decorator(func)
        return decorator

    def group(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """Like :meth:`click.Group.group`, creating an :class:`AppGroup` by default."""
        kwargs.setdefault("cls", AppGroup)
        return super().group(*args, **kwargs)  # type: ignore[no-any-return]


def _set_app(ctx: click.Context, param: click.Option, value: str | None) -> str | None:
    if value is None:
        return None
    ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


# Eager, so the application is known before subcommands are looked up.
_app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    help=(
        "Where the application is, as 'module:name'. The module is an import name or"
        " a file path. The name may be left out when it is 'app', 'application',"
        " 'create_app' or 'make_app', and may be a call such as 'create_app(\"dev\")'."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Option, value: bool) -> bool | None:
    # Only set FLASK_DEBUG when the option was given, so the environment variable
    # is not overridden by the option's default.
    source = ctx.get_parameter_source(param.name)
    if source is not None and source in (
        ParameterSource.DEFAULT,
        ParameterSource.DEFAULT_MAP,
    ):
        return None
    os.environ["FLASK_DEBUG"] = "1" if value else "0"
    return value


_debug_option = click.Option(
    ["--debug/--no-debug"],
    help="Set debug mode.",
    expose_value=False,
    callback=_set_debug,
)


def _env_file_callback(
    ctx: click.Context, param: click.Option, value: str | None
) -> str | None:
    try:
        import dotenv  # noqa: F401
    except ImportError:
        if value is not None:
            raise click.BadParameter(
                "python-dotenv must be installed to load an env file: pip install"
                " python-dotenv",
                ctx=ctx,
                param=param,
            ) from None
        # Without a file given, load_dotenv() still runs to print a hint when dotenv
        # files are present.

    load_defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None or load_defaults:
        load_dotenv(value, load_defaults=load_defaults)
    return value


_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "A file of environment variables to load (needs python-dotenv). Its values win"
        " over '.env' and '.flaskenv'; variables already set in the environment win"
        " over all files."
    ),
    is_eager=True,
    expose_value=False,
    callback=_env_file_callback,
)


class FlaskGroup(AppGroup):
    """The group behind the ``flask`` command: it adds the application's commands and
    the global options ``--app``, ``--env-file`` and ``--debug``.

    Use it to make a custom command for a project with an application factory::

        @click.group(cls=FlaskGroup, create_app=create_app)
        def cli():
            pass

    :param add_default_commands: Add the built-in commands (``run``, ``shell``,
        ``routes``).
    :param create_app: A function that returns the application, instead of finding it
        with ``--app``.
    :param add_version_option: Add ``--version``.
    :param load_dotenv: Load ``.env`` and ``.flaskenv`` files.
    :param set_debug_flag: Set the application's debug flag from ``FLASK_DEBUG``.
    :param extra: Passed to :class:`click.Group`.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., Flask] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        # The options processed before loading the application come first.
        params.extend((_env_file_option, _app_option, _debug_option))
        if add_version_option:
            params.append(version_option)
        if "context_settings" not in extra:
            extra["context_settings"] = {}
        extra["context_settings"].setdefault("auto_envvar_prefix", "FLASK")

        super().__init__(params=params, **extra)

        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        self._loaded_plugin_commands = False

        if add_default_commands:
            for command in _default_commands():
                self.add_command(command)

    def _load_plugin_commands(self) -> None:
        if self._loaded_plugin_commands:
            return
        for entry_point in importlib.metadata.entry_points(group="flask.commands"):
            self.add_command(entry_point.load(), entry_point.name)
        self._loaded_plugin_commands = True

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        # Built-in and plugin commands first: they must work without an application.
        command = super().get_command(ctx, name)
        if command is not None:
            return command

        info = ctx.ensure_object(ScriptInfo)
        try:
            app = info.load_app()
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
            return None

        # Push an app context for the command lookup, so group callbacks can use it.
        if not current_app or current_app._get_current_object() is not app:  # type: ignore[attr-defined]
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        info = ctx.ensure_object(ScriptInfo)
        try:
            names.update(info.load_app().cli.list_commands(ctx))
        except NoAppException as e:
            # The application could not be found: show why, then the built-ins.
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
        except Exception:
            # An error in the application: show the traceback, then the built-ins.
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        # Tell app.run() it is being called under the flask command.
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        ):
            # Help is shown without running the eager options' callbacks; process
            # --env-file and --app first so the help lists the application's commands.
            _env_file_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


def load_dotenv(
    path: str | os.PathLike[str] | None = None, load_defaults: bool = True
) -> bool:
    """Load ``.flaskenv`` and ``.env`` (and optionally another file) into
    :data:`os.environ`, without overriding variables that are already set.

    The default files are searched for from the current directory upwards; the
    nearest of each is used. Values from ``path`` win over ``.env``, which wins over
    ``.flaskenv``.

    :param path: An extra file to load.
    :param load_defaults: Also look for ``.flaskenv`` and ``.env``.
    :return: Whether any file was loaded (``False`` when python-dotenv is not
        installed).
    """
    try:
        import dotenv
    except ImportError:
        if path or os.path.isfile(".env") or os.path.isfile(".flaskenv"):
            click.secho(
                " * Tip: There are .env files present. Install python-dotenv to use"
                " them.",
                fg="yellow",
                err=True,
            )
        return False

    values: dict[str, str | None] = {}
    if load_defaults:
        for name in (".flaskenv", ".env"):
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values.update(dotenv.dotenv_values(found, encoding="utf-8"))
    if path is not None and os.path.isfile(path):
        values.update(dotenv.dotenv_values(path, encoding="utf-8"))

    for key, value in values.items():
        if key not in os.environ and value is not None:
            os.environ[key] = value
    return bool(values)


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Print the development server's start-up banner: the application being served
    and whether debug mode is on. Not shown in the reloader's child process."""
    if is_running_from_reloader():
        return
    if app_import_path is not None:
        click.echo(f" * Serving Flask app '{app_import_path}'")
    if debug is not None:
        click.echo(f" * Debug mode: {'on' if debug else 'off'}")


class CertParamType(click.ParamType):  # type: ignore[type-arg]
    """The type of ``flask run --cert``: a certificate file, ``adhoc`` for a generated
    certificate, or the import name of an :class:`ssl.SSLContext`."""

    name = "path"

    def __init__(self) -> None:
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        try:
            import ssl
        except ImportError:
            raise click.BadParameter(
                'Using "--cert" requires Python to be compiled with SSL support.',
                ctx,
                param,
            ) from None

        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            value = click.STRING(value, param, ctx).lower()
            if value == "adhoc":
                try:
                    import cryptography  # noqa: F401
                except ImportError:
                    raise click.BadParameter(
                        "Using ad-hoc certificates requires the cryptography library:"
                        " pip install cryptography",
                        ctx,
                        param,
                    ) from None
                return value

            context = import_string(value, silent=True)
            if isinstance(context, ssl.SSLContext):
                return context
            raise


def _validate_key(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    # --key only makes sense with a certificate file; combine both into the
    # (cert, key) pair run_simple expects.
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    try:
        import ssl
    except ImportError:
        is_context = False
    else:
        is_context = isinstance(cert, ssl.SSLContext)

    if value is not None:
        if is_adhoc:
            raise click.BadParameter(
                'When "--cert" is "adhoc", "--key" is not used.', ctx, param
            )
        if is_context:
            raise click.BadParameter(
                'When "--cert" is an SSLContext object, "--key" is not used.',
                ctx,
                param,
            )
        if not cert:
            raise click.BadParameter('"--cert" must also be specified.', ctx, param)
        ctx.params["cert"] = cert, value
    elif cert and not (is_adhoc or is_context):
        raise click.BadParameter('Required when using "--cert".', ctx, param)
    return value


class SeparatedPathType(click.Path):
    """A list of paths separated by :data:`os.pathsep`, each checked like
    :class:`click.Path`."""

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        convert = super().convert
        return [convert(item, param, ctx) for item in self.split_envvar_value(value)]


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option(
    "--cert",
    type=CertParamType(),
    help="A certificate file to serve HTTPS with, or 'adhoc' for a generated one.",
    is_eager=True,
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The private key file of the certificate given with --cert.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Restart the server when code changes. On by default in debug mode.",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    help="Show the interactive debugger on errors. On by default in debug mode.",
)
@click.option(
    "--with-threads/--without-threads",
    default=True,
    help="Handle each request in its own thread.",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help=(
        "More files whose changes restart the server, separated by"
        f" {os.path.pathsep!r}."
    ),
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help=(
        "fnmatch patterns of files the reloader ignores, separated by"
        f" {os.path.pathsep!r}."
    ),
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: t.Any,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Run the Werkzeug development server for the application.

    It is meant for development only: it is not secure, stable or fast enough for
    production. In debug mode the reloader and the interactive debugger are on unless
    turned off.
    """
    try:
        app: WSGIApplication = info.load_app()
    except Exception as e:
        if not is_running_from_reloader():
            raise e from None
        # In the reloader's child, keep serving and show the error on each request,
        # so fixing the code restarts the server instead of killing it.
        traceback.print_exc()
        error = e

        def app(environ: WSGIEnvironment, start_response: StartResponse) -> t.Any:
            raise error from None

    debug = get_debug_flag()
    if reload is None:
        reload = debug
    if debugger is None:
        debugger = debug

    show_server_banner(debug, info.app_import_path)
    run_simple(
        host,
        port,
        app,
        use_reloader=reload,
        use_debugger=debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


run_command.params.insert(0, _debug_option)


@click.command("shell", short_help="Run a shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """Start an interactive Python shell in an application context, with ``app``,
    ``g`` and the names from the shell context processors available. The file named
    by ``PYTHONSTARTUP`` runs first, as in the standard interactive interpreter.
    """
    import code

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    banner = (
        f"Python {sys.version} on {sys.platform}\n"
        f"App: {app.import_name}\n"
        f"Instance: {app.instance_path}"
    )
    namespace: dict[str, t.Any] = {}

    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            exec(compile(f.read(), startup, "exec"), namespace)

    namespace.update(app.make_shell_context())

    # Give the shell the same tab completion and history as the plain interpreter.
    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None:
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:
            pass
        else:
            readline.set_completer(Completer(namespace).complete)
        hook()

    code.interact(banner=banner, local=namespace)


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help=(
        "Sort the routes by this column; 'match' keeps the order in which they are"
        " matched."
    ),
)
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS methods.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Show every URL rule of the application with its endpoint and methods."""
    rules = list(current_app.url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return

    hidden = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = current_app.url_map.host_matching

    def domain(rule: Rule) -> str:
        return (rule.host if host_matching else rule.subdomain) or ""

    has_domain = any(domain(rule) for rule in rules)
    headers = ["Endpoint", "Methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
    headers.append("Rule")

    rows = []
    for rule in rules:
        row = [rule.endpoint, ", ".join(sorted((rule.methods or set()) - hidden))]
        if has_domain:
            row.append(domain(rule))
        row.append(rule.rule)
        rows.append(row)

    columns = ["endpoint", "methods"] + (["domain"] if has_domain else []) + ["rule"]
    if sort in columns:
        index = columns.index(sort)
        rows.sort(key=lambda row: row[index])

    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    template = "  ".join(f"{{{i}:<{width}}}" for i, width in enumerate(widths))
    click.echo(template.format(*headers))
    click.echo(template.format(*("-" * width for width in widths)))
    for row in rows:
        click.echo(template.format(*row))


def _default_commands() -> list[click.Command]:
    return [run_command, shell_command, routes_command]


cli = FlaskGroup(
    name="flask",
    help="""\
Run commands for a Flask application.

The application is found through the '--app' option, the 'FLASK_APP'
environment variable, or a 'wsgi.py' or 'app.py' file in the current
directory.
""",
)


def main() -> None:
    """The entry point of the ``flask`` command."""
    cli.main()


if __name__ == "__main__":  # pragma: no cover
    main()
