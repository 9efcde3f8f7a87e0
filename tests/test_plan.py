"""The fast-path plan: built once, rebuilt after any change it depends on, explained
on request, and complete about what it depends on."""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import subprocess
import sys
import threading
import typing as t

import pytest

import flask
from flask import fastpaths
from flask import Flask
from flask import signals
from flask.blueprints import Blueprint
from flask.sansio.app import App
from flask.sansio.blueprints import Blueprint as SansioBlueprint
from flask.sansio.scaffold import Scaffold
from flask.sansio.scaffold import setupmethod

pytestmark = pytest.mark.usefixtures("fast_paths_on")


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "hello"

    return app


def serve(app: Flask) -> fastpaths.Plan:
    app.test_client().get("/")
    return fastpaths.plan_for(app)


def test_plan_is_built_once_and_reused(app):
    first = serve(app)
    assert serve(app) is first


def test_attribute_assignment_makes_the_plan_stale(app):
    first = serve(app)
    app.response_class = flask.Response
    assert serve(app) is not first


def test_config_write_makes_the_plan_stale(app):
    first = serve(app)
    app.config["SERVER_NAME"] = "example.test"
    plan = fastpaths.plan_for(app)
    assert plan is not first
    assert plan.reasons["url_binding"] == "SERVER_NAME is set"


@pytest.mark.parametrize(
    "write",
    [
        lambda c: c.update(TRUSTED_HOSTS=["a"]),
        lambda c: c.setdefault("NEW_KEY", 1),
        lambda c: c.pop("MAX_COOKIE_SIZE"),
        lambda c: c.__delitem__("MAX_COOKIE_SIZE"),
        lambda c: c.__ior__({"TRUSTED_HOSTS": ["a"]}),
        lambda c: c.from_mapping(TRUSTED_HOSTS=["a"]),
    ],
)
def test_every_kind_of_config_write_is_noticed(app, write):
    first = fastpaths.plan_for(app)
    write(app.config)
    assert fastpaths.plan_for(app) is not first


@pytest.mark.parametrize("write", [lambda c: c.clear(), lambda c: c.popitem()])
def test_emptying_writes_are_noticed(write):
    config = flask.Config(".", {"A": 1})
    before = config.__dict__.get("_writes", 0)
    write(config)
    assert config.__dict__["_writes"] != before


def test_setup_method_makes_the_plan_stale(app):
    first = fastpaths.plan_for(app)

    @app.after_request
    def stamp(response: flask.Response) -> flask.Response:
        return response

    assert fastpaths.plan_for(app) is not first


def test_config_class_that_does_not_report_writes_is_never_trusted(app):
    class PlainConfig(dict):  # type: ignore[type-arg]
        def __init__(self, root_path: str, defaults: dict[str, t.Any]) -> None:
            super().__init__(defaults)

    class PlainConfigApp(Flask):
        config_class = PlainConfig  # type: ignore[assignment]

    plain = PlainConfigApp(__name__)

    @plain.route("/")
    def where() -> str:
        return flask.url_for("where", _external=True)

    client = plain.test_client()
    assert client.get("/").data == b"http://localhost/"
    plain.config["SERVER_NAME"] = "example.test"
    assert client.get("/", base_url="http://other.test").data == (
        b"http://example.test/"
    )


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            lambda app: app.config.update(SERVER_NAME="a.test"),
            "url_binding",
            "SERVER_NAME is set",
        ),
        (
            lambda app: app.config.update(TRUSTED_HOSTS=["a.test"]),
            "url_binding",
            "TRUSTED_HOSTS is set",
        ),
        (
            lambda app: setattr(app, "subdomain_matching", True),
            "url_binding",
            "subdomain matching is on",
        ),
        (
            lambda app: setattr(app, "process_response", lambda response: response),
            "direct_response",
            "process_response replaced on the app",
        ),
        (
            lambda app: setattr(
                app, "response_class", type("R", (flask.Response,), {})
            ),
            "direct_response",
            "response_class is not flask.Response",
        ),
        (
            lambda app: setattr(
                app, "response_class", type("R", (flask.Response,), {})
            ),
            "response_objects",
            "response_class is not flask.Response",
        ),
        (
            lambda app: app.after_request(lambda response: response),
            "direct_response",
            "after_request functions are registered",
        ),
        (
            lambda app: setattr(app, "session_interface", _OtherSessions()),
            "deferred_session",
            "the session interface is not the built-in one",
        ),
        (
            lambda app: setattr(app, "json", _OtherJSON(app)),
            "direct_json",
            "the JSON provider's response() is customised",
        ),
    ],
)
def test_describe_names_the_reason_a_fast_path_is_off(app, change, path, reason):
    assert fastpaths.describe(app)[path] == "on"
    change(app)
    assert fastpaths.describe(app)[path] == reason


