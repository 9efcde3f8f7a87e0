"""The fast paths of the request path, and the one place that decides when each runs.

A fast path does what some methods would do, without calling them, when nothing could
tell the difference. Everything that could tell the difference makes it step aside:

- **What an application tells the framework about.** Attribute assignment on the
  application, writes to its config and every setup method mark its :class:`Plan`
  stale; the next request builds a new one. The plan holds the decisions that depend
  only on those (instance-level overrides of lifecycle methods, ``SERVER_NAME``,
  ``TRUSTED_HOSTS``, subdomain matching ...).
- **What cannot tell anyone it changed** is checked on every request, cheaply: methods
  overridden in a subclass or patched on the class itself (as :func:`unittest.mock.patch`
  and tracing agents do), compared with the functions the classes were defined with
  (see :class:`StandIn`), and module attributes the skipped code would call where
  replacing them changes what the server or the application gets; signal receivers
  and replaced ``send`` methods (:func:`heard`); hook registries changed in place;
  the request's own headers; the session's state. The response classes, which are
  the same for every application, are checked once when a request starts
  (:func:`responses_kept`).

Setting the environment variable ``FLASK_FAST_PATHS=0`` before ``flask`` is imported
turns every fast path off, so the framework runs exactly the general code; use it to
rule the fast paths out when a behaviour looks wrong. :func:`describe` says which fast
paths an application gets and, for each one that is off, why; the same is logged at
debug level on the ``flask.fastpaths`` logger whenever a plan is built.

The fast paths (each tagged ``# PERF: <scenario>`` where it lives, naming the benchmark
scenario of ``benchmarks/run.py`` that measures it):

``direct_response``
    A view's ``str``, ``dict`` or ``(body, status)`` return value, or an unhandled HTTP
    error, is sent without a response object: this stands in for ``make_response``,
    ``process_response``, ``finalize_request`` and the response class. The built-in
    cookie session is saved into the direct response by the real ``save_session``.
``response_objects``
    A response object for a ``str`` or ``bytes`` body (a view's, with no headers) or
    for :func:`~flask.json.jsonify` gets the attributes and headers Werkzeug's
    constructor would give it, filled in directly, when neither the response class nor
    Werkzeug's constructor or headers class is customised.
``buffered_response``
    A response whose body is a list of bytes (or a 304) is serialized without copying
    its headers into a new :class:`~werkzeug.datastructures.Headers` object.
``url_binding``
    The URL adapter is built directly, validating and IDNA-encoding each distinct host
    once, instead of through ``Map.bind_to_environ``.
``remembered_matches``
    The URL match of a rule without arguments (a static path) is remembered per URL
    map, keyed by what Werkzeug's matcher is given, and reused; rules with converters
    are matched every time, so converters run as usual.
``direct_matching``
    A URL that is not remembered is matched by the walk Werkzeug's matcher makes over
    its states, written without the matcher's closures and with each rule part's
    pattern compiled once; redirects, 405s, Rule subclasses and converters of the
    app's own take Werkzeug's matching.
``file_response``
    :func:`~flask.send_from_directory`, and so the static route, makes the response
    for a file, its headers and its conditional answer (200 or 304) directly, doing
    the work of Werkzeug's ``send_from_directory``, ``send_file`` and
    ``make_conditional``; Range and If-Match requests, ``X-Sendfile``, arguments
    other than ``max_age`` and customised response classes take Werkzeug's code.
``request_objects``
    The request object gets the attributes Werkzeug's constructor would set, filled
    in directly, when the request class does not customise its construction.
``request_cookies``
    The request's cookies, when the session reads them, are parsed from the
    ``HTTP_COOKIE`` value directly instead of by searching every header for
    ``Cookie``, when no other environ key is a ``Cookie`` header too.
``deferred_session``
    The built-in cookie session is opened when first used instead of when the request
    context is pushed, so requests that never touch it skip parsing the cookie.
``session_payloads``
    A session payload too short for zlib to shorten it is not compressed:
    itsdangerous would compress it only to throw the result away.
``request_close``
    ``Request.close`` is skipped when it has nothing to close (no files were parsed).
``caches``
    Which functions are coroutine functions, error page bodies, session serializers
    and derived signing keys, content types: remembered, in bounded caches whose
    values are pure functions of their keys.
``json_encoders``
    The JSON provider's ``dumps`` reuses the encoder :func:`json.dumps` would make
    for its options.
``template_items``
    Templates read items of plain dicts without first trying (and failing) an attribute
    lookup, unless Jinja's own lookup is patched or a class of the environment's
    overrides it.
``template_calls``
    Templates call a bound method of a Python class (``loop.cycle(...)``, a method of
    an object passed in) without first asking it, twice, whether it wants the
    context passed: for a function with no ``jinja_pass_arg`` attribute, the answer
    is known, and each asking raises and catches an :exc:`AttributeError`.
``template_escaping``
    Templates escape ``str`` and ``int`` values into :class:`~markupsafe.Markup`
    without going through ``Markup``'s Python constructor, while it is markupsafe's
    own; anything else is escaped by :func:`markupsafe.escape` itself.
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import inspect
import json
import logging
import math
import os
import re
import threading
import typing as t
import weakref
import zlib
from functools import partial
from itertools import count
from operator import attrgetter
from operator import itemgetter
from types import FunctionType
from types import MethodType

import markupsafe
from blinker import Signal
from itsdangerous import signer as _signer
from itsdangerous import TimestampSigner
from itsdangerous import url_safe as _url_safe
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.url_safe import URLSafeSerializerMixin
from itsdangerous.url_safe import URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug import utils as werkzeug_utils
from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import ETags
from werkzeug.datastructures import Headers
from werkzeug.datastructures import ResponseCacheControl
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.http import remove_entity_headers
from werkzeug.routing import converters
from werkzeug.routing import Map
from werkzeug.routing import map as map_module
from werkzeug.routing import MapAdapter
from werkzeug.routing import matcher as matcher_module
from werkzeug.routing import Rule
from werkzeug.routing.exceptions import NoMatch
from werkzeug.routing.matcher import StateMachineMatcher
from werkzeug.sansio import http as sansio_http
from werkzeug.sansio import request as sansio_request
from werkzeug.sansio import response as sansio_response
from werkzeug.sansio.request import Request as SansioRequest
from werkzeug.sansio.response import Response as SansioResponse
from werkzeug.utils import get_content_type
from werkzeug.wrappers import request as wsgi_request
from werkzeug.wrappers import response as wsgi_response
from werkzeug.wrappers.response import Response as WerkzeugResponse
from werkzeug.wsgi import ClosingIterator
from werkzeug.wsgi import get_host

from ._malformed import checked_host
from ._malformed import sendable_cookie
from .globals import _cv_request
from .signals import request_finished

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .app import Flask
    from .ctx import RequestContext
    from .wrappers import Request
    from .wrappers import Response

K = t.TypeVar("K")
V = t.TypeVar("V")
R = t.TypeVar("R")

_log = logging.getLogger(__name__)


def _read_switch(value: str | None) -> bool:
    return (value or "").strip().lower() not in {"0", "false", "no", "off"}


#: Whether fast paths may run at all: false when ``FLASK_FAST_PATHS`` is ``0``,
#: ``false``, ``no`` or ``off`` at import time.
ENABLED: bool = _read_switch(os.environ.get("FLASK_FAST_PATHS"))


# Helpers ----------------------------------------------------------------------------


class BoundedCache(t.Generic[K, V]):
    """A dict that is emptied when it reaches ``limit`` entries.

    Only for values that are pure functions of their keys: a lost entry then only costs
    the time to compute it again. That is also why concurrent use is safe without a
    lock: ``get`` and ``put`` are single dict operations, a ``clear`` racing with them
    only causes misses, and two threads storing the same key store equal values.

    :param limit: The number of entries that triggers emptying.
    """

    __slots__ = ("_data", "_limit", "get")

    def __init__(self, limit: int) -> None:
        self._data: dict[K, V] = {}
        self._limit = limit
        #: Return the value for a key, or ``None`` (the dict's own bound ``get``).
        self.get: t.Callable[[K], V | None] = self._data.get

    def put(self, key: K, value: V) -> V:
        """Store ``value`` for ``key`` and return it."""
        data = self._data
        if len(data) >= self._limit:
            data.clear()
        data[key] = value
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class PerObject(t.Generic[V]):
    """A value computed once per object by ``compute``, remembered without keeping the
    object alive.

    Entries are keyed by ``id()`` and hold a weak reference that is checked on every
    lookup, so an entry left behind by a dead object whose id was reused is never
    taken for the new object; the reference's callback drops the entry. Objects that
    cannot be weakly referenced get a fresh value each time. Races only cost a
    recomputation: each entry is written in one operation and checked on reading.

    :param compute: Computes the value for an object.
    """

    __slots__ = ("_compute", "_entries")

    def __init__(self, compute: t.Callable[[t.Any], V]) -> None:
        self._compute = compute
        self._entries: dict[int, tuple[weakref.ref[t.Any], V]] = {}

    def __call__(self, obj: t.Any) -> V:
        key = id(obj)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is obj:
            return entry[1]
        value = self._compute(obj)
        try:
            ref = weakref.ref(obj, partial(self._forget, key))
        except TypeError:  # Not weakly referenceable.
            return value
        self._entries[key] = (ref, value)
        return value

    def _forget(self, key: int, ref: weakref.ref[t.Any]) -> None:
        entry = self._entries.get(key)
        if entry is not None and entry[0] is ref:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)


class StandIn:
    """The attributes of a class that a fast path stands in for, as the class was
    defined with them.

    :meth:`kept_by` tells whether a class (the class itself or a subclass) still has
    every one of them unchanged: none overridden in a subclass, none patched on the
    class. Comparing with the captured originals, rather than with the class's current
    attributes, is what makes a patched class behave like a subclass.

    :param names: The attribute names.
    """

    __slots__ = ("_order", "expected", "names", "originals", "owner", "read")

    def __init__(self, *names: str) -> None:
        self._order = names
        self.names = frozenset(names)
        #: Reads the attributes from a class in one C call (a tuple for several
        #: names). Hot paths compare ``read(cls) != expected`` inline; elsewhere
        #: use :meth:`kept_by`.
        self.read = attrgetter(*names)
        #: What :attr:`read` returned for the owner.
        self.expected: t.Any = None
        #: The class the originals were captured from.
        self.owner: t.Any = None
        #: The captured attributes, by name.
        self.originals: dict[str, t.Any] = {}

    def capture(self, owner: type) -> None:
        """Remember ``owner``'s attributes as the originals. Called once, right after
        the class is defined."""
        self.owner = owner
        self.expected = self.read(owner)
        values = self.expected if len(self._order) > 1 else (self.expected,)
        self.originals = dict(zip(self._order, values, strict=True))

    def kept_by(self, cls: type) -> bool:
        """Whether ``cls`` has every attribute as the owner defined it (a class that
        lacks one of them has not)."""
        try:
            return bool(self.read(cls) == self.expected)
        except AttributeError:
            return False

    def changed_in(self, cls: type) -> list[str]:
        """The names whose attribute in ``cls`` is not the original one."""
        return [
            name
            for name in self._order
            if getattr(cls, name, None) != self.originals[name]
        ]


# What each fast path stands in for -------------------------------------------------

#: Application methods the direct response does the work of. Captured by
#: :mod:`flask.app`.
LIFECYCLE = StandIn(
    "full_dispatch_request", "finalize_request", "make_response", "process_response"
)

# The response class attributes that building a response and serializing it use.
_RESPONSE_NAMES = (
    "__init__",
    "__call__",
    "close",
    "set_data",
    "status",
    "status_code",
    "_clean_status",
    "get_wsgi_response",
    "get_wsgi_headers",
    "get_app_iter",
    "iter_encoded",
    "automatically_set_content_length",
    "default_mimetype",
    "default_status",
)

#: Response class attributes the direct response does the work of: building the
#: response and serializing it. Captured by :mod:`flask.wrappers`.
RESPONSE = StandIn(*_RESPONSE_NAMES)

#: The same attributes of Werkzeug's own response class, which an HTTP error builds
#: its response with: :func:`send_http_exception` does their work.
WERKZEUG_RESPONSE = StandIn(*_RESPONSE_NAMES)
WERKZEUG_RESPONSE.capture(WerkzeugResponse)

#: The constructor of Werkzeug's sans-IO response, which ``Response.__init__`` calls,
#: and the methods of the headers object a response fills in and Werkzeug's
#: serialization copies: the fast paths that build or send responses do their work.
SANSIO_RESPONSE = StandIn("__init__")
SANSIO_RESPONSE.capture(SansioResponse)
RESPONSE_HEADERS = StandIn(
    "__init__",
    "__contains__",
    "__setitem__",
    "__iter__",
    "set",
    "add",
    "extend",
    "to_wsgi_list",
)
RESPONSE_HEADERS.capture(Headers)

#: The cookie methods of Werkzeug's sans-IO response, which ``Response.set_cookie``
#: calls, and what they call by name: the session saved into a direct response does
#: their work.
SANSIO_COOKIES = StandIn("set_cookie", "delete_cookie")
SANSIO_COOKIES.capture(SansioResponse)

# The namespaces of Werkzeug's response modules and of its exceptions module. Of the
# names Werkzeug's code looks up there when it runs, the fast paths check those whose
# replacement would change what they produce: the class of the body the server gets,
# the class of a response's headers, a content type and an error page they remember;
# and where they call the same function, they look it up there too (dump_cookie).
_SANSIO_RESPONSE_GLOBALS: dict[str, t.Any] = vars(sansio_response)
_WSGI_RESPONSE_GLOBALS: dict[str, t.Any] = vars(wsgi_response)
_EXCEPTIONS_GLOBALS: dict[str, t.Any] = vars(werkzeug_exceptions)
_ESCAPE = _EXCEPTIONS_GLOBALS["escape"]
_MARKUP = _EXCEPTIONS_GLOBALS["Markup"]

#: Response class attributes the direct response does the work of when it saves the
#: session into the response: the stand-in response ``save_session`` is given.
#: Captured by :mod:`flask.wrappers`.
RESPONSE_COOKIES = StandIn("set_cookie", "delete_cookie", "vary", "max_cookie_size")

#: Response class attributes the buffered serialization does the work of. Captured by
#: :mod:`flask.wrappers`.
SERIALIZATION = StandIn(
    "__call__",
    "get_wsgi_response",
    "get_wsgi_headers",
    "get_app_iter",
    "iter_encoded",
    "automatically_set_content_length",
)

#: Request class attributes the fast paths rely on: the request is built without
#: calling ``__init__``, the URL binding honours a class-level ``trusted_hosts``, and
#: ``close`` is skipped when it has nothing to close. (That ``host`` is Werkzeug's
#: cached property, which the URL binding fills in, is part of the plan: reading a
#: descriptor from the class would call it.) Captured by :mod:`flask.wrappers`.
REQUEST = StandIn("__init__", "trusted_hosts", "close")

# Werkzeug's request.host, a cached property: assigning it stores the value in the
# instance's __dict__.
_HOST = inspect.getattr_static(SansioRequest, "host")

#: The constructor of Werkzeug's sans-IO request, which ``Request.__init__`` calls.
SANSIO_REQUEST = StandIn("__init__")
SANSIO_REQUEST.capture(SansioRequest)

#: The request's cookies, Werkzeug's cached property, which :func:`request_cookies`
#: fills in directly.
REQUEST_COOKIES = StandIn("cookies")
REQUEST_COOKIES.capture(SansioRequest)

#: What the cookies property reads the ``Cookie`` header with.
ENVIRON_HEADERS = StandIn("getlist", "__iter__")
ENVIRON_HEADERS.capture(EnvironHeaders)

#: Session interface attributes the deferred session and the direct response stand
#: in for: opening at push and saving into a response object, and what the built-in
#: interface calls to open a session (which a request that never uses it skips).
#: Captured by :mod:`flask.sessions`.
SESSION = StandIn(
    "open_session",
    "save_session",
    "is_null_session",
    "get_signing_serializer",
    "session_class",
)

#: What the session's signing serializer, kept between requests with the signers
#: and derived keys it makes, does the work of: building itsdangerous' serializer and
#: signer each time, deriving the key, and HMAC-SHA1 through :func:`hmac.new` and
#: :func:`hashlib.sha1`.
SERIALIZER = StandIn("__init__", "make_signer")
SERIALIZER.capture(URLSafeTimedSerializer)
SIGNER = StandIn("__init__", "derive_key")
SIGNER.capture(TimestampSigner)
HMAC = StandIn("__init__", "get_signature")
HMAC.capture(HMACAlgorithm)
_SHA1 = hashlib.sha1
_HMAC_NEW = hmac.new

#: JSON provider methods the direct response does the work of. Captured by
#: :mod:`flask.json.provider`.
JSON = StandIn("response", "_prepare_response_obj")

#: HTTP exception methods the direct error response does the work of; the body is
#: remembered per name and description, so ``get_body`` and ``get_description`` are
#: skipped too.
HTTP_EXCEPTION = StandIn("__call__", "get_response", "get_body", "get_description")
HTTP_EXCEPTION.capture(HTTPException)

# The get_headers methods of Werkzeug's own HTTP exceptions: each returns headers
# made from the exception's attributes, and calling it again has no effect.
_WERKZEUG_GET_HEADERS = frozenset(
    vars(cls)["get_headers"]
    for cls in vars(werkzeug_exceptions).values()
    if isinstance(cls, type)
    and issubclass(cls, HTTPException)
    and "get_headers" in vars(cls)
)

#: URL map methods the URL binding and the remembered matches do the work of.
URL_MAP = StandIn("bind_to_environ", "bind", "update")
URL_MAP.capture(Map)

#: The URL adapter methods the URL binding and the remembered matches do the work of
#: (``match`` calls ``get_default_redirect`` for every match).
URL_ADAPTER = StandIn("__init__", "match", "get_default_redirect")
URL_ADAPTER.capture(MapAdapter)
_ADAPTER_MATCH = URL_ADAPTER.originals["match"]

#: The URL map's matcher, which ``MapAdapter.match`` asks and a remembered match
#: does not.
MATCHER = StandIn("match")
MATCHER.capture(StateMachineMatcher)

#: The constructor :func:`send_buffered` does the work of.
CLOSING_ITERATOR = StandIn("__init__", "__next__", "close")
CLOSING_ITERATOR.capture(ClosingIterator)

_SIGNAL_SEND = Signal.send


# What the plan depends on ---------------------------------------------------------

#: Config keys a fast-path decision reads, with the fast path and the reason.
CONFIG_READ: dict[str, str] = {
    "SERVER_NAME": "url_binding: the full binding restricts and builds with it",
    "TRUSTED_HOSTS": "url_binding: the full binding validates the host with it",
    "MAX_COOKIE_SIZE": "direct_response: the session cookie is checked against it",
    "DEBUG": "direct_response: JSON bodies are indented in debug mode",
    "SESSION_COOKIE_NAME": "deferred_session: whether the request has a session cookie",
}

#: Config keys no fast-path decision depends on: the code reading them runs the same
#: way on every path.
CONFIG_NOT_READ: dict[str, str] = {
    "TESTING": "read by error handling, which every path runs",
    "PROPAGATE_EXCEPTIONS": "read by error handling, which every path runs",
    "SECRET_KEY": "read by the session interface's own methods",
    "SECRET_KEY_FALLBACKS": "read by the session interface's own methods",
    "PERMANENT_SESSION_LIFETIME": "read by the session interface's own methods",
    "USE_X_SENDFILE": "read by send_file; file_response steps aside, per call, when set",
    "APPLICATION_ROOT": "read by the session interface and URL building",
    "SESSION_COOKIE_DOMAIN": "read by the session interface's own methods",
    "SESSION_COOKIE_PATH": "read by the session interface's own methods",
    "SESSION_COOKIE_HTTPONLY": "read by the session interface's own methods",
    "SESSION_COOKIE_SECURE": "read by the session interface's own methods",
    "SESSION_COOKIE_PARTITIONED": "read by the session interface's own methods",
    "SESSION_COOKIE_SAMESITE": "read by the session interface's own methods",
    "SESSION_REFRESH_EACH_REQUEST": "read by the session interface's own methods",
    "MAX_CONTENT_LENGTH": "read by the request object",
    "MAX_FORM_MEMORY_SIZE": "read by the request object",
    "MAX_FORM_PARTS": "read by the request object",
    "SEND_FILE_MAX_AGE_DEFAULT": "read by send_file, which every path runs",
    "TRAP_BAD_REQUEST_ERRORS": "read by error handling, which every path runs",
    "TRAP_HTTP_EXCEPTIONS": "read by error handling, which every path runs",
    "EXPLAIN_TEMPLATE_LOADING": "read by the template loader",
    "PREFERRED_URL_SCHEME": "read by URL building outside of requests",
    "TEMPLATES_AUTO_RELOAD": "read when the Jinja environment is created",
    "PROVIDE_AUTOMATIC_OPTIONS": "read when rules are added",
    "ASYNC_RUNNER": "read by async_to_sync, which every path calls",
}

#: Every signal the framework sends, and what skipping ``send`` depends on. Each is
#: sent through :func:`heard`, so a receiver or a replaced ``send`` gets it.
SIGNALS: dict[str, str] = {
    "request_started": "heard(); not sent is only skipped when nobody listens",
    "request_finished": "heard(); direct_response steps aside when it is heard",
    "request_tearing_down": "heard()",
    "got_request_exception": "heard()",
    "appcontext_tearing_down": "heard()",
    "appcontext_pushed": "heard()",
    "appcontext_popped": "heard()",
    "template_rendered": "heard()",
    "before_render_template": "heard()",
    "message_flashed": "heard()",
}

#: Setup methods whose registrations a fast path checks on every request, and which.
#: Every setup method also marks the plan stale.
REGISTRIES_CHECKED: dict[str, str] = {
    "after_request": "direct_response steps aside while after_request_funcs has any",
    "register_blueprint": "copies a blueprint's after_request functions, as above",
}

#: Setup methods whose registrations run the same way on every path.
REGISTRIES_NOT_CHECKED: frozenset[str] = frozenset(
    {
        "add_app_template_filter",
        "add_app_template_global",
        "add_app_template_test",
        "add_template_filter",
        "add_template_global",
        "add_template_test",
        "add_url_rule",
        "after_app_request",
        "app_context_processor",
        "app_errorhandler",
        "app_template_filter",
        "app_template_global",
        "app_template_test",
        "app_url_defaults",
        "app_url_value_preprocessor",
        "before_app_request",
        "before_request",
        "context_processor",
        "endpoint",
        "errorhandler",
        "record",
        "record_once",
        "register_error_handler",
        "route",
        "shell_context_processor",
        "teardown_app_request",
        "teardown_appcontext",
        "teardown_request",
        "template_filter",
        "template_global",
        "template_test",
        "url_defaults",
        "url_value_preprocessor",
        "delete",
        "get",
        "patch",
        "post",
        "put",
    }
)


# The plan -------------------------------------------------------------------------

_epochs = count(1)
_epoch_lock = threading.Lock()


def app_changed(app: Flask) -> None:
    """Mark ``app``'s plan stale. Called on attribute assignment and by every setup
    method; the next request builds a new plan."""
    with _epoch_lock:
        app.__dict__["_fast_path_epoch"] = next(_epochs)


def config_changed(config: t.Any) -> None:
    """Mark every plan built from ``config`` stale. Called by the config's writes."""
    with _epoch_lock:
        config.__dict__["_writes"] = next(_epochs)


