"""The JSON endpoint the page's script calls."""

from __future__ import annotations

import pytest


def stats(client, **body):
    response = client.post("/api/stats", json=body)
    assert response.status_code == 200, response.json
    return response.json


def test_counts_for_a_short_text(client):
    assert stats(client, text="The cat saw the hat.\nThe end") == {
        "characters": 28,
        "lines": 2,
        "words": 7,
        "unique_words": 5,
        "top_words": [
            {"word": "the", "count": 3},
            {"word": "cat", "count": 1},
            {"word": "end", "count": 1},
            {"word": "hat", "count": 1},
            {"word": "saw", "count": 1},
        ],
    }


def test_empty_text_gives_zeros(client):
    assert stats(client, text="") == {
        "characters": 0,
        "lines": 0,
        "words": 0,
        "unique_words": 0,
        "top_words": [],
    }


def test_words_are_counted_without_regard_to_case(client):
    body = stats(client, text="Rain rain RAIN go away")
    assert body["top_words"][0] == {"word": "rain", "count": 3}
    assert body["unique_words"] == 3


def test_equally_frequent_words_are_ranked_alphabetically(client):
    body = stats(client, text="pear fig apple fig pear", top=3)
    assert body["top_words"] == [
        {"word": "fig", "count": 2},
        {"word": "pear", "count": 2},
        {"word": "apple", "count": 1},
    ]


def test_top_limits_the_ranking(client):
    assert len(stats(client, text="a b c d e f g h i j k l", top=2)["top_words"]) == 2
    assert len(stats(client, text="a b c d e f g h i j k l")["top_words"]) == 5
    assert len(stats(client, text="a b c d e f g h i j k l", top=10)["top_words"]) == 10


def test_apostrophes_join_words_but_digits_and_punctuation_do_not_count(client):
    body = stats(client, text="Don't panic: 42 towels, 'twas fine -- o'clock_3", top=10)
    assert body["words"] == 6
    assert sorted(entry["word"] for entry in body["top_words"]) == [
        "don't",
        "fine",
        "o'clock",
        "panic",
        "towels",
        "twas",
    ]


def test_letters_outside_ascii_are_words_too(client):
    body = stats(client, text="Zoë naïve café Zoë")
    assert body["top_words"][0] == {"word": "zoë", "count": 2}
    assert body["words"] == 4


def test_longest_allowed_text_is_accepted(client):
    assert stats(client, text="x" * 5000)["characters"] == 5000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"text": "y" * 5001},
            "Text is limited to 5000 characters; this one has 5001.",
        ),
        ({"text": 12}, "'text' must be a string."),
        ({}, "'text' must be a string."),
        ({"text": "hi", "top": 0}, "'top' must be a whole number from 1 to 10."),
        ({"text": "hi", "top": 11}, "'top' must be a whole number from 1 to 10."),
        ({"text": "hi", "top": "3"}, "'top' must be a whole number from 1 to 10."),
        ({"text": "hi", "top": True}, "'top' must be a whole number from 1 to 10."),
        ({"text": "hi", "top": None}, "'top' must be a whole number from 1 to 10."),
    ],
)
def test_invalid_requests_get_a_json_400_with_a_message(client, body, message):
    response = client.post("/api/stats", json=body)
    assert response.status_code == 400
    assert response.json == {"error": message}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("text=hello", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
    ],
)
def test_bodies_that_are_not_a_json_object_get_a_json_400(client, data, content_type):
    response = client.post("/api/stats", data=data, content_type=content_type)
    assert response.status_code == 400
    assert "JSON object" in response.json["error"]


def test_endpoint_only_accepts_post_and_says_so_in_json(client):
    response = client.get("/api/stats")
    assert response.status_code == 405
    assert response.mimetype == "application/json"
    assert "error" in response.json
