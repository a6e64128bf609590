"""Losses with PyTorch's semantics, computed stably, with their gradients.

Each loss matches the PyTorch function of the same name (argument names,
defaults, weighting, ``ignore_index``, label smoothing, reductions) and has a
``*_grad`` twin returning the gradient with respect to its first argument.
Where this module differs from PyTorch it says so in the docstring; the
differences are all places where PyTorch returns NaN or loses accuracy.

The centre is the fused softmax cross-entropy (as in llm.c's
``crossentropy_softmax_backward``): one pass finds the row maxima, a second
writes ``exp(z - max)`` straight into the gradient buffer and sums it, a third
scales it into ``softmax - onehot``. Rows are processed in chunks small enough
to stay in cache, so the second and third passes cost little memory traffic.

Conventions shared by every function here:

* ``reduction`` is ``"none"``, ``"mean"`` or ``"sum"``; the ``*_grad`` twins
  with ``reduction="none"`` return the gradient of the *sum* of the
  per-sample losses (what PyTorch's ``loss.backward(torch.ones_like(loss))``
  gives).
* A mean over a total weight of zero (an empty batch, a batch whose targets
  are all ``ignore_index``, or kept targets whose class weights are all zero)
  is 0, with a zero gradient. PyTorch returns NaN there (``0 / 0``). A batch
  with nothing to learn from should contribute nothing to training, and a NaN
  would silently poison every parameter it reaches, which the library's
  contract forbids; raising would crash training loops on legitimate
  all-padding batches.
* Class weights, ``pos_weight`` and element weights must be finite and
  non-negative (PyTorch does not check).
* Results keep the input's float dtype; float16 is computed in float32, and
  the reductions over the batch accumulate in float64.
"""

import numpy as np

from ._validation import (
    as_float_array,
    as_int,
    as_real,
    check_distribution,
    check_finite,
    check_no_nan,
    check_probabilities,
    check_same_shape,
    working_dtype,
)
from .logits import _sigmoid_unchecked

__all__ = [
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_cross_entropy_with_grad",
    "nll_loss",
    "nll_loss_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
]

_REDUCTIONS = ("none", "mean", "sum")

# Rows per chunk are chosen so that one chunk of the working array is about
# this many bytes: small enough to stay in L2/L3 cache between the passes
# over it, large enough that numpy's per-call overhead is negligible.
_CHUNK_BYTES = 1 << 20

# PyTorch's binary_cross_entropy clamps each log at -100 and its backward
# divides by max(p (1 - p), EPSILON) (aten/src/ATen/native/Loss.cpp), where
# EPSILON = 1e-12 is a float32 constant: 9.99999996e-13 once widened.
_BCE_LOG_FLOOR = -100.0
_BCE_GRAD_EPS = float(np.float32(1e-12))


# --------------------------------------------------------------------------
# Validation of the arguments shared by the losses
# --------------------------------------------------------------------------


def _check_reduction(reduction):
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'none', 'mean', 'sum', got {reduction!r}"
        )


def _check_label_smoothing(label_smoothing):
    label_smoothing = as_real(label_smoothing, "label_smoothing")
    if not 0.0 <= label_smoothing <= 1.0:  # also rejects NaN
        raise ValueError(
            f"label_smoothing must be in [0, 1], got {label_smoothing!r}"
        )
    return label_smoothing


def _check_weights(w, name):
    """Raise unless the float array ``w`` is finite and non-negative."""
    check_finite(w, name)
    if (w < 0).any():
        raise ValueError(f"{name} must be non-negative (min {float(w.min())!r})")


def _class_weight(weight, n_classes):
    """``weight`` as a validated float64 vector of length C, or None."""
    if weight is None:
        return None
    w = as_float_array(weight, "weight")
    if w.shape != (n_classes,):
        raise ValueError(
            f"weight must have shape ({n_classes},), one entry per class, "
            f"got {w.shape}"
        )
    _check_weights(w, "weight")
    return w.astype(np.float64)


