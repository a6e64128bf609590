"""Chapter 1, *Surprise*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from .information import (  # re-exports
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

__all__ = [
    "surprise_symbols",
    "additivity_equation",
    "differentiated_equation",
    "differentiated_at_one",
    "surprisal_ode",
    "general_solution",
    "forced_surprisal",
    "additivity_identity",
    "unit_constant",
    "surprisal_in_base",
]
