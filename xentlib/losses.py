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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._reduction import kept_rows, reduce_elements, reduce_rows, row_scale
from ._validation import (
    as_float_array,
    as_int,
    as_real,
    check_distribution,
    check_finite,
    check_no_nan,
    check_probabilities,
    check_reduction,
    check_same_shape,
    class_labels,
    working_dtype,
)

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


def _check_label_smoothing(label_smoothing: object) -> float:
    value = as_real(label_smoothing, "label_smoothing")
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"label_smoothing must be in [0, 1], got {value!r}")
    return value


def _check_weights(w: np.ndarray, name: str) -> None:
    """Raise unless the float array ``w`` is finite and non-negative."""
    check_finite(w, name)
    if (w < 0).any():
        raise ValueError(f"{name} must be non-negative (min {float(w.min())!r})")


def _class_weight(weight: npt.ArrayLike | None, n_classes: int) -> Any:
    """``weight`` as a validated float64 vector of length C, or None."""
    if weight is None:
        return None
    w = as_float_array(weight, "weight")
    if w.shape != (n_classes,):
        raise ValueError(
            f"weight must have shape ({n_classes},), one entry per class, got {w.shape}"
        )
    _check_weights(w, "weight")
    return w.astype(np.float64)


def _broadcast_weight(
    weight: npt.ArrayLike | None, shape: tuple[int, ...], name: str
) -> Any:
    """An element weight broadcastable to ``shape`` (float64), or None."""
    if weight is None:
        return None
    w = as_float_array(weight, name)
    try:
        if np.broadcast_shapes(w.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"{name} of shape {w.shape} does not broadcast to the input shape {shape}"
        ) from None
    _check_weights(w, name)
    return w.astype(np.float64)


def _as_scores(x: npt.ArrayLike, name: str) -> np.ndarray:
    """``x`` as a float array of shape (N, C) or (C,), with C >= 1."""
    array = as_float_array(x, name)
    if array.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (N, C) or (C,), got shape {array.shape}"
        )
    if array.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class (C >= 1)")
    return array


def _finish_rows(rows: Any, reduction: str, one_dim: bool) -> Any:
    """Undo the (1, C) promotion of a single sample for ``reduction="none"``."""
    if reduction == "none" and one_dim:
        return rows[0]
    return rows


def _raise_for_bad_rows(row_max: np.ndarray, row0: int, name: str) -> None:
    """Name the first row of ``name`` whose maximum is not finite."""
    bad = _kernels.first_bad_row(row_max)
    if bad is not None:
        raise ValueError(f"{name} row {row0 + bad[0]} {bad[1]}")


# --------------------------------------------------------------------------
# Softmax cross-entropy: validation once, then the kernels over row chunks
# --------------------------------------------------------------------------


