"""Benchmark this package against Flask 3.1.3 and its peers, side by side, in one run.

Usage (from the repository root, with any Python 3.10+)::

    python3 benchmarks/run.py                 # the full run, about 40 minutes on 2 cores
    python3 benchmarks/run.py --quick         # a rough run in a few minutes
    python3 benchmarks/run.py --instructions  # only the instruction counts
    python3 benchmarks/run.py --write         # also update docs/ and the README

The script creates two virtual environments under ``.bench/``: ``ours`` (this
repository, installed in editable mode) and ``ref`` (Flask 3.1.3 from PyPI, plus
Bottle 0.13 and Falcon 4), both with the same versions of Werkzeug, Jinja and the
other dependencies, gunicorn and bjoern (which needs Debian's ``libev-dev``). Each
measurement runs in a fresh process of its environment, and the implementations take
turns in an order that changes from round to round, so that drifts in the machine's
speed hit all alike. The report gives medians over the rounds.

The parts, each of which can be skipped:

``in_process``
    Every scenario of :mod:`scenarios`, called directly (microseconds per request).
``servers``
    ``hello`` and ``json`` under gunicorn and bjoern, loaded by wrk (:mod:`servers`).
``scale``
    Apps with 10 to 10,000 routes (:mod:`routes`).
``startup`` and ``memory``
    ``import flask`` timed by hyperfine, creating an app, and a worker's resident
    memory over 100,000 requests.
``instructions``
    Instructions per request under callgrind (:mod:`instructions`); part of the full
    run when valgrind is installed, and the only part with ``--instructions``.
``build_instructions``
    Instructions per route of building the scale benchmark's app, under callgrind;
    runs with ``instructions`` unless ``--skip-scale`` is given.

``--write`` merges the parts that ran into ``docs/performance_results.json`` and
regenerates every table and chart of the performance page, and the README's table,
from it; a part that did not run keeps its last figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import charts  # noqa: E402
import instructions  # noqa: E402
import report  # noqa: E402
import scenarios  # noqa: E402
import servers  # noqa: E402
from report import BARE  # noqa: E402
from report import BOTTLE  # noqa: E402
from report import FALCON  # noqa: E402
from report import FLASK  # noqa: E402
from report import OURS  # noqa: E402

SHARED_PACKAGES = (
    "werkzeug",
    "jinja2",
    "itsdangerous",
    "click",
    "blinker",
    "markupsafe",
    "asgiref",
)
DOCS = ROOT / "docs"
RESULTS_FILE = DOCS / "performance_results.json"
#: The documentation file each part's section is written to.
INCLUDES = {
    "in_process": "performance_results.inc",
    "instructions": "performance_instructions.inc",
    "servers": "performance_servers.inc",
    "scale": "performance_scale.inc",
    "build_instructions": "performance_build.inc",
    "startup": "performance_startup.inc",
    "memory": "performance_memory.inc",
}
QUICK_NOTICE = (
    "Quick run: few, short rounds, so these figures are rough: good for spotting a"
    " large change, not for publishing. Run without --quick for the real figures."
)
Impls = dict[str, tuple[Path, str]]


# Environments ---------------------------------------------------------------------


def _venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _pip(python: Path, *args: str, check: bool = True) -> bool:
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            *args,
        ],
        check=check,
    )
    return done.returncode == 0


def _versions(python: Path, names: t.Iterable[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys;"
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    out = subprocess.run(
        [str(python), "-c", code, *names], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _has_module(python: Path, name: str) -> bool:
    done = subprocess.run([str(python), "-c", f"import {name}"], capture_output=True)
    return done.returncode == 0


def ensure_bjoern(python: Path) -> bool:
    """Install bjoern into the environment if it is missing; whether it is there."""
    if _has_module(python, "bjoern"):
        return True
    if _pip(python, "bjoern", check=False) and _has_module(python, "bjoern"):
        return True
    print(
        "could not install bjoern (it needs Debian's libev-dev: apt-get install"
        " libev-dev): skipping that server",
        file=sys.stderr,
    )
    return False


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


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without Python's and Flask's variables (no
    ``PYTHONPATH``, no ``FLASK_FAST_PATHS``), plus ``extra``."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLASK_"))
    }
    env.update(extra)
    return env


def _meta(how: str, python: Path | None = None) -> dict[str, t.Any]:
    meta = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "how": how,
    }
    if python is not None:
        versions = _versions(python, ("werkzeug", "jinja2"))
        meta["versions"] = ", ".join(f"{k} {v}" for k, v in versions.items())
    return meta


# In process -----------------------------------------------------------------------


def run_worker(python: Path, *args: str) -> dict[str, t.Any]:
    out = subprocess.run(
        [str(python), str(HERE / "worker.py"), *args],
        check=True,
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=str(HERE),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def in_process(
    impls: Impls, names: list[str], rounds: int, iterations: int
) -> dict[str, dict[str, float]]:
    """Median microseconds per request, by implementation and scenario."""
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in impls}
    for number in range(rounds):
        for name in servers.rotated(list(impls), number):
            python, framework = impls[name]
            print(f"  round {number + 1}/{rounds}: {name}", file=sys.stderr)
            args = ["--framework", framework, "--iterations", str(iterations)]
            result = run_worker(python, *args, *names)
            for scenario, value in result["results"].items():
                samples[name].setdefault(scenario, []).append(value)
    return _medians(samples)


def _medians(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {key: statistics.median(values) for key, values in by.items()}
        for name, by in samples.items()
    }


# Scale ------------------------------------------------------------------------------


def scale(
    pythons: dict[str, Path], counts: list[int], rounds: int, iterations: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Medians of the scale benchmark, by implementation, route count and measure."""
    samples: dict[str, dict[str, dict[str, list[float]]]] = {
        name: {str(count): {} for count in counts} for name in pythons
    }
    turn = 0
    for number in range(rounds):
        for count in counts:
            for name in servers.rotated(list(pythons), turn):
                print(f"  routes round {number + 1}/{rounds}: {name} {count}",
                      file=sys.stderr)  # fmt: skip
                args = ["--mode", "routes", "--routes", str(count)]
                done = run_worker(pythons[name], *args, "--iterations", str(iterations))
                for key, value in done["results"].items():
                    samples[name][str(count)].setdefault(key, []).append(value)
            turn += 1
    return {name: _medians(by) for name, by in samples.items()}


