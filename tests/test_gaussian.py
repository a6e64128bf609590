"""Tests of xentlib.gaussian (chapter 3).

References are independent of the code under test:

* densities and divergences: mpmath at 30 digits on the exact float inputs,
  with the KL integrals ``int q log(q/p) dx`` done by ``mpmath.quad`` over the
  real line (split at the component means, where the integrand is peaked);
* the forward-KL fit: the mixture's mean and variance by quadrature of
  ``x m(x)`` and ``x^2 m(x)``, and a stationary-point / minimum check of the
  forward KL, itself computed by mpmath quadrature;
* the reverse-KL fit: central differences of the objective (the gradient is
  zero), a positive definite finite-difference Hessian, and a grid search
  that finds nothing lower in the fit's basin.

A Monte Carlo estimate of a KL would not be precise enough to test to more
than two or three digits, so none is used.
"""

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl

DPS = 30
RNG_SEED = 20260303

#: The chapter's two-peak mixture, and a lopsided one.
SYMMETRIC = ([0.5, 0.5], [-2.0, 2.0], [0.6, 0.6])
LOPSIDED = ([0.3, 0.7], [-2.0, 2.0], [0.6, 1.2])
THREE = ([0.2, 0.5, 0.3], [-3.0, 0.5, 4.0], [0.5, 1.0, 0.8])


# -- mpmath references --------------------------------------------------------

def mp_normal(x, mu, sigma):
    mu, sigma = mpmath.mpf(float(mu)), mpmath.mpf(float(sigma))
    return mpmath.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (
        mpmath.sqrt(2 * mpmath.pi) * sigma)


def mp_mixture(x, weights, means, sigmas):
    return mpmath.fsum(
        mpmath.mpf(float(w)) * mp_normal(x, m, s)
        for w, m, s in zip(weights, means, sigmas))


def mp_quad(f, points):
    """``int f`` over the real line, split at the given points."""
    cuts = sorted({float(p) for p in points})
    return mpmath.quad(f, [-mpmath.inf, *cuts, mpmath.inf])


def mp_kl(q, p, points):
    """``int q log(q/p)`` by quadrature; ``q`` and ``p`` are callables."""
    def integrand(x):
        qx = q(x)
        return qx * (mpmath.log(qx) - mpmath.log(p(x))) if qx > 0 else 0
    return mp_quad(integrand, points)


def mp_forward_kl(mixture, mu, sigma):
    weights, means, sigmas = mixture
    return mp_kl(lambda x: mp_mixture(x, *mixture),
                 lambda x: mp_normal(x, mu, sigma), [*means, mu])


def mp_reverse_kl(mu, sigma, mixture):
    weights, means, sigmas = mixture
    # a wide q spans the components: cut at every mean and every sigma of q
    cuts = [*means, *(mu + k * sigma for k in range(-8, 9))]
    return mp_kl(lambda x: mp_normal(x, mu, sigma),
                 lambda x: mp_mixture(x, *mixture), cuts)


# -- densities ----------------------------------------------------------------

@pytest.mark.parametrize("x, mu, sigma", [
    (0.0, 0.0, 1.0), (1.3, -0.7, 0.25), (-40.0, 0.0, 1.0), (5.0, 5.0, 1e-3),
    (1e3, 0.0, 30.0),
])
def test_gaussian_logpdf_matches_mpmath(x, mu, sigma):
    with mpmath.workdps(DPS):
        reference = mpmath.log(mp_normal(mpmath.mpf(x), mu, sigma))
        assert xl.gaussian_logpdf(x, mu, sigma) == pytest.approx(
            float(reference), rel=1e-14, abs=1e-14)
        assert xl.gaussian_pdf(x, mu, sigma) == pytest.approx(
            float(mpmath.exp(reference)), rel=1e-13, abs=0)


def test_logpdf_stays_finite_where_pdf_underflows():
    assert xl.gaussian_pdf(60.0) == 0.0
    assert xl.gaussian_logpdf(60.0) == pytest.approx(-1800.9189385332047)


def test_gaussian_pdf_broadcasts():
    x = np.linspace(-1, 1, 5)[:, None]
    out = xl.gaussian_pdf(x, mu=np.array([0.0, 1.0, 2.0]), sigma=2.0)
    assert out.shape == (5, 3)


@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED, THREE])
def test_mixture_pdf_matches_mpmath_and_integrates_to_one(mixture):
    x = np.array([-5.0, -2.0, 0.0, 0.3, 2.0, 7.5])
    with mpmath.workdps(DPS):
        reference = [float(mp_mixture(mpmath.mpf(v), *mixture)) for v in x]
        total = mp_quad(lambda t: mp_mixture(t, *mixture), mixture[1])
    np.testing.assert_allclose(xl.mixture_pdf(x, *mixture), reference, rtol=1e-13)
    assert float(total) == pytest.approx(1.0, abs=1e-20)


