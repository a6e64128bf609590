"""Tests of xentlib.calibration (chapter 9).

References are independent of the code under test: scikit-learn's
``brier_score_loss`` and ``calibration_curve``, plain Python loops over the
samples for the bins and the ECE, mpmath at 50 digits for the temperature NLL,
central finite differences for its derivative, and a brute-force grid (plus
SciPy's bounded scalar minimiser) for the optimal temperature.
"""

import mpmath
import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from xentlib import calibration as cal

RNG_SEED = 20260909


def random_forecasts(rng, n, k, scale=2.0):
    logits = rng.normal(scale=scale, size=(n, k))
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    return logits, probs / probs.sum(axis=1, keepdims=True)


# --- Brier score -------------------------------------------------------------

def test_brier_binary_is_twice_sklearn():
    rng = np.random.default_rng(RNG_SEED)
    p1 = rng.uniform(size=200)
    y = rng.integers(0, 2, size=200)
    probs = np.column_stack([1 - p1, p1])
    ours = cal.brier_score(probs, y)
    assert ours == pytest.approx(2 * brier_score_loss(y, p1), rel=1e-12)


@pytest.mark.parametrize("k", [3, 5, 10])
def test_brier_multiclass_by_loops(k):
    rng = np.random.default_rng(RNG_SEED + k)
    _, probs = random_forecasts(rng, 50, k)
    y = rng.integers(0, k, size=50)
    rows = [sum((probs[n, i] - (1.0 if i == y[n] else 0.0)) ** 2
                for i in range(k)) for n in range(50)]
    assert np.allclose(cal.brier_score(probs, y, reduction="none"), rows,
                       rtol=1e-13, atol=0)
    assert cal.brier_score(probs, y) == pytest.approx(np.mean(rows))
    assert cal.brier_score(probs, y, reduction="sum") == pytest.approx(
        np.sum(rows))


def test_brier_extremes_and_single_row():
    assert cal.brier_score([1.0, 0.0, 0.0], 0) == 0.0
    assert cal.brier_score([0.0, 1.0, 0.0], 0) == 2.0
    assert cal.brier_score([0.5, 0.5], 1, reduction="none") == 0.5


def test_brier_expected_excess_is_squared_distance():
    # E_q[S(p, Y)] - E_q[S(q, Y)] = sum (p - q)^2, by enumerating Y.
    rng = np.random.default_rng(RNG_SEED + 1)
    for _ in range(20):
        _, (q, p) = random_forecasts(rng, 2, 4)
        expected = [sum(q[y] * cal.brier_score(f, y) for y in range(4))
                    for f in (p, q)]
        assert expected[0] - expected[1] == pytest.approx(
            np.sum((p - q) ** 2), rel=1e-10, abs=1e-14)


# --- reliability -------------------------------------------------------------

@pytest.mark.parametrize("n_bins", [1, 5, 10, 15])
def test_reliability_bins_match_sklearn_binary(n_bins):
    rng = np.random.default_rng(RNG_SEED + n_bins)
    prob = rng.beta(2, 3, size=500)
    prob[:5] = [0.0, 1.0, 0.2, 0.4, 0.6]  # edges go to the lower bin
    y = (rng.uniform(size=500) < prob ** 1.5).astype(int)
    prob_true, prob_pred = calibration_curve(y, prob, n_bins=n_bins)
    bins = cal.reliability_bins(prob, y, n_bins=n_bins)
    kept = bins.count > 0
    assert np.allclose(bins.accuracy[kept], prob_true, rtol=1e-12)
    assert np.allclose(bins.confidence[kept], prob_pred, rtol=1e-12)
    assert bins.count.sum() == 500
    assert np.all(np.isnan(bins.accuracy[~kept]))


def test_reliability_curve_and_ece_by_loops():
    rng = np.random.default_rng(RNG_SEED + 2)
    _, probs = random_forecasts(rng, 300, 6)
    y = rng.integers(0, 6, size=300)
    n_bins = 15
    groups = [[] for _ in range(n_bins)]
    for row, label in zip(probs, y):
        conf = max(row)
        b = 0
        while b < n_bins - 1 and conf > (b + 1) / n_bins:
            b += 1
        groups[b].append((conf, float(list(row).index(conf) == label)))
    ece = sum(len(g) / 300 * abs(np.mean([o for _, o in g])
                                 - np.mean([c for c, _ in g]))
              for g in groups if g)
    curve = cal.reliability_curve(probs, y, n_bins=n_bins)
    assert list(curve.count) == [len(g) for g in groups]
    assert cal.expected_calibration_error(probs, y, n_bins=n_bins) == \
        pytest.approx(ece, rel=1e-12)


