r"""SymPy derivations for the theory of proper scores (chapter 10).

Three results behind the log score and the Brier score, each an
:class:`~xentlib.symbolic.Identity` that checks itself:

* **Representation** (Savage; Gneiting & Raftery 2007). A
  concave *generalised entropy* :math:`G` on the simplex defines the score

  .. math::

      S_G(p, y) = G(p) + \nabla_y G(p) - \sum_{j=1}^{K} p_j \nabla_j G(p),

  whose expected value is the entropy of the truth plus a *Bregman
  divergence*,

  .. math::

      \mathbb{E}_q[S_G(p, Y)] = G(q) + D_G(q, p), \qquad
      D_G(q, p) = G(p) - G(q) + \sum_{j=1}^{K} (q_j - p_j) \nabla_j G(p),

  proved for a symbolic ``K`` with :math:`G` and :math:`\nabla G` left
  unspecified (:func:`representation`). Concavity makes
  :math:`D_G \ge 0`: the score is proper. With the Shannon entropy
  :math:`G(p) = -\sum_i p_i \log p_i` the score is the log score and
  :math:`D_G` the KL divergence; with the Gini entropy
  :math:`G(p) = \sum_i p_i (1 - p_i)` the score is the Brier score and
  :math:`D_G` the squared distance (:func:`log_score_from_entropy`,
  :func:`log_divergence`, :func:`gini_score_from_entropy`,
  :func:`brier_from_entropy`, :func:`gini_divergence`).
* **Locality.** A *local* score depends on the forecast only through
  :math:`p_y`, :math:`S(p, y) = f(p_y)`. Propriety forces
  :math:`q_j f'(q_j) = \lambda` for every class (:func:`local_stationarity`),
  hence :math:`x f'(x) = c` and :math:`f = c \log x + C`
  (:func:`local_ode_solution`) once :math:`K \ge 3`; with two classes the
  Brier score is local too (:func:`binary_brier_is_local`) and a local
  quadratic score with three classes is not proper
  (:func:`local_quadratic_minimiser`).
* **Likelihood.** The log scores of independent outcomes add up to the
  negative log of the probability of all of them
  (:func:`log_score_sum`).
* **Decomposition** of the Brier score into reliability, resolution and
  uncertainty (Murphy 1973), for one class and a symbolic number of groups
  of equal forecasts (:func:`brier_decomposition`); the multi-class score is
  the sum over the classes.

See chapter 10, *Scoring rules and calibration*.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from . import information as _info
from . import scoring as _scoring
from ._core import Definition, Identity, definition, index_range, normalised
from .symbols import K, i, j, k, lam, p, q

__all__ = [
    "K",
    "i",
    "j",
    "k",
    "p",
    "q",
    "y",
    "x",
    "c",
    "lam",
    "G_p",
    "G_q",
    "grad_G",
    "f",
    "M",
    "w",
    "forecast_k",
    "frequency_k",
    "frequency",
    "N",
    "n",
    "P",
    "shannon_term",
    "gini_term",
    "generalised_entropy",
    "score_from_entropy",
    "bregman_divergence",
    "general_score",
    "general_divergence",
    "divergence_definition",
    "representation",
    "log_score_from_entropy",
    "log_entropy_at_truth",
    "log_divergence",
    "gini_score_from_entropy",
    "brier_expansion",
    "brier_from_entropy",
    "brier_from_entropy_holds",
    "gini_divergence",
    "local_lagrangian",
    "local_stationarity",
    "local_ode",
    "local_ode_solution",
    "local_ode_check",
    "log_score_is_local_solution",
    "binary_local_condition",
    "binary_brier_is_local",
    "local_quadratic_minimiser",
    "log_score_sum",
    "brier_decomposition",
]

#: A term of a separable entropy, a function of one probability.
Term = Callable[[sp.Expr], sp.Expr]

#: The class that happened, a probability (the argument of a local score) and
#: the constant of the locality equation.
y = sp.Symbol("y", integer=True, positive=True)
x = sp.Symbol("x", positive=True)
c = sp.Symbol("c", real=True)
#: An unspecified generalised entropy at the forecast and at the truth, and
#: its gradient at the forecast, :math:`(\nabla G(p))_j = \partial G /
#: \partial p_j`.
G_p = sp.Symbol("G(p)", real=True)
G_q = sp.Symbol("G(q)", real=True)
grad_G = sp.IndexedBase(r"\nabla G(p)", real=True)
#: The function of a local score, :math:`S(p, y) = f(p_y)`.
f = sp.Function("f")
#: For groups of equal forecasts, their number, weights (shares of the data),
#: the forecast probability and the observed frequency of one class in group
#: k, and the overall frequency of that class.
M = sp.Symbol("M", integer=True, positive=True)
w = sp.IndexedBase("w", positive=True)
forecast_k = sp.IndexedBase("f", positive=True)
frequency_k = sp.IndexedBase(r"\bar{o}", positive=True)
frequency = sp.Symbol(r"\bar{o}", positive=True)
#: For independent outcomes, their number, an index, and the probability
#: :math:`P_n = p^{(n)}_{y_n}` the n-th forecast gave to the n-th outcome.
N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
P = sp.IndexedBase("P", positive=True)


# -- the representation -------------------------------------------------------


def shannon_term(v: sp.Expr) -> sp.Expr:
    r"""One term of the Shannon entropy, :math:`-v \log v`."""
    return -v * sp.log(v)


def gini_term(v: sp.Expr) -> sp.Expr:
    r"""One term of the Gini entropy, :math:`v (1 - v)`."""
    return v * (1 - v)


def _slope(term: Term, v: sp.Expr) -> sp.Expr:
    """The derivative of ``term`` at ``v``."""
    return sp.diff(term(x), x).subs(x, v)


def generalised_entropy(
    term: Term, forecast: sp.IndexedBase = p, n_classes: int | sp.Expr = K
) -> sp.Expr:
    r"""A separable generalised entropy :math:`G(p) = \sum_i \phi(p_i)`.

    Examples
    --------
    >>> print(generalised_entropy(gini_term))
    Sum((1 - p[j])*p[j], (j, 1, K))
    """
    return sp.Sum(term(forecast[j]), (j, 1, n_classes))


def score_from_entropy(
    term: Term,
    index: int | sp.Expr,
    forecast: sp.IndexedBase = p,
    n_classes: int | sp.Expr = K,
) -> sp.Expr:
    r"""The score of the separable entropy :math:`G = \sum_i \phi(p_i)`.

    .. math::

        S_G(p, y) = G(p) + \phi'(p_y) - \sum_{j=1}^{K} p_j \phi'(p_j),

    the tangent plane of :math:`G` at :math:`p` evaluated at the one-hot
    label of :math:`y` (:math:`\nabla_j G(p) = \phi'(p_j)`).

    Examples
    --------
    >>> print(score_from_entropy(gini_term, y))
    -2*p[y] - Sum((1 - 2*p[j])*p[j], (j, 1, K)) + Sum((1 - p[j])*p[j], (j, 1, K)) + 1
    """
    return (
        generalised_entropy(term, forecast, n_classes)
        + _slope(term, forecast[index])
        - sp.Sum(forecast[j] * _slope(term, forecast[j]), (j, 1, n_classes))
    )


def bregman_divergence(
    term: Term,
    truth: sp.IndexedBase = q,
    forecast: sp.IndexedBase = p,
    n_classes: int | sp.Expr = K,
) -> sp.Expr:
    r"""The Bregman divergence of :math:`-G` for :math:`G = \sum_i \phi(p_i)`.

    .. math::

        D_G(q, p) = G(p) - G(q) + \sum_{j=1}^{K} (q_j - p_j)\, \phi'(p_j),

    the gap at :math:`q` between the tangent of :math:`G` at :math:`p` and
    :math:`G` itself; never negative when :math:`G` is concave.
    """
    return (
        generalised_entropy(term, forecast, n_classes)
        - generalised_entropy(term, truth, n_classes)
        + sp.Sum(
            (truth[j] - forecast[j]) * _slope(term, forecast[j]), (j, 1, n_classes)
        )
    )


def general_score(index: int | sp.Expr, n_classes: int | sp.Expr = K) -> sp.Expr:
    r""":math:`S_G(p, y) = G(p) + \nabla_y G(p) - \sum_j p_j \nabla_j G(p)`,
    with :math:`G` left unspecified."""
    return G_p + grad_G[index] - sp.Sum(p[j] * grad_G[j], (j, 1, n_classes))


def general_divergence(n_classes: int | sp.Expr = K) -> sp.Expr:
    r""":math:`D_G(q, p) = G(p) - G(q) + \sum_j (q_j - p_j) \nabla_j G(p)`,
    with :math:`G` left unspecified."""
    return G_p - G_q + sp.Sum((q[j] - p[j]) * grad_G[j], (j, 1, n_classes))


def divergence_definition(n_classes: int | sp.Expr = K) -> Definition:
    r"""The Bregman divergence as a :class:`~xentlib.symbolic.Definition`."""
    return Definition(sp.Symbol("D_G(q, p)"), general_divergence(n_classes))


def representation(n_classes: int | sp.Expr = K) -> Identity:
    r"""Expected score of :math:`S_G` = entropy of the truth + divergence.

    .. math::

        \sum_{i=1}^{K} q_i S_G(p, i) = G(q) + D_G(q, p),

    for any :math:`G` (its value and gradient at :math:`p` and its value at
    :math:`q` are free symbols) and a symbolic ``K``; it needs
    :math:`\sum_i q_i = 1`. At :math:`p = q` the divergence vanishes:
    :math:`G(q)` is the expected score of the honest forecast.

    Examples
    --------
    >>> representation().holds()
    True
    """
    expected = sp.Sum(q[i] * general_score(i, n_classes), (i, 1, n_classes))
    return Identity(
        expected,
        G_q + general_divergence(n_classes),
        (normalised(q, i, n_classes, name="q is a distribution"),),
    )


def log_score_from_entropy(n_classes: int | sp.Expr = K) -> Identity:
    r"""The Shannon entropy's score is the log score.

    .. math::

        S_G(p, y) = -\sum_j p_j \log p_j + (-\log p_y - 1)
        - \sum_j p_j (-\log p_j - 1) = -\log p_y ,

    for a symbolic ``K``; it needs :math:`\sum_j p_j = 1`.

    Examples
    --------
    >>> log_score_from_entropy().holds()
    True
    """
    return Identity(
        score_from_entropy(shannon_term, y, n_classes=n_classes),
        -sp.log(p[y]),
        (
            normalised(p, i, n_classes, name="p is a distribution"),
            index_range(y, n_classes),
        ),
    )


def log_entropy_at_truth(n_classes: int | sp.Expr = K) -> Identity:
    r"""The honest forecast's expected log score is the Shannon entropy.

    .. math::

        \sum_{i=1}^{K} q_i (-\log q_i) = -\sum_{i=1}^{K} q_i \log q_i

    Examples
    --------
    >>> log_entropy_at_truth().holds()
    True
    """
    return Identity(
        _scoring.expected_score(_scoring.log_score, forecast=q, n=n_classes),
        generalised_entropy(shannon_term, q, n_classes),
    )


def log_divergence(n_classes: int | sp.Expr = K) -> Identity:
    r"""The Shannon entropy's Bregman divergence is the KL divergence.

    .. math::

        D_G(q, p) = \sum_{i=1}^{K} q_i \log \frac{q_i}{p_i},

    for a symbolic ``K``; it needs both :math:`q` and :math:`p` to sum to 1
    (otherwise :math:`\sum_i (p_i - q_i)` is left over: the generalised KL
    divergence).

    Examples
    --------
    >>> log_divergence().holds()
    True
    """
    return Identity(
        bregman_divergence(shannon_term, n_classes=n_classes),
        _info.kl_sum(n=n_classes),
        (
            normalised(q, i, n_classes, name="q is a distribution"),
            normalised(p, i, n_classes, name="p is a distribution"),
        ),
    )


def gini_score_from_entropy(n_classes: int | sp.Expr = K) -> Identity:
    r"""The Gini entropy's score, expanded: :math:`1 - 2 p_y + \sum_j p_j^2`.

    For a symbolic ``K``, with no normalisation needed.
    :func:`brier_expansion` shows that this is the Brier score.

    Examples
    --------
    >>> gini_score_from_entropy().holds()
    True
    """
    return Identity(
        score_from_entropy(gini_term, y, n_classes=n_classes),
        1 - 2 * p[y] + sp.Sum(p[j] ** 2, (j, 1, n_classes)),
        (index_range(y, n_classes),),
    )


def brier_expansion(n_classes: int, outcome: int) -> Identity:
    r"""The Brier score of class ``outcome``, expanded, for ``K = n_classes``.

    .. math::

        \sum_{j=1}^{K} (p_j - [y = j])^2 = 1 - 2 p_y + \sum_{j=1}^{K} p_j^2

    The square of the indicator is the indicator; checked at a concrete
    ``K`` and class, where every :math:`[y = j]` is a number.

    Examples
    --------
    >>> brier_expansion(3, 2).holds()
    True
    """
    return Identity(
        _scoring.brier_score(p, outcome, n_classes),
        1 - 2 * p[outcome] + sp.Sum(p[j] ** 2, (j, 1, n_classes)),
    )


def brier_from_entropy(n_classes: int, outcome: int) -> Identity:
    r"""The Gini entropy's score is the Brier score (``K``, class concrete)."""
    return Identity(
        score_from_entropy(gini_term, outcome, n_classes=n_classes),
        _scoring.brier_score(p, outcome, n_classes),
    )


