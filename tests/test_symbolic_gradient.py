"""Tests of the gradient derivations in xentlib.symbolic.softmax (chapter 7).

The symbolic identities are checked by SymPy, and wrong variants must be
rejected. The concrete forms are lambdified and compared with xentlib's numpy
losses and gradients (an independent implementation: the fused numpy kernel,
not SymPy), with central finite differences of ``xl.softmax_cross_entropy``,
and with an mpmath loss at 50 digits.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import softmax as gr
from xentlib.symbolic import softmax as sm

RNG_SEED = 20260606


def random_distribution(rng, k):
    q = rng.dirichlet(np.ones(k))
    return q / q.sum()


# --- general K ---------------------------------------------------------------


def test_general_identities_hold_for_symbolic_k():
    for identity in [gr.loss_split(), gr.gradient_general(),
                     gr.gradient_direct(), gr.chain_rule_identity(),
                     gr.hessian_logits_entry()]:
        assert identity.lhs.has(sm.K)  # a symbolic number of classes
        assert identity.holds()
    # In p the sum over K collapses to one term: the derivative of
    # -sum_r q_r log p_r in p_j is what is left of it.
    for identity in [gr.probability_gradient(),
                     gr.hessian_probabilities_entry()]:
        assert identity.holds()


def test_target_sum_is_where_the_assumption_enters():
    # Without sum(q) = 1 the gradient of the loss itself is not p - q ...
    p_j = sm.softmax_entry(sm.j)
    general = gr.gradient_general()
    assert not Identity(general.lhs, p_j - gr.q[sm.j]).holds()
    # ... and the log-sum-exp form is not the loss.
    assert not type(gr.loss_split())(gr.loss(),
                                     gr.loss_logsumexp()).holds()
    # With sum(q) = 1 both agree: substitute it at K = 3.
    three = {sm.K: 3}
    targets = {gr.q[3]: 1 - gr.q[1] - gr.q[2]}
    gradient = general.lhs.subs(three).doit()
    for index in [1, 2, 3]:
        at = gradient.subs(sm.j, index).subs(targets)
        expected = (p_j - gr.q[sm.j]).subs(three).subs(sm.j, index).doit()
        assert sp.simplify(at - expected.subs(targets)) == 0


def test_wrong_variants_are_rejected():
    p_j = sm.softmax_entry(sm.j)
    p_i = sm.softmax_entry(sm.i)
    delta = sp.KroneckerDelta(sm.i, sm.j)
    assert not Identity(gr.gradient_direct().lhs, gr.q[sm.j] - p_j).holds()
    assert not Identity(gr.hessian_logits_entry().lhs,
                        p_j * (delta + p_i)).holds()
    assert not Identity(gr.probability_gradient().lhs,
                        gr.q[sm.j] / gr.p[sm.j]).holds()
    assert not Identity(gr.hessian_probabilities_entry().lhs,
                        delta * gr.q[sm.j] / gr.p[sm.j]).holds()
    assert not Identity(gr.binary_gradient().lhs, gr.y - gr.sigmoid()).holds()
    # The misprint's derivative is not sigma - y.
    assert not Identity(gr.misprinted_binary_gradient().lhs,
                        gr.sigmoid() - gr.y).holds()


def test_chain_rule_sum_is_chapter_5s_jacobian_times_dl_dp():
    # The summand is (dL/dp_r) * J_rj with J_rj = p_r (delta_rj - p_j).
    summand = gr.chain_rule_sum().function
    dl_dp = gr.probability_gradient().rhs.subs(sm.j, gr.r)
    jac = gr.p[gr.r] * (sp.KroneckerDelta(gr.r, sm.j) - gr.p[sm.j])
    assert sp.simplify(summand - dl_dp * jac) == 0


def test_hessian_in_logits_does_not_depend_on_the_target():
    assert not gr.hessian_logits_entry().lhs.has(gr.q)
    # and it is chapter 5's Jacobian entry with i and j exchanged (symmetric)
    swapped = sm.jacobian_identity().rhs.subs({sm.i: sm.j, sm.j: sm.i},
                                              simultaneous=True)
    assert sp.simplify(gr.hessian_logits_entry().rhs - swapped) == 0


# --- concrete K ---------------------------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 4])
def test_hessian_in_logits_is_diag_minus_outer(k):
    hessian, logits, targets = gr.hessian_logits_matrix(k)
    assert sm.matrix_identity_holds(hessian, sm.jacobian_formula(logits))
    assert not any(hessian.has(t) for t in sp.symbols(f"q1:{k + 1}"))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_hessian_in_probabilities_is_diagonal(k):
    hessian, probs, targets = gr.hessian_probabilities_matrix(k)
    expected = sp.diag(*[t / v**2 for t, v in zip(targets, probs)])
    assert sm.matrix_identity_holds(hessian, expected)


def test_hessian_in_probabilities_with_one_hot_is_singular():
    hessian, probs, targets = gr.hessian_probabilities_matrix(3)
    one_hot = hessian.subs({targets[0]: 1, targets[1]: 0, targets[2]: 0})
    assert one_hot.det() == 0 and one_hot.rank() == 1
    assert one_hot[0, 0] == 1 / probs[0] ** 2


@pytest.mark.parametrize("rows, classes", [(1, 3), (2, 2), (2, 3)])
def test_batch_gradient_is_p_minus_q_over_n(rows, classes):
    assert sm.matrix_identity_holds(*gr.batch_gradient(rows, classes))


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_lambdified_gradient_matches_xentlib_and_finite_differences(k):
    rng = np.random.default_rng(RNG_SEED + k)
    logits = sm.logit_symbols(k)
    targets = gr.target_symbols(k)
    free = sp.symbols(f"q1:{k}", real=True)
    value = gr.loss_concrete(logits, targets)
    f_loss = sp.lambdify((*logits, *free), value, "numpy")
    f_grad = sp.lambdify((*logits, *free),
                         [sp.diff(value, v) for v in logits], "numpy")
    h = 1e-6
    for _ in range(20):
        z = rng.normal(scale=2.0, size=k)
        q = random_distribution(rng, k)
        args = (*z, *q[:-1])
        symbolic = np.array(f_grad(*args), dtype=float)
        numeric = xl.softmax_cross_entropy_grad(z, q, reduction="sum")
        np.testing.assert_allclose(numeric, symbolic, rtol=1e-10,
                                   atol=1e-13)
        np.testing.assert_allclose(numeric, xl.softmax(z) - q, atol=1e-15)
        assert f_loss(*args) == pytest.approx(
            float(xl.softmax_cross_entropy(z, q, reduction="sum")),
            rel=1e-12)
        central = [(xl.softmax_cross_entropy(z + h * e, q, reduction="sum")
                    - xl.softmax_cross_entropy(z - h * e, q,
                                               reduction="sum")) / (2 * h)
                   for e in np.eye(k)]
        np.testing.assert_allclose(central, symbolic, atol=1e-8)


@pytest.mark.parametrize("k", [3, 5])
def test_gradient_sums_to_zero_and_is_bounded(k):
    rng = np.random.default_rng(RNG_SEED * k)
    for scale in [0.1, 3.0, 30.0]:
        z = rng.normal(scale=scale, size=k)
        q = np.eye(k)[rng.integers(k)]
        grad = xl.softmax_cross_entropy_grad(z, q, reduction="sum")
        assert abs(grad.sum()) < 1e-15 * k
        assert np.all(grad >= -1) and np.all(grad <= 1)


def test_loss_against_mpmath():
    q = [0.7, 0.2, 0.1]
    z = [2.0, 1.0, 0.5]
    with mpmath.workdps(50):
        total = mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in z)
        exact = -mpmath.fsum(mpmath.mpf(t) * (mpmath.mpf(v) - mpmath.log(total))
                             for t, v in zip(q, z))
    loss = xl.softmax_cross_entropy(z, q, reduction="sum")
    assert float(loss) == pytest.approx(float(exact), rel=1e-14)


def test_batch_mean_gradient_matches_xentlib():
    rng = np.random.default_rng(RNG_SEED)
    n, k = 4, 3
    gradient, _ = gr.batch_gradient(n, k)
    names = sorted(gradient.free_symbols, key=str)
    f = sp.lambdify(names, gradient, "numpy")
    z = rng.normal(size=(n, k))
    q = np.stack([random_distribution(rng, k) for _ in range(n)])
    values = {f"z{r + 1}_{c + 1}": z[r, c] for r in range(n) for c in range(k)}
    values.update({f"q{r + 1}_{c + 1}": q[r, c]
                   for r in range(n) for c in range(k - 1)})
    symbolic = np.array(f(*[values[str(s)] for s in names]), dtype=float)
    numeric = xl.softmax_cross_entropy_grad(z, q)  # reduction="mean"
    np.testing.assert_allclose(numeric, symbolic, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(numeric, (xl.softmax(z, axis=-1) - q) / n,
                               atol=1e-15)


# --- two classes ---------------------------------------------------------------


def test_binary_identities():
    assert gr.binary_gradient().holds()
    assert gr.binary_second_derivative().holds()
    assert gr.misprinted_binary_gradient().holds()
    second = gr.binary_second_derivative().lhs
    assert sp.simplify(sp.diff(second, gr.y)) == 0  # independent of y


def test_binary_gradient_matches_xentlib_and_finite_differences():
    f = sp.lambdify((gr.x, gr.y), gr.binary_gradient().lhs, "numpy")
    rng = np.random.default_rng(RNG_SEED - 2)
    h = 1e-6
    for _ in range(20):
        x, y = rng.normal(scale=3.0), rng.uniform()
        numeric = xl.binary_cross_entropy_with_logits_grad(
            [x], [y], reduction="sum")[0]
        assert numeric == pytest.approx(f(x, y), rel=1e-10, abs=1e-14)
        central = (xl.binary_cross_entropy_with_logits([x + h], [y],
                                                       reduction="sum")
                   - xl.binary_cross_entropy_with_logits([x - h], [y],
                                                         reduction="sum"))
        assert central / (2 * h) == pytest.approx(f(x, y), abs=1e-8)


def test_binary_is_the_two_class_softmax_gradient():
    # softmax((x, 0)) with target (y, 1 - y): the first gradient entry is
    # sigma(x) - y, and the second its negative.
    for x, y in [(-2.0, 0.3), (0.5, 1.0), (4.0, 0.0)]:
        grad = xl.softmax_cross_entropy_grad([x, 0.0], [y, 1 - y],
                                             reduction="sum")
        assert grad[0] == pytest.approx(xl.sigmoid(x) - y, abs=1e-15)
        assert grad[1] == pytest.approx(-grad[0], abs=1e-15)
