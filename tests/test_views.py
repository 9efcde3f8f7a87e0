"""Class-based views: ``View.as_view`` and the function it builds, instance reuse,
decorators, and ``MethodView`` dispatching on the HTTP method (405, HEAD, OPTIONS)."""

from __future__ import annotations

import functools
import typing as t

import pytest

import flask
from flask.views import http_method_funcs
from flask.views import MethodView
from flask.views import View


def allow_set(response: flask.Response) -> set[str]:
    """The methods of an ``Allow`` header; their order is not significant."""
    return {m.strip() for m in response.headers.get("Allow", "").split(",") if m}


# -- View and as_view ---------------------------------------------------------------


def test_view_subclass_answers_with_dispatch_request_result(app, client):
    class Greeting(View):
        def dispatch_request(self) -> str:
            return "good morning"

    app.add_url_rule("/greet", view_func=Greeting.as_view("greet"))

    response = client.get("/greet")
    assert response.status_code == 200
    assert response.data == b"good morning"


def test_url_variables_arrive_as_dispatch_request_keyword_arguments(app, client):
    class Coordinates(View):
        def dispatch_request(self, row: int, col: str) -> str:
            return f"{row * 2}-{col.upper()}"

    app.add_url_rule("/cell/<int:row>/<col>", view_func=Coordinates.as_view("cell"))

    assert client.get("/cell/21/b").data == b"42-B"


def test_as_view_forwards_constructor_arguments(app, client):
    class Banner(View):
        def __init__(self, text: str, *, border: str = "-") -> None:
            self.text = text
            self.border = border

        def dispatch_request(self) -> str:
            return f"{self.border}{self.text}{self.border}"

    app.add_url_rule("/a", view_func=Banner.as_view("plain", "hi"))
    app.add_url_rule("/b", view_func=Banner.as_view("starred", "hey", border="*"))

    assert client.get("/a").data == b"-hi-"
    assert client.get("/b").data == b"*hey*"


def test_view_is_instantiated_for_every_request_by_default(app, client):
    built: list[View] = []

    class Fresh(View):
        def __init__(self) -> None:
            built.append(self)
            self.hits = 0

        def dispatch_request(self) -> str:
            self.hits += 1
            return str(self.hits)

    view_func = Fresh.as_view("fresh")
    assert built == []
    app.add_url_rule("/fresh", view_func=view_func)

    assert [client.get("/fresh").data for _ in range(3)] == [b"1", b"1", b"1"]
    assert len(built) == 3
    assert len({id(instance) for instance in built}) == 3


def test_init_every_request_false_builds_one_instance_when_as_view_is_called(
    app, client
):
    constructed: list[tuple[tuple[t.Any, ...], dict[str, t.Any]]] = []

    class Tally(View):
        init_every_request = False

        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            constructed.append((args, kwargs))
            self.seen: list[str] = []

        def dispatch_request(self, word: str) -> str:
            self.seen.append(word)
            return " ".join(self.seen)

    view_func = Tally.as_view("tally", "first", size=2)
    # The single instance exists before any request arrives.
    assert constructed == [(("first",), {"size": 2})]
    app.add_url_rule("/say/<word>", view_func=view_func)

    assert client.get("/say/one").data == b"one"
    assert client.get("/say/two").data == b"one two"
    assert client.get("/say/three").data == b"one two three"
    assert len(constructed) == 1


def test_each_as_view_call_gets_its_own_shared_instance(app, client):
    class Counter(View):
        init_every_request = False

        def __init__(self) -> None:
            self.count = 0

        def dispatch_request(self) -> str:
            self.count += 1
            return str(self.count)

    app.add_url_rule("/left", view_func=Counter.as_view("left"))
    app.add_url_rule("/right", view_func=Counter.as_view("right"))

    client.get("/left")
    client.get("/left")
    assert client.get("/left").data == b"3"
    assert client.get("/right").data == b"1"


def test_as_view_result_carries_name_doc_module_and_view_class():
    class Catalogue(View):
        """Lists everything on offer."""

        def dispatch_request(self) -> str:
            return ""

    view_func = Catalogue.as_view("catalogue_page")

    assert view_func.__name__ == "catalogue_page"
    assert view_func.__doc__ == "Lists everything on offer."
    assert view_func.__module__ == __name__
    assert view_func.view_class is Catalogue  # type: ignore[attr-defined]


