"""From logits to probabilities: log-sum-exp, softmax, sigmoid and friends.

Every function here is stable by construction. Along the class axis the logits
are shifted by their maximum ``m``; the shifted values ``d = x - m`` are kept
*exactly*, as a rounded part plus its rounding error (Knuth's TwoSum), and the
largest term is taken out of the sum,

.. math::

    \\log \\sum_j e^{x_j} = m + \\operatorname{log1p}\\Big(\\sum_{j \\ne j^*}
    e^{x_j - m}\\Big),

as scipy's ``special/_logsumexp.py`` does, so that tiny log-probabilities such
as ``log_softmax([0, -40])[0] = -4.25e-18`` come out with full relative
accuracy instead of rounding to 0.

Conventions (shared by the whole module):

* ``x`` may be a list, a scalar (elementwise functions only) or an array;
  integers and booleans become float64; float16 is accumulated in float32 and
  returned as float16; float32 stays float32.
* NaN, complex or non-numeric input raises, naming the argument.
* ``-inf`` logits are impossible classes (probability 0). A slice whose
  logits are all ``-inf`` has ``logsumexp = -inf`` (as in scipy) but no softmax:
  :func:`softmax` and :func:`log_softmax` raise a ValueError for it rather than
  return NaN.
* ``+inf`` logits are certain classes: ``logsumexp = +inf`` (as in scipy, also
  for ``[-inf, inf]``) and the softmax puts all the mass on the ``+inf``
  entries, shared equally when there are several (the limit of the softmax
  when those logits grow together).

See chapter 6, *Softmax*.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._validation import as_float_array, check_no_nan, normalize_axis, working_dtype

__all__ = [
    "logsumexp",
    "softmax",
    "log_softmax",
    "sigmoid",
    "log_sigmoid",
    "softmax_jacobian",
]


def _as_logits(x: Any, axis: int) -> Any:
    """Validate ``x``; return (its dtype, a working view with axis last, axis)."""
    array = as_float_array(x, "x")
    check_no_nan(array, "x")
    if array.ndim == 0:
        raise ValueError("x must have at least one dimension (the class axis)")
    axis = normalize_axis(axis, array.ndim)
    work = array.astype(working_dtype(array.dtype), copy=False)
    return array.dtype, np.moveaxis(work, axis, -1), axis


def _shifted(work: Any, function: str) -> Any:
    """The shifted exp-sum of ``work``; raise for a slice of all ``-inf``."""
    sh = _kernels.ShiftedExpSum(work)
    if sh.all_neg_inf.any():
        raise ValueError(
            f"x has a slice whose logits are all -inf: {function} is undefined "
            "there (no class has positive probability)"
        )
    return sh


def _finish(out: Any, dtype: Any, axis: int) -> Any:
    """Move the class axis back, cast to the input dtype, unwrap 0-d arrays."""
    out = np.moveaxis(out, -1, axis) if out.ndim else out
    return out.astype(dtype, copy=False)[()]


def logsumexp(x: npt.ArrayLike, axis: int = -1, keepdims: bool = False) -> Any:
    """Log of the sum of exponentials, computed without overflow.

    .. math::

        \\operatorname{LSE}(x) = \\log \\sum_{j=1}^{K} e^{x_j}
        = m + \\operatorname{log1p}\\Big(\\sum_{j \\ne j^*} e^{x_j - m}\\Big),
        \\quad m = x_{j^*} = \\max_j x_j.

    Parameters
    ----------
    x : array_like, shape (..., K, ...)
        Logits; any real dtype. No NaN.
    axis : int, default -1
        The class axis, reduced over.
    keepdims : bool, default False
        Keep the reduced axis with length one.

    Returns
    -------
    ndarray or scalar, shape (...) (or (..., 1, ...) with keepdims)
        Float dtype of ``x`` (float64 for integer input).

    Notes
    -----
    Shifting by the maximum keeps every exponential in ``[0, 1]``, so logits of
    1000 do not overflow; ``log1p`` keeps the contribution of the small terms
    when they are far below the largest one. Edge cases follow scipy:
    an empty axis gives ``-inf``, an all ``-inf`` slice gives ``-inf``, any
    ``+inf`` gives ``+inf`` (also ``[-inf, inf]``). ``LSE`` is ill-conditioned
    where its value is near 0 while ``|x|`` is not (cancellation in
    ``m + log1p(s)``, e.g. ``x = log([1/2, 1/2])``); there the error is a few
    eps of ``max(|x|)``, which is all that a float result can promise.

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import logsumexp
    >>> print(f"{logsumexp([1000.0, 1000.0]):.6f}")  # 1000 + log 2
    1000.693147
    >>> print(logsumexp([[0.0, 0.0], [1.0, -np.inf]]))
    [0.69314718 1.        ]
    """
    dtype, work, axis = _as_logits(x, axis)
    if work.shape[-1] == 0:
        out = np.full((*work.shape[:-1], 1), -np.inf, dtype=work.dtype)
    else:
        out = _kernels.ShiftedExpSum(work).logsumexp()
    out = _finish(out, dtype, axis)
    return out if keepdims else np.squeeze(out, axis=axis)[()]


def softmax(x: npt.ArrayLike, axis: int = -1) -> Any:
    """Probabilities from logits: the softmax along ``axis``.

    .. math::

        \\operatorname{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}
        = \\frac{e^{x_i - m}}{1 + \\sum_{j \\ne j^*} e^{x_j - m}}.

    Parameters
    ----------
    x : array_like, shape (..., K, ...)
        Logits; any real dtype. No NaN.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray, same shape as ``x``
        Each slice along ``axis`` is a probability distribution.

    Raises
    ------
    ValueError
        If ``x`` has NaN, or a slice along ``axis`` that is all ``-inf``.

    Notes
    -----
    Stable by the max shift (every ``e^{x_j - m} <= 1``); each probability has
    a few eps of *relative* error, tiny ones included. ``-inf`` logits get
    probability 0; a slice containing ``+inf`` puts probability
    ``1/n`` on each of its ``n`` entries equal to ``+inf`` and 0 elsewhere.
    An empty axis gives an empty array (as scipy does).

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import softmax
    >>> print(np.round(softmax([1.0, 2.0, 3.0]), 4))
    [0.09   0.2447 0.6652]
    >>> print(softmax([1000.0, 1000.0]))  # the naive formula gives nan here
    [0.5 0.5]
    """
    dtype, work, axis = _as_logits(x, axis)
    if work.shape[-1] == 0:
        return _finish(work.copy(), dtype, axis)
    sh = _shifted(work, "softmax")
    return _finish(sh.probabilities(), dtype, axis)


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> Any:
    """Log-probabilities from logits: ``log(softmax(x))`` without its pitfalls.

    .. math::

        \\log \\operatorname{softmax}(x)_i = x_i - \\operatorname{LSE}(x)
        = (x_i - m) - \\operatorname{log1p}\\Big(\\sum_{j \\ne j^*} e^{x_j - m}\\Big).

    Parameters
    ----------
    x : array_like, shape (..., K, ...)
        Logits; any real dtype. No NaN.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray, same shape as ``x``
        Log-probabilities, all ``<= 0``.

    Raises
    ------
    ValueError
        If ``x`` has NaN, or a slice along ``axis`` that is all ``-inf``.

    Notes
    -----
    Both terms of the right-hand side are ``<= 0``, so there is no
    cancellation: every entry has a few eps of relative error. The dominant
    class of ``[0, -40]`` gets ``-log1p(e^{-40}) = -4.248e-18``, where
    ``log(softmax(x))`` gives 0 (the softmax rounds to 1), and so does
    ``x - logsumexp(x)`` for ``[1, -39]`` (the logsumexp rounds to 1).
    ``-inf`` logits give ``-inf``; a slice with
    ``n`` entries equal to ``+inf`` gives ``-log n`` there and ``-inf``
    elsewhere.

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> from xentlib import log_softmax
    >>> print(log_softmax([0.0, -40.0]))
    [-4.24835426e-18 -4.00000000e+01]
    """
    dtype, work, axis = _as_logits(x, axis)
    if work.shape[-1] == 0:
        return _finish(work.copy(), dtype, axis)
    sh = _shifted(work, "log_softmax")
    return _finish(sh.log_probabilities(), dtype, axis)


def _as_elementwise(x: Any) -> Any:
    array = as_float_array(x, "x")
    check_no_nan(array, "x")
    return array.dtype, array.astype(working_dtype(array.dtype), copy=False)


def sigmoid(x: npt.ArrayLike) -> Any:
    """The logistic function, elementwise, without overflow.

    .. math::

        \\sigma(x) = \\frac{1}{1 + e^{-x}} = \\frac{e^{x}}{1 + e^{x}}.

    Parameters
    ----------
    x : array_like, any shape
        Logits (log-odds); any real dtype. No NaN.

    Returns
    -------
    ndarray or scalar, same shape as ``x``
        Probabilities in ``[0, 1]``; ``sigmoid(-inf) = 0``, ``sigmoid(inf) = 1``.

    Notes
    -----
    The first form is used for ``x >= 0`` and the second for ``x < 0``, so the
    exponential is always of a non-positive number and never overflows; both
    keep a few eps of relative error (``sigmoid(-700) = 9.86e-305``, not 0).
    ``sigmoid`` is the two-class softmax: ``sigmoid(x) = softmax([x, 0])[0]``.

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import sigmoid
    >>> print(np.round(sigmoid([-1000.0, 0.0, 2.0]), 4))
    [0.     0.5    0.8808]
    """
    dtype, work = _as_elementwise(x)
    return _kernels.sigmoid(work).astype(dtype, copy=False)[()]


def log_sigmoid(x: npt.ArrayLike) -> Any:
    """The log of the logistic function, elementwise, without overflow.

    .. math::

        \\log \\sigma(x) = -\\operatorname{log1p}(e^{-x}) \\ (x > 0), \\qquad
        \\log \\sigma(x) = x - \\operatorname{log1p}(e^{x}) \\ (x \\le 0).

    Parameters
    ----------
    x : array_like, any shape
        Logits (log-odds); any real dtype. No NaN.

    Returns
    -------
    ndarray or scalar, same shape as ``x``
        Values ``<= 0``; ``log_sigmoid(-inf) = -inf``, ``log_sigmoid(inf) = 0``.

    Notes
    -----
    Neither branch exponentiates a positive number, and in the second both
    terms are ``<= 0``, so there is no cancellation: a few eps of relative error
    everywhere (``log_sigmoid(40) = -4.25e-18``, ``log_sigmoid(-1000) =
    -1000``). Its derivative is ``1 - sigmoid(x) = sigmoid(-x)``, and
    ``log(1 - sigmoid(x)) = log_sigmoid(-x)``.

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> from xentlib import log_sigmoid
    >>> print(log_sigmoid([-1000.0, 0.0, 40.0]))
    [-1.00000000e+03 -6.93147181e-01 -4.24835426e-18]
    """
    dtype, work = _as_elementwise(x)
    return _kernels.log_sigmoid(work).astype(dtype, copy=False)[()]


def softmax_jacobian(x: npt.ArrayLike) -> Any:
    """The Jacobian of the softmax over the last axis: ``diag(p) - p p^T``.

    .. math::

        \\frac{\\partial p_i}{\\partial x_j} = p_i (\\delta_{ij} - p_j),
        \\qquad p = \\operatorname{softmax}(x).

    Parameters
    ----------
    x : array_like, shape (..., K)
        Logits; the class axis is the last one.

    Returns
    -------
    ndarray, shape (..., K, K)
        ``J[..., i, j] = d softmax(x)_i / d x_j``; symmetric, rows sum to 0.

    Notes
    -----
    The diagonal ``p_i (1 - p_i)`` is computed with ``1 - p_i`` taken from the
    other classes (``s / (1 + s)`` for the largest logit), not as
    ``p_i - p_i^2``, which would lose every digit when ``p_i`` is near 1.

    See chapter 6, *Softmax*.

    Examples
    --------
    >>> from xentlib import softmax_jacobian
    >>> print(softmax_jacobian([0.0, 0.0]))
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    """
    dtype, work, _ = _as_logits(x, -1)
    k = work.shape[-1]
    if k == 0:
        return np.zeros((*work.shape, 0), dtype=dtype)
    sh = _shifted(work, "softmax_jacobian")
    p = sh.probabilities()
    # Off the argmax p_i <= 1/2, so 1 - p_i is accurate; at the argmax it is
    # the mass of the others, s / (1 + s), not 1 - p (which cancels).
    complement = 1 - p
    top = sh.s / (1 + sh.s)
    np.put_along_axis(complement, sh.argmax, top, axis=-1)
    if sh.any_pos_inf.any():  # p is 1/n or 0 there: 1 - p does not cancel
        complement = np.where(sh.any_pos_inf, 1 - p, complement)
    jac = 0.0 - p[..., :, None] * p[..., None, :]  # 0.0 - : no -0.0 entries
    diagonal = np.arange(k)
    jac[..., diagonal, diagonal] = p * complement
    return jac.astype(dtype, copy=False)
