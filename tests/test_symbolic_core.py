"""Identity: the object every displayed equation is rendered from."""

import pytest
import sympy as sp

from xentlib.symbolic import Identity, Undecided

x, y = sp.symbols("x y", positive=True)


def test_a_true_identity_holds():
    assert Identity(sp.log(x * y), sp.log(x) + sp.log(y)).holds()


def test_a_false_identity_does_not_hold():
    # The seeds' kind of slip: a sign error must be caught, not waved through.
    assert not Identity(sp.log(x / y), sp.log(x) + sp.log(y)).holds()


def test_log_rules_need_the_positivity_assumption():
    u, v = sp.symbols("u v")  # no assumptions: log(uv) = log u + log v is false
    assert not Identity(sp.log(u * v), sp.log(u) + sp.log(v)).holds()


def test_equation_stays_an_equation_even_when_trivially_true():
    # sp.Eq(2x, 2x) would evaluate to True and render as "True".
    rule = Identity(2 * x, 2 * x)
    assert isinstance(rule.equation(), sp.Eq)
    assert rule.latex() == "2 x = 2 x"


def test_a_counterexample_names_the_point_and_both_values():
    u = sp.Symbol("u", real=True)
    found = Identity(sp.Abs(u), u).counterexample
    text = str(found)
    assert text.startswith("at u = -") and "lhs = " in text and "rhs = -" in text


def test_entrywise_checks_refute_one_wrong_entry():
    from xentlib.symbolic import all_hold
    assert all_hold([x * y, x + y], [y * x, y + x])
    assert not all_hold([x * y, x + y], [y * x, x - y])


def test_hypotheses_are_shown_with_the_identity():
    t = sp.Symbol("t", positive=True)
    from xentlib.symbolic import positive
    rule = Identity(sp.log(t * (1 - t)), sp.log(t) + sp.log(1 - t),
                    (positive(1 - t, name="t < 1"),))
    assert rule.holds()
    assert rule.hypothesis_text() == "t < 1: 1 - t > 0"


# --- the symbols' own domains, printed with every check -----------------------

@pytest.mark.parametrize("symbol, domain", [
    (sp.Symbol("n", integer=True, positive=True), r"n \in \{1, 2, \dots\}"),
    (sp.Symbol("m", integer=True, nonnegative=True), r"m \in \{0, 1, \dots\}"),
    (sp.Symbol("d", integer=True), r"d \in \mathbb{Z}"),
    (sp.Symbol("t", positive=True), "t > 0"),
    (sp.Symbol("u", nonnegative=True), r"u \ge 0"),
    (sp.Symbol("v", negative=True), "v < 0"),
    (sp.Symbol("w", real=True), r"w \in \mathbb{R}"),
    (sp.Symbol("c"), r"c \in \mathbb{C}"),
])
def test_domains_follow_sympy_assumptions(symbol, domain):
    from xentlib.symbolic import domains

    assert domains(symbol + 1) == (domain,)


def test_domains_list_a_family_once_and_skip_bound_and_defined_symbols():
    from xentlib.symbolic import definition, domains
    from xentlib.symbolic.symbols import K, i, q, z

    k = sp.Symbol("k", integer=True, positive=True)
    expr = sp.Sum(q[i] * z[i], (i, 1, K)) + q[1] + k
    # i is bound by the sum; q appears as q_i and q_1 but is listed once.
    assert domains(expr) == (r"K \in \{1, 2, \dots\}", r"k \in \{1, 2, \dots\}",
                             r"q_{i} > 0", r"z_{i} \in \mathbb{R}")
    assert domains(expr, hypotheses=(definition(k, K + 1),)) == (
        r"K \in \{1, 2, \dots\}", r"q_{i} > 0", r"z_{i} \in \mathbb{R}")


def test_domains_of_concrete_entries_name_them_and_say_each_thing_once():
    from xentlib.symbolic import domains
    from xentlib.symbolic.symbols import p, q

    assert domains(q[1] * p[1] + q[2] * p[2]) == ("p_{1}, p_{2} > 0", "q_{1}, q_{2} > 0")
    assert domains(sum(q[n] for n in range(1, 7))) == (r"q_{1}, \dots, q_{6} > 0",)
    # Two symbols printed alike with the same domain: one line.
    twin = sp.Symbol(r"\lambda", real=True) + sp.Symbol("lambda", real=True)
    assert domains(twin) == (r"\lambda \in \mathbb{R}",)


def test_identity_domains_cover_both_sides():
    x, y = sp.Symbol("x", positive=True), sp.Symbol("y", real=True)
    identity = Identity(sp.log(sp.exp(y) * x), y + sp.log(x))
    assert identity.domains() == ("x > 0", r"y \in \mathbb{R}")


# --- chains: a derivation checked link by link --------------------------------

def test_a_chain_is_as_strong_as_its_weakest_link():
    from xentlib.symbolic import Chain
    from xentlib.symbolic.symbols import K, i, q, q_is_distribution

    x = sp.Symbol("x", positive=True)
    total = sp.Sum(q[i], (i, 1, K))
    # log(x^2) = 2 log x is proved; sum q = 1 only under its hypothesis.
    chain = Chain([sp.log(x**2) + total, 2 * sp.log(x) + total, 2 * sp.log(x) + 1],
                  hypotheses=(q_is_distribution,))
    assert chain.holds() and chain.status == "proved for symbolic K"
    assert [link.status for link in chain.links] == ["proved for symbolic K"] * 2
    assert chain.domains() == (r"K \in \{1, 2, \dots\}", r"q_{i} > 0", "x > 0")


