"""xentlib: cross-entropy from first principles.

The numpy library behind the book *Cross-Entropy, Derived*. Every public name
is re-exported here, one per line; the modules are organised by concept.
"""

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
]
