"""The shared building block of derivations: an identity that can check itself."""

from dataclasses import dataclass

import sympy as sp

__all__ = ["Identity", "PositiveLogIdentity"]


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

    #: Split logarithms of products and quotients even where SymPy cannot
    #: prove the factors positive (a class setting, not a field).
    _force_log = False

    def holds(self):
        """True when SymPy simplifies ``lhs - rhs`` (expanded logs) to zero."""
        difference = sp.expand_log(self.lhs - self.rhs, force=self._force_log)
        return sp.simplify(difference) == 0

    def equation(self):
        """The unevaluated :class:`sympy.Eq` for display."""
        return sp.Eq(self.lhs, self.rhs, evaluate=False)

    def latex(self):
        """LaTeX of ``lhs = rhs``, as rendered in the book."""
        return sp.latex(self.equation())


@dataclass(frozen=True)
class PositiveLogIdentity(Identity):
    """An :class:`Identity` whose logarithms split without sign conditions.

    For identities whose log arguments are positive on the domain, such as a
    sum of exponentials, ``1 - theta`` with ``0 < theta < 1`` or a wealth
    factor ``1 - f`` with ``f < 1``, which SymPy's assumptions on single
    symbols cannot express; the check expands the logarithms with
    ``force=True``.

    Examples
    --------
    A Bernoulli log-likelihood, true for ``0 < t < 1``:

    >>> t, y = sp.Symbol("t", positive=True), sp.Symbol("y", real=True)
    >>> lhs = sp.log(t**y * (1 - t)**(1 - y))
    >>> rhs = y * sp.log(t) + (1 - y) * sp.log(1 - t)
    >>> Identity(lhs, rhs).holds(), PositiveLogIdentity(lhs, rhs).holds()
    (False, True)
    """

    _force_log = True
