"""URLs that are not remembered are matched by the walk Werkzeug's matcher makes,
written out directly: the same rule and arguments, the same errors, and Werkzeug's own
matching wherever the walk steps aside."""

from __future__ import annotations

import re
import types
import typing as t
import uuid

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter
from werkzeug.routing import Map
from werkzeug.routing import matcher as matcher_module
from werkzeug.routing import Rule
from werkzeug.routing import ValidationError
from werkzeug.routing.exceptions import NoMatch

from flask import fastpaths
from flask import Flask

pytestmark = pytest.mark.usefixtures("fast_paths_on")


class Upper(BaseConverter):
    """A converter of the application's own."""

    def to_python(self, value: str) -> str:
        return value.upper()


def _rules() -> list[Rule]:
    return [
        Rule("/", endpoint="index"),
        Rule("/user/<int:user_id>", endpoint="user"),
        Rule("/user/<username>", endpoint="user_by_name"),
        Rule("/user/<int:user_id>/posts/<slug>", endpoint="post"),
        Rule("/files/<path:name>", endpoint="file"),
        Rule("/files/<path:name>/edit", endpoint="edit_file"),
        Rule("/tree/<path:name>/", endpoint="tree"),
        Rule("/loose-tree/<path:name>/", endpoint="loose_tree", strict_slashes=False),
        Rule("/float/<float:x>", endpoint="float"),
        Rule("/uuid/<uuid:u>", endpoint="uuid"),
        Rule("/any/<any(red, blue):colour>", endpoint="any"),
        Rule("/signed/<int(signed=True):n>", endpoint="signed"),
        Rule("/limited/<int(min=1, max=10):n>", endpoint="limited"),
        Rule("/fixed/<int(fixed_digits=3):n>", endpoint="fixed"),
        Rule("/range/<int:low>-<int:high>", endpoint="range"),
        Rule("/v<int:version>/items", endpoint="versioned"),
        Rule("/dir/<name>/", endpoint="dir"),
        Rule("/loose/<name>", endpoint="loose", strict_slashes=False),
        Rule("/item/<int:n>", endpoint="item_get", methods=["GET"]),
        Rule("/item/<int:n>", endpoint="item_put", methods=["PUT"]),
        Rule("/only-post/<int:n>", endpoint="only_post", methods=["POST"]),
        Rule("/ws/<name>", endpoint="ws", websocket=True),
        Rule("/page/", endpoint="page", defaults={"n": 1}),
        Rule("/page/<int:n>", endpoint="page"),
        Rule("/with-defaults/<int:n>", endpoint="with_defaults", defaults={"x": 5}),
        Rule("/old/<int:n>", endpoint="old", redirect_to="/user/<n>"),
        Rule("/canonical/<int:n>", endpoint="aliased"),
        Rule("/alias/<int:n>", endpoint="aliased", alias=True),
        Rule("/only-alias/<int:n>", endpoint="only_alias", alias=True),
        Rule("/shout/<upper:word>", endpoint="shout"),
        Rule("/both/<int:n>", endpoint="both_get", methods=["GET"]),
        Rule("/both/<name>", endpoint="both_name"),
        # Werkzeug 3.1.9 hands a part's converter values on in the order of the
        # converters, earlier releases in the text order of their group names, which
        # differs from the eleventh converter of a part on.
        Rule("/ten/" + "-".join(f"<int:a{i}>" for i in range(10)), endpoint="ten"),
        Rule(
            "/eleven/" + "-".join(f"<int:a{i}>" for i in range(11)), endpoint="eleven"
        ),
    ]


TEN = "/ten/" + "-".join(map(str, range(10)))
ELEVEN = "/eleven/" + "-".join(map(str, range(11)))


PATHS = [
    "/", "", "/user/42", "/user/0042", "/user/abc", "/user/42/", "/user/42/posts/hi",
    "/user/42/posts/hi/", "/user//42", "//user/42", "/files/a/b/c", "/files/a/b/edit",
    "/files/", "/tree/a/b", "/tree/a/b/", "/loose-tree/a/b",
    "/loose-tree/a/b/", "/float/1.5", "/float/1", "/uuid/" + str(uuid.UUID(int=7)),
    "/uuid/nope", "/any/red", "/any/green", "/signed/-3", "/limited/5",
    "/limited/11", "/fixed/007", "/fixed/7", "/range/1-9", "/v2/items", "/dir/x",
    "/dir/x/", "/loose/x", "/loose/x/", "/item/3", "/only-post/3", "/ws/x",
    "/page/", "/page/1", "/page/2", "/with-defaults/4", "/old/9", "/canonical/3",
    "/alias/3", "/only-alias/3", "/shout/hey", "/both/7", "/both/seven", "/missing", "/missing/deep/path",
    "/caf\u00e9/42", "/user/\u0664\u0662", TEN, ELEVEN,
]  # fmt: skip