def test_ece_of_a_calibrated_forecaster_is_small():
    # Labels drawn from the forecasts themselves: calibrated by construction.
    rng = np.random.default_rng(RNG_SEED + 3)
    _, probs = random_forecasts(rng, 100_000, 3, scale=1.5)
    cdf = probs.cumsum(axis=1)
    y = (rng.uniform(size=(100_000, 1)) > cdf).sum(axis=1)
    assert cal.expected_calibration_error(probs, y) < 0.01


def test_ece_bounds_and_perfect_confidence():
    assert cal.expected_calibration_error([[1.0, 0.0]] * 3, [0, 0, 0]) == 0
    assert cal.expected_calibration_error([[1.0, 0.0]] * 3, [1, 1, 1]) == 1


# --- temperature -------------------------------------------------------------

def mp_nll(z, y, t):
    """Mean NLL of softmax(z / t) with mpmath at 50 digits."""
    with mpmath.workdps(50):
        total = mpmath.mpf(0)
        for row, label in zip(z, y):
            terms = [mpmath.mpf(float(v)) / mpmath.mpf(t) for v in row]
            total += -terms[label] + mpmath.log(
                mpmath.fsum(mpmath.exp(v) for v in terms))
        return float(total / len(y))


def test_temperature_nll_matches_mpmath():
    rng = np.random.default_rng(RNG_SEED + 4)
    z, _ = random_forecasts(rng, 20, 5, scale=5.0)
    y = rng.integers(0, 5, size=20)
    for t in [0.05, 0.7, 1.0, 3.0, 40.0]:
        assert cal.temperature_nll(z, y, t) == pytest.approx(
            mp_nll(z, y, t), rel=1e-13)


def test_temperature_grad_matches_central_differences():
    rng = np.random.default_rng(RNG_SEED + 5)
    z, _ = random_forecasts(rng, 30, 4, scale=3.0)
    y = rng.integers(0, 4, size=30)
    for t in [0.3, 1.0, 2.5, 10.0]:
        h = 1e-5 * t
        numeric = (cal.temperature_nll(z, y, t + h)
                   - cal.temperature_nll(z, y, t - h)) / (2 * h)
        assert cal.temperature_nll_grad(z, y, t) == pytest.approx(
            numeric, rel=1e-6, abs=1e-10)


def overconfident_logits(rng, n=400, k=5, sharpen=3.0):
    """Logits whose softmax is sharper than the labels they generate."""
    z, probs = random_forecasts(rng, n, k, scale=1.0)
    cdf = probs.cumsum(axis=1)
    y = (rng.uniform(size=(n, 1)) > cdf).sum(axis=1)
    return sharpen * z, y


def test_fit_temperature_beats_a_grid_and_scipy():
    rng = np.random.default_rng(RNG_SEED + 6)
    z, y = overconfident_logits(rng)
    fit = cal.fit_temperature(z, y)
    grid = np.exp(np.linspace(np.log(0.1), np.log(30), 20001))
    values = [cal.temperature_nll(z, y, t) for t in grid]
    best = grid[int(np.argmin(values))]
    step = grid[1] / grid[0]
    assert best / step <= fit.temperature <= best * step
    assert fit.nll <= min(values) + 1e-12
    scipy_fit = minimize_scalar(lambda s: cal.temperature_nll(z, y, np.exp(s)),
                                bounds=(np.log(0.1), np.log(30)),
                                method="bounded",
                                options={"xatol": 1e-10})
    assert fit.temperature == pytest.approx(np.exp(scipy_fit.x), rel=1e-6)
    # the labels came from softmax(z / 3): the fit lands near 3
    assert 2.5 < fit.temperature < 3.5


def test_fit_temperature_bracket_and_stationarity():
    rng = np.random.default_rng(RNG_SEED + 7)
    z, y = overconfident_logits(rng, sharpen=0.5)
    fit = cal.fit_temperature(z, y, rtol=1e-12)
    assert fit.lower <= fit.temperature <= fit.upper
    assert fit.upper / fit.lower - 1 <= 1e-12
    assert cal.temperature_nll_grad(z, y, fit.lower) <= 0
    assert cal.temperature_nll_grad(z, y, fit.upper) >= 0
    assert fit.temperature < 1  # under-confident logits get sharpened


