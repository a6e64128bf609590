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
