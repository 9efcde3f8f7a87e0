"""The lowest dependency versions that CI tests (requirements/minimum.txt) are the lower
bounds pyproject.toml promises, so the two cannot drift apart."""

from __future__ import annotations

import pathlib
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli before Python 3.11
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
MINIMUM = ROOT / "requirements" / "minimum.txt"


def _promised() -> dict[str, Requirement]:
    """Every requirement of the package and of its extras, by normalized name."""
    found = [Requirement(text) for text in PROJECT["dependencies"]]
    for extra in PROJECT["optional-dependencies"].values():
        found += [Requirement(text) for text in extra]
    return {canonicalize_name(req.name): req for req in found}


def _pins() -> dict[str, str]:
    pins = {}
    for line in MINIMUM.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{MINIMUM.name}: {line!r} is not a 'name==version' pin"
            pins[canonicalize_name(name)] = version
    return pins


def test_every_requirement_has_an_explicit_lower_bound():
    for name, req in _promised().items():
        bounds = [spec for spec in req.specifier if spec.operator == ">="]
        assert len(bounds) == 1, f"{name}: give one '>=' lower bound in pyproject.toml"


def test_minimum_pins_are_exactly_the_lower_bounds():
    lower_bounds = {
        name: next(spec.version for spec in req.specifier if spec.operator == ">=")
        for name, req in _promised().items()
    }
    assert _pins() == lower_bounds, (
        "requirements/minimum.txt must pin every dependency of pyproject.toml (and of"
        " its extras) to its lower bound; change both together, with the reason for a"
        " raised bound in CHANGES.rst."
    )
