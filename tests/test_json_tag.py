"""The tagged JSON format the cookie session stores its data in (``flask.json.tag``).

Besides behaviour checks for every built-in tag and for ``register``, the output of
``dumps`` is compared byte for byte with what the reference Flask 3.1.3 produced for the
same values; those outputs live in ``data/session_cookies.json`` (section ``"tagged"``),
written by ``scripts/make_session_cookie_fixtures.py``.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import typing as t
from collections import OrderedDict
from uuid import UUID

import pytest
from markupsafe import Markup

import flask
from flask.json.tag import JSONTag
from flask.json.tag import PassDict
from flask.json.tag import PassList
from flask.json.tag import TagBytes
from flask.json.tag import TagDateTime
from flask.json.tag import TagDict
from flask.json.tag import TaggedJSONSerializer
from flask.json.tag import TagMarkup
from flask.json.tag import TagTuple
from flask.json.tag import TagUUID
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import session_json_serializer

FIXTURES = json.loads(
    (pathlib.Path(__file__).parent / "data" / "session_cookies.json").read_text("utf-8")
)
REFERENCE_CASES = FIXTURES["tagged"]
UTC = datetime.timezone.utc


def from_repr(text: str) -> t.Any:
    """Rebuild a fixture value from the ``repr`` the generator stored."""
    return eval(text, {"datetime": datetime, "UUID": UUID, "Markup": Markup})


@pytest.fixture
def serializer() -> TaggedJSONSerializer:
    return TaggedJSONSerializer()


# Byte-for-byte agreement with the reference -----------------------------------------------


def test_reference_fixture_covers_every_builtin_tag_key():
    # Guard against a regenerated fixture silently dropping a tag from the comparison.
    seen = "".join(case["dumps"] for case in REFERENCE_CASES)
    for key in (" t", " b", " m", " u", " d", " di"):
        assert f'"{key}":' in seen
    assert FIXTURES["flask_version"] == "3.1.3"


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda c: c["name"])
def test_dumps_without_app_matches_reference_bytes(serializer, case):
    value = from_repr(case["value"])
    assert serializer.dumps(value) == case["dumps"]


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda c: c["name"])
def test_dumps_inside_app_context_matches_reference_bytes(app, serializer, case):
    value = from_repr(case["value"])
    with app.app_context():
        assert serializer.dumps(value) == case["dumps_in_app_context"]


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda c: c["name"])
def test_loads_of_reference_output_rebuilds_reference_value(serializer, case):
    loaded = serializer.loads(case["dumps"])
    # repr() distinguishes tuple from list, Markup from str and aware from naive.
    assert repr(loaded) == case["loaded"]
    assert loaded == from_repr(case["loaded"])


def test_app_json_provider_settings_shape_the_output(app, serializer):
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    with app.app_context():
        out = serializer.dumps({"z": "ü", "a": (1,)})
    assert out == '{"z":"ü","a":{" t":[1]}}'


# The built-in tags ------------------------------------------------------------------------


def test_default_tags_are_tried_in_documented_order():
    assert TaggedJSONSerializer.default_tags == [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]
    names = [type(tag).__name__ for tag in TaggedJSONSerializer().order]
    assert names == [cls.__name__ for cls in TaggedJSONSerializer.default_tags]


def test_builtin_tag_keys(serializer):
    assert sorted(serializer.tags) == [" b", " d", " di", " m", " t", " u"]
    assert {key: type(tag) for key, tag in serializer.tags.items()} == {
        " b": TagBytes,
        " d": TagDateTime,
        " di": TagDict,
        " m": TagMarkup,
        " t": TagTuple,
        " u": TagUUID,
    }


def test_tuple_becomes_tagged_list_and_comes_back_as_tuple(serializer):
    assert serializer.tag((1, "a")) == {" t": [1, "a"]}
    assert serializer.dumps(("x", ("y",))) == '{" t":["x",{" t":["y"]}]}'
    assert serializer.loads('{" t":["x",{" t":["y"]}]}') == ("x", ("y",))


def test_bytes_are_base64_text(serializer):
    assert serializer.tag(b"\xfb\xff") == {" b": "+/8="}
    restored = serializer.loads(serializer.dumps(b"\x00raw\xff"))
    assert restored == b"\x00raw\xff"
    assert isinstance(restored, bytes)


def test_markup_round_trips_as_markup(serializer):
    out = serializer.dumps(Markup("<b>bold</b>"))
    assert out == '{" m":"<b>bold</b>"}'
    restored = serializer.loads(out)
    assert isinstance(restored, Markup)
    assert restored == "<b>bold</b>"


def test_any_object_with_html_method_is_stored_as_markup(serializer):
    class Widget:
        def __html__(self) -> str:
            return "<span>w</span>"

    assert serializer.dumps([Widget()]) == '[{" m":"<span>w</span>"}]'
    (restored,) = serializer.loads(serializer.dumps([Widget()]))
    assert isinstance(restored, Markup)
    assert str(restored) == "<span>w</span>"


def test_uuid_is_stored_as_hex(serializer):
    value = UUID("a1b2c3d4-0000-4000-8000-0123456789ab")
    assert serializer.tag(value) == {" u": "a1b2c3d40000400080000123456789ab"}
    assert serializer.loads(serializer.dumps(value)) == value


def test_datetime_is_an_http_date_in_utc(serializer):
    aware = datetime.datetime(2022, 8, 9, 10, 11, 12, tzinfo=UTC)
    assert serializer.dumps(aware) == '{" d":"Tue, 09 Aug 2022 10:11:12 GMT"}'
    restored = serializer.loads(serializer.dumps(aware))
    assert restored == aware
    assert restored.tzinfo == UTC


def test_naive_datetime_is_taken_as_utc_and_loads_aware(serializer):
    naive = datetime.datetime(2022, 8, 9, 10, 11, 12)
    restored = serializer.loads(serializer.dumps(naive))
    assert restored == naive.replace(tzinfo=UTC)


def test_datetime_with_offset_is_converted_and_loses_microseconds(serializer):
    tz = datetime.timezone(datetime.timedelta(hours=-4))
    value = datetime.datetime(2022, 8, 9, 22, 0, 0, 123456, tzinfo=tz)
    assert serializer.dumps(value) == '{" d":"Wed, 10 Aug 2022 02:00:00 GMT"}'
    assert serializer.loads(serializer.dumps(value)) == value.replace(microsecond=0)


def test_plain_date_is_not_tagged_and_loads_as_text(serializer):
    out = serializer.dumps(datetime.date(2022, 8, 9))
    assert out == '"Tue, 09 Aug 2022 00:00:00 GMT"'
    assert serializer.loads(out) == "Tue, 09 Aug 2022 00:00:00 GMT"


def test_dict_values_are_tagged_and_keys_left_alone(serializer):
    assert serializer.tag({"k": (1,), "b": b"a"}) == {
        "k": {" t": [1]},
        "b": {" b": "YQ=="},
    }


def test_list_items_are_tagged(serializer):
    assert serializer.tag([(1,), [b"a"]]) == [{" t": [1]}, [{" b": "YQ=="}]]


def test_untagged_scalars_pass_through(serializer):
    for value in ("text", 3, 2.5, True, None):
        assert serializer.tag(value) is value


def test_dict_whose_only_key_is_a_tag_is_wrapped(serializer):
    out = serializer.dumps({" t": ["not", "a", "tuple"]})
    assert out == '{" di":{" t__":["not","a","tuple"]}}'
    restored = serializer.loads(out)
    assert restored == {" t": ["not", "a", "tuple"]}
    assert isinstance(restored[" t"], list)


def test_wrapped_dict_value_is_tagged_too(serializer):
    assert (
        serializer.dumps({" b": (b"z",)}) == '{" di":{" b__":{" t":[{" b":"eg=="}]}}}'
    )
    assert serializer.loads(serializer.dumps({" b": (b"z",)})) == {" b": (b"z",)}


def test_wrapper_key_itself_survives_a_round_trip(serializer):
    value = {" di": {" di": 1}}
    assert serializer.loads(serializer.dumps(value)) == value


def test_dict_with_tag_key_among_several_keys_is_not_wrapped(serializer):
    assert serializer.dumps({" t": 1, "other": 2}) == '{" t":1,"other":2}'
    assert serializer.loads('{" t":1,"other":2}') == {" t": 1, "other": 2}


def test_dict_with_unregistered_space_key_is_not_wrapped(serializer):
    assert serializer.dumps({" zz": 1}) == '{" zz":1}'
    assert serializer.loads('{" zz":1}') == {" zz": 1}


def test_untag_converts_only_single_known_keys(serializer):
    assert serializer.untag({" t": [1, 2]}) == (1, 2)
    assert serializer.untag({" t": [1], "x": 1}) == {" t": [1], "x": 1}
    assert serializer.untag({" nope": 1}) == {" nope": 1}
    assert serializer.untag({}) == {}


def test_loads_untags_nested_values_inside_out(serializer):
    text = '{"a":[{" t":[{" b":"YQ=="},{" u":"' + "0" * 32 + '"}]}]}'
    assert serializer.loads(text) == {"a": [(b"a", UUID(int=0))]}


def test_dumps_is_compact(serializer):
    assert (
        serializer.dumps({"a": [1, 2], "b": {"c": None}})
        == '{"a":[1,2],"b":{"c":null}}'
    )


def test_unknown_types_raise_type_error(serializer):
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        serializer.dumps({"s": {1, 2}})


def test_module_exposes_json_dumps_and_loads():
    from flask.json import tag as tag_module

    assert tag_module.dumps is flask.json.dumps
    assert tag_module.loads is flask.json.loads


def test_session_interface_uses_the_shared_session_serializer():
    assert isinstance(session_json_serializer, TaggedJSONSerializer)
    assert SecureCookieSessionInterface.serializer is session_json_serializer


# JSONTag and register() -------------------------------------------------------------------


def test_json_tag_base_methods_must_be_overridden(serializer):
    base = JSONTag(serializer)
    assert base.serializer is serializer
    assert JSONTag.key == ""
    for method in (base.check, base.to_json, base.to_python, base.tag):
        with pytest.raises(NotImplementedError):
            method(1)


def test_json_tag_instances_take_no_extra_attributes(serializer):
    with pytest.raises(AttributeError):
        TagTuple(serializer).extra = 1  # type: ignore[attr-defined]


class TagComplex(JSONTag):
    __slots__ = ()
    key = " c"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, complex)

    def to_json(self, value: t.Any) -> t.Any:
        return [value.real, value.imag]

    def to_python(self, value: t.Any) -> t.Any:
        return complex(*value)


def test_registered_tag_serializes_new_type(serializer):
    serializer.register(TagComplex)
    out = serializer.dumps({"z": [1 + 2j]})
    assert out == '{"z":[{" c":[1.0,2.0]}]}'
    assert serializer.loads(out) == {"z": [1 + 2j]}
    assert isinstance(serializer.tags[" c"], TagComplex)
    assert serializer.order[-1] is serializer.tags[" c"]


def test_registering_a_tag_also_protects_dicts_using_its_key(serializer):
    assert serializer.dumps({" c": 5}) == '{" c":5}'
    serializer.register(TagComplex)
    assert serializer.dumps({" c": 5}) == '{" di":{" c__":5}}'
    assert serializer.loads(serializer.dumps({" c": 5})) == {" c": 5}


def test_register_on_one_serializer_leaves_others_alone(serializer):
    serializer.register(TagComplex)
    assert " c" not in TaggedJSONSerializer().tags
    assert " c" not in session_json_serializer.tags


def test_register_duplicate_key_raises_key_error(serializer):
    class OtherTuple(TagTuple):
        __slots__ = ()

    with pytest.raises(KeyError, match="Tag ' t' is already registered."):
        serializer.register(OtherTuple)
    assert type(serializer.tags[" t"]) is TagTuple
    assert len(serializer.order) == len(TaggedJSONSerializer.default_tags)


class TagJoinedTuple(JSONTag):
    """Replaces the tuple tag: stores tuples of strings as one joined string."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        return "|".join(value)

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value.split("|"))


