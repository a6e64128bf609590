"""The numerical core installs with numpy alone: importing xentlib (and every
core module) must not import sympy, scipy or matplotlib. Checked in a fresh
interpreter, since the test session itself has them loaded."""

import subprocess
import sys

CORE = ["betting", "calibration", "coding", "descent", "gaussian", "information",
        "likelihood", "logits", "losses", "precision", "sampled", "scale",
        "simplex", "train"]


def test_core_imports_numpy_only():
    modules = ", ".join(f"xentlib.{name}" for name in CORE)
    code = (
        f"import sys, xentlib, {modules}\n"
        "extra = {'sympy', 'scipy', 'matplotlib'} & {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(extra))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]", out
