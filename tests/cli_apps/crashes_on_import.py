"""Raises a non-import error while being imported."""

raise RuntimeError("the settings file is corrupt")
