"""Tests of xentlib.symbolic.proper_scores (chapter 9's theory of proper scores).

Each identity must hold and a wrong variant of it must be refuted; concrete
forms are evaluated on numbers and compared with xentlib's numpy functions
(Brier score, KL divergence, entropy) and with brute-force searches of the
simplex, none of which share code with the derivations.
"""

import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import proper_scores as ps

RNG_SEED = 20261204


@pytest.mark.parametrize(
    "make",
    [
        ps.representation,
        ps.log_score_from_entropy,
        ps.log_entropy_at_truth,
        ps.log_divergence,
        ps.gini_score_from_entropy,
        ps.gini_divergence,
        ps.local_stationarity,
    ],
)
def test_identities_hold_for_symbolic_k(make):
    identity = make()
    assert identity.holds()
    assert identity.status == "proved for symbolic K"


def test_one_variable_identities_hold():
    for identity in [
        ps.local_ode_check(),
        ps.log_score_is_local_solution(),
        ps.log_score_sum(),
        ps.brier_decomposition(),
    ]:
        assert identity.holds()
    assert ps.log_score_sum().status == "proved for symbolic N"
    assert ps.brier_decomposition().status == "proved for symbolic M"


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_brier_is_the_gini_score_for_concrete_k(n):
    assert ps.brier_from_entropy_holds(n)
    for outcome in range(1, n + 1):
        assert ps.brier_expansion(n, outcome).holds()


def test_wrong_variants_are_refuted():
    q_dist = ps.normalised(ps.q, ps.i, ps.K, name="q")
    # the representation without the -sum p_j grad_j term
    expected = sp.Sum(ps.q[ps.i] * (ps.G_p + ps.grad_G[ps.i]), (ps.i, 1, ps.K))
    assert not Identity(expected, ps.G_q + ps.general_divergence(), (q_dist,)).holds()
    # the divergence with the arguments of the gradient swapped
    assert not Identity(
        ps.representation().lhs, ps.G_p + ps.general_divergence(), (q_dist,)
    ).holds()
    # the log divergence is KL(q || p), not KL(p || q)
    reverse = sp.Sum(ps.p[ps.i] * sp.log(ps.p[ps.i] / ps.q[ps.i]), (ps.i, 1, ps.K))
    right = ps.log_divergence()
    assert not Identity(right.lhs, reverse, right.hypotheses).holds()
    # the Gini divergence has no factor 2
    gini = ps.gini_divergence()
    assert not Identity(gini.lhs, 2 * gini.rhs).holds()
    # the decomposition with resolution added instead of subtracted
    murphy = ps.brier_decomposition()
    reliability, resolution = (
        sp.Sum(
            ps.w[ps.k] * (ps.forecast_k[ps.k] - ps.frequency_k[ps.k]) ** 2,
            (ps.k, 1, ps.M),
        ),
        sp.Sum(
            ps.w[ps.k] * (ps.frequency_k[ps.k] - ps.frequency) ** 2, (ps.k, 1, ps.M)
        ),
    )
    plus = reliability + resolution + ps.frequency * (1 - ps.frequency)
    assert not Identity(murphy.lhs, plus, murphy.hypotheses).holds()


def test_log_score_needs_a_normalised_forecast():
    """Without sum p = 1 the Shannon entropy's score is -log p_y - 1 + sum p."""
    identity = ps.log_score_from_entropy()
    unnormalised = Identity(identity.lhs, identity.rhs, (ps.index_range(ps.y, ps.K),))
    assert not unnormalised.holds()


def _dirichlet(rng, n):
    return rng.dirichlet(np.ones(n))


def _numeric(expr, n, forecast, truth=None, outcome=None):
    values = {ps.p[m + 1]: forecast[m] for m in range(n)}
    if truth is not None:
        values.update({ps.q[m + 1]: truth[m] for m in range(n)})
    if outcome is not None:
        expr = expr.subs(ps.y, outcome + 1)
    return float(expr.subs(ps.K, n).doit().subs(values))


@pytest.mark.parametrize("n", [2, 3, 7])
def test_scores_and_divergences_against_xentlib(n):
    rng = np.random.default_rng(RNG_SEED + n)
    for _ in range(5):
        p_num, q_num = _dirichlet(rng, n), _dirichlet(rng, n)
        outcome = int(rng.integers(n))
        gini_score = ps.score_from_entropy(ps.gini_term, ps.y)
        assert _numeric(gini_score, n, p_num, outcome=outcome) == pytest.approx(
            xl.brier_score(p_num, outcome), rel=1e-12
        )
        log_score = ps.score_from_entropy(ps.shannon_term, ps.y)
        assert _numeric(log_score, n, p_num, outcome=outcome) == pytest.approx(
            -np.log(p_num[outcome]), rel=1e-12, abs=1e-12
        )
        log_div = ps.bregman_divergence(ps.shannon_term)
        assert _numeric(log_div, n, p_num, q_num) == pytest.approx(
            xl.kl_divergence(q_num, p_num), rel=1e-10
        )
        gini_div = ps.bregman_divergence(ps.gini_term)
        assert _numeric(gini_div, n, p_num, q_num) == pytest.approx(
            np.sum((p_num - q_num) ** 2), rel=1e-10
        )
        entropy = ps.generalised_entropy(ps.shannon_term, ps.q)
        assert _numeric(entropy, n, p_num, q_num) == pytest.approx(
            xl.entropy(q_num), rel=1e-12
        )


