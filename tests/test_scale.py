"""Tests of xentlib.scale: fused linear + cross-entropy, sharding, perplexity.

References, independent of the chunked and sharded code paths:

* the unfused computation: ``xl.softmax_cross_entropy`` of the full logits
  ``hidden @ weight.T`` and its gradient chained by hand (``G W``, ``G^T H``);
* float64 numpy written here from the definition, and mpmath at 100 digits
  (tests/mpref.py) on small cases;
* central finite differences of the loss for the gradients;
* PyTorch autograd, when torch is importable.
"""

import mpmath
import numpy as np
import pytest

import xentlib as xl
from mpref import mp_logsumexp

RNG_SEED = 20261130


def problem(n=13, d=5, vocab=11, seed=0, dtype=np.float64, ignored=()):
    rng = np.random.default_rng(RNG_SEED + seed)
    h = rng.normal(size=(n, d)).astype(dtype)
    w = rng.normal(size=(vocab, d)).astype(dtype)
    y = rng.integers(vocab, size=n)
    y[list(ignored)] = -100
    return h, w, y


def unfused(h, w, y, reduction="mean"):
    z = h @ w.T
    loss = xl.softmax_cross_entropy(z, y, reduction=reduction)
    g = xl.softmax_cross_entropy_grad(z, y, reduction=reduction)
    return loss, g @ w, g.T @ h


def definition64(h, w, y):
    """Mean loss and gradients from the textbook formulas, in float64."""
    h, w = h.astype(np.float64), w.astype(np.float64)
    z = h @ w.T
    kept = y != -100
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rows = -np.log(p[np.arange(len(y)), np.where(kept, y, 0)])
    count = kept.sum()
    onehot = np.zeros_like(p)
    onehot[np.flatnonzero(kept), y[kept]] = 1
    g = (p - onehot) * kept[:, None] / max(count, 1)
    loss = rows[kept].sum() / count if count else 0.0
    return loss, g @ w, g.T @ h


# --- equal to the unfused computation ---------------------------------------

@pytest.mark.parametrize("chunk_size", [None, 1, 4, 5, 13, 100])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_equals_unfused(chunk_size, reduction):
    h, w, y = problem(ignored=(3, 7))
    loss, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=chunk_size,
                                           reduction=reduction)
    ref_loss, ref_gh, ref_gw = unfused(h, w, y, reduction)
    np.testing.assert_allclose(loss, ref_loss, rtol=1e-14, atol=0)
    np.testing.assert_allclose(gh, ref_gh, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gw, ref_gw, rtol=1e-12, atol=1e-15)


def test_equals_float64_definition():
    h, w, y = problem(n=9, d=4, vocab=6, seed=1, ignored=(0,))
    got = xl.linear_cross_entropy(h, w, y, chunk_size=2)
    for a, b in zip(got, definition64(h, w, y)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_loss_matches_mpmath():
    # 100-digit reference from the exact float inputs: mean of lse - z_y.
    h, w, y = problem(n=4, d=3, vocab=5, seed=2)
    z = h @ w.T  # the logits are float64 values; the reference starts here
    with mpmath.workdps(100):
        ref = mpmath.fsum(mp_logsumexp(z[r]) - mpmath.mpf(float(z[r, y[r]]))
                          for r in range(4)) / 4
    loss = xl.linear_cross_entropy(h, w, y, chunk_size=3)[0]
    assert abs(loss - float(ref)) <= 4 * np.finfo(float).eps * float(ref)


def test_float32_close_to_float64():
    h, w, y = problem(n=20, d=8, vocab=50, seed=3, dtype=np.float32)
    loss, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=7)
    assert isinstance(loss, np.float32) and gh.dtype == gw.dtype == np.float32
    ref = definition64(h, w, y)
    np.testing.assert_allclose(loss, ref[0], rtol=1e-5)
    np.testing.assert_allclose(gh, ref[1], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(gw, ref[2], rtol=1e-4, atol=1e-6)


def test_float16_computed_in_float32():
    h, w, y = problem(n=6, d=4, vocab=9, seed=4, dtype=np.float16)
    loss, gh, gw = xl.linear_cross_entropy(h, w, y)
    assert gh.dtype == np.float16 and np.isfinite(gw).all()
    np.testing.assert_allclose(float(loss), definition64(h, w, y)[0],
                               rtol=2e-3)


# --- finite differences ------------------------------------------------------

def test_gradients_match_finite_differences():
    h, w, y = problem(n=5, d=3, vocab=4, seed=5, ignored=(2,))
    _, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=2)
    step = 1e-6

    def loss_at(hh, ww):
        return xl.linear_cross_entropy(hh, ww, y, chunk_size=2)[0]

    for array, grad, which in [(h, gh, 0), (w, gw, 1)]:
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = array.copy(), array.copy()
            plus[index] += step
            minus[index] -= step
            args_p = (plus, w) if which == 0 else (h, plus)
            args_m = (minus, w) if which == 0 else (h, minus)
            numeric[index] = (loss_at(*args_p) - loss_at(*args_m)) / (2 * step)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


