"""Tests of xentlib.coding against independent references.

References used here, none of which shares code with xentlib.coding:
- optimality: exhaustive search over every length vector allowed by Kraft's
  inequality (by the Kraft-McMillan theorem, exactly the lengths of prefix
  codes), with the expected length summed in exact fractions;
- entropy: mpmath at 50 significant digits on the exact float inputs;
- prefix-freeness: the O(K^2) pairwise definition;
- Kraft sums: exact fractions.
"""

import functools
import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentlib.coding import (
    expected_length,
    huffman_code,
    huffman_lengths,
    is_prefix_free,
    kraft_sum,
    shannon_lengths,
)

mpmath.mp.dps = 50


def entropy_bits_mp(p):
    """-sum p log2 p with 0 log 0 = 0, in mpmath, from the exact floats."""
    return -mpmath.fsum(
        mpmath.mpf(x) * mpmath.log(mpmath.mpf(x), 2) for x in p if x > 0
    )


def exact_expected_length(lengths, p):
    return sum(Fraction(float(x)) * int(n) for x, n in zip(p, lengths))


@functools.lru_cache(maxsize=None)
def kraft_feasible_lengths(k):
    """Every l in {1..k-1}^k with sum 2^-l_i <= 1, as an int array (rows).

    Lengths above k - 1 are never needed: some optimal code tree has depth at
    most k - 1 (a chain), so this set is exhaustive for optimality.
    """
    rows = np.array(list(itertools.product(range(1, k), repeat=k)), dtype=np.int64)
    # Kraft's inequality in integers: sum 2^(k-1-l_i) <= 2^(k-1).
    feasible = (2 ** (k - 1 - rows)).sum(axis=1) <= 2 ** (k - 1)
    return rows[feasible]


def brute_force_optimal_length(p):
    """Exact minimum of sum p_i l_i over all prefix-code length vectors."""
    rows = kraft_feasible_lengths(len(p))
    approximate = rows @ p
    # Screen in floating point, then decide among near-ties in exact fractions.
    near = rows[approximate <= approximate.min() + 1e-9]
    return min(exact_expected_length(lengths, p) for lengths in near)


def pairwise_prefix_free(words):
    return not any(
        a.startswith(b) for i, a in enumerate(words) for j, b in enumerate(words)
        if i != j
    )


@st.composite
def distributions(draw, min_k=2, max_k=12, allow_zero=False):
    k = draw(st.integers(min_k, max_k))
    low = 0 if allow_zero else 1
    weights = draw(st.lists(st.integers(low, 1000), min_size=k, max_size=k))
    if sum(weights) == 0:
        weights[0] = 1
    weights = np.array(weights, dtype=np.float64)
    return weights / weights.sum()


@st.composite
def dyadic_distributions(draw, max_k=16):
    """Leaves of a random full binary tree: probabilities 2^-depth."""
    depths = [0]
    target = draw(st.integers(1, max_k))
    while len(depths) < target:
        index = draw(st.integers(0, len(depths) - 1))
        depth = depths.pop(index)
        depths += [depth + 1, depth + 1]
    order = draw(st.permutations(range(len(depths))))
    return np.array([2.0 ** -depths[i] for i in order])


# --- Huffman lengths ------------------------------------------------------


