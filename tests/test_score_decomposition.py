"""Tests of xentlib.score_decomposition against an exact reference.

The reference below is written separately from the library: plain Python,
one forecast at a time, in exact rational arithmetic (fractions.Fraction).
The forecasts are multiples of 1/64, exact in binary, so the library's
float64 inputs and the reference's fractions are the same numbers; the
decomposition identity then holds *exactly* in the reference, and the
library must agree with it to rounding.
"""

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest

import xentlib as xl
from xentlib.score_decomposition import _one_class, brier_decomposition, sharpness

RNG_SEED = 20261205


def _exact_forecasts(rng, n_rows, n_classes, denominator=64):
    """Rows of multiples of 1/denominator summing to exactly 1."""
    cuts = np.sort(
        rng.integers(0, denominator + 1, size=(n_rows, n_classes - 1)), axis=1
    )
    edges = np.concatenate(
        [np.zeros((n_rows, 1), int), cuts, np.full((n_rows, 1), denominator)], axis=1
    )
    return np.diff(edges, axis=1) / denominator


def _reference(p, y, n_bins):
    """REL, RES, UNC, WBV, WBC and the Brier score, exactly, row by row."""
    n_rows, n_classes = len(p), len(p[0])
    fractions = [[Fraction(v) for v in row] for row in p]
    totals = defaultdict(Fraction)
    brier = Fraction(0)
    for n in range(n_rows):
        for i in range(n_classes):
            brier += (fractions[n][i] - (1 if y[n] == i else 0)) ** 2
    brier /= n_rows
    for i in range(n_classes):
        groups = defaultdict(list)
        for n in range(n_rows):
            value = fractions[n][i]
            if n_bins is None:
                key = value
            else:  # bins (b/B, (b+1)/B], the first also holding 0
                key = max(0, -(-value * n_bins // 1) - 1)
            groups[key].append((value, 1 if y[n] == i else 0))
        overall = Fraction(sum(1 for n in range(n_rows) if y[n] == i), n_rows)
        totals["unc"] += overall * (1 - overall)
        for members in groups.values():
            size = len(members)
            mean_f = sum(f for f, _ in members) / size
            mean_o = Fraction(sum(o for _, o in members), size)
            totals["rel"] += size * (mean_f - mean_o) ** 2 / n_rows
            totals["res"] += size * (mean_o - overall) ** 2 / n_rows
            for f, o in members:
                totals["wbv"] += (f - mean_f) ** 2 / n_rows
                totals["wbc"] += 2 * (f - mean_f) * (o - mean_o) / n_rows
    return (
        brier,
        totals["rel"],
        totals["res"],
        totals["unc"],
        totals["wbv"],
        totals["wbc"],
    )


@pytest.mark.parametrize("n_bins", [None, 1, 3, 10, 64])
@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_matches_the_exact_reference(n_bins, n_classes):
    rng = np.random.default_rng(RNG_SEED + n_classes)
    p = _exact_forecasts(rng, 150, n_classes)
    y = rng.integers(0, n_classes, size=150)
    exact = _reference(p.tolist(), y.tolist(), n_bins)
    brier, rel, res, unc, wbv, wbc = exact
    # the identity holds exactly in rational arithmetic
    assert brier == rel - res + unc + wbv - wbc
    result = brier_decomposition(p, y, n_bins=n_bins)
    for ours, theirs in zip(result, exact):
        assert ours == pytest.approx(float(theirs), rel=1e-12, abs=1e-15)
    assert result.brier == pytest.approx(xl.brier_score(p, y), rel=1e-14)


def test_finitely_many_values_need_no_extra_terms():
    """One group per forecast value: WBV = WBC = 0 and three terms suffice."""
    rng = np.random.default_rng(RNG_SEED)
    menu = np.array(
        [[0.75, 0.125, 0.125], [0.25, 0.5, 0.25], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]
    )
    p = menu[rng.integers(0, len(menu), size=400)]
    y = rng.integers(0, 3, size=400)
    d = brier_decomposition(p, y, n_bins=None)
    assert d.within_variance == 0.0 and d.within_covariance == 0.0
    assert d.brier == pytest.approx(
        d.reliability - d.resolution + d.uncertainty, rel=1e-14
    )
    brier, rel, res, unc, _, _ = _reference(p.tolist(), y.tolist(), None)
    assert brier == rel - res + unc


def test_binned_terms_add_up_on_softmax_outputs():
    rng = np.random.default_rng(RNG_SEED + 1)
    p = xl.softmax(2 * rng.normal(size=(500, 4)))
    y = rng.integers(0, 4, size=500)
    for n_bins in [None, 5, 10, 20]:
        d = brier_decomposition(p, y, n_bins=n_bins)
        total = (
            d.reliability
            - d.resolution
            + d.uncertainty
            + d.within_variance
            - d.within_covariance
        )
        assert total == pytest.approx(d.brier, rel=1e-13)
    # continuous forecasts, one group each: reliability is the whole score
    d = brier_decomposition(p, y, n_bins=None)
    assert d.reliability == pytest.approx(d.brier, rel=1e-12)
    assert d.resolution == pytest.approx(d.uncertainty, rel=1e-12)


def test_bins_are_those_of_reliability_bins():
    """A forecast on an edge goes to the lower bin, 0 to the first."""
    p1 = np.array([0.0, 0.25, 0.5, 0.5, 0.75, 1.0])
    p = np.column_stack([1 - p1, p1])
    y = np.array([0, 1, 0, 1, 1, 1])
    bins = xl.reliability_bins(p1, y == 1, n_bins=4)
    kept = bins.count > 0
    overall = np.mean(y == 1)
    rel = np.sum(
        bins.count[kept] * (bins.confidence[kept] - bins.accuracy[kept]) ** 2
    ) / len(y)
    res = np.sum(bins.count[kept] * (bins.accuracy[kept] - overall) ** 2) / len(y)
    rel1, res1, unc1, _, _ = _one_class(p1, (y == 1).astype(float), 4)
    assert rel1 == pytest.approx(rel, rel=1e-14)
    assert res1 == pytest.approx(res, rel=1e-14)
    assert unc1 == pytest.approx(overall * (1 - overall))
    # grouped by value, two classes mirror each other: each term twice the
    # binary one (with bins, a forecast on an inner edge breaks the mirror)
    d = brier_decomposition(p, y, n_bins=None)
    rel1, res1, unc1, _, _ = _one_class(p1, (y == 1).astype(float), None)
    assert [d.reliability, d.resolution, d.uncertainty] == pytest.approx(
        [2 * rel1, 2 * res1, 2 * unc1], rel=1e-14
    )


def test_base_rate_and_calibrated_forecasters():
    y = np.array([0, 0, 1, 2, 2, 2, 1, 0, 2, 2])
    freq = np.bincount(y, minlength=3) / len(y)
    base = np.tile(freq, (len(y), 1))
    d = brier_decomposition(base, y, n_bins=None)
    assert sharpness(base) == 0.0
    assert d.resolution == pytest.approx(0.0, abs=1e-15)
    assert d.reliability == pytest.approx(0.0, abs=1e-15)
    assert d.brier == pytest.approx(d.uncertainty, rel=1e-14)
    # calibrated by construction: in each group the outcome frequencies
    # equal the forecast
    p = np.array([[0.5, 0.5, 0.0]] * 4 + [[0.0, 0.25, 0.75]] * 4)
    y = np.array([0, 1, 0, 1, 1, 2, 2, 2])
    d = brier_decomposition(p, y, n_bins=None)
    assert d.reliability == pytest.approx(0.0, abs=1e-15)
    assert d.resolution == pytest.approx(sharpness(p), rel=1e-14)


def test_sharpness_is_the_variance_of_the_forecasts():
    rng = np.random.default_rng(RNG_SEED + 2)
    p = xl.softmax(rng.normal(size=(50, 5)))
    mean = p.mean(axis=0)
    by_rows = np.mean(np.sum((p - mean) ** 2, axis=1))
    assert sharpness(p) == pytest.approx(by_rows, rel=1e-13)
    purity = np.mean(np.sum(p**2, axis=1)) - np.sum(mean**2)
    assert sharpness(p) == pytest.approx(purity, rel=1e-10)
    onehot = np.eye(3)[[0, 1, 2, 2]]
    top = onehot.mean(axis=0)
    assert sharpness(onehot) == pytest.approx(np.sum(top * (1 - top)))


@pytest.mark.parametrize(
    "p, y, n_bins, error, words",
    [
        ([[0.5, 0.6]], [0], 10, ValueError, "sum to 1"),
        ([0.5, 0.5], [0], 10, ValueError, "shape"),
        ([[0.5, 0.5]], [2], 10, ValueError, "outside"),
        ([[0.5, 0.5]], [0], 0, ValueError, "n_bins"),
        ([[0.5, 0.5]], [0], 2.0, TypeError, "n_bins"),
        ([[0.5, 0.5]], [0.0], 10, TypeError, "integer"),
        (np.zeros((0, 2)), [], 10, ValueError, "at least one"),
        ([[np.nan, 1.0]], [0], 10, ValueError, "NaN"),
    ],
)
def test_bad_input(p, y, n_bins, error, words):
    with pytest.raises(error, match=words):
        brier_decomposition(p, y, n_bins=n_bins)


def test_bad_input_sharpness():
    with pytest.raises(ValueError, match="at least one"):
        sharpness(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="negative"):
        sharpness([[-0.5, 1.5]])


def test_public_names_are_reexported():
    from xentlib import score_decomposition as module

    for name in module.__all__:
        assert getattr(xl, name) is getattr(module, name)
        assert name in xl.__all__
