"""The application logger, its default handler, and the debug helpers."""

from __future__ import annotations

import io
import logging
import re
import sys

import pytest
from jinja2 import DictLoader
from jinja2 import FileSystemLoader
from jinja2 import TemplateNotFound
from werkzeug.routing import RequestRedirect

import flask
from flask import debughelpers
from flask.logging import default_handler
from flask.logging import has_level_handler
from flask.logging import wsgi_errors_stream

# What the default handler writes for one record, e.g.
# "[2024-05-01 10:00:00,123] WARNING in test_logging: message".
TIMESTAMP = r"\[\d\d\d\d-\d\d-\d\d \d\d:\d\d:\d\d,\d\d\d\]"


def line_pattern(level: str, module: str, message: str) -> str:
    return f"^{TIMESTAMP} {level} in {module}: {re.escape(message)}$"


def _saved_state(logger: logging.Logger):
    return logger.level, logger.propagate, logger.disabled, list(logger.handlers)


def _restore_state(logger: logging.Logger, state) -> None:
    logger.level, logger.propagate, logger.disabled, handlers = state
    logger.handlers[:] = handlers


@pytest.fixture(autouse=True)
def _isolated_loggers():
    """Loggers are process-wide and keyed by name: put back the level, propagation and
    handlers of every logger these tests touch, and never leave the default handler
    attached."""
    names = ["flask_test", "logtree", "logtree.app", "logtree.app.child"]
    loggers = [logging.getLogger(name) for name in names]
    saved = [_saved_state(logger) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
        logger.handlers.clear()
    yield
    for logger, state in zip(loggers, saved, strict=True):
        _restore_state(logger, state)
        if default_handler in logger.handlers:
            logger.removeHandler(default_handler)


def cut_off_from_root(app: flask.Flask) -> flask.Flask:
    """Stop the app's logger from propagating, so the root logger's handlers (pytest
    adds its own there) do not count, and the default handler setup can be observed.

    Call it inside the test body: pytest also attaches its capture handler to loggers
    that are already non-propagating when a test phase starts."""
    logging.getLogger(app.name).propagate = False
    return app


# The application logger -------------------------------------------------------------


def test_app_logger_is_the_logger_named_after_the_app(app):
    assert app.logger is logging.getLogger("flask_test")
    assert app.logger.name == app.name


def test_app_logger_for_dotted_import_name(tmp_path):
    dotted = flask.Flask("logtree.app", root_path=str(tmp_path))
    assert dotted.logger is logging.getLogger("logtree.app")
    assert dotted.logger.parent is logging.getLogger("logtree")


def test_debug_mode_sets_debug_level_when_unset(app):
    app.debug = True
    assert app.logger.level == logging.DEBUG


def test_debug_mode_keeps_an_explicit_level(app):
    logging.getLogger(app.name).setLevel(logging.WARNING)
    app.debug = True
    assert app.logger.level == logging.WARNING


def test_level_is_left_unset_outside_debug(app):
    assert app.logger.level == logging.NOTSET


def test_default_handler_is_added_without_level_handlers(app):
    cut_off_from_root(app)
    assert app.logger.handlers == [default_handler]


def test_default_handler_is_not_added_with_own_handler(app):
    own = logging.NullHandler()
    logging.getLogger(app.name).addHandler(own)
    assert app.logger.handlers == [own]


def test_default_handler_is_not_added_when_ancestor_handles(tmp_path):
    parent = logging.getLogger("logtree")
    parent.propagate = False
    parent.addHandler(logging.NullHandler())

    child_app = flask.Flask("logtree.app", root_path=str(tmp_path))
    assert default_handler not in child_app.logger.handlers


def test_default_handler_is_added_when_ancestor_handler_level_is_too_high(tmp_path):
    parent = logging.getLogger("logtree")
    parent.propagate = False
    picky = logging.NullHandler()
    picky.setLevel(logging.CRITICAL)
    parent.addHandler(picky)

    child_app = flask.Flask("logtree.app", root_path=str(tmp_path))
    assert child_app.logger.handlers == [default_handler]


def test_default_handler_can_be_removed(app):
    cut_off_from_root(app)
    app.logger.removeHandler(default_handler)
    assert app.logger.handlers == []


# has_level_handler ------------------------------------------------------------------


def make_tree() -> tuple[logging.Logger, logging.Logger, logging.Logger]:
    """``logtree`` → ``logtree.app`` → ``logtree.app.child``, with ``logtree`` not
    propagating, so the root logger's handlers are out of the picture. Called inside
    test bodies, for the reason given in :func:`cut_off_from_root`."""
    top = logging.getLogger("logtree")
    top.propagate = False
    return top, logging.getLogger("logtree.app"), logging.getLogger("logtree.app.child")


def test_has_level_handler_false_without_handlers():
    top, middle, leaf = make_tree()
    assert has_level_handler(leaf) is False


def test_has_level_handler_sees_handler_on_the_logger():
    top, middle, leaf = make_tree()
    leaf.addHandler(logging.NullHandler())
    assert has_level_handler(leaf) is True


def test_has_level_handler_sees_handler_on_an_ancestor():
    top, middle, leaf = make_tree()
    top.addHandler(logging.NullHandler())
    assert has_level_handler(leaf) is True


def test_has_level_handler_ignores_handler_above_effective_level():
    top, middle, leaf = make_tree()
    handler = logging.NullHandler()
    handler.setLevel(logging.ERROR)
    middle.addHandler(handler)

    leaf.setLevel(logging.INFO)
    assert has_level_handler(leaf) is False
    leaf.setLevel(logging.ERROR)
    assert has_level_handler(leaf) is True
    leaf.setLevel(logging.CRITICAL)
    assert has_level_handler(leaf) is True


def test_has_level_handler_uses_inherited_effective_level():
    top, middle, leaf = make_tree()
    handler = logging.NullHandler()
    handler.setLevel(logging.WARNING)
    top.addHandler(handler)

    top.setLevel(logging.DEBUG)
    assert has_level_handler(leaf) is False
    top.setLevel(logging.WARNING)
    assert has_level_handler(leaf) is True


def test_has_level_handler_stops_where_propagation_stops():
    top, middle, leaf = make_tree()
    top.addHandler(logging.NullHandler())
    middle.propagate = False
    assert has_level_handler(leaf) is False
    assert has_level_handler(middle) is False
    assert has_level_handler(top) is True


def test_has_level_handler_checks_non_propagating_logger_itself():
    top, middle, leaf = make_tree()
    leaf.propagate = False
    leaf.addHandler(logging.NullHandler())
    assert has_level_handler(leaf) is True


# Output of the default handler --------------------------------------------------------


def test_default_handler_format(app):
    cut_off_from_root(app)
    stream = io.StringIO()
    probe = logging.StreamHandler(stream)
    probe.setFormatter(default_handler.formatter)
    app.logger.addHandler(probe)

    app.logger.warning("disk %s almost full", "sda")

    pattern = line_pattern("WARNING", "test_logging", "disk sda almost full")
    assert re.match(pattern, stream.getvalue().rstrip("\n"))


def test_default_handler_writes_to_stderr_outside_request(app, capsys):
    cut_off_from_root(app)
    app.logger.error("no request here")

    err = capsys.readouterr().err
    pattern = line_pattern("ERROR", "test_logging", "no request here")
    assert re.match(pattern, err.rstrip("\n"))


def test_default_handler_writes_to_wsgi_errors_in_request(app, capsys):
    cut_off_from_root(app)

    @app.route("/")
    def index():
        flask.current_app.logger.warning("inside the request")
        return "done"

    errors = io.StringIO()
    response = app.test_client().get("/", errors_stream=errors)

    assert response.data == b"done"
    assert "WARNING in test_logging: inside the request" in errors.getvalue()
    assert "inside the request" not in capsys.readouterr().err


def test_debug_messages_are_emitted_in_debug_mode(app, capsys):
    cut_off_from_root(app)
    app.debug = True
    app.logger.debug("details")
    assert "DEBUG in test_logging: details" in capsys.readouterr().err


def test_wsgi_errors_stream_is_stderr_outside_request(capsys):
    assert wsgi_errors_stream._get_current_object() is sys.stderr
    wsgi_errors_stream.write("to stderr\n")
    assert capsys.readouterr().err == "to stderr\n"


def test_wsgi_errors_stream_is_request_errors_stream(app):
    errors = io.StringIO()
    with app.test_request_context(errors_stream=errors):
        assert wsgi_errors_stream._get_current_object() is errors
        wsgi_errors_stream.write("to the server")
    assert errors.getvalue() == "to the server"


def test_unhandled_exception_log_goes_to_wsgi_errors(app):
    cut_off_from_root(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/fail")
    def fail():
        raise ValueError("broken widget")

    errors = io.StringIO()
    response = app.test_client().get("/fail", errors_stream=errors)

    assert response.status_code == 500
    text = errors.getvalue()
    assert "ERROR in app: Exception on /fail [GET]" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: broken widget" in text


# flask.debughelpers ------------------------------------------------------------------


def test_debug_exception_classes_and_their_bases():
    assert issubclass(debughelpers.DebugFilesKeyError, KeyError)
    assert issubclass(debughelpers.DebugFilesKeyError, AssertionError)
    assert issubclass(debughelpers.FormDataRoutingRedirect, AssertionError)
    assert issubclass(debughelpers.UnexpectedUnicodeError, AssertionError)
    assert issubclass(debughelpers.UnexpectedUnicodeError, UnicodeError)


def test_attach_enctype_error_multidict_explains_missing_file(app):
    with app.test_request_context("/", method="POST", data={"report": "q3.pdf"}):
        debughelpers.attach_enctype_error_multidict(flask.request)
        files = flask.request.files

        with pytest.raises(debughelpers.DebugFilesKeyError) as info:
            files["report"]
        assert "'report'" in str(info.value)
        assert "q3.pdf" in str(info.value)
        assert 'enctype="multipart/form-data"' in str(info.value)

        # Keys that were not sent as form fields fail as usual.
        with pytest.raises(KeyError) as plain:
            files["other"]
        assert not isinstance(plain.value, debughelpers.DebugFilesKeyError)
        # Other lookups are unaffected.
        assert files.get("report") is None
        assert "report" not in files


def test_form_data_routing_redirect_in_debug_mode(app):
    app.debug = True

    @app.route("/inbox/", methods=["GET", "POST"])
    def inbox():
        return "inbox"

    with app.test_request_context("/inbox", method="POST"):
        redirect = RequestRedirect("http://localhost/inbox/")
        redirect.code = 301
        flask.request.routing_exception = redirect

        with pytest.raises(debughelpers.FormDataRoutingRedirect) as info:
            app.raise_routing_exception(flask.request)

    message = str(info.value)
    assert "http://localhost/inbox/" in message
    assert "debug mode" in message


@pytest.mark.parametrize(
    ("debug", "method", "code"),
    [(False, "POST", 301), (True, "GET", 301), (True, "POST", 308)],
)
def test_routing_redirect_is_raised_unchanged_otherwise(app, debug, method, code):
    app.debug = debug
    with app.test_request_context("/inbox", method=method):
        redirect = RequestRedirect("http://localhost/inbox/")
        redirect.code = code
        flask.request.routing_exception = redirect

        with pytest.raises(RequestRedirect) as info:
            app.raise_routing_exception(flask.request)
    assert info.value is redirect


@pytest.fixture
def captured_info(app, caplog):
    caplog.set_level(logging.INFO, logger=app.name)
    return caplog


def test_explain_template_loading_attempts_describes_each_loader(app, captured_info):
    bp = flask.Blueprint("reports", __name__)
    app.register_blueprint(bp)
    folders = FileSystemLoader(["/srv/first", "/srv/second"])
    mapping = DictLoader({"summary.html": "hi"})

    debughelpers.explain_template_loading_attempts(
        app,
        "summary.html",
        [(folders, app, None), (mapping, bp, ("hi", None, None))],
    )

    records = [r for r in captured_info.records if r.name == app.name]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    text = records[0].getMessage()
    assert "'summary.html'" in text
    assert "jinja2.loaders.FileSystemLoader" in text
    assert "/srv/first" in text
    assert "/srv/second" in text
    assert "jinja2.loaders.DictLoader" in text
    assert "'flask_test'" in text
    assert "'reports'" in text
    assert "no match" in text
    assert "found" in text


def test_explain_template_loading_attempts_reports_no_match(app, captured_info):
    loader = DictLoader({})
    debughelpers.explain_template_loading_attempts(
        app, "absent.html", [(loader, app, None)]
    )
    text = captured_info.records[-1].getMessage()
    assert "'absent.html'" in text
    assert "Error" in text


def test_explain_template_loading_attempts_warns_about_several_matches(
    app, captured_info
):
    first = DictLoader({"dup.html": "one"})
    second = DictLoader({"dup.html": "two"})
    debughelpers.explain_template_loading_attempts(
        app,
        "dup.html",
        [
            (first, app, ("one", "/a/dup.html", None)),
            (second, app, ("two", "/b/dup.html", None)),
        ],
    )
    text = captured_info.records[-1].getMessage()
    assert "/a/dup.html" in text
    assert "/b/dup.html" in text
    assert "Warning" in text


def test_explain_template_loading_config_logs_lookups(tmp_path, caplog):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("page body")
    app = flask.Flask("flask_test", root_path=str(tmp_path))
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    caplog.set_level(logging.INFO, logger=app.name)

    with app.app_context():
        assert flask.render_template("page.html") == "page body"
        with pytest.raises(TemplateNotFound):
            flask.render_template("missing.html")

    messages = [r.getMessage() for r in caplog.records if r.name == app.name]
    assert len(messages) == 2
    assert "'page.html'" in messages[0]
    assert str(tmp_path / "templates") in messages[0]
    assert "'missing.html'" in messages[1]
    assert "Error" in messages[1]


def test_template_loading_is_silent_by_default(tmp_path, caplog):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("page body")
    app = flask.Flask("flask_test", root_path=str(tmp_path))
    caplog.set_level(logging.INFO, logger=app.name)

    with app.app_context():
        flask.render_template("page.html")

    assert [r for r in caplog.records if r.name == app.name] == []
