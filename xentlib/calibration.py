r"""Scoring rules, reliability diagrams and temperature scaling.

A *scoring rule* charges a forecast :math:`p` (a distribution over ``K``
classes) when class :math:`y` happens. The log score :math:`-\log p_y` is the
cross-entropy of the one-hot label (:func:`~xentlib.losses.nll_loss` computes
it); this module adds the Brier score, the quantities behind a reliability
diagram, the expected calibration error and temperature scaling:

* :func:`brier_score` -- :math:`\sum_i (p_i - [y = i])^2`, at most 2;
* :func:`reliability_bins` -- confidences grouped into equal-width bins with
  the accuracy and mean confidence of each bin (any binary event);
* :func:`reliability_curve` -- the same for the top-label confidence
  :math:`\max_i p_i` of a classifier and whether its argmax is right;
* :func:`expected_calibration_error` -- the count-weighted mean gap
  :math:`|\mathrm{acc}_b - \mathrm{conf}_b|` over the bins;
* :func:`temperature_nll`, :func:`temperature_nll_grad` and
  :func:`fit_temperature` -- the mean negative log-likelihood of
  :math:`\operatorname{softmax}(z / T)`, its derivative in :math:`T`, and the
  :math:`T > 0` that minimises it, found by bisection on the sign of the
  derivative with a guaranteed bracket.

See chapter 10, *Scoring rules and calibration*.
"""

from collections import namedtuple
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._reduction import reduce_rows
from ._validation import (
    as_float_array,
    as_int,
    check_distribution,
    check_finite,
    check_probabilities,
    check_reduction,
    class_labels,
    positive_int,
    positive_real,
)
from .losses import softmax_cross_entropy

__all__ = [
    "brier_score",
    "ReliabilityBins",
    "reliability_bins",
    "reliability_curve",
    "expected_calibration_error",
    "temperature_nll",
    "temperature_nll_grad",
    "TemperatureFit",
    "fit_temperature",
]

ReliabilityBins = namedtuple(
    "ReliabilityBins", ["edges", "confidence", "accuracy", "count"]
)
ReliabilityBins.__doc__ = """Per-bin summary of a reliability diagram.

``edges`` has shape ``(n_bins + 1,)``; ``confidence`` (mean forecast in the
bin), ``accuracy`` (fraction of events that happened) and ``count`` have shape
``(n_bins,)``. Empty bins have count 0 and NaN confidence and accuracy (there
is nothing to average); they carry no weight in
:func:`expected_calibration_error`.
"""

TemperatureFit = namedtuple(
    "TemperatureFit", ["temperature", "lower", "upper", "nll", "iterations"]
)
TemperatureFit.__doc__ = """Result of :func:`fit_temperature`.

The minimiser lies in ``[lower, upper]`` (``temperature`` is the midpoint in
log scale); ``nll`` is the mean negative log-likelihood at ``temperature``.
"""


# -- validation ---------------------------------------------------------------


def _labels(y: Any, name: Any, n_samples: Any, n_classes: Any) -> Any:
    return class_labels(y, name, (n_samples,), n_classes)


def _forecasts(p: Any, name: str) -> Any:
    """Validated ``(N, K)`` probability rows (a single row becomes N = 1)."""
    array = as_float_array(p, name)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must have shape (N, K) or (K,), got shape {array.shape}"
        )
    check_distribution(array, name)
    return array.astype(np.result_type(array.dtype, np.float64), copy=False)


def _logits(z: Any, name: str) -> Any:
    array = as_float_array(z, name)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] < 2:
        raise ValueError(
            f"{name} must have shape (N, K) with N >= 1 and "
            f"K >= 2, got shape {array.shape}"
        )
    check_finite(array, name)
    return array.astype(np.result_type(array.dtype, np.float64), copy=False)


def _temperature(t: Any, name: str = "temperature") -> Any:
    return positive_real(t, name)


def _n_bins(n_bins: int) -> Any:
    n_bins = as_int(n_bins, "n_bins")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    return n_bins


# -- scores -------------------------------------------------------------------


