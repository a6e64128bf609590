"""Regression tests for the bad-input cases of issue 9 (an outside probe
found silent wrong results and crashes), and for further cases probed while
fixing them. Each test is named after the bug it pins; every error must name
the argument the caller passed.
"""

import warnings

import numpy as np
import pytest

import xentlib as xl


@pytest.fixture(autouse=True)
def no_warnings():
    # A bad input gets an exception, not a RuntimeWarning and a NaN.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_float16_row_summing_to_3_is_not_a_distribution():
    q = np.full(1024, 3 / 1024, dtype=np.float16)
    with pytest.raises(ValueError, match=r"\bq\b must sum to 1"):
        xl.entropy(q)


def test_float32_row_summing_to_1_4_is_not_a_distribution():
    q = np.full(100_000, 1.4 / 100_000, dtype=np.float32)
    with pytest.raises(ValueError, match=r"\bq\b must sum to 1"):
        xl.entropy(q)
    with pytest.raises(ValueError, match=r"\bp\b must sum to 1"):
        xl.cross_entropy(np.full(100_000, 1e-5, np.float32), q)


@pytest.mark.parametrize("call", [
    lambda e: xl.entropy(e),
    lambda e: xl.cross_entropy(e, e),
    lambda e: xl.kl_divergence(e, e),
    lambda e: xl.doubling_rate(e, e, np.ones(4)),
])
def test_empty_batch_of_distributions_gives_an_empty_result(call):
    out = call(np.zeros((0, 4)))
    assert np.shape(out) == (0,)


def test_empty_batch_brier_score_is_zero_like_the_losses():
    assert xl.brier_score(np.zeros((0, 4)), np.zeros(0, dtype=int)) == 0.0
    assert xl.brier_score(np.zeros((0, 4)), [], reduction="none").shape == (0,)


@pytest.mark.parametrize("call", [
    lambda y: xl.softmax_cross_entropy(np.zeros((1, 3)), y),
    lambda y: xl.softmax_cross_entropy_grad(np.zeros((1, 3)), y),
    lambda y: xl.nll_loss(np.zeros((1, 3)), y),
])
def test_uint64_label_does_not_wrap_to_ignore_index(call):
    # 2**64 - 100 cast to int64 is -100, the default ignore_index.
    y = np.array([2**64 - 100], dtype=np.uint64)
    with pytest.raises(ValueError, match=r"\btarget\b.*outside"):
        call(y)


def test_uint64_label_of_linear_cross_entropy_names_labels():
    y = np.array([2**64 - 100], dtype=np.uint64)
    with pytest.raises(ValueError, match=r"\blabels\b.*outside"):
        xl.linear_cross_entropy(np.ones((1, 2)), np.ones((3, 2)), y)


def test_small_unsigned_labels_are_fine():
    y = np.array([2, 0], dtype=np.uint8)
    got = xl.softmax_cross_entropy(np.zeros((2, 3)), y)
    assert got == pytest.approx(np.log(3))


@pytest.mark.parametrize("hidden, weight", [
    (np.full((1, 2), 1e200), np.full((3, 2), 1e200)),
    (np.array([[1e200, -1e200]]), np.array([[1e200, 1e200], [1e200, -1e200],
                                            [0.0, 0.0]])),
])
def test_overflowing_logits_of_linear_cross_entropy_raise(hidden, weight):
    # Was: loss 0.0. hidden and weight are finite; their product is not.
    with pytest.raises(ValueError, match=r"hidden @ weight\.T overflows"):
        xl.linear_cross_entropy(hidden, weight, [2])


@pytest.mark.parametrize("max_iter", [-5, 0])
def test_fit_temperature_rejects_a_non_positive_max_iter(max_iter):
    z, y = [[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]], [0, 0, 1]
    with pytest.raises(ValueError, match="max_iter"):
        xl.fit_temperature(z, y, max_iter=max_iter)


def test_fit_temperature_that_runs_out_of_steps_says_so():
    # four right and one wrong by a margin of 2: T = 1 / log 2 (docstring)
    z = [[2.0, 0.0], [2.0, 0.0], [0.0, 2.0], [0.0, 2.0], [2.0, 0.0]]
    y = [0, 0, 1, 1, 1]
    with pytest.raises(RuntimeError, match="max_iter=3"):
        xl.fit_temperature(z, y, max_iter=3)


