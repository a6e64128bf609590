"""Input checks shared by every public function of xentlib: one set of rules.

Validation happens once, at the boundary: each public function converts its
inputs here and checks them, so that the kernels behind it (and the loops of
the training helpers) run on clean float arrays without checking again.
Every error names the argument as the caller spelled it.

The rules, in one place:

* Real data: lists, scalars and arrays; booleans and integers become float64;
  complex, string, object and ragged data raise :class:`TypeError`.
* Probabilities lie in ``[0, 1]``; a distribution's slices along the class
  axis sum to one within :data:`SUM_TOLERANCE_EPS` units of the dtype's
  epsilon, whatever their length (the sum is accumulated in at least
  float64).
* Empty batches are valid: an array of shape ``(0, K)`` holds no
  distribution to check. A slice with no classes (``K = 0``) in a non-empty
  batch is not a distribution.
* Class labels have an integer dtype, everywhere (a float array is rejected
  even when its values are whole, as PyTorch does: a float target may be
  meant as probabilities); unsigned labels are range-checked before any
  cast, so ``2**64 - 100`` cannot wrap to ``ignore_index``.
* ``reduction`` is one of ``"none"``, ``"mean"``, ``"sum"``, with one message.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "SUM_TOLERANCE_EPS",
    "REDUCTIONS",
    "as_float_array",
    "working_dtype",
    "check_no_nan",
    "check_finite",
    "check_probabilities",
    "check_distribution",
    "check_same_shape",
    "check_reduction",
    "class_labels",
    "as_int",
    "as_real",
    "positive_int",
    "non_negative_int",
    "finite_real",
    "positive_real",
    "non_negative_real",
    "normalize_axis",
    "sum_tolerance",
    "check_base",
]

#: A distribution's sum may differ from 1 by this many eps of its dtype.
#: Rows made by ``x / x.sum()``, by a softmax, or by rounding exact
#: probabilities are within 1 to 2 eps; 8 leaves room for sums accumulated
#: one term at a time (numpy's ``dirichlet`` is 5 eps off at K = 1000).
SUM_TOLERANCE_EPS = 8

REDUCTIONS = ("none", "mean", "sum")

FloatArray = npt.NDArray[np.floating[Any]]


def as_float_array(x: npt.ArrayLike, name: str) -> FloatArray:
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
    raise TypeError(f"{name} must contain real numbers, got dtype {array.dtype}")


def working_dtype(dtype: npt.DTypeLike) -> np.dtype[Any]:
    """The dtype to accumulate in: float16 sums in float32, others as given."""
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def check_no_nan(x: FloatArray, name: str) -> None:
    """Raise :class:`ValueError` if the float array ``x`` contains NaN."""
    if np.isnan(x).any():
        raise ValueError(f"{name} contains NaN")


def check_finite(x: FloatArray, name: str) -> None:
    """Raise :class:`ValueError` if the float array ``x`` has NaN or infinities."""
    check_no_nan(x, name)
    if np.isinf(x).any():
        raise ValueError(f"{name} must be finite (contains an infinity)")


def check_probabilities(p: FloatArray, name: str) -> None:
    """Raise unless every entry of ``p`` is a probability in ``[0, 1]``.

    Two reductions (``min``, ``max``; NaN propagates through both) decide
    the common case; the message is worked out only for bad input.
    """
    if p.size == 0:
        return
    low, high = float(np.min(p)), float(np.max(p))
    if low >= 0 and high <= 1:
        return
    check_no_nan(p, name)
    if low < 0:
        raise ValueError(f"{name} contains negative probabilities (min {low!r})")
    raise ValueError(f"{name} contains probabilities above 1 (max {high!r})")


def sum_tolerance(dtype: npt.DTypeLike) -> float:
    """Largest accepted ``|sum(p) - 1|`` for a distribution in ``dtype``.

    ``SUM_TOLERANCE_EPS * eps``, independent of the number of classes: 7.8e-3
    in float16, 9.5e-7 in float32, 1.8e-15 in float64.
    """
    return SUM_TOLERANCE_EPS * float(np.finfo(dtype).eps)


def check_distribution(p: FloatArray, name: str, axis: int = -1) -> Any:
    """Raise unless ``p`` holds probability distributions along ``axis``.

    Entries must lie in ``[0, 1]`` and each slice along ``axis`` must sum to
    one within :func:`sum_tolerance` of the dtype (a few eps per slice, not
    a multiple of its length). The sums are accumulated in at least float64,
    so they add no rounding of their own at float16 and float32. An empty
    batch (no slices, e.g. shape ``(0, K)``) is valid. Returns the sums
    (float64 or wider, ``p``'s shape without ``axis``), for callers that
    normalise exactly.
    """
    if p.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar")
    axis = normalize_axis(axis, p.ndim)
    if p.size == 0:
        if p.shape[axis] != 0 or math.prod(p.shape[:axis] + p.shape[axis + 1 :]) == 0:
            return p.sum(axis=axis, dtype=np.float64)  # no slices: nothing to check
        raise ValueError(f"{name} is empty along axis {axis}: no distribution")
    if not p.min() >= 0:  # a negative entry or NaN: raise its message
        check_probabilities(p, name)
    totals = p.sum(axis=axis, dtype=np.promote_types(p.dtype, np.float64))
    if totals.dtype == np.float64 and totals.ndim == 0:  # one slice: no array ops
        largest, worst = float(totals), abs(float(totals) - 1)
    else:
        largest, worst = float(totals.max()), float(np.abs(totals - 1).max())
    # Adding entries >= 0 never rounds below any of them, so each entry is at
    # most its slice's sum: only where a sum exceeds 1 can an entry.
    if largest > 1:
        check_probabilities(p, name)
    if worst > sum_tolerance(p.dtype):
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}; "
            f"the worst slice is off by {worst:.3g}"
        )
    return totals


def check_same_shape(a: Any, a_name: str, b: Any, b_name: str) -> None:
    """Raise :class:`ValueError` unless ``a`` and ``b`` have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, "
            f"got {np.shape(a)} and {np.shape(b)}"
        )


