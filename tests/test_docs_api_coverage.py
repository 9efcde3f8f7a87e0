"""Every public name of the API index is documented in the API reference under ``docs/``
through an autodoc directive, so the reference cannot silently fall behind the package.

A name counts as documented when a directive names it at its own path
(``.. autofunction:: flask.helpers.url_for``) or names the same object at another import
path (``flask.url_for`` documents ``flask.helpers.url_for`` and ``flask.app.request``).
A class listed with members must be documented with ``:members:`` so that its methods and
attributes appear under it.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import re
import types

import pytest

ROOT = pathlib.Path(__file__).parent.parent
DOCS = ROOT / "docs"
INDEX = json.loads(
    (pathlib.Path(__file__).parent / "data" / "api_index.json").read_text()
)

# Names the index lists that belong to other libraries: they are importable from a flask
# module only because that module uses them, and their own projects document them.
NOT_OURS = {
    ("flask.testing", "urlsplit"): "urllib.parse.urlsplit, used to build test URLs",
}

DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. auto(?P<kind>class|function|data|attribute|method|exception"
    r"|decorator|property|module)::[ \t]+(?P<target>\S+)[ \t]*$"
)
OPTION = re.compile(r"^[ \t]+:(?P<name>[\w-]+):")


def _directives() -> dict[str, set[str]]:
    """Map each autodoc target in the docs to the options given to its directive."""
    found: dict[str, set[str]] = {}
    for path in sorted(DOCS.rglob("*.rst")):
        if "_build" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = DIRECTIVE.match(line)
            if match is None:
                continue
            options = found.setdefault(match["target"], set())
            for following in lines[number + 1 :]:
                option = OPTION.match(following)
                if option is None:
                    break
                options.add(option["name"])
    return found


def _resolve(target: str) -> object:
    """Import a dotted autodoc target: the longest importable module prefix, then
    attribute lookups for the rest."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(target)


DIRECTIVES = _directives()
DOCUMENTED = {target: _resolve(target) for target in DIRECTIVES}

PUBLIC_NAMES = [
    (module, name)
    for module, data in INDEX.items()
    for name in data["names"]
    if not name.startswith("_") and (module, name) not in NOT_OURS
]
CLASSES_WITH_MEMBERS = [
    (module, cls)
    for module, data in INDEX.items()
    for cls, cls_data in data["classes"].items()
    if not cls.startswith("_")
    and any(not member.startswith("_") for member in cls_data["members"])
]


def _targets_for(module: str, name: str) -> list[str]:
    """The directives that document ``module.name``, by path or by identity."""
    own = f"{module}.{name}"
    if own in DOCUMENTED:
        return [own]
    obj = getattr(importlib.import_module(module), name)
    if isinstance(obj, (int, str, bool, float, types.NoneType)):
        # Equal small values are shared objects; identity would say nothing.
        return []
    return [target for target, documented in DOCUMENTED.items() if documented is obj]


def test_docs_have_autodoc_directives() -> None:
    # Guards the parser: if the docs moved or the syntax changed, every other test here
    # would pass for the wrong reason.
    assert len(DIRECTIVES) > 100


@pytest.mark.parametrize(("module", "name"), PUBLIC_NAMES, ids=lambda v: str(v))
def test_public_name_is_documented_by_autodoc(module: str, name: str) -> None:
    assert _targets_for(module, name), (
        f"{module}.{name} is public but no autodoc directive under docs/ documents it"
    )


@pytest.mark.parametrize(("module", "cls"), CLASSES_WITH_MEMBERS, ids=lambda v: str(v))
def test_class_is_documented_with_its_members(module: str, cls: str) -> None:
    targets = _targets_for(module, cls)
    assert targets, f"{module}.{cls} has no autodoc directive"
    assert any("members" in DIRECTIVES[target] for target in targets), (
        f"the directive for {module}.{cls} does not list its members (:members:)"
    )


def test_names_marked_as_not_ours_come_from_other_libraries() -> None:
    for module, name in NOT_OURS:
        obj = getattr(importlib.import_module(module), name)
        assert not getattr(obj, "__module__", "").startswith("flask"), (module, name)
