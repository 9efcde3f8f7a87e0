"""Flask-SQLAlchemy: models, a session per request, get_or_404, pagination and the
shell context."""

from __future__ import annotations

from pathlib import Path

import pytest

flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")

from sqlalchemy import String  # noqa: E402
from sqlalchemy.orm import DeclarativeBase  # noqa: E402
from sqlalchemy.orm import Mapped  # noqa: E402
from sqlalchemy.orm import mapped_column  # noqa: E402

from flask import Flask  # noqa: E402
from flask import request  # noqa: E402


class Base(DeclarativeBase):
    pass


db = flask_sqlalchemy.SQLAlchemy(model_class=Base)


class Note(db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = Flask(__name__)
    app.config.update(
        TESTING=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'notes.db'}"
    )
    db.init_app(app)

    @app.post("/notes")
    def add() -> tuple[dict[str, object], int]:
        note = Note(text=request.form["text"])
        db.session.add(note)
        db.session.commit()
        return {"id": note.id, "text": note.text}, 201

    @app.get("/notes/<int:note_id>")
    def show(note_id: int) -> dict[str, object]:
        note = db.get_or_404(Note, note_id, description="No such note.")
        return {"id": note.id, "text": note.text}

    @app.get("/notes")
    def listing() -> dict[str, object]:
        page = db.paginate(db.select(Note).order_by(Note.id), per_page=2)
        return {
            "texts": [note.text for note in page.items],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
        }

    with app.app_context():
        db.create_all()
    return app


def test_rows_written_in_one_request_are_read_in_another(app: Flask) -> None:
    client = app.test_client()
    created = client.post("/notes", data={"text": "buy milk"})
    assert created.status_code == 201
    assert created.json == {"id": 1, "text": "buy milk"}
    assert client.get("/notes/1").json == {"id": 1, "text": "buy milk"}


def test_get_or_404_answers_not_found(app: Flask) -> None:
    response = app.test_client().get("/notes/99")
    assert response.status_code == 404
    assert "No such note." in response.text


def test_paginate_reads_the_page_from_the_query_string(app: Flask) -> None:
    client = app.test_client()
    for text in ["one", "two", "three"]:
        client.post("/notes", data={"text": text})
    assert client.get("/notes?page=2").json == {
        "texts": ["three"],
        "page": 2,
        "pages": 2,
        "total": 3,
    }
    assert client.get("/notes?page=3").status_code == 404


def test_the_session_is_removed_when_the_app_context_ends(app: Flask) -> None:
    with app.app_context():
        db.session.add(Note(text="never committed"))
        assert db.session.new
    with app.app_context():
        assert not db.session.new
        assert db.session.scalars(db.select(Note)).all() == []


def test_the_shell_context_offers_db_and_the_models(app: Flask) -> None:
    with app.app_context():
        context = app.make_shell_context()
    assert context["db"] is db
    assert context["Note"] is Note
