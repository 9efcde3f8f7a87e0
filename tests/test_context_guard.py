"""The suite's guard against leaked contexts (the autouse fixture in the repository's
root conftest.py), run on a small test file of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

GUARD = Path(__file__).resolve().parents[1] / "conftest.py"

LEAKY_TESTS = """
import flask
from flask import has_app_context, has_request_context

app = flask.Flask("leaky")


def test_leaves_a_request_context():
    app.test_request_context("/leaked").push()


def test_leaves_an_app_context():
    app.app_context().push()


def test_after_a_leak_starts_clean():
    assert not has_app_context() and not has_request_context()


def test_pops_what_it_pushes():
    with app.test_request_context():
        assert has_request_context()
"""


@pytest.fixture
def outcome(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makeconftest(GUARD.read_text())
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")


def test_a_test_leaving_a_context_pushed_fails(outcome: pytest.RunResult) -> None:
    outcome.assert_outcomes(passed=4, errors=2)
    outcome.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaves_a_request_context*",
            "*left contexts pushed: <RequestContext 'http://localhost/leaked'*",
            "*ERROR at teardown of test_leaves_an_app_context*",
            "*left contexts pushed: <flask.ctx.AppContext object*",
        ]
    )


def test_the_tests_after_a_leak_see_no_context(outcome: pytest.RunResult) -> None:
    outcome.stdout.fnmatch_lines(
        ["*test_after_a_leak_starts_clean PASSED*", "*test_pops_what_it_pushes PASSED*"]
    )
