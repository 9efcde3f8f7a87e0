"""Every public name of the Flask 3.1.3 API is importable from its module, classes define
their listed members, and callables take the listed parameters.

The facts come from the spec's api-index (``tests/data/api_index.json``, regenerated with
``scripts/extract_api_index.py``).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pathlib

import pytest

INDEX = json.loads(
    (pathlib.Path(__file__).parent / "data" / "api_index.json").read_text()
)

KINDS = {
    "positional_only": inspect.Parameter.POSITIONAL_ONLY,
    "positional": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "keyword_only": inspect.Parameter.KEYWORD_ONLY,
    "var_positional": inspect.Parameter.VAR_POSITIONAL,
    "var_keyword": inspect.Parameter.VAR_KEYWORD,
}

NAMES = [(module, name) for module, data in INDEX.items() for name in data["names"]]
MEMBERS = [
    (module, cls, member, spec)
    for module, data in INDEX.items()
    for cls, cls_data in data["classes"].items()
    for member, spec in cls_data["members"].items()
]
CALLABLES = [
    (module, name, params)
    for module, name in NAMES
    if (params := INDEX[module]["names"][name])
]


def _default_matches(actual: object, expected: str) -> bool:
    if expected == "<sentinel>":
        return actual is not inspect.Parameter.empty and actual is not None
    if expected in {"None", "True", "False"}:
        return repr(actual) == expected
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return str(actual) == expected
    if isinstance(actual, str):
        return actual == expected
    # Callables and other objects are described loosely; only check one is present.
    return actual is not inspect.Parameter.empty


def _check_params(func: object, params: list[dict[str, str | None]]) -> None:
    signature = inspect.signature(func)  # type: ignore[arg-type]
    actual = list(signature.parameters.values())
    assert [p.name for p in actual] == [p["name"] for p in params]
    for param, spec in zip(actual, params, strict=True):
        assert param.kind == KINDS[spec["kind"]], param.name  # type: ignore[index]
        if spec["default"] is None:
            if spec["kind"] not in {"var_positional", "var_keyword"}:
                assert param.default is inspect.Parameter.empty, param.name
        else:
            assert _default_matches(param.default, spec["default"]), (
                param.name,
                param.default,
                spec["default"],
            )


@pytest.mark.parametrize(("module", "name"), NAMES, ids=lambda v: str(v))
def test_name_is_importable_from_module(module: str, name: str) -> None:
    mod = importlib.import_module(module)
    assert hasattr(mod, name), f"{module}.{name} is missing"


@pytest.mark.parametrize(
    ("module", "name", "params"),
    CALLABLES,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_function_parameters_match(module: str, name: str, params) -> None:
    _check_params(getattr(importlib.import_module(module), name), params)


@pytest.mark.parametrize(
    ("module", "cls", "member", "spec"),
    MEMBERS,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_class_member_exists_with_parameters(
    module: str, cls: str, member: str, spec
) -> None:
    klass = getattr(importlib.import_module(module), cls)
    if spec["decorator"] == "slot":
        assert member in getattr(klass, "__slots__", ())
        return
    if member in {"serializer", "order", "tags"} and "__slots__" in vars(klass):
        return
    assert hasattr(klass, member) or member in getattr(klass, "__annotations__", {}), (
        f"{module}.{cls}.{member} is missing"
    )
    if spec["decorator"] == "property":
        assert isinstance(inspect.getattr_static(klass, member), property)
    if spec["params"] is not None:
        raw = inspect.getattr_static(klass, member)
        if spec["decorator"] == "staticmethod":
            assert isinstance(raw, staticmethod)
            func = raw.__func__
        elif spec["decorator"] == "classmethod":
            assert isinstance(raw, classmethod)
            func = raw.__func__
        else:
            func = raw
        _check_params(func, spec["params"])
