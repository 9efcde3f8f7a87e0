"""Benchmark this package against Flask 3.1.3, side by side, in one run.

Usage (from the repository root, with any Python 3.10+)::

    python3 benchmarks/run.py            # the full run, about 15 minutes on 2 cores
    python3 benchmarks/run.py --quick    # a rough run in a minute or two
    python3 benchmarks/run.py --write    # also update docs/ and the README

The script creates two virtual environments under ``.bench/``: ``ours`` (this
repository, installed in editable mode) and ``ref`` (Flask 3.1.3 from PyPI, plus
Bottle 0.13 and Falcon 4), both with the same versions of Werkzeug, Jinja and the
other dependencies, and gunicorn. Each measurement runs in a fresh process of its
environment, and the implementations alternate (A B A B ...) so that drifts in the
machine's speed hit both alike. The report gives medians over the rounds.

Parts: the in-process scenarios of :mod:`scenarios`; ``hello`` and ``json`` under
gunicorn (sync worker, 2 workers) loaded by wrk; start-up (``import flask`` and
creating an app with 50 routes); and the resident memory of a process after
100,000 requests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import typing as t
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import scenarios  # noqa: E402

#: Requests-per-second ratio each scenario must reach against Flask 3.1.3.
TARGETS = {
    "hello": 3.0,
    "param": 3.0,
    "json": 3.0,
    "not_found": 3.0,
    "query": 2.0,
    "form": 2.0,
    "hooks": 2.0,
    "blueprint": 2.0,
    "error": 2.0,
    "async": 10.0,
    # Flask 3.1.3 cannot run it (its loop ends with each request): no ratio.
    "async_queue": 10.0,
    "template": 1.5,
    "session": 1.5,
    "static": 1.5,
}
#: How many times a sync view's time (``hello``) an async view (``async``) may take.
ASYNC_OVER_SYNC_TARGET = 5.0
#: Share of the bare WSGI callable's requests per second to reach under gunicorn.
SERVER_TARGET = 0.90
SHARED_PACKAGES = (
    "werkzeug",
    "jinja2",
    "itsdangerous",
    "click",
    "blinker",
    "markupsafe",
    "asgiref",
)


# Environments ---------------------------------------------------------------------


def _venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _pip(python: Path, *args: str) -> None:
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            *args,
        ],
        check=True,
    )


def _versions(python: Path, names: t.Iterable[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys;"
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    out = subprocess.run(
        [str(python), "-c", code, *names], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def prepare_environments(workdir: Path) -> tuple[Path, Path]:
    """Create (or reuse) the two environments; return their interpreters."""
    ours_dir, ref_dir = workdir / "ours", workdir / "ref"
    ours, ref = _venv_python(ours_dir), _venv_python(ref_dir)
    if not ours.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ours_dir)], check=True)
        _pip(ours, "-e", str(ROOT), "asgiref", "gunicorn")
    pins = _versions(ours, SHARED_PACKAGES)
    if not ref.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ref_dir)], check=True)
        _pip(
            ref,
            "flask==3.1.3",
            *(f"{name}=={version}" for name, version in pins.items()),
            "gunicorn",
            "bottle>=0.13,<0.14",
            "falcon>=4,<5",
        )
    return ours, ref


# Running workers ------------------------------------------------------------------


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLASK_"))
    }
    env.update(extra)
    return env


def run_worker(python: Path, *args: str) -> dict[str, t.Any]:
    out = subprocess.run(
        [str(python), str(HERE / "worker.py"), *args],
        check=True,
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=str(HERE),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def in_process(
    impls: dict[str, tuple[Path, str]], rounds: int, iterations: int
) -> dict[str, dict[str, float]]:
    """Median microseconds per request, by implementation and scenario."""
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in impls}
    for round_number in range(rounds):
        order = list(impls.items())
        if round_number % 2:
            order.reverse()
        for name, (python, framework) in order:
            print(f"  round {round_number + 1}/{rounds}: {name}", file=sys.stderr)
            result = run_worker(
                python, "--framework", framework, "--iterations", str(iterations)
            )
            for scenario, value in result["results"].items():
                samples[name].setdefault(scenario, []).append(value)
    return {
        name: {scenario: statistics.median(values) for scenario, values in by.items()}
        for name, by in samples.items()
    }


# Under gunicorn, loaded by wrk ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer at {url} within 30 seconds")


def serve_and_load(
    python: Path, framework: str, scenario: str, duration: int, connections: int
) -> float:
    """Requests per second wrk gets from gunicorn serving the scenario."""
    port = _free_port()
    process = subprocess.Popen(
        [
            str(python), "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--chdir", str(HERE), "server_app:app",
        ],
        env=_clean_env(BENCH_FRAMEWORK=framework, BENCH_SCENARIO=scenario),
        start_new_session=True,
    )  # fmt: skip
    path = "/data" if scenario == "json" else "/"
    url = f"http://127.0.0.1:{port}{path}"
    try:
        _wait_until_serving(url, process)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return float(match.group(1))


def under_server(
    impls: dict[str, tuple[Path, str]], rounds: int, duration: int
) -> dict[str, dict[str, float]]:
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in impls}
    for round_number in range(rounds):
        for scenario in ("hello", "json"):
            for name, (python, framework) in impls.items():
                print(
                    f"  server round {round_number + 1}/{rounds}: {name} {scenario}",
                    file=sys.stderr,
                )
                rps = serve_and_load(python, framework, scenario, duration, 16)
                samples[name].setdefault(scenario, []).append(rps)
    return {
        name: {scenario: statistics.median(values) for scenario, values in by.items()}
        for name, by in samples.items()
    }


# Start-up and memory ---------------------------------------------------------------


def import_time_ms(python: Path) -> float:
    code = "import time; t = time.perf_counter(); import flask; print(time.perf_counter() - t)"
    out = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True,
        env=_clean_env(), cwd=str(HERE),
    )  # fmt: skip
    return float(out.stdout) * 1e3


def startup(impls: dict[str, Path], rounds: int) -> dict[str, dict[str, float]]:
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in impls}
    for _ in range(rounds):
        for name, python in impls.items():
            by = samples[name]
            by.setdefault("import_ms", []).append(import_time_ms(python))
            made = run_worker(python, "--mode", "startup")["results"]
            by.setdefault("create_app_ms", []).append(made["create_app_50_routes_ms"])
    return {
        name: {key: statistics.median(values) for key, values in by.items()}
        for name, by in samples.items()
    }


def memory(impls: dict[str, Path], requests: int) -> dict[str, dict[str, int]]:
    return {
        name: run_worker(python, "--mode", "memory", "--iterations", str(requests))[
            "results"
        ]
        for name, python in impls.items()
    }


# Report ----------------------------------------------------------------------------


NO_VALUE = "n/a"
QUICK_NOTICE = (
    "Quick run: few, short rounds, so these figures are rough: good for spotting a"
    " large change, not for publishing. Run without --quick for the real figures."
)


def build_report(results: dict[str, t.Any]) -> str:
    lines = []
    timing = results["in_process"]
    ours, ref = timing["this package"], timing["Flask 3.1.3"]
    others = [name for name in timing if name not in ("this package", "Flask 3.1.3")]
    header = ["scenario", "this package (us)", "Flask 3.1.3 (us)", "speed-up", "target"]
    header += [f"{name} (us)" for name in others]
    rows = []
    for scenario in scenarios.SCENARIOS:
        if scenario not in ours:
            continue
        if scenario not in ref:
            # The reference cannot run this scenario at all.
            row = [scenario, f"{ours[scenario]:.1f}", "fails", "-", "-"]
            row += [
                f"{timing[name][scenario]:.1f}" if scenario in timing[name] else "-"
                for name in others
            ]
            rows.append(row)
            continue
        ratio = ref[scenario] / ours[scenario]
        target = TARGETS[scenario]
        row = [
            scenario,
            f"{ours[scenario]:.1f}",
            f"{ref[scenario]:.1f}",
            f"{ratio:.2f}x",
            f"{target:.1f}x {'met' if ratio >= target else 'MISSED'}",
        ]
        # A scenario another framework does not implement gets "n/a": a lone "-"
        # in a reStructuredText table cell would be rendered as a bullet.
        row += [
            f"{timing[name][scenario]:.1f}" if scenario in timing[name] else NO_VALUE
            for name in others
        ]
        rows.append(row)
    lines.append(_rst_table(header, rows))
    if "async" in ours and "hello" in ours:
        factor = ours["async"] / ours["hello"]
        met = "met" if factor <= ASYNC_OVER_SYNC_TARGET else "MISSED"
        lines.append("")
        lines.append(
            f"An async view (``async``) costs {factor:.1f} times a sync one"
            f" (``hello``) in this package; target: at most"
            f" {ASYNC_OVER_SYNC_TARGET:.0f} times, {met}."
        )

    server = results.get("server")
    if server:
        lines.append("")
        header = ["app", "this package (req/s)", "Flask 3.1.3 (req/s)", "bare WSGI (req/s)",
                  "this package / bare", "Flask / bare"]  # fmt: skip
        rows = []
        for scenario in ("hello", "json"):
            mine = server["this package"][scenario]
            theirs = server["Flask 3.1.3"][scenario]
            bare = server["bare WSGI"][scenario]
            share = mine / bare
            rows.append([
                scenario, f"{mine:.0f}", f"{theirs:.0f}", f"{bare:.0f}",
                f"{share:.0%} ({'met' if share >= SERVER_TARGET else 'MISSED'})",
                f"{theirs / bare:.0%}",
            ])  # fmt: skip
        lines.append(_rst_table(header, rows))

    start = results.get("startup")
    if start:
        lines.append("")
        mem = results.get("memory", {})
        header = ["measure", "this package", "Flask 3.1.3"]
        rows = [
            ["import flask (ms)"]
            + [f"{start[name]['import_ms']:.1f}" for name in ("this package", "Flask 3.1.3")],
            ["app with 50 routes (ms)"]
            + [f"{start[name]['create_app_ms']:.2f}" for name in ("this package", "Flask 3.1.3")],
        ]  # fmt: skip
        if mem:
            for key, label in (
                ("rss_after_warmup_kib", "RSS after 10,000 requests (KiB)"),
                ("rss_final_kib", "RSS after all requests (KiB)"),
            ):
                rows.append(
                    [label]
                    + [str(mem[name][key]) for name in ("this package", "Flask 3.1.3")]
                )
        lines.append(_rst_table(header, rows))
    return "\n".join(lines)


def _rst_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=True)
    ]
    rule = "  ".join("=" * width for width in widths)

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([rule, line(header), rule, *map(line, rows), rule])


def write_svg(results: dict[str, t.Any], path: Path) -> None:
    """A bar chart of the speed-up per scenario, with the target marked."""
    timing = results["in_process"]
    ours, ref = timing["this package"], timing["Flask 3.1.3"]
    names = [s for s in scenarios.SCENARIOS if s in ours and s in ref]
    ratios = [ref[s] / ours[s] for s in names]
    top = max([*ratios, *TARGETS.values()]) * 1.1
    width, row_h, left, right = 640, 26, 90, 60
    height = row_h * len(names) + 50
    scale = (width - left - right) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        ' font-family="sans-serif" font-size="12">',
        f'<text x="{left}" y="16" font-weight="bold">Speed-up over Flask 3.1.3'
        " (requests per second ratio; line = target)</text>",
    ]
    for index, (name, ratio) in enumerate(zip(names, ratios, strict=True)):
        y = 30 + index * row_h
        target = TARGETS[name]
        color = "#2b7bba" if ratio >= target else "#c0392b"
        parts += [
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{name}</text>',
            f'<rect x="{left}" y="{y + 3}" width="{ratio * scale:.1f}" height="{row_h - 8}"'
            f' fill="{color}"/>',
            f'<line x1="{left + target * scale:.1f}" x2="{left + target * scale:.1f}"'
            f' y1="{y}" y2="{y + row_h - 2}" stroke="#333" stroke-width="2"/>',
            f'<text x="{left + ratio * scale + 4:.1f}" y="{y + 15}">{ratio:.1f}x</text>',
        ]
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")


def write_outputs(results: dict[str, t.Any], report: str) -> None:
    meta = results["meta"]
    (ROOT / "docs" / "_static").mkdir(parents=True, exist_ok=True)
    write_svg(results, ROOT / "docs" / "_static" / "benchmark.svg")
    included = (
        f"Measured on {meta['date']} on {meta['machine']}, Python {meta['python']},"
        f" {meta['versions']}; {meta['rounds']} rounds of {meta['iterations']}"
        " requests per scenario, medians.\n\n" + report + "\n"
    )
    (ROOT / "docs" / "performance_results.inc").write_text(included)

    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
    if start in text and end in text:
        timing = results["in_process"]
        ours, ref = timing["this package"], timing["Flask 3.1.3"]
        rows = [
            "| scenario | this package | Flask 3.1.3 | speed-up |",
            "|---|---|---|---|",
        ]
        for scenario in scenarios.SCENARIOS:
            if scenario in ours and scenario in ref:
                rows.append(
                    f"| {scenario} | {ours[scenario]:.1f} us | {ref[scenario]:.1f} us"
                    f" | {ref[scenario] / ours[scenario]:.1f}x |"
                )
        block = f"{start}\nMicroseconds per request, {meta['date']}:\n\n" + "\n".join(
            rows
        )
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        readme.write_text(f"{before}{block}\n{end}{after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark against Flask 3.1.3.")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--server-seconds", type=int, default=None)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-others", action="store_true", help="no Bottle, Falcon")
    parser.add_argument(
        "--ours-python", type=Path, help="use this interpreter for ours"
    )
    parser.add_argument("--ref-python", type=Path, help="use this one for Flask 3.1.3")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--write", action="store_true", help="update docs and README")
    parser.add_argument("--json", type=Path, help="also save the raw results here")
    args = parser.parse_args(argv)

    started = time.monotonic()
    if args.quick:
        print(QUICK_NOTICE, file=sys.stderr)
    rounds = args.rounds or (2 if args.quick else 6)
    iterations = args.iterations or (3_000 if args.quick else 20_000)
    seconds = args.server_seconds or (3 if args.quick else 10)

    if args.ours_python and args.ref_python:
        # Absolute, but not resolved: a venv's interpreter is a symlink.
        ours, ref = (
            Path(os.path.abspath(args.ours_python)),
            Path(os.path.abspath(args.ref_python)),
        )
    else:
        print("preparing environments in", args.workdir, file=sys.stderr)
        ours, ref = prepare_environments(args.workdir)

    impls = {"this package": (ours, "flask"), "Flask 3.1.3": (ref, "flask")}
    if not args.skip_others:
        impls.update({"Bottle": (ref, "bottle"), "Falcon": (ref, "falcon"),
                      "bare WSGI": (ref, "bare")})  # fmt: skip
    versions = _versions(ref, ("werkzeug", "jinja2"))
    results: dict[str, t.Any] = {
        "meta": {
            "date": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
            "python": platform.python_version(),
            "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
            "rounds": rounds,
            "iterations": iterations,
        }
    }
    print("in-process scenarios", file=sys.stderr)
    results["in_process"] = in_process(impls, rounds, iterations)

    if not args.skip_server:
        if shutil.which("wrk") is None:
            print("wrk not found (apt-get install wrk): skipping the server part",
                  file=sys.stderr)  # fmt: skip
        else:
            print("under gunicorn + wrk", file=sys.stderr)
            served = {"this package": (ours, "flask"), "Flask 3.1.3": (ref, "flask"),
                      "bare WSGI": (ref, "bare")}  # fmt: skip
            results["server"] = under_server(served, max(rounds // 2, 1), seconds)

    if not args.skip_startup:
        print("start-up and memory", file=sys.stderr)
        pythons = {"this package": ours, "Flask 3.1.3": ref}
        results["startup"] = startup(pythons, max(rounds * 2, 3))
        results["memory"] = memory(pythons, 10_000 if args.quick else 100_000)

    report = build_report(results)
    print(report)
    if args.quick:
        print("\n" + QUICK_NOTICE)
    minutes = (time.monotonic() - started) / 60
    print(f"the run took {minutes:.1f} minutes", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.write:
        write_outputs(results, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
