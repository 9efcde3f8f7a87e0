from __future__ import annotations

import pytest
from bookshelf import create_app


@pytest.fixture
def app(tmp_path):
    """A fresh application whose database lives in this test's temporary folder."""
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "books.sqlite")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def add_book(client):
    """Create a book through the API and return its JSON representation."""
    counter = 0

    def add(**fields):
        nonlocal counter
        counter += 1
        body = {"title": f"Volume {counter}", "author": "Anon", "year": 2000 + counter}
        body.update(fields)
        response = client.post("/books", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return add