def test_textbook_example():
    # Cover & Thomas (2006), Example 5.6.1: lengths (2, 2, 2, 3, 3), L = 2.3.
    p = [0.25, 0.25, 0.2, 0.15, 0.15]
    np.testing.assert_array_equal(huffman_lengths(p), [2, 2, 2, 3, 3])
    assert expected_length(huffman_lengths(p), p) == pytest.approx(2.3, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(distributions(min_k=2, max_k=7, allow_zero=True))
def test_lengths_are_optimal_against_exhaustive_search(p):
    lengths = huffman_lengths(p)
    assert exact_expected_length(lengths, p) == brute_force_optimal_length(p)


@settings(max_examples=200, deadline=None)
@given(distributions(min_k=2, max_k=40, allow_zero=True))
def test_kraft_equality_full_tree(p):
    lengths = huffman_lengths(p)
    assert lengths.dtype == np.int64 and lengths.shape == p.shape
    assert sum(Fraction(1, 2 ** int(n)) for n in lengths) == 1


@settings(max_examples=200, deadline=None)
@given(distributions(min_k=2, max_k=40))
def test_entropy_bounds(p):
    entropy = entropy_bits_mp(p)
    length = exact_expected_length(huffman_lengths(p), p)
    average = mpmath.mpf(length.numerator) / length.denominator
    assert entropy <= average < entropy + 1


@settings(max_examples=200, deadline=None)
@given(distributions(min_k=1, max_k=12, allow_zero=True))
def test_entropy_bounds_with_zeros(p):
    # With zero probabilities allowed the outcome may be certain (H = 0) and
    # every codeword still has a bit: then L = H + 1, so the bound is closed.
    entropy = entropy_bits_mp(p)
    length = exact_expected_length(huffman_lengths(p), p)
    average = mpmath.mpf(length.numerator) / length.denominator
    assert entropy <= average <= entropy + 1
    if entropy > 0:
        assert average < entropy + 1


@settings(max_examples=200, deadline=None)
@given(dyadic_distributions())
def test_dyadic_distributions_meet_the_entropy(p):
    lengths = huffman_lengths(p)
    if p.size > 1:
        # Each symbol gets exactly -log2 p_i bits, so L == H exactly.
        np.testing.assert_array_equal(2.0 ** -lengths, p)
        assert expected_length(lengths, p) == float(entropy_bits_mp(p))


def test_certain_outcome_costs_one_bit():
    np.testing.assert_array_equal(huffman_lengths([1.0]), [1])
    np.testing.assert_array_equal(huffman_lengths([0.0, 1.0, 0.0]), [2, 1, 2])


def test_tie_breaking_is_by_creation_order():
    # Three equal weights: leaves 0 and 1 (created first) merge first.
    np.testing.assert_array_equal(huffman_lengths([1 / 3] * 3), [2, 2, 1])
    np.testing.assert_array_equal(huffman_lengths([0.25] * 4), [2, 2, 2, 2])
    # A leaf (1/3, index 0), a leaf (1/3, index 3) and a merged node
    # (1/6 + 1/6, exactly 1/3 in floating point) tie: the two leaves were
    # created first, so they merge first. (Merging the node first is also
    # optimal but gives lengths [2, 3, 3, 1].)
    np.testing.assert_array_equal(
        huffman_lengths([1 / 3, 1 / 6, 1 / 6, 1 / 3]), [2, 2, 2, 2]
    )
    np.testing.assert_array_equal(
        huffman_lengths([0.2, 0.2, 0.2, 0.2, 0.2]), [3, 3, 2, 2, 2]
    )


def test_integer_and_list_inputs():
    np.testing.assert_array_equal(huffman_lengths([0, 1]), [1, 1])


# --- Huffman codewords ----------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(distributions(min_k=1, max_k=30, allow_zero=True))
def test_code_is_prefix_free_and_matches_lengths(p):
    code = huffman_code(p)
    assert list(code) == list(range(p.size))
    words = list(code.values())
    assert all(set(w) <= {"0", "1"} for w in words)
    assert pairwise_prefix_free(words)
    np.testing.assert_array_equal([len(w) for w in words], huffman_lengths(p))


def test_canonical_codewords():
    assert huffman_code([1 / 3] * 3) == {0: "10", 1: "11", 2: "0"}
    assert huffman_code([0.1, 0.2, 0.3, 0.4], symbols="wxyz") == {
        "w": "110", "x": "111", "y": "10", "z": "0",
    }


def test_single_symbol_gets_one_bit():
    assert huffman_code([1.0], symbols=["only"]) == {"only": "0"}


def test_symbols_validation():
    with pytest.raises(ValueError, match="symbols"):
        huffman_code([0.5, 0.5], symbols=["a"])
    with pytest.raises(ValueError, match="distinct"):
        huffman_code([0.5, 0.5], symbols=["a", "a"])
    with pytest.raises(TypeError, match="hashable"):
        huffman_code([0.5, 0.5], symbols=[[1], [2]])


@pytest.mark.parametrize("function", [huffman_code, huffman_lengths, shannon_lengths])
@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([0.5, 0.6], ValueError, "sum to 1"),
        ([1.5, -0.5], ValueError, "negative"),
        ([0.5, float("nan")], ValueError, "NaN"),
        ([[0.5, 0.5]], ValueError, "one-dimensional"),
        ([], ValueError, "empty"),
        (["a", "b"], TypeError, "real numbers"),
    ],
)
def test_distribution_validation(function, bad, error, message):
    with pytest.raises(error, match=message) as info:
        function(bad)
    assert "p" in str(info.value)