class _OtherSessions(flask.sessions.SecureCookieSessionInterface):
    pass


class _OtherJSON(flask.json.provider.DefaultJSONProvider):
    def response(self, *args: t.Any, **kwargs: t.Any) -> flask.Response:
        return super().response(*args, **kwargs)


def test_describe_names_a_method_patched_on_the_class(app, monkeypatch):
    monkeypatch.setattr(Flask, "make_response", lambda self, rv: rv)
    assert fastpaths.describe(app)["direct_response"] == (
        "make_response overridden or patched"
    )


def test_describe_names_what_makes_response_objects_constructed(app, monkeypatch):
    from werkzeug.datastructures import Headers

    with monkeypatch.context() as patch:
        patch.setattr(flask.Response, "_clean_status", lambda self, value: value)
        assert fastpaths.describe(app)["response_objects"] == (
            "Response._clean_status patched"
        )
    with monkeypatch.context() as patch:
        patch.setattr(Headers, "set", lambda self, *args, **kwargs: None)
        assert fastpaths.describe(app)["response_objects"] == (
            "Werkzeug's response or Headers is patched"
        )


def test_describe_names_what_makes_templates_use_jinja_getattr(app, monkeypatch):
    import jinja2

    from flask.templating import Environment

    assert fastpaths.describe(app)["template_items"] == "on"
    with monkeypatch.context() as patch:
        patch.setattr(jinja2.Environment, "getattr", lambda self, obj, name: None)
        assert fastpaths.describe(app)["template_items"] == (
            "jinja2.Environment.getattr is patched"
        )

    class Between(jinja2.Environment):
        def getattr(self, obj: t.Any, attribute: str) -> t.Any:
            return None

    class Mixed(Environment, Between):
        pass

    monkeypatch.setattr(app, "jinja_environment", Mixed)
    assert fastpaths.describe(app)["template_items"] == (
        "a class of the environment overrides getattr"
    )
    monkeypatch.setattr(app, "jinja_environment", jinja2.Environment)
    assert fastpaths.describe(app)["template_items"] == (
        "the environment class is not a flask.templating.Environment"
    )


def test_describe_names_patched_json_and_signing(app, monkeypatch):
    import hashlib

    report = fastpaths.describe(app)
    assert report["json_encoders"] == "on"
    assert report["caches"] == "on"
    with monkeypatch.context() as patch:
        patch.setattr(json, "dumps", lambda obj, **options: "")
        assert fastpaths.describe(app)["json_encoders"] == (
            "json.dumps or json.JSONEncoder is patched"
        )
    with monkeypatch.context() as patch:
        patch.setattr(hashlib, "sha1", lambda data=b"": None)
        assert fastpaths.describe(app)["caches"] == (
            "itsdangerous, hmac.new or hashlib.sha1 is patched"
        )


def test_describe_names_a_heard_signal(app):
    def receiver(sender: t.Any, **extra: t.Any) -> None:
        pass

    with flask.request_finished.connected_to(receiver, app):
        assert fastpaths.describe(app)["direct_response"] == (
            "request_finished is heard"
        )


def test_plan_build_logs_what_is_off_at_debug_level(app, caplog):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    with caplog.at_level(logging.DEBUG, logger="flask.fastpaths"):
        app.test_client().get("/")
    messages = [r.getMessage() for r in caplog.records if r.name == "flask.fastpaths"]
    assert messages == [
        "Fast paths off for 'tests.test_plan': url_binding: TRUSTED_HOSTS is set"
    ]


_PACKAGE_ROOT = os.path.dirname(os.path.dirname(flask.__file__))


