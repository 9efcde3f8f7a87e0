"""Text statistics: a page that sends its text to a JSON endpoint with ``fetch()``
and shows the counts it gets back, without reloading.

Start it with ``flask --app textstats run`` and open http://127.0.0.1:5000/.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from werkzeug.exceptions import HTTPException

from flask import abort
from flask import Flask
from flask import jsonify
from flask import render_template
from flask import request
from flask import Response

MAX_LENGTH = 5000
MAX_TOP = 10

# A word is a run of letters, optionally joined by apostrophes ("don't", "o'clock").
# Digits and underscores never count as letters.
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def analyse(text: str, top: int) -> dict[str, Any]:
    """Count characters, lines and words, and rank the ``top`` most frequent words.

    Words are compared case-insensitively; equally frequent words are ranked
    alphabetically so that the result does not depend on their order in the text.
    """
    words = [word.lower() for word in WORD.findall(text)]
    counts = Counter(words)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return {
        "characters": len(text),
        "lines": len(text.splitlines()),
        "words": len(words),
        "unique_words": len(counts),
        "top_words": [{"word": word, "count": count} for word, count in ranked],
    }


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return render_template("index.html", max_length=MAX_LENGTH, max_top=MAX_TOP)

    @app.post("/api/stats")
    def stats() -> dict[str, Any]:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, description='Send a JSON object such as {"text": "..."}.')
        text = data.get("text")
        if not isinstance(text, str):
            abort(400, description="'text' must be a string.")
        if len(text) > MAX_LENGTH:
            abort(
                400,
                description=f"Text is limited to {MAX_LENGTH} characters; this one has {len(text)}.",
            )
        top = data.get("top", 5)
        if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
            abort(400, description=f"'top' must be a whole number from 1 to {MAX_TOP}.")
        return analyse(text, top)

    @app.errorhandler(HTTPException)
    def json_errors_for_the_api(error: HTTPException) -> Response | HTTPException:
        # Only the endpoint that the script talks to answers in JSON; the page's own
        # errors keep Flask's HTML pages.
        if not request.path.startswith("/api/"):
            return error
        response = jsonify(error=error.description)
        response.status_code = error.code or 500
        return response

    return app