def check_reduction(reduction: object) -> str:
    """Return ``reduction`` if it is "none", "mean" or "sum"; raise otherwise."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'none', 'mean', 'sum', got {reduction!r}"
        )
    return reduction


def _as_int64_labels(labels: Any, name: str) -> np.ndarray:
    """``labels`` as int64 without wrap-around, or raise naming ``name``."""
    try:
        array = np.asarray(labels)
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name} must hold integer class labels: {error}") from None
    kind = array.dtype.kind
    if array.size == 0 and kind in "fiub":  # np.asarray([]) is float64
        return array.astype(np.int64)
    if kind == "u":
        # Range-check before the cast: uint64 2**64 - 100 would wrap to -100.
        too_big = array > np.iinfo(np.int64).max
        if too_big.any():
            raise ValueError(
                f"{name} contains class labels outside the int64 range: "
                f"{array[too_big][:5].tolist()}"
            )
        return array.astype(np.int64)
    if kind == "i":
        return array.astype(np.int64)
    raise TypeError(f"{name} must hold integer class labels, got dtype {array.dtype}")


def class_labels(
    labels: npt.ArrayLike,
    name: str,
    shape: tuple[int, ...],
    n_classes: int,
    ignore_index: int | None = None,
) -> np.ndarray:
    """Validated class labels of the given ``shape``, as int64.

    Each label lies in ``[0, n_classes)`` or equals ``ignore_index`` (when
    given). Integer dtypes of any width are accepted; floats, booleans and
    strings raise :class:`TypeError`. An empty list is an empty batch.
    """
    array = np.asarray(labels) if not isinstance(labels, np.ndarray) else labels
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must hold integer class labels, got dtype bool")
    if array.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape}, one label per sample, "
            f"got shape {array.shape}"
        )
    y = _as_int64_labels(array, name)
    bad = (y < 0) | (y >= n_classes)
    if ignore_index is not None:
        bad &= y != ignore_index
    if bad.any():
        allowed = f"[0, {n_classes - 1}]"
        if ignore_index is not None:
            allowed += f" (or ignore_index={ignore_index})"
        raise ValueError(
            f"{name} contains class labels outside {allowed}: {y[bad][:5].tolist()}"
        )
    return y


def as_int(value: object, name: str) -> int:
    """Return ``value`` as a Python int, or raise :class:`TypeError` naming it.

    Python and NumPy integers qualify; booleans, floats (even ``2.0``) do not.
    """
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {value!r}")
    return int(value)


def positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int ``>= 1``, or raise naming it."""
    number = as_int(value, name)
    if number < 1:
        raise ValueError(f"{name} must be a positive int, got {number}")
    return number


def non_negative_int(value: object, name: str) -> int:
    """Return ``value`` as an int ``>= 0``, or raise naming it."""
    number = as_int(value, name)
    if number < 0:
        raise ValueError(f"{name} must be at least 0, got {number}")
    return number


def as_real(value: object, name: str) -> float:
    """Return ``value`` as a Python float, or raise :class:`TypeError` naming it.

    Python and NumPy real numbers qualify (integers too); booleans, strings,
    complex numbers and arrays do not. Range checks are the caller's.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    return float(value)


def finite_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float, or raise naming it."""
    number = as_real(value, name)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    return number


def positive_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float ``> 0``, or raise naming it."""
    number = as_real(value, name)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be finite and > 0, got {number!r}")
    return number


def non_negative_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float ``>= 0``, or raise naming it."""
    number = as_real(value, name)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{name} must be finite and >= 0, got {number!r}")
    return number


def normalize_axis(axis: object, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` as a non-negative int; raise naming ``name`` otherwise."""
    number = as_int(axis, name)
    if not -ndim <= number < ndim:
        raise ValueError(
            f"{name}={number} is out of range for an array with {ndim} dimension(s)"
        )
    return number % ndim


def check_base(base: object) -> float | None:
    """Return ``base`` as a float (or None for nats), or raise naming it."""
    if base is None:
        return None
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise TypeError(f"base must be a real number or None, got {base!r}")
    value = float(base)
    if not (math.isfinite(value) and value > 0 and value != 1):
        raise ValueError(f"base must be finite, positive and not 1, got {base!r}")
    return value
