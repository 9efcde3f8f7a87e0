"""Jinja integration: the application's environment, its template loader, and the
functions that render templates."""

from __future__ import annotations

import typing as t
from itertools import chain

from jinja2 import BaseLoader
from jinja2 import Environment as BaseEnvironment
from jinja2 import Template
from jinja2 import TemplateNotFound
from jinja2.runtime import Context as BaseContext
from jinja2.utils import internalcode

from . import fastpaths
from .ctx import _default_template_ctx_processor as _default_template_ctx_processor
from .globals import _cv_app as _cv_app
from .globals import _cv_request as _cv_request
from .globals import current_app
from .globals import request as request
from .helpers import stream_with_context as stream_with_context
from .signals import before_render_template
from .signals import template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from jinja2 import nodes

    from .app import Flask
    from .sansio.app import App
    from .sansio.scaffold import Scaffold

_SourceTriple = tuple[str, str | None, t.Callable[[], bool] | None]


class Context(BaseContext):
    """The context templates of an application render in: Jinja's, with the calls
    templates make going through :func:`flask.fastpaths.template_call`, and the
    checks of the template fast paths made once as each render starts."""

    def __init__(
        self,
        environment: BaseEnvironment,
        parent: dict[str, t.Any],
        name: str | None,
        blocks: dict[str, t.Callable[[BaseContext], t.Iterator[str]]],
        globals: t.MutableMapping[str, t.Any] | None = None,
    ) -> None:
        super().__init__(environment, parent, name, blocks, globals)
        fastpaths.refresh_templates()  # PERF: template

    call = internalcode(fastpaths.template_call)  # PERF: template


class Environment(BaseEnvironment):
    """The Jinja environment of an application (``app.jinja_env``).

    It knows its application, and by default loads templates through a
    :class:`DispatchingJinjaLoader`, which searches the application's and the
    blueprints' template folders.

    :param app: The application.
    :param options: Options for :class:`jinja2.Environment`.
    """

    def __init__(self, app: App, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        self.app = app

    #: The class of the contexts templates render in.
    context_class = Context

    # Jinja's attribute lookup, with a shortcut for dict rows: see
    # flask.fastpaths.template_getattr.
    getattr = fastpaths.template_getattr  # PERF: template

    # Templates are compiled by Jinja and then given a faster escape for printed
    # values (see flask.fastpaths.speed_up_escaping), here and by the loader.
    def from_string(
        self,
        source: str | nodes.Template,
        globals: t.MutableMapping[str, t.Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        template = super().from_string(source, globals, template_class)
        fastpaths.speed_up_escaping(template)  # PERF: template
        return template


fastpaths.capture_templates(Environment, BaseEnvironment, BaseContext)


class DispatchingJinjaLoader(BaseLoader):
    """Finds templates in the application's template folder, then in each blueprint's,
    in the order the blueprints were registered. The first folder with the template
    wins.

    With ``EXPLAIN_TEMPLATE_LOADING`` on, every attempt is logged.
    """

    def __init__(self, app: App) -> None:
        self.app = app

    def load(
        self,
        environment: BaseEnvironment,
        name: str,
        globals: t.MutableMapping[str, t.Any] | None = None,
    ) -> Template:
        template = super().load(environment, name, globals)
        fastpaths.speed_up_escaping(template)  # PERF: template
        return template

    def get_source(self, environment: BaseEnvironment, template: str) -> _SourceTriple:
        lookup = (
            self._get_source_explained
            if self.app.config["EXPLAIN_TEMPLATE_LOADING"]
            else self._get_source_fast
        )
        return lookup(environment, template)

    def _get_source_explained(
        self,
        environment: BaseEnvironment,
        template: str,
    ) -> _SourceTriple:
        attempts = []
        first: _SourceTriple | None = None
        for owner, loader in self._iter_loaders(template):
            try:
                result: _SourceTriple | None = loader.get_source(environment, template)
            except TemplateNotFound:
                result = None
            if first is None:
                first = result
            attempts.append((loader, owner, result))

        from .debughelpers import explain_template_loading_attempts

        explain_template_loading_attempts(self.app, template, attempts)
        if first is None:
            raise TemplateNotFound(template)
        return first

    def _get_source_fast(
        self,
        environment: BaseEnvironment,
        template: str,
    ) -> _SourceTriple:
        # Stop at the first folder that has the template; nothing is recorded.
        for _owner, loader in self._iter_loaders(template):
            try:
                found = loader.get_source(environment, template)
            except TemplateNotFound:
                pass
            else:
                return found
        raise TemplateNotFound(template)

    def _iter_loaders(self, template: str) -> t.Iterator[tuple[Scaffold, BaseLoader]]:
        # The application first, then its blueprints in registration order; owners
        # without a template folder have no loader and are skipped.
        owners: t.Iterable[Scaffold] = chain((self.app,), self.app.iter_blueprints())
        for owner in owners:
            loader = owner.jinja_loader
            if loader is not None:
                yield owner, loader

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for _owner, loader in self._iter_loaders(""):
            names.update(loader.list_templates())
        return list(names)


def _render(app: Flask, template: Template, context: dict[str, t.Any]) -> str:
    app.update_template_context(context)
    if fastpaths.heard(before_render_template):
        before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    text = template.render(context)
    if fastpaths.heard(template_rendered):
        template_rendered.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    return text


def render_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> str:
    """Render a template from the template folders with the given context.

    The context also gets the values of the context processors (``g``, ``request``,
    ``session`` and the application's own); values passed here win over them.

    :param template_name_or_list: A template name, a :class:`~jinja2.Template`, or a
        list of them to use the first one that exists.
    :param context: Variables for the template.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render a template given as a string, with the same context as
    :func:`render_template`.

    :param source: The template source.
    :param context: Variables for the template.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.from_string(source)
    return _render(app, template, context)


def _stream(
    app: Flask, template: Template, context: dict[str, t.Any]
) -> t.Iterator[str]:
    app.update_template_context(context)
    if fastpaths.heard(before_render_template):
        before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )

    def generate() -> t.Iterator[str]:
        yield from template.generate(context)
        if fastpaths.heard(template_rendered):
            template_rendered.send(
                app, _async_wrapper=app.ensure_sync, template=template, context=context
            )

    chunks = generate()
    if _cv_request.get(None) is not None:
        # Keep the request context alive while the response body is produced.
        chunks = stream_with_context(chunks)
    return chunks


def stream_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> t.Iterator[str]:
    """Render a template piece by piece, as an iterator of strings to return from a
    view as a streamed response.

    Inside a request the request context stays available while the template renders.
    Takes the same arguments as :func:`render_template`.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Render a template string piece by piece, like :func:`stream_template`.

    :param source: The template source.
    :param context: Variables for the template.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.from_string(source)
    return _stream(app, template, context)