def test_as_view_result_carries_methods_and_automatic_options_setting():
    class Defaults(View):
        def dispatch_request(self) -> str:
            return ""

    class Configured(View):
        methods = ["PUT", "DELETE"]
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return ""

    plain = Defaults.as_view("plain")
    configured = Configured.as_view("configured")

    assert plain.methods is None  # type: ignore[attr-defined]
    assert plain.provide_automatic_options is None  # type: ignore[attr-defined]
    assert configured.methods == ["PUT", "DELETE"]  # type: ignore[attr-defined]
    assert configured.provide_automatic_options is False  # type: ignore[attr-defined]


def test_as_view_name_is_the_default_endpoint(app, client):
    class Where(View):
        def dispatch_request(self) -> str:
            return f"{flask.request.endpoint} {flask.url_for(flask.request.endpoint)}"

    app.add_url_rule("/here", view_func=Where.as_view("spot"))
    app.add_url_rule("/there", endpoint="elsewhere", view_func=Where.as_view("unused"))

    assert client.get("/here").data == b"spot /here"
    assert client.get("/there").data == b"elsewhere /there"
    assert set(app.view_functions) == {"static", "spot", "elsewhere"}


def test_view_without_dispatch_request_raises_not_implemented(app, client):
    class Unfinished(View):
        pass

    app.add_url_rule("/todo", view_func=Unfinished.as_view("todo"))

    with pytest.raises(NotImplementedError):
        client.get("/todo")


# -- decorators ------------------------------------------------------------------


def wrap_with(label: str) -> t.Callable[[t.Callable[..., str]], t.Callable[..., str]]:
    def decorator(func: t.Callable[..., str]) -> t.Callable[..., str]:
        @functools.wraps(func)
        def wrapper(**kwargs: t.Any) -> str:
            return f"{label}[{func(**kwargs)}]"

        return wrapper

    return decorator


def test_decorators_apply_in_list_order_first_innermost(app, client):
    class Layered(View):
        decorators = [wrap_with("inner"), wrap_with("middle"), wrap_with("outer")]

        def dispatch_request(self) -> str:
            return "core"

    app.add_url_rule("/layers", view_func=Layered.as_view("layers"))

    assert client.get("/layers").data == b"outer[middle[inner[core]]]"


