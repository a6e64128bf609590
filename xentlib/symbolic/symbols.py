r"""The symbols every derivation shares, each with one set of assumptions.

A letter means one SymPy object throughout :mod:`xentlib.symbolic`, so that
expressions from different derivations combine and cancel: ``q[1]`` of the
gradient and ``q[1]`` of the decomposition are the same entry.

========================  ===================================================
``K``                     number of classes (outcomes), a positive integer
``i, j, k, r``            class indices, positive integers
``q``                     the true (target) distribution, entries positive
``p``                     the model's distribution, entries positive
``z``                     logits, real
``lam``                   a Lagrange multiplier, real
``T``                     a temperature, positive
``sigmoid(x)``            :math:`1 / (1 + e^{-x})`
========================  ===================================================

Probabilities are declared positive (not merely nonnegative): that is what
lets a proof split :math:`\log(q_i / p_i)`; the boundary :math:`q_i = 0` is
treated with limits where the book needs it. That :math:`\sum_i q_i = 1` is
*not* an assumption of the symbols: an identity that needs it states it as
the hypothesis ``q_is_distribution`` (or ``p_is_distribution``).
"""

from __future__ import annotations

import sympy as sp

from ._core import normalised

__all__ = [
    "K",
    "i",
    "j",
    "k",
    "r",
    "q",
    "p",
    "z",
    "lam",
    "T",
    "sigmoid",
    "q_is_distribution",
    "p_is_distribution",
]

#: Number of classes and the class indices.
K = sp.Symbol("K", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
r = sp.Symbol("r", integer=True, positive=True)
#: The true distribution, the model's distribution and the logits.
q = sp.IndexedBase("q", positive=True)
p = sp.IndexedBase("p", positive=True)
z = sp.IndexedBase("z", real=True)
#: A Lagrange multiplier and a temperature.
lam = sp.Symbol("lambda", real=True)
T = sp.Symbol("T", positive=True)

#: Hypotheses :math:`\sum_{i=1}^{K} q_i = 1` and :math:`\sum_{i=1}^{K} p_i = 1`.
q_is_distribution = normalised(q, i, K, name="q is a distribution")
p_is_distribution = normalised(p, i, K, name="p is a distribution")


def sigmoid(x: int | sp.Expr) -> sp.Expr:
    r"""The logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Examples
    --------
    >>> sigmoid(0)
    1/2
    """
    return 1 / (1 + sp.exp(-x))
