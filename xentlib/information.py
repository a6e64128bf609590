"""Information on distributions: surprisal, entropy, cross-entropy, KL divergence.

``q`` is always the true distribution and ``p`` the model's, in that order:
``cross_entropy(q, p)`` is :math:`H(q, p) = -\\sum_i q_i \\log p_i`.

Conventions shared by the module:

* ``base=None`` gives nats; ``base=2`` bits; any finite ``base > 0`` other
  than 1 is accepted. Bits use ``log2`` directly, so dyadic probabilities give
  exact answers (``surprisal(1/8, base=2) == 3.0``).
* ``0 log 0 = 0``: an outcome with ``q_i = 0`` contributes nothing, even
  where ``p_i = 0``. An outcome with ``q_i > 0 = p_i`` makes the cross-entropy
  and the KL divergence ``+inf`` (the model calls impossible what happens).
* Inputs may be lists or arrays; integers become float64, float16 is
  computed in float32 and returned as float16. Probabilities must lie in
  ``[0, 1]`` and distributions must sum to 1 along ``axis`` within
  8 eps of their dtype, whatever their length
  (``SUM_TOLERANCE_EPS`` in ``xentlib._validation``); otherwise a ValueError
  names the argument. An empty batch (shape ``(0, K)``) gives an empty result.
* No warnings: ``log`` is only ever evaluated at positive numbers.
"""

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from ._kernels import from_nats, log_in_base
from ._validation import (
    as_float_array,
    check_base,
    check_distribution,
    check_probabilities,
    check_same_shape,
    normalize_axis,
    working_dtype,
)

__all__ = [
    "surprisal",
    "entropy",
    "binary_entropy",
    "cross_entropy",
    "kl_divergence",
]


def _probabilities(p: Any, name: str) -> Any:
    """Validated probabilities as (input dtype, working-precision array)."""
    array = as_float_array(p, name)
    check_probabilities(array, name)
    return array.dtype, array.astype(working_dtype(array.dtype), copy=False)


def _distribution_pair(q: Any, p: Any, axis: int) -> Any:
    """Validate ``q`` and ``p`` as distributions of one shape along ``axis``."""
    q_array = as_float_array(q, "q")
    p_array = as_float_array(p, "p")
    check_same_shape(q_array, "q", p_array, "p")
    check_distribution(q_array, "q", axis)
    check_distribution(p_array, "p", axis)
    dtype = np.result_type(q_array, p_array)
    work = working_dtype(dtype)
    return dtype, q_array.astype(work, copy=False), p_array.astype(work, copy=False)


def _weighted_surprisal(q: Any, p: Any, base: float | None) -> Any:
    """Elementwise ``-q log p`` with ``0 log p = 0`` and ``q > 0 = p -> inf``."""
    usable = (q > 0) & (p > 0)
    # 0.0 - log: -log(1) is 0.0, not -0.0.
    surprise = 0.0 - log_in_base(np.where(usable, p, 1), base)
    terms = np.where(usable, q * surprise, 0)
    return np.where((q > 0) & (p == 0), np.inf, terms).astype(q.dtype, copy=False)


def surprisal(p: npt.ArrayLike, base: float | None = None) -> Any:
    """Self-information ``-log p`` of an outcome of probability ``p``.

    .. math::

        I(p) = -\\log_b p = \\log_b \\frac{1}{p}.

    Parameters
    ----------
    p : array_like, any shape
        Probabilities in ``[0, 1]``.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    ndarray or scalar, same shape as ``p``
        Surprisal, ``>= 0``; ``surprisal(0) = inf`` and ``surprisal(1) = 0``.

    Notes
    -----
    The logarithm is the only function that turns the product of
    probabilities of independent events into a sum of surprisals.

    See chapter 1, *Surprise*.

    Examples
    --------
    >>> from xentlib import surprisal
    >>> print(surprisal(1 / 8, base=2))  # 1 in 8: three fair coin flips
    3.0
    >>> print(surprisal([1.0, 0.5, 0.0], base=2))
    [ 0.  1. inf]
    """
    base = check_base(base)
    dtype, work = _probabilities(p, "p")
    out = _weighted_surprisal(np.ones_like(work), work, base)
    return out.astype(dtype, copy=False)[()]


