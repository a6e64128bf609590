"""Derivations for chapter 3, *KL divergence*.

Each function returns SymPy objects that the chapter checks and renders:
the definitions, the closed form between two Gaussians (as an integral that
SymPy evaluates), the lemma ``log x <= x - 1`` behind Gibbs' inequality, and
the moment-matching solution of the forward-KL fit.
"""

from dataclasses import dataclass

import sympy as sp

from ._core import Identity

__all__ = [
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
]


# The discrete setting: K outcomes, index i, distributions q[i] and p[i]
# (positive, so that SymPy may split log(q/p)).
from .symbols import i as _i, K as _K, q as _q, p as _p  # noqa: E402


def _kl_symbol(q="q", p="p"):
    """The symbol D_KL(q || p), for the left-hand side of a display."""
    return sp.Symbol(rf"D_{{\mathrm{{KL}}}}({q} \,\|\, {p})")


def kl_discrete_definition():
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
    i, q, p = _i, _q, _p
    # unevaluated, so that sp.latex(..., order="none") prints q_i before the log
    term = sp.Mul(q[i], sp.log(q[i] / p[i]), evaluate=False)
    rhs = sp.Sum(term, (i, 1, _K))
    return sp.Eq(_kl_symbol(), rhs, evaluate=False)


def kl_continuous_definition():
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


def gaussian_density(x, mu, sigma):
    r"""The normal density :math:`e^{-(x-\mu)^2/2\sigma^2} / \sqrt{2\pi}\sigma`."""
    return sp.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sp.sqrt(2 * sp.pi) * sigma)


def gaussian_kl_symbols():
    """Symbols ``x, mu_q, sigma_q, mu_p, sigma_p`` (real; sigmas positive)."""
    x, mu_q, mu_p = sp.symbols("x mu_q mu_p", real=True)
    sigma_q, sigma_p = sp.symbols("sigma_q sigma_p", positive=True)
    return x, mu_q, sigma_q, mu_p, sigma_p


def gaussian_kl_textbook():
    r"""The textbook closed form of KL between two univariate Gaussians.

    .. math:: \log\frac{\sigma_p}{\sigma_q}
              + \frac{\sigma_q^2 + (\mu_q-\mu_p)^2}{2\sigma_p^2} - \frac12
    """
    _, mu_q, sigma_q, mu_p, sigma_p = gaussian_kl_symbols()
    return (sp.log(sigma_p / sigma_q)
            + (sigma_q**2 + (mu_q - mu_p) ** 2) / (2 * sigma_p**2)
            - sp.Rational(1, 2))


@dataclass(frozen=True)
class GaussianKL:
    """The two-Gaussian KL derivation: integrand, integral, and the check."""

    log_ratio: sp.Expr  #: log(q(x)/p(x)) expanded: a quadratic in x
    log_ratio_identity: Identity  #: the compact form = the expanded one
    integrand: sp.Expr  #: q(x) log(q(x)/p(x)), the log expanded
    integral: sp.Integral  #: the unevaluated integral over the real line
    identity: Identity  #: SymPy's value of the integral = the textbook form


def gaussian_kl_integral():
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
    compact = (sp.log(sigma_p / sigma_q)
               - sp.Add(x, -mu_q, evaluate=False) ** 2 / (2 * sigma_q**2)
               + sp.Add(x, -mu_p, evaluate=False) ** 2 / (2 * sigma_p**2))
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

    def holds(self):
        """True when the gap is convex with its only critical point at 1, value 0.

        A convex differentiable function on ``x > 0`` whose derivative vanishes
        at 1 has its global minimum there, so the gap is never negative, and
        (strict convexity) zero only at ``x = 1``.
        """
        return (self.critical_points == [1]
                and self.value_at_one == 0
                and bool(self.curvature.is_positive))


def log_bound():
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


def gibbs_sum_bound():
    r"""The last step of Gibbs' proof: :math:`\sum q_i (p_i/q_i - 1) = \sum p_i - \sum q_i`.

    The sums run over the ``K`` outcomes where ``q_i > 0``.

    Examples
    --------
    >>> gibbs_sum_bound().holds()
    True
    """
    i, q, p = _i, _q, _p
    lhs = sp.Sum(q[i] * (p[i] / q[i] - 1), (i, 1, _K))
    rhs = sp.Sum(p[i], (i, 1, _K)) - sp.Sum(q[i], (i, 1, _K))
    return Identity(lhs, rhs)


def mixture_moment_identities():
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
    mixture = (w * gaussian_density(x, mu_1, sigma_1)
               + (1 - w) * gaussian_density(x, mu_2, sigma_2))
    claims = [
        sp.Integer(1),
        w * mu_1 + (1 - w) * mu_2,
        w * (sigma_1**2 + mu_1**2) + (1 - w) * (sigma_2**2 + mu_2**2),
    ]
    return [
        # expand() cancels the erfc terms of SymPy's antiderivative
        Identity(sp.expand(sp.integrate(sp.expand(x**n * mixture),
                                        (x, -sp.oo, sp.oo))), claim)
        for n, claim in enumerate(claims)
    ]


def expected_square_identity():
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


def forward_kl_cross_entropy():
    r"""The part of :math:`D_{\mathrm{KL}}(m\,\|\,\mathcal N(\mu,\sigma^2))` that depends on the fit.

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
    expr = (sp.log(2 * sp.pi * sigma**2) / 2
            + (spread**2 + (mean - mu) ** 2) / (2 * sigma**2))
    return expr, (mu, sigma, mean, spread)


def forward_kl_minimiser():
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
    expr, (mu, sigma, mean, spread) = forward_kl_cross_entropy()
    gradient = [sp.diff(expr, v) for v in (mu, sigma)]
    solutions = sp.solve(gradient, [mu, sigma], dict=True)
    if len(solutions) != 1:
        raise RuntimeError(f"expected one stationary point, got {solutions}")
    solution = solutions[0]
    hessian = sp.hessian(expr, (mu, sigma)).subs(solution)
    return solution, sp.simplify(hessian)
