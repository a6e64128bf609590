"""Why surprise is ``-log p``: the additivity argument, step by step, in SymPy.

Each function returns one step of the derivation in chapter 1, *Surprise*, as a
SymPy object that the chapter checks and renders. The steps, for an
information function :math:`I` of a probability:

1. :func:`additivity_equation`: :math:`I(pq) = I(p) + I(q)`;
2. :func:`differentiated_equation`: :math:`p\\,I'(pq) = I'(q)`;
3. :func:`differentiated_at_one`: :math:`p\\,I'(p) = I'(1)`;
   :func:`surprisal_ode` names the constant :math:`I'(1) = -c`;
4. :func:`general_solution`: ``dsolve`` gives :math:`I(p) = C_1 - c\\log p`;
5. :func:`forced_surprisal`: :math:`I(1) = 0` leaves :math:`I(p) = -c\\log p`.

:func:`unit_constant` and :func:`surprisal_in_base` fix :math:`c` by choosing a
unit (bits, nats).
"""

import sympy as sp

from ._core import Identity

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

# Probabilities of the two events; both lie in (0, 1], so positive.
_p, _q = sp.symbols("p q", positive=True)
# c = -I'(1): positive because information decreases with probability.
_c = sp.Symbol("c", positive=True)
_I = sp.Function("I")


def _latex_prime(function, printer):
    return r"I'\left(%s\right)" % printer._print(function.args[0])


# Display name for the derivative of I, so that I'(pq) prints as such rather
# than as SymPy's Subs(Derivative(I(xi), xi), xi, p*q); LaTeX without the
# upright \operatorname that SymPy gives multi-character names.
_I_prime = sp.Function("I'", _latex=_latex_prime)


def surprise_symbols():
    """The symbols of the derivation: ``(p, q, c, I)``.

    ``p`` and ``q`` are positive probabilities, ``c`` the positive constant
    :math:`-I'(1)`, ``I`` the undetermined information function.

    Examples
    --------
    >>> p, q, c, I = surprise_symbols()
    >>> I(p * q)
    I(p*q)
    """
    return _p, _q, _c, _I


def additivity_equation():
    """The additivity axiom for independent events, as an equation.

    .. math:: I(p\\,q) = I(p) + I(q)

    Two independent events of probabilities :math:`p` and :math:`q` happen
    together with probability :math:`pq`; learning both should inform as much
    as learning one, then the other. This is an assumption (an axiom), not an
    identity: it holds for some functions :math:`I` and not for others.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> additivity_equation()
    Eq(I(p*q), I(p) + I(q))
    """
    return sp.Eq(_I(_p * _q), _I(_p) + _I(_q))


def _prime_notation(expression):
    """Rewrite derivatives of ``I`` as ``I'(argument)`` for display."""
    def is_derivative_of_I(node):
        return (isinstance(node, sp.Derivative) and node.expr.func == _I
                and len(node.variables) == 1)

    def at_point(node):
        # d/dxi I(xi) evaluated at a point: SymPy's chain-rule output.
        return isinstance(node, sp.Subs) and is_derivative_of_I(node.expr)

    expression = expression.replace(
        at_point, lambda node: _I_prime(node.point[0]))
    return expression.replace(
        is_derivative_of_I, lambda node: _I_prime(node.variables[0]))


def differentiated_equation():
    """Both sides of :func:`additivity_equation` differentiated in ``q``.

    .. math:: p\\,I'(p\\,q) = I'(q)

    SymPy applies the chain rule to :math:`I(pq)`; the result is rewritten
    with :math:`I'` for display (the function ``I'`` is a display name for
    the derivative of ``I``).

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> differentiated_equation()
    Eq(p*I'(p*q), I'(q))
    """
    axiom = additivity_equation()
    return sp.Eq(_prime_notation(sp.diff(axiom.lhs, _q)),
                 _prime_notation(sp.diff(axiom.rhs, _q)))


def differentiated_at_one():
    """:func:`differentiated_equation` at ``q = 1``.

    .. math:: p\\,I'(p) = I'(1)

    The right side no longer depends on :math:`p`: it is a constant.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> differentiated_at_one()
    Eq(p*I'(p), I'(1))
    """
    return differentiated_equation().subs(_q, 1)


