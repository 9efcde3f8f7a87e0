"""Flask-Login: log in through a form, stay logged in, the login guard, remember-me."""

from __future__ import annotations

import pytest

flask_login = pytest.importorskip("flask_login")

from flask import Flask  # noqa: E402
from flask import redirect  # noqa: E402
from flask import request  # noqa: E402
from flask import url_for  # noqa: E402


class Member(flask_login.UserMixin):
    def __init__(self, user_id: str) -> None:
        self.id = user_id


MEMBERS = {"ada": "lovelace", "grace": "hopper"}


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="login-tests", TESTING=True)
    manager = flask_login.LoginManager(app)
    manager.login_view = "login"

    @manager.user_loader
    def load(user_id: str) -> Member | None:
        return Member(user_id) if user_id in MEMBERS else None

    @app.post("/login")
    def login():  # type: ignore[no-untyped-def]
        name = request.form["name"]
        if MEMBERS.get(name) != request.form["password"]:
            return "who are you?", 401
        flask_login.login_user(Member(name), remember="remember" in request.form)
        return redirect(request.args.get("next") or url_for("home"))

    @app.get("/")
    @flask_login.login_required
    def home() -> str:
        return f"hello {flask_login.current_user.id}"

    @app.get("/whoami")
    def whoami() -> str:
        user = flask_login.current_user
        return user.id if user.is_authenticated else "anonymous"

    @app.post("/logout")
    def logout() -> str:
        flask_login.logout_user()
        return "bye"

    return app


def test_the_guard_sends_anonymous_visitors_to_the_login_view(app: Flask) -> None:
    response = app.test_client().get("/")
    assert response.status_code == 302
    assert response.location == "/login?next=%2F"


def test_a_login_lasts_until_logout(app: Flask) -> None:
    client = app.test_client()
    response = client.post(
        "/login?next=/", data={"name": "ada", "password": "lovelace"}
    )
    assert (response.status_code, response.location) == (302, "/")
    assert client.get("/").text == "hello ada"
    assert client.get("/whoami").text == "ada"
    assert client.post("/logout").text == "bye"
    assert client.get("/whoami").text == "anonymous"
    assert client.get("/").status_code == 302


def test_a_wrong_password_logs_nobody_in(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/login", data={"name": "ada", "password": "babbage"})
    assert response.status_code == 401
    assert client.get("/whoami").text == "anonymous"


def test_the_remember_cookie_logs_in_again_without_a_session(app: Flask) -> None:
    client = app.test_client()
    client.post("/login", data={"name": "grace", "password": "hopper", "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only
    client.delete_cookie("session")
    assert client.get("/whoami").text == "grace"
    # Logging in again from the cookie starts a new session.
    assert client.get_cookie("session") is not None


def test_current_user_in_a_test_request_context(app: Flask) -> None:
    with app.test_request_context("/"):
        assert not flask_login.current_user.is_authenticated
        flask_login.login_user(Member("ada"))
        assert flask_login.current_user.id == "ada"
