r"""Derivations behind the options of a practical cross-entropy loss.

They are the identities of chapter 9, *Cross-entropy in practice*:

* **Label smoothing.** Cross-entropy is linear in its target, so the
  smoothed target :math:`(1 - \varepsilon) q + \varepsilon u` (with ``u`` the
  uniform distribution over ``K`` classes) splits the loss into
  :math:`(1 - \varepsilon) H(q, p) + \varepsilon H(u, p)`, and
  :math:`H(u, p) = \log K + \mathrm{KL}(u \,\|\, p)`: smoothing adds
  :math:`\varepsilon\,\mathrm{KL}(u \,\|\, p)` up to a constant. These hold
  for a **symbolic** ``K``, the target and the prediction being indexed
  families ``q[i]`` and ``p[i]``.
* **Binary cross-entropy with logits.** The naive
  :math:`-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))` equals
  :math:`(1 - y) z + \log(1 + e^{-z})` for every real ``z`` and the stable
  :math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`; the last step is checked on
  both signs of ``z`` (and at 0), because ``max`` and ``|z|`` are piecewise.
* **The weighted mean** of ``reduction="mean"`` with class weights, which
  reduces to the plain mean when all weights are equal.
* **The gradient of softmax regression**,
  :math:`\partial L / \partial W = X^{\mathsf T}(P - Y) / N`, checked entry by
  entry for small concrete sizes.
* **NLL of log-softmax is cross-entropy.** For a class index ``c``,
  :math:`-\sum_i \delta_{ic} \log \operatorname{softmax}(z)_i
  = -(z_c - \log \sum_k e^{z_k})`, for a symbolic ``K``.

See chapter 9, *Cross-entropy in practice*.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from . import softmax as _sm
from ._core import Identity, all_hold, index_range
from .symbols import K, i, p, q
from .symbols import sigmoid as _sigmoid

__all__ = [
    "K",
    "i",
    "c",
    "eps",
    "q",
    "p",
    "z",
    "y",
    "cross_entropy_sum",
    "uniform_target",
    "smoothed_target",
    "kl_uniform",
    "label_smoothing_split",
    "uniform_cross_entropy",
    "label_smoothing_kl",
    "sigmoid",
    "bce_naive",
    "bce_intermediate",
    "bce_stable",
    "bce_naive_identity",
    "bce_stable_identity",
    "bce_logits_gradient",
    "nll_of_log_softmax",
    "nll_cross_entropy_identity",
    "n",
    "N",
    "loss",
    "w",
    "label",
    "weighted_mean",
    "equal_weights_mean",
    "softmax_regression_loss",
    "weight_gradient_holds",
]

#: A class index (the label); ``K``, ``i``, the target ``q`` and the
#: prediction ``p`` are the shared symbols.
c = sp.Symbol("c", integer=True, positive=True)
#: The smoothing strength (``label_smoothing`` in PyTorch and xentlib).
eps = sp.Symbol("varepsilon", positive=True)
#: A logit and a binary target of the two-class case.
z = sp.Symbol("z", real=True)
y = sp.Symbol("y", real=True)


def cross_entropy_sum(
    target: Callable[[sp.Expr], sp.Expr],
    prediction: sp.IndexedBase = p,
    n: int | sp.Expr = K,
) -> sp.Expr:
    r""":math:`H(t, p) = -\sum_{i=1}^{K} t_i \log p_i`.

    ``target`` is a function of the class index (for example ``q.__getitem__``
    or :func:`smoothed_target`), so that any target can be written in.

    Examples
    --------
    >>> print(cross_entropy_sum(q.__getitem__))
    -Sum(log(p[i])*q[i], (i, 1, K))
    """
    return -sp.Sum(target(i) * sp.log(prediction[i]), (i, 1, n))


def uniform_target(index: sp.Symbol = i, n: int | sp.Expr = K) -> sp.Expr:
    r"""The uniform distribution :math:`u_i = 1 / K`."""
    return 1 / n


def smoothed_target(index: sp.Symbol = i, n: int | sp.Expr = K) -> sp.Expr:
    r"""The smoothed target :math:`(1 - \varepsilon) q_i + \varepsilon / K`."""
    return (1 - eps) * q[index] + eps / n


def kl_uniform(prediction: sp.IndexedBase = p, n: int | sp.Expr = K) -> sp.Expr:
    r""":math:`\mathrm{KL}(u \,\|\, p) = \sum_{i=1}^{K} \frac{1}{K}
    \log \frac{1 / K}{p_i}`."""
    return sp.Sum(sp.log((1 / n) / prediction[i]) / n, (i, 1, n))


def label_smoothing_split(n: int | sp.Expr = K) -> Identity:
    r"""Label smoothing splits the loss, for a symbolic ``K``.

    .. math::

        H\big((1 - \varepsilon) q + \varepsilon u,\ p\big)
        = (1 - \varepsilon) H(q, p) + \varepsilon H(u, p)

    Examples
    --------
    >>> label_smoothing_split().holds()
    True
    """
    return Identity(
        cross_entropy_sum(lambda index: smoothed_target(index, n), n=n),
        (1 - eps) * cross_entropy_sum(q.__getitem__, n=n)
        + eps * cross_entropy_sum(lambda index: uniform_target(index, n), n=n),
    )


def uniform_cross_entropy(n: int | sp.Expr = K) -> Identity:
    r"""The cross-entropy of the uniform target, for a symbolic ``K``.

    .. math::

        H(u, p) = \log K + \mathrm{KL}(u \,\|\, p)

    Examples
    --------
    >>> uniform_cross_entropy().holds()
    True
    """
    return Identity(
        cross_entropy_sum(lambda index: uniform_target(index, n), n=n),
        sp.log(n) + kl_uniform(n=n),
    )


def label_smoothing_kl(n: int | sp.Expr = K) -> Identity:
    r"""Smoothing adds :math:`\varepsilon\,\mathrm{KL}(u \| p)` and a constant.

    .. math::

        H\big((1 - \varepsilon) q + \varepsilon u,\ p\big)
        = (1 - \varepsilon) H(q, p) + \varepsilon \log K
        + \varepsilon\,\mathrm{KL}(u \,\|\, p)

    Examples
    --------
    >>> label_smoothing_kl().holds()
    True
    """
    return Identity(
        label_smoothing_split(n).lhs,
        (1 - eps) * cross_entropy_sum(q.__getitem__, n=n)
        + eps * sp.log(n)
        + eps * kl_uniform(n=n),
    )


def sigmoid(logit: sp.Expr = z) -> sp.Expr:
    r"""The logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`."""
    return _sigmoid(logit)


def bce_naive(logit: sp.Expr = z, target: sp.Expr = y) -> sp.Expr:
    r"""The textbook form :math:`-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))`."""
    s = sigmoid(logit)
    return -(target * sp.log(s) + (1 - target) * sp.log(1 - s))


def bce_intermediate(logit: sp.Expr = z, target: sp.Expr = y) -> sp.Expr:
    r""":math:`(1 - y) z + \log(1 + e^{-z})`, equal to the naive form for real ``z``."""
    return (1 - target) * logit + sp.log(1 + sp.exp(-logit))


def bce_stable(logit: sp.Expr = z, target: sp.Expr = y) -> sp.Expr:
    r"""The stable form :math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`."""
    return sp.Max(logit, 0) - logit * target + sp.log(1 + sp.exp(-sp.Abs(logit)))


def bce_naive_identity() -> Identity:
    r"""The naive BCE with logits equals :math:`(1 - y) z + \log(1 + e^{-z})`.

    Examples
    --------
    >>> bce_naive_identity().holds()
    True
    """
    return Identity(bce_naive(), bce_intermediate())


def bce_stable_identity() -> Identity:
    r"""The stable BCE with logits equals the naive one, for every real ``z``.

    .. math::

        (1 - y) z + \log(1 + e^{-z}) = \max(z, 0) - z y + \log(1 + e^{-|z|})

    For ``z < 0`` the step uses :math:`\log(1 + e^{-z}) = -z + \log(1 + e^{z})`.

    Examples
    --------
    >>> bce_stable_identity().holds()
    True
    """
    # The checker proves it case by case: z > 0, z < 0, z = 0.
    return Identity(bce_intermediate(), bce_stable())


def bce_logits_gradient() -> Identity:
    r"""The derivative of BCE with logits:
    :math:`\partial L / \partial z = \sigma(z) - y`.

    Examples
    --------
    >>> bce_logits_gradient().holds()
    True
    """
    return Identity(sp.diff(bce_naive(), z), sigmoid() - y)


def nll_of_log_softmax(label: int | sp.Expr = c, n: int | sp.Expr = K) -> sp.Expr:
    r"""The negative log-likelihood of ``log_softmax``:
    :math:`-(z_c - \log\sum_k e^{z_k})`."""
    return -(_sm.z[label] - sp.log(_sm.normaliser(n=n)))


def nll_cross_entropy_identity(n: int | sp.Expr = K) -> Identity:
    r"""Cross-entropy of a one-hot target is the NLL of ``log_softmax``.

    .. math::

        -\sum_{i=1}^{K} \delta_{ic} \log \operatorname{softmax}(z)_i
        = -\Big(z_c - \log \sum_{k=1}^{K} e^{z_k}\Big)

    for a symbolic ``K`` and a label ``c`` in ``{1, ..., K}``.

    Examples
    --------
    >>> nll_cross_entropy_identity().holds()
    True
    """
    cross_entropy = -sp.Sum(
        sp.KroneckerDelta(i, c) * sp.log(_sm.softmax_entry(i, n=n)), (i, 1, n)
    )
    return Identity(
        cross_entropy,
        nll_of_log_softmax(n=n),
        (index_range(c, n, name="c is a class label"),),
    )


#: The sample index of a batch of ``N`` samples, losses and class weights.
n = sp.Symbol("n", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
loss = sp.IndexedBase(r"\ell", real=True)
w = sp.IndexedBase("w", nonnegative=True)
label = sp.IndexedBase("y", integer=True)


def weighted_mean(size: int | sp.Expr = N) -> sp.Expr:
    r"""The mean reduction with class weights, over the kept samples.

    .. math::

        L = \frac{\sum_{n} w_{y_n} \ell_n}{\sum_{n} w_{y_n}}

    (PyTorch's and xentlib's ``reduction="mean"``; a sample whose label is
    ``ignore_index`` is left out of both sums).
    """
    weight = w[label[n]]
    return sp.Sum(weight * loss[n], (n, 1, size)) / sp.Sum(weight, (n, 1, size))


def equal_weights_mean(size: int | sp.Expr = N) -> Identity:
    r"""With one weight ``c`` for every class the weighted mean is the plain mean.

    Examples
    --------
    >>> equal_weights_mean().holds()
    True
    """
    constant = sp.Symbol("c", positive=True)
    same = weighted_mean(size).replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == w, lambda e: constant
    )
    plain = sp.Sum(loss[n], (n, 1, size)) / size
    return Identity(same.doit(), plain)


def softmax_regression_loss(
    n_samples: int, n_features: int, n_classes: int
) -> tuple[sp.Expr, sp.Matrix, sp.Matrix, sp.Matrix, list[int]]:
    r"""Mean cross-entropy of ``softmax(X W + b)`` for concrete sizes.

    Returns ``(loss, X, W, b, labels)``: the SymPy loss and the symbol
    matrices it is built from; the labels are ``n mod K`` (every class
    appears once the batch is large enough).
    """
    X = sp.Matrix(
        n_samples, n_features, lambda r, s: sp.Symbol(f"x_{r + 1}{s + 1}", real=True)
    )
    W = sp.Matrix(
        n_features, n_classes, lambda r, s: sp.Symbol(f"W_{r + 1}{s + 1}", real=True)
    )
    b = sp.Matrix(1, n_classes, lambda r, s: sp.Symbol(f"b_{s + 1}", real=True))
    logits = X * W + sp.ones(n_samples, 1) * b
    labels = [row % n_classes for row in range(n_samples)]
    total = 0
    for row, target in enumerate(labels):
        scores = logits.row(row)
        total += -(scores[target] - sp.log(sum(sp.exp(s) for s in scores)))
    return total / n_samples, X, W, b, labels


def weight_gradient_holds(
    n_samples: int = 2, n_features: int = 2, n_classes: int = 3
) -> bool:
    r"""Check :math:`\partial L / \partial W = X^{\mathsf T} (P - Y) / N`.

    ``P`` is the matrix of softmax probabilities and ``Y`` the one-hot labels;
    every entry of SymPy's derivative of :func:`softmax_regression_loss` is
    compared with the formula (``simplify`` of the difference is zero).

    Examples
    --------
    >>> weight_gradient_holds()
    True
    """
    total, X, W, b, labels = softmax_regression_loss(n_samples, n_features, n_classes)
    logits = X * W + sp.ones(n_samples, 1) * b
    P = sp.Matrix(
        n_samples,
        n_classes,
        lambda r, s: (
            sp.exp(logits[r, s]) / sum(sp.exp(logits[r, t]) for t in range(n_classes))
        ),
    )
    Y = sp.Matrix(n_samples, n_classes, lambda r, s: 1 if labels[r] == s else 0)
    formula = X.T * (P - Y) / n_samples
    bias_formula = sp.ones(1, n_samples) * (P - Y) / n_samples
    derivative = total.diff
    return all_hold(W.applyfunc(derivative), formula) and all_hold(
        b.applyfunc(derivative), bias_formula
    )
