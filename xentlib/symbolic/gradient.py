r"""SymPy derivations for chapter 6, *The gradient*.

The loss is the cross-entropy of a softmax output against a target
distribution :math:`q`,

.. math::

    L(z) = H(q, \operatorname{softmax}(z))
         = -\sum_{r=1}^{K} q_r \log \operatorname{softmax}(z)_r .

As in :mod:`xentlib.symbolic.softmax`, the general results hold for a
**symbolic** number of classes ``K``: logits and targets are indexed families
``z[r]``, ``q[r]`` (SymPy ``IndexedBase``), and sums are ``Sum`` objects over
``r`` (the outer index) or ``k`` (the softmax normaliser). SymPy differentiates
the loss itself; nothing is assumed about :math:`q` until the step that needs
:math:`\sum_r q_r = 1`, and the functions below say which ones do.

Matrix statements (Hessians, the batch gradient) are made for a concrete
``K`` with plain symbols; the tests check them for several ``K``.

See chapter 6, *The gradient*.
"""

import sympy as sp

from .symbols import sigmoid as _sigmoid

from ._core import Identity, index_range
from .softmax import (K, i, j, z, logit_symbols, normaliser,
                      softmax_entry, softmax_vector)

__all__ = [
    "q",
    "p",
    "r",
    "y",
    "x",
    "target_sum",
    "loss",
    "loss_split",
    "loss_logsumexp",
    "gradient_general",
    "gradient_direct",
    "chain_rule_sum",
    "chain_rule_identity",
    "probability_gradient",
    "hessian_logits_entry",
    "hessian_probabilities_entry",
    "target_symbols",
    "loss_concrete",
    "hessian_logits_matrix",
    "hessian_probabilities_matrix",
    "batch_gradient",
    "sigmoid",
    "binary_loss",
    "binary_gradient",
    "binary_second_derivative",
    "misprinted_binary_gradient",
]

#: Target and model probabilities as indexed families, ``r`` the index of
#: the loss's sum (``k`` stays the index of the softmax normaliser).
from .symbols import q, p, r  # noqa: E402 - shared symbols
#: The binary case, with a label or target probability ``y`` and one logit ``x``.
y = sp.Symbol("y", real=True)
x = sp.Symbol("x", real=True)


def target_sum(n=K):
    r""":math:`\sum_{r=1}^{K} q_r`, which is 1 for a distribution."""
    return sp.Sum(q[r], (r, 1, n))


def loss(n=K):
    r""":math:`L = -\sum_{r=1}^{K} q_r \log \operatorname{softmax}(z)_r`.

    Examples
    --------
    >>> print(loss())
    -Sum(log(exp(z[r])/Sum(exp(z[k]), (k, 1, K)))*q[r], (r, 1, K))
    """
    return -sp.Sum(q[r] * sp.log(softmax_entry(r, n=n)), (r, 1, n))


def _q_times_z():
    """:math:`q_r z_r`, kept in the order it is written for display."""
    return sp.Mul(q[r], z[r], evaluate=False)


def loss_split(n=K):
    r"""The loss, split: :math:`-\sum_r q_r z_r + \bigl(\sum_r q_r\bigr) \log \sum_k e^{z_k}`.

    True for any real :math:`q`: it only uses
    :math:`\log \operatorname{softmax}(z)_r = z_r - \log \sum_k e^{z_k}`.

    Examples
    --------
    >>> loss_split().holds()
    True
    """
    rhs = sp.Add(-sp.Sum(_q_times_z(), (r, 1, n)),
                 sp.Mul(target_sum(n), sp.log(normaliser(n=n)),
                        evaluate=False), evaluate=False)
    return Identity(loss(n), rhs)


def loss_logsumexp(n=K):
    r""":math:`-\sum_r q_r z_r + \log \sum_k e^{z_k}`: the loss when :math:`\sum_r q_r = 1`.

    This is :func:`loss_split` with the target sum replaced by 1, the only
    place where the derivation from this form uses that :math:`q` is a
    distribution.
    """
    return sp.Add(-sp.Sum(_q_times_z(), (r, 1, n)), sp.log(normaliser(n=n)),
                  evaluate=False)


def _evaluate_deltas(expr, index, n=K):
    """Evaluate the Kronecker-delta sums, for ``1 <= index <= n``."""
    return sp.refine(expr.doit(), sp.Q.le(index, n))


def gradient_general(n=K):
    r""":math:`\partial L / \partial z_j = \bigl(\sum_r q_r\bigr)\, p_j - q_j`, for any real :math:`q`.

    SymPy differentiates :func:`loss` itself (no assumption on :math:`q`);
    with :math:`\sum_r q_r = 1` the right-hand side is :math:`p_j - q_j`.

    Examples
    --------
    >>> gradient_general().holds()
    True
    """
    derivative = _evaluate_deltas(sp.diff(loss(n), z[j]), j, n)
    return Identity(derivative, target_sum(n) * softmax_entry(j, n=n) - q[j],
                    (index_range(j, n),))


