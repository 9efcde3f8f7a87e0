"""An application with many routes, for the scale benchmark.

:func:`build` makes an app with ``count`` routes in a mix a real application has:
static paths, ``int``, ``str`` and ``path`` converters, spread over the app itself and
four blueprints with a ``url_prefix``. :func:`probes` names the requests timed on it:
the first, the middle and the last route registered, and a URL that matches none.
"""

from __future__ import annotations

import typing as t

#: The blueprints' URL prefixes; route ``i`` goes to the app when ``i % 5 == 0``, else
#: to blueprint ``i % 5``.
PREFIXES = ("", "/api", "/shop", "/blog", "/admin")
#: A URL no route matches, though it starts like many of them.
MISSING = "/api/items9/extra/nothing/here"


def _rule(index: int) -> tuple[str, str]:
    """The rule of route ``index`` (without the blueprint's prefix) and a path that
    matches it."""
    kind = (index // len(PREFIXES)) % 5
    if kind == 0:
        return f"/pages{index}/about", f"/pages{index}/about"
    if kind == 1:
        return f"/items{index}/<int:item_id>", f"/items{index}/42"
    if kind == 2:
        return f"/users{index}/<name>/profile", f"/users{index}/alice/profile"
    if kind == 3:
        return f"/files{index}/<path:subpath>", f"/files{index}/docs/a/b.txt"
    return f"/docs{index}/guide/intro", f"/docs{index}/guide/intro"


def _view(**values: t.Any) -> str:
    return "ok"


def build(flask: t.Any, count: int) -> t.Any:
    """An app of the given ``flask`` module with ``count`` routes."""
    app = flask.Flask("routes_app", static_folder=None)
    blueprints = [
        flask.Blueprint(f"part{number}", "routes_app", url_prefix=prefix)
        for number, prefix in enumerate(PREFIXES[1:], 1)
    ]
    for index in range(count):
        rule, _path = _rule(index)
        scope = index % len(PREFIXES)
        owner = app if scope == 0 else blueprints[scope - 1]
        owner.add_url_rule(rule, f"route{index}", _view)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app


def path_of(index: int) -> str:
    """The URL path that route ``index`` answers."""
    return PREFIXES[index % len(PREFIXES)] + _rule(index)[1]


def probes(count: int) -> dict[str, tuple[str, str]]:
    """The timed requests, by name: ``(path, expected status code)``."""
    return {
        "first": (path_of(0), "200"),
        "middle": (path_of(count // 2), "200"),
        "last": (path_of(count - 1), "200"),
        "404": (MISSING, "404"),
    }
