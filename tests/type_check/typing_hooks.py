"""Request hooks and error handlers, sync and async, on an app and a blueprint."""

from __future__ import annotations

import typing as t

from typing_extensions import assert_type
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound

from flask import Blueprint
from flask import Flask
from flask import g
from flask import jsonify
from flask import request
from flask import Response
from flask.typing import ResponseReturnValue

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")


@app.before_request
def load_user() -> None:
    g.user = request.headers.get("X-User")


@app.before_request
def block_robots() -> ResponseReturnValue | None:
    if "bot" in (request.user_agent.string or ""):
        return "no robots", 403
    return None


@app.before_request
async def async_check() -> None:
    g.checked = True


@app.after_request
def add_header(response: Response) -> Response:
    response.headers["X-Frame-Options"] = "DENY"
    return response


@app.after_request
async def async_after(response: Response) -> Response:
    return response


# The decorators hand back the function itself, so it stays callable as written.
assert_type(add_header(Response()), Response)


@app.teardown_request
def close_resources(error: BaseException | None) -> None:
    g.pop("user", None)


@app.teardown_appcontext
async def async_teardown(error: BaseException | None) -> None:
    pass


@app.context_processor
def inject_site() -> dict[str, t.Any]:
    return {"site_name": "Example"}


@app.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
    if values is not None:
        g.language = values.pop("language", "en")


@app.url_defaults
def add_language(endpoint: str, values: dict[str, t.Any]) -> None:
    values.setdefault("language", g.get("language", "en"))


@app.template_filter("shout")
def shout(text: str) -> str:
    return text.upper() + "!"


@app.template_test("short")
def is_short(text: str) -> bool:
    return len(text) < 10


@app.template_global()
def copyright_year() -> int:
    return 2025


# Error handlers, by status code and by exception class; each names the exception type
# it receives.
@app.errorhandler(404)
def not_found(error: NotFound) -> tuple[str, int]:
    return f"nothing at {request.path}", 404


@app.errorhandler(HTTPException)
def any_http_error(error: HTTPException) -> ResponseReturnValue:
    return jsonify(code=error.code, name=error.name), error.code or 500


class OutOfStock(Exception):
    def __init__(self, item: str) -> None:
        super().__init__(item)
        self.item = item


@app.errorhandler(OutOfStock)
async def out_of_stock(error: OutOfStock) -> ResponseReturnValue:
    return {"missing": error.item}, 409


def value_error(error: ValueError) -> Response:
    return Response(str(error), status=400)


app.register_error_handler(ValueError, value_error)


@shop.before_request
def shop_only() -> None:
    g.in_shop = True


@shop.before_app_request
def everywhere() -> None:
    g.seen = True


@shop.after_app_request
def stamp(response: Response) -> Response:
    response.headers["X-Shop"] = "1"
    return response


@shop.errorhandler(OutOfStock)
def shop_out_of_stock(error: OutOfStock) -> str:
    return f"sold out: {error.item}"


@shop.app_errorhandler(500)
def server_error(error: Exception) -> tuple[str, int]:
    return "sorry", 500


@shop.app_template_filter()
def price(cents: int) -> str:
    return f"{cents / 100:.2f}"


@shop.get("/items/<int:item_id>")
def item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


app.register_blueprint(shop)
