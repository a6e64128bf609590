r"""The Brier score split into reliability, resolution and uncertainty.

Group the forecasts of class :math:`i` so that the forecasts in a group are
(nearly) equal; in group :math:`b`, a share :math:`n_b / N` of the data,
the mean forecast is :math:`\bar f_b` and the class happens a fraction
:math:`\bar o_b` of the time; overall it happens a fraction :math:`\bar o`.
Murphy's decomposition (1973) of the mean Brier score, summed over the
classes, is

.. math::

    \mathrm{BS} = \underbrace{\sum_b \tfrac{n_b}{N} (\bar f_b - \bar o_b)^2}
                  _{\text{reliability}}
                - \underbrace{\sum_b \tfrac{n_b}{N} (\bar o_b - \bar o)^2}
                  _{\text{resolution}}
                + \underbrace{\bar o (1 - \bar o)}_{\text{uncertainty}}
                + \mathrm{WBV} - \mathrm{WBC},

exact when every group holds a single forecast value (then the within-bin
variance :math:`\mathrm{WBV}` and covariance :math:`\mathrm{WBC}` are 0);
with bins of different forecasts the two extra terms keep it exact
(Stephenson, Coelho & Jolliffe 2008):

* :func:`brier_decomposition` -- the five terms, per-class (one-vs-rest)
  equal-width bins as in :func:`~xentlib.calibration.reliability_bins`, or
  one group per distinct forecast value (``n_bins=None``);
* :func:`sharpness` -- how spread out the forecasts are, from the forecasts
  alone: the variance :math:`\sum_i \operatorname{Var}(p_i)`; for a
  forecaster calibrated class by class, grouped by forecast value, it
  equals the resolution.

See chapter 10, *Scoring rules and calibration*.
"""

from collections import namedtuple
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import as_float_array, as_int, check_distribution, class_labels

__all__ = [
    "BrierDecomposition",
    "brier_decomposition",
    "sharpness",
]

BrierDecomposition = namedtuple(
    "BrierDecomposition",
    [
        "brier",
        "reliability",
        "resolution",
        "uncertainty",
        "within_variance",
        "within_covariance",
    ],
)
BrierDecomposition.__doc__ = """Result of :func:`brier_decomposition` (floats).

``brier = reliability - resolution + uncertainty + within_variance -
within_covariance`` up to rounding; the last two are 0 when every group holds
one forecast value (``n_bins=None``).
"""


def _forecasts(p: Any) -> Any:
    array = as_float_array(p, "p")
    if array.ndim != 2:
        raise ValueError(f"p must have shape (N, K), got shape {array.shape}")
    check_distribution(array, "p")
    return array.astype(np.float64)


def _groups(column: Any, n_bins: int | None) -> tuple[Any, int]:
    """Group index of each forecast and the number of groups."""
    if n_bins is None:
        _, index = np.unique(column, return_inverse=True)
        return index.reshape(-1), int(index.max()) + 1 if index.size else 0
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # bin b holds (e_b, e_{b+1}], the first also 0: reliability_bins' bins
    return np.searchsorted(edges[1:-1], column, side="left"), n_bins


