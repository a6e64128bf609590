r"""Information between two variables: joint, conditional and mutual information.

Every function takes one joint distribution as a 2-D table ``joint`` with
``joint[x, y] = p(x, y)``: **rows index X, columns index Y**. The marginals
are its row sums :math:`p(x)` and column sums :math:`p(y)`. For the other
direction (``H(X|Y)``), pass the transpose, ``joint.T``.

Conventions shared by the module (those of :mod:`xentlib.information`):

* ``base=None`` gives nats; ``base=2`` bits; any finite ``base > 0`` other
  than 1 is accepted. Bits use ``log2`` directly, so dyadic tables give
  exact answers.
* ``0 log 0 = 0``: empty cells contribute nothing, and so do empty rows.
* ``joint`` may be a nested list or an array; integers become float64,
  float16 is computed in float32 and returned as float16. Entries must be
  finite and in ``[0, 1]``, and the table must sum to 1 within ``8 eps``
  of its dtype, whatever its size (the tolerance of the whole library:
  1.8e-15 in float64, 9.5e-7 in float32, 7.8e-3 in float16; the sum is
  taken exactly); otherwise a ValueError names ``joint``. An empty table
  (a shape with a 0) has no distribution and is rejected too.
* The quantities are those of the table divided by its own total ``s``, as
  ``scipy.stats.entropy`` and scikit-learn's ``mutual_info_score``
  normalise: within the tolerance above, a table that sums to ``1 + 4 eps``
  stands for the distribution it approximates, the chain rule holds between
  the three, and ``I >= 0`` exactly (in exact arithmetic). The division is
  folded into the formulas (``log s`` is ``log1p(s - 1)`` with ``s - 1``
  summed exactly), so it costs no digits.
  :func:`xentlib.information.entropy` does not normalise; for a table that
  sums to 1 the two conventions agree.
* No warnings: ``log`` is only ever evaluated at positive numbers.

See the chapter *Two variables: joint, conditional and mutual information*.
"""

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from ._kernels import from_nats, log_in_base
from ._validation import (
    as_float_array,
    check_base,
    check_finite,
    check_probabilities,
    sum_tolerance,
    working_dtype,
)

__all__ = [
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
]


