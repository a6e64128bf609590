"""LaTeX as a person writes it: the printer lives in :mod:`xentlib.symbolic.printing`.

Kept here so the book's notebooks and tests can import it from the book kit;
``xentlib.symbolic`` uses the same printer for identities, hypotheses and
chains, so everything the book and the derivation index print reads alike.
"""

from xentlib.symbolic.printing import BookLatexPrinter, book_latex

__all__ = ["BookLatexPrinter", "book_latex"]
