"""xentlib: cross-entropy from first principles.

The numpy library behind the book *Cross-Entropy, Derived*. Every public name
is re-exported here, one per line; the modules are organised by concept.
"""

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
]
