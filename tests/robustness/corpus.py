"""A seeded corpus of malformed and hostile HTTP/1.1 requests, as raw bytes.

:func:`generate` builds the same requests for the same seed: each category below is a
function that combines hand-picked hostile fragments at random (from one
:class:`random.Random`), aimed at the routes of ``target_app``. The categories are what
docs/security.rst lists; :data:`CATEGORIES` maps each name to its builder.

Requests are sent as they are, so many of them are refused by the server itself (with
its own 400) before the application sees them; that is as good an answer as any 4xx.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.encoding import int_to_bytes

#: Sent in every hostile header value, target and name: it must never come back as a
#: header of its own.
INJECTED = "X-Injected"
SEED = 20260116
PER_CATEGORY = 560


@dataclass(frozen=True)
class Case:
    """One request of the corpus."""

    category: str
    raw: bytes

    @property
    def method(self) -> bytes:
        return self.raw.split(b" ", 1)[0]


def message(
    method: str | bytes,
    target: str | bytes,
    headers: list[tuple[bytes | str, bytes | str]] | None = None,
    body: bytes = b"",
    version: bytes | str = b"HTTP/1.1",
    host: bytes | str | None = b"127.0.0.1",
    length: bool = True,
) -> bytes:
    """A request message from its parts; strings are sent as UTF-8, bytes as they
    are. ``length`` adds a ``Content-Length`` matching ``body``."""
    lines = [b" ".join(_b(part) for part in (method, target, version) if part != b"")]
    if host is not None:
        lines.append(b"Host: " + _b(host))
    for name, value in headers or []:
        lines.append(_b(name) + b": " + _b(value))
    if length and body:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _b(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


# Fragments shared by several categories.
BAD_ESCAPES = [b"%", b"%z", b"%zz", b"%%", b"%c0%ae", b"%ff", b"%00", b"%e2%82", b"%G0"]
RAW_BYTES = [
    b"\xff",
    b"\x80",
    b"\xc0\xae",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xfe",
]
CONTROL = [b"\x00", b"\x01", b"\x1b", b"\x7f", b"\t", b"\x0b", b"\x0c"]
CRLF = [b"%0d%0a", b"%0a", b"%0d", b"%E5%98%8A%E5%98%8D", b"%c4%8d%c4%8a", b"%e2%80%a8"]
ROUTES = ["/args", "/item/", "/files/", "/static/", "/number/", "/ident/", "/go"]


def _fragment(rng: random.Random) -> bytes:
    pool = rng.choice([BAD_ESCAPES, RAW_BYTES, CONTROL, CRLF])
    return rng.choice(pool)


def _mangle(rng: random.Random, text: bytes, count: int = 3) -> bytes:
    """``text`` with ``count`` hostile fragments inserted at random places."""
    for _ in range(count):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + _fragment(rng) + text[at:]
    return text


def path_encoding(rng: random.Random) -> bytes:
    target = rng.choice(ROUTES).encode() + _mangle(rng, b"name", rng.randint(1, 4))
    if rng.random() < 0.3:
        target += b"/" + _mangle(rng, b"more")
    # Raw control characters and spaces stop at the server's request-line parser;
    # that answer counts as much as the application's.
    return message("GET", target)


def query_encoding(rng: random.Random) -> bytes:
    pairs = []
    for _ in range(rng.randint(1, 6)):
        key = _mangle(rng, rng.choice([b"n", b"q", b"next", b"id"]), rng.randint(0, 2))
        value = _mangle(rng, rng.choice([b"1", b"x", b"", b"a+b"]), rng.randint(0, 3))
        pairs.append(key + rng.choice([b"=", b"==", b""]) + value)
    separator = rng.choice([b"&", b";", b"&&", b"&=&"])
    if rng.random() < 0.1:
        pairs *= rng.randint(100, 400)
    if rng.random() < 0.2:
        pairs.append(
            b"n=" + rng.choice([b"9" * 5000, b"-0", b"1e309", b"0x10", b"\xff"])
        )
    route = rng.choice([b"/args", b"/args", b"/host", b"/stream", b"/item/q"])
    return message("GET", route + b"?" + separator.join(pairs))


def header_bytes(rng: random.Random) -> bytes:
    headers: list[tuple[bytes | str, bytes | str]] = []
    for _ in range(rng.randint(1, 5)):
        name = rng.choice(
            [b"User-Agent", b"Accept", b"X-Custom", b"Content-Type", b"X-Forwarded-For"]
        )
        if rng.random() < 0.2:
            name = _mangle(rng, name, 1)
        headers.append((name, _mangle(rng, b"value", rng.randint(1, 4))))
    raw = message(rng.choice(["GET", "POST"]), "/headers", headers)
    shape = rng.random()
    if shape < 0.15:  # An obsolete folded continuation line.
        raw = raw.replace(b"\r\n\r\n", b"\r\n folded: " + _fragment(rng) + b"\r\n\r\n")
    elif shape < 0.3:  # A line without a colon, or with space before it.
        junk = rng.choice(
            [b"NoColonHere", b"Space : before", b": empty-name", b"\x00:"]
        )
        raw = raw.replace(b"\r\n\r\n", b"\r\n" + junk + b"\r\n\r\n")
    elif shape < 0.4:  # Bare LF line endings.
        raw = raw.replace(b"\r\n", b"\n")
    return raw


def accept_and_auth(rng: random.Random) -> bytes:
    values = {
        "Accept": [b"*/*;q=x", b"text/html;q=2,,;;", b"a/b;q=0.5;level=\xff", b";;;"],
        "Accept-Language": [b"en;q=1.5", b"*;q=-1", b"\xff\xfe", b"x" * 3000],
        "Accept-Charset": [b"utf-8;q=", b",,,", b"\x80"],
        "Authorization": [
            b"Basic " + base64.b64encode(b"\xff\xfe:\x80"),
            b"Basic !!!notbase64",
            b"Basic " + base64.b64encode(b"no-colon"),
            b'Digest username="a, realm=',
            b"Bearer " + b"A" * 5000,
            b"Basic",
        ],
        "Cache-Control": [
            b"max-age=abc",
            b'no-cache="',
            b"max-age=99999999999999999999",
        ],
        "Date": [b"Tue, 99 Foo 99999 99:99:99 GMT", b"\xff", b"0"],
        "If-Modified-Since": [b"Mon, 01 Jan 10000 00:00:00 GMT", b"yesterday"],
        "Range": [b"bytes=abc", b"bytes=5-1", b"bytes=-", b"lines=1-2"],
        "Content-Type": [b"multipart/form-data", b"text/plain; charset=\xff", b";="],
        "X-Forwarded-For": [b"1.1.1.1, ,,, ::::", b"\xff", b"x" * 2000],
    }
    names = rng.sample(sorted(values), rng.randint(1, 4))
    headers: list[tuple[bytes | str, bytes | str]] = [
        (name, rng.choice(values[name])) for name in names
    ]
    return message("GET", "/headers", headers)


def cookies(rng: random.Random) -> bytes:
    parts = []
    for _ in range(rng.randint(1, 8)):
        shape = rng.choice(
            ["plain", "noeq", "quoted", "raw", "dupe", "empty", "dollar"]
        )
        if shape == "plain":
            parts.append(b"c" + str(rng.randint(0, 9)).encode() + b"=v")
        elif shape == "noeq":
            parts.append(b"justaname")
        elif shape == "quoted":
            parts.append(b'q="a\\"b\\\\c\\' + rng.choice([b"", b'"', b"\\"]))
        elif shape == "raw":
            parts.append(b"r=" + _mangle(rng, b"v", 2))
        elif shape == "dupe":
            parts.extend([b"d=1", b"d=2"])
        elif shape == "empty":
            parts.append(rng.choice([b"", b"=", b"==", b";"]))
        else:
            parts.append(b"$Version=1; $Path=/")
    if rng.random() < 0.1:
        parts *= rng.randint(50, 300)
    separator = rng.choice([b"; ", b";", b", ", b";;"])
    return message("GET", "/cookies", [("Cookie", separator.join(parts))])


SESSION_KEY = "robustness-secret-key"


def _signed(payload: bytes, timestamp: int, key: str = SESSION_KEY) -> bytes:
    """A session cookie signed as the application signs one, with any timestamp."""
    serializer = URLSafeTimedSerializer(
        key,
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    signer = serializer.make_signer("cookie-session")
    value = payload + b"." + base64_encode(int_to_bytes(timestamp))
    return value + b"." + signer.get_signature(value)


@functools.cache
def _bomb() -> bytes:
    """5 MB of JSON brackets, compressed to about 5 kB as a session payload is."""
    return base64_encode(zlib.compress(b"[" * 5_000_000, 9))


def session_cookies(rng: random.Random) -> bytes:
    shape = rng.randrange(9)
    payload = base64_encode(json.dumps({"user": "mallory", "admin": True}).encode())
    now = 1_780_000_000
    if shape == 0:  # Random bytes shaped like a cookie.
        cookie = b".".join(
            base64_encode(rng.randbytes(rng.randint(1, 40))) for _ in range(3)
        )
    elif shape == 1:  # A plausible payload with a forged signature.
        cookie = payload + b"." + base64_encode(int_to_bytes(now)) + b".forged"
    elif shape == 2:  # Signed with another key.
        cookie = _signed(payload, now, key="not-the-key")
    elif shape == 3:  # A decompression bomb: only read after the signature checks.
        cookie = b"." + _bomb() + b"." + base64_encode(int_to_bytes(now)) + b".sig"
    elif shape == 4:  # Correctly signed, with a timestamp no calendar can hold.
        cookie = _signed(payload, rng.choice([2**40, 2**63, 2**64 - 1, 253402300800]))
    elif shape == 5:  # Correctly signed, long expired or from the far past.
        cookie = _signed(payload, rng.choice([0, 1, now - 10**8]))
    elif shape == 6:  # A signed cookie cut short, or with bytes flipped.
        cookie = bytearray(_signed(payload, now))
        cookie[rng.randrange(len(cookie))] ^= 0x20
        cookie = bytes(cookie[: rng.randint(1, len(cookie))])
    elif shape == 7:  # Signed payloads the session serializer cannot load.
        junk = rng.choice([b"not json", b"[1,2", b'{" t": 1}', b'{" d": "x"}', b"\xff"])
        cookie = _signed(base64_encode(junk), now)
    else:  # Huge.
        cookie = b"A" * rng.choice([3000, 5000, 9000])
    headers: list[tuple[bytes | str, bytes | str]] = [("Cookie", b"session=" + cookie)]
    if rng.random() < 0.5:
        body = b"flash=" + _mangle(rng, b"hi", 1) + b"&key=" + _mangle(rng, b"v", 1)
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        return message("POST", "/session", headers, body)
    return message("GET", "/session", headers)


def overlong_lines(rng: random.Random) -> bytes:
    shape = rng.randrange(4)
    size = rng.choice([4000, 8200, 9000, 20000, 70000])
    if shape == 0:
        return message("GET", b"/args?q=" + b"a" * size)
    if shape == 1:
        return message("GET", "/headers", [("X-Long", b"b" * size)])
    if shape == 2:
        count = rng.choice([90, 101, 150, 400])
        return message("GET", "/headers", [(f"X-H{i}", "v") for i in range(count)])
    return message("GET", "/headers", [(b"X-" + b"n" * size, "v")])


BODY_ROUTES = ["/body", "/form", "/json", "/stream-in"]
BODY_TYPES = [
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=xyz",
]


def content_length(rng: random.Random) -> bytes:
    body = rng.choice([b"a=1&b=2", b'{"a": 1}', b"x" * 100])
    value = rng.choice(
        [
            b"-1",
            b"abc",
            b"+5",
            b" 5",
            b"0x10",
            b"99999999999999999999",
            b"5, 6",
            b"1e3",
            b"",
            str(len(body) + rng.randint(1, 50)).encode(),  # More than is sent.
            str(max(0, len(body) - rng.randint(1, 5))).encode(),  # Less than is sent.
        ]
    )
    headers: list[tuple[bytes | str, bytes | str]] = [
        ("Content-Type", rng.choice(BODY_TYPES)),
        ("Content-Length", value),
    ]
    extra = rng.random()
    if extra < 0.2:
        headers.append(("Content-Length", str(len(body))))  # Two that disagree.
    elif extra < 0.35:
        headers.append(("Transfer-Encoding", "chunked"))  # Both framings at once.
    return message("POST", rng.choice(BODY_ROUTES), headers, body, length=False)


def chunked(rng: random.Random) -> bytes:
    data = rng.choice([b"a=1&b=2", b'{"a": [1, 2]}', b"line1\nline2\n"])
    size = f"{len(data):x}".encode()
    shape = rng.randrange(10)
    if shape == 0:
        body = rng.choice([b"zz", b"-1", b"0x5", b" 5", b"fffffffffffffffffff"])
        body += b"\r\n" + data + b"\r\n0\r\n\r\n"
    elif shape == 1:  # Chunk data without its CRLF.
        body = size + b"\r\n" + data + b"0\r\n\r\n"
    elif shape == 2:  # No last chunk at all.
        body = size + b"\r\n" + data + b"\r\n"
    elif shape == 3:  # Malformed trailers.
        trailer = rng.choice([b"no-colon", b"Content-Length: 5", b"\x00: x", b" fold"])
        body = size + b"\r\n" + data + b"\r\n0\r\n" + trailer + b"\r\n\r\n"
    elif shape == 4:  # Extensions, long or broken.
        extension = rng.choice(
            [b";ext=1", b";" + b"e" * 9000, b';q="unterminated', b";"]
        )
        body = size + extension + b"\r\n" + data + b"\r\n0\r\n\r\n"
    elif shape == 5:  # A size larger than the data.
        body = b"ff\r\n" + data + b"\r\n0\r\n\r\n"
    elif shape == 6:  # Bare LF.
        body = size + b"\n" + data + b"\n0\n\n"
    else:  # Well-formed chunks, under odd Transfer-Encoding headers below.
        body = size + b"\r\n" + data + b"\r\n0\r\n\r\n"
    encoding = rng.choice(
        [
            b"chunked",
            b"chunked",
            b"Chunked",
            b"gzip, chunked",
            b"chunked, gzip",
            b"gzip",
        ]
    )
    headers: list[tuple[bytes | str, bytes | str]] = [
        ("Content-Type", rng.choice(BODY_TYPES)),
        ("Transfer-Encoding", encoding),
    ]
    if shape >= 8:
        headers.append(("Transfer-Encoding", "chunked"))
    return message("POST", rng.choice(BODY_ROUTES), headers, body, length=False)


def host(rng: random.Random) -> bytes:
    value = rng.choice(
        [
            b"xn--",
            b"xn--a",
            b"xn--zz.example",
            b"a..b",
            b"",
            b"a:99999",
            b"a:x",
            b"[::1",
            b"[zz]",
            b"h\xc3\xa4st",
            b"\xff",
            b"x" * 300,
            b"evil.example/path",
            b"user@evil.example",
            b"host:80:80",
            b".",
            b"-",
            b"%41",
        ]
    )
    route = rng.choice(["/host", "/args", "/go?next=/x", "/build?endpoint=item&name=a"])
    shape = rng.randrange(5)
    if shape == 0:  # Two Host headers.
        return message("GET", route, [("Host", "other.example")], host=value)
    if shape == 1:  # None at all, in both versions.
        return message(
            "GET", route, host=None, version=rng.choice(["HTTP/1.1", "HTTP/1.0"])
        )
    if shape == 2:  # An absolute-form target naming another host.
        return message("GET", b"http://" + value + route.encode(), host=value)
    return message("GET", route, host=value)


def json_bodies(rng: random.Random) -> bytes:
    shape = rng.randrange(10)
    if shape == 0:  # Nested too deeply, in arrays or objects.
        depth = rng.choice([500, 990, 5000, 100_000])
        body = b"[" * depth + b"]" * depth
        if rng.random() < 0.5:
            body = b'{"a":' * depth + b"1" + b"}" * depth
    elif shape == 1:  # Valid JSON cut at a random place.
        whole = json.dumps({"a": [1, 2, {"b": "c"}], "d": None}).encode()
        body = whole[: rng.randrange(1, len(whole))]
    elif shape == 2:  # Numbers too big for int(), and specials.
        body = rng.choice([b"9" * 5000, b"1e999999", b"NaN", b"-Infinity", b"[1e400]"])
    elif shape == 3:  # Not UTF-8, or another encoding.
        body = rng.choice(
            [
                b'{"a": "\xff"}',
                b"\xfe\xff\x00[\x00]",
                b'\xef\xbb\xbf{"a": 1}',
                b"\x00" * 8,
            ]
        )
    elif shape == 4:  # Lone surrogates and odd escapes.
        body = rng.choice([b'"\\ud800"', b'{"\\udc00": 1}', b'"\\u00"', b'"\\x41"'])
    elif shape == 5:  # Many keys or a long string.
        body = json.dumps({f"k{i}": i for i in range(rng.randint(1000, 6000))}).encode()
    elif shape == 6:
        body = b'"' + b"s" * rng.choice([1000, 100_000]) + b'"'
    elif shape == 7:  # Garbage.
        body = rng.randbytes(rng.randint(1, 200))
    else:
        body = _mangle(rng, b'{"a": [1, 2]}', rng.randint(1, 3))
    content_type = rng.choice(
        [
            "application/json",
            "application/json; charset=latin-1",
            "application/problem+json",
            "application/json;;;",
            "text/json",
        ]
    )
    route = rng.choice(["/json", "/json", "/json-silent"])
    return message("POST", route, [("Content-Type", content_type)], body)


def _part(name: bytes, value: bytes, filename: bytes | None = None) -> bytes:
    disposition = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    return disposition + b"\r\n\r\n" + value


def multipart(rng: random.Random) -> bytes:
    boundary = rng.choice([b"xyz", b"b" * 70, b"a b", b'"quoted"', b"-", b"\xff"])
    names = [b"field", b"../../etc/passwd", b"\x00", b'"', b"a" * 500]
    parts = []
    for _ in range(rng.randint(1, 6)):
        filename = rng.choice(
            [None, b"../../secret.txt", b"..\\..\\x", b"\x00.txt", b"f" * 300]
        )
        parts.append(
            _part(rng.choice(names), rng.randbytes(rng.randint(0, 40)), filename)
        )
    shape = rng.randrange(9)
    if shape == 0:  # Too many parts for MAX_FORM_PARTS.
        parts = [_part(b"p%d" % i, b"v") for i in range(rng.randint(51, 200))]
    elif shape == 1:  # A part without headers, or with junk ones.
        parts.append(
            rng.choice([b"no headers here", b"Junk\r\n\r\nvalue", b"\r\n\r\n"])
        )
    elif shape == 2:  # A part header that never ends.
        parts.append(b"Content-Disposition: form-data; name=" + b"n" * 20000)
    delimiter = b"--" + boundary.strip(b'"')
    body = b"".join(delimiter + b"\r\n" + part + b"\r\n" for part in parts)
    if shape == 3:
        pass  # No closing delimiter.
    elif shape == 4:  # The wrong boundary.
        body = body.replace(delimiter, b"--other") + b"--other--\r\n"
    elif shape == 5:  # LF line endings.
        body = (body + delimiter + b"--\r\n").replace(b"\r\n", b"\n")
    elif shape == 6:  # Nested multipart/mixed.
        inner = b"--in\r\nContent-Type: text/plain\r\n\r\nx\r\n--in--\r\n"
        body += delimiter + b'\r\nContent-Disposition: form-data; name="m"\r\n'
        body += b"Content-Type: multipart/mixed; boundary=in\r\n\r\n" + inner
        body += delimiter + b"--\r\n"
    else:
        body += delimiter + b"--\r\n"
    content_type = rng.choice(
        [
            b"multipart/form-data; boundary=" + boundary,
            b"multipart/form-data",
            b"multipart/form-data; boundary=",
            b"multipart/form-data; boundary=" + boundary + b"; boundary=other",
            b"multipart/mixed; boundary=" + boundary,
        ]
    )
    return message("POST", "/form", [("Content-Type", content_type)], body)


def form_limits(rng: random.Random) -> bytes:
    shape = rng.randrange(5)
    urlencoded: list[tuple[bytes | str, bytes | str]] = [
        ("Content-Type", "application/x-www-form-urlencoded")
    ]
    if shape == 0:  # One field over MAX_FORM_MEMORY_SIZE.
        body = b"a=" + b"x" * rng.choice([16 * 1024 + 1, 40_000, 100_000])
        return message("POST", "/form", urlencoded, body)
    if shape == 1:  # Many fields.
        count = rng.choice([1000, 5000])
        body = b"&".join(b"k%d=v" % i for i in range(count))
        return message("POST", "/form", urlencoded, body)
    if shape == 2:  # A length over MAX_CONTENT_LENGTH, announced but not all sent.
        headers = urlencoded + [("Content-Length", str(rng.choice([300_000, 10**9])))]
        return message("POST", "/form", headers, b"a=1", length=False)
    if shape == 3:  # A multipart field over the memory limit.
        body = b"--xyz\r\n" + _part(b"big", b"y" * 20_000) + b"\r\n--xyz--\r\n"
        headers = [("Content-Type", "multipart/form-data; boundary=xyz")]
        return message("POST", "/form", headers, body)
    # A body really over MAX_CONTENT_LENGTH (rarely: it is large to send).
    if rng.random() < 0.05:
        return message(
            "POST", "/body", [("Content-Type", "text/plain")], b"z" * 270_000
        )
    return message("POST", "/body", [("Content-Type", "text/plain")], b"z" * 1000)


TRAVERSALS = [
    b"../secret.txt",
    b"..%2fsecret.txt",
    b"%2e%2e/secret.txt",
    b"%2e%2e%2fsecret.txt",
    b"....//secret.txt",
    b"..\\secret.txt",
    b"..%5csecret.txt",
    b"/etc/passwd",
    b"%2fetc%2fpasswd",
    b"nested/../../secret.txt",
    b"nested/deeper/../../../secret.txt",
    b"nested/%2e%2e/%2e%2e/secret.txt",
    b"plain.txt%00.html",
    b"~/.ssh/id_rsa",
    b"C:\\Windows\\win.ini",
    b"..%c0%afsecret.txt",
    b"%252e%252e/secret.txt",
    b".%2e/secret.txt",
    b"nested/deeper/file.txt/..",
    b"//etc/passwd",
]


def traversal(rng: random.Random) -> bytes:
    prefix = rng.choice([b"/files/", b"/static/", b"/files/nested/", b"/static/./"])
    path = rng.choice(TRAVERSALS)
    if rng.random() < 0.3:
        path = b"../" * rng.randint(1, 8) + rng.choice([b"secret.txt", b"etc/passwd"])
    headers: list[tuple[bytes | str, bytes | str]] = []
    if rng.random() < 0.3:
        headers.append(("Range", rng.choice(["bytes=0-", "bytes=-5", "bytes=0-0,1-1"])))
    return message(rng.choice(["GET", "HEAD"]), prefix + path, headers)


def methods_versions(rng: random.Random) -> bytes:
    method = rng.choice(
        [b"FOO", b"get", b"G E T", b"M" * 300, b"CONNECT", b"TRACE", b"OPTIONS",
         b"DELETE", b"PROPFIND", b"GET\xff", b"", b"PATCH", b"HEAD"]
    )  # fmt: skip
    version = rng.choice(
        [b"HTTP/0.9", b"HTTP/1.2", b"HTTP/2.0", b"HTTP/9.9", b"HTTP/1", b"http/1.1",
         b"HTTP/1.1 extra", b"HTTP/1.1", b"HTTP/1.0", b"", b"HTTP/01.1", b"FOO/1.1"]
    )  # fmt: skip
    target = rng.choice(
        [b"/args", b"*", b"127.0.0.1:80", b"http://other/args", b"args", b"/"]
    )
    if method == b"CONNECT":
        target = b"127.0.0.1:80"
    return message(method, target, version=version)


def redirect_injection(rng: random.Random) -> bytes:
    injections = [
        b"/a" + rng.choice(CRLF) + INJECTED.encode() + b":%201",
        b"/a" + rng.choice(CRLF) + b"Set-Cookie:%20injected=1",
        b"//%:2fevil.example",
        b"//evil.example:port/",
        b"http://a..b/",
        b"http://xn--/",
        b"http://[zz/",
        b"http://[::1]:99999/",
        b"javascript:alert(1)",
        b"%0d%0a%0d%0a<script>",
        b"/" + b"l" * 9000,
        b"\\\\evil.example",
        b"/%00",
        b"http://\xff/",
        b"/a\xc5\x8d\xc4\x8a" + INJECTED.encode() + b":%201",
    ]
    route = rng.choice([b"/go", b"/go-header"])
    return message("GET", route + b"?next=" + rng.choice(injections))


def header_echo(rng: random.Random) -> bytes:
    value = rng.choice(
        [
            b"a" + rng.choice(CRLF) + INJECTED.encode() + b":%201",
            b"a%0d%0aSet-Cookie:%20injected=1",
            b"%22quoted%22%3B%20x",
            b"caf%C3%A9.txt",
            b"%00%01%1f%7f",
            b"..%2f..%2fsecret.txt",
            b"a%3Bpath%3D%2F",
            b"%E2%80%A8",
            b"x" * rng.choice([10, 3000]),
            _mangle(rng, b"name.txt", 2),
        ]
    )
    route = rng.choice([b"/download?name=", b"/set-cookie?value=", b"/stream?word="])
    return message("GET", route + value)


def converters_url_for(rng: random.Random) -> bytes:
    target = rng.choice(
        [
            b"/number/"
            + rng.choice([b"9" * 5000, b"-1", b"1e5", b"0x10", b"%39", b"\xff"]),
            b"/ratio/" + rng.choice([b"nan", b"inf", b"1e400", b"1.", b".5", b"1.5.5"]),
            b"/ident/"
            + rng.choice([b"not-a-uuid", b"0" * 32, b"%7Buuid%7D", b"\xff" * 16]),
            b"/item/" + _mangle(rng, b"name", 2),
        ]
    )
    if rng.random() < 0.5:
        endpoint = rng.choice(
            [b"item", b"number", b"ratio", b"ident", b"files", b"nope"]
        )
        values = rng.choice(
            [
                b"name=" + _mangle(rng, b"x", 2),
                b"n=abc",
                b"n=" + b"9" * 5000,
                b"x=nan",
                b"u=not-a-uuid",
                b"name=a/b/../c",
                b"_external=1&_scheme=javascript",
                b"_scheme=http",
                b"anchor=" + rng.choice(CRLF) + b"x",
                b"name=a&_method=TRACE",
                b"unknown=" + _mangle(rng, b"v", 2),
            ]
        )
        target = b"/build?endpoint=" + endpoint + b"&" + values
    return message("GET", target)


def conditional(rng: random.Random) -> bytes:
    headers: list[tuple[bytes | str, bytes | str]] = []
    options = {
        "If-None-Match": [
            b'"fixed-etag"',
            b"garbage",
            b'W/"',
            b'"a", , "b',
            b"*",
            b"\xff",
        ],
        "If-Match": [b'"nope"', b"*", b'"unterminated'],
        "If-Modified-Since": [b"Mon, 01 Jan 10000 00:00:00 GMT", b"0", b"\xff", b"Tue"],
        "If-Unmodified-Since": [b"Thu, 01 Jan 1970 00:00:00 GMT", b"never"],
        "If-Range": [b'"fixed-etag"', b"Mon, 32 Foo 2020", b'W/"x"'],
        "Range": [
            b"bytes=abc",
            b"bytes=5-1",
            b"bytes=-0",
            b"bytes=0-99999999999999999999",
            b"bytes=" + b",".join(b"%d-%d" % (i, i) for i in range(500)),
            b"items=0-1",
            b"bytes=0-0,-1",
            b"bytes=1000-2000",
        ],
    }
    for name in rng.sample(sorted(options), rng.randint(1, 3)):
        headers.append((name, rng.choice(options[name])))
    target = rng.choice(["/etag", "/static/plain.txt", "/files/plain.txt"])
    return message(rng.choice(["GET", "HEAD"]), target, headers)


def streamed(rng: random.Random) -> bytes:
    count = rng.choice([b"3", b"-5", b"abc", b"9" * 400, b"\xff", b""])
    word = _mangle(rng, b"word", rng.randint(0, 3))
    return message(
        rng.choice(["GET", "HEAD"]), b"/stream?count=" + count + b"&word=" + word
    )


#: Each category's builder: it returns one request, drawing from the generator.
CATEGORIES: dict[str, Callable[[random.Random], bytes]] = {
    "path-encoding": path_encoding,
    "query-encoding": query_encoding,
    "header-bytes": header_bytes,
    "accept-and-auth": accept_and_auth,
    "cookies": cookies,
    "session-cookies": session_cookies,
    "overlong-lines": overlong_lines,
    "content-length": content_length,
    "chunked": chunked,
    "host": host,
    "json": json_bodies,
    "multipart": multipart,
    "form-limits": form_limits,
    "traversal": traversal,
    "methods-versions": methods_versions,
    "redirect-injection": redirect_injection,
    "header-echo": header_echo,
    "converters-url-for": converters_url_for,
    "conditional": conditional,
    "streamed": streamed,
}


def generate(seed: int = SEED, per_category: int = PER_CATEGORY) -> list[Case]:
    """The corpus for ``seed``: ``per_category`` requests of every category, in an
    order shuffled by the same seed."""
    rng = random.Random(seed)
    cases = [
        Case(name, build(rng))
        for name, build in CATEGORIES.items()
        for _ in range(per_category)
    ]
    rng.shuffle(cases)
    return cases