def test_mixture_logpdf_far_in_the_tail():
    # the density underflows to 0 here; the log-sum-exp keeps the log
    weights, means, sigmas = SYMMETRIC
    with mpmath.workdps(DPS):
        reference = mpmath.log(mp_mixture(mpmath.mpf(40.0), *SYMMETRIC))
    assert xl.mixture_pdf(40.0, *SYMMETRIC) == 0.0
    assert xl.mixture_logpdf(40.0, *SYMMETRIC) == pytest.approx(float(reference),
                                                               rel=1e-14)


def test_mixture_with_a_zero_weight_ignores_that_component():
    got = xl.mixture_pdf([0.0, 1.0], [0.0, 1.0], [5.0, 2.0], [1.0, 1.0])
    np.testing.assert_allclose(got, xl.gaussian_pdf([0.0, 1.0], 2.0, 1.0), rtol=1e-15)


def test_reverse_kl_and_fit_with_a_zero_weight_ignore_that_component():
    # Against the closed form for the one component left; no log(0) warning.
    mixture = ([0.0, 1.0], [5.0, 0.4], [1.0, 1.3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kl = xl.gaussian_mixture_kl(-1.0, 2.0, *mixture)
        mu, sigma = xl.fit_gaussian_reverse_kl(*mixture, mu0=0.0, sigma0=1.0)
    assert kl == pytest.approx(xl.gaussian_kl(-1.0, 2.0, 0.4, 1.3), rel=1e-12)
    assert (mu, sigma) == pytest.approx((0.4, 1.3), rel=1e-8)


@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED, THREE])
def test_mixture_moments_match_quadrature(mixture):
    with mpmath.workdps(DPS):
        mean = mp_quad(lambda t: t * mp_mixture(t, *mixture), mixture[1])
        second = mp_quad(lambda t: t**2 * mp_mixture(t, *mixture), mixture[1])
        std = mpmath.sqrt(second - mean**2)
    got_mean, got_std = xl.mixture_moments(*mixture)
    assert got_mean == pytest.approx(float(mean), abs=1e-14)
    assert got_std == pytest.approx(float(std), rel=1e-14)


# -- the closed form between two Gaussians ------------------------------------

GAUSSIAN_PAIRS = [
    (0.0, 1.0, 0.0, 1.0),
    (0.0, 1.0, 1.0, 2.0),
    (1.0, 2.0, 0.0, 1.0),
    (-3.0, 0.5, 2.0, 4.0),
    (0.3, 0.01, 0.0, 1.0),
    (10.0, 3.0, -10.0, 0.2),
]


@pytest.mark.parametrize("mu_q, sigma_q, mu_p, sigma_p", GAUSSIAN_PAIRS)
def test_gaussian_kl_matches_numerical_integration(mu_q, sigma_q, mu_p, sigma_p):
    with mpmath.workdps(DPS):
        reference = mp_kl(lambda x: mp_normal(x, mu_q, sigma_q),
                          lambda x: mp_normal(x, mu_p, sigma_p), [mu_q, mu_p])
    got = xl.gaussian_kl(mu_q, sigma_q, mu_p, sigma_p)
    assert got == pytest.approx(float(reference), rel=1e-12, abs=1e-15)


def test_gaussian_kl_of_a_distribution_with_itself_is_zero():
    mu = np.array([-3.0, 0.0, 0.5, 1e3])
    sigma = np.array([1e-3, 1.0, 2.5, 7.0])
    np.testing.assert_array_equal(xl.gaussian_kl(mu, sigma, mu, sigma), 0.0)


def test_gaussian_kl_is_accurate_for_nearly_equal_widths():
    # 1/2 r^2 - 1/2 - log r is O((r-1)^2): the naive sum loses it to rounding
    sigma_q, sigma_p = 1.0 + 1e-6, 1.0
    with mpmath.workdps(DPS):
        r = mpmath.mpf(sigma_q) / mpmath.mpf(sigma_p)
        reference = r**2 / 2 - mpmath.mpf(1) / 2 - mpmath.log(r)
    got = xl.gaussian_kl(0.0, sigma_q, 0.0, sigma_p)
    assert got == pytest.approx(float(reference), rel=1e-8)


def test_gaussian_kl_is_asymmetric():
    assert xl.gaussian_kl(0.0, 1.0, 0.0, 2.0) != pytest.approx(
        xl.gaussian_kl(0.0, 2.0, 0.0, 1.0), rel=1e-3)


finite = st.floats(-50, 50)
width = st.floats(1e-2, 50)


