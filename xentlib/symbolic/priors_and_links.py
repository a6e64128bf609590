r"""SymPy derivations behind issue 13's deeper sections of chapters 6, 8, 9.

Three groups, each a set of checked :class:`~xentlib.symbolic.Identity`
objects; the symbols are the shared ones of :mod:`xentlib.symbolic.symbols`
(``K, i, j, k, q, p, z, lam, T``), and a Lagrangian is written
:math:`\Lambda` (the likelihood is :math:`\mathcal{L}`).

**Chapter 6, why the exponential.**

* The distribution of largest entropy with a given expected score
  :math:`\sum_i p_i z_i = m` is the softmax :math:`e^{\beta z_j} / \sum_k
  e^{\beta z_k}` (:func:`maxent_lagrangian`, :func:`maxent_stationarity`,
  :func:`maxent_solution`); :math:`\beta = 1/T` is the inverse temperature.
* The generative view: Gaussian classes with a shared covariance have a
  log-joint that is linear in :math:`x` up to a term shared by every class,
  so the posterior is a softmax of linear logits (:func:`gaussian_log_joint`,
  :func:`gaussian_posterior_softmax`, :func:`gaussian_log_joint_2d`).
* :math:`dH/dT = \operatorname{Var}_p(z) / T^3` in three steps, each proved
  for a symbolic number of classes (:func:`entropy_temperature_steps`).

**Chapter 8, priors and links.**

* MAP: the negative log of a Gaussian prior on the weights is the L2
  penalty, of a Laplace prior the L1 penalty, each plus a constant
  (:func:`gaussian_prior_penalty`, :func:`laplace_prior_penalty`); the
  gradient step on the L2 penalty is weight decay
  (:func:`weight_decay_step`); the one-weight Gaussian model shows the
  shrinkage in closed form (:func:`ridge_map`).
* The canonical link: for the Bernoulli, Gaussian, Poisson and categorical
  models written with their natural parameter, the derivative of the
  negative log-likelihood is *prediction minus target*
  (:func:`canonical_gradients`, :func:`natural_forms`).

**Chapter 9, weights and priors in the loss.**

* Class weights move the optimum: minimising :math:`-\sum_c w_c q_c \log
  p_c` over the simplex gives :math:`p_c = w_c q_c / \sum_k w_k q_k`
  (:func:`weighted_lagrangian`, :func:`weighted_stationarity`,
  :func:`weighted_optimum`, :func:`weighted_gibbs_split`).
* Weighting is a shift of the logits by :math:`\log w`
  (:func:`logit_shift`, :func:`weighted_optimum_as_softmax`), which is why
  logit adjustment undoes it; ``pos_weight`` does the same to one sigmoid
  (:func:`pos_weight_optimum`).
* Equal logits give the loss :math:`\log K` (:func:`uniform_logits_loss`).
"""

from typing import Any

import sympy as sp

from ._core import Identity, definition, index_range, normalised, positive
from .symbols import K, T, i, j, k, lam, p, q, z

__all__ = [
    # chapter 6
    "beta",
    "m",
    "maxent_lagrangian",
    "maxent_stationarity",
    "maxent_solution",
    "x",
    "sigma",
    "mu",
    "prior",
    "gaussian_log_joint",
    "gaussian_posterior_softmax",
    "gaussian_log_joint_2d",
    "entropy_temperature_steps",
    # chapter 8
    "D",
    "weight",
    "tau",
    "b",
    "gaussian_prior_penalty",
    "laplace_prior_penalty",
    "weight_decay_step",
    "ridge_map",
    "a",
    "y",
    "natural_forms",
    "canonical_gradients",
    # chapter 9
    "w",
    "weighted_cross_entropy",
    "weighted_lagrangian",
    "weighted_stationarity",
    "weighted_optimum",
    "weighted_gibbs_split",
    "logit_shift",
    "weighted_optimum_as_softmax",
    "pos_weight_optimum",
    "uniform_logits_loss",
]


def _inside(expr: sp.Expr, index: sp.Expr = j, n: int | sp.Expr = K) -> Any:
    """The ``Piecewise`` branch of a delta sum for ``1 <= index <= n``."""
    return sp.refine(expr.doit(), sp.Q.le(index, n))


