r"""SymPy derivations for chapter 5, *Softmax*.

The general results hold for a **symbolic** number of classes ``K``: the
logits are an indexed family ``z[i]`` (SymPy ``IndexedBase``, real) and the
normaliser is ``Sum(exp(z[k]), (k, 1, K))``. That covers the definition, shift
invariance, the Jacobian entry :math:`p_i(\delta_{ij} - p_j)`, its zero row
sums, log-sum-exp with any shift, and ``log softmax = z - LSE(z)``.

Statements about the matrix as a whole (symmetry, the quadratic form behind
positive semi-definiteness) and about the temperature limits are made for a
concrete ``K`` with plain symbols (:func:`logit_symbols`), where SymPy can
build matrices and take limits; the tests check them for several ``K``.

See chapter 5, *Softmax*.
"""

import sympy as sp

from ._core import Definition, Identity, index_range

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
]

#: Number of classes and three indices (``k`` runs over the normaliser).
from .symbols import K, i, j, k, z, T  # noqa: E402 - shared symbols
#: The logits, a shift, a reference value of the log-sum-exp, a temperature.
c = sp.Symbol("c", real=True)
m = sp.Symbol("m", real=True)
#: The logit of the two-class case.
a = sp.Symbol("a", real=True)


def normaliser(logits=z, n=K):
    r"""The sum :math:`\sum_{k=1}^{K} e^{z_k}` (the partition function)."""
    return sp.Sum(sp.exp(logits[k]), (k, 1, n))


def softmax_entry(index=i, logits=z, n=K):
    r""":math:`\operatorname{softmax}(z)_i = e^{z_i} / \sum_{k=1}^{K} e^{z_k}`.

    ``logits`` is any object that can be indexed with a SymPy index (an
    ``IndexedBase``, or the shifted family ``z + c`` of
    :func:`shift_invariance`).
    """
    return sp.exp(logits[index]) / normaliser(logits, n)


class _Shifted:
    """``z + c`` as an indexable family: ``_Shifted(z, c)[i] == z[i] + c``."""

    def __init__(self, base, shift):
        self.base, self.shift = base, shift

    def __getitem__(self, index):
        return self.base[index] + self.shift


def definition(n=K):
    r"""The definition, with :math:`p_i` as its name, for display.

    Examples
    --------
    >>> print(definition().rhs)
    exp(z[i])/Sum(exp(z[k]), (k, 1, K))
    """
    p_i = sp.Symbol("p_i", positive=True)
    return Definition(p_i, softmax_entry(n=n))


def shift_invariance(n=K):
    r"""Shift invariance: :math:`\operatorname{softmax}(z + c) = \operatorname{softmax}(z)`.

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


def _fraction(numerator, denominator):
    """``numerator / denominator`` kept as written (no cancellation)."""
    return sp.Mul(numerator, sp.Pow(denominator, -1, evaluate=False),
                  evaluate=False)


def shift_invariance_chain(n=K):
    r"""The steps: :math:`e^{z+c} = e^c e^z`, then :math:`e^c` leaves the sum.

    A list of equal expressions; the chapter checks every link.
    """
    first = shift_invariance(n).lhs
    factor = sp.exp(c)
    split = _fraction(sp.Mul(factor, sp.exp(z[i]), evaluate=False), sp.Sum(
        sp.Mul(factor, sp.exp(z[k]), evaluate=False), (k, 1, n)))
    pulled = _fraction(sp.Mul(factor, sp.exp(z[i]), evaluate=False),
                       sp.Mul(factor, normaliser(n=n), evaluate=False))
    return [first, split, pulled, softmax_entry(n=n)]


def jacobian_entry(n=K):
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


def jacobian_identity(n=K):
    r""":math:`\partial p_i/\partial z_j = p_i (\delta_{ij} - p_j)` for symbolic K.

    Examples
    --------
    >>> jacobian_identity().holds()
    True
    """
    p_i, p_j = softmax_entry(i, n=n), softmax_entry(j, n=n)
    return Identity(jacobian_entry(n), p_i * (sp.KroneckerDelta(i, j) - p_j),
                    (index_range(j, n),))


def jacobian_row_sum(n=K):
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


def logsumexp_shift(n=K):
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


def log_softmax_identity(n=K):
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


def sigmoid_identity():
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


def logit_symbols(n):
    """Real symbols ``z1..zn`` for a concrete number of classes."""
    return sp.symbols(f"z1:{n + 1}", real=True)


def softmax_vector(logits):
    """The softmax of a concrete list of SymPy logits, as a column ``Matrix``."""
    exps = [sp.exp(v) for v in logits]
    total = sp.Add(*exps)
    return sp.Matrix([e / total for e in exps])


def jacobian_matrix(logits):
    """SymPy's Jacobian of :func:`softmax_vector` with respect to ``logits``."""
    return softmax_vector(logits).jacobian(sp.Matrix(logits))


def jacobian_formula(logits):
    r""":math:`\operatorname{diag}(p) - p p^{\mathsf T}` with ``p`` the softmax."""
    p = softmax_vector(logits)
    return sp.diag(*p) - p * p.T


def matrix_identity_holds(lhs, rhs):
    """True when every entry of ``lhs - rhs`` simplifies to zero.

    Examples
    --------
    >>> logits = logit_symbols(3)
    >>> matrix_identity_holds(jacobian_matrix(logits), jacobian_formula(logits))
    True
    """
    difference = sp.Matrix(lhs) - sp.Matrix(rhs)
    return all(sp.simplify(entry) == 0 for entry in difference)


def quadratic_form_identity(n):
    r""":math:`v^{\mathsf T} (\operatorname{diag}(p) - p p^{\mathsf T}) v = \sum_i p_i (v_i - \bar v)^2`.

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


def temperature_softmax_top(n=3):
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


def temperature_limits(n=3):
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
    cold = sp.Limit(top, T, 0, "+")
    hot = sp.Limit(top, T, sp.oo)
    return Identity(cold, cold.doit()), Identity(hot, hot.doit())


def entropy_temperature_derivative(n=3):
    r""":math:`\frac{d}{dT} H(\operatorname{softmax}(z/T)) = \operatorname{Var}_p(z) / T^3`.

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
