r"""SymPy derivations for chapter 12, *Cross-entropy at scale*.

* **Word2vec's full softmax.** The skip-gram loss of a centre word with
  vector :math:`v` and a context word :math:`o`,
  :math:`L = -u_o^{\mathsf T} v + \log \sum_{w=1}^{V} e^{u_w^{\mathsf T} v}`,
  has the gradient :math:`\partial L / \partial v = \sum_w p_w u_w - u_o
  = U^{\mathsf T}(p - e_o)`: chapter 7's :math:`p - q` times the output
  embeddings. The general form is written with ``Sum`` over a symbolic
  vocabulary ``V`` and dimension ``D``; it is checked by differentiating it
  for concrete sizes.
* **Perplexity.** The cross-entropy of the uniform model is
  :math:`\log V` times the total target mass, so the perplexity of the
  uniform model is ``V`` (symbolic ``V``); :math:`2^{H / \log 2} = e^{H}`,
  so perplexity does not depend on the unit.
* **The log-sum-exp merge identity**, for a symbolic number of shards ``S``
  of symbolic sizes :math:`n_k`, and any shifts :math:`m_k` and :math:`M`:
  :math:`\log \sum_k \sum_{v} e^{z_{kv}}
  = M + \log \sum_k e^{m_k - M} \sum_v e^{z_{kv} - m_k}`.
* **The linear layer's gradients**: with :math:`Z = H W^{\mathsf T}` and
  :math:`G = \partial L / \partial Z`, :math:`\partial L / \partial H = G W`
  and :math:`\partial L / \partial W = G^{\mathsf T} H`, checked entry by
  entry for concrete sizes.

See chapter 12, *Cross-entropy at scale*.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ._core import Identity, all_hold
from .symbols import i, j, k, q, z

__all__ = [
    "V",
    "D",
    "S",
    "w",
    "j",
    "k",
    "o",
    "u",
    "v",
    "q",
    "i",
    "z",
    "n",
    "m",
    "M",
    "H_nats",
    "skipgram_score",
    "skipgram_loss",
    "skipgram_probability",
    "skipgram_center_gradient",
    "skipgram_output_gradient",
    "skipgram_gradients_hold",
    "uniform_cross_entropy",
    "uniform_perplexity",
    "perplexity_in_bits",
    "logsumexp_union",
    "logsumexp_merged",
    "logsumexp_merge_identity",
    "shard_sum",
    "linear_gradients",
    "linear_gradients_hold",
]

#: Vocabulary size, embedding dimension and number of shards.
V = sp.Symbol("V", integer=True, positive=True)
D = sp.Symbol("D", integer=True, positive=True)
S = sp.Symbol("S", integer=True, positive=True)
#: The index of a vocabulary word (``j`` of an embedding coordinate and
#: ``k`` of a shard are shared symbols).
w = sp.Symbol("w", integer=True, positive=True)
#: The observed context word (the label).
o = sp.Symbol("o", integer=True, positive=True)
#: Output embeddings u[w, j] (rows of U) and the centre word's vector v[j].
u = sp.IndexedBase("u", real=True)
v = sp.IndexedBase("v", real=True)
#: The target distribution over the vocabulary is the shared ``q[i]``;
#: sharded logits are the shared ``z[k, i]`` (entry i of shard k). Shard
#: sizes n[k], shard shifts m[k] and the common shift M:
n = sp.IndexedBase("n", integer=True, positive=True)
m = sp.IndexedBase("m", real=True)
M = sp.Symbol("M", real=True)
#: A cross-entropy in nats.
H_nats = sp.Symbol("H", nonnegative=True)


def skipgram_score(word: int | sp.Expr, dim: int | sp.Expr = D) -> sp.Expr:
    r"""The logit of ``word``: :math:`u_w^{\mathsf T} v = \sum_j u_{wj} v_j`."""
    return sp.Sum(u[word, j] * v[j], (j, 1, dim))


def skipgram_loss(
    vocab: int | sp.Expr = V, dim: int | sp.Expr = D, label: int | sp.Expr = o
) -> sp.Expr:
    r"""Skip-gram's full-softmax loss :math:`-\log \operatorname{softmax}(Uv)_o`.

    .. math::

        L = -\sum_j u_{oj} v_j + \log \sum_{w=1}^{V} e^{\sum_j u_{wj} v_j}

    Examples
    --------
    >>> print(skipgram_loss(2, 1, 1).doit())
    log(exp(u[1, 1]*v[1]) + exp(u[2, 1]*v[1])) - u[1, 1]*v[1]
    """
    return -skipgram_score(label, dim) + sp.log(
        sp.Sum(sp.exp(skipgram_score(w, dim)), (w, 1, vocab))
    )


def skipgram_probability(
    word: int | sp.Expr, vocab: int | sp.Expr = V, dim: int | sp.Expr = D
) -> sp.Expr:
    r""":math:`p_w = e^{u_w^{\mathsf T} v} / \sum_{w'} e^{u_{w'}^{\mathsf T} v}`."""
    other = sp.Symbol("w'", integer=True, positive=True)
    return sp.exp(skipgram_score(word, dim)) / sp.Sum(
        sp.exp(skipgram_score(other, dim)), (other, 1, vocab)
    )


def skipgram_center_gradient(
    coord: int | sp.Expr = j,
    vocab: int | sp.Expr = V,
    dim: int | sp.Expr = D,
    label: int | sp.Expr = o,
) -> sp.Expr:
    r"""The claimed :math:`\partial L / \partial v_j
    = \sum_w p_w u_{wj} - u_{oj}` (entry ``j`` of :math:`U^{\mathsf T}(p - e_o)`).
    """
    return (
        sp.Sum(skipgram_probability(w, vocab, dim) * u[w, coord], (w, 1, vocab))
        - u[label, coord]
    )


def skipgram_output_gradient(
    word: int | sp.Expr = w,
    coord: int | sp.Expr = j,
    vocab: int | sp.Expr = V,
    dim: int | sp.Expr = D,
    label: int | sp.Expr = o,
) -> sp.Expr:
    r"""The claimed :math:`\partial L / \partial u_{wj} = (p_w - [w = o])\, v_j`."""
    return (
        skipgram_probability(word, vocab, dim) - sp.KroneckerDelta(word, label)
    ) * v[coord]


def skipgram_gradients_hold(vocab: int = 3, dim: int = 2, label: int = 1) -> bool:
    r"""Differentiate :func:`skipgram_loss` for concrete sizes and compare.

    Every :math:`\partial L / \partial v_j` and
    :math:`\partial L / \partial u_{wj}` of SymPy's derivative of the
    concrete loss must equal :func:`skipgram_center_gradient` and
    :func:`skipgram_output_gradient` instantiated at the same sizes.

    Examples
    --------
    >>> skipgram_gradients_hold(3, 2, 1)
    True
    """
    loss = skipgram_loss(vocab, dim, label).doit()
    derived, claimed = [], []
    for c in range(1, dim + 1):
        derived.append(loss.diff(v[c]))
        claimed.append(skipgram_center_gradient(c, vocab, dim, label).doit())
        for word in range(1, vocab + 1):
            derived.append(loss.diff(u[word, c]))
            claimed.append(skipgram_output_gradient(word, c, vocab, dim, label).doit())
    return all_hold(derived, claimed)


def uniform_cross_entropy(vocab: int | sp.Expr = V) -> Identity:
    r"""Cross-entropy against the uniform model, for a symbolic ``V``.

    .. math::

        -\sum_{i=1}^{V} q_i \log \frac{1}{V} = \log V \sum_{i=1}^{V} q_i

    Examples
    --------
    >>> uniform_cross_entropy().holds()
    True
    """
    return Identity(
        -sp.Sum(q[i] * sp.log(1 / vocab), (i, 1, vocab)),
        sp.log(vocab) * sp.Sum(q[i], (i, 1, vocab)),
    )


def uniform_perplexity(vocab: int | sp.Expr = V) -> Identity:
    r"""The uniform model's perplexity is ``V``: :math:`e^{\log V} = V`.

    The right-hand side of :func:`uniform_cross_entropy` with the target
    normalised (:math:`\sum_i q_i = 1`), exponentiated.

    Examples
    --------
    >>> uniform_perplexity().holds()
    True
    """
    ce = uniform_cross_entropy(vocab).rhs.subs(sp.Sum(q[i], (i, 1, vocab)), 1)
    return Identity(sp.exp(ce), vocab)


def perplexity_in_bits() -> Identity:
    r"""Perplexity does not depend on the unit: :math:`2^{H / \log 2} = e^{H}`.

    ``H / log 2`` is the cross-entropy in bits (bits per token).

    Examples
    --------
    >>> perplexity_in_bits().holds()
    True
    """
    # unevaluated: SymPy would otherwise rewrite the power as exp(H) at once
    return Identity(sp.Pow(2, H_nats / sp.log(2), evaluate=False), sp.exp(H_nats))


def logsumexp_union(shards: int | sp.Expr = S) -> sp.Expr:
    r""":math:`\log \sum_{k=1}^{S} \sum_{i=1}^{n_k} e^{z_{ki}}`: the log-sum-exp
    of all V logits, written shard by shard."""
    return sp.log(sp.Sum(sp.Sum(sp.exp(z[k, i]), (i, 1, n[k])), (k, 1, shards)))


def shard_sum(shard: sp.Symbol = k) -> sp.Expr:
    r"""A shard's local sum :math:`s_k = \sum_{i=1}^{n_k} e^{z_{ki} - m_k}`."""
    return sp.Sum(sp.exp(z[shard, i] - m[shard]), (i, 1, n[shard]))