def _softmax(logit: sp.Expr, index: sp.Expr, n: int | sp.Expr = K) -> Any:
    """:math:`e^{f(j)} / \\sum_k e^{f(k)}` for a function ``logit`` of the index."""
    return sp.exp(logit(index)) / sp.Sum(sp.exp(logit(k)), (k, 1, n))


# === chapter 6: why the exponential ==========================================

#: The multiplier of the expected-score constraint (the inverse temperature)
#: and the prescribed expected score.
beta = sp.Symbol("beta", real=True)
m = sp.Symbol("m", real=True)


def maxent_lagrangian(n: int | sp.Expr = K) -> Any:
    r"""Entropy with multipliers for a given expected score and for the mass.

    .. math::

        \Lambda(p, \beta, \lambda) = -\sum_{i=1}^{K} p_i \log p_i
            + \beta \Big(\sum_{i=1}^{K} p_i z_i - m\Big)
            - \lambda \Big(\sum_{i=1}^{K} p_i - 1\Big)

    The score of class :math:`i` is :math:`z_i`; :math:`m` is the expected
    score the distribution must have.

    Examples
    --------
    >>> maxent_lagrangian().has(beta, lam)
    True
    """
    return (
        -sp.Sum(p[i] * sp.log(p[i]), (i, 1, n))
        + beta * (sp.Sum(p[i] * z[i], (i, 1, n)) - m)
        - lam * (sp.Sum(p[i], (i, 1, n)) - 1)
    )


