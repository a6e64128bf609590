"""LaTeX as a person writes it, for equations a teacher copies into slides.

SymPy's printer is built to be unambiguous, not to be read: it writes
``\\log{\\left(2 \\right)}`` for :math:`\\log 2` and puts a logarithm before
its coefficient, ``\\log{\\left(\\frac{q_i}{p_i} \\right)} q_i``. It also writes
``{q}_{i}`` for :math:`q_i` and ``I{\\left(p \\right)}`` for :math:`I(p)`.
This printer changes exactly four things and leaves every other choice to
SymPy:

- the logarithm of a single symbol, indexed symbol or non-negative integer
  loses its brackets (``\\log 2``, ``\\log q_{i}``); any other argument keeps
  ``\\left( \\right)``, without SymPy's extra braces; a power of a logarithm
  is written on the name (``\\log^{2} x``);
- in a product, factors that are logarithms come last
  (``q_{i} \\log\\left(\\frac{q_i}{p_i}\\right)``), as in every textbook;
- an indexed name that is one letter (or one Greek letter) loses its
  braces: ``q_{i}``, ``\\theta_{k}``;
- an undefined function applied to arguments loses SymPy's extra braces:
  ``I\\left(p r\\right)``.

Both are changes of notation, not of value: multiplication commutes, and the
printed expression is the same SymPy object (the tests print and compare).
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

__all__ = ["BookLatexPrinter", "book_latex"]

# One letter, or one Greek letter: q_{i} reads unambiguously without braces.
_PLAIN_NAME = re.compile(r"^(?:[A-Za-z]|\\[A-Za-z]+)$")


def _is_simple(argument: sp.Expr) -> bool:
    """A log argument that reads unambiguously without brackets."""
    return isinstance(argument, (sp.Symbol, sp.Indexed)) or (
        argument.is_Integer and argument.is_nonnegative
    )


class BookLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with textbook logarithms (see the module docstring)."""

    def _print_log(self, expr: sp.Expr, exp: str | None = None) -> str:
        argument = expr.args[0]
        # A power goes on the function name (log^2 x), never after the
        # argument, where log x^2 would read as the log of x squared.
        function = r"\ln" if self._settings.get("ln_notation") else r"\log"
        name = function if exp is None else rf"{function}^{{{exp}}}"
        if _is_simple(argument):
            return f"{name} {self._print(argument)}"
        return rf"{name}\left({self._print(argument)}\right)"

    def _print_Mul(self, expr: sp.Expr) -> str:
        coefficient, factors = expr.as_coeff_mul()
        logs = [f for f in factors if isinstance(f, sp.log)]
        others = [f for f in factors if not isinstance(f, sp.log)]
        # Only plain products are reordered; quotients and anything with a
        # negative power keep SymPy's fraction layout.
        if (
            not logs
            or not others
            or any(f.is_Pow and f.exp.is_negative for f in factors)
        ):
            return super()._print_Mul(expr)
        sign = ""
        if coefficient.is_negative:
            sign, coefficient = "- ", -coefficient
        parts = [] if coefficient == 1 else [self._print(coefficient)]
        parts += [self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in others]
        parts += [self._print(f) for f in logs]
        return sign + " ".join(parts)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base)
        indices = ",".join(self._print(index) for index in expr.indices)
        if _PLAIN_NAME.match(base):
            return f"{base}_{{{indices}}}"
        return f"{{{base}}}_{{{indices}}}"

    def _print_Function(self, expr: sp.Expr, exp: str | None = None) -> str:
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        name = self._hprint_Function(expr.func.__name__)
        if exp is not None:
            name = rf"{self.parenthesize_super(name)}^{{{exp}}}"
        arguments = ", ".join(self._print(argument) for argument in expr.args)
        return rf"{name}\left({arguments}\right)"


def book_latex(expression: sp.Basic, **settings: Any) -> str:
    """LaTeX of a SymPy object, written as a person would write it.

    Examples
    --------
    >>> import sympy as sp
    >>> book_latex(sp.log(2))
    '\\\\log 2'
    >>> q, p = sp.IndexedBase("q"), sp.IndexedBase("p")
    >>> i = sp.Symbol("i")
    >>> book_latex(q[i] * sp.log(q[i] / p[i]))
    'q_{i} \\\\log\\\\left(\\\\frac{q_{i}}{p_{i}}\\\\right)'
    >>> book_latex(sp.Function("I")(p[i]))
    'I\\\\left(p_{i}\\\\right)'
    """
    return BookLatexPrinter(settings).doprint(expression)
