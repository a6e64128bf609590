r"""SymPy derivations for chapter 11, *The gambler*.

**The coin.** A gambler bets the fraction ``f`` of the current wealth on a
coin that wins with probability ``p``, at net odds ``beta`` (even odds:
``beta = 1``). After ``n`` bets with ``k`` wins the wealth is
:math:`W_0 (1 + \beta f)^k (1 - f)^{n - k}` (:func:`wealth_after`), and
the log of it per bet is the empirical growth (:func:`log_wealth_per_bet`). Its
expectation :math:`g(f) = p \log(1 + \beta f) + (1 - p)\log(1 - f)`
(:func:`growth`) is strictly concave (:func:`growth_second_derivative`);
SymPy solves :math:`g'(f) = 0` (:func:`kelly_solution`) and evaluates the
optimum, :math:`\log 2 - h(p)` at even odds (:func:`optimal_growth`).
:func:`growth_as_cross_entropy` makes the binary-cross-entropy shape exact:
with :math:`a = (1 + f)/2`, :math:`g = \log 2 - H((p, 1-p), (a, 1-a))`.
:func:`growth_series` expands :math:`g` around :math:`f = 0`, the reason
why betting twice the Kelly fraction grows at a rate near zero.

**The horse race.** ``K`` horses (a symbolic ``K``), true probabilities
``q[i]``, the gambler's split ``bb[i]``, odds ``o[i]``. The doubling rate
:math:`W = \sum_i q_i \log(b_i o_i)` (:func:`doubling_rate`) is a constant
minus a cross-entropy (:func:`doubling_rate_cross_entropy`); with fair odds
:math:`o_i = 1/r_i` it is
:math:`D_{\mathrm{KL}}(q\|r) - D_{\mathrm{KL}}(q\|b)` (:func:`fair_odds_kl`),
and the gambler with beliefs ``b`` falls behind the one who knows ``q`` by
exactly :math:`D_{\mathrm{KL}}(q\|b)` (:func:`regret_identity`).

See chapter 11, *The gambler*.
"""

from __future__ import annotations

import sympy as sp

from ._core import Identity, positive
from .symbols import K, i, q

__all__ = [
    "p",
    "f",
    "beta",
    "a",
    "n",
    "k",
    "W0",
    "K",
    "i",
    "q",
    "bb",
    "o",
    "r",
    "wealth_after",
    "log_wealth_per_bet",
    "growth",
    "growth_derivative",
    "growth_derivative_combined",
    "growth_second_derivative",
    "kelly_solution",
    "optimal_growth",
    "binary_entropy",
    "binary_cross_entropy",
    "growth_as_cross_entropy",
    "expected_wealth_factor",
    "growth_series",
    "doubling_rate",
    "doubling_rate_cross_entropy",
    "fair_odds_kl",
    "regret_identity",
]

#: Probability of winning, fraction staked, net odds (beta, b in
#: the literature; ``b`` here is the horse-race split), and the split
#: a = (1 + f) / 2 of the wealth that the bet amounts to at even odds.
p = sp.Symbol("p", positive=True)
f = sp.Symbol("f", nonnegative=True)
beta = sp.Symbol("beta", positive=True)
a = sp.Symbol("a", positive=True)
#: Number of bets, number of wins, starting wealth.
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
W0 = sp.Symbol("W_0", positive=True)
#: The gambler's split (``bb``, printed b), the odds and the bookmaker's
#: distribution over the ``K`` horses (``K``, ``i``, ``q`` are shared).
bb = sp.IndexedBase("b", positive=True)
o = sp.IndexedBase("o", positive=True)
r = sp.IndexedBase("r", positive=True)


#: Hypotheses: a stake below the whole wealth, a probability and a split
#: below one (the symbols are declared positive or nonnegative).
fraction_below_one = positive(1 - f, name="f < 1")
probability_below_one = positive(1 - p, name="p < 1")
split_below_one = positive(1 - a, name="a < 1")


def wealth_after(odds: int | sp.Expr = 1) -> sp.Expr:
    r""":math:`W_n = W_0 (1 + \beta f)^k (1 - f)^{n - k}` after ``k`` wins.

    Examples
    --------
    >>> print(wealth_after())
    W_0*(1 - f)**(-k + n)*(f + 1)**k
    """
    return W0 * (1 + odds * f) ** k * (1 - f) ** (n - k)


