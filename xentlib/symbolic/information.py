r"""Information, entropy, KL divergence and cross-entropy, derived in SymPy.

The derivations of Part I of the book, by concept:

* **Surprise** (chapter 1): the additivity argument that forces
  :math:`I(p) = -c \log p` (:func:`additivity_equation` ...
  :func:`forced_surprisal`), and the unit (:func:`unit_constant`).
* **Entropy** (chapter 2): expected surprise, the uniform distribution as
  the maximum (a Lagrange multiplier, ``max_entropy_*``), binary entropy.
* **KL divergence** (chapter 3): definitions, Gibbs' inequality, the
  closed form between two Gaussians, the forward-KL fit.
* **Cross-entropy** (chapter 4): :math:`H(q, p) = H(q) + D(q \| p)` for a
  symbolic number of outcomes ``K``, minimised at :math:`p = q`
  (``min_cross_entropy_*``), one-hot targets, the boundary limits.

Distributions are the shared indexed families ``q[i]``, ``p[i]`` of
:mod:`xentlib.symbolic.symbols`, summed with ``Sum(..., (i, 1, K))``;
logarithms are natural (nats). Every claim is an
:class:`~xentlib.symbolic.Identity` that checks itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ._core import Definition, Identity, index_range
from .printing import book_latex
from .symbols import K, i, j, k, lam, p, q

__all__ = [
    "surprise_symbols",
    "additivity_equation",
    "differentiated_equation",
    "differentiated_at_one",
    "surprisal_ode",
    "general_solution",
    "forced_surprisal",
    "additivity_identity",
    "unit_constant",
    "surprisal_in_base",
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
    "max_entropy_lagrangian",
    "max_entropy_stationarity",
    "max_entropy_stationary_point",
    "uniform_entropy",
    "entropy_hessian",
    "max_entropy_lagrange_solution",
    "at_k_one_distribution",
    "binary_entropy_bits",
    "binary_entropy_derivative",
    "binary_entropy_maximum",
    "kl_discrete_definition",
    "kl_continuous_definition",
    "gaussian_density",
    "gaussian_kl_symbols",
    "gaussian_kl_textbook",
    "gaussian_kl_integral",
    "LogBound",
    "log_bound",
    "gibbs_sum_bound",
    "mixture_moment_identities",
    "expected_square_identity",
    "forward_kl_cross_entropy",
    "forward_kl_minimiser",
    "GaussianKL",
    "q",
    "CrossEntropy",
    "KLDivergence",
    "cross_entropy_sum",
    "kl_sum",
    "definitions",
    "expand_definitions",
    "termwise_identity",
    "linearity_identity",
    "decomposition",
    "decomposition_chain",
    "self_cross_entropy",
    "one_hot_cross_entropy",
    "one_hot_holds",
    "min_cross_entropy_lagrangian",
    "min_cross_entropy_stationarity",
    "min_cross_entropy_stationary_point",
    "min_cross_entropy_lagrange_solution",
    "zero_log_zero_limit",
    "minus_log_limit",
    "at_k",
    "chain_latex",
]


# === surprise (chapter 1) =====================================================


# Probabilities of the two events; both lie in (0, 1], so positive.
_event_p, _event_q = sp.symbols("p q", positive=True)
# c = -I'(1): positive because information decreases with probability.
_c = sp.Symbol("c", positive=True)
_I = sp.Function("I")


def _latex_prime(function: sp.Function, printer: LatexPrinter) -> str:
    return r"I'\left(" + printer._print(function.args[0]) + r"\right)"


# Display name for the derivative of I, so that I'(pq) prints as such rather
# than as SymPy's Subs(Derivative(I(xi), xi), xi, p*q); LaTeX without the
# upright \operatorname that SymPy gives multi-character names.
_I_prime = sp.Function("I'", _latex=_latex_prime)


def surprise_symbols() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, type[sp.Function]]:
    """The symbols of the derivation: ``(p, q, c, I)``.

    ``p`` and ``q`` are positive probabilities, ``c`` the positive constant
    :math:`-I'(1)`, ``I`` the undetermined information function.

    Examples
    --------
    >>> p, q, c, I = surprise_symbols()
    >>> I(p * q)
    I(p*q)
    """
    return _event_p, _event_q, _c, _I


def additivity_equation() -> sp.Eq:
    """The additivity axiom for independent events, as an equation.

    .. math:: I(p\\,q) = I(p) + I(q)

    Two independent events of probabilities :math:`p` and :math:`q` happen
    together with probability :math:`pq`; learning both should inform as much
    as learning one, then the other. This is an assumption (an axiom), not an
    identity: it holds for some functions :math:`I` and not for others.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> additivity_equation()
    Eq(I(p*q), I(p) + I(q))
    """
    return sp.Eq(_I(_event_p * _event_q), _I(_event_p) + _I(_event_q))


def _prime_notation(expression: sp.Expr) -> sp.Expr:
    """Rewrite derivatives of ``I`` as ``I'(argument)`` for display."""

    def is_derivative_of_I(node: sp.Basic) -> bool:
        return (
            isinstance(node, sp.Derivative)
            and node.expr.func == _I
            and len(node.variables) == 1
        )

    def at_point(node: sp.Basic) -> bool:
        # d/dxi I(xi) evaluated at a point: SymPy's chain-rule output.
        return isinstance(node, sp.Subs) and is_derivative_of_I(node.expr)

    expression = expression.replace(at_point, lambda node: _I_prime(node.point[0]))
    return expression.replace(
        is_derivative_of_I, lambda node: _I_prime(node.variables[0])
    )


