"""Tests of the cross-entropy derivations in xentlib.symbolic.information (chapter 4).

The symbolic identities are checked by SymPy, then made concrete for
K = 2..6, lambdified, and compared on random distributions with xentlib's
numpy functions (an independent implementation: numpy, not SymPy) and with
mpmath at 50 digits on the same float inputs.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity
from xentlib.symbolic import information as ce

RNG_SEED = 20260404


def random_pairs(k, n_pairs, rng):
    """Dirichlet(1) pairs (q, p): strictly positive with probability one."""
    return rng.dirichlet(np.ones(k), size=n_pairs), rng.dirichlet(np.ones(k), size=n_pairs)


# --- the symbolic steps ------------------------------------------------------


def test_decomposition_holds_for_symbolic_k():
    identity = ce.decomposition()
    assert identity.lhs.has(ce.K)  # general K, not a fixed number of terms
    assert identity.holds()


def test_the_steps_hold_separately():
    assert ce.termwise_identity().holds()
    assert ce.linearity_identity().holds()


def test_a_sign_error_is_caught():
    # The seed's "cross-entropy = KL - entropy" must be rejected by the check.
    wrong = Identity(ce.cross_entropy_sum(), ce.kl_sum() - ce.entropy_sum())
    assert not wrong.holds()


def test_every_link_of_the_chain_holds():
    chain = [ce.expand_definitions(e) for e in ce.decomposition_chain()]
    assert len(chain) == 5
    for left, right in zip(chain, chain[1:]):
        assert Identity(left, right).holds()
    # The chain starts and ends with the names, not with sums.
    first, last = ce.decomposition_chain()[0], ce.decomposition_chain()[-1]
    assert not first.has(sp.Sum) and not last.has(sp.Sum)


def test_self_cross_entropy_is_entropy():
    identity = ce.self_cross_entropy()
    assert not identity.lhs.has(ce.p)
    assert identity.holds()


def test_one_hot_picks_one_term():
    assert ce.one_hot_holds()
    # For K = 4 and k = 3, the expanded sum is -log p3 (independent expansion).
    lhs, _, ps = ce.at_k(ce.one_hot_cross_entropy().lhs.subs(ce.k, 3), 4)
    assert sp.simplify(lhs + sp.log(ps[2])) == 0


def test_stationarity_for_general_k():
    expected = ce.lam - ce.q[ce.j] / ce.p[ce.j]  # d/dp_j of -q_j log p_j + lam p_j
    assert sp.simplify(ce.min_cross_entropy_stationarity() - expected) == 0


def test_stationary_point_is_q():
    point = ce.min_cross_entropy_stationary_point()
    assert sp.simplify(point["p_j"] - ce.q[ce.j] / ce.lam) == 0
    assert point["lambda"] == sp.Sum(ce.q[ce.j], (ce.j, 1, ce.K))
    assert point["p_j_normalised"] == ce.q[ce.j]


@pytest.mark.parametrize("k", [2, 3, 4])
def test_lagrange_solution_concrete(k):
    solution, qs, ps = ce.min_cross_entropy_lagrange_solution(k)
    total = sum(qs)
    for qk, pk in zip(qs, ps):
        assert sp.simplify(solution[pk] - qk / total) == 0
    assert sp.simplify(solution[ce.lam] - total) == 0


def test_limits():
    assert ce.zero_log_zero_limit().rhs == 0
    assert ce.zero_log_zero_limit().holds()
    assert ce.minus_log_limit().rhs == sp.oo


# --- symbolic to numeric: K = 2..6 ----------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_lambdified_identity_matches_numpy(k):
    rng = np.random.default_rng(RNG_SEED + k)
    q_batch, p_batch = random_pairs(k, 50, rng)
    lhs, qs, ps = ce.at_k(ce.cross_entropy_sum(), k)
    rhs, _, _ = ce.at_k(ce.entropy_sum() + ce.kl_sum(), k)
    assert len(lhs.args) == k  # the sum is expanded into k terms
    f_lhs = sp.lambdify((*qs, *ps), lhs, "numpy")
    f_rhs = sp.lambdify((*qs, *ps), rhs, "numpy")
    for q, p in zip(q_batch, p_batch):
        numeric = xl.cross_entropy(q, p)
        assert f_lhs(*q, *p) == pytest.approx(numeric, rel=1e-13)
        assert f_rhs(*q, *p) == pytest.approx(numeric, rel=1e-12)
        assert f_rhs(*q, *p) == pytest.approx(
            xl.entropy(q) + xl.kl_divergence(q, p), rel=1e-12
        )


@pytest.mark.parametrize("k", [2, 4, 6])
def test_each_sum_matches_mpmath_and_numpy(k):
    rng = np.random.default_rng(RNG_SEED - k)
    q_batch, p_batch = random_pairs(k, 10, rng)
    entropy, qs, ps = ce.at_k(ce.entropy_sum(), k)
    kl, _, _ = ce.at_k(ce.kl_sum(), k)
    f_entropy = sp.lambdify((*qs, *ps), entropy, "mpmath")
    f_kl = sp.lambdify((*qs, *ps), kl, "mpmath")
    with mpmath.workdps(50):
        for q, p in zip(q_batch, p_batch):
            args = [mpmath.mpf(float(v)) for v in (*q, *p)]  # the exact floats
            assert xl.entropy(q) == pytest.approx(float(f_entropy(*args)), rel=1e-13)
            assert xl.kl_divergence(q, p) == pytest.approx(
                float(f_kl(*args)), rel=1e-10, abs=1e-15
            )


@pytest.mark.parametrize("k", [2, 3, 5])
def test_q_beats_every_random_p(k):
    # The stationary point p = q is the minimum: no random p does better.
    rng = np.random.default_rng(RNG_SEED * k)
    q = rng.dirichlet(np.ones(k))
    lhs, qs, ps = ce.at_k(ce.cross_entropy_sum(), k)
    f = sp.lambdify((*qs, *ps), lhs, "numpy")
    best = f(*q, *q)
    for p in rng.dirichlet(np.ones(k), size=500):
        assert f(*q, *p) >= best


# --- rendering -------------------------------------------------------------------


def test_names_render_as_the_book_writes_them():
    defs = ce.definitions()
    assert sp.latex(defs["cross_entropy"].lhs) == r"H\left(q, p\right)"
    assert sp.latex(defs["entropy"].lhs) == r"H\left(q\right)"
    assert r"D_{\mathrm{KL}}" in sp.latex(defs["kl"].lhs)


def test_chain_latex_keeps_factor_order():
    text = ce.chain_latex(ce.decomposition_chain())
    assert text.startswith(r"\begin{aligned}") and text.endswith(r"\end{aligned}")
    assert text.count("&=") == 4
    assert r"q_{i} \log p_{i}" in text


def test_chain_latex_first_alone_puts_lhs_on_its_own_line():
    identity = ce.linearity_identity()
    text = ce.chain_latex([identity.lhs, identity.rhs], first_alone=True)
    first_line, second_line = text.removeprefix(r"\begin{aligned}").split(r" \\ ")
    assert first_line.startswith("& ") and "&=" not in first_line
    assert second_line.startswith("&= ")


def test_entropy_name_is_the_same_in_chapters_2_and_4():
    # One H(.) class: H(q) built in either module is the same SymPy object.
    from xentlib.symbolic import information as ent

    assert ce.Entropy(ce.q) == ent.Entropy(ce.q)
    assert sp.latex(ce.Entropy(ce.q)) == r"H\left(q\right)"
