"""The benchmark's report: reStructuredText tables, and the targets met or missed.

Every function here takes the results as ``run.py`` collects them (and stores them in
``docs/performance_results.json``): a dict with one entry per part of the benchmark
(``in_process``, ``instructions``, ``servers``, ``scale``, ``startup``, ``memory``),
each ``{"meta": {...}, "values": {...}}``. A part that did not run is absent, and its
section and targets are left out.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from scenarios import SCENARIOS

OURS, FLASK, FALCON, BOTTLE, BARE = (
    "this package",
    "Flask 3.1.3",
    "Falcon",
    "Bottle",
    "bare WSGI",
)
PEERS = (FALCON, BOTTLE, BARE)

#: How many times faster than Flask 3.1.3 each scenario must be (time, instructions).
OVER_FLASK = {name: 2.0 for name in SCENARIOS} | {"async": 10.0, "async_queue": 10.0}
#: The scenarios where this package must cost at most what Falcon costs; on every
#: scenario Bottle has, at most what Bottle costs.
FALCON_SCENARIOS = ("hello", "hello_min", "param", "param_min", "json", "json_min")
#: How many times a sync view's time (``hello``) an async view (``async``) may take.
ASYNC_OVER_SYNC = 5.0
#: Under gunicorn: the share of the bare callable's requests per second to reach.
GUNICORN_SHARE = 0.95
#: Under bjoern: the share of the bare callable's, and the factor over Flask's.
BJOERN_SHARE, BJOERN_OVER_FLASK = 0.70, 2.0
#: ``import flask`` (interpreter start included) at most this share of Flask's.
IMPORT_SHARE = 0.8
#: How much faster than Flask's a cost may grow with the number of routes before it
#: counts as growing faster (the measurements' noise).
GROWTH_ALLOWANCE = 1.10
#: How much a worker's memory may grow after its first tenth of requests (KiB).
FLAT_KIB = 512
#: The size of the app whose per-request times must be at most Flask's.
SCALE_TARGET_ROUTES = "1000"
SCALE_PROBES = ("first", "middle", "last", "404")

NO_VALUE = "n/a"


@dataclass
class Verdict:
    """One target: what it asks, what was measured, and whether it was met."""

    target: str
    measured: str
    met: bool

    def line(self) -> str:
        return f"{'met' if self.met else 'MISSED'}: {self.target} ({self.measured})"


def rst_table(header: list[str], rows: list[list[str]]) -> str:
    """A simple reStructuredText table. Cells must not be a lone ``-`` (that would be
    a bullet list): write :data:`NO_VALUE`."""
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


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


# In process: time and instructions ----------------------------------------------------


def _peer_cell(values: dict[str, dict[str, float]], scenario: str) -> str:
    ours = values[OURS][scenario]
    parts = []
    if scenario in FALCON_SCENARIOS and scenario in values.get(FALCON, {}):
        parts.append(f"Falcon {_met(ours <= values[FALCON][scenario])}")
    if scenario in values.get(BOTTLE, {}):
        parts.append(f"Bottle {_met(ours <= values[BOTTLE][scenario])}")
    return ", ".join(parts) or NO_VALUE


def comparison_table(values: dict[str, dict[str, float]], unit: str) -> str:
    """Ours against Flask 3.1.3 and the peers, one row per scenario; ``unit`` is
    ``us`` (microseconds per request) or ``instr`` (instructions per request)."""

    def number(value: float) -> str:
        return f"{value:.1f}" if unit == "us" else f"{value:,.0f}"

    ours, ref = values[OURS], values.get(FLASK, {})
    peers = [name for name in PEERS if name in values]
    header = [
        "scenario", f"this package ({unit})", f"Flask 3.1.3 ({unit})", "vs Flask",
        "target",
    ] + [f"{name} ({unit})" for name in peers] + ["vs peers"]  # fmt: skip
    rows = []
    for scenario in SCENARIOS:
        if scenario not in ours:
            continue
        row = [scenario, number(ours[scenario])]
        if scenario in ref:
            ratio = ref[scenario] / ours[scenario]
            goal = OVER_FLASK[scenario]
            row += [number(ref[scenario]), f"{ratio:.2f}x", f"{goal:.0f}x {_met(ratio >= goal)}"]  # fmt: skip
        else:
            row += ["fails", NO_VALUE, NO_VALUE]
        row += [
            number(values[name][scenario]) if scenario in values[name] else NO_VALUE
            for name in peers
        ]
        row.append(_peer_cell(values, scenario))
        rows.append(row)
    return rst_table(header, rows)


def comparison_verdicts(
    values: dict[str, dict[str, float]], what: str
) -> list[Verdict]:
    """Targets 1 (peers) and 2 (over Flask 3.1.3) for one measure (``what``)."""
    ours, ref = values[OURS], values.get(FLASK, {})
    verdicts = []
    over = [s for s in SCENARIOS if s in ours and s in ref]
    if over:
        missed = [s for s in over if ref[s] / ours[s] < OVER_FLASK[s]]
        worst = min(over, key=lambda s: ref[s] / ours[s] / OVER_FLASK[s])
        verdicts.append(Verdict(
            f"{what}: every scenario at least 2x Flask 3.1.3 (async 10x)",
            f"lowest {worst} {ref[worst] / ours[worst]:.2f}x"
            + (f"; missed: {', '.join(missed)}" if missed else ""),
            not missed,
        ))  # fmt: skip
    for peer, names in ((FALCON, FALCON_SCENARIOS), (BOTTLE, SCENARIOS)):
        theirs = values.get(peer, {})
        compared = [s for s in names if s in ours and s in theirs]
        if compared:
            missed = [s for s in compared if ours[s] > theirs[s]]
            verdicts.append(Verdict(
                f"{what}: at most {peer}'s on {', '.join(compared)}",
                f"behind on {', '.join(missed)}" if missed else "none behind",
                not missed,
            ))  # fmt: skip
    if what == "time" and "async" in ours and "hello" in ours:
        factor = ours["async"] / ours["hello"]
        verdicts.append(Verdict(
            f"time: an async view at most {ASYNC_OVER_SYNC:.0f}x a sync one",
            f"{factor:.1f}x", factor <= ASYNC_OVER_SYNC,
        ))  # fmt: skip
    return verdicts


# Servers --------------------------------------------------------------------------------


def servers_table(values: dict[str, dict[str, dict[str, float]]]) -> str:
    header = ["server", "app", "this package (req/s)", "Flask 3.1.3 (req/s)",
              "bare WSGI (req/s)", "ours / bare", "Flask / bare", "ours / Flask"]  # fmt: skip
    rows = []
    for server, by in values.items():
        for scenario in by[OURS]:
            ours, ref, bare = (by[n][scenario] for n in (OURS, FLASK, BARE))
            rows.append([
                server, scenario, f"{ours:.0f}", f"{ref:.0f}", f"{bare:.0f}",
                f"{ours / bare:.0%}", f"{ref / bare:.0%}", f"{ours / ref:.2f}x",
            ])  # fmt: skip
    return rst_table(header, rows)


def servers_verdicts(values: dict[str, dict[str, dict[str, float]]]) -> list[Verdict]:
    verdicts = []
    for server, by in values.items():
        for scenario in by[OURS]:
            ours, ref, bare = (by[n][scenario] for n in (OURS, FLASK, BARE))
            if server == "gunicorn":
                verdicts.append(Verdict(
                    f"gunicorn {scenario}: at least {GUNICORN_SHARE:.0%} of bare",
                    f"{ours / bare:.0%}", ours / bare >= GUNICORN_SHARE,
                ))  # fmt: skip
            else:
                verdicts.append(Verdict(
                    f"{server} {scenario}: at least {BJOERN_OVER_FLASK:.0f}x Flask and"
                    f" {BJOERN_SHARE:.0%} of bare",
                    f"{ours / ref:.2f}x, {ours / bare:.0%}",
                    ours / ref >= BJOERN_OVER_FLASK and ours / bare >= BJOERN_SHARE,
                ))  # fmt: skip
    return verdicts


# Scale ------------------------------------------------------------------------------------


def scale_table(values: dict[str, dict[str, dict[str, float]]]) -> str:
    header = ["routes", "build (ms)", "first request (ms)"]
    header += [f"{probe} (us)" for probe in SCALE_PROBES]
    rows = []
    for count in values[OURS]:
        ours, ref = values[OURS][count], values[FLASK][count]
        row = [f"{int(count):,}"]
        for key, digits in [("build_ms", 1), ("first_request_ms", 1)] + [
            (probe, 1) for probe in SCALE_PROBES
        ]:
            row.append(f"{ours[key]:.{digits}f} / {ref[key]:.{digits}f}")
        rows.append(row)
    return rst_table(header, rows)


def scale_verdicts(values: dict[str, dict[str, dict[str, float]]]) -> list[Verdict]:
    ours, ref = values[OURS], values[FLASK]
    verdicts = []
    if SCALE_TARGET_ROUTES in ours:
        at = SCALE_TARGET_ROUTES
        keys = ["build_ms", *SCALE_PROBES]
        behind = [k for k in keys if ours[at][k] > ref[at][k]]
        verdicts.append(Verdict(
            f"{int(at):,} routes: build and every probe at most Flask's",
            f"behind on {', '.join(behind)}" if behind else "none behind",
            not behind,
        ))  # fmt: skip
    counts = list(ours)
    if len(counts) > 1:
        low, high = counts[0], counts[-1]
        faster = []
        for key in ["build_ms", *SCALE_PROBES]:
            ours_growth = ours[high][key] / ours[low][key]
            if ours_growth > GROWTH_ALLOWANCE * ref[high][key] / ref[low][key]:
                faster.append(key)
        verdicts.append(Verdict(
            f"from {int(low):,} to {int(high):,} routes, no cost grows faster than"
            f" Flask's (by more than {GROWTH_ALLOWANCE - 1:.0%})",
            f"grows faster: {', '.join(faster)}" if faster else "none grows faster",
            not faster,
        ))  # fmt: skip
    return verdicts


def build_instructions_table(values: dict[str, float]) -> str:
    ours, ref = values[OURS], values[FLASK]
    return rst_table(
        ["measure", "this package", "Flask 3.1.3", "ours / Flask"],
        [["instructions per route built", f"{ours:,.0f}", f"{ref:,.0f}",
          f"{ours / ref:.3f}"]],
    )  # fmt: skip


def build_instructions_verdicts(values: dict[str, float]) -> list[Verdict]:
    ours, ref = values[OURS], values[FLASK]
    return [Verdict(
        "building the app: instructions per route at most Flask's",
        f"{ours:,.0f} against {ref:,.0f}", ours <= ref,
    )]  # fmt: skip


# Start-up and memory --------------------------------------------------------------------------


def startup_table(values: dict[str, dict[str, float]]) -> str:
    labels = {
        "interpreter": "python -c pass (ms)",
        "import": "python -c 'import flask' (ms)",
        "create_app": "app with 50 routes (ms)",
    }
    rows = []
    for key, label in labels.items():
        if key in values:
            ours, ref = values[key][OURS], values[key][FLASK]
            rows.append([label, f"{ours:.1f}", f"{ref:.1f}", f"{ours / ref:.2f}"])
    return rst_table(["measure", "this package", "Flask 3.1.3", "ours / Flask"], rows)


def startup_verdicts(values: dict[str, dict[str, float]]) -> list[Verdict]:
    ours, ref = values["import"][OURS], values["import"][FLASK]
    return [Verdict(
        f"import flask at most {IMPORT_SHARE}x Flask's", f"{ours / ref:.2f}x",
        ours <= IMPORT_SHARE * ref,
    )]  # fmt: skip


def memory_table(values: dict[str, list[list[int]]]) -> str:
    rows = [
        [f"{ours[0]:,}", f"{ours[1]:,}", f"{ref[1]:,}"]
        for ours, ref in zip(values[OURS], values[FLASK], strict=True)
    ]
    return rst_table(["requests", "this package (KiB)", "Flask 3.1.3 (KiB)"], rows)


def memory_verdicts(values: dict[str, list[list[int]]]) -> list[Verdict]:
    ours, ref = values[OURS], values[FLASK]
    growth = ours[-1][1] - ours[0][1]
    return [
        Verdict("resident memory at the end at most Flask's",
                f"{ours[-1][1]:,} KiB against {ref[-1][1]:,}", ours[-1][1] <= ref[-1][1]),
        Verdict(f"flat: grows at most {FLAT_KIB} KiB after the first tenth",
                f"{growth:+,} KiB", growth <= FLAT_KIB),
    ]  # fmt: skip


# Putting it together ------------------------------------------------------------------------

#: Per part: its title, its table, its verdicts.
PARTS: dict[
    str, tuple[str, t.Callable[[t.Any], str], t.Callable[[t.Any], list[Verdict]]]
] = {
    "in_process": (
        "In process, microseconds per request",
        lambda v: comparison_table(v, "us"),
        lambda v: comparison_verdicts(v, "time"),
    ),
    "instructions": (
        "In process, instructions per request (callgrind)",
        lambda v: comparison_table(v, "instr"),
        lambda v: comparison_verdicts(v, "instructions"),
    ),
    "servers": ("Under a server (wrk)", servers_table, servers_verdicts),
    "scale": ("Many routes (this package / Flask 3.1.3)", scale_table, scale_verdicts),
    "build_instructions": (
        "Building the app, instructions per route (callgrind)",
        build_instructions_table,
        build_instructions_verdicts,
    ),
    "startup": ("Start-up", startup_table, startup_verdicts),
    "memory": ("Resident memory of a worker", memory_table, memory_verdicts),
}


def describe_meta(meta: dict[str, t.Any]) -> str:
    """One sentence on when, where and how a part was measured."""
    text = f"Measured on {meta['date']} on {meta['machine']}, Python {meta['python']}"
    if meta.get("versions"):
        text += f", {meta['versions']}"
    if meta.get("how"):
        text += f"; {meta['how']}"
    return text + "."


def section(results: dict[str, t.Any], part: str) -> str:
    """The part's text for the documentation: when it was measured, its table and
    its targets, or an empty string if the part is absent."""
    if part not in results:
        return ""
    _title, table, verdicts = PARTS[part]
    data = results[part]
    lines = [describe_meta(data["meta"]), "", table(data["values"]), ""]
    found = verdicts(data["values"])
    if found:
        lines.append("Targets:")
        lines.append("")
        lines += [f"- {verdict.line()}" for verdict in found]
        lines.append("")
    return "\n".join(lines)


def all_verdicts(results: dict[str, t.Any]) -> list[Verdict]:
    return [
        verdict
        for part, (_title, _table, verdicts) in PARTS.items()
        if part in results
        for verdict in verdicts(results[part]["values"])
    ]


def build_report(results: dict[str, t.Any]) -> str:
    """The whole report as text: every part present, then every target."""
    chunks = []
    for part, (title, _table, _verdicts) in PARTS.items():
        if part in results:
            chunks += [title, "-" * len(title), "", section(results, part)]
    found = all_verdicts(results)
    if found:
        missed = sum(not verdict.met for verdict in found)
        chunks += [f"Targets: {len(found) - missed} met, {missed} missed", ""]
        chunks += [verdict.line() for verdict in found]
    return "\n".join(chunks).rstrip() + "\n"