def entropy(q: npt.ArrayLike, axis: int = -1, base: float | None = None) -> Any:
    """Shannon entropy of the distributions along ``axis``: the expected surprisal.

    .. math::

        H(q) = -\\sum_{i=1}^{K} q_i \\log_b q_i, \\qquad 0 \\log 0 = 0.

    Parameters
    ----------
    q : array_like, shape (..., K, ...)
        Probability distributions along ``axis``.
    axis : int, default -1
        The outcome axis, reduced over.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    ndarray or scalar, shape (...)
        ``0 <= H(q) <= log_b K``.

    Notes
    -----
    Each term ``-q_i log q_i`` is ``>= 0``, so the sum has no cancellation and
    a few eps of relative error.

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import entropy
    >>> print(entropy([0.5, 0.25, 0.25], base=2))
    1.5
    >>> print(np.round(entropy([[1.0, 0.0], [0.5, 0.5]]), 4))  # nats
    [0.     0.6931]
    """
    base = check_base(base)
    array = as_float_array(q, "q")
    check_distribution(array, "q", axis)
    work = array.astype(working_dtype(array.dtype), copy=False)
    terms = _weighted_surprisal(work, work, base)
    return np.sum(terms, axis=axis).astype(array.dtype, copy=False)[()]


def binary_entropy(p: npt.ArrayLike, base: float | None = None) -> Any:
    """Entropy of a coin that lands heads with probability ``p``, elementwise.

    .. math::

        H_b(p) = -p \\log_b p - (1 - p) \\log_b (1 - p).

    Parameters
    ----------
    p : array_like, any shape
        Probabilities in ``[0, 1]``.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    ndarray or scalar, same shape as ``p``
        ``H_b(0) = H_b(1) = 0``; the maximum is ``H_b(1/2) = log_b 2``.

    Notes
    -----
    ``H_b(p) = H_b(1 - p)``, and the formula is evaluated at the smaller of the
    two, ``r <= 1/2``, where ``1 - r`` is exact for ``r = 1 - p`` and
    ``log(1 - r)`` is ``log1p(-r)``: a few eps of relative error, also for
    ``p`` within 1e-300 of 0 or 1e-16 of 1.

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import binary_entropy
    >>> print(binary_entropy(0.5, base=2))
    1.0
    >>> print(np.round(binary_entropy([0.0, 0.1, 0.9, 1.0], base=2), 4))
    [0.    0.469 0.469 0.   ]
    """
    base = check_base(base)
    dtype, work = _probabilities(p, "p")
    # 1 - p is exact for p >= 1/2 (Sterbenz), so r is exactly the smaller side.
    r = np.where(work <= 0.5, work, 1 - work)
    positive = r > 0
    r_safe = np.where(positive, r, 0.5)  # log only at positive numbers
    small_side = r_safe * (0.0 - log_in_base(r_safe, base))
    large_side = (1 - r_safe) * from_nats(0.0 - np.log1p(-r_safe), base)
    out = np.where(positive, small_side + large_side, 0)
    return out.astype(dtype, copy=False)[()]


