"""Tests of xentlib.likelihood (chapter 7's numerics).

References: mpmath at 50 digits for the squared error of a sigmoid and its
derivative (the textbook formula, no rearrangement), central finite
differences for the descent's gradients, and a step of gradient descent
written out by hand with scipy's expit.
"""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

import xentlib as xl

RNG_SEED = 20260507


def _mp_sigmoid(t):
    return 1 / (1 + mpmath.exp(-t))


def _mp_loss(t, target):
    """The textbook formula, at the working precision (t an mpf)."""
    return (_mp_sigmoid(t) - mpmath.mpf(float(target))) ** 2 / 2


@pytest.mark.parametrize("z", [-40.0, -8.0, -0.5, 0.0, 3.0, 30.0])
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_squared_error_and_grad_match_mpmath(z, target):
    with mpmath.workdps(50):
        loss = _mp_loss(mpmath.mpf(z), target)
        grad = mpmath.diff(lambda t: _mp_loss(t, target), mpmath.mpf(z))
    got = xl.squared_error_with_logits(z, target)
    got_grad = xl.squared_error_with_logits_grad(z, target)
    assert got == pytest.approx(float(loss), rel=1e-13, abs=1e-300)
    assert got_grad == pytest.approx(float(grad), rel=1e-12, abs=1e-300)


def test_gradient_of_a_confident_right_answer_keeps_its_digits():
    # sigma(30) rounds to 1; the residual sigma(30) - 1 = -sigma(-30) does not.
    grad = xl.squared_error_with_logits_grad(30.0, 1.0)
    with mpmath.workdps(50):
        reference = mpmath.diff(lambda t: _mp_loss(t, 1.0), mpmath.mpf(30))
    assert grad != 0
    assert grad == pytest.approx(float(reference), rel=1e-12)


def test_reductions_and_shapes():
    rng = np.random.default_rng(RNG_SEED)
    z = rng.normal(size=(3, 4))
    y = rng.random((3, 4))
    none = xl.squared_error_with_logits(z, y, reduction="none")
    assert none.shape == (3, 4)
    np.testing.assert_allclose(none, 0.5 * (expit(z) - y) ** 2, rtol=1e-13)
    assert xl.squared_error_with_logits(z, y) == pytest.approx(none.mean())
    assert xl.squared_error_with_logits(z, y, reduction="sum") == (
        pytest.approx(none.sum()))
    g_sum = xl.squared_error_with_logits_grad(z, y, reduction="sum")
    g_mean = xl.squared_error_with_logits_grad(z, y)
    np.testing.assert_allclose(g_mean, g_sum / z.size, rtol=1e-14)
    z32 = z.astype(np.float32)
    assert xl.squared_error_with_logits(z32, y, reduction="none").dtype == (
        np.float32)
    assert xl.squared_error_with_logits_grad(z32, y).dtype == np.float32


@settings(max_examples=60, deadline=None)
@given(st.floats(-20, 20), st.floats(0, 1))
def test_grad_matches_central_differences(z, target):
    h = 1e-6
    numeric = (xl.squared_error_with_logits(z + h, target)
               - xl.squared_error_with_logits(z - h, target)) / (2 * h)
    assert xl.squared_error_with_logits_grad(z, target) == pytest.approx(
        numeric, abs=1e-8)


def test_squared_error_grad_is_at_most_a_quarter_of_cross_entropy_grad():
    z = np.linspace(-30, 30, 601)
    for target in [0.0, 1.0]:
        y = np.full_like(z, target)
        mse = xl.squared_error_with_logits_grad(z, y, reduction="none")
        bce = xl.binary_cross_entropy_with_logits_grad(z, y, reduction="none")
        assert np.all(np.abs(mse) <= 0.25 * np.abs(bce) + 1e-300)