# --- ignore_index and edge cases ---------------------------------------------

def test_ignored_rows_have_zero_gradient_and_drop_from_the_mean():
    h, w, y = problem(ignored=(0, 5))
    loss, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=3)
    kept = y != -100
    sub = xl.linear_cross_entropy(h[kept], w, y[kept])
    assert np.all(gh[~kept] == 0)
    np.testing.assert_allclose(loss, sub[0], rtol=1e-14)
    np.testing.assert_allclose(gw, sub[2], rtol=1e-12, atol=1e-15)


def test_custom_ignore_index():
    h, w, y = problem()
    y[2] = 7
    a = xl.linear_cross_entropy(h, w, y, ignore_index=7)
    b = unfused(h, w, np.where(y == 7, -100, y))
    np.testing.assert_allclose(a[0], b[0], rtol=1e-14)


def test_all_ignored_batch_is_zero():
    h, w, _ = problem(n=4)
    loss, gh, gw = xl.linear_cross_entropy(h, w, np.full(4, -100))
    assert loss == 0 and not gh.any() and not gw.any()


def test_empty_batch():
    loss, gh, gw = xl.linear_cross_entropy(np.zeros((0, 3)), np.ones((4, 3)),
                                           np.zeros(0, dtype=int))
    assert loss == 0 and gh.shape == (0, 3) and not gw.any()


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(hidden=np.ones(3)), ValueError, "hidden"),
    (dict(weight=np.ones((4, 2))), ValueError, "weight"),
    (dict(weight=np.full((4, 3), np.nan)), ValueError, "weight"),
    (dict(hidden=[["a", "b", "c"]] * 2), TypeError, "hidden"),
    (dict(labels=[0, 4]), ValueError, "labels"),
    (dict(labels=[0.0, 1.0]), TypeError, "labels"),
    (dict(labels=[0]), ValueError, "labels"),
    (dict(chunk_size=0), ValueError, "chunk_size"),
    (dict(chunk_size=2.0), TypeError, "chunk_size"),
    (dict(reduction="avg"), ValueError, "reduction"),
    (dict(ignore_index=None), TypeError, "ignore_index"),
])
def test_validation_names_the_argument(kwargs, exc, word):
    args = dict(hidden=np.ones((2, 3)), weight=np.ones((4, 3)),
                labels=[0, 1])
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        xl.linear_cross_entropy(args.pop("hidden"), args.pop("weight"),
                                args.pop("labels"), **args)


# --- vocabulary-parallel cross-entropy ---------------------------------------

@pytest.mark.parametrize("n_shards", [1, 2, 3, 4, 5, 7, 12])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_sharded_equals_unsharded(n_shards, reduction):
    # V = 12: shard counts that divide it (1, 2, 3, 4, 12) and not (5, 7)
    rng = np.random.default_rng(RNG_SEED + n_shards)
    z = rng.normal(scale=3, size=(9, 12))
    y = rng.integers(12, size=9)
    y[4] = -100
    loss, grad = xl.sharded_cross_entropy(z, y, n_shards,
                                          reduction=reduction)
    ref = xl.softmax_cross_entropy(z, y, reduction=reduction)
    ref_grad = xl.softmax_cross_entropy_grad(z, y, reduction=reduction)
    eps = np.finfo(float).eps
    np.testing.assert_allclose(loss, ref, rtol=8 * eps, atol=0)
    np.testing.assert_allclose(grad, ref_grad, rtol=0, atol=8 * eps)


