"""URL matches of rules without arguments are remembered, without changing what
matching does: converters still run for every request, rules added to the map later
are matched, and the view's arguments are each request's own."""

from __future__ import annotations

import types
import typing as t
from unittest import mock

from werkzeug.routing import BaseConverter
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.routing.matcher import StateMachineMatcher

import flask
from flask import Flask


def test_converters_run_for_every_request():
    seen: list[str] = []

    class Recording(BaseConverter):
        def to_python(self, value: str) -> str:
            seen.append(value)
            return value

    app = Flask(__name__)
    app.url_map.converters["rec"] = Recording

    @app.route("/item/<rec:name>")
    def item(name: str) -> str:
        return name

    client = app.test_client()
    for _ in range(3):
        assert client.get("/item/a").data == b"a"
    assert seen == ["a", "a", "a"]


def test_rule_added_to_the_map_later_is_matched():
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "index"

    client = app.test_client()
    assert client.get("/late").status_code == 404
    assert client.get("/").data == b"index"
    app.url_map.add(Rule("/late", endpoint="index"))
    assert client.get("/late").data == b"index"


def test_view_arguments_changed_by_a_preprocessor_are_not_remembered():
    app = Flask(__name__)

    @app.url_value_preprocessor
    def take(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        flask.g.seen = dict(values or {})
        if values is not None:
            values["added"] = True

    @app.route("/page", defaults={"lang": "en"})
    def page(lang: str, added: bool) -> str:
        return f"{lang} {flask.g.seen}"

    @app.route("/static-page")
    def static_page(added: bool) -> str:
        return f"{added} {flask.g.seen}"

    client = app.test_client()
    for _ in range(2):
        assert client.get("/page").data == b"en {'lang': 'en'}"
        assert client.get("/static-page").data == b"True {}"


def test_methods_and_trailing_slashes_are_matched_as_werkzeug_does():
    app = Flask(__name__)

    @app.route("/thing/", methods=["GET", "POST"])
    def thing() -> str:
        return flask.request.method

    client = app.test_client()
    for _ in range(2):
        assert client.get("/thing/").data == b"GET"
        assert client.post("/thing/").data == b"POST"
        assert client.put("/thing/").status_code == 405
        assert client.get("/thing").status_code == 308


def test_match_patched_on_the_adapter_class_is_called():
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "index"

    client = app.test_client()
    # The first request compiles the map, the second one's match is remembered.
    client.get("/")
    client.get("/")
    original = MapAdapter.match
    calls: list[str] = []

    def match(self: MapAdapter, *args: t.Any, **kwargs: t.Any) -> t.Any:
        calls.append(self.path_info)
        return original(self, *args, **kwargs)

    with mock.patch.object(MapAdapter, "match", match):
        client.get("/")
    assert calls == ["/"]


def three_index_requests(app_class: type[Flask]) -> list[bytes]:
    """The bodies of three requests for ``/`` to a new app of ``app_class``: past the
    first (which compiles the URL map) and the second (whose match is remembered)."""
    app = app_class(__name__)
    app.add_url_rule("/", "index", lambda: "index")
    client = app.test_client()
    return [client.get("/").data for _ in range(3)]


def adapting_to(adapter_class: type[MapAdapter]) -> type[Flask]:
    """An application class whose URL adapters are of ``adapter_class``."""

    class App(Flask):
        def create_url_adapter(self, request: t.Any) -> t.Any:
            adapter = super().create_url_adapter(request)
            if adapter is not None:
                adapter.__class__ = adapter_class
            return adapter

    return App


def test_match_of_an_adapter_subclass_is_called_for_every_request():
    calls: list[str] = []

    class Recording(MapAdapter):
        def match(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            calls.append(self.path_info)
            return super().match(*args, **kwargs)

    assert three_index_requests(adapting_to(Recording)) == [b"index"] * 3
    assert calls == ["/"] * 3


def test_match_replaced_on_the_adapter_is_called():
    calls: list[str] = []

    class App(Flask):
        def create_url_adapter(self, request: t.Any) -> t.Any:
            adapter = super().create_url_adapter(request)
            if adapter is not None:
                original = adapter.match

                def match(*args: t.Any, **kwargs: t.Any) -> t.Any:
                    calls.append("match")
                    return original(*args, **kwargs)

                adapter.match = match  # type: ignore[method-assign]
            return adapter

    assert three_index_requests(App) == [b"index"] * 3
    assert calls == ["match"] * 3


def test_match_bound_as_a_method_on_the_adapter_is_called():
    calls: list[str] = []

    def match(self: MapAdapter, *args: t.Any, **kwargs: t.Any) -> t.Any:
        calls.append("match")
        return MapAdapter.match(self, *args, **kwargs)

    class App(Flask):
        def create_url_adapter(self, request: t.Any) -> t.Any:
            adapter = super().create_url_adapter(request)
            if adapter is not None:
                adapter.match = types.MethodType(match, adapter)  # type: ignore[method-assign]
            return adapter

    assert three_index_requests(App) == [b"index"] * 3
    assert calls == ["match"] * 3


def test_werkzeugs_match_of_another_adapter_set_on_the_adapter_is_called():
    class App(Flask):
        def create_url_adapter(self, request: t.Any) -> t.Any:
            adapter = super().create_url_adapter(request)
            if adapter is not None:
                elsewhere = self.url_map.bind("localhost", path_info="/elsewhere")
                adapter.match = elsewhere.match  # type: ignore[method-assign]
            return adapter

    bodies = three_index_requests(App)
    assert all(b"Not Found" in body for body in bodies)


def test_adapter_constructor_patched_on_the_class_is_called():
    app = Flask(__name__)
    app.add_url_rule("/", "index", lambda: "index")
    client = app.test_client()
    client.get("/")
    original = MapAdapter.__init__
    calls: list[str] = []

    def init(self: MapAdapter, *args: t.Any, **kwargs: t.Any) -> None:
        calls.append("init")
        original(self, *args, **kwargs)

    with mock.patch.object(MapAdapter, "__init__", init):
        assert client.get("/").data == b"index"
    assert calls == ["init"]


def test_update_of_a_map_subclass_runs_for_every_match():
    from werkzeug.routing import Map

    updates: list[str] = []

    class Recording(Map):
        def update(self) -> None:
            updates.append("update")
            super().update()

    class App(Flask):
        url_map_class = Recording

    assert three_index_requests(App) == [b"index"] * 3
    assert len(updates) >= 3


def test_rule_added_later_wins_over_a_remembered_loose_slash_match():
    # "/page/" first matches "/page" (strict_slashes off); a "/page/" rule added
    # later matches it exactly, and from then on answers it.
    app = Flask(__name__)
    app.add_url_rule("/page", "page", lambda: "page", strict_slashes=False)
    client = app.test_client()
    assert [client.get("/page/").data for _ in range(3)] == [b"page"] * 3
    app.view_functions["slashed"] = lambda: "slashed"
    app.url_map.add(Rule("/page/", endpoint="slashed"))
    assert client.get("/page/").data == b"slashed"


def test_each_application_gets_the_matches_of_its_own_url_map():
    # The same paths lead to different views in two applications served in turn.
    first = Flask("first")
    second = Flask("second")
    for app in (first, second):
        # Endpoints of their own: a rule of the other map would name no view here.
        name = app.name
        app.add_url_rule("/", f"{name}_index", lambda name=name: f"{name} index")
        app.add_url_rule("/about", f"{name}_about", lambda name=name: f"{name} about")
    clients = [first.test_client(), second.test_client()]
    for _ in range(3):
        for client, name in zip(clients, ["first", "second"], strict=True):
            assert client.get("/").text == f"{name} index"
            assert client.get("/about").text == f"{name} about"


def _recording_default_redirect(calls: list[str]) -> t.Any:
    original = MapAdapter.get_default_redirect

    def get_default_redirect(self: MapAdapter, *args: t.Any) -> t.Any:
        calls.append("get_default_redirect")
        return original(self, *args)

    return get_default_redirect


def test_default_redirect_of_an_adapter_subclass_is_asked_for_every_request():
    # Werkzeug's match asks it after every successful match.
    calls: list[str] = []

    class Recording(MapAdapter):
        get_default_redirect = _recording_default_redirect(calls)

    assert three_index_requests(adapting_to(Recording)) == [b"index"] * 3
    assert calls == ["get_default_redirect"] * 3


def test_default_redirect_patched_on_the_adapter_class_is_asked():
    calls: list[str] = []
    with mock.patch.object(
        MapAdapter, "get_default_redirect", _recording_default_redirect(calls)
    ):
        assert three_index_requests(Flask) == [b"index"] * 3
    assert calls == ["get_default_redirect"] * 3


def test_matcher_patched_on_its_class_is_asked_for_every_request():
    calls: list[str] = []
    original = StateMachineMatcher.match

    def match(self: StateMachineMatcher, *args: t.Any) -> t.Any:
        calls.append("match")
        return original(self, *args)

    with mock.patch.object(StateMachineMatcher, "match", match):
        assert three_index_requests(Flask) == [b"index"] * 3
    assert calls == ["match"] * 3


def test_matcher_of_another_class_is_asked_for_every_request():
    calls: list[str] = []

    class Recording(StateMachineMatcher):
        def match(self, *args: t.Any) -> t.Any:
            calls.append("match")
            return super().match(*args)

    app = Flask(__name__)
    app.add_url_rule("/", "index", lambda: "index")
    app.url_map._matcher.__class__ = Recording
    client = app.test_client()
    assert [client.get("/").data for _ in range(3)] == [b"index"] * 3
    assert calls == ["match"] * 3
