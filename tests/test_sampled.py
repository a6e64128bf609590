"""Tests of xentlib.sampled: sampled softmax and negative sampling.

References, independent of the implementation:

* exact expectations by enumerating every tuple of samples (V**K tuples,
  each with its probability) for small V and K;
* the full softmax cross-entropy (``xl.softmax_cross_entropy``) and its
  gradient, which the estimators approach;
* float64 formulas written here from the definitions;
* central finite differences for the gradient.
"""

import itertools

import numpy as np
import pytest

import xentlib as xl
from xentlib import sampled as xs


def small(seed=0, n=3, vocab=5):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=1.5, size=(n, vocab))
    y = rng.integers(vocab, size=n)
    q = rng.dirichlet(np.ones(vocab))
    return z, y, q


def enumerate_samples(q, k):
    """Every tuple of k samples with its probability under q."""
    for tup in itertools.product(range(len(q)), repeat=k):
        yield np.array(tup), float(np.prod(q[list(tup)]))


def z_hat(z_row, y, s, q, remove=True):
    """Z-hat from its definition, in float64."""
    k = len(s)
    terms = [np.exp(z_row[v]) / (k * q[v]) for v in s if (v != y or not remove)]
    return np.exp(z_row[y]) + sum(terms)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_normaliser_estimate_is_unbiased_only_with_hits_removed(k):
    z, y, q = small()
    for row in range(len(y)):
        exact = np.exp(z[row]).sum()
        mean_removed = sum(pr * z_hat(z[row], y[row], s, q)
                           for s, pr in enumerate_samples(q, k))
        mean_kept = sum(pr * z_hat(z[row], y[row], s, q, remove=False)
                        for s, pr in enumerate_samples(q, k))
        assert np.isclose(mean_removed, exact, rtol=1e-12)
        assert np.isclose(mean_kept, exact + np.exp(z[row, y[row]]), rtol=1e-12)


def test_loss_matches_definition_and_is_biased_low():
    z, y, q = small(1)
    full = xl.softmax_cross_entropy(z, y, reduction="none")
    for k in [1, 2, 4]:
        expected = np.zeros(len(y))
        for s, pr in enumerate_samples(q, k):
            got = xs.sampled_softmax_cross_entropy(z, y, s, q, reduction="none")
            ref = [np.log(z_hat(z[r], y[r], s, q)) - z[r, y[r]]
                   for r in range(len(y))]
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
            expected += pr * got
        assert (expected < full).all()  # Jensen: biased low


def test_bias_shrinks_with_more_samples():
    z, y, q = small(2, n=2, vocab=4)
    full = xl.softmax_cross_entropy(z, y)
    bias = []
    for k in [1, 2, 3, 4]:
        mean = sum(pr * xs.sampled_softmax_cross_entropy(z, y, s, q)
                   for s, pr in enumerate_samples(q, k))
        bias.append(full - mean)
    assert all(a > b > 0 for a, b in zip(bias, bias[1:]))


def test_model_proposal_gives_the_exact_loss_and_unbiased_gradient():
    z, y, _ = small(3, n=1)
    own = np.exp(z[0])
    own[y[0]] = 0
    own /= own.sum()
    full = xl.softmax_cross_entropy(z, y)
    full_grad = xl.softmax_cross_entropy_grad(z, y)
    mean_grad = np.zeros_like(z)
    for s, pr in enumerate_samples(own, 2):
        if pr == 0:
            continue
        assert np.isclose(xs.sampled_softmax_cross_entropy(z, y, s, own), full)
        mean_grad += pr * xs.sampled_softmax_cross_entropy_grad(z, y, s, own)
    np.testing.assert_allclose(mean_grad, full_grad, atol=1e-12)


def test_gradient_is_biased_for_a_uniform_proposal():
    z, y, _ = small(4, n=1)
    q = np.full(z.shape[1], 1 / z.shape[1])
    mean_grad = sum(pr * xs.sampled_softmax_cross_entropy_grad(z, y, s, q)
                    for s, pr in enumerate_samples(q, 2))
    assert not np.allclose(mean_grad, xl.softmax_cross_entropy_grad(z, y),
                           atol=1e-3)


def test_gradient_matches_finite_differences():
    z, y, q = small(5)
    rng = np.random.default_rng(9)
    s = rng.choice(z.shape[1], size=(len(y), 3), p=q)
    g = xs.sampled_softmax_cross_entropy_grad(z, y, s, q)
    step = 1e-6
    for r in range(z.shape[0]):
        for c in range(z.shape[1]):
            e = np.zeros_like(z)
            e[r, c] = step
            num = (xs.sampled_softmax_cross_entropy(z + e, y, s, q)
                   - xs.sampled_softmax_cross_entropy(z - e, y, s, q)) / (2 * step)
            assert abs(num - g[r, c]) < 1e-7