METHODS = ["GET", "POST", "PUT", "HEAD", "get"]


def _outcome(call: t.Callable[..., t.Any], *args: t.Any) -> tuple[t.Any, ...]:
    """What a match returned or raised, in a form two matches can be compared by."""
    try:
        found = call(*args)
    except HTTPException as error:
        return (
            type(error),
            getattr(error, "new_url", None),
            getattr(error, "valid_methods", None),
            type(error.__context__),
            error.__suppress_context__,
        )
    if found is None:
        return ("werkzeug",)
    rule, arguments = found
    typed = {name: (type(value), value) for name, value in arguments.items()}
    return ("match", rule, typed)


def _compare(url_map: Map, bind: t.Callable[[str, str, bool], t.Any]) -> list[str]:
    """Match every path, method and scheme both ways; the cases the walk answered."""
    answered = []
    for path in PATHS:
        for method in METHODS:
            for websocket in (False, True):
                adapter = bind(path, method, websocket)
                direct = _outcome(fastpaths._match_directly, adapter, url_map)
                if direct == ("werkzeug",):
                    continue  # Left to Werkzeug's matching.
                expected = _outcome(adapter.match, None, None, True)
                assert direct == expected, (path, method, websocket)
                answered.append(f"{method} {path}{' ws' if websocket else ''}")
    return answered


def test_the_walk_finds_what_werkzeugs_matcher_finds():
    url_map = Map(_rules(), converters={"upper": Upper})
    url_map.update()

    def bind(path: str, method: str, websocket: bool) -> t.Any:
        scheme = "ws" if websocket else "http"
        return url_map.bind("example.test", path_info=path, default_method=method,
                            url_scheme=scheme)  # fmt: skip

    answered = _compare(url_map, bind)
    # Matches with converters of every kind, plain 404s, rules found past a
    # failed transition, and loose trailing slashes are all answered by the walk.
    for case in [
        "GET /user/42", "get /user/0042", "GET /user/abc", "GET /user/42/posts/hi",
        "GET /files/a/b/c", "GET /files/a/b/edit", "GET /float/1.5",
        f"GET /uuid/{uuid.UUID(int=7)}", "GET /any/red", "GET /signed/-3",
        "GET /limited/5", "GET /fixed/007", "GET /range/1-9", "GET /v2/items",
        "GET /loose/x/", "PUT /item/3", "GET /with-defaults/4", "GET /both/seven",
        "POST /both/7", "GET /missing", "GET /user/42/", "GET /ws/x ws",
        "GET /canonical/3", "GET /tree/a/b/", "GET /loose-tree/a/b", f"GET {TEN}",
    ]:  # fmt: skip
        assert case in answered
    # What redirects, 405s, converters of the app's own and failed conversions
    # leave to Werkzeug.
    for case in [
        "GET /user//42", "GET /dir/x", "GET /only-post/3",
        "GET /ws/x", "GET /page/1", "GET /old/9", "GET /alias/3",
        "GET /only-alias/3", "GET /shout/hey", f"GET {ELEVEN}",
        "GET /limited/11",
    ]:  # fmt: skip
        assert case not in answered


# Path segments the rules above contain or nearly contain, and some they never do.
SEGMENTS = [
    "", "user", "42", "0042", "-3", "abc", "posts", "hi", "files", "a", "b", "edit",
    "tree", "loose-tree", "float", "1.5", "1", "uuid", str(uuid.UUID(int=7)), "any",
    "red", "signed", "limited", "11", "fixed", "007", "range", "1-9", "v2", "items",
    "dir", "loose", "item", "only-post", "ws", "page", "with-defaults", "old",
    "canonical", "alias", "only-alias", "shout", "both", "7", "caf\u00e9", "%2F", ".",
]  # fmt: skip


@st.composite
def paths(draw: st.DrawFn) -> str:
    """A path of the list above changed a little (a segment more or less, a slash
    more), or segments put together at random."""
    if draw(st.booleans()):
        segments = draw(st.lists(st.sampled_from(SEGMENTS), max_size=6))
        return draw(st.sampled_from(["/", "", "//"])) + "/".join(segments)
    path = draw(st.sampled_from(PATHS))
    for edit in draw(st.lists(st.sampled_from(["/", "+", "-", "//"]), max_size=3)):
        if edit == "/":
            path += "/"
        elif edit == "+":
            path += "/" + draw(st.sampled_from(SEGMENTS))
        elif edit == "-":
            path = path.rsplit("/", 1)[0]
        else:
            path = path.replace("/", "//", 1)
    return path


