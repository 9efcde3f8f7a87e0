"""The ``flask`` command line: finding the application, loading environment files, and
the groups applications add their commands to."""

from __future__ import annotations

import ast
import inspect
import os
import platform
import re
import sys
import traceback
import typing as t
from functools import wraps
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

    where = module.__name__
    # Attribute lookups stay lazy: a module ``__getattr__`` only sees the names tried.
    conventional = (getattr(module, name, None) for name in ("app", "application"))
    for candidate in conventional:
        if isinstance(candidate, Flask):
            return candidate

    instances = [obj for obj in vars(module).values() if isinstance(obj, Flask)]
    if len(instances) > 1:
        raise NoAppException(
            f"Detected multiple Flask applications in module '{where}'. Use"
            f" '{where}:name' to specify the correct one."
        )
    if instances:
        return instances[0]

    for factory_name in ("create_app", "make_app"):
        factory = getattr(module, factory_name, None)
        if not inspect.isfunction(factory):
            continue
        try:
            made = factory()
        except TypeError as e:
            if not _called_with_wrong_args(factory):
                raise
            raise NoAppException(
                f"Detected factory '{factory_name}' in module '{where}', but could not"
                f" call it without arguments. Use '{where}:{factory_name}(args)' to"
                " specify arguments."
            ) from e
        if isinstance(made, Flask):
            return made

    raise NoAppException(
        f"Failed to find Flask application or factory in module '{where}'. Use"
        f" '{where}:name' to specify one."
    )


def _called_with_wrong_args(f: t.Callable[..., Flask]) -> bool:
    """Whether the :exc:`TypeError` being handled was raised by calling ``f`` itself
    (wrong arguments) rather than from inside it."""
    # When the function's own frame is in the traceback, its body ran and raised the
    # error; otherwise the call was rejected before the body started. The generator
    # is not kept in a local, so no reference to the traceback outlives the call.
    code = f.__code__
    return all(
        frame.f_code is not code for frame, _ in traceback.walk_tb(sys.exc_info()[2])
    )


def find_app_by_string(module: ModuleType, app_name: str) -> Flask:
    """Find the application named by ``app_name`` in a module.

    ``app_name`` is either an attribute name, or a call of an attribute with literal
    arguments, such as ``create_app('dev', debug=True)``.

    :raises NoAppException: The string cannot be parsed, the attribute is missing, the
        factory cannot be called with those arguments, or the result is not an
        application.
    """
    from . import Flask

    attr_name, call_args, call_kwargs = _parse_app_reference(app_name)
    where = module.__name__
    try:
        target = getattr(module, attr_name)
    except AttributeError as e:
        missing = (
            f"Failed to find attribute {attr_name!r} in {where!r}. Check the name"
            " after the ':' in '--app' or 'FLASK_APP'."
        )
        raise NoAppException(missing) from e

    # Only plain functions are treated as factories; any other object (even a
    # callable one) must be the application itself.
    result = target
    if inspect.isfunction(target):
        try:
            result = target(*call_args, **call_kwargs)
        except TypeError as e:
            if not _called_with_wrong_args(target):
                raise
            raise NoAppException(
                f"The factory {app_name!r} in module {where!r} could not be called"
                " with the specified arguments. Pass the arguments its signature"
                f" expects: {attr_name}{inspect.signature(target)}."
            ) from e

    if not isinstance(result, Flask):
        raise NoAppException(
            f"A valid Flask application was not obtained from '{where}:{app_name}'."
            f" It gave an object of type {type(result).__name__!r}; name a Flask"
            " instance, or a factory function that returns one."
        )
    return result