def test_decorators_see_the_view_name_and_module_while_wrapping():
    seen: list[tuple[str, str]] = []

    def inspector(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        seen.append((func.__name__, func.__module__))
        return func

    class Inspected(View):
        decorators = [inspector]

        def dispatch_request(self) -> str:
            return ""

    Inspected.as_view("inspected_view")

    assert seen == [("inspected_view", __name__)]


def test_view_attributes_are_set_on_the_outermost_decorated_function(app, client):
    def opaque(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        # Deliberately copies nothing from the wrapped function.
        def shell(**kwargs: t.Any) -> t.Any:
            return func(**kwargs)

        return shell

    class Hidden(View):
        """Behind an opaque decorator."""

        methods = ["POST"]
        decorators = [opaque]

        def dispatch_request(self) -> str:
            return "reached"

    view_func = Hidden.as_view("hidden")
    assert view_func.__name__ == "hidden"
    assert view_func.__doc__ == "Behind an opaque decorator."
    assert view_func.view_class is Hidden  # type: ignore[attr-defined]
    assert view_func.methods == ["POST"]  # type: ignore[attr-defined]

    app.add_url_rule("/hidden", view_func=view_func)
    assert client.post("/hidden").data == b"reached"
    assert client.get("/hidden").status_code == 405


def test_decorator_can_answer_instead_of_the_view(app, client):
    def require_token(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(func)
        def guarded(**kwargs: t.Any) -> t.Any:
            if flask.request.headers.get("X-Token") != "let-me-in":
                return "no token", 401
            return func(**kwargs)

        return guarded

    class Vault(View):
        decorators = [require_token]

        def dispatch_request(self) -> str:
            return "gold"

    app.add_url_rule("/vault", view_func=Vault.as_view("vault"))

    refused = client.get("/vault")
    assert (refused.status_code, refused.data) == (401, b"no token")
    assert client.get("/vault", headers={"X-Token": "let-me-in"}).data == b"gold"


def test_decorators_also_wrap_a_shared_instance_view(app, client):
    class Reused(View):
        init_every_request = False
        decorators = [wrap_with("deco")]

        def __init__(self) -> None:
            self.calls = 0

        def dispatch_request(self) -> str:
            self.calls += 1
            return str(self.calls)

    app.add_url_rule("/reused", view_func=Reused.as_view("reused"))

    assert client.get("/reused").data == b"deco[1]"
    assert client.get("/reused").data == b"deco[2]"


# -- methods and OPTIONS for View --------------------------------------------------


def test_view_without_methods_accepts_get_head_and_options_only(app, client):
    class Reader(View):
        def dispatch_request(self) -> str:
            return f"read via {flask.request.method}"

    app.add_url_rule("/read", view_func=Reader.as_view("read"))

    assert client.get("/read").data == b"read via GET"
    head = client.head("/read")
    assert head.status_code == 200
    assert head.data == b""
    refused = client.post("/read")
    assert refused.status_code == 405
    assert allow_set(refused) == {"GET", "HEAD", "OPTIONS"}


def test_view_methods_attribute_limits_routing(app, client):
    class Writer(View):
        methods = ["POST", "PUT"]

        def dispatch_request(self) -> str:
            return f"wrote via {flask.request.method}"

    app.add_url_rule("/write", view_func=Writer.as_view("write"))

    assert client.post("/write").data == b"wrote via POST"
    assert client.put("/write").data == b"wrote via PUT"
    refused = client.get("/write")
    assert refused.status_code == 405
    assert allow_set(refused) == {"POST", "PUT", "OPTIONS"}


def test_methods_given_to_add_url_rule_replace_the_view_methods(app, client):
    class Flexible(View):
        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return flask.request.method

    app.add_url_rule("/flex", view_func=Flexible.as_view("flex"), methods=["PATCH"])

    assert client.patch("/flex").data == b"PATCH"
    assert client.get("/flex").status_code == 405
    assert client.post("/flex").status_code == 405


def test_automatic_options_response_lists_the_view_methods(app, client):
    class Editor(View):
        methods = ["GET", "DELETE"]

        def dispatch_request(self) -> str:
            return "the view itself"

    app.add_url_rule("/edit", view_func=Editor.as_view("edit"))

    response = client.options("/edit")
    assert response.status_code == 200
    assert response.data == b""
    assert allow_set(response) == {"GET", "HEAD", "DELETE", "OPTIONS"}


def test_view_turning_off_automatic_options_gets_405_for_options(app, client):
    class Silent(View):
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return "silent"

    app.add_url_rule("/silent", view_func=Silent.as_view("silent"))

    response = client.options("/silent")
    assert response.status_code == 405
    assert allow_set(response) == {"GET", "HEAD"}


def test_view_listing_options_without_automatic_answer_handles_options(app, client):
    class Preflight(View):
        methods = ["GET", "OPTIONS"]
        provide_automatic_options = False

        def dispatch_request(self) -> flask.Response:
            response = flask.make_response(f"handled {flask.request.method}")
            response.headers["X-Handled-By"] = "view"
            return response

    app.add_url_rule("/preflight", view_func=Preflight.as_view("preflight"))

    response = client.options("/preflight")
    assert response.data == b"handled OPTIONS"
    assert response.headers["X-Handled-By"] == "view"


def test_view_forcing_automatic_options_answers_options_itself(app, client):
    # Deliberate difference from Flask 3.1.3 (see CHANGES.rst): an explicit True also
    # allows OPTIONS on the rule, so the automatic answer is really served.
    class Forced(View):
        provide_automatic_options = True

        def dispatch_request(self) -> str:
            return "view body"

    app.add_url_rule("/forced", view_func=Forced.as_view("forced"))

    answer = client.options("/forced")
    assert answer.status_code == 200
    assert answer.data == b""
    assert allow_set(answer) == {"GET", "HEAD", "OPTIONS"}


def test_view_options_setting_is_used_even_when_config_disables_it(app, client):
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False

    class Default(View):
        def dispatch_request(self) -> str:
            return ""

    class Opted(View):
        methods = ["GET", "OPTIONS"]
        provide_automatic_options = True

        def dispatch_request(self) -> str:
            return "not expected"

    app.add_url_rule("/default", view_func=Default.as_view("default"))
    app.add_url_rule("/opted", view_func=Opted.as_view("opted"))

    assert client.options("/default").status_code == 405
    opted = client.options("/opted")
    assert opted.status_code == 200
    assert opted.data == b""


# -- MethodView ------------------------------------------------------------------


def test_http_method_funcs_is_a_frozenset_of_lowercase_method_names():
    assert isinstance(http_method_funcs, frozenset)
    assert http_method_funcs == {
        "get",
        "post",
        "head",
        "options",
        "delete",
        "put",
        "trace",
        "patch",
    }


def test_method_view_calls_the_handler_named_after_the_method(app, client):
    class Shelf(MethodView):
        def get(self) -> str:
            return "listing"

        def post(self) -> tuple[str, int]:
            return "added", 201

        def delete(self) -> tuple[str, int]:
            return "", 204

    app.add_url_rule("/shelf", view_func=Shelf.as_view("shelf"))

    assert client.get("/shelf").data == b"listing"
    created = client.post("/shelf")
    assert (created.status_code, created.data) == (201, b"added")
    assert client.delete("/shelf").status_code == 204


def test_method_view_handlers_receive_url_values(app, client):
    class Book(MethodView):
        def get(self, isbn: str, page: int) -> str:
            return f"{isbn} p{page}"

        def put(self, isbn: str, page: int) -> str:
            return f"replaced {isbn} p{page + 1}"

    app.add_url_rule("/book/<isbn>/<int:page>", view_func=Book.as_view("book"))

    assert client.get("/book/978x/4").data == b"978x p4"
    assert client.put("/book/978x/4").data == b"replaced 978x p5"


def test_method_view_methods_come_from_the_defined_handlers():
    class Reading(MethodView):
        def get(self) -> str:
            return ""

        def patch(self) -> str:
            return ""

        def helper(self) -> None:
            """Not an HTTP method, so it adds nothing."""

    class Nothing(MethodView):
        pass

    assert set(Reading.methods) == {"GET", "PATCH"}  # type: ignore[arg-type]
    assert Nothing.methods is None


def test_method_view_methods_include_inherited_handlers(app, client):
    class Base(MethodView):
        def get(self) -> str:
            return "base get"

    class Extended(Base):
        def post(self) -> str:
            return "extended post"

    app.add_url_rule("/ext", view_func=Extended.as_view("ext"))

    assert set(Base.methods) == {"GET"}  # type: ignore[arg-type]
    assert set(Extended.methods) == {"GET", "POST"}  # type: ignore[arg-type]
    assert client.get("/ext").data == b"base get"
    assert client.post("/ext").data == b"extended post"


def test_method_view_subclass_override_replaces_the_inherited_handler(app, client):
    class Original(MethodView):
        def get(self) -> str:
            return "original"

        def put(self) -> str:
            return "original put"

    class Revised(Original):
        def get(self) -> str:
            return "revised"

    app.add_url_rule("/orig", view_func=Original.as_view("orig"))
    app.add_url_rule("/rev", view_func=Revised.as_view("rev"))

    assert client.get("/orig").data == b"original"
    assert client.get("/rev").data == b"revised"
    assert client.put("/rev").data == b"original put"


def test_method_view_counts_handlers_from_a_plain_mixin(app, client):
    class Removable:
        def delete(self) -> str:
            return "removed by mixin"

    class Record(Removable, MethodView):
        def get(self) -> str:
            return "record"

    app.add_url_rule("/record", view_func=Record.as_view("record"))

    assert set(Record.methods) == {"GET", "DELETE"}  # type: ignore[arg-type]
    assert client.delete("/record").data == b"removed by mixin"


def test_method_view_keeps_methods_declared_on_a_base_class(app, client):
    class Declared(MethodView):
        methods = ["PATCH"]

        def patch(self) -> str:
            return "patched"

    class WithGet(Declared):
        def get(self) -> str:
            return "fetched"

    app.add_url_rule("/decl", view_func=WithGet.as_view("decl"))

    assert set(WithGet.methods) == {"PATCH", "GET"}  # type: ignore[arg-type]
    assert client.patch("/decl").data == b"patched"
    assert client.get("/decl").data == b"fetched"


def test_method_view_explicit_methods_are_not_recomputed(app, client):
    class Narrowed(MethodView):
        methods = ["GET"]

        def get(self) -> str:
            return "allowed"

        def post(self) -> str:
            return "never routed"

    app.add_url_rule("/narrow", view_func=Narrowed.as_view("narrow"))

    assert Narrowed.methods == ["GET"]
    assert client.get("/narrow").data == b"allowed"
    refused = client.post("/narrow")
    assert refused.status_code == 405
    assert allow_set(refused) == {"GET", "HEAD", "OPTIONS"}


def test_method_view_unimplemented_method_answers_405_with_allow_header(app, client):
    class Profile(MethodView):
        def get(self) -> str:
            return "profile"

        def post(self) -> str:
            return "saved"

    app.add_url_rule("/profile", view_func=Profile.as_view("profile"))

    for method in ("PUT", "DELETE", "PATCH", "TRACE"):
        response = client.open("/profile", method=method)
        assert response.status_code == 405, method
        assert allow_set(response) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_method_view_without_get_refuses_head(app, client):
    class Inbox(MethodView):
        def post(self) -> str:
            return "delivered"

    app.add_url_rule("/inbox", view_func=Inbox.as_view("inbox"))

    for response in (client.get("/inbox"), client.head("/inbox")):
        assert response.status_code == 405
        assert allow_set(response) == {"POST", "OPTIONS"}
    assert client.post("/inbox").data == b"delivered"


def test_method_view_head_falls_back_to_get(app, client):
    called: list[str] = []

    class Document(MethodView):
        def get(self) -> flask.Response:
            called.append(flask.request.method)
            response = flask.make_response("full document body")
            response.headers["X-Version"] = "7"
            return response

    app.add_url_rule("/doc", view_func=Document.as_view("doc"))

    response = client.head("/doc")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["X-Version"] == "7"
    assert response.content_length == len("full document body")
    assert called == ["HEAD"]


def test_method_view_head_handler_is_preferred_over_get(app, client):
    class Probe(MethodView):
        def get(self) -> str:
            return "get body"

        def head(self) -> flask.Response:
            return flask.Response(headers={"X-Probe": "head handler"})

    app.add_url_rule("/probe", view_func=Probe.as_view("probe"))

    assert set(Probe.methods) == {"GET", "HEAD"}  # type: ignore[arg-type]
    response = client.head("/probe")
    assert response.headers["X-Probe"] == "head handler"
    assert "X-Probe" not in client.get("/probe").headers


def test_method_view_automatic_options_lists_its_methods(app, client):
    class Collection(MethodView):
        def get(self) -> str:
            return ""

        def put(self) -> str:
            return ""

    app.add_url_rule("/coll", view_func=Collection.as_view("coll"))

    response = client.options("/coll")
    assert response.status_code == 200
    assert allow_set(response) == {"GET", "HEAD", "PUT", "OPTIONS"}


def test_method_view_options_handler_replaces_the_automatic_answer(app, client):
    class Negotiator(MethodView):
        def get(self) -> str:
            return "content"

        def options(self) -> flask.Response:
            return flask.Response("custom options", headers={"Allow": "GET"})

    app.add_url_rule("/neg", view_func=Negotiator.as_view("neg"))

    response = client.options("/neg")
    assert response.data == b"custom options"
    assert response.headers["Allow"] == "GET"


def test_method_view_listed_but_missing_handler_raises_assertion(app, client):
    class Promised(MethodView):
        methods = ["GET", "PUT"]

        def get(self) -> str:
            return "present"

    app.add_url_rule("/promised", view_func=Promised.as_view("promised"))

    assert client.get("/promised").data == b"present"
    with pytest.raises(AssertionError, match="Unimplemented method 'PUT'"):
        client.put("/promised")


def test_method_view_without_handlers_fails_on_get(app, client):
    class Hollow(MethodView):
        pass

    app.add_url_rule("/hollow", view_func=Hollow.as_view("hollow"))

    with pytest.raises(AssertionError, match="Unimplemented method 'GET'"):
        client.get("/hollow")


def test_method_view_error_is_a_500_when_not_testing(app, client):
    app.testing = False

    class Hollow(MethodView):
        methods = ["GET", "DELETE"]

        def get(self) -> str:
            return ""

    app.add_url_rule("/hollow", view_func=Hollow.as_view("hollow"))

    assert client.delete("/hollow").status_code == 500


def test_method_view_serves_item_and_collection_routes(app, client):
    stock = {1: "hammer", 2: "saw"}

    class Tools(MethodView):
        init_every_request = False

        def get(self, tool_id: int | None) -> t.Any:
            if tool_id is None:
                return sorted(stock.values())
            return {"name": stock[tool_id]}

        def delete(self, tool_id: int) -> tuple[str, int]:
            del stock[tool_id]
            return "", 204

    tools = Tools.as_view("tools")
    app.add_url_rule("/tools/", defaults={"tool_id": None}, view_func=tools)
    app.add_url_rule("/tools/<int:tool_id>", view_func=tools)

    assert client.get("/tools/").json == ["hammer", "saw"]
    assert client.get("/tools/2").json == {"name": "saw"}
    assert client.delete("/tools/1").status_code == 204
    assert client.get("/tools/").json == ["saw"]
    with app.test_request_context():
        assert flask.url_for("tools") == "/tools/"
        assert flask.url_for("tools", tool_id=5) == "/tools/5"


def test_method_view_decorators_wrap_every_method(app, client):
    class Wrapped(MethodView):
        decorators = [wrap_with("all")]

        def get(self) -> str:
            return "g"

        def post(self) -> str:
            return "p"

    app.add_url_rule("/wrapped", view_func=Wrapped.as_view("wrapped"))

    assert client.get("/wrapped").data == b"all[g]"
    assert client.post("/wrapped").data == b"all[p]"


def test_method_view_shared_instance_keeps_state_across_methods(app, client):
    class Notes(MethodView):
        init_every_request = False

        def __init__(self) -> None:
            self.notes: list[str] = []

        def get(self) -> str:
            return "|".join(self.notes)

        def post(self) -> str:
            self.notes.append(flask.request.form["text"])
            return str(len(self.notes))

    app.add_url_rule("/notes", view_func=Notes.as_view("notes"))

    assert client.post("/notes", data={"text": "milk"}).data == b"1"
    assert client.post("/notes", data={"text": "eggs"}).data == b"2"
    assert client.get("/notes").data == b"milk|eggs"


# -- blueprints ------------------------------------------------------------------


def test_view_on_blueprint_gets_a_prefixed_endpoint_and_url(app, client):
    shop = flask.Blueprint("shop", __name__, url_prefix="/shop")

    class Basket(MethodView):
        def get(self) -> str:
            return " ".join(
                [
                    flask.request.endpoint or "",
                    flask.request.blueprint or "",
                    flask.url_for(".basket"),
                ]
            )

        def post(self) -> str:
            return "put in basket"

    shop.add_url_rule("/basket", view_func=Basket.as_view("basket"))
    app.register_blueprint(shop)

    assert client.get("/shop/basket").data == b"shop.basket shop /shop/basket"
    assert client.post("/shop/basket").data == b"put in basket"
    assert client.delete("/shop/basket").status_code == 405
    assert app.view_functions["shop.basket"].view_class is Basket  # type: ignore[attr-defined]


def test_view_on_blueprint_runs_blueprint_hooks_and_class_decorators(app, client):
    admin = flask.Blueprint("admin", __name__)
    order: list[str] = []

    @admin.before_request
    def admin_before() -> None:
        order.append("blueprint before")

    def note(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(func)
        def noted(**kwargs: t.Any) -> t.Any:
            order.append("decorator")
            return func(**kwargs)

        return noted

    class Panel(View):
        decorators = [note]
        methods = ["GET", "POST"]

        def __init__(self, title: str) -> None:
            self.title = title

        def dispatch_request(self, section: str) -> str:
            order.append("view")
            return f"{self.title}: {section}"

    admin.add_url_rule(
        "/panel/<section>", view_func=Panel.as_view("panel", "Control Panel")
    )
    app.register_blueprint(admin, url_prefix="/admin")

    assert client.post("/admin/panel/users").data == b"Control Panel: users"
    assert order == ["blueprint before", "decorator", "view"]
    with app.test_request_context():
        assert flask.url_for("admin.panel", section="x") == "/admin/panel/x"
