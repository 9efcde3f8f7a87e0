"""The application factory, its configuration sources and the reset-db command."""

from __future__ import annotations

from bookshelf import create_app


def test_factory_creates_the_database_file_and_its_folder(tmp_path):
    target = tmp_path / "nested" / "shelf.sqlite"
    create_app({"DATABASE": str(target)})
    assert target.is_file()


def test_two_apps_on_one_file_see_the_same_books(tmp_path):
    settings = {"TESTING": True, "DATABASE": str(tmp_path / "shared.sqlite")}
    writer = create_app(settings).test_client()
    writer.post("/books", json={"title": "Shared", "author": "Both", "year": 1900})
    reader = create_app(settings).test_client()
    assert [book["title"] for book in reader.get("/books").json["items"]] == ["Shared"]


def test_separate_apps_do_not_share_data(app, tmp_path):
    other = create_app({"TESTING": True, "DATABASE": str(tmp_path / "other.sqlite")})
    app.test_client().post(
        "/books", json={"title": "Mine", "author": "Me", "year": 1950}
    )
    assert other.test_client().get("/books").json["meta"]["total"] == 0


def test_page_size_can_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BOOKSHELF_BOOKS_PER_PAGE", "3")
    app = create_app({"DATABASE": str(tmp_path / "env.sqlite")})
    assert app.config["BOOKS_PER_PAGE"] == 3
    assert app.test_client().get("/books").json["meta"]["per_page"] == 3


def test_explicit_settings_beat_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BOOKSHELF_BOOKS_PER_PAGE", "3")
    app = create_app({"DATABASE": str(tmp_path / "env.sqlite"), "BOOKS_PER_PAGE": 7})
    assert app.config["BOOKS_PER_PAGE"] == 7


def test_reset_db_with_yes_removes_every_book(app, client, add_book):
    add_book()
    add_book()
    result = app.test_cli_runner().invoke(args=["reset-db", "--yes"])
    assert result.exit_code == 0
    assert "empty" in result.output
    assert client.get("/books").json["meta"]["total"] == 0


def test_reset_db_restarts_the_ids(app, client, add_book):
    add_book()
    app.test_cli_runner().invoke(args=["reset-db", "--yes"])
    assert add_book()["id"] == 1


def test_reset_db_keeps_the_books_when_not_confirmed(app, client, add_book):
    add_book()
    result = app.test_cli_runner().invoke(args=["reset-db"], input="n\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert client.get("/books").json["meta"]["total"] == 1


def test_reset_db_asks_and_proceeds_on_yes(app, client, add_book):
    add_book()
    result = app.test_cli_runner().invoke(args=["reset-db"], input="y\n")
    assert result.exit_code == 0
    assert "Continue?" in result.output
    assert client.get("/books").json["meta"]["total"] == 0
