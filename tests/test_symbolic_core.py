"""Identity: the object every displayed equation is rendered from."""

import sympy as sp

from xentlib.symbolic import Identity

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
