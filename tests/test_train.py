"""Tests of xentlib.train (softmax regression, chapter 8).

References are independent of the code under test: the loss is recomputed
with plain numpy (no xentlib), gradients with central finite differences, and
the trained model is compared with scikit-learn's ``LogisticRegression``
(multinomial, L-BFGS), whose objective ``C * sum_n loss_n + ||W||^2 / 2`` is
``N C`` times ours when ``C = 1 / (l2 N)``.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import xentlib as xl
from xentlib.train import (fit_softmax_regression, predict_proba,
                           softmax_regression_loss)

RNG_SEED = 20260808


def blobs(n_per_class=20, n_classes=3, n_features=4, spread=1.0, seed=0):
    """Gaussian blobs around random centres: a small classification problem."""
    rng = np.random.default_rng(RNG_SEED + seed)
    centres = rng.normal(scale=3.0, size=(n_classes, n_features))
    X = np.concatenate([c + spread * rng.normal(size=(n_per_class, n_features))
                        for c in centres])
    y = np.repeat(np.arange(n_classes), n_per_class)
    return X, y


def numpy_loss(w, b, X, y, l2):
    """Mean cross-entropy plus l2/2 ||W||^2, written out in numpy."""
    logits = X @ w + b
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean() + 0.5 * l2 * np.sum(w * w)


def test_loss_matches_numpy():
    X, y = blobs()
    rng = np.random.default_rng(RNG_SEED)
    w, b = rng.normal(size=(4, 3)), rng.normal(size=3)
    loss, _, _ = softmax_regression_loss(w, b, X, y, l2=0.3)
    assert loss == pytest.approx(numpy_loss(w, b, X, y, 0.3), rel=1e-13)


@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_gradients_match_central_differences(l2):
    X, y = blobs(n_per_class=5)
    rng = np.random.default_rng(RNG_SEED + 1)
    w, b = rng.normal(size=(4, 3)), rng.normal(size=3)
    _, grad_w, grad_b = softmax_regression_loss(w, b, X, y, l2=l2)
    h = 1e-6
    for index in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[index] = h
        numeric = (numpy_loss(w + e, b, X, y, l2)
                   - numpy_loss(w - e, b, X, y, l2)) / (2 * h)
        assert grad_w[index] == pytest.approx(numeric, rel=1e-6, abs=1e-8)
    for index in range(3):
        e = np.zeros_like(b)
        e[index] = h
        numeric = (numpy_loss(w, b + e, X, y, l2)
                   - numpy_loss(w, b - e, X, y, l2)) / (2 * h)
        assert grad_b[index] == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_separable_problem_reaches_near_zero_training_loss():
    X, y = blobs(spread=0.2)
    model = fit_softmax_regression(X, y, learning_rate=0.5, epochs=2000)
    history = model.history
    assert history["train_loss"][0] == pytest.approx(np.log(3))
    assert history["train_loss"][-1] < 1e-2
    assert history["train_accuracy"][-1] == 1.0
    assert np.all(np.diff(history["train_loss"]) <= 1e-15)  # descends


def test_history_shapes_and_validation_records():
    X, y = blobs()
    model = fit_softmax_regression(X[::2], y[::2], learning_rate=0.1,
                                   epochs=7, X_val=X[1::2], y_val=y[1::2])
    assert set(model.history) == {"epoch", "train_loss", "train_accuracy",
                                  "val_loss", "val_accuracy"}
    for values in model.history.values():
        assert values.shape == (8,)
    proba = predict_proba(model.weights, model.bias, X[1::2])
    manual = -np.log(proba[np.arange(len(y[1::2])), y[1::2]]).mean()
    assert model.history["val_loss"][-1] == pytest.approx(manual, rel=1e-12)
    assert model.history["val_accuracy"][-1] == np.mean(
        np.argmax(proba, axis=1) == y[1::2])
    np.testing.assert_array_equal(model.predict(X[1::2]),
                                  np.argmax(proba, axis=1))


@pytest.mark.parametrize("l2", [0.05, 0.5])
def test_agrees_with_scikit_learn(l2):
    X, y = blobs(spread=2.0, seed=3)  # overlapping classes: a real minimum
    n = len(y)
    model = fit_softmax_regression(X, y, learning_rate=0.2, epochs=5000, l2=l2)
    reference = LogisticRegression(C=1.0 / (l2 * n), tol=1e-12,
                                   max_iter=10_000).fit(X, y)
    w_ref, b_ref = reference.coef_.T, reference.intercept_
    ours = numpy_loss(model.weights, model.bias, X, y, l2)
    theirs = numpy_loss(w_ref, b_ref, X, y, l2)
    assert ours == pytest.approx(theirs, abs=1e-9)
    np.testing.assert_allclose(model.weights, w_ref, atol=1e-4)
    np.testing.assert_allclose(model.predict_proba(X),
                               reference.predict_proba(X), atol=1e-5)


def test_top_level_names():
    assert xl.fit_softmax_regression is fit_softmax_regression
    assert xl.predict_proba is predict_proba


@pytest.mark.parametrize("kwargs, error, name", [
    ({"X": [1.0, 2.0]}, ValueError, "X must be 2-D"),
    ({"X": [[np.nan, 1.0], [0.0, 1.0]]}, ValueError, "X"),
    ({"y": [0.5, 1.0]}, TypeError, "y must hold integer"),
    ({"y": [0, 1, 1]}, ValueError, "y must have shape"),
    ({"y": [-1, 1]}, ValueError, r"y contains class labels outside"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"epochs": 1.5}, TypeError, "epochs"),
    ({"l2": -1.0}, ValueError, "l2"),
    ({"l2": np.inf}, ValueError, "l2"),
    ({"X_val": [[0.0, 1.0]]}, ValueError, "X_val and y_val"),
    ({"X_val": [[0.0]], "y_val": [0]}, ValueError, "X_val must have 2"),
    ({"X_val": [[0.0, 1.0]], "y_val": [0, 1]}, ValueError, "y_val"),
    ({"n_classes": 1}, ValueError, "n_classes"),
    ({"y": [0, 5], "n_classes": 3}, ValueError, "n_classes"),
])
def test_fit_rejects_bad_arguments(kwargs, error, name):
    arguments = {"X": [[0.0, 1.0], [1.0, 0.0]], "y": [0, 1],
                 "learning_rate": 0.1, "epochs": 3}
    arguments.update(kwargs)
    X, y = arguments.pop("X"), arguments.pop("y")
    with pytest.raises(error, match=name):
        fit_softmax_regression(X, y, **arguments)


def test_loss_and_predict_reject_mismatched_parameters():
    X = np.zeros((2, 3))
    with pytest.raises(ValueError, match="weights must have 3 rows"):
        softmax_regression_loss(np.zeros((2, 2)), np.zeros(2), X, [0, 1])
    with pytest.raises(ValueError, match="bias must have shape"):
        predict_proba(np.zeros((3, 2)), np.zeros(3), X)
    with pytest.raises(ValueError, match=r"y contains class labels outside \[0, 1\]: \[2\]"):
        softmax_regression_loss(np.zeros((3, 2)), np.zeros(2), X, [0, 2])
    with pytest.raises(ValueError, match="l2"):
        softmax_regression_loss(np.zeros((3, 2)), np.zeros(2), X, [0, 1],
                                l2=-0.1)
    with pytest.raises(ValueError, match="proba must have at least one row"):
        xl.accuracy(np.zeros(0, dtype=int), np.zeros((0, 2)))