def _joint_table(joint: npt.ArrayLike) -> tuple[Any, Any, Any, Any]:
    """Validate ``joint``; return (input dtype, working array, total, log total).

    The total ``s`` of the cells is what the three functions divide by (see
    the module's notes). ``s - 1`` is computed with :func:`math.fsum`
    (correctly rounded), so that ``log s = log1p(s - 1)`` keeps its digits:
    dividing the table by a rounded ``s`` first would cost a few eps
    *absolute*, which is much of a nearly deterministic table's entropy.
    """
    array = as_float_array(joint, "joint")
    if array.ndim != 2:
        raise ValueError(
            "joint must be a 2-D table p(x, y) (rows X, columns Y), "
            f"got {array.ndim} dimension(s), shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"joint is empty (shape {array.shape}): no distribution")
    check_finite(array, "joint")
    check_probabilities(array, "joint")
    excess = math.fsum([*array.ravel().tolist(), -1.0])  # s - 1, exactly rounded
    if abs(excess) > sum_tolerance(array.dtype):
        raise ValueError(
            f"joint must sum to 1 over all cells; it is off by {excess:.3g}"
        )
    work = np.dtype(working_dtype(array.dtype)).type
    return (
        array.dtype,
        array.astype(work, copy=False),
        work(1 + excess),
        work(math.log1p(excess)),
    )


def _log_ratio(numerator: Any, denominator: Any, base: float | None) -> Any:
    """``log_base(numerator / denominator)`` for positive arrays, no warnings.

    The quotient is used where it is a normal float (then its logarithm has
    a few eps of error); where it would underflow or overflow, the
    difference of the two logarithms, which is then larger than 700 in
    magnitude and so loses nothing to cancellation.
    """
    info = np.finfo(numerator.dtype)
    with np.errstate(over="ignore", under="ignore"):
        quotient = numerator / denominator
    normal = (quotient >= info.tiny) & (quotient <= info.max)
    direct = log_in_base(np.where(normal, quotient, 1), base)
    apart = log_in_base(numerator, base) - log_in_base(denominator, base)
    return np.where(normal, direct, apart)


def joint_entropy(joint: npt.ArrayLike, *, base: float | None = None) -> Any:
    r"""Joint entropy :math:`H(X, Y)`: the entropy of the pair.

    .. math::

        H(X, Y) = -\sum_{x, y} p(x, y) \log_b p(x, y), \qquad 0 \log 0 = 0.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        The joint distribution ``p(x, y)``: rows index X, columns Y.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    float (a NumPy scalar of the input's float dtype), shape ()
        ``max(H(X), H(Y)) <= H(X, Y) <= H(X) + H(Y)``.

    Notes
    -----
    It is the entropy of the table read as one distribution over its
    ``n_x n_y`` cells. Every term ``-p log p`` is ``>= 0``: no cancellation,
    a few eps of relative error.

    See the chapter *Two variables*, section *Joint entropy*.

    Examples
    --------
    >>> from xentlib import joint_entropy
    >>> print(joint_entropy([[0.5, 0.25], [0.0, 0.25]], base=2))
    1.5
    """
    base = check_base(base)
    dtype, table, total, log_total = _joint_table(joint)
    positive = table > 0
    cells = np.where(positive, table, 1)  # log only at positive numbers
    terms = np.where(positive, cells * (0.0 - log_in_base(cells, base)), 0)
    # -sum (p/s) log(p/s) = (-sum p log p) / s + log s
    value = terms.sum() / total + from_nats(log_total, base)
    return value.astype(dtype)[()]


def conditional_entropy(joint: npt.ArrayLike, *, base: float | None = None) -> Any:
    r"""Conditional entropy :math:`H(Y \mid X)`, rows indexing X, columns Y.

    .. math::

        H(Y \mid X) = \sum_x p(x)\, H(Y \mid X = x)
                    = -\sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)}.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        The joint distribution ``p(x, y)``: rows index X (what is known),
        columns Y (what is predicted). ``conditional_entropy(joint.T)`` is
        :math:`H(X \mid Y)`.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    float (a NumPy scalar of the input's float dtype), shape ()
        ``0 <= H(Y|X) <= H(Y)``: zero when each row has a single non-empty
        cell (Y is a function of X).

    Notes
    -----
    It is the smallest expected log loss of any predictor of Y from X. Every
    term ``p(x, y) log(p(x) / p(x, y))`` is ``>= 0`` (a floating-point row
    sum is at least each of its cells), so there is no cancellation. Only a
    cell above half its row (the largest) can have ``p(x, y) / p(x)`` close
    to 1, where the logarithm would lose digits; that term is computed as
    ``p(x, y) log1p(rest / p(x, y))``, with ``rest`` the sum of the other
    cells of the row. A few eps of relative error, also for nearly
    deterministic rows such as ``[1 - 1e-12, 1e-12]``.

    See the chapter *Two variables*, section *Conditional entropy*.

    Examples
    --------
    >>> from xentlib import conditional_entropy
    >>> print(conditional_entropy([[0.25, 0.25], [0.5, 0.0]], base=2))
    0.5
    """
    base = check_base(base)
    dtype, table, total, _ = _joint_table(joint)
    positive = table > 0
    cells = np.where(positive, table, 1)
    row_total = np.where(positive, table.sum(axis=1, keepdims=True), 1)
    # A cell above half its row (the largest, if any) has p(x) / p(x, y) in
    # [1, 2): log1p of (the sum of the other cells) / cell keeps the digits.
    largest = np.arange(table.shape[1]) == table.argmax(axis=1)[:, None]
    near_one = largest & (2 * cells > row_total)
    rest = np.where(largest, 0, table).sum(axis=1, keepdims=True)
    with np.errstate(over="ignore"):  # used only where rest / cell < 1
        small = np.where(near_one, rest / cells, 0)
    terms = np.where(
        near_one,
        cells * from_nats(np.log1p(small), base),
        cells * _log_ratio(row_total, cells, base),
    )
    # p(x, y) / p(x) does not depend on the total s: only the weights do.
    value = np.where(positive, terms, 0).sum() / total
    return value.astype(dtype)[()]


def mutual_information(joint: npt.ArrayLike, *, base: float | None = None) -> Any:
    r"""Mutual information :math:`I(X; Y)`: the KL divergence from independence.

    .. math::

        I(X; Y) = \sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)\, p(y)}
                = D_{\mathrm{KL}}\big(p(x, y) \,\|\, p(x)\, p(y)\big)
                = H(Y) - H(Y \mid X).

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        The joint distribution ``p(x, y)``: rows index X, columns Y. The
        result is symmetric: ``mutual_information(joint.T)`` is the same.
    base : float, optional
        Base of the logarithm: None for nats, 2 for bits.

    Returns
    -------
    float (a NumPy scalar of the input's float dtype), shape ()
        ``0 <= I(X; Y) <= min(H(X), H(Y))``; zero if and only if X and Y are
        independent (the table is the outer product of its marginals).

    Notes
    -----
    The sum runs over the positive cells only (``0 log 0 = 0``); their
    marginals are then positive too. Unlike the entropies, its terms have
    both signs, so the result has an *absolute* error of a few eps (in the
    unit of ``base``), not a relative one: for a table that is independent
    up to rounding, the exact value is 0 and the computed sum is a few eps
    either side of it. Because the mutual information of a distribution is
    never negative (Gibbs' inequality applied to the KL form), a negative sum
    can only be rounding, and it is returned as 0 (scikit-learn's
    ``mutual_info_score`` clips the same way). No positive value is altered.
    Computing it as ``H(Y) - H(Y|X)`` instead would subtract two numbers of
    the size of the entropies and lose more.

    See the chapter *Two variables*, section *Mutual information*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import mutual_information
    >>> print(mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))
    1.0
    >>> print(mutual_information(np.outer([0.3, 0.7], [0.2, 0.8])))
    0.0
    """
    base = check_base(base)
    dtype, table, total, log_total = _joint_table(joint)
    positive = table > 0
    cells = np.where(positive, table, 1)
    # p(x, y) / (p(x) p(y)) as (p(x, y) / p(x)) / p(y): no underflow of p(x) p(y).
    given_x = cells / np.where(positive, table.sum(axis=1, keepdims=True), 1)
    p_y = np.where(positive, table.sum(axis=0, keepdims=True), 1)
    terms = np.where(positive, cells * _log_ratio(given_x, p_y, base), 0)
    # sum (p/s) log((p/s) / ((r/s)(c/s))) = (sum p log(p / (r c))) / s + log s
    value = terms.sum() / total + from_nats(log_total, base)
    # The exact value is >= 0: a negative sum is rounding (see Notes).
    return np.maximum(value, 0).astype(dtype)[()]
