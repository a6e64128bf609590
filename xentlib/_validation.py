"""Input checks shared by every public function of xentlib.

Validation happens once, at the boundary: each public function converts its
inputs with :func:`as_float_array` and checks them here, so that the numerics
behind it can assume clean float arrays. Every error names the argument.
"""

import math
import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "working_dtype",
    "check_no_nan",
    "check_finite",
    "check_probabilities",
    "check_distribution",
    "check_same_shape",
    "as_int",
    "as_real",
    "normalize_axis",
    "sum_tolerance",
    "check_base",
]


def as_float_array(x, name):
    """Return ``x`` as a floating-point ndarray, or raise naming ``name``.

    Floating inputs keep their dtype; booleans and integers become float64
    (as scipy does), so ``softmax([1, 2, 3])`` works. Complex, string and
    object data raise :class:`TypeError`.
    """
    try:
        array = np.asarray(x)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise TypeError(f"{name} must be array-like of real numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    raise TypeError(
        f"{name} must contain real numbers, got dtype {array.dtype}"
    )


def working_dtype(dtype):
    """The dtype to accumulate in: float16 sums in float32, others as given."""
    return np.float32 if np.dtype(dtype) == np.float16 else np.dtype(dtype)


def check_no_nan(x, name):
    """Raise :class:`ValueError` if the float array ``x`` contains NaN."""
    if np.isnan(x).any():
        raise ValueError(f"{name} contains NaN")


def check_finite(x, name):
    """Raise :class:`ValueError` if the float array ``x`` has NaN or infinities."""
    check_no_nan(x, name)
    if np.isinf(x).any():
        raise ValueError(f"{name} must be finite")


def as_int(value, name):
    """Return ``value`` as a Python int, or raise :class:`TypeError` naming it.

    Python and NumPy integers qualify; booleans, floats (even ``2.0``) do not.
    """
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {value!r}")
    return int(value)


def as_real(value, name):
    """Return ``value`` as a Python float, or raise :class:`TypeError` naming it.

    Python and NumPy real numbers qualify (integers too); booleans, strings,
    complex numbers and arrays do not. Range checks are the caller's.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    return float(value)


def normalize_axis(axis, ndim, name="axis"):
    """Return ``axis`` as a non-negative int; raise naming ``name`` otherwise."""
    axis = as_int(axis, name)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{name}={axis} is out of range for an array with {ndim} dimension(s)"
        )
    return axis % ndim


def sum_tolerance(dtype, n_terms):
    """Tolerance for ``|sum(p) - 1|`` of ``n_terms`` probabilities in ``dtype``.

    The larger of ``sqrt(eps)`` (room for values printed to about half the
    digits of the dtype) and ``4 * n_terms * eps`` (the worst-case rounding
    of a long sum).
    """
    eps = np.finfo(dtype).eps
    return max(float(np.sqrt(eps)), 4.0 * n_terms * float(eps))


def check_probabilities(p, name):
    """Raise unless every entry of ``p`` is a probability in ``[0, 1]``."""
    check_no_nan(p, name)
    if (p < 0).any():
        raise ValueError(f"{name} contains negative probabilities (min {float(p.min())!r})")
    if (p > 1).any():
        raise ValueError(f"{name} contains probabilities above 1 (max {float(p.max())!r})")


def check_distribution(p, name, axis=-1):
    """Raise unless ``p`` holds probability distributions along ``axis``.

    Entries must lie in ``[0, 1]`` and each slice along ``axis`` must sum to
    one within :func:`sum_tolerance` of the dtype.
    """
    check_probabilities(p, name)
    if p.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar")
    axis = normalize_axis(axis, p.ndim)
    n_terms = p.shape[axis]
    if n_terms == 0:
        raise ValueError(f"{name} is empty along axis {axis}: no distribution")
    totals = p.sum(axis=axis, dtype=working_dtype(p.dtype))
    worst = float(np.max(np.abs(totals - 1)))
    if worst > sum_tolerance(p.dtype, n_terms):
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}; "
            f"the worst slice is off by {worst:.3g}"
        )


def check_same_shape(a, a_name, b, b_name):
    """Raise :class:`ValueError` unless ``a`` and ``b`` have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, "
            f"got {np.shape(a)} and {np.shape(b)}"
        )


def check_base(base):
    """Return ``base`` as a float (or None for nats), or raise naming it."""
    if base is None:
        return None
    if isinstance(base, (bool, np.bool_)) or not isinstance(
        base, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"base must be a real number or None, got {base!r}")
    value = float(base)
    if not (math.isfinite(value) and value > 0 and value != 1):
        raise ValueError(f"base must be finite, positive and not 1, got {base!r}")
    return value
