r"""SymPy derivations for chapter 6, *Softmax*.

The general results hold for a **symbolic** number of classes ``K``: the
logits are an indexed family ``z[i]`` (SymPy ``IndexedBase``, real) and the
normaliser is ``Sum(exp(z[k]), (k, 1, K))``. That covers the definition, shift
invariance, the Jacobian entry :math:`p_i(\delta_{ij} - p_j)`, its zero row
sums, log-sum-exp with any shift, and ``log softmax = z - LSE(z)``.

Statements about the matrix as a whole (symmetry, the quadratic form behind
positive semi-definiteness) and about the temperature limits are made for a
concrete ``K`` with plain symbols (:func:`logit_symbols`), where SymPy can
build matrices and take limits; the tests check them for several ``K``.

The cross-entropy of a softmax output against a target :math:`q`,
:math:`L(z) = -\sum_r q_r \log \operatorname{softmax}(z)_r`, and its
derivatives live here too (chapter 7, *The gradient*): the gradient
:math:`(\sum_r q_r) p_j - q_j`, which is :math:`p_j - q_j` under the
hypothesis :math:`\sum_r q_r = 1`, the Hessians in the logits and in the
probabilities, and the two-class case with the sigmoid.

See chapters 6, *Softmax*, and 6, *The gradient*.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ._core import Definition, Identity, all_hold, index_range
from .symbols import K, T, i, j, k, p, q, r, z
from .symbols import sigmoid as _sigmoid

__all__ = [
    "K",
    "i",
    "j",
    "k",
    "z",
    "c",
    "m",
    "T",
    "a",
    "normaliser",
    "softmax_entry",
    "definition",
    "shift_invariance",
    "shift_invariance_chain",
    "jacobian_entry",
    "jacobian_identity",
    "jacobian_row_sum",
    "logsumexp_shift",
    "log_softmax_identity",
    "sigmoid_identity",
    "logit_symbols",
    "softmax_vector",
    "jacobian_matrix",
    "jacobian_formula",
    "matrix_identity_holds",
    "quadratic_form_identity",
    "temperature_softmax_top",
    "temperature_limits",
    "entropy_temperature_derivative",
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

# K, i, j, k, z, T are the shared symbols (``k`` runs over the normaliser).
#: A shift of the logits and a reference value of the log-sum-exp.
c = sp.Symbol("c", real=True)
m = sp.Symbol("m", real=True)
#: The logit of the two-class case.
a = sp.Symbol("a", real=True)


def normaliser(logits: sp.IndexedBase | _Shifted = z, n: int | sp.Expr = K) -> sp.Expr:
    r"""The sum :math:`\sum_{k=1}^{K} e^{z_k}` (the partition function)."""
    return sp.Sum(sp.exp(logits[k]), (k, 1, n))


def softmax_entry(
    index: sp.Symbol = i, logits: sp.IndexedBase | _Shifted = z, n: int | sp.Expr = K
) -> sp.Expr:
    r""":math:`\operatorname{softmax}(z)_i = e^{z_i} / \sum_{k=1}^{K} e^{z_k}`.

    ``logits`` is any object that can be indexed with a SymPy index (an
    ``IndexedBase``, or the shifted family ``z + c`` of
    :func:`shift_invariance`).
    """
    return sp.exp(logits[index]) / normaliser(logits, n)


class _Shifted:
    """``z + c`` as an indexable family: ``_Shifted(z, c)[i] == z[i] + c``."""

    def __init__(self, base: sp.IndexedBase, shift: sp.Expr) -> None:
        self.base, self.shift = base, shift

    def __getitem__(self, index: sp.Symbol) -> sp.Expr:
        return self.base[index] + self.shift


def definition(n: int | sp.Expr = K) -> Definition:
    r"""The definition, with :math:`p_i` as its name, for display.

    Examples
    --------
    >>> print(definition().rhs)
    exp(z[i])/Sum(exp(z[k]), (k, 1, K))
    """
    p_i = sp.Symbol("p_i", positive=True)
    return Definition(p_i, softmax_entry(n=n))


def shift_invariance(n: int | sp.Expr = K) -> Identity:
    r"""Shift invariance:
    :math:`\operatorname{softmax}(z + c) = \operatorname{softmax}(z)`.

    .. math::

        \frac{e^{z_i + c}}{\sum_{k=1}^{K} e^{z_k + c}}
        = \frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}}

    for every real ``c`` and a symbolic ``K``.

    Examples
    --------
    >>> shift_invariance().holds()
    True
    """
    return Identity(softmax_entry(logits=_Shifted(z, c), n=n), softmax_entry(n=n))


def _fraction(numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
    """``numerator / denominator`` kept as written (no cancellation)."""
    return sp.Mul(numerator, sp.Pow(denominator, -1, evaluate=False), evaluate=False)


def shift_invariance_chain(n: int | sp.Expr = K) -> list[sp.Expr]:
    r"""The steps: :math:`e^{z+c} = e^c e^z`, then :math:`e^c` leaves the sum.

    A list of equal expressions; the chapter checks every link.
    """
    first = shift_invariance(n).lhs
    factor = sp.exp(c)
    split = _fraction(
        sp.Mul(factor, sp.exp(z[i]), evaluate=False),
        sp.Sum(sp.Mul(factor, sp.exp(z[k]), evaluate=False), (k, 1, n)),
    )
    pulled = _fraction(
        sp.Mul(factor, sp.exp(z[i]), evaluate=False),
        sp.Mul(factor, normaliser(n=n), evaluate=False),
    )
    return [first, split, pulled, softmax_entry(n=n)]


def jacobian_entry(n: int | sp.Expr = K) -> sp.Expr:
    r"""The derivative :math:`\partial p_i / \partial z_j`, computed by SymPy.

    Differentiating the quotient gives
    :math:`\delta_{ij} e^{z_i} / S - e^{z_i} \sum_k \delta_{jk} e^{z_k} / S^2`
    with :math:`S = \sum_k e^{z_k}`; the sum over the Kronecker delta is
    evaluated for :math:`1 \le j \le K`, leaving :math:`e^{z_j}`.

    Examples
    --------
    >>> entry = jacobian_entry()
    >>> entry.has(sp.KroneckerDelta(i, j))
    True
    """
    derivative = sp.diff(softmax_entry(n=n), z[j])
    return sp.refine(derivative.doit(), sp.Q.le(j, n))


def jacobian_identity(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial p_i/\partial z_j = p_i (\delta_{ij} - p_j)` for symbolic K.

    Examples
    --------
    >>> jacobian_identity().holds()
    True
    """
    p_i, p_j = softmax_entry(i, n=n), softmax_entry(j, n=n)
    return Identity(
        jacobian_entry(n), p_i * (sp.KroneckerDelta(i, j) - p_j), (index_range(j, n),)
    )