class Plan:
    """The fast-path decisions for one application that only depend on what the
    application is told about (see the module's description).

    :param app: The application.
    """

    __slots__ = (
        "binds_directly",
        "bound_request_class",
        "config_writes",
        "epoch",
        "reasons",
        "responds_directly",
    )

    def __init__(self, app: Flask) -> None:
        # Read the stamps first: a change made while this plan is being built then
        # makes it stale at once instead of being lost.
        self.epoch: int = app._fast_path_epoch
        config = app.config
        self.config_writes: int = getattr(config, "_writes", 0)
        if not getattr(config, "_reports_writes", False):
            # A config class that does not report its writes: the plan can never be
            # trusted, so it is built again for every request.
            self.epoch = -1
        #: Why each fast path that is off is off.
        self.reasons: dict[str, str] = {}
        self.bound_request_class: type | None = None
        self.responds_directly = self._decide_direct_response(app)
        self.binds_directly = self._decide_url_binding(app)

    def _off(self, path: str, reason: str) -> bool:
        self.reasons[path] = reason
        return False

    def _decide_direct_response(self, app: Flask) -> bool:
        if not ENABLED:  # guard
            return self._off("direct_response", "FLASK_FAST_PATHS=0")
        overridden = LIFECYCLE.names & app.__dict__.keys()
        if overridden:  # guard
            names = ", ".join(sorted(overridden))
            return self._off("direct_response", f"{names} replaced on the app")
        return True

    def _decide_url_binding(self, app: Flask) -> bool:
        config = app.config
        if not ENABLED:  # guard
            return self._off("url_binding", "FLASK_FAST_PATHS=0")
        if config["SERVER_NAME"] is not None:  # guard
            return self._off("url_binding", "SERVER_NAME is set")
        if config["TRUSTED_HOSTS"] is not None:  # guard
            return self._off("url_binding", "TRUSTED_HOSTS is set")
        if app.subdomain_matching:  # guard
            return self._off("url_binding", "subdomain matching is on")
        request_class = app.request_class
        if inspect.getattr_static(request_class, "host", None) is not _HOST:  # guard
            return self._off("url_binding", "the request class defines its own host")
        #: The request class the URL binding was decided for.
        self.bound_request_class = request_class
        return True


