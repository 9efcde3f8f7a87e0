"""Two Gunicorn instances of Jotter behind nginx, sharing sessions and a cache in Redis.

Redis (Debian's redis-server), both instances and nginx are started as
docs/deployment.rst shows, with the files from examples/blog/deploy/: the instances
serve ``jotter_redis:app`` with the same secret key, database and Redis. nginx hands
requests to the instances in turn; some tests talk to one instance directly, to
choose which one answers. Which instance answered a request through nginx is read
from the instances' logs (the request carries ``?probe=<token>``).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

import pytest

redis = pytest.importorskip("redis")
pytest.importorskip("flask_session")
pytest.importorskip("flask_caching")

SITE = "nginx-site-scaled.conf"
SESSION_PREFIX = "jotter:session:"
FEED_KEY = "jotter:cache:feed"
DEADLINE = 20.0


def start_instances(launcher, database: Path, store_port: int, count: int = 2):
    """``count`` instances of the blog on one database and one Redis, trusting one
    proxy in front of them."""
    return [
        launcher.blog(
            "gunicorn-redis",
            database=database,
            REDIS_URL=f"redis://127.0.0.1:{store_port}/0",
            PROXY_HOPS="1",
        )
        for _ in range(count)
    ]


def answered_by(instances, token: str):
    """The instance whose log shows the request with ``?probe=<token>`` (servers log
    after answering, so this polls)."""
    deadline = time.monotonic() + DEADLINE
    while True:
        found = [server for server in instances if server.logged(token)]
        if found:
            [server] = found
            return server
        assert time.monotonic() < deadline, f"no instance logged probe {token}"
        running = [server for server in instances if server.process.poll() is None]
        running[0].pause()


def read_as(visitor, instances, handle: str):
    """Read the members-only page as ``visitor``, check it shows ``handle`` logged in,
    and return the instance that served it."""
    token = uuid.uuid4().hex
    page = visitor.get(f"/write?probe={token}")
    assert (page.status, page.title, page.whoami) == (200, "New entry", handle)
    return answered_by(instances, token)


@pytest.fixture(scope="module")
def store_server(module_launcher):
    module_launcher.find_nginx()
    return module_launcher.redis()


@pytest.fixture(scope="module")
def store(store_server):
    client = redis.Redis(port=store_server.port)
    yield client
    client.close()


@pytest.fixture(scope="module")
def database(module_launcher) -> Path:
    return module_launcher.folder / "shared.sqlite3"


@pytest.fixture(scope="module")
def instances(module_launcher, database, store_server):
    return start_instances(module_launcher, database, store_server.port)


@pytest.fixture(scope="module")
def proxy(module_launcher, instances, certificate):
    server, options = module_launcher.nginx(SITE, instances, certificate)
    return lambda: server.visitor(**options)


def test_the_session_is_kept_in_redis_and_the_cookie_only_names_it(
    instances, store
) -> None:
    ada = instances[0].visitor()
    ada.join("ada", "lovelace-1843")
    session_id = ada.cookies["session"]
    assert store.exists(SESSION_PREFIX + session_id)
    # Not a signed copy of the data, as Flask's own cookie sessions are.
    assert "." not in session_id


def test_a_login_through_one_instance_is_honoured_by_the_other(instances) -> None:
    first, second = instances
    grace = first.visitor()
    grace.join("grace", "hopper-1906")
    elsewhere = second.visitor(cookies=dict(grace.cookies))
    page = elsewhere.get("/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "grace")


def test_through_nginx_one_visitor_is_served_by_both_instances(
    proxy, instances
) -> None:
    hedy = proxy()
    hedy.join("hedy", "frequency-hopping")
    served: set[int] = set()
    deadline = time.monotonic() + DEADLINE
    while len(served) < 2:
        assert time.monotonic() < deadline, "nginx kept to one instance"
        served.add(read_as(hedy, instances, "hedy").port)
    assert served == {server.port for server in instances}


def test_a_logout_through_one_instance_ends_the_session_on_both(instances) -> None:
    first, second = instances
    alan = first.visitor()
    alan.join("alan", "turing-1912")
    copied = dict(alan.cookies)

    alan.port = second.port
    logged_out = alan.post("/account/logout", {})
    assert (logged_out.status, logged_out.location) == (302, "/")

    # Someone who kept the cookie (a second tab, a thief) is logged out as well,
    # whichever instance they reach. With sessions in signed cookies, the old cookie
    # would still be good.
    for server in instances:
        stale = server.visitor(cookies=dict(copied)).get("/write")
        assert stale.status == 302
        assert stale.location == "/account/login?next=/write"


def test_a_cached_feed_is_shared_and_a_new_entry_clears_it(
    proxy, instances, store, database
) -> None:
    first, second = instances
    store.delete(FEED_KEY)
    ida = proxy()
    ida.join("ida", "rhodes-1900")
    ida.get("/")  # shows, and so clears, the welcome message

    rendered = first.visitor().get("/")
    assert rendered.status == 200
    assert store.exists(FEED_KEY)
    # An entry written behind the application's back, straight into the database.
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO entry (author_id, headline, content)"
            " SELECT id, 'Behind the cache', 'unseen' FROM author WHERE handle = 'ida'"
        )
    # The other instance has never rendered the feed, yet it answers with the page
    # the first one cached: without the new entry.
    shared = second.visitor().get("/")
    assert shared.text == rendered.text
    assert "Behind the cache" not in shared.text
    # Logged-in authors get the page fresh, with their name on it.
    own = ida.get("/")
    assert (own.whoami, "Behind the cache" in own.text) == ("ida", True)

    written = ida.post("/write", {"headline": "Through the door", "content": "seen"})
    assert written.status == 302
    assert not store.exists(FEED_KEY)
    for server in instances:
        fresh = server.visitor().get("/")
        assert "Through the door" in fresh.text
        assert "Behind the cache" in fresh.text


def test_killing_an_instance_mid_run_loses_no_session(
    launcher, store_server, certificate
) -> None:
    database = launcher.folder / "crash.sqlite3"
    doomed, survivor = start_instances(launcher, database, store_server.port)
    server, options = launcher.nginx(SITE, [doomed, survivor], certificate)
    # The login is made by the instance that is going to die.
    direct = doomed.visitor()
    direct.join("katherine", "johnson-1918")
    katherine = server.visitor(**options, cookies=dict(direct.cookies))

    served: set[int] = set()
    deadline = time.monotonic() + DEADLINE
    while len(served) < 2:
        assert time.monotonic() < deadline, "nginx kept to one instance"
        served.add(read_as(katherine, [doomed, survivor], "katherine").port)

    doomed.kill()
    # nginx finds the instance gone and sends everything to the other one, which
    # knows the session: the visitor notices nothing.
    for _ in range(6):
        assert read_as(katherine, [doomed, survivor], "katherine") is survivor
    written = katherine.post("/write", {"headline": "Still here", "content": "yes"})
    assert written.status == 302
    page = katherine.get(written.location)
    assert (page.title, page.whoami) == ("Still here", "katherine")
