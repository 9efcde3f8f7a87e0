"""The parts of the framework that do not depend on WSGI: registration of routes,
hooks, handlers and blueprints. The WSGI-facing classes in :mod:`flask.app` and
:mod:`flask.blueprints` build on these."""