def maxent_stationarity(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial \Lambda / \partial p_j = -\log p_j - 1 + \beta z_j - \lambda`.

    Returns
    -------
    Identity
        SymPy's derivative of :func:`maxent_lagrangian` (left) and the
        claimed form (right), for ``1 <= j <= K``.

    Examples
    --------
    >>> maxent_stationarity().holds()
    True
    """
    derivative = _inside(sp.diff(maxent_lagrangian(n), p[j]), j, n)
    return Identity(
        derivative, -sp.log(p[j]) - 1 + beta * z[j] - lam, (index_range(j, n),)
    )


def maxent_solution(n: int | sp.Expr = K) -> dict[str, Any]:
    r"""Solve the stationarity condition, then the normalisation: a softmax.

    From :math:`-\log p_j - 1 + \beta z_j - \lambda = 0`,
    :math:`p_j = e^{\beta z_j - 1 - \lambda}`. The normalisation
    :math:`\sum_k p_k = e^{-1-\lambda} \sum_k e^{\beta z_k} = 1` fixes
    :math:`\lambda = \log \sum_k e^{\beta z_k} - 1`, and then
    :math:`p_j = e^{\beta z_j} / \sum_k e^{\beta z_k}`.

    Returns
    -------
    dict
        ``"p_j"``: the solution of the stationarity condition;
        ``"lambda"``: the multiplier; ``"normalised"``: Identity, the
        solution at that multiplier sums to one; ``"softmax"``: Identity,
        the solution at that multiplier is :math:`\operatorname{softmax}(\beta
        z)_j`.

    Examples
    --------
    >>> solution = maxent_solution()
    >>> solution["p_j"]
    exp(beta*z[j] - lambda - 1)
    >>> solution["normalised"].holds(), solution["softmax"].holds()
    (True, True)
    """
    condition = maxent_stationarity(n).rhs
    (p_j,) = sp.solve(condition, p[j])
    multiplier = sp.log(sp.Sum(sp.exp(beta * z[k]), (k, 1, n))) - 1
    total = sp.Sum(p_j.subs(j, k), (k, 1, n)).subs(lam, multiplier)
    return {
        "p_j": p_j,
        "lambda": multiplier,
        "normalised": Identity(total, 1),
        "softmax": Identity(
            p_j.subs(lam, multiplier), _softmax(lambda a: beta * z[a], j, n)
        ),
    }


#: The generative model, with a feature ``x``, the shared standard deviation,
#: the class means and the class priors.
x = sp.Symbol("x", real=True)
sigma = sp.Symbol("sigma", positive=True)
mu = sp.IndexedBase("mu", real=True)
prior = sp.IndexedBase("pi", positive=True)


def _class_density(index: sp.Expr) -> Any:
    r""":math:`\mathcal{N}(x; \mu_c, \sigma^2)`."""
    return sp.exp(-((x - mu[index]) ** 2) / (2 * sigma**2)) / sp.sqrt(
        2 * sp.pi * sigma**2
    )


def _class_logit(index: sp.Expr) -> Any:
    r""":math:`a_c = (\mu_c / \sigma^2) x - \mu_c^2 / 2\sigma^2 + \log \pi_c`."""
    return (
        mu[index] / sigma**2 * x
        - mu[index] ** 2 / (2 * sigma**2)
        + sp.log(prior[index])
    )


def gaussian_log_joint(index: sp.Expr = j) -> Identity:
    r"""Log of :math:`\pi_c \mathcal{N}(x; \mu_c, \sigma^2)`: linear in :math:`x`
    plus a term that every class shares.

    .. math::

        \log\big(\pi_c\, \mathcal{N}(x; \mu_c, \sigma^2)\big)
        = \underbrace{\frac{\mu_c}{\sigma^2} x - \frac{\mu_c^2}{2\sigma^2}
          + \log \pi_c}_{a_c(x)}
          \; \underbrace{- \frac{x^2}{2\sigma^2}
          - \tfrac12 \log(2\pi\sigma^2)}_{\text{the same for every } c}

    Examples
    --------
    >>> gaussian_log_joint().holds()
    True
    """
    shared = -(x**2) / (2 * sigma**2) - sp.log(2 * sp.pi * sigma**2) / 2
    return Identity(
        sp.log(prior[index] * _class_density(index)), _class_logit(index) + shared
    )


def gaussian_posterior_softmax(n: int | sp.Expr = K) -> Identity:
    r"""Bayes' rule for ``K`` Gaussian classes with one :math:`\sigma`: a softmax.

    .. math::

        P(c \mid x) = \frac{\pi_c \mathcal{N}(x; \mu_c, \sigma^2)}
        {\sum_k \pi_k \mathcal{N}(x; \mu_k, \sigma^2)}
        = \frac{e^{a_c(x)}}{\sum_k e^{a_k(x)}}

    with the linear logits :math:`a_c` of :func:`gaussian_log_joint`.

    Examples
    --------
    >>> gaussian_posterior_softmax().holds()
    True
    """
    posterior = (
        prior[j] * _class_density(j) / sp.Sum(prior[k] * _class_density(k), (k, 1, n))
    )
    return Identity(posterior, _softmax(_class_logit, j, n))


def gaussian_log_joint_2d() -> tuple[Any, ...]:
    r"""The two-dimensional case with a full shared covariance :math:`\Sigma`.

    .. math::

        \log\big(\pi_c \mathcal{N}(x; \mu_c, \Sigma)\big)
        = (\Sigma^{-1}\mu_c)^{\mathsf T} x
          - \tfrac12 \mu_c^{\mathsf T} \Sigma^{-1} \mu_c + \log \pi_c
          - \tfrac12 x^{\mathsf T} \Sigma^{-1} x
          - \tfrac12 \log \det(2\pi\Sigma)

    for a symmetric :math:`\Sigma = \begin{pmatrix} s_{11} & s_{12} \\
    s_{12} & s_{22} \end{pmatrix}` with :math:`\det \Sigma > 0` (a
    hypothesis). The quadratic term :math:`x^{\mathsf T}\Sigma^{-1}x` is the
    same for every class, so it cancels from the softmax; with a covariance
    per class it would not, and the logits would be quadratic.

    Returns
    -------
    (Identity, dict)
        The identity, and its parts: ``"weights"`` :math:`\Sigma^{-1}\mu_c`,
        ``"bias"``, ``"shared"``, ``"x"``, ``"mean"``, ``"covariance"``.

    Examples
    --------
    >>> identity, parts = gaussian_log_joint_2d()
    >>> identity.holds()
    True
    """
    point = sp.Matrix(sp.symbols("x_1 x_2", real=True))
    mean = sp.Matrix(sp.symbols("mu_1 mu_2", real=True))
    s11, s22 = sp.symbols("s_11 s_22", positive=True)
    s12 = sp.Symbol("s_12", real=True)
    covariance = sp.Matrix([[s11, s12], [s12, s22]])
    det = covariance.det()
    precision = covariance.inv()
    pi_c = sp.Symbol("pi_c", positive=True)
    quadratic = ((point - mean).T * precision * (point - mean))[0]
    density = sp.exp(-quadratic / 2) / (2 * sp.pi * sp.sqrt(det))
    weights = precision * mean
    bias = -(mean.T * precision * mean)[0] / 2 + sp.log(pi_c)
    shared = -(point.T * precision * point)[0] / 2 - sp.log((2 * sp.pi) ** 2 * det) / 2
    identity = Identity(
        sp.log(pi_c * density),
        (weights.T * point)[0] + bias + shared,
        (positive(det, name="Sigma is positive definite"),),
    )
    parts = {
        "weights": weights,
        "bias": bias,
        "shared": shared,
        "x": point,
        "mean": mean,
        "covariance": covariance,
    }
    return identity, parts


def entropy_temperature_steps(n: int | sp.Expr = K) -> Any:
    r"""The derivation of :math:`dH/dT = \operatorname{Var}_p(z)/T^3`, step by step.

    With :math:`p = \operatorname{softmax}(z/T)`, :math:`Z = \sum_k
    e^{z_k/T}` and the mean score :math:`m = \sum_i p_i z_i`:

    1. ``"entropy"``: :math:`H = \log Z - m/T` (because
       :math:`\log p_i = z_i/T - \log Z`);
    2. ``"log_normaliser"``: :math:`\frac{d}{dT}\log Z = -m/T^2`;
    3. ``"probability"``: :math:`\frac{dp_j}{dT} = -p_j (z_j - m)/T^2`;
    4. ``"mean"``: :math:`\frac{dm}{dT} = \sum_j z_j \frac{dp_j}{dT}
       = -\frac{1}{T^2}\sum_j p_j (z_j - m)^2`, for any distribution
       :math:`p` (hypotheses: :math:`\sum p = 1`, :math:`m = \sum p z`);
    5. ``"combined"``: :math:`\frac{dH}{dT} = -\frac{m}{T^2}
       - \big(-\frac{m}{T^2} + \frac1T \frac{dm}{dT}\big) = \frac{V}{T^3}`
       with :math:`V = \sum_j p_j (z_j - m)^2`.

    Steps 1--4 are proved for a symbolic ``K``; step 5 is the algebra that
    joins them (``dlogZ``, ``dm`` stand for the derivatives of steps 2, 4).

    Returns
    -------
    dict of Identity

    Examples
    --------
    >>> steps = entropy_temperature_steps()
    >>> all(step.holds() for step in steps.values())
    True
    """
    normaliser = sp.Sum(sp.exp(z[k] / T), (k, 1, n))

    def prob(index: sp.Expr) -> Any:
        return sp.exp(z[index] / T) / normaliser

    entropy = -sp.Sum(prob(i) * sp.log(prob(i)), (i, 1, n))
    mean = sp.Sum(prob(i) * z[i], (i, 1, n))
    abstract_mean = sp.Sum(p[i] * z[i], (i, 1, n))
    variance = sp.Sum(p[i] * (z[i] - m) ** 2, (i, 1, n))
    derivative_p = -p[i] * (z[i] - m) / T**2
    dlogz, dm, v = sp.symbols(r"\frac{d\log{Z}}{dT} \frac{dm}{dT} V", real=True)
    combined = (dlogz - sp.diff(m / T, T) - dm / T).subs(
        {dlogz: -m / T**2, dm: -v / T**2}
    )
    return {
        "entropy": Identity(entropy, sp.log(normaliser) - mean / T),
        "log_normaliser": Identity(sp.diff(sp.log(normaliser), T), -mean / T**2),
        "probability": Identity(sp.diff(prob(j), T), -prob(j) * (z[j] - mean) / T**2),
        "mean": Identity(
            sp.Sum(z[i] * derivative_p, (i, 1, n)),
            -variance / T**2,
            (
                normalised(p, i, n),
                definition(m, abstract_mean, name="m is the mean score"),
            ),
        ),
        "combined": Identity(combined, v / T**3),
    }


# === chapter 8: priors give penalties, canonical links give p - y ============

#: Number of weights, the weights, the Gaussian prior's standard deviation
#: and the Laplace prior's scale.
D = sp.Symbol("D", integer=True, positive=True)
weight = sp.IndexedBase("w", real=True)
tau = sp.Symbol("tau", positive=True)
b = sp.Symbol("b", positive=True)


def gaussian_prior_penalty(n: int | sp.Expr = D) -> Identity:
    r"""A Gaussian prior :math:`w_j \sim \mathcal{N}(0, \tau^2)` is the L2 penalty.

    .. math::

        -\sum_{j=1}^{D} \log \mathcal{N}(w_j; 0, \tau^2)
        = \frac{1}{2\tau^2} \sum_{j=1}^{D} w_j^2
          + \frac{D}{2} \log(2\pi\tau^2)

    Examples
    --------
    >>> gaussian_prior_penalty().holds()
    True
    """
    density = sp.exp(-(weight[j] ** 2) / (2 * tau**2)) / sp.sqrt(2 * sp.pi * tau**2)
    return Identity(
        -sp.Sum(sp.log(density), (j, 1, n)),
        sp.Sum(weight[j] ** 2, (j, 1, n)) / (2 * tau**2)
        + n * sp.log(2 * sp.pi * tau**2) / 2,
    )


def laplace_prior_penalty(n: int | sp.Expr = D) -> Identity:
    r"""A Laplace prior :math:`p(w_j) = e^{-|w_j|/b} / 2b` is the L1 penalty.

    .. math::

        -\sum_{j=1}^{D} \log \frac{e^{-|w_j|/b}}{2b}
        = \frac{1}{b} \sum_{j=1}^{D} |w_j| + D \log(2b)

    Examples
    --------
    >>> laplace_prior_penalty().holds()
    True
    """
    density = sp.exp(-sp.Abs(weight[j]) / b) / (2 * b)
    return Identity(
        -sp.Sum(sp.log(density), (j, 1, n)),
        sp.Sum(sp.Abs(weight[j]), (j, 1, n)) / b + n * sp.log(2 * b),
    )


def weight_decay_step() -> Identity:
    r"""A gradient step on :math:`\ell(w) + \frac{\lambda}{2} w^2` decays the weight.

    .. math::

        w - \eta\,\frac{\partial}{\partial w}\Big(\ell(w)
            + \frac{\lambda}{2} w^2\Big)
        = (1 - \eta\lambda)\, w - \eta\, \ell'(w)

    for any differentiable :math:`\ell` (an undefined SymPy function).

    Examples
    --------
    >>> weight_decay_step().holds()
    True
    """
    w1 = sp.Symbol("w", real=True)
    rate = sp.Symbol("eta", positive=True)
    strength = sp.Symbol("lambda", positive=True)
    loss = sp.Function(r"\ell")
    step = w1 - rate * sp.diff(loss(w1) + strength / 2 * w1**2, w1)
    return Identity(step, (1 - rate * strength) * w1 - rate * sp.diff(loss(w1), w1))


#: The number of observations in :func:`ridge_map`.
N_OBSERVATIONS = sp.Symbol("n", integer=True, positive=True)


def ridge_map(n: int | sp.Expr = N_OBSERVATIONS) -> dict[str, Any]:
    r"""MAP of one weight under Gaussian noise and a Gaussian prior: shrinkage.

    The model :math:`y_i \sim \mathcal{N}(w x_i, \sigma^2)`, prior
    :math:`w \sim \mathcal{N}(0, \tau^2)`. With :math:`S_{xx} = \sum_i x_i^2`
    and :math:`S_{xy} = \sum_i x_i y_i`, the negative log-posterior is
    :math:`\frac{1}{2\sigma^2}\sum_i (y_i - w x_i)^2 + \frac{w^2}{2\tau^2}`
    plus constants, and its minimiser is

    .. math::

        \hat w_{\mathrm{MAP}} = \frac{S_{xy}}{S_{xx} + \sigma^2/\tau^2},

    the least-squares :math:`S_{xy}/S_{xx}` pulled towards 0, less as the
    prior widens (:math:`\tau \to \infty`) or the data grow.

    Returns
    -------
    dict
        ``"objective"``, ``"map"`` (the solution in :math:`S_{xx}, S_{xy}`),
        ``"stationary"`` (Identity: the derivative of the objective, with the
        sums written as :math:`S_{xx}, S_{xy}`, vanishes at the MAP),
        ``"limit"`` (Identity: :math:`\tau \to \infty` gives least squares).

    Examples
    --------
    >>> solution = ridge_map()
    >>> solution["stationary"].holds(), solution["limit"].holds()
    (True, True)
    """
    xs, ys = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
    w1 = sp.Symbol("w", real=True)
    sxx = sp.Symbol("S_{xx}", positive=True)
    sxy = sp.Symbol("S_{xy}", real=True)
    objective = sp.Sum((ys[i] - w1 * xs[i]) ** 2, (i, 1, n)) / (
        2 * sigma**2
    ) + w1**2 / (2 * tau**2)
    # d/dw, with the sums expanded by linearity and named S_xx, S_xy.
    derivative = (w1 * sxx - sxy) / sigma**2 + w1 / tau**2
    derivative_check = Identity(
        sp.diff(objective, w1),
        derivative.subs(
            {sxx: sp.Sum(xs[i] ** 2, (i, 1, n)), sxy: sp.Sum(xs[i] * ys[i], (i, 1, n))}
        ),
    )
    (solution,) = sp.solve(derivative, w1)
    solution = sp.simplify(solution)
    if not derivative_check.holds():
        raise AssertionError("the derivative of the ridge objective")
    return {
        "objective": objective,
        "map": solution,
        "stationary": Identity(derivative.subs(w1, solution), 0),
        "limit": Identity(sp.Limit(solution, tau, sp.oo).doit(), sxy / sxx),
    }


#: The natural parameter (the output of a linear layer, as the logit ``a``
#: of chapter 6's two-class softmax) and an outcome.
a = sp.Symbol("a", real=True)
y = sp.Symbol("y", real=True)


def _sigmoid(value: sp.Expr) -> Any:
    return 1 / (1 + sp.exp(-value))


def natural_forms() -> dict[str, Any]:
    r"""Each model's log-likelihood as :math:`a y - A(a) + \log h(y)`.

    * Bernoulli, :math:`\theta = \sigma(a)`:
      :math:`y\log\theta + (1-y)\log(1-\theta) = a y - \log(1 + e^a)`;
    * Gaussian, unit variance, :math:`\mu = a`:
      :math:`\log\mathcal{N}(y; a, 1) = a y - a^2/2 - y^2/2
      - \tfrac12\log 2\pi`;
    * Poisson, rate :math:`e^a`, count :math:`y`:
      :math:`y a - e^a - \log y!` (the definition, already in this form).

    Returns
    -------
    dict of Identity (``"bernoulli"``, ``"gaussian"``) and the log-partition
    functions :math:`A` in ``"A"`` (also ``"poisson"``, ``"categorical"``).

    Examples
    --------
    >>> forms = natural_forms()
    >>> forms["bernoulli"].holds(), forms["gaussian"].holds()
    (True, True)
    """
    theta = _sigmoid(a)
    bernoulli = y * sp.log(theta) + (1 - y) * sp.log(1 - theta)
    gaussian = sp.log(sp.exp(-((y - a) ** 2) / 2) / sp.sqrt(2 * sp.pi))
    return {
        "bernoulli": Identity(bernoulli, a * y - sp.log(1 + sp.exp(a))),
        "gaussian": Identity(
            gaussian, a * y - a**2 / 2 - y**2 / 2 - sp.log(2 * sp.pi) / 2
        ),
        "A": {
            "bernoulli": sp.log(1 + sp.exp(a)),
            "gaussian": a**2 / 2,
            "poisson": sp.exp(a),
            "categorical": sp.log(sp.Sum(sp.exp(z[k]), (k, 1, K))),
        },
    }


def canonical_gradients(n: int | sp.Expr = K) -> dict[str, Any]:
    r"""With the canonical link, :math:`\partial(-\log p)/\partial a` is
    prediction minus target.

    The derivative of :math:`-(a y - A(a))` is :math:`A'(a) - y`, and
    :math:`A'(a)` is the model's mean prediction:

    * Bernoulli: :math:`\sigma(a) - y`;
    * Gaussian (unit variance): :math:`a - y = \mu - y`;
    * Poisson: :math:`e^a - y`;
    * categorical, one logit per class, target :math:`q`:
      :math:`\partial/\partial z_j = \operatorname{softmax}(z)_j - q_j`.

    The left side of each identity is SymPy's derivative of the negative
    log-likelihood written in the model's own parameters (``theta``,
    ``mu``, the rate, the probabilities), with that parameter replaced by
    the inverse link of :math:`a`.

    Returns
    -------
    dict of Identity

    Examples
    --------
    >>> all(g.holds() for g in canonical_gradients().values())
    True
    """
    theta = _sigmoid(a)
    bernoulli = -(y * sp.log(theta) + (1 - y) * sp.log(1 - theta))
    gaussian = (y - a) ** 2 / 2 + sp.log(2 * sp.pi) / 2
    count = sp.Symbol("y", integer=True, nonnegative=True)
    rate = sp.exp(a)
    poisson = -(count * sp.log(rate) - rate - sp.log(sp.factorial(count)))
    categorical = -sp.Sum(q[k] * sp.log(_softmax(z.__getitem__, k, n)), (k, 1, n))
    return {
        "bernoulli": Identity(sp.diff(bernoulli, a), theta - y),
        "gaussian": Identity(sp.diff(gaussian, a), a - y),
        "poisson": Identity(sp.diff(poisson, a), rate - count),
        "categorical": Identity(
            _inside(sp.diff(categorical, z[j]), j, n),
            _softmax(z.__getitem__, j, n) - q[j],
            (index_range(j, n), normalised(q, k, n)),
        ),
    }


# === chapter 9: class weights move the optimum ===============================

#: Class weights, positive.
w = sp.IndexedBase("w", positive=True)


def weighted_cross_entropy(n: int | sp.Expr = K) -> Any:
    r"""The expected weighted loss :math:`-\sum_{i=1}^{K} w_i q_i \log p_i`.

    With class-index targets drawn from :math:`q`, this is the expectation
    of PyTorch's weighted loss before the division by the summed weights
    (:math:`\mathbb{E}[w_y] = \sum_i w_i q_i` is a constant in :math:`p`,
    so the division does not move the minimiser).
    """
    return -sp.Sum(w[i] * q[i] * sp.log(p[i]), (i, 1, n))


def weighted_lagrangian(n: int | sp.Expr = K) -> Any:
    r"""The Lagrangian of the weighted loss on the simplex.

    :math:`\Lambda(p, \lambda) = -\sum_i w_i q_i \log p_i + \lambda(\sum_i p_i - 1)`.
    """
    return weighted_cross_entropy(n) + lam * (sp.Sum(p[i], (i, 1, n)) - 1)


def weighted_stationarity(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial\Lambda/\partial p_j = -w_j q_j / p_j + \lambda`.

    Examples
    --------
    >>> weighted_stationarity().holds()
    True
    """
    derivative = _inside(sp.diff(weighted_lagrangian(n), p[j]), j, n)
    return Identity(derivative, -w[j] * q[j] / p[j] + lam, (index_range(j, n),))


