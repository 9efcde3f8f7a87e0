"""Every error leaves the API as a JSON object of the same shape::

    {"error": {"code": 404, "name": "Not Found", "message": "..."}}

Validation failures add a ``fields`` object naming each rejected field.
"""

from __future__ import annotations

from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed

from flask import Flask
from flask import jsonify
from flask import Response


class InvalidFields(Exception):
    """The body was well-formed JSON, but some of its fields are unacceptable."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(f"invalid fields: {', '.join(sorted(problems))}")
        self.problems = problems


def error_response(code: int, name: str, message: str, **extra: object) -> Response:
    response = jsonify(error={"code": code, "name": name, "message": message, **extra})
    response.status_code = code
    return response


def http_exception_as_json(exc: HTTPException) -> Response:
    code = exc.code or 500
    response = error_response(code, exc.name, exc.description or exc.name)
    # A 405 must still say which methods the URL accepts.
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def invalid_fields_as_json(exc: InvalidFields) -> Response:
    return error_response(
        422,
        "Unprocessable Entity",
        "Some fields were rejected; see 'fields'.",
        fields=exc.problems,
    )


def init_app(app: Flask) -> None:
    # Registering for the HTTPException base class covers 404, 405, 400, 412 and
    # also the 500 that Flask produces for an unhandled error.
    app.register_error_handler(HTTPException, http_exception_as_json)
    app.register_error_handler(InvalidFields, invalid_fields_as_json)
