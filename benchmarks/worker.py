"""Run scenarios in this process and print the results as one JSON object.

Started by ``run.py`` once per framework and round, with the interpreter of the
environment under test (this project's or the reference's), so that each
implementation runs in a process of its own::

    python benchmarks/worker.py --framework flask --iterations 20000 hello json

Modes:

``requests`` (default)
    Microseconds per request of each scenario named (all by default).
``count``
    For each scenario: ``--warmup`` requests, then ``--small`` and ``--iterations``
    requests, each batch between two markers, for callgrind (see
    :mod:`instructions`); exits at once after the last scenario.
``startup``
    Milliseconds to create an application with 50 routes.
``memory``
    Resident memory after every tenth of ``--iterations`` requests, taken in turns
    from a mix of scenarios.
``routes``
    The scale benchmark on an app with ``--routes`` routes (see :mod:`routes`).
``count_build``
    Builds the scale benchmark's app with ``--small`` routes, then with ``--routes``
    routes, each build between two markers, for callgrind (see :mod:`instructions`).

Every response's status is checked against the scenario's, in every mode: a broken
fast path that fails early must not look fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import typing as t
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import routes  # noqa: E402
import scenarios  # noqa: E402
from environs import prepared  # noqa: E402

#: The scenarios the memory mode takes turns with.
MEMORY_MIX = ("hello", "param", "json", "query", "form", "not_found", "session")


class WrongStatus(Exception):
    """A response did not have the status its scenario expects."""


def run(case: scenarios.Case, count: int) -> list[str]:
    """Make ``count`` requests to the case; return the statuses, unchecked."""
    app = case.app
    make_environ = case.environ
    statuses: list[str] = []
    record = statuses.append

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        record(status)

    for _ in range(count):
        result = app(make_environ(), start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return statuses


def check(case: scenarios.Case, statuses: list[str], count: int) -> None:
    """Raise :class:`WrongStatus` unless there are ``count`` statuses, all the
    scenario's."""
    expected = case.expect_status
    wrong = [status for status in statuses if not status.startswith(expected)]
    if wrong or len(statuses) != count:
        seen = wrong[0] if wrong else f"{len(statuses)} responses"
        raise WrongStatus(f"expected {expected} for {count} requests, got {seen}")


def drive(case: scenarios.Case, count: int) -> float:
    """Make ``count`` checked requests to the case; return seconds per request."""
    started = time.perf_counter()
    statuses = run(case, count)
    elapsed = time.perf_counter() - started
    check(case, statuses, count)
    return elapsed / max(count, 1)