# Start-up and memory ---------------------------------------------------------------


def _hyperfine(commands: list[list[str]], runs: int) -> list[float]:
    """Median milliseconds of each command (a list of arguments), by hyperfine."""
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "hyperfine.json"
        subprocess.run(
            ["hyperfine", "--shell=none", "--warmup", "3", "--runs", str(runs),
             "--style", "none", "--export-json", str(exported),
             *(" ".join(map(_quoted, args)) for args in commands)],
            check=True, capture_output=True, env=clean_env(), cwd=str(HERE),
        )  # fmt: skip
        found = json.loads(exported.read_text())["results"]
    return [entry["median"] * 1e3 for entry in found]


def _quoted(argument: str) -> str:
    return f"'{argument}'" if " " in argument else argument


def _subprocess_ms(args: list[str], runs: int) -> float:
    """Median milliseconds of a command run ``runs`` times (without hyperfine)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, check=True, env=clean_env(), cwd=str(HERE))
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times)


def startup(
    pythons: dict[str, Path], rounds: int, runs: int
) -> dict[str, dict[str, float]]:
    """Medians of: the bare interpreter's start, ``import flask`` (start included),
    and creating an app with 50 routes."""
    samples: dict[str, dict[str, list[float]]] = {
        "interpreter": {}, "import": {}, "create_app": {}
    }  # fmt: skip
    have_hyperfine = shutil.which("hyperfine") is not None
    if not have_hyperfine:
        print("hyperfine not found (apt-get install hyperfine): timing imports with"
              " subprocess instead", file=sys.stderr)  # fmt: skip
    for number in range(rounds):
        order = servers.rotated(list(pythons), number)
        entries = [
            (key, name, [str(pythons[name]), "-c", code])
            for key, code in (("interpreter", "pass"), ("import", "import flask"))
            for name in order
        ]
        commands = [args for _key, _name, args in entries]
        if have_hyperfine:
            timed = _hyperfine(commands, runs)
        else:
            timed = [_subprocess_ms(args, runs) for args in commands]
        for (key, name, _args), value in zip(entries, timed, strict=True):
            samples[key].setdefault(name, []).append(value)
        for name in order:
            made = run_worker(pythons[name], "--mode", "startup")["results"]
            samples["create_app"].setdefault(name, []).append(
                made["create_app_50_routes_ms"]
            )
    return _medians(samples)


def memory(pythons: dict[str, Path], requests: int) -> dict[str, list[list[int]]]:
    return {
        name: run_worker(python, "--mode", "memory", "--iterations", str(requests))[
            "results"
        ]["points"]
        for name, python in pythons.items()
    }


# Writing the results ----------------------------------------------------------------


def load_results(path: Path) -> dict[str, t.Any]:
    return json.loads(path.read_text()) if path.exists() else {}  # type: ignore[no-any-return]


def readme_block(results: dict[str, t.Any]) -> str:
    """The README's table: microseconds per request, ours, Flask's and the peers'."""
    part = results["in_process"]
    values = part["values"]
    names = [n for n in (OURS, FLASK, FALCON, BOTTLE) if n in values]
    rows = [
        "| scenario | " + " | ".join(names) + " | speed-up over Flask |",
        "|---" * (len(names) + 2) + "|",
    ]
    for scenario in scenarios.SCENARIOS:
        ours = values[OURS].get(scenario)
        if ours is None:
            continue
        cells = [
            f"{values[n][scenario]:.1f} us" if scenario in values[n] else "n/a"
            for n in names
        ]
        ref = values.get(FLASK, {}).get(scenario)
        speedup = f"{ref / ours:.1f}x" if ref else "Flask fails"
        rows.append(f"| {scenario} | " + " | ".join(cells) + f" | {speedup} |")
    return f"Microseconds per request, {part['meta']['date']}:\n\n" + "\n".join(rows)


