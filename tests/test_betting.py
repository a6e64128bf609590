"""Tests of xentlib.betting (chapter 10, The gambler).

References are independent of the code under test: the optimum of the
growth rate is found by scipy.optimize on a plain ``math.log`` formula; the
growth and doubling rates are recomputed with mpmath at 50 digits; the
simulated wealth is compared with its exact law (the number of wins is
binomial, so the mean and variance of the log-wealth and of the wealth
itself are known in closed form). Monte Carlo comparisons allow five
standard errors, computed from the exact variance: a false failure has a
probability below 1e-6 per comparison, and the seeds are fixed anyway.
"""

import math

import mpmath
import numpy as np
import pytest
from scipy import optimize, stats

import xentlib as xl

mpmath.mp.dps = 50
RNG_SEED = 20261010


def mp_growth(f, p, odds=1.0):
    """p log(1 + b f) + (1 - p) log(1 - f) at 50 digits (0 log 0 = 0)."""
    f, p, odds = mpmath.mpf(f), mpmath.mpf(p), mpmath.mpf(odds)
    win = p * mpmath.log(1 + odds * f) if p > 0 else 0
    lose = (1 - p) * mpmath.log(1 - f) if p < 1 else 0
    return win + lose


# --- kelly_fraction ----------------------------------------------------------


@pytest.mark.parametrize("p, odds", [(0.55, 1.0), (0.6, 1.0), (0.9, 1.0),
                                     (0.3, 4.0), (0.5, 2.0), (0.7, 0.8)])
def test_kelly_fraction_maximises_the_growth_found_by_scipy(p, odds):
    def minus_growth(f):
        return -(p * math.log(1 + odds * f) + (1 - p) * math.log(1 - f))

    best = optimize.minimize_scalar(minus_growth, bounds=(0, 1 - 1e-9),
                                    method="bounded",
                                    options={"xatol": 1e-10})
    assert xl.kelly_fraction(p, odds) == pytest.approx(best.x, abs=1e-7)


@pytest.mark.parametrize("p, odds", [(0.5, 1.0), (0.4, 1.0), (0.2, 3.0),
                                     (0.0, 1.0)])
def test_no_edge_no_bet(p, odds):
    # p b <= 1 - p: the growth rate only falls as f grows from 0.
    assert xl.kelly_fraction(p, odds) == 0
    assert mp_growth(0.01, p, odds) < 0


def test_kelly_fraction_even_odds_is_2p_minus_1_and_vectorised():
    p = np.array([0.5, 0.6, 0.75, 1.0])
    np.testing.assert_allclose(xl.kelly_fraction(p), [0, 0.2, 0.5, 1.0],
                               rtol=0, atol=1e-15)
    assert xl.kelly_fraction(p, np.ones(4)).shape == (4,)
    assert isinstance(xl.kelly_fraction(0.6), float)


# --- growth_rate -------------------------------------------------------------


@pytest.mark.parametrize("odds", [1.0, 2.5])
def test_growth_rate_matches_mpmath(odds):
    rng = np.random.default_rng(RNG_SEED)
    f = rng.uniform(0, 0.999, 200)
    p = rng.uniform(0, 1, 200)
    got = xl.growth_rate(f, p, odds)
    expected = np.array([float(mp_growth(fi, pi, odds))
                         for fi, pi in zip(f, p)])
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-16)


def test_growth_rate_small_fractions_keep_their_digits():
    # log1p: at f = 1e-12 the growth is about (2p - 1) f, far below eps.
    f = 1e-12
    got = xl.growth_rate(f, 0.6)
    assert got == pytest.approx(float(mp_growth(f, 0.6)), rel=1e-12)


def test_growth_rate_edges():
    assert xl.growth_rate(1.0, 0.6) == -np.inf        # one loss is ruin
    assert xl.growth_rate(1.0, 1.0) == pytest.approx(math.log(2))
    assert xl.growth_rate(0.0, 0.3) == 0.0
    assert xl.growth_rate(0.5, 0.0) == pytest.approx(math.log(0.5))
    assert xl.growth_rate(0.2, 0.6, base=2) == pytest.approx(
        float(mp_growth(0.2, 0.6) / mpmath.log(2)), rel=1e-14)


