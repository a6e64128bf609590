"""Tests of the practical-loss derivations in xentlib.symbolic.losses (chapter 9).

The symbolic identities are checked by SymPy and wrong variants must be
rejected; the concrete forms are lambdified and compared with xentlib's numpy
losses (label smoothing, BCE with logits, NLL), and the stable BCE form with
mpmath at 50 digits on the exact float inputs.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from sympy.codegen.cfunctions import log1p

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import losses as pr

RNG_SEED = 20260808


# --- symbolic K --------------------------------------------------------------

@pytest.mark.parametrize("make", [pr.label_smoothing_split,
                                  pr.uniform_cross_entropy,
                                  pr.label_smoothing_kl,
                                  pr.nll_cross_entropy_identity])
def test_general_identities_hold_for_symbolic_k(make):
    identity = make()
    assert identity.lhs.has(pr.K)
    assert identity.holds()


def test_wrong_variants_are_rejected():
    split = pr.label_smoothing_split()
    # smoothing does not scale the one-hot part by 1 (a common slip)
    wrong = Identity(split.lhs, split.rhs + pr.eps * pr.cross_entropy_sum(
        pr.q.__getitem__))
    assert not wrong.holds()
    uniform = pr.uniform_cross_entropy()
    assert not Identity(uniform.lhs, uniform.rhs - sp.log(pr.K)).holds()
    kl = pr.label_smoothing_kl()
    assert not Identity(kl.lhs, kl.rhs - pr.eps * sp.log(pr.K)).holds()
    wrong_stable = type(pr.bce_stable_identity())(
        pr.bce_intermediate(),
        sp.Max(pr.z, 0) + pr.z * pr.y + sp.log(1 + sp.exp(-sp.Abs(pr.z))))
    assert not wrong_stable.holds()
    assert not Identity(pr.bce_logits_gradient().lhs,
                        pr.y - pr.sigmoid()).holds()
    nll = pr.nll_cross_entropy_identity()
    assert not type(nll)(nll.lhs, nll.rhs + 1).holds()


def test_stable_form_is_not_the_intermediate_on_one_sign_only():
    # The two forms differ as expressions; only the case split proves them
    # equal, so a plain Identity must not already hold (else the split is
    # decoration) while the two-sided check does.
    plain = Identity(pr.bce_intermediate(), pr.bce_stable())
    assert pr.bce_stable_identity().holds()
    assert plain.lhs != plain.rhs


# --- concrete K against xentlib ----------------------------------------------

def _concrete(expr, n, logits):
    """Substitute K = n and p_i = softmax(logits)_i, then evaluate."""
    probs = xl.softmax(logits)
    value = expr.subs(pr.K, n).doit()
    return value.subs({pr.p[i + 1]: probs[i] for i in range(n)})


@pytest.mark.parametrize("n", [2, 3, 5])
def test_label_smoothing_kl_matches_xentlib(n):
    rng = np.random.default_rng(RNG_SEED + n)
    logits = rng.normal(size=n)
    label = int(rng.integers(n))
    epsilon = 0.15
    identity = pr.label_smoothing_kl(n=pr.K)
    onehot = {pr.q[i + 1]: int(i == label) for i in range(n)}
    rhs = _concrete(identity.rhs, n, logits).subs(onehot).subs(pr.eps, epsilon)
    expected = xl.softmax_cross_entropy(logits, label,
                                        label_smoothing=epsilon)
    assert float(rhs) == pytest.approx(float(expected), rel=1e-12)
    # and the KL term is xentlib's kl_divergence(u, p)
    kl = _concrete(pr.kl_uniform(), n, logits)
    u = np.full(n, 1.0 / n)
    assert float(kl) == pytest.approx(xl.kl_divergence(u, xl.softmax(logits)),
                                      rel=1e-12)


@pytest.mark.parametrize("z_value", [-100.0, -30.0, -2.5, 0.0, 0.7, 30.0, 100.0])
@pytest.mark.parametrize("y_value", [0.0, 0.3, 1.0])
def test_stable_bce_matches_mpmath_and_xentlib(z_value, y_value):
    # log(1 + x) -> log1p(x), as the stable form is meant to be computed
    form = pr.bce_stable().replace(sp.log, lambda arg: log1p(arg - 1))
    assert form.has(log1p)
    stable = sp.lambdify((pr.z, pr.y), form,
                         modules=[{"Max": max, "Abs": abs}, "numpy"])
    with mpmath.workdps(120):  # 1 - sigma(100) cancels 44 digits
        zz, yy = mpmath.mpf(z_value), mpmath.mpf(y_value)
        s = 1 / (1 + mpmath.exp(-zz))
        exact = -(yy * mpmath.log(s) + (1 - yy) * mpmath.log(1 - s))
    # lambdify sums the terms in its own order (-y z first), so a loss far
    # below 1 may lose relative digits to cancellation: absolute accuracy
    assert stable(z_value, y_value) == pytest.approx(float(exact), rel=1e-14,
                                                     abs=1e-14)
    assert float(xl.binary_cross_entropy_with_logits(z_value, y_value)) == \
        pytest.approx(float(exact), rel=1e-14, abs=1e-300)


def test_naive_bce_fails_where_the_stable_form_does_not():
    naive = sp.lambdify((pr.z, pr.y), pr.bce_naive(), "numpy")
    with np.errstate(all="ignore"):
        # float64: sigma(100) rounds to 1, log(1 - 1) = -inf
        assert not np.isfinite(naive(np.float64(100.0), 0.0))
        # float32: exp(100) overflows, sigma(-100) = 0, log 0 = -inf
        assert not np.isfinite(naive(np.float32(-100.0), np.float32(1.0)))
    for z_value, y_value in [(100.0, 0.0), (-100.0, 1.0)]:
        assert float(xl.binary_cross_entropy_with_logits(
            np.float32(z_value), np.float32(y_value))) == pytest.approx(100.0)


def test_nll_identity_numerically():
    rng = np.random.default_rng(RNG_SEED)
    logits = rng.normal(scale=3.0, size=(7, 4))
    labels = rng.integers(4, size=7)
    nll = xl.nll_loss(xl.log_softmax(logits), labels, reduction="none")
    # -(z_c - log sum exp z), written out with numpy only
    manual = -(logits[np.arange(7), labels]
               - np.log(np.exp(logits).sum(axis=1)))
    np.testing.assert_allclose(nll, manual, rtol=1e-13)
    np.testing.assert_allclose(
        xl.softmax_cross_entropy(logits, labels, reduction="none"), manual,
        rtol=1e-13)


# --- weighted mean and the gradient of softmax regression --------------------

def test_weighted_mean_matches_xentlib_with_ignore_index():
    rng = np.random.default_rng(RNG_SEED + 7)
    logits = rng.normal(size=(6, 3))
    labels = np.array([0, 2, 1, -100, 2, 0])
    weights = np.array([0.5, 2.0, 3.0])
    kept = labels != -100
    rows = xl.softmax_cross_entropy(logits[kept], labels[kept],
                                    reduction="none")
    size = int(kept.sum())
    expr = pr.weighted_mean(size).doit()
    values = {pr.loss[i + 1]: rows[i] for i in range(size)}
    values.update({pr.w[pr.label[i + 1]]: weights[labels[kept][i]]
                   for i in range(size)})
    expected = xl.softmax_cross_entropy(logits, labels, weight=weights)
    assert float(expr.subs(values)) == pytest.approx(float(expected),
                                                     rel=1e-13)


def test_equal_weights_give_the_plain_mean():
    assert pr.equal_weights_mean().holds()
    assert pr.equal_weights_mean(sp.Integer(4)).holds()


def test_weight_gradient_formula_and_a_wrong_variant():
    assert pr.weight_gradient_holds(2, 2, 3)
    assert pr.weight_gradient_holds(3, 1, 2)
    total, X, W, b, labels = pr.softmax_regression_loss(2, 1, 2)
    # without the 1/N of the mean the formula is wrong
    logits = X * W + sp.ones(2, 1) * b
    probs = [sp.exp(logits[r, 0]) / sum(sp.exp(logits[r, t])
                                        for t in range(2))
             for r in range(2)]
    wrong = sum(X[r, 0] * (probs[r] - int(labels[r] == 0)) for r in range(2))
    assert sp.simplify(total.diff(W[0, 0]) - wrong) != 0


def test_symbolic_loss_matches_xentlib_training_loss():
    total, X, W, b, labels = pr.softmax_regression_loss(3, 2, 3)
    rng = np.random.default_rng(RNG_SEED + 9)
    x_val, w_val, b_val = (rng.normal(size=(3, 2)), rng.normal(size=(2, 3)),
                           rng.normal(size=3))
    values = dict(zip(list(X), x_val.ravel()))
    values.update(zip(list(W), w_val.ravel()))
    values.update(zip(list(b), b_val))
    ours, _, _ = xl.softmax_regression_loss(w_val, b_val, x_val, labels)
    assert float(total.subs(values)) == pytest.approx(ours, rel=1e-12)
