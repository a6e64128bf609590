r"""SymPy derivations for chapter 2, *Entropy*.

The distribution is an indexed family ``p[i]`` (SymPy ``IndexedBase``, declared
positive) over a **general** number of outcomes ``K``, summed with
``Sum(..., (i, 1, K))``. Logarithms are natural (nats); dividing by
:math:`\log 2` gives bits.

The main result is that the uniform distribution maximises entropy, found
with a Lagrange multiplier for :math:`\sum_i p_i = 1`:

1. :func:`lagrangian` builds :math:`\mathcal{L} = H(p) - \lambda(\sum_i p_i - 1)`;
2. :func:`stationarity` differentiates it with respect to :math:`p_j`;
3. :func:`stationary_point` solves: :math:`p_j = e^{-1-\lambda}`, the same
   for every :math:`j`, so the constraint forces :math:`p_j = 1/K`;
4. :func:`uniform_entropy` evaluates :math:`H = \log K` there;
5. :func:`entropy_hessian` shows :math:`H` is strictly concave, so the
   stationary point is the global maximum.

See chapter 2, *Entropy*.
"""

import sympy as sp

from ._core import Identity

__all__ = [
    "K",
    "i",
    "j",
    "k",
    "p",
    "lam",
    "x",
    "Entropy",
    "entropy_sum",
    "expected_surprise",
    "lagrangian",
    "stationarity",
    "stationary_point",
    "uniform_entropy",
    "entropy_hessian",
    "lagrange_solution",
    "at_k",
    "binary_entropy_bits",
    "binary_entropy_derivative",
    "binary_entropy_maximum",
]

#: Number of outcomes, indices, the distribution and the multiplier.
from .symbols import K, i, j, k, p, lam  # noqa: E402 - shared symbols
#: The probability of "1" in the binary case, strictly between 0 and 1.
x = sp.Symbol("x", positive=True)


class Entropy(sp.Function):
    """Unevaluated name :math:`H(p)`, for display (also used by cross_entropy)."""

    nargs = 1

    def _latex(self, printer, exp=None):
        return rf"H\left({printer._print(self.args[0])}\right)"


def entropy_sum(n=K):
    r"""The sum :math:`-\sum_{i=1}^{n} p_i \log p_i` (nats).

    Examples
    --------
    >>> entropy_sum(2).doit()
    -log(p[1])*p[1] - log(p[2])*p[2]
    """
    return -sp.Sum(p[i] * sp.log(p[i]), (i, 1, n))


def expected_surprise(n=K):
    r"""Entropy as expected surprise: :math:`\sum_i p_i(-\log p_i) = -\sum_i p_i \log p_i`.

    The left side is the definition (the average of the surprisal
    :math:`-\log p_i` under :math:`p`); the right side the usual way of
    writing it.

    Examples
    --------
    >>> expected_surprise().holds()
    True
    """
    # Unevaluated product, so that the display keeps the factor -log p_i.
    surprise_term = sp.Mul(p[i], -sp.log(p[i]), evaluate=False)
    return Identity(sp.Sum(surprise_term, (i, 1, n)), entropy_sum(n))


def lagrangian(n=K):
    r"""Entropy with a multiplier for the constraint :math:`\sum_i p_i = 1`.

    .. math::

        \mathcal{L}(p, \lambda) = -\sum_{i=1}^{K} p_i \log p_i
            - \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)

    The sign in front of :math:`\lambda` is a convention; with a minus the
    solution reads :math:`p_j = e^{-1-\lambda}`.
    """
    return entropy_sum(n) - lam * (sp.Sum(p[i], (i, 1, n)) - 1)


def _branch_inside(expr):
    """The ``Piecewise`` branch for an index ``j`` inside ``1..K``.

    Differentiating ``Sum(f(p[i]), (i, 1, K))`` by ``p[j]`` gives a Kronecker
    delta, which SymPy sums to ``Piecewise((f'(p[j]), j <= K), (0, True))``.
    """
    return sp.refine(expr, sp.Q.le(j, K))


def stationarity(n=K):
    r"""The derivative :math:`\partial \mathcal{L} / \partial p_j`, general K.

    Returns
    -------
    sympy.Expr
        :math:`-\log p_j - 1 - \lambda`; the condition is that it vanishes.

    Examples
    --------
    >>> stationarity()
    -lambda - log(p[j]) - 1
    """
    derivative = sp.diff(lagrangian(n), p[j]).doit()
    return sp.simplify(_branch_inside(derivative))


