"""400 for bodies that cannot be read as a JSON object, 422 for objects whose fields are
wrong. Nothing is stored in either case."""

from __future__ import annotations

import pytest

VALID = {"title": "Beloved", "author": "Toni Morrison", "year": 1987}


def assert_nothing_stored(client):
    assert client.get("/books").json["meta"]["total"] == 0


def test_form_encoded_body_is_a_400_naming_the_content_type(client):
    response = client.post("/books", data=VALID)
    assert response.status_code == 400
    assert response.json["error"]["code"] == 400
    assert "application/json" in response.json["error"]["message"]
    assert_nothing_stored(client)


def test_json_text_sent_as_plain_text_is_a_400(client):
    response = client.post("/books", data='{"title": "x"}', content_type="text/plain")
    assert response.status_code == 400
    assert "Content-Type" in response.json["error"]["message"]


def test_malformed_json_is_a_400(client):
    response = client.post("/books", data='{"title": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"] == {
        "code": 400,
        "name": "Bad Request",
        "message": "The body is not valid JSON.",
    }
    assert_nothing_stored(client)


@pytest.mark.parametrize("body", ['[{"title": "x"}]', '"Beloved"', "1987", "null"])
def test_json_that_is_not_an_object_is_a_400(client, body):
    response = client.post("/books", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["message"] == "The JSON body must be an object."


def test_every_missing_required_field_is_listed_in_one_422(client):
    response = client.post("/books", json={})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == 422
    assert error["name"] == "Unprocessable Entity"
    assert error["fields"] == {
        "title": "is required",
        "author": "is required",
        "year": "is required",
    }
    assert_nothing_stored(client)


def test_unknown_fields_are_rejected_by_name(client):
    response = client.post("/books", json={**VALID, "isbn": "123", "pages": 300})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "isbn": "is not a known field",
        "pages": "is not a known field",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", 42, "must be a string"),
        ("title", "   ", "must not be blank"),
        ("title", "x" * 201, "must be at most 200 characters"),
        ("author", ["Toni", "Morrison"], "must be a string"),
        ("author", "y" * 101, "must be at most 100 characters"),
        ("year", "1987", "must be an integer from 0 to 2100"),
        ("year", 1987.5, "must be an integer from 0 to 2100"),
        ("year", True, "must be an integer from 0 to 2100"),
        ("year", 2101, "must be an integer from 0 to 2100"),
        ("year", -1, "must be an integer from 0 to 2100"),
        ("rating", 0, "must be an integer from 1 to 5 or null"),
        ("rating", 6, "must be an integer from 1 to 5 or null"),
        ("rating", "5", "must be an integer from 1 to 5 or null"),
    ],
)
def test_a_bad_value_is_a_422_naming_only_that_field(client, field, value, message):
    response = client.post("/books", json={**VALID, field: value})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {field: message}
    assert_nothing_stored(client)


def test_boundary_values_are_accepted(client):
    response = client.post(
        "/books", json={"title": "t" * 200, "author": "a" * 100, "year": 0, "rating": 1}
    )
    assert response.status_code == 201
    assert (
        client.post("/books", json={**VALID, "year": 2100, "rating": 5}).status_code
        == 201
    )


def test_put_needs_all_required_fields(client, add_book):
    book = add_book()
    response = client.put(book["url"], json={"title": "Only a title"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "author": "is required",
        "year": "is required",
    }
    assert client.get(book["url"]).json == book


def test_patch_checks_the_fields_it_is_given(client, add_book):
    book = add_book()
    response = client.patch(book["url"], json={"year": "last year", "colour": "red"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "year": "must be an integer from 0 to 2100",
        "colour": "is not a known field",
    }
    assert client.get(book["url"]).json == book


@pytest.mark.parametrize("method", ["put", "patch"])
def test_updates_also_refuse_bodies_that_are_not_json(client, add_book, method):
    book = add_book()
    response = getattr(client, method)(book["url"], data="title=x")
    assert response.status_code == 400
    assert response.json["error"]["code"] == 400
