r"""SymPy derivations for chapter 8, *Maximum likelihood*.

Three likelihoods become three losses:

* **Bernoulli.** ``n`` flips ``y[i]`` in ``{0, 1}`` (an ``IndexedBase``, a
  symbolic ``n``) with probability of heads ``theta``. The log-likelihood is a
  symbolic sum; SymPy differentiates it, solves the score equation and finds
  the sample mean :math:`\hat\theta = k / n` with :math:`k = \sum_i y_i`
  (:func:`bernoulli_mle`). Per flip, the negative log-likelihood is the binary
  cross-entropy (:func:`bernoulli_nll_identity`), and its average is the
  cross-entropy of the empirical distribution against the model
  (:func:`average_nll_identity`, :func:`average_nll_decomposition`).
* **Categorical.** Counts ``n_j`` of ``K`` classes (a symbolic ``K``): a
  Lagrange multiplier for :math:`\sum_j p_j = 1` gives the empirical
  frequencies :math:`p_j = n_j / N` (:func:`categorical_mle`).
* **Gaussian with a fixed** :math:`\sigma`. The negative log-density is the
  squared error over :math:`2\sigma^2` plus a constant
  (:func:`gaussian_nll_identity`); the MLE of the mean is the sample mean
  (:func:`gaussian_mle`).

Finally, the gradients with respect to a logit ``z`` of the squared error
and of the cross-entropy of :math:`\sigma(z)` (:func:`logit_gradients`), and
what they do for a confidently wrong prediction (:func:`wrong_limits`).

See chapter 8, *Maximum likelihood*.
"""

from __future__ import annotations

import sympy as sp

from ._core import Identity, definition, positive
from .symbols import K, i, j, lam, p
from .symbols import sigmoid as _sigmoid

__all__ = [
    "theta",
    "n",
    "i",
    "y",
    "k",
    "ybar",
    "y1",
    "K",
    "j",
    "N",
    "counts",
    "p",
    "lam",
    "mu",
    "sigma",
    "z",
    "bernoulli_pmf",
    "bernoulli_nll_identity",
    "bernoulli_log_likelihood",
    "log_likelihood_in_counts",
    "bernoulli_mle",
    "average_nll_identity",
    "average_nll_decomposition",
    "categorical_log_likelihood",
    "categorical_lagrangian",
    "categorical_stationarity",
    "categorical_mle",
    "categorical_lagrange_solution",
    "gaussian_density",
    "gaussian_nll_identity",
    "gaussian_nll_sum",
    "gaussian_mle",
    "sigmoid",
    "squared_error_on_sigmoid",
    "cross_entropy_on_sigmoid",
    "logit_gradients",
    "wrong_limits",
]