def stationary_point(n=K):
    r"""Solve the stationarity condition, then the constraint, general K.

    From :math:`-\log p_j - 1 - \lambda = 0`, :math:`p_j = e^{-1-\lambda}`:
    the same value for every :math:`j`. The constraint
    :math:`\sum_{j=1}^{K} e^{-1-\lambda} = K e^{-1-\lambda} = 1` then gives
    :math:`\lambda = \log K - 1` and :math:`p_j = 1/K`.

    Returns
    -------
    dict
        ``{"p_j": exp(-1 - lambda), "constraint": Eq(sum, 1),
        "lambda": log(K) - 1, "p_j_normalised": 1/K}``.

    Examples
    --------
    >>> solution = stationary_point()
    >>> solution["p_j"], solution["lambda"], solution["p_j_normalised"]
    (exp(-lambda - 1), log(K) - 1, 1/K)
    """
    (p_j,) = sp.solve(stationarity(n), p[j])
    if j in p_j.free_symbols:
        raise AssertionError("the stationary p_j should not depend on j")
    constraint = sp.Eq(sp.Sum(p_j, (j, 1, n)), 1)
    (multiplier,) = sp.solve(constraint.doit(), lam)
    return {
        "p_j": p_j,
        "constraint": constraint,
        "lambda": sp.simplify(multiplier),
        "p_j_normalised": sp.simplify(p_j.subs(lam, multiplier)),
    }


def uniform_entropy(n=K):
    r"""Entropy of the uniform distribution: :math:`-\sum_{i=1}^{K} \frac1K \log \frac1K = \log K`.

    Examples
    --------
    >>> uniform_entropy().holds()
    True
    >>> uniform_entropy().rhs
    log(K)
    """
    uniform = sp.Sum(-(1 / n) * sp.log(1 / n), (i, 1, n))
    value = sp.expand_log(sp.simplify(uniform.doit()), force=True)
    return Identity(uniform, value)


def entropy_hessian(n=K):
    r"""Second derivatives :math:`\partial^2 H / \partial p_j \partial p_k`.

    Returns
    -------
    sympy.Expr
        :math:`-\delta_{jk} / p_j`: the Hessian is diagonal with negative
        entries, so :math:`H` is strictly concave where all :math:`p_i > 0`.

    Examples
    --------
    >>> entropy_hessian()
    -KroneckerDelta(j, k)/p[j]
    """
    second = sp.diff(entropy_sum(n), p[j], p[k]).doit()
    return sp.simplify(_branch_inside(second))


def lagrange_solution(n):
    """Solve the Lagrange system for a concrete number ``n`` of outcomes.

    An independent check of :func:`stationary_point`: all ``n + 1``
    equations (``n`` derivatives and the constraint) solved at once with
    plain symbols ``p1..pn``.

    Returns
    -------
    (solutions, p_symbols)
        ``solutions`` is SymPy's list of solution dicts.

    Examples
    --------
    >>> solutions, ps = lagrange_solution(3)
    >>> [solutions[0][v] for v in ps]
    [1/3, 1/3, 1/3]
    """
    ps = sp.symbols(f"p1:{n + 1}", positive=True)
    objective = -sum(v * sp.log(v) for v in ps)
    lagr = objective - lam * (sum(ps) - 1)
    equations = [sp.diff(lagr, v) for v in (*ps, lam)]
    return sp.solve(equations, [*ps, lam], dict=True), ps


def at_k(expr, n):
    """Substitute ``K = n``, expand the sums, and use plain symbols ``p1..pn``.

    Returns
    -------
    (expression, p_symbols)
        Ready for :func:`sympy.lambdify`.

    Examples
    --------
    >>> at_k(entropy_sum(), 2)
    (-p1*log(p1) - p2*log(p2), (p1, p2))
    """
    ps = sp.symbols(f"p1:{n + 1}", positive=True)
    concrete = expr.subs(K, n).doit()
    return concrete.subs({p[m + 1]: ps[m] for m in range(n)}), ps


def binary_entropy_bits():
    r"""Binary entropy in bits, :math:`h(x) = -x\log_2 x - (1-x)\log_2(1-x)`.

    Examples
    --------
    >>> binary_entropy_bits().subs(x, sp.Rational(1, 2)).simplify()
    1
    """
    return (-x * sp.log(x) - (1 - x) * sp.log(1 - x)) / sp.log(2)


def binary_entropy_derivative():
    r""":math:`h'(x) = \log_2 \frac{1-x}{x}`, derived and simplified.

    Examples
    --------
    >>> binary_entropy_derivative()
    log((1 - x)/x)/log(2)
    """
    derivative = sp.diff(binary_entropy_bits(), x)
    return sp.simplify(sp.logcombine(sp.expand(derivative * sp.log(2)), force=True)
                       ) / sp.log(2)


def binary_entropy_maximum():
    """Where :math:`h'(x) = 0` and what :math:`h` and :math:`h''` are there.

    Returns
    -------
    dict
        ``{"x": 1/2, "h": 1, "second_derivative": -4/log(2)}`` (bits).

    Examples
    --------
    >>> binary_entropy_maximum()["x"], binary_entropy_maximum()["h"]
    (1/2, 1)
    """
    (argmax,) = sp.solve(sp.diff(binary_entropy_bits(), x), x)
    return {
        "x": argmax,
        "h": sp.simplify(binary_entropy_bits().subs(x, argmax)),
        "second_derivative": sp.simplify(
            sp.diff(binary_entropy_bits(), x, 2).subs(x, argmax)
        ),
    }
