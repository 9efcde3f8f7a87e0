"""Flask-Caching: cached views (keyed by path and query), memoized functions, and
clearing."""

from __future__ import annotations

from collections import Counter

import pytest

flask_caching = pytest.importorskip("flask_caching")

from flask import Flask  # noqa: E402
from flask import request  # noqa: E402


@pytest.fixture
def setup() -> tuple[Flask, flask_caching.Cache, Counter[str]]:
    app = Flask(__name__)
    cache = flask_caching.Cache(app, config={"CACHE_TYPE": "SimpleCache"})
    calls: Counter[str] = Counter()

    @app.get("/clock")
    @cache.cached(timeout=300)
    def clock() -> str:
        calls["clock"] += 1
        return f"rendered {calls['clock']} times"

    @app.get("/search")
    @cache.cached(timeout=300, query_string=True)
    def search() -> str:
        calls["search"] += 1
        return f"results for {request.args.get('q')} ({calls['search']})"

    @cache.memoize(timeout=300)
    def square(n: int) -> int:
        calls["square"] += 1
        return n * n

    @app.get("/square/<int:n>")
    def show_square(n: int) -> str:
        return str(square(n))

    @app.post("/forget")
    def forget() -> str:
        cache.delete_memoized(square)
        cache.delete("view//clock")
        return "forgotten"

    return app, cache, calls


def test_a_cached_view_is_rendered_once(setup) -> None:  # type: ignore[no-untyped-def]
    app, _, calls = setup
    client = app.test_client()
    assert client.get("/clock").text == "rendered 1 times"
    assert client.get("/clock").text == "rendered 1 times"
    assert calls["clock"] == 1


def test_the_query_string_is_part_of_the_key(setup) -> None:  # type: ignore[no-untyped-def]
    app, _, calls = setup
    client = app.test_client()
    assert client.get("/search?q=owl").text == "results for owl (1)"
    assert client.get("/search?q=emu").text == "results for emu (2)"
    assert client.get("/search?q=owl").text == "results for owl (1)"
    assert calls["search"] == 2


def test_memoize_and_deleting_entries(setup) -> None:  # type: ignore[no-untyped-def]
    app, cache, calls = setup
    client = app.test_client()
    assert [client.get("/square/4").text for _ in range(3)] == ["16"] * 3
    client.get("/clock")
    assert (calls["square"], calls["clock"]) == (1, 1)
    assert client.post("/forget").text == "forgotten"
    assert client.get("/square/4").text == "16"
    assert client.get("/clock").text == "rendered 2 times"
    assert calls["square"] == 2
    with app.app_context():
        cache.clear()
    assert client.get("/clock").text == "rendered 3 times"
