"""Instructions per request, counted by callgrind: a figure the machine's load
cannot move.

For each implementation, one worker process (its ``count`` mode) runs under
``valgrind --tool=callgrind --dump-before=getppid``. For every scenario it warms up,
then makes ``small`` requests and ``large`` requests, with a marker (a call of
``os.getppid``) before and after each batch; at each marker callgrind writes the
counts since the previous one to a file of its own. The two batches run the same
code apart from the number of requests, so :func:`per_request` of their totals is the
cost of one request, with everything around them (the markers, the loop's set-up)
cancelled out; the interpreter's start-up and the imports fall before the first
marker.

What makes two runs comparable to the instruction:

- ``PYTHONHASHSEED=0``, so that sets and dicts of strings are laid out alike;
- the same command is run once without valgrind first, so that every ``.pyc`` file
  is written before the counted run (a run that compiles them counts the compiler);
- the worker collects garbage before each batch (not counted), so that the
  collections a batch triggers depend on its own requests, not on where the
  scenarios before it left the collector's counters;
- the worker checks the status of every response and exits non-zero on a wrong one
  (a fast path that fails early would otherwise look cheap), and skips the
  interpreter's teardown.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import typing as t
from pathlib import Path

HERE = Path(__file__).resolve().parent

_TOTAL = re.compile(r"^(?:summary|totals):\s+(\d+)", re.MULTILINE)


def parse_total(callgrind_output: str) -> int:
    """The instruction count of a callgrind output file (its ``summary`` line)."""
    match = _TOTAL.search(callgrind_output)
    if match is None:
        raise ValueError("no 'summary:' or 'totals:' line in callgrind's output")
    return int(match.group(1))


def per_request(small_total: int, large_total: int, small: int, large: int) -> float:
    """Instructions per request from the totals of two runs of ``small`` and
    ``large`` requests."""
    if large <= small:
        raise ValueError(
            f"the large run ({large}) must have more requests than {small}"
        )
    return (large_total - small_total) / (large - small)


def _worker(
    python: Path, framework: str, names: list[str], warmup: int, small: int, large: int
) -> list[str]:
    return [
        str(python), str(HERE / "worker.py"), "--mode", "count",
        "--framework", framework, "--warmup", str(warmup), "--small", str(small),
        "--iterations", str(large), *names,
    ]  # fmt: skip


def _report(stdout: str) -> t.Any:
    # What the worker printed last: its results, as one JSON object.
    return json.loads(stdout.strip().splitlines()[-1])


def _measured(stdout: str) -> list[str]:
    return list(_report(stdout)["results"]["measured"])


def split_dumps(totals: list[int], measured: list[str]) -> dict[str, tuple[int, int]]:
    """The ``(small, large)`` batch totals of each scenario, from the totals of the
    dumps in order (three markers per scenario: the first dump of each scenario holds
    its warm-up, then come the two batches; the last dump holds what followed)."""
    if len(totals) != 3 * len(measured) + 1:
        raise ValueError(
            f"{len(totals)} dumps for {len(measured)} scenarios: something else"
            " called getppid, or the worker stopped early"
        )
    return {
        name: (totals[3 * index + 1], totals[3 * index + 2])
        for index, name in enumerate(measured)
    }


def _callgrind(command: list[str], env: dict[str, str]) -> tuple[str, list[int]]:
    """Run ``command`` once as it is, to write its ``.pyc`` files, then under
    callgrind; return the first run's output and the totals of the dumps in order."""
    primed = subprocess.run(
        command, check=True, capture_output=True, text=True, env=env, cwd=str(HERE)
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(
            [
                "valgrind", "--tool=callgrind", "--dump-before=getppid",
                f"--callgrind-out-file={out}", *command,
            ],
            check=True, capture_output=True, text=True, env=env, cwd=str(HERE),
        )  # fmt: skip
        if _report(done.stdout) != _report(primed.stdout):
            raise RuntimeError("the counted run did other work than the first")
        parts = sorted(
            Path(tmp).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:])
        )
        return primed.stdout, [parse_total(part.read_text()) for part in [*parts, out]]


def count(
    python: Path,
    framework: str,
    names: list[str],
    env: dict[str, str],
    warmup: int = 100,
    small: int = 50,
    large: int = 250,
) -> dict[str, float]:
    """Instructions per request of each scenario the framework can express."""
    env = {**env, "PYTHONHASHSEED": "0"}
    command = _worker(python, framework, names, warmup, small, large)
    stdout, totals = _callgrind(command, env)
    measured = _measured(stdout)
    return {
        name: per_request(first, second, small, large)
        for name, (first, second) in split_dumps(totals, measured).items()
    }


def count_build(
    python: Path, env: dict[str, str], small: int = 100, large: int = 600
) -> float:
    """Instructions per route of building the scale benchmark's app: the difference
    of a build with ``large`` routes and one with ``small``, so that creating the app
    and its blueprints cancels out."""
    env = {**env, "PYTHONHASHSEED": "0"}
    command = [
        str(python), str(HERE / "worker.py"), "--mode", "count_build",
        "--small", str(small), "--routes", str(large),
    ]  # fmt: skip
    _stdout, totals = _callgrind(command, env)
    # Dumps: start-up and warm-up, the small build, a collection, the large build,
    # what followed.
    if len(totals) != 5:
        raise ValueError(f"{len(totals)} dumps of a build count, not 5")
    return per_request(totals[1], totals[3], small, large)


def all_counts(
    impls: dict[str, tuple[Path, str]],
    names: list[str],
    env: dict[str, str],
    **sizes: int,
) -> dict[str, dict[str, float]]:
    """Instructions per request, by implementation and scenario."""
    results = {}
    for name, (python, framework) in impls.items():
        print(f"  callgrind: {name}", file=sys.stderr)
        results[name] = count(python, framework, names, env, **sizes)
    return results