def _broadcast_weight(weight, shape, name):
    """An element weight broadcastable to ``shape`` (float64), or None."""
    if weight is None:
        return None
    w = as_float_array(weight, name)
    try:
        if np.broadcast_shapes(w.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"{name} of shape {w.shape} does not broadcast to the input "
            f"shape {shape}"
        ) from None
    _check_weights(w, name)
    return w.astype(np.float64)


def _as_scores(x, name):
    """``x`` as a float array of shape (N, C) or (C,), with C >= 1."""
    array = as_float_array(x, name)
    if array.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (N, C) or (C,), got shape {array.shape}"
        )
    if array.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class (C >= 1)")
    return array


def _class_targets(target, scores, one_dim, ignore_index, soft_ok=True):
    """Validated class indices, shape (N,) int64, for (N, C) ``scores``.

    ``one_dim``: the caller passed a single sample of shape (C,), whose target
    is a scalar index.
    """
    n, n_classes = scores.shape
    t = np.asarray(target)
    if t.size == 0 and t.dtype.kind == "f":  # np.asarray([]) is float64
        t = t.astype(np.int64)
    expected = () if one_dim else (n,)
    alternative = ""
    if soft_ok:
        soft_shape = (n_classes,) if one_dim else (n, n_classes)
        alternative = f" (or probabilities of shape {soft_shape})"
    if t.shape != expected:
        raise ValueError(
            f"target must have shape {expected} of class indices{alternative}, "
            f"got {t.shape}"
        )
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"target must hold integer class indices{alternative}, "
            f"got dtype {t.dtype}"
        )
    t = t.reshape(n).astype(np.int64)
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise ValueError(
            f"target contains class indices outside [0, {n_classes - 1}] "
            f"(and not ignore_index={ignore_index}): {t[bad][:5].tolist()}"
        )
    return t


def _kept_rows(y, w, ignore_index):
    """``(y, kept, row_w)``: the rows not ignored and the weight of each row.

    Ignored rows get class 0 (a valid index, so they can be gathered like the
    others) and weight 0, so they contribute nothing; ``w`` is the validated
    class weight vector or None (all weights 1).
    """
    kept = y != ignore_index
    y = np.where(kept, y, 0)
    row_w = kept.astype(np.float64) if w is None else np.where(kept, w[y], 0.0)
    return y, kept, row_w


def _times(coef, x):
    """``coef * x`` with ``0 * inf = 0`` (a term with no weight is absent)."""
    coef, x = np.broadcast_arrays(coef, x)
    out = np.zeros(coef.shape, dtype=np.result_type(coef, x))
    return np.multiply(coef, x, out=out, where=coef != 0)


def _reduce(rows, reduction, denominator, dtype):
    """Apply ``reduction`` to per-row losses; a mean over zero weight is 0."""
    if reduction == "none":
        return rows.astype(dtype)
    total = rows.sum(dtype=np.promote_types(rows.dtype, np.float64))
    if reduction == "mean":
        # A mean over zero total weight is 0 (module notes), never 0 / 0.
        total = total / denominator if denominator != 0 else total.dtype.type(0)
    return dtype.type(total)


def _row_scale(reduction, denominator):
    """The factor turning d(sum of row losses) into d(reduced loss)."""
    if reduction == "mean":
        return 1.0 / denominator if denominator != 0 else 0.0
    return 1.0


def _finish_rows(rows, reduction, one_dim):
    """Undo the (1, C) promotion of a single sample for ``reduction="none"``."""
    if reduction == "none" and one_dim:
        return rows[0]
    return rows


# --------------------------------------------------------------------------
# Softmax cross-entropy: the fused kernel
# --------------------------------------------------------------------------