def log_wealth_per_bet(odds: int | sp.Expr = 1) -> Identity:
    r"""The log-wealth per bet as a frequency-weighted sum of two logs.

    .. math::

        \frac{1}{n} \log \frac{W_n}{W_0}
        = \frac{k}{n} \log(1 + \beta f)
        + \Bigl(1 - \frac{k}{n}\Bigr)\log(1 - f).

    As :math:`n \to \infty`, :math:`k/n \to p` almost surely (the law of
    large numbers), and the right-hand side tends to :func:`growth`.

    Examples
    --------
    >>> log_wealth_per_bet().holds()
    True
    """
    freq = k / n
    lhs = sp.log(wealth_after(odds) / W0) / n
    rhs = freq * sp.log(1 + odds * f) + (1 - freq) * sp.log(1 - f)
    return Identity(lhs, rhs, (fraction_below_one,))


def growth(
    fraction: sp.Expr = f, prob: sp.Expr = p, odds: int | sp.Expr = 1
) -> sp.Expr:
    r""":math:`g(f) = p \log(1 + \beta f) + (1 - p) \log(1 - f)`.

    Examples
    --------
    >>> print(growth())
    p*log(f + 1) + (1 - p)*log(1 - f)
    """
    return prob * sp.log(1 + odds * fraction) + (1 - prob) * sp.log(1 - fraction)


def growth_derivative(odds: int | sp.Expr = 1) -> Identity:
    r""":math:`g'(f) = p \beta/(1 + \beta f) - (1 - p)/(1 - f)`, checked.

    At even odds the two fractions combine to
    :math:`(2p - 1 - f) / ((1 + f)(1 - f))`
    (:func:`growth_derivative_combined`),
    zero exactly at :math:`f = 2p - 1`.

    Examples
    --------
    >>> derivative = growth_derivative()
    >>> print(derivative.rhs)
    p/(f + 1) - (1 - p)/(1 - f)
    >>> derivative.holds()
    True
    """
    rhs = p * odds / (1 + odds * f) - (1 - p) / (1 - f)
    return Identity(sp.diff(growth(odds=odds), f), rhs)


def growth_derivative_combined() -> Identity:
    r"""Even odds: :math:`g'(f) = (2p - 1 - f) / ((1 + f)(1 - f))`.

    Examples
    --------
    >>> growth_derivative_combined().holds()
    True
    """
    numerator = sp.Add(2 * p, -1, -f, evaluate=False)
    combined = numerator / sp.Mul(1 + f, 1 - f, evaluate=False)
    return Identity(growth_derivative().rhs, combined)


def growth_second_derivative(odds: int | sp.Expr = 1) -> Identity:
    r""":math:`g''(f) = -p \beta^2/(1 + \beta f)^2 - (1 - p)/(1 - f)^2`.

    Both terms are negative for :math:`0 < p < 1`: :math:`g` is strictly
    concave on :math:`[0, 1)`, so a stationary point is the maximum.

    Examples
    --------
    >>> second = growth_second_derivative()
    >>> print(second.rhs)
    -p/(f + 1)**2 - (1 - p)/(1 - f)**2
    >>> second.holds()
    True
    """
    rhs = -p * odds**2 / (1 + odds * f) ** 2 - (1 - p) / (1 - f) ** 2
    return Identity(sp.diff(growth(odds=odds), f, 2), rhs)


def kelly_solution(odds: int | sp.Expr = 1) -> sp.Expr:
    r"""The stationary point of :math:`g`, solved by SymPy: :math:`f^{*}`.

    At even odds :math:`f^{*} = 2p - 1`; at odds :math:`\beta`,
    :math:`f^{*} = p - (1 - p)/\beta`. It is a fraction in :math:`[0, 1)` only
    when the edge :math:`p \beta - (1 - p)` is positive; otherwise the best
    allowed bet is :math:`f = 0`.

    Examples
    --------
    >>> print(kelly_solution())
    2*p - 1
    >>> print(sp.simplify(kelly_solution(beta) - (p - (1 - p) / beta)))
    0
    """
    solutions = sp.solve(sp.Eq(sp.diff(growth(odds=odds), f), 0), f)
    (solution,) = solutions
    return sp.factor(solution) if odds != 1 else sp.expand(solution)


def binary_entropy(prob: sp.Expr = p) -> sp.Expr:
    r""":math:`h(p) = -p \log p - (1 - p) \log(1 - p)` (chapter 2)."""
    return -prob * sp.log(prob) - (1 - prob) * sp.log(1 - prob)


def binary_cross_entropy(prob: sp.Expr = p, pred: sp.Expr = a) -> sp.Expr:
    r""":math:`H((p, 1-p), (a, 1-a)) = -p \log a - (1 - p) \log(1 - a)`."""
    return -prob * sp.log(pred) - (1 - prob) * sp.log(1 - pred)


def optimal_growth() -> Identity:
    r"""The growth at the Kelly fraction, even odds: :math:`\log 2 - h(p)`.

    Examples
    --------
    >>> optimal_growth().holds()
    True
    """
    return Identity(
        growth(kelly_solution()), sp.log(2) - binary_entropy(), (probability_below_one,)
    )


