"""Extract the public API facts from the spec's api-index.md into tests/data/api_index.json.

The spec lists, module by module, every public name with its signature. The JSON keeps
the facts the conformance test checks: which names each module provides, which members
each class defines, and the parameters (name, kind, default) of every callable.

Usage: python scripts/extract_api_index.py ../shared/spec/api-index.md
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

OUT = (
    pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "api_index.json"
)


def split_params(text: str) -> list[str]:
    # Split a parameter list at top-level commas (brackets may nest).
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parse_signature(text: str) -> list[dict[str, str | None]]:
    # "name(a: int, *, b: str = x, **kw: t.Any) -> r" -> parameter descriptions.
    inner = text[text.index("(") + 1 :]
    depth, end = 1, 0
    for end, char in enumerate(inner):  # noqa: B007 - the stop index is used below
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
    params = []
    kind = "positional"
    for part in split_params(inner[:end]):
        if part == "/":
            for param in params:
                param["kind"] = "positional_only"
            continue
        if part == "*":
            kind = "keyword_only"
            continue
        if part.startswith("**"):
            params.append(
                {
                    "name": part[2:].split(":")[0].strip(),
                    "kind": "var_keyword",
                    "default": None,
                }
            )
            continue
        if part.startswith("*"):
            params.append(
                {
                    "name": part[1:].split(":")[0].strip(),
                    "kind": "var_positional",
                    "default": None,
                }
            )
            kind = "keyword_only"
            continue
        name = re.split(r"[:=]", part, maxsplit=1)[0].strip()
        default = part.split(" = ", 1)[1].strip() if " = " in part else None
        params.append({"name": name, "kind": kind, "default": default})
    return params


def main(path: str) -> None:
    modules: dict[str, dict] = {}
    module = cls = None
    for raw in pathlib.Path(path).read_text().splitlines():
        if m := re.match(r"^### `([\w.]+)`", raw):
            module = modules.setdefault(m[1], {"names": {}, "classes": {}})
            cls = None
        elif module is None:
            continue
        elif raw.startswith("Also importable here:"):
            for name in re.findall(r"`(\w+)`", raw):
                module["names"].setdefault(name, None)
        elif m := re.match(r"^- class `(\w+)\((.*)\)`", raw):
            cls = module["classes"].setdefault(m[1], {"bases": m[2], "members": {}})
            module["names"][m[1]] = None
        elif m := re.match(r"^- `def (\w+)(\(.*)`", raw):
            module["names"][m[1]] = parse_signature(m[1] + m[2])
            cls = None
        elif m := re.match(r"^- `(\w+)`", raw):
            module["names"].setdefault(m[1], None)
            cls = None
        elif cls is not None and (
            m := re.match(
                r"^  - (?:(classmethod|staticmethod|property|slot) )?`(\w+)(\(.*)?`",
                raw,
            )
        ):
            decorator, name, sig = m[1], m[2], m[3]
            cls["members"][name] = {
                "decorator": decorator,
                "params": parse_signature(name + sig) if sig else None,
            }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(modules, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}: {len(modules)} modules")


if __name__ == "__main__":
    main(sys.argv[1])
