"""The fast paths change nothing: every request of every configuration in
``tests/differential/apps.py`` is answered byte for byte the same with the fast paths
on and off.

Both transcripts are made by ``tests/differential/transcribe.py`` in fresh
interpreters that differ only in ``FLASK_FAST_PATHS``. They hold, for each request,
the status line, the headers in order, the body and the type of body the server gets,
the warnings, the log lines, and what the application's hooks, handlers, teardown
functions and signal receivers saw.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import typing as t

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "differential" / "transcribe.py"

sys.path.insert(0, str(SCRIPT.parent))
import apps  # noqa: E402

sys.path.remove(str(SCRIPT.parent))


def transcribe(fast_paths: str) -> dict[str, t.Any]:
    env = {**os.environ, "FLASK_FAST_PATHS": fast_paths, "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def transcripts() -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    on, off = transcribe("1"), transcribe("0")
    assert on["fast_paths"] is True
    assert off["fast_paths"] is False
    return on["configs"], off["configs"]


def test_the_corpus_is_large_enough(transcripts):
    on, _off = transcripts
    assert len(on) >= 50
    assert sum(len(requests) for requests in on.values()) >= 2500


@pytest.mark.parametrize("name", sorted(apps.CONFIGS))
def test_fast_paths_on_and_off_answer_alike(transcripts, name):
    on, off = transcripts
    assert len(on[name]) == len(off[name])
    for with_fast_paths, without in zip(on[name], off[name], strict=True):
        assert with_fast_paths == without, with_fast_paths["request"]
