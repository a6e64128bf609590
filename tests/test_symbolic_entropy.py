"""Tests of the entropy derivations in xentlib.symbolic.information (chapter 2):
the derivations agree with the numbers.

The symbolic results are lambdified and compared with xentlib's numpy
functions (``xl.entropy``, ``xl.binary_entropy``), and their derivatives
with central finite differences of those functions; the general-K Lagrange
solution is compared with SymPy solving the concrete system for small K.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import information as se

RNG_SEED = 20260222


def random_distribution(rng, n):
    weights = rng.uniform(0.05, 1.0, size=n)
    return weights / weights.sum()


@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_entropy_sum_lambdified_matches_xl_entropy(n):
    expr, ps = se.at_k_one_distribution(se.entropy_sum(se.p), n)
    function = sp.lambdify([ps], expr, "numpy")
    rng = np.random.default_rng(RNG_SEED + n)
    for _ in range(20):
        p = random_distribution(rng, n)
        assert function(p) == pytest.approx(xl.entropy(p), rel=1e-13)


def test_expected_surprise_identity_and_a_false_one():
    assert se.expected_surprise().holds()
    # The check can fail: dropping the minus sign is caught.
    wrong = Identity(se.expected_surprise().lhs, -se.entropy_sum(se.p))
    assert not wrong.holds()


def test_stationarity_general_k():
    assert sp.simplify(se.max_entropy_stationarity() - (-sp.log(se.p[se.j]) - 1 - se.lam)) == 0


@pytest.mark.parametrize("n", [3, 4, 6])
def test_gradient_against_finite_differences_of_xl_entropy(n):
    # Along e_a - e_b the sum stays 1, so xl.entropy accepts the moved point;
    # the directional derivative is dH/dp_a - dH/dp_b, and lambda cancels.
    gradient = sp.lambdify((se.p[se.j], se.lam), se.max_entropy_stationarity(), "numpy")
    rng = np.random.default_rng(RNG_SEED)
    p = random_distribution(rng, n)
    h = 1e-6
    for a, b in [(0, 1), (1, n - 1), (n - 1, 0)]:
        step = np.zeros(n)
        step[a], step[b] = h, -h
        numeric = (xl.entropy(p + step) - xl.entropy(p - step)) / (2 * h)
        symbolic = gradient(p[a], 0.0) - gradient(p[b], 0.0)
        assert numeric == pytest.approx(symbolic, rel=1e-7, abs=1e-9)


def test_stationary_point_general_k():
    solution = se.max_entropy_stationary_point()
    assert sp.simplify(solution["p_j"] - sp.exp(-1 - se.lam)) == 0
    assert sp.simplify(solution["lambda"] - (sp.log(se.K) - 1)) == 0
    assert sp.simplify(solution["p_j_normalised"] - 1 / se.K) == 0


@pytest.mark.parametrize("n", [2, 3, 4])
def test_concrete_lagrange_system_agrees_with_general_k(n):
    solutions, ps = se.max_entropy_lagrange_solution(n)
    assert len(solutions) == 1
    (solution,) = solutions
    for v in ps:
        assert solution[v] == sp.Rational(1, n)
    general = se.max_entropy_stationary_point()["lambda"].subs(se.K, n)
    assert sp.simplify(solution[se.lam] - general) == 0


@pytest.mark.parametrize("n", [1, 2, 3, 7, 50, 1024])
def test_uniform_entropy_matches_xl_entropy(n):
    identity = se.uniform_entropy()
    assert identity.holds()
    value = sp.lambdify(se.K, identity.rhs, "numpy")(n)
    uniform = np.full(n, 1.0 / n)
    assert xl.entropy(uniform) == pytest.approx(value, rel=1e-13, abs=1e-15)
    assert xl.entropy(uniform, base=2) == pytest.approx(np.log2(n), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20).filter(
        lambda w: sum(w) > 1e-3
    )
)
def test_no_distribution_beats_the_uniform(weights):
    p = np.array(weights) / np.sum(weights)
    bound = sp.lambdify(se.K, se.uniform_entropy().rhs, "numpy")(p.size)
    assert xl.entropy(p) <= bound + 1e-12


def test_hessian_general_k():
    expected = -sp.KroneckerDelta(se.j, se.k) / se.p[se.j]
    assert sp.simplify(se.entropy_hessian() - expected) == 0


def test_hessian_against_second_differences_of_xl_entropy():
    # v^T (Hessian) v = -sum v_i^2 / p_i for a direction v with sum(v) = 0.
    hessian = se.entropy_hessian()
    n = 5
    rng = np.random.default_rng(RNG_SEED + 1)
    p = random_distribution(rng, n)
    v = rng.normal(size=n)
    v -= v.mean()
    substitutions = {se.p[m + 1]: p[m] for m in range(n)}
    quadratic = sum(
        float(hessian.subs({se.j: a + 1, se.k: b + 1}).subs(substitutions))
        * v[a] * v[b]
        for a in range(n)
        for b in range(n)
    )
    h = 1e-4
    numeric = (xl.entropy(p + h * v) - 2 * xl.entropy(p) + xl.entropy(p - h * v)) / h**2
    assert numeric == pytest.approx(quadratic, rel=1e-5)
    assert quadratic < 0


def test_binary_entropy_bits_matches_xl():
    function = sp.lambdify(se.x, se.binary_entropy_bits(), "numpy")
    grid = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(function(grid), xl.binary_entropy(grid, base=2),
                               rtol=1e-13)


def test_binary_entropy_derivative_against_finite_differences():
    derivative = sp.lambdify(se.x, se.binary_entropy_derivative(), "numpy")
    grid = np.linspace(0.05, 0.95, 19)
    h = 1e-6
    numeric = (xl.binary_entropy(grid + h, base=2)
               - xl.binary_entropy(grid - h, base=2)) / (2 * h)
    np.testing.assert_allclose(numeric, derivative(grid), rtol=1e-6, atol=1e-8)


def test_binary_entropy_maximum():
    result = se.binary_entropy_maximum()
    assert result["x"] == sp.Rational(1, 2)
    assert result["h"] == 1
    assert sp.simplify(result["second_derivative"] + 4 / sp.log(2)) == 0
    h = 1e-4
    numeric = (xl.binary_entropy(0.5 + h, base=2) - 2 * xl.binary_entropy(0.5, base=2)
               + xl.binary_entropy(0.5 - h, base=2)) / h**2
    assert numeric == pytest.approx(float(result["second_derivative"]), rel=1e-6)
    grid = np.linspace(0, 1, 10001)
    assert grid[np.argmax(xl.binary_entropy(grid))] == 0.5
