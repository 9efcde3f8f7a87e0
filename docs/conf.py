"""Sphinx configuration for the documentation of this Flask implementation.

Build the pages with ``sphinx-build -W -b html docs docs/_build/html`` and run every
example in them with ``sphinx-build -W -b doctest docs docs/_build/doctest``.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

# Document the package in this checkout, even when another copy is installed.
sys.path.insert(
    0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src"))
)

project = "Flask (independent implementation)"
copyright = "2026, the authors of this project"
author = "The authors of this project"
release = metadata.version("flask")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
]

exclude_patterns = ["_build"]
root_doc = "index"

# -- API reference -----------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autodoc_class_signature = "mixed"

# -- Runnable examples -------------------------------------------------------

# Each page's examples run in one namespace, top to bottom. Nothing is imported for
# them: every page imports what it shows, so the examples can be copied as they are.
# Only ``__name__`` is set, to what it would be in a module of the reader's project
# that is not importable from here, so ``Flask(__name__)`` behaves as in a script:
# the application's root path is the current folder.
doctest_global_setup = '__name__ = "docs_example"'
doctest_test_doctest_blocks = ""
trim_doctest_flags = True

# -- HTML ----------------------------------------------------------------------

html_theme = "furo"
html_title = f"Flask {release} (independent implementation)"
html_static_path: list[str] = []


# -- Local adjustments -------------------------------------------------------


def _no_signature_for_proxies() -> None:
    """Let autodoc document the context proxies (``flask.request`` and friends).

    Autodoc asks every callable object for its signature. A Werkzeug ``LocalProxy``
    looks callable, and outside of a context it answers any attribute lookup with a
    RuntimeError instead of an AttributeError, so autodoc would report an error. Treat
    proxies as having no signature, which is the truth for the documentation.
    """
    from sphinx.util import inspect as sphinx_inspect
    from werkzeug.local import LocalProxy

    original = sphinx_inspect.signature

    def signature(subject, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(subject, LocalProxy):
            raise TypeError("a context proxy has no signature")
        return original(subject, *args, **kwargs)

    sphinx_inspect.signature = signature


def _drop_type_docstrings(app, what, name, obj, options, lines):  # type: ignore[no-untyped-def]
    """Module and class data documented without a doc comment would otherwise show
    the docstring of its type (``dict``, ``frozenset``...), which says nothing about
    the name. The directive's own text describes it instead."""
    if what not in {"data", "attribute"} or isinstance(obj, type) or not lines:
        return
    try:
        type_doc = type(obj).__doc__
    except Exception:
        return
    if type_doc and " ".join(lines).split() == type_doc.split():
        lines[:] = []


from flask import signals as _flask_signals  # noqa: E402 - after the sys.path change

# Names under which Flask's own documentation describes objects that this reference
# documents at another import path. Other projects' intersphinx references use Flask's
# names (``:data:`flask.request_started```), so each is written to objects.inv too,
# pointing at our entry: {Flask's name: the name documented here}.
FLASK_DOC_NAMES = {
    **{
        f"flask.{name}": f"flask.signals.{name}"
        for name in _flask_signals.__all__
        if name != "Namespace"
    },
    "flask.json.jsonify": "flask.jsonify",
    "flask.blueprints.BlueprintSetupState": "flask.sansio.blueprints.BlueprintSetupState",
}


def _add_flask_doc_names(app, env):  # type: ignore[no-untyped-def]
    """Enter each of :data:`FLASK_DOC_NAMES` in the Python domain as an alias of the
    entry it names, once every page is read. Aliases are what ``:canonical:`` creates:
    they resolve and go into objects.inv, but stay out of the search index."""
    from sphinx.domains.python import ObjectEntry
    from sphinx.util import logging

    domain = env.get_domain("py")
    for alias, documented in FLASK_DOC_NAMES.items():
        entry = domain.objects.get(documented)
        if entry is None:
            logging.getLogger(__name__).warning(
                "FLASK_DOC_NAMES: %s is not documented, so %s cannot point to it",
                documented,
                alias,
            )
            continue
        domain.objects[alias] = ObjectEntry(
            entry.docname, entry.node_id, entry.objtype, aliased=True
        )


def setup(app):  # type: ignore[no-untyped-def]
    _no_signature_for_proxies()
    app.connect("autodoc-process-docstring", _drop_type_docstrings)
    app.connect("env-updated", _add_flask_doc_names)
