"""Tests of xentlib.bivariate: joint and conditional entropy, mutual information.

Independent references, each with its provenance:

* scikit-learn's ``mutual_info_score(None, None, contingency=counts)``, nats,
  on integer contingency tables (sklearn casts the table to integers, so a
  table of probabilities is passed as counts);
* :func:`scipy.stats.entropy` on the flattened table (joint entropy), on the
  rows (conditional entropy) and with ``qk`` the product of the marginals
  (mutual information as a KL divergence);
* mpmath at 120 significant digits on the *exact* float inputs: each cell is
  converted with ``mpmath.mpf(float(v))`` and the table is normalised in
  mpmath, as the function normalises it; the formulas are the textbook
  definitions, with no log1p or other rearrangement.

Errors are in units of float64 machine epsilon: relative for the entropies
(every term is non-negative), absolute (in nats) for the mutual information,
whose terms have both signs (see its Notes).
"""

import math

import mpmath
import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import mutual_info_score

from xentlib import conditional_entropy, entropy, joint_entropy, mutual_information

EPS = np.finfo(np.float64).eps
# Measured maxima over the random tables of test_against_mpmath (600 tables,
# shapes up to 8 x 8): joint entropy 1.7 eps, conditional entropy 1.6 eps
# (relative); mutual information 1.1 eps (absolute, nats), 4.3 eps relative
# where it exceeds 0.1 nat; 4.2 eps from scikit-learn (its own rounding).
FEW = 4.0
hypothesis_settings = settings(max_examples=80, deadline=None)


# --- references ------------------------------------------------------------

def mp_table(joint):
    """The exact float table as mpmath numbers, normalised at high precision."""
    cells = [[mpmath.mpf(float(v)) for v in row] for row in np.asarray(joint)]
    total = mpmath.fsum(v for row in cells for v in row)
    return [[v / total for v in row] for row in cells]


def mp_references(joint):
    """``(H(X,Y), H(Y|X), I(X;Y))`` in nats from the textbook sums."""
    with mpmath.workdps(120):
        table = mp_table(joint)
        rows = [mpmath.fsum(row) for row in table]
        cols = [mpmath.fsum(col) for col in zip(*table)]
        h_xy = -mpmath.fsum(v * mpmath.log(v) for row in table for v in row if v > 0)
        h_y_x = -mpmath.fsum(v * mpmath.log(v / rows[x])
                             for x, row in enumerate(table) for v in row if v > 0)
        i_xy = mpmath.fsum(v * mpmath.log(v / (rows[x] * cols[y]))
                           for x, row in enumerate(table)
                           for y, v in enumerate(row) if v > 0)
        return h_xy, h_y_x, i_xy


def relative_eps(value, reference):
    if reference == 0:
        return 0.0 if value == 0 else math.inf
    return float(abs(mpmath.mpf(float(value)) - reference) / abs(reference)) / EPS


def absolute_eps(value, reference):
    return float(abs(mpmath.mpf(float(value)) - reference)) / EPS


def random_table(rng, shape, sparsity=0.0):
    """A random joint distribution, some cells zeroed (never all of them)."""
    table = rng.dirichlet(np.full(shape[0] * shape[1], 0.7)).reshape(shape)
    if sparsity:
        mask = rng.random(shape) < sparsity
        mask.flat[rng.integers(table.size)] = False
        table = np.where(mask, 0.0, table)
        table /= table.sum()
    return table


# --- independent references --------------------------------------------------

def test_against_mpmath():
    rng = np.random.default_rng(20261203)
    worst = {"H(X,Y)": 0.0, "H(Y|X)": 0.0, "I(X;Y)": 0.0}
    for _ in range(600):
        shape = tuple(rng.integers(1, 9, size=2))
        table = random_table(rng, shape, sparsity=rng.choice([0.0, 0.3]))
        h_xy, h_y_x, i_xy = mp_references(table)
        worst["H(X,Y)"] = max(worst["H(X,Y)"], relative_eps(joint_entropy(table), h_xy))
        worst["H(Y|X)"] = max(worst["H(Y|X)"],
                              relative_eps(conditional_entropy(table), h_y_x))
        worst["I(X;Y)"] = max(worst["I(X;Y)"],
                              absolute_eps(mutual_information(table), i_xy))
    assert max(worst.values()) <= FEW, worst


