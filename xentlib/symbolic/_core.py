"""The shared building block of derivations: an identity that can check itself."""

from dataclasses import dataclass

import sympy as sp

__all__ = ["Identity"]


@dataclass(frozen=True)
class Identity:
    """A claimed equation ``lhs = rhs`` between SymPy expressions.

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> rule = Identity(sp.log(x * y), sp.log(x) + sp.log(y))
    >>> rule.holds()
    True
    >>> print(rule.latex())
    \\log{\\left(x y \\right)} = \\log{\\left(x \\right)} + \\log{\\left(y \\right)}
    """

    lhs: sp.Expr
    rhs: sp.Expr

    def holds(self):
        """True when SymPy simplifies ``lhs - rhs`` (expanded logs) to zero."""
        difference = sp.expand_log(self.lhs - self.rhs, force=False)
        return sp.simplify(difference) == 0

    def equation(self):
        """The unevaluated :class:`sympy.Eq` for display."""
        return sp.Eq(self.lhs, self.rhs, evaluate=False)

    def latex(self):
        """LaTeX of ``lhs = rhs``, as rendered in the book."""
        return sp.latex(self.equation())