def test_fit_temperature_known_optimum():
    # m rows right and w wrong, all by a margin d: e^{d/T} = m / w.
    z = [[2.0, 0.0]] * 4 + [[0.0, 2.0]]
    fit = cal.fit_temperature(z, [0, 0, 0, 0, 0])
    assert fit.temperature == pytest.approx(2 / np.log(4), rel=1e-9)


def test_argmax_and_accuracy_do_not_depend_on_temperature():
    rng = np.random.default_rng(RNG_SEED + 8)
    z, y = overconfident_logits(rng)
    fit = cal.fit_temperature(z, y)
    assert np.array_equal(np.argmax(z / fit.temperature, axis=1),
                          np.argmax(z, axis=1))


# --- validation --------------------------------------------------------------

def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="p must sum to 1"):
        cal.brier_score([0.5, 0.6], 0)
    with pytest.raises(ValueError, match=r"y contains class labels outside"):
        cal.brier_score([0.5, 0.5], 2)
    with pytest.raises(TypeError, match="y must hold integer"):
        cal.brier_score([0.5, 0.5], 1.0)
    with pytest.raises(ValueError, match="reduction"):
        cal.brier_score([0.5, 0.5], 1, reduction="avg")
    with pytest.raises(ValueError, match="confidence contains NaN"):
        cal.reliability_bins([np.nan], [1])
    with pytest.raises(ValueError, match="confidence contains probabilities "
                                         "above 1"):
        cal.reliability_bins([1.5], [1])
    with pytest.raises(ValueError, match="outcome must hold only"):
        cal.reliability_bins([0.5], [2])
    with pytest.raises(ValueError, match="outcome must have shape"):
        cal.reliability_bins([0.5, 0.2], [1])
    with pytest.raises(ValueError, match="n_bins must be at least 1"):
        cal.reliability_bins([0.5], [1], n_bins=0)
    with pytest.raises(TypeError, match="n_bins must be an int"):
        cal.expected_calibration_error([[0.5, 0.5]], [1], n_bins=2.0)
    with pytest.raises(ValueError, match="temperature must be finite and > 0"):
        cal.temperature_nll([[1.0, 0.0]], [0], 0.0)
    with pytest.raises(TypeError, match="temperature must be a real number"):
        cal.temperature_nll([[1.0, 0.0]], [0], "1")
    with pytest.raises(ValueError, match="logits must be finite"):
        cal.temperature_nll([[np.inf, 0.0]], [0], 1.0)
    with pytest.raises(ValueError, match="logits must have shape"):
        cal.fit_temperature([1.0, 0.0], [0])


def test_fit_temperature_refuses_a_minimum_outside_the_bounds():
    with pytest.raises(ValueError, match="minimum lies below bounds"):
        cal.fit_temperature([[3.0, 0.0], [0.0, 3.0]], [0, 1])
    with pytest.raises(ValueError, match="does not depend"):
        cal.fit_temperature([[1.0, 1.0], [2.0, 2.0]], [0, 1])
    z = [[2.0, 0.0]] * 4 + [[0.0, 2.0]]
    with pytest.raises(ValueError, match="above bounds"):
        cal.fit_temperature(z, [0] * 5, bounds=(0.1, 1.0))
    with pytest.raises(ValueError, match="low < high"):
        cal.fit_temperature(z, [0] * 5, bounds=(2.0, 1.0))
    with pytest.raises(ValueError, match="bounds must be two positive"):
        cal.fit_temperature(z, [0] * 5, bounds=(0.0, 1.0))


def test_fit_temperature_agrees_with_scipy_minimize_scalar():
    # Reference: scipy's bounded Brent minimiser on NLL(exp(s)), s = log T.
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(9)
    z = 3 * rng.standard_normal((400, 5))
    y = np.where(rng.random(400) < 0.6, z.argmax(axis=1),
                 rng.integers(0, 5, size=400))
    fit = cal.fit_temperature(z, y)
    ref = minimize_scalar(lambda s: cal.temperature_nll(z, y, np.exp(s)),
                          bounds=(np.log(1e-2), np.log(1e2)), method="bounded",
                          options={"xatol": 1e-12})
    assert fit.temperature == pytest.approx(np.exp(ref.x), rel=1e-6)
    assert fit.nll <= ref.fun + 1e-12