def test_mutual_information_relative_accuracy_when_far_from_zero():
    """Away from independence the absolute error is also a relative one."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        table = random_table(rng, (4, 5), sparsity=0.3)
        _, _, i_xy = mp_references(table)
        if i_xy > 0.1:
            assert relative_eps(mutual_information(table), i_xy) <= 2 * FEW


def test_nearly_deterministic_row_keeps_its_digits():
    """Regression: the direct -sum p log(p / p(x)) is off by 3.6e10 eps here
    (log of a ratio within 2e-13 of 1); the log1p of the rest keeps 0.6 eps."""
    table = np.array([[0.5 - 1e-13, 1e-13], [1e-13, 0.5 - 1e-13]])
    _, h_y_x, _ = mp_references(table)
    assert relative_eps(conditional_entropy(table), h_y_x) <= FEW


def test_against_sklearn_mutual_info_score():
    rng = np.random.default_rng(11)
    worst = 0.0
    for _ in range(300):
        shape = tuple(rng.integers(2, 8, size=2))
        counts = rng.integers(0, 50, size=shape)
        counts[0, 0] += 1  # never an empty table
        reference = mutual_info_score(None, None, contingency=counts)
        value = mutual_information(counts / counts.sum())
        worst = max(worst, abs(value - reference) / EPS)
    # sklearn sets terms below eps to 0 and evaluates log(n_xy N / (n_x n_y))
    # in another order: a few eps apart, in nats.
    assert worst <= 2 * FEW, worst


def test_against_scipy_entropy():
    rng = np.random.default_rng(12)
    for _ in range(200):
        table = random_table(rng, tuple(rng.integers(1, 7, size=2)), sparsity=0.2)
        p_x, p_y = table.sum(axis=1), table.sum(axis=0)
        h_y_x = sum(p * scipy.stats.entropy(row) for p, row in zip(p_x, table) if p > 0)
        kl = scipy.stats.entropy(table.ravel(), np.outer(p_x, p_y).ravel())
        for base in [None, 2, 10]:
            scale = 1 if base is None else math.log(base)
            np.testing.assert_allclose(joint_entropy(table, base=base),
                                       scipy.stats.entropy(table.ravel(), base=base),
                                       rtol=8 * EPS, atol=8 * EPS)
            np.testing.assert_allclose(conditional_entropy(table, base=base),
                                       h_y_x / scale, rtol=8 * EPS, atol=8 * EPS)
            np.testing.assert_allclose(mutual_information(table, base=base),
                                       kl / scale, rtol=0, atol=8 * EPS)


# --- special values ---------------------------------------------------------

def test_dyadic_tables_are_exact_in_bits():
    table = [[0.25, 0.25], [0.5, 0.0]]
    assert joint_entropy(table, base=2) == 1.5
    assert conditional_entropy(table, base=2) == 0.5
    # H(X | Y): Y = 0 (probability 3/4) leaves X = (1/3, 2/3); Y = 1 fixes X.
    assert conditional_entropy(np.transpose(table), base=2) == pytest.approx(
        0.75 * entropy([1 / 3, 2 / 3], base=2), rel=4 * EPS)
    assert mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2) == 1.0


def test_deterministic_and_independent_tables():
    copy = np.diag([0.2, 0.3, 0.5])  # Y = X
    assert conditional_entropy(copy) == 0.0
    assert mutual_information(copy) == pytest.approx(entropy([0.2, 0.3, 0.5]), rel=4 * EPS)
    independent = np.outer([0.2, 0.3, 0.5], [0.6, 0.4])
    assert 0.0 <= mutual_information(independent) <= FEW * EPS
    assert conditional_entropy(independent) == pytest.approx(
        entropy([0.6, 0.4]), rel=4 * EPS)


def test_single_cell_and_single_row():
    assert joint_entropy([[1.0]]) == 0.0
    assert conditional_entropy([[1.0]]) == 0.0
    assert mutual_information([[1.0]]) == 0.0
    row = [[0.5, 0.5]]  # X is constant: knowing it tells nothing
    assert conditional_entropy(row) == pytest.approx(math.log(2), rel=EPS)
    assert mutual_information(row) == 0.0


def test_empty_rows_and_columns_are_ignored():
    table = np.array([[0.3, 0.0, 0.2], [0.0, 0.0, 0.0], [0.1, 0.0, 0.4]])
    small = table[np.ix_([0, 2], [0, 2])]
    for f in (joint_entropy, conditional_entropy, mutual_information):
        assert f(table) == pytest.approx(f(small), rel=4 * EPS, abs=4 * EPS)


def test_dtypes():
    assert joint_entropy([[1, 0], [0, 0]]).dtype == np.float64  # integers
    assert mutual_information([[True, False], [False, False]]) == 0.0
    table = np.array([[0.25, 0.25], [0.5, 0.0]])
    for dtype in (np.float32, np.float16):
        for f in (joint_entropy, conditional_entropy, mutual_information):
            value = f(table.astype(dtype))
            assert value.dtype == dtype
            assert value == pytest.approx(f(table), rel=float(np.finfo(dtype).eps) * 4)


def test_normalises_within_tolerance():
    table = np.array([[0.25, 0.25], [0.5, 0.0]]) * (1 + 4 * EPS)  # inside the 8-eps tolerance
    assert mutual_information(table) == pytest.approx(
        mutual_information(table / table.sum()), rel=4 * EPS, abs=4 * EPS)


def test_returns_numpy_scalars():
    value = mutual_information([[0.4, 0.1], [0.1, 0.4]])
    assert isinstance(value, np.float64) and np.shape(value) == ()


# --- properties ---------------------------------------------------------------

def marginal(table, axis):
    """p(x) (axis=1) or p(y) (axis=0), renormalised so that xentlib.entropy,
    which checks that entries are at most 1, accepts a sum of 1 + eps."""
    totals = table.sum(axis=axis)
    return np.minimum(totals / totals.sum(), 1.0)


@st.composite
def tables(draw, max_side=6):
    """Joint distributions with zeros, from non-negative weights."""
    shape = draw(st.tuples(st.integers(1, max_side), st.integers(1, max_side)))
    weights = draw(hnp.arrays(np.float64, shape,
                              elements=st.floats(0, 1e3, allow_subnormal=False)))
    weights = weights + (weights.sum() == 0)  # never all zero
    return weights / weights.sum()


@hypothesis_settings
@given(tables())
def test_chain_rule(table):
    """H(X, Y) = H(X) + H(Y | X), with H(X) from xentlib.entropy."""
    h_x = entropy(marginal(table, 1))
    h_xy = joint_entropy(table)
    assert h_xy == pytest.approx(h_x + conditional_entropy(table),
                                 rel=8 * EPS, abs=8 * EPS)


@hypothesis_settings
@given(tables())
def test_mutual_information_is_symmetric(table):
    assert mutual_information(table) == pytest.approx(
        mutual_information(table.T), rel=8 * EPS, abs=8 * EPS)


@hypothesis_settings
@given(tables())
def test_mutual_information_forms_and_bounds(table):
    h_x, h_y = entropy(marginal(table, 1)), entropy(marginal(table, 0))
    i_xy = mutual_information(table)
    slack = 8 * EPS * max(1.0, h_x + h_y)
    assert i_xy >= 0
    assert i_xy <= min(h_x, h_y) + slack
    assert i_xy == pytest.approx(h_y - conditional_entropy(table), abs=slack)
    assert i_xy == pytest.approx(h_x + h_y - joint_entropy(table), abs=slack)
    assert conditional_entropy(table) <= h_y + slack  # conditioning reduces entropy


@hypothesis_settings
@given(tables(), tables())
def test_mutual_information_of_a_product_table_is_zero(first, second):
    # Marginals of two random tables: any two distributions, with zeros.
    product = np.outer(marginal(first, 1), marginal(second, 0))
    assert 0.0 <= mutual_information(product) <= 8 * EPS
    assert conditional_entropy(product) == pytest.approx(
        entropy(marginal(product, 0)), rel=8 * EPS, abs=8 * EPS)


@hypothesis_settings
@given(tables(), st.sampled_from([2, 10, 3.5]))
def test_base_is_a_change_of_unit(table, base):
    for f in (joint_entropy, conditional_entropy, mutual_information):
        assert f(table, base=base) == pytest.approx(
            f(table) / math.log(base), rel=8 * EPS, abs=8 * EPS)


# --- bad input --------------------------------------------------------------

@pytest.mark.parametrize("f", [joint_entropy, conditional_entropy, mutual_information])
@pytest.mark.parametrize("bad, error, words", [
    ([[0.5, np.nan], [0.25, 0.25]], ValueError, "NaN"),
    ([[0.5, np.inf], [0.25, 0.25]], ValueError, "finite"),
    ([[0.75, -0.25], [0.25, 0.25]], ValueError, "negative"),
    ([[0.5, 0.2], [0.25, 0.25]], ValueError, "sum to 1"),
    ([0.5, 0.5], ValueError, "2-D"),
    ([[[0.5, 0.5]]], ValueError, "2-D"),
    (0.5, ValueError, "2-D"),
    (np.zeros((0, 3)), ValueError, "empty"),
    (np.zeros((2, 0)), ValueError, "empty"),
    ([["a", "b"]], TypeError, "real numbers"),
    ([[0.5 + 0j, 0.5]], TypeError, "real numbers"),
    ([[0.5, 0.5], [0.5]], TypeError, "array-like"),
])
def test_bad_input_names_joint(f, bad, error, words):
    with pytest.raises(error, match=words) as caught:
        f(bad)
    assert "joint" in str(caught.value)


@pytest.mark.parametrize("base, error", [(1, ValueError), (0, ValueError),
                                         (-2, ValueError), ("2", TypeError)])
def test_bad_base(base, error):
    with pytest.raises(error, match="base"):
        mutual_information([[1.0]], base=base)


def test_arguments_after_joint_are_keyword_only():
    with pytest.raises(TypeError):
        mutual_information([[1.0]], 2)