def jacobian_row_sum(n: int | sp.Expr = K) -> Identity:
    r"""A row of the Jacobian sums to zero: :math:`\sum_j p_i(\delta_{ij} - p_j) = 0`.

    The sum over the Kronecker delta leaves :math:`p_i`; the other term is
    :math:`p_i \sum_j p_j = p_i`, for a class index :math:`1 \le i \le K`
    (a stated hypothesis).

    Examples
    --------
    >>> jacobian_row_sum().holds()
    True
    """
    row = sp.Sum(jacobian_identity(n).rhs, (j, 1, n))
    return Identity(row, sp.Integer(0), (index_range(i, n),))


def logsumexp_shift(n: int | sp.Expr = K) -> Identity:
    r"""Log-sum-exp with any shift :math:`m`, the basis of the stable algorithm.

    .. math::

        \log \sum_{k=1}^{K} e^{z_k} = m + \log \sum_{k=1}^{K} e^{z_k - m}.

    True for every real ``m``; the algorithm takes :math:`m = \max_k z_k`.

    Examples
    --------
    >>> logsumexp_shift().holds()
    True
    """
    shifted = sp.Sum(sp.exp(sp.Add(z[k], -m, evaluate=False)), (k, 1, n))
    return Identity(sp.log(normaliser(n=n)), m + sp.log(shifted))


def log_softmax_identity(n: int | sp.Expr = K) -> Identity:
    r""":math:`\log \operatorname{softmax}(z)_i = z_i - \log \sum_k e^{z_k}`.

    The normaliser is a sum of exponentials over a non-empty range, hence
    positive, so the logarithm of the quotient splits; the checker proves
    that positivity itself (no hypothesis is needed).

    Examples
    --------
    >>> log_softmax_identity().holds()
    True
    """
    lhs = sp.log(softmax_entry(n=n))
    rhs = sp.Add(z[i], -sp.log(normaliser(n=n)), evaluate=False)
    return Identity(lhs, rhs)


