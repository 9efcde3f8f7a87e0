"""Show that every step-aside condition of the fast paths is tested.

Each condition in ``src/flask/fastpaths.py`` that makes a fast path step aside is an
``if`` statement marked ``# guard``. For each one in turn, this script copies the
package with that condition replaced by ``False`` (the fast path then never steps aside
there), runs the tests that guard the fast paths against the copy, and reports whether
some test failed. A condition whose removal no test notices is untested.

Usage, from the repository root (with the test environment's Python)::

    python scripts/audit_guards.py            # every guard, a table at the end
    python scripts/audit_guards.py 12 40      # only the guards on these lines

Exits with status 1 when a removed condition went unnoticed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "flask" / "fastpaths.py"
GUARD = re.compile(r"^(?P<indent>\s*)(?P<keyword>if|elif) (?P<condition>.+):\s*# guard")

# The tests that guard the fast paths, fastest first; the run stops at the first
# failure, so a noticed removal is usually found within seconds.
TESTS = [
    "tests/test_plan.py",
    "tests/test_patching.py",
    "tests/test_response_bodies.py",
    "tests/test_response_objects.py",
    "tests/test_fast_paths.py",
    "tests/test_werkzeug_patches.py",
    "tests/test_static_files.py",
    "tests/test_json_encoders.py",
    "tests/test_template_fast_paths.py",
    "tests/test_sessions.py",
    "tests/test_session_payloads.py",
    "tests/test_signals.py",
    "tests/test_lifecycle.py",
    "tests/test_routing.py",
    "tests/test_remembered_matches.py",
    "tests/test_direct_matching.py",
    "tests/test_request_cookies.py",
    "tests/test_werkzeug_contract.py",
    "tests/test_hostile_input.py",
    "tests/test_async_runner.py",
    "tests/test_differential.py",
]


def guards(lines: list[str]) -> list[tuple[int, str]]:
    """The guard lines: (line number, condition)."""
    found = []
    for number, line in enumerate(lines, 1):
        match = GUARD.match(line)
        if match:
            found.append((number, match["condition"]))
        elif "# guard" in line:
            # A condition the formatter split over lines would not be audited.
            sys.exit(f"fastpaths.py:{number}: a guard must be an if on one line")
    return found


def without(lines: list[str], number: int) -> list[str]:
    changed = list(lines)
    match = GUARD.match(changed[number - 1])
    assert match is not None
    changed[number - 1] = f"{match['indent']}{match['keyword']} False:  # audited\n"
    return changed


def run_tests(source_root: Path) -> tuple[bool, str]:
    """Run the guarding tests against the package under ``source_root``; return
    whether they all passed, and the first failing test's name."""
    env = {**os.environ, "PYTHONPATH": str(source_root), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FLASK_FAST_PATHS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    failed = re.findall(r"^FAILED (\S+)", result.stdout, re.MULTILINE)
    return result.returncode == 0, failed[0] if failed else result.stdout[-200:]


def main(selected: list[int]) -> int:
    lines = SOURCE.read_text().splitlines(keepends=True)
    todo = [g for g in guards(lines) if not selected or g[0] in selected]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "src"
        shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("*.pyc"))
        target = copy / "flask" / "fastpaths.py"
        passed, _ = run_tests(copy)
        if not passed:
            print("The guarding tests fail on the unchanged package; fix that first.")
            return 2
        for number, condition in todo:
            target.write_text("".join(without(lines, number)))
            started = time.monotonic()
            passed, failure = run_tests(copy)
            seconds = time.monotonic() - started
            verdict = "UNNOTICED" if passed else "caught"
            rows.append((number, condition, verdict, failure if not passed else ""))
            print(f"{number:5}  {verdict:9}  {seconds:5.1f}s  {condition}", flush=True)
        target.write_text("".join(lines))

    print()
    print("| line | condition | removed | first failing test |")
    print("|---|---|---|---|")
    for number, condition, verdict, failure in rows:
        print(f"| {number} | `{condition}` | {verdict} | {failure} |")
    unnoticed = [row for row in rows if row[2] == "UNNOTICED"]
    print(f"\n{len(rows) - len(unnoticed)} of {len(rows)} conditions caught.")
    return 1 if unnoticed else 0


if __name__ == "__main__":
    sys.exit(main([int(arg) for arg in sys.argv[1:]]))