def brier_from_entropy_holds(n_classes: int) -> bool:
    """True when :func:`brier_from_entropy` holds for every class of ``K``.

    Examples
    --------
    >>> brier_from_entropy_holds(3)
    True
    """
    return all(
        brier_from_entropy(n_classes, outcome).holds()
        for outcome in range(1, n_classes + 1)
    )


def gini_divergence(n_classes: int | sp.Expr = K) -> Identity:
    r"""The Gini entropy's Bregman divergence is the squared distance.

    .. math::

        D_G(q, p) = \sum_{i=1}^{K} (p_i - q_i)^2,

    for a symbolic ``K``, with no normalisation needed.

    Examples
    --------
    >>> gini_divergence().holds()
    True
    """
    return Identity(
        bregman_divergence(gini_term, n_classes=n_classes),
        sp.Sum((p[i] - q[i]) ** 2, (i, 1, n_classes)),
    )


# -- locality -----------------------------------------------------------------


def local_lagrangian(n_classes: int | sp.Expr = K) -> sp.Expr:
    r"""Expected local score with a multiplier for :math:`\sum_i p_i = 1`.

    .. math::

        \Lambda(p, \lambda) = \sum_{i=1}^{K} q_i f(p_i)
        - \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)
    """
    return sp.Sum(q[i] * f(p[i]), (i, 1, n_classes)) - lam * (
        sp.Sum(p[i], (i, 1, n_classes)) - 1
    )


