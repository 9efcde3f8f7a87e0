"""What the fast paths rely on in Werkzeug, checked against the installed version.

The fast paths build some of Werkzeug's objects directly (a URL adapter, a closing
iterator) and use a few of its internals. If a Werkzeug release changes any of them,
these tests fail, loudly, instead of the framework becoming silently slower or
different.
"""

from __future__ import annotations

import inspect
import typing as t

import pytest
from werkzeug.datastructures import Headers
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.test import EnvironBuilder
from werkzeug.wsgi import ClosingIterator

import flask
from flask import fastpaths

pytestmark = pytest.mark.usefixtures("fast_paths_on")


ENVIRONS = [
    {},
    {"base_url": "http://example.com:8080/"},
    {"base_url": "https://Example.COM/"},
    {"base_url": "http://b\u00fccher.example/"},
    {"base_url": "http://localhost/mount/point/"},
    {"path": "/caf\u00e9/x", "query_string": "q=\u00e9&x=1"},
    {"path": "//double//slash"},
    {"method": "POST", "path": "/submit"},
    {"headers": {"Host": "host.test:81"}},
    {"base_url": "http://[::1]:5000/"},
]


def general_binding(app: flask.Flask, request: flask.Request) -> MapAdapter:
    # What Flask's create_url_adapter does without the fast path.
    url_map = app.url_map
    if url_map.host_matching:
        return url_map.bind_to_environ(request.environ, None, None)
    return url_map.bind_to_environ(
        request.environ, None, url_map.default_subdomain or ""
    )


@pytest.mark.parametrize("host_matching", [False, True])
@pytest.mark.parametrize("options", ENVIRONS, ids=repr)
def test_direct_url_adapter_equals_werkzeugs(options, host_matching):
    app = flask.Flask(__name__, host_matching=host_matching, static_folder=None)
    app.add_url_rule("/", "index", lambda: "", host="<any>" if host_matching else None)
    environ = EnvironBuilder(**options).get_environ()
    request = app.request_class(environ)
    direct = fastpaths.bind_url_adapter(app, request)
    expected = general_binding(app, app.request_class(environ))
    if direct is None:
        # Stepping aside is always allowed; host matching must step aside.
        assert host_matching
        return
    assert vars(direct) == vars(expected)
    assert request.host == app.request_class(environ).host


def test_map_adapter_takes_the_arguments_the_binding_passes():
    parameters = list(inspect.signature(MapAdapter).parameters)
    assert parameters[:8] == [
        "map",
        "server_name",
        "script_name",
        "subdomain",
        "url_scheme",
        "path_info",
        "default_method",
        "query_args",
    ]


def test_map_reports_added_rules_until_it_is_compiled():
    url_map = Map([Rule("/", endpoint="index")])
    url_map.bind("localhost").match("/")
    assert url_map._remap is False
    url_map.add(Rule("/new", endpoint="new"))
    assert url_map._remap is True
    assert url_map.bind("localhost").match("/new") == ("new", {})
    assert url_map._remap is False


def test_closing_iterator_keeps_its_state_in_two_attributes():
    def done() -> None:
        pass

    assert set(vars(ClosingIterator([b"x"], done))) == {"_next", "_callbacks"}


def test_directly_built_closing_iterator_behaves_like_a_constructed_one():
    closed: list[str] = []
    started: list[str] = []
    environ = {"REQUEST_METHOD": "GET"}
    direct = fastpaths.send_buffered(
        environ, lambda s, h: started.append(s), "200 OK", [], [b"a", b"b"],
        lambda: closed.append("closed"),
    )  # fmt: skip
    assert started == ["200 OK"]
    assert type(direct) is ClosingIterator
    assert iter(direct) is direct
    assert list(direct) == [b"a", b"b"]
    assert closed == []
    direct.close()
    assert closed == ["closed"]
    head = fastpaths.send_buffered(
        {"REQUEST_METHOD": "HEAD"}, lambda s, h: None, "200 OK", [], [b"a"]
    )
    assert list(head) == []
    head.close()


