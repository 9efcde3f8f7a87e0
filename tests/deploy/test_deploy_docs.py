"""docs/deployment.rst shows what the other tests in this folder run: the same
commands (with port 8000) and, through literalinclude, the same files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "deployment.rst"
SHOWN_FILES = [
    "examples/blog/jotter/wsgi.py",
    "examples/blog/deploy/gunicorn.conf.py",
    "examples/blog/deploy/uwsgi.ini",
    "examples/blog/deploy/nginx-site.conf",
    "examples/blog/deploy/nginx-site-prefix.conf",
    "examples/blog/deploy/jotter_redis.py",
    "examples/blog/deploy/nginx-site-scaled.conf",
]


def included_files() -> list[str]:
    found = re.findall(r"^\.\. literalinclude:: (\S+)$", PAGE.read_text(), re.MULTILINE)
    return [
        (PAGE.parent / name).resolve().relative_to(REPO).as_posix() for name in found
    ]


def test_the_page_runs_the_documented_commands(documented_commands):
    page = PAGE.read_text()
    missing = [line for line in documented_commands.values() if line not in page]
    assert missing == []


@pytest.mark.parametrize("name", SHOWN_FILES)
def test_the_page_includes_the_tested_file(name):
    assert name in included_files()
    assert (REPO / name).is_file()


def test_every_file_in_the_deploy_folder_is_shown():
    in_folder = sorted(
        path.relative_to(REPO).as_posix()
        for path in (REPO / "examples" / "blog" / "deploy").iterdir()
        if path.is_file()
    )
    assert sorted(set(included_files()) & set(in_folder)) == in_folder
