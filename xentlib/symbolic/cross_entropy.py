"""Chapter 4, *Cross-entropy*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from .information import (  # re-exports
    CrossEntropy,
    Entropy,
    K,
    KLDivergence,
    at_k,
    chain_latex,
    cross_entropy_sum,
    decomposition,
    decomposition_chain,
    definitions,
    entropy_sum,
    expand_definitions,
    i,
    j,
    k,
    kl_sum,
    lam,
    linearity_identity,
    minus_log_limit,
    one_hot_cross_entropy,
    one_hot_holds,
    p,
    q,
    self_cross_entropy,
    termwise_identity,
    zero_log_zero_limit,
)
from .information import (
    min_cross_entropy_lagrange_solution as lagrange_solution,
)
from .information import (
    min_cross_entropy_lagrangian as lagrangian,
)
from .information import (
    min_cross_entropy_stationarity as stationarity,
)
from .information import (
    min_cross_entropy_stationary_point as stationary_point,
)

__all__ = [
    "K",
    "i",
    "j",
    "q",
    "p",
    "lam",
    "CrossEntropy",
    "Entropy",
    "KLDivergence",
    "cross_entropy_sum",
    "entropy_sum",
    "kl_sum",
    "definitions",
    "expand_definitions",
    "termwise_identity",
    "linearity_identity",
    "decomposition",
    "decomposition_chain",
    "self_cross_entropy",
    "k",
    "one_hot_cross_entropy",
    "one_hot_holds",
    "lagrangian",
    "stationarity",
    "stationary_point",
    "lagrange_solution",
    "zero_log_zero_limit",
    "minus_log_limit",
    "at_k",
    "chain_latex",
]