def surprisal_ode():
    """:func:`differentiated_at_one` with the constant named ``I'(1) = -c``.

    .. math:: p\\,\\frac{dI}{dp} = -c

    Information decreases with probability, so :math:`I'(1) \\le 0`; the
    minus sign makes :math:`c` positive. The equation is returned with a
    SymPy ``Derivative``, ready for :func:`sympy.dsolve`.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> surprisal_ode()
    Eq(p*Derivative(I(p), p), -c)
    """
    ode = differentiated_at_one().subs(_I_prime(1), -_c)
    # The only I' left is I'(p): make it a derivative that dsolve can read.
    return ode.replace(_I_prime, lambda argument: sp.Derivative(_I(_p), _p))


def general_solution():
    """The general solution of :func:`surprisal_ode`, from :func:`sympy.dsolve`.

    .. math:: I(p) = C_1 - c\\log p

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq
        ``I(p) = C1 - c*log(p)``; ``C1`` is SymPy's integration constant.

    Examples
    --------
    >>> general_solution()
    Eq(I(p), C1 - c*log(p))
    """
    return sp.dsolve(surprisal_ode(), _I(_p))


def forced_surprisal():
    """The solution with ``I(1) = 0``: a certain event carries no information.

    .. math:: I(p) = -c\\log p

    The integration constant is found by solving :math:`I(1) = 0` for
    :math:`C_1` and substituting it back.

    See chapter 1, *Surprise*.

    Returns
    -------
    sympy.Eq

    Examples
    --------
    >>> forced_surprisal()
    Eq(I(p), -c*log(p))
    """
    solution = general_solution()
    constant = (solution.rhs.free_symbols - {_p, _c}).pop()
    value = sp.solve(sp.Eq(solution.rhs.subs(_p, 1), 0), constant)[0]
    return sp.Eq(solution.lhs, solution.rhs.subs(constant, value))


def additivity_identity(information):
    """The axiom as an :class:`Identity` for a given function of ``p``.

    .. math:: f(p\\,q) = f(p) + f(q)

    Parameters
    ----------
    information : callable
        Maps a SymPy expression (a probability) to a SymPy expression.

    Returns
    -------
    Identity
        ``.holds()`` is True exactly when SymPy proves ``f`` additive.

    Examples
    --------
    >>> p, q, c, I = surprise_symbols()
    >>> additivity_identity(lambda x: -c * sp.log(x)).holds()
    True
    >>> additivity_identity(lambda x: 1 - x).holds()
    False
    """
    return Identity(information(_p * _q), information(_p) + information(_q))


def unit_constant(base):
    """The constant ``c`` that makes one outcome in ``base`` worth one unit.

    Solves :math:`-c\\log(1/b) = 1` for :math:`c`:

    .. math:: c = \\frac{1}{\\log b}

    ``base=2`` gives bits, ``base=sp.E`` nats (``c = 1``).

    See chapter 1, *Surprise*.

    Examples
    --------
    >>> unit_constant(2)
    1/log(2)
    >>> print(f"{float(unit_constant(2)):.4f}")
    1.4427
    """
    (constant,) = sp.solve(sp.Eq(-_c * sp.log(sp.Integer(1) / base), 1), _c)
    return constant


def surprisal_in_base(base):
    """Surprise in units of ``base``: :func:`forced_surprisal` with ``c`` fixed.

    .. math:: I_b(p) = -\\frac{\\ln p}{\\ln b} = -\\log_b p

    ``c`` comes from :func:`unit_constant`; the subscript of ``I`` names the
    unit's base.

    See chapter 1, *Surprise*.

    Examples
    --------
    >>> surprisal_in_base(2)
    Eq(I_2(p), -log(p)/log(2))
    >>> p = surprise_symbols()[0]
    >>> one_in_eight = surprisal_in_base(2).rhs.subs(p, sp.Rational(1, 8))
    >>> sp.simplify(one_in_eight)
    3
    """
    in_units = forced_surprisal().rhs.subs(_c, unit_constant(base))
    return sp.Eq(sp.Function(f"I_{base}")(_p), in_units)
