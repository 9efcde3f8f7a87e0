"""The atheris harness over the WSGI entry point, for a bounded number of inputs.

libFuzzer's ``-seed`` fixes its random choices, and ``-runs`` the number of inputs, so
every run tries the same inputs. A crash (a 5xx or an exception escaping the
application) makes the fuzzer exit with an error and write the input to a file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent / "fuzz_wsgi.py"
RUNS = 20_000


def test_the_fuzzer_finds_no_server_error(tmp_path):
    pytest.importorskip("atheris", reason="pip install -r requirements/fuzz.txt")
    done = subprocess.run(
        [sys.executable, str(HARNESS), f"-runs={RUNS}", "-seed=1", "-timeout=20"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    assert f"Done {RUNS} runs" in done.stderr
    assert not list(tmp_path.glob("crash-*"))
