"""Flask-WTF: a form with validation and CSRF protection for the whole app."""

from __future__ import annotations

import re

import pytest

flask_wtf = pytest.importorskip("flask_wtf")

from wtforms import StringField  # noqa: E402
from wtforms.validators import DataRequired  # noqa: E402
from wtforms.validators import Length  # noqa: E402

from flask import Flask  # noqa: E402
from flask import render_template_string  # noqa: E402

PAGE = """<form method="post">{{ form.csrf_token }}{{ form.name() }}
{% for error in form.name.errors %}<p class="error">{{ error }}</p>{% endfor %}</form>"""


class NameForm(flask_wtf.FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=10)])


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="wtf-tests")
    flask_wtf.CSRFProtect(app)

    @app.route("/", methods=["GET", "POST"])
    def page() -> str | tuple[str, int]:
        form = NameForm()
        if form.validate_on_submit():
            return f"hello {form.name.data}"
        status = 400 if form.is_submitted() else 200
        return render_template_string(PAGE, form=form), status

    @app.post("/api")
    def api() -> str:
        return "accepted"

    return app


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_a_post_without_the_token_is_refused(app: Flask) -> None:
    response = app.test_client().post("/", data={"name": "ada"})
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text
    assert app.test_client().post("/api").status_code == 400


def test_the_token_from_the_page_lets_the_form_through(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/").text)
    response = client.post("/", data={"name": "ada", "csrf_token": token})
    assert (response.status_code, response.text) == (200, "hello ada")
    # The token also works in a header, for scripts.
    assert client.post("/api", headers={"X-CSRFToken": token}).status_code == 200


def test_a_token_from_another_session_is_refused(app: Flask) -> None:
    token = csrf_token(app.test_client().get("/").text)
    response = app.test_client().post("/", data={"name": "ada", "csrf_token": token})
    assert response.status_code == 400
    assert "The CSRF session token is missing." in response.text


def test_validation_errors_are_shown_with_the_form(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/").text)
    response = client.post("/", data={"name": "x" * 11, "csrf_token": token})
    assert response.status_code == 400
    assert "Field cannot be longer than 10 characters." in response.text
