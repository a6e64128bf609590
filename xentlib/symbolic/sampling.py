r"""SymPy derivations for sampled softmax and negative sampling (chapter 12).

* **Importance sampling of the normaliser.** A class :math:`s` drawn from a
  proposal :math:`Q` gives the weight :math:`e^{z_s} / Q_s`, whose
  expectation is :math:`Z = \sum_w e^{z_w}`
  (:func:`importance_weight_unbiased`); with the label kept out of the
  sample and added back exactly,
  :math:`E\bigl[[s \ne y]\, e^{z_s} / Q_s\bigr] + e^{z_y} = Z`
  (:func:`label_added_back_unbiased`).
* **Its relative variance is a chi-square divergence**:
  :math:`\sum_w Q_w (p_w / Q_w)^2 - 1 = \sum_w (p_w - Q_w)^2 / Q_w
  = \chi^2(p \,\|\, Q)` with :math:`p = \operatorname{softmax}(z)`
  (:func:`relative_variance_is_chi_square`): zero only for :math:`Q = p`.
* **The bias of the log.** :math:`\log(Z + \delta) = \log Z + \delta / Z -
  \delta^2 / (2 Z^2) + O(\delta^3)` (:func:`log_second_order`); with
  :math:`E[\delta] = 0` and :math:`E[\delta^2] = \operatorname{Var}(\hat Z)`
  the sampled loss is low by about
  :math:`\operatorname{Var}(\hat Z) / (2 Z^2)`, i.e.
  :math:`\chi^2(p \,\|\, Q) / (2 m)` for m samples.
* **Negative sampling's optimum.** The expected loss of one logit x,
  :math:`-q \log \sigma(x) - k\, n \log \sigma(-x)` (label probability q,
  k negatives from noise probability n), is stationary at
  :math:`x^{*} = \log(q / (k n))` (:func:`negative_sampling_stationary`)
  with second derivative :math:`(q + k n)\, \sigma(x) \sigma(-x) > 0`
  (:func:`negative_sampling_curvature`); :math:`x^{*}` is the log-ratio
  :math:`\log(q / n) - \log k` (shifted PMI,
  :func:`negative_sampling_shifted_pmi`), and a softmax of these logits
  gives :math:`q_w / n_w` renormalised (:func:`negative_sampling_softmax`),
  not q.

See chapter 12, *Cross-entropy at scale*.
"""

from typing import Any

import sympy as sp

from ._core import Identity, index_range, normalised
from .scale import V, w
from .symbols import p, sigmoid, z

__all__ = [
    "Q",
    "noise",
    "y",
    "m",
    "x",
    "k_neg",
    "q_w",
    "n_w",
    "Z",
    "delta",
    "importance_weight_unbiased",
    "label_added_back_unbiased",
    "relative_variance_is_chi_square",
    "log_second_order",
    "sampled_loss_bias",
    "negative_sampling_expected_loss",
    "negative_sampling_optimum",
    "negative_sampling_stationary",
    "negative_sampling_curvature",
    "negative_sampling_shifted_pmi",
    "negative_sampling_softmax",
]

