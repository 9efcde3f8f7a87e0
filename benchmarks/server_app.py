"""The WSGI application gunicorn serves in the server benchmark.

``BENCH_FRAMEWORK`` and ``BENCH_SCENARIO`` in the environment choose the scenario
from :mod:`scenarios`, e.g. ``BENCH_FRAMEWORK=flask BENCH_SCENARIO=hello``.
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
