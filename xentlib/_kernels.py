"""The numerical kernels of xentlib, each written once.

Every public function validates its arguments (:mod:`xentlib._validation`)
and then calls these unchecked kernels on clean float arrays: the shifted
exp-sum behind log-sum-exp, softmax and every softmax cross-entropy;
softplus; the sigmoid and the sigmoid residual ``sigmoid(z) - y``. None of
them validates or raises on data; the callers name the arguments in their
errors.

The shifted exp-sum, along the last axis, with ``m`` the maximum and ``j*``
its first position:

.. math::

    \\log \\sum_j e^{x_j} = m + \\operatorname{log1p}\\Big(\\sum_{j \\ne j^*}
    e^{x_j - m}\\Big),

as scipy's ``special/_logsumexp.py`` computes it: every exponential is at
most 1 (no overflow) and the largest term is taken out of the sum, so that
``log1p`` keeps a tiny remainder (``log_softmax([0, -40])[0] = -4.25e-18``,
not 0). The difference ``x - m`` is kept exactly, as a rounded part plus its
rounding error (Knuth's TwoSum), so ``exp`` sees the exact difference.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating[Any]]


def rounding_error(a: FloatArray, b: FloatArray, hi: FloatArray) -> FloatArray:
    """The ``lo`` with ``hi + lo == a - b`` exactly, for ``hi = fl(a - b)``.

    Knuth's TwoSum, valid in any binary floating-point format without FMA.
    """
    b_virtual = a - hi
    return (a - (hi + b_virtual)) + (b_virtual - b)


class ShiftedExpSum:
    """The pieces of a softmax along the last axis of ``x``, computed once.

    For rows whose maximum ``m`` is finite ("regular" rows):
    ``d_hi + d_lo = x - m`` exactly, ``e = exp(x - m)`` (``e = 1`` at the
    first argmax), ``s`` = the sum of ``e`` over every entry but that argmax,
    and ``log1p_s = log1p(s)``. Rows whose maximum is ``+inf`` or ``-inf``
    are flagged by ``any_pos_inf`` and ``all_neg_inf``; their pieces are
    those of a row of zeros, for the callers to overwrite. ``x`` must not
    contain NaN.
    """

    def __init__(self, x: FloatArray) -> None:
        self.x = x
        self.argmax = np.argmax(x, axis=-1, keepdims=True)
        m = np.take_along_axis(x, self.argmax, axis=-1)
        self.all_neg_inf = m == -np.inf
        self.any_pos_inf = m == np.inf
        regular = np.isfinite(m)
        if not regular.all():
            x = np.where(regular, x, 0).astype(x.dtype, copy=False)
            m = np.where(regular, m, 0).astype(x.dtype, copy=False)
        self.m = m
        self.d_hi, self.d_lo = self._exact_difference(x, m)
        e = np.exp(self.d_hi)
        e += e * self.d_lo  # exp(hi + lo) = exp(hi) (1 + lo) to first order
        # Take the largest term (exactly 1) out of the sum, as scipy does:
        # 1 + s would round away a tiny s.
        np.put_along_axis(e, self.argmax, 0, axis=-1)
        self.s = np.sum(e, axis=-1, keepdims=True)
        np.put_along_axis(e, self.argmax, 1, axis=-1)
        self.e = e
        self.log1p_s = np.log1p(self.s)

    @staticmethod
    def _exact_difference(x: FloatArray, m: FloatArray) -> tuple[Any, Any]:
        """``x - m`` as ``hi + lo``: exp then sees the exact difference
        (for a 1/2-ulp error in ``d = -40``, that is 16 eps)."""
        with np.errstate(over="ignore"):  # x - m below -max float: -inf
            d_hi = x - m
        finite = np.isfinite(d_hi)
        if finite.all():
            return d_hi, rounding_error(x, m, d_hi)
        zero = np.zeros((), dtype=x.dtype)  # -inf logits: no error to track
        d_lo = rounding_error(
            np.where(finite, x, zero),
            np.where(finite, m, zero),
            np.where(finite, d_hi, zero),
        )
        return d_hi, d_lo

    def logsumexp(self) -> FloatArray:
        """``m + log1p(s)``, with -inf for all -inf rows and +inf for +inf rows."""
        out = self.m + self.log1p_s
        out = np.where(self.all_neg_inf, -np.inf, out)
        return np.where(self.any_pos_inf, np.inf, out)

    def pos_inf(self) -> tuple[Any, Any]:
        """``(x == +inf, how many per row)`` for the rows that have a ``+inf``."""
        is_pos_inf = self.x == np.inf
        return is_pos_inf, np.sum(is_pos_inf, axis=-1, keepdims=True)

    def certain(self) -> FloatArray:
        """Softmax of rows with ``+inf``: ``1/n`` on each of their ``n`` ``+inf``."""
        is_pos_inf, n_inf = self.pos_inf()
        share = is_pos_inf / np.maximum(n_inf, 1)  # no 0/0 in other rows
        return share.astype(self.e.dtype, copy=False)

    def probabilities(self) -> FloatArray:
        """The softmax: ``e / (1 + s)``, and :meth:`certain` on rows with ``+inf``."""
        p = self.e / (1 + self.s)
        if self.any_pos_inf.any():
            p = np.where(self.any_pos_inf, self.certain(), p)
        return p

    def log_probabilities(self) -> FloatArray:
        """``(d_hi - log1p(s)) + d_lo``; ``-log n`` / ``-inf`` on +inf rows."""
        out = (self.d_hi - self.log1p_s) + self.d_lo
        if self.any_pos_inf.any():
            is_pos_inf, n_inf = self.pos_inf()
            log_share = -np.log(np.maximum(n_inf, 1)).astype(out.dtype)  # no log 0
            certain = np.where(is_pos_inf, log_share, -np.inf)
            out = np.where(self.any_pos_inf, certain, out)
        return out


def log_in_base(x: Any, base: float | None) -> Any:
    """``log_base(x)`` for ``x > 0`` (nats for ``base=None``); log2 and log10
    directly, so powers of the base are exact."""
    if base is None:
        return np.log(x)
    if base == 2:
        return np.log2(x)
    if base == 10:
        return np.log10(x)
    return np.log(x) / math.log(base)  # a Python float keeps float32 as float32


def from_nats(x: Any, base: float | None) -> Any:
    """An amount of information in nats, expressed in ``base`` (nats if None)."""
    return x if base is None else x / math.log(base)


def logsumexp_last(x: FloatArray) -> FloatArray:
    """Log-sum-exp over the last axis of a NaN-free float array (K >= 1)."""
    return ShiftedExpSum(x).logsumexp()[..., 0]


# --------------------------------------------------------------------------
# Elementwise: softplus, sigmoid, the sigmoid residual
# --------------------------------------------------------------------------


def softplus(x: FloatArray) -> FloatArray:
    """``log(1 + e^x)`` without overflow; relatively accurate for x << 0.

    ``max(x, 0) + log1p(exp(-|x|))``: two non-negative terms, no cancellation.
    ``-log sigmoid(z) = softplus(-z)``, ``-log(1 - sigmoid(z)) = softplus(z)``.
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def sigmoid(x: FloatArray) -> FloatArray:
    """``1 / (1 + e^-x)`` for ``x >= 0`` and ``e^x / (1 + e^x)`` below: the
    exponential is always of a non-positive number and never overflows."""
    e = np.exp(-np.abs(x))  # in [0, 1]
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def log_sigmoid(x: FloatArray) -> FloatArray:
    """``-softplus(-x)``, written so that ``log_sigmoid(inf)`` is 0.0, not -0.0."""
    log1p_term = np.log1p(np.exp(-np.abs(x)))
    return np.where(x > 0, 0.0 - log1p_term, x - log1p_term)