def plan_for(app: Flask) -> Plan:
    """Return ``app``'s current plan, building a new one if anything it was built from
    has changed."""
    plan = app._fast_path_plan
    if (
        plan is not None
        and plan.epoch == app._fast_path_epoch
        and plan.config_writes == app.config._writes
    ):
        return plan
    plan = Plan(app)
    app.__dict__["_fast_path_plan"] = plan
    if plan.reasons and _log.isEnabledFor(logging.DEBUG):
        _log.debug(
            "Fast paths off for %r: %s",
            app.name,
            "; ".join(f"{path}: {why}" for path, why in plan.reasons.items()),
        )
    return plan


def describe(app: Flask) -> dict[str, str]:
    """Say which fast paths ``app`` gets: for each fast path, ``"on"`` or the reason
    it is off, as decided now (per-request conditions such as an
    :func:`~flask.after_this_request` function are not known here).

    ::

        >>> from flask import Flask, fastpaths
        >>> app = Flask(__name__)
        >>> app.config["SERVER_NAME"] = "example.com"
        >>> fastpaths.describe(app)["url_binding"]
        'SERVER_NAME is set'
    """
    plan = plan_for(app)
    report = {
        "direct_response": "on",
        "direct_json": "on",
        "response_objects": "on",
        "buffered_response": "on",
        "url_binding": "on",
        "remembered_matches": "on",
        "direct_matching": "on",
        "file_response": "on",
        "request_objects": "on",
        "request_cookies": "on",
        "deferred_session": "on",
        "session_payloads": "on",
        "request_close": "on",
        "caches": "on",
        "json_encoders": "on",
        "template_items": "on",
        "template_calls": "on",
        "template_escaping": "on",
    }
    report.update(plan.reasons)
    if not ENABLED:
        return dict.fromkeys(report, "FLASK_FAST_PATHS=0")
    cls = type(app)
    response_class = app.response_class
    changed_class = _response_class_changed(response_class)
    if report["direct_response"] == "on":
        changed = LIFECYCLE.changed_in(cls)
        if changed:
            report["direct_response"] = f"{', '.join(changed)} overridden or patched"
        elif changed_class:
            report["direct_response"] = changed_class
        elif not responses_kept():
            report["direct_response"] = _WERKZEUG_PATCHED
        elif any(app.after_request_funcs.values()):
            report["direct_response"] = "after_request functions are registered"
        elif heard(request_finished):
            report["direct_response"] = "request_finished is heard"
    if report["direct_response"] != "on":
        report["direct_json"] = "direct_response is off"
    elif not _json_directly(app):
        report["direct_json"] = "the JSON provider's response() is customised"
    if changed_class:
        report["response_objects"] = changed_class
    elif not responses_kept():
        report["response_objects"] = _WERKZEUG_PATCHED
    report["file_response"] = changed_class or _file_response_changed(response_class)
    if not SERIALIZATION.kept_by(response_class):
        changed = SERIALIZATION.changed_in(response_class)
        report["buffered_response"] = f"{', '.join(changed)} overridden or patched"
    if REQUEST_COOKIES.read(app.request_class) is not REQUEST_COOKIES.expected:
        report["request_cookies"] = "the request class customises cookies"
    elif ENVIRON_HEADERS.read(EnvironHeaders) != ENVIRON_HEADERS.expected:
        report["request_cookies"] = "EnvironHeaders.getlist or __iter__ is patched"
    if not defers_session(app):
        report["deferred_session"] = "the session interface is not the built-in one"
    if not compression_is_replaceable():
        report["session_payloads"] = "zlib or itsdangerous' dump_payload is patched"
    if REQUEST.read(app.request_class) != REQUEST.expected:
        report["request_objects"] = "the request class customises construction"
    if type(app.url_map) is not URL_MAP.owner or not URL_ADAPTER.kept_by(MapAdapter):
        report["remembered_matches"] = "the URL map or adapter class is customised"
    report["direct_matching"] = _matching_changed(app)
    report["template_items"] = _template_items_changed(app)
    if _jinja_context is not None and _jinja_context.call is not _jinja_call:
        report["template_calls"] = "jinja2.runtime.Context.call is patched"
    if template_escape is None:
        report["template_escaping"] = _NOT_MARKUPSAFE_ESCAPE
    elif changed_markup := _markup_changed():
        report["template_escaping"] = changed_markup
    if json_encoder(json, {"default": str}) is None:
        report["json_encoders"] = "json.dumps or json.JSONEncoder is patched"
    if not signing_is_replaceable(URLSafeTimedSerializer):
        report["caches"] = "itsdangerous, hmac.new or hashlib.sha1 is patched"
    return report


def _template_items_changed(app: Flask) -> str:
    # Why templates of the app look dict items up through Jinja's getattr, or "on".
    # Until a template is used Jinja is not imported, and nothing can have changed.
    if _jinja_environment is None:
        return "on"
    if _jinja_environment.getattr is not _jinja_getattr:
        return "jinja2.Environment.getattr is patched"
    environment = app.jinja_environment
    if not issubclass(environment, _environment):
        return "the environment class is not a flask.templating.Environment"
    if _overridden_after(environment):
        return "a class of the environment overrides getattr"
    return "on"


_WERKZEUG_PATCHED = "Werkzeug's response or Headers is patched"


def _matching_changed(app: Flask) -> str:
    # Why URLs are matched by Werkzeug's matcher and not by the direct walk, or "on".
    if type(app.url_map) is not URL_MAP.owner or not URL_ADAPTER.kept_by(MapAdapter):
        return "the URL map or adapter class is customised"
    matcher = app.url_map._matcher
    if type(matcher) is not StateMachineMatcher or not MATCHER.kept_by(type(matcher)):
        return "the URL map's matcher is customised"
    if _MATCHER_GLOBALS.get("re") is not re or re.compile is not _RE_COMPILE:
        return "re.compile is replaced"
    if app.url_rule_class is not Rule:
        return "url_rule_class is not Werkzeug's Rule"
    return "on"


def _response_class_changed(response_class: type) -> str:
    # Why the response class keeps the direct response and the directly built
    # response objects off, or "" when it does not.
    if response_class is not RESPONSE.owner:
        return "response_class is not flask.Response"
    if not RESPONSE.kept_by(response_class):
        return f"Response.{', '.join(RESPONSE.changed_in(response_class))} patched"
    return ""


def _file_response_changed(response_class: type) -> str:
    # Why the response for a file is made by Werkzeug's code, or "on". (Flask's own
    # response class is known to be the response class here.)
    if not responses_kept():
        return _WERKZEUG_PATCHED
    if not FILE_RESPONSE.kept_by(response_class):
        changed = FILE_RESPONSE.changed_in(response_class)
        return f"Response.{', '.join(changed)} patched"
    if not file_code_kept():
        return "Werkzeug's file, conditional or cache control code is patched"
    return "on"


# Signals ----------------------------------------------------------------------------


def heard(signal: Signal) -> bool:
    """Whether sending ``signal`` could reach anyone: a connected receiver, or a
    ``send`` method replaced on the signal or its class (mocks and tracing agents do
    that). The framework calls ``send`` only then. Always true with the fast paths
    off, so every signal is sent, as Flask does."""
    if not ENABLED:  # guard
        return True
    if signal.receivers:  # guard
        return True
    if "send" in signal.__dict__:  # guard
        return True
    if type(signal).send is not _SIGNAL_SEND:  # guard
        return True
    return False


# Coroutine functions ----------------------------------------------------------------

# Whether a callable is a coroutine function, remembered per callable (weakly).
_ISCOROUTINEFUNCTION = inspect.iscoroutinefunction
_coroutine_flags = PerObject(_ISCOROUTINEFUNCTION)


def is_coroutine_function(
    func: t.Any, check: t.Callable[[t.Any], bool] = inspect.iscoroutinefunction
) -> bool:
    """``check(func)``, for ``check`` :func:`inspect.iscoroutinefunction` (the name
    :mod:`flask.app` has for it, as Flask's, which a mock may replace): read from the
    code flags of a plain function (what ``inspect`` does for one without a coroutine
    mark), remembered for other callables."""
    if not ENABLED:  # guard
        return check(func)
    if check is not _ISCOROUTINEFUNCTION:  # guard
        return check(func)
    if type(func) is FunctionType and "_is_coroutine_marker" not in func.__dict__:
        return bool(func.__code__.co_flags & inspect.CO_COROUTINE)
    return _coroutine_flags(func)


# Bodies -----------------------------------------------------------------------------

# Builds an object without calling its class's __init__, for the objects the fast
# paths fill in themselves.
_new_object = object.__new__


def send_buffered(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    status: str,
    headers: list[tuple[str, str]],
    chunks: list[bytes],
    close: t.Callable[[], t.Any] | None = None,
) -> ClosingIterator:
    """Start the response and return its body as Werkzeug would: no chunks for a
    ``HEAD`` request, and ``close`` called when the server closes the body.

    The body is a :class:`~werkzeug.wsgi.ClosingIterator`, the type of body
    Werkzeug gives the server, which middleware and monitoring agents expect and
    trace. It is filled in directly, without the general constructor's argument
    handling (``tests/test_werkzeug_contract.py`` fails if Werkzeug changes the
    attributes this relies on).
    """
    start_response(status, headers)
    if environ["REQUEST_METHOD"] == "HEAD":
        chunks = []
    # The callers have checked that ClosingIterator is Werkzeug's (responses_kept).
    body: ClosingIterator = _new_object(ClosingIterator)
    body._next = iter(chunks).__next__
    body._callbacks = [] if close is None else [close]
    return body


def has_body(code: int) -> bool:
    """Whether a response with this status code has a body and keeps its
    ``Content-Length``: not 1xx, 204 or 304 (Werkzeug rewrites their headers)."""
    return 200 <= code < 600 and code != 204 and code != 304


_status_lines: BoundedCache[int, tuple[str | None, str]] = BoundedCache(256)


def _status_line(code: int) -> str:
    # What Werkzeug's status_code setter makes of a code. Remembered with the reason
    # it was made of, since an application may add codes to HTTP_STATUS_CODES.
    reason = HTTP_STATUS_CODES.get(code)
    known = _status_lines.get(code)
    if known is not None and known[0] is reason:
        return known[1]
    line = f"{code} {'UNKNOWN' if reason is None else reason.upper()}"
    return _status_lines.put(code, (reason, line))[1]


def _plain_header(value: str) -> bool:
    # Whether the headers object takes the value as it is (it refuses line breaks).
    return "\n" not in value and "\r" not in value


_content_types: BoundedCache[str, str] = BoundedCache(64)


def _content_type(mimetype: t.Any) -> str | None:
    # The Content-Type header Werkzeug's response constructor makes of a mimetype, or
    # None when only the constructor can say: the mimetype is not a string, the module
    # has another get_content_type, or the result is a value the headers object
    # refuses (with a ValueError).
    if type(mimetype) is not str:  # guard
        return None
    if _SANSIO_RESPONSE_GLOBALS["get_content_type"] is not get_content_type:  # guard
        return None
    content_type = _content_types.get(mimetype)
    if content_type is None:
        content_type = get_content_type(mimetype, "utf-8")
        if not _plain_header(content_type):  # guard
            return None
        _content_types.put(mimetype, content_type)
    return content_type


# The direct response ----------------------------------------------------------------


def may_respond_directly(app: Flask, plan: Plan, ctx: RequestContext) -> bool:
    """The part of the direct response's decision that does not depend on the view's
    return value: the plan allows it, neither the application's class nor the
    response class was changed since the plan was built, and :func:`responses_kept`
    holds. The last is remembered for the rest of the request in ``ctx``."""
    if not plan.responds_directly:  # guard
        return False
    if LIFECYCLE.read(type(app)) != LIFECYCLE.expected:  # guard
        return False
    if app.response_class is not RESPONSE.owner:  # guard
        return False
    kept = ctx._responses_kept = responses_kept()
    if not kept:  # guard
        return False
    return True


