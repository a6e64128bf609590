"""xentbook.latex: textbook LaTeX that says exactly what SymPy's says."""

import re

import pytest
import sympy as sp

from xentbook.latex import book_latex

q, p = sp.IndexedBase("q"), sp.IndexedBase("p")
i, K = sp.symbols("i K", integer=True, positive=True)
x, a = sp.Symbol("x", positive=True), sp.Symbol("a")

EXPECTED = [
    (sp.log(2), r"\log 2"),
    (q[i] * sp.log(q[i] / p[i]), r"q_{i} \log\left(\frac{q_{i}}{p_{i}}\right)"),
    (-q[i] * sp.log(p[i]), r"- q_{i} \log p_{i}"),
    (sp.Sum(q[i] * sp.log(q[i] / p[i]), (i, 1, K)),
     r"\sum_{i=1}^{K} q_{i} \log\left(\frac{q_{i}}{p_{i}}\right)"),
    (sp.log(x) / sp.log(2), r"\frac{\log x}{\log 2}"),
    (2 * sp.log(x + 1), r"2 \log\left(x + 1\right)"),
    ((a + 1) * sp.log(x), r"\left(a + 1\right) \log x"),
    (sp.log(x) ** 2, r"\log^{2} x"),
    (sp.log(-x - 1, evaluate=False), r"\log\left(- x - 1\right)"),
    (-sp.Rational(1, 2) * x * sp.log(2 * x), r"- \frac{1}{2} x \log\left(2 x\right)"),
]


@pytest.mark.parametrize("expression, latex", EXPECTED, ids=[e[1] for e in EXPECTED])
def test_reads_as_a_person_writes_it(expression, latex):
    assert book_latex(expression) == latex


def symbols_of(latex):
    """The multiset of what is written, brackets and spacing aside."""
    bare = re.sub(r"\\left|\\right|[{}()\s]", "", latex)
    return sorted(bare)


@pytest.mark.parametrize("expression", [
    sp.exp(x) / (1 + sp.exp(x)), sp.Sum(q[i], (i, 1, K - 1)), x**2 - 3 * x + 1,
    sp.Matrix([[x, -x], [1, x**2]]), sp.sqrt(2 * sp.pi) * sp.exp(-x**2 / 2),
])
def test_without_logarithms_it_is_sympys_latex(expression):
    """Apart from the braces SymPy puts around an indexed name ({q}_{i})."""
    assert book_latex(expression) == sp.latex(expression).replace("{q}_", "q_")


@pytest.mark.parametrize("expression", [e for e, _ in EXPECTED[:-1]] + [
    sp.Eq(sp.Symbol("H"), -sp.Sum(q[i] * sp.log(p[i]), (i, 1, K))),
    sp.log(2) - sp.log(x) / 2 + a * sp.log(1 + sp.exp(-x)),
])
def test_only_order_and_brackets_change(expression):
    """Everything SymPy writes is written, and nothing else (the last expected
    case moves a rational coefficient out of the fraction, so it is left out)."""
    assert symbols_of(book_latex(expression)) == symbols_of(sp.latex(expression))


def test_ln_notation_is_honoured():
    assert book_latex(q[i] * sp.log(p[i]), ln_notation=True) == r"q_{i} \ln p_{i}"


@pytest.mark.parametrize("expression, latex", [
    (sp.Function("I")(x * a), r"I\left(a x\right)"),
    (sp.Eq(sp.Function("I")(x), -sp.log(x)), r"I\left(x\right) = - \log x"),
    (sp.IndexedBase("theta")[i] ** 2, r"\theta_{i}^{2}"),
    (sp.IndexedBase(r"\hat{q}")[i], r"{\hat{q}}_{i}"),
    (sp.exp(sp.Function("f")(x)), r"e^{f\left(x\right)}"),
])
def test_function_calls_and_indexed_names_lose_sympys_extra_braces(expression, latex):
    assert book_latex(expression) == latex
    assert symbols_of(book_latex(expression)) == symbols_of(sp.latex(expression))