def test_sharded_float32_and_labels_at_shard_edges():
    z = np.random.default_rng(RNG_SEED).normal(size=(6, 10)).astype(np.float32)
    y = np.array([0, 3, 4, 5, 9, 2])  # 3 shards of sizes 4, 3, 3
    loss, grad = xl.sharded_cross_entropy(z, y, 3, reduction="none")
    ref = xl.softmax_cross_entropy(z, y, reduction="none")
    assert loss.dtype == grad.dtype == np.float32
    np.testing.assert_allclose(loss, ref, rtol=1e-6)


def test_sharded_matches_mpmath():
    z = np.array([[1000.0, 999.0, -3.0, 0.5, 998.0]])
    loss, _ = xl.sharded_cross_entropy(z, [3], 2)
    ref = mp_logsumexp(z[0]) - mpmath.mpf(0.5)
    assert abs(loss - float(ref)) <= 2 * np.finfo(float).eps * float(ref)


@pytest.mark.parametrize("n_shards, exc", [(0, ValueError), (6, ValueError),
                                           (2.0, TypeError)])
def test_sharded_validation(n_shards, exc):
    with pytest.raises(exc, match="n_shards"):
        xl.sharded_cross_entropy(np.zeros((2, 5)), [0, 1], n_shards)


def test_sharded_all_ignored():
    loss, grad = xl.sharded_cross_entropy(np.ones((3, 4)), [-100] * 3, 2)
    assert loss == 0 and not grad.any()


# --- perplexity --------------------------------------------------------------

def test_perplexity_of_uniform_model_is_vocabulary_size():
    for vocab in [2, 10, 50_000]:
        z = np.zeros((3, vocab))
        ce = xl.softmax_cross_entropy(z, [0, 1, 1])
        np.testing.assert_allclose(xl.perplexity(ce), vocab, rtol=1e-12)


def test_perplexity_is_inverse_geometric_mean():
    p = np.array([0.5, 0.1, 0.9, 0.25])
    expected = float(np.prod(p) ** (-1 / 4))
    np.testing.assert_allclose(xl.perplexity(-np.log(p)), expected,
                               rtol=1e-14)
    np.testing.assert_allclose(xl.perplexity(-np.log2(p), base=2), expected,
                               rtol=1e-14)


def test_perplexity_edges_and_validation():
    assert xl.perplexity([0.0, np.inf]) == np.inf
    for bad, exc in [([], ValueError), ([-1.0], ValueError),
                     ([np.nan], ValueError), (np.ones((2, 2)), ValueError)]:
        with pytest.raises(exc, match="neg_log_probs"):
            xl.perplexity(bad)
    for base, exc in [(1, ValueError), (-2, ValueError), ("2", TypeError)]:
        with pytest.raises(exc, match="base"):
            xl.perplexity([1.0], base=base)


# --- PyTorch, if installed ---------------------------------------------------

def test_matches_torch():
    torch = pytest.importorskip("torch")
    h, w, y = problem(n=10, d=4, vocab=7, seed=6, ignored=(1,))
    th = torch.tensor(h, requires_grad=True)
    tw = torch.tensor(w, requires_grad=True)
    out = torch.nn.functional.cross_entropy(th @ tw.T, torch.tensor(y))
    out.backward()
    loss, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=3)
    np.testing.assert_allclose(loss, out.item(), rtol=1e-13)
    np.testing.assert_allclose(gh, th.grad.numpy(), rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=1e-11, atol=1e-15)


# --- recompute, gradient filtering, the default chunk (issue 13) ------------

