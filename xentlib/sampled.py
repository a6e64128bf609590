r"""Sampled softmax and negative sampling: what they estimate, and their bias.

A full softmax over V classes needs all V logits for every token. Two ways
of avoiding that look at the label and a few sampled classes only:

* **Sampled softmax** estimates the normaliser :math:`Z = \sum_v e^{z_v}` by
  importance sampling: with K classes :math:`s_k` drawn from a proposal
  :math:`Q`, :math:`\hat Z = e^{z_y} + \frac1K \sum_k [s_k \ne y]\,
  e^{z_{s_k}} / Q_{s_k}` is unbiased for Z, and the loss
  :math:`\log \hat Z - z_y` is the full cross-entropy with Z replaced by
  :math:`\hat Z`. The logarithm is concave, so the sampled loss is biased
  *low* (Jensen), by about :math:`\operatorname{Var}(\hat Z) / (2 Z^2)`;
  the bias vanishes when Q is the model's own distribution over the
  classes other than the label (then :math:`\hat Z = Z` for every sample).
* **Negative sampling** (word2vec) is not an estimator of the softmax
  cross-entropy at all: it trains a binary classifier, label against K
  "noise" classes drawn from :math:`P_n`, and its optimal logits are
  :math:`z_w = \log q_w - \log(K P_n(w))` (Levy and Goldberg's shifted
  PMI when q is a conditional and :math:`P_n` the unigram distribution),
  so a softmax of them gives :math:`q_w / P_n(w)` renormalised, not q.

The derivations are in :mod:`xentlib.symbolic.sampling`; chapter 12
computes the biases.

See chapter 12, *Cross-entropy at scale*.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from ._reduction import kept_rows, reduce_rows, row_scale
from ._validation import (
    as_float_array,
    as_int,
    check_distribution,
    check_finite,
    check_reduction,
    class_labels,
    positive_int,
)
from .logits import log_sigmoid

__all__ = [
    "sampled_softmax_cross_entropy",
    "sampled_softmax_cross_entropy_grad",
    "negative_sampling_loss",
    "expected_negative_sampling_loss",
    "negative_sampling_optimum",
]


def _logits_and_labels(
    logits: npt.ArrayLike, labels: npt.ArrayLike, ignore_index: int
) -> tuple[Any, Any, Any]:
    z = as_float_array(logits, "logits")
    if z.ndim != 2:
        raise ValueError(f"logits must be 2-D (N, V), got shape {z.shape}")
    check_finite(z, "logits")
    if z.shape[1] == 0:
        raise ValueError("logits must have at least one class (V >= 1)")
    y = class_labels(labels, "labels", (z.shape[0],), z.shape[1], ignore_index)
    y, _kept, row_w = kept_rows(y, None, ignore_index)
    return z, y, row_w


def _samples(samples: npt.ArrayLike, n: int, vocab: int, name: str) -> Any:
    """Class indices, shape (K,) shared by all rows or (N, K); as (N, K)."""
    s = np.asarray(samples)
    if s.ndim not in (1, 2) or (s.ndim == 2 and s.shape[0] != n):
        raise ValueError(
            f"{name} must have shape (K,) or (N, K) with N = {n}, got shape {s.shape}"
        )
    if s.shape[-1] == 0:
        raise ValueError(f"{name} must hold at least one class (K >= 1)")
    flat = class_labels(s.reshape(-1), name, (s.size,), vocab)
    return np.broadcast_to(flat.reshape(s.shape), (n, s.shape[-1]))


def _sampled_parts(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    samples: npt.ArrayLike,
    proposal: npt.ArrayLike,
    remove_accidental_hits: bool,
    ignore_index: int,
) -> tuple[Any, ...]:
    """Shared work: per row the shift m, e^{z_y - m}, the weighted sample terms."""
    z, y, row_w = _logits_and_labels(logits, labels, ignore_index)
    n, vocab = z.shape
    q = as_float_array(proposal, "proposal").astype(np.float64)
    if q.shape != (vocab,):
        raise ValueError(f"proposal must have shape ({vocab},), got shape {q.shape}")
    check_distribution(q, "proposal")
    s = _samples(samples, n, vocab, "samples")
    if (q[s] == 0).any():
        raise ValueError("samples contains a class the proposal gives probability 0")
    z64 = z.astype(np.float64)
    r = np.arange(n)[:, None]
    z_y = z64[r[:, 0], y]
    z_s = z64[r, s]
    keep = s != y[:, None] if remove_accidental_hits else np.ones(s.shape, bool)
    # log of each term of Z-hat: z_y, and z_s - log(K Q_s) for kept samples
    log_terms = np.where(keep, z_s - np.log(s.shape[1] * q[s]), -np.inf)
    m = np.maximum(z_y, log_terms.max(axis=1))  # shift: no overflow
    e_y = np.exp(z_y - m)
    e_s = np.exp(log_terms - m[:, None])
    return z, y, row_w, s, z_y, m, e_y, e_s


def sampled_softmax_cross_entropy(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    samples: npt.ArrayLike,
    proposal: npt.ArrayLike,
    *,
    remove_accidental_hits: bool = True,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
    r"""Sampled softmax cross-entropy: the normaliser estimated from K samples.

    .. math::

        \hat\ell = \log \hat Z - z_y, \qquad
        \hat Z = e^{z_y} + \frac{1}{K} \sum_{k=1}^{K}
            [s_k \ne y]\, \frac{e^{z_{s_k}}}{Q_{s_k}},

    an estimate of :math:`\ell = \log \sum_v e^{z_v} - z_y`. Only
    :math:`z_y` and the :math:`z_{s_k}` are read: in a model they are the
    K + 1 dot products ``hidden @ weight[[y, s_1, ..., s_K]].T``.

    Parameters
    ----------
    logits : array_like, shape (N, V)
        Finite logits (only the label's and the samples' are used).
    labels : array_like of int, shape (N,)
        Class indices in ``[0, V)`` or ``ignore_index``.
    samples : array_like of int, shape (K,) or (N, K)
        Classes drawn from ``proposal`` with replacement, shared by the
        batch (shape (K,)) or per row.
    proposal : array_like, shape (V,)
        The distribution Q the samples were drawn from.
    remove_accidental_hits : bool, default True
        Drop samples equal to the row's label. Then
        :math:`E[\hat Z] = Z` exactly; without it
        :math:`E[\hat Z] = Z + e^{z_y}`: the label is counted twice.
    ignore_index : int, default -100
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    float or ndarray
        The sampled loss, a random variable through ``samples``; shape (N,)
        for ``"none"``.

    Notes
    -----
    :math:`\hat Z \ge e^{z_y}`, so :math:`\hat\ell \ge 0`. The sum is
    computed as a log-sum-exp of the K + 1 terms
    :math:`z_y, z_{s_k} - \log(K Q_{s_k})`, shifted by their maximum. Since
    :math:`E[\hat Z] = Z` and the logarithm is concave,
    :math:`E[\hat\ell] \le \ell` (Jensen): the sampled loss is biased low,
    by :math:`\operatorname{Var}(\hat Z) / (2 Z^2)` to second order, which
    shrinks like 1/K and is zero when :math:`Q_v \propto e^{z_v}` for
    :math:`v \ne y` (derived in :mod:`xentlib.symbolic.sampling`).

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import softmax_cross_entropy
    >>> z = np.array([[2.0, 1.0, 0.0, -1.0]])
    >>> uniform = np.full(4, 0.25)
    >>> est = sampled_softmax_cross_entropy(z, [0], [1, 2, 3], uniform)
    >>> print(round(float(est), 4), round(float(softmax_cross_entropy(z, [0])), 4))
    0.5524 0.4402

    With Q the model's own distribution over the other classes, every
    sample gives the exact loss:

    >>> own = np.exp(z[0]) * [0, 1, 1, 1]
    >>> own /= own.sum()
    >>> print(round(float(sampled_softmax_cross_entropy(z, [0], [1, 1, 3], own)), 4))
    0.4402
    """
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    z, _y, row_w, _s, z_y, m, e_y, e_s = _sampled_parts(
        logits, labels, samples, proposal, remove_accidental_hits, ignore_index
    )
    rest = e_s.sum(axis=1)
    # the label's term is the largest: log1p keeps a small loss accurate
    rows = np.where(m == z_y, np.log1p(rest), np.log(e_y + rest) + m - z_y)
    rows = np.where(row_w > 0, rows, 0.0)
    return reduce_rows(rows, reduction, row_w.sum(), z.dtype)


def sampled_softmax_cross_entropy_grad(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    samples: npt.ArrayLike,
    proposal: npt.ArrayLike,
    *,
    remove_accidental_hits: bool = True,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`sampled_softmax_cross_entropy` with respect to the logits.

    .. math::

        \frac{\partial \hat\ell}{\partial z_y} = \frac{e^{z_y}}{\hat Z} - 1,
        \qquad
        \frac{\partial \hat\ell}{\partial z_v} = \frac{1}{\hat Z}\,
            \frac{e^{z_v}}{K Q_v}\, \#\{k : s_k = v \ne y\},

    zero for classes not sampled: a sparse, self-normalised estimate of
    :math:`p - e_y`. Its expectation differs from :math:`p - e_y` (a ratio
    of random variables), except when :math:`\hat Z` is constant.

    Parameters
    ----------
    logits, labels, samples, proposal, remove_accidental_hits, ignore_index, reduction
        As :func:`sampled_softmax_cross_entropy`.

    Returns
    -------
    ndarray, shape (N, V)
        Dense for teaching; only K + 1 entries per row are non-zero. For
        ``"none"`` the gradient of the summed losses.

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[2.0, 1.0, 0.0, -1.0]])
    >>> own = np.exp(z[0]) * [0, 1, 1, 1]
    >>> own /= own.sum()
    >>> g = sampled_softmax_cross_entropy_grad(z, [0], [1, 1, 3], own)
    >>> print(np.round(g, 4))
    [[-0.3561  0.2374  0.      0.1187]]
    """
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    z, y, row_w, s, _z_y, _m, e_y, e_s = _sampled_parts(
        logits, labels, samples, proposal, remove_accidental_hits, ignore_index
    )
    n = z.shape[0]
    total = e_y + e_s.sum(axis=1)
    coef = row_w * row_scale(reduction, row_w.sum())
    grad = np.zeros(z.shape, dtype=np.float64)
    rows = np.repeat(np.arange(n), s.shape[1])
    np.add.at(grad, (rows, s.reshape(-1)), (e_s / total[:, None]).reshape(-1))
    grad[np.arange(n), y] += e_y / total - 1
    return (grad * coef[:, None]).astype(z.dtype)


