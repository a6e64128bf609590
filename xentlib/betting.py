r"""Betting with the logarithm: the Kelly fraction and the horse race.

Chapter 11 bets a fraction :math:`f` of the current wealth, again and again,
on a coin that wins with probability :math:`p`; a win pays ``odds`` times
the stake (net), a loss costs the stake. After :math:`n` bets with
:math:`k` wins the wealth is
:math:`W_n = W_0 (1 + \beta f)^k (1 - f)^{n - k}`, so the logarithm of the
wealth is a sum, and its expected growth per bet, :func:`growth_rate`, is
what the Kelly fraction (:func:`kelly_fraction`) maximises.
:func:`simulate_wealth` draws wealth paths (in log space, so that a path
that shrinks by hundreds of orders of magnitude does not underflow).

The horse race generalises the coin to :math:`K` outcomes: a gambler who
spreads the wealth as :math:`b` over horses paying :math:`o_i` for one
grows at the rate :func:`doubling_rate`; :func:`race_log_wealth` follows
one gambler through a sequence of races.

All rates are per bet (per race), in nats by default, in bits with
``base=2``.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import (
    as_float_array,
    as_int,
    check_base,
    check_distribution,
    check_finite,
    check_no_nan,
    check_probabilities,
    check_same_shape,
)

__all__ = [
    "kelly_fraction",
    "growth_rate",
    "simulate_wealth",
    "doubling_rate",
    "race_log_wealth",
]


def _odds(odds: npt.ArrayLike, name: str = "odds") -> Any:
    odds = as_float_array(odds, name)
    check_finite(odds, name)
    if (odds <= 0).any():
        raise ValueError(f"{name} must be positive, got min {float(odds.min())!r}")
    return odds


def _probability(p: Any, name: str = "p") -> Any:
    p = as_float_array(p, name)
    check_probabilities(p, name)
    return p


def _fraction(f: Any, name: str = "f") -> Any:
    f = as_float_array(f, name)
    check_no_nan(f, name)
    if (f < 0).any() or (f > 1).any():
        raise ValueError(f"{name} must be a fraction of wealth in [0, 1]")
    return f


def _log_scale(base: float | None) -> Any:
    """``log(base)``, the divisor that turns nats into ``base`` units."""
    base = check_base(base)
    return 1.0 if base is None else float(np.log(base))


def _result(value: Any) -> Any:
    return value[()] if np.ndim(value) == 0 else value


def kelly_fraction(p: npt.ArrayLike, odds: npt.ArrayLike = 1.0) -> Any:
    r"""The fraction of wealth to bet that maximises the expected log-wealth.

    .. math::

        f^{*} = \max\Bigl(0,\; p - \frac{1 - p}{\beta}\Bigr),

    for a bet that wins with probability :math:`p` and pays :math:`\beta`
    (``odds``) for every unit staked; at even odds (:math:`\beta = 1`) it is
    :math:`\max(0, 2p - 1)`.

    Parameters
    ----------
    p : array_like, shape (...)
        Probability of winning, in ``[0, 1]``.
    odds : array_like, broadcastable with ``p``, default 1.0
        Net odds :math:`\beta > 0` ("β to 1").

    Returns
    -------
    float or ndarray
        The fraction :math:`f^{*} \in [0, 1]`, shape of the broadcast.

    Notes
    -----
    The expected log-growth :func:`growth_rate` is strictly concave in
    :math:`f` for :math:`0 < p < 1`; its derivative vanishes at
    :math:`p - (1 - p)/\beta` (derived in ``xentlib.symbolic.betting``). When
    that is negative the edge :math:`p \beta - (1 - p)` is negative, and the
    best fraction allowed (no betting on the other side) is zero.

    See chapter 11, *The gambler*.

    Examples
    --------
    >>> from xentlib import kelly_fraction
    >>> print(kelly_fraction([0.4, 0.6, 0.75]).round(4))
    [0.  0.2 0.5]
    >>> print(round(float(kelly_fraction(0.5, odds=2.0)), 4))
    0.25
    """
    p = _probability(p)
    odds = _odds(odds)
    return _result(np.maximum(0.0, p - (1 - p) / odds))


def growth_rate(
    f: npt.ArrayLike,
    p: npt.ArrayLike,
    odds: npt.ArrayLike = 1.0,
    base: float | None = None,
) -> Any:
    r"""Expected growth of log-wealth per bet when betting the fraction ``f``.

    .. math::

        g(f) = p \log(1 + \beta f) + (1 - p) \log(1 - f).

    Parameters
    ----------
    f : array_like, shape (...)
        Fraction of the current wealth staked, in ``[0, 1]``.
    p : array_like, broadcastable with ``f``
        Probability of winning, in ``[0, 1]``.
    odds : array_like, broadcastable, default 1.0
        Net odds :math:`\beta > 0`.
    base : float or None, default None
        Logarithm base: None for nats, 2 for bits.

    Returns
    -------
    float or ndarray
        :math:`g`, shape of the broadcast; :math:`-\infty` for ``f = 1``
        and ``p < 1`` (one loss is ruin).

    Notes
    -----
    Computed with ``log1p``, accurate for small fractions; a term whose
    probability is zero contributes zero (:math:`0 \log 0 = 0`), so
    ``growth_rate(1, 1)`` is :math:`\log(1 + \beta)`.

    See chapter 11, *The gambler*.

    Examples
    --------
    >>> from xentlib import growth_rate
    >>> print(growth_rate([0.1, 0.2, 0.4], 0.6).round(5))
    [ 0.01504  0.02014 -0.00245]
    >>> print(growth_rate(1.0, 0.6))
    -inf
    """
    f = _fraction(f)
    p = _probability(p)
    odds = _odds(odds)
    f, p, odds = np.broadcast_arrays(f, p, odds)
    win = p * np.log1p(odds * f)
    # 0 log 0 = 0: a loss that cannot happen costs nothing, even at f = 1.
    with np.errstate(divide="ignore"):
        lose = (1 - p) * np.log1p(-np.where(p < 1, f, 0.0))
    return _result((win + lose) / _log_scale(base))


def simulate_wealth(
    p: npt.ArrayLike,
    f: npt.ArrayLike,
    n_bets: int,
    n_paths: int,
    rng: np.random.Generator,
    *,
    odds: npt.ArrayLike = 1.0,
    log: bool = True,
) -> Any:
    r"""Wealth paths of a gambler who bets the fraction ``f`` every time.

    Each bet wins with probability ``p``, independently; starting from
    :math:`W_0 = 1`,

    .. math::

        \log W_t = \sum_{s=1}^{t} \log(1 + \beta f X_s - f (1 - X_s)),
        \qquad X_s \sim \mathrm{Bernoulli}(p).

    Parameters
    ----------
    p : float
        Probability of winning a bet, in ``[0, 1]``.
    f : float
        Fraction of wealth staked on every bet, in ``[0, 1]``.
    n_bets, n_paths : int
        Number of bets per path (``>= 0``) and of paths (``>= 1``).
    rng : numpy.random.Generator
        Source of randomness (seed it for reproducible paths).
    odds : float, default 1.0
        Net odds :math:`\beta > 0`.
    log : bool, default True
        Return :math:`\log W_t` (natural logarithm; :math:`-\infty` after
        ruin) rather than :math:`W_t`.

    Returns
    -------
    ndarray, shape (n_paths, n_bets + 1)
        Column ``t`` is the (log-)wealth after ``t`` bets; column 0 is the
        start, 0 (or 1).

    Notes
    -----
    The paths are summed in log space: a path that shrinks below the
    smallest float would otherwise stop at 0 and look like ruin. The wins
    are drawn as ``rng.random((n_paths, n_bets)) < p``.

    See chapter 11, *The gambler*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import simulate_wealth
    >>> rng = np.random.default_rng(0)
    >>> paths = simulate_wealth(0.6, 0.2, 4, 2, rng, log=False)
    >>> paths.shape
    (2, 5)
    >>> print(paths[:, 0])
    [1. 1.]
    """
    p = float(_probability(p))
    f = float(_fraction(f))
    odds = float(_odds(odds))
    n_bets = as_int(n_bets, "n_bets")
    n_paths = as_int(n_paths, "n_paths")
    if n_bets < 0:
        raise ValueError(f"n_bets must be >= 0, got {n_bets}")
    if n_paths < 1:
        raise ValueError(f"n_paths must be >= 1, got {n_paths}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r}")
    wins = rng.random((n_paths, n_bets)) < p
    with np.errstate(divide="ignore"):
        steps = np.where(wins, np.log1p(odds * f), np.log1p(-f))
    log_wealth = np.zeros((n_paths, n_bets + 1))
    np.cumsum(steps, axis=1, out=log_wealth[:, 1:])
    return log_wealth if log else np.exp(log_wealth)


def _race_inputs(b: Any, odds: npt.ArrayLike) -> Any:
    b = as_float_array(b, "b")
    check_distribution(b, "b")
    odds = _odds(odds)
    try:  # one odds vector (K,) may serve a batch of bets (N, K)
        fits = np.broadcast_shapes(odds.shape, b.shape) == b.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"odds of shape {odds.shape} does not broadcast to the shape of b {b.shape}"
        )
    return b, odds


def doubling_rate(
    b: npt.ArrayLike, q: npt.ArrayLike, odds: npt.ArrayLike, base: float | None = None
) -> Any:
    r"""Expected growth of log-wealth per race, betting the proportions ``b``.

    .. math::

        W(b, q) = \sum_{i=1}^{K} q_i \log(b_i o_i)

    (Cover and Thomas's *doubling rate* when the logarithm is in base 2).

    Parameters
    ----------
    b : array_like, shape (..., K)
        The gambler's split of the wealth over the :math:`K` horses (a
        distribution: all of the wealth is bet every race).
    q : array_like, shape (..., K)
        The true probabilities of winning.
    odds : array_like, shape (..., K)
        Positive odds :math:`o_i`: a unit on horse :math:`i` returns
        :math:`o_i` if it wins (gross, stake included), 0 otherwise.
    base : float or None, default None
        Logarithm base: None for nats, 2 for bits (a doubling rate).

    Returns
    -------
    float or ndarray, shape (...)
        :math:`W`; :math:`-\infty` when a horse with :math:`q_i > 0` gets
        :math:`b_i = 0`.

    Notes
    -----
    Terms with :math:`q_i = 0` contribute zero (:math:`0 \log 0 = 0`). With
    fair odds :math:`o_i = 1 / r_i`, for a distribution :math:`r`,
    :math:`W = D_{\mathrm{KL}}(q \| r) - D_{\mathrm{KL}}(q \| b)`.

    See chapter 11, *The gambler*.

    Examples
    --------
    >>> from xentlib import doubling_rate
    >>> q = [0.5, 0.25, 0.25]
    >>> print(round(float(doubling_rate(q, q, [3, 3, 3], base=2)), 4))
    0.085
    """
    b, odds = _race_inputs(b, odds)
    q = as_float_array(q, "q")
    check_distribution(q, "q")
    check_same_shape(q, "q", b, "b")
    with np.errstate(divide="ignore"):
        terms = np.where(q > 0, q * np.log(np.where(q > 0, b * odds, 1.0)), 0.0)
    return _result(terms.sum(axis=-1) / _log_scale(base))


def race_log_wealth(
    b: npt.ArrayLike, odds: npt.ArrayLike, winners: npt.ArrayLike
) -> Any:
    r"""Log-wealth of a gambler who bets the proportions ``b`` on every race.

    .. math::

        \log W_t = \sum_{s=1}^{t} \log\bigl(b_{X_s} o_{X_s}\bigr),

    where :math:`X_s` is the winner of race :math:`s` and :math:`W_0 = 1`.

    Parameters
    ----------
    b : array_like, shape (K,)
        Split of the wealth over the horses (a distribution).
    odds : array_like, shape (K,)
        Positive gross odds :math:`o_i`.
    winners : array_like of int, shape (..., n)
        Index of the winning horse of each race, in ``[0, K)``.

    Returns
    -------
    ndarray, shape (..., n + 1)
        Natural log of the wealth after 0, 1, ..., n races.

    See chapter 11, *The gambler*.

    Examples
    --------
    >>> from xentlib import race_log_wealth
    >>> print(race_log_wealth([0.5, 0.5], [2, 2], [0, 1, 1]))
    [0. 0. 0. 0.]
    """
    b, odds = _race_inputs(b, odds)
    if b.ndim != 1:
        raise ValueError(f"b must be one distribution, shape (K,), got {b.shape}")
    winners = np.asarray(winners)
    if winners.dtype.kind not in "iu":
        raise TypeError(f"winners must be integers, got dtype {winners.dtype}")
    if winners.size and (winners.min() < 0 or winners.max() >= b.size):
        raise ValueError(
            f"winners must lie in [0, {b.size}), "
            f"got range [{winners.min()}, {winners.max()}]"
        )
    with np.errstate(divide="ignore"):
        steps = np.log(b * odds)[winners]
    shape = (*winners.shape[:-1], winners.shape[-1] + 1)
    log_wealth = np.zeros(shape)
    np.cumsum(steps, axis=-1, out=log_wealth[..., 1:])
    return log_wealth
