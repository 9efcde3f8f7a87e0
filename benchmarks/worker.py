"""Time scenarios in this process and print the results as one JSON object.

Started by ``run.py`` once per framework and round, with the interpreter of the
environment under test (this project's or the reference's), so that each
implementation runs in a process of its own::

    python benchmarks/worker.py --framework flask --iterations 20000 hello json

Modes: ``requests`` (default) times the scenarios named on the command line;
``startup`` times creating an application with 50 routes; ``memory`` reports the
resident memory after a number of ``hello`` requests.
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

import scenarios  # noqa: E402


def _drive(case: scenarios.Case, count: int) -> float:
    """Call the application ``count`` times; return seconds per request."""
    app = case.app
    make_environ = case.environ

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        return None

    started = time.perf_counter()
    for _ in range(count):
        result = app(make_environ(), start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - started) / max(count, 1)


def time_requests(
    framework: str, names: list[str], iterations: int
) -> dict[str, t.Any]:
    results: dict[str, t.Any] = {}
    for name in names:
        try:
            case = scenarios.build(framework, name)
        except (scenarios.Unsupported, ImportError):
            continue
        status, _headers, _body = scenarios.call(case)
        if not status.startswith(case.expect_status):
            raise SystemExit(
                f"{framework}/{name}: expected status {case.expect_status}, got {status}"
            )
        # Warm up caches (and the JIT-less interpreter's specialisation) first.
        _drive(case, max(iterations // 10, 1))
        gc.collect()
        # Best of three short batches, to shed the noise of the other core's work.
        batch = max(iterations // 3, 1)
        best = min(_drive(case, batch) for _ in range(3))
        results[name] = best * 1e6
    return results


def time_startup(framework: str) -> dict[str, float]:
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


def measure_memory(framework: str, total: int) -> dict[str, int]:
    case = scenarios.build(framework, "hello")
    warm = min(10_000, total // 2)
    _drive(case, warm)
    gc.collect()
    after_warmup = _rss_kib()
    _drive(case, total - warm)
    gc.collect()
    return {"rss_after_warmup_kib": after_warmup, "rss_final_kib": _rss_kib()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="flask", choices=scenarios.FRAMEWORKS)
    parser.add_argument(
        "--mode", default="requests", choices=["requests", "startup", "memory"]
    )
    parser.add_argument("--iterations", type=int, default=20_000)
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
    elif args.mode == "startup":
        output["results"] = time_startup(args.framework)
    else:
        output["results"] = measure_memory(args.framework, args.iterations)
    json.dump(output, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