def responses_kept() -> bool:
    """Whether building and sending a response object would run the code the fast
    paths stand in for as it was defined: Flask's response class, Werkzeug's sans-IO
    response constructor, its headers class, and its body iterator (also as the
    class Werkzeug's response module makes bodies of).

    These are the same for every application. They are checked once when a request
    starts (by :func:`may_respond_directly`) and that answer holds for the rest of
    the request: a patch made while a request is being handled applies from the next
    one, as for the methods of the application's class.
    """
    if RESPONSE.read(RESPONSE.owner) != RESPONSE.expected:  # guard
        return False
    if SANSIO_RESPONSE.read(SansioResponse) is not SANSIO_RESPONSE.expected:  # guard
        return False
    if RESPONSE_HEADERS.read(Headers) != RESPONSE_HEADERS.expected:  # guard
        return False
    if CLOSING_ITERATOR.read(ClosingIterator) != CLOSING_ITERATOR.expected:  # guard
        return False
    if _WSGI_RESPONSE_GLOBALS["ClosingIterator"] is not ClosingIterator:  # guard
        return False
    return True


def _responses_kept_now() -> bool:
    # responses_kept(), as remembered for the current request or decided now.
    ctx = _cv_request.get(None)
    if ctx is not None and ctx._responses_kept:
        return True
    return responses_kept()


def respond_directly(
    app: Flask,
    plan: Plan,
    ctx: RequestContext,
    rv: t.Any,
    start_response: StartResponse,
) -> t.Iterable[bytes] | None:
    """Send ``rv`` as ``finalize_request`` and the response would, and return the body;
    or return ``None`` (nothing sent) when only the general path can send it.

    Handles ``str`` and ``dict`` bodies, alone or in a ``(body, status_code)`` tuple,
    and unhandled HTTP exceptions. The caller has checked
    :func:`may_respond_directly`.
    """
    status = "200 OK"
    kind = type(rv)
    if kind is tuple:
        if len(rv) != 2 or type(rv[1]) is not int:  # guard
            return None
        code = rv[1]
        if not has_body(code):  # guard
            return None
        status = _status_line(code)
        rv = rv[0]
        kind = type(rv)
        if kind is not str and kind is not dict:  # guard
            return None
    elif kind is not str and kind is not dict:
        if not isinstance(rv, HTTPException):  # guard
            return None
        if not session_unused(app, ctx):  # guard
            return None  # An HTTP error with a session to save.
        if not _quiet_response(app, ctx):  # guard
            return None
        return send_http_exception(rv, ctx.request.environ, start_response)
    if kind is dict and not _json_directly(app):  # guard
        return None
    if not _quiet_response(app, ctx):  # guard
        return None

    headers: list[tuple[str, str]]
    if kind is str:
        body = rv.encode()
        mimetype = RESPONSE.originals["default_mimetype"]
    else:
        body = app.json.response_text(rv).encode()  # type: ignore[attr-defined]
        mimetype = app.json.mimetype  # type: ignore[attr-defined]
    content_type = _content_type(mimetype)
    if content_type is None:  # guard
        return None
    headers = [("Content-Type", content_type)]
    headers.append(("Content-Length", str(len(body))))
    if ctx._opened_session is not None or not session_unused(app, ctx):
        saved = _save_session_directly(app, ctx)
        if saved is None:  # guard
            return None
        headers += saved
    return send_buffered(ctx.request.environ, start_response, status, headers, [body])


def _json_directly(app: Flask) -> bool:
    # The provider's response() is the built-in one, which sends response_text().
    provider = app.json
    attributes = provider.__dict__
    if "response" in attributes or "_prepare_response_obj" in attributes:  # guard
        return False
    if JSON.read(type(provider)) != JSON.expected:  # guard
        return False
    return True


def _quiet_response(app: Flask, ctx: RequestContext) -> bool:
    # Nothing would receive the response object: no after_request or
    # after_this_request function, nobody hearing request_finished.
    if ctx._after_request_functions:  # guard
        return False
    # (A scope may map to an empty list after in-place changes.)
    if any(app.after_request_funcs.values()):  # guard
        return False
    if heard(request_finished):  # guard
        return False
    return True


def session_unused(app: Flask, ctx: RequestContext) -> bool:
    """Whether saving the session can be skipped: it is still deferred (never used
    in this request) and the request carries no session cookie, so it is empty and
    unchanged."""
    if not ctx._session_pending:
        return False
    request = ctx.request
    # WSGI servers name the Cookie header's key HTTP_COOKIE (CGI's rule: upper case),
    # so without it there is no cookie; an environ that breaks that rule with a key
    # such as HTTP_cookie is not told apart here, only by request_cookies().
    if "HTTP_COOKIE" not in request.environ:
        return True
    return app.session_interface.get_cookie_name(app) not in request_cookies(request)


class _SessionHeaders:
    """What the built-in ``save_session`` is given instead of a response object: it
    records the headers that ``vary.add``, ``set_cookie`` and ``delete_cookie`` would
    add to a response that has no such headers yet, in the same order and with the
    same values."""

    __slots__ = ("headers", "max_cookie_size")

    def __init__(self, max_cookie_size: int) -> None:
        self.headers: list[tuple[str, str]] = []
        self.max_cookie_size = max_cookie_size

    @property
    def vary(self) -> _SessionHeaders:
        return self

    def add(self, value: str) -> None:
        # vary.add(value): a Vary header listing it.
        for index, (name, current) in enumerate(self.headers):
            if name == "Vary":
                if value.lower() not in current.lower().split(", "):
                    self.headers[index] = (name, f"{current}, {value}")
                return
        self.headers.append(("Vary", value))

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: t.Any = None,
        expires: t.Any = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        # Looked up where Werkzeug's set_cookie looks it up, so that a replacement is
        # called as well.
        cookie = _SANSIO_RESPONSE_GLOBALS["dump_cookie"](
            key,
            value=value,
            max_age=max_age,
            expires=expires,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            max_size=self.max_cookie_size,
            samesite=samesite,
            partitioned=partitioned,
        )
        if value:
            cookie = sendable_cookie(cookie)  # As flask.Response.set_cookie does.
        if "\n" in cookie or "\r" in cookie:
            # What Werkzeug's headers object says, refusing the header.
            raise ValueError("Header values must not contain newline characters.")
        self.headers.append(("Set-Cookie", cookie))

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        samesite: str | None = None,
        httponly: bool = False,
        partitioned: bool = False,
    ) -> None:
        self.set_cookie(
            key,
            expires=0,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )


def _save_session_directly(
    app: Flask, ctx: RequestContext
) -> list[tuple[str, str]] | None:
    # The headers saving the session adds, computed by the real save_session; None
    # when only a real response object will do.
    interface = app.session_interface
    if not defers_session(app):  # guard
        return None
    if RESPONSE_COOKIES.read(RESPONSE.owner) != RESPONSE_COOKIES.expected:  # guard
        return None
    if SANSIO_COOKIES.read(SansioResponse) != SANSIO_COOKIES.expected:  # guard
        return None
    session = ctx._open_deferred_session()
    if interface.is_null_session(session):
        return []
    recorder = _SessionHeaders(app.config["MAX_COOKIE_SIZE"])
    interface.save_session(app, session, recorder)  # type: ignore[arg-type]
    return recorder.headers


# HTTP errors -----------------------------------------------------------------------

_error_bodies: BoundedCache[tuple[int, str, str | None], bytes] = BoundedCache(64)


def send_http_exception(
    exc: HTTPException, environ: WSGIEnvironment, start_response: StartResponse
) -> t.Iterable[bytes]:
    """Send what ``exc(environ, start_response)`` sends, reusing the rendered error
    page: most error responses (the 404 of an unknown URL above all) have the same body
    every time. Only the direct response calls this, after :func:`responses_kept`."""
    code = exc.code
    if code is None:  # guard
        return exc(environ, start_response)
    if not has_body(code):  # guard
        return exc(environ, start_response)
    if exc.response is not None:  # guard
        return exc(environ, start_response)
    cls = type(exc)
    if HTTP_EXCEPTION.read(cls) != HTTP_EXCEPTION.expected:  # guard
        return exc(environ, start_response)
    if cls.get_headers not in _WERKZEUG_GET_HEADERS:  # guard
        return exc(environ, start_response)
    if not _EXCEPTION_METHODS.isdisjoint(exc.__dict__):  # guard
        return exc(environ, start_response)
    # The caller, the direct response, has checked responses_kept() for the rest.
    if WERKZEUG_RESPONSE.read(WerkzeugResponse) != WERKZEUG_RESPONSE.expected:  # guard
        return exc(environ, start_response)
    if _EXCEPTIONS_GLOBALS["escape"] is not _ESCAPE:  # guard
        return exc(environ, start_response)  # The remembered page would be stale.
    if _EXCEPTIONS_GLOBALS["Markup"] is not _MARKUP:  # guard
        return exc(environ, start_response)
    headers = list(exc.get_headers(environ))
    for header, value in headers:
        # Werkzeug's serialization would turn these into URLs or replace them; its
        # headers object refuses (with a ValueError) values with line breaks.
        if type(value) is not str or "\n" in value or "\r" in value:  # guard
            return exc(environ, start_response)
        if header.lower() in _REWRITTEN_HEADERS:  # guard
            return exc(environ, start_response)
    # The name on the page: Werkzeug's property reads it from HTTP_STATUS_CODES,
    # importing that on every call; a class may have a name of its own.
    name: t.Any = cls.name
    if name is _EXCEPTION_NAME:
        name = HTTP_STATUS_CODES.get(code, "Unknown Error")
    elif type(name) is not str:
        name = exc.name
    key = (code, name, exc.description)
    body = _error_bodies.get(key)
    if body is None:
        body = _error_bodies.put(key, exc.get_body(environ).encode())
    headers.append(("Content-Length", str(len(body))))
    return send_buffered(environ, start_response, _status_line(code), headers, [body])


# Werkzeug's HTTPException.name, a property.
_EXCEPTION_NAME = vars(HTTPException)["name"]

# The exception methods an instance attribute could replace.
_EXCEPTION_METHODS = HTTP_EXCEPTION.names | {"get_headers"}

# Headers Werkzeug's serialization of a response changes.
_REWRITTEN_HEADERS = frozenset({"location", "content-location", "content-length"})


# Response objects -------------------------------------------------------------------


def new_response(
    cls: type[R], body: t.Any, status: t.Any = None, mimetype: t.Any = None
) -> R | None:
    """Return ``cls(body, status=status, mimetype=mimetype)`` for a ``str`` or
    ``bytes`` body and an ``int`` or no status: the response object with the attributes
    Werkzeug's constructor sets filled in directly (``tests/test_werkzeug_contract.py``
    fails if Werkzeug's constructor changes what it sets). Return ``None`` when only
    the constructor can build it; the caller then calls ``cls`` as it would have."""
    if not ENABLED:  # guard
        return None
    # Flask's own response class, so no subclass adds a descriptor for an attribute
    # the constructor assigns.
    if cls is not RESPONSE.owner:  # guard
        return None
    if not _responses_kept_now():  # guard
        return None
    if _SANSIO_RESPONSE_GLOBALS["Headers"] is not Headers:  # guard
        return None  # The response's headers would be of that class.
    kind = type(body)
    if kind is not str and kind is not bytes:  # guard
        return None
    data = body.encode() if kind is str else body
    # The class's default_status, which RESPONSE holds unchanged.
    line = "200 OK"
    code = 200
    if status is not None:
        if type(status) is not int:  # guard
            return None
        line = _status_line(status)
        code = status
    if mimetype is None:
        mimetype = RESPONSE.originals["default_mimetype"]
    content_type = _content_type(mimetype)
    if content_type is None:  # guard
        return None
    headers: Headers = _new_object(Headers)
    headers._list = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    response: R = _new_object(cls)
    attributes = response.__dict__
    attributes["headers"] = headers
    attributes["_status"] = line
    attributes["_status_code"] = code
    attributes["direct_passthrough"] = False
    attributes["_on_close"] = []
    attributes["response"] = [data]
    return response


# The buffered response --------------------------------------------------------------


def send_response(
    response: Response, environ: WSGIEnvironment, start_response: StartResponse
) -> t.Iterable[bytes] | None:
    """Send ``response`` as Werkzeug's ``Response.__call__`` would and return the
    body; or return ``None`` (nothing sent) when only Werkzeug's general path can.

    Handles bodies that are a list of bytes, and 304 responses.
    """
    if not ENABLED:  # guard
        return None
    if not _responses_kept_now():  # guard
        return None
    if SERIALIZATION.read(type(response)) != SERIALIZATION.expected:  # guard
        return None
    if not SERIALIZATION.names.isdisjoint(response.__dict__):  # guard
        return None
    code = response.status_code
    if code == 304:
        return _send_not_modified(response, environ, start_response)
    if not has_body(code):  # guard
        return None
    chunks = response.response
    if type(chunks) is not list:  # guard
        return None
    if response.direct_passthrough:  # guard
        return None
    for chunk in chunks:
        if type(chunk) is not bytes:  # guard
            return None
    headers = response.headers.to_wsgi_list()
    has_length = False
    for key, _value in headers:
        lowered = key.lower()
        if lowered == "content-length":
            has_length = True
        elif lowered == "location" or lowered == "content-location":  # guard
            return None
    if not has_length and response.automatically_set_content_length:
        headers.append(("Content-Length", str(sum(map(len, chunks)))))
    return send_buffered(
        environ, start_response, response.status, headers, chunks, response.close
    )


