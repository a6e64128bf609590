"""xentlib: cross-entropy from first principles.

The numpy library behind the book *Cross-Entropy, Derived*. Every public name
is re-exported here, one per line; the modules are organised by concept.
"""

from .betting import (
    doubling_rate,
    growth_rate,
    kelly_fraction,
    race_log_wealth,
    simulate_wealth,
)
from .bivariate import (
    conditional_entropy,
    joint_entropy,
    mutual_information,
)
from .calibration import (
    brier_score,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
    reliability_curve,
    temperature_nll,
    temperature_nll_grad,
)
from .coding import (
    expected_length,
    huffman_code,
    huffman_lengths,
    is_prefix_free,
    kraft_sum,
    shannon_lengths,
)
from .descent import gradient_descent_logits
from .gaussian import (
    fit_gaussian_forward_kl,
    fit_gaussian_reverse_kl,
    gaussian_kl,
    gaussian_logpdf,
    gaussian_mixture_kl,
    gaussian_pdf,
    mixture_gaussian_kl,
    mixture_logpdf,
    mixture_moments,
    mixture_pdf,
)
from .information import (
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    surprisal,
)
from .likelihood import (
    logistic_1d_descent,
    squared_error_with_logits,
    squared_error_with_logits_grad,
)
from .logits import (
    log_sigmoid,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
    softmax_jacobian,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    nll_loss,
    nll_loss_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_cross_entropy_with_grad,
)
from .sampled import (
    expected_negative_sampling_loss,
    negative_sampling_loss,
    negative_sampling_optimum,
    sampled_softmax_cross_entropy,
    sampled_softmax_cross_entropy_grad,
)
from .scale import linear_cross_entropy, perplexity, sharded_cross_entropy
from .score_decomposition import (
    BrierDecomposition,
    brier_decomposition,
    sharpness,
)
from .simplex import barycentric_to_cartesian, cartesian_to_barycentric, simplex_grid
from .train import (
    SoftmaxRegression,
    accuracy,
    fit_softmax_regression,
    predict_proba,
    softmax_regression_loss,
)

__version__ = "0.1.0"

__all__ = [
    "logsumexp",
    "softmax",
    "log_softmax",
    "sigmoid",
    "log_sigmoid",
    "softmax_jacobian",
    "surprisal",
    "entropy",
    "binary_entropy",
    "cross_entropy",
    "kl_divergence",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "simplex_grid",
    "barycentric_to_cartesian",
    "cartesian_to_barycentric",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_cross_entropy_with_grad",
    "nll_loss",
    "nll_loss_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "linear_cross_entropy",
    "sharded_cross_entropy",
    "perplexity",
    "sampled_softmax_cross_entropy",
    "sampled_softmax_cross_entropy_grad",
    "negative_sampling_loss",
    "expected_negative_sampling_loss",
    "negative_sampling_optimum",
    "gradient_descent_logits",
    "huffman_code",
    "huffman_lengths",
    "shannon_lengths",
    "expected_length",
    "kraft_sum",
    "is_prefix_free",
    "gaussian_pdf",
    "gaussian_logpdf",
    "gaussian_kl",
    "mixture_pdf",
    "mixture_logpdf",
    "mixture_moments",
    "mixture_gaussian_kl",
    "gaussian_mixture_kl",
    "fit_gaussian_forward_kl",
    "fit_gaussian_reverse_kl",
    "SoftmaxRegression",
    "softmax_regression_loss",
    "fit_softmax_regression",
    "predict_proba",
    "accuracy",
    "squared_error_with_logits",
    "squared_error_with_logits_grad",
    "logistic_1d_descent",
    "brier_score",
    "reliability_bins",
    "reliability_curve",
    "expected_calibration_error",
    "temperature_nll",
    "temperature_nll_grad",
    "fit_temperature",
    "BrierDecomposition",
    "brier_decomposition",
    "sharpness",
    "kelly_fraction",
    "growth_rate",
    "simulate_wealth",
    "doubling_rate",
    "race_log_wealth",
]
