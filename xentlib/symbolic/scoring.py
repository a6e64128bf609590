r"""SymPy derivations for chapter 10, *Scoring rules and calibration*.

A scoring rule :math:`S(p, y)` charges a forecast :math:`p` when class
:math:`y` happens; its expected value under the truth :math:`q` is
:math:`\mathbb{E}_q[S(p, Y)] = \sum_y q_y S(p, y)`. The derivations:

* **Log score** :math:`-\log p_y`: its expectation is the cross-entropy
  :math:`H(q, p) = H(q) + \mathrm{KL}(q \,\|\, p)`, and the excess over the
  honest forecast :math:`p = q` is exactly the KL divergence, for a
  **symbolic** ``K``. For concrete ``K`` the stationary point on the simplex
  is solved for (:func:`log_score_minimiser`).
* **Brier score** :math:`\sum_i (p_i - [y = i])^2`: its expected excess is
  :math:`\sum_i (p_i - q_i)^2`, checked for concrete ``K`` (the last
  :math:`q_K = 1 - \sum_{i<K} q_i` written in), and its bounds given the
  probability :math:`t` of the true class.
* **Linear score** :math:`p_y` (a reward): its expectation
  :math:`\sum_i q_i p_i` is linear in :math:`p`, so it is maximised at a
  vertex of the simplex, not at :math:`p = q`.
* **Temperature scaling**: the derivative in :math:`T` of the negative
  log-likelihood of :math:`\operatorname{softmax}(z / T)`, and its second
  derivative in :math:`\beta = 1/T`, a variance (so the NLL is convex in
  :math:`\beta`), both for a symbolic ``K``.

See chapter 10, *Scoring rules and calibration*.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from . import information as _ce
from ._core import Identity, normalised
from .symbols import K, T, i, k, p, q, z

__all__ = [
    "K",
    "i",
    "k",
    "q",
    "p",
    "z",
    "y",
    "T",
    "beta",
    "t",
    "expected_score",
    "log_score",
    "log_score_expectation",
    "log_score_excess",
    "log_score_minimiser",
    "brier_score",
    "brier_excess",
    "brier_excess_holds",
    "brier_minimum",
    "brier_bounds",
    "linear_score_expectation",
    "linear_binary_derivative",
    "temperature_nll",
    "temperature_derivative",
    "beta_nll",
    "beta_second_derivative",
]

# K, i, k, the truth q and the forecast p, the logits z and the temperature
# T are the shared symbols.
#: The index of the true class and the inverse temperature.
y = sp.Symbol("y", integer=True, positive=True)
beta = sp.Symbol("beta", positive=True)
#: The probability that a forecast gives to the class that happened.
t = sp.Symbol("t", nonnegative=True)


def expected_score(
    score: Callable[[sp.IndexedBase, sp.Expr], sp.Expr],
    forecast: sp.IndexedBase = p,
    truth: sp.IndexedBase = q,
    n: int | sp.Expr = K,
) -> sp.Expr:
    r""":math:`\mathbb{E}_q[S(p, Y)] = \sum_{i=1}^{K} q_i\, S(p, i)`.

    ``score(forecast, index)`` returns the score of ``forecast`` when class
    ``index`` happens.

    Examples
    --------
    >>> print(expected_score(log_score))
    Sum(-log(p[i])*q[i], (i, 1, K))
    """
    return sp.Sum(truth[i] * score(forecast, i), (i, 1, n))


def log_score(forecast: sp.IndexedBase, index: sp.Symbol) -> sp.Expr:
    r"""The log score :math:`-\log p_y`, a penalty (lower is better)."""
    return -sp.log(forecast[index])


def log_score_expectation(n: int | sp.Expr = K) -> Identity:
    r"""The expected log score is the cross-entropy, split by chapter 4.

    .. math::

        \sum_{i=1}^{K} q_i (-\log p_i)
        = -\sum_{i=1}^{K} q_i \log q_i
          + \sum_{i=1}^{K} q_i \log \frac{q_i}{p_i}

    Examples
    --------
    >>> log_score_expectation().holds()
    True
    """
    return Identity(
        expected_score(log_score, n=n), _ce.entropy_sum(n=n) + _ce.kl_sum(n=n)
    )


def log_score_excess(n: int | sp.Expr = K) -> Identity:
    r"""The excess of a forecast :math:`p` over the honest :math:`q`: KL.

    .. math::

        \mathbb{E}_q[-\log p_Y] - \mathbb{E}_q[-\log q_Y]
        = \sum_{i=1}^{K} q_i \log \frac{q_i}{p_i}

    Examples
    --------
    >>> log_score_excess().holds()
    True
    """
    return Identity(
        expected_score(log_score, n=n) - expected_score(log_score, forecast=q, n=n),
        _ce.kl_sum(n=n),
    )


def log_score_minimiser(n: int) -> list[dict[sp.Basic, sp.Expr]]:
    r"""Stationary points of the expected log score on the simplex, ``K = n``.

    The last probability is eliminated, :math:`p_n = 1 - \sum_{i<n} p_i`
    (and likewise :math:`q_n`), and the gradient in :math:`p_1, \dots,
    p_{n-1}` is set to zero.

    Returns
    -------
    list of dict
        SymPy's solutions; the only one is :math:`p_i = q_i`.

    Examples
    --------
    >>> log_score_minimiser(2)
    [{p[1]: q[1]}]
    """
    free_p = [p[j] for j in range(1, n)]
    free_q = [q[j] for j in range(1, n)]
    last = {p[n]: 1 - sum(free_p), q[n]: 1 - sum(free_q)}
    objective = expected_score(log_score, n=n).doit().subs(last)
    gradient = [sp.diff(objective, v) for v in free_p]
    return sp.solve(gradient, free_p, dict=True)


def brier_score(
    forecast: sp.IndexedBase, index: sp.Symbol, n: int | sp.Expr = K
) -> sp.Expr:
    r"""The Brier score :math:`\sum_{j=1}^{K} (p_j - [y = j])^2`."""
    j = sp.Dummy("j", integer=True, positive=True)
    return sp.Sum((forecast[j] - sp.KroneckerDelta(j, index)) ** 2, (j, 1, n))


def brier_excess(n: int | sp.Expr = K) -> Identity:
    r"""The expected excess of the Brier score, as claimed for any ``K``.

    .. math::

        \mathbb{E}_q[S(p, Y)] - \mathbb{E}_q[S(q, Y)]
        = \sum_{i=1}^{K} (p_i - q_i)^2

    An :class:`~xentlib.symbolic.Identity` between sums; with a symbolic
    ``K`` it is displayed, and :func:`brier_excess_holds` checks it for
    concrete ``K``.
    """

    def score(forecast: sp.IndexedBase, index: sp.Expr) -> sp.Expr:
        return brier_score(forecast, index, n)

    return Identity(
        expected_score(score, n=n) - expected_score(score, forecast=q, n=n),
        sp.Sum((p[i] - q[i]) ** 2, (i, 1, n)),
        (normalised(q, i, n, name="q is a distribution"),),
    )


def _on_simplex(expr: sp.Expr, n: int) -> sp.Expr:
    """``expr`` with the sums done for ``K = n`` and ``q_n = 1 - sum q_i``."""
    value = expr.subs(K, n).doit()
    return value.subs(q[n], 1 - sum(q[j] for j in range(1, n)))


def brier_excess_holds(n: int) -> bool:
    """True when :func:`brier_excess` holds for ``K = n`` (``q`` summing to 1).

    Examples
    --------
    >>> brier_excess_holds(3)
    True
    """
    return brier_excess(n).holds()


def brier_minimum(n: int | sp.Expr = K) -> Identity:
    r"""The honest forecast's expected Brier score, :math:`\sum q_i (1 - q_i)`.

    Returns
    -------
    Identity
        :math:`\mathbb{E}_q[S(q, Y)] = \sum_i q_i (1 - q_i)`; like
        :func:`brier_excess`, it needs :math:`\sum_i q_i = 1` and is checked
        for concrete ``K``.
    """

    def score(forecast: sp.IndexedBase, index: sp.Expr) -> sp.Expr:
        return brier_score(forecast, index, n)

    return Identity(
        expected_score(score, forecast=q, n=n),
        sp.Sum(q[i] * (1 - q[i]), (i, 1, n)),
        (normalised(q, i, n, name="q is a distribution"),),
    )


def brier_bounds(n: int | sp.Expr = K) -> tuple[sp.Expr, sp.Expr]:
    r"""Smallest and largest Brier score when the true class gets :math:`t`.

    The other :math:`K - 1` classes share :math:`1 - t`. The sum of their
    squares is smallest when they share it equally and largest when one
    class takes it all:

    .. math::

        (1 - t)^2 \frac{K}{K - 1} \le S \le 2 (1 - t)^2 \le 2 .

    Returns
    -------
    tuple of sympy expressions ``(lower, upper)``

    Examples
    --------
    >>> lower, upper = brier_bounds(2)
    >>> sp.simplify(lower - upper)
    0
    """
    gap = 1 - t
    return gap**2 + gap**2 / (n - 1), 2 * gap**2


def linear_score_expectation(n: int | sp.Expr = K) -> sp.Expr:
    r"""Expected linear score (a reward) :math:`\sum_{i=1}^{K} q_i p_i`."""
    return expected_score(lambda forecast, index: forecast[index], n=n)


def linear_binary_derivative() -> Identity:
    r"""Two classes, :math:`p_2 = 1 - p_1`: the derivative in :math:`p_1`.

    .. math::

        \frac{d}{dp_1}\big(q_1 p_1 + (1 - q_1)(1 - p_1)\big) = 2 q_1 - 1,

    a constant: the expected reward is a straight line in :math:`p_1`,
    largest at :math:`p_1 = 1` when :math:`q_1 > 1/2`.

    Returns
    -------
    Identity

    Examples
    --------
    >>> linear_binary_derivative().holds()
    True
    """
    objective = _on_simplex(linear_score_expectation(2), 2).subs(p[2], 1 - p[1])
    return Identity(sp.Derivative(objective, p[1]).doit(), 2 * q[1] - 1)


def temperature_nll(n: int | sp.Expr = K) -> sp.Expr:
    r"""NLL of :math:`\operatorname{softmax}(z / T)` for one sample of class
    :math:`y`: :math:`-z_y / T + \log \sum_{k=1}^{K} e^{z_k / T}`."""
    return -z[y] / T + sp.log(sp.Sum(sp.exp(z[k] / T), (k, 1, n)))


def temperature_derivative(n: int | sp.Expr = K) -> Identity:
    r"""The derivative of :func:`temperature_nll` in :math:`T`.

    .. math::

        \frac{d}{dT}\Big(-\frac{z_y}{T} + \log \sum_k e^{z_k/T}\Big)
        = \frac{1}{T^2}\Big(z_y
          - \frac{\sum_k z_k e^{z_k/T}}{\sum_k e^{z_k/T}}\Big)

    for a symbolic ``K``: the logit of the true class minus the average
    logit under the scaled prediction, over :math:`T^2`.

    Examples
    --------
    >>> temperature_derivative().holds()
    True
    """
    normaliser = sp.Sum(sp.exp(z[k] / T), (k, 1, n))
    mean_logit = sp.Sum(z[k] * sp.exp(z[k] / T), (k, 1, n)) / normaliser
    return Identity(sp.diff(temperature_nll(n), T), (z[y] - mean_logit) / T**2)


def beta_nll(n: int | sp.Expr = K) -> sp.Expr:
    r"""The same NLL in :math:`\beta = 1/T`:
    :math:`-\beta z_y + \log \sum_k e^{\beta z_k}`."""
    return -beta * z[y] + sp.log(sp.Sum(sp.exp(beta * z[k]), (k, 1, n)))


def beta_second_derivative(n: int | sp.Expr = K) -> Identity:
    r"""The second derivative in :math:`\beta` is a variance.

    .. math::

        \frac{d^2}{d\beta^2}\Big(-\beta z_y + \log \sum_k e^{\beta z_k}\Big)
        = \sum_k p_k z_k^2 - \Big(\sum_k p_k z_k\Big)^2,
        \quad p_k = \frac{e^{\beta z_k}}{\sum_j e^{\beta z_j}} ,

    the variance of the logits under :math:`p`, never negative: the NLL is
    convex in :math:`\beta`, for a symbolic ``K``.

    Examples
    --------
    >>> beta_second_derivative().holds()
    True
    """
    normaliser = sp.Sum(sp.exp(beta * z[k]), (k, 1, n))
    first = sp.Sum(z[k] * sp.exp(beta * z[k]), (k, 1, n)) / normaliser
    second = sp.Sum(z[k] ** 2 * sp.exp(beta * z[k]), (k, 1, n)) / normaliser
    return Identity(sp.diff(beta_nll(n), beta, 2), second - first**2)
