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


def test_glue_math_with_a_check_stores_status_hypotheses_and_domains(monkeypatch):
    """The record the derivation index prints comes from the checker itself."""
    import IPython.display

    from xentlib.symbolic import Identity
    from xentlib.symbolic.symbols import K, i, p, q, q_is_distribution

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda bundle, raw, metadata: shown.append((bundle, metadata)))
    # sum_i q_i = 1 holds only under the hypothesis that q is a distribution.
    identity = Identity(sp.Sum(q[i], (i, 1, K)) + sp.log(p[1]), 1 + sp.log(p[1]),
                        hypotheses=(q_is_distribution,))
    assert identity.holds()
    glue_math("eq", identity.equation(), check=identity)
    (bundle, metadata), = shown
    assert metadata["scrapbook"] == {"name": "eq", "mime_prefix": ""}
    record = metadata["xentbook"]
    assert record["status"] == "proved for symbolic K"
    assert record["hypotheses"] == [
        {"name": "q is a distribution", "latex": r"\sum_{i=1}^{K} q_{i} = 1"}]
    # K a positive integer; p_1 and the q_i positive (declared in symbols.py).
    assert record["domains"] == [r"K \in \{1, 2, \dots\}", r"p_{1} > 0", r"q_{i} > 0"]
    assert bundle["text/latex"] == (
        r"$\displaystyle \log p_{1} + \sum_{i=1}^{K} q_{i} = \log p_{1} + 1$")
