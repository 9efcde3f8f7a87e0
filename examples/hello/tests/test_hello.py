from __future__ import annotations

import hello
import pytest


@pytest.fixture
def client():
    hello.app.config["TESTING"] = True
    saved = dict(hello.GREETINGS)
    yield hello.app.test_client()
    hello.GREETINGS.clear()
    hello.GREETINGS.update(saved)


def test_index_links_to_each_language(client):
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/greet/World?lang=fr">fr</a>' in page


def test_greeting_in_requested_language(client):
    assert client.get("/greet/Ada?lang=de").data == b"Hallo, Ada!"


def test_unknown_language_is_an_html_404(client):
    response = client.get("/greet/Ada?lang=xx")
    assert response.status_code == 404
    assert "No greeting for language" in response.get_data(as_text=True)


def test_every_response_reports_its_timing(client):
    assert float(client.get("/").headers["X-Elapsed-Ms"]) >= 0


def test_api_lists_and_adds_greetings(client):
    assert client.get("/api/greetings").json["fr"] == "Bonjour"
    created = client.post("/api/greetings", json={"lang": "es", "text": "Hola"})
    assert created.status_code == 201
    assert created.json == {"lang": "es", "text": "Hola"}
    assert client.get("/greet/Ana?lang=es").data == b"Hola, Ana!"


def test_api_rejects_incomplete_data_with_400(client):
    response = client.post("/api/greetings", json={"lang": "es"})
    assert response.status_code == 400
    assert "error" in response.json


def test_api_404_is_json(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json == {"error": "not found"}
