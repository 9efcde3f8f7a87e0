"""The WSGI application the servers serve in the server benchmark.

``BENCH_FRAMEWORK`` and ``BENCH_SCENARIO`` in the environment choose the scenario
from :mod:`scenarios`, e.g. ``BENCH_FRAMEWORK=flask BENCH_SCENARIO=hello``. Run as a
script, it serves that app with bjoern on ``127.0.0.1`` and the port given as the
only argument::

    BENCH_FRAMEWORK=bare python server_app.py 8000
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios  # noqa: E402

app = scenarios.build(
    os.environ.get("BENCH_FRAMEWORK", "flask"),
    os.environ.get("BENCH_SCENARIO", "hello"),
).app

if __name__ == "__main__":
    import bjoern

    bjoern.run(app, "127.0.0.1", int(sys.argv[1]))