def weighted_optimum(n: int | sp.Expr = K) -> dict[str, Any]:
    r"""Solve: :math:`p_j = w_j q_j / \lambda`, and the mass fixes :math:`\lambda`.

    :math:`\sum_j p_j = 1` gives :math:`\lambda = \sum_i w_i q_i`, so

    .. math:: p_j = \frac{w_j q_j}{\sum_{i=1}^{K} w_i q_i}.

    Returns
    -------
    dict
        ``"p_j"`` (in :math:`\lambda`), ``"lambda"``, ``"optimum"`` and
        ``"normalised"`` (Identity: the optimum sums to one).

    Examples
    --------
    >>> solution = weighted_optimum()
    >>> solution["p_j"]
    q[j]*w[j]/lambda
    >>> solution["normalised"].holds()
    True
    """
    (p_j,) = sp.solve(weighted_stationarity(n).rhs, p[j])
    multiplier = sp.Sum(w[i] * q[i], (i, 1, n))
    optimum = p_j.subs(lam, multiplier)
    return {
        "p_j": p_j,
        "lambda": multiplier,
        "optimum": optimum,
        "normalised": Identity(sp.Sum(optimum, (j, 1, n)), 1),
    }


def weighted_gibbs_split(n: int | sp.Expr = K) -> Any:
    r"""Why the stationary point is the minimum: Gibbs' inequality.

    With :math:`S = \sum_i w_i q_i` and :math:`r_i = w_i q_i / S` (a
    distribution),

    .. math::

        -\sum_i w_i q_i \log p_i = S \Big( H(r) + \mathrm{KL}(r \,\|\, p)
        \Big),

    and :math:`\mathrm{KL} \ge 0` with equality only at :math:`p = r`.

    Examples
    --------
    >>> weighted_gibbs_split().holds()
    True
    """
    total = sp.Sum(w[i] * q[i], (i, 1, n))

    def r(index: sp.Expr) -> Any:
        return w[index] * q[index] / total

    entropy = -sp.Sum(r(i) * sp.log(r(i)), (i, 1, n))
    kl = sp.Sum(r(i) * sp.log(r(i) / p[i]), (i, 1, n))
    return Identity(weighted_cross_entropy(n), total * (entropy + kl))


