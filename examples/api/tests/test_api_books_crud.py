from __future__ import annotations


def test_root_points_at_the_collection(client):
    assert client.get("/").json == {"name": "bookshelf", "links": {"books": "/books"}}


def test_new_database_has_an_empty_collection(client):
    body = client.get("/books").json
    assert body["items"] == []
    assert body["meta"]["total"] == 0


def test_create_answers_201_with_location_and_the_stored_book(client):
    response = client.post(
        "/books",
        json={"title": "The Dispossessed", "author": "Ursula K. Le Guin", "year": 1974},
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "http://localhost/books/1"
    assert response.json == {
        "id": 1,
        "title": "The Dispossessed",
        "author": "Ursula K. Le Guin",
        "year": 1974,
        "rating": None,
        "url": "/books/1",
    }


def test_created_book_can_be_fetched_by_its_url(client, add_book):
    created = add_book(title="Solaris", author="Stanisław Lem", year=1961, rating=5)
    fetched = client.get(created["url"])
    assert fetched.status_code == 200
    assert fetched.json == created


def test_collection_lists_books_in_creation_order(client, add_book):
    first = add_book(title="Alpha")
    second = add_book(title="Beta")
    assert client.get("/books").json["items"] == [first, second]


def test_put_replaces_every_field_and_clears_the_missing_rating(client, add_book):
    book = add_book(title="Draft", rating=2)
    response = client.put(
        book["url"], json={"title": "Final", "author": "Someone Else", "year": 1999}
    )
    assert response.status_code == 200
    assert response.json == {
        "id": book["id"],
        "title": "Final",
        "author": "Someone Else",
        "year": 1999,
        "rating": None,
        "url": book["url"],
    }
    assert client.get(book["url"]).json == response.json


def test_patch_changes_only_the_given_fields(client, add_book):
    book = add_book(title="Kindred", author="Octavia E. Butler", year=1979)
    response = client.patch(book["url"], json={"rating": 4})
    assert response.status_code == 200
    assert response.json == {**book, "rating": 4}


def test_patch_with_an_empty_object_leaves_the_book_as_it_was(client, add_book):
    book = add_book()
    response = client.patch(book["url"], json={})
    assert response.status_code == 200
    assert response.json == book


def test_patch_can_set_the_rating_back_to_null(client, add_book):
    book = add_book(rating=3)
    assert client.patch(book["url"], json={"rating": None}).json["rating"] is None


def test_delete_answers_204_and_the_book_is_gone(client, add_book):
    book = add_book()
    response = client.delete(book["url"])
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(book["url"]).status_code == 404
    assert client.get("/books").json["meta"]["total"] == 0


def test_deleting_one_book_keeps_the_others(client, add_book):
    kept = add_book(title="Keep me")
    dropped = add_book(title="Drop me")
    client.delete(dropped["url"])
    assert client.get("/books").json["items"] == [kept]


def test_text_fields_are_stored_without_surrounding_spaces(client):
    response = client.post(
        "/books", json={"title": "  Emma ", "author": "\tJane Austen\n", "year": 1815}
    )
    assert (response.json["title"], response.json["author"]) == ("Emma", "Jane Austen")
