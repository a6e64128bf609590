"""Tests of xentlib.symbolic.errata (chapter 12's checks).

Each correct statement must hold and each claimed-wrong one must fail, and
the failure is confirmed at a concrete point (so that "SymPy could not
simplify" is never mistaken for "false"). Optima are compared with a dense
numerical search or with scipy's bounded scalar minimiser, and the one-hot
loss with xentlib's softmax cross-entropy and mpmath.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import xentlib as xl
from xentlib.symbolic import errata as er

RNG_SEED = 20261130


def _random_pair(rng, k):
    return rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))


@pytest.mark.parametrize("n", [2, 3, 4])
def test_decomposition_sign(n):
    assert er.decomposition_correct(n).holds()
    claimed = er.decomposition_claimed(n)
    assert not claimed.holds()
    # at a concrete point the two sides differ by 2 H(q) (numpy reference)
    rng = np.random.default_rng(RNG_SEED + n)
    q, p = _random_pair(rng, n)
    qs, ps = er.distribution_symbols(n)
    point = dict(zip(qs, q)) | dict(zip(ps, p))
    gap = float((claimed.lhs - claimed.rhs).subs(point))
    assert gap == pytest.approx(2 * xl.entropy(q), rel=1e-12)
    assert float(claimed.lhs.subs(point)) == pytest.approx(
        xl.cross_entropy(q, p), rel=1e-12)


def test_distribution_symbols_rejects_bad_n():
    with pytest.raises(ValueError, match="n must be"):
        er.distribution_symbols(1)
    with pytest.raises(ValueError, match="n must be"):
        er.one_hot_loss(2.0)


def test_entropy_term_maximiser_matches_grid():
    assert er.entropy_term_maximiser().holds()
    grid = np.linspace(1e-6, 1, 1_000_001)
    best = grid[np.argmax(-grid * np.log(grid))]
    assert best == pytest.approx(float(mpmath.e ** -1), abs=2e-6)


def test_bce_misprint_rewards_wrong_prediction():
    assert er.bce_misprint_slope().holds()
    for y_value in [0.0, 1.0, 0.3]:
        for p_value in [0.1, 0.5, 0.9]:
            correct = float(er.bce_correct().subs(
                {er.target: y_value, er.yhat: p_value}))
            assert correct == pytest.approx(
                xl.binary_cross_entropy(p_value, y_value), rel=1e-12)
    misprint = sp.lambdify(er.yhat, er.bce_misprint().subs(er.target, 0))
    values = misprint(np.array([0.1, 0.5, 0.99]))
    assert np.all(np.diff(values) < 0)


@pytest.mark.parametrize("q_value", [0.1, 0.35, 0.8])
def test_brier_minimiser_numerically(q_value):
    assert er.brier_minimiser().holds()
    result = minimize_scalar(
        lambda v: q_value * (1 - v) ** 2 + (1 - q_value) * v ** 2,
        bounds=(0, 1), method="bounded", options={"xatol": 1e-10})
    assert result.x == pytest.approx(q_value, abs=1e-7)


@pytest.mark.parametrize("p_value", [0.55, 0.6, 0.9])
def test_kelly_maximisers_numerically(p_value):
    assert er.kelly_stake_maximiser().holds()
    assert er.kelly_split_maximiser().holds()
    stake = minimize_scalar(
        lambda a: -(p_value * np.log1p(a) + (1 - p_value) * np.log1p(-a)),
        bounds=(0, 0.999), method="bounded", options={"xatol": 1e-10})
    split = minimize_scalar(
        lambda a: -(p_value * np.log(a) + (1 - p_value) * np.log1p(-a)),
        bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10})
    assert stake.x == pytest.approx(2 * p_value - 1, abs=1e-6)
    assert split.x == pytest.approx(p_value, abs=1e-6)


def test_wrong_maximisers_are_rejected():
    stake = er.kelly_stake_maximiser()
    assert not er.Identity(stake.lhs, er.prob).holds()
    split = er.kelly_split_maximiser()
    assert not er.Identity(split.lhs, 2 * er.prob - 1).holds()


@pytest.mark.parametrize("n", [2, 3, 5])
def test_one_hot_loss_against_xentlib_and_mpmath(n):
    identity, z = er.one_hot_loss(n)
    assert identity.holds()
    rng = np.random.default_rng(RNG_SEED)
    logits = rng.normal(scale=3, size=n)
    value = float(sp.log(identity.rhs).subs(dict(zip(z, logits))))
    assert value == pytest.approx(
        xl.softmax_cross_entropy(logits, 0), rel=1e-12)
    with mpmath.workdps(50):
        exact = -mpmath.log(mpmath.exp(logits[0])
                            / mpmath.fsum(mpmath.exp(v) for v in logits))
    assert value == pytest.approx(float(exact), rel=1e-12)
    assert value > 0


def test_erratum_validation():
    with pytest.raises(ValueError, match="verdict must be one of"):
        er.Erratum("t", "c", "false", "e", "w")
    with pytest.raises(TypeError, match="claim must be a str"):
        er.Erratum("t", 3, "wrong", "e", "w")


def test_summary_table():
    rows = [er.Erratum("t", "a | b", "wrong", "x", "ch 1"),
            er.Erratum("t", "c", "true", "y", "ch 2")]
    table = er.summary_table(rows).splitlines()
    assert table[0] == "| # | Claim | Verdict | Check | Where |"
    assert table[2] == r"| 1 | a \| b | wrong | x | ch 1 |"
    assert table[3].startswith("| 2 | c | true |")
    with pytest.raises(ValueError, match="must not be empty"):
        er.summary_table([])
    with pytest.raises(TypeError, match="Erratum objects"):
        er.summary_table(["row"])