def differentiated_equation() -> sp.Eq:
    """Both sides of :func:`additivity_equation` differentiated in ``q``.

    .. math:: p\\,I'(p\\,q) = I'(q)

    SymPy applies the chain rule to :math:`I(pq)`; the result is rewritten
    with :math:`I'` for display (the function ``I'`` is a display name for
    the derivative of ``I``).

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> differentiated_equation()
    Eq(p*I'(p*q), I'(q))
    """
    axiom = additivity_equation()
    return sp.Eq(
        _prime_notation(sp.diff(axiom.lhs, _event_q)),
        _prime_notation(sp.diff(axiom.rhs, _event_q)),
    )


def differentiated_at_one() -> sp.Eq:
    """:func:`differentiated_equation` at ``q = 1``.

    .. math:: p\\,I'(p) = I'(1)

    The right side no longer depends on :math:`p`: it is a constant.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> differentiated_at_one()
    Eq(p*I'(p), I'(1))
    """
    return differentiated_equation().subs(_event_q, 1)


def surprisal_ode() -> sp.Eq:
    """:func:`differentiated_at_one` with the constant named ``I'(1) = -c``.

    .. math:: p\\,\\frac{dI}{dp} = -c

    Information decreases with probability, so :math:`I'(1) \\le 0`; the
    minus sign makes :math:`c` positive. The equation is returned with a
    SymPy ``Derivative``, ready for :func:`sympy.dsolve`.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> surprisal_ode()
    Eq(p*Derivative(I(p), p), -c)
    """
    ode = differentiated_at_one().subs(_I_prime(1), -_c)
    # The only I' left is I'(p): make it a derivative that dsolve can read.
    return ode.replace(_I_prime, lambda argument: sp.Derivative(_I(_event_p), _event_p))


def general_solution() -> sp.Eq:
    """The general solution of :func:`surprisal_ode`, from :func:`sympy.dsolve`.

    .. math:: I(p) = C_1 - c\\log p

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq
        ``I(p) = C1 - c*log(p)``; ``C1`` is SymPy's integration constant.

    Examples
    --------
    >>> general_solution()
    Eq(I(p), C1 - c*log(p))
    """
    return sp.dsolve(surprisal_ode(), _I(_event_p))


def forced_surprisal() -> sp.Eq:
    """The solution with ``I(1) = 0``: a certain event carries no information.

    .. math:: I(p) = -c\\log p

    The integration constant is found by solving :math:`I(1) = 0` for
    :math:`C_1` and substituting it back.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> forced_surprisal()
    Eq(I(p), -c*log(p))
    """
    solution = general_solution()
    constant = (solution.rhs.free_symbols - {_event_p, _c}).pop()
    value = sp.solve(sp.Eq(solution.rhs.subs(_event_p, 1), 0), constant)[0]
    return sp.Eq(solution.lhs, solution.rhs.subs(constant, value))


def additivity_identity(information: Callable[[sp.Expr], sp.Expr]) -> Identity:
    """The axiom as an :class:`Identity` for a given function of ``p``.

    .. math:: f(p\\,q) = f(p) + f(q)

    Parameters
    ----------
    information : callable
        Maps a SymPy expression (a probability) to a SymPy expression.

    Returns
    -------
    Identity
        ``.holds()`` is True exactly when SymPy proves ``f`` additive.

    Examples
    --------
    >>> p, q, c, I = surprise_symbols()
    >>> additivity_identity(lambda x: -c * sp.log(x)).holds()
    True
    >>> additivity_identity(lambda x: 1 - x).holds()
    False
    """
    return Identity(
        information(_event_p * _event_q), information(_event_p) + information(_event_q)
    )