def _send_not_modified(
    response: Response, environ: WSGIEnvironment, start_response: StartResponse
) -> t.Iterable[bytes] | None:
    # A 304 (typically a conditional static file request): no body, and none of the
    # entity headers except Expires and Content-Location. Closing the body still
    # closes the response, which closes the file behind it.
    headers = response.headers.to_wsgi_list()
    for key, _value in headers:
        if key.lower() in ("location", "content-location"):  # guard
            return None
    remove_entity_headers(headers)
    return send_buffered(
        environ, start_response, response.status, headers, [], response.close
    )


# Files from a directory -------------------------------------------------------------

# The namespaces Werkzeug's send_from_directory, send_file and make_conditional look
# names up in. The direct file response calls the functions they call where they look
# them up (the file wrapper, the clock, the date of the Date header, os, mimetypes), so
# that a replaced one is used as well; of the names whose work it does without calling
# them, or with results it remembers, it checks that they are the originals.
_UTILS_GLOBALS: dict[str, t.Any] = vars(werkzeug_utils)
_SANSIO_HTTP_GLOBALS: dict[str, t.Any] = vars(sansio_http)
_FILE_UTILS = itemgetter(
    "send_from_directory", "send_file", "safe_join", "Headers", "NotFound", "adler32"
)
_FILE_UTILS_KEPT = _FILE_UTILS(_UTILS_GLOBALS)
_CONDITIONAL = itemgetter("is_resource_modified", "parse_etags")
_CONDITIONAL_KEPT = _CONDITIONAL(_WSGI_RESPONSE_GLOBALS)
_CONDITIONAL_HTTP = itemgetter(
    "is_resource_modified", "parse_date", "parse_etags", "unquote_etag", "_dt_as_utc"
)
_CONDITIONAL_HTTP_KEPT = _CONDITIONAL_HTTP(_SANSIO_HTTP_GLOBALS)
_FILE_HEADERS = itemgetter(
    "Headers", "parse_cache_control_header", "ResponseCacheControl", "quote_etag"
)
_FILE_HEADERS_KEPT = _FILE_HEADERS(_SANSIO_RESPONSE_GLOBALS)
_SAFE_JOIN = _UTILS_GLOBALS["safe_join"]
_PARSE_DATE = _SANSIO_HTTP_GLOBALS["parse_date"]
_PARSE_ETAGS = _SANSIO_HTTP_GLOBALS["parse_etags"]
_AS_UTC = _SANSIO_HTTP_GLOBALS["_dt_as_utc"]
# What the response's Last-Modified and Expires properties format dates with.
_FORMATDATE = email.utils.formatdate
_DATE_PROPERTY_FORMAT = _SANSIO_RESPONSE_GLOBALS["http_date"]

#: The response class attributes ``send_file`` sets and ``make_conditional`` uses,
#: whose work the direct file response does. Captured by :mod:`flask.wrappers`.
FILE_RESPONSE = StandIn(
    "content_length",
    "last_modified",
    "expires",
    "accept_ranges",
    "cache_control",
    "set_etag",
    "make_conditional",
    "_process_range_request",
    "_is_range_request_processable",
    "status_code",
    "automatically_set_content_length",
)

#: What the Cache-Control header of a file response is made with.
CACHE_CONTROL = StandIn(
    "__init__", "to_header", "_set_cache_value", "no_cache", "public", "max_age"
)
CACHE_CONTROL.capture(ResponseCacheControl)

#: What an If-None-Match header is parsed into and compared with.
ETAGS = StandIn("__init__", "__bool__", "contains_weak", "is_weak", "contains")
ETAGS.capture(ETags)

# The keyword arguments flask's send_from_directory passes on when given none of its
# own but max_age.
_FILE_KWARGS = frozenset(
    {"max_age", "environ", "use_x_sendfile", "response_class", "_root_path"}
)

# A file name that Content-Disposition carries as it is: token characters only.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")

# The value _file_paths holds for a path that safe_join refuses.
_REFUSED = ("", "", "", "")

# (directory, path, root path) -> (the path send_from_directory checks, the path
# send_file opens, the file's name, the Content-Disposition value or "" when Werkzeug
# has to quote the name), or _REFUSED. Path operations only, so a pure function of the key.
_file_paths: BoundedCache[tuple[str, str, str], tuple[str, str, str, str]]
_file_paths = BoundedCache(1024)

# (opened path, mtime, size) -> (Last-Modified, ETag, the date that If-Modified-Since
# is compared with), as send_file and is_resource_modified make them.
_file_stamps: BoundedCache[tuple[str, float, int], tuple[str, str, t.Any]]
_file_stamps = BoundedCache(1024)

# (If-None-Match, unquoted ETag) -> (whether the tag matches, or None when the header
# names no tag: then If-Modified-Since decides).
_etag_verdicts: BoundedCache[tuple[str, str], tuple[bool | None]] = BoundedCache(1024)

# If-Modified-Since -> the date Werkzeug parses it as, or False.
_since_dates: BoundedCache[str, t.Any] = BoundedCache(256)


def file_code_kept() -> bool:
    """Whether the functions and classes Werkzeug's file sending uses, whose work
    the direct file response does, are the ones it was written for."""
    if _FILE_UTILS(_UTILS_GLOBALS) != _FILE_UTILS_KEPT:  # guard
        return False
    if _CONDITIONAL(_WSGI_RESPONSE_GLOBALS) != _CONDITIONAL_KEPT:  # guard
        return False
    if _CONDITIONAL_HTTP(_SANSIO_HTTP_GLOBALS) != _CONDITIONAL_HTTP_KEPT:  # guard
        return False
    if _FILE_HEADERS(_SANSIO_RESPONSE_GLOBALS) != _FILE_HEADERS_KEPT:  # guard
        return False
    if CACHE_CONTROL.read(ResponseCacheControl) != CACHE_CONTROL.expected:  # guard
        return False
    if ETAGS.read(ETags) != ETAGS.expected:  # guard
        return False
    if email.utils.formatdate is not _FORMATDATE:  # guard
        return False  # Last-Modified is remembered as it formats it.
    return True


def _file_path(directory: str, path: str, root: str) -> tuple[str, str, str, str]:
    key = (directory, path, root)
    known = _file_paths.get(key)
    if known is not None:
        return known
    joined = _SAFE_JOIN(directory, path)
    if joined is None:
        return _file_paths.put(key, _REFUSED)
    # send_from_directory joins the root path, and send_file joins it again.
    checked = os.path.join(root, joined)
    opened = os.path.join(root, checked)
    name = os.path.basename(opened)
    disposition = ""
    if _PLAIN_NAME.fullmatch(name) is not None:
        disposition = f"inline; filename={name}"
    return _file_paths.put(key, (checked, opened, name, disposition))


def _file_stamp(opened: str, mtime: float, size: int) -> tuple[str, str, t.Any]:
    key = (opened, mtime, size)
    known = _file_stamps.get(key)
    if known is None:
        last_modified = _DATE_PROPERTY_FORMAT(mtime)
        check = zlib.adler32(opened.encode()) & 0xFFFFFFFF
        compared = _PARSE_DATE(last_modified)
        if compared is not None:
            compared = _AS_UTC(compared.replace(microsecond=0))
        known = (last_modified, f'"{mtime}-{size}-{check}"', compared)
        _file_stamps.put(key, known)
    return known


def _not_modified(environ: WSGIEnvironment, etag: str, compared: t.Any) -> bool:
    # The negation of what is_resource_modified answers for a request without Range
    # and If-Match headers.
    unmodified = False
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        date = _since_dates.get(since)
        if date is None:
            date = _since_dates.put(since, _PARSE_DATE(since) or False)
        if date and compared and compared <= date:
            unmodified = True
    tags = environ.get("HTTP_IF_NONE_MATCH")
    if tags:
        key = (tags, etag[1:-1])
        known = _etag_verdicts.get(key)
        if known is None:
            parsed = _PARSE_ETAGS(tags)
            known = (parsed.contains_weak(key[1]) if parsed else None,)
            _etag_verdicts.put(key, known)
        if known[0] is not None:
            unmodified = known[0]
    return unmodified


def send_file_directly(
    directory: t.Any, path: t.Any, kwargs: dict[str, t.Any]
) -> Response | None:
    """Return what Werkzeug's ``send_from_directory(directory, path, **kwargs)``
    returns, or raise what it raises, for the arguments flask's
    :func:`~flask.send_from_directory` passes when given none but ``max_age``: the
    response for the file, with its headers and conditional answer (200 or 304),
    made directly.

    Return ``None``, before anything is done, when only Werkzeug's code can say: a
    Range or If-Match request, a method other than GET and HEAD, ``X-Sendfile``, or
    a class or function that code uses customised. What is only found on the way
    is handed to Werkzeug's function that would deal with it next: a file name that
    needs quoting to ``send_from_directory``; a ``max_age`` other than an ``int``,
    or a content type or encoding the headers refuse, to ``send_file``.
    """
    if not ENABLED:  # guard
        return None
    cls = kwargs["response_class"]
    if cls is not RESPONSE.owner:  # guard
        return None
    if not _FILE_KWARGS.issuperset(kwargs):  # guard
        return None
    if kwargs["use_x_sendfile"]:  # guard
        return None
    environ = kwargs["environ"]
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):  # guard
        return None
    if "HTTP_RANGE" in environ:  # guard
        return None
    if "HTTP_IF_MATCH" in environ:  # guard
        return None
    if not _responses_kept_now():  # guard
        return None
    if FILE_RESPONSE.read(cls) != FILE_RESPONSE.expected:  # guard
        return None
    if not file_code_kept():  # guard
        return None
    # From here on, what send_from_directory and send_file do, in their order.
    directory = os.fspath(directory)
    path = os.fspath(path)
    root = kwargs["_root_path"]
    checked, opened, name, disposition = _file_path(directory, path, root)
    if not checked:
        raise NotFound()
    if not disposition:  # guard
        return t.cast(
            "Response", _UTILS_GLOBALS["send_from_directory"](directory, path, **kwargs)
        )
    files = _UTILS_GLOBALS["os"]
    if not files.path.isfile(checked):
        raise NotFound()
    stat = files.stat(opened)
    size = stat.st_size
    mtime = stat.st_mtime
    mimetype, encoding = _UTILS_GLOBALS["mimetypes"].guess_type(name)
    max_age = kwargs["max_age"]
    if callable(max_age):
        max_age = max_age(opened)
    # Values only Werkzeug's headers and cache control know what to make of go to
    # its send_file, with max_age known now.
    if max_age is not None and type(max_age) is not int:  # guard
        return _send_file(checked, kwargs, max_age)
    content_type = _content_type(mimetype or "application/octet-stream")
    if content_type is None:  # guard
        return _send_file(checked, kwargs, max_age)
    if encoding is not None and not _plain_header(encoding):  # guard
        return _send_file(checked, kwargs, max_age)

    last_modified, etag, compared = _file_stamp(opened, mtime, size)
    body = _UTILS_GLOBALS["wrap_file"](environ, open(opened, "rb"))  # noqa: SIM115
    items = [
        ("Content-Disposition", disposition),
        ("Content-Type", content_type),
        ("Content-Length", str(size)),
        ("Last-Modified", last_modified),
    ]
    if encoding is not None:
        items.insert(0, ("Content-Encoding", encoding))
    if max_age is None:
        items.append(("Cache-Control", "no-cache"))
    else:
        public = "public" if max_age > 0 else "no-cache"
        items.append(("Cache-Control", f"{public}, max-age={max_age}"))
        expires = int(_UTILS_GLOBALS["time"]() + max_age)
        items.append(("Expires", _DATE_PROPERTY_FORMAT(expires)))
    items.append(("ETag", etag))
    items.append(("Date", _WSGI_RESPONSE_GLOBALS["http_date"]()))
    accepts = _accepts_ranges
    if accepts is None:
        accepts = _learn_accepts_ranges()
    if accepts:
        items.append(("Accept-Ranges", "bytes"))
    headers: Headers = _new_object(Headers)
    headers._list = items
    code = 304 if _not_modified(environ, etag, compared) else 200
    response: Response = _new_object(cls)
    attributes = response.__dict__
    attributes["headers"] = headers
    attributes["_status"] = _status_line(code)
    attributes["_status_code"] = code
    attributes["direct_passthrough"] = True
    attributes["_on_close"] = []
    attributes["response"] = body
    return response