#: The Bernoulli model's probability of heads, the number of flips and the
#: flips (the flip index is the shared ``i``).
theta = sp.Symbol("theta", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", real=True)
#: Number of heads, the sample mean k / n, and one flip (0 or 1).
k = sp.Symbol("k", integer=True, nonnegative=True)
ybar = sp.Symbol(r"\bar{y}", positive=True)
y1 = sp.Symbol("y", real=True)
#: For the categorical model (shared ``K``, ``j``, ``p``, ``lam``): the
#: number of observations and the counts n_j.
N = sp.Symbol("N", positive=True)
counts = sp.IndexedBase("n", positive=True)
#: The Gaussian's mean and (fixed) standard deviation, and the logit.
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
z = sp.Symbol("z", real=True)


#: Hypotheses of the Bernoulli derivations: the probability of heads and the
#: sample mean lie below one (both are declared positive), and ``k`` is
#: the number of heads.
theta_below_one = positive(1 - theta, name="theta < 1")
mean_below_one = positive(1 - ybar, name="mean < 1")
heads_defined = definition(k, sp.Sum(y[i], (i, 1, n)), name="k is the number of heads")


def _minus(factor: sp.Expr, log_term: sp.Expr) -> sp.Expr:
    """``-factor * log_term`` kept as written (SymPy would distribute the -1)."""
    return sp.Mul(sp.Integer(-1), factor, log_term, evaluate=False)


# --- Bernoulli ---------------------------------------------------------------


def bernoulli_pmf(outcome: sp.Expr = y1) -> sp.Expr:
    r"""The Bernoulli probability :math:`\theta^{y} (1 - \theta)^{1 - y}`.

    It is :math:`\theta` at :math:`y = 1` and :math:`1 - \theta` at
    :math:`y = 0`: one formula for both outcomes.

    Examples
    --------
    >>> bernoulli_pmf().subs(y1, 0)
    1 - theta
    """
    return theta**outcome * (1 - theta) ** (1 - outcome)


def bernoulli_nll_identity() -> Identity:
    r""":math:`-\log\big(\theta^{y}(1-\theta)^{1-y}\big)
    = -y\log\theta - (1-y)\log(1-\theta)`.

    The negative log-likelihood of one flip is the binary cross-entropy of
    the label :math:`y` against the prediction :math:`\theta`.

    Examples
    --------
    >>> bernoulli_nll_identity().holds()
    True
    """
    rhs = sp.Add(-y1 * sp.log(theta), _minus(1 - y1, sp.log(1 - theta)), evaluate=False)
    return Identity(-sp.log(bernoulli_pmf()), rhs, (theta_below_one,))


def bernoulli_log_likelihood(size: int | sp.Expr = n) -> sp.Expr:
    r"""The log-likelihood
    :math:`\sum_{i=1}^{n} \big(y_i \log\theta + (1-y_i)\log(1-\theta)\big)`.

    The logarithm of :math:`\prod_i \theta^{y_i}(1-\theta)^{1-y_i}` for
    independent flips, with a symbolic number of flips ``n``.
    """
    term = sp.Add(y[i] * sp.log(theta), (1 - y[i]) * sp.log(1 - theta), evaluate=False)
    return sp.Sum(term, (i, 1, size))


def _heads(size: int | sp.Expr = n) -> sp.Expr:
    """The number of heads, :math:`\\sum_i y_i`, as a symbolic sum."""
    return sp.Sum(y[i], (i, 1, size))


def _in_counts(expr: sp.Expr, size: int | sp.Expr = n) -> sp.Expr:
    """Expand sums, pull constants out, and write :math:`\\sum_i y_i` as k."""
    return sp.factor_terms(sp.expand(expr).doit()).subs(_heads(size), k)


def log_likelihood_in_counts() -> Identity:
    r"""The sum over flips depends on the data only through :math:`k = \sum_i y_i`.

    .. math::

        \sum_{i=1}^{n} \big(y_i \log\theta + (1-y_i)\log(1-\theta)\big)
        = k \log\theta + (n - k)\log(1 - \theta).

    Examples
    --------
    >>> log_likelihood_in_counts().holds()
    True
    """
    rhs = sp.Add(k * sp.log(theta), (n - k) * sp.log(1 - theta), evaluate=False)
    return Identity(bernoulli_log_likelihood(), rhs, (theta_below_one, heads_defined))


def bernoulli_mle() -> dict[str, sp.Expr]:
    r"""Solve :math:`d \log L / d\theta = 0` and check the second derivative.

    SymPy differentiates the sum over flips, writes :math:`\sum_i y_i` as
    :math:`k`, and solves.

    Returns
    -------
    dict
        ``"score"``: :math:`k/\theta - (n-k)/(1-\theta)`;
        ``"theta_hat"``: :math:`k/n`, the sample mean;
        ``"second"``: :math:`-k/\theta^2 - (n-k)/(1-\theta)^2`;
        ``"second_at_mle"``: :math:`-n^3 / (k(n-k))`, negative for
        :math:`0 < k < n`, so the stationary point is a maximum.

    Examples
    --------
    >>> bernoulli_mle()["theta_hat"]
    k/n
    """
    log_l = bernoulli_log_likelihood()
    score = _in_counts(sp.diff(log_l, theta))
    (theta_hat,) = sp.solve(score, theta)
    second = _in_counts(sp.diff(log_l, theta, 2))
    return {
        "score": sp.simplify(score),
        "theta_hat": theta_hat,
        "second": second,
        "second_at_mle": sp.factor(sp.simplify(second.subs(theta, theta_hat))),
    }


def average_nll_identity() -> Identity:
    r"""Per flip, the negative log-likelihood is a cross-entropy.

    .. math::

        -\frac{1}{n}\big(k\log\theta + (n-k)\log(1-\theta)\big)
        = -\bar y \log\theta - (1 - \bar y)\log(1 - \theta),
        \qquad \bar y = k / n,

    the cross-entropy :math:`H(\hat q, p_\theta)` of the empirical
    distribution :math:`\hat q = (\bar y, 1 - \bar y)` against the model
    :math:`p_\theta = (\theta, 1 - \theta)`.

    Examples
    --------
    >>> average_nll_identity().holds()
    True
    """
    lhs = -log_likelihood_in_counts().rhs / n
    rhs = sp.Add(
        -ybar * sp.log(theta), _minus(1 - ybar, sp.log(1 - theta)), evaluate=False
    )
    return Identity(lhs.subs(k, ybar * n), rhs, (theta_below_one, mean_below_one))


def average_nll_decomposition() -> Identity:
    r""":math:`H(\hat q, p_\theta) = h(\bar y)
    + D_{\mathrm{KL}}(\hat q \,\|\, p_\theta)`.

    The cross-entropy of the two-outcome empirical distribution against the
    model splits into its entropy, which does not depend on :math:`\theta`,
    and the KL divergence: maximising the likelihood minimises the KL.

    Examples
    --------
    >>> average_nll_decomposition().holds()
    True
    """
    entropy = -ybar * sp.log(ybar) - (1 - ybar) * sp.log(1 - ybar)
    kl = ybar * sp.log(ybar / theta) + (1 - ybar) * sp.log((1 - ybar) / (1 - theta))
    return Identity(
        average_nll_identity().rhs,
        sp.Add(entropy, kl, evaluate=False),
        (theta_below_one, mean_below_one),
    )


# --- categorical -------------------------------------------------------------


def categorical_log_likelihood(classes: int | sp.Expr = K) -> sp.Expr:
    r""":math:`\log L(p) = \sum_{j=1}^{K} n_j \log p_j` for class counts :math:`n_j`."""
    return sp.Sum(counts[j] * sp.log(p[j]), (j, 1, classes))


def categorical_lagrangian(classes: int | sp.Expr = K) -> sp.Expr:
    r"""The log-likelihood with a multiplier for :math:`\sum_j p_j = 1`.

    .. math::

        \mathcal{L}(p, \lambda) = \sum_{j=1}^{K} n_j \log p_j
            - \lambda \Big(\sum_{j=1}^{K} p_j - 1\Big)
    """
    constraint = sp.Add(sp.Sum(p[j], (j, 1, classes)), -1, evaluate=False)
    return sp.Add(
        categorical_log_likelihood(classes), -lam * constraint, evaluate=False
    )


def categorical_stationarity(classes: int | sp.Expr = K) -> tuple[sp.Expr, sp.Symbol]:
    r"""The derivative :math:`\partial \mathcal{L} / \partial p_m` for general K.

    SymPy differentiates the sums term by term (a Kronecker delta picks the
    term :math:`j = m`) and returns a ``Piecewise`` on :math:`1 \le m \le K`;
    the branch inside is returned.

    Returns
    -------
    (derivative, m)
        :math:`n_m / p_m - \lambda` and the index symbol :math:`m`.

    Examples
    --------
    >>> derivative, m = categorical_stationarity()
    >>> derivative
    -lambda + n[m]/p[m]
    """
    m = sp.Symbol("m", integer=True, positive=True)
    derivative = sp.diff(categorical_lagrangian(classes), p[m]).doit()
    derivative = sp.simplify(sp.refine(derivative, sp.Q.le(m, classes)))
    return derivative, m


def categorical_mle(classes: int | sp.Expr = K) -> dict[str, sp.Expr]:
    r"""Solve the stationarity conditions with the constraint, general K.

    From :math:`n_m / p_m - \lambda = 0`, :math:`p_m = n_m / \lambda`;
    summing over :math:`m` with :math:`\sum_m p_m = 1` gives
    :math:`\lambda = \sum_m n_m = N`, hence :math:`p_m = n_m / N`, the
    empirical frequency.

    Returns
    -------
    dict
        ``{"p_m": n_m / lambda, "lambda": Sum(n_m), "p_m_normalised":
        n_m / N, "m": m}``, the last after writing :math:`\sum_m n_m = N`.

    Examples
    --------
    >>> categorical_mle()["p_m_normalised"]
    n[m]/N
    """
    derivative, m = categorical_stationarity(classes)
    (p_m,) = sp.solve(derivative, p[m])
    total = sp.factor_terms(sp.Sum(p_m, (m, 1, classes)))  # 1/lambda out
    (multiplier,) = sp.solve(sp.Eq(total, 1), lam)
    normalised = p_m.subs(lam, multiplier).subs(sp.Sum(counts[m], (m, 1, classes)), N)
    return {"p_m": p_m, "lambda": multiplier, "p_m_normalised": normalised, "m": m}


def categorical_lagrange_solution(
    classes: int,
) -> tuple[dict[sp.Symbol, sp.Expr], tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """Solve the Lagrange system for a concrete number of classes at once.

    An independent check of :func:`categorical_mle` with plain symbols.

    Returns
    -------
    (solution, count_symbols, p_symbols)
        ``solution`` maps each ``p1..pK`` and ``lambda`` to its value in
        terms of the counts ``n1..nK``.

    Examples
    --------
    >>> solution, ns, ps = categorical_lagrange_solution(2)
    >>> solution[ps[0]]
    n1/(n1 + n2)
    """
    ns = sp.symbols(f"n1:{classes + 1}", positive=True)
    ps = sp.symbols(f"p1:{classes + 1}", positive=True)
    objective = sum(c * sp.log(v) for c, v in zip(ns, ps, strict=True))
    lagr = objective - lam * (sum(ps) - 1)
    equations = [sp.diff(lagr, v) for v in (*ps, lam)]
    (solution,) = sp.solve(equations, [*ps, lam], dict=True)
    return solution, ns, ps


# --- Gaussian ----------------------------------------------------------------


def gaussian_density(outcome: sp.Expr = y1) -> sp.Expr:
    r"""The normal density
    :math:`\frac{1}{\sqrt{2\pi\sigma^2}} e^{-(y-\mu)^2/(2\sigma^2)}`."""
    return sp.exp(-((outcome - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(
        2 * sp.pi * sigma**2
    )


def gaussian_nll_identity() -> Identity:
    r""":math:`-\log \mathcal N(y; \mu, \sigma^2) = \frac{(y-\mu)^2}{2\sigma^2}
    + \frac12 \log(2\pi\sigma^2)`.

    For a fixed :math:`\sigma`, the second term is a constant: the negative
    log-likelihood is the squared error, scaled by :math:`1/(2\sigma^2)`.

    Examples
    --------
    >>> gaussian_nll_identity().holds()
    True
    """
    rhs = sp.Add(
        (y1 - mu) ** 2 / (2 * sigma**2),
        sp.log(2 * sp.pi * sigma**2) / 2,
        evaluate=False,
    )
    return Identity(-sp.log(gaussian_density()), rhs)


def gaussian_nll_sum(size: int | sp.Expr = n) -> sp.Expr:
    r""":math:`\sum_{i=1}^{n} \big((y_i - \mu)^2 / (2\sigma^2)
    + \tfrac12\log(2\pi\sigma^2)\big)`."""
    term = gaussian_nll_identity().rhs.subs(y1, y[i])
    return sp.Sum(term, (i, 1, size))


def gaussian_mle(size: int | sp.Expr = n) -> dict[str, sp.Expr]:
    r"""Minimise the Gaussian negative log-likelihood over :math:`\mu`.

    Returns
    -------
    dict
        ``"derivative"``: :math:`\partial/\partial\mu` of :func:`gaussian_nll_sum`
        as SymPy computes it (expanded, constants out of the sum);
        ``"mu_hat"``: :math:`\frac1n \sum_i y_i`, the sample mean;
        ``"second"``: :math:`n / \sigma^2 > 0`, so it is a minimum of the
        negative log-likelihood (a maximum of the likelihood).

    Examples
    --------
    >>> gaussian_mle()["mu_hat"]
    Sum(y[i], (i, 1, n))/n
    """
    nll = gaussian_nll_sum(size)
    derivative = sp.factor_terms(sp.expand(sp.diff(nll, mu)).doit())
    (mu_hat,) = sp.solve(derivative, mu)
    second = sp.simplify(sp.expand(sp.diff(nll, mu, 2)).doit())
    return {"derivative": derivative, "mu_hat": mu_hat, "second": second}


# --- a logit: squared error vs cross-entropy ---------------------------------


def sigmoid(logit: sp.Expr = z) -> sp.Expr:
    r"""The logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`."""
    return _sigmoid(logit)


def squared_error_on_sigmoid(target: sp.Expr = y1) -> sp.Expr:
    r"""The squared error :math:`\tfrac12 (\sigma(z) - y)^2` of a sigmoid output."""
    return sp.Rational(1, 2) * (sigmoid() - target) ** 2


def cross_entropy_on_sigmoid(target: sp.Expr = y1) -> sp.Expr:
    r"""The binary cross-entropy :math:`-y\log\sigma(z) - (1-y)\log(1-\sigma(z))`."""
    s = sigmoid()
    return -target * sp.log(s) - (1 - target) * sp.log(1 - s)


def logit_gradients() -> tuple[Identity, Identity]:
    r"""The derivatives of both losses with respect to the logit :math:`z`.

    .. math::

        \frac{\partial}{\partial z} \tfrac12(\sigma - y)^2
            = (\sigma - y)\,\sigma(1 - \sigma),
        \qquad
        \frac{\partial}{\partial z} \big(-y\log\sigma - (1-y)\log(1-\sigma)\big)
            = \sigma - y,

    with :math:`\sigma = \sigma(z)`. The left side of each identity is
    SymPy's derivative; the right side the claimed form.

    Returns
    -------
    (Identity, Identity)
        Squared error, then cross-entropy.

    Examples
    --------
    >>> mse, bce = logit_gradients()
    >>> mse.holds(), bce.holds()
    (True, True)
    """
    s = sigmoid()
    mse = Identity(sp.diff(squared_error_on_sigmoid(), z), (s - y1) * s * (1 - s))
    bce = Identity(sp.diff(cross_entropy_on_sigmoid(), z), s - y1)
    return mse, bce


def wrong_limits() -> tuple[Identity, ...]:
    r"""Both gradients for the label :math:`y = 1` as :math:`z \to -\infty`.

    The prediction :math:`\sigma(z) \to 0` is confidently wrong. The
    squared-error gradient tends to 0 (the factor
    :math:`\sigma(1-\sigma)` vanishes), the cross-entropy gradient to
    :math:`-1`.

    Returns
    -------
    (Identity, Identity)
        ``Limit(...) = value`` for the squared error, then cross-entropy.

    Examples
    --------
    >>> mse, bce = wrong_limits()
    >>> mse.rhs, bce.rhs
    (0, -1)
    """
    # The claimed values, stated, not read back from SymPy's own answer.
    mse, bce = logit_gradients()
    return (
        Identity(sp.Limit(mse.rhs.subs(y1, 1), z, -sp.oo), sp.Integer(0)),
        Identity(sp.Limit(bce.rhs.subs(y1, 1), z, -sp.oo), sp.Integer(-1)),
    )