def write_outputs(results: dict[str, t.Any], root: Path = ROOT) -> None:
    """Regenerate the performance page's includes and charts, and the README's
    table, from ``results``."""
    docs = root / "docs"
    (docs / "_static").mkdir(parents=True, exist_ok=True)
    (docs / RESULTS_FILE.name).write_text(json.dumps(results, indent=1) + "\n")
    for part, name in INCLUDES.items():
        if part in results:
            (docs / name).write_text(report.section(results, part))
    if "in_process" in results:
        (docs / "_static" / "benchmark.svg").write_text(charts.speedup_svg(results))
    if "scale" in results:
        (docs / "_static" / "benchmark_routes.svg").write_text(
            charts.scale_svg(results)
        )
    readme = root / "README.md"
    start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
    text = readme.read_text() if readme.exists() else ""
    if start in text and end in text and "in_process" in results:
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        readme.write_text(f"{before}{start}\n{readme_block(results)}\n{end}{after}")


# The command line --------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Benchmark against Flask 3.1.3.")
    add = parser.add_argument
    add("--quick", action="store_true", help="fewer, shorter rounds; no callgrind")
    add("--instructions", action="store_true", help="only the instruction counts")
    add("--no-instructions", action="store_true", help="leave out callgrind")
    add("--rounds", type=int, default=None)
    add("--iterations", type=int, default=None)
    add("--server-seconds", type=int, default=None)
    add("--scenarios", nargs="+", default=list(scenarios.SCENARIOS), metavar="NAME")
    add("--memory-requests", type=int, default=None, help="default 100,000")
    add("--scale-routes", default="10,100,1000,10000", help="comma-separated")
    add("--skip-server", action="store_true")
    add("--skip-scale", action="store_true")
    add("--skip-startup", action="store_true", help="no start-up and memory parts")
    add("--skip-others", action="store_true", help="no Bottle, Falcon, bare WSGI")
    add("--ours-python", type=Path, help="use this interpreter for ours")
    add("--ref-python", type=Path, help="use this one for Flask 3.1.3 and the peers")
    add("--workdir", type=Path, default=ROOT / ".bench")
    add("--write", action="store_true", help="update docs and README")
    add("--json", type=Path, help="also save this run's raw results here")
    add("--rewrite", type=Path, metavar="JSON",
        help="measure nothing: --write the results saved in this file")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.rewrite:
        write_outputs({**load_results(RESULTS_FILE), **load_results(args.rewrite)})
        return 0
    started = time.monotonic()
    if args.quick:
        print(QUICK_NOTICE, file=sys.stderr)
    rounds = args.rounds or (2 if args.quick else 6)
    iterations = args.iterations or (3_000 if args.quick else 15_000)
    seconds = args.server_seconds or (2 if args.quick else 3)

    if args.ours_python and args.ref_python:
        # Absolute, but not resolved: a venv's interpreter is a symlink.
        ours = Path(os.path.abspath(args.ours_python))
        ref = Path(os.path.abspath(args.ref_python))
    else:
        print("preparing environments in", args.workdir, file=sys.stderr)
        ours, ref = prepare_environments(args.workdir)
    impls: Impls = {OURS: (ours, "flask"), FLASK: (ref, "flask")}
    if not args.skip_others:
        impls |= {FALCON: (ref, "falcon"), BOTTLE: (ref, "bottle"), BARE: (ref, "bare")}
    pythons = {OURS: ours, FLASK: ref}
    only_instructions = args.instructions
    with_instructions = only_instructions or not (args.quick or args.no_instructions)
    results: dict[str, t.Any] = {}

    def save() -> None:
        # After every part, so that a run stopped late keeps what it measured.
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))

    if not only_instructions:
        print("in-process scenarios", file=sys.stderr)
        results["in_process"] = {
            "meta": _meta(f"{rounds} rounds of {iterations:,} requests per scenario,"
                          " best of three batches in each, medians", ref),
            "values": in_process(impls, args.scenarios, rounds, iterations),
        }  # fmt: skip
        save()

    if not (only_instructions or args.skip_server or args.skip_others):
        if shutil.which("wrk") is None:
            print("wrk not found (apt-get install wrk): skipping the servers",
                  file=sys.stderr)  # fmt: skip
        else:
            names = ["gunicorn"]
            if ensure_bjoern(ours) and ensure_bjoern(ref):
                names.append("bjoern")
            print("under servers + wrk", file=sys.stderr)
            served = {n: impls[n] for n in (OURS, FLASK, BARE)}
            server_rounds = max(rounds, 3) if args.quick else rounds + 1
            results["servers"] = {
                "meta": _meta(f"{server_rounds} rounds of {seconds:g} s per server, app"
                              " and implementation, medians", ref),
                "values": servers.under_servers(
                    served, names, server_rounds, seconds, clean_env()
                ),
            }  # fmt: skip
            save()

    if not (only_instructions or args.skip_scale):
        counts = [int(c) for c in args.scale_routes.split(",")]
        scale_iterations = max(iterations // 5, 30)
        scale_rounds = 1 if args.quick else 3
        print("many routes", file=sys.stderr)
        results["scale"] = {
            "meta": _meta(f"{scale_rounds} rounds of {scale_iterations:,} requests per"
                          " probe, medians", ref),
            "values": scale(pythons, counts, scale_rounds, scale_iterations),
        }  # fmt: skip
        save()

    if not (only_instructions or args.skip_startup):
        print("start-up and memory", file=sys.stderr)
        start_rounds, runs = (1, 5) if args.quick else (5, 20)
        results["startup"] = {
            "meta": _meta(f"hyperfine, {start_rounds} rounds of {runs} runs, medians"),
            "values": startup(pythons, start_rounds, runs),
        }
        requests = args.memory_requests or (10_000 if args.quick else 100_000)
        results["memory"] = {
            "meta": _meta(f"one process each, {requests:,} requests taken in turns"
                          " from " + ", ".join(scenarios_mix()) + "; after a full"
                          " garbage collection"),
            "values": memory(pythons, requests),
        }  # fmt: skip
        save()

    if with_instructions:
        if shutil.which("valgrind") is None:
            print("valgrind not found (apt-get install valgrind): no instruction"
                  " counts", file=sys.stderr)  # fmt: skip
        else:
            print("instruction counts", file=sys.stderr)
            sizes = {"warmup": 100, "small": 50, "large": 250}
            results["instructions"] = {
                "meta": _meta(
                    "callgrind, PYTHONHASHSEED=0; per scenario, the difference of"
                    f" batches of {sizes['large']} and {sizes['small']} requests after"
                    f" {sizes['warmup']} of warm-up, each batch after a garbage"
                    " collection",
                    ref,
                ),
                "values": instructions.all_counts(impls, args.scenarios, clean_env(), **sizes),
            }  # fmt: skip
            if not args.skip_scale:
                built = {"small": 100, "large": 600}
                results["build_instructions"] = {
                    "meta": _meta(
                        "callgrind, PYTHONHASHSEED=0; the difference of building the"
                        f" scale benchmark's app with {built['large']} and with"
                        f" {built['small']} routes, after one build to warm up",
                        ref,
                    ),
                    "values": {
                        name: instructions.count_build(python, clean_env(), **built)
                        for name, python in pythons.items()
                    },
                }

    print(report.build_report(results))
    if args.quick:
        print(QUICK_NOTICE)
    print(
        f"the run took {(time.monotonic() - started) / 60:.1f} minutes", file=sys.stderr
    )
    save()
    if args.write:
        write_outputs({**load_results(RESULTS_FILE), **results})
    return 0


def scenarios_mix() -> tuple[str, ...]:
    """The scenarios the memory part takes turns with (the worker's mix)."""
    import worker

    return worker.MEMORY_MIX


if __name__ == "__main__":
    raise SystemExit(main())