def test_mixture_logpdf_far_out_is_minus_inf_not_nan():
    got = xl.mixture_logpdf([1e200, 0.0], [0.5, 0.5], [0.0, 1.0], [1.0, 1.0])
    assert got[0] == -np.inf and np.isfinite(got[1])


def test_mixture_gaussian_kl_far_apart_is_inf():
    assert xl.mixture_gaussian_kl([1.0], [1e200], [1.0], 0.0, 1.0) == np.inf


def test_kraft_sum_of_huge_lengths_is_zero_not_overflow():
    assert xl.kraft_sum([2**63]) == 0.0
    assert xl.kraft_sum([1, 2**63, 2000]) == 0.5


def test_diverging_training_names_learning_rate():
    with pytest.raises(ValueError, match="learning_rate"):
        xl.fit_softmax_regression([[1e300], [2e300]], [0, 1],
                                  learning_rate=1e10, epochs=3)


@pytest.mark.parametrize("call, name", [
    (lambda: xl.temperature_nll([[1.0, 0.0]], [0], np.nan), "temperature"),
    (lambda: xl.temperature_nll([[1.0, 0.0]], [0], 0.0), "temperature"),
    (lambda: xl.fit_softmax_regression([[1.0], [2.0]], [0, 1],
                                       learning_rate=np.inf, epochs=1),
     "learning_rate"),
    (lambda: xl.gradient_descent_logits([0.5, 0.5], [0.0, 0.0],
                                        learning_rate=-1.0, steps=1),
     "learning_rate"),
    (lambda: xl.logistic_1d_descent([1.0], [1.0], loss="cross_entropy",
                                    w0=0.0, b0=0.0, learning_rate=0.0,
                                    steps=1), "learning_rate"),
    (lambda: xl.fit_gaussian_reverse_kl([0.5, 0.5], [-2.0, 2.0], [0.6, 0.6],
                                        1.0, 1.0, max_iter=0), "max_iter"),
    (lambda: xl.brier_score([[0.5, 0.5]], [0], reduction="avg"), "reduction"),
    (lambda: xl.entropy(np.zeros((5, 0))), r"\bq\b"),
])
def test_errors_name_the_callers_argument(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


@pytest.mark.parametrize("call", [
    lambda: xl.softmax_cross_entropy(np.zeros((2, 3)), [0.0, 1.0]),
    lambda: xl.fit_softmax_regression([[1.0], [2.0]], [0.0, 1.0],
                                      learning_rate=0.1, epochs=1),
    lambda: xl.brier_score([[0.5, 0.5]], [0.0]),
    lambda: xl.temperature_nll([[1.0, 0.0]], [0.0], 1.0),
])
def test_float_labels_are_rejected_the_same_everywhere(call):
    with pytest.raises(TypeError, match="integer class labels"):
        call()


def test_reduction_has_one_message_everywhere():
    messages = set()
    for call in (
        lambda: xl.softmax_cross_entropy([[0.0, 1.0]], [0], reduction="x"),
        lambda: xl.binary_cross_entropy([0.5], [1.0], reduction="x"),
        lambda: xl.linear_cross_entropy(np.ones((1, 2)), np.ones((2, 2)), [0],
                                        reduction="x"),
        lambda: xl.brier_score([[0.5, 0.5]], [0], reduction="x"),
        lambda: xl.squared_error_with_logits([0.0], [1.0], reduction="x"),
    ):
        with pytest.raises(ValueError) as error:
            call()
        messages.add(str(error.value))
    assert len(messages) == 1


@pytest.mark.parametrize("call", [
    lambda z: xl.softmax_cross_entropy(z, [1]),
    lambda z: xl.softmax_cross_entropy(z, [[0.0, 1.0]]),
    lambda z: xl.sharded_cross_entropy(z, [1], 2)[0],
])
def test_loss_beyond_the_float_range_is_inf_without_warnings(call):
    # z_y - max(z) = -2e308 overflows: the loss is inf (the right rounding)
    # and the gradient finite, with no RuntimeWarning on the way.
    assert call(np.array([[1e308, -1e308]])) == np.inf


def test_float16_loss_above_65504_is_inf_without_warnings():
    z = np.array([[60000, -60000]], dtype=np.float16)
    assert xl.softmax_cross_entropy(z, [1]) == np.inf
