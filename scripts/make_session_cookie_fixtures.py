"""Write ``tests/data/session_cookies.json``: tagged-JSON dumps and signed session
cookies produced by the real Flask 3.1.3, used by the interoperability tests.

Run it with an interpreter where the reference Flask is installed, from a directory
outside this repository so that ``import flask`` finds the reference and not ``src/``::

    cd "$(mktemp -d)" && python3 /work/main/scripts/make_session_cookie_fixtures.py \
        /work/main/tests/data/session_cookies.json

The values are written as ``repr`` strings that the tests evaluate with ``datetime``,
``UUID`` and ``Markup`` in scope. The cookies carry the time they were made, so the
tests read them with a very long ``PERMANENT_SESSION_LIFETIME``.
"""

from __future__ import annotations

import datetime
import json
import sys
from importlib.metadata import version
from uuid import UUID

from markupsafe import Markup

import flask
from flask.json.tag import TaggedJSONSerializer

SECRET_KEY = "interop fixture key"
OLD_SECRET_KEY = "retired interop fixture key"

UTC = datetime.timezone.utc
PLUS_5_30 = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

#: Values for the serializer comparison: (case name, value).
TAGGED_VALUES: list[tuple[str, object]] = [
    ("plain_string", "hello"),
    ("unicode_string", "Grüße ☃ 日本 \U0001f600"),
    ("control_chars", 'line\nbreak\ttab \u2028 \x00 "quoted" \\ /'),
    ("integers", [0, -1, 2**53, 10**30]),
    ("floats", [1.5, -0.0, 1e100, 3.141592653589793]),
    ("literals", [True, False, None]),
    ("empty_containers", [[], {}, (), b"", ""]),
    ("unsorted_dict", {"zebra": 1, "apple": 2, "Mango": 3, "_under": 4}),
    ("tuple", (1, "two", 3.0)),
    ("nested_tuple", ((1, 2), [3, (4,)])),
    ("bytes", b"\x00\x01binary\xff"),
    ("markup", Markup("<em>safe &amp; sound</em>")),
    ("uuid", UUID("12345678-1234-5678-1234-567812345678")),
    ("naive_datetime", datetime.datetime(2021, 3, 4, 5, 6, 7)),
    ("utc_datetime", datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    (
        "offset_datetime",
        datetime.datetime(2024, 2, 29, 1, 2, 3, 999999, tzinfo=PLUS_5_30),
    ),
    ("dict_tag_key_tuple", {" t": [1, 2]}),
    ("dict_tag_key_di", {" di": {" b": "x"}}),
    ("dict_tag_like_two_keys", {" t": 1, " b": 2}),
    ("dict_unknown_space_key", {" x": "y"}),
    (
        "mixed_nested",
        {
            "user": {"id": 7, "roles": ("admin", "editor")},
            "token": b"tok",
            "seen": [datetime.datetime(2020, 5, 17, tzinfo=UTC), None],
            "bio": Markup("<p>Hi</p>"),
            "ids": [UUID(int=1), UUID(int=2**128 - 1)],
        },
    ),
    ("deep_list", [[[["deep", (b"er",)]]]]),
]

#: Session contents for the cookie fixtures: (case name, session dict, permanent).
SESSION_VALUES: list[tuple[str, dict[str, object], bool]] = [
    ("string", {"user": "ada"}, False),
    ("unicode", {"name": "Zoë", "motto": "☃ ❄ 雪"}, False),
    ("numbers", {"count": 42, "ratio": 0.25, "big": 10**20, "neg": -3}, False),
    (
        "nested_dict",
        {"prefs": {"theme": {"dark": True, "accent": "teal"}, "n": [1, 2]}},
        False,
    ),
    ("tuple", {"point": (3, 4), "pair": ("a", ("b", "c"))}, False),
    ("bytes", {"blob": b"\x89PNG\r\n\x1a\n", "empty": b""}, False),
    ("markup", {"banner": Markup("<strong>Welcome</strong>")}, False),
    ("uuid", {"request_id": UUID("00112233-4455-6677-8899-aabbccddeeff")}, False),
    (
        "datetime",
        {"last_login": datetime.datetime(2023, 7, 1, 12, 30, 45, tzinfo=UTC)},
        False,
    ),
    ("tag_like_key", {"wrapped": {" t": "not a tuple"}}, False),
    ("permanent", {"user": "grace"}, True),
    ("many_keys", {f"key{i:02d}": "x" * 10 for i in range(30)}, False),
]


def reference_dumps() -> list[dict[str, str]]:
    serializer = TaggedJSONSerializer()
    app = flask.Flask("fixtures")
    cases = []
    for name, value in TAGGED_VALUES:
        plain = serializer.dumps(value)
        with app.app_context():
            # Inside an app context the app's JSON provider (sorted keys) is used.
            in_app = serializer.dumps(value)
        cases.append(
            {
                "name": name,
                "value": repr(value),
                "dumps": plain,
                "dumps_in_app_context": in_app,
                "loaded": repr(serializer.loads(plain)),
            }
        )
    return cases


def make_app(secret_key: str) -> flask.Flask:
    app = flask.Flask("fixtures")
    app.secret_key = secret_key
    by_name = {name: (data, permanent) for name, data, permanent in SESSION_VALUES}

    @app.route("/store/<name>")
    def store(name: str) -> str:
        data, permanent = by_name[name]
        flask.session.update(data)
        if permanent:
            flask.session.permanent = True
        return ""

    return app


def reference_cookies(secret_key: str, only: list[str] | None = None) -> list[dict]:
    app = make_app(secret_key)
    cookies = []
    for name, data, permanent in SESSION_VALUES:
        if only is not None and name not in only:
            continue
        client = app.test_client()
        response = client.get(f"/store/{name}")
        cookie = client.get_cookie("session")
        assert cookie is not None, response.headers
        expected = dict(data)
        if permanent:
            expected["_permanent"] = True
        cookies.append(
            {
                "name": name,
                "secret_key": secret_key,
                "cookie": cookie.value,
                # Everything before ".<timestamp>.<signature>": depends only on the data.
                "payload": cookie.value.rsplit(".", 2)[0],
                "session": repr(expected),
                "permanent": permanent,
            }
        )
    return cookies


def main() -> None:
    if "site-packages" not in (flask.__file__ or ""):
        sys.exit(f"refusing to run against {flask.__file__}: not the reference install")
    target = sys.argv[1]
    document = {
        "about": (
            "Made by scripts/make_session_cookie_fixtures.py with the reference"
            " Flask; values are repr() strings."
        ),
        "flask_version": version("flask"),
        "secret_key": SECRET_KEY,
        "old_secret_key": OLD_SECRET_KEY,
        "tagged": reference_dumps(),
        "cookies": reference_cookies(SECRET_KEY),
        "old_key_cookies": reference_cookies(OLD_SECRET_KEY, only=["string", "tuple"]),
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