def _parse_app_reference(text: str) -> tuple[str, list[t.Any], dict[str, t.Any]]:
    """Split ``name`` or ``name(literal, key=literal)`` into the name and the call's
    positional and keyword arguments (none for a bare name)."""
    unparsable = (
        f"Failed to parse {text!r} as an attribute name or function call. Use a"
        " name such as 'app' or a call such as 'create_app()'."
    )
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(unparsable) from None

    if isinstance(node, ast.Name):
        return node.id, [], {}
    if not isinstance(node, ast.Call):
        raise NoAppException(unparsable)
    if not isinstance(node.func, ast.Name):
        raise NoAppException(
            f"Function reference must be a simple name: {text!r}. Call a function"
            " defined at the top level of the module, such as 'create_app()'."
        )

    try:
        positional = [ast.literal_eval(node_arg) for node_arg in node.args]
        # ``**mapping`` entries have no keyword name; they are skipped.
        named = {
            keyword.arg: ast.literal_eval(keyword.value)
            for keyword in node.keywords
            if keyword.arg is not None
        }
    except ValueError:
        raise NoAppException(
            f"Failed to parse arguments as literal values: {text!r}. Only literals"
            " (strings, numbers, lists, dicts, ...) can be passed."
        ) from None
    return node.func.id, positional, named


def prepare_import(path: str) -> str:
    """Turn a file or folder path into an import name, adding the folder it is
    importable from to :data:`sys.path`.

    ``path/to/app.py`` becomes ``app`` with ``path/to`` on the path; for a file inside
    packages (folders with ``__init__.py``), the dotted package name is returned and the
    folder above the top package is added.
    """
    location = os.path.realpath(path)
    stem, extension = os.path.splitext(location)
    if extension == ".py":
        location = stem

    folder, name = os.path.split(location)
    if name == "__init__":
        # A package's __init__ file stands for the package itself.
        folder, name = os.path.split(folder)

    # Climb while the containing folder is itself a package.
    dotted = [name]
    while os.path.exists(os.path.join(folder, "__init__.py")):
        folder, name = os.path.split(folder)
        dotted.insert(0, name)

    if sys.path[0] != folder:
        sys.path.insert(0, folder)
    return ".".join(dotted)


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
    except ImportError as e:
        # A traceback deeper than the __import__ call means the module was found and
        # failed inside (a missing dependency): a real error to show with its
        # traceback. Otherwise the module itself does not exist.
        raised_inside = e.__traceback__ is not None and e.__traceback__.tb_next
        if raised_inside:
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:\n\n"
                f"{traceback.format_exc()}"
            ) from None
        if not raise_if_not_found:
            return None
        raise NoAppException(
            f"Could not import {module_name!r}. Check the spelling, and that the"
            " module is in the current directory or importable from 'sys.path', or"
            " give the path of its file."
        ) from None

    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def get_version(ctx: click.Context, param: click.Parameter, value: t.Any) -> None:
    """The callback of ``--version``: print the Python, Flask and Werkzeug versions and
    exit."""
    if not value or ctx.resilient_parsing:
        return
    import importlib.metadata  # Imported when needed: it slows down "import flask".

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
        #: Whether :meth:`load_app` sets the application's debug flag.
        self.set_debug_flag = set_debug_flag
        #: Whether ``.env`` and ``.flaskenv`` are loaded; ``FLASK_SKIP_DOTENV`` can
        #: turn it off (or back on).
        self.load_dotenv_defaults = get_load_dotenv(default=load_dotenv_defaults)
        #: Arbitrary data commands can share.
        self.data: dict[t.Any, t.Any] = {}
        self._loaded_app: Flask | None = None

    def load_app(self) -> Flask:
        """Load the application (once; later calls return the same object).

        Uses :attr:`create_app` if given, else :attr:`app_import_path`, else looks for
        ``wsgi.py`` and then ``app.py`` in the current directory.

        :raises NoAppException: No application was found.
        """
        if self._loaded_app is None:
            app = self._find_app()
            if app is None:
                raise NoAppException(
                    "Could not locate a Flask application. Use the 'flask --app'"
                    " option, 'FLASK_APP' environment variable, or a 'wsgi.py' or"
                    " 'app.py' file in the current directory."
                )
            if self.set_debug_flag:
                # FLASK_DEBUG (which the --debug option may have just set) decides.
                app.debug = get_debug_flag()
            self._loaded_app = app
        return self._loaded_app

    def _find_app(self) -> Flask | None:
        """Create or import the application; ``None`` if no default file has one."""
        if self.create_app is not None:
            return self.create_app()

        if self.app_import_path:
            # "module:name"; a colon followed by a slash is a Windows drive, not a
            # separator.
            path, *name = re.split(r":(?![\\/])", self.app_import_path, maxsplit=1)
            return locate_app(prepare_import(path), name[0] if name else None)

        for default_file in ("wsgi.py", "app.py"):
            found = locate_app(prepare_import(default_file), None, False)
            if found is not None:
                return found
        return None


pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run a click command inside the application's context, loading the application
    if no context is active. Commands registered through :class:`AppGroup` (including
    ``app.cli``) get this automatically.
    """

    @wraps(f)
    @click.pass_context
    def in_app_context(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_app:
            # The context is popped when the click context closes.
            info = ctx.ensure_object(ScriptInfo)
            ctx.with_resource(info.load_app().app_context())
        return ctx.invoke(f, *args, **kwargs)

    return in_app_context  # type: ignore[return-value]


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
        bare_callback = None
        if len(args) == 1 and callable(args[0]) and not kwargs:
            # Used without parentheses, as ``@group.command``.
            (bare_callback,), args = args, ()
        register = super().command

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            callback = with_appcontext(f) if wrap else f
            return register(*args, **kwargs)(callback)  # type: ignore[no-any-return]

        return decorator if bare_callback is None else decorator(bare_callback)

    def group(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """Like :meth:`click.Group.group`, creating an :class:`AppGroup` by default."""
        return super().group(*args, **{"cls": AppGroup, **kwargs})  # type: ignore[no-any-return]


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


# Where a parameter's value comes from when the user did not give it.
_IMPLICIT_SOURCES = frozenset((ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP))


def _set_debug(ctx: click.Context, param: click.Option, value: bool) -> bool | None:
    # Only set FLASK_DEBUG when the option was given, so the environment variable
    # is not overridden by the option's default.
    if ctx.get_parameter_source(param.name) in _IMPLICIT_SOURCES:
        return None
    flag = "1" if value else "0"
    os.environ["FLASK_DEBUG"] = flag
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
                "python-dotenv must be installed to load an env file. Install it"
                " with: pip install python-dotenv",
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
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        self._plugins_loaded = False

        # The group's own options (the ones handled before the application is loaded,
        # then --version) follow any parameters given by the caller.
        own_params: list[click.Parameter] = [
            _env_file_option,
            _app_option,
            _debug_option,
        ]
        if add_version_option:
            own_params.append(version_option)
        given_params = extra.pop("params", None) or ()
        # The caller's settings dict is updated in place, as click keeps it anyway.
        settings = extra.setdefault("context_settings", {})
        settings.setdefault("auto_envvar_prefix", "FLASK")
        super().__init__(params=[*given_params, *own_params], **extra)

        if add_default_commands:
            for command in _default_commands():
                self.add_command(command)

    def _load_plugin_commands(self) -> None:
        """Add the commands that installed packages register under the
        ``flask.commands`` entry point group (only the first time)."""
        if self._plugins_loaded:
            return
        import importlib.metadata

        for entry_point in importlib.metadata.entry_points(group="flask.commands"):
            self.add_command(entry_point.load(), entry_point.name)
        self._plugins_loaded = True

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        # Built-in and plugin commands first: they must work without an application.
        command = super().get_command(ctx, name)
        if command is not None:
            return command

        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as e:
            _echo_error(f"Error: {e.format_message()}")
            return None

        # Push an app context for the command lookup, so group callbacks can use it.
        active = current_app._get_current_object() if current_app else None  # type: ignore[attr-defined]
        if active is not app:
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        info = ctx.ensure_object(ScriptInfo)
        # Whatever goes wrong with the application, the help still lists the
        # built-in commands, after the reason the others are missing.
        try:
            names.update(info.load_app().cli.list_commands(ctx))
        except NoAppException as e:
            _echo_error(f"Error: {e.format_message()}")
        except Exception:
            _echo_error(traceback.format_exc())
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
        obj_given = "obj" in extra or "obj" in self.context_settings
        if not obj_given:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the command line. When it only asks for help, load ``--env-file`` and
        ``--app`` first, so the help can list the application's own commands."""
        if args:
            shows_help = len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        else:
            shows_help = bool(self.no_args_is_help)
        if shows_help:
            # Help is shown without running the eager options' callbacks; process
            # --env-file and --app first so the help lists the application's commands.
            for early_option in (_env_file_option, _app_option):
                early_option.handle_parse_result(ctx, {}, [])
        try:
            return super().parse_args(ctx, args)
        except BaseException:
            # Click 8.1 does not close a context whose parsing stops early (--help,
            # a usage error), which would leave the app context pushed for listing
            # the commands; 8.2 closes it, and closing twice does nothing.
            ctx.close()
            raise


