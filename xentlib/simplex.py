"""The probability 2-simplex: grids of distributions and ternary coordinates.

Every distribution over three outcomes, ``(w_1, w_2, w_3)`` with ``w_k >= 0``
and ``w_1 + w_2 + w_3 = 1``, is a point of an equilateral triangle: the
barycentric weights ``w`` place it with respect to the triangle's corners.
Chapter 4 draws ternary heat maps of the cross-entropy ``H(q, .)`` with these
helpers. See chapter 4, *Cross-entropy*.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import as_float_array, as_int, check_distribution, check_finite

__all__ = [
    "TRIANGLE_CORNERS",
    "simplex_grid",
    "barycentric_to_cartesian",
    "cartesian_to_barycentric",
]

#: Cartesian corners of the unit-side equilateral triangle, one row per vertex:
#: outcome 1 at the lower left, outcome 2 at the lower right, outcome 3 on top.
TRIANGLE_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3.0) / 2.0]])
TRIANGLE_CORNERS.setflags(write=False)


def simplex_grid(resolution: int, *, interior: bool = False) -> Any:
    r"""All distributions over three outcomes whose entries are multiples of 1/n.

    The rows are ``(a, b, c) / n`` for non-negative integers with
    ``a + b + c = n``: a regular triangular lattice on the 2-simplex.

    Parameters
    ----------
    resolution : int
        ``n >= 1``, the number of steps along each edge.
    interior : bool, optional
        If True, keep only the points with every entry positive (``n >= 3``),
        where ``-log w_k`` is finite for every ``k``.

    Returns
    -------
    ndarray, shape (M, 3)
        ``M = (n + 1)(n + 2) / 2`` points, or ``(n - 1)(n - 2) / 2`` with
        ``interior=True``. Each row sums to one (within rounding).

    Notes
    -----
    The lattice is

    .. math::

        \{(a, b, c)/n : a, b, c \in \mathbb{Z}_{\ge 0},\ a + b + c = n\}.

    Each entry is an integer divided by ``n`` (the last one is not formed as
    ``1 - a/n - b/n``), so it is the float nearest to the exact fraction.

    See chapter 4, *Cross-entropy*.

    Examples
    --------
    >>> simplex_grid(2)
    array([[0. , 0. , 1. ],
           [0. , 0.5, 0.5],
           [0. , 1. , 0. ],
           [0.5, 0. , 0.5],
           [0.5, 0.5, 0. ],
           [1. , 0. , 0. ]])
    >>> simplex_grid(3, interior=True).round(4)
    array([[0.3333, 0.3333, 0.3333]])
    """
    n = _check_resolution(resolution, interior)
    a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    a, b = a.ravel(), b.ravel()
    keep = a + b <= n
    counts = np.stack([a[keep], b[keep], n - a[keep] - b[keep]], axis=-1)
    if interior:
        counts = counts[(counts > 0).all(axis=-1)]
    return counts / n  # integers over n: every entry exact up to one rounding


def _check_resolution(resolution: int, interior: bool) -> Any:
    """Return ``resolution`` as an int, or raise naming the argument."""
    resolution = as_int(resolution, "resolution")
    smallest = 3 if interior else 1
    if resolution < smallest:
        raise ValueError(
            f"resolution must be at least {smallest} "
            f"(interior={interior}), got {resolution}"
        )
    return resolution


def barycentric_to_cartesian(weights: npt.ArrayLike) -> Any:
    r"""Map distributions over three outcomes to points of the triangle.

    Parameters
    ----------
    weights : array_like, shape (..., 3)
        Probability distributions along the last axis.

    Returns
    -------
    ndarray, shape (..., 2)
        Cartesian ``(x, y)`` inside the triangle with corners
        :data:`TRIANGLE_CORNERS`.

    Notes
    -----
    A point is the weighted average of the corners :math:`c_k`:

    .. math::

        (x, y) = \sum_{k=1}^{3} w_k\, c_k .

    See chapter 4, *Cross-entropy*.

    Examples
    --------
    >>> barycentric_to_cartesian([1 / 3, 1 / 3, 1 / 3]).round(4)
    array([0.5   , 0.2887])
    """
    w = as_float_array(weights, "weights")
    if w.ndim == 0 or w.shape[-1] != 3:
        raise ValueError(
            f"weights must have 3 entries along the last axis, got shape {w.shape}"
        )
    check_distribution(w, "weights", axis=-1)
    return w @ TRIANGLE_CORNERS.astype(w.dtype)


def cartesian_to_barycentric(xy: npt.ArrayLike) -> Any:
    r"""Barycentric weights of points of the plane (the inverse map).

    Parameters
    ----------
    xy : array_like, shape (..., 2)
        Cartesian points.

    Returns
    -------
    ndarray, shape (..., 3)
        Weights summing to one; all of them lie in ``[0, 1]`` exactly when the
        point lies in the triangle (they go negative outside it).

    Notes
    -----
    With the corners of :data:`TRIANGLE_CORNERS`,

    .. math::

        w_3 = \frac{2y}{\sqrt{3}},\quad w_2 = x - \frac{w_3}{2},\quad
        w_1 = 1 - w_2 - w_3 .

    See chapter 4, *Cross-entropy*.

    Examples
    --------
    >>> cartesian_to_barycentric([0.5, 0.0]).round(4)
    array([0.5, 0.5, 0. ])
    """
    points = as_float_array(xy, "xy")
    if points.ndim == 0 or points.shape[-1] != 2:
        raise ValueError(
            f"xy must have 2 entries along the last axis, got shape {points.shape}"
        )
    check_finite(points, "xy")
    x, y = points[..., 0], points[..., 1]
    w3 = 2.0 * y / np.sqrt(3.0)
    w2 = x - w3 / 2.0
    return np.stack([1.0 - w2 - w3, w2, w3], axis=-1)
