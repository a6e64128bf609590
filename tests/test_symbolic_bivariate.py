"""Tests of xentlib.symbolic.bivariate: each identity's verdict, pinned.

A status may only improve (a proof for symbolic sizes where today the
checker proves each size 1..6); a refutation or an Undecided is a bug. The
numeric side: each symbolic sum, lambdified at a concrete size, agrees with
xentlib's numpy function on random tables.
"""

import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import bivariate as bv
from xentlib.symbolic.symbols import p

PROVED = "proved for symbolic M, N"
BY_SIZE = "checked for M, N = 1..6"


@pytest.mark.parametrize("name, status", [
    ("log_split_step", PROVED),
    ("conditional_entropy_average", PROVED),
    ("learning_decomposition", PROVED),
    ("expected_kl_form", PROVED),
    ("change_of_variables", "proved"),
    ("marginal_step", BY_SIZE),
    ("chain_rule", BY_SIZE),
    ("mutual_information_entropy_form", BY_SIZE),
    ("mutual_information_joint_form", BY_SIZE),
    ("mutual_information_symmetry", BY_SIZE),
])
def test_status(name, status):
    identity = getattr(bv, name)()
    assert identity.status in (status, PROVED, "proved")
    assert identity.status == status, "the checker got better: update the chapter"
    if status.startswith("proved"):
        assert identity.holds()


def test_a_wrong_chain_rule_is_refuted():
    """H(X, Y) = H(X) + H(X | Y) is false: the checker must say so."""
    wrong = bv.Identity(bv.joint_entropy_sum(),
                        bv.entropy_x_sum() + bv.conditional_entropy_x_sum())
    assert wrong.holds() is False
    assert wrong.counterexample is not None


def test_change_of_variables_keeps_the_jacobian():
    """The displayed side carries J, and the checker (not SymPy's automatic
    simplification) cancels it: the same claim without J in the denominator
    is refuted."""
    invariance = bv.change_of_variables()
    jacobian = sp.Symbol("J", positive=True)
    assert jacobian in invariance.lhs.free_symbols
    assert "J" in sp.latex(invariance.equation())
    joint, px, py = sp.symbols("p_{XY} p_X p_Y", positive=True)
    with sp.evaluate(False):
        wrong = sp.log((joint / jacobian) / (px * py))
    assert bv.Identity(wrong, invariance.rhs).holds() is False


def _numeric(expr, table):
    """Evaluate a sum over the joint ``p`` at a concrete table."""
    m, n = table.shape
    concrete = expr.subs({bv.M: m, bv.N: n}).doit()
    values = {p[i + 1, j + 1]: sp.Float(table[i, j], 30)
              for i in range(m) for j in range(n)}
    return float(concrete.xreplace(values))


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (1, 4)])
def test_sums_agree_with_xentlib(shape):
    rng = np.random.default_rng(sum(shape))
    table = rng.dirichlet(np.ones(shape[0] * shape[1])).reshape(shape)
    pairs = [(bv.joint_entropy_sum(), xl.joint_entropy(table)),
             (bv.conditional_entropy_sum(), xl.conditional_entropy(table)),
             (bv.conditional_entropy_x_sum(), xl.conditional_entropy(table.T)),
             (bv.mutual_information_sum(), xl.mutual_information(table))]
    for expr, value in pairs:
        assert _numeric(expr, table) == pytest.approx(value, rel=1e-13, abs=1e-14)


def test_display_renames_cells_and_marginals():
    latex = sp.latex(bv.display(bv.conditional_entropy_sum()))
    assert "p(x, y)" in latex and "p(x)" in latex and "x'" not in latex
    model = sp.latex(bv.display(bv.learning_decomposition().lhs, model=True))
    assert r"p(y \mid x)" in model and "q(x, y)" in model
