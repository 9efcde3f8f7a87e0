"""Flask-Marshmallow: schemas that build URLs with url_for, and model schemas for
Flask-SQLAlchemy."""

from __future__ import annotations

import pytest

flask_marshmallow = pytest.importorskip("flask_marshmallow")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("marshmallow_sqlalchemy")

from sqlalchemy.orm import Mapped  # noqa: E402
from sqlalchemy.orm import mapped_column  # noqa: E402

from flask import Flask  # noqa: E402
from flask import request  # noqa: E402


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = flask_sqlalchemy.SQLAlchemy(app)
    ma = flask_marshmallow.Marshmallow(app)

    class Book(db.Model):  # type: ignore[name-defined,misc,unused-ignore]
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str]

    class BookSchema(ma.SQLAlchemyAutoSchema):  # type: ignore[name-defined,misc]
        class Meta:
            model = Book
            load_instance = True

        url = ma.URLFor("show", values={"book_id": "<id>"})
        links = ma.Hyperlinks(
            {"self": ma.AbsoluteURLFor("show", values={"book_id": "<id>"})}
        )

    schema = BookSchema()

    @app.post("/books")
    def add() -> tuple[dict[str, object], int]:
        book = schema.load(request.get_json(), session=db.session)
        db.session.add(book)
        db.session.commit()
        return schema.dump(book), 201

    @app.get("/books/<int:book_id>")
    def show(book_id: int) -> dict[str, object]:
        return schema.dump(db.get_or_404(Book, book_id))

    @app.get("/books")
    def listing() -> object:
        return BookSchema(many=True, only=["title", "url"]).dump(
            db.session.scalars(db.select(Book).order_by(Book.id))
        )

    with app.app_context():
        db.create_all()
    return app


def test_a_loaded_and_dumped_model_carries_its_urls(app: Flask) -> None:
    client = app.test_client()
    created = client.post("/books", json={"title": "Dune"})
    assert created.status_code == 201
    assert created.json == {
        "id": 1,
        "title": "Dune",
        "url": "/books/1",
        "links": {"self": "http://localhost/books/1"},
    }
    client.post("/books", json={"title": "Emma"})
    assert client.get("/books").json == [
        {"title": "Dune", "url": "/books/1"},
        {"title": "Emma", "url": "/books/2"},
    ]


def test_absolute_urls_follow_the_request_host(app: Flask) -> None:
    client = app.test_client()
    client.post("/books", json={"title": "Dune"})
    shown = client.get("/books/1", base_url="https://books.example")
    assert shown.json["links"] == {"self": "https://books.example/books/1"}