def cross_entropy(
    q: npt.ArrayLike, p: npt.ArrayLike, axis: int = -1, base: float | None = None
) -> Any:
    """Cross-entropy ``H(q, p)``: the average surprisal of the model ``p`` under ``q``.

    .. math::

        H(q, p) = -\\sum_{i=1}^{K} q_i \\log_b p_i = H(q) + D_{\\mathrm{KL}}(q \\| p).

    Parameters
    ----------
    q : array_like, shape (..., K, ...)
        True distributions along ``axis`` (one-hot labels are distributions).
    p : array_like, same shape as ``q``
        Model distributions along ``axis``.
    axis : int, default -1
        The outcome axis, reduced over.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    ndarray or scalar, shape (...)
        ``H(q, p) >= H(q)``; ``+inf`` where some ``q_i > 0 = p_i``.

    Notes
    -----
    Terms with ``q_i = 0`` are 0 whatever ``p_i`` is, so a one-hot ``q`` gives
    ``-log p_y`` (the negative log-likelihood of the label). Every term is
    ``>= 0``: a few eps of relative error. The function is not symmetric:
    ``cross_entropy(p, q)`` is another number. For logits, use
    :func:`xentlib.logits.log_softmax` rather than ``log`` of a softmax.

    See chapter 4, *Cross-entropy*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import cross_entropy
    >>> print(np.round(cross_entropy([1.0, 0.0, 0.0], [0.7, 0.2, 0.1]), 4))
    0.3567
    >>> print(cross_entropy([0.5, 0.5], [0.25, 0.75], base=2) > 1.0)  # > H(q)
    True
    """
    base = check_base(base)
    dtype, q_work, p_work = _distribution_pair(q, p, axis)
    terms = _weighted_surprisal(q_work, p_work, base)
    return np.sum(terms, axis=axis).astype(dtype, copy=False)[()]


# 1/3, 1/5, ...: the series of atanh(w) - w = w^3/3 + w^5/5 + ... in w^2.
# 40 terms reach 2^-56 of the leading one at |w| = 3/5, the widest use below;
# closer distributions need fewer (:func:`_series_length`).
_ATANH_SERIES = np.array([1.0 / (2 * k + 1) for k in range(1, 41)])
_TWICE_SERIES = 2 * _ATANH_SERIES  # the term is d w + q (2 atanh(w) - 2 w)
_SERIES_RADIUS = 0.6  # q/p in [1/4, 4]
_LN2 = math.log(2)
# Elements per block of rows in kl_divergence: the dozen passes over a block
# then run in cache instead of streaming whole arrays through memory.
_KL_BLOCK = 1 << 15


def _log_ratio(q: Any, p: Any) -> Any:
    """``log(q / p)`` for positive ``q, p``, with no overflow in ``q / p``.

    Mantissas and exponents are separated (``x = m 2^e``, ``m`` in [1/2, 1)),
    so the ratio of mantissas is in (1/2, 2) even when ``p`` is subnormal.
    """
    q_mantissa, q_exponent = np.frexp(q)
    p_mantissa, p_exponent = np.frexp(p)
    exponent = (q_exponent - p_exponent).astype(q.dtype)
    return np.log(q_mantissa / p_mantissa) + exponent * _LN2


def _series_length(w_max: Any) -> Any:
    """Terms of the atanh series for a truncation below 2^-56 at ``|w| <= w_max``.

    The k-th term is at most ``w_max^(2k)`` times the first, so
    ``n = 56 ln 2 / (2 ln(1 / w_max))`` terms suffice: 3 for close
    distributions (``|w| ~ 1e-4``), 38 at the radius 3/5.
    """
    if w_max < 1e-300:
        return 1
    n = math.ceil(56 * _LN2 / (2 * math.log(1 / w_max)))
    return min(max(n, 1), len(_ATANH_SERIES))


def _near_terms(q: Any, d: Any, w: Any, w_max: Any, out: Any = None) -> Any:
    """``q log(q/p) - q + p`` where ``w = (q - p) / (q + p)`` is in [-3/5, 3/5].

    With ``log(q/p) = 2 atanh(w)`` the term is ``d w + 2 q (atanh(w) - w)``:
    two terms of one sign (the second at most 28 % of the first), ``d``
    exact or nearly so (Sterbenz), nothing cancels. ``d`` is overwritten.
    """
    n_terms = _series_length(w_max)
    w2 = w * w
    series = np.multiply(w2, _TWICE_SERIES[n_terms - 1], out=out)
    for coefficient in _TWICE_SERIES[: n_terms - 1][::-1]:  # Horner in w^2
        series += coefficient
        series *= w2
    series *= w
    series *= q
    series += np.multiply(d, w, out=d)
    return series


