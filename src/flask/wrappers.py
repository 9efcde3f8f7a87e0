"""The request and response classes the framework uses by default."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as ResponseBase

from . import fastpaths
from . import json
from ._malformed import MalformedInputRequest
from ._malformed import sendable_cookie
from ._malformed import sendable_location
from .globals import _cv_app
from .globals import current_app as current_app
from .helpers import _split_blueprint_path

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.datastructures import Headers
    from werkzeug.routing import Rule


class Request(MalformedInputRequest):
    """The request object behind :data:`flask.request`.

    A Werkzeug :class:`~werkzeug.wrappers.Request` that also knows which URL rule matched
    and what the routing produced, and that answers malformed input from the client
    with a 400 error or a usable value instead of an exception (see :doc:`/security`). Applications can use a subclass by setting
    :attr:`Flask.request_class <flask.Flask.request_class>`.
    """

    #: Parses JSON bodies for :meth:`get_json`. Each request gets the application's
    #: provider (``app.json``) when it is created.
    json_module: t.Any = json

    #: The :class:`~werkzeug.routing.Rule` that matched, or ``None`` when routing
    #: failed or has not happened. ``request.url_rule.methods`` lists the methods the
    #: rule accepts.
    url_rule: Rule | None = None

    #: The values of the variables in the matched rule, or ``None`` when routing failed.
    view_args: dict[str, t.Any] | None = None

    #: The error routing raised (a 404, 405 or redirect), if any. It is raised when the
    #: request is dispatched, after the ``before_request`` functions.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    @property
    def max_content_length(self) -> int | None:
        """The largest request body, in bytes, that will be read; a larger body is
        refused with 413 before it is read.

        A value set on this request wins; otherwise ``MAX_CONTENT_LENGTH`` from the
        current application's config, or no limit outside of an application context.
        """
        if self._max_content_length is not None:
            return self._max_content_length
        ctx = _cv_app.get(None)
        if ctx is None:
            return super().max_content_length
        return ctx.app.config["MAX_CONTENT_LENGTH"]  # type: ignore[no-any-return]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """The largest non-file field of a form body, in bytes; a larger one is refused
        with 413.

        A value set on this request wins; otherwise ``MAX_FORM_MEMORY_SIZE`` from the
        current application's config, or Werkzeug's default outside of one.
        """
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        ctx = _cv_app.get(None)
        if ctx is None:
            return super().max_form_memory_size
        return ctx.app.config["MAX_FORM_MEMORY_SIZE"]  # type: ignore[no-any-return]

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        """The largest number of fields (parts) a multipart form may have; more is
        refused with 413.

        A value set on this request wins; otherwise ``MAX_FORM_PARTS`` from the current
        application's config, or Werkzeug's default outside of one.
        """
        if self._max_form_parts is not None:
            return self._max_form_parts
        ctx = _cv_app.get(None)
        if ctx is None:
            return super().max_form_parts
        return ctx.app.config["MAX_FORM_PARTS"]  # type: ignore[no-any-return]

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None`` when routing failed."""
        rule = self.url_rule
        return rule.endpoint if rule is not None else None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint the matched endpoint belongs to, such as
        ``"parent.child"``, or ``None`` for an application endpoint.

        This is the name the blueprint was registered under, which differs from
        :attr:`Blueprint.name <flask.Blueprint.name>` when it was registered with
        ``name=``.
        """
        endpoint = self.endpoint
        if endpoint is None or "." not in endpoint:
            return None
        return endpoint.rpartition(".")[0]

    @property
    def blueprints(self) -> list[str]:
        """The names of the current blueprint and its parents, innermost first, such as
        ``["parent.child", "parent"]``; empty when the endpoint is not in a blueprint.
        """
        return list(self._scopes)

    @property
    def _scopes(self) -> list[str]:
        # The shared, cached list behind `blueprints`, for the framework's own
        # read-only use on every request; `blueprints` hands users a copy.
        name = self.blueprint
        return [] if name is None else _split_blueprint_path(name)

    def _load_form_data(self) -> None:
        if (
            "form" not in self.__dict__
            and self.mimetype == "application/x-www-form-urlencoded"
        ):
            # Recent Werkzeug releases read a URL-encoded body in one piece and no
            # longer check it against max_form_memory_size; refuse an oversized one
            # before reading it, as multipart bodies are refused.
            limit = self.max_form_memory_size
            length = self.content_length
            if limit is not None and length is not None and length > limit:
                raise RequestEntityTooLarge()

        super()._load_form_data()

        # In debug mode, explain a missing file caused by a form without the
        # multipart enctype instead of raising a bare KeyError.
        ctx = _cv_app.get(None)
        if (
            ctx is not None
            and ctx.app.debug
            and self.mimetype != "multipart/form-data"
            and not self.files
        ):
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Called when :meth:`get_json` cannot parse the body.

        A body that is not valid JSON gives a 400 whose description shows the parse error
        in debug mode only; a request whose content type is not JSON gives a 415.
        """
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as error:
            ctx = _cv_app.get(None)
            if ctx is not None and ctx.app.debug:
                raise
            raise BadRequest() from error


