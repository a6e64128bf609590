"""Tests of xentlib.losses against independent references.

References, none of which shares code with xentlib.losses:

- values: the loss written from PyTorch's documented semantics (its C++
  source, ``aten/src/ATen/native/LossNLL.cpp`` and ``Loss.cpp``: target
  weights, denominators, label smoothing, the -100 clamp), evaluated in mpmath
  with enough digits to resolve every term (``-log softmax`` as the textbook
  ``log(sum(exp(z))) - z_c``, no shifting, no log1p), on the exact float
  inputs: each float is converted with ``mpmath.mpf(float(v))``, which is
  exact for float16, float32 and float64. Errors are reported in units of the
  dtype's eps relative to the reference (``mpref.eps_error``);
- gradients: central finite differences of the loss in float64, for every
  combination of options, plus the mpmath value of the analytic derivative
  where its relative accuracy is the point (the dominant class);
- PyTorch itself: ``tests/test_losses_torch.py`` (skipped without torch).
"""

import itertools

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpref import eps_error, mpf
import xentlib
from xentlib import losses
from xentlib.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    nll_loss,
    nll_loss_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_cross_entropy_with_grad,
)

MP_DPS = 60


# --------------------------------------------------------------------------
# mpmath references, from PyTorch's documented semantics
# --------------------------------------------------------------------------


def _digits(values):
    """Enough digits for log(1 + e^-D), D the spread of the finite values."""
    finite = [abs(v) for v in values if mpmath.isfinite(v)]
    return MP_DPS + int(2 * max(finite, default=0) / 2.3)


def mp_neg_log_softmax(row):
    """``log(sum_j exp(z_j)) - z_c`` for each c: the textbook formula."""
    z = [mpf(v) for v in row]
    with mpmath.workdps(_digits(z)):
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z if v != -mpmath.inf))
        return [mpmath.inf if v == -mpmath.inf else lse - v for v in z]


def mp_softmax(row):
    z = [mpf(v) for v in row]
    with mpmath.workdps(_digits(z)):
        total = mpmath.fsum(mpmath.exp(v) for v in z)
        return [mpmath.exp(v) / total for v in z]


def mp_target_weights(n_classes, target, soft, weight, ignore_index, eps):
    """PyTorch's per-row target weights a_ic and the mean's denominator.

    Class index y: nll part (1 - eps) w_y on y, smoothing part (eps / C) w_c
    on every class; the mean divides by the sum of w_y over kept rows.
    Soft target q: w_c ((1 - eps) q_c + eps / C); the mean divides by N.
    """
    w = [mpmath.mpf(1)] * n_classes if weight is None else [mpf(v) for v in weight]
    eps = mpf(eps)
    rows, denominator = [], mpmath.mpf(0)
    for t in target:
        if soft:
            rows.append([w[c] * ((1 - eps) * mpf(t[c]) + eps / n_classes)
                         for c in range(n_classes)])
            denominator += 1
        elif t == ignore_index:
            rows.append([mpmath.mpf(0)] * n_classes)
        else:
            a = [eps / n_classes * w[c] for c in range(n_classes)]
            a[t] += (1 - eps) * w[t]
            rows.append(a)
            denominator += w[t]
    return rows, denominator


def mp_reduce(rows, reduction, denominator):
    if reduction == "none":
        return rows
    total = mpmath.fsum(rows)
    if reduction == "sum":
        return total
    return total / denominator if denominator else mpmath.mpf(0)


def mp_softmax_xent(logits, target, *, weight=None, ignore_index=-100,
                    label_smoothing=0.0, reduction="mean"):
    z = np.atleast_2d(logits)
    soft = np.shape(target) == np.shape(logits)
    t = np.atleast_2d(target) if soft else np.atleast_1d(target)
    a, denominator = mp_target_weights(z.shape[1], t, soft, weight,
                                       ignore_index, label_smoothing)
    rows = []
    with mpmath.workdps(MP_DPS + 400):
        for zi, ai in zip(z, a):
            nlp = mp_neg_log_softmax(zi)
            rows.append(mpmath.fsum(ac * v for ac, v in zip(ai, nlp) if ac != 0))
        out = mp_reduce(rows, reduction, denominator)
    if reduction == "none" and np.ndim(logits) == 1:
        return out[0]
    return out


