"""Tests of xentlib.logits: accuracy against mpmath, edge cases, properties.

Every reference value comes from tests/mpref.py: the textbook formula
(``log(sum(exp(x)))``, ``exp(x_i) / sum(exp(x))``, ``1 / (1 + exp(-x))``, ...)
evaluated with mpmath at 100+ significant digits on the exact float inputs.
Errors are measured in units of the dtype's machine epsilon, relative to the
reference (floored at the smallest normal number, where relative accuracy
ends).
"""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from mpref import (
    eps_error,
    mp_log_sigmoid,
    mp_log_softmax,
    mp_logsumexp,
    mp_sigmoid,
    mp_softmax,
    mpf,
)

from xentlib import (
    log_sigmoid,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
    softmax_jacobian,
)

FLOATS = [np.float64, np.float32]
ALL_FLOATS = [np.float64, np.float32, np.float16]
# "A few eps": every bound below holds with margin (the measured maxima over
# the random tests were 1.0-1.5 eps in float64 and float32, 0.5 in float16).
FEW = 4.0
hypothesis_settings = settings(max_examples=60, deadline=None)


def random_rows(dtype, n_rows=150, seed=0):
    """Rows of 1-8 logits with scales from 1e-3 to 1e3, some offset by up to 1e3."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_rows):
        k = rng.integers(1, 9)
        scale = 10.0 ** rng.uniform(-3, 3)
        offset = rng.uniform(-1e3, 1e3) if i % 3 == 0 else 0.0
        rows.append((rng.standard_normal(k) * scale + offset).astype(dtype))
    return rows


# Rows that break a naive implementation, each for a stated reason.
EXTREME_ROWS = {
    "overflow_1000": [1000.0, 1000.0],  # exp(1000) overflows
    "underflow_-1000": [-1000.0, -1000.0, -999.0],  # exp(-1000) underflows to 0
    "mixed_pm1000": [1000.0, -1000.0, 0.0],
    "dominant_0_-40": [0.0, -40.0],  # log p_0 = -4.25e-18, not 0
    "inexact_shift": [0.1, -39.9],  # -39.9 - 0.1 rounds: 16 eps if not compensated
    "minus_inf": [-np.inf, 0.0, 1.0],
    "single": [3.5],
    "ties": [2.0, 2.0, 2.0, -5.0],
    "wide_float64": [700.0, -700.0],
}


def check_row(x, dtype, bound=FEW):
    x = np.asarray(x, dtype=dtype)
    assert eps_error(log_softmax(x), mp_log_softmax(x), dtype).max() <= bound
    assert eps_error(softmax(x), mp_softmax(x), dtype).max() <= bound
    lse, ref = logsumexp(x), mp_logsumexp(x)
    assert eps_error(lse, ref, dtype) <= bound * max(1.0, lse_condition(x, ref))


def lse_condition(x, ref):
    """Relative condition number of logsumexp: ``sum(p_i |x_i|) / |lse|``.

    Where logsumexp is near 0 while the logits are not (``[log .5, log .5]``),
    no float algorithm has a relative error of a few eps; a few eps times this
    number is what a backward-stable algorithm guarantees.
    """
    if mpmath.isinf(ref) or ref == 0:
        return 1.0
    with mpmath.workdps(60):
        p = mp_softmax(x)
        num = mpmath.fsum(pi * abs(mpf(v)) for pi, v in zip(p, x) if pi > 0)
        return float(num / abs(ref))


# --- accuracy against mpmath ------------------------------------------------


@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_random_rows_within_a_few_eps(dtype):
    bound = 1.0 if dtype == np.float16 else FEW  # float16: float32 then rounded
    for x in random_rows(dtype):
        check_row(x, dtype, bound)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(EXTREME_ROWS))
def test_extreme_rows_within_a_few_eps(name, dtype):
    check_row(EXTREME_ROWS[name], dtype)


def test_log_softmax_dominant_class_is_not_rounded_to_zero():
    # mpmath: -log(1 + exp(-40)) = -4.2483542552915889e-18 (100 digits).
    out = log_softmax([0.0, -40.0])
    assert out[0] == pytest.approx(-4.2483542552915889e-18, rel=4e-16)
    assert out[1] == pytest.approx(-40.0 - 4.2483542552915889e-18, rel=1e-16)
    # The naive routes lose it: softmax rounds p_0 to 1.0, and with a shift
    # of 1 the logsumexp rounds to 1.0, so x - logsumexp(x) is 0.
    assert np.log(softmax([0.0, -40.0]))[0] == 0.0
    assert 1.0 - logsumexp([1.0, -39.0]) == 0.0
    assert log_softmax([1.0, -39.0])[0] == pytest.approx(-4.2483542552915889e-18)


def test_logsumexp_1000_plus_log_2():
    # mpmath: log(exp(1000) + exp(1000)) = 1000 + log 2.
    ref = mp_logsumexp([1000.0, 1000.0])
    assert eps_error(logsumexp([1000.0, 1000.0]), ref, np.float64) <= 1
    assert float(ref) == 1000.6931471805599


@pytest.mark.parametrize("dtype", FLOATS)
def test_logsumexp_ill_conditioned_near_zero_is_backward_stable(dtype):
    # At the exact float inputs, lse([log .5, log .5]) is 2.3e-17 in float64
    # and -1.9e-9 in float32 (mpmath): the rounding error of log .5, while the
    # logits are 0.69. Only an error of a few eps of |x| can be promised.
    x = np.log(np.array([0.5, 0.5], dtype=dtype))
    ref = mp_logsumexp(x)
    err = abs(mpf(logsumexp(x)) - ref) / (mpf(np.finfo(dtype).eps) * 0.6931)
    assert err <= FEW


@pytest.mark.parametrize("n_classes", [2, 10, 1000])
def test_float32_offset_1e8_uniform(n_classes):
    # Equal logits of 1e8, where float32 numbers are 8 apart: a naive exp
    # overflows, and any error in the shift would break the exact uniform.
    x = np.full(n_classes, 1e8, dtype=np.float32)
    assert softmax(x).dtype == np.float32
    np.testing.assert_array_equal(softmax(x), np.float32(1) / np.float32(n_classes))
    ref = -mpmath.log(n_classes)  # log_softmax of equal logits is -log C
    assert eps_error(log_softmax(x), [ref] * n_classes, np.float32).max() <= FEW
    # and logsumexp = 1e8 + log C, within a few eps of float32
    lse_ref = mpf(np.float32(1e8)) + mpmath.log(n_classes)
    assert eps_error(logsumexp(x), lse_ref, np.float32) <= FEW


def test_float32_offset_1e8_distinct_logits():
    # 1e8 + 8 k is exactly representable in float32: the differences are
    # exact, so the result must match mpmath on those inputs.
    x = np.float32(1e8) + np.float32(8) * np.arange(4, dtype=np.float32)
    assert np.all(np.diff(x) == 8)
    check_row(x, np.float32)


def test_float16_long_row_does_not_overflow():
    # A float16 sum of 65,536 ones is already past float16's max (65504).
    x = np.zeros(65_536, dtype=np.float16)
    lse = logsumexp(x)
    assert lse.dtype == np.float16
    assert eps_error(lse, mpmath.log(65_536), np.float16) <= 0.5
    p = softmax(x)
    assert p.dtype == np.float16
    np.testing.assert_array_equal(p, np.float16(2.0**-16))  # exact (subnormal)
    assert np.all(log_softmax(x) == np.float16(-np.log(65_536)))


def test_float16_long_random_row_matches_mpmath():
    rng = np.random.default_rng(3)
    x = rng.uniform(-8, 8, size=65_536).astype(np.float16)
    # mpmath on the exact float16 values (fsum of 65,536 exponentials).
    ref = mp_logsumexp(x)
    assert eps_error(logsumexp(x), ref, np.float16) <= 0.5
    p = softmax(x)
    # Many of these probabilities are float16 subnormals (below 6.1e-5):
    # eps_error floors the reference at the smallest normal there.
    assert eps_error(p, mp_softmax(x), np.float16).max() <= 1.0
    total = np.sum(p.astype(np.float64))
    assert abs(total - 1) < 1e-2  # 65,536 float16 roundings of tiny values


@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_sigmoid_and_log_sigmoid_within_a_few_eps(dtype):
    rng = np.random.default_rng(1)
    top = {np.float64: 750, np.float32: 110, np.float16: 18}[dtype]
    x = rng.standard_normal(400) * 10.0 ** rng.uniform(-3, np.log10(top), 400)
    x = np.concatenate([x, [0.0, -top, top, 40.0, -40.0]]).astype(dtype)
    bound = 1.0 if dtype == np.float16 else FEW
    assert eps_error(sigmoid(x), [mp_sigmoid(v) for v in x], dtype).max() <= bound
    ref = [mp_log_sigmoid(v) for v in x]
    assert eps_error(log_sigmoid(x), ref, dtype).max() <= bound


def test_sigmoid_extremes():
    assert sigmoid(-np.inf) == 0.0
    assert sigmoid(np.inf) == 1.0
    assert sigmoid(-1000.0) == 0.0  # e^-1000 is below the float64 range
    assert sigmoid(-700.0) == pytest.approx(float(mp_sigmoid(-700.0)), rel=4e-16)
    assert log_sigmoid(-np.inf) == -np.inf
    assert log_sigmoid(-1000.0) == -1000.0
    zero = log_sigmoid(np.inf)
    assert zero == 0.0 and not np.signbit(zero)
    # mpmath: -log(1 + exp(-40)) = -4.2483542552915889e-18
    assert log_sigmoid(40.0) == pytest.approx(-4.2483542552915889e-18, rel=4e-16)


def test_sigmoid_is_the_two_class_softmax():
    x = np.linspace(-30, 30, 121)
    pairs = np.stack([x, np.zeros_like(x)], axis=-1)
    np.testing.assert_allclose(sigmoid(x), softmax(pairs)[:, 0], rtol=4e-16)
    np.testing.assert_allclose(log_sigmoid(x), log_softmax(pairs)[:, 0], rtol=4e-16)


# --- edge cases (scipy's conventions where it has one) ------------------------


def test_logsumexp_edge_cases_follow_scipy():
    assert logsumexp([]) == -np.inf
    assert logsumexp([-np.inf, np.inf]) == np.inf
    assert logsumexp([np.inf, np.inf]) == np.inf
    assert logsumexp([-np.inf, -np.inf]) == -np.inf
    assert logsumexp([-np.inf, 0.0]) == 0.0
    out = logsumexp(np.zeros((3, 0)))
    assert out.shape == (3,) and np.all(out == -np.inf)
    assert logsumexp(np.zeros((0, 3))).shape == (0,)


@pytest.mark.parametrize(
    "x",
    [
        [],
        [-np.inf, np.inf],
        [np.inf, np.inf],
        [-np.inf, -np.inf],
        [-np.inf, 0.0],
        [1000.0, 1000.0],
        [-1000.0, -1000.0],
        [1e308, 1e308],
    ],
)
def test_logsumexp_agrees_with_scipy_on_edge_cases(x):
    scipy_special = pytest.importorskip("scipy.special")
    # scipy itself warns on some of these (exp(inf - inf)); only the value counts.
    with np.errstate(all="ignore"):
        expected = scipy_special.logsumexp(np.asarray(x, dtype=float))
    np.testing.assert_array_equal(logsumexp(x), expected)


def test_logsumexp_difference_beyond_float_range():
    # 1e308 - (-1e308) overflows; the small term is simply e^-inf = 0.
    assert logsumexp([1e308, -1e308]) == 1e308
    np.testing.assert_array_equal(softmax([-1e308, 1e308]), [0.0, 1.0])


def test_positive_infinity_takes_all_the_mass():
    np.testing.assert_array_equal(softmax([np.inf, 0.0, -np.inf]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(softmax([np.inf, 1.0, np.inf]), [0.5, 0.0, 0.5])
    out = log_softmax([np.inf, 1.0, np.inf])
    np.testing.assert_allclose(out[[0, 2]], -np.log(2), rtol=1e-16)
    assert out[1] == -np.inf
    jac = softmax_jacobian([np.inf, 0.0])
    np.testing.assert_array_equal(jac, np.zeros((2, 2)))


def test_minus_infinity_is_an_impossible_class():
    np.testing.assert_array_equal(softmax([-np.inf, 0.0, 0.0]), [0.0, 0.5, 0.5])
    assert log_softmax([-np.inf, 0.0])[0] == -np.inf


def test_empty_class_axis_gives_empty_result():
    assert softmax(np.zeros((2, 0))).shape == (2, 0)
    assert log_softmax([]).shape == (0,)
    assert softmax_jacobian(np.zeros((2, 0))).shape == (2, 0, 0)


def test_keepdims_and_axis():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert logsumexp(x, axis=1, keepdims=True).shape == (2, 1, 4)
    assert logsumexp(x, axis=1).shape == (2, 4)
    assert logsumexp(x, axis=-3).shape == (3, 4)


@pytest.mark.parametrize(
    "function", [logsumexp, softmax, log_softmax, sigmoid, log_sigmoid]
)
@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_float_dtype_is_kept(function, dtype):
    assert np.asarray(function(np.array([0.0, 1.0], dtype=dtype))).dtype == dtype


@pytest.mark.parametrize("function", [logsumexp, softmax, log_softmax, sigmoid])
@pytest.mark.parametrize("x", [[1, 2, 3], np.array([1, 2, 3], np.int8), [True, False]])
def test_integers_bools_and_lists_become_float64(function, x):
    out = np.asarray(function(x))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.asarray(function(np.asarray(x, float))))


def test_softmax_jacobian_dtype_and_shape():
    x = np.zeros((5, 2, 3), dtype=np.float32)
    jac = softmax_jacobian(x)
    assert jac.shape == (5, 2, 3, 3) and jac.dtype == np.float32


# --- derivatives against central finite differences ---------------------------


def central_difference(f, x, h=1e-6):
    """``d f / d x_j`` by ``(f(x + h e_j) - f(x - h e_j)) / 2h``, stacked on axis -1."""
    columns = []
    for j in range(x.shape[-1]):
        step = np.zeros_like(x)
        step[..., j] = h
        columns.append((f(x + step) - f(x - step)) / (2 * h))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_jacobian_within_a_few_eps(dtype):
    # Reference: p_i (delta_ij - p_j) with p from mpmath (the derivative of
    # the softmax, checked independently by the finite-difference tests).
    for x in random_rows(dtype, n_rows=60, seed=7):
        p = mp_softmax(x)
        ref = [[pi * ((i == j) - pj) for j, pj in enumerate(p)]
               for i, pi in enumerate(p)]
        assert eps_error(softmax_jacobian(x), ref, dtype).max() <= FEW


@pytest.mark.parametrize("seed", range(5))
def test_softmax_jacobian_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, 5)) * 3
    # central differences: truncation h^2 ~ 1e-12, rounding eps/h ~ 1e-10
    np.testing.assert_allclose(
        softmax_jacobian(x), central_difference(softmax, x), atol=1e-9
    )


def test_softmax_jacobian_near_one_keeps_relative_accuracy():
    # p_0 = 1 - 4.2e-18: the diagonal p_0 (1 - p_0) ~ e^-40 would be 0 from
    # p - p^2. Reference: mpmath.diff (numerical, 100 digits) of
    # p_0(t) = e^t / (e^t + e^-40) at t = 0.
    with mpmath.workdps(100):
        ref = mpmath.diff(
            lambda t: mpmath.exp(t) / (mpmath.exp(t) + mpmath.exp(-40)), 0
        )
        assert abs(ref / mpmath.exp(-40) - 1) < 1e-17  # p_0 (1 - p_0) ~ e^-40
    jac = softmax_jacobian([0.0, -40.0])
    assert eps_error(jac[0, 0], ref, np.float64) <= FEW
    assert eps_error(jac[1, 1], ref, np.float64) <= FEW
    assert eps_error(-jac[0, 1], ref, np.float64) <= FEW


@hypothesis_settings
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 6),
        elements=st.floats(-30, 30, allow_subnormal=False),
    )
)
def test_softmax_jacobian_structure(x):
    jac = softmax_jacobian(x)
    np.testing.assert_array_equal(jac, jac.T)  # p_i p_j == p_j p_i: exactly
    np.testing.assert_allclose(jac.sum(axis=-1), 0, atol=4 * len(x) * 2.2e-16)


@pytest.mark.parametrize("seed", range(5))
def test_gradient_of_logsumexp_is_softmax(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 6)) * 5
    np.testing.assert_allclose(
        central_difference(logsumexp, x), softmax(x), atol=1e-8
    )


def test_derivative_of_log_sigmoid_is_one_minus_sigmoid():
    x = np.linspace(-20, 20, 81)
    h = 1e-6
    derivative = (log_sigmoid(x + h) - log_sigmoid(x - h)) / (2 * h)
    np.testing.assert_allclose(derivative, 1 - sigmoid(x), atol=1e-8)


# --- properties ---------------------------------------------------------------

logit_rows = hnp.arrays(
    np.float64,
    st.integers(1, 8),
    elements=st.floats(-300, 300, allow_subnormal=False),
)


@hypothesis_settings
@given(
    hnp.arrays(np.float64, st.integers(1, 8), elements=st.integers(-60, 60)),
    st.integers(-(10**6), 10**6),
)
def test_shift_invariance_is_exact_for_exact_shifts(x, c):
    # Integers this small add exactly, so x + c is the shifted row itself and
    # every difference x_i - max(x) is unchanged: the results must be equal.
    np.testing.assert_array_equal(softmax(x + c), softmax(x))
    np.testing.assert_array_equal(log_softmax(x + c), log_softmax(x))


@hypothesis_settings
@given(logit_rows, st.floats(-1e4, 1e4, allow_subnormal=False))
def test_shift_invariance(x, c):
    shifted = x + c
    # x + c rounds each logit by at most eps/2 (|x| + |c|); a probability
    # moves by at most that much relative, twice (numerator and sum).
    slack = 2 * np.finfo(float).eps * (np.max(np.abs(x)) + abs(c)) + 8e-16
    p, p_shifted = softmax(x), softmax(shifted)
    assert np.all(np.abs(p_shifted - p) <= slack * p + 1e-300)
    np.testing.assert_allclose(
        log_softmax(shifted), log_softmax(x), rtol=0, atol=2 * slack
    )


@hypothesis_settings
@given(logit_rows)
def test_softmax_is_a_distribution(x):
    p = softmax(x)
    assert np.all((p >= 0) & (p <= 1))
    assert abs(np.sum(p) - 1) <= 2 * len(x) * np.finfo(float).eps
    assert np.all(log_softmax(x) <= 0)


@hypothesis_settings
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
        elements=st.floats(-50, 50, allow_subnormal=False),
    ),
    st.data(),
)
def test_axis_is_moveaxis(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    moved = np.moveaxis(x, axis, -1)
    for function in (softmax, log_softmax):
        expected = np.moveaxis(function(moved), -1, axis)
        np.testing.assert_allclose(function(x, axis=axis), expected, rtol=4e-16)
    np.testing.assert_allclose(
        logsumexp(x, axis=axis), logsumexp(moved), rtol=4e-16, atol=4e-16 * 50
    )


@hypothesis_settings
@given(st.floats(-700, 700, allow_subnormal=False))
def test_log_sigmoid_of_minus_x_is_log_one_minus_sigmoid(x):
    # 1 - sigmoid(x) = sigmoid(-x): compare against mpmath at -x.
    assert eps_error(log_sigmoid(-x), mp_log_sigmoid(-x), np.float64) <= FEW
    assert eps_error(sigmoid(-x), 1 - mp_sigmoid(x), np.float64) <= FEW


@hypothesis_settings
@given(
    hnp.arrays(
        st.sampled_from([np.float64, np.float32, np.float16]),
        st.integers(1, 6),
        elements=st.floats(allow_nan=False, width=16),
    )
)
def test_any_nan_free_row_gives_a_nan_free_distribution(x):
    # Infinities, huge and subnormal values in any dtype: no NaN, no warning
    # (the suite runs with -W error), and a distribution unless all -inf.
    assert not np.isnan(logsumexp(x))
    if np.all(x == -np.inf):
        return
    p = softmax(x)
    assert p.dtype == x.dtype and not np.isnan(p).any()
    total = np.sum(p, dtype=np.float64)
    assert abs(total - 1) <= 4 * len(x) * np.finfo(x.dtype).eps
    assert not np.isnan(log_softmax(x)).any()
    assert not np.isnan(softmax_jacobian(x)).any()
