"""Flask-Compress: compressed bodies by Accept-Encoding, the headers that go with
them, and what is left alone."""

from __future__ import annotations

import gzip
import zlib

import pytest

flask_compress = pytest.importorskip("flask_compress")

from flask import Flask  # noqa: E402
from flask import Response  # noqa: E402
from flask import stream_with_context  # noqa: E402

TEXT = "All work and no play makes Jack a dull boy. " * 200


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config["COMPRESS_ALGORITHM"] = ["br", "gzip"]
    flask_compress.Compress(app)

    @app.get("/text")
    def text() -> str:
        return TEXT

    @app.get("/tiny")
    def tiny() -> str:
        return "short"

    @app.get("/image")
    def image() -> Response:
        return Response(b"\x89PNG" + b"\0" * 2000, mimetype="image/png")

    @app.get("/stream")
    def stream() -> Response:
        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(50):
                yield "line of streamed text\n"

        return Response(stream_with_context(chunks()), mimetype="text/plain")

    return app


def test_gzip_when_the_client_asks_for_it(app: Flask) -> None:
    response = app.test_client().get("/text", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert gzip.decompress(response.data).decode() == TEXT


def test_the_preferred_algorithm_when_the_client_takes_both(app: Flask) -> None:
    brotli = pytest.importorskip("brotli")
    response = app.test_client().get(
        "/text", headers={"Accept-Encoding": "gzip, deflate, br"}
    )
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data).decode() == TEXT


def test_small_bodies_other_types_and_plain_clients_stay_uncompressed(
    app: Flask,
) -> None:
    client = app.test_client()
    gzip_ok = {"Accept-Encoding": "gzip"}
    assert "Content-Encoding" not in client.get("/tiny", headers=gzip_ok).headers
    assert "Content-Encoding" not in client.get("/image", headers=gzip_ok).headers
    plain = client.get("/text")
    assert "Content-Encoding" not in plain.headers
    assert plain.text == TEXT


def test_streamed_responses_are_compressed_as_they_go(app: Flask) -> None:
    # Streams are never gzipped (by default): deflate is the one both sides know.
    response = app.test_client().get(
        "/stream", headers={"Accept-Encoding": "gzip, deflate"}
    )
    assert response.is_streamed
    assert response.headers["Content-Encoding"] == "deflate"
    assert "Content-Length" not in response.headers
    assert zlib.decompress(response.data).decode() == "line of streamed text\n" * 50