def mp_nll(log_probs, target, *, weight=None, ignore_index=-100, reduction="mean"):
    rows, denominator = [], mpmath.mpf(0)
    for lp, t in zip(np.atleast_2d(log_probs), np.atleast_1d(target)):
        w = mpmath.mpf(1) if weight is None else mpf(weight[t]) if t != ignore_index \
            else mpmath.mpf(0)
        if t == ignore_index or w == 0:
            rows.append(mpmath.mpf(0))
            continue
        rows.append(-w * mpf(lp[t]))
        denominator += w
    with mpmath.workdps(MP_DPS):
        return mp_reduce(rows, reduction, denominator)


def mp_bce(p, y, weight=None, reduction="mean"):
    """PyTorch: -w (y max(log p, -100) + (1 - y) max(log(1 - p), -100))."""
    w = np.broadcast_to(1.0 if weight is None else weight, np.shape(p)).ravel()
    p, y = np.ravel(p), np.ravel(y)
    rows = []
    with mpmath.workdps(MP_DPS):
        for pi, yi, wi in zip(p, y, w):
            pi, yi = mpf(pi), mpf(yi)
            log_p = max(mpmath.log(pi), -100) if pi > 0 else mpmath.mpf(-100)
            log_q = max(mpmath.log(1 - pi), -100) if pi < 1 else mpmath.mpf(-100)
            rows.append(-mpf(wi) * (yi * log_p + (1 - yi) * log_q))
        return mp_reduce(rows, reduction, len(rows))


def mp_bce_logits(z, y, weight=None, pos_weight=None, reduction="mean"):
    """-w (pw y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))), textbook."""
    shape = np.shape(z)
    w = np.broadcast_to(1.0 if weight is None else weight, shape).ravel()
    pw = np.broadcast_to(1.0 if pos_weight is None else pos_weight, shape).ravel()
    rows = []
    for zi, yi, wi, pwi in zip(np.ravel(z), np.ravel(y), w, pw):
        zi, yi = mpf(zi), mpf(yi)
        with mpmath.workdps(MP_DPS + int(abs(zi))):
            sig = 1 / (1 + mpmath.exp(-zi))
            pos = -mpf(pwi) * yi * mpmath.log(sig) if yi else 0
            neg = -(1 - yi) * mpmath.log(1 - sig) if yi != 1 else 0
            rows.append(mpf(wi) * (pos + neg))
    with mpmath.workdps(MP_DPS):
        return mp_reduce(rows, reduction, len(rows))


