"""Tests of xentlib.symbolic.likelihood (chapter 7's derivations).

The identities are checked by SymPy and wrong variants must be rejected. The
results are compared with independent references: scipy.stats log-pmfs and
log-densities, numerical maximisation with scipy.optimize on the raw
likelihood of simulated data, and mpmath derivatives at 50 digits.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy import optimize, stats

from xentlib.symbolic import Identity
from xentlib.symbolic import likelihood as lk

RNG_SEED = 20260507


# --- Bernoulli ---------------------------------------------------------------


def test_pmf_gives_theta_and_one_minus_theta():
    assert lk.bernoulli_pmf().subs(lk.y1, 1) == lk.theta
    assert lk.bernoulli_pmf().subs(lk.y1, 0) == 1 - lk.theta


@pytest.mark.parametrize("identity", [
    lk.bernoulli_nll_identity(), lk.log_likelihood_in_counts(),
    lk.average_nll_identity(), lk.average_nll_decomposition(),
    lk.gaussian_nll_identity(),
], ids=["nll", "counts", "average", "decomposition", "gaussian"])
def test_identities_hold(identity):
    assert identity.holds()


def test_wrong_variants_are_rejected():
    nll = lk.bernoulli_nll_identity()
    # The sign error of a popular formula: + (1 - y) log(1 - theta).
    wrong = -lk.y1 * sp.log(lk.theta) + (1 - lk.y1) * sp.log(1 - lk.theta)
    assert not type(nll)(nll.lhs, wrong).holds()
    counts = lk.log_likelihood_in_counts()
    assert not type(counts)(counts.lhs, lk.k * sp.log(lk.theta)).holds()
    gauss = lk.gaussian_nll_identity()
    assert not type(gauss)(gauss.lhs,
                           (lk.y1 - lk.mu) ** 2 / lk.sigma**2).holds()


def test_nll_matches_scipy_bernoulli():
    nll = sp.lambdify((lk.y1, lk.theta), lk.bernoulli_nll_identity().rhs)
    for t in [0.1, 0.37, 0.9]:
        for outcome in [0, 1]:
            assert nll(outcome, t) == pytest.approx(
                -stats.bernoulli.logpmf(outcome, t), rel=1e-13)


def test_log_likelihood_matches_scipy_binomial_up_to_the_coefficient():
    # log Binom(k; n, theta) = log C(n, k) + k log theta + (n-k) log(1-theta)
    log_l = sp.lambdify((lk.k, lk.n, lk.theta),
                        lk.log_likelihood_in_counts().rhs)
    for n_flips, heads, t in [(10, 7, 0.3), (50, 12, 0.5), (3, 0, 0.2)]:
        log_coefficient = (sp.log(sp.binomial(n_flips, heads))).evalf(30)
        expected = stats.binom.logpmf(heads, n_flips, t) - float(
            log_coefficient)
        assert log_l(heads, n_flips, t) == pytest.approx(expected, rel=1e-12)


def test_mle_is_the_sample_mean_and_a_maximum():
    mle = lk.bernoulli_mle()
    assert mle["theta_hat"] == lk.k / lk.n
    score = lk.k / lk.theta - (lk.n - lk.k) / (1 - lk.theta)
    assert sp.simplify(mle["score"] - score) == 0
    second = -lk.k / lk.theta**2 - (lk.n - lk.k) / (1 - lk.theta) ** 2
    assert sp.simplify(mle["second"] - second) == 0
    assert sp.simplify(mle["second_at_mle"]
                       + lk.n**3 / (lk.k * (lk.n - lk.k))) == 0


def test_mle_agrees_with_numerical_maximisation_of_raw_likelihood():
    rng = np.random.default_rng(RNG_SEED)
    flips = rng.random(200) < 0.3

    def negative_log_likelihood(t):  # the product, in logs, term by term
        return -np.sum(np.log(np.where(flips, t, 1 - t)))

    found = optimize.minimize_scalar(negative_log_likelihood,
                                     bounds=(1e-9, 1 - 1e-9),
                                     method="bounded",
                                     options={"xatol": 1e-12})
    theta_hat = lk.bernoulli_mle()["theta_hat"].subs(
        {lk.k: int(flips.sum()), lk.n: flips.size})
    assert found.x == pytest.approx(float(theta_hat), abs=1e-8)


def test_second_derivative_matches_mpmath():
    second = sp.lambdify((lk.k, lk.n, lk.theta), lk.bernoulli_mle()["second"])
    with mpmath.workdps(50):
        def log_l(t):
            return 7 * mpmath.log(t) + 3 * mpmath.log(1 - t)
        reference = mpmath.diff(log_l, mpmath.mpf("0.4"), 2)
    assert second(7, 10, 0.4) == pytest.approx(float(reference), rel=1e-12)


def test_average_nll_is_scipy_cross_entropy_and_kl_plus_entropy():
    average = sp.lambdify((lk.ybar, lk.theta), lk.average_nll_identity().rhs)
    for ybar, t in [(0.7, 0.5), (0.2, 0.9)]:
        q, p = [ybar, 1 - ybar], [t, 1 - t]
        assert average(ybar, t) == pytest.approx(
            stats.entropy(q) + stats.entropy(q, p), rel=1e-13)


# --- categorical -------------------------------------------------------------


def test_categorical_stationarity_and_mle_for_symbolic_k():
    derivative, m = lk.categorical_stationarity()
    assert sp.simplify(derivative - (lk.counts[m] / lk.p[m] - lk.lam)) == 0
    mle = lk.categorical_mle()
    assert mle["lambda"] == sp.Sum(lk.counts[m], (m, 1, lk.K))
    assert mle["p_m_normalised"] == lk.counts[m] / lk.N


@pytest.mark.parametrize("classes", [2, 3, 4])
def test_concrete_lagrange_solution_is_the_frequencies(classes):
    solution, ns, ps = lk.categorical_lagrange_solution(classes)
    total = sum(ns)
    for count, prob in zip(ns, ps):
        assert sp.simplify(solution[prob] - count / total) == 0
    assert sp.simplify(solution[lk.lam] - total) == 0


def test_categorical_mle_agrees_with_numerical_maximisation():
    counts = np.array([5.0, 12.0, 3.0])

    def negative(logits):  # any p on the simplex, written as a softmax
        log_p = logits - np.log(np.sum(np.exp(logits)))
        return -np.sum(counts * log_p)

    found = optimize.minimize(negative, np.zeros(3), method="BFGS",
                              options={"gtol": 1e-10})
    p_hat = np.exp(found.x) / np.sum(np.exp(found.x))
    np.testing.assert_allclose(p_hat, counts / counts.sum(), atol=1e-6)


# --- Gaussian ----------------------------------------------------------------


def test_gaussian_nll_matches_scipy():
    nll = sp.lambdify((lk.y1, lk.mu, lk.sigma),
                      lk.gaussian_nll_identity().rhs)
    for value, mean, scale in [(0.3, -1.0, 2.0), (5.0, 4.5, 0.1)]:
        assert nll(value, mean, scale) == pytest.approx(
            -stats.norm.logpdf(value, mean, scale), rel=1e-13)


def test_gaussian_density_matches_sympy_stats():
    from sympy.stats import Normal, density
    reference = density(Normal("Y", lk.mu, lk.sigma))(lk.y1)
    assert sp.simplify(lk.gaussian_density() - reference) == 0


def test_gaussian_mle_is_the_sample_mean_and_a_minimum_of_the_nll():
    mle = lk.gaussian_mle()
    assert mle["mu_hat"] == sp.Sum(lk.y[lk.i], (lk.i, 1, lk.n)) / lk.n
    assert sp.simplify(mle["second"] - lk.n / lk.sigma**2) == 0
    rng = np.random.default_rng(RNG_SEED)
    data = rng.normal(1.5, 2.0, size=40)
    found = optimize.minimize_scalar(
        lambda m: -np.sum(stats.norm.logpdf(data, m, 2.0)))
    assert found.x == pytest.approx(data.mean(), abs=1e-6)


# --- gradients with respect to a logit ----------------------------------------


def test_logit_gradient_identities_hold():
    mse, bce = lk.logit_gradients()
    assert mse.holds() and bce.holds()
    s = lk.sigmoid()
    assert not Identity(mse.lhs, (s - lk.y1) * s).holds()


@pytest.mark.parametrize("z0", [-6.0, -1.0, 0.0, 2.5])
@pytest.mark.parametrize("target", [0, 1])
def test_logit_gradients_match_mpmath_derivatives(z0, target):
    mse, bce = lk.logit_gradients()
    with mpmath.workdps(50):
        def sig(t):
            return 1 / (1 + mpmath.exp(-t))

        def squared(t):
            return (sig(t) - target) ** 2 / 2

        def cross(t):
            return -target * mpmath.log(sig(t)) - (1 - target) * mpmath.log(
                1 - sig(t))
        references = [mpmath.diff(squared, z0), mpmath.diff(cross, z0)]
    for identity, reference in zip([mse, bce], references):
        value = sp.lambdify((lk.z, lk.y1), identity.rhs)(z0, target)
        assert value == pytest.approx(float(reference), rel=1e-12, abs=1e-300)


def test_wrong_limits():
    mse, bce = lk.wrong_limits()
    assert mse.rhs == 0 and bce.rhs == -1


def test_wrong_limits_state_their_values():
    # 0 for the squared error, -1 for cross-entropy: claimed, not read back
    # from SymPy's evaluation of the same limit (a check that could not fail).
    from xentlib.symbolic import Identity
    from xentlib.symbolic import likelihood as lk

    mse, bce = lk.wrong_limits()
    assert (mse.rhs, bce.rhs) == (0, -1)
    assert mse.holds() and bce.holds()
    assert Identity(mse.lhs, bce.rhs).holds() is False
    assert Identity(bce.lhs, mse.rhs).holds() is False
