"""Shared pytest setup for the xentlib tests.

pytest runs with ``--import-mode=importlib`` (see pyproject.toml), which does
not put ``tests/`` on ``sys.path``; the accuracy tests import their mpmath
references with ``from mpref import ...``, so the directory is added here.
"""

import pathlib
import sys

_TESTS = str(pathlib.Path(__file__).parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

# Timing is not what these tests check: on a loaded 2-core CI machine a
# per-example deadline would fail them at random. Derandomized so that a red
# run on CI replays the same examples on a laptop.
from hypothesis import settings  # noqa: E402

settings.register_profile("book", deadline=None, derandomize=True)
settings.load_profile("book")
