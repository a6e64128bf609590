"""Tests of xentlib.information: accuracy against mpmath, special values, properties.

References come from tests/mpref.py: the textbook sums (``-sum q log q``,
``-sum q log p``, ``sum q log(q/p)``, ...) evaluated with mpmath at 100+
significant digits on the exact float inputs. Errors are in units of the
dtype's machine epsilon, relative to the reference.
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from mpref import (
    eps_error,
    mp_binary_entropy,
    mp_cross_entropy,
    mp_entropy,
    mp_kl_divergence,
    mp_surprisal,
)

from xentlib import (
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    surprisal,
)

ALL_FLOATS = [np.float64, np.float32, np.float16]
BASES = [None, 2, 10, 3.5]
# Measured maxima: 2.3 eps (float64/float32; KL up to 3.5 eps where q/p is
# between 2 and 5, see test_kl_ratio_band), 0.5 eps (float16).
FEW = 4.0
hypothesis_settings = settings(max_examples=80, deadline=None)


def bound(dtype):
    # float16 is computed in float32 and rounded once: within 1/2 ulp + a bit.
    return 1.0 if dtype == np.float16 else FEW


def random_distributions(dtype, n=60, seed=0):
    """Pairs (q, p, p_near): skewed distributions with zeros, p_near close to q."""
    rng = np.random.default_rng(seed)
    pairs = []
    while len(pairs) < n:
        k = int(rng.integers(1, 7))
        q = normalised(rng, k, dtype)
        p = normalised(rng, k, dtype)
        p[q > 0] = np.maximum(p[q > 0], np.finfo(dtype).tiny)  # finite CE and KL
        p = (p / p.sum(dtype=np.float64)).astype(dtype)
        wiggle = 1 + rng.standard_normal(k) * 10.0 ** rng.uniform(-12, -1)
        near = np.abs(q.astype(np.float64) * wiggle)
        near = (near / near.sum()).astype(dtype)
        if all(sums_to_one(v) for v in (q, p, near)) and np.all(near[q > 0] > 0):
            pairs.append((q, p, near))
    return pairs


def normalised(rng, k, dtype):
    a = rng.exponential(size=k) ** rng.uniform(1, 8)
    a[rng.random(k) < 0.2] = 0
    a[0] = a[0] or 1.0
    return (a / a.sum()).astype(dtype)


def sums_to_one(v):
    try:
        entropy(v)
    except ValueError:
        return False
    return True


# --- accuracy against mpmath ------------------------------------------------


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_distributions_within_a_few_eps(dtype, base):
    for q, p, near in random_distributions(dtype):
        assert eps_error(entropy(q, base=base), mp_entropy(q, base), dtype) <= bound(
            dtype
        )
        for model in (p, near):
            got = cross_entropy(q, model, base=base)
            assert eps_error(got, mp_cross_entropy(q, model, base), dtype) <= bound(
                dtype
            )
            got = kl_divergence(q, model, base=base)
            ref = mp_kl_divergence(q, model, base)
            assert eps_error(got, ref, dtype) <= bound(dtype)


def probability_grid(dtype, seed=0):
    """Uniform draws, values down to 1e-300 (1e-30 in float32), up to 1 - 1e-16."""
    rng = np.random.default_rng(seed)
    low = {np.float64: -300, np.float32: -30, np.float16: -4}[dtype]
    ps = np.concatenate(
        [
            rng.random(200),
            10.0 ** rng.uniform(low, 0, 200),
            1 - 10.0 ** rng.uniform(-16, 0, 200),
            [0.0, 1.0, 0.5, 0.125],
        ]
    ).astype(dtype)
    return ps[(ps >= 0) & (ps <= 1)]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_surprisal_and_binary_entropy_within_a_few_eps(dtype, base):
    ps = probability_grid(dtype)
    ref = [mp_surprisal(v, base) for v in ps]
    assert eps_error(surprisal(ps, base=base), ref, dtype).max() <= bound(dtype)
    ref = [mp_binary_entropy(v, base) for v in ps]
    assert eps_error(binary_entropy(ps, base=base), ref, dtype).max() <= bound(dtype)


def test_binary_entropy_at_the_ends():
    # mpmath at 400 digits: H_b(1e-300) = 6.9177552789821e-298 nats; the
    # (1 - p) log(1 - p) part (-1e-300) matters at the 0.14 % level.
    ref = mp_binary_entropy(1e-300)
    assert eps_error(binary_entropy(1e-300), ref, np.float64) <= FEW
    # 1 - 2^-53 is the float below 1; H_b = H_b(2^-53) exactly in mpmath.
    p = 1 - 2.0**-53
    assert eps_error(binary_entropy(p), mp_binary_entropy(2.0**-53), np.float64) <= FEW


def test_kl_of_nearly_equal_distributions_keeps_relative_accuracy():
    # q = [1/2, 1/2], p = [1/2 + d, 1/2 - d] with d = 2^-30: dyadic, so both
    # sum to exactly 1 and the textbook sum q log(q/p) is the reference.
    # KL = -log(1 - 4 d^2)/2 ~ 2 d^2 = 1.7e-18; the naive float sum of
    # q log(q/p) returns a difference of two 1e-9 numbers, mostly rounding.
    d = 2.0**-30
    q, p = [0.5, 0.5], [0.5 + d, 0.5 - d]
    ref = mp_kl_divergence(q, p, generalised=False)
    assert float(ref) == pytest.approx(2 * d**2, rel=1e-8)
    assert eps_error(kl_divergence(q, p), ref, np.float64) <= FEW
    naive = sum(a * math.log(a / b) for a, b in zip(q, p))
    assert abs(naive - float(ref)) > 1e-3 * float(ref)  # what the trick avoids


def test_kl_is_non_negative_where_the_textbook_sum_is_not():
    # Floats that sum to 1 only within rounding: at the exact inputs the
    # textbook sum q log(q/p) is negative (about -1.1e-16: p_3 is one ulp
    # above q_3). The documented (generalised) form q log(q/p) - q + p is
    # >= 0 term by term, here about 1e-32.
    q = np.array([0.1, 0.2, 0.7])
    p = np.array([0.1, 0.2, np.nextafter(0.7, 1)])
    assert mp_kl_divergence(q, p, generalised=False) < 0
    got = kl_divergence(q, p)
    assert got >= 0
    assert eps_error(got, mp_kl_divergence(q, p), np.float64) <= FEW


def test_kl_with_subnormal_model_probability():
    # q / p = 0.5 / 5e-324 overflows; log(q / p) must be taken in parts.
    # [1.0, 5e-324] sums to 1 within rounding; the reference is the same
    # generalised sum at 100 digits (the textbook one differs by 5e-324).
    q, p = [0.5, 0.5], [1.0, 5e-324]
    got = kl_divergence(q, p)
    assert np.isfinite(got)
    assert eps_error(got, mp_kl_divergence(q, p), np.float64) <= FEW
    assert eps_error(cross_entropy(q, p), mp_cross_entropy(q, p), np.float64) <= FEW


@pytest.mark.parametrize("dtype, tiny", [(np.float64, 1e-300), (np.float32, 1e-30)])
def test_kl_when_only_tiny_probabilities_differ(dtype, tiny):
    # q = [5t, 1], p = [t, 1] (1 + 5t rounds to 1: both are distributions).
    # KL = 5t log 5 - 4t is carried by the tiny entries alone; log q - log p
    # would subtract two numbers near -690 and keep 2 digits of log 5.
    q = np.array([5 * tiny, 1.0], dtype=dtype)
    p = np.array([tiny, 1.0], dtype=dtype)
    got = kl_divergence(q, p)
    assert eps_error(got, mp_kl_divergence(q, p), dtype) <= FEW


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kl_ratio_band(dtype):
    # The hardest band: q/p between 2 and 5, where q - p is no longer exact
    # and the direct formula still cancels. One entry carries the divergence.
    rng = np.random.default_rng(13)
    for ratio in np.linspace(1.5, 6, 120):
        a = dtype(10.0 ** rng.uniform(-30, -3))
        b = dtype(a / ratio)
        q = np.array([a, 1 - a], dtype)
        p = np.array([b, 1 - b], dtype)
        assert eps_error(kl_divergence(q, p), mp_kl_divergence(q, p), dtype) <= FEW


def test_bits_of_powers_of_two_are_exact():
    # log(x) / log(2) misses the integer for 221 of the 1074 powers 2^-k of
    # float64 (one more rounding); log2 does not.
    k = np.arange(1, 1075)
    np.testing.assert_array_equal(surprisal(2.0**-k, base=2), k)
    np.testing.assert_array_equal(entropy(np.full(2**12, 2.0**-12), base=2), 12.0)


# --- exact and special values ---------------------------------------------------


def test_chapter_one_example_is_exact():
    # 1 in 8 is three fair coin flips: 3 bits, and 2 + 1 for 1/4 then 1/2.
    assert surprisal(1 / 8, base=2) == 3.0
    assert surprisal(1 / 4, base=2) + surprisal(1 / 2, base=2) == 3.0
    assert entropy([0.5, 0.25, 0.25], base=2) == 1.5
    assert entropy(np.full(8, 1 / 8), base=2) == 3.0
    assert binary_entropy(0.5, base=2) == 1.0


def test_zero_log_zero_is_zero():
    assert entropy([1.0, 0.0]) == 0.0
    assert cross_entropy([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0  # q = 0 = p: no term
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert binary_entropy(0.0) == 0.0 and binary_entropy(1.0) == 0.0
    assert surprisal(1.0) == 0.0 and not np.signbit(surprisal(1.0))


def test_infinite_where_the_model_says_impossible():
    assert surprisal(0.0) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    # but not the other way round: q = 0 where p > 0 is finite
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))


def test_one_hot_cross_entropy_is_negative_log_likelihood():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    q = np.eye(3)[[0, 2]]
    np.testing.assert_allclose(cross_entropy(q, p), -np.log([0.7, 0.8]), rtol=1e-16)


def test_swapping_arguments_changes_the_value():
    # mpmath: KL([.5,.5] || [.9,.1]) = 0.5108..., KL([.9,.1] || [.5,.5]) = 0.3681...
    a, b = [0.5, 0.5], [0.9, 0.1]
    assert eps_error(kl_divergence(a, b), mp_kl_divergence(a, b), np.float64) <= FEW
    assert eps_error(kl_divergence(b, a), mp_kl_divergence(b, a), np.float64) <= FEW
    assert kl_divergence(a, b) > kl_divergence(b, a) + 0.1


@pytest.mark.parametrize("dtype", ALL_FLOATS)
def test_dtypes_are_kept(dtype):
    q = np.array([0.5, 0.5], dtype=dtype)
    for value in (
        entropy(q),
        cross_entropy(q, q),
        kl_divergence(q, q),
        surprisal(q),
        binary_entropy(q),
    ):
        assert np.asarray(value).dtype == dtype


def test_integers_and_lists_become_float64():
    assert np.asarray(entropy([1, 0])).dtype == np.float64
    assert np.asarray(surprisal([1, 0])).dtype == np.float64
    assert np.asarray(cross_entropy([0, 1], [0.5, 0.5])).dtype == np.float64


def test_mixed_precision_pair_computes_in_the_wider_type():
    q = np.array([0.5, 0.5], np.float32)
    p = np.array([0.25, 0.75])
    assert np.asarray(kl_divergence(q, p)).dtype == np.float64


def test_batches_reduce_over_axis():
    q = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    assert entropy(q).shape == (3,)
    assert entropy(q.T, axis=0).shape == (3,)
    np.testing.assert_array_equal(entropy(q.T, axis=0), entropy(q))


# --- properties ------------------------------------------------------------------


@st.composite
def distribution_pairs(draw, max_k=6):
    """(q, p) of one length, normalised in float64; q may have zeros."""
    k = draw(st.integers(1, max_k))
    weights = st.floats(0, 1e3, allow_subnormal=False)
    q = draw(hnp.arrays(np.float64, k, elements=weights))
    p = draw(hnp.arrays(np.float64, k, elements=st.floats(1e-6, 1e3)))
    assume(q.sum() > 0)
    return q / q.sum(), p / p.sum()


def sum_slack(q, p):
    """How far the textbook identities can be off for float sums near 1."""
    return abs(np.sum(p) - np.sum(q)) + 8 * len(q) * np.finfo(float).eps


@hypothesis_settings
@given(distribution_pairs())
def test_gibbs_inequality(pair):
    q, p = pair
    assert kl_divergence(q, p) >= 0
    assert cross_entropy(q, p) >= entropy(q) - sum_slack(q, p) * (1 + entropy(q))


@hypothesis_settings
@given(distribution_pairs())
def test_cross_entropy_of_a_distribution_with_itself_is_its_entropy(pair):
    q, _ = pair
    assert cross_entropy(q, q) == entropy(q)
    assert kl_divergence(q, q) == 0.0


@hypothesis_settings
@given(distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl(pair):
    q, p = pair
    lhs = cross_entropy(q, p)
    rhs = entropy(q) + kl_divergence(q, p)
    assert abs(lhs - rhs) <= 4 * np.finfo(float).eps * lhs + sum_slack(q, p) * (
        1 + lhs
    )


@hypothesis_settings
@given(distribution_pairs(), st.sampled_from([2, 10, 0.5, 7.25]))
def test_bits_are_nats_over_log_base(pair, base):
    q, p = pair
    for function in (cross_entropy, kl_divergence):
        nats, other = function(q, p), function(q, p, base=base)
        assert other == pytest.approx(nats / math.log(base), rel=6e-16, abs=1e-300)
    assert entropy(q, base=base) == pytest.approx(
        entropy(q) / math.log(base), rel=6e-16, abs=1e-300
    )


@hypothesis_settings
@given(distribution_pairs())
def test_entropy_is_at_most_log_k(pair):
    q, _ = pair
    assert 0 <= entropy(q) <= math.log(len(q)) * (1 + 4e-16) + 4e-16


@hypothesis_settings
@given(st.floats(0, 1))
def test_binary_entropy_is_entropy_of_a_coin(p):
    assume(p + (1 - p) == 1)  # the pair is a distribution to the last bit
    assert binary_entropy(p) == pytest.approx(entropy([p, 1 - p]), rel=1e-15)
    if p >= 0.5:  # 1 - p is exact (Sterbenz), so the coin can be flipped
        assert binary_entropy(p) == binary_entropy(1 - p)


@hypothesis_settings
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
        elements=st.floats(1e-3, 1),
    ),
    st.data(),
)
def test_axis_is_moveaxis(weights, data):
    axis = data.draw(st.integers(-weights.ndim, weights.ndim - 1))
    q = weights / weights.sum(axis=axis, keepdims=True)
    p = np.flip(q, axis=axis)
    q_last, p_last = np.moveaxis(q, axis, -1), np.moveaxis(p, axis, -1)
    np.testing.assert_allclose(entropy(q, axis=axis), entropy(q_last), rtol=1e-15)
    for function in (cross_entropy, kl_divergence):
        np.testing.assert_allclose(
            function(q, p, axis=axis), function(q_last, p_last), rtol=1e-15, atol=1e-300
        )


@pytest.mark.parametrize("p", [0.0, 1e-300, 0.1, 0.5, 1.0])
def test_surprisal_matches_bits_definition(p):
    # mpmath: -log2(p), independent of the nats route
    assert eps_error(surprisal(p, base=2), mp_surprisal(p, 2), np.float64) <= 1
    assert mpmath.isinf(mp_surprisal(0.0)) and surprisal(0.0) == np.inf


def _mp_kl_renormalised(q, p):
    """KL(q / sum q || p / sum p) at 100 digits from the exact floats: the
    divergence of the distributions the rows stand for, whatever their
    rounding in the last place."""
    with mpmath.workdps(100):
        qs = [mpmath.mpf(float(v)) for v in q]
        ps = [mpmath.mpf(float(v)) for v in p]
        sq, sp = mpmath.fsum(qs), mpmath.fsum(ps)
        return mpmath.fsum((a / sq) * mpmath.log((a / sq) / (b / sp))
                           for a, b in zip(qs, ps) if a > 0)


@pytest.mark.parametrize("k", [3, 10, 100, 1000, 10_000])
def test_kl_of_close_distributions_within_8_eps(k):
    # issue 9: p = q (1 + 1e-4 noise), renormalised, was 3.1e4 eps off.
    rng = np.random.default_rng(k)
    x = rng.exponential(size=k)
    q = x / x.sum()
    p = q * (1 + 1e-4 * rng.standard_normal(k))
    p /= p.sum()
    ref = _mp_kl_renormalised(q, p)
    assert eps_error(kl_divergence(q, p), ref, np.float64) <= 8
    assert eps_error(kl_divergence(np.stack([q, p]), np.stack([p, q]))[0],
                     ref, np.float64) <= 8