def sigmoid_identity() -> Identity:
    r"""The logistic sigmoid is the two-class softmax with logits ``(a, 0)``.

    .. math::

        \frac{e^{a}}{e^{a} + e^{0}} = \frac{1}{1 + e^{-a}} = \sigma(a).

    Examples
    --------
    >>> sigmoid_identity().holds()
    True
    """
    two = softmax_vector([a, sp.Integer(0)])
    return Identity(two[0], 1 / (1 + sp.exp(-a)))


def logit_symbols(n: int) -> tuple[sp.Symbol, ...]:
    """Real symbols ``z1..zn`` for a concrete number of classes."""
    return sp.symbols(f"z1:{n + 1}", real=True)


def softmax_vector(logits: Sequence[sp.Expr]) -> sp.Matrix:
    """The softmax of a concrete list of SymPy logits, as a column ``Matrix``."""
    exps = [sp.exp(v) for v in logits]
    total = sp.Add(*exps)
    return sp.Matrix([e / total for e in exps])


def jacobian_matrix(logits: Sequence[sp.Expr]) -> sp.Matrix:
    """SymPy's Jacobian of :func:`softmax_vector` with respect to ``logits``."""
    return softmax_vector(logits).jacobian(sp.Matrix(logits))


def jacobian_formula(logits: Sequence[sp.Expr]) -> sp.Matrix:
    r""":math:`\operatorname{diag}(p) - p p^{\mathsf T}` with ``p`` the softmax."""
    p = softmax_vector(logits)
    return sp.diag(*p) - p * p.T


def matrix_identity_holds(lhs: sp.Matrix, rhs: sp.Matrix) -> bool:
    """True when every entry of ``lhs - rhs`` simplifies to zero.

    Examples
    --------
    >>> logits = logit_symbols(3)
    >>> matrix_identity_holds(jacobian_matrix(logits), jacobian_formula(logits))
    True
    """
    return all_hold(sp.Matrix(lhs), sp.Matrix(rhs))


def quadratic_form_identity(n: int) -> Identity:
    r""":math:`v^{\mathsf T} (\operatorname{diag}(p) - p p^{\mathsf T}) v
    = \sum_i p_i (v_i - \bar v)^2`.

    With :math:`\bar v = \sum_i p_i v_i`: the quadratic form is the variance
    of :math:`v` under :math:`p`, hence never negative (positive
    semi-definite), and zero only for constant :math:`v` when every
    :math:`p_i > 0` (so the null space is the line of :math:`(1, \dots, 1)`
    and the rank is :math:`K - 1`). The identity uses :math:`\sum_i p_i = 1`,
    so ``p`` is written as a softmax of ``n`` real logits.

    Examples
    --------
    >>> quadratic_form_identity(3).holds()
    True
    """
    logits = logit_symbols(n)
    v = sp.Matrix(sp.symbols(f"v1:{n + 1}", real=True))
    p = softmax_vector(logits)
    mean = (p.T * v)[0]
    lhs = (v.T * jacobian_formula(logits) * v)[0]
    rhs = sum(p[r] * (v[r] - mean) ** 2 for r in range(n))
    return Identity(lhs, rhs)


def temperature_softmax_top(n: int = 3) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    r"""The probability of the largest logit at temperature :math:`T`.

    With the gaps :math:`d_j = z_{\max} - z_j > 0` to the other ``n - 1``
    logits (positive symbols ``d2..dn``),

    .. math::

        \operatorname{softmax}(z / T)_{\max}
        = \frac{1}{1 + \sum_{j \ge 2} e^{-d_j / T}}.

    Returns
    -------
    (expression, gaps)
    """
    gaps = sp.symbols(f"d2:{n + 1}", positive=True)
    logits = [sp.Integer(0)] + [-d / T for d in gaps]  # shifted by the max
    return softmax_vector(logits)[0], gaps