def run_with_fast_paths_off(code: str) -> str:
    """Run ``code`` in a fresh interpreter with FLASK_FAST_PATHS=0; its output."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        # The interpreter imports the same flask package as this test process.
        env={"FLASK_FAST_PATHS": "0", "PATH": "", "PYTHONPATH": _PACKAGE_ROOT},
    )
    return result.stdout


def test_switch_turns_every_fast_path_off():
    import json

    report = json.loads(
        run_with_fast_paths_off(
            "import flask, json\n"
            "app = flask.Flask('off')\n"
            "print(json.dumps(flask.fastpaths.describe(app)))\n"
        )
    )
    assert set(report.values()) == {"FLASK_FAST_PATHS=0"}
    assert "direct_response" in report


@pytest.mark.parametrize(
    ("value", "enabled"),
    [(None, True), ("", True), ("1", True), ("0", False), ("false", False)]
    + [("No", False), ("off", False), ("yes", True)],
)
def test_switch_values(value, enabled):
    assert fastpaths._read_switch(value) is enabled


# Everything the plan could depend on is declared ------------------------------------


def test_every_config_key_is_declared():
    keys = set(Flask.default_config)
    read = set(fastpaths.CONFIG_READ)
    not_read = set(fastpaths.CONFIG_NOT_READ)
    assert not read & not_read
    assert keys == read | not_read, (
        "Declare each new config key in flask.fastpaths: CONFIG_READ if a fast"
        " path's decision depends on it, else CONFIG_NOT_READ."
    )


def test_every_signal_is_declared():
    sent = {
        name
        for name, value in vars(signals).items()
        if isinstance(value, type(flask.request_started))
    }
    assert sent == set(fastpaths.SIGNALS), (
        "Declare each new signal in flask.fastpaths.SIGNALS and send it only when"
        " fastpaths.heard(signal) says someone listens."
    )


def _setup_methods() -> set[str]:
    marker = setupmethod(lambda self: None).__code__
    names = set()
    for cls in (Scaffold, App, Flask, SansioBlueprint, Blueprint):
        for name, value in vars(cls).items():
            if getattr(value, "__code__", None) is marker:
                names.add(name)
    return names


def test_every_setup_method_is_declared():
    checked = set(fastpaths.REGISTRIES_CHECKED)
    not_checked = set(fastpaths.REGISTRIES_NOT_CHECKED)
    assert not checked & not_checked
    assert _setup_methods() == checked | not_checked, (
        "Declare each new setup method in flask.fastpaths: REGISTRIES_CHECKED if a"
        " fast path must look at what it registers, else REGISTRIES_NOT_CHECKED."
    )


# The caches ---------------------------------------------------------------------------


def test_bounded_cache_empties_itself_at_its_limit():
    cache: fastpaths.BoundedCache[int, int] = fastpaths.BoundedCache(3)
    for number in range(3):
        cache.put(number, number * 2)
    assert len(cache) == 3
    assert cache.get(2) == 4
    cache.put(3, 6)
    assert len(cache) == 1
    assert cache.get(0) is None
    assert cache.get(3) == 6


def test_per_object_values_do_not_keep_objects_alive():
    flags = fastpaths.PerObject(lambda func: func.__name__.startswith("a"))

    def make(name: str) -> t.Callable[[], None]:
        def func() -> None:
            pass

        func.__name__ = name
        return func

    funcs = [make(f"a{i}") for i in range(50)] + [make(f"b{i}") for i in range(50)]
    assert [flags(f) for f in funcs] == [True] * 50 + [False] * 50
    assert len(flags) == 100
    del funcs
    gc.collect()
    assert len(flags) == 0


def test_per_object_values_are_not_fooled_by_a_reused_id():
    flags = fastpaths.PerObject(lambda func: func.__name__ == "first")
    answers = []
    for name in ["first", "second"] * 200:

        def func() -> None:
            pass

        func.__name__ = name
        answers.append(flags(func))
        del func
    assert answers == [True, False] * 200


def test_callables_that_cannot_be_weakly_referenced_are_computed_each_time():
    flags = fastpaths.PerObject(callable)
    assert flags(len) is True
    assert len(flags) == 0 or flags(len) is True


def test_caches_answer_correctly_from_many_threads():
    app = Flask(__name__)
    app.secret_key = "threads"
    views = []
    for number in range(32):

        def make(number: int) -> t.Callable[..., t.Any]:
            if number % 2:

                async def async_view() -> str:
                    return f"async {number}"

                return async_view

            def plain_view() -> str:
                return f"sync {number}"

            return plain_view

        view = make(number)
        app.add_url_rule(f"/v{number}", f"v{number}", view)
        views.append(view)

    errors: list[str] = []
    barrier = threading.Barrier(64)

    def worker(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        for round_ in range(20):
            number = (index + round_) % 32
            expected = f"{'async' if number % 2 else 'sync'} {number}"
            response = client.get(f"/v{number}", headers={"Host": f"h{index}.test"})
            if response.text != expected:
                errors.append(f"/v{number}: {response.text!r}")
            if fastpaths.is_coroutine_function(views[number]) is not bool(number % 2):
                errors.append(f"coroutine flag of view {number}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# The switch -----------------------------------------------------------------------------


def _jinja_getattr_runs(env: t.Any, obj: t.Any, attribute: str) -> bool:
    import jinja2

    called = []

    def profile(frame: t.Any, event: str, arg: t.Any) -> None:
        if event == "call":
            called.append(frame.f_code)

    sys.setprofile(profile)
    try:
        env.getattr(obj, attribute)
    finally:
        sys.setprofile(None)
    return jinja2.Environment.getattr.__code__ in called


def test_switch_off_takes_every_general_path(app, monkeypatch):
    from itsdangerous import URLSafeTimedSerializer

    monkeypatch.setattr(fastpaths, "ENABLED", False)
    app.secret_key = "switch"
    plan = fastpaths.plan_for(app)
    assert not plan.responds_directly
    assert not plan.binds_directly
    assert fastpaths.defers_session(app) is False
    assert fastpaths.heard(flask.request_started) is True
    assert _jinja_getattr_runs(app.jinja_env, {"name": 1}, "name")
    assert fastpaths.compression_is_replaceable() is False
    assert fastpaths.json_encoder(json, {"default": str}) is None
    remembered = len(fastpaths._coroutine_flags)
    callable_object = functools.partial(print)
    assert fastpaths.is_coroutine_function(callable_object) is False
    assert len(fastpaths._coroutine_flags) == remembered  # Nothing remembered.
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert type(serializer) is URLSafeTimedSerializer
    with app.test_request_context("/"):
        assert fastpaths.needs_close(flask.request._get_current_object()) is True
        file_kwargs = {
            "max_age": None,
            "environ": flask.request.environ,
            "use_x_sendfile": False,
            "response_class": flask.Response,
            "_root_path": app.root_path,
        }
        assert fastpaths.send_file_directly("static", "x", file_kwargs) is None
        assert fastpaths.bind_url_adapter(app, flask.request) is None
        adapter = app.url_map.bind("localhost")
        fastpaths.match(adapter)
        assert len(fastpaths._matches(app.url_map)) == 0  # Nothing remembered.
        fastpaths._plain_cookie_keys.clear()
        environ = dict(flask.request.environ, HTTP_COOKIE="a=1")
        cookies = fastpaths.request_cookies(flask.Request(environ))
        assert cookies["a"] == "1"
        assert len(fastpaths._plain_cookie_keys) == 0  # Werkzeug's property ran.
        # The request object is made by Werkzeug's constructor.
        constructors: list[str] = []

        def profile(frame: t.Any, event: str, arg: t.Any) -> None:
            if event == "call" and frame.f_code.co_name == "__init__":
                constructors.append(frame.f_code.co_filename)

        sys.setprofile(profile)
        try:
            fastpaths.new_request(flask.Request, dict(flask.request.environ))
        finally:
            sys.setprofile(None)
        assert any(
            name.endswith(os.path.join("wrappers", "request.py"))
            for name in constructors
        )
        response = flask.Response(b"x")
        sent: list[str] = []
        assert (
            fastpaths.send_response(response, {}, lambda *a: sent.append("x")) is None
        )
        assert sent == []
        assert fastpaths.new_response(flask.Response, "x") is None


def test_switch_off_checks_coroutine_functions_every_time():
    output = run_with_fast_paths_off(
        "import flask\n"
        "async def view(): pass\n"
        "print(flask.fastpaths.is_coroutine_function(view, lambda func: 7))\n"
    )
    assert output.strip() == "7"


def test_coroutine_functions_are_recognised_as_inspect_does():
    import functools
    import inspect

    async def native() -> None:
        pass

    def plain() -> None:
        pass

    def marked() -> None:
        pass

    class Callable:
        async def __call__(self) -> None:
            pass

    candidates: list[t.Any] = [native, plain, functools.partial(native), Callable()]
    if hasattr(inspect, "markcoroutinefunction"):
        candidates.append(inspect.markcoroutinefunction(marked))
    for candidate in candidates:
        assert fastpaths.is_coroutine_function(candidate) is (
            inspect.iscoroutinefunction(candidate)
        ), candidate
