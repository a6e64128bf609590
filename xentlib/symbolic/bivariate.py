r"""Two variables: joint and conditional entropy, mutual information, as sums.

A joint distribution of :math:`X \in \{1..M\}` and :math:`Y \in \{1..N\}` is
the indexed family :math:`p_{x,y}` of the shared symbol ``p`` (declared
positive), with symbolic sizes ``M`` and ``N``; its marginals are the sums
:math:`p(x) = \sum_{y'} p_{x,y'}` and :math:`p(y) = \sum_{x'} p_{x',y}`.
In the learning decomposition the world is ``q`` (a joint :math:`q_{x,y}`)
and the model's conditional :math:`p(y \mid x)` is ``p``, the book's order.

Every claim is an :class:`~xentlib.symbolic.Identity`. What the checker
can do with double sums (measured, and tested in
``tests/test_symbolic_bivariate.py``): steps that work term by term (split
a logarithm, move a factor) are **proved for symbolic M, N**; steps that
need a sum over ``y`` of something depending on ``x`` only, or a change of
the order of summation, are **proved exactly at every size M = N = 1..6**
and checked numerically at unequal sizes, with the status
``"checked for M, N = 1..6"``. The chapter prints each status.

:func:`display` renames the marginal sums ``p(x)``, ``p(y)`` (and the cells
``p(x, y)``) for the rendered equations; the checked object is unchanged.
"""

from collections.abc import Callable
from typing import Any

import sympy as sp

from ._core import Definition, Identity, positive
from .printing import book_latex
from .symbols import p, q

__all__ = [
    "M",
    "N",
    "x",
    "y",
    "marginal_x",
    "marginal_y",
    "joint_entropy_sum",
    "entropy_x_sum",
    "entropy_y_sum",
    "conditional_entropy_sum",
    "conditional_entropy_x_sum",
    "mutual_information_sum",
    "definitions",
    "conditional_entropy_average",
    "log_split_step",
    "marginal_step",
    "chain_rule",
    "mutual_information_entropy_form",
    "mutual_information_joint_form",
    "mutual_information_symmetry",
    "learning_decomposition",
    "expected_kl_form",
    "change_of_variables",
    "display",
    "display_latex",
]

