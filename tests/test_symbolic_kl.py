"""Tests of the KL derivations in xentlib.symbolic.information (chapter 3).

Each identity is checked by SymPy, then made numeric (lambdify) and compared
with an independent computation: mpmath quadrature of the defining integral,
xentlib's numpy functions, or finite differences. A deliberately wrong claim
is shown to fail, so the checks can fail.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import information as kl

RNG_SEED = 20260305


@pytest.fixture(scope="module")
def gaussian_derivation():
    return kl.gaussian_kl_integral()


# -- definitions --------------------------------------------------------------

def test_discrete_definition_agrees_with_xentlib_for_k_3():
    definition = kl.kl_discrete_definition()
    (i, _, upper), = definition.rhs.limits
    q_base, p_base = sp.IndexedBase("q", positive=True), sp.IndexedBase("p", positive=True)
    q, p = [0.7, 0.2, 0.1], [0.2, 0.3, 0.5]
    concrete = definition.rhs.subs(upper, 3).doit()
    value = concrete.subs({q_base[k + 1]: sp.Float(q[k], 30) for k in range(3)})
    value = value.subs({p_base[k + 1]: sp.Float(p[k], 30) for k in range(3)})
    assert float(value) == pytest.approx(float(xl.kl_divergence(q, p)), rel=1e-14)


def test_continuous_definition_is_an_integral_over_the_real_line():
    definition = kl.kl_continuous_definition()
    (x, lower, upper), = definition.rhs.limits
    assert (lower, upper) == (-sp.oo, sp.oo)


# -- the two-Gaussian closed form ---------------------------------------------

def test_gaussian_integral_equals_the_textbook_form(gaussian_derivation):
    assert gaussian_derivation.identity.holds()


def test_a_wrong_textbook_form_is_caught(gaussian_derivation):
    _, mu_q, sigma_q, mu_p, sigma_p = kl.gaussian_kl_symbols()
    # a common slip: sigma_q in the denominator instead of sigma_p
    wrong = (sp.log(sigma_p / sigma_q)
             + (sigma_q**2 + (mu_q - mu_p) ** 2) / (2 * sigma_q**2) - sp.Rational(1, 2))
    assert not Identity(gaussian_derivation.identity.lhs, wrong).holds()


def test_the_integral_has_no_special_functions_left(gaussian_derivation):
    # SymPy's antiderivative has erfc terms; the closed form must not
    assert not gaussian_derivation.identity.lhs.has(sp.erfc, sp.erf)


@pytest.mark.parametrize("params", [
    (0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 1.0, 2.0), (2.0, 0.3, -1.0, 1.5), (-1.0, 4.0, 0.5, 0.7),
])
def test_closed_form_matches_mpmath_quadrature_of_the_integrand(gaussian_derivation, params):
    x, *symbols = kl.gaussian_kl_symbols()
    closed = sp.lambdify(symbols, gaussian_derivation.identity.lhs, "mpmath")
    integrand = sp.lambdify([x, *symbols], gaussian_derivation.integrand, "mpmath")
    mu_q, _, mu_p, _ = params
    with mpmath.workdps(30):
        numeric = mpmath.quad(lambda t: integrand(t, *params),
                              [-mpmath.inf, min(mu_q, mu_p), max(mu_q, mu_p), mpmath.inf])
        assert float(closed(*params)) == pytest.approx(float(numeric), rel=1e-20, abs=1e-25)


def test_closed_form_agrees_with_xentlib_on_random_parameters(gaussian_derivation):
    _, *symbols = kl.gaussian_kl_symbols()
    closed = sp.lambdify(symbols, gaussian_derivation.identity.rhs, "numpy")
    rng = np.random.default_rng(RNG_SEED)
    mu_q, mu_p = rng.normal(0, 3, size=(2, 500))
    sigma_q, sigma_p = rng.uniform(0.05, 5, size=(2, 500))
    np.testing.assert_allclose(xl.gaussian_kl(mu_q, sigma_q, mu_p, sigma_p),
                               closed(mu_q, sigma_q, mu_p, sigma_p), rtol=1e-12, atol=1e-14)


def test_equal_widths_reduce_to_a_scaled_squared_distance(gaussian_derivation):
    _, mu_q, sigma_q, mu_p, sigma_p = kl.gaussian_kl_symbols()
    equal = gaussian_derivation.identity.rhs.subs(sigma_q, sigma_p)
    assert sp.simplify(equal - (mu_q - mu_p) ** 2 / (2 * sigma_p**2)) == 0


# -- Gibbs' inequality --------------------------------------------------------

def test_log_bound_lemma_holds():
    lemma = kl.log_bound()
    assert lemma.holds()
    assert lemma.critical_points == [1]


def test_log_bound_gap_is_non_negative_numerically():
    lemma = kl.log_bound()
    gap = sp.lambdify(lemma.x, lemma.gap, "numpy")
    x = np.logspace(-8, 8, 2001)
    assert np.all(gap(x) >= 0)
    assert gap(1.0) == 0


def test_a_false_lemma_is_rejected():
    lemma = kl.log_bound()
    x = lemma.x
    wrong_gap = x - 2 - sp.log(x)  # "log x <= x - 2" is false at x = 1
    wrong = kl.LogBound(x=x, gap=wrong_gap,
                        critical_points=sp.solve(sp.diff(wrong_gap, x), x),
                        value_at_one=wrong_gap.subs(x, 1),
                        curvature=sp.diff(wrong_gap, x, 2))
    assert not wrong.holds()


def test_gibbs_sum_bound_holds_symbolically_and_for_k_4():
    identity = kl.gibbs_sum_bound()
    assert identity.holds()
    (_, _, upper), = identity.lhs.limits
    assert Identity(identity.lhs.subs(upper, 4).doit(),
                    identity.rhs.subs(upper, 4).doit()).holds()


# -- the forward-KL fit -------------------------------------------------------

def test_mixture_moments_hold_and_match_xentlib():
    identities = kl.mixture_moment_identities()
    assert all(identity.holds() for identity in identities)
    mass, first, second = identities
    symbols = sorted(second.rhs.free_symbols, key=str)  # mu_1, mu_2, sigma_1, sigma_2, w
    values = dict(zip(map(str, symbols), [-2.0, 1.5, 0.6, 1.1, 0.3]))
    args = [values[str(s)] for s in symbols]
    mean = float(sp.lambdify(symbols, first.lhs)(*args))
    second_moment = float(sp.lambdify(symbols, second.lhs)(*args))
    got_mean, got_std = xl.mixture_moments(
        [0.3, 0.7], [values["mu_1"], values["mu_2"]], [values["sigma_1"], values["sigma_2"]])
    assert got_mean == pytest.approx(mean, rel=1e-14)
    assert got_std**2 == pytest.approx(second_moment - mean**2, rel=1e-13)


def test_expected_square_identity_holds_and_matches_a_discrete_example():
    assert kl.expected_square_identity().holds()
    values, probs, mu = np.array([-1.0, 0.5, 3.0]), np.array([0.2, 0.5, 0.3]), 0.8
    mean = probs @ values
    variance = probs @ (values - mean) ** 2
    assert probs @ (values - mu) ** 2 == pytest.approx(variance + (mean - mu) ** 2, rel=1e-14)


def test_forward_minimiser_is_the_moments_and_a_minimum():
    solution, hessian = kl.forward_kl_minimiser()
    expr, (mu, sigma, mean, spread) = kl.forward_kl_cross_entropy()
    assert solution == {mu: mean, sigma: spread}
    assert all(sp.ask(sp.Q.positive(e)) for e in hessian.eigenvals())


def test_forward_objective_gradient_vanishes_there_by_finite_differences():
    expr, (mu, sigma, mean, spread) = kl.forward_kl_cross_entropy()
    f = sp.lambdify([mu, sigma, mean, spread], expr)
    m, s, h = 0.4, 1.7, 1e-6
    d_mu = (f(m + h, s, m, s) - f(m - h, s, m, s)) / (2 * h)
    d_sigma = (f(m, s + h, m, s) - f(m, s - h, m, s)) / (2 * h)
    assert abs(d_mu) < 1e-8 and abs(d_sigma) < 1e-8
    assert f(m, s, m, s) < min(f(m + 0.1, s, m, s), f(m, s * 1.1, m, s), f(m, s / 1.1, m, s))


def test_compact_log_ratio_matches_scipy_log_densities(gaussian_derivation):
    assert gaussian_derivation.log_ratio_identity.holds()
    from scipy import stats
    x, *symbols = kl.gaussian_kl_symbols()
    compact = sp.lambdify([x, *symbols], gaussian_derivation.log_ratio_identity.lhs)
    t = np.linspace(-5, 5, 11)
    params = (0.3, 0.8, -1.0, 1.7)
    expected = stats.norm(0.3, 0.8).logpdf(t) - stats.norm(-1.0, 1.7).logpdf(t)
    np.testing.assert_allclose(compact(t, *params), expected, rtol=1e-12, atol=1e-13)
