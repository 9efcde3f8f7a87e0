"""Sending files: send_file, send_from_directory, static files, and reading attributes
from template modules."""

from __future__ import annotations

import io
import os
import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
import werkzeug.utils
from werkzeug.exceptions import NotFound
from werkzeug.http import http_date

import flask

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
ALPHABET_PATH = os.path.join(TESTS_DIR, "static", "alphabet.txt")
with open(ALPHABET_PATH, "rb") as _f:
    ALPHABET = _f.read()


class FileClient:
    """A test client whose responses are read and closed at once, so the files that
    ``send_file`` opened are not left open (that would warn, and warnings fail)."""

    def __init__(self, app: flask.Flask) -> None:
        self._client = app.test_client()

    def get(self, path: str, **kwargs: t.Any) -> t.Any:
        response = self._client.get(path, **kwargs)
        response.get_data()
        response.close()
        return response


@pytest.fixture
def client(app: flask.Flask) -> FileClient:
    return FileClient(app)


def _serve(app: flask.Flask, make: t.Callable[[], t.Any]) -> FileClient:
    """Route ``/file`` to ``make()`` and return a client for the app."""
    app.add_url_rule("/file", "file", make)
    return FileClient(app)


# --- send_file: where the data comes from -------------------------------------------


def test_send_file_relative_path_is_under_the_app_root(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file")
    assert response.status_code == 200
    assert response.data == ALPHABET
    assert response.headers["Content-Length"] == str(len(ALPHABET))


def test_send_file_relative_path_ignores_the_working_directory(
    app: flask.Flask, tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    assert client.get("/file").data == ALPHABET


def test_send_file_absolute_path(app: flask.Flask, tmp_path: t.Any) -> None:
    target = tmp_path / "report.csv"
    target.write_text("a,b\n1,2\n")
    client = _serve(app, lambda: flask.send_file(str(target)))
    response = client.get("/file")
    assert response.data == b"a,b\n1,2\n"
    assert response.mimetype == "text/csv"


def test_send_file_accepts_a_path_object(app: flask.Flask, tmp_path: t.Any) -> None:
    target = tmp_path / "thing.json"
    target.write_text("{}")
    client = _serve(app, lambda: flask.send_file(target))
    response = client.get("/file")
    assert response.data == b"{}"
    assert response.mimetype == "application/json"


def test_send_file_from_a_file_object_with_download_name(app: flask.Flask) -> None:
    client = _serve(
        app,
        lambda: flask.send_file(io.BytesIO(b"%PDF-fake"), download_name="invoice.pdf"),
    )
    response = client.get("/file")
    assert response.data == b"%PDF-fake"
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "inline; filename=invoice.pdf"


def test_send_file_object_without_name_or_mimetype_is_a_type_error(
    req_ctx: t.Any,
) -> None:
    with pytest.raises(TypeError, match="download_name"):
        flask.send_file(io.BytesIO(b"data"))


def test_send_file_object_with_explicit_mimetype(app: flask.Flask) -> None:
    client = _serve(
        app, lambda: flask.send_file(io.BytesIO(b"\x00\x01"), mimetype="image/x-raw")
    )
    response = client.get("/file")
    assert response.mimetype == "image/x-raw"
    assert response.data == b"\x00\x01"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("alphabet.txt", "text/plain; charset=utf-8"),
        ("teal.css", "text/css; charset=utf-8"),
    ],
)
def test_send_file_guesses_the_mimetype_from_the_name(
    app: flask.Flask, name: str, content_type: str
) -> None:
    client = _serve(app, lambda: flask.send_file(f"static/{name}"))
    assert client.get("/file").headers["Content-Type"] == content_type


def test_send_file_explicit_mimetype_wins_over_guessing(app: flask.Flask) -> None:
    client = _serve(
        app, lambda: flask.send_file("static/alphabet.txt", mimetype="text/x-letters")
    )
    assert client.get("/file").mimetype == "text/x-letters"


