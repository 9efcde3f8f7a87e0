"""Module attributes that are imported on first use.

``import flask`` does not import Jinja: an application that never renders a
template, uses a template filter or asks for a loader does not pay for it. The
modules whose attributes Flask's own import makes available from Jinja's side
(``flask.render_template``, ``flask.sansio.app.Environment``,
``flask.sansio.scaffold.FileSystemLoader``, ...) offer them through a
:class:`Deferred` set as the module's ``__getattr__``.

A deferred name, once read, is stored in the module's namespace, so it is an
ordinary module attribute from then on. The code of the module reads it through
:meth:`Deferred.get`, which looks in the namespace first: a value set on the module
(``mock.patch("flask.sansio.app.DispatchingJinjaLoader")``) is the one used, as
with a name imported at the top of the module.
"""

from __future__ import annotations

import importlib
import typing as t


class Deferred:
    """The deferred attributes of one module.

    :param namespace: The module's ``globals()``.
    :param source: The absolute name of the module the attributes come from.
    :param names: The attribute names, which are the same in both modules.
    """

    __slots__ = ("_namespace", "_source", "names")

    def __init__(
        self, namespace: dict[str, t.Any], source: str, names: t.Iterable[str]
    ) -> None:
        self._namespace = namespace
        self._source = source
        self.names = frozenset(names)

    def __call__(self, name: str) -> t.Any:
        """Import the attribute ``name`` and store it in the module (the module's
        ``__getattr__``).

        :raises AttributeError: ``name`` is not a deferred attribute.
        """
        if name not in self.names:
            module = self._namespace["__name__"]
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(self._source), name)
        self._namespace[name] = value
        return value

    def get(self, name: str) -> t.Any:
        """The module's attribute ``name``, imported if it was not yet."""
        try:
            return self._namespace[name]
        except KeyError:
            return self(name)

    def dir(self) -> list[str]:
        """The module's attribute names, the deferred ones included (the module's
        ``__dir__``)."""
        return sorted({*self._namespace, *self.names})
