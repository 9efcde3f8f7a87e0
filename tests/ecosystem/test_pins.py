"""The extensions tested in this folder are the versions requirements/ecosystem.txt
pins, and CI has every one of them (elsewhere a missing one only skips its file)."""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

import pytest

PINS_FILE = Path(__file__).resolve().parents[2] / "requirements" / "ecosystem.txt"


def pins() -> dict[str, str]:
    found = {}
    for line in PINS_FILE.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?==(\S+)", line)
            assert match, f"not pinned with ==: {line!r}"
            found[match.group(1)] = match.group(3)
    return found


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_at_least_ten_extensions_and_two_monitoring_integrations() -> None:
    names = set(pins())
    extensions = {name for name in names if name.startswith("flask-")}
    assert len(extensions) >= 10
    assert {"sentry-sdk", "opentelemetry-instrumentation-flask"} <= names


@pytest.mark.parametrize(("name", "version"), sorted(pins().items()))
def test_installed_versions_are_the_pinned_ones(name: str, version: str) -> None:
    found = installed(name)
    if found is None and not os.environ.get("CI"):
        pytest.skip(f"{name} is not installed: pip install -r {PINS_FILE.name}")
    assert found == version
