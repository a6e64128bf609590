"""xentlib: cross-entropy from first principles.

The numpy library behind the book *Cross-Entropy, Derived*. Every public name
is re-exported here, one per line; the modules are organised by concept.
"""

from .coding import huffman_code
from .coding import huffman_lengths
from .coding import shannon_lengths
from .coding import expected_length
from .coding import kraft_sum
from .coding import is_prefix_free
from .bivariate import conditional_entropy
from .bivariate import joint_entropy
from .bivariate import mutual_information
from .information import binary_entropy
from .information import cross_entropy
from .information import entropy
from .information import kl_divergence
from .information import surprisal
from .logits import log_sigmoid
from .logits import log_softmax
from .logits import logsumexp
from .logits import sigmoid
from .logits import softmax
from .logits import softmax_jacobian
from .simplex import barycentric_to_cartesian
from .simplex import cartesian_to_barycentric
from .simplex import simplex_grid
from .losses import softmax_cross_entropy
from .losses import softmax_cross_entropy_grad
from .losses import softmax_cross_entropy_with_grad
from .losses import nll_loss
from .losses import nll_loss_grad
from .losses import binary_cross_entropy
from .losses import binary_cross_entropy_grad
from .losses import binary_cross_entropy_with_logits
from .losses import binary_cross_entropy_with_logits_grad
from .scale import linear_cross_entropy
from .scale import sharded_cross_entropy
from .scale import perplexity
from .descent import gradient_descent_logits
from .likelihood import squared_error_with_logits
from .likelihood import squared_error_with_logits_grad
from .likelihood import logistic_1d_descent
from .gaussian import gaussian_pdf
from .gaussian import gaussian_logpdf
from .gaussian import gaussian_kl
from .gaussian import mixture_pdf
from .gaussian import mixture_logpdf
from .gaussian import mixture_moments
from .gaussian import mixture_gaussian_kl
from .gaussian import gaussian_mixture_kl
from .gaussian import fit_gaussian_forward_kl
from .gaussian import fit_gaussian_reverse_kl
from .betting import kelly_fraction
from .betting import growth_rate
from .betting import simulate_wealth
from .betting import doubling_rate
from .betting import race_log_wealth
from .train import SoftmaxRegression
from .train import softmax_regression_loss
from .train import fit_softmax_regression
from .train import predict_proba
from .train import accuracy
from .calibration import brier_score
from .calibration import reliability_bins
from .calibration import reliability_curve
from .calibration import expected_calibration_error
from .calibration import temperature_nll
from .calibration import temperature_nll_grad
from .calibration import fit_temperature

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
    "kelly_fraction",
    "growth_rate",
    "simulate_wealth",
    "doubling_rate",
    "race_log_wealth",
]
