"""Class-based views: views written as classes, for sharing behaviour through
inheritance and for dispatching on the HTTP method."""

from __future__ import annotations

import typing as t

from . import typing as ft
from .globals import current_app
from .globals import request

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: The method names :class:`MethodView` dispatches to.
http_method_funcs = frozenset(
    ["get", "post", "head", "options", "delete", "put", "trace", "patch"]
)


class View:
    """Base class for class-based views.

    Subclass it, implement :meth:`dispatch_request`, and register the function that
    :meth:`as_view` returns::

        class Hello(View):
            init_every_request = False

            def dispatch_request(self, name):
                return f"Hello, {name}!"

        app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))

    The class attributes set the registration options of the generated view function.
    """

    #: The methods the view accepts; ``["GET"]`` when ``None``.
    methods: t.ClassVar[t.Collection[str] | None] = None

    #: Whether ``OPTIONS`` requests are answered automatically; the application's
    #: ``PROVIDE_AUTOMATIC_OPTIONS`` when ``None``.
    provide_automatic_options: t.ClassVar[bool | None] = None

    #: Decorators applied, in order, to the function :meth:`as_view` creates, as if
    #: written above it (the first one ends up innermost). Decorating the class itself
    #: would not affect the generated function.
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []

    #: Create a new instance for every request. Set to ``False`` to create one instance
    #: in :meth:`as_view` and reuse it, which is faster but means instance attributes
    #: are shared between requests (use :data:`~flask.g` for per-request data).
    init_every_request: t.ClassVar[bool] = True

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Handle a request, like a view function: receives the URL's values as keyword
        arguments and returns a response value."""
        raise NotImplementedError()

    @classmethod
    def as_view(
        cls, name: str, *class_args: t.Any, **class_kwargs: t.Any
    ) -> ft.RouteCallable:
        """Create a view function for this class, to pass to
        :meth:`~flask.Flask.add_url_rule`.

        The function instantiates the class with ``class_args`` and ``class_kwargs``
        (for every request, or once; see :attr:`init_every_request`) and calls
        :meth:`dispatch_request`. It has the attributes ``view_class``, ``methods`` and
        ``provide_automatic_options``, and the name ``name``, which becomes the
        endpoint by default.

        :param name: The function's name.
        :param class_args: Positional arguments for the constructor.
        :param class_kwargs: Keyword arguments for the constructor.
        """
        if cls.init_every_request:

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                instance = view.view_class(  # type: ignore[attr-defined]
                    *class_args, **class_kwargs
                )
                return current_app.ensure_sync(instance.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        else:
            shared = cls(*class_args, **class_kwargs)

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                return current_app.ensure_sync(shared.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        if cls.decorators:
            # Decorators may read these while wrapping.
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        # Set after decorating, so the attributes end up on the outermost function.
        view.view_class = cls  # type: ignore[attr-defined]
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods  # type: ignore[attr-defined]
        view.provide_automatic_options = cls.provide_automatic_options  # type: ignore[attr-defined]
        return view


class MethodView(View):
    """A class-based view that dispatches each request to the method named after the
    HTTP method: ``get`` for GET, ``post`` for POST, and so on. ``HEAD`` uses ``get``
    when there is no ``head`` method.

    :attr:`methods` is filled in from the methods the class (and its bases) define, so
    the route answers other methods with 405 Method Not Allowed::

        class CounterAPI(MethodView):
            def get(self):
                return str(session.get("counter", 0))

            def post(self):
                session["counter"] = session.get("counter", 0) + 1
                return redirect(url_for("counter"))

        app.add_url_rule("/counter", view_func=CounterAPI.as_view("counter"))
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)

        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            methods.update(getattr(base, "methods", None) or ())
        methods.update(name.upper() for name in http_method_funcs if hasattr(cls, name))
        if methods:
            cls.methods = methods

    def dispatch_request(self, **kwargs: t.Any) -> ft.ResponseReturnValue:
        handler = getattr(self, request.method.lower(), None)
        if handler is None and request.method == "HEAD":
            handler = getattr(self, "get", None)
        if handler is None:
            raise AssertionError(
                f"Unimplemented method {request.method!r}: define a"
                f" '{request.method.lower()}' method on {type(self).__name__}."
            )
        return current_app.ensure_sync(handler)(**kwargs)  # type: ignore[no-any-return]