def test_a_chain_with_one_false_link_is_refuted_even_if_its_ends_agree():
    from xentlib.symbolic import Chain

    x = sp.Symbol("x", positive=True)
    # The ends log(x^2) and 2 log x are equal; the middle step is wrong.
    chain = Chain([sp.log(x**2), 3 * sp.log(x), 2 * sp.log(x)])
    assert Identity(chain.steps[0], chain.steps[-1]).holds()
    assert chain.holds() is False and chain.status == "refuted"
    found = chain.counterexample
    assert sp.N(found.lhs - found.rhs) != 0


def test_a_chain_with_an_undecided_link_is_undecided():
    from xentlib.symbolic import Chain

    # Every link is true; the last (min(u, u^2 + 1) = u, as u < u^2 + 1)
    # is beyond SymPy's simplifier, so it is only checked numerically.
    u = sp.Symbol("u", real=True)
    hard = Identity(sp.Min(u, u**2 + 1), u)
    chain = Chain([u + 0, u, sp.Min(u, u**2 + 1)])
    assert hard.status == "checked numerically"
    with pytest.raises(Undecided):
        chain.holds()
    assert chain.status == "checked numerically"


def test_a_chain_needs_two_steps():
    from xentlib.symbolic import Chain

    with pytest.raises(ValueError, match="steps"):
        Chain([sp.Integer(1)])


# --- several claims in one display, and claims at a concrete size -------------

def test_all_of_refutes_a_matrix_with_one_wrong_entry():
    from xentlib.symbolic import AllOf
    from xentlib.symbolic.symbols import p

    # diag(p) - p p^T at K = 2, with one entry's sign flipped.
    right = sp.Matrix([[p[1] - p[1]**2, -p[1] * p[2]], [-p[1] * p[2], p[2] - p[2]**2]])
    wrong = right.copy()
    wrong[0, 1] = p[1] * p[2]
    jacobian = sp.Matrix(2, 2, lambda r, c: (p[r + 1] if r == c else 0) - p[r + 1] * p[c + 1])
    good = AllOf([Identity(a, b) for a, b in zip(jacobian, right)], at="K = 2")
    bad = AllOf([Identity(a, b) for a, b in zip(jacobian, wrong)], at="K = 2")
    assert good.holds() and good.status == "proved at K = 2"
    assert bad.holds() is False and bad.status == "refuted"
    assert bad.counterexample is not None


def test_all_of_is_as_strong_as_its_weakest_claim_and_keeps_every_hypothesis():
    from xentlib.symbolic import AllOf, Inequality, positive
    from xentlib.symbolic.symbols import K, i, q, q_is_distribution

    t = sp.Symbol("t", real=True)
    x = sp.Symbol("x", positive=True)
    both = AllOf([
        Identity(sp.Sum(q[i], (i, 1, K)), 1, (q_is_distribution,)),
        Inequality(sp.log(x), x - 1),
        Identity(sp.log(t**2), 2 * sp.log(t), (positive(t),)),
    ])
    assert both.holds() and both.status == "proved for symbolic K"
    assert [h.latex() for h in both.hypotheses] == [r"\sum_{i=1}^{K} q_{i} = 1", "t > 0"]
    undecided = AllOf([Identity(sp.Min(t, t**2 + 1), t), Identity(t + t, 2 * t)])
    with pytest.raises(Undecided):
        undecided.holds()
    assert undecided.status == "checked numerically"


def test_at_names_the_concrete_size_but_never_dresses_up_a_refutation():
    x = sp.Symbol("x", positive=True)
    assert Identity(sp.log(x**3), 3 * sp.log(x), at="K = 3").status == "proved at K = 3"
    wrong = Identity(sp.log(x**3), 2 * sp.log(x), at="K = 3")
    assert wrong.holds() is False and wrong.status == "refuted"


def test_all_of_wants_claims():
    from xentlib.symbolic import AllOf

    with pytest.raises(TypeError, match="claims"):
        AllOf([sp.Integer(1)])
    with pytest.raises(TypeError, match="claims"):
        AllOf([])


def test_a_definition_lists_the_symbols_of_what_defines_it_not_its_name():
    from xentlib.symbolic import Definition
    from xentlib.symbolic.symbols import K, i, q

    name = sp.Symbol(r"H(q)")
    assert Definition(name, -sp.Sum(q[i] * sp.log(q[i]), (i, 1, K))).domains() == (
        r"K \in \{1, 2, \dots\}", r"q_{i} > 0")


def test_points_say_how_much_the_numerical_check_saw():
    from xentlib.symbolic import Chain, Inequality, index_range
    from xentlib.symbolic.symbols import K, i, j, p, p_is_distribution

    x, y = sp.symbols("x y", positive=True)
    assert Identity(sp.log(x * y), sp.log(x) + sp.log(y)).points == 8
    # Sums: two points at each size K = 1..6.
    in_range = Identity(p[i] * sp.Sum(p[j], (j, 1, K)), p[i],
                        (p_is_distribution, index_range(i, K)))
    assert in_range.points == 12
    assert Inequality(sp.log(x), x - 1).points == 8 * 6  # inequalities: six times more
    links = Chain([sp.log(x * y), sp.log(x) + sp.log(y), sp.log(y) + sp.log(x)])
    assert links.points == sum(link.points for link in links.links) > 0


def test_domains_list_two_symbols_that_share_a_name_but_not_their_assumptions():
    # Found by a chapter author: a real y and a count y in one display.
    from xentlib.symbolic import domains

    real_y = sp.Symbol("y", real=True)
    count_y = sp.Symbol("y", integer=True, nonnegative=True)
    assert domains(real_y + count_y) == (r"y \in \mathbb{R}", r"y \in \{0, 1, \dots\}")
