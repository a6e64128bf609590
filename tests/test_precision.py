"""Tests of xentlib.precision: bfloat16 emulated by rounding float32.

The reference is independent of the bit trick: exact rational arithmetic
(``fractions.Fraction``) rounds each float32 to the nearest number with 8
significant bits (ties to even), inside bfloat16's exponent range, with
subnormals spaced 2**-133 and overflow to infinity above the largest finite
value plus half a unit. ml_dtypes and torch, when installed (never
required), are compared too.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentlib.precision import bfloat16_limits, round_to_bfloat16

MAX = (2 - Fraction(1, 2**7)) * Fraction(2) ** 127
HALF_ULP_AT_MAX = Fraction(2) ** (127 - 7 - 1)


def reference_bfloat16(value):
    """Round a finite float to bfloat16 with exact rationals (ties to even)."""
    exact = Fraction(float(np.float32(value)))
    if exact == 0:
        return float(np.float32(value))
    sign = -1 if exact < 0 else 1
    magnitude = abs(exact)
    exponent = max(math.floor(math.log2(magnitude)), -126)
    # math.log2 of a Fraction may be off by one at powers of two: correct it
    while Fraction(2) ** exponent > magnitude and exponent > -126:
        exponent -= 1
    while Fraction(2) ** (exponent + 1) <= magnitude:
        exponent += 1
    spacing = Fraction(2) ** (exponent - 7)
    units = magnitude / spacing
    low = math.floor(units)
    remainder = units - low
    if remainder > Fraction(1, 2) or (remainder == Fraction(1, 2)
                                      and low % 2 == 1):
        low += 1
    rounded = low * spacing
    if rounded > MAX:
        return sign * math.inf
    return sign * float(rounded)


def test_limits_from_bit_patterns():
    limits = bfloat16_limits()
    assert limits["max"] == float(MAX)
    assert limits["tiny"] == 2.0**-126
    assert limits["smallest_subnormal"] == 2.0**-133
    assert limits["eps"] == 2.0**-7
    assert limits["precision_bits"] == 8


@pytest.mark.parametrize("value, expected", [
    (1.0, 1.0),
    (1 + 2**-8, 1.0),                  # a tie: to the even neighbour 1
    (1 + 3 * 2**-8, 1 + 2**-6),        # a tie: to the even neighbour above
    (1 + 2**-8 + 2**-20, 1 + 2**-7),   # just above a tie: up
    (-(1 + 3 * 2**-8), -(1 + 2**-6)),  # symmetric in the sign
    (2.0**-133, 2.0**-133),            # the smallest subnormal is exact
    (2.0**-135, 0.0),                  # a quarter of it rounds to zero
    (float(MAX), float(MAX)),
    (float(MAX + HALF_ULP_AT_MAX), math.inf),  # the tie above max: to inf
    (math.inf, math.inf),
    (-math.inf, -math.inf),
])
def test_known_values(value, expected):
    assert float(round_to_bfloat16(value)) == expected
    assert round_to_bfloat16(value).dtype == np.float32


def test_nan_stays_nan_and_shape_is_kept():
    out = round_to_bfloat16(np.array([[np.nan, 1.0], [2.0, -0.0]]))
    assert out.shape == (2, 2)
    assert np.isnan(out[0, 0]) and out[0, 1] == 1.0
    assert np.signbit(out[1, 1])


def test_rejects_non_numeric():
    with pytest.raises(TypeError, match="x"):
        round_to_bfloat16(["a"])


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_matches_exact_rational_rounding(value):
    assert float(round_to_bfloat16(value)) == reference_bfloat16(value)


def test_low_sixteen_bits_are_zero():
    rng = np.random.default_rng(20261203)
    values = rng.standard_normal(10_000).astype(np.float32) * 1e3
    bits = round_to_bfloat16(values).view(np.uint32)
    assert np.all(bits & 0xFFFF == 0)


def test_agrees_with_ml_dtypes_when_installed():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    rng = np.random.default_rng(7)
    values = (rng.standard_normal(10_000)
              * 10.0 ** rng.integers(-40, 38, 10_000)).astype(np.float32)
    theirs = values.astype(ml_dtypes.bfloat16).astype(np.float32)
    np.testing.assert_array_equal(round_to_bfloat16(values), theirs)


def test_agrees_with_torch_when_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    values = (rng.standard_normal(10_000)
              * 10.0 ** rng.integers(-40, 38, 10_000)).astype(np.float32)
    theirs = torch.from_numpy(values).to(torch.bfloat16).float().numpy()
    np.testing.assert_array_equal(round_to_bfloat16(values), theirs)