def growth_as_cross_entropy() -> Identity:
    r"""The growth rate is :math:`\log 2` minus a binary cross-entropy.

    Betting :math:`f` on heads at even odds leaves the same wealth in
    every outcome as splitting the whole wealth, :math:`a = (1 + f)/2` on
    heads and :math:`1 - a` on tails. Then :math:`1 + f = 2a`,
    :math:`1 - f = 2(1 - a)` and

    .. math::

        g(2a - 1) = \log 2 - \bigl(-p \log a - (1 - p) \log(1 - a)\bigr).

    Examples
    --------
    >>> growth_as_cross_entropy().holds()
    True
    """
    return Identity(
        growth(2 * a - 1),
        sp.log(2) - binary_cross_entropy(),
        (probability_below_one, split_below_one),
    )


def expected_wealth_factor(odds: int | sp.Expr = 1) -> sp.Expr:
    r""":math:`E[W_1 / W_0] = p (1 + \beta f) + (1 - p)(1 - f)`, linear in f.

    At even odds it is :math:`1 + (2p - 1) f`, largest at :math:`f = 1`
    when :math:`p > 1/2`; after :math:`n` independent bets the expected
    wealth is its :math:`n`-th power.

    Examples
    --------
    >>> print(expected_wealth_factor())
    f*(2*p - 1) + 1
    """
    expectation = p * (1 + odds * f) + (1 - p) * (1 - f)
    return sp.collect(sp.expand(expectation), f)


def growth_series(order: int = 4, odds: int | sp.Expr = 1) -> sp.Expr:
    r"""Taylor series of :math:`g(f)` at :math:`f = 0`, up to ``O(f**order)``.

    At even odds: :math:`g(f) = (2p - 1) f - f^2/2 + (2p - 1) f^3/3 +
    O(f^4)`. The quadratic part vanishes at :math:`f = 2(2p - 1)`, twice
    the Kelly fraction.

    Examples
    --------
    >>> print(growth_series(3))
    f*(2*p - 1) - f**2/2 + O(f**3)
    """
    series = sp.series(growth(odds=odds), f, 0, order)
    return sp.collect(sp.expand(series.removeO()), f) + sp.O(f**order)


# --- the horse race ----------------------------------------------------------


def _sum(term: sp.Expr) -> sp.Expr:
    return sp.Sum(term, (i, 1, K))


def doubling_rate(
    split: sp.IndexedBase = bb, odds: sp.IndexedBase | _Reciprocal = o
) -> sp.Expr:
    r""":math:`W(b, q) = \sum_{i=1}^{K} q_i \log(b_i o_i)`, symbolic ``K``."""
    return _sum(q[i] * sp.log(split[i] * odds[i]))


def _cross_entropy(first: sp.IndexedBase, second: sp.IndexedBase) -> sp.Expr:
    return _sum(-first[i] * sp.log(second[i]))


def _kl(first: sp.IndexedBase, second: sp.IndexedBase) -> sp.Expr:
    return _sum(first[i] * sp.log(first[i] / second[i]))


def doubling_rate_cross_entropy() -> Identity:
    r""":math:`W(b, q) = \sum_i q_i \log o_i - H(q, b)`.

    The odds contribute a term that does not depend on the gambler's
    choice; the choice enters only through the cross-entropy
    :math:`H(q, b)`, so the best split is :math:`b = q` (chapter 4).

    Examples
    --------
    >>> doubling_rate_cross_entropy().holds()
    True
    """
    return Identity(doubling_rate(), _sum(q[i] * sp.log(o[i])) - _cross_entropy(q, bb))


def fair_odds_kl() -> Identity:
    r"""With fair odds :math:`o_i = 1/r_i`: :math:`W = D(q\|r) - D(q\|b)`.

    Examples
    --------
    >>> fair_odds_kl().holds()
    True
    """
    return Identity(doubling_rate(bb, _Reciprocal(r)), _kl(q, r) - _kl(q, bb))


class _Reciprocal:
    """``1 / r`` as an indexable family: ``_Reciprocal(r)[i] == 1 / r[i]``."""

    def __init__(self, base: sp.IndexedBase) -> None:
        self.base = base

    def __getitem__(self, index: sp.Symbol) -> sp.Expr:
        return 1 / self.base[index]


def regret_identity() -> Identity:
    r""":math:`W(q, q) - W(b, q) = D_{\mathrm{KL}}(q \| b)`, for any odds.

    The gambler who knows :math:`q` and bets :math:`b = q` outgrows one who
    bets the beliefs :math:`b` by exactly the KL divergence, whatever the
    odds.

    Examples
    --------
    >>> regret_identity().holds()
    True
    """
    return Identity(doubling_rate(q, o) - doubling_rate(bb, o), _kl(q, bb))