def negative_sampling_loss(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    negatives: npt.ArrayLike,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
    r"""Word2vec's negative-sampling loss: the label against K noise classes.

    .. math::

        \ell_{\mathrm{NS}} = -\log \sigma(z_y) - \sum_{k=1}^{K}
            \log \sigma(-z_{n_k}),

    with the negatives :math:`n_k` drawn from a noise distribution
    :math:`P_n` (word2vec: unigram counts to the power 3/4).

    Parameters
    ----------
    logits : array_like, shape (N, V)
        Finite logits (only the label's and the negatives' are used).
    labels : array_like of int, shape (N,)
    negatives : array_like of int, shape (K,) or (N, K)
    ignore_index : int, default -100
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    float or ndarray

    Notes
    -----
    Computed with :func:`~xentlib.logits.log_sigmoid` (no overflow). It is a sum of
    K + 1 binary cross-entropies, not an estimate of the softmax
    cross-entropy: its expected value is minimised at
    :func:`negative_sampling_optimum`.

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[2.0, 1.0, 0.0, -1.0]])
    >>> print(round(float(negative_sampling_loss(z, [0], [2, 3])), 4))
    1.1333
    """
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    z, y, row_w = _logits_and_labels(logits, labels, ignore_index)
    n, vocab = z.shape
    s = _samples(negatives, n, vocab, "negatives")
    z64 = z.astype(np.float64)
    r = np.arange(n)
    rows = -log_sigmoid(z64[r, y]) - log_sigmoid(-z64[r[:, None], s]).sum(axis=1)
    rows = np.where(row_w > 0, rows, 0.0)
    return reduce_rows(rows, reduction, row_w.sum(), z.dtype)


def _noise_and_target(q: npt.ArrayLike, noise: npt.ArrayLike) -> tuple[Any, Any]:
    q_arr = as_float_array(q, "q").astype(np.float64)
    n_arr = as_float_array(noise, "noise").astype(np.float64)
    if q_arr.shape != n_arr.shape or q_arr.ndim != 1:
        raise ValueError(
            f"q and noise must be 1-D of the same length, got shapes "
            f"{q_arr.shape} and {n_arr.shape}"
        )
    check_distribution(q_arr, "q")
    check_distribution(n_arr, "noise")
    return q_arr, n_arr


def expected_negative_sampling_loss(
    logits: npt.ArrayLike, q: npt.ArrayLike, noise: npt.ArrayLike, k: int
) -> float:
    r"""The negative-sampling loss averaged over labels and negatives, exactly.

    .. math::

        E[\ell_{\mathrm{NS}}] = \sum_w q_w \bigl(-\log \sigma(z_w)\bigr)
            + K \sum_w P_n(w) \bigl(-\log \sigma(-z_w)\bigr),

    the label drawn from q and K negatives from :math:`P_n`, independently.

    Parameters
    ----------
    logits : array_like, shape (V,)
    q : array_like, shape (V,)
        Distribution of the label (the data).
    noise : array_like, shape (V,)
        The noise distribution :math:`P_n`.
    k : int
        Negatives per label.

    Returns
    -------
    float

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> q, noise = np.array([0.7, 0.2, 0.1]), np.full(3, 1 / 3)
    >>> best = negative_sampling_optimum(q, noise, 2)
    >>> a = expected_negative_sampling_loss(best, q, noise, 2)
    >>> b = expected_negative_sampling_loss(best + 0.01, q, noise, 2)
    >>> bool(a < b)
    True
    """
    q_arr, n_arr = _noise_and_target(q, noise)
    k = positive_int(k, "k")
    z = as_float_array(logits, "logits").astype(np.float64)
    if z.shape != q_arr.shape:
        raise ValueError(f"logits must have shape {q_arr.shape}, got {z.shape}")
    check_finite(z, "logits")
    return float(-(q_arr * log_sigmoid(z)).sum() - k * (n_arr * log_sigmoid(-z)).sum())


def negative_sampling_optimum(q: npt.ArrayLike, noise: npt.ArrayLike, k: int) -> Any:
    r"""The logits that minimise :func:`expected_negative_sampling_loss`.

    .. math::

        z_w^{*} = \log \frac{q_w}{K\, P_n(w)},
        \qquad \sigma(z_w^{*}) = \frac{q_w}{q_w + K P_n(w)},

    each logit on its own (the expected loss is a sum of one-dimensional
    convex terms). With q a conditional :math:`P(w \mid c)` and :math:`P_n`
    the unigram distribution this is :math:`\mathrm{PMI}(w, c) - \log K`
    (Levy and Goldberg, 2014). A softmax of :math:`z^{*}` is
    :math:`q_w / P_n(w)` renormalised: equal to q only for uniform noise.

    Parameters
    ----------
    q, noise : array_like, shape (V,)
        Positive distributions.
    k : int

    Returns
    -------
    ndarray, shape (V,)

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(negative_sampling_optimum([0.5, 0.5], [0.5, 0.5], 1), 4))
    [0. 0.]
    >>> from xentlib import sigmoid
    >>> best = negative_sampling_optimum([0.7, 0.3], [0.5, 0.5], 2)
    >>> print(np.round(sigmoid(best), 4))
    [0.4118 0.2308]
    """
    q_arr, n_arr = _noise_and_target(q, noise)
    k = positive_int(k, "k")
    if (q_arr == 0).any() or (n_arr == 0).any():
        raise ValueError(
            "q and noise must be positive (a zero gives an infinite logit)"
        )
    return np.log(q_arr) - np.log(k * n_arr)
