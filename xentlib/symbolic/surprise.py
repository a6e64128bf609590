"""Chapter 1, *Surprise*: kept importable; the derivations live in
:mod:`xentlib.symbolic.information` (modules by concept, not by chapter).
"""

from .information import (  # noqa: F401 - re-exports
    surprise_symbols,
    additivity_equation,
    differentiated_equation,
    differentiated_at_one,
    surprisal_ode,
    general_solution,
    forced_surprisal,
    additivity_identity,
    unit_constant,
    surprisal_in_base,
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
