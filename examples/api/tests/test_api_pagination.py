from __future__ import annotations

from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest


def query_of(link):
    parts = urlsplit(link)
    assert parts.path == "/books"
    return {key: int(values[0]) for key, values in parse_qs(parts.query).items()}


@pytest.fixture
def twelve_books(add_book):
    return [add_book(title=f"Book {n}") for n in range(1, 13)]


def test_first_page_uses_the_configured_default_size(client, twelve_books):
    body = client.get("/books").json
    assert [book["title"] for book in body["items"]] == [
        f"Book {n}" for n in range(1, 11)
    ]
    assert body["meta"] == {"page": 1, "per_page": 10, "total": 12, "pages": 2}


def test_middle_page_links_in_both_directions(client, twelve_books):
    body = client.get("/books?page=2&per_page=5").json
    assert [book["title"] for book in body["items"]] == [
        f"Book {n}" for n in range(6, 11)
    ]
    links = {name: query_of(link) for name, link in body["links"].items()}
    assert links == {
        "self": {"page": 2, "per_page": 5},
        "first": {"page": 1, "per_page": 5},
        "last": {"page": 3, "per_page": 5},
        "prev": {"page": 1, "per_page": 5},
        "next": {"page": 3, "per_page": 5},
    }


def test_following_next_links_visits_every_book_once(client, twelve_books):
    seen = []
    link = "/books?per_page=5"
    while link is not None:
        body = client.get(link).json
        seen.extend(book["id"] for book in body["items"])
        link = body["links"]["next"]
    assert seen == [book["id"] for book in twelve_books]


def test_first_page_has_no_prev_and_last_page_has_no_next(client, twelve_books):
    first = client.get("/books?per_page=5").json
    last = client.get("/books?per_page=5&page=3").json
    assert first["links"]["prev"] is None
    assert first["links"]["next"] is not None
    assert last["links"]["next"] is None
    assert [book["title"] for book in last["items"]] == ["Book 11", "Book 12"]


def test_empty_collection_still_has_one_page(client):
    body = client.get("/books").json
    assert body["meta"] == {"page": 1, "per_page": 10, "total": 0, "pages": 1}
    assert body["links"]["next"] is None


def test_page_past_the_end_is_a_json_404(client, twelve_books):
    response = client.get("/books?page=3")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "Page 3 is past the last page (2)."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=two", "'page' must be a whole number, not 'two'."),
        ("page=1.5", "'page' must be a whole number, not '1.5'."),
        ("page=", "'page' must be a whole number, not ''."),
        ("page=0", "'page' must be 1 or more."),
        ("page=-2", "'page' must be 1 or more."),
        ("per_page=lots", "'per_page' must be a whole number, not 'lots'."),
        ("per_page=0", "'per_page' must be from 1 to 50."),
        ("per_page=51", "'per_page' must be from 1 to 50."),
    ],
)
def test_bad_paging_values_are_a_json_400(client, query, message):
    response = client.get(f"/books?{query}")
    assert response.status_code == 400
    assert response.json["error"]["message"] == message


def test_largest_allowed_page_size_is_accepted(client, twelve_books):
    body = client.get("/books?per_page=50").json
    assert len(body["items"]) == 12
    assert body["meta"]["pages"] == 1


def test_page_sizes_follow_the_app_config(app, client, twelve_books):
    app.config.update(BOOKS_PER_PAGE=4, BOOKS_MAX_PER_PAGE=6)
    assert client.get("/books").json["meta"]["pages"] == 3
    assert client.get("/books?per_page=7").status_code == 400
