"""Jotter for several servers sharing one Redis: ``jotter_redis:app``.

The documented ``jotter.wsgi:app``, with its sessions and a cache of the public feed
kept in Redis instead of in the processes, so that any instance can answer any
request: a login made through one is valid on all, a logout through one ends the
session everywhere, and a feed page one of them rendered is served by the others.
The blog itself does not need these extensions; this module adds them::

    pip install -r requirements/deploy.txt   # Flask-Session, Flask-Caching, redis
    JOTTER_REDIS_URL=redis://127.0.0.1:6379/0 gunicorn ... jotter_redis:app

``JOTTER_REDIS_URL`` names the Redis database; every instance must use the same one,
and the same ``JOTTER_SECRET_KEY`` and ``JOTTER_DATABASE`` as well.
"""

from __future__ import annotations

import redis
from flask_caching import Cache
from flask_session import Session
from jotter.wsgi import app

from flask import request
from flask import Response
from flask import session

# The cache entry holding the rendered feed (Flask-Caching adds CACHE_KEY_PREFIX).
FEED_KEY = "feed"

_url = app.config["REDIS_URL"]
app.config.update(
    SESSION_TYPE="redis",
    SESSION_REDIS=redis.Redis.from_url(_url),
    SESSION_KEY_PREFIX="jotter:session:",
    CACHE_TYPE="RedisCache",
    CACHE_REDIS_URL=_url,
    CACHE_KEY_PREFIX="jotter:cache:",
    # New entries clear the cache at once (see below); this bounds what an edit made
    # straight in the database takes to show.
    CACHE_DEFAULT_TIMEOUT=300,
)
Session(app)
cache = Cache(app)


def _personal() -> bool:
    """Whether this visitor's feed differs from everyone's: a logged-in author sees
    their name, and anyone may have a message waiting to be shown once."""
    return "author_id" in session or "_flashes" in session


# Only the anonymous, message-free feed is cached; everyone else gets it fresh.
app.view_functions["entries.feed"] = cache.cached(
    key_prefix=FEED_KEY, unless=_personal
)(app.view_functions["entries.feed"])


@app.after_request
def _forget_the_feed(response: Response) -> Response:
    """Drop the cached feed once an entry has been written, edited or deleted (those
    forms answer with a redirect when they succeed), on whichever instance."""
    if (
        request.method == "POST"
        and request.blueprint == "entries"
        and response.status_code == 302
    ):
        cache.delete(FEED_KEY)
    return response