def _far_terms(q: Any, p: Any) -> Any:
    """``q log(q/p) - q + p`` where ``q/p`` is outside [1/4, 4], or a zero:
    the direct formula loses at most a factor of about 3 there."""
    both = (q > 0) & (p > 0)
    q_safe, p_safe = np.where(both, q, 1), np.where(both, p, 1)
    terms = q_safe * _log_ratio(q_safe, p_safe) - (q_safe - p_safe)
    terms = np.where(q == 0, p, terms)  # 0 log 0 = 0: only the +p part is left
    return np.where((q > 0) & (p == 0), np.inf, terms)


def _kl_terms(q: Any, p: Any) -> Any:
    """Elementwise ``q log(q/p) - q + p`` (each term >= 0), in nats.

    Summed over a distribution the ``-q + p`` parts cancel, leaving the KL
    divergence; keeping them makes each term non-negative, so that the sum of
    nearly equal distributions is small and positive instead of a difference
    of large numbers. The common case (every ``q/p`` in [1/4, 4]) is one
    vectorised series; the rest is evaluated only where it occurs.
    """
    d = q - p
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where q = p = 0
        w = d / (q + p)
    w_abs = np.abs(w)
    w_max = float(np.max(w_abs)) if w.size else 0.0  # NaN if any 0/0
    if w_max <= _SERIES_RADIUS:
        return _near_terms(q, d, w, w_max)
    near = w_abs <= _SERIES_RADIUS  # False at NaN
    terms = np.empty_like(q)
    if near.any():
        terms[near] = _near_terms(q[near], d[near], w[near], float(np.max(w_abs[near])))
    far = ~near
    terms[far] = _far_terms(q[far], p[far])
    return terms


