"""Chapter 2, *Entropy*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from __future__ import annotations

import sympy as sp

from .information import (  # re-exports
    Entropy,
    K,
    binary_entropy_bits,
    binary_entropy_derivative,
    binary_entropy_maximum,
    entropy_hessian,
    expected_surprise,
    i,
    j,
    k,
    lam,
    p,
    uniform_entropy,
    x,
)
from .information import (
    at_k_one_distribution as at_k,
)
from .information import entropy_sum as _entropy_sum
from .information import (
    max_entropy_lagrange_solution as lagrange_solution,
)
from .information import (
    max_entropy_lagrangian as lagrangian,
)
from .information import (
    max_entropy_stationarity as stationarity,
)
from .information import (
    max_entropy_stationary_point as stationary_point,
)


def entropy_sum(n: int | sp.Expr = K) -> sp.Expr:
    r"""The sum :math:`-\sum_{i=1}^{n} p_i \log p_i` (nats), of ``p``.

    Examples
    --------
    >>> entropy_sum(2).doit()
    -log(p[1])*p[1] - log(p[2])*p[2]
    """
    return _entropy_sum(p, n)


__all__ = [
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
    "lagrangian",
    "stationarity",
    "stationary_point",
    "uniform_entropy",
    "entropy_hessian",
    "lagrange_solution",
    "at_k",
    "binary_entropy_bits",
    "binary_entropy_derivative",
    "binary_entropy_maximum",
]