def test_shared_and_per_row_samples_agree_and_ignore_index():
    z, y, q = small(6)
    shared = [0, 3, 3]
    a = xs.sampled_softmax_cross_entropy(z, y, shared, q, reduction="none")
    b = xs.sampled_softmax_cross_entropy(z, y, np.tile(shared, (3, 1)), q,
                                         reduction="none")
    np.testing.assert_array_equal(a, b)
    y2 = y.copy()
    y2[1] = -100
    mean = xs.sampled_softmax_cross_entropy(z, y2, shared, q)
    assert np.isclose(mean, (a[0] + a[2]) / 2)


def test_large_logits_do_not_overflow():
    z = np.array([[1000.0, 999.0, -1000.0]])
    q = np.full(3, 1 / 3)
    loss = xs.sampled_softmax_cross_entropy(z, [0], [1, 2], q)
    ref = np.log1p(np.exp(-1.0) * 3 / 2)  # Z-hat / e^{z_y} = 1 + e^-1 / (2/3)
    assert np.isclose(loss, ref, rtol=1e-12)


def test_negative_sampling_loss_definition():
    z, y, _ = small(7)
    neg = np.array([[1, 2], [0, 0], [4, 3]])
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    ref = [-np.log(sig(z[r, y[r]])) - np.log(sig(-z[r, neg[r]])).sum()
           for r in range(3)]
    got = xs.negative_sampling_loss(z, y, neg, reduction="none")
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_expected_negative_sampling_loss_by_enumeration():
    rng = np.random.default_rng(8)
    vocab, k = 4, 2
    q, noise = rng.dirichlet(np.ones(vocab)), rng.dirichlet(np.ones(vocab))
    z = rng.normal(size=vocab)
    exact = 0.0
    for label in range(vocab):
        for s, pr in enumerate_samples(noise, k):
            exact += q[label] * pr * xs.negative_sampling_loss(
                z[None, :], [label], s)
    assert np.isclose(xs.expected_negative_sampling_loss(z, q, noise, k), exact,
                      rtol=1e-12)


def test_negative_sampling_optimum_minimises_and_is_not_q():
    rng = np.random.default_rng(10)
    q, noise = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    best = xs.negative_sampling_optimum(q, noise, 5)
    f0 = xs.expected_negative_sampling_loss(best, q, noise, 5)
    for _ in range(20):
        other = best + rng.normal(scale=1e-3, size=6)
        assert xs.expected_negative_sampling_loss(other, q, noise, 5) > f0
    soft = xl.softmax(best)
    np.testing.assert_allclose(soft, (q / noise) / (q / noise).sum())
    assert not np.allclose(soft, q)
    uniform = xs.negative_sampling_optimum(q, np.full(6, 1 / 6), 5)
    np.testing.assert_allclose(xl.softmax(uniform), q)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(samples=[5]), ValueError, "samples"),
    (dict(samples=[[0, 1]]), ValueError, "samples"),
    (dict(samples=[]), ValueError, "samples"),
    (dict(proposal=[0.5, 0.5]), ValueError, "proposal"),
    (dict(proposal=[0.5, 0.5, 0.5, 0.5, 0.5]), ValueError, "proposal"),
    (dict(logits=np.ones(5)), ValueError, "logits"),
    (dict(labels=[0, 1]), ValueError, "labels"),
    (dict(reduction="avg"), ValueError, "reduction"),
])
def test_validation_names_the_argument(kwargs, exc, word):
    z, y, q = small()
    args = dict(logits=z, labels=y, samples=[0, 1], proposal=q)
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        xs.sampled_softmax_cross_entropy(args.pop("logits"), args.pop("labels"),
                                         args.pop("samples"), args.pop("proposal"),
                                         **args)


def test_zero_proposal_for_a_sample_and_bad_noise():
    z, y, _ = small()
    q = np.array([0.0, 0.25, 0.25, 0.25, 0.25])
    with pytest.raises(ValueError, match="probability 0"):
        xs.sampled_softmax_cross_entropy(z, y, [0], q)
    with pytest.raises(ValueError, match="positive"):
        xs.negative_sampling_optimum([0.5, 0.5], [1.0, 0.0], 1)
    with pytest.raises(ValueError, match="k"):
        xs.negative_sampling_optimum([0.5, 0.5], [0.5, 0.5], 0)
