from __future__ import annotations

import pytest
from jotter import storage
from werkzeug.security import check_password_hash


def test_register_page_shows_the_form(visitor):
    page = visitor.get("/account/register").get_data(as_text=True)
    assert "<h1>Create an account</h1>" in page
    for field in ("handle", "password", "confirm"):
        assert f'name="{field}"' in page


def test_registering_stores_a_hashed_password_and_leads_to_login(visitor, query):
    response = visitor.post(
        "/account/register",
        data={"handle": "  linus ", "password": "penguin", "confirm": "penguin"},
    )
    assert response.status_code == 302
    assert response.location == "/account/login"
    (row,) = query("SELECT handle, password_hash FROM author WHERE handle = 'linus'")
    assert row["password_hash"] != "penguin"
    assert check_password_hash(row["password_hash"], "penguin")
    page = visitor.get("/account/login").get_data(as_text=True)
    assert "Welcome, linus! You can log in now." in page


def test_a_new_account_can_log_in(visitor):
    visitor.post(
        "/account/register", data={"handle": "tim", "password": "www", "confirm": "www"}
    )
    response = visitor.post(
        "/account/login",
        data={"handle": "tim", "password": "www"},
        follow_redirects=True,
    )
    assert '<span class="whoami">tim</span>' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"handle": "", "password": "pw", "confirm": "pw"}, "Choose a name."),
        ({"handle": "   ", "password": "pw", "confirm": "pw"}, "Choose a name."),
        ({"handle": "new", "password": "", "confirm": ""}, "Choose a password."),
        (
            {"handle": "new", "password": "pw", "confirm": "wp"},
            "The two passwords differ.",
        ),
        (
            {"handle": "ada", "password": "pw", "confirm": "pw"},
            "The name &#39;ada&#39; is taken.",
        ),
        ({}, "Choose a name."),
    ],
)
def test_register_rejects_bad_input(visitor, query, form, message):
    response = visitor.post("/account/register", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(query("SELECT * FROM author")) == 2


def test_register_keeps_the_typed_name_after_an_error(visitor):
    response = visitor.post(
        "/account/register", data={"handle": "kay", "password": "a", "confirm": "b"}
    )
    assert 'value="kay"' in response.get_data(as_text=True)


def test_register_reports_every_problem_at_once(visitor):
    page = visitor.post("/account/register", data={}).get_data(as_text=True)
    assert "Choose a name." in page
    assert "Choose a password." in page


def test_login_remembers_the_author_and_goes_to_the_feed(visitor, log_in):
    response = log_in("grace")
    assert response.location == "/"
    page = visitor.get("/").get_data(as_text=True)
    assert "Logged in as grace." in page
    assert '<span class="whoami">grace</span>' in page
    assert ">Log out</button>" in page
    assert ">Register</a>" not in page
    with visitor.session_transaction() as session:
        assert session["author_id"] == 2


@pytest.mark.parametrize(
    "form",
    [
        {"handle": "ada", "password": "wrong"},
        {"handle": "nobody", "password": "analytical-engine"},
        {"handle": "ada"},
        {},
    ],
)
def test_login_failures_share_one_vague_message(visitor, form):
    response = visitor.post("/account/login", data=form)
    assert response.status_code == 400
    assert "Unknown name or wrong password." in response.get_data(as_text=True)
    with visitor.session_transaction() as session:
        assert "author_id" not in session


def test_login_returns_to_the_page_that_required_it(visitor):
    response = visitor.get("/write")
    assert response.location == "/account/login?next=/write"
    form_page = visitor.get(response.location).get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/write">' in form_page
    response = visitor.post(
        "/account/login",
        data={"handle": "ada", "password": "analytical-engine", "next": "/write"},
    )
    assert response.location == "/write"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_login_never_redirects_off_site(visitor, target):
    response = visitor.post(
        "/account/login",
        data={"handle": "ada", "password": "analytical-engine", "next": target},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_logout_forgets_the_author(visitor, log_in):
    log_in()
    response = visitor.post("/account/logout", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Logged out. See you soon." in page
    assert ">Log in</a>" in page
    with visitor.session_transaction() as session:
        assert "author_id" not in session


def test_logout_only_accepts_post(visitor, log_in):
    log_in()
    assert visitor.get("/account/logout").status_code == 405
    assert visitor.get("/write").status_code == 200


def test_a_session_for_a_deleted_author_counts_as_anonymous(visitor, log_in, blog):
    log_in()
    with blog.app_context(), storage.connection() as conn:
        conn.execute("DELETE FROM author WHERE handle = 'ada'")
    response = visitor.get("/write")
    assert response.status_code == 302
    assert response.location.startswith("/account/login")
