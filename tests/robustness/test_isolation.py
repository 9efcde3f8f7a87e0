"""64 threads and 64 gevent greenlets, 10,000 requests each: no request ever sees
another request's ``g``, ``session``, ``request.args`` or ``request.view_args``.

isolation.py runs each mode in a process of its own (gevent's monkey-patching must not
reach this one); the two run at the same time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "isolation.py"
WORKERS = 64
REQUESTS = 10_000


def test_concurrent_requests_only_see_their_own_values():
    pytest.importorskip("gevent", reason="pip install -r requirements/tests.txt")
    runs = {
        mode: subprocess.Popen(
            [sys.executable, str(SCRIPT), mode, str(WORKERS), str(REQUESTS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("threads", "gevent")
    }
    for mode, run in runs.items():
        out, err = run.communicate(timeout=900)
        assert run.returncode == 0, f"{mode}: {err[-3000:]}"
        result = json.loads(out)
        assert result == {"requests": WORKERS * REQUESTS, "mismatches": []}, mode