def test_expected_score_is_entropy_plus_divergence_numerically():
    """Both instances of the representation, from the scores' definitions."""
    rng = np.random.default_rng(RNG_SEED)
    for n in [3, 5]:
        p_num, q_num = _dirichlet(rng, n), _dirichlet(rng, n)
        briers = [xl.brier_score(p_num, m) for m in range(n)]
        assert q_num @ briers == pytest.approx(
            np.sum(q_num * (1 - q_num)) + np.sum((p_num - q_num) ** 2)
        )
        assert q_num @ -np.log(p_num) == pytest.approx(
            xl.entropy(q_num) + xl.kl_divergence(q_num, p_num)
        )


def test_local_quadratic_score_is_not_proper_for_three_classes():
    best = ps.local_quadratic_minimiser(3)
    truth = {
        ps.q[1]: sp.Rational(1, 2),
        ps.q[2]: sp.Rational(3, 10),
        ps.q[3]: sp.Rational(1, 5),
    }
    point = [best[ps.p[m]].subs(truth) for m in (1, 2, 3)]
    assert point == [sp.Rational(19, 31), sp.Rational(11, 31), sp.Rational(1, 31)]
    # brute force on a grid of the simplex, independent of the Lagrangian
    q_num = np.array([0.5, 0.3, 0.2])
    grid = np.linspace(0, 1, 621)
    p1, p2 = np.meshgrid(grid, grid)
    p3 = 1 - p1 - p2
    inside = p3 >= -1e-12
    expected = (
        q_num[0] * (1 - p1) ** 2 + q_num[1] * (1 - p2) ** 2 + q_num[2] * (1 - p3) ** 2
    )
    expected[~inside] = np.inf
    row, col = np.unravel_index(np.argmin(expected), expected.shape)
    found = np.array([p1[row, col], p2[row, col]])
    assert np.allclose(found, [19 / 31, 11 / 31], atol=2e-3)
    honest = float(np.sum(q_num * (1 - q_num) ** 2))
    assert expected[row, col] < honest - 1e-3


def test_two_class_minimiser_is_the_truth():
    best = ps.local_quadratic_minimiser(2)
    on_simplex = {ps.q[2]: 1 - ps.q[1]}
    assert sp.simplify(best[ps.p[1]].subs(on_simplex) - ps.q[1]) == 0


def test_binary_brier_is_local_and_three_class_brier_is_not():
    assert all(check.holds() for check in ps.binary_brier_is_local())
    # K = 3: two forecasts giving the label the same probability, different
    # Brier scores: the Brier score is not local
    assert xl.brier_score([0.5, 0.25, 0.25], 0) != pytest.approx(
        xl.brier_score([0.5, 0.5, 0.0], 0)
    )
    # the quadratic f fails the K = 2 condition when squared differently
    assert not ps.binary_local_condition(lambda v: (1 - v) ** 3).holds()


def test_local_solution_is_the_log():
    solution = ps.local_ode_solution()
    constant = sp.Symbol("C1")
    assert sp.simplify(solution.rhs - (ps.c * sp.log(ps.x) + constant)) == 0


def test_brier_decomposition_on_numbers():
    """Murphy's identity summed over the classes, with exact fractions."""
    from fractions import Fraction as F

    weights = [F(1, 5), F(1, 2), F(3, 10)]
    forecasts = [[F(1, 10), F(9, 10)], [F(1, 2), F(1, 2)], [F(4, 5), F(1, 5)]]
    frequencies = [[F(0), F(1)], [F(2, 5), F(3, 5)], [F(2, 3), F(1, 3)]]
    mean = sum(
        w * sum(f * f - 2 * f * o + o for f, o in zip(fk, ok))
        for w, fk, ok in zip(weights, forecasts, frequencies)
    )
    overall = [sum(w * ok[m] for w, ok in zip(weights, frequencies)) for m in range(2)]
    reliability = sum(
        w * sum((f - o) ** 2 for f, o in zip(fk, ok))
        for w, fk, ok in zip(weights, forecasts, frequencies)
    )
    resolution = sum(
        w * sum((o - b) ** 2 for o, b in zip(ok, overall))
        for w, ok in zip(weights, frequencies)
    )
    uncertainty = sum(b * (1 - b) for b in overall)
    assert mean == reliability - resolution + uncertainty