def test_growth_at_kelly_is_log2_minus_binary_entropy():
    p = np.linspace(0.5, 0.99, 11)
    np.testing.assert_allclose(
        xl.growth_rate(xl.kelly_fraction(p), p),
        [float(mpmath.log(2) + mpmath.mpf(x) * mpmath.log(x)
               + (1 - mpmath.mpf(x)) * mpmath.log(1 - mpmath.mpf(x)))
         for x in p], rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("call, message", [
    (lambda: xl.growth_rate(1.5, 0.6), "f must be a fraction"),
    (lambda: xl.growth_rate(-0.1, 0.6), "f must be a fraction"),
    (lambda: xl.growth_rate(float("nan"), 0.6), "f contains NaN"),
    (lambda: xl.growth_rate(0.2, 1.2), "p contains probabilities above 1"),
    (lambda: xl.growth_rate(0.2, 0.6, 0.0), "odds must be positive"),
    (lambda: xl.growth_rate(0.2, 0.6, np.inf), "odds must be finite"),
    (lambda: xl.growth_rate(0.2, 0.6, base=1),
     "base must be finite, positive and not 1"),
    (lambda: xl.kelly_fraction(-0.1), "p contains negative"),
    (lambda: xl.kelly_fraction(0.6, -1.0), "odds must be positive"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="f must contain real numbers"):
        xl.growth_rate("half", 0.6)
    with pytest.raises(TypeError, match="base"):
        xl.growth_rate(0.2, 0.6, base="2")


# --- simulate_wealth ---------------------------------------------------------


def test_simulate_wealth_shape_start_and_determinism():
    paths = xl.simulate_wealth(0.6, 0.2, 50, 7, np.random.default_rng(1))
    assert paths.shape == (7, 51)
    assert np.all(paths[:, 0] == 0)
    again = xl.simulate_wealth(0.6, 0.2, 50, 7, np.random.default_rng(1))
    np.testing.assert_array_equal(paths, again)
    wealth = xl.simulate_wealth(0.6, 0.2, 50, 7, np.random.default_rng(1),
                                log=False)
    np.testing.assert_allclose(wealth, np.exp(paths), rtol=1e-15)


def test_each_step_is_a_win_or_a_loss_factor():
    odds, f = 2.0, 0.3
    paths = xl.simulate_wealth(0.4, f, 30, 5, np.random.default_rng(2),
                               odds=odds, log=False)
    ratios = paths[:, 1:] / paths[:, :-1]
    on_win = np.isclose(ratios, 1 + odds * f, rtol=1e-12)
    on_loss = np.isclose(ratios, 1 - f, rtol=1e-12)
    assert np.all(on_win ^ on_loss)


def test_number_of_wins_is_binomial():
    p, f, n, paths = 0.6, 0.2, 20, 20000
    log_w = xl.simulate_wealth(p, f, n, paths, np.random.default_rng(3))[:, -1]
    # log W_n = k log(1 + f) + (n - k) log(1 - f): solve for k.
    up, down = math.log1p(f), math.log1p(-f)
    wins = np.rint((log_w - n * down) / (up - down)).astype(int)
    frequencies = np.bincount(wins, minlength=n + 1) / paths
    pmf = stats.binom.pmf(np.arange(n + 1), n, p)
    tolerance = 5 * np.sqrt(pmf * (1 - pmf) / paths) + 1e-12
    assert np.all(np.abs(frequencies - pmf) <= tolerance)


@pytest.mark.parametrize("f", [0.1, 0.2, 0.4])
def test_mean_log_wealth_is_n_times_the_growth_rate(f):
    p, n, paths = 0.6, 200, 4000
    log_w = xl.simulate_wealth(p, f, n, paths, np.random.default_rng(4))[:, -1]
    # Exact: E log W_n = n g(f); Var = n p (1 - p) (log(1+f) - log(1-f))^2.
    mean = n * float(mp_growth(f, p))
    sd = math.sqrt(n * p * (1 - p)) * (math.log1p(f) - math.log1p(-f))
    assert abs(log_w.mean() - mean) <= 5 * sd / math.sqrt(paths)


def test_mean_wealth_is_the_exact_expectation():
    p, f, n, paths = 0.6, 0.5, 6, 200000
    w = xl.simulate_wealth(p, f, n, paths, np.random.default_rng(5),
                           log=False)[:, -1]
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p)
    values = (1 + f) ** k * (1 - f) ** (n - k)
    mean = np.sum(pmf * values)
    assert mean == pytest.approx((1 + f * (2 * p - 1)) ** n, rel=1e-12)
    sd = math.sqrt(np.sum(pmf * values ** 2) - mean ** 2)
    assert abs(w.mean() - mean) <= 5 * sd / math.sqrt(paths)


def test_betting_everything_is_ruin_unless_every_bet_wins():
    p, n, paths = 0.6, 8, 50000
    w = xl.simulate_wealth(p, 1.0, n, paths, np.random.default_rng(6),
                           log=False)[:, -1]
    survive = p ** n
    assert np.all((w == 0) | np.isclose(w, 2.0 ** n, rtol=1e-14))
    assert abs(np.mean(w > 0) - survive) <= 5 * math.sqrt(
        survive * (1 - survive) / paths)


def test_simulate_wealth_validation():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_bets"):
        xl.simulate_wealth(0.6, 0.2, -1, 3, rng)
    with pytest.raises(ValueError, match="n_paths"):
        xl.simulate_wealth(0.6, 0.2, 5, 0, rng)
    with pytest.raises(TypeError, match="n_bets"):
        xl.simulate_wealth(0.6, 0.2, 5.0, 3, rng)
    with pytest.raises(TypeError, match="rng"):
        xl.simulate_wealth(0.6, 0.2, 5, 3, 42)
    with pytest.raises(ValueError, match="f must be"):
        xl.simulate_wealth(0.6, 1.2, 5, 3, rng)
    assert xl.simulate_wealth(0.6, 0.2, 0, 3, rng).shape == (3, 1)


# --- the horse race ----------------------------------------------------------


def mp_doubling_rate(b, q, odds):
    return sum(mpmath.mpf(qi) * mpmath.log(mpmath.mpf(bi) * mpmath.mpf(oi))
               for bi, qi, oi in zip(b, q, odds) if qi > 0)


def test_doubling_rate_matches_mpmath():
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(50):
        q, b = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
        odds = rng.uniform(1.5, 8, 4)
        got = xl.doubling_rate(b, q, odds)
        assert got == pytest.approx(float(mp_doubling_rate(b, q, odds)),
                                    rel=1e-12, abs=1e-15)
        assert xl.doubling_rate(b, q, odds, base=2) == pytest.approx(
            got / math.log(2), rel=1e-14)


def test_fair_odds_give_kl_minus_kl_and_b_equal_q_is_best():
    rng = np.random.default_rng(RNG_SEED + 1)
    for _ in range(50):
        q, b, r = (rng.dirichlet(np.ones(5)) for _ in range(3))
        odds = 1 / r
        expected = mp_doubling_rate(q, q, odds) - sum(
            mpmath.mpf(qi) * mpmath.log(mpmath.mpf(qi) / mpmath.mpf(bi))
            for qi, bi in zip(q, b))
        assert xl.doubling_rate(b, q, odds) == pytest.approx(
            float(expected), rel=1e-10, abs=1e-13)
        assert xl.doubling_rate(b, q, odds) <= xl.doubling_rate(q, q, odds)


def test_doubling_rate_batches_and_zero_conventions():
    q = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
    b = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    odds = np.full((2, 3), 3.0)
    got = xl.doubling_rate(b, q, odds)
    assert got.shape == (2,)
    assert got[0] == pytest.approx(math.log(1.5))   # q = 0 terms vanish
    assert got[1] == -np.inf                        # q > 0, b = 0: ruin


def test_race_log_wealth_follows_the_product_of_payoffs():
    b, odds = np.array([0.5, 0.3, 0.2]), np.array([2.0, 4.0, 5.0])
    winners = np.array([[0, 2, 1, 1, 0], [2, 2, 2, 0, 1]])
    got = race_log_wealth = xl.race_log_wealth(b, odds, winners)
    assert got.shape == (2, 6)
    for row, won in zip(race_log_wealth, winners):
        products = np.cumprod(np.concatenate([[1.0], b[won] * odds[won]]))
        np.testing.assert_allclose(np.exp(row), products, rtol=1e-14)


def test_race_growth_per_race_converges_to_the_doubling_rate():
    q = np.array([0.5, 0.3, 0.2])
    b = np.array([0.4, 0.4, 0.2])
    odds = np.array([2.5, 3.0, 6.0])
    n = 200000
    winners = np.random.default_rng(7).choice(3, size=n, p=q)
    rate = xl.race_log_wealth(b, odds, winners)[-1] / n
    logs = np.log(b * odds)
    sd = math.sqrt(np.sum(q * logs ** 2) - np.sum(q * logs) ** 2)
    expected = float(mp_doubling_rate(b, q, odds))
    assert abs(rate - expected) <= 5 * sd / math.sqrt(n)


def test_race_validation():
    with pytest.raises(ValueError, match="b must sum to 1"):
        xl.doubling_rate([0.5, 0.6], [0.5, 0.5], [2, 2])
    with pytest.raises(ValueError, match="q must sum to 1"):
        xl.doubling_rate([0.5, 0.5], [0.2, 0.5], [2, 2])
    with pytest.raises(ValueError, match="odds.*does not broadcast"):
        xl.doubling_rate([0.5, 0.5], [0.5, 0.5], [2, 2, 2])
    with pytest.raises(ValueError, match="odds must be positive"):
        xl.doubling_rate([0.5, 0.5], [0.5, 0.5], [2, 0])
    with pytest.raises(ValueError, match="winners must lie"):
        xl.race_log_wealth([0.5, 0.5], [2, 2], [0, 2])
    with pytest.raises(TypeError, match="winners must be integers"):
        xl.race_log_wealth([0.5, 0.5], [2, 2], [0.0, 1.0])
    with pytest.raises(ValueError, match="one distribution"):
        xl.race_log_wealth([[0.5, 0.5]], [[2, 2]], [0, 1])