#: The proposal distribution of sampled softmax and the noise distribution
#: of negative sampling, over the vocabulary (entries positive).
Q = sp.IndexedBase("Q", positive=True)
noise = sp.IndexedBase("P_n", positive=True)
#: The label (a vocabulary index) and the number of samples.
y = sp.Symbol("y", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
#: One logit, the number of negatives, and the two probabilities it meets.
x = sp.Symbol("x", real=True)
k_neg = sp.Symbol("k", positive=True)
q_w = sp.Symbol("q_w", positive=True)
n_w = sp.Symbol("n_w", positive=True)
#: The normaliser and a deviation from it.
Z = sp.Symbol("Z", positive=True)
delta = sp.Symbol("delta", real=True)


def importance_weight_unbiased() -> Identity:
    r""":math:`\sum_w Q_w \, e^{z_w} / Q_w = \sum_w e^{z_w}`.

    That is, :math:`E_Q[e^{z_s}/Q_s] = Z`.

    Examples
    --------
    >>> importance_weight_unbiased().holds()
    True
    """
    lhs = sp.Sum(Q[w] * (sp.exp(z[w]) / Q[w]), (w, 1, V))
    rhs = sp.Sum(sp.exp(z[w]), (w, 1, V))
    return Identity(lhs, rhs)


def label_added_back_unbiased() -> Identity:
    r"""Accidental hits removed, the label added back: still unbiased for Z.

    .. math::

        \sum_w Q_w \,[w \ne y]\, \frac{e^{z_w}}{Q_w} + e^{z_y}
        = \sum_w e^{z_w}, \qquad 1 \le y \le V.

    Examples
    --------
    >>> label_added_back_unbiased().holds()
    True
    """
    lhs = sp.Sum(
        Q[w] * (1 - sp.KroneckerDelta(w, y)) * sp.exp(z[w]) / Q[w], (w, 1, V)
    ) + sp.exp(z[y])
    rhs = sp.Sum(sp.exp(z[w]), (w, 1, V))
    return Identity(lhs, rhs, hypotheses=(index_range(y, V),))


def relative_variance_is_chi_square() -> Identity:
    r""":math:`\sum_w Q_w (p_w/Q_w)^2 - 1 = \sum_w (p_w - Q_w)^2 / Q_w`.

    With :math:`e^{z_w} = Z p_w`, the left side is
    :math:`\operatorname{Var}_Q(e^{z_s}/Q_s) / Z^2`; the right side is the
    chi-square divergence :math:`\chi^2(p \,\|\, Q)`. Both p and Q are
    distributions (hypotheses).

    Examples
    --------
    >>> relative_variance_is_chi_square().holds()
    True
    """
    lhs = sp.Sum(Q[w] * (p[w] / Q[w]) ** 2, (w, 1, V)) - 1
    rhs = sp.Sum((p[w] - Q[w]) ** 2 / Q[w], (w, 1, V))
    return Identity(
        lhs,
        rhs,
        hypotheses=(
            normalised(p, w, V, name="p is a distribution"),
            normalised(Q, w, V, name="Q is a distribution"),
        ),
    )


def log_second_order() -> Identity:
    r"""The second-order Taylor polynomial of :math:`\log(Z + \delta)` at 0.

    SymPy's ``series`` computes the left side; the right side is the claim
    :math:`\log Z + \delta / Z - \delta^2 / (2 Z^2)`.

    Examples
    --------
    >>> log_second_order().holds()
    True
    """
    series = sp.series(sp.log(Z + delta), delta, 0, 3).removeO()
    claim = sp.log(Z) + delta / Z - delta**2 / (2 * Z**2)
    return Identity(series, claim)


def sampled_loss_bias(variance: sp.Expr | None = None) -> Any:
    r"""The second-order bias :math:`E[\log \hat Z] - \log Z`.

    Take the expectation of :func:`log_second_order` term by term with
    :math:`E[\delta] = 0`, :math:`E[\delta^2] = \operatorname{Var}(\hat Z)`:
    :math:`-\operatorname{Var}(\hat Z) / (2 Z^2)`.

    Parameters
    ----------
    variance : sympy.Expr, optional
        :math:`\operatorname{Var}(\hat Z)`; a symbol by default.

    Examples
    --------
    >>> print(sampled_loss_bias())
    -Var/(2*Z**2)
    """
    var = sp.Symbol("Var", nonnegative=True) if variance is None else variance
    series = sp.series(sp.log(Z + delta), delta, 0, 3).removeO()
    expectation = sp.expand(series - sp.log(Z)).subs(delta**2, var)
    return expectation.subs(delta, 0)


def negative_sampling_expected_loss(logit: sp.Expr = x) -> Any:
    r"""One logit's share of the expected negative-sampling loss.

    .. math::

        -q_w \log \sigma(x) - k\, n_w \log \sigma(-x)

    (the label is w with probability :math:`q_w`; each of k negatives is w
    with probability :math:`n_w`).
    """
    return -q_w * sp.log(sigmoid(logit)) - k_neg * n_w * sp.log(sigmoid(-logit))


def negative_sampling_optimum() -> Any:
    r""":math:`x^{*} = \log \dfrac{q_w}{k\, n_w}`."""
    return sp.log(q_w / (k_neg * n_w))


def negative_sampling_stationary() -> Identity:
    r"""The derivative of :func:`negative_sampling_expected_loss` is 0 at :math:`x^{*}`.

    Examples
    --------
    >>> negative_sampling_stationary().holds()
    True
    """
    slope = sp.diff(negative_sampling_expected_loss(), x)
    return Identity(slope.subs(x, negative_sampling_optimum()), sp.Integer(0))


def negative_sampling_curvature() -> Identity:
    r"""Second derivative :math:`(q_w + k n_w)\, \sigma(x)\, \sigma(-x)`: convex.

    Examples
    --------
    >>> negative_sampling_curvature().holds()
    True
    """
    second = sp.diff(negative_sampling_expected_loss(), x, 2)
    return Identity(second, (q_w + k_neg * n_w) * sigmoid(x) * sigmoid(-x))


def negative_sampling_shifted_pmi() -> Identity:
    r""":math:`x^{*} = \log(q_w / n_w) - \log k`: a log-ratio shifted by log k.

    Examples
    --------
    >>> negative_sampling_shifted_pmi().holds()
    True
    """
    return Identity(negative_sampling_optimum(), sp.log(q_w / n_w) - sp.log(k_neg))


def negative_sampling_softmax(vocab: int = 3, word: int = 1) -> Identity:
    r"""A softmax of the optimal logits is :math:`q_w / n_w`, renormalised.

    .. math::

        \frac{e^{x^{*}_w}}{\sum_v e^{x^{*}_v}}
        = \frac{q_w / n_w}{\sum_v q_v / n_v},

    checked for a concrete vocabulary (``vocab`` words, entry ``word``),
    with :math:`x^{*}_v = \log(q_v / (k n_v))`.

    Examples
    --------
    >>> negative_sampling_softmax(3, 1).holds()
    True
    """
    qs = sp.IndexedBase("q", positive=True)
    optimum = [sp.log(qs[v] / (k_neg * noise[v])) for v in range(1, vocab + 1)]
    lhs = sp.exp(optimum[word - 1]) / sp.Add(*[sp.exp(o) for o in optimum])
    rhs = (qs[word] / noise[word]) / sp.Add(
        *[qs[v] / noise[v] for v in range(1, vocab + 1)]
    )
    return Identity(lhs, rhs)