def test_forced_register_replaces_loading_but_appends_to_the_order(serializer):
    serializer.register(TagJoinedTuple, force=True)
    # Loading uses the new tag for the key...
    assert serializer.loads('{" t":"a|b"}') == ("a", "b")
    # ...but the original tuple tag still comes first when dumping.
    assert serializer.dumps(("a", "b")) == '{" t":["a","b"]}'
    assert isinstance(serializer.order[-1], TagJoinedTuple)


def test_forced_register_at_index_wins_when_dumping(serializer):
    serializer.register(TagJoinedTuple, force=True, index=0)
    assert isinstance(serializer.order[0], TagJoinedTuple)
    assert serializer.dumps(("a", "b")) == '{" t":"a|b"}'
    assert serializer.loads(serializer.dumps(("a", "b"))) == ("a", "b")


def test_register_index_inserts_at_that_position(serializer):
    serializer.register(TagJoinedTuple, force=True, index=2)
    names = [type(tag).__name__ for tag in serializer.order]
    assert names[:4] == ["TagDict", "PassDict", "TagJoinedTuple", "TagTuple"]


class TagOrdered(JSONTag):
    __slots__ = ()
    key = " od"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, OrderedDict)

    def to_json(self, value: t.Any) -> t.Any:
        return [[k, self.serializer.tag(v)] for k, v in value.items()]

    def to_python(self, value: t.Any) -> t.Any:
        return OrderedDict(value)


