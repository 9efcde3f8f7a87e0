"""The application the robustness corpus attacks: one route per input surface.

Every view reads what the client sent the way an ordinary application would (query
arguments, forms, uploaded files, JSON, cookies, the session, converters, the body as a
stream) and answers through the framework's own helpers (``redirect``, ``url_for``,
``send_from_directory``, ``make_response``, conditional and streamed responses), passing
them values taken from the request. None of the views validates anything: whatever
reaches them unchecked must still get a 4xx, never a 5xx.

Servers import it as ``target_app:app`` with this folder on ``PYTHONPATH``. The files it
serves live in ``public/``; ``SECRET`` is written next to that folder, outside it, so a
response containing it is a traversal leak.
"""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

from werkzeug.routing import BuildError

from flask import abort
from flask import flash
from flask import Flask
from flask import get_flashed_messages
from flask import jsonify
from flask import make_response
from flask import redirect
from flask import request
from flask import send_from_directory
from flask import session
from flask import stream_with_context
from flask import url_for

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
#: Written to files outside ``public/``: it must never appear in a response.
SECRET = "the-secret-that-must-not-leak-4b1d"
SECRET_KEY = "robustness-secret-key"

app = Flask(__name__, static_folder=str(PUBLIC), static_url_path="/static")
app.config.update(
    SECRET_KEY=SECRET_KEY,
    # Small limits, so that the corpus's bodies over them stay small too.
    MAX_CONTENT_LENGTH=256 * 1024,
    MAX_FORM_MEMORY_SIZE=16 * 1024,
    MAX_FORM_PARTS=50,
)


@app.get("/_pid")
def pid() -> dict[str, int]:
    """Which process answered: the tests read its memory from /proc."""
    return {"pid": os.getpid()}


@app.route("/args")
def args() -> dict[str, t.Any]:
    values = request.args
    return {
        "args": values.to_dict(flat=False),
        "n": values.get("n", type=int),
        "full_path": request.full_path,
        "url": request.url,
    }


@app.route("/host")
def host() -> dict[str, t.Any]:
    return {
        "host": request.host,
        "url": request.url,
        "root": request.root_url,
        "external": url_for("host", _external=True),
        "remote": request.remote_addr,
        "route": request.access_route,
        "secure": request.is_secure,
    }


@app.route("/headers")
def headers() -> dict[str, t.Any]:
    return {
        "agent": request.user_agent.string,
        "accept": request.accept_mimetypes.best,
        "languages": list(request.accept_languages.values()),
        "charsets": list(request.accept_charsets.values()),
        "authorization": repr(request.authorization),
        "range": repr(request.range),
        "if_none_match": repr(request.if_none_match),
        "if_modified_since": repr(request.if_modified_since),
        "cache": repr(request.cache_control),
        "content_type": request.mimetype,
        "options": request.mimetype_params,
        "dates": repr(request.date),
        "forwarded": request.headers.getlist("X-Forwarded-For"),
    }


@app.route("/cookies")
def cookies() -> dict[str, t.Any]:
    return {"cookies": request.cookies.to_dict(flat=False)}


@app.route("/session", methods=["GET", "POST"])
def session_view() -> dict[str, t.Any]:
    if request.method == "POST":
        for key, value in request.form.items():
            session[key] = value
        flash(request.form.get("flash", "saved"))
    return {"session": dict(session), "flashes": get_flashed_messages()}


@app.route("/form", methods=["POST", "PUT", "PATCH"])
def form() -> dict[str, t.Any]:
    return {
        "form": request.form.to_dict(flat=False),
        "files": {
            name: [upload.filename, len(upload.read()), upload.mimetype]
            for name, upload in request.files.items()
        },
    }


@app.route("/json", methods=["POST", "PUT"])
def json_view() -> t.Any:
    data = request.get_json()
    # Only a small body is echoed: serializing a deeply nested one would be the
    # view's own recursion, not the framework's.
    small = request.content_length is not None and request.content_length < 200
    return jsonify(kind=type(data).__name__, echo=data if small else None)


@app.route("/json-silent", methods=["POST"])
def json_silent() -> dict[str, t.Any]:
    data = request.get_json(force=True, silent=True)
    return {"parsed": data is not None}


@app.route("/body", methods=["POST", "PUT"])
def body() -> dict[str, t.Any]:
    data = request.get_data()
    return {"length": len(data), "text": request.get_data(as_text=True)[:32]}


@app.route("/stream-in", methods=["POST"])
def stream_in() -> dict[str, int]:
    lines = 0
    for _line in request.stream:
        lines += 1
    return {"lines": lines}


@app.route("/go")
def go() -> t.Any:
    return redirect(request.args.get("next", "/"))


@app.route("/go-header")
def go_header() -> t.Any:
    # A Location set by hand rather than through redirect(). Werkzeug refuses a line
    # break in any header value the application sets itself, so checking for one is
    # the application's job; anything else is made sendable by the framework.
    target = request.args.get("next", "/")
    if "\r" in target or "\n" in target:
        abort(400)
    return "", 303, {"Location": target}


@app.route("/build")
def build() -> dict[str, str]:
    values = request.args.to_dict()
    endpoint = values.pop("endpoint", "item")
    if endpoint not in ("item", "number", "ratio", "ident", "files", "args"):
        abort(404)
    try:
        return {"url": url_for(endpoint, **values, _anchor=values.get("anchor"))}
    except (BuildError, ValueError) as error:
        # url_for's documented errors for values that fit no rule: the client's.
        abort(400, description=type(error).__name__)


@app.route("/item/<name>")
def item(name: str) -> dict[str, str]:
    return {"name": name, "self": url_for("item", name=name)}


@app.route("/number/<int:n>")
def number(n: int) -> dict[str, t.Any]:
    return {"n": n, "self": url_for("number", n=n)}


@app.route("/ratio/<float:x>")
def ratio(x: float) -> dict[str, t.Any]:
    return {"x": x}


@app.route("/ident/<uuid:u>")
def ident(u: t.Any) -> dict[str, str]:
    return {"u": str(u)}


@app.route("/files/<path:name>")
def files(name: str) -> t.Any:
    return send_from_directory(PUBLIC, name)


@app.route("/download")
def download() -> t.Any:
    name = request.args.get("name", "plain.txt")
    return send_from_directory(
        PUBLIC, "plain.txt", as_attachment=True, download_name=name
    )


@app.route("/set-cookie")
def set_cookie() -> t.Any:
    response = make_response("cookie set")
    response.set_cookie("echo", request.args.get("value", ""))
    return response


@app.route("/etag")
def etag() -> t.Any:
    response = make_response("tagged body " * 20)
    response.set_etag("fixed-etag")
    response.last_modified = 1_700_000_000
    return response.make_conditional(request)


@app.route("/stream")
def stream() -> t.Any:
    count = request.args.get("count", 3, type=int)

    @stream_with_context
    def generate() -> t.Iterator[str]:
        for index in range(min(max(count, 0), 50)):
            yield f"{index}:{request.args.get('word', '')[:16]}\n"

    return generate()


@app.errorhandler(404)
def not_found(error: Exception) -> tuple[dict[str, str], int]:
    # An error handler that reads the request too, as logging handlers do.
    return {"error": "not found", "path": request.full_path, "url": request.url}, 404
