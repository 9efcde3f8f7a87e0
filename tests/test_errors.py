"""Aborting, redirecting, error handlers and what happens to unhandled exceptions."""

from __future__ import annotations

import logging
import sys

import pytest
from werkzeug.exceptions import Aborter
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

import flask
from flask.debughelpers import DebugFilesKeyError


@pytest.fixture(autouse=True)
def _restore_app_logger(app):
    """The app's logger is shared by name across tests; undo the level that debug mode
    sets on it and any handler or flag a test changed."""
    logger = logging.getLogger(app.name)
    level, disabled, handlers = logger.level, logger.disabled, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.disabled = disabled
    logger.handlers[:] = handlers


@pytest.fixture
def quiet_app(app):
    """An application that answers unhandled errors with 500 instead of raising them,
    with its logger silenced."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    yield app
    app.logger.disabled = False


class PaymentRequired(HTTPException):
    code = 402
    description = "Pay first."


class ClientWentAway(HTTPException):
    code = 499
    description = "The client closed the connection."


# abort -----------------------------------------------------------------------------


def test_abort_with_code_raises_matching_http_exception(app_ctx):
    with pytest.raises(Forbidden) as info:
        flask.abort(403, "Members only.")
    assert info.value.description == "Members only."


def test_abort_in_view_gives_error_page(app, client):
    @app.route("/secret")
    def secret():
        flask.abort(403)

    response = client.get("/secret")
    assert response.status_code == 403
    assert b"Forbidden" in response.data


def test_abort_uses_the_app_aborter_inside_app_context(app):
    class ShopAborter(Aborter):
        def __init__(self) -> None:
            super().__init__(extra={402: PaymentRequired, 499: ClientWentAway})

    class ShopApp(flask.Flask):
        aborter_class = ShopAborter

    shop = ShopApp(__name__)
    assert isinstance(shop.aborter, ShopAborter)

    with shop.app_context():
        with pytest.raises(PaymentRequired):
            flask.abort(402)
        with pytest.raises(ClientWentAway):
            flask.abort(499)


def test_abort_uses_werkzeug_aborter_outside_app_context():
    with pytest.raises(NotFound):
        flask.abort(404)
    # Werkzeug's default aborter knows nothing about an application's own codes.
    with pytest.raises(LookupError):
        flask.abort(499)


def test_abort_with_a_response_sends_that_response(app, client):
    @app.route("/custom")
    def custom():
        flask.abort(flask.Response("handmade refusal", status=451))

    response = client.get("/custom")
    assert response.status_code == 451
    assert response.data == b"handmade refusal"


def test_abort_with_a_response_outside_app_context():
    refusal = WerkzeugResponse("nope", status=409)
    with pytest.raises(HTTPException) as info:
        flask.abort(refusal)
    assert info.value.get_response() is refusal


# redirect --------------------------------------------------------------------------


def test_redirect_defaults_to_302(app, client):
    @app.route("/old")
    def old():
        return flask.redirect("/new")

    response = client.get("/old")
    assert response.status_code == 302
    assert response.headers["Location"] == "/new"


def test_redirect_with_custom_code(app, client):
    @app.route("/moved")
    def moved():
        return flask.redirect("/elsewhere", code=308)

    response = client.get("/moved")
    assert response.status_code == 308
    assert response.headers["Location"] == "/elsewhere"


def test_redirect_location_is_not_made_absolute(app, client):
    @app.route("/relative")
    def relative():
        return flask.redirect("next/page")

    response = client.get("/relative")
    assert response.headers["Location"] == "next/page"


def test_redirect_uses_app_redirect_when_app_is_active():
    class AuditedApp(flask.Flask):
        def redirect(self, location, code=302):
            response = super().redirect(location, code=code)
            response.headers["X-Redirect-Audit"] = f"{code}:{location}"
            return response

    audited = AuditedApp(__name__)

    @audited.route("/go")
    def go():
        return flask.redirect("/there", 303)

    response = audited.test_client().get("/go")
    assert response.status_code == 303
    assert response.headers["X-Redirect-Audit"] == "303:/there"


def test_redirect_returns_app_response_class_inside_app_context(app_ctx):
    assert isinstance(flask.redirect("/x"), flask.Response)


def test_redirect_without_app_uses_werkzeug_response():
    response = flask.redirect("/plain")
    assert type(response) is WerkzeugResponse
    assert response.status_code == 302
    assert response.headers["Location"] == "/plain"


# Registering handlers --------------------------------------------------------------


def test_errorhandler_by_code(app, client):
    @app.errorhandler(404)
    def missing(e):
        return f"no such page ({e.code})", 404

    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert response.data == b"no such page (404)"


def test_errorhandler_by_exception_class(app, client):
    class OutOfStock(Exception):
        pass

    @app.errorhandler(OutOfStock)
    def out_of_stock(e):
        return f"sold out: {e}", 409

    @app.route("/buy")
    def buy():
        raise OutOfStock("widgets")

    response = client.get("/buy")
    assert response.status_code == 409
    assert response.data == b"sold out: widgets"


def test_register_error_handler_without_decorator(app, client):
    def on_forbidden(e):
        return "keep out", 403

    app.register_error_handler(Forbidden, on_forbidden)

    @app.route("/locked")
    def locked():
        flask.abort(403)

    assert client.get("/locked").data == b"keep out"


def test_handler_for_code_and_class_share_one_slot(app, client):
    @app.errorhandler(404)
    def by_code(e):
        return "by code", 404

    @app.errorhandler(NotFound)
    def by_class(e):
        return "by class", 404

    assert app.error_handler_spec[None][404][NotFound] is by_class
    assert client.get("/nowhere").data == b"by class"


def test_custom_http_exception_subclass_is_stored_under_its_code(app, client):
    @app.errorhandler(PaymentRequired)
    def pay(e):
        return "please pay", 402

    assert app.error_handler_spec[None][402][PaymentRequired] is pay

    @app.route("/premium")
    def premium():
        raise PaymentRequired()

    response = client.get("/premium")
    assert response.status_code == 402
    assert response.data == b"please pay"


@pytest.mark.parametrize("code", [999, 12, 302])
def test_error_handler_for_unknown_code_is_value_error(app, code):
    with pytest.raises(ValueError) as info:
        app.register_error_handler(code, lambda e: "")
    message = str(info.value)
    assert f"'{code}' is not a recognized HTTP error code" in message
    assert "HTTPException" in message


def test_errorhandler_decorator_rejects_unknown_code(app):
    with pytest.raises(ValueError, match="not a recognized HTTP error code"):

        @app.errorhandler(1234)
        def never(e):
            return ""


@pytest.mark.parametrize("instance", [NotFound(), KeyError("k")])
def test_error_handler_for_exception_instance_is_type_error(app, instance):
    with pytest.raises(TypeError) as info:
        app.register_error_handler(instance, lambda e: "")
    message = str(info.value)
    assert "is an instance, not a class" in message
    assert "Exception classes or HTTP error codes" in message


@pytest.mark.parametrize("cls", [object, BaseException, KeyboardInterrupt, dict])
def test_error_handler_for_non_exception_class_is_value_error(app, cls):
    with pytest.raises(ValueError) as info:
        app.register_error_handler(cls, lambda e: "")
    message = str(info.value)
    assert f"'{cls.__name__}' is not a subclass of Exception" in message


def test_blueprint_errorhandler_rejects_bad_keys_immediately():
    bp = flask.Blueprint("shop", __name__)
    with pytest.raises(ValueError, match="'777' is not a recognized HTTP error code"):
        bp.register_error_handler(777, lambda e: "")
    with pytest.raises(TypeError, match="is an instance, not a class"):
        bp.register_error_handler(KeyError(), lambda e: "")


# Which handler is chosen -----------------------------------------------------------


def test_blueprint_error_handler_beats_app_handler(app, client):
    bp = flask.Blueprint("admin", __name__, url_prefix="/admin")

    @app.errorhandler(403)
    def app_forbidden(e):
        return "app says no", 403

    @bp.errorhandler(403)
    def admin_forbidden(e):
        return "admin says no", 403

    @bp.route("/panel")
    def panel():
        flask.abort(403)

    @app.route("/page")
    def page():
        flask.abort(403)

    app.register_blueprint(bp)

    assert client.get("/admin/panel").data == b"admin says no"
    assert client.get("/page").data == b"app says no"


def test_nested_blueprint_handler_beats_parent_handler(app, client):
    parent = flask.Blueprint("parent", __name__, url_prefix="/parent")
    child = flask.Blueprint("child", __name__, url_prefix="/child")

    @parent.errorhandler(ValueError)
    def parent_handler(e):
        return "parent", 500

    @child.errorhandler(ValueError)
    def child_handler(e):
        return "child", 500

    @child.route("/boom")
    def child_boom():
        raise ValueError()

    @parent.route("/boom")
    def parent_boom():
        raise ValueError()

    parent.register_blueprint(child)
    app.register_blueprint(parent)

    assert client.get("/parent/child/boom").data == b"child"
    assert client.get("/parent/boom").data == b"parent"


def test_parent_blueprint_handler_applies_to_child_requests(app, client):
    parent = flask.Blueprint("outer", __name__)
    child = flask.Blueprint("inner", __name__)

    @parent.errorhandler(KeyError)
    def outer_handler(e):
        return "outer handled", 400

    @child.route("/lookup")
    def lookup():
        raise KeyError("x")

    parent.register_blueprint(child)
    app.register_blueprint(parent)

    assert client.get("/lookup").data == b"outer handled"


def test_blueprint_handler_does_not_apply_to_app_routes(app, client):
    bp = flask.Blueprint("widgets", __name__)

    @bp.errorhandler(ZeroDivisionError)
    def bp_handler(e):
        return "blueprint", 500

    @app.route("/divide")
    def divide():
        return str(1 / 0)

    app.register_blueprint(bp)

    with pytest.raises(ZeroDivisionError):
        client.get("/divide")


def test_subclass_handler_beats_base_class_handler(app, client):
    class StorageError(Exception):
        pass

    class DiskFull(StorageError):
        pass

    @app.errorhandler(StorageError)
    def storage(e):
        return "storage", 500

    @app.errorhandler(DiskFull)
    def disk_full(e):
        return "disk full", 507

    @app.route("/save")
    def save():
        raise DiskFull()

    @app.route("/load")
    def load():
        raise StorageError()

    assert client.get("/save").data == b"disk full"
    assert client.get("/load").data == b"storage"


def test_handler_lookup_walks_the_mro(app, client):
    class Base(Exception):
        pass

    class Middle(Base):
        pass

    class Leaf(Middle):
        pass

    @app.errorhandler(Base)
    def base_handler(e):
        return f"base caught {type(e).__name__}", 500

    @app.route("/leaf")
    def leaf():
        raise Leaf()

    assert client.get("/leaf").data == b"base caught Leaf"


def test_handler_for_exception_also_handles_http_exceptions(app, client):
    @app.errorhandler(Exception)
    def everything(e):
        return f"generic {type(e).__name__}", 418

    response = client.get("/missing")
    assert response.status_code == 418
    assert response.data == b"generic NotFound"


def test_http_exception_handler_catches_every_http_error(app, client):
    @app.errorhandler(HTTPException)
    def any_http(e):
        return f"http {e.code}", e.code

    @app.route("/teapot")
    def teapot():
        flask.abort(418)

    assert client.get("/teapot").data == b"http 418"
    assert client.get("/nope").data == b"http 404"
    assert client.post("/teapot").data == b"http 405"


def test_app_code_handler_beats_blueprint_handler_without_code(app, client):
    bp = flask.Blueprint("store", __name__)

    @app.errorhandler(404)
    def app_not_found(e):
        return "app 404", 404

    @bp.errorhandler(HTTPException)
    def bp_any_http(e):
        return "blueprint http", e.code

    @bp.route("/item")
    def item():
        flask.abort(404)

    @bp.route("/brew")
    def brew():
        flask.abort(418)

    app.register_blueprint(bp)

    assert client.get("/item").data == b"app 404"
    assert client.get("/brew").data == b"blueprint http"


def test_blueprint_class_handler_with_code_beats_app_code_handler(app, client):
    bp = flask.Blueprint("catalog", __name__)

    @app.errorhandler(404)
    def app_not_found(e):
        return "app 404", 404

    @bp.errorhandler(NotFound)
    def bp_not_found(e):
        return "blueprint NotFound", 404

    @bp.route("/entry")
    def entry():
        flask.abort(404)

    app.register_blueprint(bp)

    assert client.get("/entry").data == b"blueprint NotFound"


def test_handler_return_value_goes_through_make_response(app, client):
    @app.errorhandler(KeyError)
    def as_json(e):
        return {"error": "missing", "key": e.args[0]}, 422, {"X-Err": "1"}

    @app.route("/needs-key")
    def needs_key():
        raise KeyError("token")

    response = client.get("/needs-key")
    assert response.status_code == 422
    assert response.get_json() == {"error": "missing", "key": "token"}
    assert response.headers["X-Err"] == "1"


def test_after_request_runs_on_handled_error_response(app, client):
    @app.errorhandler(404)
    def not_found(e):
        return "not here", 404

    @app.after_request
    def tag(response):
        response.headers["X-After"] = "ran"
        return response

    response = client.get("/absent")
    assert response.headers["X-After"] == "ran"


# Exceptions that skip handlers -----------------------------------------------------


def test_http_exception_without_code_skips_handlers(app, client):
    calls = []

    @app.errorhandler(HTTPException)
    def any_http(e):
        calls.append(e)
        return "handled", 400

    @app.errorhandler(Exception)
    def any_error(e):
        calls.append(e)
        return "handled", 400

    @app.route("/bare")
    def bare():
        raise HTTPException()

    response = client.get("/bare")
    assert calls == []
    assert b"Unknown Error" in response.data


def test_routing_redirect_skips_handlers(app, client):
    calls = []

    @app.errorhandler(HTTPException)
    def any_http(e):
        calls.append(e)
        return "handled", 400

    @app.route("/folder/")
    def folder():
        return "inside"

    response = client.get("/folder")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/folder/")
    assert calls == []


def test_trap_http_exceptions_makes_http_errors_propagate(app, client):
    app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @app.route("/denied")
    def denied():
        flask.abort(403)

    with pytest.raises(Forbidden):
        client.get("/denied")
    with pytest.raises(NotFound):
        client.get("/unknown")


def test_trapped_http_error_reaches_class_handlers(app, client):
    app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @app.errorhandler(Exception)
    def generic(e):
        return f"generic saw {type(e).__name__}", 500

    assert client.get("/unknown").data == b"generic saw NotFound"


def test_trap_http_exceptions_with_propagation_off_gives_500(quiet_app):
    quiet_app.config["TRAP_HTTP_EXCEPTIONS"] = True
    response = quiet_app.test_client().get("/unknown")
    assert response.status_code == 500


def test_trap_bad_request_errors_true_traps_all_bad_requests(app, client):
    app.config["TRAP_BAD_REQUEST_ERRORS"] = True

    @app.route("/bad")
    def bad():
        raise BadRequest()

    @app.route("/gone")
    def gone():
        flask.abort(410)

    with pytest.raises(BadRequest):
        client.get("/bad")
    # Only bad requests are trapped.
    assert client.get("/gone").status_code == 410


def test_trap_bad_request_errors_none_traps_missing_keys_in_debug(app, client):
    app.debug = True

    @app.route("/search")
    def search():
        return flask.request.args["q"]

    @app.route("/bad")
    def bad():
        raise BadRequest()

    with pytest.raises(BadRequestKeyError):
        client.get("/search")
    # Other bad requests are still answered normally.
    assert client.get("/bad").status_code == 400


def test_trap_bad_request_errors_none_does_not_trap_outside_debug(app, client):
    @app.route("/search")
    def search():
        return flask.request.args["q"]

    response = client.get("/search")
    assert response.status_code == 400


def test_trap_bad_request_errors_false_does_not_trap_in_debug(app, client):
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False

    @app.route("/search")
    def search():
        return flask.request.args["q"]

    response = client.get("/search")
    assert response.status_code == 400


def test_missing_form_key_description_shows_key_in_debug(app, client):
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False

    @app.route("/signup", methods=["POST"])
    def signup():
        return flask.request.form["email"]

    response = client.post("/signup", data={"name": "Ada"})
    assert response.status_code == 400
    assert b"KeyError: &#39;email&#39;" in response.data


def test_missing_args_key_shows_key_when_trapping(app, client):
    app.config["TRAP_BAD_REQUEST_ERRORS"] = True

    @app.route("/find")
    def find():
        return flask.request.args["needle"]

    with pytest.raises(BadRequestKeyError) as info:
        client.get("/find")
    assert "needle" in info.value.description


def test_missing_key_description_is_hidden_otherwise(app, client):
    seen = []

    @app.errorhandler(BadRequestKeyError)
    def remember(e):
        seen.append(e.description)
        return "bad", 400

    @app.route("/find", methods=["GET", "POST"])
    def find():
        if flask.request.method == "POST":
            return flask.request.form["needle"]
        return flask.request.args["needle"]

    response = client.get("/find")
    assert response.status_code == 400
    client.post("/find", data={"hay": "stack"})
    assert len(seen) == 2
    assert all("needle" not in description for description in seen)


def test_missing_key_page_hides_key_without_debug(app, client):
    @app.route("/signup", methods=["POST"])
    def signup():
        return flask.request.form["email"]

    response = client.post("/signup", data={"name": "Ada"})
    assert response.status_code == 400
    assert b"email" not in response.data


def test_missing_file_without_multipart_explains_in_debug(app, client):
    app.debug = True

    @app.route("/upload", methods=["POST"])
    def upload():
        return flask.request.files["avatar"].filename

    with pytest.raises(DebugFilesKeyError) as info:
        client.post("/upload", data={"avatar": "me.png"})

    error = info.value
    assert isinstance(error, KeyError)
    assert isinstance(error, AssertionError)
    message = str(error)
    assert "'avatar'" in message
    assert "multipart/form-data" in message
    assert "application/x-www-form-urlencoded" in message
    assert "me.png" in message


def test_missing_file_not_sent_as_field_is_plain_bad_request_in_debug(app, client):
    app.debug = True

    @app.route("/upload", methods=["POST"])
    def upload():
        return flask.request.files["avatar"].filename

    with pytest.raises(BadRequestKeyError) as info:
        client.post("/upload", data={"other": "x"})
    assert not isinstance(info.value, DebugFilesKeyError)


def test_missing_file_without_debug_is_bad_request(app, client):
    @app.route("/upload", methods=["POST"])
    def upload():
        return flask.request.files["avatar"].filename

    response = client.post("/upload", data={"avatar": "me.png"})
    assert response.status_code == 400


def test_multipart_upload_is_unaffected_in_debug(app, client):
    import io

    app.debug = True

    @app.route("/upload", methods=["POST"])
    def upload():
        return flask.request.files["avatar"].filename

    response = client.post(
        "/upload",
        data={"avatar": (io.BytesIO(b"png bytes"), "me.png")},
        content_type="multipart/form-data",
    )
    assert response.data == b"me.png"


# Unhandled exceptions --------------------------------------------------------------


def test_internal_server_error_handler_receives_original_exception(quiet_app):
    received = []

    @quiet_app.errorhandler(InternalServerError)
    def on_500(e):
        received.append(e.original_exception)
        return "sorry", 500

    @quiet_app.route("/crash")
    def crash():
        raise RuntimeError("gears jammed")

    response = quiet_app.test_client().get("/crash")
    assert response.status_code == 500
    assert response.data == b"sorry"
    assert isinstance(received[0], RuntimeError)
    assert str(received[0]) == "gears jammed"


def test_500_code_handler_receives_original_exception(quiet_app):
    @quiet_app.errorhandler(500)
    def on_500(e):
        assert isinstance(e, InternalServerError)
        return f"wrapped {type(e.original_exception).__name__}", 500

    @quiet_app.route("/crash")
    def crash():
        return {}["missing"]

    assert quiet_app.test_client().get("/crash").data == b"wrapped KeyError"


def test_explicit_abort_500_has_no_original_exception(quiet_app):
    received = []

    @quiet_app.errorhandler(500)
    def on_500(e):
        received.append(e.original_exception)
        return "explicit", 500

    @quiet_app.route("/abort")
    def do_abort():
        flask.abort(500)

    assert quiet_app.test_client().get("/abort").data == b"explicit"
    assert received == [None]


def test_unhandled_exception_without_500_handler_gives_default_page(quiet_app):
    @quiet_app.route("/crash")
    def crash():
        raise RuntimeError("x")

    response = quiet_app.test_client().get("/crash")
    assert response.status_code == 500
    assert b"Internal Server Error" in response.data


@pytest.mark.parametrize(
    ("propagate", "testing", "debug", "raises"),
    [
        (True, False, False, True),
        (False, True, True, False),
        (None, True, False, True),
        (None, False, True, True),
        (None, False, False, False),
    ],
)
def test_propagate_exceptions_setting(app, propagate, testing, debug, raises):
    app.config.update(PROPAGATE_EXCEPTIONS=propagate, TESTING=testing, DEBUG=debug)
    app.logger.disabled = True

    @app.route("/crash")
    def crash():
        raise LookupError("lost")

    client = app.test_client()
    try:
        if raises:
            with pytest.raises(LookupError, match="lost"):
                client.get("/crash")
        else:
            assert client.get("/crash").status_code == 500
    finally:
        app.logger.disabled = False


def test_unhandled_exception_is_logged_with_path_and_method(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/explode", methods=["POST"])
    def explode():
        raise ZeroDivisionError("kaboom")

    with caplog.at_level(logging.ERROR, logger=app.name):
        response = app.test_client().post("/explode")

    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == app.name]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Exception on /explode [POST]"
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError
    assert "Traceback" in caplog.text
    assert "ZeroDivisionError: kaboom" in caplog.text


def test_log_exception_can_be_overridden(caplog):
    logged = []

    class QuietApp(flask.Flask):
        def log_exception(self, exc_info):
            logged.append(exc_info[0])

    quiet = QuietApp(__name__)

    @quiet.route("/")
    def index():
        raise ValueError()

    assert quiet.test_client().get("/").status_code == 500
    assert logged == [ValueError]
    assert "Exception on" not in caplog.text


def test_handled_exception_is_not_logged(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.errorhandler(ValueError)
    def handled(e):
        return "fine", 400

    @app.route("/")
    def index():
        raise ValueError()

    with caplog.at_level(logging.ERROR, logger=app.name):
        assert app.test_client().get("/").status_code == 400
    assert caplog.records == []


def test_got_request_exception_signal_is_sent(quiet_app):
    seen = []

    def receiver(sender, exception, **extra):
        seen.append((sender, type(exception)))

    @quiet_app.route("/crash")
    def crash():
        raise TypeError()

    with flask.got_request_exception.connected_to(receiver, quiet_app):
        quiet_app.test_client().get("/crash")

    assert seen == [(quiet_app, TypeError)]


def test_error_in_error_handler_becomes_500(quiet_app):
    calls = []

    @quiet_app.errorhandler(KeyError)
    def broken_handler(e):
        raise ValueError("handler broke")

    @quiet_app.errorhandler(ValueError)
    def value_handler(e):
        calls.append("value handler")
        return "value", 400

    @quiet_app.errorhandler(500)
    def on_500(e):
        calls.append(type(e.original_exception).__name__)
        return "server error page", 500

    @quiet_app.route("/")
    def index():
        raise KeyError("k")

    response = quiet_app.test_client().get("/")
    assert response.status_code == 500
    assert response.data == b"server error page"
    # An error raised by a handler is not handled by the other handlers.
    assert calls == ["ValueError"]


def test_error_in_error_handler_propagates_when_testing(app, client):
    @app.errorhandler(KeyError)
    def broken_handler(e):
        raise ValueError("handler broke")

    @app.route("/")
    def index():
        raise KeyError("k")

    with pytest.raises(ValueError, match="handler broke"):
        client.get("/")


def test_finalize_failure_while_handling_error_is_logged(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.errorhandler(500)
    def on_500(e):
        return "error page", 500

    @app.after_request
    def failing_hook(response):
        raise RuntimeError("after_request failed")

    @app.route("/")
    def index():
        raise ValueError("view failed")

    with caplog.at_level(logging.ERROR, logger=app.name):
        response = app.test_client().get("/")

    assert response.status_code == 500
    assert response.data == b"error page"
    messages = [r.getMessage() for r in caplog.records if r.name == app.name]
    assert messages[0] == "Exception on / [GET]"
    assert len(messages) == 2
    assert "while handling an error" in messages[1]
    assert "RuntimeError: after_request failed" in caplog.text


def test_finalize_failure_for_normal_response_is_raised(app, client):
    @app.after_request
    def failing_hook(response):
        raise RuntimeError("after_request failed")

    @app.route("/")
    def index():
        return "ok"

    with pytest.raises(RuntimeError, match="after_request failed"):
        client.get("/")


@pytest.mark.parametrize("exc_class", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_base_exceptions_are_not_handled_but_teardown_runs(app, exc_class):
    events = []

    @app.errorhandler(Exception)
    def catch_all(e):
        events.append("handler")
        return "handled", 500

    @app.errorhandler(500)
    def on_500(e):
        events.append("500 handler")
        return "handled", 500

    @app.teardown_request
    def teardown_request(exc):
        events.append(("teardown_request", type(exc)))

    @app.teardown_appcontext
    def teardown_app(exc):
        events.append(("teardown_appcontext", type(exc)))

    @app.route("/stop")
    def stop():
        raise exc_class()

    app.config["PROPAGATE_EXCEPTIONS"] = False
    with pytest.raises(exc_class):
        app.test_client().get("/stop")

    assert events == [
        ("teardown_request", exc_class),
        ("teardown_appcontext", exc_class),
    ]
    assert flask.has_request_context() is False
    assert flask.has_app_context() is False


def test_teardown_sees_unhandled_exception(quiet_app):
    seen = []

    @quiet_app.teardown_request
    def teardown(exc):
        seen.append(exc)

    @quiet_app.route("/")
    def index():
        raise IndexError("late")

    quiet_app.test_client().get("/")
    assert len(seen) == 1
    assert isinstance(seen[0], IndexError)


def test_teardown_sees_none_when_exception_was_handled(app, client):
    seen = []

    @app.errorhandler(IndexError)
    def handled(e):
        return "handled", 400

    @app.teardown_request
    def teardown(exc):
        seen.append(exc)

    @app.route("/")
    def index():
        raise IndexError()

    client.get("/")
    assert seen == [None]


# API misuse ------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["NotFound", None, 3.5])
def test_error_handler_for_non_class_is_type_error(app, key):
    with pytest.raises(TypeError, match="class"):
        app.register_error_handler(key, lambda e: "")


def test_async_view_without_asgiref_asks_for_async_extra(app, client, monkeypatch):
    # A None entry in sys.modules makes the import fail as if asgiref were absent.
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    @app.route("/later")
    async def later():
        return "eventually"

    with pytest.raises(RuntimeError) as info:
        client.get("/later")
    assert "'async' extra" in str(info.value)


def test_async_error_handler_without_asgiref_asks_for_async_extra(app, monkeypatch):
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    async def handler(e):
        return "handled"

    with pytest.raises(RuntimeError, match="'async' extra"):
        app.ensure_sync(handler)


def test_sync_functions_do_not_need_asgiref(app, client, monkeypatch):
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    @app.route("/now")
    def now():
        return "immediately"

    assert client.get("/now").data == b"immediately"
