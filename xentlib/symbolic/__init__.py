"""SymPy derivations behind the book's equations.

Each chapter's derivations live in a module of their own and return SymPy
objects (expressions, :class:`Identity` objects, lists of steps). A notebook
renders the displayed equation *from* the checked object, so text and proof
cannot drift apart.
"""

from ._core import Counterexample
from ._core import Definition
from ._core import Hypothesis
from ._core import Identity
from ._core import Undecided
from ._core import definition
from ._core import index_range
from ._core import normalised
from ._core import positive
from . import symbols  # the shared symbols: K, i, j, q, p, z, sigmoid, ...
from . import entropy  # chapter 2: names such as K, p, lam stay in it
from . import cross_entropy  # chapter 4: names such as K, q, p stay in it
from . import kl  # chapter 3: used as symbolic.kl.<name>
from . import softmax  # chapter 5: names such as K, z, T stay in it
from . import gradient  # chapter 6: names such as q, p, r stay in it
from . import practice  # chapter 8: names such as eps, q, p stay in it
from . import likelihood  # chapter 7: names such as theta, n, y stay in it
from . import scoring  # chapter 9: names such as q, p, z, T stay in it
from . import betting  # chapter 10: names such as p, f, q stay in it
from . import scale  # chapter 11: names such as V, u, v, z stay in it
from . import errata  # chapter 12: used as symbolic.errata.<name>
from .surprise import additivity_equation
from .surprise import additivity_identity
from .surprise import differentiated_at_one
from .surprise import differentiated_equation
from .surprise import forced_surprisal
from .surprise import general_solution
from .surprise import surprisal_in_base
from .surprise import surprisal_ode
from .surprise import surprise_symbols
from .surprise import unit_constant

__all__ = [
    "Counterexample",
    "Definition",
    "Hypothesis",
    "Identity",
    "Undecided",
    "definition",
    "index_range",
    "normalised",
    "positive",
    "symbols",
    "entropy",
    "cross_entropy",
    "kl",
    "softmax",
    "gradient",
    "practice",
    "likelihood",
    "scoring",
    "betting",
    "scale",
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
