"""Errors raised by routing and by ``abort`` reach the client as JSON, never HTML."""

from __future__ import annotations

import pytest


def test_unknown_url_is_a_json_404(client):
    response = client.get("/authors")
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert response.json["error"]["code"] == 404
    assert response.json["error"]["name"] == "Not Found"


def test_book_id_must_be_a_number_for_the_route_to_match(client):
    response = client.get("/books/first")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_missing_book_is_a_json_404_naming_the_id(client, method):
    response = getattr(client, method)("/books/41", json={"title": "x"})
    assert response.status_code == 404
    assert response.json["error"]["message"] == "There is no book with id 41."


def test_wrong_method_on_the_collection_is_a_json_405_with_allow(client):
    response = client.delete("/books")
    assert response.status_code == 405
    assert response.content_type == "application/json"
    assert response.json["error"]["name"] == "Method Not Allowed"
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS", "POST"}


def test_wrong_method_on_an_item_lists_the_item_methods(client, add_book):
    book = add_book()
    response = client.post(book["url"], json={})
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}


def test_unexpected_exception_becomes_a_json_500(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/explode")
    def explode():
        raise RuntimeError("the disk caught fire")

    response = client.get("/explode")
    assert response.status_code == 500
    assert response.json["error"]["code"] == 500
    assert response.json["error"]["name"] == "Internal Server Error"
    # The original message is for the logs, not for the client.
    assert "disk" not in response.get_data(as_text=True)