def _kl_row_sums(q: Any, p: Any) -> Any:
    """``sum_j (q log(q/p) - q + p)`` over the last axis of (R, K) arrays.

    Blocks of rows of about :data:`_KL_BLOCK` elements reuse four buffers,
    so that every pass runs in cache; a block with any ratio outside the
    series' radius (or a zero) goes through :func:`_kl_terms`.
    """
    n_rows, k = q.shape
    if n_rows * k <= _KL_BLOCK:  # one block: no buffers to set up
        return _kl_block_sums(q, p, np.empty_like(q), np.empty_like(q))
    rows_per_block = max(1, _KL_BLOCK // max(k, 1))
    out = np.empty(n_rows, dtype=q.dtype)
    buffers = np.empty((3, min(rows_per_block, n_rows), k), dtype=q.dtype)
    for i in range(0, n_rows, rows_per_block):
        j = min(i + rows_per_block, n_rows)
        d, w = buffers[0, : j - i], buffers[1, : j - i]
        out[i:j] = _kl_block_sums(q[i:j], p[i:j], d, w, buffers[2, : j - i])
    return out


def _kl_block_sums(q: Any, p: Any, d: Any, w: Any, series: Any | None = None) -> Any:
    """Row sums of ``q log(q/p) - q + p`` for one block of rows, computed in
    the buffers ``d``, ``w`` and ``series`` of its shape (None: a new one)."""
    np.subtract(q, p, out=d)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0: q = p = 0
        np.divide(d, np.add(q, p, out=w), out=w)
    series = np.abs(w, out=series)
    w_max = float(series.max()) if w.size else 0.0
    if w_max <= _SERIES_RADIUS:  # False at NaN
        terms = _near_terms(q, d, w, w_max, out=series)
    else:
        terms = _kl_terms(q, p)
    return terms.sum(axis=1)


def kl_divergence(
    q: npt.ArrayLike, p: npt.ArrayLike, axis: int = -1, base: float | None = None
) -> Any:
    """Kullback-Leibler divergence ``KL(q || p)`` of the model ``p`` from ``q``.

    .. math::

        D_{\\mathrm{KL}}(q \\| p) = \\sum_{i=1}^{K} q_i \\log_b \\frac{q_i}{p_i}
        = \\sum_{i=1}^{K} \\Big(q_i \\log_b \\frac{q_i}{p_i}
        - \\frac{q_i - p_i}{\\ln b}\\Big).

    Parameters
    ----------
    q : array_like, shape (..., K, ...)
        True distributions along ``axis``.
    p : array_like, same shape as ``q``
        Model distributions along ``axis``.
    axis : int, default -1
        The outcome axis, reduced over.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    ndarray or scalar, shape (...)
        ``>= 0``, 0 exactly when ``q == p``; ``+inf`` where some ``q_i > 0 = p_i``.

    Notes
    -----
    The second form is the one computed: the added terms sum to zero for
    distributions, and they make every term ``>= 0`` (``x log x - x + 1 >= 0``
    with ``x = q_i / p_i``). So rounding can never make the result negative,
    and for nearly equal ``q`` and ``p`` the result keeps a few eps of
    *relative* accuracy rather than being a difference of large numbers.
    Floats that stand for distributions sum to 1 only within rounding; the
    value returned is the KL divergence of the distributions they stand for,
    ``q / sum(q)`` and ``p / sum(p)``: the generalised sum divided by
    ``sum(q)`` (exact up to ``(sum q / sum p - 1)^2 / 2``, of order eps^2).
    It agrees with mpmath at 100 digits within 1 eps on close distributions
    (``p = q (1 + 1e-4 noise)``, renormalised, K = 3 to 10^4), where
    ``scipy.special.kl_div(q, p).sum()`` is 10^5 to 10^7 eps off
    (``benchmarks/bench_kl_divergence.py``).

    Speed: where every ``q_i / p_i`` lies in ``[1/4, 4]`` the terms are one
    series in ``w = (q - p) / (q + p)``, truncated after as many terms as the
    largest ``|w|`` needs (3 at ``|w| ~ 1e-4``), over blocks of rows that stay
    in cache; from about 10^5 elements this is faster than scipy's
    ``kl_div`` path. Not symmetric in ``q`` and ``p``.

    See chapter 3, *KL divergence*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import kl_divergence
    >>> print(np.round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4))
    0.5108
    >>> print(np.round(kl_divergence([0.9, 0.1], [0.5, 0.5]), 4))  # not symmetric
    0.3681
    >>> print(kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]))
    0.0
    """
    base = check_base(base)
    q_array = as_float_array(q, "q")
    p_array = as_float_array(p, "p")
    check_same_shape(q_array, "q", p_array, "p")
    q_total = check_distribution(q_array, "q", axis)
    check_distribution(p_array, "p", axis)
    dtype = np.result_type(q_array, p_array)
    work = working_dtype(dtype)
    axis = normalize_axis(axis, q_array.ndim)
    q_rows, p_rows = q_array.astype(work, copy=False), p_array.astype(work, copy=False)
    if axis != q_rows.ndim - 1:  # moveaxis costs microseconds even when idle
        q_rows, p_rows = np.moveaxis(q_rows, axis, -1), np.moveaxis(p_rows, axis, -1)
    shape = q_rows.shape[:-1]
    sums = _kl_row_sums(
        q_rows.reshape(-1, q_rows.shape[-1]), p_rows.reshape(-1, p_rows.shape[-1])
    ).reshape(shape)
    # The KL divergence of q / sum(q) and p / sum(p): the generalised sum
    # divided by sum(q) (up to -(sum q / sum p - 1)^2 / 2, of order eps^2).
    nats = sums / q_total
    return from_nats(nats, base).astype(dtype, copy=False)[()]
