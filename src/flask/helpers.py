"""Helper functions views and extensions call: URLs, responses, redirects, aborts, files,
flash messages and streaming."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import typing as t
from datetime import datetime
from datetime import timedelta
from functools import cache
from functools import update_wrapper

import werkzeug.utils
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wrappers import Response as BaseResponse

from . import fastpaths
from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import request
from .globals import request_ctx
from .globals import session
from .signals import message_flashed

if t.TYPE_CHECKING:  # pragma: no cover
    from .cli import AppGroup
    from .sansio.scaffold import Scaffold
    from .wrappers import Response


def get_debug_flag() -> bool:
    """Return whether the ``FLASK_DEBUG`` environment variable asks for debug mode.

    Any value other than empty, ``0``, ``false`` or ``no`` (in any case) turns it on.
    """
    value = os.environ.get("FLASK_DEBUG")
    return bool(value) and value.lower() not in {"0", "false", "no"}  # type: ignore[union-attr]


def get_load_dotenv(default: bool = True) -> bool:
    """Return whether ``.env`` and ``.flaskenv`` files should be loaded.

    ``FLASK_SKIP_DOTENV`` set to anything other than empty, ``0``, ``false`` or ``no``
    turns loading off; when it is unset, ``default`` is returned.

    :param default: The answer when ``FLASK_SKIP_DOTENV`` is not set.
    """
    value = os.environ.get("FLASK_SKIP_DOTENV")
    if not value:
        return default
    return value.lower() in {"0", "false", "no"}


_P = t.ParamSpec("_P")


# A type checker picks the first overload for a generator object and the second for a
# generator function used as a decorator, so neither use sees the other's return type.
@t.overload
def stream_with_context(
    generator_or_function: t.Iterator[t.AnyStr],
) -> t.Iterator[t.AnyStr]: ...


@t.overload
def stream_with_context(
    generator_or_function: t.Callable[_P, t.Iterator[t.AnyStr]],
) -> t.Callable[_P, t.Iterator[t.AnyStr]]: ...


def stream_with_context(
    generator_or_function: t.Iterator[t.AnyStr] | t.Callable[..., t.Iterator[t.AnyStr]],
) -> t.Iterator[t.AnyStr] | t.Callable[..., t.Iterator[t.AnyStr]]:
    """Keep the request context active while a streamed response body is generated.

    A view that returns a generator finishes before the server iterates over it, so the
    request context is normally gone by the time the generator runs. Wrapping the
    generator keeps :data:`~flask.request`, :data:`~flask.session` and
    :data:`~flask.g` available until it is exhausted or closed::

        @app.route("/stream")
        def streamed_response():
            def generate():
                yield "Hello "
                yield request.args["name"]
                yield "!"

            return stream_with_context(generate())

    It also works as a decorator on a generator function, which then returns a wrapped
    generator each time it is called.

    :raises RuntimeError: No request context is active when the generator is wrapped.
    """
    try:
        inner = iter(generator_or_function)  # type: ignore[arg-type]
    except TypeError:
        func = generator_or_function

        def decorator(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return stream_with_context(func(*args, **kwargs))  # type: ignore[operator]

        return update_wrapper(decorator, func)  # type: ignore[arg-type]

    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'stream_with_context' can only be used when a request context is active,"
            " such as in a view function. Wrap the generator inside the view function"
            " that returns it."
        )

    from .ctx import _hold_for_stream
    from .ctx import _release_for_stream

    app_ctx = _cv_app.get()
    # The request's own pops must not tear the contexts down; this generator does,
    # once the body is produced or closed.
    _hold_for_stream(ctx, app_ctx)

    def wrapped() -> t.Iterator[t.AnyStr]:
        closed_unstarted = False
        try:
            yield None  # type: ignore[misc]
        except GeneratorExit:
            closed_unstarted = True

        # Push in the Context that iterates the body; the pops at the end of this
        # block then run the teardown functions, once.
        with app_ctx, ctx:
            _release_for_stream(ctx, app_ctx)
            try:
                if not closed_unstarted:
                    yield from inner
            finally:
                close = getattr(inner, "close", None)
                if close is not None:
                    close()

    gen = wrapped()
    # Start the generator, so that closing it before iterating still tears down.
    next(gen)
    return gen


def make_response(*args: t.Any) -> Response:
    """Turn a view's return value into a response object inside the view, for example to
    add headers before returning it::

        response = make_response(render_template("index.html", foo=42))
        response.headers["X-Parachutes"] = "parachutes are cool"
        return response

    With no arguments it returns an empty response. One argument goes through
    :meth:`Flask.make_response <flask.Flask.make_response>`; several are treated as a
    ``(body, status, headers)`` tuple.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not args:
        return app.response_class()  # type: ignore[no-any-return]
    return app.make_response(args[0] if len(args) == 1 else args)  # type: ignore[no-any-return]


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: t.Any,
) -> str:
    """Build the URL for an endpoint with the current application's URL map.

    This calls :meth:`Flask.url_for <flask.Flask.url_for>`; see it for the details.

    :param endpoint: The endpoint name. A name starting with ``.`` is relative to the
        current request's blueprint.
    :param _anchor: Fragment to append after ``#``.
    :param _method: Pick the rule for this HTTP method when several rules share the
        endpoint.
    :param _scheme: Scheme of an external URL.
    :param _external: Build an absolute URL with scheme and host. Defaults to true
        outside of requests and false inside.
    :param values: Values for the rule's variables; the rest become the query string.
    """
    return current_app.url_for(
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )


def redirect(
    location: str, code: int = 302, Response: type[BaseResponse] | None = None
) -> BaseResponse:
    """Return a response that redirects the client to ``location``.

    Inside an application context this calls :meth:`app.redirect
    <flask.Flask.redirect>`, so applications can customize redirects; otherwise it uses
    Werkzeug's :func:`~werkzeug.utils.redirect`.

    :param location: The URL to redirect to.
    :param code: The status code, 302 by default.
    :param Response: Response class to use when no application is active.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.redirect(location, code=code)
    return _wz_redirect(_quote_line_breaks(location), code=code, Response=Response)


def _quote_line_breaks(location: str) -> str:
    # A redirect target taken from the request may hold CR or LF, which Werkzeug
    # refuses in a header value; encode them as sending the header encodes any other
    # character that cannot appear in a URI, so the target is redirected to, not
    # injected.
    if "\r" in location or "\n" in location:
        return location.replace("\r", "%0D").replace("\n", "%0A")
    return location


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Stop the request by raising the :exc:`~werkzeug.exceptions.HTTPException` for a
    status code, or wrapping a ready response.

    Inside an application context this goes through ``app.aborter`` (see
    :attr:`~flask.Flask.aborter_class`); otherwise Werkzeug's
    :func:`~werkzeug.exceptions.abort` is used.

    :param code: An HTTP status code, or a response to send as is.
    :param args: Passed to the exception class (the first is the description).
    :param kwargs: Passed to the exception class.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """Load a macro (or any exported variable) from a template, to call it from Python.

    For a template ``_cider.html`` containing a macro ``hello(name)``::

        hello = get_template_attribute("_cider.html", "hello")
        return hello("World")

    :param template_name: The template to load.
    :param attribute: The name of the macro or variable in it.
    """
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)


def flash(message: str, category: str = "message") -> None:
    """Store a message in the session so the next page can show it.

    Templates read the messages with :func:`get_flashed_messages`, which also removes
    them. Sends :data:`~flask.message_flashed`.

    :param message: The message text.
    :param category: A label such as ``"error"`` or ``"info"``, for styling and
        filtering.
    """
    # Read, append, then assign, so session backends that only see assignments notice
    # the change.
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if fastpaths.heard(message_flashed):
        message_flashed.send(
            app, _async_wrapper=app.ensure_sync, message=message, category=category
        )


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Return the messages stored with :func:`flash` and remove them from the session.

    The first call in a request takes the messages out of the session; later calls in
    the same request return the same messages again.

    :param with_categories: Return ``(category, message)`` pairs instead of messages.
    :param category_filter: Only return messages in these categories.
    """
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    flashes = ctx.flashes
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        ctx.flashes = flashes
    if category_filter:
        wanted = set(category_filter)
        flashes = [item for item in flashes if item[0] in wanted]
    if with_categories:
        return flashes  # type: ignore[no-any-return]
    return [item[1] for item in flashes]


_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")


def _prepare_send_file_kwargs(**kwargs: t.Any) -> dict[str, t.Any]:
    # PERF: static. The context variables directly rather than through the proxies;
    # outside a request the proxies raise their usual error.
    req_ctx = _cv_request.get(None)
    if req_ctx is None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        environ = request.environ
    else:
        app = _cv_app.get().app
        environ = req_ctx.request.environ
    if kwargs.get("max_age") is None:
        kwargs["max_age"] = app.get_send_file_max_age
    name = kwargs.get("download_name")
    if name and _CONTROL_CHARACTER.search(name):
        # Werkzeug puts the name in Content-Disposition as it is (or, for a non-ASCII
        # one, its ASCII approximation), where a CR or LF is refused by Werkzeug and
        # any other control character by servers such as Gunicorn.
        kwargs["download_name"] = _CONTROL_CHARACTER.sub("_", name)
    kwargs.update(
        environ=environ,
        use_x_sendfile=app.config["USE_X_SENDFILE"],
        response_class=app.response_class,
        _root_path=app.root_path,
    )
    return kwargs


