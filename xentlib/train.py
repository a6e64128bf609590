r"""Softmax regression trained from scratch by full-batch gradient descent.

The smallest classifier that cross-entropy trains: one linear layer,
``logits = X @ weights + bias``, a softmax, and the mean cross-entropy against
integer labels, optionally plus an L2 penalty on the weights (not the bias),

.. math::

    L(W, b) = \frac{1}{N} \sum_{n=1}^{N}
              -\log \operatorname{softmax}(x_n W + b)_{y_n}
              + \frac{\lambda}{2} \lVert W \rVert_F^2 .

The loss and its gradient in the logits come from
:func:`~xentlib.losses.softmax_cross_entropy_with_grad` (the fused pair of
:func:`~xentlib.losses.softmax_cross_entropy` and
:func:`~xentlib.losses.softmax_cross_entropy_grad`); the chain rule through the
linear layer gives :math:`\partial L / \partial W = X^{\mathsf T} G + \lambda W`
and :math:`\partial L / \partial b = \mathbf 1^{\mathsf T} G`, where
``G = dL/dlogits`` already carries the ``1/N`` of the mean.

The loss is convex in ``(W, b)``, so the run starts from zeros and needs no
random initialisation: the result is deterministic.

See chapter 9, *Cross-entropy in practice*.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._validation import (
    as_float_array,
    as_int,
    check_finite,
    class_labels,
    non_negative_real,
    positive_int,
    positive_real,
)
from .logits import softmax
from .losses import softmax_cross_entropy_with_grad

__all__ = [
    "SoftmaxRegression",
    "softmax_regression_loss",
    "fit_softmax_regression",
    "predict_proba",
    "accuracy",
]


# -- validation ---------------------------------------------------------------


def _features(x: Any, name: str) -> Any:
    array = as_float_array(x, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (samples, features), got shape {array.shape}"
        )
    check_finite(array, name)
    return array.astype(np.result_type(array.dtype, np.float64), copy=False)


def _labels(y: Any, name: str, n_samples: Any, n_classes: int | None = None) -> Any:
    """Class labels (N,) as int64; without ``n_classes``, only ``>= 0``."""
    if n_classes is None:  # any non-negative label: the model grows to fit
        n_classes = np.iinfo(np.int64).max
    return class_labels(y, name, (n_samples,), n_classes)


def _parameters(weights: Any, bias: Any, n_features: Any = None) -> Any:
    w = _features(weights, "weights")
    b = as_float_array(bias, "bias")
    check_finite(b, "bias")
    if b.shape != (w.shape[1],):
        raise ValueError(
            f"bias must have shape ({w.shape[1]},), one entry "
            f"per class of weights, got shape {b.shape}"
        )
    if n_features is not None and w.shape[0] != n_features:
        raise ValueError(
            f"weights must have {n_features} rows, one per "
            f"feature of X, got shape {w.shape}"
        )
    return w, b


# -- the model ----------------------------------------------------------------


def softmax_regression_loss(
    weights: npt.ArrayLike,
    bias: npt.ArrayLike,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    l2: float = 0.0,
) -> Any:
    r"""Mean cross-entropy of softmax regression, with its gradients.

    .. math::

        L = \frac{1}{N} \sum_n -\log \operatorname{softmax}(x_n W + b)_{y_n}
            + \frac{\lambda}{2} \lVert W \rVert_F^2,
        \qquad \frac{\partial L}{\partial W} = X^{\mathsf T} G + \lambda W

    Parameters
    ----------
    weights : array_like, shape (D, K)
    bias : array_like, shape (K,)
    X : array_like, shape (N, D)
        Features, one row per sample.
    y : array_like of int, shape (N,)
        Class labels in ``[0, K)``.
    l2 : float, default 0.0
        The L2 strength :math:`\lambda \ge 0` (the bias is not penalised).

    Returns
    -------
    (float, ndarray (D, K), ndarray (K,))
        The loss, its gradient in ``weights`` and in ``bias``.

    Notes
    -----
    ``G`` is :func:`~xentlib.losses.softmax_cross_entropy_grad` of the
    logits with ``reduction="mean"``, :math:`(\operatorname{softmax}(XW + b) - Y) / N`
    for one-hot labels ``Y``; the weight gradient is its product with
    :math:`X^{\mathsf T}`, by the chain rule through ``logits = X W + b``.
    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> loss, grad_w, grad_b = softmax_regression_loss(
    ...     np.zeros((2, 3)), np.zeros(3), [[1.0, 0.0], [0.0, 1.0]], [0, 2])
    >>> print(f"{loss:.4f}")  # log 3: the uniform prediction
    1.0986
    >>> print(grad_b.round(4))
    [-0.1667  0.3333 -0.1667]
    """
    X = _features(X, "X")
    w, b = _parameters(weights, bias, X.shape[1])
    y = _labels(y, "y", X.shape[0], w.shape[1])
    l2 = non_negative_real(l2, "l2")
    loss, g = softmax_cross_entropy_with_grad(X @ w + b, y)
    loss = float(loss) + 0.5 * l2 * float(np.sum(w * w))
    return loss, X.T @ g + l2 * w, g.sum(axis=0)


def predict_proba(weights: npt.ArrayLike, bias: npt.ArrayLike, X: npt.ArrayLike) -> Any:
    r"""Class probabilities :math:`\operatorname{softmax}(X W + b)`, row by row.

    Parameters
    ----------
    weights : array_like, shape (D, K)
    bias : array_like, shape (K,)
    X : array_like, shape (N, D)

    Returns
    -------
    ndarray, shape (N, K)
        Each row a distribution over the ``K`` classes.

    Notes
    -----
    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> proba = predict_proba([[1.0, -1.0]], [0.0, 0.0], [[0.0], [2.0]])
    >>> print(proba.round(4))
    [[0.5   0.5  ]
     [0.982 0.018]]
    """
    X = _features(X, "X")
    w, b = _parameters(weights, bias, X.shape[1])
    return softmax(X @ w + b, axis=-1)


def accuracy(y: npt.ArrayLike, proba: npt.ArrayLike) -> float:
    r"""The fraction of rows whose most probable class is the label.

    .. math:: \frac{1}{N} \sum_n [\operatorname{arg\,max}_k p_{nk} = y_n]

    Parameters
    ----------
    y : array_like of int, shape (N,)
    proba : array_like, shape (N, K)
        Probabilities or logits (only the arg max is used).

    Returns
    -------
    float

    Notes
    -----
    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> accuracy([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    0.6666666666666666
    """
    scores = _features(proba, "proba")
    labels = _labels(y, "y", scores.shape[0])
    if scores.shape[0] == 0:
        raise ValueError("proba must have at least one row")
    return float(np.mean(np.argmax(scores, axis=1) == labels))


class SoftmaxRegression:
    """A trained softmax-regression model and its training history.

    Returned by :func:`fit_softmax_regression`. ``weights`` has shape
    (D, K) and ``bias`` shape (K,). ``history`` maps names to arrays of
    shape (epochs + 1,): ``"epoch"`` (0 is the starting point),
    ``"train_loss"`` (the mean cross-entropy, without the L2 term) and
    ``"train_accuracy"``, and, when validation data were given,
    ``"val_loss"`` and ``"val_accuracy"``. ``l2`` is the L2 strength it was
    trained with.
    """

    def __init__(self, weights: Any, bias: Any, history: Any, l2: float = 0.0) -> None:
        self.weights = weights
        self.bias = bias
        self.history = history
        self.l2 = l2

    def __repr__(self) -> Any:
        d, k = self.weights.shape
        return f"SoftmaxRegression(features={d}, classes={k}, l2={self.l2!r})"

    def predict_proba(self, X: npt.ArrayLike) -> Any:
        """Class probabilities, shape (N, K): :func:`predict_proba`."""
        return predict_proba(self.weights, self.bias, X)

    def predict(self, X: npt.ArrayLike) -> Any:
        """The most probable class of each row, shape (N,)."""
        return np.argmax(self.predict_proba(X), axis=1)


def fit_softmax_regression(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    learning_rate: float,
    epochs: int,
    l2: float = 0.0,
    n_classes: int | None = None,
    X_val: npt.ArrayLike | None = None,
    y_val: npt.ArrayLike | None = None,
) -> Any:
    r"""Train softmax regression by full-batch gradient descent.

    Starting from zero weights and bias, each epoch takes one step
    :math:`W \leftarrow W - \eta\, \partial L / \partial W` (and the same for
    ``b``) on the whole training set, with the loss of
    :func:`softmax_regression_loss`.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Training features (standardise them first: gradient descent with one
        learning rate is slow when features have very different scales).
    y : array_like of int, shape (N,)
        Training labels in ``[0, n_classes)``.
    learning_rate : float
        The step size :math:`\eta > 0`.
    epochs : int
        The number of gradient steps, at least 1.
    l2 : float, default 0.0
        The L2 strength :math:`\lambda \ge 0` on the weights.
    n_classes : int, optional
        ``K``; by default one more than the largest label in ``y``/``y_val``.
    X_val, y_val : array_like, optional
        Held-out data, given together, evaluated after every epoch.

    Returns
    -------
    SoftmaxRegression
        The final ``weights`` (D, K), ``bias`` (K,) and ``history``.

    Notes
    -----
    The history records the mean cross-entropy at the start and after every
    step: ``history["train_loss"][0]`` is :math:`\log K`, the loss of the
    uniform prediction. With ``l2 > 0`` the objective is strictly convex in
    ``W``, and gradient descent with a small enough step converges to the
    same minimum as any other solver (the book compares it with
    scikit-learn's ``LogisticRegression``).
    See chapter 9, *Cross-entropy in practice*.

    Examples
    --------
    >>> X = [[-2.0], [-1.0], [1.0], [2.0]]
    >>> model = fit_softmax_regression(X, [0, 0, 1, 1], learning_rate=1.0,
    ...                                epochs=100)
    >>> print(f"{model.history['train_loss'][0]:.4f} "
    ...       f"{model.history['train_loss'][-1]:.4f}")
    0.6931 0.0046
    >>> model.predict([[-0.5], [3.0]])
    array([0, 1])
    """
    learning_rate = positive_real(learning_rate, "learning_rate")
    epochs = positive_int(epochs, "epochs")
    l2 = non_negative_real(l2, "l2")
    X, y, X_val, y_val, n_classes = _training_data(X, y, X_val, y_val, n_classes)
    w = np.zeros((X.shape[1], n_classes))
    b = np.zeros(n_classes)
    history = _History(validation=X_val is not None)
    for epoch in range(epochs + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # checked next
            logits = X @ w + b
        loss, g = _mean_cross_entropy_and_grad(logits, y, epoch)
        history.record(loss, _hits(logits, y))
        if X_val is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                val_logits = X_val @ w + b
            val_loss, _ = _mean_cross_entropy_and_grad(val_logits, y_val, epoch)
            history.record_validation(val_loss, _hits(val_logits, y_val))
        if epoch < epochs:  # the last pass only records the final model
            with np.errstate(over="ignore", invalid="ignore"):
                w = w - learning_rate * (X.T @ g + l2 * w)
            b = b - learning_rate * g.sum(axis=0)
    return SoftmaxRegression(weights=w, bias=b, history=history.arrays(), l2=l2)


def _training_data(
    X: Any,
    y: Any,
    X_val: Any,
    y_val: Any,
    n_classes: Any,
) -> Any:
    """Validate the training (and held-out) data once, before the loop."""
    X = _features(X, "X")
    if X.shape[0] == 0:
        raise ValueError("X must have at least one row")
    y = _labels(y, "y", X.shape[0])
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    if X_val is not None:
        X_val = _features(X_val, "X_val")
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_val must have {X.shape[1]} columns like X, got shape {X_val.shape}"
            )
        y_val = _labels(y_val, "y_val", X_val.shape[0])
    largest = int(y.max())
    if y_val is not None and y_val.size:
        largest = max(largest, int(y_val.max()))
    if n_classes is None:
        n_classes = largest + 1
    n_classes = as_int(n_classes, "n_classes")
    if n_classes < 2 or largest >= n_classes:
        raise ValueError(
            f"n_classes must be at least 2 and above every "
            f"label (largest {largest}), got {n_classes}"
        )
    return X, y, X_val, y_val, n_classes


def _mean_cross_entropy_and_grad(logits: Any, y: Any, epoch: Any) -> Any:
    """The fused kernel, unchecked inside the loop (the data were checked).

    Only the logits can go wrong here: a learning rate too large for the
    data makes them overflow, and that is reported as such.
    """
    if not np.isfinite(logits).all():
        raise ValueError(
            f"training diverged at epoch {epoch}: the logits overflowed; "
            "lower learning_rate (or standardise X)"
        )
    n = len(y)
    grad = np.empty_like(logits)
    coef = np.full(n, 1.0 / n)
    rows = _kernels.xent_class_rows(logits, y, coef, grad)
    return float(rows.sum(dtype=np.float64) / n), grad


def _hits(logits: Any, y: Any) -> Any:
    """Fraction of rows whose largest logit is the label's."""
    return float(np.mean(np.argmax(logits, axis=1) == y))


class _History:
    """Per-epoch loss and accuracy, on the training and held-out data."""

    def __init__(self, validation: bool) -> None:
        keys = ["train_loss", "train_accuracy"]
        if validation:
            keys += ["val_loss", "val_accuracy"]
        self.values: dict[str, list[float]] = {key: [] for key in keys}

    def record(self, loss: float, hits: float) -> None:
        self.values["train_loss"].append(loss)
        self.values["train_accuracy"].append(hits)

    def record_validation(self, loss: float, hits: float) -> None:
        self.values["val_loss"].append(loss)
        self.values["val_accuracy"].append(hits)

    def arrays(self) -> dict[str, np.ndarray]:
        n = len(self.values["train_loss"])
        arrays = {"epoch": np.arange(n)}
        arrays.update({k: np.array(v) for k, v in self.values.items()})
        return arrays