def logit_shift(n: int | sp.Expr = K) -> Identity:
    r"""Adding :math:`\log w` to the logits reweights the softmax.

    .. math::

        \operatorname{softmax}(z + \log w)_j
        = \frac{w_j \operatorname{softmax}(z)_j}
               {\sum_i w_i \operatorname{softmax}(z)_i}

    Examples
    --------
    >>> logit_shift().holds()
    True
    """
    shifted = _softmax(lambda a: z[a] + sp.log(w[a]), j, n)
    plain = _softmax(z.__getitem__, j, n)
    total = sp.Sum(w[i] * _softmax(z.__getitem__, i, n), (i, 1, n))
    return Identity(shifted, w[j] * plain / total)


def weighted_optimum_as_softmax(n: int | sp.Expr = K) -> Identity:
    r"""The weighted optimum is :math:`\operatorname{softmax}(\log q + \log w)`.

    The logits that minimise the weighted loss are the unweighted ones,
    :math:`\log q`, shifted by :math:`\log w` (up to a constant); subtracting
    :math:`\log w` from a weighted model's logits recovers :math:`q`.

    Examples
    --------
    >>> weighted_optimum_as_softmax().holds()
    True
    """
    return Identity(
        _softmax(lambda a: sp.log(q[a]) + sp.log(w[a]), j, n),
        weighted_optimum(n)["optimum"],
        (normalised(q, i, n),),
    )