@settings(derandomize=True, database=None, deadline=None, max_examples=600)
@given(path=paths(), method=st.sampled_from(METHODS), websocket=st.booleans())
def test_any_path_is_matched_as_werkzeug_matches_it(
    path: str, method: str, websocket: bool
) -> None:
    url_map = _RICH_MAP
    adapter = url_map.bind("example.test", path_info=path, default_method=method,
                           url_scheme="ws" if websocket else "http")  # fmt: skip
    direct = _outcome(fastpaths._match_directly, adapter, url_map)
    if direct != ("werkzeug",):
        assert direct == _outcome(adapter.match, None, None, True)


_RICH_MAP = Map(_rules(), converters={"upper": Upper})


def test_the_walk_matches_subdomains_and_hosts_as_werkzeug_does():
    subdomains = Map(
        [
            Rule("/", endpoint="www_index", subdomain="www"),
            Rule("/<int:n>", endpoint="user_n", subdomain="<user>"),
            Rule("/<int:n>", endpoint="www_n", subdomain="www"),
        ],
        default_subdomain="www",
    )
    subdomains.update()
    for subdomain in ("www", "alice", ""):
        answered = _compare(
            subdomains,
            lambda path, method, websocket, subdomain=subdomain: subdomains.bind(
                "example.test", subdomain=subdomain, path_info=path,
                default_method=method, url_scheme="ws" if websocket else "http",
            ),
        )  # fmt: skip
        assert answered
    hosts = Map(
        [
            Rule("/", endpoint="a_index", host="a.example.test"),
            Rule("/<int:n>", endpoint="any_n", host="<sub>.example.test"),
        ],
        host_matching=True,
    )
    hosts.update()
    for host in ("a.example.test", "b.example.test", "other.test"):
        answered = _compare(
            hosts,
            lambda path, method, websocket, host=host: hosts.bind(
                host, path_info=path, default_method=method,
                url_scheme="ws" if websocket else "http",
            ),
        )  # fmt: skip
        assert answered


# What an application sees ---------------------------------------------------------


def _app() -> Flask:
    app = Flask(__name__)

    @app.route("/user/<int:user_id>")
    def user(user_id: int) -> str:
        return f"user {user_id!r}"

    @app.route("/limited/<int(max=10):n>")
    def limited(n: int) -> str:
        return f"limited {n}"

    @app.route("/dir/<name>/")
    def directory(name: str) -> str:
        return f"dir {name}"

    @app.route("/only-post/<int:n>", methods=["POST"])
    def only_post(n: int) -> str:
        return f"posted {n}"

    return app


def test_a_failed_conversion_is_a_404():
    client = _app().test_client()
    assert client.get("/limited/3").text == "limited 3"
    assert client.get("/limited/11").status_code == 404


def test_a_missing_trailing_slash_redirects():
    response = _app().test_client().get("/dir/x")
    assert response.status_code == 308
    assert response.location == "http://localhost/dir/x/"


def test_a_path_with_doubled_slashes_redirects_to_the_merged_one():
    response = _app().test_client().get("/user//42")
    assert response.status_code == 308
    assert response.location == "http://localhost/user/42"


def test_a_rule_for_other_methods_is_a_405():
    response = _app().test_client().get("/only-post/3")
    assert response.status_code == 405
    assert set(response.allow) == {"POST", "OPTIONS"}


def test_a_path_no_rule_matches_is_a_404_raised_as_werkzeug_raises_it():
    app = _app()
    seen: list[t.Any] = []

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> tuple[str, int]:
        seen.append((type(error.__context__), error.__suppress_context__))
        return "gone", 404

    assert app.test_client().get("/nothing/here").text == "gone"
    assert seen == [(NoMatch, True)]


def test_an_alias_redirects_to_the_canonical_rule():
    app = Flask(__name__)
    app.add_url_rule("/alias/<int:n>", "item", lambda n: f"item {n}", alias=True)
    app.add_url_rule("/canonical/<int:n>", "item")
    response = app.test_client().get("/alias/3")
    assert response.status_code == 308
    assert response.location == "http://localhost/canonical/3"


def test_an_alias_that_is_its_endpoints_only_rule_redirects_as_werkzeug_does():
    # Werkzeug builds the redirect from the endpoint's rules: the alias itself.
    app = Flask(__name__)
    app.add_url_rule("/alias/<int:n>", "item", lambda n: f"item {n}", alias=True)
    response = app.test_client().get("/alias/3")
    assert response.status_code == 308
    assert response.location == "http://localhost/alias/3"