def test_send_file_response_is_the_app_response_class(app: flask.Flask) -> None:
    class StampedResponse(flask.Response):
        pass

    app.response_class = StampedResponse
    with app.test_request_context():
        response = flask.send_file("static/alphabet.txt")
        response.close()
    assert type(response) is StampedResponse


def test_send_file_needs_a_request_context(app: flask.Flask) -> None:
    with app.app_context():
        with pytest.raises(RuntimeError, match="request context"):
            flask.send_file("static/alphabet.txt")


# --- send_file: Content-Disposition -------------------------------------------------


def test_send_file_as_attachment_uses_the_file_name(app: flask.Flask) -> None:
    client = _serve(
        app, lambda: flask.send_file("static/alphabet.txt", as_attachment=True)
    )
    disposition = client.get("/file").headers["Content-Disposition"]
    assert disposition == "attachment; filename=alphabet.txt"


def test_send_file_download_name_replaces_the_file_name(app: flask.Flask) -> None:
    client = _serve(
        app,
        lambda: flask.send_file(
            "static/alphabet.txt", as_attachment=True, download_name="letters.txt"
        ),
    )
    disposition = client.get("/file").headers["Content-Disposition"]
    assert disposition == "attachment; filename=letters.txt"


def test_send_file_non_ascii_download_name_is_encoded(app: flask.Flask) -> None:
    client = _serve(
        app,
        lambda: flask.send_file(
            io.BytesIO(b"x"), as_attachment=True, download_name="résumé 2024.txt"
        ),
    )
    disposition = client.get("/file").headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="resume 2024.txt"')
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9%202024.txt" in disposition


# --- send_file: caching and conditional requests ------------------------------------


