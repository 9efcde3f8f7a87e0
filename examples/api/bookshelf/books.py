"""The ``/books`` resource: list, create, read, replace, update and delete."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from werkzeug.exceptions import BadRequest

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request
from flask import Response
from flask import url_for

from . import db
from .errors import InvalidFields

bp = Blueprint("books", __name__, url_prefix="/books")


# -- validation ---------------------------------------------------------------------


def _text(limit: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a string"
        if not value.strip():
            return "must not be blank"
        if len(value) > limit:
            return f"must be at most {limit} characters"
        return None

    return check


def _whole_number(
    low: int, high: int, *, nullable: bool = False
) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        # bool is a subclass of int, but true/false is never a sensible year.
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not low <= value <= high
        ):
            return f"must be an integer from {low} to {high}" + (
                " or null" if nullable else ""
            )
        return None

    return check


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "title": _text(200),
    "author": _text(100),
    "year": _whole_number(0, 2100),
    "rating": _whole_number(1, 5, nullable=True),
}
REQUIRED = ("title", "author", "year")


def read_json_object() -> dict[str, Any]:
    """Return the request body as a dict, or answer 400 if it is not a JSON object."""
    if not request.is_json:
        abort(
            400,
            description="Send the body as JSON with 'Content-Type: application/json'.",
        )
    try:
        data = request.get_json()
    except BadRequest:
        abort(400, description="The body is not valid JSON.")
    if not isinstance(data, dict):
        abort(400, description="The JSON body must be an object.")
    return data


def clean_book(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check every field of ``data`` and raise :class:`InvalidFields` listing all
    problems at once. With ``partial``, required fields may be left out.
    """
    problems = {name: "is not a known field" for name in data if name not in CHECKS}
    if not partial:
        problems.update({name: "is required" for name in REQUIRED if name not in data})
    for name, check in CHECKS.items():
        if name in data and (message := check(data[name])) is not None:
            problems[name] = message
    if problems:
        raise InvalidFields(problems)
    values = {name: data[name] for name in CHECKS if name in data}
    for name in ("title", "author"):
        if name in values:
            values[name] = values[name].strip()
    return values


# -- representation and conditional requests -----------------------------------------


def represent(book: dict[str, Any]) -> dict[str, Any]:
    return {**book, "url": url_for("books.get_book", book_id=book["id"])}


def etag_of(payload: Any) -> str:
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def conditional_json(payload: Any, status: int = 200) -> Response:
    """Send ``payload`` with an ETag; a matching If-None-Match turns it into a 304."""
    response = jsonify(payload)
    response.status_code = status
    response.set_etag(etag_of(payload))
    return response.make_conditional(request)


def load_or_404(book_id: int) -> dict[str, Any]:
    book = db.fetch_book(book_id)
    if book is None:
        abort(404, description=f"There is no book with id {book_id}.")
    return represent(book)


def require_current(book: dict[str, Any]) -> None:
    """Refuse a change made against an outdated copy (If-Match does not match)."""
    if request.if_match and not request.if_match.contains(etag_of(book)):
        abort(
            412,
            description="The book has changed since you fetched it; reload it first.",
        )


def page_argument(name: str, default: int, upper: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"'{name}' must be a whole number, not {raw!r}.")
    if value < 1 or (upper is not None and value > upper):
        limits = f"from 1 to {upper}" if upper is not None else "1 or more"
        abort(400, description=f"'{name}' must be {limits}.")
    return value


# -- views --------------------------------------------------------------------------


@bp.get("")
def list_books() -> Response:
    config = current_app.config
    page = page_argument("page", 1)
    per_page = page_argument(
        "per_page", config["BOOKS_PER_PAGE"], config["BOOKS_MAX_PER_PAGE"]
    )
    total = db.count_books()
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404, description=f"Page {page} is past the last page ({pages}).")

    def link(number: int) -> str:
        return url_for("books.list_books", page=number, per_page=per_page)

    items = db.fetch_books((page - 1) * per_page, per_page)
    payload = {
        "items": [represent(book) for book in items],
        "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
        },
    }
    return conditional_json(payload)


@bp.post("")
def create_book() -> Response:
    values = clean_book(read_json_object(), partial=False)
    book = load_or_404(db.insert_book(values))
    response = conditional_json(book, 201)
    response.headers["Location"] = url_for(
        "books.get_book", book_id=book["id"], _external=True
    )
    return response


@bp.get("/<int:book_id>")
def get_book(book_id: int) -> Response:
    return conditional_json(load_or_404(book_id))


@bp.put("/<int:book_id>")
def replace_book(book_id: int) -> Response:
    require_current(load_or_404(book_id))
    values = clean_book(read_json_object(), partial=False)
    # Replacing means an optional field left out goes back to its empty value.
    values.setdefault("rating", None)
    db.update_book(book_id, values)
    return conditional_json(load_or_404(book_id))


@bp.patch("/<int:book_id>")
def update_book(book_id: int) -> Response:
    require_current(load_or_404(book_id))
    db.update_book(book_id, clean_book(read_json_object(), partial=True))
    return conditional_json(load_or_404(book_id))


@bp.delete("/<int:book_id>")
def delete_book(book_id: int) -> Response:
    require_current(load_or_404(book_id))
    db.delete_book(book_id)
    return Response(status=204)
