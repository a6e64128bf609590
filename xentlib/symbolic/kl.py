"""Chapter 3, *KL divergence*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from .information import (  # noqa: F401 - re-exports
    kl_discrete_definition,
    kl_continuous_definition,
    gaussian_density,
    gaussian_kl_symbols,
    gaussian_kl_textbook,
    GaussianKL,
    gaussian_kl_integral,
    LogBound,
    log_bound,
    gibbs_sum_bound,
    mixture_moment_identities,
    expected_square_identity,
    forward_kl_cross_entropy,
    forward_kl_minimiser,
)

__all__ = [
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