@pytest.mark.parametrize("call, error, match", [
    (lambda: xl.squared_error_with_logits([np.nan], [1.0]), ValueError, "z"),
    (lambda: xl.squared_error_with_logits([np.inf], [1.0]), ValueError, "z"),
    (lambda: xl.squared_error_with_logits([0.0], [1.5]), ValueError, "y"),
    (lambda: xl.squared_error_with_logits([0.0, 1.0], [1.0]), ValueError,
     "same shape"),
    (lambda: xl.squared_error_with_logits(["a"], [1.0]), TypeError, "z"),
    (lambda: xl.squared_error_with_logits_grad([0.0], [1.0],
                                               reduction="avg"),
     ValueError, "reduction"),
])
def test_squared_error_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- logistic_1d_descent ------------------------------------------------------


def _data():
    rng = np.random.default_rng(RNG_SEED)
    x = rng.normal(size=30)
    y = (rng.random(30) < expit(2 * x)).astype(float)
    return x, y


def _mean_loss(loss, w, b, x, y):
    z = w * x + b
    if loss == "cross_entropy":
        return np.mean(-y * np.log(expit(z)) - (1 - y) * np.log(expit(-z)))
    return np.mean(0.5 * (expit(z) - y) ** 2)


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
def test_descent_steps_follow_finite_difference_gradients(loss):
    x, y = _data()
    eta = 0.5
    run = xl.logistic_1d_descent(x, y, loss=loss, w0=-3.0, b0=1.0,
                                 learning_rate=eta, steps=5)
    h = 1e-6
    for step in range(5):
        w, b = run["w"][step], run["b"][step]
        gw = (_mean_loss(loss, w + h, b, x, y)
              - _mean_loss(loss, w - h, b, x, y)) / (2 * h)
        gb = (_mean_loss(loss, w, b + h, x, y)
              - _mean_loss(loss, w, b - h, x, y)) / (2 * h)
        assert run["loss"][step] == pytest.approx(
            _mean_loss(loss, w, b, x, y), rel=1e-12)
        assert run["grad_norm"][step] == pytest.approx(np.hypot(gw, gb),
                                                       rel=1e-6)
        assert run["w"][step + 1] == pytest.approx(w - eta * gw, abs=1e-8)
        assert run["b"][step + 1] == pytest.approx(b - eta * gb, abs=1e-8)


def test_descent_with_small_steps_decreases_the_loss():
    x, y = _data()
    for loss in ["cross_entropy", "squared_error"]:
        run = xl.logistic_1d_descent(x, y, loss=loss, w0=-3.0, b0=0.0,
                                     learning_rate=0.1, steps=50)
        assert np.all(np.diff(run["loss"]) < 0)
        assert all(len(v) == 51 for v in run.values())


def test_zero_steps_returns_the_start():
    x, y = _data()
    run = xl.logistic_1d_descent(x, y, loss="squared_error", w0=2.0, b0=-1.0,
                                 learning_rate=1.0, steps=0)
    assert run["w"].tolist() == [2.0] and run["b"].tolist() == [-1.0]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"loss": "mse"}, ValueError, "loss"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": np.nan}, ValueError, "learning_rate"),
    ({"steps": 2.0}, TypeError, "steps"),
    ({"steps": -1}, ValueError, "steps"),
    ({"w0": "1"}, TypeError, "w0"),
    ({"b0": np.inf}, ValueError, "b0"),
])
def test_descent_validation(kwargs, error, match):
    x, y = _data()
    arguments = {"loss": "cross_entropy", "w0": 0.0, "b0": 0.0,
                 "learning_rate": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        xl.logistic_1d_descent(x, y, **arguments)


def test_descent_validates_data():
    with pytest.raises(ValueError, match="x must be one-dimensional"):
        xl.logistic_1d_descent(np.zeros((2, 2)), np.zeros((2, 2)),
                               loss="cross_entropy", w0=0.0, b0=0.0,
                               learning_rate=0.1, steps=1)
    with pytest.raises(ValueError, match="y"):
        xl.logistic_1d_descent([0.0, 1.0], [0.0, 2.0], loss="cross_entropy",
                               w0=0.0, b0=0.0, learning_rate=0.1, steps=1)
    with pytest.raises(ValueError, match="same shape"):
        xl.logistic_1d_descent([0.0, 1.0], [0.0], loss="squared_error",
                               w0=0.0, b0=0.0, learning_rate=0.1, steps=1)