@settings(max_examples=200, deadline=None)
@given(finite, width, finite, width)
def test_gaussian_kl_is_non_negative(mu_q, sigma_q, mu_p, sigma_p):
    assert xl.gaussian_kl(mu_q, sigma_q, mu_p, sigma_p) >= 0.0


def test_gaussian_kl_broadcasts():
    out = xl.gaussian_kl(np.zeros((3, 1)), 1.0, np.arange(4.0), 1.0)
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out[0], 0.5 * np.arange(4.0) ** 2, rtol=1e-15)


# -- KL between a mixture and one Gaussian ------------------------------------

@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED, THREE])
@pytest.mark.parametrize("mu, sigma", [(0.0, 2.0), (1.5, 0.7), (-4.0, 5.0)])
def test_forward_kl_matches_numerical_integration(mixture, mu, sigma):
    with mpmath.workdps(DPS):
        reference = mp_forward_kl(mixture, mu, sigma)
    got = xl.mixture_gaussian_kl(*mixture, mu, sigma)
    assert got == pytest.approx(float(reference), rel=1e-11, abs=1e-13)


@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED, THREE])
@pytest.mark.parametrize("mu, sigma", [
    (0.0, 1.79), (2.0, 0.6), (0.5, 0.1), (-3.0, 3.0), (1.0, 8.0),
])
def test_reverse_kl_matches_numerical_integration(mixture, mu, sigma):
    with mpmath.workdps(DPS):
        reference = mp_reverse_kl(mu, sigma, mixture)
    got = xl.gaussian_mixture_kl(mu, sigma, *mixture)
    assert got == pytest.approx(float(reference), rel=1e-11, abs=1e-13)


def test_kl_from_a_one_component_mixture_is_the_closed_form():
    one = ([1.0], [0.4], [1.3])
    assert xl.mixture_gaussian_kl(*one, -1.0, 2.0) == pytest.approx(
        xl.gaussian_kl(0.4, 1.3, -1.0, 2.0), rel=1e-12)
    assert xl.gaussian_mixture_kl(-1.0, 2.0, *one) == pytest.approx(
        xl.gaussian_kl(-1.0, 2.0, 0.4, 1.3), rel=1e-12)


# -- the fits -----------------------------------------------------------------

def central_gradient(f, mu, sigma, h=1e-5):
    """Central differences of ``f(mu, sigma)``: an independent gradient."""
    return np.array([
        (f(mu + h, sigma) - f(mu - h, sigma)) / (2 * h),
        (f(mu, sigma + h) - f(mu, sigma - h)) / (2 * h),
    ])


def central_hessian(f, mu, sigma, h=1e-3):
    """Second central differences of ``f(mu, sigma)``."""
    def g(a, b):
        return f(mu + a, sigma + b)
    f0 = g(0, 0)
    d_mm = (g(h, 0) - 2 * f0 + g(-h, 0)) / h**2
    d_ss = (g(0, h) - 2 * f0 + g(0, -h)) / h**2
    d_ms = (g(h, h) - g(h, -h) - g(-h, h) + g(-h, -h)) / (4 * h**2)
    return np.array([[d_mm, d_ms], [d_ms, d_ss]])


@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED, THREE])
def test_forward_fit_is_moment_matching(mixture):
    with mpmath.workdps(DPS):
        mean = mp_quad(lambda t: t * mp_mixture(t, *mixture), mixture[1])
        second = mp_quad(lambda t: t**2 * mp_mixture(t, *mixture), mixture[1])
    mu, sigma = xl.fit_gaussian_forward_kl(*mixture)
    assert mu == pytest.approx(float(mean), abs=1e-14)
    assert sigma**2 == pytest.approx(float(second - mean**2), rel=1e-14)


@pytest.mark.parametrize("mixture", [SYMMETRIC, LOPSIDED])
def test_forward_fit_minimises_the_quadrature_forward_kl(mixture):
    mu, sigma = xl.fit_gaussian_forward_kl(*mixture)

    def forward(m, s):
        with mpmath.workdps(DPS):
            return float(mp_forward_kl(mixture, m, s))

    best = forward(mu, sigma)
    assert np.abs(central_gradient(forward, mu, sigma)) == pytest.approx(0, abs=1e-8)
    for d_mu, d_sigma in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05), (0.03, 0.03)]:
        assert forward(mu + d_mu, sigma + d_sigma) > best


def reverse(mixture):
    return lambda m, s: xl.gaussian_mixture_kl(m, s, *mixture)