def unit_constant(base: int | sp.Expr) -> sp.Expr:
    """The constant ``c`` that makes one outcome in ``base`` worth one unit.

    Solves :math:`-c\\log(1/b) = 1` for :math:`c`:

    .. math:: c = \\frac{1}{\\log b}

    ``base=2`` gives bits, ``base=sp.E`` nats (``c = 1``).

    See chapter 1, *Surprise*.

    Examples
    --------
    >>> unit_constant(2)
    1/log(2)
    >>> print(f"{float(unit_constant(2)):.4f}")
    1.4427
    """
    (constant,) = sp.solve(sp.Eq(-_c * sp.log(sp.Integer(1) / base), 1), _c)
    return constant


def surprisal_in_base(base: int | sp.Expr) -> sp.Eq:
    """Surprise in units of ``base``: :func:`forced_surprisal` with ``c`` fixed.

    .. math:: I_b(p) = -\\frac{\\ln p}{\\ln b} = -\\log_b p

    ``c`` comes from :func:`unit_constant`; the subscript of ``I`` names the
    unit's base.

    See chapter 1, *Surprise*.

    Examples
    --------
    >>> surprisal_in_base(2)
    Eq(I_2(p), -log(p)/log(2))
    >>> p = surprise_symbols()[0]
    >>> one_in_eight = surprisal_in_base(2).rhs.subs(p, sp.Rational(1, 8))
    >>> sp.simplify(one_in_eight)
    3
    """
    in_units = forced_surprisal().rhs.subs(_c, unit_constant(base))
    return sp.Eq(sp.Function(f"I_{base}")(_event_p), in_units)


# === entropy (chapter 2) ======================================================

#: The probability of "1" in the binary case, strictly between 0 and 1.
x = sp.Symbol("x", positive=True)


class Entropy(sp.Function):
    """Unevaluated name :math:`H(p)`, for display."""

    nargs = 1

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        return rf"H\left({printer._print(self.args[0])}\right)"


