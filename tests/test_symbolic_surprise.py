"""Tests of the surprise derivation in xentlib.symbolic.information: each step
of chapter 1's derivation.

Every step is checked against something that does not reuse its construction:
concrete functions plugged into the equations and differentiated by central
differences, mpmath at 50 digits, and the numpy ``xl.surprisal``.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

import xentlib as xl
from xentlib.symbolic import information as surprise

P, Q, C, I = surprise.surprise_symbols()
X = sp.Symbol("x", positive=True)
RNG_SEED = 20260101


def _prime_function(equation):
    """The display function I' used in an equation (found by its name)."""
    (prime,) = {atom.func for atom in equation.atoms(AppliedUndef)
                if atom.func.__name__ == "I'"}
    return prime


def _plug_in(equation, function):
    """Replace I by ``function`` (a SymPy expression in X), I' by its derivative."""
    replaced = equation.replace(I, sp.Lambda(X, function))
    primes = {atom.func for atom in equation.atoms(AppliedUndef)
              if atom.func.__name__ == "I'"}
    for prime in primes:
        replaced = replaced.replace(prime, sp.Lambda(X, sp.diff(function, X)))
    return replaced


def _random_probabilities(size, seed=RNG_SEED):
    # Bounded away from 0 so that central differences stay accurate.
    return np.random.default_rng(seed).uniform(0.05, 1.0, size=size)


def _central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# A smooth function that is not additive: the equations must hold for it
# wherever they claim an identity of calculus, and fail where they claim
# the axiom.
NOT_ADDITIVE = sp.sin(X) + X**3


class TestAdditivityEquation:
    def test_is_the_axiom_for_I(self):
        axiom = surprise.additivity_equation()
        assert axiom.lhs == I(P * Q)
        assert sp.expand(axiom.rhs - I(P) - I(Q)) == 0

    def test_minus_log_satisfies_it_on_random_values(self):
        axiom = _plug_in(surprise.additivity_equation(), -3 * sp.log(X))
        difference = sp.lambdify((P, Q), axiom.lhs - axiom.rhs, "numpy")
        p, q = _random_probabilities((2, 200))
        assert np.max(np.abs(difference(p, q))) < 1e-12

    def test_a_non_additive_function_violates_it(self):
        # The axiom is a real constraint: 1 - x does not satisfy it.
        axiom = _plug_in(surprise.additivity_equation(), 1 - X)
        difference = sp.lambdify((P, Q), axiom.lhs - axiom.rhs, "numpy")
        p, q = _random_probabilities((2, 50))
        assert np.min(np.abs(difference(p, q))) > 1e-3


class TestDifferentiatedEquation:
    def test_display_form(self):
        equation = surprise.differentiated_equation()
        prime = _prime_function(equation)
        assert equation.lhs == P * prime(P * Q)
        assert equation.rhs == prime(Q)

    def test_each_side_is_the_q_derivative_by_finite_differences(self):
        # For a concrete f, d/dq f(pq) and d/dq [f(p) + f(q)] computed by
        # central differences must equal the two sides with I -> f.
        equation = _plug_in(surprise.differentiated_equation(), NOT_ADDITIVE)
        f = sp.lambdify(X, NOT_ADDITIVE, "numpy")
        lhs = sp.lambdify((P, Q), equation.lhs, "numpy")
        rhs = sp.lambdify((P, Q), equation.rhs, "numpy")
        p, q = _random_probabilities((2, 100))
        expected_lhs = _central_difference(lambda t: f(p * t), q)
        expected_rhs = _central_difference(lambda t: f(p) + f(t), q)
        np.testing.assert_allclose(lhs(p, q), expected_lhs, rtol=1e-7)
        np.testing.assert_allclose(rhs(p, q), expected_rhs, rtol=1e-7)

    def test_at_one_is_the_same_equation_at_q_equal_one(self):
        at_one = _plug_in(surprise.differentiated_at_one(), NOT_ADDITIVE)
        f = sp.lambdify(X, NOT_ADDITIVE, "numpy")
        p = _random_probabilities(100)
        lhs = sp.lambdify(P, at_one.lhs, "numpy")(p)
        rhs = float(at_one.rhs)
        np.testing.assert_allclose(lhs, p * _central_difference(f, p), rtol=1e-7)
        assert rhs == pytest.approx(_central_difference(f, 1.0), rel=1e-7)