def test_send_file_sets_etag_and_last_modified(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file")
    assert response.headers["ETag"]
    mtime = os.path.getmtime(ALPHABET_PATH)
    assert response.headers["Last-Modified"] == http_date(mtime)
    # Werkzeug 3.1.8 and later say that ranges are accepted; earlier releases do not.
    with app.test_request_context():
        direct = werkzeug.utils.send_file(ALPHABET_PATH, flask.request.environ)
        direct.close()
    assert response.headers.get("Accept-Ranges") == direct.headers.get("Accept-Ranges")


def test_send_file_matching_etag_gives_304(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    etag = client.get("/file").headers["ETag"]
    cached = client.get("/file", headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.data == b""
    changed = client.get("/file", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.data == ALPHABET


def test_send_file_if_modified_since_gives_304_when_unchanged(
    app: flask.Flask,
) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    mtime = os.path.getmtime(ALPHABET_PATH)
    later = client.get("/file", headers={"If-Modified-Since": http_date(mtime + 60)})
    assert later.status_code == 304
    earlier = client.get(
        "/file", headers={"If-Modified-Since": http_date(mtime - 3600)}
    )
    assert earlier.status_code == 200


def test_send_file_conditional_false_ignores_conditional_headers(
    app: flask.Flask,
) -> None:
    client = _serve(
        app, lambda: flask.send_file("static/alphabet.txt", conditional=False)
    )
    etag = client.get("/file").headers.get("ETag")
    response = client.get(
        "/file", headers={"If-None-Match": etag or "*", "Range": "bytes=0-1"}
    )
    assert response.status_code == 200
    assert response.data == ALPHABET


def test_send_file_range_request_gives_206(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file", headers={"Range": "bytes=10-15"})
    assert response.status_code == 206
    assert response.data == b"ABCDEF"
    assert response.headers["Content-Range"] == f"bytes 10-15/{len(ALPHABET)}"
    assert response.headers["Content-Length"] == "6"


def test_send_file_suffix_range_gives_the_tail(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file", headers={"Range": "bytes=-4"})
    assert response.status_code == 206
    assert response.data == b"XYZ\n"


def test_send_file_unsatisfiable_range_gives_416(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file", headers={"Range": "bytes=500-600"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(ALPHABET)}"


def test_send_file_range_on_a_file_object(app: flask.Flask) -> None:
    client = _serve(
        app,
        lambda: flask.send_file(io.BytesIO(b"abcdefgh"), download_name="bytes.bin"),
    )
    response = client.get("/file", headers={"Range": "bytes=2-4"})
    assert response.status_code == 206
    assert response.data == b"cde"


def test_send_file_etag_false_sends_no_etag(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt", etag=False))
    assert "ETag" not in client.get("/file").headers


def test_send_file_custom_etag_is_used_for_304(app: flask.Flask) -> None:
    client = _serve(
        app, lambda: flask.send_file("static/alphabet.txt", etag="alphabet-v2")
    )
    assert client.get("/file").headers["ETag"] == '"alphabet-v2"'
    cached = client.get("/file", headers={"If-None-Match": '"alphabet-v2"'})
    assert cached.status_code == 304


def test_send_file_explicit_last_modified(app: flask.Flask) -> None:
    stamp = datetime(2019, 7, 14, 8, 30, 0, tzinfo=timezone.utc)
    client = _serve(
        app, lambda: flask.send_file("static/alphabet.txt", last_modified=stamp)
    )
    assert client.get("/file").headers["Last-Modified"] == (
        "Sun, 14 Jul 2019 08:30:00 GMT"
    )


def test_send_file_explicit_max_age(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt", max_age=90))
    response = client.get("/file")
    assert response.cache_control.max_age == 90
    assert response.cache_control.public is True
    assert "Expires" in response.headers


def test_send_file_max_age_callable_gets_the_path(app: flask.Flask) -> None:
    asked: list[str | None] = []

    def choose(path: str | None) -> int:
        asked.append(path)
        return 15

    client = _serve(app, lambda: flask.send_file("static/alphabet.txt", max_age=choose))
    assert client.get("/file").cache_control.max_age == 15
    assert asked == [ALPHABET_PATH]


def test_send_file_default_max_age_none_means_no_cache(app: flask.Flask) -> None:
    assert app.config["SEND_FILE_MAX_AGE_DEFAULT"] is None
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file")
    assert response.cache_control.max_age is None
    assert response.cache_control.no_cache is True
    assert "Expires" not in response.headers


@pytest.mark.parametrize("configured", [600, timedelta(minutes=10)])
def test_send_file_default_max_age_comes_from_config(
    app: flask.Flask, configured: int | timedelta
) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = configured
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    assert client.get("/file").cache_control.max_age == 600


def test_get_send_file_max_age_converts_config_to_seconds(app: flask.Flask) -> None:
    with app.app_context():
        assert app.get_send_file_max_age("a.txt") is None
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(hours=2)
        assert app.get_send_file_max_age("a.txt") == 7200
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 45
        assert app.get_send_file_max_age(None) == 45


def test_send_file_default_max_age_uses_the_overridden_method(
    tmp_path: t.Any,
) -> None:
    class PerTypeCache(flask.Flask):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            if filename is not None and filename.endswith(".css"):
                return 1_000
            return 5

    app = PerTypeCache("per_type", root_path=TESTS_DIR)
    client = _serve(app, lambda: flask.send_file(flask.request.args["name"]))
    css = client.get("/file?name=static/teal.css")
    txt = client.get("/file?name=static/alphabet.txt")
    assert css.cache_control.max_age == 1_000
    assert txt.cache_control.max_age == 5


def test_use_x_sendfile_sends_the_path_in_a_header(app: flask.Flask) -> None:
    app.config["USE_X_SENDFILE"] = True
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    response = client.get("/file")
    assert response.headers["X-Sendfile"] == ALPHABET_PATH
    assert response.data == b""


def test_use_x_sendfile_off_by_default(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_file("static/alphabet.txt"))
    assert "X-Sendfile" not in client.get("/file").headers


# --- send_from_directory --------------------------------------------------------------


def test_send_from_directory_serves_a_file(app: flask.Flask, tmp_path: t.Any) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.txt").write_text("read me")

    @app.route("/docs/<path:name>")
    def docs(name: str) -> t.Any:
        return flask.send_from_directory(tmp_path / "docs", name)

    response = FileClient(app).get("/docs/guide.txt")
    assert response.status_code == 200
    assert response.data == b"read me"
    assert response.mimetype == "text/plain"


def test_send_from_directory_relative_directory_is_under_the_app_root(
    app: flask.Flask,
) -> None:
    client = _serve(app, lambda: flask.send_from_directory("static", "teal.css"))
    assert client.get("/file").data == b"body { color: teal; }\n"


def test_send_from_directory_passes_options_to_send_file(app: flask.Flask) -> None:
    client = _serve(
        app,
        lambda: flask.send_from_directory(
            "static", "alphabet.txt", as_attachment=True, max_age=30
        ),
    )
    response = client.get("/file")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.cache_control.max_age == 30


@pytest.mark.parametrize(
    "requested",
    ["../conftest.py", "static/../../conftest.py", "nested/../../conftest.py"],
)
def test_send_from_directory_refuses_paths_leaving_the_directory(
    app: flask.Flask, requested: str
) -> None:
    with app.test_request_context():
        with pytest.raises(NotFound):
            flask.send_from_directory("static", requested)


def test_send_from_directory_refuses_absolute_paths(app: flask.Flask) -> None:
    with app.test_request_context():
        with pytest.raises(NotFound):
            flask.send_from_directory("static", ALPHABET_PATH)


def test_send_from_directory_escape_through_the_url_is_404(
    app: flask.Flask, tmp_path: t.Any
) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "secret.txt").write_text("hidden")

    @app.route("/public/<path:name>")
    def public(name: str) -> t.Any:
        return flask.send_from_directory(tmp_path / "public", name)

    @app.route("/lookup")
    def lookup() -> t.Any:
        return flask.send_from_directory(
            tmp_path / "public", flask.request.args["name"]
        )

    client = FileClient(app)
    assert client.get("/public/..%2Fsecret.txt").status_code == 404
    absolute = str(tmp_path / "secret.txt")
    assert client.get("/lookup", query_string={"name": absolute}).status_code == 404
    dotted = client.get("/lookup", query_string={"name": "../secret.txt"})
    assert dotted.status_code == 404


def test_send_from_directory_missing_file_is_404(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_from_directory("static", "absent.txt"))
    assert client.get("/file").status_code == 404


def test_send_from_directory_directory_itself_is_404(app: flask.Flask) -> None:
    client = _serve(app, lambda: flask.send_from_directory(TESTS_DIR, "static"))
    assert client.get("/file").status_code == 404


# --- static files -----------------------------------------------------------------


def test_static_route_serves_files_from_the_static_folder(client: FileClient) -> None:
    response = client.get("/static/alphabet.txt")
    assert response.status_code == 200
    assert response.data == ALPHABET
    assert response.mimetype == "text/plain"


def test_static_route_missing_file_is_404(client: FileClient) -> None:
    assert client.get("/static/not-there.txt").status_code == 404


def test_static_route_cannot_leave_the_static_folder(client: FileClient) -> None:
    assert client.get("/static/..%2Fconftest.py").status_code == 404


def test_static_route_conditional_get_gives_304(client: FileClient) -> None:
    first = client.get("/static/teal.css")
    assert first.status_code == 200
    again = client.get(
        "/static/teal.css", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    since = client.get(
        "/static/teal.css",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304


def test_static_route_range_request(client: FileClient) -> None:
    response = client.get("/static/alphabet.txt", headers={"Range": "bytes=0-2"})
    assert response.status_code == 206
    assert response.data == b"012"


def test_static_route_no_max_age_by_default(client: FileClient) -> None:
    response = client.get("/static/alphabet.txt")
    assert response.cache_control.max_age is None
    assert response.cache_control.no_cache is True


def test_static_route_max_age_from_config(app: flask.Flask, client: FileClient) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(days=1)
    response = client.get("/static/alphabet.txt")
    assert response.cache_control.max_age == 86_400
    assert response.cache_control.public is True


def test_static_max_age_can_vary_per_filename_in_a_subclass() -> None:
    asked: list[str | None] = []

    class FingerprintedAssets(flask.Flask):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            asked.append(filename)
            if filename is not None and filename.endswith(".css"):
                return 31_536_000
            return super().get_send_file_max_age(filename)

    app = FingerprintedAssets("assets", root_path=TESTS_DIR)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    client = FileClient(app)
    assert client.get("/static/teal.css").cache_control.max_age == 31_536_000
    assert client.get("/static/alphabet.txt").cache_control.max_age == 60
    assert asked == ["teal.css", "alphabet.txt"]


def test_send_static_file_inside_a_view(app: flask.Flask) -> None:
    client = _serve(app, lambda: app.send_static_file("teal.css"))
    response = client.get("/file")
    assert response.data == b"body { color: teal; }\n"
    assert response.mimetype == "text/css"


def test_send_static_file_without_static_folder_is_a_runtime_error(
    tmp_path: t.Any,
) -> None:
    app = flask.Flask("bare", root_path=str(tmp_path), static_folder=None)
    assert not app.has_static_folder
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="static_folder"):
            app.send_static_file("anything.css")


def test_no_static_route_without_static_folder(tmp_path: t.Any) -> None:
    app = flask.Flask("bare", root_path=str(tmp_path), static_folder=None)
    assert "static" not in {rule.endpoint for rule in app.url_map.iter_rules()}
    assert FileClient(app).get("/static/x.css").status_code == 404


def test_custom_static_url_path(tmp_path: t.Any) -> None:
    app = flask.Flask("assets", root_path=TESTS_DIR, static_url_path="/assets/v1")
    client = FileClient(app)
    assert client.get("/assets/v1/teal.css").status_code == 200
    assert client.get("/static/teal.css").status_code == 404
    with app.test_request_context():
        assert flask.url_for("static", filename="teal.css") == "/assets/v1/teal.css"


def test_blueprint_static_files(app: flask.Flask) -> None:
    shop = flask.Blueprint(
        "shop",
        __name__,
        static_folder="static",
        static_url_path="/shop-static",
        url_prefix="/shop",
    )
    app.register_blueprint(shop)
    client = FileClient(app)
    response = client.get("/shop/shop-static/alphabet.txt")
    assert response.status_code == 200
    assert response.data == ALPHABET
    with app.test_request_context():
        assert flask.url_for("shop.static", filename="teal.css") == (
            "/shop/shop-static/teal.css"
        )


def test_blueprint_send_static_file_uses_its_own_max_age(app: flask.Flask) -> None:
    class LongCacheBlueprint(flask.Blueprint):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 777

    files = LongCacheBlueprint("files", __name__, static_folder="static")
    app.register_blueprint(files, url_prefix="/files")
    response = FileClient(app).get("/files/static/teal.css")
    assert response.cache_control.max_age == 777


def test_blueprint_without_static_folder_cannot_send_static_files(
    app: flask.Flask,
) -> None:
    plain = flask.Blueprint("plain", __name__)
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="static_folder"):
            plain.send_static_file("teal.css")


# --- get_template_attribute ------------------------------------------------------


def test_get_template_attribute_returns_a_callable_macro(app_ctx: t.Any) -> None:
    badge = flask.get_template_attribute("attribute_module.html", "badge")
    assert str(badge("new")) == '<span class="badge info">new</span>'
    assert str(badge("<b>", tone="warn")) == (
        '<span class="badge warn">&lt;b&gt;</span>'
    )


def test_get_template_attribute_returns_a_variable(app_ctx: t.Any) -> None:
    assert flask.get_template_attribute("attribute_module.html", "release") == "3.1"


def test_get_template_attribute_unknown_name_is_an_attribute_error(
    app_ctx: t.Any,
) -> None:
    with pytest.raises(AttributeError):
        flask.get_template_attribute("attribute_module.html", "missing_macro")


def test_get_template_attribute_unknown_template(app_ctx: t.Any) -> None:
    from jinja2 import TemplateNotFound

    with pytest.raises(TemplateNotFound):
        flask.get_template_attribute("no_such_template.html", "badge")
