"""Bad input to xentlib.logits and xentlib.information: the right exception, naming
the argument, and never a silent NaN.

Each case asserts the exception type and that the message names the
offending argument (``x``, ``q``, ``p``, ``axis`` or ``base``).
"""

import numpy as np
import pytest

from xentlib import (
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    log_sigmoid,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
    softmax_jacobian,
    surprisal,
)

ROW_FUNCTIONS = [logsumexp, softmax, log_softmax, softmax_jacobian]
ELEMENTWISE = [sigmoid, log_sigmoid]
LOGIT_FUNCTIONS = ROW_FUNCTIONS + ELEMENTWISE
PAIR_FUNCTIONS = [cross_entropy, kl_divergence]
GOOD = [0.25, 0.75]

# --- logits ----------------------------------------------------------------------


@pytest.mark.parametrize("function", LOGIT_FUNCTIONS)
@pytest.mark.parametrize("x", [[0.0, np.nan], np.array([np.nan], np.float32)])
def test_nan_logits(function, x):
    with pytest.raises(ValueError, match=r"\bx\b.*NaN"):
        function(x)


@pytest.mark.parametrize("function", LOGIT_FUNCTIONS)
@pytest.mark.parametrize(
    "x",
    [
        [1 + 2j, 0],  # complex
        ["a", "b"],  # strings
        [object(), 1.0],  # objects
        [[1.0, 2.0], [3.0]],  # ragged
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
)
def test_non_real_logits(function, x):
    with pytest.raises(TypeError, match=r"\bx\b"):
        function(x)


@pytest.mark.parametrize("function", [logsumexp, softmax, log_softmax])
@pytest.mark.parametrize("axis", [2, -3, 7])
def test_axis_out_of_range(function, axis):
    with pytest.raises(ValueError, match="axis"):
        function(np.zeros((2, 3)), axis=axis)


@pytest.mark.parametrize("function", [logsumexp, softmax, log_softmax])
@pytest.mark.parametrize("axis", [1.0, "0", None, (0, 1), True])
def test_axis_not_an_int(function, axis):
    with pytest.raises(TypeError, match="axis"):
        function(np.zeros((2, 3)), axis=axis)


@pytest.mark.parametrize("function", ROW_FUNCTIONS)
def test_scalar_has_no_class_axis(function):
    with pytest.raises(ValueError, match=r"\bx\b.*dimension"):
        function(3.0)


@pytest.mark.parametrize("function", [softmax, log_softmax, softmax_jacobian])
def test_all_minus_inf_row_has_no_softmax(function):
    x = np.array([[0.0, 1.0], [-np.inf, -np.inf]])
    with pytest.raises(ValueError, match=r"\bx\b.*all -inf"):
        function(x)


def test_all_minus_inf_row_is_fine_for_logsumexp():
    # scipy's convention: log(0) = -inf, no error, no NaN
    np.testing.assert_array_equal(logsumexp([[-np.inf, -np.inf]]), [-np.inf])


@pytest.mark.parametrize("function", LOGIT_FUNCTIONS)
def test_no_nan_ever_comes_out(function):
    # Every combination of extreme values: the output is NaN-free.
    values = [-np.inf, -1e308, -1000.0, -1.0, 0.0, 1.0, 1000.0, 1e308, np.inf]
    rows = np.array(np.meshgrid(values, values, [0.0])).reshape(3, -1).T
    rows = rows[~np.all(rows == -np.inf, axis=1)]
    assert not np.isnan(function(rows)).any()


# --- distributions ---------------------------------------------------------------


@pytest.mark.parametrize("function", [surprisal, binary_entropy])
@pytest.mark.parametrize(
    "p, problem",
    [([0.5, -0.1], "negative"), ([0.5, 1.5], "above 1"), ([np.nan], "NaN")],
)
def test_elementwise_probabilities_out_of_range(function, p, problem):
    with pytest.raises(ValueError, match=rf"\bp\b.*{problem}"):
        function(p)


@pytest.mark.parametrize(
    "p, shown", [([0.5, -0.1], "(min -0.1)"), (np.float32([0.5, 1.5]), "(max 1.5)")]
)
def test_out_of_range_value_is_shown_as_a_plain_number(p, shown):
    # Not numpy's repr "np.float64(-0.1)": the message is for a reader.
    with pytest.raises(ValueError) as error:
        surprisal(p)
    assert str(error.value).endswith(shown), str(error.value)


@pytest.mark.parametrize("function", [surprisal, binary_entropy])
def test_elementwise_probabilities_not_real(function):
    with pytest.raises(TypeError, match=r"\bp\b"):
        function([0.5 + 0j])
    with pytest.raises(TypeError, match=r"\bp\b"):
        function("0.5")


@pytest.mark.parametrize(
    "q, problem",
    [
        ([0.5, 0.6], "sum to 1"),
        ([0.5, 0.4], "sum to 1"),
        ([1.5, -0.5], "negative"),
        ([2.0, -1.0], "negative"),
        ([np.nan, 1.0], "NaN"),
        ([0.5, 1.5], "above 1"),
    ],
)
def test_entropy_rejects_non_distributions(q, problem):
    with pytest.raises(ValueError, match=rf"\bq\b.*{problem}"):
        entropy(q)


@pytest.mark.parametrize("function", PAIR_FUNCTIONS)
@pytest.mark.parametrize("bad", [[0.5, 0.6], [-0.5, 1.5], [np.nan, 1.0]])
def test_pair_rejects_bad_q(function, bad):
    with pytest.raises(ValueError, match=r"\bq\b"):
        function(bad, GOOD)


@pytest.mark.parametrize("function", PAIR_FUNCTIONS)
@pytest.mark.parametrize("bad", [[0.5, 0.6], [-0.5, 1.5], [np.nan, 1.0]])
def test_pair_rejects_bad_p(function, bad):
    with pytest.raises(ValueError, match=r"\bp\b"):
        function(GOOD, bad)


@pytest.mark.parametrize("function", PAIR_FUNCTIONS)
def test_pair_shape_mismatch(function):
    with pytest.raises(ValueError, match=r"\bq\b and \bp\b.*same shape"):
        function([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="same shape"):
        function(np.full((2, 2), 0.5), [0.5, 0.5])  # no broadcasting


@pytest.mark.parametrize("function", PAIR_FUNCTIONS)
def test_pair_non_real(function):
    with pytest.raises(TypeError, match=r"\bq\b"):
        function(["a", "b"], GOOD)
    with pytest.raises(TypeError, match=r"\bp\b"):
        function(GOOD, [0.25 + 0j, 0.75])


def test_sums_are_checked_along_the_given_axis():
    q = np.array([[0.5, 0.5], [0.5, 0.5]])
    entropy(q, axis=1)
    entropy(q, axis=0)
    q_rows = np.array([[0.2, 0.8], [0.3, 0.7]])  # rows sum to 1, columns not
    entropy(q_rows, axis=-1)
    with pytest.raises(ValueError, match=r"\bq\b must sum to 1 along axis 0"):
        entropy(q_rows, axis=0)


@pytest.mark.parametrize("function", [entropy, cross_entropy, kl_divergence])
def test_distribution_axis_errors(function):
    args = (GOOD,) if function is entropy else (GOOD, GOOD)
    with pytest.raises(ValueError, match="axis"):
        function(*args, axis=1)
    with pytest.raises(TypeError, match="axis"):
        function(*args, axis=0.0)


@pytest.mark.parametrize("function", [entropy, cross_entropy, kl_divergence])
def test_distribution_needs_an_axis_and_an_outcome(function):
    n_args = 1 if function is entropy else 2
    with pytest.raises(ValueError, match=r"\bq\b.*scalar"):
        function(*([1.0] * n_args))
    with pytest.raises(ValueError, match=r"\bq\b.*empty"):
        function(*([np.zeros((2, 0))] * n_args))


def test_tolerance_is_a_few_eps_per_row_whatever_its_length():
    # Rows made by x / x.sum() are within 1-2 eps of summing to 1; the
    # tolerance is 8 eps of the dtype, not a multiple of the row length
    # (issue 9: 4 K eps accepted a float16 row summing to 3).
    rng = np.random.default_rng(0)
    for k in (3, 1000, 100_000):
        x = rng.exponential(size=k)
        entropy(x / x.sum())
    third = 1 / 3
    entropy([third, third, third])
    with pytest.raises(ValueError, match=r"\bq\b.*sum to 1"):
        entropy([0.333333333] * 3)  # printed to 9 digits: off by 1e-9


@pytest.mark.parametrize("dtype, total", [(np.float16, 3.0), (np.float32, 1.4),
                                          (np.float64, 1 + 1e-12)])
def test_long_rows_far_from_one_are_rejected(dtype, total):
    # issue 9: float16 rows summing to 3, float32 rows summing to 1.4 passed.
    k = 2048
    q = np.full(k, total / k, dtype=dtype)
    with pytest.raises(ValueError, match=r"\bq\b.*sum to 1"):
        entropy(q)


@pytest.mark.parametrize("function", [entropy, cross_entropy, kl_divergence])
def test_empty_batch_of_distributions(function):
    # issue 9: shape (0, K) crashed inside the distribution check.
    args = (np.zeros((0, 4)),) * (1 if function is entropy else 2)
    out = function(*args)
    assert out.shape == (0,)


# --- base ----------------------------------------------------------------------------


ALL_BASED = [
    lambda base: surprisal(0.5, base=base),
    lambda base: binary_entropy(0.5, base=base),
    lambda base: entropy(GOOD, base=base),
    lambda base: cross_entropy(GOOD, GOOD, base=base),
    lambda base: kl_divergence(GOOD, GOOD, base=base),
]


@pytest.mark.parametrize("call", ALL_BASED)
@pytest.mark.parametrize("base", [0, -2, 1, 1.0, np.inf, np.nan, -np.inf])
def test_bad_base_value(call, base):
    with pytest.raises(ValueError, match="base"):
        call(base)


@pytest.mark.parametrize("call", ALL_BASED)
@pytest.mark.parametrize("base", ["2", True, [2], 2 + 0j])
def test_bad_base_type(call, base):
    with pytest.raises(TypeError, match="base"):
        call(base)


@pytest.mark.parametrize("call", ALL_BASED)
@pytest.mark.parametrize("base", [2, 2.0, np.float32(2), np.int64(10), np.e, 0.5])
def test_good_bases(call, base):
    assert np.isfinite(call(base))


# --- real-number arguments (learning rates, temperatures, label smoothing) -------


@pytest.mark.parametrize("value", [2, 2.5, np.float32(0.5), np.int64(3), float("inf")])
def test_as_real_returns_a_python_float(value):
    from xentlib._validation import as_real

    result = as_real(value, "eta")
    assert type(result) is float and (result == value or np.isinf(value))


@pytest.mark.parametrize("value", [True, "0.1", 1 + 0j, [0.1], np.array([0.1]), None])
def test_as_real_rejects_non_real_naming_the_argument(value):
    from xentlib._validation import as_real

    with pytest.raises(TypeError, match=r"^eta must be a real number"):
        as_real(value, "eta")