def logsumexp_merged(shards: int | sp.Expr = S) -> sp.Expr:
    r""":math:`M + \log \sum_{k=1}^{S} e^{m_k - M} s_k`: the merge of the
    per-shard pairs :math:`(m_k, s_k)`."""
    return M + sp.log(sp.Sum(sp.exp(m[k] - M) * shard_sum(k), (k, 1, shards)))


def logsumexp_merge_identity(shards: int | sp.Expr = S) -> Identity:
    r"""The log-sum-exp merge identity, for a symbolic number of shards.

    .. math::

        \log \sum_{k=1}^{S} \sum_{i=1}^{n_k} e^{z_{ki}}
        = M + \log \sum_{k=1}^{S} e^{m_k - M}
          \sum_{i=1}^{n_k} e^{z_{ki} - m_k}

    It holds for *any* shifts :math:`m_k` and :math:`M`; choosing the
    shard maxima and their maximum makes every exponent :math:`\le 0`.

    Examples
    --------
    >>> logsumexp_merge_identity().holds()
    True
    """
    return Identity(logsumexp_union(shards), logsumexp_merged(shards))


def linear_gradients(
    n_tokens: int | None = None, dim: int | None = None, vocab: int | None = None
) -> tuple[tuple[sp.Matrix, sp.Matrix, sp.Matrix], sp.Expr, sp.Matrix, sp.Matrix]:
    r"""The claimed gradients of a loss of :math:`Z = H W^{\mathsf T}`.

    Returns ``(symbols, Z, dH, dW)``: the matrix symbols ``(H, W, G)`` with
    ``H`` (N, d), ``W`` (V, d) and ``G`` (N, V), :math:`G = \partial L /
    \partial Z`, and the matrix expressions :math:`Z = H W^{\mathsf T}`,
    :math:`\partial L / \partial H = G W` and
    :math:`\partial L / \partial W = G^{\mathsf T} H`. The sizes are
    symbols unless given.

    Examples
    --------
    >>> print(linear_gradients()[1:])
    (H*W.T, G*W, G.T*H)
    """
    N_, d_, V_ = sp.symbols("N d V", integer=True, positive=True)
    N_ = N_ if n_tokens is None else n_tokens
    d_ = d_ if dim is None else dim
    V_ = V_ if vocab is None else vocab
    Hm = sp.MatrixSymbol("H", N_, d_)
    Wm = sp.MatrixSymbol("W", V_, d_)
    Gm = sp.MatrixSymbol("G", N_, V_)
    return (Hm, Wm, Gm), Hm * Wm.T, Gm * Wm, Gm.T * Hm