# Whether make_conditional announces Accept-Ranges in a response to a request
# without Range: recent Werkzeug releases do, earlier 3.1 releases do not. None until
# a response Werkzeug made has shown it.
_accepts_ranges: bool | None = None


def _learn_accepts_ranges() -> bool:
    global _accepts_ranges
    probe = WerkzeugResponse()
    probe.make_conditional({"REQUEST_METHOD": "GET"}, True, 1)
    _accepts_ranges = "Accept-Ranges" in probe.headers
    return _accepts_ranges


def _send_file(checked: str, kwargs: dict[str, t.Any], max_age: t.Any) -> Response:
    # Werkzeug's send_file, called as send_from_directory calls it.
    rest = {**kwargs, "max_age": max_age}
    environ = rest.pop("environ")
    return t.cast("Response", _UTILS_GLOBALS["send_file"](checked, environ, **rest))


# The URL binding --------------------------------------------------------------------

# (Host header, scheme, server name, server port, script name) -> (request.host, the
# adapter's server name, the adapter's script name).
_bound_hosts: BoundedCache[tuple[t.Any, ...], tuple[str, str, str]] = BoundedCache(256)


def _url_text(value: str) -> str:
    # A WSGI string holding bytes as latin-1 characters, read as the UTF-8 URL text
    # it is (what Werkzeug does for paths). Callers test isascii() first: ASCII
    # strings are already the text.
    return value.encode("latin1").decode(errors="replace")


def _idna(name: str) -> str | None:
    # The host name as Werkzeug's binding encodes it, or None if it is not valid.
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return None


# flask.app's namespace, where create_url_adapter finds get_host and checked_host;
# set by capture_app_module. And werkzeug.routing.map's, where Map.bind_to_environ
# finds get_host and MapAdapter.
_app_globals: dict[str, t.Any] = {}
_MAP_GLOBALS: dict[str, t.Any] = vars(map_module)


def capture_app_module(namespace: dict[str, t.Any]) -> None:
    """Remember the namespace of :mod:`flask.app`. Called once, by that module."""
    global _app_globals
    _app_globals = namespace


def bind_url_adapter(app: Flask, request: Request) -> MapAdapter | None:
    """Build the adapter ``Map.bind_to_environ`` would build for the request (after
    ``create_url_adapter`` assigned the host), or return ``None`` when the general
    binding is needed: a WebSocket upgrade, a host that is not valid IDNA, a URL map
    or request class that is customised, or a plan that says so."""
    plan = plan_for(app)
    environ = request.environ
    if "HTTP_UPGRADE" in environ:  # guard
        return None
    url_map = app.url_map
    if url_map.host_matching:  # guard
        return None
    if URL_MAP.read(type(url_map)) != URL_MAP.expected:  # guard
        return None
    if URL_ADAPTER.read(MapAdapter) != URL_ADAPTER.expected:  # guard
        return None
    # The class of the request object itself, also when given the request proxy;
    # the plan binds none (bound_request_class is None) when binding directly is off.
    request_class = request.__class__
    if request_class is not plan.bound_request_class:  # guard
        return None
    if REQUEST.read(request_class) != REQUEST.expected:  # guard
        return None
    if "trusted_hosts" in vars(request):  # guard
        return None
    if _app_globals["get_host"] is not get_host:  # guard
        return None
    if _app_globals["checked_host"] is not checked_host:  # guard
        return None
    if _MAP_GLOBALS["get_host"] is not get_host:  # guard
        return None  # The remembered host would be stale.
    if _MAP_GLOBALS["MapAdapter"] is not MapAdapter:  # guard
        return None  # The adapter would be of that class.

    scheme = environ["wsgi.url_scheme"]
    script_name = environ.get("SCRIPT_NAME")
    key = (
        environ.get("HTTP_HOST"),
        scheme,
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        script_name,
    )
    known = _bound_hosts.get(key)
    if known is None:
        host = get_host(environ)
        name, colon, port = host.lower().partition(":")
        encoded = _idna(name)
        if encoded is None:  # guard
            return None  # The general binding raises Werkzeug's BadHost error.
        # The adapter's script name as MapAdapter's constructor makes it from what
        # bind_to_environ passes; WSGI strings carry bytes as latin-1 characters, and
        # URLs are UTF-8.
        if script_name is None:
            script_name = "/"
        elif not script_name.isascii():
            script_name = _url_text(script_name)
        if not script_name.endswith("/"):
            script_name += "/"
        known = _bound_hosts.put(key, (host, f"{encoded}{colon}{port}", script_name))
    # What assigning the host does: it is one of Werkzeug's cached properties.
    request.__dict__["host"] = known[0]

    # The adapter MapAdapter's constructor would make from what bind_to_environ
    # passes it, filled in directly; the path and query are decoded as the script
    # name is.
    path_info = environ.get("PATH_INFO")
    if path_info is None:
        path_info = "/"
    elif not path_info.isascii():
        path_info = _url_text(path_info)
    query = environ.get("QUERY_STRING")
    if query is not None and not query.isascii():
        query = _url_text(query)
    adapter: MapAdapter = _new_object(MapAdapter)
    adapter.map = url_map
    adapter.server_name = known[1]
    adapter.script_name = known[2]
    adapter.subdomain = url_map.default_subdomain or ""
    adapter.url_scheme = scheme
    adapter.path_info = path_info
    adapter.default_method = environ["REQUEST_METHOD"]
    adapter.query_args = query
    adapter.websocket = scheme in {"ws", "wss"}
    return adapter


# URL matching -----------------------------------------------------------------------

# Per URL map, the matches of rules without arguments, by the adapter's values the
# matcher's inputs come from. Such a match runs no converter, so it is a pure
# function of those values and of the map's rules.
_MatchCache = BoundedCache[tuple[t.Any, ...], tuple[t.Any, dict[str, t.Any]]]
_matches: PerObject[_MatchCache] = PerObject(lambda url_map: BoundedCache(1024))

# The URL map matched last and its cache: most processes serve one map, whose cache
# is then found without a lookup. A (weak reference, cache) pair, replaced as a whole,
# so a thread reading it never pairs one map with another map's cache.
_last_matches: tuple[t.Callable[[], t.Any], _MatchCache] = (
    lambda: None,
    BoundedCache(1),
)


def match(adapter: MapAdapter) -> tuple[t.Any, dict[str, t.Any]]:
    """Return what ``adapter.match(return_rule=True)`` returns (or raise what it
    raises), remembering the matches of rules without arguments (static paths, which
    most requests of most applications ask for) and finding the others, when it can,
    by the matcher's own walk (:func:`_match_directly`)."""
    if not ENABLED:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if type(adapter) is not MapAdapter:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if URL_ADAPTER.read(MapAdapter) != URL_ADAPTER.expected:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    # A match set on the adapter itself is called. (Asked through the attribute, not
    # the instance's __dict__: on Python 3.11 reading an object's __dict__ makes
    # every later attribute access on it slower, and matching reads many.)
    bound = adapter.match
    if type(bound) is not MethodType or bound.__self__ is not adapter:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if bound.__func__ is not _ADAPTER_MATCH:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    url_map = adapter.map
    if URL_MAP.read(type(url_map)) != URL_MAP.expected:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if type(url_map._matcher) is not StateMachineMatcher:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if MATCHER.read(StateMachineMatcher) is not MATCHER.expected:  # guard
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    if url_map._remap:  # guard
        # Rules were added since the map was last compiled: match (which compiles
        # it) and forget what was remembered.
        _matches(url_map).clear()
        return adapter.match(return_rule=True)  # type: ignore[return-value]
    # What MapAdapter.match computes the matcher's inputs from. (The query string
    # only goes into redirects, which are not remembered.)
    key = (
        url_map.host_matching,
        adapter.server_name,
        adapter.subdomain,
        adapter.path_info,
        adapter.default_method,
        adapter.websocket,
    )
    global _last_matches
    last = _last_matches
    if last[0]() is url_map:
        cache = last[1]
    else:
        cache = _matches(url_map)
        _last_matches = (weakref.ref(url_map), cache)
    known = cache.get(key)
    if known is not None:
        # A copy: url_value_preprocessor functions may change the view's arguments.
        return known[0], known[1].copy()
    found = _match_directly(adapter, url_map)
    if found is None:
        found = adapter.match(return_rule=True)  # type: ignore[assignment]
    rule, arguments = found  # type: ignore[misc]
    if not rule.arguments:
        cache.put(key, (rule, dict(arguments)))
    return rule, arguments


# Matching without the matcher's closures --------------------------------------------

# Werkzeug's matcher compiles each dynamic part's pattern with re.compile (through the
# name ``re`` of its module) on every request; a compiled pattern is a pure function of
# its source, so it is compiled here once, unless re.compile is not the original.
_MATCHER_GLOBALS: dict[str, t.Any] = vars(matcher_module)
_RE_COMPILE = re.compile

# Per pattern source: the compiled pattern and the names of its converter groups in
# the order the matcher hands their values to the converters, or None for a part with
# more than ten converters: Werkzeug releases before 3.1.9 order those groups by name
# as text, later ones by number, and the two orders agree up to ten.
_patterns: BoundedCache[str, tuple[re.Pattern[str], tuple[str, ...] | None]] = (
    BoundedCache(4096)
)

# The converters whose to_python is Werkzeug's own, a pure function of the value and
# the converter's settings: calling it again (when a ValidationError sends the request
# to the general path, which converts again) cannot be observed.
_PURE_TO_PYTHON: dict[type, t.Any] = {
    cls: cls.to_python
    for cls in (
        converters.UnicodeConverter,
        converters.AnyConverter,
        converters.PathConverter,
        converters.IntegerConverter,
        converters.FloatConverter,
        converters.UUIDConverter,
    )
}

# What the matcher's transitions hand on when a suffixed part matched its slash.
_TRAILING_SLASH = ("",)


class _GeneralPath(Exception):
    """The walk reached what the matcher raises SlashRequired for, or a part whose
    converter values only Werkzeug's matcher can order as it does."""


def _pattern(source: str) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    known = _patterns.get(source)
    if known is None:
        pattern = re.compile(source)
        names = sorted(
            (name for name in pattern.groupindex if name.startswith("__werkzeug_")),
            key=lambda name: int(name[11:]),
        )
        known = _patterns.put(
            source, (pattern, tuple(names) if len(names) <= 10 else None)
        )
    return known


def _walk(
    state: t.Any,
    parts: t.Sequence[str],
    at: int,
    method: str,
    websocket: bool,
    values: list[t.Any],
    mismatch: list[bool],
) -> tuple[Rule, list[t.Any]] | None:
    # StateMachineMatcher.match's depth-first walk over the states, for the parts from
    # ``at`` on: the same transitions tried in the same order, the same rule found.
    # Where the matcher would note a method or WebSocket mismatch (which only matters
    # when nothing matches), ``mismatch`` gets an entry; where it would raise
    # SlashRequired, _GeneralPath is raised.
    if at == len(parts):
        for rule in state.rules:
            if (rule.methods is not None and method not in rule.methods) or (
                rule.websocket != websocket
            ):
                mismatch.append(True)
            else:
                return rule, values
        if "" in state.static:
            for rule in state.static[""].rules:
                if websocket == rule.websocket and (
                    rule.methods is None or method in rule.methods
                ):
                    if rule.strict_slashes:
                        raise _GeneralPath
                    return rule, values
        return None
    part = parts[at]
    if part in state.static:
        found = _walk(
            state.static[part], parts, at + 1, method, websocket, values, mismatch
        )
        if found is not None:
            return found
    for test_part, following in state.dynamic:
        rest, rest_at = parts, at + 1
        target = part
        if test_part.final:
            target = "/".join(parts[at:])
            rest_at = len(parts)
        pattern, names = _pattern(test_part.content)
        matched = pattern.match(target)
        if matched is not None:
            if names is None:  # guard
                raise _GeneralPath
            if test_part.suffixed and matched.groups()[-1] == "/":
                rest, rest_at = _TRAILING_SLASH, 0
            found = _walk(
                following,
                rest,
                rest_at,
                method,
                websocket,
                [*values, *map(matched.group, names)],
                mismatch,
            )
            if found is not None:
                return found
    if part == "" and at == len(parts) - 1:
        for rule in state.rules:
            if rule.strict_slashes:
                continue
            if (rule.methods is not None and method not in rule.methods) or (
                rule.websocket != websocket
            ):
                mismatch.append(True)
            else:
                return rule, values
    return None


