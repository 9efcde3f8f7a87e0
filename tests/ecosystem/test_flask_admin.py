"""Flask-Admin: the admin index, and model views listing, creating and editing rows of
a Flask-SQLAlchemy model."""

from __future__ import annotations

import re

import pytest

flask_admin = pytest.importorskip("flask_admin")
flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
flask_babel = pytest.importorskip("flask_babel")

from flask_admin.contrib.sqla import ModelView  # noqa: E402
from sqlalchemy.orm import Mapped  # noqa: E402
from sqlalchemy.orm import mapped_column  # noqa: E402

from flask import Flask  # noqa: E402


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    app = Flask(__name__)
    app.config.update(
        TESTING=True, SECRET_KEY="admin-tests", SQLALCHEMY_DATABASE_URI="sqlite://"
    )
    db = flask_sqlalchemy.SQLAlchemy(app)
    # Flask-Admin translates its pages with Flask-Babel whenever that is installed.
    flask_babel.Babel(app)

    class Plant(db.Model):  # type: ignore[name-defined,misc,unused-ignore]
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        height: Mapped[int]

    admin = flask_admin.Admin(app, name="Greenhouse")
    admin.add_view(ModelView(Plant, db))
    with app.app_context():
        db.create_all()
        db.session.add(Plant(name="fern", height=40))
        db.session.commit()
    return app, db, Plant


def test_the_index_links_to_the_model_view(setup) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = setup
    page = app.test_client().get("/admin/")
    assert page.status_code == 200
    assert "Greenhouse" in page.text
    assert 'href="/admin/plant/"' in page.text


def test_the_list_view_shows_the_rows(setup) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = setup
    page = app.test_client().get("/admin/plant/")
    assert page.status_code == 200
    assert "fern" in page.text
    assert re.search(r">\s*40\s*<", page.text)


def test_creating_and_editing_through_the_forms(setup) -> None:  # type: ignore[no-untyped-def]
    app, db, Plant = setup
    client = app.test_client()
    created = client.post("/admin/plant/new/", data={"name": "cactus", "height": "12"})
    assert created.status_code == 302
    assert created.location.startswith("/admin/plant/")
    listing = client.get(created.location)
    assert "cactus" in listing.text
    assert "Record was successfully created." in listing.text
    with app.app_context():
        cactus = db.session.scalars(db.select(Plant).filter_by(name="cactus")).one()
        cactus_id = cactus.id
    edited = client.post(
        f"/admin/plant/edit/?id={cactus_id}", data={"name": "cactus", "height": "13"}
    )
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Plant, cactus_id).height == 13


def test_a_form_with_errors_is_shown_again(setup) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = setup
    page = app.test_client().post("/admin/plant/new/", data={"name": "", "height": "x"})
    assert page.status_code == 200
    assert "This field is required." in page.text
