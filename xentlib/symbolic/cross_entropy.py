r"""SymPy derivations for chapter 4, *Cross-entropy*.

Everything here holds for a **general** number of outcomes ``K``: the
distributions are indexed families ``q[i]``, ``p[i]`` (SymPy ``IndexedBase``)
summed with ``Sum(..., (i, 1, K))`` and a symbolic ``K``. The probabilities are
declared positive, which is what lets SymPy split ``log(q/p)``; the boundary
(zero probabilities) is treated separately with limits
(:func:`zero_log_zero_limit`, :func:`minus_log_limit`).

The decomposition :math:`H(q, p) = H(q) + D_{\mathrm{KL}}(q \| p)` is proved
in two explicit steps, each an :class:`~xentlib.symbolic.Identity` that checks
itself: a per-term logarithm identity, then linearity of the sum.

See chapter 4, *Cross-entropy*.
"""

import sympy as sp

from ._core import Definition, Identity, index_range
from .entropy import Entropy  # one H(.) for both chapters: H(q) == H(q) across them

__all__ = [
    "K",
    "i",
    "j",
    "q",
    "p",
    "lam",
    "CrossEntropy",
    "Entropy",
    "KLDivergence",
    "cross_entropy_sum",
    "entropy_sum",
    "kl_sum",
    "definitions",
    "expand_definitions",
    "termwise_identity",
    "linearity_identity",
    "decomposition",
    "decomposition_chain",
    "self_cross_entropy",
    "k",
    "one_hot_cross_entropy",
    "one_hot_holds",
    "lagrangian",
    "stationarity",
    "stationary_point",
    "lagrange_solution",
    "zero_log_zero_limit",
    "minus_log_limit",
    "at_k",
    "chain_latex",
]

#: Number of outcomes, summation indices, the two distributions, the multiplier.
#: ``k`` is also the index of the label of a one-hot distribution.
from .symbols import K, i, j, k, q, p, lam  # noqa: E402 - shared symbols


class CrossEntropy(sp.Function):
    """Unevaluated name :math:`H(q, p)`, for display; see :func:`definitions`."""

    nargs = 2

    def _latex(self, printer, exp=None):
        first, second = (printer._print(arg) for arg in self.args)
        return rf"H\left({first}, {second}\right)"


class KLDivergence(sp.Function):
    r"""Unevaluated name :math:`D_{\mathrm{KL}}(q \| p)`, for display."""

    nargs = 2

    def _latex(self, printer, exp=None):
        first, second = (printer._print(arg) for arg in self.args)
        return rf"D_{{\mathrm{{KL}}}}\left({first} \,\|\, {second}\right)"


def cross_entropy_sum(first=q, second=p, n=K):
    r"""The sum :math:`-\sum_{i=1}^{K} q_i \log p_i` (natural logarithm)."""
    return -sp.Sum(first[i] * sp.log(second[i]), (i, 1, n))


def entropy_sum(dist=q, n=K):
    r"""The sum :math:`-\sum_{i=1}^{K} q_i \log q_i`."""
    return -sp.Sum(dist[i] * sp.log(dist[i]), (i, 1, n))


def kl_sum(first=q, second=p, n=K):
    r"""The sum :math:`\sum_{i=1}^{K} q_i \log (q_i / p_i)`."""
    return sp.Sum(first[i] * sp.log(first[i] / second[i]), (i, 1, n))


def definitions(n=K):
    """The three definitions ``name = sum``.

    Returns
    -------
    dict
        ``{"cross_entropy": Definition, "entropy": Definition,
        "kl": Definition}``;
        their ``equation()`` is what the chapter displays.
    """
    return {
        "cross_entropy": Definition(CrossEntropy(q, p),
                                    cross_entropy_sum(n=n)),
        "entropy": Definition(Entropy(q), entropy_sum(n=n)),
        "kl": Definition(KLDivergence(q, p), kl_sum(n=n)),
    }


def expand_definitions(expr, n=K):
    """Replace the names H(q, p), H(q), D_KL(q || p) in ``expr`` by their sums."""
    return expr.subs({d.lhs: d.rhs for d in definitions(n).values()})


