"""Jotter under Gunicorn with two sync workers, as docs/deployment.rst shows it.

A login handled by one worker process must be honoured by the other: the session is a
signed cookie, so no worker has to remember anything about it.
"""

from __future__ import annotations

import time
import uuid

READ_DEADLINE = 20.0


def test_a_login_on_one_gunicorn_worker_is_honoured_by_the_other(launcher):
    server = launcher.blog("gunicorn")
    ada = server.visitor()

    ada.join("ada", "difference-engine", query="?probe=login")
    login_pid = server.process_that_answered("login")

    # Workers take connections in no fixed order, so keep reading the members-only
    # page until a process other than the one that handled the login has served it.
    readers = set()
    deadline = time.monotonic() + READ_DEADLINE
    while not readers - {login_pid}:
        assert time.monotonic() < deadline, f"only process {login_pid} ever answered"
        token = uuid.uuid4().hex
        page = ada.get(f"/write?probe={token}")
        assert (page.status, page.title, page.whoami) == (200, "New entry", "ada")
        readers.add(server.process_that_answered(token))

    other = (readers - {login_pid}).pop()
    assert other != server.process.pid, "the master process does not serve requests"


def test_gunicorn_sends_visitors_without_a_session_to_the_login_page(launcher):
    server = launcher.blog("gunicorn")
    page = server.visitor().get("/write")
    assert page.status == 302
    assert page.location == "/account/login?next=/write"
