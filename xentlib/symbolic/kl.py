"""Chapter 3, *KL divergence*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from .information import (  # re-exports
    GaussianKL,
    LogBound,
    expected_square_identity,
    forward_kl_cross_entropy,
    forward_kl_minimiser,
    gaussian_density,
    gaussian_kl_integral,
    gaussian_kl_symbols,
    gaussian_kl_textbook,
    gibbs_sum_bound,
    kl_continuous_definition,
    kl_discrete_definition,
    log_bound,
    mixture_moment_identities,
)

__all__ = [
    "GaussianKL",
    "kl_discrete_definition",
    "kl_continuous_definition",
    "gaussian_density",
    "gaussian_kl_symbols",
    "gaussian_kl_textbook",
    "gaussian_kl_integral",
    "LogBound",
    "log_bound",
    "gibbs_sum_bound",
    "mixture_moment_identities",
    "expected_square_identity",
    "forward_kl_cross_entropy",
    "forward_kl_minimiser",
]
