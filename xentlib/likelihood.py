"""Squared error on a sigmoid, and a one-feature logistic model to train.

Chapter 8 compares two losses for a probability :math:`\\sigma(z)` made from
a logit :math:`z`: the cross-entropy, which is the Bernoulli negative
log-likelihood (:func:`xentlib.losses.binary_cross_entropy_with_logits`),
and the squared error :math:`\\tfrac12(\\sigma(z) - y)^2`, which is here.
The likelihoods themselves need nothing new: the Bernoulli one is
:func:`xentlib.losses.binary_cross_entropy`, the categorical one
:func:`xentlib.information.cross_entropy` of the empirical frequencies, and
the Gaussian one :func:`xentlib.gaussian.gaussian_logpdf`.

:func:`logistic_1d_descent` runs plain gradient descent on the two
parameters of :math:`\\sigma(w x + b)` with either loss, so that the chapter
can show how each one learns from a confidently wrong start. It is a
teaching device for that comparison, not a training API.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._reduction import reduce_elements, row_scale
from ._validation import (
    as_float_array,
    check_finite,
    check_probabilities,
    check_reduction,
    check_same_shape,
    finite_real,
    non_negative_int,
    positive_real,
)

__all__ = [
    "squared_error_with_logits",
    "squared_error_with_logits_grad",
    "logistic_1d_descent",
]


def _logit_inputs(
    z: npt.ArrayLike, y: npt.ArrayLike, reduction: object
) -> tuple[Any, Any, Any, str]:
    """Validated finite logits ``z`` and targets ``y`` in [0, 1], same shape."""
    reduction = check_reduction(reduction)
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, "z", y, "y")
    check_finite(z, "z")
    check_probabilities(y, "y")
    return z, z.astype(np.float64), y.astype(np.float64), reduction


def _squared_error_elements(z: Any, y: Any) -> Any:
    return 0.5 * _kernels.sigmoid_residual(z, y) ** 2


def _squared_error_slope(z: Any, y: Any) -> Any:
    """d/dz of the element: residual times sigma(z) sigma(-z) (no 1 - sigma)."""
    sigma_sigma = _kernels.sigmoid(z) * _kernels.sigmoid(-z)
    return _kernels.sigmoid_residual(z, y) * sigma_sigma


def _cross_entropy_elements(z: Any, y: Any) -> Any:
    return _kernels.times(y, _kernels.softplus(-z)) + _kernels.times(
        1 - y, _kernels.softplus(z)
    )


def squared_error_with_logits(
    z: npt.ArrayLike, y: npt.ArrayLike, *, reduction: str = "mean"
) -> Any:
    r"""Half the squared error between ``sigmoid(z)`` and the target ``y``.

    .. math::

        \ell = \tfrac12 \bigl(\sigma(z) - y\bigr)^2 .

    Parameters
    ----------
    z : array_like, shape (...)
        Finite logits.
    y : array_like, shape of ``z``
        Targets in ``[0, 1]``.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of elements.

    Returns
    -------
    float or ndarray
        Scalar, or the shape of ``z`` for ``"none"``; the dtype of ``z``.

    Notes
    -----
    The factor :math:`\tfrac12` makes the gradient
    :math:`(\sigma - y)\sigma(1 - \sigma)` free of a 2 (PyTorch's
    ``mse_loss(sigmoid(z), y)`` is twice this). The residual
    :math:`\sigma(z) - y` is computed as
    :math:`(1 - y)\sigma(z) - y\,\sigma(-z)`, accurate even where
    :math:`\sigma(z)` rounds to 1.

    See chapter 8, *Maximum likelihood*.

    Examples
    --------
    >>> from xentlib import squared_error_with_logits
    >>> print(squared_error_with_logits([0.0, -4.0], [1.0, 1.0],
    ...                                 reduction="none").round(4))
    [0.125  0.4822]
    """
    z, zw, yw, reduction = _logit_inputs(z, y, reduction)
    return reduce_elements(_squared_error_elements(zw, yw), reduction, z.dtype)


def squared_error_with_logits_grad(
    z: npt.ArrayLike, y: npt.ArrayLike, *, reduction: str = "mean"
) -> Any:
    r"""Gradient of :func:`squared_error_with_logits` with respect to ``z``.

    .. math::

        \frac{\partial \ell}{\partial z}
        = \bigl(\sigma(z) - y\bigr)\,\sigma(z)\bigl(1 - \sigma(z)\bigr),

    divided by the number of elements for ``"mean"``. Same parameters as
    :func:`squared_error_with_logits`; returns an array of the shape and
    dtype of ``z``.

    Notes
    -----
    :math:`\sigma(z)(1 - \sigma(z))` is computed as
    :math:`\sigma(z)\sigma(-z)`, which does not cancel for large
    :math:`|z|`. It is at most :math:`\tfrac14` and tends to 0 as
    :math:`|z| \to \infty`: a confidently wrong prediction gets almost no
    gradient.

    See chapter 8, *Maximum likelihood*.

    Examples
    --------
    >>> from xentlib import squared_error_with_logits_grad
    >>> print(squared_error_with_logits_grad([0.0, -4.0], [1.0, 1.0],
    ...                                      reduction="sum").round(4))
    [-0.125  -0.0173]
    """
    z, zw, yw, reduction = _logit_inputs(z, y, reduction)
    grad = _squared_error_slope(zw, yw) * row_scale(reduction, z.size)
    return grad.astype(z.dtype)[()]


# Unchecked (elements, d elements / dz) of each loss, for the descent loop.
_LOSSES = {
    "cross_entropy": (_cross_entropy_elements, _kernels.sigmoid_residual),
    "squared_error": (_squared_error_elements, _squared_error_slope),
}


def logistic_1d_descent(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    loss: str,
    w0: float,
    b0: float,
    learning_rate: float,
    steps: int,
) -> dict[str, np.ndarray]:
    r"""Gradient descent on the one-feature logistic model :math:`\sigma(w x + b)`.

    Each step moves both parameters against the gradient of the mean loss:

    .. math::

        z_n = w x_n + b, \qquad
        g_n = \frac{\partial \ell(z_n, y_n)}{\partial z_n}, \qquad
        w \leftarrow w - \eta \frac1N \sum_n g_n x_n, \qquad
        b \leftarrow b - \eta \frac1N \sum_n g_n .

    Parameters
    ----------
    x : array_like, shape (N,)
        Finite feature values.
    y : array_like, shape (N,)
        Targets in ``[0, 1]``.
    loss : {"cross_entropy", "squared_error"}
        :func:`xentlib.losses.binary_cross_entropy_with_logits` or
        :func:`squared_error_with_logits`, mean over the N samples.
    w0, b0 : float
        The starting weight and bias.
    learning_rate : float
        The step size :math:`\eta > 0`.
    steps : int
        Number of steps, at least 0.

    Returns
    -------
    dict of ndarray, each of shape (steps + 1,)
        ``"w"``, ``"b"``: the parameters before step 0, 1, ..., and after the
        last; ``"loss"``: the mean loss there; ``"grad_norm"``: the length of
        the gradient :math:`(\partial L/\partial w, \partial L/\partial b)`.

    See chapter 8, *Maximum likelihood*.

    Examples
    --------
    >>> from xentlib import logistic_1d_descent
    >>> run = logistic_1d_descent([-1.0, 1.0], [0.0, 1.0],
    ...                           loss="cross_entropy", w0=0.0, b0=0.0,
    ...                           learning_rate=1.0, steps=2)
    >>> print(run["w"].round(4), run["loss"].round(4))
    [0.     0.5    0.8775] [0.6931 0.4741 0.3477]
    """
    if not isinstance(loss, str) or loss not in _LOSSES:
        raise ValueError(
            f"loss must be 'cross_entropy' or 'squared_error', got {loss!r}"
        )
    x = as_float_array(x, "x").astype(np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {x.shape}")
    _, x, y, _ = _logit_inputs(x, y, "mean")  # finite x, y in [0, 1]
    w, b = finite_real(w0, "w0"), finite_real(b0, "b0")
    eta = positive_real(learning_rate, "learning_rate")
    steps = non_negative_int(steps, "steps")
    elements, slope = _LOSSES[loss]
    history = {name: np.empty(steps + 1) for name in ("w", "b", "loss", "grad_norm")}
    for step in range(steps + 1):
        z = w * x + b
        g = slope(z, y) / x.size  # gradient of the mean loss in z
        grad_w, grad_b = float(np.sum(g * x)), float(np.sum(g))
        history["w"][step], history["b"][step] = w, b
        history["loss"][step] = float(np.mean(elements(z, y)))
        history["grad_norm"][step] = np.hypot(grad_w, grad_b)
        w, b = w - eta * grad_w, b - eta * grad_b
    return history
