"""Tests of xentlib.symbolic.softmax (chapter 5's derivations).

The symbolic identities are checked by SymPy, and wrong variants of them must
be rejected. The concrete forms are lambdified and compared with xentlib's
numpy functions (an independent implementation: numpy, not SymPy), with
central finite differences of ``xl.softmax``, and with mpmath at 50 digits.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import softmax as sm

RNG_SEED = 20260505


# --- general K ---------------------------------------------------------------


def test_general_identities_hold_for_symbolic_k():
    for identity in [sm.shift_invariance(), sm.jacobian_identity(),
                     sm.jacobian_row_sum(), sm.logsumexp_shift(),
                     sm.log_softmax_identity()]:
        assert identity.lhs.has(sm.K)  # a symbolic number of classes
        assert identity.holds()


def test_wrong_variants_are_rejected():
    p_i = sm.softmax_entry(sm.i)
    p_j = sm.softmax_entry(sm.j)
    delta = sp.KroneckerDelta(sm.i, sm.j)
    entry = sm.jacobian_entry()
    assert not Identity(entry, p_i * (delta + p_j)).holds()   # sign
    # Scaling is not shifting: softmax(2 z) != softmax(z). (Checked at K = 3:
    # SymPy's simplify raises StopIteration on some quotients of two
    # different symbolic sums, instead of returning a non-zero difference.)
    doubled = sp.exp(2 * sm.z[sm.i]) / sp.Sum(sp.exp(2 * sm.z[sm.k]),
                                               (sm.k, 1, sm.K))
    difference = (doubled - sm.softmax_entry()).subs({sm.K: 3, sm.i: 1})
    assert sp.simplify(difference.doit()) != 0
    wrong_lse = sm.logsumexp_shift()
    assert not Identity(wrong_lse.lhs, wrong_lse.rhs - sm.m).holds()
    wrong_log = sm.log_softmax_identity()
    assert not type(wrong_log)(wrong_log.lhs, wrong_log.rhs + 1).holds()
    assert not Identity(sm.sigmoid_identity().lhs,
                        1 / (1 + sp.exp(sm.a))).holds()


def test_every_link_of_the_shift_chain_holds():
    chain = sm.shift_invariance_chain()
    assert len(chain) == 4
    for left, right in zip(chain, chain[1:]):
        assert Identity(left, right).holds()
    assert chain[0].has(sm.c) and not chain[-1].has(sm.c)


def test_jacobian_entry_is_what_sympy_differentiates():
    # By hand: quotient rule on e^{z_i} / S with dS/dz_j = e^{z_j}.
    s = sm.normaliser()
    by_hand = (sp.KroneckerDelta(sm.i, sm.j) * sp.exp(sm.z[sm.i]) / s
               - sp.exp(sm.z[sm.i]) * sp.exp(sm.z[sm.j]) / s**2)
    assert sp.simplify(sm.jacobian_entry() - by_hand) == 0


# --- concrete K: symbolic ↔ numeric -------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_jacobian_matrix_is_diag_minus_outer(k):
    logits = sm.logit_symbols(k)
    jac = sm.jacobian_matrix(logits)
    assert sm.matrix_identity_holds(jac, sm.jacobian_formula(logits))
    assert sm.matrix_identity_holds(jac, jac.T)               # symmetric
    ones = sp.Matrix([1] * k)
    assert sm.matrix_identity_holds(jac * ones, sp.zeros(k, 1))  # rows


def test_matrix_identity_rejects_a_wrong_matrix():
    logits = sm.logit_symbols(3)
    p = sm.softmax_vector(logits)
    assert not sm.matrix_identity_holds(sm.jacobian_matrix(logits),
                                        sp.diag(*p) + p * p.T)


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_lambdified_jacobian_matches_xentlib_and_finite_differences(k):
    rng = np.random.default_rng(RNG_SEED + k)
    logits = sm.logit_symbols(k)
    f_jac = sp.lambdify(logits, sm.jacobian_matrix(logits), "numpy")
    f_p = sp.lambdify(logits, sm.softmax_vector(logits), "numpy")
    h = 1e-6
    for _ in range(20):
        x = rng.normal(scale=3.0, size=k)
        symbolic_jac = np.asarray(f_jac(*x), dtype=float)
        np.testing.assert_allclose(np.ravel(f_p(*x)), xl.softmax(x),
                                   rtol=1e-13)
        np.testing.assert_allclose(symbolic_jac, xl.softmax_jacobian(x),
                                   rtol=1e-12, atol=1e-16)
        columns = [(xl.softmax(x + h * e) - xl.softmax(x - h * e)) / (2 * h)
                   for e in np.eye(k)]
        np.testing.assert_allclose(np.stack(columns, axis=1), symbolic_jac,
                                   atol=1e-9)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_quadratic_form_is_a_variance(k):
    assert sm.quadratic_form_identity(k).holds()


@pytest.mark.parametrize("k", [3, 5, 8])
def test_jacobian_spectrum_psd_rank_k_minus_1(k):
    rng = np.random.default_rng(RNG_SEED * k)
    x = rng.normal(scale=2.0, size=k)
    eigenvalues = np.linalg.eigvalsh(xl.softmax_jacobian(x))
    assert eigenvalues.min() > -1e-15
    assert np.sum(eigenvalues > 1e-12) == k - 1
    # The null vector is (1, ..., 1): shift invariance.
    np.testing.assert_allclose(xl.softmax_jacobian(x) @ np.ones(k), 0,
                               atol=1e-16)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_temperature_limits(k):
    cold, hot = sm.temperature_limits(k)
    assert cold.rhs == 1
    assert hot.rhs == sp.Rational(1, k)
    top, gaps = sm.temperature_softmax_top(k)
    f = sp.lambdify((*gaps, sm.T), top, "numpy")
    d = np.arange(1, k, dtype=float)  # logits 0, -1, -2, ...
    for temperature in [0.1, 1.0, 10.0]:
        expected = xl.softmax(np.r_[0.0, -d] / temperature)[0]
        assert f(*d, temperature) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("k", [2, 3])
def test_entropy_derivative_in_temperature(k):
    identity = sm.entropy_temperature_derivative(k)
    assert identity.holds()
    # Against a central difference of xl.entropy(xl.softmax(z / T)).
    logits = sm.logit_symbols(k)
    f = sp.lambdify((*logits, sm.T), identity.rhs, "numpy")
    rng = np.random.default_rng(RNG_SEED - k)
    for _ in range(10):
        z = rng.normal(scale=2.0, size=k)
        t, h = rng.uniform(0.5, 3.0), 1e-5
        numeric = (xl.entropy(xl.softmax(z / (t + h)))
                   - xl.entropy(xl.softmax(z / (t - h)))) / (2 * h)
        assert f(*z, t) == pytest.approx(numeric, rel=1e-6, abs=1e-10)
        assert f(*z, t) >= 0


def test_sigmoid_is_two_class_softmax():
    assert sm.sigmoid_identity().holds()
    f = sp.lambdify(sm.a, sm.sigmoid_identity().rhs, "mpmath")
    with mpmath.workdps(50):
        for a in [-30.0, -2.5, 0.0, 0.7, 12.0]:
            reference = float(f(mpmath.mpf(a)))
            assert xl.sigmoid(a) == pytest.approx(reference, rel=1e-15)
            assert xl.softmax([a, 0.0])[0] == pytest.approx(reference,
                                                          rel=1e-14)


@pytest.mark.parametrize("k", [2, 4, 7])
def test_log_softmax_identity_matches_mpmath(k):
    rng = np.random.default_rng(RNG_SEED + 10 * k)
    logits = sm.logit_symbols(k)
    log_p1 = sm.log_softmax_identity().rhs.subs(sm.i, 1).subs(sm.K, k).doit()
    log_p1 = log_p1.subs({sm.z[r + 1]: logits[r] for r in range(k)})
    f = sp.lambdify(logits, log_p1, "mpmath")
    with mpmath.workdps(50):
        for _ in range(10):
            x = rng.normal(scale=20.0, size=k)
            reference = float(f(*[mpmath.mpf(float(v)) for v in x]))
            assert xl.log_softmax(x)[0] == pytest.approx(reference, rel=1e-14)


def test_rendering():
    assert sp.latex(sm.definition().lhs) == "p_{i}"
    assert r"\delta_{i j}" in sp.latex(sm.jacobian_entry())
    assert r"\sum_{k=1}^{K}" in sp.latex(sm.normaliser())


@pytest.mark.parametrize("n", [2, 3, 5])
def test_temperature_limits_state_their_values(n):
    # The right-hand sides are the claimed values 1 and 1/n, not SymPy's own
    # evaluation of the limit read back (a check that could not fail).
    cold, hot = sm.temperature_limits(n)
    assert (cold.rhs, hot.rhs) == (1, sp.Rational(1, n))
    assert cold.holds() and hot.holds()
    assert Identity(hot.lhs, sp.Rational(1, n + 1)).holds() is False
