"""Tests of xentlib.symbolic.scale (chapter 11's derivations).

The general identities must hold and wrong variants must be rejected; the
merge identity is lambdified for concrete shards and compared with
``xl.logsumexp`` of the concatenated logits; the skip-gram gradient is
compared with numpy finite differences of ``xl.softmax_cross_entropy``.
"""

import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import scale as sc

RNG_SEED = 20261130


@pytest.mark.parametrize("make", [sc.uniform_cross_entropy,
                                  sc.uniform_perplexity,
                                  sc.perplexity_in_bits,
                                  sc.logsumexp_merge_identity])
def test_general_identities_hold(make):
    assert make().holds()


def test_perplexity_in_bits_is_not_trivially_true():
    identity = sc.perplexity_in_bits()
    assert identity.lhs != identity.rhs and identity.lhs.is_Pow
    assert identity.lhs.base == 2


def test_wrong_variants_are_rejected():
    merge = sc.logsumexp_merge_identity()
    # forgetting to rescale each shard's sum to the common shift
    wrong = sc.M + sp.log(sp.Sum(sc.shard_sum(sc.k), (sc.k, 1, sc.S)))
    assert not Identity(merge.lhs, wrong).holds()
    assert not Identity(merge.lhs, merge.rhs + 1).holds()
    assert not Identity(sc.uniform_perplexity().lhs, sc.V - 1).holds()
    assert not Identity(2 ** sc.H_nats, sp.exp(sc.H_nats)).holds()


@pytest.mark.parametrize("vocab, dim, label", [(2, 1, 1), (3, 2, 2),
                                               (4, 2, 4)])
def test_skipgram_gradients(vocab, dim, label):
    assert sc.skipgram_gradients_hold(vocab, dim, label)


def test_skipgram_claim_is_not_trivially_true():
    # a gradient without the -u_o term must fail the same check
    loss = sc.skipgram_loss(3, 2, 1).doit()
    wrong = sp.Sum(sc.skipgram_probability(sc.w, 3, 2) * sc.u[sc.w, 1],
                   (sc.w, 1, 3)).doit()
    assert sp.simplify(loss.diff(sc.v[1]) - wrong) != 0


def test_skipgram_gradient_numerically():
    # U^T (p - e_o) against central differences of the numpy loss
    rng = np.random.default_rng(RNG_SEED)
    U, vec, o = rng.normal(size=(6, 3)), rng.normal(size=3), 4
    p = xl.softmax(U @ vec)
    formula = U.T @ (p - np.eye(6)[o])
    numeric = np.zeros(3)
    for j in range(3):
        step = np.eye(3)[j] * 1e-6
        numeric[j] = (xl.softmax_cross_entropy(U @ (vec + step), o)
                      - xl.softmax_cross_entropy(U @ (vec - step), o)) / 2e-6
    np.testing.assert_allclose(formula, numeric, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("sizes", [(3, 4), (1, 5, 2), (2, 2, 2, 1)])
def test_merge_identity_numerically(sizes):
    rng = np.random.default_rng(RNG_SEED + len(sizes))
    logits = rng.normal(scale=20, size=sum(sizes))
    shards = np.split(logits, np.cumsum(sizes)[:-1])
    ident = sc.logsumexp_merge_identity(len(sizes))
    values, lengths = {sc.M: float(logits.max())}, {}
    for k, shard in enumerate(shards, start=1):
        lengths[sc.n[k]] = len(shard)
        values[sc.m[k]] = float(shard.max())
        for i, x in enumerate(shard, start=1):
            values[sc.z[k, i]] = float(x)
    rhs = ident.rhs.doit().subs(lengths).doit().subs(values)
    expected = xl.logsumexp(logits)
    assert float(sp.N(rhs, 30)) == pytest.approx(expected, rel=1e-14)


def test_linear_gradients():
    assert sc.linear_gradients_hold()
    assert sc.linear_gradients_hold(3, 1, 2, labels=(1, 0, 1))
    _, Z, dH, dW = sc.linear_gradients()
    assert dH.shape == sc.linear_gradients()[0][0].shape
    assert dW.shape == sc.linear_gradients()[0][1].shape
