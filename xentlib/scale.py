"""Cross-entropy at scale: fused linear + cross-entropy, vocabulary shards.

A language model's last layer turns hidden states ``H`` (N, d) into logits
``Z = H W^T`` (N, V) over a vocabulary of V tokens, and the loss is the
softmax cross-entropy of ``Z``. For large V the logits (and their gradient)
are by far the largest arrays of the step. :func:`linear_cross_entropy`
computes the loss and the gradients with respect to ``H`` and ``W`` chunk by
chunk over the tokens, so that only a (chunk, V) block of logits ever exists;
:func:`sharded_cross_entropy` simulates the vocabulary-parallel loss, where
each of S devices holds a slice of the vocabulary and the devices exchange
only per-token maxima and sums (an all-reduce). :func:`perplexity` turns a
cross-entropy per token into the number the language-modelling literature
reports.

The semantics of ``labels``, ``ignore_index`` and ``reduction`` are those
of :func:`xentlib.losses.softmax_cross_entropy` (and PyTorch): the mean
divides by the number of tokens not ignored, a mean over no tokens is 0 with
zero gradients, and for ``reduction="none"`` the gradients are those of the sum.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._reduction import kept_rows, reduce_rows, row_scale
from ._validation import (
    as_float_array,
    as_int,
    check_base,
    check_finite,
    check_reduction,
    class_labels,
    positive_int,
    working_dtype,
)

__all__ = [
    "linear_cross_entropy",
    "default_chunk_size",
    "sharded_cross_entropy",
    "perplexity",
]

# Default chunk (rows of tokens): the largest whose (chunk, V) block of logits
# takes at most _CHUNK_SHARE of the bytes of the gradients the function
# returns, (N + V) d; see linear_cross_entropy's Notes for how it was chosen.
_CHUNK_SHARE = 0.25
# Columns of the vocabulary per update of the weight gradient: the temporary
# G_c[:, cols]^T H_c is (tile, d), not (V, d); the tile is at most 4096 rows
# and at most a tenth of the gradients, (N + V) / 10 rows of d.
_VOCAB_TILE = 4096
_TILE_SHARE = 0.1


def default_chunk_size(n: int, vocab: int, dim: int) -> int:
    r"""Tokens per chunk that :func:`linear_cross_entropy` uses by default.

    .. math::

        c = \min\Bigl(N,\ \max\Bigl(1,\ \Bigl\lfloor
            \tfrac14 \, \frac{(N + V)\, d}{V} \Bigr\rfloor\Bigr)\Bigr),

    the largest chunk whose (c, V) block of logits is at most a quarter of
    the gradients the function returns, :math:`(N + V) d` numbers.

    Parameters
    ----------
    n, vocab, dim : int
        Tokens N, vocabulary size V and hidden dimension d.

    Returns
    -------
    int
        The chunk size, between 1 and ``max(n, 1)``.

    Notes
    -----
    Chosen by measurement, not asserted (issue 13): the goal was the
    default within 1.25 times the CPU time of the materialised numpy
    computation (``Z = H @ W.T``, then the loss and its gradient, then
    ``G @ W`` and ``G.T @ H``) at no more than 1.5 times the memory of the
    gradients the function must return. With the weight gradient updated
    tile by tile (no (V, d) temporary) and one block reused, the time is
    flat in the chunk from a few dozen rows up, and the memory grows with
    it. ``benchmarks/bench_linear_cross_entropy.py`` (float32, one BLAS
    thread, CPU time, peak by ``tracemalloc``) measured on a 2-core VM, for
    N = 2048, V = 32000, d = 256: this default (68 rows) at 0.82 times the
    materialised time and 1.35 times the gradients' memory; 128 rows 0.73
    times but 1.57 times the memory; 16 rows 1.20 times. The previous
    default, about 32 MiB of logits per chunk (262 rows here), with the
    previous (V, d) temporary, was a little faster (0.78 times) but took
    3.9 times the gradients' memory. The
    results are in ``benchmarks/README.md``; chapter 12 plots them.

    Examples
    --------
    >>> default_chunk_size(8192, 128000, 512)
    136
    """
    n = max(int(n), 1)
    return min(n, max(1, int(_CHUNK_SHARE * (n + vocab) * dim // vocab)))


def _as_matrix(x: Any, name: str) -> Any:
    array = as_float_array(x, name)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {array.shape}")
    check_finite(array, name)
    return array


def _labels(
    labels: npt.ArrayLike, n: int, n_classes: int, ignore_index: int
) -> tuple[Any, Any, Any]:
    """Validated labels (N,), the kept mask and the row weights (0 or 1)."""
    y = class_labels(labels, "labels", (n,), n_classes, ignore_index)
    return kept_rows(y, None, ignore_index)


def _raise_if_logits_overflow(logits: np.ndarray, row0: int) -> None:
    """``hidden @ weight.T`` of finite inputs can still overflow to inf."""
    bad = _kernels.first_bad_row(logits.max(axis=1))
    if bad is None and np.isfinite(logits.min(axis=1)).all():
        return
    row = row0 + (
        bad[0] if bad else int(np.flatnonzero(~np.isfinite(logits.min(axis=1)))[0])
    )
    raise ValueError(
        f"hidden @ weight.T overflows in row {row} of hidden (logits beyond "
        f"the float range of {logits.dtype}): scale hidden or weight down"
    )


def _lse_rows(z: np.ndarray, y: Any) -> tuple[Any, Any]:
    """Per-row log-sum-exp and ``-log softmax(z)[y]``; ``z`` is overwritten.

    The forward pass of the recomputing variant keeps only these N numbers.
    """
    r = np.arange(len(y))
    m = z.max(axis=1)
    z_y = z[r, y]
    with np.errstate(over="ignore"):  # z - m below -max float: exp 0
        np.subtract(z, m[:, None], out=z)
    np.exp(z, out=z)
    lse = m + np.log(z.sum(axis=1))
    return lse, lse - z_y


def _grad_rows(g: np.ndarray, y: Any, lse: Any, coef: Any) -> None:
    """Overwrite the logits ``g`` with ``coef (softmax - onehot)`` from the LSE."""
    r = np.arange(len(y))
    with np.errstate(over="ignore"):
        np.subtract(g, lse[:, None], out=g)
    np.exp(g, out=g)
    g[r, y] -= 1
    g *= coef[:, None]


def _limit(filter_eps: float | None, coef: Any) -> Any:
    """Per row, the bound on ``|G|`` below which a tile is filtered.

    ``G = coef (p - onehot)``, so ``|p - onehot| < eps`` is ``|G| < eps coef``;
    ignored rows (``coef = 0``, ``G = 0``) never stop a tile from being skipped.
    """
    if filter_eps is None:
        return None
    return np.where(coef > 0, filter_eps * coef, np.inf)


def _contract(
    g: np.ndarray,
    h_c: np.ndarray,
    w: np.ndarray,
    grad_h_c: np.ndarray,
    grad_w: np.ndarray,
    tile: int,
    limit: Any,
    skipped: list[int],
) -> None:
    """``grad_h_c = G_c W`` and ``grad_w += G_c^T H_c``, tile by tile of columns.

    With ``limit`` (per row: ``eps * coef``) a tile whose entries are all
    below it in magnitude is skipped (gradient filtering); its count is
    appended to ``skipped``.
    """
    vocab = w.shape[0]
    tmp_w = np.empty((min(tile, vocab), w.shape[1]), dtype=w.dtype)
    if limit is None:
        np.matmul(g, w, out=grad_h_c)
    else:
        grad_h_c[...] = 0
        tmp_h = np.empty_like(grad_h_c)
    n_skipped = 0
    for a in range(0, vocab, tile):
        b = min(a + tile, vocab)
        g_t = g[:, a:b]
        if limit is not None:
            if (np.abs(g_t).max(axis=1) < limit).all():
                n_skipped += 1
                continue
            np.matmul(g_t, w[a:b], out=tmp_h)
            grad_h_c += tmp_h
        t = tmp_w[: b - a]
        np.matmul(g_t.T, h_c, out=t)
        grad_w[a:b] += t
    skipped.append(n_skipped)


def linear_cross_entropy(
    hidden: npt.ArrayLike,
    weight: npt.ArrayLike | None,
    labels: npt.ArrayLike,
    *,
    chunk_size: int | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    recompute: bool = False,
    filter_eps: float | None = None,
    vocab_tile: int | None = None,
) -> tuple[Any, np.ndarray, np.ndarray]:
    r"""Cross-entropy of ``hidden @ weight.T``, without the N x V logits.

    Loss and gradients of

    .. math::

        L = \frac{1}{N_{\mathrm{kept}}} \sum_{n\ \mathrm{kept}}
            \Bigl(\log \sum_{v=1}^{V} e^{z_{nv}} - z_{n y_n}\Bigr),
        \qquad Z = H W^{\mathsf T},

    with :math:`G = \partial L / \partial Z = (P - Y) / N_{\mathrm{kept}}`
    (rows of ignored tokens zero), :math:`\partial L / \partial H = G W` and
    :math:`\partial L / \partial W = G^{\mathsf T} H`.

    Parameters
    ----------
    hidden : array_like, shape (N, d)
        Hidden states, one row per token; finite.
    weight : array_like, shape (V, d)
        The output embedding (``nn.Linear(d, V, bias=False).weight``); finite.
    labels : array_like of int, shape (N,)
        Target token ids in ``[0, V)`` or ``ignore_index``.
    chunk_size : int, optional
        Tokens per chunk; by default :func:`default_chunk_size` (the (c, V)
        block of logits at most a quarter of the returned gradients).
    ignore_index : int, default -100
        Tokens with this label contribute nothing (padding).
    reduction : {"mean", "sum", "none"}, default "mean"
    recompute : bool, default False
        False: each chunk's logits are computed once and turned into its
        gradient in the same pass (Liger-Kernel's choice). True: a first
        pass keeps only each token's log-sum-exp (N numbers), a second pass
        computes the logits again to form the gradients (Cut Cross-Entropy's
        forward and backward): one more (N, d) x (d, V) product.
    filter_eps : float, optional
        Gradient filtering: skip the contractions of a tile (a chunk of
        tokens times ``vocab_tile`` columns) whose every entry of
        ``softmax - onehot`` is below ``filter_eps`` in magnitude (Cut
        Cross-Entropy uses ``finfo(dtype).eps / 32``, :math:`2^{-12}` for
        bfloat16). Changes the gradients, not the loss. None (default):
        exact.
    vocab_tile : int, optional
        Columns per tile of the gradient contractions: by default 4096 or a
        tenth of N + V rows if fewer (the (tile, d) temporary then stays
        within a tenth of the gradients), 128 when filtering (a smaller tile
        is skipped more often).

    Returns
    -------
    loss : float or ndarray
        Scalar, or shape (N,) for ``"none"``.
    grad_hidden : ndarray, shape (N, d)
    grad_weight : ndarray, shape (V, d)
        Gradients of the loss (of the summed losses for ``"none"``), in the
        result dtype of ``hidden`` and ``weight``.

    Notes
    -----
    For each chunk of ``c`` tokens the (c, V) logits are written into one
    reused block, passed through the fused softmax cross-entropy kernel of
    :func:`xentlib.losses.softmax_cross_entropy_with_grad` (shift by the row
    maximum, exponentiate in place, scale into ``coef * (p - onehot)``),
    and the block of logit gradients ``G_c`` is contracted at once:
    ``grad_hidden[c] = G_c W`` and ``grad_weight += G_c^T H_c``, the latter
    ``vocab_tile`` rows of ``grad_weight`` at a time, so that no (V, d)
    temporary exists. The extra memory is one (c, V) block and a
    (``vocab_tile``, d) tile instead of two (N, V) arrays. float16 inputs
    are computed in float32.

    The default chunk was measured, not guessed: see
    :func:`default_chunk_size` and ``benchmarks/README.md``.

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import linear_cross_entropy, softmax_cross_entropy
    >>> rng = np.random.default_rng(0)
    >>> h, w = rng.normal(size=(5, 3)), rng.normal(size=(7, 3))
    >>> y = np.array([0, 6, 2, -100, 3])
    >>> loss, gh, gw = linear_cross_entropy(h, w, y, chunk_size=2)
    >>> print(round(float(loss), 6),
    ...       round(float(softmax_cross_entropy(h @ w.T, y)), 6))
    2.66088 2.66088
    >>> gh.shape, gw.shape
    ((5, 3), (7, 3))
    >>> again = linear_cross_entropy(h, w, y, chunk_size=2, recompute=True)
    >>> bool(np.allclose(again[2], gw))
    True
    """
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    h = _as_matrix(hidden, "hidden")
    w = _as_matrix(weight, "weight")
    if h.shape[1] != w.shape[1]:
        raise ValueError(
            f"hidden (N, d) and weight (V, d) must agree in d, got shapes "
            f"{h.shape} and {w.shape}"
        )
    n, vocab = h.shape[0], w.shape[0]
    if vocab == 0:
        raise ValueError("weight must have at least one row (V >= 1)")
    y, _kept, row_w = _labels(labels, n, vocab, ignore_index)
    if filter_eps is not None:
        filter_eps = float(filter_eps)
        if not (filter_eps >= 0 and np.isfinite(filter_eps)):
            raise ValueError(
                f"filter_eps must be a finite number >= 0, got {filter_eps!r}"
            )
    if chunk_size is None:
        chunk_size = default_chunk_size(n, vocab, h.shape[1])
    chunk_size = positive_int(chunk_size, "chunk_size")
    if vocab_tile is None and filter_eps is not None:
        vocab_tile = 128
    elif vocab_tile is None:
        vocab_tile = min(_VOCAB_TILE, max(1, int(_TILE_SHARE * (n + vocab))))
    vocab_tile = positive_int(vocab_tile, "vocab_tile")
    dtype = np.result_type(h.dtype, w.dtype)
    work = np.dtype(working_dtype(dtype))

    denominator = row_w.sum()
    coef_all = (row_w * row_scale(reduction, denominator)).astype(work)
    hw, ww = h.astype(work, copy=False), w.astype(work, copy=False)
    rows = np.zeros(n, dtype=work)
    grad_h = np.empty((n, h.shape[1]), dtype=work)
    grad_w = np.zeros(w.shape, dtype=work)
    block = np.empty((min(chunk_size, max(n, 1)), vocab), dtype=work)
    skipped: list[int] = []
    lse = np.empty(n if recompute else 0, dtype=work)  # recompute: the N LSEs

    def logits(i: int, j: int) -> np.ndarray:
        g = block[: j - i]
        with np.errstate(over="ignore", invalid="ignore"):  # checked below
            np.matmul(hw[i:j], ww.T, out=g)
        _raise_if_logits_overflow(g, i)
        return g

    def contract(g: Any, i: int, j: int, coef: Any) -> None:
        # dL/dZ of rows i:j into grad_hidden and grad_weight, tile by tile
        _contract(
            g,
            hw[i:j],
            ww,
            grad_h[i:j],
            grad_w,
            vocab_tile,
            _limit(filter_eps, coef),
            skipped,
        )

    for i in range(0, n, chunk_size):
        j = min(i + chunk_size, n)
        g = logits(i, j)
        coef = coef_all[i:j]
        if recompute:  # forward: keep the N log-sum-exps only
            lse[i:j], loss = _lse_rows(g, y[i:j])
        else:
            loss = _kernels.xent_class_rows(g, y[i:j], coef, g)
            contract(g, i, j, coef)
        rows[i:j] = _kernels.times(row_w[i:j], loss)
    if recompute:  # backward: the logits again, chunk by chunk
        for i in range(0, n, chunk_size):
            j = min(i + chunk_size, n)
            g = logits(i, j)
            coef = coef_all[i:j]
            _grad_rows(g, y[i:j], lse[i:j], coef)
            contract(g, i, j, coef)
    return (
        reduce_rows(rows, reduction, denominator, dtype),
        grad_h.astype(dtype, copy=False),
        grad_w.astype(dtype, copy=False),
    )


def sharded_cross_entropy(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    n_shards: int,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> tuple[Any, np.ndarray]:
    r"""Vocabulary-parallel cross-entropy, simulated over ``n_shards`` shards.

    The V columns of ``logits`` are split into ``n_shards`` contiguous
    slices (``np.array_split``: sizes differ by at most one when S does not
    divide V). Each shard computes, per token, its local maximum; an
    all-reduce (max) gives the global maximum :math:`M`; each shard computes
    its local sum :math:`s_k = \sum_{v \in k} e^{z_v - M}` and the target
    logit if it owns the label (0 otherwise); an all-reduce (sum) gives

    .. math::

        \ell = M + \log \sum_{k=1}^{S} s_k - z_y,
        \qquad
        \frac{\partial \ell}{\partial z_v} = \frac{e^{z_v - M}}{\sum_k s_k}
        - [v = y],

    each shard computing the gradient of its own columns.

    Parameters
    ----------
    logits : array_like, shape (N, V)
        Finite logits.
    labels : array_like of int, shape (N,)
        Class indices in ``[0, V)`` or ``ignore_index``.
    n_shards : int
        Number of shards S, ``1 <= S <= V``.
    ignore_index : int, default -100
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    loss : float or ndarray
        As :func:`xentlib.losses.softmax_cross_entropy`.
    grad : ndarray, shape (N, V)
        Gradient with respect to ``logits``, assembled from the shards.

    Notes
    -----
    Only O(N) numbers per shard cross the (simulated) network: the maxima,
    the sums and the target logits. Using the global maximum for every
    shard's sum (Megatron-LM's choice) makes the result differ from the
    unsharded loss only by the order of the additions, a few units in the
    last place. The merge identity for per-shard pairs
    :math:`(m_k, \sum_{v \in k} e^{z_v - m_k})` is derived in chapter 12.

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import sharded_cross_entropy, softmax_cross_entropy
    >>> z = np.array([[2.0, 1.0, 0.1, -1.0, 0.5], [0.3, 0.2, 3.0, 1.0, 0.0]])
    >>> loss, grad = sharded_cross_entropy(z, [0, 4], n_shards=2)
    >>> ref = softmax_cross_entropy(z, [0, 4])
    >>> print(round(float(loss), 6), round(float(ref), 6))
    1.92742 1.92742
    """
    reduction = check_reduction(reduction)
    ignore_index = as_int(ignore_index, "ignore_index")
    z = _as_matrix(logits, "logits")
    n, vocab = z.shape
    if vocab == 0:
        raise ValueError("logits must have at least one class (V >= 1)")
    n_shards = positive_int(n_shards, "n_shards")
    if n_shards > vocab:
        raise ValueError(
            f"n_shards must be at most the vocabulary size {vocab}, got {n_shards}"
        )
    y, _kept, row_w = _labels(labels, n, vocab, ignore_index)
    dtype = z.dtype
    work = working_dtype(dtype)
    shards = np.array_split(z.astype(work, copy=False), n_shards, axis=1)
    starts = np.cumsum([0] + [s.shape[1] for s in shards])

    # all-reduce 1: the maximum over the shards' local maxima
    local_max = np.stack([s.max(axis=1) for s in shards])
    m = local_max.max(axis=0)
    # each shard: exponentials with the global max; the owner of a label
    # also sends its shifted target logit u = z_y - M and e^u, and leaves
    # e^u out of its sum, so that the sum is of the *other* terms (rest)
    with np.errstate(over="ignore"):  # s - M below -max float: exp 0
        exps = [np.exp(s - m[:, None]) for s in shards]
    local_u = np.zeros((n_shards, n), dtype=work)
    local_e = np.zeros((n_shards, n), dtype=work)
    owned = []
    for k, (s, e) in enumerate(zip(shards, exps, strict=True)):
        own = np.flatnonzero((y >= starts[k]) & (y < starts[k + 1]))
        col = y[own] - starts[k]
        with np.errstate(over="ignore"):  # -inf: a loss beyond the float range
            local_u[k, own] = s[own, col] - m[own]
        local_e[k, own] = e[own, col]
        owned.append((own, col))
    local_rest = np.stack([e.sum(axis=1) for e in exps]) - local_e
    # all-reduce 2: the sums (one shard contributes u and e^u per token)
    rest = local_rest.sum(axis=0)
    u = local_u.sum(axis=0)
    total = rest + local_e.sum(axis=0)

    # as the unsharded kernel: log1p(rest) keeps a tiny loss accurate
    loss = np.where(u == 0, np.log1p(rest), np.log(total) - u)
    rows = _kernels.times(row_w, loss)
    coef = (row_w * row_scale(reduction, row_w.sum())).astype(work)
    grads = []
    for (own, col), e in zip(owned, exps, strict=True):  # each shard's own columns
        g = e * (coef / total)[:, None]
        g[own, col] = -coef[own] * rest[own] / total[own]  # p_y - 1
        grads.append(g)
    return (
        reduce_rows(rows, reduction, row_w.sum(), dtype),
        np.concatenate(grads, axis=1).astype(dtype),
    )


def perplexity(neg_log_probs: npt.ArrayLike, *, base: float | None = None) -> float:
    r"""Perplexity: the exponential of the mean surprisal per token.

    .. math::

        \mathrm{PPL} = b^{\frac{1}{T}\sum_{t=1}^{T} -\log_b p(x_t)}
        = \Bigl(\prod_{t=1}^{T} p(x_t)\Bigr)^{-1/T},

    independent of the base :math:`b` the surprisals are measured in.

    Parameters
    ----------
    neg_log_probs : array_like, shape (T,) or ()
        Per-token surprisals :math:`-\log_b p(x_t)` (or one mean
        cross-entropy per token); non-negative, ``+inf`` allowed.
    base : float, optional
        The base of the logarithms: ``None`` for nats (e), 2 for bits.

    Returns
    -------
    float
        The perplexity, at least 1 (``inf`` if a token had probability 0).

    Notes
    -----
    The mean is accumulated in float64. A model that predicts the uniform
    distribution over V tokens has perplexity exactly V.

    See chapter 12, *Cross-entropy at scale*.

    Examples
    --------
    >>> import numpy as np
    >>> from xentlib import perplexity
    >>> print(round(perplexity(-np.log([0.5, 0.25, 0.125])), 6))
    4.0
    >>> print(round(perplexity([1.0, 2.0, 3.0], base=2), 6))
    4.0
    """
    s = as_float_array(neg_log_probs, "neg_log_probs").astype(np.float64)
    if s.ndim > 1:
        raise ValueError(f"neg_log_probs must be a scalar or 1-D, got shape {s.shape}")
    if s.size == 0:
        raise ValueError("neg_log_probs is empty: no tokens to average")
    if np.isnan(s).any():
        raise ValueError("neg_log_probs contains NaN")
    if (s < 0).any():
        raise ValueError(f"neg_log_probs must be non-negative (min {float(s.min())!r})")
    base = check_base(base)
    if base is None:
        return float(np.exp(s.mean()))
    return float(np.power(base, s.mean()))
