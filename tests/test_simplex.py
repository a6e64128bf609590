"""Tests of xentlib.simplex: the barycentric grid and ternary coordinates.

References are independent of the code under test: the lattice is enumerated
with itertools and exact fractions, the geometry is checked with distances and
the centroid of an equilateral triangle worked out by hand.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentlib.simplex import (
    TRIANGLE_CORNERS,
    barycentric_to_cartesian,
    cartesian_to_barycentric,
    simplex_grid,
)

SQRT3 = math.sqrt(3.0)


def exact_lattice(n, interior):
    """The lattice {(a, b, c)/n} as a set of exact fractions (itertools)."""
    smallest = 1 if interior else 0
    return {
        (Fraction(a, n), Fraction(b, n), Fraction(n - a - b, n))
        for a, b in itertools.product(range(n + 1), repeat=2)
        if n - a - b >= smallest and a >= smallest and b >= smallest
    }


@pytest.mark.parametrize(
    "n, interior",
    [(1, False), (2, False), (3, False), (7, False), (20, False),
     (3, True), (4, True), (7, True), (20, True)],
)
def test_grid_is_the_lattice_each_point_once(n, interior):
    grid = simplex_grid(n, interior=interior)
    expected = exact_lattice(n, interior)
    # Each float entry is the nearest float to its fraction: recover it exactly.
    recovered = [tuple(Fraction(x).limit_denominator(n) for x in row) for row in grid]
    assert len(recovered) == len(set(recovered)) == len(expected)
    assert set(recovered) == expected


@pytest.mark.parametrize("n", [1, 5, 50])
def test_grid_size_formula(n):
    assert simplex_grid(n).shape == ((n + 1) * (n + 2) // 2, 3)
    if n >= 3:
        assert simplex_grid(n, interior=True).shape == ((n - 1) * (n - 2) // 2, 3)


@pytest.mark.parametrize("n", [1, 3, 10, 97])
def test_grid_rows_are_distributions(n):
    grid = simplex_grid(n)
    assert (grid >= 0).all()
    # Three entries rounded to nearest, two additions: a few eps at most.
    np.testing.assert_allclose(grid.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_interior_grid_is_strictly_positive():
    assert (simplex_grid(30, interior=True) > 0).all()


def test_vertices_map_to_the_corners():
    np.testing.assert_array_equal(barycentric_to_cartesian(np.eye(3)), TRIANGLE_CORNERS)


def test_corners_form_a_unit_equilateral_triangle():
    for a, b in itertools.combinations(TRIANGLE_CORNERS, 2):
        assert math.dist(a, b) == pytest.approx(1.0, abs=1e-15)
    assert TRIANGLE_CORNERS[0].tolist() == [0.0, 0.0]
    assert TRIANGLE_CORNERS[1].tolist() == [1.0, 0.0]


def test_uniform_maps_to_the_centroid():
    # Centroid of the triangle (0,0), (1,0), (1/2, sqrt(3)/2): (1/2, sqrt(3)/6).
    xy = barycentric_to_cartesian([1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(xy, [0.5, SQRT3 / 6], rtol=0, atol=1e-15)


def test_edge_points_lie_on_the_edges():
    # (t, 1-t, 0) lies on the bottom edge y = 0, at x = 1 - t.
    t = np.linspace(0, 1, 11)
    xy = barycentric_to_cartesian(np.stack([t, 1 - t, 0 * t], axis=-1))
    np.testing.assert_allclose(xy[:, 1], 0.0, atol=1e-15)
    np.testing.assert_allclose(xy[:, 0], 1 - t, atol=1e-15)


def test_distance_to_bottom_edge_is_proportional_to_third_weight():
    # Height of the triangle is sqrt(3)/2; w3 is the fraction of it.
    grid = simplex_grid(12)
    xy = barycentric_to_cartesian(grid)
    np.testing.assert_allclose(xy[:, 1], grid[:, 2] * SQRT3 / 2, atol=1e-15)


def test_keeps_leading_shape_and_dtype():
    w = np.full((4, 5, 3), 1 / 3, dtype=np.float32)
    xy = barycentric_to_cartesian(w)
    assert xy.shape == (4, 5, 2)
    assert xy.dtype == np.float32


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(lambda v: sum(v) > 1e-3))
def test_round_trip(raw):
    w = np.array(raw) / sum(raw)
    back = cartesian_to_barycentric(barycentric_to_cartesian(w))
    np.testing.assert_allclose(back, w, rtol=0, atol=1e-12)


def test_outside_point_has_a_negative_weight():
    assert cartesian_to_barycentric([1.2, 0.1]).min() < 0
    assert cartesian_to_barycentric([0.5, -0.1])[2] < 0


@pytest.mark.parametrize(
    "bad, error, match",
    [
        ([0.5, 0.5], ValueError, "weights"),
        ([0.2, 0.2, 0.2], ValueError, "weights must sum to 1"),
        ([1.5, -0.5, 0.0], ValueError, "weights contains negative"),
        ([np.nan, 0.5, 0.5], ValueError, "weights contains NaN"),
        (["a", "b", "c"], TypeError, "weights"),
    ],
)
def test_barycentric_rejects_bad_weights(bad, error, match):
    with pytest.raises(error, match=match):
        barycentric_to_cartesian(bad)


@pytest.mark.parametrize(
    "bad, error",
    [([0.5, 0.5, 0.5], ValueError), ([np.inf, 0.0], ValueError),
     ([np.nan, 0.0], ValueError)],
)
def test_cartesian_rejects_bad_points(bad, error):
    with pytest.raises(error, match="xy"):
        cartesian_to_barycentric(bad)


@pytest.mark.parametrize(
    "resolution, interior, error",
    [(0, False, ValueError), (2, True, ValueError), (2.0, False, TypeError),
     (True, False, TypeError)],
)
def test_grid_rejects_bad_resolution(resolution, interior, error):
    with pytest.raises(error, match="resolution"):
        simplex_grid(resolution, interior=interior)