def expected_surprise(n: int | sp.Expr = K) -> Identity:
    r"""Entropy as expected surprise:
    :math:`\sum_i p_i(-\log p_i) = -\sum_i p_i \log p_i`.

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
    return Identity(sp.Sum(surprise_term, (i, 1, n)), entropy_sum(p, n))


def max_entropy_lagrangian(n: int | sp.Expr = K) -> sp.Expr:
    r"""Entropy with a multiplier for the constraint :math:`\sum_i p_i = 1`.

    .. math::

        \mathcal{L}(p, \lambda) = -\sum_{i=1}^{K} p_i \log p_i
            - \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)

    The sign in front of :math:`\lambda` is a convention; with a minus the
    solution reads :math:`p_j = e^{-1-\lambda}`.
    """
    return entropy_sum(p, n) - lam * (sp.Sum(p[i], (i, 1, n)) - 1)


def _branch_inside(expr: sp.Expr) -> sp.Expr:
    """The ``Piecewise`` branch for an index ``j`` inside ``1..K``.

    Differentiating ``Sum(f(p[i]), (i, 1, K))`` by ``p[j]`` gives a Kronecker
    delta, which SymPy sums to ``Piecewise((f'(p[j]), j <= K), (0, True))``.
    """
    return sp.refine(expr, sp.Q.le(j, K))


def max_entropy_stationarity(n: int | sp.Expr = K) -> sp.Expr:
    r"""The derivative :math:`\partial \mathcal{L} / \partial p_j`, general K.

    Returns
    -------
    sympy.Expr
        :math:`-\log p_j - 1 - \lambda`; the condition is that it vanishes.

    Examples
    --------
    >>> max_entropy_stationarity()
    -lambda - log(p[j]) - 1
    """
    derivative = sp.diff(max_entropy_lagrangian(n), p[j]).doit()
    return sp.simplify(_branch_inside(derivative))


def max_entropy_stationary_point(n: int | sp.Expr = K) -> dict[str, sp.Basic]:
    r"""Solve the max_entropy_stationarity condition, then the constraint, general K.

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
    >>> solution = max_entropy_stationary_point()
    >>> solution["p_j"], solution["lambda"], solution["p_j_normalised"]
    (exp(-lambda - 1), log(K) - 1, 1/K)
    """
    (p_j,) = sp.solve(max_entropy_stationarity(n), p[j])
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


def uniform_entropy(n: int | sp.Expr = K) -> Identity:
    r"""Entropy of the uniform distribution:
    :math:`-\sum_{i=1}^{K} \frac1K \log \frac1K = \log K`.

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


def entropy_hessian(n: int | sp.Expr = K) -> sp.Expr:
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
    second = sp.diff(entropy_sum(p, n), p[j], p[k]).doit()
    return sp.simplify(_branch_inside(second))


def max_entropy_lagrange_solution(
    n: int,
) -> tuple[list[dict[sp.Symbol, sp.Expr]], tuple[sp.Symbol, ...]]:
    """Solve the Lagrange system for a concrete number ``n`` of outcomes.

    An independent check of :func:`max_entropy_stationary_point`: all ``n + 1``
    equations (``n`` derivatives and the constraint) solved at once with
    plain symbols ``p1..pn``.

    Returns
    -------
    (solutions, p_symbols)
        ``solutions`` is SymPy's list of solution dicts.

    Examples
    --------
    >>> solutions, ps = max_entropy_lagrange_solution(3)
    >>> [solutions[0][v] for v in ps]
    [1/3, 1/3, 1/3]
    """
    ps = sp.symbols(f"p1:{n + 1}", positive=True)
    objective = -sum(v * sp.log(v) for v in ps)
    lagr = objective - lam * (sum(ps) - 1)
    equations = [sp.diff(lagr, v) for v in (*ps, lam)]
    return sp.solve(equations, [*ps, lam], dict=True), ps


def at_k_one_distribution(
    expr: sp.Expr, n: int
) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Substitute ``K = n``, expand the sums, and use plain symbols ``p1..pn``.

    Returns
    -------
    (expression, p_symbols)
        Ready for :func:`sympy.lambdify`.

    Examples
    --------
    >>> at_k_one_distribution(entropy_sum(p), 2)
    (-p1*log(p1) - p2*log(p2), (p1, p2))
    """
    ps = sp.symbols(f"p1:{n + 1}", positive=True)
    concrete = expr.subs(K, n).doit()
    return concrete.subs({p[m + 1]: ps[m] for m in range(n)}), ps


def binary_entropy_bits() -> sp.Expr:
    r"""Binary entropy in bits, :math:`h(x) = -x\log_2 x - (1-x)\log_2(1-x)`.

    Examples
    --------
    >>> binary_entropy_bits().subs(x, sp.Rational(1, 2)).simplify()
    1
    """
    return (-x * sp.log(x) - (1 - x) * sp.log(1 - x)) / sp.log(2)


def binary_entropy_derivative() -> sp.Expr:
    r""":math:`h'(x) = \log_2 \frac{1-x}{x}`, derived and simplified.

    Examples
    --------
    >>> binary_entropy_derivative()
    log((1 - x)/x)/log(2)
    """
    derivative = sp.diff(binary_entropy_bits(), x)
    return sp.simplify(
        sp.logcombine(sp.expand(derivative * sp.log(2)), force=True)
    ) / sp.log(2)


def binary_entropy_maximum() -> dict[str, sp.Expr]:
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


# === KL divergence (chapter 3) ================================================


def _kl_symbol(q: str = "q", p: str = "p") -> sp.Symbol:
    """The symbol D_KL(q || p), for the left-hand side of a display."""
    return sp.Symbol(rf"D_{{\mathrm{{KL}}}}({q} \,\|\, {p})")


def kl_discrete_definition() -> sp.Eq:
    r"""``D_KL(q || p) = sum_i q_i log(q_i / p_i)`` over ``K`` outcomes.

    Returns
    -------
    sympy.Eq
        The definition, with indexed symbols ``q[i]``, ``p[i]`` and a symbolic
        number of outcomes ``K``.

    Examples
    --------
    >>> print(kl_discrete_definition().rhs)
    Sum(log(q[i]/p[i])*q[i], (i, 1, K))
    """
    # unevaluated, so that sp.latex(..., order="none") prints q_i before the log
    term = sp.Mul(q[i], sp.log(q[i] / p[i]), evaluate=False)
    rhs = sp.Sum(term, (i, 1, K))
    return sp.Eq(_kl_symbol(), rhs, evaluate=False)


def kl_continuous_definition() -> sp.Eq:
    r"""``D_KL(q || p) = integral q(x) log(q(x) / p(x)) dx`` over the real line.

    Examples
    --------
    >>> print(kl_continuous_definition().rhs)
    Integral(q(x)*log(q(x)/p(x)), (x, -oo, oo))
    """
    x = sp.Symbol("x", real=True)
    q, p = sp.Function("q"), sp.Function("p")
    rhs = sp.Integral(q(x) * sp.log(q(x) / p(x)), (x, -sp.oo, sp.oo))
    return sp.Eq(_kl_symbol(), rhs, evaluate=False)


def gaussian_density(x: sp.Expr, mu: sp.Expr, sigma: sp.Expr) -> sp.Expr:
    r"""The normal density :math:`e^{-(x-\mu)^2/2\sigma^2} / \sqrt{2\pi}\sigma`."""
    return sp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sp.sqrt(2 * sp.pi) * sigma)


def gaussian_kl_symbols() -> tuple[sp.Symbol, ...]:
    """Symbols ``x, mu_q, sigma_q, mu_p, sigma_p`` (real; sigmas positive)."""
    x, mu_q, mu_p = sp.symbols("x mu_q mu_p", real=True)
    sigma_q, sigma_p = sp.symbols("sigma_q sigma_p", positive=True)
    return x, mu_q, sigma_q, mu_p, sigma_p


def gaussian_kl_textbook() -> sp.Expr:
    r"""The textbook closed form of KL between two univariate Gaussians.

    .. math:: \log\frac{\sigma_p}{\sigma_q}
              + \frac{\sigma_q^2 + (\mu_q-\mu_p)^2}{2\sigma_p^2} - \frac12
    """
    _, mu_q, sigma_q, mu_p, sigma_p = gaussian_kl_symbols()
    return (
        sp.log(sigma_p / sigma_q)
        + (sigma_q**2 + (mu_q - mu_p) ** 2) / (2 * sigma_p**2)
        - sp.Rational(1, 2)
    )


@dataclass(frozen=True)
class GaussianKL:
    """The two-Gaussian KL derivation: integrand, integral, and the check."""

    log_ratio: sp.Expr  #: log(q(x)/p(x)), expanded, which is a quadratic in x
    log_ratio_identity: Identity  #: the compact form = the expanded one
    integrand: sp.Expr  #: q(x) log(q(x)/p(x)), the log expanded
    integral: sp.Integral  #: the unevaluated integral over the real line
    identity: Identity  #: SymPy's value of the integral = the textbook form


def gaussian_kl_integral() -> GaussianKL:
    r"""Evaluate :math:`\int q \log(q/p)\,dx` for two Gaussians with SymPy.

    The log of the ratio is expanded first (both densities are positive), so
    the integrand is a Gaussian times a quadratic in ``x``; SymPy integrates
    it over the real line.

    Returns
    -------
    GaussianKL
        ``identity.lhs`` is SymPy's result, ``identity.rhs`` the textbook
        form of :func:`gaussian_kl_textbook`; ``identity.holds()`` checks them.

    Examples
    --------
    >>> derivation = gaussian_kl_integral()
    >>> derivation.identity.holds(), derivation.log_ratio_identity.holds()
    (True, True)
    """
    x, mu_q, sigma_q, mu_p, sigma_p = gaussian_kl_symbols()
    q = gaussian_density(x, mu_q, sigma_q)
    p = gaussian_density(x, mu_p, sigma_p)
    # log(q/p) = log q - log p: a quadratic in x, valid because q, p > 0
    log_ratio = sp.expand(sp.expand_log(sp.log(q) - sp.log(p), force=True))
    integrand = q * log_ratio
    # the same quadratic as a display shows it (print with order="none")
    compact = (
        sp.log(sigma_p / sigma_q)
        - sp.Add(x, -mu_q, evaluate=False) ** 2 / (2 * sigma_q**2)
        + sp.Add(x, -mu_p, evaluate=False) ** 2 / (2 * sigma_p**2)
    )
    value = sp.integrate(sp.expand(integrand), (x, -sp.oo, sp.oo))
    return GaussianKL(
        log_ratio=log_ratio,
        log_ratio_identity=Identity(compact, log_ratio),
        integrand=integrand,
        integral=sp.Integral(q * sp.log(q / p), (x, -sp.oo, sp.oo)),
        # expand() cancels the erfc terms of SymPy's piecewise antiderivative
        identity=Identity(sp.expand(value), gaussian_kl_textbook()),
    )


@dataclass(frozen=True)
class LogBound:
    """The facts behind ``log x <= x - 1`` for ``x > 0``, each a SymPy object."""

    x: sp.Symbol
    gap: sp.Expr  #: x - 1 - log x, claimed >= 0
    critical_points: list  #: solutions of gap'(x) = 0
    value_at_one: sp.Expr  #: gap(1)
    curvature: sp.Expr  #: gap''(x)

    def holds(self) -> bool:
        """True when the gap is convex with its only critical point at 1, value 0.

        A convex differentiable function on ``x > 0`` whose derivative vanishes
        at 1 has its global minimum there, so the gap is never negative, and
        (strict convexity) zero only at ``x = 1``.
        """
        return (
            self.critical_points == [1]
            and self.value_at_one == 0
            and bool(self.curvature.is_positive)
        )


def log_bound() -> LogBound:
    r"""The lemma :math:`\log x \le x - 1` (equality only at 1), as checkable facts.

    Examples
    --------
    >>> lemma = log_bound()
    >>> lemma.holds(), lemma.curvature
    (True, x**(-2))
    """
    x = sp.Symbol("x", positive=True)
    gap = x - 1 - sp.log(x)
    return LogBound(
        x=x,
        gap=gap,
        critical_points=sp.solve(sp.diff(gap, x), x),
        value_at_one=gap.subs(x, 1),
        curvature=sp.diff(gap, x, 2),
    )


def gibbs_sum_bound() -> Identity:
    r"""The last step of Gibbs' proof:
    :math:`\sum q_i (p_i/q_i - 1) = \sum p_i - \sum q_i`.

    The sums run over the ``K`` outcomes where ``q_i > 0``.

    Examples
    --------
    >>> gibbs_sum_bound().holds()
    True
    """
    lhs = sp.Sum(q[i] * (p[i] / q[i] - 1), (i, 1, K))
    rhs = sp.Sum(p[i], (i, 1, K)) - sp.Sum(q[i], (i, 1, K))
    return Identity(lhs, rhs)


def mixture_moment_identities() -> list[Identity]:
    r"""Mass, mean and second moment of a two-component Gaussian mixture.

    Integrates :math:`x^n m(x)` for ``n = 0, 1, 2`` over the real line, with
    :math:`m = w\,\mathcal N(\mu_1,\sigma_1^2) + (1-w)\,\mathcal N(\mu_2,\sigma_2^2)`.

    Returns
    -------
    list of Identity
        ``integral = closed form`` for the three moments: ``1``,
        :math:`\sum_k w_k\mu_k` and :math:`\sum_k w_k(\sigma_k^2+\mu_k^2)`.
        The left-hand sides are evaluated integrals (SymPy's results).
    """
    x = sp.Symbol("x", real=True)
    w = sp.Symbol("w", positive=True)
    mu_1, mu_2 = sp.symbols("mu_1 mu_2", real=True)
    sigma_1, sigma_2 = sp.symbols("sigma_1 sigma_2", positive=True)
    mixture = w * gaussian_density(x, mu_1, sigma_1) + (1 - w) * gaussian_density(
        x, mu_2, sigma_2
    )
    claims = [
        sp.Integer(1),
        w * mu_1 + (1 - w) * mu_2,
        w * (sigma_1**2 + mu_1**2) + (1 - w) * (sigma_2**2 + mu_2**2),
    ]
    return [
        # expand() cancels the erfc terms of SymPy's antiderivative
        Identity(
            sp.expand(sp.integrate(sp.expand(x**n * mixture), (x, -sp.oo, sp.oo))),
            claim,
        )
        for n, claim in enumerate(claims)
    ]


def expected_square_identity() -> Identity:
    r"""Expected squared distance from ``mu``: :math:`\bar\sigma^2 + (\bar\mu-\mu)^2`.

    By linearity, :math:`\mathbb E[(X-\mu)^2] = \mathbb E[X^2] - 2\mu\,\mathbb E[X]
    + \mu^2`, and :math:`\mathbb E[X^2] = \bar\sigma^2 + \bar\mu^2`.

    Examples
    --------
    >>> expected_square_identity().holds()
    True
    """
    _, (mu, _, mean, spread) = forward_kl_cross_entropy()
    second_moment = spread**2 + mean**2
    by_linearity = second_moment - 2 * mu * mean + mu**2
    return Identity(by_linearity, spread**2 + (mean - mu) ** 2)


def forward_kl_cross_entropy() -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    r"""The part of :math:`D_{\mathrm{KL}}(m\,\|\,\mathcal N(\mu,\sigma^2))`
    that depends on the fit.

    For any density ``m`` with mean :math:`\bar\mu` and variance
    :math:`\bar\sigma^2`,
    :math:`\mathbb E_m[(X-\mu)^2] = \bar\sigma^2 + (\bar\mu-\mu)^2`, so

    .. math:: -\mathbb E_m[\log \mathcal N(X;\mu,\sigma^2)]
              = \tfrac12\log(2\pi\sigma^2)
              + \frac{\bar\sigma^2 + (\bar\mu-\mu)^2}{2\sigma^2}.

    Returns
    -------
    (sympy.Expr, tuple)
        The expression and its symbols ``(mu, sigma, mean, spread)``, where
        ``spread`` is the standard deviation :math:`\bar\sigma` of ``m``.
    """
    mu, mean = sp.symbols(r"mu \bar{\mu}", real=True)
    sigma, spread = sp.symbols(r"sigma \bar{\sigma}", positive=True)
    expr = sp.log(2 * sp.pi * sigma**2) / 2 + (spread**2 + (mean - mu) ** 2) / (
        2 * sigma**2
    )
    return expr, (mu, sigma, mean, spread)


def forward_kl_minimiser() -> tuple[dict[sp.Symbol, sp.Expr], sp.Matrix]:
    r"""Solve the forward-KL fit: the stationary point and its Hessian there.

    Returns
    -------
    (dict, sympy.Matrix)
        The solution ``{mu: mean, sigma: spread}`` (the only
        stationary point with ``sigma > 0``) and the Hessian of
        :func:`forward_kl_cross_entropy` in ``(mu, sigma)`` at it.

    Examples
    --------
    >>> solution, hessian = forward_kl_minimiser()
    >>> sorted(str(value) for value in solution.values())
    ['\\bar{\\mu}', '\\bar{\\sigma}']
    """
    expr, (mu, sigma, _mean, _spread) = forward_kl_cross_entropy()
    gradient = [sp.diff(expr, v) for v in (mu, sigma)]
    solutions = sp.solve(gradient, [mu, sigma], dict=True)
    if len(solutions) != 1:
        raise RuntimeError(f"expected one stationary point, got {solutions}")
    solution = solutions[0]
    hessian = sp.hessian(expr, (mu, sigma)).subs(solution)
    return solution, sp.simplify(hessian)


# === cross-entropy (chapter 4) ================================================


class CrossEntropy(sp.Function):
    """Unevaluated name :math:`H(q, p)`, for display; see :func:`definitions`."""

    nargs = 2

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        first, second = (printer._print(arg) for arg in self.args)
        return rf"H\left({first}, {second}\right)"


class KLDivergence(sp.Function):
    r"""Unevaluated name :math:`D_{\mathrm{KL}}(q \| p)`, for display."""

    nargs = 2

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        first, second = (printer._print(arg) for arg in self.args)
        return rf"D_{{\mathrm{{KL}}}}\left({first} \,\|\, {second}\right)"


def cross_entropy_sum(
    first: sp.IndexedBase = q, second: sp.IndexedBase = p, n: int | sp.Expr = K
) -> sp.Expr:
    r"""The sum :math:`-\sum_{i=1}^{K} q_i \log p_i` (natural logarithm)."""
    return -sp.Sum(first[i] * sp.log(second[i]), (i, 1, n))


def entropy_sum(dist: sp.IndexedBase = q, n: int | sp.Expr = K) -> sp.Expr:
    r"""The sum :math:`-\sum_{i=1}^{K} q_i \log q_i`."""
    return -sp.Sum(dist[i] * sp.log(dist[i]), (i, 1, n))


def kl_sum(
    first: sp.IndexedBase = q, second: sp.IndexedBase = p, n: int | sp.Expr = K
) -> sp.Expr:
    r"""The sum :math:`\sum_{i=1}^{K} q_i \log (q_i / p_i)`."""
    return sp.Sum(first[i] * sp.log(first[i] / second[i]), (i, 1, n))


def definitions(n: int | sp.Expr = K) -> dict[str, Definition]:
    """The three definitions ``name = sum``.

    Returns
    -------
    dict
        ``{"cross_entropy": Definition, "entropy": Definition,
        "kl": Definition}``;
        their ``equation()`` is what the chapter displays.
    """
    return {
        "cross_entropy": Definition(CrossEntropy(q, p), cross_entropy_sum(n=n)),
        "entropy": Definition(Entropy(q), entropy_sum(n=n)),
        "kl": Definition(KLDivergence(q, p), kl_sum(n=n)),
    }


def expand_definitions(expr: sp.Expr, n: int | sp.Expr = K) -> sp.Expr:
    """Replace the names H(q, p), H(q), D_KL(q || p) in ``expr`` by their sums."""
    return expr.subs({d.lhs: d.rhs for d in definitions(n).values()})


def termwise_identity() -> Identity:
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


def linearity_identity(n: int | sp.Expr = K) -> Identity:
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


def decomposition(n: int | sp.Expr = K) -> Identity:
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


def decomposition_chain(n: int | sp.Expr = K) -> list[sp.Expr]:
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


def self_cross_entropy(n: int | sp.Expr = K) -> Identity:
    """``H(q, q) = H(q)``: the cross-entropy of a distribution with itself.

    Examples
    --------
    >>> self_cross_entropy().holds()
    True
    """
    return Identity(cross_entropy_sum(n=n).subs(p, q), entropy_sum(n=n))


def one_hot_cross_entropy(n: int | sp.Expr = K) -> Identity:
    r"""With a one-hot ``q = e_k``: :math:`-\sum_i \delta_{ik} \log p_i = -\log p_k`.

    The right-hand side holds for a label :math:`1 \le k \le K`, a stated
    hypothesis of the identity.

    Examples
    --------
    >>> one_hot_cross_entropy().holds()
    True
    """
    lhs = -sp.Sum(sp.KroneckerDelta(i, k) * sp.log(p[i]), (i, 1, n))
    return Identity(lhs, -sp.log(p[k]), (index_range(k, n, name="k is the label"),))


def one_hot_holds(n: int | sp.Expr = K) -> bool:
    """True when the sum of :func:`one_hot_cross_entropy` is ``-log p_k``.

    Examples
    --------
    >>> one_hot_holds()
    True
    """
    return one_hot_cross_entropy(n).holds()


def min_cross_entropy_lagrangian(n: int | sp.Expr = K) -> sp.Expr:
    r"""Cross-entropy plus a multiplier for :math:`\sum_i p_i = 1`.

    .. math::

        \mathcal{L}(p, \lambda) = -\sum_{i=1}^{K} q_i \log p_i
            + \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)
    """
    constraint = sp.Add(sp.Sum(p[i], (i, 1, n)), -1, evaluate=False)
    return sp.Add(cross_entropy_sum(n=n), lam * constraint, evaluate=False)


def min_cross_entropy_stationarity(n: int | sp.Expr = K) -> sp.Expr:
    r"""The derivative :math:`\partial \mathcal{L} / \partial p_j` for general K.

    SymPy differentiates the sum term by term (a Kronecker delta picks out
    :math:`i = j`) and returns a ``Piecewise`` for "is ``j`` among ``1..K``";
    the branch for :math:`1 \le j \le K` is returned.

    Examples
    --------
    >>> min_cross_entropy_stationarity()
    lambda - q[j]/p[j]
    """
    derivative = sp.simplify(sp.diff(min_cross_entropy_lagrangian(n), p[j]))
    if isinstance(derivative, sp.Piecewise):
        derivative = derivative.args[0].expr  # the branch for j <= K
    return derivative


def min_cross_entropy_stationary_point(n: int | sp.Expr = K) -> dict[str, sp.Expr]:
    r"""Solve the min_cross_entropy_stationarity conditions with the constraint,
    general K.

    From :math:`\lambda - q_j/p_j = 0`, :math:`p_j = q_j / \lambda`; summing
    over :math:`j` and using :math:`\sum_j p_j = 1` gives
    :math:`\lambda = \sum_j q_j = 1`, hence :math:`p_j = q_j`.

    Returns
    -------
    dict
        ``{"p_j": q_j / lambda, "lambda": Sum(q_j), "p_j_normalised": q_j}``,
        the last one after substituting :math:`\sum_j q_j = 1`.
    """
    (p_j,) = sp.solve(min_cross_entropy_stationarity(n), p[j])
    total = sp.factor_terms(sp.Sum(p_j, (j, 1, n)))  # pull 1/lambda out
    (multiplier,) = sp.solve(sp.Eq(total, 1), lam)
    normalised = p_j.subs(lam, multiplier).subs(sp.Sum(q[j], (j, 1, n)), 1)
    return {"p_j": p_j, "lambda": multiplier, "p_j_normalised": normalised}


def min_cross_entropy_lagrange_solution(
    k: int,
) -> tuple[dict[sp.Symbol, sp.Expr], tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """Solve the Lagrange system for a concrete number ``k`` of outcomes.

    Returns
    -------
    (solution, q_symbols, p_symbols)
        ``solution`` maps each ``p_1..p_k`` and ``lambda`` to its value in
        terms of ``q_1..q_k`` (before using ``sum(q) = 1``).
    """
    qs = sp.symbols(f"q1:{k + 1}", positive=True)
    ps = sp.symbols(f"p1:{k + 1}", positive=True)
    objective = -sum(qk * sp.log(pk) for qk, pk in zip(qs, ps, strict=True))
    lagr = objective + lam * (sum(ps) - 1)
    equations = [sp.diff(lagr, v) for v in (*ps, lam)]
    (solution,) = sp.solve(equations, [*ps, lam], dict=True)
    return solution, qs, ps


def zero_log_zero_limit() -> Identity:
    r""":math:`\lim_{x \to 0^+} x \log x = 0`, the reason for ``0 log 0 = 0``.

    Examples
    --------
    >>> zero_log_zero_limit().holds()
    True
    """
    x = sp.Symbol("x", positive=True)
    limit = sp.Limit(x * sp.log(x), x, 0, "+")
    return Identity(limit, limit.doit())


def minus_log_limit() -> Identity:
    r""":math:`\lim_{x \to 0^+} (-\log x) = \infty`: a zero probability costs ∞.

    Examples
    --------
    >>> minus_log_limit().rhs
    oo
    """
    x = sp.Symbol("x", positive=True)
    limit = sp.Limit(-sp.log(x), x, 0, "+")
    return Identity(limit, limit.doit())


def at_k(
    expr: sp.Expr, k: int
) -> tuple[sp.Expr, tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
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


def chain_latex(exprs: Sequence[sp.Expr], *, first_alone: bool = False) -> str:
    r"""LaTeX of ``e0 = e1 = ...`` with one equality per line (``aligned``).

    Factors keep the order in which they were written (``q_i \log p_i``,
    not ``\log p_i \, q_i``). With ``first_alone=True`` the first
    expression gets a line of its own (for a long left-hand side).
    """
    parts = [book_latex(e, order="none") for e in exprs]
    if first_alone:
        lines = [rf"& {parts[0]}"] + [rf"&= {part}" for part in parts[1:]]
    else:
        lines = [rf"{parts[0]} &= {parts[1]}"]
        lines += [rf"&= {part}" for part in parts[2:]]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