def _echo_error(text: str) -> None:
    """Print a problem found while looking up commands, in red on stderr, followed by
    a blank line."""
    click.secho(f"{text}\n", err=True, fg="red")


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
        if path or any(os.path.isfile(name) for name in (".env", ".flaskenv")):
            click.secho(
                " * Tip: There are .env files present. Install python-dotenv to use"
                " them.",
                fg="yellow",
                err=True,
            )
        return False

    # Files in increasing priority: later ones overwrite earlier values.
    sources: list[str | os.PathLike[str]] = []
    if load_defaults:
        for default_name in (".flaskenv", ".env"):
            nearest = dotenv.find_dotenv(default_name, usecwd=True)
            if nearest:
                sources.append(nearest)
    if path is not None and os.path.isfile(path):
        sources.append(path)

    merged: dict[str, str | None] = {}
    for source in sources:
        merged.update(dotenv.dotenv_values(source, encoding="utf-8"))

    # Variables already in the environment always win; keys without a value are
    # skipped but still count as loaded.
    for key, value in merged.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value
    return bool(merged)


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Print the development server's start-up banner: the application being served
    and whether debug mode is on. Not shown in the reloader's child process."""
    if is_running_from_reloader():
        # The parent process already printed it.
        return
    lines = []
    if app_import_path is not None:
        lines.append(f" * Serving Flask app '{app_import_path}'")
    if debug is not None:
        lines.append(" * Debug mode: " + ("on" if debug else "off"))
    for line in lines:
        click.echo(line)


class CertParamType(click.ParamType):  # type: ignore[type-arg]
    """The type of ``flask run --cert``: a certificate file, ``adhoc`` for a generated
    certificate, or the import name of an :class:`ssl.SSLContext`."""

    name = "path"

    def __init__(self) -> None:
        #: Checks the value when it names a certificate file.
        self.path_type = _existing_file()

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        try:
            import ssl
        except ImportError:
            no_ssl = 'Using "--cert" requires Python to be compiled with SSL support.'
            raise click.BadParameter(no_ssl, ctx, param) from None

        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            # Not a file: maybe "adhoc" or the import name of an SSLContext. If it is
            # neither, the file error is the one reported.
            text = click.STRING(value, param, ctx).lower()
            if text == "adhoc":
                _require_cryptography(ctx, param)
                return text
            imported = import_string(text, silent=True)
            if isinstance(imported, ssl.SSLContext):
                return imported
            raise


def _existing_file() -> click.Path:
    """The type of the ``--cert`` and ``--key`` file arguments."""
    return click.Path(exists=True, dir_okay=False, resolve_path=True)


def _require_cryptography(
    ctx: click.Context | None, param: click.Parameter | None
) -> None:
    # Werkzeug generates ad-hoc certificates with the cryptography library.
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise click.BadParameter(
            "Using ad-hoc certificates requires the cryptography library. Install it"
            " with: pip install cryptography",
            ctx,
            param,
        ) from None