def gradient_direct(n=K):
    r""":math:`\partial/\partial z_j` of :func:`loss_logsumexp` is :math:`p_j - q_j`.

    Examples
    --------
    >>> gradient_direct().holds()
    True
    """
    derivative = _evaluate_deltas(sp.diff(loss_logsumexp(n), z[j]), j, n)
    return Identity(derivative, softmax_entry(j, n=n) - q[j],
                    (index_range(j, n),))


def chain_rule_sum(n=K):
    r"""The chain rule through chapter 5's Jacobian, written in :math:`p`.

    .. math::

        \frac{\partial L}{\partial z_j}
        = \sum_{r=1}^{K} \frac{\partial L}{\partial p_r}
          \frac{\partial p_r}{\partial z_j}
        = \sum_{r=1}^{K} \Bigl(-\frac{q_r}{p_r}\Bigr)\,
          p_r\,(\delta_{rj} - p_j).

    Returned unevaluated (for display); :func:`chain_rule_identity` checks
    what it evaluates to.
    """
    outer = sp.Mul(-q[r] / p[r], p[r], sp.KroneckerDelta(r, j) - p[j],
                   evaluate=False)
    return sp.Sum(outer, (r, 1, n))


def chain_rule_identity(n=K):
    r"""The chain-rule sum equals :math:`p_j \sum_r q_r - q_j`.

    Evaluating the Kronecker delta leaves :math:`-q_j`; the other term is
    :math:`p_j \sum_r q_r`, which is :math:`p_j` only when
    :math:`\sum_r q_r = 1`.

    Examples
    --------
    >>> chain_rule_identity().holds()
    True
    """
    return Identity(chain_rule_sum(n), p[j] * sp.Sum(q[r], (r, 1, n)) - q[j],
                    (index_range(j, n),))


def probability_gradient(n=K):
    r""":math:`\partial L / \partial p_j = -q_j / p_j`, treating :math:`p` as free.

    Unbounded as :math:`p_j \to 0` where :math:`q_j > 0`, unlike the gradient
    in the logits.

    Examples
    --------
    >>> probability_gradient().holds()
    True
    """
    in_p = -sp.Sum(q[r] * sp.log(p[r]), (r, 1, n))
    derivative = _evaluate_deltas(sp.diff(in_p, p[j]), j, n)
    return Identity(derivative, -q[j] / p[j], (index_range(j, n),))


def hessian_logits_entry(n=K):
    r""":math:`\partial^2 L / \partial z_i \partial z_j = p_j(\delta_{ij} - p_i)`.

    SymPy differentiates the gradient :math:`p_j - q_j` of
    :func:`gradient_direct` once more; :math:`q` drops out, so the Hessian
    in the logits does not depend on the target. It is chapter 5's Jacobian
    :math:`\operatorname{diag}(p) - p p^{\mathsf T}`.

    Examples
    --------
    >>> entry = hessian_logits_entry()
    >>> entry.holds(), entry.lhs.has(q)
    (True, False)
    """
    derivative = _evaluate_deltas(sp.diff(gradient_direct(n).lhs, z[i]), i, n)
    p_i, p_j = softmax_entry(i, n=n), softmax_entry(j, n=n)
    return Identity(derivative, p_j * (sp.KroneckerDelta(i, j) - p_i),
                    (index_range(i, n), index_range(j, n)))


def hessian_probabilities_entry(n=K):
    r""":math:`\partial^2 L / \partial p_i \partial p_j = \delta_{ij}\, q_j / p_j^2`.

    The loss :math:`-\sum_r q_r \log p_r` with the :math:`p_r` treated as
    free positive variables: a diagonal matrix.

    Examples
    --------
    >>> hessian_probabilities_entry().holds()
    True
    """
    first = probability_gradient(n).lhs
    derivative = _evaluate_deltas(sp.diff(first, p[i]), i, n)
    return Identity(derivative, sp.KroneckerDelta(i, j) * q[j] / p[j] ** 2,
                    (index_range(i, n), index_range(j, n)))


# --- concrete K ---------------------------------------------------------------


def target_symbols(n, *, distribution=True):
    r"""Targets ``q1..qn`` for a concrete ``K``.

    With ``distribution=True`` the last one is :math:`1 - \sum_{r<n} q_r`,
    so the targets sum to one by construction.
    """
    free = sp.symbols(f"q1:{n + 1}", real=True)
    if not distribution:
        return list(free)
    return list(free[:-1]) + [1 - sum(free[:-1])]