def termwise_identity():
    r"""One term of the sum: :math:`-q_i \log p_i = -q_i \log q_i + q_i \log(q_i/p_i)`.

    True because :math:`\log(q_i/p_i) = \log q_i - \log p_i` for positive
    :math:`q_i, p_i`: it is the "log of a quotient" step.

    Examples
    --------
    >>> termwise_identity().holds()
    True
    """
    return Identity(
        -q[i] * sp.log(p[i]),
        sp.Add(-q[i] * sp.log(q[i]), q[i] * sp.log(q[i] / p[i]), evaluate=False),
    )


def linearity_identity(n=K):
    r"""Linearity of a finite sum: :math:`\sum (a_i + b_i) = \sum a_i + \sum b_i`.

    Stated with the two terms of :func:`termwise_identity` as :math:`a_i, b_i`
    (the constant factor :math:`-1` of :math:`a_i` moves out of its sum).

    Examples
    --------
    >>> linearity_identity().holds()
    True
    """
    a = -q[i] * sp.log(q[i])
    b = q[i] * sp.log(q[i] / p[i])
    return Identity(
        sp.Sum(sp.Add(a, b, evaluate=False), (i, 1, n)),  # keep a before b
        sp.Add(entropy_sum(n=n), kl_sum(n=n), evaluate=False),
    )


def decomposition(n=K):
    r"""The identity :math:`H(q,p) = H(q) + D_{\mathrm{KL}}(q\|p)` as sums.

    Parameters
    ----------
    n : sympy expression or int, optional
        Number of outcomes; the symbolic ``K`` by default.

    Returns
    -------
    Identity
        ``-Sum(q_i log p_i) = -Sum(q_i log q_i) + Sum(q_i log(q_i/p_i))``.

    Examples
    --------
    >>> decomposition().holds()
    True
    """
    return Identity(cross_entropy_sum(n=n), entropy_sum(n=n) + kl_sum(n=n))


def decomposition_chain(n=K):
    """The derivation as a list of equal expressions, first to last.

    ``H(q, p)`` → its sum → the sum of per-term splits
    (:func:`termwise_identity`) → two sums (:func:`linearity_identity`) →
    ``H(q) + D_KL(q || p)``. Consecutive entries are equal once the names are
    expanded with :func:`expand_definitions`; the chapter checks every link.
    """
    a = -q[i] * sp.log(q[i])
    b = q[i] * sp.log(q[i] / p[i])
    return [
        CrossEntropy(q, p),
        cross_entropy_sum(n=n),
        sp.Sum(sp.Add(a, b, evaluate=False), (i, 1, n)),
        sp.Add(entropy_sum(n=n), kl_sum(n=n), evaluate=False),
        sp.Add(Entropy(q), KLDivergence(q, p), evaluate=False),
    ]


def self_cross_entropy(n=K):
    """``H(q, q) = H(q)``: the cross-entropy of a distribution with itself.

    Examples
    --------
    >>> self_cross_entropy().holds()
    True
    """
    return Identity(cross_entropy_sum(n=n).subs(p, q), entropy_sum(n=n))


def one_hot_cross_entropy(n=K):
    r"""With a one-hot ``q = e_k``: :math:`-\sum_i \delta_{ik} \log p_i = -\log p_k`.

    The right-hand side holds for a label :math:`1 \le k \le K`, a stated
    hypothesis of the identity.

    Examples
    --------
    >>> one_hot_cross_entropy().holds()
    True
    """
    lhs = -sp.Sum(sp.KroneckerDelta(i, k) * sp.log(p[i]), (i, 1, n))
    return Identity(lhs, -sp.log(p[k]),
                    (index_range(k, n, name="k is the label"),))


def one_hot_holds(n=K):
    """True when the sum of :func:`one_hot_cross_entropy` is ``-log p_k``.

    Examples
    --------
    >>> one_hot_holds()
    True
    """
    return one_hot_cross_entropy(n).holds()


def lagrangian(n=K):
    r"""Cross-entropy plus a multiplier for :math:`\sum_i p_i = 1`.

    .. math::

        \mathcal{L}(p, \lambda) = -\sum_{i=1}^{K} q_i \log p_i
            + \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)
    """
    constraint = sp.Add(sp.Sum(p[i], (i, 1, n)), -1, evaluate=False)
    return sp.Add(cross_entropy_sum(n=n), lam * constraint, evaluate=False)


