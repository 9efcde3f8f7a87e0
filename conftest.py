"""A guard for the whole suite, the library's tests and every example's tests alike:
a test that leaves an application or request context pushed fails.

A leaked context is invisible in the test that leaks it and breaks a later one (which
then sees another test's ``request`` or ``g``), so the failure is reported where the
leak happens. The leaked contexts are popped, so the tests after it start clean.
"""

from __future__ import annotations

import typing as t

import pytest

from flask.globals import _cv_app
from flask.globals import _cv_request

# More pushes than any test makes; a bound, so that a context whose pop does not
# restore the previous one cannot loop forever.
_MAX_POPS = 100

# The guard's own test runs it on a small test file through pytester.
pytest_plugins = ["pytester"]


def _pop_all(var: t.Any) -> list[str]:
    """Pop every context ``var`` holds, newest first, and describe each one."""
    leaked = []
    for _ in range(_MAX_POPS):
        ctx = var.get(None)
        if ctx is None:
            break
        leaked.append(repr(ctx))
        try:
            ctx.pop()
        except Exception as e:  # noqa: BLE001 - report the leak, whatever pop did
            leaked.append(f"(popping it raised {e!r})")
            break
    return leaked


@pytest.fixture(autouse=True)
def _no_leaked_contexts() -> t.Iterator[None]:
    # Autouse fixtures are set up first, so this teardown runs after the test's own
    # fixtures (app_ctx, req_ctx...) have popped what they pushed.
    yield
    leaked = _pop_all(_cv_request) + _pop_all(_cv_app)
    if leaked:
        pytest.fail(
            "The test left contexts pushed: " + ", ".join(leaked) + ". Push them with"
            " a 'with' block, or pop them in a fixture's teardown.",
            pytrace=False,
        )
