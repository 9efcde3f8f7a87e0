"""The seeded corpus of malformed requests, over real sockets, under real servers.

For Gunicorn (two sync workers) and Waitress (one process, four threads) in turn: warm
the application up with a smaller corpus from another seed, note each worker's resident
memory, send the whole corpus on eight connections at once, and then check that

- no answer is a 5xx (except the 501 that RFC 9112 asks a server to send for a transfer
  coding it does not implement, which Waitress sends itself) and the log shows no
  exception escaping a view;
- the same worker processes are alive, none restarted;
- no response contains the contents of a file outside the served folder;
- no response carries a header that a request tried to inject;
- no worker's resident memory grew by 2 MB or more.
"""

from __future__ import annotations

import collections
import os
import re
import time

import pytest
from client import Answer
from client import send_all
from corpus import CATEGORIES
from corpus import generate
from corpus import INJECTED
from processes import children
from processes import resident_kib
from target_app import SECRET

CONNECTIONS = 8
MEMORY_GROWTH_LIMIT = 2 * 1024 * 1024
WARM_UP_SEED = 7
# Enough for every worker to reach the memory it keeps for the largest requests.
WARM_UP_PER_CATEGORY = 250
# What the application or the server logs when an exception escapes a view.
ESCAPED_EXCEPTION = re.compile(r"Exception on |Error handling request")


def test_the_corpus_is_large_and_varied():
    cases = generate()
    assert len(cases) >= 10_000
    counts = collections.Counter(case.category for case in cases)
    assert len(counts) == len(CATEGORIES) >= 15
    assert min(counts.values()) >= 500


def test_the_corpus_is_the_same_for_the_same_seed():
    assert generate(seed=1, per_category=20) == generate(seed=1, per_category=20)
    assert generate(seed=1, per_category=20) != generate(seed=2, per_category=20)


@pytest.mark.parametrize("kind", ["gunicorn", "waitress"])
def test_no_malformed_request_gets_a_server_error(serve, kind):
    server = serve(kind)
    workers = all_workers(server)

    send_all(server.port, generate(WARM_UP_SEED, WARM_UP_PER_CATEGORY), CONNECTIONS)
    before = {pid: resident_bytes(pid) for pid in workers}
    answers = send_all(server.port, generate(), CONNECTIONS)
    after = {pid: resident_bytes(pid) for pid in workers}

    assert server.process.poll() is None, server.log()[-3000:]
    assert worker_processes(server) == workers, "a worker died or was restarted"

    errors = [a for a in answers if a.status is not None and a.status >= 500]
    errors = [a for a in errors if not unsupported_transfer_coding(a)]
    assert not errors, describe(errors)
    escaped = ESCAPED_EXCEPTION.findall(server.log())
    assert not escaped, server.log()[-5000:]

    leaks = [a for a in answers if SECRET.encode() in a.body or b"root:x:0:0" in a.body]
    assert not leaks, describe(leaks)
    injected = [a for a in answers if injected_header(a)]
    assert not injected, describe(injected)

    growth = {pid: after[pid] - before[pid] for pid in workers}
    assert max(growth.values()) < MEMORY_GROWTH_LIMIT, growth


def worker_processes(server) -> set[int]:
    """The processes that run the application: Gunicorn's workers are the master's
    children; Waitress serves from the process it was started as."""
    if server.kind != "gunicorn":
        return {server.process.pid}
    return children(server.process.pid)


# The worker processes each server runs the application in (see COMMANDS in
# conftest.py).
WORKERS = {"gunicorn": 2, "waitress": 1}


def all_workers(server, timeout: float = 60.0) -> set[int]:
    """The worker processes, once all of them have been started: Gunicorn's master
    answers on its port before it has forked its second worker."""
    deadline = time.monotonic() + timeout
    while True:
        workers = worker_processes(server)
        if len(workers) == WORKERS[server.kind]:
            return workers
        assert time.monotonic() < deadline, f"{server.kind} workers: {workers}"
        time.sleep(0.05)


def resident_bytes(pid: int) -> int:
    return resident_kib(pid) * 1024


def unsupported_transfer_coding(answer: Answer) -> bool:
    """A 501 for a request whose Transfer-Encoding names a coding other than chunked:
    what RFC 9112 (section 6.1) tells a server to send, and the server sends it."""
    head = answer.case.raw.split(b"\r\n\r\n", 1)[0].lower()
    codings = re.findall(rb"\ntransfer-encoding:([^\r\n]*)", head)
    unsupported = any(c.strip() not in (b"chunked",) for c in codings)
    return answer.status == 501 and unsupported


def injected_header(answer: Answer) -> bool:
    if INJECTED.lower() in answer.header_names():
        return True
    for name, value in answer.headers:
        if name.lower() == "set-cookie" and value.lower().startswith("injected="):
            return True
    return False


def describe(answers: list[Answer]) -> str:
    lines = [f"{len(answers)} answers, for example:"]
    for answer in answers[:10]:
        lines.append(f"  [{answer.case.category}] {answer.case.raw[:300]!r}")
        lines.append(f"    -> {answer.status} {answer.raw_head[:300]!r}")
    return os.linesep.join(lines)