# --- Shannon lengths, expected length, Kraft sum, prefix check ------------


@settings(max_examples=200, deadline=None)
@given(distributions(min_k=1, max_k=30))
def test_shannon_lengths_against_mpmath(p):
    expected = [int(mpmath.ceil(-mpmath.log(mpmath.mpf(x), 2))) for x in p]
    lengths = shannon_lengths(p)
    np.testing.assert_array_equal(lengths, expected)
    assert sum(Fraction(1, 2 ** int(n)) for n in lengths) <= 1
    # Huffman is optimal, so never longer on average than Shannon's code.
    assert exact_expected_length(huffman_lengths(p), p) <= exact_expected_length(
        lengths, p
    ) or p.size == 1


def test_shannon_lengths_exact_at_powers_of_two():
    np.testing.assert_array_equal(
        shannon_lengths([0.5, 0.25, 0.125, 0.0625, 0.0625]), [1, 2, 3, 4, 4]
    )
    np.testing.assert_array_equal(shannon_lengths([1.0]), [0])


def test_shannon_lengths_reject_zero():
    with pytest.raises(ValueError, match="positive"):
        shannon_lengths([0.0, 1.0])


@settings(max_examples=100, deadline=None)
@given(distributions(min_k=1, max_k=20, allow_zero=True), st.data())
def test_expected_length_against_fractions(q, data):
    lengths = data.draw(
        st.lists(st.integers(0, 60), min_size=q.size, max_size=q.size)
    )
    value = expected_length(lengths, q)
    assert value == pytest.approx(float(exact_expected_length(lengths, q)), rel=1e-15)


def test_expected_length_accepts_ideal_lengths():
    q = [0.5, 0.5]
    assert expected_length(-np.log2([0.25, 0.75]), q) == pytest.approx(
        0.5 * (2 + math.log2(4 / 3)), rel=1e-15
    )


def test_expected_length_validation():
    with pytest.raises(ValueError, match="same shape"):
        expected_length([1, 2, 3], [0.5, 0.5])
    with pytest.raises(ValueError, match="lengths must be non-negative"):
        expected_length([-1, 2], [0.5, 0.5])
    with pytest.raises(ValueError, match="lengths must be finite"):
        expected_length([np.inf, 2], [0.5, 0.5])
    with pytest.raises(ValueError, match="q must sum to 1"):
        expected_length([1, 2], [0.5, 0.6])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 70), min_size=1, max_size=40))
def test_kraft_sum_against_fractions(lengths):
    assert kraft_sum(lengths) == float(sum(Fraction(1, 2**n) for n in lengths))


def test_kraft_sum_validation():
    with pytest.raises(ValueError, match="lengths must be non-negative"):
        kraft_sum([1, -1])
    with pytest.raises(ValueError, match="whole numbers"):
        kraft_sum([1.5, 1])
    with pytest.raises(ValueError, match="one-dimensional"):
        kraft_sum([[1, 1]])
    with pytest.raises(ValueError, match="finite"):
        kraft_sum([np.nan, 1])


binary_words = st.text(alphabet="01", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(binary_words, min_size=1, max_size=12))
def test_is_prefix_free_against_pairwise_definition(words):
    assert is_prefix_free(words) == pairwise_prefix_free(words)


def test_is_prefix_free_examples():
    assert is_prefix_free({"a": "0", "b": "10", "c": "11"})
    assert not is_prefix_free(["0", "0"])  # a repeat is its own prefix
    assert not is_prefix_free(["1", "01", "011"])
    assert is_prefix_free(["1"])


def test_is_prefix_free_validation():
    with pytest.raises(ValueError, match="non-empty"):
        is_prefix_free(["", "1"])
    with pytest.raises(ValueError, match="0 and 1"):
        is_prefix_free(["0", "12"])
    with pytest.raises(TypeError, match="strings"):
        is_prefix_free([0, 1])
    with pytest.raises(TypeError, match="not one string"):
        is_prefix_free("0101")