def brier_score(p: npt.ArrayLike, y: npt.ArrayLike, *, reduction: str = "mean") -> Any:
    r"""The (multi-class) Brier score of forecasts ``p`` for labels ``y``.

    .. math::

        S(p, y) = \sum_{i=1}^{K} \big(p_i - [y = i]\big)^2 ,

    the squared distance between the forecast and the one-hot label
    (Brier, 1950); between 0 (all mass on the label) and 2 (all mass on
    another class). It is strictly proper: its expected value under the true
    distribution :math:`q` exceeds the minimum by
    :math:`\sum_i (p_i - q_i)^2`.

    Parameters
    ----------
    p : array_like, shape (N, K) or (K,)
        Forecast distributions, one per row.
    y : array_like of int, shape (N,) (or a scalar for a single row)
        The classes that happened.
    reduction : {"mean", "sum", "none"}
        Average over rows, add them up, or return one score per row.

    Returns
    -------
    float or ndarray of shape (N,)

    Notes
    -----
    For ``K = 2`` this is twice the binary Brier score
    :math:`(p_1 - y)^2` of scikit-learn's ``brier_score_loss``, because the
    two classes contribute the same squared error.

    Examples
    --------
    >>> round(brier_score([0.7, 0.2, 0.1], 0), 4)
    0.14
    >>> brier_score([[0.0, 1.0], [1.0, 0.0]], [0, 0], reduction="none")
    array([2., 0.])

    See chapter 10, *Scoring rules and calibration*.
    """
    reduction = check_reduction(reduction)
    single = np.ndim(p) == 1
    probs = _forecasts(p, "p")
    labels = _labels(np.atleast_1d(y), "y", probs.shape[0], probs.shape[1])
    onehot = np.eye(probs.shape[1], dtype=probs.dtype)[labels]
    rows = np.sum((probs - onehot) ** 2, axis=-1)
    if reduction == "none":
        return rows[0] if single else rows
    # an empty batch has mean 0, as the losses (not numpy's NaN)
    return float(reduce_rows(rows, reduction, rows.size, rows.dtype))


# -- reliability --------------------------------------------------------------