def _match_directly(
    adapter: MapAdapter, url_map: Map
) -> tuple[Rule, dict[str, t.Any]] | None:
    # What adapter.match(return_rule=True) returns, or raises for a plain 404, found
    # by the matcher's walk without its closures; None when the general path must
    # answer: a redirect (trailing slash, merged slashes, alias, default or
    # redirect_to), a 405 or WebSocket mismatch, a Rule subclass, a converter of the
    # app's own, a failed conversion, or a replaced re.compile.
    if _MATCHER_GLOBALS.get("re") is not re:  # guard
        return None
    if re.compile is not _RE_COMPILE:  # guard
        return None
    domain = adapter.server_name
    if not url_map.host_matching and adapter.subdomain is not None:
        domain = adapter.subdomain
    path_info = adapter.path_info
    path = f"/{path_info.lstrip('/')}" if path_info else ""
    mismatch: list[bool] = []
    try:
        found = _walk(
            url_map._matcher._root,
            [domain, *path.split("/")],
            0,
            adapter.default_method.upper(),
            adapter.websocket,
            [],
            mismatch,
        )
    except _GeneralPath:
        return None
    if found is None:
        if mismatch:  # guard
            return None  # A 405 or a WebSocket mismatch.
        if "//" in path:  # guard
            return None  # The matcher walks the path again with its slashes merged.
        # Werkzeug raises NotFound while handling the matcher's NoMatch.
        try:
            raise NoMatch(set(), False)
        except NoMatch:
            raise NotFound() from None
    rule, values = found
    if type(rule) is not Rule:  # guard
        return None
    converters_by_name = rule._converters
    for converter in converters_by_name.values():
        pure = _PURE_TO_PYTHON.get(type(converter))
        if type(converter).to_python is not pure:  # guard
            return None
    if rule.alias and url_map.redirect_defaults:  # guard
        return None
    if rule.redirect_to is not None:  # guard
        return None
    if url_map.redirect_defaults:
        # A rule of the same endpoint listed before this one may redirect to itself.
        same_endpoint = url_map._rules_by_endpoint.get(rule.endpoint)
        if not same_endpoint or same_endpoint[0] is not rule:  # guard
            return None
    result: dict[str, t.Any] = {}
    try:
        for name, value in zip(converters_by_name.keys(), values, strict=False):
            result[str(name)] = converters_by_name[name].to_python(value)
    except converters.ValidationError:
        return None
    if rule.defaults:
        result.update(rule.defaults)
    return rule, result


# Requests ---------------------------------------------------------------------------


# The module Werkzeug's request constructor finds EnvironHeaders in.
_WSGI_REQUEST_GLOBALS: dict[str, t.Any] = vars(wsgi_request)


# The attributes Werkzeug's request constructor assigns, and __setattr__, through
# which it assigns them.
_REQUEST_ASSIGNED = frozenset(
    {
        "__setattr__",
        "method",
        "scheme",
        "server",
        "root_path",
        "path",
        "query_string",
        "headers",
        "remote_addr",
        "environ",
        "shallow",
    }
)

# Per request class, whether a class in its MRO defines a name of _REQUEST_ASSIGNED,
# so that assigning the attributes directly would skip code that the constructor's
# assignments run. Decided once per class, from the classes as defined.
_request_assigns: BoundedCache[type, bool] = BoundedCache(64)


def _assigns_through_class(cls: type) -> bool:
    return any(
        not _REQUEST_ASSIGNED.isdisjoint(vars(klass))
        for klass in cls.__mro__
        if klass is not object
    )


def new_request(cls: type[Request], environ: WSGIEnvironment) -> Request:
    """Return ``cls(environ)``: the request object, with the attributes Werkzeug's
    constructor sets, filled in directly (``tests/test_werkzeug_contract.py`` fails if
    Werkzeug's constructor changes what it sets)."""
    if not ENABLED:  # guard
        return cls(environ)
    if REQUEST.read(cls) != REQUEST.expected:  # guard
        return cls(environ)
    if SANSIO_REQUEST.read(SansioRequest) != SANSIO_REQUEST.expected:  # guard
        return cls(environ)
    if cls is not REQUEST.owner:
        assigns = _request_assigns.get(cls)
        if assigns is None:
            assigns = _request_assigns.put(cls, _assigns_through_class(cls))
        if assigns:  # guard
            return cls(environ)  # An assignment the constructor makes would be seen.
    request = _new_object(cls)
    attributes = request.__dict__
    attributes["method"] = environ.get("REQUEST_METHOD", "GET").upper()
    attributes["scheme"] = environ.get("wsgi.url_scheme", "http")
    name = environ.get("SERVER_NAME")
    if name is None:
        attributes["server"] = None
    else:
        try:
            port: int | None = int(environ.get("SERVER_PORT", None))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            port = None
        attributes["server"] = (name, port)
    root_path = environ.get("SCRIPT_NAME") or ""
    if not root_path.isascii():
        root_path = _url_text(root_path)
    attributes["root_path"] = root_path.rstrip("/")
    path = environ.get("PATH_INFO") or ""
    if not path.isascii():
        path = _url_text(path)
    attributes["path"] = "/" + path.lstrip("/")
    attributes["query_string"] = environ.get("QUERY_STRING", "").encode("latin1")
    # Looked up where Werkzeug's constructor looks it up, so that a replaced class
    # is used as well.
    attributes["headers"] = _WSGI_REQUEST_GLOBALS["EnvironHeaders"](environ)
    attributes["remote_addr"] = environ.get("REMOTE_ADDR")
    attributes["environ"] = environ
    attributes["shallow"] = False
    environ["werkzeug.request"] = request
    return request


# The module Werkzeug's cookies property finds parse_cookie in.
_SANSIO_REQUEST_GLOBALS: dict[str, t.Any] = vars(sansio_request)


def _cookie_headers(keys: tuple[t.Any, ...]) -> list[t.Any]:
    # The environ keys that Werkzeug's EnvironHeaders presents as a header named
    # "Cookie" (in any case): an HTTP_ key other than the two content ones, whose
    # rest, with "_" read as "-", title-cased, lower-cases to "cookie".
    return [
        key
        for key in keys
        if key.startswith("HTTP_")
        and key not in {"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"}
        and key[5:].replace("_", "-").title().lower() == "cookie"
    ]


# Per tuple of environ keys, whether HTTP_COOKIE is the only one that can be a
# Cookie header: servers send the same keys with every request.
_plain_cookie_keys: BoundedCache[tuple[t.Any, ...], bool] = BoundedCache(256)


def request_cookies(request: Request) -> t.Any:
    """Return ``request.cookies``, Werkzeug's cached property, computed from the
    ``HTTP_COOKIE`` key of the environ instead of by searching every header for
    ``Cookie`` (which title-cases the name of each one).

    That property joins the values of every header named ``Cookie`` in any case;
    which environ keys those are depends only on the keys, so it is worked out once
    per set of keys, and when ``HTTP_COOKIE`` is not the only one (or the request or
    header class is customised) the property runs.
    """
    if not ENABLED:  # guard
        return request.cookies
    if REQUEST_COOKIES.read(type(request)) is not REQUEST_COOKIES.expected:  # guard
        return request.cookies
    cached = request.__dict__.get("cookies")
    if cached is not None:
        return cached
    headers = request.headers
    if type(headers) is not EnvironHeaders:  # guard
        return request.cookies
    if ENVIRON_HEADERS.read(EnvironHeaders) != ENVIRON_HEADERS.expected:  # guard
        return request.cookies
    if "getlist" in headers.__dict__:  # guard
        return request.cookies
    environ = headers.environ
    if type(environ) is not dict:  # guard
        return request.cookies
    keys = tuple(environ)
    plain = _plain_cookie_keys.get(keys)
    if plain is None:
        try:
            plain = set(_cookie_headers(keys)) <= {"HTTP_COOKIE"}
        except (AttributeError, TypeError):  # A key that is not a string.
            plain = False
        _plain_cookie_keys.put(keys, plain)
    if not plain:  # guard
        return request.cookies
    value = environ.get("HTTP_COOKIE", "")
    if type(value) is not str:  # guard
        return request.cookies
    cookies = _SANSIO_REQUEST_GLOBALS["parse_cookie"](
        value, cls=request.dict_storage_class
    )
    # Where the cached property keeps its value.
    request.__dict__["cookies"] = cookies
    return cookies


# Sessions and requests --------------------------------------------------------------


def defers_session(app: Flask) -> bool:
    """Whether the session may be opened on first use instead of at push, and saved
    into a direct response: the built-in cookie interface, its class not subclassed
    or patched and nothing set on the instance, only reads the request's cookie and
    only adds ``Vary`` and ``Set-Cookie`` headers."""
    if not ENABLED:  # guard
        return False
    interface = app.session_interface
    if type(interface) is not SESSION.owner:  # guard
        return False
    if interface.__dict__:  # guard
        return False
    if SESSION.read(SESSION.owner) != SESSION.expected:  # guard
        return False
    return True


# Session payloads -------------------------------------------------------------------
#
# itsdangerous compresses every session payload with zlib and keeps the compressed
# form only when it is at least two bytes shorter. Setting up a zlib stream costs far
# more than the rest of signing a small payload, so for payloads where the compressed
# form provably cannot be that short the call is skipped. The proof rests on the
# DEFLATE format alone, not on what zlib's encoder happens to choose:
#
# - zlib adds 6 bytes (a 2-byte header and a 4-byte checksum) around the DEFLATE data,
#   and DEFLATE data holding any byte is at least 3 bytes long (block header, one
#   literal, end of block). So up to 10 bytes nothing can win.
# - DEFLATE shortens text by back-references of at least 3 bytes to earlier text, so
#   a payload in which no 3 bytes occur twice is coded as literals only.
# - Literals coded with any prefix code take at least the payload's entropy: n * H
#   bits in total for n bytes (Gibbs' inequality). Fixed-code blocks spend 8 bits or
#   more per literal; a block with its own code spends at least 32 bits on its header
#   and end code. Splitting the payload into k blocks saves at most n * log2(k) bits
#   of entropy and costs at least 10 bits per extra block; _split_saving bounds that.


def _split_saving(size: int) -> float:
    # The most splitting `size` literals into several blocks can save, in bits.
    return max(
        size * math.log2(blocks) - 10 * (blocks - 1) for blocks in range(1, size + 2)
    )


def _needed_entropy(size: int) -> float:
    # The entropy in bits that `size` literal bytes must have for every DEFLATE coding
    # of them to be too long: shorter means at most size - 8 bytes of DEFLATE data,
    # 8 * (size - 8) bits; the margin keeps rounding in the logarithms on the safe side.
    return 8 * (size - 8) + 1e-6 - 32 + _split_saving(size)


def _xlog2x(count: int) -> float:
    return count * math.log2(count) if count else 0.0


#: Payloads longer than this are always compressed: even one of all different bytes
#: has too little entropy for the proof (from 23 bytes on).
_MOST_CHECKED = max(
    size for size in range(11, 64) if _xlog2x(size) > _needed_entropy(size)
)
_NEEDED_ENTROPY = [_needed_entropy(size) for size in range(_MOST_CHECKED + 1)]
_XLOG2X = [_xlog2x(count) for count in range(_MOST_CHECKED + 1)]
_XLOG2X_AT = _XLOG2X.__getitem__

_COMPRESS = zlib.compress
_URL_SAFE_DUMP_PAYLOAD = URLSafeSerializerMixin.dump_payload


def compression_is_replaceable() -> bool:
    """Whether the session serializer may skip :func:`zlib.compress` for a payload
    that :func:`cannot_shrink`: itsdangerous' URL-safe ``dump_payload`` is the one
    it stands in for, and neither ``zlib.compress`` nor the ``zlib`` itsdangerous
    calls is replaced (a mock counting the calls would notice)."""
    if not ENABLED:  # guard
        return False
    if URLSafeTimedSerializer.dump_payload is not _URL_SAFE_DUMP_PAYLOAD:  # guard
        return False
    if vars(_url_safe).get("zlib") is not zlib:  # guard
        return False
    if zlib.compress is not _COMPRESS:  # guard
        return False
    return True