@pytest.mark.parametrize("mixture, start", [
    (SYMMETRIC, (1.0, 1.0)),
    (SYMMETRIC, (-1.0, 1.0)),
    (SYMMETRIC, (0.0, 3.0)),  # on the symmetry axis: the broad local minimum
    (LOPSIDED, (0.0, 3.0)),
    (LOPSIDED, (-1.5, 0.3)),
    (THREE, (3.0, 1.0)),
])
def test_reverse_fit_is_a_local_minimum(mixture, start):
    mu, sigma = xl.fit_gaussian_reverse_kl(*mixture, *start)
    f = reverse(mixture)
    assert np.abs(central_gradient(f, mu, sigma)) == pytest.approx(0, abs=1e-7)
    assert np.all(np.linalg.eigvalsh(central_hessian(f, mu, sigma)) > 0)


@pytest.mark.parametrize("mixture, start", [
    (SYMMETRIC, (1.0, 1.0)), (LOPSIDED, (-1.5, 0.3)), (THREE, (3.0, 1.0))])
def test_reverse_fit_is_no_worse_than_a_grid_search_around_it(mixture, start):
    mu, sigma = xl.fit_gaussian_reverse_kl(*mixture, *start)
    f = reverse(mixture)
    best = f(mu, sigma)
    grid = [f(m, s) for m in np.linspace(mu - 0.5, mu + 0.5, 21)
            for s in np.linspace(0.7 * sigma, 1.3 * sigma, 21)]
    assert best <= min(grid) + 1e-12


def test_reverse_fit_locks_on_the_peak_of_its_start():
    right = xl.fit_gaussian_reverse_kl(*SYMMETRIC, 1.0, 1.0)
    left = xl.fit_gaussian_reverse_kl(*SYMMETRIC, -1.0, 1.0)
    # mirror images of each other, each near one component N(+-2, 0.6^2)
    assert left[0] == pytest.approx(-right[0], rel=1e-9)
    assert left[1] == pytest.approx(right[1], rel=1e-9)
    assert right[0] == pytest.approx(2.0, abs=0.01)
    assert right[1] == pytest.approx(0.6, abs=0.01)


def test_reverse_fit_global_minimum_beats_the_forward_fit_on_reverse_kl():
    # and the forward fit beats it on forward KL: each wins its own objective
    forward_fit = xl.fit_gaussian_forward_kl(*SYMMETRIC)
    reverse_fit = xl.fit_gaussian_reverse_kl(*SYMMETRIC, 1.0, 1.0)
    f = reverse(SYMMETRIC)
    assert f(*reverse_fit) < f(*forward_fit)
    assert (xl.mixture_gaussian_kl(*SYMMETRIC, *forward_fit)
            < xl.mixture_gaussian_kl(*SYMMETRIC, *reverse_fit))


def test_reverse_fit_of_a_single_gaussian_recovers_it():
    mu, sigma = xl.fit_gaussian_reverse_kl([1.0], [0.7], [1.9], -2.0, 0.5)
    assert mu == pytest.approx(0.7, abs=1e-8)
    assert sigma == pytest.approx(1.9, rel=1e-8)


# -- bad input ----------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: xl.gaussian_kl(0.0, 0.0, 0.0, 1.0), "sigma_q"),
    (lambda: xl.gaussian_kl(0.0, 1.0, 0.0, -1.0), "sigma_p"),
    (lambda: xl.gaussian_kl(np.nan, 1.0, 0.0, 1.0), "mu_q"),
    (lambda: xl.gaussian_kl(0.0, 1.0, np.inf, 1.0), "mu_p"),
    (lambda: xl.gaussian_pdf(0.0, sigma=0.0), "sigma"),
    (lambda: xl.gaussian_pdf(np.nan), "x"),
    (lambda: xl.mixture_pdf(0.0, [0.5, 0.6], [0, 1], [1, 1]), "weights"),
    (lambda: xl.mixture_pdf(0.0, [0.5, 0.5], [0, 1, 2], [1, 1]), "means"),
    (lambda: xl.mixture_pdf(0.0, [0.5, 0.5], [0, 1], [1, 0]), "sigmas"),
    (lambda: xl.mixture_pdf(0.0, [[0.5, 0.5]], [0, 1], [1, 1]), "weights"),
    (lambda: xl.mixture_gaussian_kl(*SYMMETRIC, [0.0, 1.0], 1.0), "mu"),
    (lambda: xl.gaussian_mixture_kl(0.0, -1.0, *SYMMETRIC), "sigma"),
    (lambda: xl.gaussian_mixture_kl(0.0, 1.0, *SYMMETRIC, n_points=2), "n_points"),
    (lambda: xl.fit_gaussian_reverse_kl(*SYMMETRIC, 0.0, 0.0), "sigma0"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="mu_q"):
        xl.gaussian_kl("a", 1.0, 0.0, 1.0)