def central_difference(f, x, h=1e-3):
    """Five-point central differences of the scalar f at every entry of x.

    ``(-f(x+2s) + 8 f(x+s) - 8 f(x-s) + f(x-2s)) / 12s`` has truncation error
    O(s^4), so s can be large enough that rounding stays near 1e-12.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for idx in np.ndindex(x.shape):
        step = h * max(1.0, abs(x[idx]))

        def at(k):
            moved = x.copy()
            moved[idx] += k * step
            return float(f(moved))

        grad[idx] = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * step)
    return grad


def random_case(rng, n, n_classes, soft, ignore):
    """Logits, and class (with some ignore_index) or soft targets."""
    z = rng.normal(scale=2.0, size=(n, n_classes))
    if soft:
        q = rng.dirichlet(np.ones(n_classes) * 0.7, size=n)
        return z, q
    y = rng.integers(0, n_classes, size=n)
    if ignore:
        y[rng.random(n) < 0.3] = -100
    return z, y


OPTIONS = [
    case for case in itertools.product(
        [False, True],          # soft targets
        [None, "weights"],      # class weights
        [0.0, 0.25],            # label smoothing
        ["mean", "sum", "none"],
        [False, True],          # some targets are ignore_index
    )
    if not (case[0] and case[4])  # ignore_index applies to class targets only
]


# --------------------------------------------------------------------------
# softmax_cross_entropy: values and gradients under every option
# --------------------------------------------------------------------------


@pytest.mark.parametrize("soft,weighted,smoothing,reduction,ignore", OPTIONS)
def test_softmax_xent_matches_mpmath_reference(soft, weighted, smoothing,
                                               reduction, ignore):
    rng = np.random.default_rng(hash((soft, weighted, smoothing, reduction)) % 2**32)
    z, t = random_case(rng, 7, 5, soft, ignore)
    w = rng.uniform(0.2, 3.0, size=5) if weighted else None
    kw = dict(weight=w, label_smoothing=smoothing, reduction=reduction)
    got = softmax_cross_entropy(z, t, **kw)
    ref = mp_softmax_xent(z, t, **kw)
    assert np.max(eps_error(got, ref, np.float64)) <= 4
    for dtype in (np.float32, np.float16):  # the reference sees the rounded logits
        z_low = z.astype(dtype)
        got_low = softmax_cross_entropy(z_low, t, **kw)
        assert np.asarray(got_low).dtype == dtype
        ref_low = mp_softmax_xent(z_low, t, **kw)
        assert np.max(eps_error(got_low, ref_low, dtype)) <= 4


@pytest.mark.parametrize("soft,weighted,smoothing,reduction,ignore", OPTIONS)
def test_softmax_xent_grad_matches_finite_differences(soft, weighted, smoothing,
                                                      reduction, ignore):
    rng = np.random.default_rng(7 + hash((soft, weighted, smoothing)) % 2**32)
    z, t = random_case(rng, 4, 3, soft, ignore)
    w = rng.uniform(0.2, 3.0, size=3) if weighted else None
    kw = dict(weight=w, label_smoothing=smoothing, reduction=reduction)

    def total(x):  # "none" is differentiated as the sum of the rows
        return np.sum(softmax_cross_entropy(x, t, **kw))

    expected = central_difference(total, z)
    got = softmax_cross_entropy_grad(z, t, **kw)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)
    loss, fused = softmax_cross_entropy_with_grad(z, t, **kw)
    np.testing.assert_array_equal(fused, got)
    np.testing.assert_array_equal(loss, softmax_cross_entropy(z, t, **kw))


def test_plain_gradient_is_softmax_minus_onehot_over_n():
    # The definition, with softmax from mpmath.
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    y = np.array([0, 1])
    expected = [[(p - (c == yi)) / 2 for c, p in enumerate(mp_softmax(row))]
                for row, yi in zip(z, y)]
    assert np.max(eps_error(softmax_cross_entropy_grad(z, y), expected,
                            np.float64)) <= 4


def test_single_sample_of_shape_c():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    for reduction in ("mean", "sum", "none"):
        got = softmax_cross_entropy(z, 1, reduction=reduction)
        assert np.ndim(got) == 0
        assert eps_error(got, mp_softmax_xent(z, 1, reduction=reduction),
                         np.float64) <= 2
    q = np.array([0.1, 0.2, 0.3, 0.4])
    got = softmax_cross_entropy(z, q, label_smoothing=0.1)
    assert eps_error(got, mp_softmax_xent(z, q, label_smoothing=0.1),
                     np.float64) <= 2
    grad = softmax_cross_entropy_grad(z, 1)
    assert grad.shape == (4,)
    expected = central_difference(lambda x: softmax_cross_entropy(x, 1), z)
    np.testing.assert_allclose(grad, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_many_chunks_match_reference(monkeypatch, dtype):
    # Chunks of a few rows: every path (float16 scratch buffer, in-place
    # gradient, dense kernel) crosses chunk boundaries.
    monkeypatch.setattr(losses, "_CHUNK_BYTES", 64)
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3, size=(11, 6)).astype(dtype)
    y = rng.integers(0, 6, size=11)
    y[4] = -100
    for kw in (dict(), dict(label_smoothing=0.2)):
        got = softmax_cross_entropy(z, y, reduction="none", **kw)
        assert got.dtype == dtype
        ref = mp_softmax_xent(z, y, reduction="none", **kw)
        assert np.max(eps_error(got, ref, dtype)) <= 4
        grad = softmax_cross_entropy_grad(z, y, **kw)
        assert grad.dtype == dtype
        monkeypatch.setattr(losses, "_CHUNK_BYTES", 1 << 20)
        whole = softmax_cross_entropy_grad(z.astype(np.float64), y, **kw)
        monkeypatch.setattr(losses, "_CHUNK_BYTES", 64)
        np.testing.assert_allclose(grad, whole, atol=2 * np.finfo(dtype).eps)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 6),
    st.floats(-1e6, 1e6),
    st.integers(0, 2**32 - 1),
)
def test_shift_invariance(n, n_classes, shift, seed):
    # softmax(z + c) = softmax(z): adding the same constant to a row leaves
    # the loss unchanged (up to the rounding of z + c itself, hence float64
    # logits and a tolerance relative to the shift).
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3, size=(n, n_classes))
    y = rng.integers(0, n_classes, size=n)
    base = softmax_cross_entropy(z, y)
    shifted = softmax_cross_entropy(z + shift, y)
    assert abs(shifted - base) <= 64 * np.finfo(float).eps * (abs(shift) + 10)


# --------------------------------------------------------------------------
# Accuracy where textbook formulas fail
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 10, 1000, 32000])
def test_uniform_logits_offset_1e8_give_log_c(n_classes):
    # Textbook: exp(1e8) overflows; float32 1e8 + small values collapse.
    # Reference: every logit is the same float, so the loss is exactly log C.
    z = np.full((3, n_classes), 1e8, dtype=np.float32)
    got = softmax_cross_entropy(z, [0, 1, n_classes - 1], reduction="none")
    with mpmath.workdps(MP_DPS):
        ref = [mpmath.log(n_classes)] * 3
    assert np.max(eps_error(got, ref, np.float32)) <= 1


@pytest.mark.parametrize("dtype,gap", [(np.float32, 30.0), (np.float32, 80.0),
                                       (np.float64, 40.0), (np.float64, 600.0)])
def test_dominant_class_loss_is_tiny_not_zero(dtype, gap):
    # loss = log1p((C-1) e^-gap): 1e-13 (float32) / 4e-17 (float64), which
    # log(sum(exp)) - z_y rounds to 0 (as scipy, PyTorch and JAX do).
    # Reference: mpmath on the exact float logits. gap 80 in float32 and 600
    # in float64 give subnormal results: eps_error then measures in units of
    # the smallest subnormal's scale (eps * tiny).
    z = np.zeros((2, 5), dtype=dtype)
    z[:, 1:] = -gap
    z[1, 2] = -gap / 2
    loss, grad = softmax_cross_entropy_with_grad(z, [0, 0], reduction="none")
    assert (loss > 0).all()
    ref = mp_softmax_xent(z, [0, 0], reduction="none")
    assert np.max(eps_error(loss, ref, dtype)) <= 2
    # The target's gradient p_0 - 1 = -(sum of the others) / s, also tiny.
    expected = [[p - (c == 0) for c, p in enumerate(mp_softmax(row))] for row in z]
    assert np.max(eps_error(grad, expected, dtype)) <= 3


def test_float16_with_65536_classes_does_not_overflow():
    # sum(exp) over 65,536 equal logits is 65,536 > float16 max (65,504): the
    # kernel accumulates in float32. Reference: log(65536) = 16 log 2, exactly
    # the value of equal logits; and mpmath on random float16 logits.
    n_classes = 65536
    z = np.zeros((2, n_classes), dtype=np.float16)
    loss, grad = softmax_cross_entropy_with_grad(z, [5, 70], reduction="none")
    assert loss.dtype == np.float16 and grad.dtype == np.float16
    with mpmath.workdps(MP_DPS):
        assert np.max(eps_error(loss, [16 * mpmath.log(2)] * 2, np.float16)) <= 1
    assert np.isfinite(grad).all()
    rng = np.random.default_rng(0)
    z = rng.normal(scale=2, size=(1, n_classes)).astype(np.float16)
    got = softmax_cross_entropy(z, [123])
    assert got.dtype == np.float16
    assert eps_error(got, mp_softmax_xent(z, [123]), np.float16) <= 1


def test_minus_inf_logit_with_zero_target_weight_contributes_zero():
    # Reference: the mathematical convention 0 * log 0 = 0 (PyTorch gives NaN
    # for soft targets here), so the loss is that of the remaining classes.
    z = np.array([[1.0, -np.inf, 0.5], [0.0, 2.0, -np.inf]])
    q = np.array([[0.6, 0.0, 0.4], [0.5, 0.5, 0.0]])
    got = softmax_cross_entropy(z, q, reduction="none")
    ref = mp_softmax_xent(z, q, reduction="none")
    assert np.isfinite(got).all()
    assert np.max(eps_error(got, ref, np.float64)) <= 2
    grad = softmax_cross_entropy_grad(z, q)
    assert np.isfinite(grad).all()
    assert grad[0, 1] == 0 and grad[1, 2] == 0
    # Class targets: a -inf logit on a class of weight 0, with label smoothing
    # (which gives every class some target weight, except those of weight 0).
    w = np.array([1.0, 0.0, 2.0])
    got = softmax_cross_entropy(z[:1], [0], weight=w, label_smoothing=0.3)
    ref = mp_softmax_xent(z[:1], [0], weight=w, label_smoothing=0.3)
    assert eps_error(got, ref, np.float64) <= 2
    # ... but a -inf logit on the target class is an infinite loss, honestly.
    assert softmax_cross_entropy(z[:1], [1]) == np.inf


def test_all_ignored_and_empty_batches_give_zero():
    # Our documented choice (PyTorch: NaN for a mean over nothing).
    z = np.array([[1.0, 2.0], [0.0, -1.0]])
    y = np.array([-100, -100])
    assert softmax_cross_entropy(z, y) == 0.0
    assert softmax_cross_entropy(z, y, label_smoothing=0.2) == 0.0
    assert np.array_equal(softmax_cross_entropy_grad(z, y), np.zeros((2, 2)))
    assert nll_loss(z, y) == 0.0
    # Kept targets whose classes all weigh 0: total weight 0 too.
    assert softmax_cross_entropy(z, [0, 0], weight=[0.0, 1.0]) == 0.0
    empty = np.zeros((0, 3), dtype=np.float32)
    for target in ([], np.zeros((0, 3))):
        assert softmax_cross_entropy(empty, target) == 0.0
        assert softmax_cross_entropy(empty, target).dtype == np.float32
        assert softmax_cross_entropy(empty, target, reduction="sum") == 0.0
        assert softmax_cross_entropy(empty, target, reduction="none").shape == (0,)
        assert softmax_cross_entropy_grad(empty, target).shape == (0, 3)
    assert binary_cross_entropy([], []) == 0.0
    assert binary_cross_entropy_with_logits([], []) == 0.0


def test_ignored_rows_have_zero_gradient_and_do_not_count():
    z = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0], [2.0, 2.0, 2.0]])
    y = np.array([2, -100, 0])
    grad = softmax_cross_entropy_grad(z, y, label_smoothing=0.1)
    assert np.array_equal(grad[1], np.zeros(3))
    # Mean over the two kept rows = the mean of those rows alone.
    kept = softmax_cross_entropy(z[[0, 2]], y[[0, 2]], label_smoothing=0.1)
    assert eps_error(softmax_cross_entropy(z, y, label_smoothing=0.1),
                     mp_softmax_xent(z[[0, 2]], y[[0, 2]], label_smoothing=0.1),
                     np.float64) <= 2
    assert eps_error(kept, mp_softmax_xent(z, y, label_smoothing=0.1),
                     np.float64) <= 2
    # ignore_index may also be a real class index, as in PyTorch.
    assert eps_error(softmax_cross_entropy(z, [2, 1, 0], ignore_index=1),
                     mp_softmax_xent(z[[0, 2]], [2, 0]), np.float64) <= 2


def test_weighted_label_smoothing_follows_pytorch():
    # The surprising part, written out by hand for one row: the smoothing term
    # weighs each class by its own weight, the mean divides by w_y only.
    z = np.array([[0.2, 1.5, -0.3]])
    w = np.array([2.0, 0.5, 1.0])
    eps = 0.3
    nlp = mp_neg_log_softmax(z[0])
    with mpmath.workdps(MP_DPS):
        by_hand = ((1 - eps) * mpf(w[1]) * nlp[1]
                   + eps / 3 * mpmath.fsum(mpf(wc) * v for wc, v in zip(w, nlp))
                   ) / mpf(w[1])
    got = softmax_cross_entropy(z, [1], weight=w, label_smoothing=eps)
    assert eps_error(got, by_hand, np.float64) <= 2
    # The same smoothed target as probabilities: the mean divides by N = 1.
    q = np.array([[eps / 3, 1 - eps + eps / 3, eps / 3]])
    soft = softmax_cross_entropy(z, q, weight=w)
    assert eps_error(soft, by_hand * mpf(w[1]), np.float64) <= 4


# --------------------------------------------------------------------------
# nll_loss
# --------------------------------------------------------------------------


@pytest.mark.parametrize("weighted,reduction,ignore", list(itertools.product(
    [False, True], ["mean", "sum", "none"], [False, True])))
def test_nll_loss_value_and_gradient(weighted, reduction, ignore):
    rng = np.random.default_rng(11)
    z, y = random_case(rng, 6, 4, False, ignore)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    w = rng.uniform(0.5, 2, size=4) if weighted else None
    kw = dict(weight=w, reduction=reduction)
    got = nll_loss(lp, y, **kw)
    assert np.max(eps_error(got, mp_nll(lp, y, **kw), np.float64)) <= 2
    expected = central_difference(lambda x: np.sum(nll_loss(x, y, **kw)), lp)
    np.testing.assert_allclose(nll_loss_grad(lp, y, **kw), expected,
                               rtol=1e-7, atol=1e-9)


def test_nll_loss_zero_weight_row_with_minus_inf_is_zero():
    lp = np.array([[-np.inf, 0.0], [-0.5, -0.9]])
    assert nll_loss(lp, [0, 1], weight=[0.0, 1.0]) == 0.9
    assert nll_loss(lp, [-100, 1]) == 0.9
    assert nll_loss(lp, [0, 1]) == np.inf


# --------------------------------------------------------------------------
# Binary cross-entropy
# --------------------------------------------------------------------------


@pytest.mark.parametrize("weighted,reduction", list(itertools.product(
    [False, True], ["mean", "sum", "none"])))
def test_binary_cross_entropy_value_and_gradient(weighted, reduction):
    rng = np.random.default_rng(5)
    p = rng.uniform(0.02, 0.98, size=(4, 3))
    y = rng.uniform(0, 1, size=(4, 3))
    y[0] = [0.0, 1.0, 1.0]
    w = rng.uniform(0.5, 2, size=3) if weighted else None  # broadcast per column
    kw = dict(weight=w, reduction=reduction)
    got = binary_cross_entropy(p, y, **kw)
    assert np.max(eps_error(got, mp_bce(p, y, **kw), np.float64)) <= 4
    got32 = binary_cross_entropy(p.astype(np.float32), y.astype(np.float32), **kw)
    assert np.asarray(got32).dtype == np.float32
    ref32 = mp_bce(p.astype(np.float32), y.astype(np.float32),
                   None if w is None else w.astype(np.float32), reduction)
    assert np.max(eps_error(got32, ref32, np.float32)) <= 2
    expected = central_difference(
        lambda x: np.sum(binary_cross_entropy(x, y, **kw)), p, h=1e-5)
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y, **kw), expected,
                               rtol=1e-6, atol=1e-8)


def test_binary_cross_entropy_clamps_log_at_minus_100():
    # PyTorch's documented clamp: p = 0 with y = 1 (and p = 1 with y = 0)
    # costs exactly 100, and 0 * log 0 terms are 0.
    got = binary_cross_entropy([0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0],
                               reduction="none")
    assert got.tolist() == [100.0, 100.0, 0.0, 0.0]
    # Gradient at the edges: PyTorch's (p - y) / max(p (1 - p), 1e-12), its
    # 1e-12 being a C++ float (Loss.cpp), i.e. float32.
    grad = binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0], reduction="sum")
    floor = float(np.float32(1e-12))
    assert grad.tolist() == [-1 / floor, 1 / floor]


def test_binary_cross_entropy_small_p_uses_log1p():
    # log(1 - 1e-20) = -1e-20, which log(1 - p) rounds to 0.
    got = binary_cross_entropy([1e-20], [0.0], reduction="sum")
    assert eps_error(got, mp_bce([1e-20], [0.0], reduction="sum"),
                     np.float64) <= 1


@pytest.mark.parametrize("weighted,pos_weighted,reduction", list(itertools.product(
    [False, True], [False, True], ["mean", "sum", "none"])))
def test_bce_with_logits_value_and_gradient(weighted, pos_weighted, reduction):
    rng = np.random.default_rng(9)
    z = rng.normal(scale=3, size=(5, 3))
    y = rng.uniform(0, 1, size=(5, 3))
    y[0] = [0.0, 1.0, 1.0]
    w = rng.uniform(0.5, 2, size=(5, 1)) if weighted else None
    pw = rng.uniform(0.5, 3, size=3) if pos_weighted else None
    kw = dict(weight=w, pos_weight=pw, reduction=reduction)
    got = binary_cross_entropy_with_logits(z, y, **kw)
    assert np.max(eps_error(got, mp_bce_logits(z, y, **kw), np.float64)) <= 4
    expected = central_difference(
        lambda x: np.sum(binary_cross_entropy_with_logits(x, y, **kw)), z)
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y, **kw),
                               expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_at_plus_minus_100_and_minus_120(dtype):
    # log(1 + e^-100) = 3.7e-44 (subnormal in float32: eps_error measures it
    # against the subnormal spacing), 100 + 3.7e-44, 120 + 7.7e-53, ...
    # Reference: mpmath on the exact inputs.
    z = np.array([100.0, 100.0, -100.0, -100.0, -120.0, -120.0], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], dtype=dtype)
    got = binary_cross_entropy_with_logits(z, y, reduction="none")
    assert got.dtype == dtype and np.isfinite(got).all()
    ref = mp_bce_logits(z, y, reduction="none")
    assert np.max(eps_error(got, ref, dtype)) <= 0.5  # correctly rounded
    grad = binary_cross_entropy_with_logits_grad(z, y, reduction="none")
    with mpmath.workdps(MP_DPS + 60):
        sig = [1 / (1 + mpmath.exp(-mpf(v))) for v in z]
        expected = [s - mpf(t) for s, t in zip(sig, y)]
    assert np.max(eps_error(grad, expected, dtype)) <= 1


def test_bce_with_logits_infinite_logits():
    got = binary_cross_entropy_with_logits([np.inf, -np.inf, np.inf],
                                           [1.0, 0.0, 0.0], reduction="none")
    assert got.tolist() == [0.0, 0.0, np.inf]
    grad = binary_cross_entropy_with_logits_grad([np.inf, -np.inf], [1.0, 0.0])
    assert grad.tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------
# Validation: clear errors naming the argument
# --------------------------------------------------------------------------

Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
Q = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])

BAD_CALLS = [
    (lambda: softmax_cross_entropy(Z, [0, 3]), ValueError, "target.*outside"),
    (lambda: softmax_cross_entropy(Z, [0, -1]), ValueError, "target.*outside"),
    (lambda: softmax_cross_entropy(Z, [0.0, 1.0]), TypeError, "target.*integer"),
    (lambda: softmax_cross_entropy(Z, [0, 1, 2]), ValueError, "target.*shape"),
    (lambda: softmax_cross_entropy(Z, 1), ValueError, "target.*shape"),
    (lambda: softmax_cross_entropy(Z[0], [1]), ValueError, "target.*shape"),
    (lambda: softmax_cross_entropy(Z, ["a", "b"]), TypeError, "target"),
    (lambda: softmax_cross_entropy(Z, Q / 2), ValueError, "target.*sum to 1"),
    (lambda: softmax_cross_entropy(Z, -Q), ValueError, "target.*negative"),
    (lambda: softmax_cross_entropy(Z, Q, ignore_index=0), ValueError,
     "ignore_index"),
    (lambda: softmax_cross_entropy(np.ones((2, 3, 4)), [0, 1]), ValueError,
     "logits.*shape"),
    (lambda: softmax_cross_entropy(np.ones((2, 0)), [0, 1]), ValueError,
     "logits.*class"),
    (lambda: softmax_cross_entropy([[1.0, np.nan]], [0]), ValueError,
     "logits row 0.*NaN"),
    (lambda: softmax_cross_entropy([[1.0, 2.0], [1.0, np.inf]], [0, 0]),
     ValueError, r"logits row 1.*\+inf"),
    (lambda: softmax_cross_entropy([[-np.inf, -np.inf]], [0]), ValueError,
     "logits row 0.*all -inf"),
    (lambda: softmax_cross_entropy([[1.0, np.nan]], [[0.5, 0.5]]), ValueError,
     "logits row 0.*NaN"),
    (lambda: softmax_cross_entropy([["a", "b"]], [0]), TypeError, "logits"),
    (lambda: softmax_cross_entropy(Z, [0, 1], reduction="avg"), ValueError,
     "reduction"),
    (lambda: softmax_cross_entropy(Z, [0, 1], label_smoothing=1.5), ValueError,
     "label_smoothing"),
    (lambda: softmax_cross_entropy(Z, [0, 1], label_smoothing=-0.1), ValueError,
     "label_smoothing"),
    (lambda: softmax_cross_entropy(Z, [0, 1], label_smoothing=np.nan), ValueError,
     "label_smoothing"),
    (lambda: softmax_cross_entropy(Z, [0, 1], label_smoothing="0.1"), TypeError,
     "label_smoothing"),
    (lambda: softmax_cross_entropy(Z, [0, 1], ignore_index=1.5), TypeError,
     "ignore_index"),
    (lambda: softmax_cross_entropy(Z, [0, 1], weight=[1.0, 2.0]), ValueError,
     "weight.*shape"),
    (lambda: softmax_cross_entropy(Z, [0, 1], weight=[1.0, -2.0, 1.0]),
     ValueError, "weight.*non-negative"),
    (lambda: softmax_cross_entropy(Z, [0, 1], weight=[1.0, np.nan, 1.0]),
     ValueError, "weight.*NaN"),
    (lambda: softmax_cross_entropy_grad(Z, [0, 5]), ValueError, "target"),
    (lambda: nll_loss([[-0.1, np.nan]], [0]), ValueError, "log_probs.*NaN"),
    (lambda: nll_loss([[-0.1, np.inf]], [0]), ValueError, r"log_probs.*\+inf"),
    (lambda: nll_loss(Z, Q), ValueError, "target.*shape"),
    (lambda: nll_loss(Z, [0, 7]), ValueError, "target.*outside"),
    (lambda: nll_loss_grad(Z, [0, 1], reduction="mean "), ValueError, "reduction"),
    (lambda: binary_cross_entropy([0.5, 1.2], [1.0, 0.0]), ValueError, "p.*above 1"),
    (lambda: binary_cross_entropy([0.5, -0.2], [1.0, 0.0]), ValueError,
     "p.*negative"),
    (lambda: binary_cross_entropy([0.5, np.nan], [1.0, 0.0]), ValueError, "p.*NaN"),
    (lambda: binary_cross_entropy([0.5, 0.5], [1.0, 2.0]), ValueError, "y.*above 1"),
    (lambda: binary_cross_entropy([0.5, 0.5], [1.0]), ValueError, "p and y.*shape"),
    (lambda: binary_cross_entropy([0.5, 0.5], [1.0, 0.0], weight=[1.0, 2.0, 3.0]),
     ValueError, "weight.*broadcast"),
    (lambda: binary_cross_entropy_grad([0.5], [1.0], reduction=None), ValueError,
     "reduction"),
    (lambda: binary_cross_entropy_with_logits([np.nan], [1.0]), ValueError,
     "z.*NaN"),
    (lambda: binary_cross_entropy_with_logits([1.0], [np.nan]), ValueError,
     "y.*NaN"),
    (lambda: binary_cross_entropy_with_logits([[1.0, 2.0]], [[1.0, 0.0]],
                                              pos_weight=[1.0, 2.0, 3.0]),
     ValueError, "pos_weight.*broadcast"),
    (lambda: binary_cross_entropy_with_logits([1.0], [1.0], pos_weight=[-1.0]),
     ValueError, "pos_weight.*non-negative"),
    (lambda: binary_cross_entropy_with_logits_grad([1.0], [1.0], weight=[np.inf]),
     ValueError, "weight.*finite"),
    (lambda: binary_cross_entropy_with_logits(["x"], [1.0]), TypeError, "z"),
]


@pytest.mark.parametrize("call,error,match", BAD_CALLS)
def test_bad_input_raises_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_integer_and_list_inputs_become_float64():
    got = softmax_cross_entropy([[1, 2, 3]], [2])
    assert np.asarray(got).dtype == np.float64
    assert eps_error(got, mp_softmax_xent(np.array([[1.0, 2.0, 3.0]]), [2]),
                     np.float64) <= 2


def test_public_names_are_reexported():
    for name in losses.__all__:
        assert getattr(xentlib, name) is getattr(losses, name)
        assert name in xentlib.__all__
