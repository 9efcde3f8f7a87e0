"""The documented ``jotter.wsgi:app`` plus one diagnostic route, for the proxy tests.

``GET /_probe`` answers with what the application believes about the request after any
``ProxyFix`` has run: the client's address, the scheme, the host, the mount point, and
the external URL that ``url_for`` builds for the feed. Servers import this module as
``probe_app:app`` (the tests put this folder on ``PYTHONPATH``).
"""

from __future__ import annotations

from jotter.wsgi import app

from flask import request
from flask import url_for


@app.get("/_probe")
def probe() -> dict[str, str | None]:
    return {
        "remote_addr": request.remote_addr,
        "scheme": request.scheme,
        "host": request.host,
        "script_root": request.script_root,
        "feed_url": url_for("entries.feed", _external=True),
    }