def test_a_rule_with_redirect_to_redirects():
    app = Flask(__name__)
    app.add_url_rule("/user/<int:n>", "user", lambda n: f"user {n}")
    app.add_url_rule("/old/<int:n>", "old", redirect_to="/user/<n>")
    response = app.test_client().get("/old/9")
    assert response.status_code == 308
    assert response.location == "http://localhost/user/9"


def test_a_rule_with_the_defaults_of_an_earlier_one_redirects_to_it():
    app = Flask(__name__)

    @app.route("/page/", defaults={"n": 1})
    @app.route("/page/<int:n>")
    def page(n: int) -> str:
        return f"page {n}"

    client = app.test_client()
    assert client.get("/page/2").text == "page 2"
    response = client.get("/page/1")
    assert response.status_code == 308
    assert response.location == "http://localhost/page/"


def test_a_converter_of_the_app_is_called_once_when_it_rejects_a_value():
    calls: list[str] = []

    class Even(BaseConverter):
        def to_python(self, value: str) -> int:
            calls.append(value)
            if int(value) % 2:
                raise ValidationError()
            return int(value)

    app = Flask(__name__)
    app.url_map.converters["even"] = Even
    app.add_url_rule("/even/<even:n>", "even", lambda n: f"even {n}")
    client = app.test_client()
    assert client.get("/even/4").text == "even 4"
    assert client.get("/even/5").status_code == 404
    assert calls == ["4", "5"]


def test_attributes_of_a_rule_subclass_are_read_as_werkzeug_reads_them():
    reads: list[str] = []

    class Rule_(Rule):
        @property
        def redirect_to(self) -> t.Any:
            reads.append("redirect_to")
            return None

        @redirect_to.setter
        def redirect_to(self, value: t.Any) -> None:
            pass

    class App(Flask):
        url_rule_class = Rule_

    app = App(__name__)
    app.add_url_rule("/limited/<int(max=10):n>", "limited", lambda n: f"n {n}")
    client = app.test_client()
    client.get("/limited/1")
    reads.clear()
    # Werkzeug's matching stops at the failed conversion, before redirect_to.
    assert client.get("/limited/11").status_code == 404
    assert reads == []


def _recording_compile(calls: list[str]) -> t.Callable[..., t.Any]:
    original = re.compile

    def compile(pattern: t.Any, flags: int = 0) -> t.Any:
        calls.append(pattern)
        return original(pattern, flags)

    return compile


def test_re_of_the_matchers_module_replaced_is_used(monkeypatch):
    client = _app().test_client()
    client.get("/user/1")
    calls: list[str] = []
    replaced = types.SimpleNamespace(compile=_recording_compile(calls), sub=re.sub)
    monkeypatch.setattr(matcher_module, "re", replaced)
    assert client.get("/user/42").text == "user 42"
    assert calls


def test_re_compile_replaced_is_used_by_the_matcher(monkeypatch):
    client = _app().test_client()
    client.get("/user/1")
    calls: list[str] = []
    monkeypatch.setattr(re, "compile", _recording_compile(calls))
    assert client.get("/user/42").text == "user 42"
    assert calls


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda app: setattr(app, "url_rule_class", type("R", (Rule,), {})),
            "url_rule_class is not Werkzeug's Rule",
        ),
        (
            lambda app: setattr(
                app.url_map._matcher,
                "__class__",
                type("M", (matcher_module.StateMachineMatcher,), {}),
            ),
            "the URL map's matcher is customised",
        ),
    ],
)
def test_describe_names_the_reason_matching_is_werkzeugs(change, reason):
    app = Flask(__name__)
    assert fastpaths.describe(app)["direct_matching"] == "on"
    change(app)
    assert fastpaths.describe(app)["direct_matching"] == reason


def test_describe_names_a_replaced_re_compile(monkeypatch):
    app = Flask(__name__)
    monkeypatch.setattr(re, "compile", _recording_compile([]))
    assert fastpaths.describe(app)["direct_matching"] == "re.compile is replaced"


def test_view_arguments_keep_the_converters_types():
    app = Flask(__name__)

    @app.route("/f/<float:x>/<uuid:u>/<path:rest>")
    def view(x: float, u: uuid.UUID, rest: str) -> str:
        return f"{x!r} {u!r} {rest}"

    body = app.test_client().get(f"/f/2.5/{uuid.UUID(int=1)}/a/b").text
    assert body == f"2.5 {uuid.UUID(int=1)!r} a/b"