class TestOdeAndSolution:
    def test_ode_holds_for_minus_c_log_plus_constant(self):
        # Check p * dI/dp = -c by central differences for I = C0 - c log p.
        ode = surprise.surprisal_ode()
        assert ode.rhs == -C
        p = _random_probabilities(100)
        for c, c0 in [(1.0, 0.0), (2.5, -4.0), (1 / np.log(2), 7.0)]:
            derivative = _central_difference(lambda t: c0 - c * np.log(t), p)
            left = sp.lambdify(P, ode.lhs.subs(I(P), -c * sp.log(P) + c0).doit())
            np.testing.assert_allclose(left(p), -c, rtol=1e-12)
            np.testing.assert_allclose(p * derivative, -c, rtol=1e-7)

    def test_ode_rejects_a_non_solution(self):
        ode = surprise.surprisal_ode()
        residual = (ode.lhs - ode.rhs).subs(I(P), 1 - P).doit()
        assert sp.simplify(residual) != 0

    def test_general_solution_is_minus_c_log_p_plus_a_constant(self):
        solution = surprise.general_solution()
        assert solution.lhs == I(P)
        new_symbols = solution.rhs.free_symbols - {P, C}
        assert len(new_symbols) == 1
        (constant,) = new_symbols
        assert sp.simplify(solution.rhs - (constant - C * sp.log(P))) == 0
        assert sp.checkodesol(surprise.surprisal_ode(), solution) == (True, 0)

    def test_forced_surprisal_vanishes_at_one_and_is_additive(self):
        forced = surprise.forced_surprisal()
        assert forced.rhs.subs(P, 1) == 0
        c = 1.7
        information = sp.lambdify(P, forced.rhs.subs(C, c), "numpy")
        p, q = _random_probabilities((2, 200), seed=RNG_SEED + 1)
        np.testing.assert_allclose(information(p * q),
                                   information(p) + information(q),
                                   rtol=1e-12, atol=1e-14)
        # Decreasing, as axiom (ii) demands, for c > 0.
        grid = np.linspace(0.01, 1.0, 500)
        assert np.all(np.diff(information(grid)) < 0)

    def test_additivity_identity(self):
        assert surprise.additivity_identity(lambda x: -C * sp.log(x)).holds()
        assert not surprise.additivity_identity(lambda x: 1 - x).holds()
        assert not surprise.additivity_identity(lambda x: -sp.log(x) + 1).holds()


class TestUnits:
    @pytest.mark.parametrize("base", [2, 10, 3])
    def test_unit_constant_against_mpmath(self, base):
        mpmath.mp.dps = 50
        expected = 1 / mpmath.log(base)
        value = sp.N(surprise.unit_constant(base), 50)
        assert abs(mpmath.mpf(str(value)) - expected) < mpmath.mpf(10) ** -45

    def test_nats_have_unit_constant_one(self):
        assert surprise.unit_constant(sp.E) == 1

    def test_one_in_eight_is_three_bits_two_plus_one(self):
        bits = surprise.surprisal_in_base(2).rhs
        at = lambda value: sp.nsimplify(sp.simplify(bits.subs(P, value)))
        assert at(sp.Rational(1, 8)) == 3
        assert at(sp.Rational(1, 4)) == 2
        assert at(sp.Rational(1, 2)) == 1

    def test_bits_match_xentlib_surprisal_on_random_inputs(self):
        bits = sp.lambdify(P, surprise.surprisal_in_base(2).rhs, "numpy")
        p = np.random.default_rng(RNG_SEED + 2).uniform(1e-12, 1.0, 1000)
        np.testing.assert_allclose(bits(p), xl.surprisal(p, base=2), rtol=1e-14)

    def test_bits_match_mpmath(self):
        mpmath.mp.dps = 50
        bits = sp.lambdify(P, surprise.surprisal_in_base(2).rhs, "mpmath")
        for p in np.random.default_rng(RNG_SEED + 3).uniform(1e-9, 1.0, 20):
            expected = -mpmath.log(mpmath.mpf(float(p)), 2)
            assert abs(bits(mpmath.mpf(float(p))) - expected) < mpmath.mpf(10) ** -40
