"""Glue helpers: what the prose receives is a plain number or checked LaTeX."""

import numpy as np
import pytest
import sympy as sp

from xentbook.glue import glue_math, glue_number


@pytest.fixture
def glued(monkeypatch):
    """Capture what would be glued instead of talking to a kernel."""
    calls = {}

    def fake_glue(name, value, display=True):
        calls[name] = (value, display)

    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", fake_glue)
    return calls


def test_glue_number_turns_numpy_scalars_into_python_numbers(glued):
    glue_number("h", np.float32(0.5))
    value, display = glued["h"]
    assert type(value) is float and value == 0.5 and display is True
    # A Python float takes a format spec, as {glue:text}`h:.3f` needs.
    assert f"{value:.3f}" == "0.500"


def test_glue_number_rejects_arrays_naming_the_glue_key(glued):
    with pytest.raises(ValueError, match="'h'"):
        glue_number("h", np.array([1.0, 2.0]))


def test_glue_math_renders_sympy_with_latex(glued):
    x = sp.symbols("x", positive=True)
    latex = glue_math("eq", sp.Eq(sp.Function("I")(x), -sp.log(x)))
    math, _ = glued["eq"]
    assert latex == r"I\left(x\right) = - \log x"
    assert math._repr_latex_() == f"$\\displaystyle {latex}$"


def test_glue_math_passes_latex_strings_through(glued):
    assert glue_math("eq", r"a = b") == "a = b"