def loss_concrete(logits, targets):
    r""":math:`-\sum_r q_r \log \operatorname{softmax}(z)_r` for concrete lists."""
    probabilities = softmax_vector(logits)
    return -sum(t * sp.log(v) for t, v in zip(targets, probabilities))


def hessian_logits_matrix(n):
    r"""SymPy's Hessian of the loss in ``n`` logits, targets summing to one.

    Returns
    -------
    (hessian, logits, targets)
        The Hessian equals chapter 5's
        :math:`\operatorname{diag}(p) - p p^{\mathsf T}` (see the tests).
    """
    logits = logit_symbols(n)
    targets = target_symbols(n)
    return sp.hessian(loss_concrete(logits, targets), logits), logits, targets


def hessian_probabilities_matrix(n):
    r"""SymPy's Hessian of :math:`-\sum_r q_r \log p_r` in free ``p1..pn``.

    Returns
    -------
    (hessian, probabilities, targets)
        The Hessian equals :math:`\operatorname{diag}(q_r / p_r^2)`.
    """
    probabilities = sp.symbols(f"p1:{n + 1}", positive=True)
    targets = sp.symbols(f"q1:{n + 1}", nonnegative=True)
    value = -sum(t * sp.log(v) for t, v in zip(targets, probabilities))
    return sp.hessian(value, probabilities), probabilities, targets


def batch_gradient(n_rows, n_classes):
    r"""The gradient of the mean loss over a batch, and :math:`(P - Q)/N`.

    Logits ``Z`` and targets ``Q`` are ``n_rows x n_classes`` matrices of
    symbols (each target row sums to one by construction); the loss is
    :math:`\frac1N \sum_n H(Q_n, \operatorname{softmax}(Z_n))`.

    Returns
    -------
    (gradient, expected)
        SymPy's derivative of the mean in every ``Z[n, c]`` and
        :math:`(P - Q)/N`, both ``Matrix``.

    Examples
    --------
    >>> from xentlib.symbolic.softmax import matrix_identity_holds
    >>> matrix_identity_holds(*batch_gradient(2, 2))
    True
    """
    rows_z, rows_q = [], []
    for row in range(1, n_rows + 1):
        rows_z.append(sp.symbols(f"z{row}_1:{n_classes + 1}", real=True))
        free = sp.symbols(f"q{row}_1:{n_classes}", real=True)
        rows_q.append(list(free) + [1 - sum(free)])
    mean = sum(loss_concrete(zr, qr) for zr, qr in zip(rows_z, rows_q))
    mean = mean / n_rows
    gradient = sp.Matrix([[sp.diff(mean, v) for v in zr] for zr in rows_z])
    probabilities = sp.Matrix([list(softmax_vector(zr)) for zr in rows_z])
    expected = (probabilities - sp.Matrix(rows_q)) / n_rows
    return gradient, expected


# --- two classes: sigmoid and binary cross-entropy ----------------------------


def sigmoid(logit=x):
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`."""
    return _sigmoid(logit)


def binary_loss():
    r""":math:`-\bigl(y \log \sigma(x) + (1 - y) \log(1 - \sigma(x))\bigr)`."""
    s = sigmoid()
    return -(y * sp.log(s) + (1 - y) * sp.log(1 - s))


def binary_gradient():
    r""":math:`\frac{d}{dx}` of :func:`binary_loss` is :math:`\sigma(x) - y`.

    Examples
    --------
    >>> binary_gradient().holds()
    True
    """
    return Identity(sp.diff(binary_loss(), x), sigmoid() - y)


def binary_second_derivative():
    r""":math:`\frac{d^2}{dx^2}` of :func:`binary_loss` is :math:`\sigma(x)(1 - \sigma(x))`.

    Positive for every :math:`x` and independent of :math:`y`: the binary
    loss is convex in the logit.

    Examples
    --------
    >>> binary_second_derivative().holds()
    True
    """
    s = sigmoid()
    return Identity(sp.diff(binary_loss(), x, 2), s * (1 - s))


def misprinted_binary_gradient():
    r"""The derivative of a popular misprint, :math:`-y\log\sigma + (1-y)\log(1-\sigma)`.

    The minus sign covers only the first term, so the second term is
    *rewarded* instead of penalised. Its derivative is
    :math:`-y(1 - \sigma(x)) - (1 - y)\,\sigma(x)`, not
    :math:`\sigma(x) - y`.

    Examples
    --------
    >>> misprinted_binary_gradient().holds()
    True
    """
    s = sigmoid()
    misprint = -y * sp.log(s) + (1 - y) * sp.log(1 - s)
    return Identity(sp.diff(misprint, x), -y * (1 - s) - (1 - y) * s)
