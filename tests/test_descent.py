"""Tests of xentlib.descent.gradient_descent_logits (chapter 6).

The reference is an independent loop written with scipy's softmax and the
textbook loss ``-sum(q * log(softmax(z)))``, not xentlib's fused kernel.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import softmax as scipy_softmax

import xentlib as xl

Q = [0.7, 0.2, 0.1]
Z0 = [2.0, 1.0, 0.5]


def reference_path(q, z0, eta, steps):
    q, z = np.asarray(q, float), np.asarray(z0, float)
    logits, losses = [z], []
    for t in range(steps + 1):
        p = scipy_softmax(logits[-1])
        losses.append(-np.sum(q * np.log(p)))
        if t < steps:
            logits.append(logits[-1] - eta * (p - q))
    return np.array(logits), np.array(losses)


@pytest.mark.parametrize("eta, steps", [(0.1, 1), (0.5, 50), (2.0, 200)])
def test_matches_an_independent_loop(eta, steps):
    path = xl.gradient_descent_logits(Q, Z0, eta, steps)
    logits, losses = reference_path(Q, Z0, eta, steps)
    assert path.logits.shape == (steps + 1, 3)
    assert path.losses.shape == (steps + 1,)
    np.testing.assert_allclose(path.logits, logits, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(path.losses, losses, rtol=1e-12)


def test_zero_steps_is_the_start():
    path = xl.gradient_descent_logits(Q, Z0, 0.1, 0)
    np.testing.assert_array_equal(path.logits, [Z0])
    assert path.losses[0] == pytest.approx(
        -np.sum(np.array(Q) * np.log(scipy_softmax(Z0))), rel=1e-14)


@given(st.lists(st.floats(-5, 5), min_size=2, max_size=6),
       st.floats(0.01, 1.0))
def test_small_steps_decrease_the_loss_and_keep_the_sum(z0, eta):
    k = len(z0)
    q = np.arange(1, k + 1, dtype=float)
    q /= q.sum()
    path = xl.gradient_descent_logits(q, z0, eta, 30)
    # The Hessian diag(p) - pp^T has eigenvalues <= 1/2 (<= max p_i <= 1),
    # so steps with eta <= 1 never increase the loss.
    assert np.all(np.diff(path.losses) <= 1e-12)
    np.testing.assert_allclose(path.logits.sum(axis=1), np.sum(z0),
                               atol=1e-9)


def test_converges_to_the_target_and_to_log_q_up_to_a_shift():
    path = xl.gradient_descent_logits(Q, Z0, 1.0, 3000)
    np.testing.assert_allclose(scipy_softmax(path.logits[-1]), Q, atol=1e-10)
    shift = path.logits[-1] - np.log(Q)
    np.testing.assert_allclose(shift, shift.mean(), atol=1e-9)
    entropy = -np.sum(np.array(Q) * np.log(Q))
    assert path.losses[-1] == pytest.approx(entropy, rel=1e-12)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(q=[0.5, 0.6]), ValueError, "q must sum to 1"),
    (dict(q=[[0.5, 0.5]]), ValueError, "q must be one distribution"),
    (dict(q=[1.5, -0.5]), ValueError, "q contains negative"),
    (dict(z0=[0.0, 0.0, 0.0]), ValueError, "same shape"),
    (dict(z0=[0.0, np.nan]), ValueError, "z0 contains NaN"),
    (dict(z0=[0.0, np.inf]), ValueError, "z0 must be finite"),
    (dict(z0=["a", "b"]), TypeError, "z0 must contain real numbers"),
    (dict(learning_rate=0.0), ValueError, "learning_rate must be finite and > 0"),
    (dict(learning_rate=np.inf), ValueError, "learning_rate must be"),
    (dict(learning_rate="0.1"), TypeError, "learning_rate must be a real"),
    (dict(learning_rate=True), TypeError, "learning_rate must be a real"),
    (dict(steps=-1), ValueError, "steps must be at least 0"),
    (dict(steps=2.0), TypeError, "steps must be an int"),
])
def test_bad_input_is_refused_by_name(kwargs, error, message):
    arguments = dict(q=[0.5, 0.5], z0=[0.0, 1.0], learning_rate=0.1, steps=3)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        xl.gradient_descent_logits(**arguments)
