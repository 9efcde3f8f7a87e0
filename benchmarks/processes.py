"""What /proc says about server processes: a master's workers and their memory.

Used by soak.py, and by the robustness tests that watch Gunicorn's workers.
"""

from __future__ import annotations

from pathlib import Path


def children(parent: int) -> set[int]:
    """The ids of the processes whose parent is ``parent`` (Linux only)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # Gone since the listing.
                continue
            # The parent's id is the second field after the parenthesized name.
            if int(stat.rpartition(")")[2].split()[1]) == parent:
                found.add(int(entry.name))
    return found


def resident_kib(pid: int) -> int:
    """The resident memory (VmRSS) of process ``pid``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")