def _chunk_rows(n_classes: int, itemsize: int) -> int:
    return max(1, _CHUNK_BYTES // (n_classes * itemsize))


@dataclass(frozen=True)
class _Xent:
    """A validated softmax cross-entropy problem, logits as (N, C).

    Exactly one of ``y`` (class indices, with ``row_weight``) and ``dense``
    (a function of a row range returning the (R, C) target weights) is used
    by the kernels: ``y`` for integer targets without label smoothing.
    """

    z: np.ndarray
    one_dim: bool
    reduction: str
    denominator: float
    y: Any = None
    row_weight: Any = None
    dense: Any = None  # Callable[[int, int], np.ndarray] | None

    @property
    def work(self) -> np.dtype[Any]:
        return working_dtype(self.z.dtype)

    @property
    def scale(self) -> float:
        return row_scale(self.reduction, self.denominator)

    def loss(self, rows: np.ndarray) -> Any:
        out = reduce_rows(rows, self.reduction, self.denominator, self.z.dtype)
        return _finish_rows(out, self.reduction, self.one_dim)

    def grad(self, grad: np.ndarray) -> np.ndarray:
        return grad[0] if self.one_dim else grad


def _soft_targets(
    target: npt.ArrayLike, z: np.ndarray, w: Any, ignore_index: int, eps: float
) -> Callable[[int, int], Any]:
    """Target weights ``w_c ((1 - eps) q_c + eps / C)`` of soft targets."""
    if ignore_index >= 0:  # PyTorch refuses this combination too
        raise ValueError(
            "ignore_index is not supported with probability targets; "
            f"got ignore_index={ignore_index}"
        )
    q = as_float_array(target, "target")
    check_distribution(q, "target", axis=-1)
    q = q.reshape(z.shape)
    n_classes = z.shape[1]
    wc = 1.0 if w is None else w
    work = working_dtype(z.dtype)

    def rows(i: int, j: int) -> Any:
        qc = q[i:j].astype(np.float64)  # float16 q: no rounding on the way
        return (wc * ((1 - eps) * qc + eps / n_classes)).astype(work)

    return rows


def _smoothed_targets(
    y: Any, kept: Any, w: Any, eps: float, z: np.ndarray
) -> Callable[[int, int], Any]:
    """Target weights ``(1 - eps) w_y onehot(y) + (eps / C) w`` of indices."""
    n_classes = z.shape[1]
    wc = np.ones(n_classes) if w is None else w
    work = working_dtype(z.dtype)

    def rows(i: int, j: int) -> Any:
        a = np.empty((j - i, n_classes), dtype=work)
        a[...] = (eps / n_classes) * wc
        a[np.arange(j - i), y[i:j]] += (1 - eps) * wc[y[i:j]]
        a[~kept[i:j]] = 0
        return a

    return rows


def _prepare_xent(
    logits: npt.ArrayLike,
    target: npt.ArrayLike,
    weight: Any,
    ignore_index: object,
    label_smoothing: object,
    reduction: object,
) -> _Xent:
    """Validate every argument once and describe the problem."""
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    eps = _check_label_smoothing(label_smoothing)
    z = _as_scores(logits, "logits")
    one_dim = z.ndim == 1
    z2 = z[None, :] if one_dim else z
    n, n_classes = z2.shape
    w = _class_weight(weight, n_classes)
    if np.shape(target) == z.shape:
        dense = _soft_targets(target, z2, w, ignore_index, eps)
        return _Xent(z2, one_dim, reduction, n, dense=dense)
    shape = () if one_dim else (n,)
    y = _target_indices(target, shape, n_classes, ignore_index).reshape(n)
    y, kept, row_w = kept_rows(y, w, ignore_index)
    denominator = float(row_w.sum())
    if eps == 0.0:
        return _Xent(z2, one_dim, reduction, denominator, y=y, row_weight=row_w)
    dense = _smoothed_targets(y, kept, w, eps, z2)
    return _Xent(z2, one_dim, reduction, denominator, dense=dense)


def _target_indices(
    target: npt.ArrayLike, shape: tuple[int, ...], n_classes: int, ignore_index: int
) -> np.ndarray:
    """Class-index targets, with a message that mentions soft targets."""
    try:
        return class_labels(target, "target", shape, n_classes, ignore_index)
    except ValueError as error:
        if np.shape(target) != shape:
            soft = (*shape, n_classes)
            raise ValueError(f"{error} (or probabilities of shape {soft})") from None
        raise


def _xent_class_rows(pb: _Xent, grad: np.ndarray | None) -> np.ndarray:
    """The fused kernel over row chunks; fills ``grad`` when given."""
    n, n_classes = pb.z.shape
    work = pb.work
    rows = np.empty(n, dtype=work)
    step = _chunk_rows(n_classes, work.itemsize)
    # float64/float32 gradients are written in place; otherwise (no gradient,
    # or float16 computed in float32) into a scratch chunk.
    direct = grad is not None and grad.dtype == work
    scratch = np.empty((0 if direct else min(step, n), n_classes), work)
    for i in range(0, n, step):
        j = min(i + step, n)
        zc = pb.z[i:j].astype(work, copy=False)
        _raise_for_bad_rows(zc.max(axis=1), i, "logits")
        g = grad[i:j] if grad is not None and direct else scratch[: j - i]
        coef = (pb.row_weight[i:j] * pb.scale).astype(work)
        loss = _kernels.xent_class_rows(zc, pb.y[i:j], coef, g)
        if grad is not None and not direct:  # float16: cast back
            grad[i:j] = g
        rows[i:j] = _kernels.times(pb.row_weight[i:j], loss)
    return rows


def _xent_dense_rows(pb: _Xent, grad: np.ndarray | None) -> np.ndarray:
    """The dense kernel (soft targets, label smoothing) over row chunks."""
    n, n_classes = pb.z.shape
    rows = np.empty(n, dtype=pb.work)
    step = _chunk_rows(n_classes, pb.work.itemsize)
    for i in range(0, n, step):
        j = min(i + step, n)
        zc = pb.z[i:j].astype(pb.work, copy=False)
        _raise_for_bad_rows(zc.max(axis=1), i, "logits")
        a = pb.dense(i, j)
        rows[i:j], p = _kernels.xent_dense_rows(zc, a)
        if grad is not None:
            grad[i:j] = (a.sum(axis=1)[:, None] * p - a) * pb.scale
    return rows


def _xent_rows(pb: _Xent, grad: np.ndarray | None = None) -> np.ndarray:
    """Per-row losses; ``grad`` (N, C), when given, receives the gradient."""
    if pb.dense is None:
        return _xent_class_rows(pb, grad)
    return _xent_dense_rows(pb, grad)


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


def softmax_cross_entropy(
    logits: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

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
    pb = _prepare_xent(logits, target, weight, ignore_index, label_smoothing, reduction)
    return pb.loss(_xent_rows(pb))


def softmax_cross_entropy_grad(
    logits: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import softmax_cross_entropy_grad
    >>> print(softmax_cross_entropy_grad([[2.0, 1.0, 0.1]], [0]).round(4))
    [[-0.341  0.2424  0.0986]]
    """
    pb = _prepare_xent(logits, target, weight, ignore_index, label_smoothing, reduction)
    grad = np.empty(pb.z.shape, dtype=pb.z.dtype)
    _xent_rows(pb, grad)
    return pb.grad(grad)


def softmax_cross_entropy_with_grad(
    logits: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> tuple[Any, np.ndarray]:
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

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import softmax_cross_entropy_with_grad
    >>> loss, grad = softmax_cross_entropy_with_grad([[2.0, 1.0, 0.1]], [0])
    >>> print(round(float(loss), 4), grad.round(4))
    0.417 [[-0.341  0.2424  0.0986]]
    """
    pb = _prepare_xent(logits, target, weight, ignore_index, label_smoothing, reduction)
    grad = np.empty(pb.z.shape, dtype=pb.z.dtype)
    rows = _xent_rows(pb, grad)
    return pb.loss(rows), pb.grad(grad)


for _f in (
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_cross_entropy_with_grad,
):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.replace(
            "    {shared}\n", _XENT_SHARED_DOC.strip("\n") + "\n\n"
        )
del _f


# --------------------------------------------------------------------------
# Negative log-likelihood of log-probabilities
# --------------------------------------------------------------------------


def _nll(
    log_probs: Any,
    target: Any,
    weight: npt.ArrayLike | None,
    ignore_index: int,
    reduction: str,
) -> Any:
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    lp = _as_scores(log_probs, "log_probs")
    check_no_nan(lp, "log_probs")
    if np.isposinf(lp).any():
        raise ValueError("log_probs contains +inf (not a log-probability)")
    one_dim = lp.ndim == 1
    lp2 = lp[None, :] if one_dim else lp
    w = _class_weight(weight, lp2.shape[1])
    shape = () if one_dim else (lp2.shape[0],)
    y = class_labels(target, "target", shape, lp2.shape[1], ignore_index)
    y, _, row_w = kept_rows(y.reshape(lp2.shape[0]), w, ignore_index)
    return lp2, y, row_w, one_dim


def nll_loss(
    log_probs: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import nll_loss
    >>> lp = np.log([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    >>> print(round(float(nll_loss(lp, [0, 2])), 4))
    0.2899
    """
    lp2, y, row_w, one_dim = _nll(log_probs, target, weight, ignore_index, reduction)
    dtype = lp2.dtype
    picked = lp2[np.arange(len(y)), y].astype(np.float64)
    rows = _kernels.times(row_w, -picked)
    out = reduce_rows(rows, reduction, row_w.sum(), dtype)
    return _finish_rows(out, reduction, one_dim)


def nll_loss_grad(
    log_probs: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
    r"""Gradient of :func:`nll_loss` with respect to ``log_probs``.

    .. math::

        \frac{\partial \ell}{\partial \log p_{ic}} = -\frac{w_{y_i}}{D}\,[c = y_i],

    with :math:`D` the summed kept weights for ``"mean"`` and 1 otherwise.
    Same parameters as :func:`nll_loss`; returns an array of the shape and
    dtype of ``log_probs``.

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import nll_loss_grad
    >>> print(nll_loss_grad([[-0.4, -1.1], [-2.0, -0.1]], [0, 1]))
    [[-0.5  0. ]
     [ 0.  -0.5]]
    """
    lp2, y, row_w, one_dim = _nll(log_probs, target, weight, ignore_index, reduction)
    grad = np.zeros(lp2.shape, dtype=lp2.dtype)
    scale = row_scale(reduction, row_w.sum())
    grad[np.arange(len(y)), y] = -row_w * scale
    return grad[0] if one_dim else grad


# --------------------------------------------------------------------------
# Binary cross-entropy, on probabilities and on logits
# --------------------------------------------------------------------------


def _elementwise_work(dtype: Any) -> Any:
    """Elementwise binary losses run in float64 (or wider): float32 results
    such as ``log1p(exp(-100)) = 3.7e-44`` (subnormal) then round once."""
    return np.promote_types(dtype, np.float64)


def _binary_inputs(
    x: Any, x_name: Any, y: Any, weight: npt.ArrayLike | None, reduction: str
) -> Any:
    reduction = check_reduction(reduction)
    x = as_float_array(x, x_name)
    y = as_float_array(y, "y")
    check_same_shape(x, x_name, y, "y")
    check_probabilities(y, "y")
    w = _broadcast_weight(weight, x.shape, "weight")
    return x, y, w


def binary_cross_entropy(
    p: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

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
    return reduce_elements(elements, reduction, p.dtype)


def binary_cross_entropy_grad(
    p: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

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
    grad = grad * row_scale(reduction, p.size)
    return np.broadcast_to(grad, p.shape).astype(p.dtype)[()]


def _logit_inputs(
    z: Any,
    y: Any,
    weight: npt.ArrayLike | None,
    pos_weight: npt.ArrayLike | None,
    reduction: str,
) -> Any:
    z, y, w = _binary_inputs(z, "z", y, weight, reduction)
    check_no_nan(z, "z")
    pw = _broadcast_weight(pos_weight, z.shape, "pos_weight")
    work = _elementwise_work(z.dtype)
    zw, yw = z.astype(work), y.astype(work)
    pos = yw if pw is None else pw * yw  # coefficient of -log sigmoid(z)
    return z, zw, pos, 1 - yw, w


def binary_cross_entropy_with_logits(
    z: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    pos_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy_with_logits
    >>> print(binary_cross_entropy_with_logits([2.0, -1.0, 100.0], [1.0, 0.0, 1.0],
    ...                                        reduction="none"))
    [1.26928011e-01 3.13261688e-01 3.72007598e-44]
    """
    z, zw, pos, neg, w = _logit_inputs(z, y, weight, pos_weight, reduction)
    elements = _kernels.times(pos, _kernels.softplus(-zw)) + _kernels.times(
        neg, _kernels.softplus(zw)
    )
    if w is not None:
        elements = elements * w
    return reduce_elements(elements, reduction, z.dtype)


def binary_cross_entropy_with_logits_grad(
    z: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    weight: npt.ArrayLike | None = None,
    pos_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> Any:
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

    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> from xentlib import binary_cross_entropy_with_logits_grad
    >>> print(binary_cross_entropy_with_logits_grad([0.0, 2.0], [1.0, 0.0],
    ...                                             reduction="sum").round(4))
    [-0.5     0.8808]
    """
    z, zw, pos, neg, w = _logit_inputs(z, y, weight, pos_weight, reduction)
    grad = neg * _kernels.sigmoid(zw) - pos * _kernels.sigmoid(-zw)
    if w is not None:
        grad = grad * w
    grad = grad * row_scale(reduction, z.size)
    return np.broadcast_to(grad, z.shape).astype(z.dtype)[()]
