"""SymPy derivations behind the book's equations, organised by concept.

=====================  ======================================================
:mod:`.information`    surprise, entropy, KL divergence, cross-entropy
:mod:`.softmax`        softmax, its Jacobian, the cross-entropy gradient
:mod:`.likelihood`     Bernoulli, categorical and Gaussian likelihoods
:mod:`.losses`         label smoothing, BCE with logits, reductions, NLL
:mod:`.scoring`        scoring rules, calibration, temperature
:mod:`.betting`        Kelly betting, doubling rate and cross-entropy
:mod:`.scale`          word2vec, perplexity, sharded log-sum-exp
``bivariate``          joint/conditional entropy, mutual information
:mod:`.symbols`        the shared symbols ``K, i, j, q, p, z, sigmoid, ...``
=====================  ======================================================

Every claim is an :class:`Identity` with named hypotheses, checked soundly:
``holds()`` is True only when proved, False only with a counterexample,
and raises :class:`Undecided` otherwise; ``status`` says how it was checked.
A notebook renders the displayed equation *from* the checked object, so
text and proof cannot drift apart. The chapter-named modules (``entropy``,
``cross_entropy``, ``gradient``, ``practice``, ...) stay importable and
re-export from the concept modules.
"""

from ._core import Counterexample
from ._core import Definition
from ._core import Hypothesis
from ._core import Identity
from ._core import Undecided
from ._core import all_hold
from ._core import definition
from ._core import index_range
from ._core import normalised
from ._core import positive
from . import symbols  # the shared symbols: K, i, j, q, p, z, sigmoid, ...
from . import information  # surprise, entropy, KL, cross-entropy
from . import losses  # the options of a practical loss
from . import softmax  # softmax, its Jacobian, the gradient of the loss
from . import likelihood  # likelihoods become losses
from . import scoring  # scoring rules and calibration
from . import betting  # the gambler
from . import scale  # cross-entropy at scale
from . import bivariate  # two variables: conditional entropy, mutual information
# Chapter-named modules, kept importable for the chapters (re-exports):
from . import surprise  # chapter 1
from . import entropy  # chapter 2
from . import kl  # chapter 3
from . import cross_entropy  # chapter 4
from . import gradient  # chapter 6
from . import practice  # chapter 8
from . import errata  # chapter 12: used as symbolic.errata.<name>
from .information import additivity_equation
from .information import additivity_identity
from .information import differentiated_at_one
from .information import differentiated_equation
from .information import forced_surprisal
from .information import general_solution
from .information import surprisal_in_base
from .information import surprisal_ode
from .information import surprise_symbols
from .information import unit_constant

__all__ = [
    "Counterexample",
    "Definition",
    "Hypothesis",
    "Identity",
    "Undecided",
    "all_hold",
    "definition",
    "index_range",
    "normalised",
    "positive",
    "symbols",
    "information",
    "losses",
    "softmax",
    "likelihood",
    "scoring",
    "betting",
    "scale",
    "bivariate",
    "surprise",
    "entropy",
    "kl",
    "cross_entropy",
    "gradient",
    "practice",
    "errata",
    "additivity_equation",
    "additivity_identity",
    "differentiated_at_one",
    "differentiated_equation",
    "forced_surprisal",
    "general_solution",
    "surprisal_in_base",
    "surprisal_ode",
    "surprise_symbols",
    "unit_constant",
]