class Response(ResponseBase):
    """The response class the framework creates for views that return a body.

    A Werkzeug :class:`~werkzeug.wrappers.Response` whose default mimetype is HTML.
    Applications can use a subclass by setting :attr:`Flask.response_class
    <flask.Flask.response_class>`.
    """

    default_mimetype: str | None = "text/html"

    #: Serializes JSON for :attr:`json`; responses created by the framework get the
    #: application's provider.
    json_module = json

    #: Send ``Location`` headers as given instead of making them absolute.
    autocorrect_location_header = False

    def set_cookie(
        self, key: str, value: str = "", *args: t.Any, **kwargs: t.Any
    ) -> None:
        """Add a ``Set-Cookie`` header, as Werkzeug's ``set_cookie`` does; see there
        for the parameters.

        Werkzeug quotes a value with control characters in it but leaves the bytes
        0x1A to 0x1F unescaped, which servers refuse to send; they are escaped here
        the way Werkzeug escapes the others, so the cookie reads back the same.
        """
        super().set_cookie(key, value, *args, **kwargs)
        if value:
            name, header = self.headers[-1]
            self.headers[-1] = (name, sendable_cookie(header))

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """The size above which setting a cookie warns: ``MAX_COOKIE_SIZE`` from the
        current application's config, or Werkzeug's default outside of one."""
        ctx = _cv_app.get(None)
        if ctx is not None:
            return ctx.app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
        return super().max_cookie_size

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Send the response to the WSGI server, as Werkzeug's response does.

        A body that is a list of bytes, and a 304, are sent without Werkzeug's copy
        of the headers (see :func:`flask.fastpaths.send_response`); anything else, or
        a subclass that customises how responses are serialized, goes through
        Werkzeug.
        """
        body = fastpaths.send_response(self, environ, start_response)  # PERF: json
        if body is None:
            return super().__call__(environ, start_response)
        return body

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        """The headers to send, as Werkzeug computes them; a ``Location`` or
        ``Content-Location`` that cannot be converted to a URI is sent percent-encoded
        instead of failing while the server sends the response."""
        try:
            return super().get_wsgi_headers(environ)
        except ValueError:
            headers = self.headers
            for name in ("Location", "Content-Location"):
                if name in headers:
                    headers[name] = sendable_location(headers[name])
            return super().get_wsgi_headers(environ)


fastpaths.RESPONSE.capture(Response)
fastpaths.RESPONSE_COOKIES.capture(Response)
fastpaths.SERIALIZATION.capture(Response)
fastpaths.FILE_RESPONSE.capture(Response)
fastpaths.REQUEST.capture(Request)
