"""Reductions over a batch, shared by the losses: PyTorch's semantics.

``"mean"`` divides by the total weight of the kept samples; a mean over zero
total weight is 0 (PyTorch: NaN), with a zero gradient. The sums accumulate
in float64 and round once to the input's dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt


def kept_rows(
    y: npt.NDArray[np.int64], class_weight: Any, ignore_index: int
) -> tuple[npt.NDArray[np.int64], Any, npt.NDArray[np.float64]]:
    """``(y, kept, row_weight)``: the rows not ignored and the weight of each.

    Ignored rows get class 0 (a valid index, so they can be gathered like the
    others) and weight 0, so they contribute nothing; ``class_weight`` is the
    validated float64 vector of class weights, or None (all weights 1).
    """
    kept = y != ignore_index
    y = np.where(kept, y, 0)
    if class_weight is None:
        return y, kept, kept.astype(np.float64)
    return y, kept, np.where(kept, class_weight[y], 0.0)


def reduce_rows(
    rows: Any, reduction: str, denominator: float, dtype: np.dtype[Any]
) -> Any:
    """Apply ``reduction`` to per-row losses; a mean over zero weight is 0."""
    # A float16 loss above 65504 rounds to inf: the right rounding, no warning.
    with np.errstate(over="ignore"):
        if reduction == "none":
            return rows.astype(dtype)
        total = rows.sum(dtype=np.promote_types(rows.dtype, np.float64))
        if reduction == "mean":
            total = total / denominator if denominator != 0 else total.dtype.type(0)
        return dtype.type(total)


def row_scale(reduction: str, denominator: float) -> float:
    """The factor turning d(sum of row losses) into d(reduced loss)."""
    if reduction == "mean":
        return 1.0 / denominator if denominator != 0 else 0.0
    return 1.0


def reduce_elements(elements: Any, reduction: str, dtype: np.dtype[Any]) -> Any:
    """Reduce elementwise losses: the mean divides by the number of elements."""
    out = reduce_rows(elements.reshape(-1), reduction, elements.size, dtype)
    if reduction == "none":
        return out.reshape(elements.shape)[()]
    return out
