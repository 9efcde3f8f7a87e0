"""Exceptions and log output that explain common mistakes while in debug mode."""

from __future__ import annotations

import typing as t

from jinja2.loaders import BaseLoader
from werkzeug.routing import RequestRedirect

from .blueprints import Blueprint
from .globals import _cv_request
from .globals import request_ctx as request_ctx
from .sansio.app import App

if t.TYPE_CHECKING:  # pragma: no cover
    from .sansio.scaffold import Scaffold
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Raised in debug mode where the framework expected bytes but got text (or the
    reverse), to point at the place the mix-up happened."""


class DebugFilesKeyError(KeyError, AssertionError):
    """Raised in debug mode when code reads a missing key from ``request.files`` on a
    request that was not sent as ``multipart/form-data``.

    The usual cause is an HTML form without ``enctype="multipart/form-data"``: the
    browser then sends only the file's name as an ordinary form field.
    """

    def __init__(self, request: Request, key: str) -> None:
        # The first two sentences are Flask's wording, which users search for.
        lines = [
            f"You tried to access the file {key!r} in the request.files dictionary"
            " but it does not exist. The mimetype for the request is"
            f" {request.mimetype!r} instead of 'multipart/form-data' which means that"
            ' no file contents were transmitted. Add enctype="multipart/form-data"'
            " to the HTML form that uploads the file."
        ]
        sent = request.form.getlist(key)
        if sent:
            names = ", ".join(repr(name) for name in sent)
            lines.append(
                "The browser instead transmitted some file names. They arrived as a"
                f" plain form field: {names}"
            )
        self.msg = "\n\n".join(lines)

    def __str__(self) -> str:
        return self.msg


class FormDataRoutingRedirect(AssertionError):
    """Raised in debug mode when routing would redirect a request that has a body.

    Browsers repeat a redirected POST (or PUT, ...) as a GET for 301 and 302 redirects,
    dropping the form data, which is hard to notice. A missing trailing slash in the
    requested URL is the most common cause.
    """

    def __init__(self, request: Request) -> None:
        exc = request.routing_exception
        assert isinstance(exc, RequestRedirect)
        # The leading sentence of each part is Flask's wording, which users search for.
        text = (
            f"A request was sent to '{request.url}', but routing issued a redirect to"
            f" the canonical URL '{exc.new_url}'."
        )
        if exc.new_url.partition("?")[0] == f"{request.base_url}/":
            text += (
                " The URL was defined with a trailing slash. The request left it out;"
                " add the slash where the request is made (for example in the form's"
                " action attribute)."
            )
        text += (
            f" Browsers drop the body of a {request.method} request when following"
            " this kind of redirect, so the submitted data would be lost. Send the"
            " request to the canonical URL, or use a 307 or 308 redirect.\n\nThis"
            " exception is only raised in debug mode."
        )
        super().__init__(text)


def attach_enctype_error_multidict(request: Request) -> None:
    """Make a missing key in ``request.files`` raise :exc:`DebugFilesKeyError` (with an
    explanation) when the same key was sent as an ordinary form field.

    :param request: The request whose ``files`` to patch.
    """
    files = request.files
    original = files.__class__

    class ExplainingFiles(original):  # type: ignore[valid-type, misc]
        def __getitem__(self, key: str) -> t.Any:
            try:
                return super().__getitem__(key)
            except KeyError as e:
                if key not in request.form:
                    raise
                raise DebugFilesKeyError(request, key).with_traceback(
                    e.__traceback__
                ) from None

    ExplainingFiles.__name__ = original.__name__
    ExplainingFiles.__qualname__ = original.__qualname__
    ExplainingFiles.__module__ = original.__module__
    files.__class__ = ExplainingFiles


def _dump_loader_info(loader: BaseLoader) -> t.Iterator[str]:
    # Describe a Jinja loader by its class and its public, simple-valued attributes.
    yield f"class: {type(loader).__module__}.{type(loader).__name__}"
    for key, value in sorted(loader.__dict__.items()):
        if key.startswith("_"):
            continue
        if isinstance(value, (tuple, list)):
            if all(isinstance(item, str) for item in value):
                yield f"{key}:"
                for item in value:
                    yield f"  - {item}"
        elif isinstance(value, (str, int, float, bool)):
            yield f"{key}: {value!r}"


def explain_template_loading_attempts(
    app: App,
    template: str,
    attempts: list[
        tuple[
            BaseLoader,
            Scaffold,
            tuple[str, str | None, t.Callable[[], bool] | None] | None,
        ]
    ],
) -> None:
    """Log, at info level on ``app.logger``, every loader tried for a template and what
    each found. Used when ``EXPLAIN_TEMPLATE_LOADING`` is set.

    :param app: The application loading the template.
    :param template: The template name.
    :param attempts: ``(loader, owner, result)`` for each loader tried, where the result
        is the loader's ``(source, filename, uptodate)`` or ``None`` when it had no match.
    """
    lines = [f"Locating template {template!r}:"]
    found = 0
    for number, (loader, owner, result) in enumerate(attempts, 1):
        if isinstance(owner, App):
            where = f"application {owner.import_name!r}"
        elif isinstance(owner, Blueprint):
            where = f"blueprint {owner.name!r} ({owner.import_name})"
        else:
            where = repr(owner)
        lines.append(f"{number:5}: trying loader of {where}")
        lines.extend(f"       {line}" for line in _dump_loader_info(loader))
        if result is None:
            lines.append("       -> no match")
        else:
            found += 1
            lines.append(f"       -> found ({result[1] or '<string>'!r})")

    suspicious = found != 1
    if found == 0:
        lines.append("Error: the template could not be found.")
    elif found > 1:
        lines.append(
            "Warning: multiple loaders returned a match for the template. The first"
            " match is used."
        )

    ctx = _cv_request.get(None)
    blueprint = ctx.request.blueprint if ctx is not None else None
    if suspicious and blueprint is not None:
        lines.append(
            "  The template was looked up from an endpoint that belongs to the"
            f" blueprint {blueprint!r}. Blueprint templates are searched after the"
            " application's; check the blueprint's template_folder and where the file"
            " is."
        )
    app.logger.info("\n".join(lines))