def brier_decomposition(
    p: npt.ArrayLike, y: npt.ArrayLike, *, n_bins: int | None = 10
) -> BrierDecomposition:
    r"""Reliability, resolution and uncertainty of the mean Brier score.

    For each class :math:`i`, the forecasts :math:`p_{ni}` are grouped (equal
    bins of :math:`[0, 1]`, or one group per distinct value), the outcome is
    :math:`o_{ni} = [y_n = i]`, and with :math:`b(n)` the group of
    :math:`p_{ni}`:

    .. math::

        \mathrm{REL} &= \frac{1}{N} \sum_i \sum_b n_b (\bar f_b - \bar o_b)^2,
        \quad
        \mathrm{RES} = \frac{1}{N} \sum_i \sum_b n_b (\bar o_b - \bar o_i)^2,
        \quad
        \mathrm{UNC} = \sum_i \bar o_i (1 - \bar o_i), \\
        \mathrm{WBV} &= \frac{1}{N} \sum_i \sum_n (p_{ni} - \bar f_{b(n)})^2,
        \quad
        \mathrm{WBC} = \frac{2}{N} \sum_i \sum_n
                       (p_{ni} - \bar f_{b(n)})(o_{ni} - \bar o_{b(n)}),

    and :math:`\mathrm{BS} = \mathrm{REL} - \mathrm{RES} + \mathrm{UNC} +
    \mathrm{WBV} - \mathrm{WBC}` holds exactly (in exact arithmetic): write
    :math:`p - o = (p - \bar f_b) + (\bar f_b - \bar o_b) + (\bar o_b - o)`,
    square, and the cross terms that survive summing over a group are WBC.
    Reliability is 0 for a calibrated forecaster, resolution rewards
    forecasts whose groups differ in outcome, uncertainty depends on the
    labels alone.

    Parameters
    ----------
    p : array_like, shape (N, K)
        Forecast distributions, one per row; N >= 1.
    y : array_like of int, shape (N,)
        The classes that happened.
    n_bins : int or None
        Number of equal-width bins per class, or None for one group per
        distinct forecast value (then WBV = WBC = 0).

    Returns
    -------
    BrierDecomposition
        ``brier`` (as :func:`~xentlib.calibration.brier_score`),
        ``reliability``, ``resolution``, ``uncertainty``,
        ``within_variance``, ``within_covariance``.

    Notes
    -----
    Summing over the classes one-vs-rest is Murphy's vector partition when
    the groups are the same for every class; binning class by class groups
    differently for each class, which is still an exact identity, class by
    class. For ``K = 2`` with ``n_bins=None`` every term is twice that of
    the binary decomposition of :math:`(p_1 - y)^2` (with bins too, unless a
    forecast lies on an inner edge: the bins of :math:`p_1` and
    :math:`1 - p_1` are then not mirror images).

    Examples
    --------
    >>> p = [[0.8, 0.2], [0.8, 0.2], [0.3, 0.7], [0.3, 0.7]]
    >>> d = brier_decomposition(p, [0, 1, 1, 1], n_bins=None)
    >>> [round(v, 4) for v in d]
    [0.43, 0.18, 0.125, 0.375, 0.0, 0.0]

    See chapter 10, *Scoring rules and calibration*.
    """
    probs = _forecasts(p)
    n_rows, n_classes = probs.shape
    if n_rows == 0:
        raise ValueError("p must hold at least one forecast (N >= 1)")
    labels = class_labels(y, "y", (n_rows,), n_classes)
    if n_bins is not None:
        n_bins = as_int(n_bins, "n_bins")
        if n_bins < 1:
            raise ValueError(f"n_bins must be at least 1 or None, got {n_bins}")
    terms = np.zeros(5)
    brier = 0.0
    for cls in range(n_classes):
        column = probs[:, cls]
        outcome = (labels == cls).astype(np.float64)
        brier += float(np.sum((column - outcome) ** 2)) / n_rows
        terms += _one_class(column, outcome, n_bins)
    return BrierDecomposition(brier, *(float(t) for t in terms))


def _one_class(column: Any, outcome: Any, n_bins: int | None) -> Any:
    """REL, RES, UNC, WBV, WBC of one class's forecasts (means over rows)."""
    n_rows = column.size
    index, n_groups = _groups(column, n_bins)
    count = np.bincount(index, minlength=n_groups)
    kept = count > 0
    safe = np.where(kept, count, 1)
    mean_f = np.bincount(index, weights=column, minlength=n_groups) / safe
    mean_o = np.bincount(index, weights=outcome, minlength=n_groups) / safe
    overall = outcome.mean()
    reliability = np.sum(count * (mean_f - mean_o) ** 2) / n_rows
    resolution = np.sum(count * (mean_o - overall) ** 2) / n_rows
    uncertainty = overall * (1 - overall)
    spread = column - mean_f[index]
    within_variance = np.sum(spread**2) / n_rows
    within_covariance = 2 * np.sum(spread * (outcome - mean_o[index])) / n_rows
    return np.array(
        [reliability, resolution, uncertainty, within_variance, within_covariance]
    )


def sharpness(p: npt.ArrayLike) -> float:
    r"""Sharpness of forecasts: their variance, summed over the classes.

    .. math::

        \mathrm{SHP} = \frac{1}{N} \sum_{n=1}^{N} \lVert p_n - \bar p \rVert^2
        = \sum_{i=1}^{K} \operatorname{Var}(p_{\cdot i}),
        \qquad \bar p = \frac{1}{N} \sum_n p_n ,

    a property of the forecasts alone (no labels). It is 0 for a forecaster
    that announces the same distribution every time (the base rate) and
    largest, :math:`\sum_i \bar p_i (1 - \bar p_i)`, for one-hot forecasts.
    For a forecaster calibrated class by class (every class's probability,
    not only the top one), grouped by forecast value (``n_bins=None``), it
    equals the resolution of :func:`brier_decomposition` (then
    :math:`\bar o_b = \bar f_b` and :math:`\bar o = \bar p`).

    Parameters
    ----------
    p : array_like, shape (N, K)
        Forecast distributions, one per row; N >= 1.

    Returns
    -------
    float

    Examples
    --------
    >>> sharpness([[0.5, 0.5], [0.5, 0.5]])
    0.0
    >>> sharpness([[1.0, 0.0], [0.0, 1.0]])
    0.5

    See chapter 10, *Scoring rules and calibration*.
    """
    probs = _forecasts(p)
    if probs.shape[0] == 0:
        raise ValueError("p must hold at least one forecast (N >= 1)")
    # shifted by the first forecast: exactly 0 for a constant forecaster
    shifted = probs - probs[0]
    spread = np.var(shifted, axis=0)
    return float(np.sum(spread))