def sigmoid_residual(z: FloatArray, y: FloatArray) -> FloatArray:
    """``sigmoid(z) - y``, accurate when it is tiny.

    ``(1 - y) sigmoid(z) - y sigmoid(-z)`` equals it because
    ``sigmoid(z) + sigmoid(-z) = 1``; for ``y = 1`` it is ``-sigmoid(-z)``,
    which keeps its digits where ``sigmoid(z)`` has rounded to 1.
    """
    return (1 - y) * sigmoid(z) - y * sigmoid(-z)


def times(coef: Any, x: Any) -> FloatArray:
    """``coef * x`` with ``0 * inf = 0`` (a term with no weight is absent)."""
    coef, x = np.broadcast_arrays(coef, x)
    out = np.zeros(coef.shape, dtype=np.result_type(coef, x))
    return np.multiply(coef, x, out=out, where=coef != 0)


# --------------------------------------------------------------------------
# Softmax cross-entropy rows: the fused kernel and the dense one
# --------------------------------------------------------------------------


def first_bad_row(row_max: FloatArray) -> tuple[int, str] | None:
    """The first row whose maximum is not finite and why, or None.

    The row maximum reveals NaN (it propagates), ``+inf`` and all ``-inf``.
    """
    if np.isfinite(row_max).all():
        return None
    i = int(np.flatnonzero(~np.isfinite(row_max))[0])
    if np.isnan(row_max[i]):
        return i, "contains NaN"
    if row_max[i] > 0:
        return i, "contains +inf (the softmax is undefined)"
    return i, "is all -inf (no class is possible)"