def pos_weight_optimum() -> dict[str, Any]:
    r"""``pos_weight`` multiplies the optimal odds by :math:`w`.

    Minimising :math:`-w q \log p - (1 - q) \log(1 - p)` (the expected
    binary loss with ``pos_weight`` :math:`w` when the label is 1 with
    probability :math:`q`) over :math:`p \in (0, 1)`:

    .. math::

        p^\star = \frac{w q}{w q + 1 - q}, \qquad
        \log\frac{p^\star}{1 - p^\star} = \log\frac{q}{1 - q} + \log w.

    Returns
    -------
    dict
        ``"optimum"``, ``"stationary"`` (Identity: the derivative vanishes
        there), ``"logit"`` (Identity: the logit is shifted by
        :math:`\log w`), and the symbols ``"p"``, ``"q"``, ``"w"``.

    Examples
    --------
    >>> solution = pos_weight_optimum()
    >>> solution["stationary"].holds(), solution["logit"].holds()
    (True, True)
    """
    pp, qq, ww = sp.symbols("p q w", positive=True)
    objective = -ww * qq * sp.log(pp) - (1 - qq) * sp.log(1 - pp)
    (optimum,) = sp.solve(sp.diff(objective, pp), pp)
    below_one = positive(1 - qq, name="q < 1")
    return {
        "optimum": optimum,
        "stationary": Identity(
            sp.diff(objective, pp).subs(pp, optimum), 0, (below_one,)
        ),
        "logit": Identity(
            sp.log(optimum / (1 - optimum)),
            sp.log(qq / (1 - qq)) + sp.log(ww),
            (below_one,),
        ),
        "p": pp,
        "q": qq,
        "w": ww,
    }


def uniform_logits_loss(n: int | sp.Expr = K) -> Identity:
    r"""Equal logits give the loss :math:`\log K`, whatever the label.

    .. math:: -\log \frac{e^{c}}{\sum_{k=1}^{K} e^{c}} = \log K

    Examples
    --------
    >>> uniform_logits_loss().holds()
    True
    """
    c = sp.Symbol("c", real=True)
    return Identity(-sp.log(sp.exp(c) / sp.Sum(sp.exp(c), (k, 1, n))), sp.log(n))