def stationarity(n=K):
    r"""The derivative :math:`\partial \mathcal{L} / \partial p_j` for general K.

    SymPy differentiates the sum term by term (a Kronecker delta picks out
    :math:`i = j`) and returns a ``Piecewise`` for "is ``j`` among ``1..K``";
    the branch for :math:`1 \le j \le K` is returned.

    Examples
    --------
    >>> stationarity()
    lambda - q[j]/p[j]
    """
    derivative = sp.simplify(sp.diff(lagrangian(n), p[j]))
    if isinstance(derivative, sp.Piecewise):
        derivative = derivative.args[0].expr  # the branch for j <= K
    return derivative


def stationary_point(n=K):
    r"""Solve the stationarity conditions with the constraint, general K.

    From :math:`\lambda - q_j/p_j = 0`, :math:`p_j = q_j / \lambda`; summing
    over :math:`j` and using :math:`\sum_j p_j = 1` gives
    :math:`\lambda = \sum_j q_j = 1`, hence :math:`p_j = q_j`.

    Returns
    -------
    dict
        ``{"p_j": q_j / lambda, "lambda": Sum(q_j), "p_j_normalised": q_j}``,
        the last one after substituting :math:`\sum_j q_j = 1`.
    """
    (p_j,) = sp.solve(stationarity(n), p[j])
    total = sp.factor_terms(sp.Sum(p_j, (j, 1, n)))  # pull 1/lambda out
    (multiplier,) = sp.solve(sp.Eq(total, 1), lam)
    normalised = p_j.subs(lam, multiplier).subs(sp.Sum(q[j], (j, 1, n)), 1)
    return {"p_j": p_j, "lambda": multiplier, "p_j_normalised": normalised}


def lagrange_solution(k):
    """Solve the Lagrange system for a concrete number ``k`` of outcomes.

    Returns
    -------
    (solution, q_symbols, p_symbols)
        ``solution`` maps each ``p_1..p_k`` and ``lambda`` to its value in
        terms of ``q_1..q_k`` (before using ``sum(q) = 1``).
    """
    qs = sp.symbols(f"q1:{k + 1}", positive=True)
    ps = sp.symbols(f"p1:{k + 1}", positive=True)
    objective = -sum(qk * sp.log(pk) for qk, pk in zip(qs, ps))
    lagr = objective + lam * (sum(ps) - 1)
    equations = [sp.diff(lagr, v) for v in (*ps, lam)]
    (solution,) = sp.solve(equations, [*ps, lam], dict=True)
    return solution, qs, ps


def zero_log_zero_limit():
    r""":math:`\lim_{x \to 0^+} x \log x = 0`, the reason for ``0 log 0 = 0``.

    Examples
    --------
    >>> zero_log_zero_limit().holds()
    True
    """
    x = sp.Symbol("x", positive=True)
    limit = sp.Limit(x * sp.log(x), x, 0, "+")
    return Identity(limit, limit.doit())


def minus_log_limit():
    r""":math:`\lim_{x \to 0^+} (-\log x) = \infty`: a zero probability costs ∞.

    Examples
    --------
    >>> minus_log_limit().rhs
    oo
    """
    x = sp.Symbol("x", positive=True)
    limit = sp.Limit(-sp.log(x), x, 0, "+")
    return Identity(limit, limit.doit())


def at_k(expr, k):
    """Substitute ``K = k``, expand the sums, and use plain symbols.

    Returns
    -------
    (expression, q_symbols, p_symbols)
        ``q[1..k]`` and ``p[1..k]`` become the positive symbols ``q1..qk``,
        ``p1..pk``, ready for :func:`sympy.lambdify`.
    """
    qs = sp.symbols(f"q1:{k + 1}", positive=True)
    ps = sp.symbols(f"p1:{k + 1}", positive=True)
    concrete = expr.subs(K, k).doit()
    replace = {q[m + 1]: qs[m] for m in range(k)}
    replace.update({p[m + 1]: ps[m] for m in range(k)})
    return concrete.subs(replace), qs, ps


def chain_latex(exprs, *, first_alone=False):
    r"""LaTeX of ``e0 = e1 = ...`` with one equality per line (``aligned``).

    Factors keep the order in which they were written (``q_i \log p_i``,
    not ``\log p_i \, q_i``). With ``first_alone=True`` the first
    expression gets a line of its own (for a long left-hand side).
    """
    parts = [sp.latex(e, order="none") for e in exprs]
    if first_alone:
        lines = [rf"& {parts[0]}"] + [rf"&= {part}" for part in parts[1:]]
    else:
        lines = [rf"{parts[0]} &= {parts[1]}"]
        lines += [rf"&= {part}" for part in parts[2:]]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
