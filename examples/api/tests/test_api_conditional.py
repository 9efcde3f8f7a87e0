"""ETags: If-None-Match saves re-downloading unchanged data, If-Match prevents
overwriting someone else's change."""

from __future__ import annotations

import pytest


def test_item_and_list_responses_carry_an_etag(client, add_book):
    book = add_book()
    assert client.get(book["url"]).headers["ETag"].startswith('"')
    assert client.get("/books").headers["ETag"].startswith('"')


def test_etag_is_stable_while_nothing_changes(client, add_book):
    book = add_book()
    assert (
        client.get(book["url"]).headers["ETag"]
        == client.get(book["url"]).headers["ETag"]
    )


def test_matching_if_none_match_gives_an_empty_304_for_an_item(client, add_book):
    book = add_book()
    etag = client.get(book["url"]).headers["ETag"]
    response = client.get(book["url"], headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


def test_matching_if_none_match_gives_a_304_for_the_list(client, add_book):
    add_book()
    etag = client.get("/books").headers["ETag"]
    response = client.get("/books", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""


def test_weak_form_of_the_etag_also_matches_if_none_match(client, add_book):
    book = add_book()
    etag = client.get(book["url"]).headers["ETag"]
    assert (
        client.get(book["url"], headers={"If-None-Match": f"W/{etag}"}).status_code
        == 304
    )


def test_star_if_none_match_gives_a_304(client, add_book):
    book = add_book()
    assert client.get(book["url"], headers={"If-None-Match": "*"}).status_code == 304


def test_item_etag_from_create_matches_a_later_get(client):
    created = client.post(
        "/books", json={"title": "Ubik", "author": "P. K. Dick", "year": 1969}
    )
    response = client.get(
        created.json["url"], headers={"If-None-Match": created.headers["ETag"]}
    )
    assert response.status_code == 304


def test_changed_item_is_sent_again_with_a_new_etag(client, add_book):
    book = add_book()
    old = client.get(book["url"]).headers["ETag"]
    client.patch(book["url"], json={"rating": 5})
    response = client.get(book["url"], headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.json["rating"] == 5
    assert response.headers["ETag"] != old


def test_adding_a_book_changes_the_list_etag(client, add_book):
    add_book()
    old = client.get("/books").headers["ETag"]
    add_book()
    response = client.get("/books", headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.json["meta"]["total"] == 2


def test_each_page_has_its_own_etag(client, add_book):
    for _ in range(3):
        add_book()
    page_one = client.get("/books?per_page=2").headers["ETag"]
    response = client.get(
        "/books?per_page=2&page=2", headers={"If-None-Match": page_one}
    )
    assert response.status_code == 200


def test_head_request_honours_if_none_match(client, add_book):
    book = add_book()
    etag = client.head(book["url"]).headers["ETag"]
    assert client.head(book["url"], headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("put", {"title": "New", "author": "New", "year": 2020}),
        ("patch", {"rating": 1}),
        ("delete", None),
    ],
)
def test_stale_if_match_is_a_412_and_changes_nothing(client, add_book, method, body):
    book = add_book()
    stale = client.get(book["url"]).headers["ETag"]
    client.patch(book["url"], json={"title": "Edited elsewhere"})
    current = client.get(book["url"]).json

    response = getattr(client, method)(
        book["url"], json=body, headers={"If-Match": stale}
    )
    assert response.status_code == 412
    assert response.json["error"]["code"] == 412
    assert client.get(book["url"]).json == current


def test_current_if_match_lets_the_change_through(client, add_book):
    book = add_book()
    etag = client.get(book["url"]).headers["ETag"]
    response = client.patch(book["url"], json={"rating": 2}, headers={"If-Match": etag})
    assert response.status_code == 200
    assert response.json["rating"] == 2
    response = client.delete(
        book["url"], headers={"If-Match": response.headers["ETag"]}
    )
    assert response.status_code == 204


def test_star_if_match_accepts_any_existing_book(client, add_book):
    book = add_book()
    response = client.patch(book["url"], json={"rating": 3}, headers={"If-Match": "*"})
    assert response.status_code == 200