def local_stationarity(n_classes: int | sp.Expr = K) -> Identity:
    r"""The derivative of :func:`local_lagrangian` in :math:`p_j`.

    .. math::

        \frac{\partial \Lambda}{\partial p_j} = q_j f'(p_j) - \lambda ,

    for a symbolic ``K``. A proper score has its minimum at :math:`p = q`,
    so :math:`q_j f'(q_j) = \lambda` for every class :math:`j`: the same
    number for all of them.

    Examples
    --------
    >>> local_stationarity().holds()
    True
    """
    slope = sp.Subs(sp.Derivative(f(x), x), x, p[j])
    return Identity(
        sp.diff(local_lagrangian(n_classes), p[j]),
        q[j] * slope - lam,
        (index_range(j, n_classes),),
    )


def local_ode() -> sp.Eq:
    r"""The locality equation :math:`x f'(x) = c` on :math:`0 < x < 1`."""
    return sp.Eq(x * sp.Derivative(f(x), x), c)


def local_ode_solution() -> sp.Eq:
    r"""SymPy's general solution of :func:`local_ode`.

    Examples
    --------
    >>> local_ode_solution()
    Eq(f(x), C1 + c*log(x))
    """
    return sp.dsolve(local_ode(), f(x))


def local_ode_check() -> Identity:
    r"""The solution satisfies the equation: :math:`x \frac{d}{dx}(c \log x
    + C_1) = c`.

    Examples
    --------
    >>> local_ode_check().holds()
    True
    """
    solution = local_ode_solution().rhs
    return Identity(x * sp.diff(solution, x), c)


