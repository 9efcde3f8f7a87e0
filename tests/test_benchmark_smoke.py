"""The benchmark script keeps working: a tiny run of every in-process scenario on
this package (standing in for both sides), and its report and chart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCENARIOS = [
    "hello", "param", "json", "query", "form", "not_found", "hooks", "blueprint",
    "error", "template", "session", "static", "async", "async_queue",
]  # fmt: skip


@pytest.mark.usefixtures("asgiref")
def test_tiny_side_by_side_run_reports_every_scenario(tmp_path):
    raw = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable, str(BENCHMARKS / "run.py"),
            "--ours-python", sys.executable, "--ref-python", sys.executable,
            "--quick", "--rounds", "1", "--iterations", "30",
            "--skip-server", "--skip-others", "--json", str(raw),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(raw.read_text())
    for side in ("this package", "Flask 3.1.3"):
        assert sorted(results["in_process"][side]) == sorted(SCENARIOS)
        assert all(value > 0 for value in results["in_process"][side].values())
    assert results["startup"]["this package"]["import_ms"] > 0
    assert results["memory"]["this package"]["rss_final_kib"] > 0
    for scenario in SCENARIOS:
        assert f"\n{scenario} " in done.stdout
    # A quick run says, below its tables, that its figures are rough.
    assert done.stdout.rstrip().endswith(run_module().QUICK_NOTICE)


def run_module():
    """benchmarks/run.py, imported as a module."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run
    finally:
        sys.path.remove(str(BENCHMARKS))
    return run


def test_report_chart_marks_targets(tmp_path):
    run = run_module()
    timing = {scenario: 10.0 for scenario in SCENARIOS}
    results = {
        "in_process": {
            "this package": timing,
            "Flask 3.1.3": {**timing, "hello": 35.0},
        }
    }
    report = run.build_report(results)
    assert "3.50x" in report
    assert "MISSED" in report  # every other scenario is only 1x
    svg = tmp_path / "chart.svg"
    run.write_svg(results, svg)
    assert svg.read_text().count("<rect") == len(SCENARIOS)


def test_report_writes_n_a_where_a_framework_lacks_a_scenario():
    timing = {scenario: 10.0 for scenario in SCENARIOS}
    results = {
        "in_process": {
            "this package": timing,
            "Flask 3.1.3": timing,
            "Bottle": {"hello": 5.0},
        }
    }
    report = run_module().build_report(results)
    rows = {line.split()[0]: line.split() for line in report.splitlines() if line}
    assert rows["hello"][-1] == "5.0"
    assert rows["session"][-1] == "n/a"
    # A cell holding only "-" would be a bullet list in reStructuredText.
    assert not any(cell == "-" for row in rows.values() for cell in row)