def temperature_limits(n: int = 3) -> tuple[Identity, Identity]:
    r"""The limits of :func:`temperature_softmax_top` as :math:`T \to 0^+, \infty`.

    Returns
    -------
    (Identity, Identity)
        :math:`\lim_{T \to 0^+} = 1` (the arg max becomes certain) and
        :math:`\lim_{T \to \infty} = 1/n` (uniform).

    Examples
    --------
    >>> cold, hot = temperature_limits(3)
    >>> cold.rhs, hot.rhs
    (1, 1/3)
    """
    top, _ = temperature_softmax_top(n)
    # The claimed values, stated, not read back from SymPy's own answer.
    cold = Identity(sp.Limit(top, T, 0, "+"), sp.Integer(1))
    hot = Identity(sp.Limit(top, T, sp.oo), sp.Rational(1, n))
    return cold, hot


def entropy_temperature_derivative(n: int = 3) -> Identity:
    r""":math:`\frac{d}{dT} H(\operatorname{softmax}(z/T))
    = \operatorname{Var}_p(z) / T^3`.

    The entropy (in nats) of :math:`p = \operatorname{softmax}(z / T)` for
    ``n`` real logits, differentiated in :math:`T`; the right-hand side is
    the variance of the logits under :math:`p`, divided by :math:`T^3`. A
    variance is never negative, so the entropy never decreases as the
    temperature rises, and it increases strictly unless all logits are equal.

    Returns
    -------
    Identity
        ``dH/dT`` as SymPy computes it (left) and
        ``sum_i p_i (z_i - sum_j p_j z_j)^2 / T^3`` (right).

    Examples
    --------
    >>> entropy_temperature_derivative(2).holds()
    True
    """
    logits = logit_symbols(n)
    p = softmax_vector([v / T for v in logits])
    entropy = -sum(p[r] * sp.log(p[r]) for r in range(n))
    mean = sum(p[r] * logits[r] for r in range(n))
    variance = sum(p[r] * (logits[r] - mean) ** 2 for r in range(n))
    return Identity(sp.Derivative(entropy, T).doit(), variance / T**3)


# === the cross-entropy loss through a softmax (chapter 7) =====================


# q, p are the shared target and model families, ``r`` the index of the
# loss's sum (``k`` stays the index of the softmax normaliser).
#: The binary case, with a label or target probability ``y`` and one logit ``x``.
y = sp.Symbol("y", real=True)
x = sp.Symbol("x", real=True)


def target_sum(n: int | sp.Expr = K) -> sp.Expr:
    r""":math:`\sum_{r=1}^{K} q_r`, which is 1 for a distribution."""
    return sp.Sum(q[r], (r, 1, n))


def loss(n: int | sp.Expr = K) -> sp.Expr:
    r""":math:`L = -\sum_{r=1}^{K} q_r \log \operatorname{softmax}(z)_r`.

    Examples
    --------
    >>> print(loss())
    -Sum(log(exp(z[r])/Sum(exp(z[k]), (k, 1, K)))*q[r], (r, 1, K))
    """
    return -sp.Sum(q[r] * sp.log(softmax_entry(r, n=n)), (r, 1, n))


def _q_times_z() -> sp.Expr:
    """:math:`q_r z_r`, kept in the order it is written for display."""
    return sp.Mul(q[r], z[r], evaluate=False)


def loss_split(n: int | sp.Expr = K) -> Identity:
    r"""The loss, split:
    :math:`-\sum_r q_r z_r + \bigl(\sum_r q_r\bigr) \log \sum_k e^{z_k}`.

    True for any real :math:`q`: it only uses
    :math:`\log \operatorname{softmax}(z)_r = z_r - \log \sum_k e^{z_k}`.

    Examples
    --------
    >>> loss_split().holds()
    True
    """
    rhs = sp.Add(
        -sp.Sum(_q_times_z(), (r, 1, n)),
        sp.Mul(target_sum(n), sp.log(normaliser(n=n)), evaluate=False),
        evaluate=False,
    )
    return Identity(loss(n), rhs)


def loss_logsumexp(n: int | sp.Expr = K) -> sp.Expr:
    r""":math:`-\sum_r q_r z_r + \log \sum_k e^{z_k}`:
    the loss when :math:`\sum_r q_r = 1`.

    This is :func:`loss_split` with the target sum replaced by 1, the only
    place where the derivation from this form uses that :math:`q` is a
    distribution.
    """
    return sp.Add(
        -sp.Sum(_q_times_z(), (r, 1, n)), sp.log(normaliser(n=n)), evaluate=False
    )