def log_score_is_local_solution() -> Identity:
    r"""The log score :math:`f(x) = -\log x` has :math:`x f'(x) = -1`.

    Examples
    --------
    >>> log_score_is_local_solution().holds()
    True
    """
    return Identity(x * sp.diff(-sp.log(x), x), -1)


def binary_local_condition(function: Term) -> Identity:
    r"""The stationarity condition for ``K = 2`` at the truth,
    :math:`x f'(x) = (1 - x) f'(1 - x)`, for a given ``function``."""
    return Identity(x * _slope(function, x), (1 - x) * _slope(function, 1 - x))


def binary_brier_is_local() -> tuple[Identity, ...]:
    r"""With two classes the Brier score is :math:`2 (1 - p_y)^2`: local.

    Returns
    -------
    tuple of Identity
        The score of class 1 and of class 2, each equal to
        :math:`2(1 - p_y)^2` once :math:`p_2 = 1 - p_1`, and the ``K = 2``
        stationarity condition :func:`binary_local_condition` for
        :math:`f(x) = 2 (1 - x)^2`, which holds: a local proper score for
        two classes that is not the log score.

    Examples
    --------
    >>> all(check.holds() for check in binary_brier_is_local())
    True
    """
    on_line = {p[2]: 1 - p[1]}
    checks = tuple(
        Identity(
            _scoring.brier_score(p, outcome, 2).doit().subs(on_line),
            (2 * (1 - p[outcome]) ** 2).subs(on_line),
        )
        for outcome in (1, 2)
    )
    return (*checks, binary_local_condition(lambda v: 2 * (1 - v) ** 2))


