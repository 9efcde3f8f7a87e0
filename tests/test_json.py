"""flask.json: the module-level helpers, jsonify, and the JSON providers behind app.json."""

from __future__ import annotations

import dataclasses
import decimal
import io
import json as stdlib_json
import typing as t
import uuid
from datetime import date
from datetime import datetime
from datetime import timezone

import pytest
from markupsafe import Markup

import flask
from flask import json as fjson
from flask.json.provider import DefaultJSONProvider
from flask.json.provider import JSONProvider


class RecordingProvider(DefaultJSONProvider):
    """Marks everything it serializes and records everything it parses."""

    def __init__(self, app: flask.Flask) -> None:
        super().__init__(app)
        self.parsed: list[t.Any] = []

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        return super().dumps({"wrapped": obj}, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        self.parsed.append(s)
        value = super().loads(s, **kwargs)
        if isinstance(value, dict):
            value["seen_by_provider"] = True
        return value


@dataclasses.dataclass
class Parcel:
    label: str
    weight: int


class HasHtml:
    def __html__(self) -> str:
        return "<em>rendered</em>"


# --- module helpers: app provider inside a context, stdlib outside -------------------


def test_dumps_uses_the_app_provider_inside_an_app_context(app: flask.Flask) -> None:
    app.json = RecordingProvider(app)
    with app.app_context():
        assert stdlib_json.loads(fjson.dumps([1, 2])) == {"wrapped": [1, 2]}


def test_dump_writes_through_the_app_provider(app: flask.Flask) -> None:
    app.json = RecordingProvider(app)
    out = io.StringIO()
    with app.app_context():
        fjson.dump("text", out)
    assert stdlib_json.loads(out.getvalue()) == {"wrapped": "text"}


def test_loads_and_load_use_the_app_provider(app: flask.Flask) -> None:
    provider = RecordingProvider(app)
    app.json = provider
    with app.app_context():
        from_string = fjson.loads('{"a": 1}')
        from_file = fjson.load(io.StringIO('{"b": 2}'))
    assert from_string == {"a": 1, "seen_by_provider": True}
    assert from_file == {"b": 2, "seen_by_provider": True}
    assert provider.parsed == ['{"a": 1}', '{"b": 2}']


def test_helpers_use_the_stdlib_outside_an_app_context() -> None:
    assert not flask.current_app
    # No key sorting and default separators: the plain stdlib output.
    assert fjson.dumps({"z": 1, "a": 2}) == '{"z": 1, "a": 2}'
    assert fjson.loads(b'{"k": [true, null]}') == {"k": [True, None]}
    out = io.StringIO()
    fjson.dump({"n": 3}, out)
    assert out.getvalue() == '{"n": 3}'
    assert fjson.load(io.BytesIO(b"[1, 2]")) == [1, 2]


def test_helpers_outside_a_context_still_know_the_extra_types() -> None:
    when = datetime(2021, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    text = fjson.dumps([when, decimal.Decimal("1.50"), Parcel("box", 3)])
    assert stdlib_json.loads(text) == [
        "Thu, 04 Mar 2021 05:06:07 GMT",
        "1.50",
        {"label": "box", "weight": 3},
    ]


def test_helpers_outside_a_context_pass_options_to_the_stdlib() -> None:
    assert fjson.dumps({"b": 1, "a": 2}, sort_keys=True, indent=1) == (
        '{\n "a": 2,\n "b": 1\n}'
    )


def test_dumps_inside_a_context_sorts_keys_by_default(app_ctx: t.Any) -> None:
    assert fjson.dumps({"z": 1, "a": 2}) == '{"a": 2, "z": 1}'


# --- jsonify -------------------------------------------------------------------------


def test_jsonify_positional_arguments_become_a_list(app_ctx: t.Any) -> None:
    assert flask.jsonify(1, "two", None).get_json() == [1, "two", None]


def test_jsonify_single_argument_is_serialized_as_is(app_ctx: t.Any) -> None:
    assert flask.jsonify([4, 5]).get_json() == [4, 5]
    assert flask.jsonify("just text").get_json() == "just text"
    assert flask.jsonify({"x": 1}).get_json() == {"x": 1}


def test_jsonify_keyword_arguments_become_an_object(app_ctx: t.Any) -> None:
    assert flask.jsonify(color="red", size=9).get_json() == {"color": "red", "size": 9}


def test_jsonify_without_arguments_is_null(app_ctx: t.Any) -> None:
    response = flask.jsonify()
    assert response.get_data(as_text=True) == "null\n"


def test_jsonify_refuses_positional_and_keyword_arguments_together(
    app_ctx: t.Any,
) -> None:
    with pytest.raises(TypeError):
        flask.jsonify([1], extra=2)


def test_jsonify_response_is_json_typed_and_ends_with_newline(app_ctx: t.Any) -> None:
    response = flask.jsonify(ok=True)
    assert isinstance(response, flask.Response)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_data(as_text=True).endswith("}\n")


def test_jsonify_is_indented_in_debug_mode(app: flask.Flask) -> None:
    app.debug = True
    with app.app_context():
        body = flask.jsonify(b=[1], a=None).get_data(as_text=True)
    assert body == '{\n  "a": null,\n  "b": [\n    1\n  ]\n}\n'


def test_jsonify_is_compact_outside_debug_mode(app: flask.Flask) -> None:
    app.debug = False
    with app.app_context():
        body = flask.jsonify(b=[1, 2], a="x").get_data(as_text=True)
    assert body == '{"a":"x","b":[1,2]}\n'


@pytest.mark.parametrize("debug", [True, False])
def test_provider_compact_true_is_compact_even_in_debug(
    app: flask.Flask, debug: bool
) -> None:
    app.debug = debug
    app.json.compact = True  # type: ignore[attr-defined]
    with app.app_context():
        assert flask.jsonify(k=[1, 2]).get_data(as_text=True) == '{"k":[1,2]}\n'


@pytest.mark.parametrize("debug", [True, False])
def test_provider_compact_false_indents_even_outside_debug(
    app: flask.Flask, debug: bool
) -> None:
    app.debug = debug
    app.json.compact = False  # type: ignore[attr-defined]
    with app.app_context():
        body = flask.jsonify(k=1).get_data(as_text=True)
    assert body == '{\n  "k": 1\n}\n'


def test_provider_sort_keys_can_be_turned_off(app: flask.Flask) -> None:
    with app.app_context():
        assert flask.jsonify(zeta=1, alpha=2).get_data(as_text=True) == (
            '{"alpha":2,"zeta":1}\n'
        )
        app.json.sort_keys = False  # type: ignore[attr-defined]
        assert flask.jsonify(zeta=1, alpha=2).get_data(as_text=True) == (
            '{"zeta":1,"alpha":2}\n'
        )


def test_provider_ensure_ascii_controls_escaping(app: flask.Flask) -> None:
    with app.app_context():
        assert fjson.dumps("snö☃") == '"sn\\u00f6\\u2603"'
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        assert fjson.dumps("snö☃") == '"snö☃"'
        body = flask.jsonify(word="snö").get_data()
    assert body == '{"word":"snö"}\n'.encode()


def test_provider_mimetype_attribute_sets_the_response_type(app: flask.Flask) -> None:
    app.json.mimetype = "application/vnd.example+json"  # type: ignore[attr-defined]
    with app.app_context():
        assert flask.jsonify(1).mimetype == "application/vnd.example+json"


def test_jsonify_uses_the_app_response_class(app: flask.Flask) -> None:
    class TaggedResponse(flask.Response):
        pass

    app.response_class = TaggedResponse
    with app.app_context():
        assert type(flask.jsonify(a=1)) is TaggedResponse


def test_jsonify_needs_an_app_context() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        flask.jsonify(1)


# --- views returning JSON-able values --------------------------------------------------


def test_view_returning_a_dict_gives_a_json_response(
    app: flask.Flask, client: t.Any
) -> None:
    @app.route("/settings")
    def settings() -> dict[str, t.Any]:
        return {"theme": "dark", "size": 12}

    response = client.get("/settings")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"size": 12, "theme": "dark"}


def test_view_returning_a_list_with_status_gives_json(
    app: flask.Flask, client: t.Any
) -> None:
    @app.route("/items", methods=["POST"])
    def create_items() -> t.Any:
        return [{"id": 1}, {"id": 2}], 201

    response = client.post("/items")
    assert response.status_code == 201
    assert response.mimetype == "application/json"
    assert response.get_json() == [{"id": 1}, {"id": 2}]


def test_view_json_goes_through_a_custom_provider(
    app: flask.Flask, client: t.Any
) -> None:
    app.json = RecordingProvider(app)

    @app.route("/")
    def index() -> list[int]:
        return [7]

    assert stdlib_json.loads(client.get("/").data) == {"wrapped": [7]}


# --- DefaultJSONProvider.default -------------------------------------------------------


def test_default_serializes_dates_and_datetimes_as_http_dates() -> None:
    default = DefaultJSONProvider.default
    assert default(date(2020, 2, 29)) == "Sat, 29 Feb 2020 00:00:00 GMT"
    assert default(datetime(1999, 12, 31, 23, 59, 58)) == (
        "Fri, 31 Dec 1999 23:59:58 GMT"
    )


def test_default_converts_aware_datetimes_to_gmt(app_ctx: t.Any) -> None:
    from datetime import timedelta

    plus_two = timezone(timedelta(hours=2))
    when = datetime(2022, 6, 1, 12, 0, 0, tzinfo=plus_two)
    assert flask.jsonify(when).get_json() == "Wed, 01 Jun 2022 10:00:00 GMT"


def test_default_serializes_decimal_and_uuid_as_strings(app_ctx: t.Any) -> None:
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    data = flask.jsonify(price=decimal.Decimal("19.990"), id=ident).get_json()
    assert data == {"id": "12345678-1234-5678-1234-567812345678", "price": "19.990"}


def test_default_serializes_dataclasses_as_objects(app_ctx: t.Any) -> None:
    parcels = [Parcel("a", 1), Parcel("b", 2)]
    assert flask.jsonify(parcels).get_json() == [
        {"label": "a", "weight": 1},
        {"label": "b", "weight": 2},
    ]


def test_default_serializes_objects_with_html_method(app_ctx: t.Any) -> None:
    assert fjson.dumps([HasHtml(), Markup("<b>bold</b>")]) == (
        '["<em>rendered</em>", "<b>bold</b>"]'
    )


def test_default_refuses_unknown_types() -> None:
    class Opaque:
        pass

    with pytest.raises(TypeError):
        DefaultJSONProvider.default(Opaque())


def test_dataclass_type_itself_is_not_serializable(app_ctx: t.Any) -> None:
    with pytest.raises(TypeError):
        fjson.dumps(Parcel)


def test_unserializable_value_in_jsonify_raises_type_error(app_ctx: t.Any) -> None:
    with pytest.raises(TypeError):
        flask.jsonify(blob={1, 2})


def test_default_can_be_replaced_on_a_provider_subclass(app: flask.Flask) -> None:
    class SetFriendlyProvider(DefaultJSONProvider):
        @staticmethod
        def default(o: t.Any) -> t.Any:
            if isinstance(o, (set, frozenset)):
                return sorted(o)
            return DefaultJSONProvider.default(o)

    app.json = SetFriendlyProvider(app)
    with app.app_context():
        assert flask.jsonify(tags={"b", "a"}, when=date(2000, 1, 1)).get_json() == {
            "tags": ["a", "b"],
            "when": "Sat, 01 Jan 2000 00:00:00 GMT",
        }


def test_default_provider_class_attributes() -> None:
    assert DefaultJSONProvider.ensure_ascii is True
    assert DefaultJSONProvider.sort_keys is True
    assert DefaultJSONProvider.compact is None
    assert DefaultJSONProvider.mimetype == "application/json"


def test_default_provider_dumps_kwargs_override_attributes(app_ctx: t.Any) -> None:
    provider = flask.current_app.json
    assert provider.dumps({"b": 1, "a": "é"}, sort_keys=False, ensure_ascii=False) == (
        '{"b": 1, "a": "é"}'
    )


def test_default_provider_loads_bytes_in_utf_encodings(app_ctx: t.Any) -> None:
    provider = flask.current_app.json
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert provider.loads('{"café": 1}'.encode(encoding)) == {"café": 1}


# --- JSONProvider base --------------------------------------------------------------


def test_base_provider_dumps_and_loads_are_abstract(app: flask.Flask) -> None:
    provider = JSONProvider(app)
    with pytest.raises(NotImplementedError):
        provider.dumps({})
    with pytest.raises(NotImplementedError):
        provider.loads("{}")


class UpperProvider(JSONProvider):
    """A minimal provider: only dumps and loads, everything else is inherited."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        return stdlib_json.dumps(obj, **kwargs).upper()

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return {"parsed": stdlib_json.loads(s, **kwargs)}


def test_base_provider_dump_and_load_go_through_dumps_and_loads(
    app: flask.Flask,
) -> None:
    provider = UpperProvider(app)
    out = io.StringIO()
    provider.dump(["a", "b"], out)
    assert out.getvalue() == '["A", "B"]'
    assert provider.load(io.StringIO("[3]")) == {"parsed": [3]}


def test_base_provider_response_builds_json_response(app: flask.Flask) -> None:
    provider = UpperProvider(app)
    with app.app_context():
        many = provider.response("x", "y")
        named = provider.response(key="v")
        nothing = provider.response()
    assert isinstance(many, flask.Response)
    assert many.mimetype == "application/json"
    assert many.get_data(as_text=True) == '["X", "Y"]'
    assert named.get_data(as_text=True) == '{"KEY": "V"}'
    assert nothing.get_data(as_text=True) == "NULL"
    with pytest.raises(TypeError):
        provider.response(1, k=2)


def test_custom_provider_class_on_flask_subclass(tmp_path: t.Any) -> None:
    class UpperFlask(flask.Flask):
        json_provider_class = UpperProvider

    app = UpperFlask("upper_app", root_path=str(tmp_path))
    assert isinstance(app.json, UpperProvider)

    @app.route("/data")
    def data() -> dict[str, str]:
        return {"word": "quiet"}

    response = app.test_client().get("/data")
    assert response.get_data(as_text=True) == '{"WORD": "QUIET"}'
    with app.app_context():
        assert fjson.dumps("hi") == '"HI"'
        assert flask.jsonify("hey").get_data(as_text=True) == '"HEY"'


def test_provider_does_not_keep_the_app_alive(tmp_path: t.Any) -> None:
    import gc
    import weakref

    app = flask.Flask("short_lived", root_path=str(tmp_path))
    ref = weakref.ref(app)
    provider = app.json
    del app
    gc.collect()
    assert ref() is None
    del provider


# --- the provider at the edges: test client and request parsing ------------------------


def test_test_client_json_argument_uses_the_app_provider(app: flask.Flask) -> None:
    app.json = RecordingProvider(app)

    @app.post("/echo")
    def echo() -> str:
        return flask.request.get_data(as_text=True)

    response = app.test_client().post("/echo", json={"n": 1})
    assert stdlib_json.loads(response.data) == {"wrapped": {"n": 1}}


def test_test_client_json_argument_sets_content_type(
    app: flask.Flask, client: t.Any
) -> None:
    @app.post("/type")
    def content_type() -> str:
        return flask.request.content_type or ""

    assert client.post("/type", json=[1]).get_data(as_text=True) == "application/json"


def test_request_get_json_uses_the_app_provider_loads(
    app: flask.Flask, client: t.Any
) -> None:
    provider = RecordingProvider(app)
    app.json = provider

    @app.post("/parse")
    def parse() -> t.Any:
        data = flask.request.get_json()
        return flask.Response(repr(sorted(data.items())))

    response = client.post("/parse", data='{"x": 5}', content_type="application/json")
    assert response.get_data(as_text=True) == "[('seen_by_provider', True), ('x', 5)]"
    assert len(provider.parsed) == 1


def test_test_response_json_uses_the_app_provider(app: flask.Flask) -> None:
    app.json = RecordingProvider(app)

    @app.route("/raw")
    def raw() -> flask.Response:
        return flask.Response('{"plain": 1}', mimetype="application/json")

    response = app.test_client().get("/raw")
    assert response.json == {"plain": 1, "seen_by_provider": True}


def test_round_trip_of_nested_data_through_a_request(
    app: flask.Flask, client: t.Any
) -> None:
    @app.post("/double")
    def double() -> t.Any:
        payload = flask.request.get_json()
        return {key: value * 2 for key, value in payload.items()}

    response = client.post("/double", json={"a": 1, "b": "ab", "c": [0]})
    assert response.get_json() == {"a": 2, "b": "abab", "c": [0, 0]}


# --- the tojson template filter -------------------------------------------------------


def test_tojson_filter_escapes_html_characters(app_ctx: t.Any) -> None:
    rendered = flask.render_template_string(
        "<script>const data = {{ data|tojson }};</script>",
        data={"html": "</script><b>&'x'"},
    )
    assert rendered == (
        "<script>const data = "
        '{"html": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u0027x\\u0027"};'
        "</script>"
    )
    # The escaped text is still the same JSON value.
    start = rendered.index("{")
    end = rendered.rindex("}") + 1
    assert stdlib_json.loads(rendered[start:end]) == {"html": "</script><b>&'x'"}


def test_tojson_output_is_not_escaped_again_in_attributes(app_ctx: t.Any) -> None:
    rendered = flask.render_template_string(
        "<div data-x='{{ value|tojson }}'></div>", value=["a", 1]
    )
    assert rendered == """<div data-x='["a", 1]'></div>"""


def test_tojson_filter_uses_the_app_provider(app: flask.Flask) -> None:
    app.json = RecordingProvider(app)
    with app.app_context():
        rendered = flask.render_template_string("{{ [1]|tojson }}")
    assert rendered == '{"wrapped": [1]}'


def test_tojson_filter_handles_provider_types(app_ctx: t.Any) -> None:
    rendered = flask.render_template_string(
        "{{ value|tojson }}", value=decimal.Decimal("2.5")
    )
    assert rendered == '"2.5"'
