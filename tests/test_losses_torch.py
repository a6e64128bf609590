"""xentlib.losses against PyTorch itself (skipped when torch is not installed).

Hundreds of random cases across every option (class and soft targets, class
weights, ignore_index, label smoothing, reductions, element weights,
pos_weight, 1-D inputs) are computed by ``torch.nn.functional`` in float64
and compared, values and gradients (torch autograd; ``reduction="none"`` is
back-propagated with ones, as the ``*_grad`` twins document), to 1e-10.
The cases avoid the documented differences (a mean over zero total weight,
``0 * log 0`` with soft targets), which have their own tests below.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from xentlib.losses import (  # noqa: E402 (after the importorskip)
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

TOL = dict(rtol=1e-10, atol=1e-10)
REDUCTIONS = ("none", "mean", "sum")


def _t(x):
    return None if x is None else torch.tensor(np.asarray(x), dtype=torch.float64)


def torch_value_and_grad(fn, x, *args, reduction, **kwargs):
    """Value of ``fn(x, ...)`` and its gradient in x by autograd."""
    xt = _t(x).requires_grad_(True)
    out = fn(xt, *args, reduction=reduction, **kwargs)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), xt.grad.numpy()


def random_softmax_case(rng):
    """One random call: logits, target and options."""
    n, n_classes = int(rng.integers(1, 7)), int(rng.integers(1, 6))
    one_dim = rng.random() < 0.15
    if one_dim:
        n = 1
    z = rng.normal(scale=rng.choice([0.5, 3.0, 20.0]), size=(n, n_classes))
    soft = rng.random() < 0.4
    kwargs = {"reduction": str(rng.choice(REDUCTIONS))}
    if rng.random() < 0.5:
        kwargs["weight"] = rng.uniform(0.1, 3.0, size=n_classes)
    if rng.random() < 0.5:
        kwargs["label_smoothing"] = float(rng.choice([0.05, 0.3, 1.0, rng.random()]))
    if soft:
        target = rng.dirichlet(np.ones(n_classes), size=n)
        if rng.random() < 0.3:  # some one-hot rows
            target[0] = np.eye(n_classes)[rng.integers(n_classes)]
    else:
        target = rng.integers(0, n_classes, size=n)
        if rng.random() < 0.5:
            ignore = int(rng.choice([-100, -1, 0]))
            kwargs["ignore_index"] = ignore
            target[rng.random(n) < 0.3] = ignore
            keep = np.flatnonzero(target != ignore)
            if keep.size == 0:  # keep one sample: a mean over nothing differs
                target[0] = (ignore + 1) % n_classes if ignore >= 0 else 0
                if n_classes == 1 and ignore == 0:
                    kwargs["ignore_index"] = -100
    if one_dim:
        z, target = z[0], target[0]
    return z, target, kwargs


@pytest.mark.parametrize("seed", range(400))
def test_softmax_cross_entropy_matches_torch(seed):
    rng = np.random.default_rng(seed)
    z, target, kwargs = random_softmax_case(rng)
    t_kwargs = {k: _t(v) if k == "weight" else v for k, v in kwargs.items()}
    t_target = (torch.tensor(target) if np.asarray(target).dtype.kind == "i"
                else _t(target))
    expected, expected_grad = torch_value_and_grad(
        F.cross_entropy, z, t_target, **t_kwargs)
    loss, grad = softmax_cross_entropy_with_grad(z, target, **kwargs)
    np.testing.assert_allclose(loss, expected, **TOL)
    np.testing.assert_allclose(grad, expected_grad, **TOL)
    np.testing.assert_allclose(softmax_cross_entropy(z, target, **kwargs),
                               expected, **TOL)
    np.testing.assert_allclose(softmax_cross_entropy_grad(z, target, **kwargs),
                               expected_grad, **TOL)


@pytest.mark.parametrize("seed", range(100))
def test_nll_loss_matches_torch(seed):
    rng = np.random.default_rng(1000 + seed)
    n, n_classes = int(rng.integers(1, 7)), int(rng.integers(2, 6))
    z = rng.normal(scale=2, size=(n, n_classes))
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = rng.integers(0, n_classes, size=n)
    kwargs = {"reduction": str(rng.choice(REDUCTIONS))}
    if rng.random() < 0.5:
        kwargs["weight"] = rng.uniform(0.1, 3.0, size=n_classes)
    if rng.random() < 0.5:
        y[1:][rng.random(n - 1) < 0.4] = -100  # row 0 is always kept
    t_kwargs = {k: _t(v) if k == "weight" else v for k, v in kwargs.items()}
    expected, expected_grad = torch_value_and_grad(
        F.nll_loss, lp, torch.tensor(y), **t_kwargs)
    np.testing.assert_allclose(nll_loss(lp, y, **kwargs), expected, **TOL)
    np.testing.assert_allclose(nll_loss_grad(lp, y, **kwargs), expected_grad, **TOL)


def random_binary_case(rng, logits):
    shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    if logits:
        x = rng.normal(scale=rng.choice([1.0, 5.0, 30.0]), size=shape)
    else:
        x = rng.uniform(0.001, 0.999, size=shape)
    y = rng.uniform(0, 1, size=shape)
    y[rng.random(shape) < 0.3] = 0.0
    y[rng.random(shape) < 0.3] = 1.0
    kwargs = {"reduction": str(rng.choice(REDUCTIONS))}
    if rng.random() < 0.5:  # a full weight or one broadcast along the last axis
        w_shape = shape if rng.random() < 0.5 else shape[-1:]
        kwargs["weight"] = rng.uniform(0.1, 3.0, size=w_shape)
    if logits and rng.random() < 0.5:
        kwargs["pos_weight"] = rng.uniform(0.1, 5.0, size=shape[-1:])
    return x, y, kwargs


@pytest.mark.parametrize("seed", range(150))
def test_binary_cross_entropy_matches_torch(seed):
    rng = np.random.default_rng(2000 + seed)
    p, y, kwargs = random_binary_case(rng, logits=False)
    t_kwargs = {k: _t(v) if k == "weight" else v for k, v in kwargs.items()}
    expected, expected_grad = torch_value_and_grad(
        F.binary_cross_entropy, p, _t(y), **t_kwargs)
    np.testing.assert_allclose(binary_cross_entropy(p, y, **kwargs), expected, **TOL)
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y, **kwargs),
                               expected_grad, **TOL)


@pytest.mark.parametrize("seed", range(150))
def test_bce_with_logits_matches_torch(seed):
    rng = np.random.default_rng(3000 + seed)
    z, y, kwargs = random_binary_case(rng, logits=True)
    t_kwargs = {k: _t(v) if k in ("weight", "pos_weight") else v
                for k, v in kwargs.items()}
    expected, expected_grad = torch_value_and_grad(
        F.binary_cross_entropy_with_logits, z, _t(y), **t_kwargs)
    np.testing.assert_allclose(binary_cross_entropy_with_logits(z, y, **kwargs),
                               expected, **TOL)
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y, **kwargs),
                               expected_grad, **TOL)


def test_binary_cross_entropy_clamp_and_edge_gradient_match_torch():
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-50, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.3])
    expected, expected_grad = torch_value_and_grad(
        F.binary_cross_entropy, p, _t(y), reduction="none")
    np.testing.assert_allclose(binary_cross_entropy(p, y, reduction="none"),
                               expected, **TOL)
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y, reduction="none"),
                               expected_grad, **TOL)


# The documented differences, pinned so that a change in either library shows.


def test_mean_over_nothing_is_nan_in_torch_and_zero_here():
    z = np.array([[1.0, 2.0], [0.5, 0.0]])
    y = np.array([-100, -100])
    assert torch.isnan(F.cross_entropy(_t(z), torch.tensor(y)))
    assert softmax_cross_entropy(z, y) == 0.0


def test_zero_target_on_minus_inf_logit_is_nan_in_torch_and_finite_here():
    z = np.array([[0.0, -np.inf, 1.0]])
    q = np.array([[0.5, 0.0, 0.5]])
    assert torch.isnan(F.cross_entropy(_t(z), _t(q)))
    assert np.isfinite(softmax_cross_entropy(z, q))
    w = np.array([1.0, 0.0, 2.0])  # smoothing gives class 1 the weight 0 * eps / C
    t_w = F.cross_entropy(_t(z), torch.tensor([0]), weight=_t(w), label_smoothing=0.3)
    assert torch.isnan(t_w)
    assert np.isfinite(softmax_cross_entropy(z, [0], weight=w, label_smoothing=0.3))


def test_dominant_class_torch_rounds_to_zero_xentlib_does_not():
    z = np.array([[0.0, -40.0, -40.0]])
    assert F.cross_entropy(_t(z), torch.tensor([0])).item() == 0.0
    assert softmax_cross_entropy(z, [0]) > 0