def _chunk_rows(n_classes, itemsize):
    return max(1, _CHUNK_BYTES // (n_classes * itemsize))


def _check_row_max(m, row0):
    """The row maximum reveals NaN (it propagates), +inf and all -inf rows."""
    if np.isfinite(m).all():
        return
    i = int(np.flatnonzero(~np.isfinite(m))[0])
    if np.isnan(m[i]):
        what = "contains NaN"
    elif m[i] > 0:
        what = "contains +inf (the softmax is undefined)"
    else:
        what = "is all -inf (no class is possible)"
    raise ValueError(f"logits row {row0 + i} {what}")


def _xent_class_chunk(z, y, coef, g, row0):
    """Per-row ``-log softmax(z)[y]`` and ``coef * (softmax(z) - onehot(y))``.

    ``z`` (R, C) in the working dtype, ``y`` (R,) valid class indices, ``coef``
    (R,) row scales, ``g`` (R, C) buffer overwritten with the gradient rows.
    With ``u = z_y - max`` and ``rest`` the sum of ``exp(z_j - max)`` over
    ``j != y``, the loss is ``log1p(rest)`` when the target is the maximum
    (so a tiny loss stays relatively accurate) and ``-u + log(e^u + rest)``
    otherwise (two positive terms, no cancellation); the target's gradient
    ``p_y - 1 = -rest / s`` is likewise computed without cancellation.
    """
    r = np.arange(len(y))
    m = z.max(axis=1)
    _check_row_max(m, row0)
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


def _xent_dense_chunk(z, a, want_grad, row0):
    """Per-row ``sum_c a_c (-log softmax(z)_c)`` and ``(sum_c a_c) p - a``.

    The general kernel, for soft targets and label smoothing: ``a`` (R, C)
    holds each row's target weights. ``-log p_c = (max - z_c) + log1p(rest)``,
    ``rest`` the sum of ``exp(z_j - max)`` without the argmax, is a sum of two
    non-negative terms; entries with ``a_c = 0`` contribute exactly 0, even
    where ``z_c = -inf`` (where ``0 * inf`` would be NaN).
    """
    r = np.arange(z.shape[0])
    top = z.argmax(axis=1)
    m = z[r, top]
    _check_row_max(m, row0)
    e = np.exp(z - m[:, None])
    e[r, top] = 0
    rest = e.sum(axis=1)
    e[r, top] = 1
    neg_log_p = (m[:, None] - z) + np.log1p(rest)[:, None]
    terms = np.multiply(a, neg_log_p, out=np.zeros_like(e), where=a != 0)
    loss = terms.sum(axis=1)
    grad = None
    if want_grad:
        p = e / (1 + rest)[:, None]
        grad = a.sum(axis=1)[:, None] * p - a
    return loss, grad


def _smoothed_class_weights(y, kept, w, eps, n_classes, dtype):
    """Dense target weights ``(1 - eps) w_y onehot(y) + (eps / C) w``."""
    wc = np.ones(n_classes) if w is None else w
    a = np.empty((len(y), n_classes), dtype=dtype)
    a[...] = (eps / n_classes) * wc
    r = np.arange(len(y))
    a[r, y] += (1 - eps) * wc[y]
    a[~kept] = 0
    return a


def _softmax_xent(logits, target, weight, ignore_index, label_smoothing,
                  reduction, want_loss, want_grad):
    """Validate, then run the fused kernel over row chunks."""
    _check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    eps = _check_label_smoothing(label_smoothing)
    z = _as_scores(logits, "logits")
    dtype = z.dtype
    one_dim = z.ndim == 1
    z2 = z[None, :] if one_dim else z
    n, n_classes = z2.shape
    w = _class_weight(weight, n_classes)
    work = working_dtype(dtype)

    soft = np.shape(target) == z.shape
    if soft:
        if ignore_index >= 0:  # PyTorch refuses this combination too
            raise ValueError(
                "ignore_index is not supported with probability targets; "
                f"got ignore_index={ignore_index}"
            )
        q = as_float_array(target, "target")
        if q.size:
            check_distribution(q, "target", axis=-1)
        q = q.reshape(n, n_classes)
        denominator = n
        y = kept = None
    else:
        y = _class_targets(target, z2, one_dim, ignore_index)
        y, kept, row_w = _kept_rows(y, w, ignore_index)
        denominator = row_w.sum()
    scale = _row_scale(reduction, denominator)

    rows = np.empty(n, dtype=work)
    grad = np.empty(z2.shape, dtype=dtype) if want_grad else None
    step = _chunk_rows(n_classes, np.dtype(work).itemsize)
    fast = not soft and eps == 0.0
    scratch = None
    if fast and (not want_grad or dtype != work):
        scratch = np.empty((min(step, n), n_classes), dtype=work)
    for i in range(0, n, step):
        j = min(i + step, n)
        zc = z2[i:j].astype(work, copy=False)
        if fast:
            coef = row_w[i:j] * scale
            g = grad[i:j] if scratch is None else scratch[: j - i]
            loss = _xent_class_chunk(zc, y[i:j], coef.astype(work), g, i)
            if want_grad and scratch is not None:  # float16: cast back
                grad[i:j] = g
            rows[i:j] = _times(row_w[i:j], loss)
            continue
        if soft:
            wc = 1.0 if w is None else w
            qc = q[i:j].astype(np.float64)  # float16 q: no rounding on the way
            a = (wc * ((1 - eps) * qc + eps / n_classes)).astype(work)
        else:
            a = _smoothed_class_weights(y[i:j], kept[i:j], w, eps, n_classes, work)
        loss, g = _xent_dense_chunk(zc, a, want_grad, i)
        rows[i:j] = loss
        if want_grad:
            grad[i:j] = g * scale

    result = None
    if want_loss:
        result = _finish_rows(_reduce(rows, reduction, denominator, dtype),
                              reduction, one_dim)
    if want_grad:
        grad = grad[0] if one_dim else grad
    return result, grad


_XENT_SHARED_DOC = """
    Parameters
    ----------
    logits : array_like, shape (N, C) or (C,)
        Unnormalised scores; a row may contain ``-inf`` (an impossible class),
        not NaN or ``+inf``, and not only ``-inf``.
    target : array_like, shape (N,) or (), or the shape of ``logits``
        Integer class indices in ``[0, C)`` (or ``ignore_index``), or, when it
        has the shape of ``logits``, probability distributions over the classes
        (soft targets, each row summing to one).
    weight : array_like, shape (C,), optional
        Finite non-negative weight of each class.
    ignore_index : int, default -100
        Class-index targets equal to it contribute nothing, neither to the loss
        nor to the mean's denominator. Must be negative for soft targets.
    label_smoothing : float in [0, 1], default 0.0
        Mix the target with the uniform distribution:
        ``q = (1 - eps) q + eps / C``.
    reduction : {"mean", "sum", "none"}, default "mean"
"""


def softmax_cross_entropy(logits, target, *, weight=None, ignore_index=-100,
                          label_smoothing=0.0, reduction="mean"):
    r"""Cross-entropy between targets and ``softmax(logits)``, as PyTorch.

    Computes ``torch.nn.functional.cross_entropy(logits, target, ...)``.
    Row ``i`` with target weights :math:`a_{ic}` (below) contributes

    .. math::

        \ell_i = \sum_c a_{ic}\,\bigl(-\log \operatorname{softmax}(z_i)_c\bigr),
        \qquad -\log \operatorname{softmax}(z_i)_c
        = \log\sum_j e^{z_{ij}} - z_{ic}.

    {shared}
    Returns
    -------
    float or ndarray
        A scalar for ``"mean"``/``"sum"``, shape (N,) (or a scalar for 1-D
        ``logits``) for ``"none"``; the dtype of ``logits``.

    Notes
    -----
    The target weights, with :math:`w` the class weights (all 1 by default)
    and :math:`\varepsilon` the label smoothing:

    * class index :math:`y_i`:
      :math:`a_{ic} = (1-\varepsilon)\,w_{y_i}[c = y_i] + \varepsilon\,w_c / C`,
      and the mean divides by :math:`\sum_{i\ \mathrm{kept}} w_{y_i}`;
    * soft target :math:`q_i`:
      :math:`a_{ic} = w_c\,((1-\varepsilon)\,q_{ic} + \varepsilon / C)`, and
      the mean divides by :math:`N`.

    Two consequences of PyTorch's choices are surprising. With class weights,
    label smoothing weights the uniform part by the weight of *each class*,
    not of the sample's target, yet still divides by the targets' weights.
    And the same smoothed target gives different means written as an index
    or as a probability vector, because a soft target's mean divides by
    :math:`N` and ignores the weights. The results agree with PyTorch to
    rounding everywhere, except that a mean over zero total weight is 0 (see
    the module notes) and an entry with :math:`a_{ic} = 0` contributes 0 even
    where :math:`z_{ic} = -\infty` (PyTorch: NaN, for soft targets and for
    label smoothing with a class weight of 0).

    Stability: the rows are shifted by their maximum, and the log of the sum
    of exponentials is taken as ``log1p`` of the terms other than the maximum,
    so a dominant class far above the rest has a tiny but relatively accurate
    loss (``exp(-30)`` in float32, not 0) and uniform logits at ``1e8`` give
    ``log C``. float16 logits are computed in float32 (a sum over 65,536
    classes overflows float16).

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import softmax_cross_entropy
    >>> z = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]
    >>> print(round(float(softmax_cross_entropy(z, [0, 1])), 4))
    0.3185
    >>> print(softmax_cross_entropy(z, [0, -100], reduction="none").round(4))
    [0.417 0.   ]
    >>> print(round(float(softmax_cross_entropy(z, [0, 1], label_smoothing=0.1)), 4))
    0.4369
    """
    loss, _ = _softmax_xent(logits, target, weight, ignore_index,
                            label_smoothing, reduction, True, False)
    return loss


def softmax_cross_entropy_grad(logits, target, *, weight=None, ignore_index=-100,
                               label_smoothing=0.0, reduction="mean"):
    r"""Gradient of :func:`softmax_cross_entropy` with respect to ``logits``.

    .. math::

        \frac{\partial \ell_i}{\partial z_{ic}}
        = \Bigl(\sum_k a_{ik}\Bigr)\operatorname{softmax}(z_i)_c - a_{ic},

    divided by the mean's denominator for ``reduction="mean"``; for integer
    targets without extras this is ``(softmax(z) - onehot(y)) / N``. With
    ``reduction="none"`` it is the gradient of the sum of the row losses.

    {shared}
    Returns
    -------
    ndarray, shape of ``logits``, dtype of ``logits``

    Notes
    -----
    Computed by the same fused kernel as the loss (see
    :func:`softmax_cross_entropy_with_grad`); the target entry
    ``softmax(z)_y - 1`` is formed as ``-(sum of the other exponentials) / s``,
    without cancellation.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import softmax_cross_entropy_grad
    >>> print(softmax_cross_entropy_grad([[2.0, 1.0, 0.1]], [0]).round(4))
    [[-0.341  0.2424  0.0986]]
    """
    _, grad = _softmax_xent(logits, target, weight, ignore_index,
                            label_smoothing, reduction, False, True)
    return grad


def softmax_cross_entropy_with_grad(logits, target, *, weight=None,
                                    ignore_index=-100, label_smoothing=0.0,
                                    reduction="mean"):
    r"""Loss and gradient of :func:`softmax_cross_entropy` in one fused pass.

    Returns what :func:`softmax_cross_entropy` and
    :func:`softmax_cross_entropy_grad` return, for the cost of one of them: the
    exponentials computed for the loss are scaled in place into the gradient.

    {shared}
    Returns
    -------
    loss : float or ndarray
        As :func:`softmax_cross_entropy`.
    grad : ndarray, shape of ``logits``
        As :func:`softmax_cross_entropy_grad`.

    Notes
    -----
    For integer targets without label smoothing, each chunk of rows goes
    through three passes: the row maxima; ``exp(z - max)`` written into the
    gradient buffer and summed; the scaling into
    ``coef * (softmax - onehot)``. The chunks are small enough to stay in
    cache, so the extra memory is the gradient itself plus O(N).

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import softmax_cross_entropy_with_grad
    >>> loss, grad = softmax_cross_entropy_with_grad([[2.0, 1.0, 0.1]], [0])
    >>> print(round(float(loss), 4), grad.round(4))
    0.417 [[-0.341  0.2424  0.0986]]
    """
    return _softmax_xent(logits, target, weight, ignore_index,
                         label_smoothing, reduction, True, True)


for _f in (softmax_cross_entropy, softmax_cross_entropy_grad,
           softmax_cross_entropy_with_grad):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.replace("    {shared}\n",
                                        _XENT_SHARED_DOC.strip("\n") + "\n\n")
del _f


# --------------------------------------------------------------------------
# Negative log-likelihood of log-probabilities
# --------------------------------------------------------------------------


def _nll(log_probs, target, weight, ignore_index, reduction):
    _check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    lp = _as_scores(log_probs, "log_probs")
    check_no_nan(lp, "log_probs")
    if np.isposinf(lp).any():
        raise ValueError("log_probs contains +inf (not a log-probability)")
    one_dim = lp.ndim == 1
    lp2 = lp[None, :] if one_dim else lp
    w = _class_weight(weight, lp2.shape[1])
    y = _class_targets(target, lp2, one_dim, ignore_index, soft_ok=False)
    y, _, row_w = _kept_rows(y, w, ignore_index)
    return lp2, y, row_w, one_dim


def nll_loss(log_probs, target, *, weight=None, ignore_index=-100,
             reduction="mean"):
    r"""Negative log-likelihood of class indices, as PyTorch's ``nll_loss``.

    .. math::

        \ell_i = -w_{y_i}\,\log p_{i, y_i}, \qquad
        \text{mean} = \frac{\sum_i \ell_i}{\sum_{i\ \mathrm{kept}} w_{y_i}}.

    ``softmax_cross_entropy(z, y)`` equals ``nll_loss(log_softmax(z), y)``.

    Parameters
    ----------
    log_probs : array_like, shape (N, C) or (C,)
        Log-probabilities (not checked to be normalised, as in PyTorch); no
        NaN or ``+inf``.
    target : array_like of int, shape (N,) or ()
        Class indices in ``[0, C)`` or ``ignore_index``.
    weight : array_like, shape (C,), optional
        Finite non-negative weight of each class.
    ignore_index : int, default -100
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    float or ndarray
        Scalar, or shape (N,) for ``"none"``; the dtype of ``log_probs``.

    Notes
    -----
    A row with zero weight (ignored, or a class of weight 0) contributes 0,
    also where its log-probability is ``-inf``; a mean over zero total weight
    is 0 where PyTorch returns NaN.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import nll_loss
    >>> lp = np.log([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    >>> print(round(float(nll_loss(lp, [0, 2])), 4))
    0.2899
    """
    lp2, y, row_w, one_dim = _nll(log_probs, target, weight, ignore_index,
                                  reduction)
    dtype = lp2.dtype
    picked = lp2[np.arange(len(y)), y].astype(np.float64)
    rows = _times(row_w, -picked)
    out = _reduce(rows, reduction, row_w.sum(), dtype)
    return _finish_rows(out, reduction, one_dim)


def nll_loss_grad(log_probs, target, *, weight=None, ignore_index=-100,
                  reduction="mean"):
    r"""Gradient of :func:`nll_loss` with respect to ``log_probs``.

    .. math::

        \frac{\partial \ell}{\partial \log p_{ic}} = -\frac{w_{y_i}}{D}\,[c = y_i],

    with :math:`D` the summed kept weights for ``"mean"`` and 1 otherwise.
    Same parameters as :func:`nll_loss`; returns an array of the shape and
    dtype of ``log_probs``.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import nll_loss_grad
    >>> print(nll_loss_grad([[-0.4, -1.1], [-2.0, -0.1]], [0, 1]))
    [[-0.5  0. ]
     [ 0.  -0.5]]
    """
    lp2, y, row_w, one_dim = _nll(log_probs, target, weight, ignore_index,
                                  reduction)
    grad = np.zeros(lp2.shape, dtype=lp2.dtype)
    scale = _row_scale(reduction, row_w.sum())
    grad[np.arange(len(y)), y] = -row_w * scale
    return grad[0] if one_dim else grad


# --------------------------------------------------------------------------
# Binary cross-entropy, on probabilities and on logits
# --------------------------------------------------------------------------


def _elementwise_work(dtype):
    """Elementwise binary losses run in float64 (or wider): float32 results
    such as ``log1p(exp(-100)) = 3.7e-44`` (subnormal) then round once."""
    return np.promote_types(dtype, np.float64)


def _binary_inputs(x, x_name, y, weight, reduction):
    _check_reduction(reduction)
    x = as_float_array(x, x_name)
    y = as_float_array(y, "y")
    check_same_shape(x, x_name, y, "y")
    check_probabilities(y, "y")
    w = _broadcast_weight(weight, x.shape, "weight")
    return x, y, w


def _binary_reduce(elements, x, reduction):
    out = _reduce(elements.reshape(-1), reduction, elements.size, x.dtype)
    if reduction == "none":
        return out.reshape(x.shape)[()]
    return out


def binary_cross_entropy(p, y, *, weight=None, reduction="mean"):
    r"""Binary cross-entropy of probabilities, as PyTorch's (log clamped at -100).

    .. math::

        \ell = -w\,\bigl(y \max(\log p, -100)
               + (1 - y) \max(\log(1 - p), -100)\bigr).

    Parameters
    ----------
    p : array_like, shape (...)
        Predicted probabilities in ``[0, 1]``.
    y : array_like, shape of ``p``
        Targets in ``[0, 1]`` (soft labels allowed).
    weight : array_like, broadcastable to the shape of ``p``, optional
        Finite non-negative element weights.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of elements (not by the weights).

    Returns
    -------
    float or ndarray
        Scalar, or the shape of ``p`` for ``"none"``; the dtype of ``p``.

    Notes
    -----
    PyTorch clamps each logarithm at -100 so that ``p = 0`` or ``1`` gives a
    large finite loss (100) instead of ``inf``, and ``0 * log 0`` is 0; this
    function does the same. It takes ``log(1 - p)`` as ``log1p(-p)``, which is
    more accurate for small ``p``. Prefer :func:`binary_cross_entropy_with_logits`:
    a probability that has rounded to 1 has lost the information the loss needs.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy
    >>> print(binary_cross_entropy([0.9, 0.2, 0.0], [1.0, 0.0, 1.0],
    ...                            reduction="none").round(4))
    [  0.1054   0.2231 100.    ]
    """
    p, y, w = _binary_inputs(p, "p", y, weight, reduction)
    check_probabilities(p, "p")
    work = _elementwise_work(p.dtype)
    pw, yw = p.astype(work), y.astype(work)
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_p = np.maximum(np.log(pw), _BCE_LOG_FLOOR)
        log_q = np.maximum(np.log1p(-pw), _BCE_LOG_FLOOR)
    elements = -(yw * log_p + (1 - yw) * log_q)
    if w is not None:
        elements = elements * w
    return _binary_reduce(elements, p, reduction)


def binary_cross_entropy_grad(p, y, *, weight=None, reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``, as PyTorch.

    .. math::

        \frac{\partial \ell}{\partial p} = w\,\frac{p - y}{\max(p(1-p),\ 10^{-12})},

    divided by the number of elements for ``"mean"``. Same parameters as
    :func:`binary_cross_entropy`; returns an array of the shape and dtype of
    ``p``.

    Notes
    -----
    The floor ``1e-12`` (a float32 constant in PyTorch, so ``9.99999996e-13``
    here too) on the denominator is PyTorch's; it keeps the gradient
    finite at ``p = 0`` and ``p = 1``. Inside the clamped region (``p`` below
    ``e^-100``) this is not the derivative of the clamped loss, which is 0
    there; like PyTorch it still points away from the wrong answer.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy_grad
    >>> print(binary_cross_entropy_grad([0.8, 0.5], [1.0, 0.0]).round(4))
    [-0.625  1.   ]
    """
    p, y, w = _binary_inputs(p, "p", y, weight, reduction)
    check_probabilities(p, "p")
    work = _elementwise_work(p.dtype)
    pw, yw = p.astype(work), y.astype(work)
    grad = (pw - yw) / np.maximum(pw * (1 - pw), _BCE_GRAD_EPS)
    if w is not None:
        grad = grad * w
    grad = grad * _row_scale(reduction, p.size)
    return np.broadcast_to(grad, p.shape).astype(p.dtype)[()]


def _softplus(x):
    """``log(1 + e^x)`` without overflow; relatively accurate for x << 0."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _logit_inputs(z, y, weight, pos_weight, reduction):
    z, y, w = _binary_inputs(z, "z", y, weight, reduction)
    check_no_nan(z, "z")
    pw = _broadcast_weight(pos_weight, z.shape, "pos_weight")
    work = _elementwise_work(z.dtype)
    zw, yw = z.astype(work), y.astype(work)
    pos = yw if pw is None else pw * yw  # coefficient of -log sigmoid(z)
    return z, zw, pos, 1 - yw, w


def binary_cross_entropy_with_logits(z, y, *, weight=None, pos_weight=None,
                                     reduction="mean"):
    r"""Binary cross-entropy of ``sigmoid(z)``, computed from the logits ``z``.

    As PyTorch's ``binary_cross_entropy_with_logits``:

    .. math::

        \ell = w\,\bigl(p_w\,y\,\operatorname{softplus}(-z)
               + (1 - y)\operatorname{softplus}(z)\bigr),
        \qquad \operatorname{softplus}(x) = \log(1 + e^x),

    since :math:`-\log\sigma(z) = \operatorname{softplus}(-z)` and
    :math:`-\log(1 - \sigma(z)) = \operatorname{softplus}(z)`.

    Parameters
    ----------
    z : array_like, shape (...)
        Logits; ``±inf`` allowed, NaN not.
    y : array_like, shape of ``z``
        Targets in ``[0, 1]``.
    weight : array_like, broadcastable to the shape of ``z``, optional
        Finite non-negative element weights.
    pos_weight : array_like, broadcastable to the shape of ``z``, optional
        Finite non-negative weight of the positive term (for ``z`` of shape
        ``(N, C)``, one per class: shape ``(C,)``).
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of elements.

    Returns
    -------
    float or ndarray
        Scalar, or the shape of ``z`` for ``"none"``; the dtype of ``z``.

    Notes
    -----
    ``softplus(x) = max(x, 0) + log1p(exp(-|x|))`` never overflows and never
    subtracts, so every term is relatively accurate: ``z = 100, y = 1`` gives
    ``log1p(e^-100) = 3.7e-44``, where PyTorch's formula
    ``(1 - y) z - log_weight * log_sigmoid(z)`` is fine, but ``z = -100,
    y = 0`` loses it to cancellation there (PyTorch: 0). Terms with a zero
    coefficient are 0 even at ``z = ±inf``. Computed in float64 for float16
    and float32 inputs, so the result is correctly rounded in practice.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy_with_logits
    >>> print(binary_cross_entropy_with_logits([2.0, -1.0, 100.0], [1.0, 0.0, 1.0],
    ...                                        reduction="none"))
    [1.26928011e-01 3.13261688e-01 3.72007598e-44]
    """
    z, zw, pos, neg, w = _logit_inputs(z, y, weight, pos_weight, reduction)
    elements = _times(pos, _softplus(-zw)) + _times(neg, _softplus(zw))
    if w is not None:
        elements = elements * w
    return _binary_reduce(elements, z, reduction)


def binary_cross_entropy_with_logits_grad(z, y, *, weight=None, pos_weight=None,
                                          reduction="mean"):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``z``.

    .. math::

        \frac{\partial \ell}{\partial z}
        = w\,\bigl((1 - y)\,\sigma(z) - p_w\,y\,\sigma(-z)\bigr),

    which is ``sigmoid(z) - y`` without weights; divided by the number of
    elements for ``"mean"``. Same parameters as
    :func:`binary_cross_entropy_with_logits`; returns an array of the shape
    and dtype of ``z``.

    Notes
    -----
    Written with :math:`\sigma(-z)` rather than :math:`\sigma(z) - 1`, so the
    gradient of a confidently right prediction is tiny, not 0.

    See chapter 8, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy_with_logits_grad
    >>> print(binary_cross_entropy_with_logits_grad([0.0, 2.0], [1.0, 0.0],
    ...                                             reduction="sum").round(4))
    [-0.5     0.8808]
    """
    z, zw, pos, neg, w = _logit_inputs(z, y, weight, pos_weight, reduction)
    grad = neg * _sigmoid_unchecked(zw) - pos * _sigmoid_unchecked(-zw)
    if w is not None:
        grad = grad * w
    grad = grad * _row_scale(reduction, z.size)
    return np.broadcast_to(grad, z.shape).astype(z.dtype)[()]