def linear_gradients_hold(
    n_tokens: int = 2, dim: int = 2, vocab: int = 3, labels: Sequence[int] = (0, 2)
) -> bool:
    r"""Check :func:`linear_gradients` on the mean cross-entropy, concretely.

    The loss :math:`\frac{1}{N} \sum_n (\log \sum_v e^{z_{nv}} - z_{n y_n})`
    of :math:`Z = H W^{\mathsf T}` with symbolic entries is differentiated
    by SymPy; each entry must equal the matrix expressions of
    :func:`linear_gradients` evaluated with :math:`G = (P - Y) / N`.

    Examples
    --------
    >>> linear_gradients_hold()
    True
    """
    Hc = sp.Matrix(n_tokens, dim, lambda a, b: sp.Symbol(f"h_{a}{b}", real=True))
    Wc = sp.Matrix(vocab, dim, lambda a, b: sp.Symbol(f"w_{a}{b}", real=True))
    (Hm, Wm, Gm), Z, dH, dW = linear_gradients(n_tokens, dim, vocab)
    Zc = sp.Matrix(Z.subs({Hm: Hc, Wm: Wc}).doit())
    loss = (
        sum(
            sp.log(sum(sp.exp(Zc[r, c]) for c in range(vocab))) - Zc[r, labels[r]]
            for r in range(n_tokens)
        )
        / n_tokens
    )
    P = sp.Matrix(
        n_tokens,
        vocab,
        lambda r, c: sp.exp(Zc[r, c]) / sum(sp.exp(Zc[r, t]) for t in range(vocab)),
    )
    Y = sp.Matrix(n_tokens, vocab, lambda r, c: int(labels[r] == c))
    values = {Hm: Hc, Wm: Wc, Gm: (P - Y) / n_tokens}
    claim_h = sp.Matrix(dH.subs(values).doit())
    claim_w = sp.Matrix(dW.subs(values).doit())
    return all_hold(Hc.applyfunc(loss.diff), claim_h) and all_hold(
        Wc.applyfunc(loss.diff), claim_w
    )
