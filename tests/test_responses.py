"""What a view may return, and how ``make_response`` turns it into a response."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response as WerkzeugResponse

import flask

# Plain string bodies -----------------------------------------------------------------


def test_str_return_value_is_utf8_html(app, client):
    @app.route("/greeting")
    def greeting():
        return "Grüße"

    response = client.get("/greeting")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.data == "Grüße".encode()


def test_bytes_return_value_is_the_body(app, client):
    @app.route("/raw")
    def raw():
        return b"\x00\x01binary"

    response = client.get("/raw")
    assert response.data == b"\x00\x01binary"
    assert response.mimetype == "text/html"


def test_bytearray_return_value_is_the_body(app, client):
    @app.route("/mutable")
    def mutable():
        return bytearray(b"abc")

    response = client.get("/mutable")
    assert response.data == b"abc"
    assert response.headers["Content-Length"] == "3"


def test_str_body_uses_the_app_response_class(app, client):
    class TaggedResponse(flask.Response):
        pass

    app.response_class = TaggedResponse

    with app.test_request_context():
        assert type(app.make_response("tagged")) is TaggedResponse


# JSON ------------------------------------------------------------------------------


def test_dict_return_value_becomes_json(app, client):
    @app.route("/settings")
    def settings():
        return {"theme": "dark", "size": 3}

    response = client.get("/settings")
    assert response.mimetype == "application/json"
    assert response.get_json() == {"theme": "dark", "size": 3}


def test_list_return_value_becomes_json(app, client):
    @app.route("/primes")
    def primes():
        return [2, 3, 5, 7]

    response = client.get("/primes")
    assert response.mimetype == "application/json"
    assert response.get_json() == [2, 3, 5, 7]


def test_dict_return_value_goes_through_app_json_provider(app, client):
    app.json.mimetype = "application/vnd.example+json"  # type: ignore[attr-defined]

    @app.route("/doc")
    def doc():
        return {"kind": "example"}

    response = client.get("/doc")
    assert response.mimetype == "application/vnd.example+json"
    assert response.get_json(force=True) == {"kind": "example"}


# Streaming -------------------------------------------------------------------------


def test_generator_of_str_is_streamed(app, client):
    @app.route("/count")
    def count():
        def numbers():
            for n in range(3):
                yield f"{n};"

        return numbers()

    with app.test_request_context():
        streamed = app.make_response(str(n) for n in range(2))
        assert streamed.is_streamed

    response = client.get("/count")
    assert response.data == b"0;1;2;"
    assert "Content-Length" not in response.headers


def test_iterator_of_bytes_is_streamed(app, client):
    @app.route("/chunks")
    def chunks():
        return iter([b"first-", b"second"])

    response = client.get("/chunks")
    assert response.data == b"first-second"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_streamed_body_accepts_status_and_headers_tuple(app, client):
    @app.route("/partial")
    def partial():
        return iter(["a", "b"]), 206, {"X-Part": "yes"}

    response = client.get("/partial")
    assert response.status_code == 206
    assert response.headers["X-Part"] == "yes"
    assert response.data == b"ab"


# Response objects and WSGI callables ------------------------------------------------


def test_response_class_instance_is_returned_unchanged(app):
    ready = flask.Response("ready", status=202)
    with app.test_request_context():
        assert app.make_response(ready) is ready


def test_plain_werkzeug_response_is_coerced_to_response_class(app, client):
    @app.route("/foreign")
    def foreign():
        return WerkzeugResponse("from werkzeug", status=203, headers={"X-Origin": "wz"})

    with app.test_request_context():
        coerced = app.make_response(WerkzeugResponse("x"))
        assert isinstance(coerced, flask.Response)

    response = client.get("/foreign")
    assert response.status_code == 203
    assert response.headers["X-Origin"] == "wz"
    assert response.mimetype == "text/plain"
    assert response.data == b"from werkzeug"


def test_wsgi_callable_is_called_and_coerced(app, client):
    def tiny_wsgi_app(environ, start_response):
        start_response("207 Multi-Status", [("X-Seen-Path", environ["PATH_INFO"])])
        return [b"wsgi ", b"body"]

    @app.route("/delegate")
    def delegate():
        return tiny_wsgi_app

    response = client.get("/delegate")
    assert response.status_code == 207
    assert response.headers["X-Seen-Path"] == "/delegate"
    assert response.data == b"wsgi body"


# Tuples ----------------------------------------------------------------------------


def test_three_tuple_sets_status_and_headers(app, client):
    @app.route("/made")
    def made():
        return "created", 201, {"Location": "/made/1"}

    response = client.get("/made")
    assert response.status_code == 201
    assert response.headers["Location"] == "/made/1"
    assert response.data == b"created"


def test_two_tuple_with_int_status(app, client):
    @app.route("/gone")
    def gone():
        return "it left", 410

    response = client.get("/gone")
    assert response.status_code == 410
    assert response.status == "410 GONE"


def test_status_string_keeps_its_reason_phrase(app, client):
    @app.route("/kettle")
    def kettle():
        return "short and stout", "418 I'm a teapot"

    response = client.get("/kettle")
    assert response.status_code == 418
    assert response.status == "418 I'm a teapot"


def test_status_string_with_custom_reason(app, client):
    @app.route("/odd")
    def odd():
        return "odd", "299 Mostly Fine", {"X-A": "1"}

    response = client.get("/odd")
    assert response.status == "299 Mostly Fine"
    assert response.headers["X-A"] == "1"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Flavour": "mint"},
        [("X-Flavour", "mint")],
        Headers([("X-Flavour", "mint")]),
    ],
    ids=["dict", "list-of-pairs", "Headers"],
)
def test_headers_may_be_dict_list_or_headers(app, client, headers):
    @app.route("/flavour")
    def flavour():
        return "tasty", 200, headers

    response = client.get("/flavour")
    assert response.headers["X-Flavour"] == "mint"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Two": "2"},
        [("X-Two", "2")],
        (("X-Two", "2"),),
        Headers({"X-Two": "2"}),
    ],
    ids=["dict", "list", "tuple", "Headers"],
)
def test_two_tuple_with_header_like_second_item_means_headers(app, client, headers):
    @app.route("/two")
    def two():
        return "pair", headers

    response = client.get("/two")
    assert response.status_code == 200
    assert response.headers["X-Two"] == "2"


def test_tuple_status_overrides_response_object_status(app, client):
    @app.route("/override")
    def override():
        return flask.Response("body", status=500), 202

    response = client.get("/override")
    assert response.status_code == 202
    assert response.data == b"body"


def test_tuple_headers_extend_response_object_headers(app, client):
    @app.route("/extend")
    def extend():
        inner = flask.Response("body", headers={"X-Inner": "kept"})
        return inner, {"X-Outer": "added"}

    response = client.get("/extend")
    assert response.headers["X-Inner"] == "kept"
    assert response.headers["X-Outer"] == "added"


def test_tuple_headers_extend_json_response(app, client):
    @app.route("/api")
    def api():
        return {"ok": True}, 201, [("X-Request-Id", "abc")]

    response = client.get("/api")
    assert response.status_code == 201
    assert response.mimetype == "application/json"
    assert response.headers["X-Request-Id"] == "abc"
    assert response.get_json() == {"ok": True}


def test_content_type_header_replaces_default_for_str_body(app, client):
    @app.route("/text")
    def text():
        return "plain words", {"Content-Type": "text/plain; charset=utf-8"}

    response = client.get("/text")
    assert response.headers.getlist("Content-Type") == ["text/plain; charset=utf-8"]


def test_repeated_header_pairs_are_all_sent_for_str_body(app, client):
    @app.route("/links")
    def links():
        return "see links", [("Link", "</a>; rel=a"), ("Link", "</b>; rel=b")]

    response = client.get("/links")
    assert response.headers.getlist("Link") == ["</a>; rel=a", "</b>; rel=b"]


def test_tuple_header_replaces_same_named_header_of_response_object(app, client):
    @app.route("/replace")
    def replace():
        inner = flask.Response("body", headers={"X-Version": "old"})
        return inner, {"X-Version": "new"}

    response = client.get("/replace")
    assert response.headers.getlist("X-Version") == ["new"]


def test_tuple_with_none_headers_is_accepted(app, client):
    @app.route("/no-headers")
    def no_headers():
        return "fine", 200, None

    response = client.get("/no-headers")
    assert response.status_code == 200
    assert response.data == b"fine"


@pytest.mark.parametrize("value", [(), ("only",), ("a", 200, {}, "extra")])
def test_tuple_of_wrong_length_is_a_type_error_naming_allowed_forms(app, value):
    with app.test_request_context():
        with pytest.raises(TypeError) as info:
            app.make_response(value)

    message = str(info.value)
    assert "(body, status, headers)" in message
    assert "(body, status)" in message
    assert "(body, headers)" in message


# Invalid return values -------------------------------------------------------------


def test_view_returning_none_names_the_endpoint(app, client):
    @app.route("/forgot", endpoint="forgetful")
    def forgot():
        pass

    with pytest.raises(TypeError) as info:
        client.get("/forgot")

    message = str(info.value)
    assert "'forgetful'" in message
    assert "returned None" in message


def test_none_body_in_tuple_is_rejected_like_none(app, client):
    @app.route("/hollow")
    def hollow():
        return None, 204

    with pytest.raises(TypeError, match="did not return a valid response"):
        client.get("/hollow")


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(42, "int"), (3.5, "float"), ({"a", "b"}, "set")],
)
def test_unsupported_return_type_names_the_type(app, client, value, type_name):
    @app.route("/weird")
    def weird():
        return value

    with pytest.raises(TypeError) as info:
        client.get("/weird")

    message = str(info.value)
    assert f"it was a {type_name}" in message
    assert "string, dict, list" in message


def test_plain_object_return_value_names_its_type(app):
    class Widget:
        pass

    with app.test_request_context():
        with pytest.raises(TypeError, match="it was a Widget"):
            app.make_response(Widget())


def test_invalid_return_value_with_propagation_off_gives_500(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True

    @app.route("/nothing")
    def nothing():
        return None

    try:
        response = client.get("/nothing")
    finally:
        app.logger.disabled = False
    assert response.status_code == 500


# The flask.make_response helper ---------------------------------------------------


def test_make_response_helper_without_arguments_is_empty(req_ctx):
    response = flask.make_response()
    assert isinstance(response, flask.Response)
    assert response.status_code == 200
    assert response.data == b""


def test_make_response_helper_with_one_argument(req_ctx):
    response = flask.make_response({"one": 1})
    assert response.get_json() == {"one": 1}

    existing = flask.Response("same")
    assert flask.make_response(existing) is existing


def test_make_response_helper_with_a_tuple_argument(req_ctx):
    response = flask.make_response(("tupled", 203))
    assert response.status_code == 203
    assert response.data == b"tupled"


def test_make_response_helper_with_several_arguments(req_ctx):
    response = flask.make_response("several", 404, {"X-Many": "yes"})
    assert response.status_code == 404
    assert response.headers["X-Many"] == "yes"
    assert response.data == b"several"


def test_make_response_helper_lets_view_add_headers(app, client):
    @app.route("/decorated")
    def decorated():
        response = flask.make_response("with cookie")
        response.set_cookie("visited", "yes")
        return response

    response = client.get("/decorated")
    assert "visited=yes" in response.headers["Set-Cookie"]
    assert response.data == b"with cookie"
