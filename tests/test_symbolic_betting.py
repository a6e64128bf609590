"""Tests of xentlib.symbolic.betting (chapter 10's derivations).

Every identity must hold, and wrong variants must be rejected. The derived
expressions are lambdified and compared with independent references: the
optimum with scipy.optimize, the Taylor coefficients with mpmath's
``taylor`` (numerical differentiation at 30 digits), the horse-race
identities with a plain numpy evaluation at K = 3 and 5 and with
xentlib's numeric functions.
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import betting as bt


def test_every_identity_holds():
    for identity in [bt.log_wealth_per_bet(), bt.log_wealth_per_bet(bt.beta),
                     bt.growth_derivative(), bt.growth_derivative(bt.beta),
                     bt.growth_derivative_combined(),
                     bt.growth_second_derivative(),
                     bt.growth_second_derivative(bt.beta),
                     bt.optimal_growth(), bt.growth_as_cross_entropy(),
                     bt.doubling_rate_cross_entropy(), bt.fair_odds_kl(),
                     bt.regret_identity()]:
        assert identity.holds(), identity


def test_wrong_variants_are_rejected():
    g = bt.growth()
    assert not Identity(sp.diff(g, bt.f),
                        bt.p / (1 + bt.f) + (1 - bt.p) / (1 - bt.f)).holds()
    opt = bt.optimal_growth()
    assert not type(opt)(opt.lhs, sp.log(2) + bt.binary_entropy()).holds()
    ce = bt.growth_as_cross_entropy()
    assert not type(ce)(ce.lhs, -bt.binary_cross_entropy()).holds()
    regret = bt.regret_identity()
    swapped = sp.Sum(bt.bb[bt.i] * sp.log(bt.bb[bt.i] / bt.q[bt.i]),
                     (bt.i, 1, bt.K))
    assert not type(regret)(regret.lhs, swapped).holds()
    fair = bt.fair_odds_kl()
    assert not type(fair)(fair.lhs, -fair.rhs).holds()


def test_horse_race_identities_are_for_symbolic_k():
    for identity in [bt.doubling_rate_cross_entropy(), bt.fair_odds_kl(),
                     bt.regret_identity()]:
        assert identity.lhs.has(bt.K)


def test_kelly_solution_even_and_general_odds():
    assert sp.simplify(bt.kelly_solution() - (2 * bt.p - 1)) == 0
    general = bt.kelly_solution(bt.beta)
    assert sp.simplify(general - (bt.p - (1 - bt.p) / bt.beta)) == 0
    # The derivative vanishes there.
    assert sp.simplify(sp.diff(bt.growth(odds=bt.beta), bt.f)
                       .subs(bt.f, general)) == 0


@pytest.mark.parametrize("p, odds", [(0.6, 1), (0.8, 1), (0.35, 3),
                                     (0.55, 1.5)])
def test_kelly_solution_is_scipys_optimum(p, odds):
    expr = bt.kelly_solution(bt.beta).subs({bt.p: p, bt.beta: odds})

    def minus_growth(f):
        return -(p * math.log(1 + odds * f) + (1 - p) * math.log(1 - f))

    best = optimize.minimize_scalar(minus_growth, bounds=(0, 1 - 1e-9),
                                    method="bounded",
                                    options={"xatol": 1e-10})
    assert float(expr) == pytest.approx(best.x, abs=1e-7)


def test_lambdified_growth_matches_xentlib():
    g = sp.lambdify((bt.f, bt.p, bt.beta), bt.growth(odds=bt.beta), "numpy")
    rng = np.random.default_rng(101)
    f, p, odds = rng.uniform(0, 0.99, 100), rng.uniform(0.01, 0.99, 100), \
        rng.uniform(0.2, 5, 100)
    np.testing.assert_allclose(g(f, p, odds), xl.growth_rate(f, p, odds),
                               rtol=1e-12, atol=1e-15)


def test_optimal_growth_in_bits_is_one_minus_binary_entropy():
    expr = sp.lambdify(bt.p, bt.optimal_growth().rhs / sp.log(2), "numpy")
    p = np.linspace(0.51, 0.99, 9)
    np.testing.assert_allclose(expr(p), 1 - xl.binary_entropy(p, base=2),
                               rtol=1e-12)


def test_expected_wealth_factor_is_linear_and_largest_at_one():
    factor = bt.expected_wealth_factor()
    assert sp.diff(factor, bt.f, 2) == 0
    assert sp.diff(factor, bt.f) == 2 * bt.p - 1


@pytest.mark.parametrize("p", [0.55, 0.6, 0.8])
def test_growth_series_matches_mpmath_taylor(p):
    mpmath.mp.dps = 30
    p_mp = mpmath.mpf(str(p))  # the decimal p, as the Rational below
    coefficients = mpmath.taylor(
        lambda f: p_mp * mpmath.log(1 + f) + (1 - p_mp) * mpmath.log(1 - f),
        0, 4)
    series = bt.growth_series(5).removeO().subs(bt.p, sp.Rational(str(p)))
    for power in range(5):
        exact = series.coeff(bt.f, power)
        assert abs(mpmath.mpf(sp.N(exact, 30)) - coefficients[power]) < 1e-20


def test_quadratic_part_vanishes_at_twice_kelly():
    quadratic = bt.growth_series(3).removeO()
    roots = sp.solve(quadratic, bt.f)
    assert set(roots) == {0, 2 * (2 * bt.p - 1)}


@pytest.mark.parametrize("k", [3, 5])
def test_horse_race_identities_numerically(k):
    rng = np.random.default_rng(k)
    q, b, r = (rng.dirichlet(np.ones(k)) for _ in range(3))
    values = {}
    for index in range(k):
        values[bt.q[index + 1]] = q[index]
        values[bt.bb[index + 1]] = b[index]
        values[bt.r[index + 1]] = r[index]
        values[bt.o[index + 1]] = 1 / r[index]
    fair = bt.fair_odds_kl()
    lhs = float(fair.lhs.subs(bt.K, k).doit().subs(values))
    rhs = float(fair.rhs.subs(bt.K, k).doit().subs(values))
    direct = float(np.sum(q * np.log(b / r)))
    assert lhs == pytest.approx(direct, rel=1e-12)
    assert rhs == pytest.approx(direct, rel=1e-12)
    assert lhs == pytest.approx(xl.doubling_rate(b, q, 1 / r), rel=1e-12)
    regret = float(bt.regret_identity().rhs.subs(bt.K, k).doit()
                   .subs(values))
    assert regret == pytest.approx(xl.kl_divergence(q, b), rel=1e-12)