def local_quadratic_minimiser(n_classes: int = 3) -> dict[sp.Basic, sp.Expr]:
    r"""Minimiser of :math:`\sum_i q_i (1 - p_i)^2` on the plane
    :math:`\sum_i p_i = 1`.

    The local score :math:`f(p_y) = (1 - p_y)^2` is the Brier score's
    two-class form, halved. With ``n_classes = 3`` the stationary point of
    the Lagrangian, the minimum on the plane since the objective is convex,
    is not :math:`p = q`: the score is not proper. It is the minimum on the
    simplex too when all its entries are non-negative (for
    :math:`q = (1/2, 3/10, 1/5)` it is :math:`(19/31, 11/31, 1/31)`);
    otherwise the simplex's minimum lies on its boundary.

    Returns
    -------
    dict
        The solution for :math:`p_1, \dots, p_K` in terms of
        :math:`q_1, \dots, q_K`.

    Examples
    --------
    >>> best = local_quadratic_minimiser(2)
    >>> sp.simplify(best[p[1]] - q[1] / (q[1] + q[2]))
    0
    """
    forecast = [p[m] for m in range(1, n_classes + 1)]
    lagrangian = sum(q[m] * (1 - p[m]) ** 2 for m in range(1, n_classes + 1)) - lam * (
        sum(forecast) - 1
    )
    equations = [sp.diff(lagrangian, v) for v in forecast]
    equations.append(sum(forecast) - 1)
    (solution,) = sp.solve(equations, [*forecast, lam], dict=True)
    return {v: sp.factor(solution[v]) for v in forecast}


# -- the likelihood reading ---------------------------------------------------


def log_score_sum(size: int | sp.Expr = N) -> Identity:
    r"""Log scores of independent outcomes add up to a negative log-likelihood.

    .. math::

        \sum_{n=1}^{N} \left(-\log P_n\right)
        = -\log \prod_{n=1}^{N} P_n ,

    with :math:`P_n` the probability the :math:`n`-th forecast gave to the
    :math:`n`-th outcome, for a symbolic :math:`N`.

    Examples
    --------
    >>> log_score_sum().holds()
    True
    """
    return Identity(
        sp.Sum(-sp.log(P[n]), (n, 1, size)), -sp.log(sp.Product(P[n], (n, 1, size)))
    )


# -- the decomposition --------------------------------------------------------


def brier_decomposition(groups: int | sp.Expr = M) -> Identity:
    r"""Murphy's decomposition of the Brier score of one class.

    The forecasts are grouped so that group :math:`k` (a share
    :math:`w_k` of the data) always forecasts :math:`f_k` for the class,
    which then happens a fraction :math:`\bar o_k` of the time; overall it
    happens a fraction :math:`\bar o = \sum_k w_k \bar o_k`. The mean of
    :math:`(f - o)^2` with :math:`o \in \{0, 1\}` is, group by group,
    :math:`f_k^2 - 2 f_k \bar o_k + \bar o_k` (because :math:`o^2 = o`), and

    .. math::

        \sum_k w_k \big(f_k^2 - 2 f_k \bar o_k + \bar o_k\big)
        = \underbrace{\sum_k w_k (f_k - \bar o_k)^2}_{\text{reliability}}
        - \underbrace{\sum_k w_k (\bar o_k - \bar o)^2}_{\text{resolution}}
        + \underbrace{\bar o (1 - \bar o)}_{\text{uncertainty}},

    for a symbolic number of groups :math:`M`, given
    :math:`\sum_k w_k = 1` and the definition of :math:`\bar o`. The
    multi-class Brier score is the sum of these over the classes.

    Examples
    --------
    >>> brier_decomposition().holds()
    True
    """
    mean = sp.Sum(
        w[k]
        * (forecast_k[k] ** 2 - 2 * forecast_k[k] * frequency_k[k] + frequency_k[k]),
        (k, 1, groups),
    )
    reliability = sp.Sum(w[k] * (forecast_k[k] - frequency_k[k]) ** 2, (k, 1, groups))
    resolution = sp.Sum(w[k] * (frequency_k[k] - frequency) ** 2, (k, 1, groups))
    uncertainty = frequency * (1 - frequency)
    hypotheses = (
        normalised(w, k, groups, name="the weights sum to one"),
        definition(
            frequency,
            sp.Sum(w[k] * frequency_k[k], (k, 1, groups)),
            name="overall frequency",
        ),
    )
    return Identity(mean, reliability - resolution + uncertainty, hypotheses)