#: Sizes of the ranges of X and Y.
M = sp.Symbol("M", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
#: Values of X and Y, and the primed indices of the marginal sums.
x = sp.Symbol("x", integer=True, positive=True)
y = sp.Symbol("y", integer=True, positive=True)
_x = sp.Symbol("x'", integer=True, positive=True)
_y = sp.Symbol("y'", integer=True, positive=True)


def marginal_x(joint: sp.IndexedBase = p) -> Any:
    r""":math:`p(x) = \sum_{y'=1}^{N} p_{x,y'}`."""
    return sp.Sum(joint[x, _y], (_y, 1, N))


def marginal_y(joint: sp.IndexedBase = p) -> Any:
    r""":math:`p(y) = \sum_{x'=1}^{M} p_{x',y}`."""
    return sp.Sum(joint[_x, y], (_x, 1, M))


def _double(f: Callable[..., Any]) -> Any:
    """``sum_{x=1}^{M} sum_{y=1}^{N} f``, as two nested sums."""
    return sp.Sum(sp.Sum(f, (y, 1, N)), (x, 1, M))


def joint_entropy_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`H(X, Y) = -\sum_x \sum_y p_{x,y} \log p_{x,y}`."""
    return -_double(joint[x, y] * sp.log(joint[x, y]))


def entropy_x_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`H(X) = -\sum_x p(x) \log p(x)`."""
    return -sp.Sum(marginal_x(joint) * sp.log(marginal_x(joint)), (x, 1, M))


def entropy_y_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`H(Y) = -\sum_y p(y) \log p(y)`."""
    return -sp.Sum(marginal_y(joint) * sp.log(marginal_y(joint)), (y, 1, N))


def conditional_entropy_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`H(Y \mid X) = -\sum_x \sum_y p_{x,y} \log (p_{x,y} / p(x))`."""
    return -_double(joint[x, y] * sp.log(joint[x, y] / marginal_x(joint)))


def conditional_entropy_x_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`H(X \mid Y) = -\sum_x \sum_y p_{x,y} \log (p_{x,y} / p(y))`."""
    return -_double(joint[x, y] * sp.log(joint[x, y] / marginal_y(joint)))


def mutual_information_sum(joint: sp.IndexedBase = p) -> Any:
    r""":math:`I(X; Y) = \sum_x \sum_y p_{x,y} \log \frac{p_{x,y}}{p(x) p(y)}`."""
    ratio = joint[x, y] / (marginal_x(joint) * marginal_y(joint))
    return _double(joint[x, y] * sp.log(ratio))


def definitions() -> dict[str, Any]:
    """The three definitions, as :class:`~xentlib.symbolic.Definition` objects by name.

    Examples
    --------
    >>> sorted(definitions())
    ['conditional_entropy', 'joint_entropy', 'mutual_information']
    """
    return {
        "joint_entropy": Definition(sp.Symbol("H(X, Y)"), joint_entropy_sum()),
        "conditional_entropy": Definition(
            sp.Symbol(r"H(Y \mid X)"), conditional_entropy_sum()
        ),
        "mutual_information": Definition(
            sp.Symbol("I(X; Y)"), mutual_information_sum()
        ),
    }


def conditional_entropy_average() -> Identity:
    r""":math:`H(Y \mid X) = \sum_x p(x)\, H(Y \mid X = x)`.

    The entropy of the row :math:`p(y \mid x) = p_{x,y} / p(x)`, averaged
    with the weights :math:`p(x)`. Status: proved for symbolic M, N.
    """
    row = marginal_x()
    inner = -sp.Sum(p[x, y] / row * sp.log(p[x, y] / row), (y, 1, N))
    return Identity(conditional_entropy_sum(), sp.Sum(row * inner, (x, 1, M)))


def log_split_step() -> Identity:
    r"""First step of the chain rule: split :math:`\log (p_{x,y} / p(x))`.

    :math:`H(X,Y) = -\sum\sum p_{x,y} \log p(x) + H(Y \mid X)`, term by term.

    Examples
    --------
    >>> log_split_step().status
    'proved for symbolic M, N'
    """
    weighted = _double(p[x, y] * sp.log(marginal_x()))
    return Identity(joint_entropy_sum(), -weighted + conditional_entropy_sum())


def marginal_step() -> Identity:
    r"""Second step: :math:`\sum_x \sum_y p_{x,y} \log p(x) = \sum_x p(x) \log p(x)`.

    Summing over ``y`` first collects the weights of a row into its
    marginal. Status: checked for M, N = 1..6.
    """
    weighted = _double(p[x, y] * sp.log(marginal_x()))
    return Identity(weighted, -entropy_x_sum())


def chain_rule() -> Identity:
    r"""The chain rule :math:`H(X, Y) = H(X) + H(Y \mid X)`.

    Status: checked for M, N = 1..6 (its first step is proved for symbolic
    sizes, see :func:`log_split_step`).
    """
    return Identity(joint_entropy_sum(), entropy_x_sum() + conditional_entropy_sum())


def mutual_information_entropy_form() -> Identity:
    r""":math:`I(X; Y) = H(Y) - H(Y \mid X)`. Status: checked for M, N = 1..6."""
    return Identity(
        mutual_information_sum(), entropy_y_sum() - conditional_entropy_sum()
    )


def mutual_information_joint_form() -> Identity:
    r""":math:`I(X; Y) = H(X) + H(Y) - H(X, Y)`. Status: checked for M, N = 1..6."""
    return Identity(
        mutual_information_sum(),
        entropy_x_sum() + entropy_y_sum() - joint_entropy_sum(),
    )


def mutual_information_symmetry() -> Identity:
    r""":math:`I(X; Y) = H(X) - H(X \mid Y)`: the same number from the other side.

    With :func:`mutual_information_entropy_form`, this is the symmetry
    :math:`H(Y) - H(Y \mid X) = H(X) - H(X \mid Y)`. Status: checked for
    M, N = 1..6.
    """
    return Identity(
        mutual_information_sum(), entropy_x_sum() - conditional_entropy_x_sum()
    )


def learning_decomposition() -> Identity:
    r"""The expected loss of a model :math:`p(y \mid x)` on data from :math:`q`.

    .. math::

        -\sum_x \sum_y q_{x,y} \log p_{x,y}
        = H_q(Y \mid X)
          + \sum_x \sum_y q_{x,y} \log \frac{q_{x,y}}{q(x)\, p_{x,y}},

    where :math:`p_{x,y}` stands for :math:`p(y \mid x)`. The last sum is
    :math:`\mathbb{E}_x D_{\mathrm{KL}}(q(\cdot \mid x) \,\|\, p(\cdot \mid x))`
    (:func:`expected_kl_form`). Term by term, so proved for symbolic sizes.

    Examples
    --------
    >>> learning_decomposition().status
    'proved for symbolic M, N'
    """
    q_x = marginal_x(q)
    loss = -_double(q[x, y] * sp.log(p[x, y]))
    excess = _double(q[x, y] * sp.log(q[x, y] / (q_x * p[x, y])))
    return Identity(loss, conditional_entropy_sum(q) + excess)


def expected_kl_form() -> Identity:
    r"""The excess as an average of KL divergences, one per value of X.

    .. math::

        \sum_x \sum_y q_{x,y} \log \frac{q_{x,y}}{q(x)\, p_{x,y}}
        = \sum_x q(x) \sum_y \frac{q_{x,y}}{q(x)}
          \log \frac{q_{x,y} / q(x)}{p_{x,y}}.

    Status: proved for symbolic M, N.
    """
    q_x = marginal_x(q)
    excess = _double(q[x, y] * sp.log(q[x, y] / (q_x * p[x, y])))
    row = q[x, y] / q_x
    kl = sp.Sum(row * sp.log(row / p[x, y]), (y, 1, N))
    return Identity(excess, sp.Sum(q_x * kl, (x, 1, M)))


def change_of_variables() -> Identity:
    r"""Mutual information is unchanged when X is transformed, ``x' = f(x)``.

    With densities, :math:`p'(x', y) = p(x, y) / |f'(x)|` and
    :math:`p'(x') = p(x) / |f'(x)|`: the Jacobian cancels in the ratio inside
    the logarithm (and :math:`dx' = |f'(x)|\, dx` cancels the weight), while
    the differential entropy of X shifts by :math:`\mathbb{E} \log |f'(X)|`.

    Examples
    --------
    >>> change_of_variables().status
    'proved'
    """
    joint, px, py = sp.symbols("p_{XY} p_X p_Y", positive=True)
    jacobian = sp.Symbol("J", positive=True)  # |f'(x)|
    before = sp.log(joint / (px * py))
    # Unevaluated, so that the Jacobian stays in the displayed equation and
    # the checker, not SymPy's automatic simplification, cancels it.
    with sp.evaluate(False):
        after = sp.log((joint / jacobian) / ((px / jacobian) * py))
    return Identity(after, before, (positive(jacobian, name="|f'(x)| > 0"),))


def display(expr: sp.Expr, *, model: bool = False) -> Any:
    r"""``expr`` with cells and marginals renamed for the rendered equation.

    :math:`p_{x,y}` becomes :math:`p(x, y)` (or, with ``model=True``, the
    model's conditional :math:`p(y \mid x)`), the marginal sums
    :math:`p(x)` and :math:`p(y)`; with ``q`` the same letters.

    Examples
    --------
    >>> print(sp.latex(display(marginal_x())))
    p(x)
    """
    names = {}
    for family in (p, q):
        letter = str(family)
        names[marginal_x(family)] = sp.Symbol(f"{letter}(x)")
        names[marginal_y(family)] = sp.Symbol(f"{letter}(y)")
    expr = expr.xreplace(names)
    cell = r"p(y \mid x)" if model else "p(x, y)"
    return expr.xreplace({p[x, y]: sp.Symbol(cell), q[x, y]: sp.Symbol("q(x, y)")})


def display_latex(expr: sp.Expr, *, model: bool = False) -> Any:
    """LaTeX of :func:`display` of ``expr``, terms in their written order.

    Examples
    --------
    >>> print(display_latex(marginal_y()))
    p(y)
    """
    return book_latex(display(expr, model=model), order="none")
