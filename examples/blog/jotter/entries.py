"""The ``entries`` blueprint: the public feed and pages, and writing, editing and deleting."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from .accounts import members_only
from .storage import connection

bp = Blueprint("entries", __name__)

SELECT_ENTRIES = """
    SELECT entry.id, headline, content, written_at, revised_at, author_id, handle
    FROM entry JOIN author ON author.id = entry.author_id
"""


def find_entry(entry_id: int, *, owned: bool = False) -> sqlite3.Row:
    """Load one entry or answer 404; with ``owned``, answer 403 unless it is g.author's."""
    row = (
        connection()
        .execute(SELECT_ENTRIES + " WHERE entry.id = ?", (entry_id,))
        .fetchone()
    )
    if row is None:
        abort(404, description=f"There is no entry number {entry_id}.")
    if owned and row["author_id"] != g.author["id"]:
        abort(403, description="Only its author may change this entry.")
    return row


def read_form() -> tuple[str, str, list[str]]:
    """Return the submitted headline and content, and what is wrong with them."""
    headline = request.form.get("headline", "").strip()
    # Browsers send line breaks as CRLF; store plain newlines so paragraphs split cleanly.
    content = request.form.get("content", "").replace("\r\n", "\n").strip()
    problems = []
    limit = current_app.config["HEADLINE_MAX_LENGTH"]
    if not headline:
        problems.append("Give the entry a headline.")
    elif len(headline) > limit:
        problems.append(f"Keep the headline to {limit} characters or fewer.")
    if not content:
        problems.append("Write something in the entry.")
    return headline, content, problems


@bp.get("/")
def feed() -> str:
    rows = connection().execute(SELECT_ENTRIES + " ORDER BY entry.id DESC").fetchall()
    return render_template("entries/feed.html", entries=rows)


@bp.get("/entry/<int:entry_id>")
def show(entry_id: int) -> str:
    return render_template("entries/show.html", entry=find_entry(entry_id))


@bp.route("/write", methods=["GET", "POST"])
@members_only
def write() -> Any:
    headline = content = ""
    if request.method == "POST":
        headline, content, problems = read_form()
        if not problems:
            with connection() as conn:
                cursor = conn.execute(
                    "INSERT INTO entry (author_id, headline, content) VALUES (?, ?, ?)",
                    (g.author["id"], headline, content),
                )
            flash("Your entry is published.", "success")
            return redirect(url_for("entries.show", entry_id=cursor.lastrowid))
        for problem in problems:
            flash(problem, "error")
    page = render_template(
        "entries/form.html", title="New entry", headline=headline, content=content
    )
    return page, 400 if request.method == "POST" else 200


@bp.route("/entry/<int:entry_id>/edit", methods=["GET", "POST"])
@members_only
def edit(entry_id: int) -> Any:
    entry = find_entry(entry_id, owned=True)
    headline, content = entry["headline"], entry["content"]
    if request.method == "POST":
        headline, content, problems = read_form()
        if not problems:
            with connection() as conn:
                conn.execute(
                    "UPDATE entry SET headline = ?, content = ?, revised_at = datetime('now')"
                    " WHERE id = ?",
                    (headline, content, entry_id),
                )
            flash("Your changes are saved.", "success")
            return redirect(url_for("entries.show", entry_id=entry_id))
        for problem in problems:
            flash(problem, "error")
    page = render_template(
        "entries/form.html",
        title=f"Edit “{entry['headline']}”",
        headline=headline,
        content=content,
        entry=entry,
    )
    return page, 400 if request.method == "POST" else 200


@bp.post("/entry/<int:entry_id>/delete")
@members_only
def delete(entry_id: int) -> Any:
    entry = find_entry(entry_id, owned=True)
    with connection() as conn:
        conn.execute("DELETE FROM entry WHERE id = ?", (entry_id,))
    flash(f"Deleted “{entry['headline']}”.", "success")
    return redirect(url_for("entries.feed"))
