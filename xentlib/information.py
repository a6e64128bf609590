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
  ``[0, 1]`` and distributions must sum to 1 along ``axis`` (within the
  larger of ``sqrt(eps)`` and ``4 K eps``); otherwise a ValueError names
  the argument.
* No warnings: ``log`` is only ever evaluated at positive numbers.
"""

import math

import numpy as np

from ._validation import (
    as_float_array,
    check_base,
    check_distribution,
    check_probabilities,
    check_same_shape,
    working_dtype,
)

__all__ = [
    "surprisal",
    "entropy",
    "binary_entropy",
    "cross_entropy",
    "kl_divergence",
]


def _log(x, base):
    """``log_base(x)`` for ``x > 0``; log2/log10 directly, so powers are exact."""
    if base is None:
        return np.log(x)
    if base == 2:
        return np.log2(x)
    if base == 10:
        return np.log10(x)
    return np.log(x) / math.log(base)  # a Python float keeps float32 as float32


def _from_nats(x, base):
    return x if base is None else x / math.log(base)


def _probabilities(p, name):
    """Validated probabilities as (input dtype, working-precision array)."""
    array = as_float_array(p, name)
    check_probabilities(array, name)
    return array.dtype, array.astype(working_dtype(array.dtype), copy=False)


def _distribution_pair(q, p, axis):
    """Validate ``q`` and ``p`` as distributions of one shape along ``axis``."""
    q_array = as_float_array(q, "q")
    p_array = as_float_array(p, "p")
    check_same_shape(q_array, "q", p_array, "p")
    check_distribution(q_array, "q", axis)
    check_distribution(p_array, "p", axis)
    dtype = np.result_type(q_array, p_array)
    work = working_dtype(dtype)
    return dtype, q_array.astype(work, copy=False), p_array.astype(work, copy=False)


def _weighted_surprisal(q, p, base):
    """Elementwise ``-q log p`` with ``0 log p = 0`` and ``q > 0 = p -> inf``."""
    usable = (q > 0) & (p > 0)
    # 0.0 - log: -log(1) is 0.0, not -0.0.
    surprise = 0.0 - _log(np.where(usable, p, 1), base)
    terms = np.where(usable, q * surprise, 0)
    return np.where((q > 0) & (p == 0), np.inf, terms).astype(q.dtype, copy=False)


def surprisal(p, base=None):
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


def entropy(q, axis=-1, base=None):
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


def binary_entropy(p, base=None):
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
    small_side = r_safe * (0.0 - _log(r_safe, base))
    large_side = (1 - r_safe) * _from_nats(0.0 - np.log1p(-r_safe), base)
    out = np.where(positive, small_side + large_side, 0)
    return out.astype(dtype, copy=False)[()]


def cross_entropy(q, p, axis=-1, base=None):
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
# 40 terms reach 2^-56 of the leading one at |w| = 3/5, the widest use below.
_ATANH_SERIES = [1.0 / (2 * k + 1) for k in range(1, 41)]
_SERIES_RADIUS = 0.6  # q/p in [1/4, 4]
_LN2 = math.log(2)


def _log_ratio(q, p):
    """``log(q / p)`` for positive ``q, p``, with no overflow in ``q / p``.

    Mantissas and exponents are separated (``x = m 2^e``, ``m`` in [1/2, 1)),
    so the ratio of mantissas is in (1/2, 2) even when ``p`` is subnormal.
    """
    q_mantissa, q_exponent = np.frexp(q)
    p_mantissa, p_exponent = np.frexp(p)
    exponent = (q_exponent - p_exponent).astype(q.dtype)
    return np.log(q_mantissa / p_mantissa) + exponent * _LN2


def _kl_terms(q, p):
    """Elementwise ``q log(q/p) - q + p`` (each term >= 0), in nats.

    Summed over a distribution the ``-q + p`` parts cancel, leaving the KL
    divergence; keeping them makes each term non-negative, so that the sum of
    nearly equal distributions is small and positive instead of a difference
    of large numbers. With ``d = q - p`` and ``w = d / (q + p)`` the term is

        d w + (q + p)(1 + w)(atanh(w) - w),

    two terms of one sign (the second at most 28 % of the first), evaluated
    with the series of ``atanh(w) - w`` where ``q/p`` is in ``[1/4, 4]``.
    There ``d`` is exact or nearly so (Sterbenz), and nothing cancels.
    Elsewhere the direct formula loses at most a factor of about 3.
    """
    both = (q > 0) & (p > 0)
    q_safe = np.where(both, q, 1)
    p_safe = np.where(both, p, 1)
    total = q_safe + p_safe
    difference = q_safe - p_safe
    w = difference / total
    w2 = w * w
    series = np.zeros_like(w)
    for coefficient in reversed(_ATANH_SERIES):
        series = series * w2 + coefficient
    near = difference * w + total * (1 + w) * (w * w2 * series)
    far = q_safe * _log_ratio(q_safe, p_safe) - difference
    terms = np.where(np.abs(w) <= _SERIES_RADIUS, near, far)
    terms = np.where(q == 0, p, terms)  # 0 log 0 = 0: only the +p part is left
    return np.where((q > 0) & (p == 0), np.inf, terms).astype(q.dtype, copy=False)


def kl_divergence(q, p, axis=-1, base=None):
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
    When ``q`` and ``p`` are only normalised to within rounding, the value is
    this generalised divergence (which differs from the first form by
    ``sum(p) - sum(q)``). Not symmetric in ``q`` and ``p``.

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
    dtype, q_work, p_work = _distribution_pair(q, p, axis)
    nats = np.sum(_kl_terms(q_work, p_work), axis=axis)
    return _from_nats(nats, base).astype(dtype, copy=False)[()]
