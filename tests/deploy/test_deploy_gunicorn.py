"""Jotter under Gunicorn with two sync workers, as docs/deployment.rst shows it.

A login handled by one worker process must be honoured by the other: the session is a
signed cookie, so no worker has to remember anything about it.
"""

from __future__ import annotations


def test_a_login_on_one_gunicorn_worker_is_honoured_by_the_other(launcher):
    server = launcher.blog("gunicorn")
    ada = server.visitor()

    ada.join("ada", "difference-engine", query="?probe=login")
    login_pid = server.process_that_answered("login")

    other = server.other_worker_serves(ada, "ada", login_pid)
    assert other != server.process.pid, "the master process does not serve requests"


def test_gunicorn_sends_visitors_without_a_session_to_the_login_page(launcher):
    server = launcher.blog("gunicorn")
    page = server.visitor().get("/write")
    assert page.status == 302
    assert page.location == "/account/login?next=/write"
