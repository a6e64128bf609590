"""SymPy derivations behind the book's equations, organised by concept.

==========================  ======================================================
:mod:`.information`         surprise, entropy, KL divergence, cross-entropy
:mod:`.softmax`             softmax, its Jacobian, the cross-entropy gradient
:mod:`.likelihood`          Bernoulli, categorical and Gaussian likelihoods
:mod:`.losses`              label smoothing, BCE with logits, reductions, NLL
:mod:`.scoring`             scoring rules, calibration, temperature
:mod:`.betting`             Kelly betting, doubling rate and cross-entropy
:mod:`.scale`               word2vec, perplexity, sharded log-sum-exp
:mod:`.bivariate`           two variables: joint, conditional, mutual information
:mod:`.proper_scores`       proper scores from generalised entropies (Bregman)
:mod:`.priors_and_links`    MAP priors, the canonical link, class weights
:mod:`.sampling`            sampled softmax and negative sampling: their bias
:mod:`.symbols`             the shared symbols ``K, i, j, q, p, z, sigmoid, ...``
:mod:`.printing`            LaTeX as a person writes it (``\\log 2``, ``q_i \\log p_i``)
==========================  ======================================================

Every claim is an :class:`Identity` with named hypotheses, checked soundly:
``holds()`` is True only when proved, False only with a counterexample,
and raises :class:`Undecided` otherwise; ``status`` says how it was checked.
A notebook renders the displayed equation *from* the checked object, so
text and proof cannot drift apart.
"""

# The concept modules.
from . import (
    betting,  # the gambler
    bivariate,  # two variables: conditional entropy, mutual information
    errata,  # chapter 13: used as symbolic.errata.<name>
    information,  # surprise, entropy, KL, cross-entropy
    likelihood,  # likelihoods become losses
    losses,  # the options of a practical loss
    priors_and_links,  # MAP priors, the canonical link, class weights
    proper_scores,  # proper scores from generalised entropies
    sampling,  # sampled softmax and negative sampling
    scale,  # cross-entropy at scale
    scoring,  # scoring rules and calibration
    softmax,  # softmax, its Jacobian, the gradient of the loss
    symbols,  # the shared symbols: K, i, j, q, p, z, sigmoid, ...
)
from ._core import (
    AllOf,
    Chain,
    Counterexample,
    Definition,
    Hypothesis,
    Identity,
    Inequality,
    Undecided,
    all_hold,
    definition,
    domains,
    index_range,
    normalised,
    positive,
)
from .information import (
    additivity_equation,
    additivity_identity,
    differentiated_at_one,
    differentiated_equation,
    forced_surprisal,
    general_solution,
    surprisal_in_base,
    surprisal_ode,
    surprise_symbols,
    unit_constant,
)
from .printing import book_latex

__all__ = [
    "AllOf",
    "Chain",
    "Counterexample",
    "Definition",
    "Hypothesis",
    "Identity",
    "Inequality",
    "Undecided",
    "all_hold",
    "definition",
    "domains",
    "index_range",
    "normalised",
    "positive",
    "book_latex",
    "symbols",
    "information",
    "losses",
    "softmax",
    "likelihood",
    "scoring",
    "betting",
    "bivariate",
    "scale",
    "priors_and_links",
    "proper_scores",
    "sampling",
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
