"""SymPy derivations behind the book's equations.

Each chapter's derivations live in a module of their own and return SymPy
objects (expressions, :class:`Identity` objects, lists of steps). A notebook
renders the displayed equation *from* the checked object, so text and proof
cannot drift apart.
"""

from ._core import Identity

__all__ = [
    "Identity",
]