def reliability_bins(
    confidence: npt.ArrayLike, outcome: npt.ArrayLike, *, n_bins: int = 10
) -> Any:
    r"""Group forecasts of a binary event into bins; accuracy per bin.

    The interval :math:`[0, 1]` is cut into ``n_bins`` equal bins
    :math:`B_b = (e_b, e_{b+1}]` (the first also holds 0). For each bin,

    .. math::

        \mathrm{conf}_b = \frac{1}{|B_b|} \sum_{n \in B_b} c_n, \qquad
        \mathrm{acc}_b = \frac{1}{|B_b|} \sum_{n \in B_b} o_n ,

    the mean forecast and the fraction of times the event happened. A
    forecaster is calibrated when :math:`\mathrm{acc}_b \approx
    \mathrm{conf}_b` in every bin.

    Parameters
    ----------
    confidence : array_like, shape (N,)
        Forecast probabilities of the event, in ``[0, 1]``.
    outcome : array_like of bool or 0/1, shape (N,)
        Whether the event happened.
    n_bins : int
        Number of equal-width bins.

    Returns
    -------
    ReliabilityBins
        ``edges`` (n_bins + 1,), ``confidence``, ``accuracy``, ``count``
        (n_bins,); empty bins have NaN confidence and accuracy.

    Examples
    --------
    >>> bins = reliability_bins([0.1, 0.15, 0.9, 0.95], [0, 1, 1, 1],
    ...                         n_bins=2)
    >>> bins.confidence, bins.accuracy, bins.count
    (array([0.125, 0.925]), array([0.5, 1. ]), array([2, 2]))

    See chapter 10, *Scoring rules and calibration*.
    """
    n_bins = _n_bins(n_bins)
    c = as_float_array(confidence, "confidence")
    if c.ndim != 1:
        raise ValueError(f"confidence must be 1-D, got shape {c.shape}")
    check_probabilities(c, "confidence")
    o = np.asarray(outcome)
    if o.dtype.kind not in "biuf":
        raise TypeError(f"outcome must be booleans or 0/1, got dtype {o.dtype}")
    if o.shape != c.shape:
        raise ValueError(
            f"outcome must have shape {c.shape} like confidence, got shape {o.shape}"
        )
    if not np.all((o == 0) | (o == 1)):
        raise ValueError("outcome must hold only 0/1 or booleans")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # Bin b holds (e_b, e_{b+1}]; searchsorted on the inner edges puts a value
    # equal to an edge into the lower bin, and 0 into the first.
    index = np.searchsorted(edges[1:-1], c, side="left")
    count = np.bincount(index, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(index, weights=c, minlength=n_bins) / count
        acc = np.bincount(index, weights=o.astype(np.float64), minlength=n_bins) / count
    return ReliabilityBins(edges, conf, acc, count)


def reliability_curve(p: npt.ArrayLike, y: npt.ArrayLike, *, n_bins: int = 10) -> Any:
    r"""Reliability bins of a classifier's top-label confidence.

    The confidence of row :math:`n` is :math:`\max_i p_{ni}` and the outcome
    whether :math:`\arg\max_i p_{ni} = y_n`; both go to
    :func:`reliability_bins`.

    Parameters
    ----------
    p : array_like, shape (N, K)
        Predicted distributions.
    y : array_like of int, shape (N,)
        True classes.
    n_bins : int
        Number of equal-width bins on ``[0, 1]``.

    Returns
    -------
    ReliabilityBins

    Examples
    --------
    >>> curve = reliability_curve([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]],
    ...                           [0, 1, 1], n_bins=5)
    >>> curve.count
    array([0, 0, 0, 2, 1])
    >>> curve.accuracy[3:]
    array([0.5, 1. ])

    See chapter 10, *Scoring rules and calibration*.
    """
    probs = _forecasts(p, "p")
    labels = _labels(y, "y", probs.shape[0], probs.shape[1])
    confidence = probs.max(axis=-1)
    correct = probs.argmax(axis=-1) == labels
    return reliability_bins(np.clip(confidence, 0.0, 1.0), correct, n_bins=n_bins)


def expected_calibration_error(
    p: npt.ArrayLike, y: npt.ArrayLike, *, n_bins: int = 15
) -> float:
    r"""Expected calibration error (ECE) of the top-label confidence.

    .. math::

        \mathrm{ECE} = \sum_{b=1}^{B} \frac{|B_b|}{N}
                       \big|\mathrm{acc}_b - \mathrm{conf}_b\big| ,

    with the bins of :func:`reliability_curve` (Guo et al., 2017). It is 0
    for a forecaster whose accuracy equals its mean confidence in every bin,
    and at most 1. Its value depends on the number of bins.

    Parameters
    ----------
    p : array_like, shape (N, K)
        Predicted distributions.
    y : array_like of int, shape (N,)
        True classes.
    n_bins : int
        Number of equal-width bins (15, as in Guo et al.).

    Returns
    -------
    float

    Examples
    --------
    >>> round(expected_calibration_error([[0.9, 0.1], [0.8, 0.2]], [0, 1],
    ...                                  n_bins=10), 4)
    0.45

    See chapter 10, *Scoring rules and calibration*.
    """
    bins = reliability_curve(p, y, n_bins=n_bins)
    kept = bins.count > 0
    weights = bins.count[kept] / bins.count.sum()
    gaps = np.abs(bins.accuracy[kept] - bins.confidence[kept])
    return float(np.sum(weights * gaps))


# -- temperature scaling ------------------------------------------------------


def temperature_nll(
    logits: npt.ArrayLike, y: npt.ArrayLike, temperature: float
) -> float:
    r"""Mean negative log-likelihood of :math:`\operatorname{softmax}(z / T)`.

    .. math::

        \mathrm{NLL}(T) = \frac{1}{N} \sum_{n=1}^{N}
        \Big(-\frac{z_{n y_n}}{T} + \log \sum_{k=1}^{K} e^{z_{nk} / T}\Big).

    Parameters
    ----------
    logits : array_like, shape (N, K)
    y : array_like of int, shape (N,)
    temperature : float, > 0

    Returns
    -------
    float

    Examples
    --------
    >>> round(temperature_nll([[2.0, 0.0]], [0], 1.0), 4)
    0.1269

    See chapter 10, *Scoring rules and calibration*.
    """
    z = _logits(logits, "logits")
    labels = _labels(y, "y", z.shape[0], z.shape[1])
    t = _temperature(temperature)
    return float(softmax_cross_entropy(z / t, labels))


def temperature_nll_grad(
    logits: npt.ArrayLike, y: npt.ArrayLike, temperature: float
) -> float:
    r"""Derivative :math:`d\,\mathrm{NLL}/dT` of :func:`temperature_nll`.

    .. math::

        \frac{d\,\mathrm{NLL}}{dT} = \frac{1}{T^2} \cdot \frac{1}{N}
        \sum_{n=1}^{N} \Big(z_{n y_n} - \sum_{k=1}^{K} p_{nk} z_{nk}\Big),
        \qquad p_n = \operatorname{softmax}(z_n / T):

    positive when the label's logit beats its average under the prediction
    (the model is too unsure: lowering :math:`T` helps), negative when it does
    not (too sure).

    Parameters
    ----------
    logits : array_like, shape (N, K)
    y : array_like of int, shape (N,)
    temperature : float, > 0

    Returns
    -------
    float

    Examples
    --------
    >>> round(temperature_nll_grad([[2.0, 0.0]], [0], 1.0), 4)
    0.2384

    See chapter 10, *Scoring rules and calibration*.
    """
    z = _logits(logits, "logits")
    labels = _labels(y, "y", z.shape[0], z.shape[1])
    t = _temperature(temperature)
    return _gap(z, labels, 1.0 / t) / t**2


def _gap(z: Any, labels: Any, beta: float) -> float:
    """Mean of z_y - E_p[z] with p = softmax(beta z); decreasing in beta.

    Called in the bisection loop on validated finite logits: the unchecked
    kernel (the one behind :func:`xentlib.logits.softmax`, same values).
    """
    probs = _kernels.ShiftedExpSum(beta * z).probabilities()
    expected = np.sum(probs * z, axis=-1)
    return float(np.mean(z[np.arange(z.shape[0]), labels] - expected))


def fit_temperature(
    logits: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    bounds: tuple[float, float] = (0.01, 100.0),
    rtol: float = 1e-10,
    max_iter: int = 200,
) -> Any:
    r"""The temperature :math:`T > 0` that minimises :func:`temperature_nll`.

    With :math:`\beta = 1/T`, the NLL is convex in :math:`\beta`: its second
    derivative is the mean variance of the logits under
    :math:`\operatorname{softmax}(\beta z)`, never negative. So
    :math:`d\,\mathrm{NLL}/dT` changes sign at most once, from negative to
    positive, and bisection on its sign (in :math:`\log T`) keeps a bracket
    ``[lower, upper]`` that always contains the minimiser, halving it each
    step until ``upper / lower - 1 <= rtol``. No step size, no starting
    point. The bisection is the one chapter 10 teaches, so it is written out
    here rather than delegated; it agrees with
    ``scipy.optimize.minimize_scalar`` on the NLL in ``log T`` (bounded
    method, ``xatol=1e-12``) to 2e-10 relative on the test data
    (``tests/test_calibration.py``; a minimiser on values resolves a flat
    minimum only to about sqrt(eps), the sign of the slope to eps).

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Logits of a calibration set (not the training set).
    y : array_like of int, shape (N,)
        Its labels.
    bounds : (float, float)
        Search interval ``0 < low < high``.
    rtol : float
        Relative width of the returned bracket.
    max_iter : int
        Upper limit on bisection steps.

    Returns
    -------
    TemperatureFit
        ``temperature``, ``lower``, ``upper``, ``nll``, ``iterations``.

    Raises
    ------
    RuntimeError
        If ``max_iter`` halvings do not bring the bracket to ``rtol``.
    ValueError
        If the minimum is not inside ``bounds`` (for instance when every
        label is already the argmax, so that the NLL falls all the way to
        :math:`T \to 0`), or if the NLL does not depend on :math:`T`.

    Examples
    --------
    Four rows right and one wrong, each by a logit margin of 2: the
    optimum solves :math:`e^{2/T} = 4`, so :math:`T = 1/\log 2`.

    >>> fit = fit_temperature([[2.0, 0.0], [2.0, 0.0], [0.0, 2.0],
    ...                        [0.0, 2.0], [2.0, 0.0]], [0, 0, 1, 1, 1])
    >>> round(fit.temperature, 6), round(1 / float(np.log(2)), 6)
    (1.442695, 1.442695)

    See chapter 10, *Scoring rules and calibration*.
    """
    z = _logits(logits, "logits")
    labels = _labels(y, "y", z.shape[0], z.shape[1])
    try:
        low, high = (_temperature(b, "bounds") for b in bounds)
    except (TypeError, ValueError) as error:
        raise type(error)(f"bounds must be two positive numbers: {error}") from None
    if not low < high:
        raise ValueError(f"bounds must satisfy low < high, got {bounds!r}")
    if not (isinstance(rtol, float) and 0 < rtol < 1):
        raise ValueError(f"rtol must be a float in (0, 1), got {rtol!r}")
    max_iter = positive_int(max_iter, "max_iter")
    if np.all(z == z[:, :1]):
        raise ValueError(
            "logits are constant in every row: the NLL does not "
            "depend on the temperature"
        )
    # The sign of dNLL/dT is the sign of gap(1/T); gap is decreasing in beta.
    if _gap(z, labels, 1.0 / low) >= 0:
        raise ValueError(
            f"the NLL does not rise as T falls to {low:g}: "
            "the minimum lies below bounds[0] (are the labels "
            "all predicted correctly?)"
        )
    if _gap(z, labels, 1.0 / high) < 0:
        raise ValueError(
            f"the NLL still falls at T = {high:g}: the minimum lies above bounds[1]"
        )
    iterations = 0
    while high / low - 1 > rtol and iterations < max_iter:
        middle = np.sqrt(low * high)
        if _gap(z, labels, 1.0 / middle) < 0:
            low = middle
        else:
            high = middle
        iterations += 1
    if high / low - 1 > rtol:
        raise RuntimeError(
            f"fit_temperature did not reach rtol={rtol:g} in max_iter="
            f"{max_iter} halvings (bracket [{low:.6g}, {high:.6g}])"
        )
    temperature = float(np.sqrt(low * high))
    return TemperatureFit(
        temperature,
        float(low),
        float(high),
        temperature_nll(z, labels, temperature),
        iterations,
    )
