"""Flask-Babel: the locale chosen per request, a compiled catalogue's translations in
views and templates, and locale-aware formatting."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

flask_babel = pytest.importorskip("flask_babel")

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402

from flask import Flask  # noqa: E402
from flask import render_template_string  # noqa: E402
from flask import request  # noqa: E402


def compile_catalogue(folder: Path, locale: str, messages: dict[str, str]) -> None:
    """Write translations/<locale>/LC_MESSAGES/messages.mo, as pybabel compile would."""
    catalogue = Catalog(locale=locale)
    for original, translated in messages.items():
        catalogue.add(original, translated)
    target = folder / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as file:
        write_mo(file, catalogue)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    compile_catalogue(tmp_path, "fr", {"Hello": "Bonjour", "Goodbye": "Au revoir"})
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)

    def pick_locale() -> str | None:
        return request.accept_languages.best_match(["en", "fr", "de"])

    flask_babel.Babel(app, locale_selector=pick_locale)

    @app.get("/greet")
    def greet() -> str:
        return flask_babel.gettext("Hello")

    @app.get("/page")
    def page() -> str:
        return render_template_string("{{ _('Goodbye') }}|{{ gettext('Hello') }}")

    @app.get("/numbers")
    def numbers() -> str:
        moment = datetime(2025, 3, 14, 15, 9)
        return " | ".join(
            [
                flask_babel.format_decimal(1234567.891),
                flask_babel.format_date(moment, "long"),
                str(flask_babel.get_locale()),
            ]
        )

    return app


def test_the_accept_language_header_picks_the_translation(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/greet", headers={"Accept-Language": "fr"}).text == "Bonjour"
    assert client.get("/greet", headers={"Accept-Language": "en"}).text == "Hello"
    # No German catalogue: the original text.
    assert client.get("/greet", headers={"Accept-Language": "de"}).text == "Hello"


def test_templates_get_the_translation_functions(app: Flask) -> None:
    page = app.test_client().get("/page", headers={"Accept-Language": "fr-CH, fr"})
    assert page.text == "Au revoir|Bonjour"


def test_numbers_and_dates_follow_the_locale(app: Flask) -> None:
    client = app.test_client()
    english = client.get("/numbers", headers={"Accept-Language": "en"}).text
    german = client.get("/numbers", headers={"Accept-Language": "de"}).text
    assert english == "1,234,567.891 | March 14, 2025 | en"
    assert german == "1.234.567,891 | 14. März 2025 | de"


def test_the_locale_can_be_forced_for_a_block(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        with flask_babel.force_locale("fr"):
            assert flask_babel.gettext("Hello") == "Bonjour"
        assert flask_babel.gettext("Hello") == "Hello"
