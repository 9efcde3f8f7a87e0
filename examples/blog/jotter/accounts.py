"""The ``accounts`` blueprint: sign up, log in and log out, and the login guard."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from .storage import connection

bp = Blueprint("accounts", __name__, url_prefix="/account")

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


@bp.before_app_request
def identify_visitor() -> None:
    """Put the logged-in author's row (or ``None``) on ``g.author`` for every request."""
    author_id = session.get("author_id")
    g.author = None
    if author_id is not None:
        g.author = (
            connection()
            .execute("SELECT id, handle FROM author WHERE id = ?", (author_id,))
            .fetchone()
        )


def members_only(view: ViewFunc) -> ViewFunc:
    """Send anonymous visitors to the login page, remembering where they were going."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.author is None:
            flash("Please log in first.", "error")
            # script_root keeps the mount point, e.g. /blog behind a proxy's prefix.
            target = request.script_root + request.path
            return redirect(url_for("accounts.login", next=target))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _safe_target(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the feed's URL.

    Besides full URLs, this refuses ``//host`` and ``/\\host``, which browsers read
    as links to another site, and anything with blanks or control characters, which
    browsers may drop to the same effect.
    """
    if (
        target
        and target.startswith("/")
        and target[1:2] not in ("/", "\\")
        and all(char.isprintable() and not char.isspace() for char in target)
    ):
        return target
    return url_for("entries.feed")


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if request.method == "POST":
        handle = request.form.get("handle", "").strip()
        password = request.form.get("password", "")
        problems = []
        if not handle:
            problems.append("Choose a name.")
        if not password:
            problems.append("Choose a password.")
        elif password != request.form.get("confirm", ""):
            problems.append("The two passwords differ.")
        if not problems:
            try:
                with connection() as conn:
                    conn.execute(
                        "INSERT INTO author (handle, password_hash) VALUES (?, ?)",
                        (handle, generate_password_hash(password)),
                    )
            except sqlite3.IntegrityError:
                problems.append(f"The name {handle!r} is taken.")
            else:
                flash(f"Welcome, {handle}! You can log in now.", "success")
                return redirect(url_for("accounts.login"))
        for problem in problems:
            flash(problem, "error")
        return render_template("accounts/register.html", handle=handle), 400
    return render_template("accounts/register.html", handle="")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = request.values.get("next")
    if request.method == "POST":
        handle = request.form.get("handle", "").strip()
        row = (
            connection()
            .execute("SELECT id, password_hash FROM author WHERE handle = ?", (handle,))
            .fetchone()
        )
        # One message for both mistakes, so the form does not reveal who has an account.
        if row is None or not check_password_hash(
            row["password_hash"], request.form.get("password", "")
        ):
            flash("Unknown name or wrong password.", "error")
            return render_template(
                "accounts/login.html", handle=handle, next=target
            ), 400
        session.clear()
        session["author_id"] = row["id"]
        flash(f"Logged in as {handle}.", "success")
        return redirect(_safe_target(target))
    return render_template("accounts/login.html", handle="", next=target)


@bp.post("/logout")
def logout() -> Any:
    session.clear()
    flash("Logged out. See you soon.", "success")
    return redirect(url_for("entries.feed"))
