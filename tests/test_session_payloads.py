"""The session payloads fast path: a payload too short for zlib to shorten it is
signed without being compressed, and the cookie is the one itsdangerous makes."""

from __future__ import annotations

import types
import typing as t
import zlib

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from itsdangerous import url_safe
from itsdangerous import URLSafeTimedSerializer

import flask
from flask import fastpaths
from flask.sessions import session_json_serializer

# Bytes drawn from small alphabets, where repeats (and so compression) are likely,
# and from all bytes, where they are not.
payloads = st.one_of(
    st.lists(st.sampled_from(b'{}":,ab1'), max_size=40).map(bytes),
    st.binary(max_size=40),
    st.text(max_size=30).map(lambda text: text.encode()),
)

session_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)
sessions = st.dictionaries(st.text(max_size=10), session_values, max_size=4)


@settings(derandomize=True, database=None, deadline=None, max_examples=3000)
@given(payload=payloads)
def test_a_payload_said_not_to_shrink_never_does(payload: bytes) -> None:
    if fastpaths.cannot_shrink(payload):
        assert len(zlib.compress(payload)) >= len(payload) - 1


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"", True),
        (b"aaaaaaaaaa", True),  # Ten bytes: nothing can be two bytes shorter.
        (b'{"visits":2}', True),
        (b'{"user_id":42}', True),
        (b'{"theme":"dark"}', True),
        (b'{"a":"aaaaaaa"}', False),  # "aaa" repeats: a back-reference fits.
        (b"abcdefghabc", False),  # Three repeats, all of them "abc" again.
        (b"abcdefghijkaa", True),  # Two repeats: no three bytes can occur twice.
        (b'{"_permanent":true,"user_id":5}', False),  # Too much alike to prove.
        (b':fe:1"bc},,{:cebc', True),  # Proved only by counting each byte.
        (bytes(range(22)), True),  # The longest a payload can be and be proved.
        (bytes(range(23)), False),  # Longer than what is checked.
        (bytes(range(32)), False),
    ],
)
def test_which_payloads_are_sent_uncompressed(payload: bytes, expected: bool) -> None:
    assert fastpaths.cannot_shrink(payload) is expected


def _serializers(app: flask.Flask) -> tuple[t.Any, URLSafeTimedSerializer]:
    interface = app.session_interface
    with app.app_context():
        ours = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    plain = URLSafeTimedSerializer(
        app.secret_key,  # type: ignore[arg-type]
        salt="cookie-session",
        serializer=session_json_serializer,
        signer_kwargs={
            "key_derivation": "hmac",
            "digest_method": interface.digest_method,
        },  # type: ignore[attr-defined]
    )
    return ours, plain


@settings(derandomize=True, database=None, deadline=None, max_examples=500)
@given(session=sessions)
def test_payloads_are_the_ones_itsdangerous_makes(session: dict[str, t.Any]) -> None:
    app = flask.Flask(__name__)
    app.secret_key = "payloads"
    ours, plain = _serializers(app)
    with app.app_context():
        assert ours.dump_payload(session) == plain.dump_payload(session)


def test_compressible_and_short_payloads_alike(app: flask.Flask) -> None:
    app.secret_key = "payloads"
    ours, plain = _serializers(app)
    with app.app_context():
        for session in ({"visits": 2}, {"note": "ab" * 40}, {}):
            assert ours.dump_payload(session) == plain.dump_payload(session)
        assert ours.dump_payload({"note": "ab" * 40}).startswith(b".")


@pytest.fixture
def counting_app(app: flask.Flask) -> flask.Flask:
    app.secret_key = "payloads"

    @app.route("/visit")
    def visit() -> str:
        flask.session["visits"] = flask.session.get("visits", 0) + 1
        return "visited"

    return app


def _recorder(
    calls: list[bytes], compress: t.Callable[[bytes], bytes]
) -> t.Callable[..., bytes]:
    def recording(data: bytes, *args: t.Any, **kwargs: t.Any) -> bytes:
        calls.append(data)
        return compress(data, *args, **kwargs)

    return recording


def test_a_patched_zlib_compress_sees_every_payload(counting_app, monkeypatch):
    calls: list[bytes] = []
    monkeypatch.setattr(zlib, "compress", _recorder(calls, zlib.compress))
    response = counting_app.test_client().get("/visit")
    assert response.text == "visited"
    assert calls == [b'{"visits":1}']


def test_a_replaced_zlib_in_itsdangerous_sees_every_payload(counting_app, monkeypatch):
    calls: list[bytes] = []
    stand_in = types.SimpleNamespace(
        compress=_recorder(calls, zlib.compress), decompress=zlib.decompress
    )
    monkeypatch.setattr(url_safe, "zlib", stand_in)
    counting_app.test_client().get("/visit")
    assert calls == [b'{"visits":1}']


def test_a_patched_dump_payload_makes_the_cookie(counting_app, monkeypatch):
    original = URLSafeTimedSerializer.dump_payload
    seen: list[t.Any] = []

    def dump_payload(self: t.Any, obj: t.Any) -> bytes:
        seen.append(obj)
        return original(self, obj)

    monkeypatch.setattr(URLSafeTimedSerializer, "dump_payload", dump_payload)
    client = counting_app.test_client()
    client.get("/visit")
    assert seen == [{"visits": 1}]
    client.get("/visit")
    assert seen[-1] == {"visits": 2}


def test_session_payloads_are_described(counting_app, fast_paths_on, monkeypatch):
    assert fastpaths.describe(counting_app)["session_payloads"] == "on"
    monkeypatch.setattr(zlib, "compress", _recorder([], zlib.compress))
    assert fastpaths.describe(counting_app)["session_payloads"] == (
        "zlib or itsdangerous' dump_payload is patched"
    )
