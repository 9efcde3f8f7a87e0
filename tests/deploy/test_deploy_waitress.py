"""Jotter under Waitress (one process, several threads), with the command from
docs/deployment.rst, and what happens when several servers share, or do not share,
the secret key."""

from __future__ import annotations


def test_waitress_serves_the_members_page_after_a_login(launcher):
    server = launcher.blog("waitress")
    anonymous = server.visitor().get("/write")
    assert anonymous.status == 302
    assert anonymous.location == "/account/login?next=/write"

    linus = server.visitor()
    linus.join("linus", "freax-0.01")
    page = linus.get("/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "linus")


def test_a_session_from_one_server_works_on_another_with_the_same_key(
    launcher, tmp_path
):
    # Two independent servers, as if on two machines, sharing the key and the data.
    shared = tmp_path / "shared.sqlite3"
    first = launcher.blog("waitress", secret_key="one-key-for-all", database=shared)
    second = launcher.blog("waitress", secret_key="one-key-for-all", database=shared)

    margaret = first.visitor()
    margaret.join("margaret", "apollo-11")
    on_second = second.visitor(cookies=dict(margaret.cookies))

    page = on_second.get("/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "margaret")


def test_a_session_signed_with_another_key_is_ignored(launcher, tmp_path):
    shared = tmp_path / "shared.sqlite3"
    first = launcher.blog("waitress", secret_key="the-first-key", database=shared)
    second = launcher.blog("waitress", secret_key="a-different-key", database=shared)

    margaret = first.visitor()
    margaret.join("margaret", "apollo-11")
    on_second = second.visitor(cookies=dict(margaret.cookies))

    page = on_second.get("/write")
    assert page.status == 302
    assert page.location == "/account/login?next=/write"


def test_after_a_key_change_the_old_key_as_fallback_keeps_sessions_valid(
    launcher, tmp_path
):
    shared = tmp_path / "shared.sqlite3"
    before = launcher.blog("waitress", secret_key="key-of-2025", database=shared)
    after = launcher.blog(
        "waitress",
        secret_key="key-of-2026",
        database=shared,
        SECRET_KEY_FALLBACKS='["key-of-2025"]',
    )

    only_new = launcher.blog("waitress", secret_key="key-of-2026", database=shared)

    margaret = before.visitor()
    margaret.join("margaret", "apollo-11")
    # The old key's cookie is no good where only the new key is known...
    assert only_new.visitor(cookies=dict(margaret.cookies)).get("/write").status == 302

    # ...but the server with the fallback accepts it, and (as reading the page uses
    # up the login's flash message) answers with a cookie signed with the new key.
    carried_over = after.visitor(cookies=dict(margaret.cookies))
    page = carried_over.get("/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "margaret")
    assert carried_over.cookies != margaret.cookies

    page = only_new.visitor(cookies=dict(carried_over.cookies)).get("/write")
    assert (page.status, page.whoami) == (200, "margaret")
