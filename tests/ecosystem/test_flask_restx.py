"""flask-restx: resources in a namespace, marshalled output, payload validation, the
generated Swagger document and JSON errors."""

from __future__ import annotations

import pytest

flask_restx = pytest.importorskip("flask_restx")

from flask import Flask  # noqa: E402

fields = flask_restx.fields


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    api = flask_restx.Api(app, title="Zoo", version="1.0", doc="/docs")
    ns = api.namespace("animals", description="Animals of the zoo")
    animal = ns.model(
        "Animal",
        {
            "id": fields.Integer(readonly=True),
            "name": fields.String(required=True),
            "legs": fields.Integer(default=4),
        },
    )
    zoo: dict[int, dict[str, object]] = {1: {"id": 1, "name": "emu", "legs": 2}}

    @ns.route("/")
    class Animals(flask_restx.Resource):  # type: ignore[misc]
        @ns.marshal_list_with(animal)
        def get(self) -> list[dict[str, object]]:
            return list(zoo.values())

        @ns.expect(animal, validate=True)
        @ns.marshal_with(animal, code=201)
        def post(self) -> tuple[dict[str, object], int]:
            new = {"id": len(zoo) + 1, **api.payload}
            zoo[new["id"]] = new
            return new, 201

    @ns.route("/<int:animal_id>")
    class OneAnimal(flask_restx.Resource):  # type: ignore[misc]
        @ns.marshal_with(animal)
        def get(self, animal_id: int) -> dict[str, object]:
            if animal_id not in zoo:
                api.abort(404, f"No animal {animal_id}.")
            return zoo[animal_id]

    @ns.route("/broken")
    class Broken(flask_restx.Resource):  # type: ignore[misc]
        def get(self) -> None:
            raise ValueError("the keeper is out")

    return app


def test_marshalled_listing_and_creation(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/animals/").json == [{"id": 1, "name": "emu", "legs": 2}]
    created = client.post("/animals/", json={"name": "owl", "legs": 2, "extra": 1})
    assert created.status_code == 201
    assert created.json == {"id": 2, "name": "owl", "legs": 2}
    assert client.get("/animals/2").json == {"id": 2, "name": "owl", "legs": 2}


def test_an_invalid_payload_is_refused_with_the_reason(app: Flask) -> None:
    response = app.test_client().post("/animals/", json={"legs": 3})
    assert response.status_code == 400
    assert response.json["message"] == "Input payload validation failed"
    assert "'name' is a required property" in response.json["errors"]["name"]


def test_errors_are_json(app: Flask) -> None:
    missing = app.test_client().get("/animals/9")
    assert missing.status_code == 404
    assert missing.json["message"].startswith("No animal 9.")
    wrong_method = app.test_client().delete("/animals/1")
    assert wrong_method.status_code == 405
    assert wrong_method.is_json


def test_the_swagger_document_and_its_page(app: Flask) -> None:
    client = app.test_client()
    spec = client.get("/swagger.json").json
    assert spec["info"] == {"title": "Zoo", "version": "1.0"}
    assert sorted(spec["paths"]) == [
        "/animals/",
        "/animals/broken",
        "/animals/{animal_id}",
    ]
    assert "Animal" in spec["definitions"]
    page = client.get("/docs")
    assert page.status_code == 200
    assert "swagger-ui" in page.text


def test_an_unhandled_error_becomes_a_json_500(app: Flask) -> None:
    response = app.test_client().get("/animals/broken")
    assert response.status_code == 500
    assert response.json == {"message": "Internal Server Error"}