def xent_class_rows(z: FloatArray, y: Any, coef: FloatArray, g: FloatArray) -> Any:
    """Per-row ``-log softmax(z)[y]``; ``g`` becomes ``coef (softmax - onehot)``.

    ``z`` (R, C) with finite row maxima (see :func:`first_bad_row`), ``y``
    (R,) valid class indices, ``coef`` (R,) row scales, ``g`` (R, C) buffer
    overwritten with the gradient rows (it may be ``z`` itself). With
    ``u = z_y - max`` and ``rest`` the sum of ``exp(z_j - max)`` over
    ``j != y``, the loss is ``log1p(rest)`` when the target is the maximum (a
    tiny loss stays relatively accurate) and ``log(e^u + rest) - u``
    otherwise (two positive terms); the target's gradient ``p_y - 1 =
    -rest / s`` is likewise computed without cancellation.
    """
    r = np.arange(len(y))
    m = z.max(axis=1)
    with np.errstate(over="ignore"):  # z - m below -max float: -inf, exp 0
        np.subtract(z, m[:, None], out=g)
    u = g[r, y]
    np.exp(g, out=g)
    e_y = g[r, y]
    g[r, y] = 0
    rest = g.sum(axis=1)
    s = rest + e_y
    loss = np.where(u == 0, np.log1p(rest), np.log(s) - u)  # s >= 1
    g *= (coef / s)[:, None]
    g[r, y] = -coef * rest / s
    return loss


def xent_dense_rows(z: FloatArray, a: FloatArray) -> tuple[Any, FloatArray]:
    """Per-row ``sum_c a_c (-log softmax(z)_c)``, and ``softmax(z)``.

    ``a`` (R, C) holds each row's target weights (soft targets, label
    smoothing, class weights); ``z`` has finite row maxima.
    ``-log p_c = (max - z_c) + log1p(rest)`` is a sum of two non-negative
    terms; entries with ``a_c = 0`` contribute exactly 0, even where
    ``z_c = -inf`` (where ``0 * inf`` would be NaN). The gradient of the row
    loss is ``(sum_c a_c) p - a``.
    """
    r = np.arange(z.shape[0])
    top = z.argmax(axis=1)
    m = z[r, top]
    # The shift without ShiftedExpSum's error term: every entry of a soft
    # target weighs a -log p_c, and the book's stored results (chapter 7's
    # gradient descent) were computed this way.
    with np.errstate(over="ignore"):  # z - m below -max float: -inf, exp 0
        e = np.exp(z - m[:, None])
        neg_log_p = (m[:, None] - z) + 0.0  # +inf there: a_c = 0 or loss inf
    e[r, top] = 0
    rest = e.sum(axis=1)
    e[r, top] = 1
    neg_log_p += np.log1p(rest)[:, None]
    terms = np.multiply(a, neg_log_p, out=np.zeros_like(e), where=a != 0)
    return terms.sum(axis=1), e / (1 + rest)[:, None]
