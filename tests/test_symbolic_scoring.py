"""Tests of xentlib.symbolic.scoring (chapter 9's derivations).

The identities must hold and their wrong variants must be rejected; concrete
forms are evaluated and compared with xentlib's numpy functions (Brier score,
cross-entropy, KL divergence, temperature NLL and its derivative) and with
central finite differences, none of which share code with the derivations.
"""

import itertools

import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import scoring as sc

RNG_SEED = 20260919


def test_general_identities_hold_for_symbolic_k():
    for make in [sc.log_score_expectation, sc.log_score_excess,
                 sc.temperature_derivative, sc.beta_second_derivative]:
        identity = make()
        assert identity.lhs.has(sc.K)
        assert identity.holds()


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_brier_excess_for_concrete_k(n):
    assert sc.brier_excess_holds(n)
    minimum = sc.brier_minimum(n)
    difference = sc._on_simplex(minimum.lhs - minimum.rhs, n)
    assert sp.expand(difference) == 0


def test_wrong_variants_are_rejected():
    excess = sc.log_score_excess()
    # the reverse KL is a common slip
    reverse = sp.Sum(sc.p[sc.i] * sp.log(sc.p[sc.i] / sc.q[sc.i]),
                     (sc.i, 1, sc.K))
    assert not Identity(excess.lhs, reverse).holds()
    # (SymPy's simplify trips over some of the sign-flipped sums, so the
    # temperature variants are evaluated at K = 3 on numbers instead.)
    values = {sc.z[1]: 1.5, sc.z[2]: -0.5, sc.z[3]: 0.25, sc.T: 0.7,
              sc.beta: 1.3}
    derivative = sc.temperature_derivative(3)
    second = sc.beta_second_derivative(3)
    for lhs, rhs in [(derivative.lhs, -derivative.rhs),
                     (derivative.lhs, derivative.rhs * sc.T),
                     (second.lhs, -second.rhs)]:
        assert abs(float((lhs - rhs).subs(sc.y, 1).doit().subs(values))) > 1e-3
    for identity in [derivative, second]:
        difference = (identity.lhs - identity.rhs).subs(sc.y, 1).doit()
        value = float(difference.subs(values))
        assert abs(value) < 1e-12
    # Brier excess without the square, or with a factor 2, is wrong
    wrong = sc.brier_excess(3)
    for rhs in [sp.Sum(sc.p[sc.i] - sc.q[sc.i], (sc.i, 1, 3)),
                2 * wrong.rhs]:
        diff = sc._on_simplex(wrong.lhs - rhs, 3)
        assert sp.expand(diff) != 0
    assert not Identity(sc.linear_binary_derivative().lhs,
                        1 - 2 * sc.q[1]).holds()


@pytest.mark.parametrize("n", [2, 3, 4])
def test_log_score_minimiser_is_the_truth_only(n):
    solutions = sc.log_score_minimiser(n)
    assert solutions == [{sc.p[j]: sc.q[j] for j in range(1, n)}]


def _numeric(expr, n, values):
    return float(expr.subs(sc.K, n).doit().subs(values))


@pytest.mark.parametrize("n", [2, 3, 5])
def test_expected_scores_match_xentlib(n):
    rng = np.random.default_rng(RNG_SEED + n)
    q = rng.dirichlet(np.ones(n))
    p = rng.dirichlet(np.ones(n))
    values = {**{sc.q[j + 1]: q[j] for j in range(n)},
              **{sc.p[j + 1]: p[j] for j in range(n)}}
    log_expected = _numeric(sc.log_score_expectation(n).lhs, n, values)
    assert log_expected == pytest.approx(xl.cross_entropy(q, p), rel=1e-12)
    assert _numeric(sc.log_score_excess(n).lhs, n, values) == pytest.approx(
        xl.kl_divergence(q, p), rel=1e-10)
    brier = sc.expected_score(lambda f, idx: sc.brier_score(f, idx, n), n=n)
    by_xentlib = sum(q[c] * xl.brier_score(p, c) for c in range(n))
    assert _numeric(brier, n, values) == pytest.approx(by_xentlib,
                                                       rel=1e-12)


def test_brier_bounds_enclose_random_forecasts():
    rng = np.random.default_rng(RNG_SEED)
    for n in [2, 3, 10]:
        lower, upper = (sp.lambdify(sc.t, b) for b in sc.brier_bounds(n))
        for _ in range(200):
            p = rng.dirichlet(np.full(n, 0.3))
            score = xl.brier_score(p, 0)
            assert lower(p[0]) - 1e-12 <= score <= upper(p[0]) + 1e-12
        # attained: equal split and all on one other class
        tt = 0.3
        equal = np.r_[tt, np.full(n - 1, (1 - tt) / (n - 1))]
        one = np.r_[tt, 1 - tt, np.zeros(n - 2)]
        assert xl.brier_score(equal, 0) == pytest.approx(lower(tt))
        assert xl.brier_score(one, 0) == pytest.approx(upper(tt))


def test_linear_score_is_maximised_at_a_vertex():
    # Brute force over a grid of the 3-class simplex.
    q = np.array([0.5, 0.3, 0.2])
    expr = sp.lambdify([sc.p[1], sc.p[2], sc.p[3]],
                       sc.linear_score_expectation(3).doit().subs(
                           {sc.q[1]: q[0], sc.q[2]: q[1], sc.q[3]: q[2]}))
    grid = [(a / 50, b / 50, 1 - (a + b) / 50)
            for a, b in itertools.product(range(51), repeat=2) if a + b <= 50]
    best = max(grid, key=lambda f: expr(*f))
    assert best == (1.0, 0.0, 0.0)
    assert expr(*q) < expr(*best)


def test_temperature_derivative_matches_numpy_and_differences():
    rng = np.random.default_rng(RNG_SEED + 1)
    n = 4
    logits = rng.normal(scale=2.0, size=n)
    label = 2
    subs = {sc.z[j + 1]: logits[j] for j in range(n)}
    nll = sp.lambdify(sc.T, sc.temperature_nll(n).subs(sc.y, label + 1)
                      .doit().subs(subs))
    grad = sp.lambdify(sc.T, sc.temperature_derivative(n).rhs
                       .subs(sc.y, label + 1).doit().subs(subs))
    for temperature in [0.4, 1.0, 3.0]:
        assert nll(temperature) == pytest.approx(
            xl.temperature_nll([logits], [label], temperature), rel=1e-12)
        assert grad(temperature) == pytest.approx(
            xl.temperature_nll_grad([logits], [label], temperature),
            rel=1e-10)
        h = 1e-6
        assert grad(temperature) == pytest.approx(
            (nll(temperature + h) - nll(temperature - h)) / (2 * h),
            rel=1e-6)


def test_beta_second_derivative_is_the_variance_and_non_negative():
    rng = np.random.default_rng(RNG_SEED + 2)
    n = 3
    for _ in range(5):
        logits = rng.normal(scale=3.0, size=n)
        subs = {sc.z[j + 1]: logits[j] for j in range(n)}
        second = sp.lambdify(sc.beta, sc.beta_second_derivative(n).rhs
                             .doit().subs(subs))
        for b in [0.1, 1.0, 4.0]:
            probs = xl.softmax(b * logits)
            variance = np.sum(probs * (logits - probs @ logits) ** 2)
            assert second(b) == pytest.approx(variance, rel=1e-9)
            assert second(b) >= 0
