"""Use an installed wheel the way a user would: the ``flask`` command and the blog
example (examples/blog, installed as a regular package beside it).

Run it with the interpreter of a fresh virtual environment where the wheel and the
blog are installed, from a folder outside the checkout, naming the wheel::

    venv/bin/python /path/to/scripts/wheel_smoke.py dist/flask-3.1.3-py3-none-any.whl

It fails (exit status 1, with the reason) when flask was not installed from that wheel
into the environment's site-packages, or when a step does not give what a user sees.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"wheel smoke test: {what}")


def flask_command(*args: str, env: dict[str, str]) -> str:
    """Run the environment's ``flask`` script and return its output."""
    done = subprocess.run(
        [str(BIN / "flask"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    check(done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def main(wheel: str) -> None:
    import jotter

    import flask

    # pip records where a distribution came from: a Flask from PyPI would not do.
    origin = json.loads(
        importlib.metadata.distribution("flask").read_text("direct_url.json") or "{}"
    )
    check(
        origin.get("url", "").endswith("/" + Path(wheel).name),
        f"flask was installed from {origin.get('url')}, not from {wheel}",
    )

    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    for module in (flask, jotter):
        where = Path(module.__file__ or "").resolve()
        check(site_packages in where.parents, f"{module.__name__} came from {where}")
    check((Path(flask.__file__).parent / "py.typed").is_file(), "py.typed is missing")

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "JOTTER_DATABASE": os.path.join(folder, "blog.sqlite3")}
        version = flask_command("--version", env=env)
        check("Flask 3.1.3" in version, f"unexpected --version output: {version!r}")
        made = flask_command("--app", "jotter", "init-db", env=env)
        check("tables are ready" in made, f"unexpected init-db output: {made!r}")
        routes = flask_command("--app", "jotter", "routes", env=env)
        check("/account/register" in routes, f"routes lack the blog's: {routes!r}")

        os.environ["JOTTER_DATABASE"] = env["JOTTER_DATABASE"]
        client = jotter.create_app().test_client()
        account = {"handle": "wheel", "password": "installed-ok"}
        registered = client.post(
            "/account/register", data={**account, "confirm": account["password"]}
        )
        check(registered.status_code == 302, f"register answered {registered.status}")
        logged_in = client.post("/account/login", data=account)
        check(logged_in.status_code == 302, f"login answered {logged_in.status}")
        written = client.post(
            "/write", data={"headline": "From the wheel", "content": "It works."}
        )
        check(written.status_code == 302, f"writing answered {written.status}")
        front = client.get("/").get_data(as_text=True)
        check("From the wheel" in front, "the new entry is not on the front page")
    print(f"wheel smoke test passed: flask {flask.__file__}, blog served and stored")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
