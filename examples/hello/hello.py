"""A small application that shows the core API: routes with variables, JSON responses,
request data, error handlers, and hooks.

Run it with ``python hello.py`` and open http://127.0.0.1:5000/.
"""

from __future__ import annotations

import time

from flask import abort
from flask import Flask
from flask import g
from flask import jsonify
from flask import request
from flask import url_for

app = Flask(__name__)

# A tiny in-memory store, so the example needs nothing else to run.
GREETINGS: dict[str, str] = {"en": "Hello", "fr": "Bonjour", "de": "Hallo"}


@app.before_request
def start_timer() -> None:
    g.started = time.perf_counter()


@app.after_request
def add_timing_header(response):
    elapsed_ms = (time.perf_counter() - g.started) * 1000
    response.headers["X-Elapsed-Ms"] = f"{elapsed_ms:.3f}"
    return response


@app.route("/")
def index() -> str:
    links = "".join(
        f'<li><a href="{url_for("greet", name="World", lang=lang)}">{lang}</a></li>'
        for lang in sorted(GREETINGS)
    )
    return f"<h1>Hello!</h1><p>Greetings in other languages:</p><ul>{links}</ul>"


@app.route("/greet/<name>")
def greet(name: str) -> str:
    lang = request.args.get("lang", "en")
    if lang not in GREETINGS:
        abort(404, description=f"No greeting for language {lang!r}.")
    return f"{GREETINGS[lang]}, {name}!"


@app.get("/api/greetings")
def list_greetings():
    return GREETINGS


@app.post("/api/greetings")
def add_greeting():
    data = request.get_json()
    if not isinstance(data, dict) or not data.get("lang") or not data.get("text"):
        return {"error": "Send a JSON object with 'lang' and 'text'."}, 400
    GREETINGS[data["lang"]] = data["text"]
    return jsonify(lang=data["lang"], text=data["text"]), 201


@app.errorhandler(404)
def not_found(error):
    if request.path.startswith("/api/"):
        return {"error": "not found"}, 404
    return f"<h1>Not found</h1><p>{error.description}</p>", 404


if __name__ == "__main__":
    app.run()