def send_file(
    path_or_file: os.PathLike[t.AnyStr] | str | t.IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: None | (int | t.Callable[[str | None], int | None]) = None,
) -> Response:
    """Send the contents of a file to the client.

    This wraps Werkzeug's :func:`~werkzeug.utils.send_file` with the current request's
    environment, the application's response class, ``USE_X_SENDFILE``, and the
    application's root folder for relative paths. Range and conditional requests are
    answered with 206, 304 or 416 as appropriate.

    Never pass a path that came from the user: use :func:`send_from_directory` for that.

    :param path_or_file: A path (relative to the application's root path) or a binary
        file object.
    :param mimetype: The content type; guessed from the file name when not given.
    :param as_attachment: Ask the browser to save the file instead of showing it.
    :param download_name: The file name the browser uses when saving.
    :param conditional: Support conditional and range requests.
    :param etag: Compute an ETag (``True``), use the given one, or send none.
    :param last_modified: The Last-Modified time; taken from the file when possible.
    :param max_age: Seconds the client may cache the file. Defaults to
        :meth:`~flask.Flask.get_send_file_max_age`.
    """
    return werkzeug.utils.send_file(  # type: ignore[return-value]
        **_prepare_send_file_kwargs(
            path_or_file=path_or_file,
            environ=None,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=conditional,
            etag=etag,
            last_modified=last_modified,
            max_age=max_age,
        )
    )


def send_from_directory(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    **kwargs: t.Any,
) -> Response:
    """Send a file from inside a directory, refusing paths that would leave it.

    ``path`` may come from the URL: if it points outside ``directory`` (with ``..``, an
    absolute path, and the like) or does not name a file, the response is a 404::

        @app.route("/uploads/<path:name>")
        def download_file(name):
            return send_from_directory(app.config["UPLOAD_FOLDER"], name)

    :param directory: The folder to serve from, relative to the application's root path
        when not absolute. This must not come from the user.
    :param path: The file's path inside ``directory``.
    :param kwargs: Passed on to :func:`send_file`.
    """
    kwargs = _prepare_send_file_kwargs(**kwargs)
    response = fastpaths.send_file_directly(directory, path, kwargs)  # PERF: static
    if response is not None:
        return response
    return werkzeug.utils.send_from_directory(  # type: ignore[return-value]
        directory, path, **kwargs
    )


def get_root_path(import_name: str) -> str:
    """Return the folder of the module or package ``import_name``.

    The current working directory is returned when the module cannot be found or has no
    loader (an interactive ``__main__``, for example).

    :raises RuntimeError: The module has no file, as for a namespace package; pass
        ``root_path`` explicitly then.
    """
    module = sys.modules.get(import_name)
    module_file: str | None = getattr(module, "__file__", None)
    if module_file is not None:
        return os.path.dirname(os.path.abspath(module_file))

    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    loader = spec.loader if spec is not None else None
    if loader is None:
        return os.getcwd()

    if hasattr(loader, "get_filename"):
        filename = loader.get_filename(import_name)
    else:
        # Loaders without file information: import the module and ask it.
        __import__(import_name)
        filename = getattr(sys.modules[import_name], "__file__", None)
        if filename is None:
            raise RuntimeError(
                "No root path can be found for the provided module"
                f" {import_name!r}. It has no file, as happens for namespace packages"
                " and modules from import hooks without file information. Pass"
                " 'root_path' explicitly."
            )
    return os.path.dirname(os.path.abspath(filename))  # type: ignore[no-any-return]


@cache
def _split_blueprint_path(name: str) -> list[str]:
    # "a.b.c" -> ["a.b.c", "a.b", "a"]: a nested blueprint's name and its parents',
    # innermost first.
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _make_cli_group(name: str) -> AppGroup:
    # The ``cli`` groups of applications and blueprints are created on first use:
    # importing click and flask.cli costs about 10 ms of ``import flask``.
    from .cli import AppGroup

    group = AppGroup()
    group.name = name
    return group


def _send_file_max_age(config_value: timedelta | int | None) -> int | None:
    # SEND_FILE_MAX_AGE_DEFAULT may be a timedelta or a number of seconds.
    if config_value is None:
        return None
    if isinstance(config_value, timedelta):
        return int(config_value.total_seconds())
    return config_value


def _send_static_file(owner: Scaffold, filename: str) -> Response:
    # Shared by applications and blueprints.
    if not owner.has_static_folder:
        raise RuntimeError(
            "'static_folder' must be set to serve static_files."
            f" {owner!r} has no static folder."
        )
    max_age = owner.get_send_file_max_age(filename)  # type: ignore[attr-defined]
    return send_from_directory(
        t.cast(str, owner.static_folder), filename, max_age=max_age
    )


def _open_resource(
    root: str, resource: str, mode: str, encoding: str | None
) -> t.IO[t.Any]:
    # Shared by applications and blueprints: read-only access below a root folder.
    if mode not in {"r", "rt", "rb"}:
        raise ValueError(
            f"Resources can only be opened for reading. Mode {mode!r} was given; use"
            " 'open_instance_resource' or open() to write files."
        )
    path = os.path.join(root, resource)
    if mode == "rb":
        return open(path, mode)
    return open(path, mode, encoding=encoding)