def _evaluate_deltas(expr: sp.Expr, index: sp.Symbol, n: int | sp.Expr = K) -> sp.Expr:
    """Evaluate the Kronecker-delta sums, for ``1 <= index <= n``."""
    return sp.refine(expr.doit(), sp.Q.le(index, n))


def gradient_general(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial L / \partial z_j = \bigl(\sum_r q_r\bigr)\, p_j - q_j`,
    for any real :math:`q`.

    SymPy differentiates :func:`loss` itself (no assumption on :math:`q`);
    with :math:`\sum_r q_r = 1` the right-hand side is :math:`p_j - q_j`.

    Examples
    --------
    >>> gradient_general().holds()
    True
    """
    derivative = _evaluate_deltas(sp.diff(loss(n), z[j]), j, n)
    return Identity(
        derivative, target_sum(n) * softmax_entry(j, n=n) - q[j], (index_range(j, n),)
    )


def gradient_direct(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial/\partial z_j` of :func:`loss_logsumexp` is :math:`p_j - q_j`.

    Examples
    --------
    >>> gradient_direct().holds()
    True
    """
    derivative = _evaluate_deltas(sp.diff(loss_logsumexp(n), z[j]), j, n)
    return Identity(derivative, softmax_entry(j, n=n) - q[j], (index_range(j, n),))


def chain_rule_sum(n: int | sp.Expr = K) -> sp.Expr:
    r"""The chain rule through chapter 6's Jacobian, written in :math:`p`.

    .. math::

        \frac{\partial L}{\partial z_j}
        = \sum_{r=1}^{K} \frac{\partial L}{\partial p_r}
          \frac{\partial p_r}{\partial z_j}
        = \sum_{r=1}^{K} \Bigl(-\frac{q_r}{p_r}\Bigr)\,
          p_r\,(\delta_{rj} - p_j).

    Returned unevaluated (for display); :func:`chain_rule_identity` checks
    what it evaluates to.
    """
    outer = sp.Mul(-q[r] / p[r], p[r], sp.KroneckerDelta(r, j) - p[j], evaluate=False)
    return sp.Sum(outer, (r, 1, n))


def chain_rule_identity(n: int | sp.Expr = K) -> Identity:
    r"""The chain-rule sum equals :math:`p_j \sum_r q_r - q_j`.

    Evaluating the Kronecker delta leaves :math:`-q_j`; the other term is
    :math:`p_j \sum_r q_r`, which is :math:`p_j` only when
    :math:`\sum_r q_r = 1`.

    Examples
    --------
    >>> chain_rule_identity().holds()
    True
    """
    return Identity(
        chain_rule_sum(n), p[j] * sp.Sum(q[r], (r, 1, n)) - q[j], (index_range(j, n),)
    )


def probability_gradient(n: int | sp.Expr = K) -> Identity:
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


def hessian_logits_entry(n: int | sp.Expr = K) -> Identity:
    r""":math:`\partial^2 L / \partial z_i \partial z_j = p_j(\delta_{ij} - p_i)`.

    SymPy differentiates the gradient :math:`p_j - q_j` of
    :func:`gradient_direct` once more; :math:`q` drops out, so the Hessian
    in the logits does not depend on the target. It is chapter 6's Jacobian
    :math:`\operatorname{diag}(p) - p p^{\mathsf T}`.

    Examples
    --------
    >>> entry = hessian_logits_entry()
    >>> entry.holds(), entry.lhs.has(q)
    (True, False)
    """
    derivative = _evaluate_deltas(sp.diff(gradient_direct(n).lhs, z[i]), i, n)
    p_i, p_j = softmax_entry(i, n=n), softmax_entry(j, n=n)
    return Identity(
        derivative,
        p_j * (sp.KroneckerDelta(i, j) - p_i),
        (index_range(i, n), index_range(j, n)),
    )


def hessian_probabilities_entry(n: int | sp.Expr = K) -> Identity:
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
    return Identity(
        derivative,
        sp.KroneckerDelta(i, j) * q[j] / p[j] ** 2,
        (index_range(i, n), index_range(j, n)),
    )


# --- concrete K ---------------------------------------------------------------


def target_symbols(n: int, *, distribution: bool = True) -> list[sp.Expr]:
    r"""Targets ``q1..qn`` for a concrete ``K``.

    With ``distribution=True`` the last one is :math:`1 - \sum_{r<n} q_r`,
    so the targets sum to one by construction.
    """
    free = sp.symbols(f"q1:{n + 1}", real=True)
    if not distribution:
        return list(free)
    return [*free[:-1], 1 - sum(free[:-1])]


def loss_concrete(logits: Sequence[sp.Expr], targets: Sequence[sp.Expr]) -> sp.Expr:
    r""":math:`-\sum_r q_r \log \operatorname{softmax}(z)_r` for concrete lists."""
    probabilities = softmax_vector(logits)
    return -sum(t * sp.log(v) for t, v in zip(targets, probabilities, strict=True))


def hessian_logits_matrix(
    n: int,
) -> tuple[sp.Matrix, tuple[sp.Symbol, ...], list[sp.Expr]]:
    r"""SymPy's Hessian of the loss in ``n`` logits, targets summing to one.

    Returns
    -------
    (hessian, logits, targets)
        The Hessian equals chapter 6's
        :math:`\operatorname{diag}(p) - p p^{\mathsf T}` (see the tests).
    """
    logits = logit_symbols(n)
    targets = target_symbols(n)
    return sp.hessian(loss_concrete(logits, targets), logits), logits, targets


def hessian_probabilities_matrix(
    n: int,
) -> tuple[sp.Matrix, tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    r"""SymPy's Hessian of :math:`-\sum_r q_r \log p_r` in free ``p1..pn``.

    Returns
    -------
    (hessian, probabilities, targets)
        The Hessian equals :math:`\operatorname{diag}(q_r / p_r^2)`.
    """
    probabilities = sp.symbols(f"p1:{n + 1}", positive=True)
    targets = sp.symbols(f"q1:{n + 1}", nonnegative=True)
    value = -sum(t * sp.log(v) for t, v in zip(targets, probabilities, strict=True))
    return sp.hessian(value, probabilities), probabilities, targets


def batch_gradient(n_rows: int, n_classes: int) -> tuple[sp.Matrix, sp.Matrix]:
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
        rows_q.append([*free, 1 - sum(free)])
    mean = sum(loss_concrete(zr, qr) for zr, qr in zip(rows_z, rows_q, strict=True))
    mean = mean / n_rows
    gradient = sp.Matrix([[sp.diff(mean, v) for v in zr] for zr in rows_z])
    probabilities = sp.Matrix([list(softmax_vector(zr)) for zr in rows_z])
    expected = (probabilities - sp.Matrix(rows_q)) / n_rows
    return gradient, expected


# --- two classes: sigmoid and binary cross-entropy ----------------------------


def sigmoid(logit: sp.Expr = x) -> sp.Expr:
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`."""
    return _sigmoid(logit)


def binary_loss() -> sp.Expr:
    r""":math:`-\bigl(y \log \sigma(x) + (1 - y) \log(1 - \sigma(x))\bigr)`."""
    s = sigmoid()
    return -(y * sp.log(s) + (1 - y) * sp.log(1 - s))


def binary_gradient() -> Identity:
    r""":math:`\frac{d}{dx}` of :func:`binary_loss` is :math:`\sigma(x) - y`.

    Examples
    --------
    >>> binary_gradient().holds()
    True
    """
    return Identity(sp.diff(binary_loss(), x), sigmoid() - y)


def binary_second_derivative() -> Identity:
    r""":math:`\frac{d^2}{dx^2}` of :func:`binary_loss` is
    :math:`\sigma(x)(1 - \sigma(x))`.

    Positive for every :math:`x` and independent of :math:`y`: the binary
    loss is convex in the logit.

    Examples
    --------
    >>> binary_second_derivative().holds()
    True
    """
    s = sigmoid()
    return Identity(sp.diff(binary_loss(), x, 2), s * (1 - s))


def misprinted_binary_gradient() -> Identity:
    r"""The derivative of a popular misprint,
    :math:`-y\log\sigma + (1-y)\log(1-\sigma)`.

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