@pytest.mark.parametrize("chunk_size", [None, 1, 4, 13])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_recompute_equals_one_pass(chunk_size, reduction):
    h, w, y = problem(ignored=(2, 9))
    one = xl.linear_cross_entropy(h, w, y, chunk_size=chunk_size,
                                  reduction=reduction)
    two = xl.linear_cross_entropy(h, w, y, chunk_size=chunk_size,
                                  reduction=reduction, recompute=True)
    ref = unfused(h, w, y, reduction)
    for a, b, r in zip(one, two, ref):
        np.testing.assert_allclose(a, r, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b, r, rtol=1e-12, atol=1e-15)


def filtered_reference(h, w, y, eps, chunk, tile):
    """Dense G; zero every (chunk x tile) block with all |p - onehot| < eps."""
    z = h @ w.T
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    kept = y != -100
    d = p.copy()
    d[np.flatnonzero(kept), y[kept]] -= 1
    d[~kept] = 0
    g = d * kept[:, None] / kept.sum()
    for i in range(0, len(y), chunk):
        for a in range(0, w.shape[0], tile):
            block = d[i:i + chunk, a:a + tile]
            rows_kept = kept[i:i + chunk]
            if (np.abs(block[rows_kept]) < eps).all():
                g[i:i + chunk, a:a + tile] = 0
    return g @ w, g.T @ h


@pytest.mark.parametrize("eps", [0.0, 1e-3, 0.05, 0.3])
@pytest.mark.parametrize("recompute", [False, True])
def test_filtering_skips_exactly_the_small_tiles(eps, recompute):
    h, w, y = problem(n=20, d=4, vocab=30, ignored=(5,))
    h *= 2.0
    loss, gh, gw = xl.linear_cross_entropy(h, w, y, chunk_size=6,
                                           filter_eps=eps, vocab_tile=7,
                                           recompute=recompute)
    ref_h, ref_w = filtered_reference(h, w, y, eps, 6, 7)
    np.testing.assert_allclose(gh, ref_h, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gw, ref_w, rtol=1e-12, atol=1e-15)
    assert np.isclose(loss, unfused(h, w, y)[0], rtol=1e-12)  # loss unchanged


def test_filter_zero_is_exact_and_huge_keeps_only_label_tiles():
    h, w, y = problem(n=16, d=3, vocab=40)
    exact = unfused(h, w, y)
    got = xl.linear_cross_entropy(h, w, y, filter_eps=0.0, vocab_tile=8)
    np.testing.assert_allclose(got[2], exact[2], rtol=1e-12, atol=1e-15)
    # |p_y - 1| < 1 always: eps = 1 keeps nothing but rows with p_y - 1 <= -1
    _, gh, gw = xl.linear_cross_entropy(h, w, y, filter_eps=1.0, vocab_tile=8)
    assert not gw.any() and not gh.any()


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_filter_eps_validation(bad):
    h, w, y = problem()
    with pytest.raises(ValueError, match="filter_eps"):
        xl.linear_cross_entropy(h, w, y, filter_eps=bad)


@pytest.mark.parametrize("n, vocab, dim, expected", [
    (8192, 128000, 512, 136),   # 0.25 * 136192 * 512 / 128000 = 136.19
    (2048, 32000, 256, 68),     # 0.25 * 34048 * 256 / 32000 = 68.1
    (10, 1_000_000, 2, 1),      # never below one row
    (5, 7, 30, 5),              # never above N
    (0, 7, 3, 1),               # an empty batch still gets a valid chunk
])
def test_default_chunk_size_rule(n, vocab, dim, expected):
    assert xl.scale.default_chunk_size(n, vocab, dim) == expected


def test_default_peak_memory_within_one_and_a_half_gradients():
    import tracemalloc

    h, w, y = problem(n=512, d=64, vocab=6000, dtype=np.float32)
    grad_bytes = (h.size + w.size) * 4
    tracemalloc.start()
    tracemalloc.reset_peak()
    xl.linear_cross_entropy(h, w, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak <= 1.5 * grad_bytes, peak / grad_bytes