def time_case(case: scenarios.Case, iterations: int) -> float:
    """Microseconds per request: warm up, then the best of three short batches (to
    shed the noise of the other core's work)."""
    drive(case, max(iterations // 10, 1))
    gc.collect()
    batch = max(iterations // 3, 1)
    return min(drive(case, batch) for _ in range(3)) * 1e6


def _checked(framework: str, name: str) -> scenarios.Case | None:
    """The scenario's case after one checked request, or ``None`` if the framework
    cannot express it."""
    try:
        case = scenarios.build(framework, name)
    except (scenarios.Unsupported, ImportError):
        return None
    status, _headers, _body = scenarios.call(case)
    if not status.startswith(case.expect_status):
        raise WrongStatus(
            f"{framework}/{name}: expected status {case.expect_status}, got {status}"
        )
    return case


def time_requests(
    framework: str, names: list[str], iterations: int
) -> dict[str, float]:
    results = {}
    for name in names:
        case = _checked(framework, name)
        if case is not None:
            results[name] = time_case(case, iterations)
    return results


def mark() -> None:
    """The marker of the count mode: callgrind runs with ``--dump-before=getppid``,
    so each call writes the counts since the previous one to a file of their own."""
    os.getppid()


def count_requests(
    framework: str, names: list[str], warmup: int, small: int, large: int
) -> dict[str, t.Any]:
    """For each scenario the framework supports: warm up, mark, make ``small``
    requests, mark, make ``large`` requests, mark. Returns the scenarios measured."""
    cases = {name: case for name in names if (case := _checked(framework, name))}
    # What the set-up left is not garbage any request makes: keep the collector
    # from walking it during the counted requests.
    gc.collect()
    gc.freeze()
    for case in cases.values():
        drive(case, warmup)
        # Each batch starts with the collector's counters at zero, so the collections
        # it triggers depend on its own requests only, not on where the scenarios
        # before it left the counters (which moved a scenario's figure by up to 2%
        # when another scenario changed). The collection itself is not counted.
        gc.collect()
        mark()
        first = run(case, small)
        gc.collect()
        mark()
        second = run(case, large)
        mark()
        check(case, first, small)
        check(case, second, large)
    return {"measured": list(cases), "small": small, "large": large}


def count_build(small: int, large: int) -> dict[str, t.Any]:
    """Build the scale benchmark's app once to warm up, then with ``small`` and with
    ``large`` routes, each build between two markers, and a garbage collection
    between them under a marker pair of its own (so neither build counts it)."""
    import flask

    routes.build(flask, small)
    gc.collect()
    gc.freeze()
    mark()
    # Kept until the end, so that taking an app apart is not counted either.
    built = [routes.build(flask, small)]
    mark()
    gc.collect()
    mark()
    built.append(routes.build(flask, large))
    mark()
    return {
        "small": small,
        "large": large,
        "rules": [len(list(app.url_map.iter_rules())) for app in built],
    }


def time_startup() -> dict[str, float]:
    import flask

    started = time.perf_counter()
    app = flask.Flask("startup_app")
    for index in range(50):
        app.add_url_rule(f"/page/{index}/<int:item>", f"page_{index}", lambda item: "")
    elapsed = time.perf_counter() - started
    return {"create_app_50_routes_ms": elapsed * 1e3}


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def measure_memory(framework: str, total: int) -> dict[str, t.Any]:
    """Resident memory (KiB) after each tenth of ``total`` requests."""
    cases = [case for name in MEMORY_MIX if (case := _checked(framework, name))]
    step = max(total // 10 // len(cases), 1)
    points = []
    done = 0
    for _ in range(10):
        for case in cases:
            drive(case, step)
        done += step * len(cases)
        gc.collect()
        points.append([done, _rss_kib()])
    return {"points": points, "mix": [*MEMORY_MIX]}


def measure_routes(count: int, iterations: int) -> dict[str, float]:
    """The scale benchmark: building the app, its first request, and microseconds
    per request of each probe."""
    import flask

    started = time.perf_counter()
    app = routes.build(flask, count)
    results = {"build_ms": (time.perf_counter() - started) * 1e3}
    probes = routes.probes(count)
    first_path, first_status = probes["first"]
    started = time.perf_counter()
    drive(scenarios.Case(app, prepared(first_path), first_status), 1)
    results["first_request_ms"] = (time.perf_counter() - started) * 1e3
    for name, (path, status) in probes.items():
        case = scenarios.Case(app, prepared(path), status)
        results[name] = time_case(case, iterations)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="flask", choices=scenarios.FRAMEWORKS)
    parser.add_argument(
        "--mode",
        default="requests",
        choices=["requests", "count", "count_build", "startup", "memory", "routes"],
    )
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=100, help="count mode only")
    parser.add_argument("--small", type=int, default=50, help="count modes only")
    parser.add_argument("--routes", type=int, default=1_000, help="routes modes only")
    parser.add_argument("scenarios", nargs="*", default=list(scenarios.SCENARIOS))
    args = parser.parse_args(argv)

    output: dict[str, t.Any] = {"framework": args.framework, "mode": args.mode}
    if args.framework == "flask":
        import flask

        output["flask_file"] = flask.__file__
    if args.mode == "requests":
        output["results"] = time_requests(
            args.framework, args.scenarios, args.iterations
        )
    elif args.mode == "count":
        output["results"] = count_requests(
            args.framework, args.scenarios, args.warmup, args.small, args.iterations
        )
    elif args.mode == "count_build":
        output["results"] = count_build(args.small, args.routes)
    elif args.mode == "startup":
        output["results"] = time_startup()
    elif args.mode == "memory":
        output["results"] = measure_memory(args.framework, args.iterations)
    else:
        output["results"] = measure_routes(args.routes, args.iterations)
    sys.stdout.write(json.dumps(output) + "\n")
    sys.stdout.flush()
    if args.mode in ("count", "count_build"):
        # Skip the interpreter's teardown: its cost would grow with what the
        # measured requests left behind, and blur the difference of two counts.
        os._exit(0)


if __name__ == "__main__":
    main()
