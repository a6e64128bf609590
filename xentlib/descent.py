"""Plain gradient descent on the logits of one softmax output.

A teaching helper for chapter 7: it moves a single row of logits ``z`` down
the cross-entropy :math:`H(q, \\operatorname{softmax}(z))` against a fixed
target ``q`` and records the path. It is not a training API (no model, no
data, no batches); chapter 9 trains a softmax-regression model.

See chapter 7, *The gradient*.
"""

from collections import namedtuple
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._validation import (
    as_float_array,
    check_distribution,
    check_finite,
    check_same_shape,
    non_negative_int,
    positive_real,
)

__all__ = ["LogitPath", "gradient_descent_logits"]


LogitPath = namedtuple("LogitPath", ["logits", "losses"])
LogitPath.__doc__ = "The path of :func:`gradient_descent_logits`."
LogitPath.logits.__doc__ = (
    "Logits before each step and after the last, shape ``(steps + 1, K)``."
)
LogitPath.losses.__doc__ = (
    "Loss at each row of ``logits`` (nats), shape ``(steps + 1,)``."
)


def gradient_descent_logits(
    q: npt.ArrayLike, z0: npt.ArrayLike, learning_rate: float, steps: int
) -> Any:
    r"""Gradient descent on :math:`L(z) = H(q, \operatorname{softmax}(z))`.

    Starting from ``z0``, each step is

    .. math::

        z \leftarrow z - \eta\,(\operatorname{softmax}(z) - q),

    the gradient of chapter 7 (one row, summed, no averaging). Loss and
    gradient come from one fused call of
    :func:`xentlib.losses.softmax_cross_entropy_with_grad` with a soft target and
    ``reduction="sum"``.

    Parameters
    ----------
    q : array_like, shape (K,)
        Target distribution: entries in ``[0, 1]`` summing to one.
    z0 : array_like, shape (K,)
        Finite starting logits.
    learning_rate : float
        Step size :math:`\eta > 0`, finite.
    steps : int
        Number of steps, ``>= 0``.

    Returns
    -------
    LogitPath
        ``logits`` of shape ``(steps + 1, K)`` (row 0 is ``z0``) and
        ``losses`` of shape ``(steps + 1,)`` in nats, float64.

    Notes
    -----
    The gradient sums to zero, so every step keeps :math:`\sum_i z_i` fixed:
    the logits do not drift as a whole, although the loss cannot see their
    level (shift invariance).

    See chapter 7, *The gradient*.

    Examples
    --------
    >>> path = gradient_descent_logits([0.7, 0.2, 0.1], [2.0, 1.0, 0.5],
    ...                                learning_rate=0.1, steps=1)
    >>> print(path.logits[1].round(4), path.losses.round(4))
    [2.0071 0.9969 0.496 ] [0.8144 0.8136]
    """
    target = as_float_array(q, "q").astype(np.float64)
    if target.ndim != 1:
        raise ValueError(
            f"q must be one distribution, shape (K,), got shape {target.shape}"
        )
    check_distribution(target, "q")
    z = as_float_array(z0, "z0").astype(np.float64)
    check_same_shape(target, "q", z, "z0")
    check_finite(z, "z0")
    eta = positive_real(learning_rate, "learning_rate")
    steps = non_negative_int(steps, "steps")

    logits = np.empty((steps + 1, z.size))
    losses = np.empty(steps + 1)
    logits[0] = z
    for t in range(steps + 1):
        loss, grad = _cross_entropy_and_grad(logits[t], target)
        losses[t] = loss
        if t < steps:
            logits[t + 1] = logits[t] - eta * grad
    return LogitPath(logits, losses)


def _cross_entropy_and_grad(z: Any, q: Any) -> Any:
    """``H(q, softmax(z))`` and its gradient ``softmax(z) - q``, unchecked
    (the loop's inputs were validated once; the kernel is the losses')."""
    rows, p = _kernels.xent_dense_rows(z[None, :], q[None, :])
    return float(rows[0]), p[0] * q.sum() - q
