"""Jotter under uWSGI: a master process and two workers behind uWSGI's HTTP router,
with the settings file and command from docs/deployment.rst."""

from __future__ import annotations


def test_a_login_on_one_uwsgi_worker_is_honoured_by_the_other(launcher):
    server = launcher.blog("uwsgi")
    grace = server.visitor()

    grace.join("grace", "cobol-1959", query="?probe=login")
    login_pid = server.process_that_answered("login")

    other = server.other_worker_serves(grace, "grace", login_pid)
    assert other != server.process.pid, "the master process does not serve requests"


def test_uwsgi_logs_out_through_any_worker(launcher):
    server = launcher.blog("uwsgi")
    grace = server.visitor()
    grace.join("grace", "cobol-1959")

    farewell = grace.post("/account/logout", {})
    assert farewell.status == 302
    assert farewell.location == "/"
    # The logout replaced the cookie with one that names nobody.
    page = grace.get("/write")
    assert page.status == 302
    assert page.location == "/account/login?next=/write"
