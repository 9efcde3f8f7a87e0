"""Check that a built documentation's objects.inv lists the names other projects link to.

Usage, after ``sphinx-build -b html docs docs/_build/html``::

    python scripts/check_doc_inventory.py docs/_build/html/objects.inv

Every name of ``FLASK_DOC_NAMES`` in docs/conf.py (the names Flask's documentation
uses for objects documented here under another path) and every name it points to must
be in the inventory, as intersphinx reads it. Exits with 1 and lists what is missing.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from sphinx.util.inventory import InventoryFile

CONF = Path(__file__).resolve().parents[1] / "docs" / "conf.py"


def expected_names() -> set[str]:
    """The aliases and the names they point to, from docs/conf.py."""
    mapping: dict[str, str] = runpy.run_path(str(CONF))["FLASK_DOC_NAMES"]
    return set(mapping) | set(mapping.values())


def inventory_names(path: Path) -> set[str]:
    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    return {name for entries in inventory.values() for name in entries}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    missing = sorted(expected_names() - inventory_names(Path(argv[0])))
    for name in missing:
        print(f"{argv[0]}: {name} is missing", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
