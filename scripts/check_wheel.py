"""Check that a built wheel ships the whole package: every module of src/flask, the
``py.typed`` marker, the ``flask`` command and the dependencies of pyproject.toml.

Usage, after ``python -m build``::

    python scripts/check_wheel.py dist/flask-3.1.3-py3-none-any.whl

Exits with 1 and says what is missing or unexpected.
"""

from __future__ import annotations

import sys
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "flask"


def source_files() -> set[str]:
    """The package's files as the wheel should list them (``flask/...``)."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix in {".py", ".typed"}
    }


def problems(wheel: Path) -> list[str]:
    found: list[str] = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        packaged = {name for name in names if name.startswith("flask/")}
        expected = source_files()
        found += [
            f"missing from the wheel: {name}" for name in sorted(expected - packaged)
        ]
        found += [f"not in src/flask: {name}" for name in sorted(packaged - expected)]
        if "flask/py.typed" not in packaged:
            found.append("the py.typed marker is missing")

        info = {name.split("/", 1)[0] for name in names if ".dist-info/" in name}
        if len(info) != 1:
            return [*found, f"expected one .dist-info folder, found {sorted(info)}"]
        (dist_info,) = info
        metadata = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode())
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()

    if metadata["Name"] != "Flask":
        found.append(f"the distribution is named {metadata['Name']!r}, not 'Flask'")
    if "flask = flask.cli:main" not in entry_points.replace("=", " = ").replace(
        "  ", " "
    ):
        found.append("the 'flask' console script is not declared")
    if "Typing :: Typed" not in (metadata.get_all("Classifier") or []):
        found.append("the 'Typing :: Typed' classifier is missing")
    required = {
        req.split(";")[0].replace(" ", "")
        for req in metadata.get_all("Requires-Dist") or []
    }
    for dependency in ("werkzeug>=3.1.0", "jinja2>=3.1.2", "click>=8.1.3"):
        if dependency not in required:
            found.append(f"Requires-Dist lacks {dependency} (has {sorted(required)})")
    return found


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for name in argv:
        for problem in problems(Path(name)):
            print(f"{name}: {problem}", file=sys.stderr)
            failed = True
        if not failed:
            print(f"{name}: {len(source_files())} package files, metadata complete")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
