r"""Low-precision formats that numpy lacks: bfloat16, emulated in float32.

bfloat16 keeps float32's sign bit and 8 exponent bits and only the top 7 of
its 23 stored mantissa bits (8 bits of precision with the implicit leading
one). A bfloat16 number is therefore a float32 whose low 16 bits are zero,
and rounding a float32 to bfloat16 is integer arithmetic on its bit pattern:
round to nearest, ties to even, at bit 16. numpy has no bfloat16 dtype, so
:func:`round_to_bfloat16` returns float32 arrays that hold bfloat16 values;
computing in float32 and rounding after each operation emulates a bfloat16
operation exactly (float32 carries more than twice bfloat16's precision, so
double rounding cannot change a correctly rounded sum, product or quotient).

Introduced in chapter 9, *Cross-entropy in practice* (float16, bfloat16 and
loss scaling).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import as_float_array

__all__ = ["round_to_bfloat16", "bfloat16_limits"]

#: Bit patterns (the upper 16 bits of the float32) of bfloat16's limits.
_MAX_BITS = 0x7F7F  # largest finite: (2 - 2**-7) * 2**127
_TINY_BITS = 0x0080  # smallest normal: 2**-126
_SUBNORMAL_BITS = 0x0001  # smallest positive: 2**-133


def round_to_bfloat16(x: npt.ArrayLike) -> Any:
    r"""Round to the nearest bfloat16 value (ties to even), held in float32.

    .. math::

        \operatorname{bf16}(x) = \text{the bfloat16 number nearest to }
        \operatorname{fl32}(x)

    Parameters
    ----------
    x : array_like, shape (...)
        Real numbers; other float dtypes are first rounded to float32.

    Returns
    -------
    numpy.ndarray of float32, shape (...)
        Values with the low 16 bits of their float32 pattern zero. Infinities
        stay infinite, NaN stays NaN; finite values beyond the largest
        bfloat16 (about :math:`3.39 \times 10^{38}`) round to infinity, as
        in the IEEE formats.

    Notes
    -----
    The rounding adds ``0x7FFF`` plus the lowest kept bit to the 32-bit
    pattern and clears the low 16 bits: that is round-to-nearest-even on
    the magnitude, and a carry out of the mantissa correctly increments the
    exponent (up to infinity). NaN is handled apart, so that the addition
    cannot turn a NaN payload into infinity.

    Examples
    --------
    >>> import numpy as np
    >>> round_to_bfloat16([1.0, 1 + 2**-8, 1 + 3 * 2**-8, 1 / 3]).tolist()
    [1.0, 1.0, 1.015625, 0.333984375]
    >>> round_to_bfloat16([3e38, np.finfo(np.float32).max]).tolist()
    [3.00405527047391e+38, inf]
    """
    values = np.asarray(as_float_array(x, "x"), dtype=np.float32)
    bits = values.view(np.uint32).astype(np.uint64)
    lowest_kept = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lowest_kept) >> 16) << 16
    result = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(values), np.float32(np.nan), result)


def bfloat16_limits() -> dict[str, float]:
    r"""The limits of bfloat16, from its bit patterns.

    Returns
    -------
    dict
        ``"max"`` (largest finite), ``"tiny"`` (smallest normal),
        ``"smallest_subnormal"``, ``"eps"`` (:math:`2^{-7}`, the gap from 1
        to the next number) and ``"precision_bits"`` (8, the implicit one
        included).

    Examples
    --------
    >>> limits = bfloat16_limits()
    >>> limits["eps"], limits["precision_bits"]
    (0.0078125, 8)
    >>> limits["tiny"] == float(np.finfo(np.float32).tiny)
    True
    """

    def from_bits(upper: int) -> float:
        return float(np.array([upper << 16], dtype=np.uint32).view(np.float32)[0])

    one = 0x3F80
    return {
        "max": from_bits(_MAX_BITS),
        "tiny": from_bits(_TINY_BITS),
        "smallest_subnormal": from_bits(_SUBNORMAL_BITS),
        "eps": from_bits(one + 1) - 1.0,
        "precision_bits": 8,
    }
