"""Type aliases for the callables and values an application hands to the framework.

Annotate views, hooks and handlers with these to let a type checker verify what they
return. They describe shapes only; nothing here is checked at run time.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIApplication  # noqa: F401
    from werkzeug.datastructures import Headers  # noqa: F401
    from werkzeug.sansio.response import Response  # noqa: F401

# Private building blocks. The public aliases below are unions of these; typing
# flattens nested unions, so the public aliases list their members in full.

_P = t.ParamSpec("_P")
_R = t.TypeVar("_R")

# A hook written either as a plain function or as a coroutine function: both take
# ``_P``, and the coroutine's result is awaited to get the ``_R``.
_SyncOrAsync = t.Union[t.Callable[_P, _R], t.Callable[_P, t.Awaitable[_R]]]
# The same for callables whose arguments are not checked at all. (Substituting ``...``
# for ``_P`` above would not give mypy the exact ``Callable[..., _R]`` form.)
_AnyArgsSyncOrAsync = t.Union[t.Callable[..., _R], t.Callable[..., t.Awaitable[_R]]]

# Bodies serialized to JSON. Mapping rather than dict, so TypedDicts are accepted.
_JSONBody = t.Union[list[t.Any], t.Mapping[str, t.Any]]
# Bodies sent piece by piece, from a generator or an async generator.
_SyncStream = t.Union[t.Iterator[str], t.Iterator[bytes]]
_AsyncStream = t.Union[cabc.AsyncIterable[str], cabc.AsyncIterable[bytes]]

#: What a view may return as the body of its response.
ResponseValue = t.Union["Response", str, bytes, _JSONBody, _SyncStream, _AsyncStream]

#: One header value: a string, or several strings for a repeated header.
HeaderValue = t.Union[str, list[str], tuple[str, ...]]

# Headers given as ``(name, value)`` pairs, in order.
_HeaderPairs = t.Sequence[tuple[str, HeaderValue]]

#: The headers part of a response tuple.
HeadersValue = t.Union["Headers", t.Mapping[str, HeaderValue], _HeaderPairs]

# The tuple forms a view may return: the body plus headers, a status, or both.
_BodyHeaders = tuple[ResponseValue, HeadersValue]
_BodyStatus = tuple[ResponseValue, int]
_BodyStatusHeaders = tuple[ResponseValue, int, HeadersValue]

#: Everything a view may return: a body, a tuple adding status and/or headers, or a
#: WSGI application.
ResponseReturnValue = t.Union[
    ResponseValue, _BodyHeaders, _BodyStatus, _BodyStatusHeaders, "WSGIApplication"
]

#: Bound to the response class so ``after_request`` functions keep their exact type.
ResponseClass = t.TypeVar("ResponseClass", bound="Response")

#: Key of the per-scope hook registries: ``None`` for the application, else a dotted
#: blueprint name.
AppOrBlueprintKey = t.Optional[str]

AfterRequestCallable = _SyncOrAsync[[ResponseClass], ResponseClass]
BeforeFirstRequestCallable = _SyncOrAsync[[], None]
# Returning a value other than None ends the request with that response.
BeforeRequestCallable = _SyncOrAsync[[], t.Optional[ResponseReturnValue]]
ShellContextProcessorCallable = t.Callable[[], dict[str, t.Any]]
TeardownCallable = _SyncOrAsync[[t.Optional[BaseException]], None]
TemplateContextProcessorCallable = _SyncOrAsync[[], dict[str, t.Any]]
TemplateFilterCallable = t.Callable[..., t.Any]
TemplateGlobalCallable = t.Callable[..., t.Any]
TemplateTestCallable = t.Callable[..., bool]
URLDefaultCallable = t.Callable[[str, dict[str, t.Any]], None]
URLValuePreprocessorCallable = t.Callable[
    [t.Optional[str], t.Optional[dict[str, t.Any]]], None
]

#: Error handlers get the exception; ``Any`` lets each handler annotate the exception
#: type it handles.
ErrorHandlerCallable = _SyncOrAsync[[t.Any], ResponseReturnValue]

#: A view function: any arguments (the URL values), any accepted return value.
RouteCallable = _AnyArgsSyncOrAsync[ResponseReturnValue]