def test_request_host_is_a_cached_property_kept_in_the_instance_dict():
    from werkzeug.utils import cached_property

    assert isinstance(inspect.getattr_static(flask.Request, "host"), cached_property)
    request = flask.Request(EnvironBuilder().get_environ())
    request.__dict__["host"] = "assigned.test"
    assert request.host == "assigned.test"
    request.host = "again.test"
    assert vars(request)["host"] == "again.test"


def test_request_is_built_by_werkzeugs_constructor():
    from werkzeug.wrappers import Request as WerkzeugRequest

    assert flask.Request.__init__ is WerkzeugRequest.__init__


def test_rules_record_their_arguments():
    url_map = Map(
        [
            Rule("/", endpoint="index"),
            Rule("/<int:n>", endpoint="n"),
            Rule("/d", endpoint="d", defaults={"x": 1}),
        ]
    )
    rules: dict[str, t.Any] = {rule.endpoint: rule for rule in url_map.iter_rules()}
    assert not rules["index"].arguments
    assert rules["n"].arguments == {"n"}
    assert rules["d"].arguments == {"x"}


REQUEST_ENVIRONS = ENVIRONS + [
    {"environ_base": {"SERVER_PORT": "not a port"}},
    {"environ_base": {"REMOTE_ADDR": None}},
    {"path": "/\u00ff\u00e9", "base_url": "http://h/scr\u00e9ipt/"},
]


@pytest.mark.parametrize("options", REQUEST_ENVIRONS, ids=repr)
def test_directly_built_request_equals_a_constructed_one(options):
    environ = EnvironBuilder(**options).get_environ()
    if options.get("environ_base", {}).get("REMOTE_ADDR", "") is None:
        del environ["REMOTE_ADDR"]
    built = fastpaths.new_request(flask.Request, dict(environ))
    constructed_environ = dict(environ)
    constructed = flask.Request(constructed_environ)
    built_attributes = dict(vars(built))
    constructed_attributes = dict(vars(constructed))
    for attributes in (built_attributes, constructed_attributes):
        headers = attributes.pop("headers")
        assert type(headers).__name__ == "EnvironHeaders"
        assert vars(headers).keys() == {"_list", "environ"}
        assert attributes.pop("environ")["werkzeug.request"] is not None
    assert built_attributes == constructed_attributes
    assert built.environ["werkzeug.request"] is built


def test_request_without_server_name_has_no_server():
    environ = EnvironBuilder().get_environ()
    del environ["SERVER_NAME"]
    assert fastpaths.new_request(flask.Request, environ).server is None
    assert flask.Request(environ).server is None


RESPONSE_ARGUMENTS = [
    ("hello", None, None),
    (b"raw bytes", None, None),
    ("caf\u00e9 \u2603", None, None),
    ("", None, None),
    ("made", 201, None),
    ("odd", 299, None),
    ("gone", 410, "text/plain"),
    ('{"a":1}\n', None, "application/json"),
    ("<svg/>", None, "image/svg+xml"),
    ("x", None, "application/octet-stream"),
]


@pytest.mark.parametrize(("body", "status", "mimetype"), RESPONSE_ARGUMENTS, ids=repr)
def test_directly_built_response_equals_a_constructed_one(body, status, mimetype):
    built = fastpaths.new_response(flask.Response, body, status, mimetype)
    constructed = flask.Response(body, status=status, mimetype=mimetype)
    assert built is not None
    assert type(built) is flask.Response
    # The same attributes, assigned in the same order, and the same headers.
    assert list(vars(built)) == list(vars(constructed))
    built_attributes = dict(vars(built))
    constructed_attributes = dict(vars(constructed))
    for attributes in (built_attributes, constructed_attributes):
        headers = attributes.pop("headers")
        assert type(headers) is Headers
        assert list(vars(headers)) == ["_list"]
    assert built_attributes == constructed_attributes
    assert built.headers._list == constructed.headers._list
    assert built.get_data() == constructed.get_data()
    assert (built.status, built.status_code) == (
        constructed.status,
        constructed.status_code,
    )


def test_response_class_defines_no_attribute_the_constructor_assigns():
    # The directly built response writes these into the instance's __dict__, which
    # is what assigning them does as long as the class has no descriptor for them.
    for name in ("headers", "_status", "_status_code", "direct_passthrough",
                 "_on_close", "response"):  # fmt: skip
        assert inspect.getattr_static(flask.Response, name, None) is None, name