def test_tag_for_dict_subclass_needs_an_early_index(serializer):
    value = OrderedDict([("b", (1,)), ("a", 2)])
    serializer.register(TagOrdered)
    # Appended after PassDict, which already claims every dict.
    assert serializer.dumps(value) == '{"b":{" t":[1]},"a":2}'

    other = TaggedJSONSerializer()
    other.register(TagOrdered, index=0)
    out = other.dumps(value)
    assert out == '{" od":[["b",{" t":[1]}],["a",2]]}'
    restored = other.loads(out)
    assert isinstance(restored, OrderedDict)
    assert list(restored.items()) == [("b", (1,)), ("a", 2)]


class PassSet(JSONTag):
    """A keyless tag: sets are written as sorted lists and load back as lists."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, (set, frozenset))

    def to_json(self, value: t.Any) -> t.Any:
        return sorted(value)

    tag = to_json


def test_keyless_tag_only_transforms_output_and_can_repeat(serializer):
    serializer.register(PassSet)
    serializer.register(PassSet)
    assert "" not in serializer.tags
    assert len(serializer.order) == len(TaggedJSONSerializer.default_tags) + 2
    assert serializer.dumps({"s": {3, 1, 2}}) == '{"s":[1,2,3]}'
    assert serializer.loads('{"s":[1,2,3]}') == {"s": [1, 2, 3]}
