"""The object a production WSGI server serves: ``jotter.wsgi:app``.

Gunicorn, uWSGI and Waitress all take that name; docs/deployment.rst shows the
commands, and examples/blog/deploy/ holds their settings files.

Settings come from ``JOTTER_*`` environment variables, read once when the server
imports this module: ``JOTTER_SECRET_KEY`` (required outside your own machine),
``JOTTER_DATABASE`` (the SQLite file, created beforehand with
``flask --app jotter init-db``) and ``JOTTER_PROXY_HOPS``.

``JOTTER_PROXY_HOPS`` says how many reverse proxies (nginx, a load balancer) stand in
front of the server. When it is set, the ``X-Forwarded-*`` headers those proxies add
are believed, so that the client's address, ``https`` and the public host name and
path prefix show up in ``request`` and in the URLs the application builds. Leave it unset when clients
talk to the server directly: they could otherwise lie in those headers.
"""

from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

from . import create_app

app = create_app()

_hops = int(app.config.get("PROXY_HOPS", 0))
if _hops:
    # Wrap wsgi_app rather than app, so ``app`` stays the Flask object.
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=_hops, x_proto=_hops, x_host=_hops, x_prefix=_hops
    )