def _validate_key(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    # --key only makes sense with a certificate file; combine both into the
    # (cert, key) pair run_simple expects.
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    is_context = _is_ssl_context(cert)

    if value is None:
        # A certificate file is useless without its key.
        if cert and not (is_adhoc or is_context):
            raise click.BadParameter('Required when using "--cert".', ctx, param)
        return value

    if is_adhoc:
        problem = 'When "--cert" is "adhoc", "--key" is not used.'
    elif is_context:
        problem = 'When "--cert" is an SSLContext object, "--key" is not used.'
    elif not cert:
        problem = '"--cert" must also be specified.'
    else:
        ctx.params["cert"] = (cert, value)
        return value
    raise click.BadParameter(problem, ctx, param)


def _is_ssl_context(obj: t.Any) -> bool:
    try:
        import ssl
    except ImportError:
        return False
    return isinstance(obj, ssl.SSLContext)


class SeparatedPathType(click.Path):
    """A list of paths separated by :data:`os.pathsep`, each checked like
    :class:`click.Path`."""

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        convert = super().convert
        return [convert(item, param, ctx) for item in self.split_envvar_value(value)]


def _failing_app(error: Exception) -> WSGIApplication:
    """A WSGI application that raises ``error`` for every request."""

    def reraise(environ: WSGIEnvironment, start_response: StartResponse) -> t.Any:
        raise error from None

    return reraise


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
    type=_existing_file(),
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
        if is_running_from_reloader():
            # In the reloader's child, keep serving and show the error on each
            # request, so fixing the code restarts the server instead of killing it.
            # click.echo flushes, which click 8.1's test runner needs to see it.
            click.echo(traceback.format_exc(), err=True, nl=False)
            app = _failing_app(e)
        else:
            raise e from None

    # Unless chosen explicitly, the reloader and the debugger follow debug mode.
    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    run_simple(
        host,
        port,
        app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


run_command.params.insert(0, _debug_option)


@click.command("shell", short_help="Run a shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """Start an interactive Python shell in an application context, with 'app', 'g'
    and the names from the shell context processors available. The file named by
    PYTHONSTARTUP runs first, as in the standard interactive interpreter.
    """
    import code

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    banner = "\n".join(
        (
            f"Python {sys.version} on {sys.platform}",
            f"App: {app.import_name}",
            f"Instance: {app.instance_path}",
        )
    )
    namespace: dict[str, t.Any] = {}

    # Like the standard interpreter, run the PYTHONSTARTUP file first; the shell
    # context's names then take precedence over the ones it defines.
    startup = os.environ.get("PYTHONSTARTUP") or ""
    if os.path.isfile(startup):
        with open(startup) as script:
            exec(compile(script.read(), startup, "exec"), namespace)

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
    url_map = current_app.url_map
    rules = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return

    hidden = set() if all_methods else {"HEAD", "OPTIONS"}
    by_host = url_map.host_matching

    def domain(rule: Rule) -> str:
        return (rule.host if by_host else rule.subdomain) or ""

    def methods(rule: Rule) -> str:
        return ", ".join(sorted((rule.methods or set()) - hidden))

    # (--sort key, heading, cell); the domain column only when some rule has one.
    columns: list[tuple[str, str, t.Callable[[Rule], str]]] = [
        ("endpoint", "Endpoint", lambda rule: rule.endpoint),
        ("methods", "Methods", methods),
    ]
    if any(domain(rule) for rule in rules):
        columns.append(("domain", "Host" if by_host else "Subdomain", domain))
    columns.append(("rule", "Rule", lambda rule: rule.rule))

    rows = [[cell(rule) for _, _, cell in columns] for rule in rules]
    sort_keys = [key for key, _, _ in columns]
    if sort in sort_keys:
        position = sort_keys.index(sort)
        rows.sort(key=lambda row: row[position])

    headings = [heading for _, heading, _ in columns]
    widths = [max(map(len, cells)) for cells in zip(headings, *rows, strict=True)]
    line = "  ".join(f"{{{i}:<{width}}}" for i, width in enumerate(widths))
    for cells in (headings, ["-" * width for width in widths], *rows):
        click.echo(line.format(*cells))


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