def signing_is_replaceable(serializer_class: type) -> bool:
    """Whether the session interface may keep its signing serializer, signers and
    derived keys between requests and sign from HMAC states prepared per key:
    ``serializer_class`` (:mod:`flask.sessions`' ``URLSafeTimedSerializer``, which a
    mock may replace) is itsdangerous' own, whose serializer, signer and HMAC classes
    are as defined, and neither :func:`hashlib.sha1`, :func:`hmac.new` nor
    itsdangerous' ``hmac`` is replaced."""
    if not ENABLED:  # guard
        return False
    if serializer_class is not URLSafeTimedSerializer:  # guard
        return False
    if SERIALIZER.read(URLSafeTimedSerializer) != SERIALIZER.expected:  # guard
        return False
    if SIGNER.read(TimestampSigner) != SIGNER.expected:  # guard
        return False
    if HMAC.read(HMACAlgorithm) != HMAC.expected:  # guard
        return False
    if hashlib.sha1 is not _SHA1:  # guard
        return False
    if vars(_signer).get("hmac") is not hmac:  # guard
        return False
    if hmac.new is not _HMAC_NEW:  # guard
        return False
    return True


def cannot_shrink(payload: bytes) -> bool:
    """Whether ``zlib.compress(payload)`` is certainly not shorter than
    ``len(payload) - 1`` bytes, so that itsdangerous would send ``payload`` itself.
    False when that cannot be shown cheaply; see the comment above for the proof."""
    size = len(payload)
    if size <= 10:
        return True
    if size > _MOST_CHECKED:
        return False
    distinct = set(payload)
    repeats = size - len(distinct)
    # Three bytes occurring twice put at least three repeats in the payload: the two
    # occurrences overlap in at most two places, and where they do, one byte occurs
    # three or four times. So with at most two repeats there is nothing to look for.
    if repeats > 2:
        triples = zip(payload, payload[1:], payload[2:], strict=False)
        if len(set(triples)) != size - 2:
            return False  # Three bytes repeated: a back-reference could shorten it.
    # The entropy is n * log2(n) less the sum of c * log2(c) over each byte's count
    # c. With the number of different bytes fixed, that sum is largest when one byte
    # takes every repeat (c * log2(c) is convex), so the entropy is at least what
    # that case leaves, which usually suffices without counting.
    needed = _NEEDED_ENTROPY[size]
    if _XLOG2X[size] - _XLOG2X[repeats + 1] > needed:
        return True
    entropy_bits = _XLOG2X[size] - sum(map(_XLOG2X_AT, map(payload.count, distinct)))
    return entropy_bits > needed


def needs_close(request: Request) -> bool:
    """Whether ``request.close()`` must be called when the request ends: unless it
    is Werkzeug's, which only closes parsed files, and no files were parsed."""
    if not ENABLED:  # guard
        return True
    if "files" in request.__dict__:  # guard
        return True
    if "close" in request.__dict__:  # guard
        return True
    if REQUEST.read(type(request)) != REQUEST.expected:  # guard
        return True
    return False


# JSON encoders ----------------------------------------------------------------------

_JSON_DUMPS = json.dumps
_JSON_ENCODER = json.JSONEncoder
_JSON_ENCODER_INIT = json.JSONEncoder.__init__

# The options json.dumps gives the encoder it makes, before the caller's.
_DUMPS_DEFAULTS: dict[str, t.Any] = {
    "skipkeys": False,
    "ensure_ascii": True,
    "check_circular": True,
    "allow_nan": True,
    "indent": None,
    "separators": None,
    "default": None,
    "sort_keys": False,
}

# Per tuple of options: the encoder json.dumps would make for them. An encoder keeps
# nothing from one encode() to the next, so one serves every call with those options.
_json_encoders: BoundedCache[tuple[t.Any, ...], json.JSONEncoder] = BoundedCache(32)


def json_encoder(module: t.Any, options: dict[str, t.Any]) -> json.JSONEncoder | None:
    """The encoder whose ``encode(obj)`` returns what ``module.dumps(obj, **options)``
    returns, made once per set of options; or ``None`` when only calling ``dumps`` can
    say: ``module`` is not the standard :mod:`json` module, ``json.dumps`` or
    ``json.JSONEncoder`` was replaced or its constructor patched, the options name an
    encoder class, give no ``default`` or cannot be a key."""
    if not ENABLED:  # guard
        return None
    if module is not json:  # guard
        return None
    if json.dumps is not _JSON_DUMPS:  # guard
        return None
    if json.JSONEncoder is not _JSON_ENCODER:  # guard
        return None
    if _JSON_ENCODER.__init__ is not _JSON_ENCODER_INIT:  # guard
        return None
    if "cls" in options or options.get("default") is None:  # guard
        return None  # json.dumps would use that class, or its shared encoder.
    try:
        key = tuple(options.items())
        encoder = _json_encoders.get(key)
    except TypeError:
        return None  # An option that cannot be hashed.
    if encoder is None:
        try:
            made = _JSON_ENCODER(**{**_DUMPS_DEFAULTS, **options})
        except TypeError:
            return None  # An unknown option: json.dumps raises the same error.
        encoder = _json_encoders.put(key, made)
    return encoder


# Templates --------------------------------------------------------------------------

# flask.templating.Environment, Jinja's Environment and Jinja's getattr as defined,
# and Jinja's Context and its call; set by capture_templates, since Jinja is only
# imported once templates are used.
_environment: t.Any = None
_jinja_environment: t.Any = None
_jinja_getattr: t.Any = None
_jinja_context: t.Any = None
_jinja_call: t.Any = None


def capture_templates(
    environment: type, jinja_environment: type, jinja_context: type
) -> None:
    """Remember the application's Jinja environment class, Jinja's own, whose
    ``getattr`` :func:`template_getattr` stands in for, and Jinja's context class,
    whose ``call`` :func:`template_call` stands in for. Called once, by
    :mod:`flask.templating`."""
    global _environment, _jinja_environment, _jinja_getattr
    global _jinja_context, _jinja_call
    _environment = environment
    _jinja_environment = jinja_environment
    _jinja_getattr = jinja_environment.getattr  # type: ignore[attr-defined]
    _jinja_context = jinja_context
    _jinja_call = jinja_context.call  # type: ignore[attr-defined]


def template_call(
    __self: t.Any, __obj: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any
) -> t.Any:
    """Call ``__obj`` for a template, as :meth:`jinja2.runtime.Context.call` does.

    Jinja first looks for a ``jinja_pass_arg`` attribute (set by
    :func:`jinja2.pass_context` and its siblings) on the callable and on its
    ``__call__``. On a bound method of a plain function both lookups end in the
    function's ``__dict__``, but each goes through raising and catching an
    :exc:`AttributeError`; here that dict is read instead, and without the attribute
    the method is called as Jinja would call it. Anything else, and any call while
    ``Context.call`` is patched, goes to Jinja's (or the patched) method.
    """
    if __debug__:
        __traceback_hide__ = True  # noqa: F841  (read by debuggers)
    if not ENABLED:  # guard
        pass
    elif type(__obj) is not MethodType:  # guard
        pass
    elif type(__obj.__func__) is not FunctionType:  # guard
        pass
    elif "jinja_pass_arg" in __obj.__func__.__dict__:  # guard
        pass
    elif _jinja_context.call is not _jinja_call:  # guard
        pass
    else:
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a"
                " StopIteration exception"
            )
    return _jinja_context.call(__self, __obj, *args, **kwargs)


def template_getattr(env: t.Any, obj: t.Any, attribute: str) -> t.Any:
    """Look up ``obj.attribute`` for a template, as Jinja does: the attribute
    first, then the item, then an undefined value.

    For a plain :class:`dict` whose class has no such attribute, the attribute
    lookup is known to fail, so the item is looked up straight away; that spares
    raising and catching an :exc:`AttributeError` for every ``{{ row.name }}`` on
    dict rows. Jinja's lookup runs instead when it has been patched on
    :class:`jinja2.Environment` or is overridden by a class that comes between
    :class:`flask.templating.Environment` and Jinja's class in the environment's MRO
    (a sandboxed environment, for instance).
    """
    # The method itself (flask.templating.Environment.getattr), so that its checks
    # cost no further call on a lookup templates make for every {{ a.b }}.
    if not ENABLED:  # guard
        pass
    elif _jinja_environment.getattr is not _jinja_getattr:  # guard
        pass
    elif type(env) is not _environment and _overridden_after(type(env)):  # guard
        pass
    elif type(obj) is not dict or attribute in _DICT_ATTRIBUTES:  # guard
        # What super() would find, as the checks above have shown.
        return _jinja_getattr(env, obj, attribute)
    else:
        try:
            return obj[attribute]
        except (TypeError, LookupError):
            return env.undefined(obj=obj, name=attribute)
    return super(_environment, env).getattr(obj, attribute)


def _overridden_after(cls: type) -> bool:
    # Whether a class between flask.templating.Environment and Jinja's comes in the
    # lookup of getattr after the former, in the MRO of a subclass of it.
    mro = cls.__mro__
    return mro[mro.index(_environment) + 1] is not _jinja_environment


_DICT_ATTRIBUTES = frozenset(dir(dict))


# Escaping in templates ---------------------------------------------------------------

# What Markup(text) runs, as markupsafe defines it, and the function markupsafe 3
# escapes text with (named here as there, for the code of _escaping; markupsafe 2
# has its escape in C, and templates keep that one).
_MARKUP_NEW = Markup.__new__
_escape_inner: t.Callable[[str], str] = vars(markupsafe).get("_escape_inner", str)
_OBJECT_INIT = object.__init__


def _markup_changed() -> str:
    # Why Markup(text) may no longer amount to str.__new__(Markup, text) for a str,
    # for the Markup class markupsafe.escape would use now; "" when it does.
    markup = markupsafe.Markup
    if markup.__new__ is not _MARKUP_NEW:  # guard
        return "markupsafe's Markup.__new__ is patched or overridden"
    if markup.__init__ is not _OBJECT_INIT:  # guard
        return "markupsafe's Markup.__init__ is patched or overridden"
    return ""


def _escaping(
    kept: bool,
    str_new: t.Callable[[type[Markup], str], Markup],
    original: t.Callable[[t.Any], Markup],
) -> t.Callable[[t.Any], Markup]:
    # markupsafe.escape, without the call of Markup's Python constructor for the
    # values templates print most, where all it does is str.__new__. type(), not
    # __class__, as in markupsafe, since a proxy reports the class of its object.
    # ``kept`` is a closure cell that refresh_templates() sets.
    def escape(s: t.Any, /) -> Markup:
        kind = type(s)
        if kind is not str and kind is not int:  # guard
            return original(s)
        if not kept:  # guard
            return original(s)
        return str_new(Markup, _escape_inner(s if kind is str else str(s)))

    return escape


_NOT_MARKUPSAFE_ESCAPE = "markupsafe.escape is not markupsafe 3's own function"


def _template_escape() -> tuple[t.Callable[[t.Any], Markup] | None, t.Any]:
    # The escape templates get and the cell of its ``kept``, or (None, None) if
    # markupsafe.escape is not markupsafe 3's own function (replaced before flask
    # was imported, or markupsafe 2's, written in C). It runs with markupsafe's
    # namespace as its globals, so that Markup and _escape_inner are whatever
    # markupsafe.escape would read at the time of the call, replaced or not.
    original = markupsafe.escape
    namespace = vars(markupsafe)
    if type(original) is not FunctionType or original.__globals__ is not namespace:
        return None, None
    if "_escape_inner" not in namespace:
        return None, None
    written = _escaping(not _markup_changed(), str.__new__, original)
    escape = FunctionType(
        written.__code__, namespace, "escape", None, written.__closure__
    )
    escape.__module__ = __name__
    escape.__qualname__ = "template_escape"
    cells = written.__closure__ or ()
    kept = cells[written.__code__.co_freevars.index("kept")]
    return t.cast("t.Callable[[t.Any], Markup]", escape), kept


#: markupsafe's escape as imported with flask, which template_escape stands in for.
markupsafe_escape = markupsafe.escape
#: What compiled templates call to escape a printed value, or None (see above).
template_escape, _escape_kept = _template_escape()


def speed_up_escaping(template: t.Any) -> None:
    """Give ``template`` (a compiled :class:`jinja2.Template`) :data:`template_escape`
    in place of :func:`markupsafe.escape`, which Jinja's generated code imports into
    the template's namespace; its blocks and macros share that namespace.

    A template that imported another escape (``jinja2.runtime.escape`` patched
    before it was compiled) keeps it, and nothing changes with fast paths off.
    """
    if not ENABLED or template_escape is None:  # guard
        return
    namespace = template.root_render_func.__globals__
    if namespace.get("escape") is not markupsafe_escape:  # guard
        return
    namespace["escape"] = template_escape


def refresh_templates() -> None:
    """Check what :data:`template_escape` relies on; called when a render starts
    (by :class:`flask.templating.Context`), so that a patch applies from the next
    render on. ``Markup.__new__`` or ``Markup.__init__`` patched, or ``Markup``
    replaced by a class that overrides them, makes templates escape through
    :func:`markupsafe.escape`."""
    if _escape_kept is not None:
        _escape_kept.cell_contents = not _markup_changed()
