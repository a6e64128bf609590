"""The checker never certifies a false identity (issue 10).

Each false identity below is a slip of a kind seen in explanations of
cross-entropy, or a hole an earlier version of the checker fell into:
summation limits off by one, shifted indices, sign errors, dropped factors,
logarithms split without positivity, a missing ``sum q = 1``. Each must come
back refuted (``holds()`` is False, with a counterexample that really is
one) or undecided (:class:`Undecided`), never proved. True identities with a
relabelled index must never come back False.
"""

import pytest
import sympy as sp

from xentlib.symbolic import Identity, Undecided
from xentlib.symbolic import information as ce
from xentlib.symbolic import softmax as gr
from xentlib.symbolic import likelihood as lk
from xentlib.symbolic import losses as pr
from xentlib.symbolic import scoring as sc
from xentlib.symbolic import softmax as sm
from xentlib.symbolic import betting as bt
from xentlib.symbolic._core import (Definition, index_range, normalised,
                                    positive)
from xentlib.symbolic.symbols import (K, i, j, k, p, q, z, q_is_distribution,
                                      sigmoid)

x_real, y_real = sp.symbols("x y", real=True)
w_complex = sp.Symbol("w")  # no assumptions: complex
m = sp.Symbol("m", real=True)


def _sum(term, lower=1, upper=K, index=i):
    return sp.Sum(term, (index, lower, upper))


def _softmax(index, logits=z):
    return sp.exp(logits[index]) / _sum(sp.exp(logits[k]), index=k)


def _false_identities():
    """(name, lhs, rhs, hypotheses): each one false on its domain."""
    p_j = _softmax(j)
    return [
        # --- summation limits off by one, index shifts ---------------------
        ("limit dropped by one (the issue's example)",
         _sum(q[i]), _sum(q[i], upper=K - 1), ()),
        ("limits shifted down", _sum(q[i]), _sum(q[i], 0, K - 1), ()),
        ("first term dropped", _sum(q[i] * sp.log(p[i])),
         _sum(q[i] * sp.log(p[i]), lower=2), ()),
        ("one term too many", _sum(q[i], upper=K + 1), _sum(q[i]), ()),
        ("index shifted in one factor", _sum(q[i] * sp.log(p[i])),
         _sum(q[i] * sp.log(p[i + 1])), ()),
        ("index shifted, limits not", _sum(q[i + 1]), _sum(q[i]), ()),
        ("normaliser over K - 1 classes", _softmax(j),
         sp.exp(z[j]) / _sum(sp.exp(z[k]), upper=K - 1, index=k),
         (index_range(j, K),)),
        # --- sign errors -------------------------------------------------------
        ("H(q, p) = KL - H(q)", ce.cross_entropy_sum(),
         ce.kl_sum() - ce.entropy_sum(), ()),
        ("termwise split with the wrong sign", -q[i] * sp.log(p[i]),
         q[i] * sp.log(q[i]) + q[i] * sp.log(q[i] / p[i]), ()),
        ("gradient q - p", gr.gradient_direct().lhs, q[j] - p_j,
         (index_range(j, K),)),
        ("Jacobian with + p_j", sm.jacobian_identity().lhs,
         _softmax(i) * (sp.KroneckerDelta(i, j) + p_j),
         (index_range(j, K),)),
        ("log-sum-exp shift with -m", sp.log(_sum(sp.exp(z[k]), index=k)),
         -m + sp.log(_sum(sp.exp(z[k] - m), index=k)), ()),
        ("binary gradient y - sigma", gr.binary_gradient().lhs,
         gr.y - sigmoid(gr.x), ()),
        ("KL is symmetric", ce.kl_sum(), ce.kl_sum(p, q), ()),
        # --- dropped factors ---------------------------------------------------
        ("label smoothing without 1 - eps",
         pr.label_smoothing_split().lhs,
         pr.cross_entropy_sum(q.__getitem__)
         + pr.eps * pr.cross_entropy_sum(lambda _: 1 / K), ()),
        ("variance without the squared mean",
         sc.beta_second_derivative().lhs,
         sc.beta_second_derivative().rhs
         + sc.beta_second_derivative().rhs.args[-1], ()),
        ("H(u, p) without log K", pr.uniform_cross_entropy().lhs,
         pr.kl_uniform(), ()),
        ("Gaussian NLL without the 1/2 on the log", lk.gaussian_nll_identity().lhs,
         (lk.y1 - lk.mu) ** 2 / (2 * lk.sigma ** 2)
         + sp.log(2 * sp.pi * lk.sigma ** 2), ()),
        ("entropy of the uniform is log(K - 1)",
         se_uniform_lhs(), sp.log(K - 1), ()),
        ("sigmoid derivative sigma^2", sp.diff(sigmoid(x_real), x_real),
         sigmoid(x_real) ** 2, ()),
        ("softmax is scale invariant", _softmax(j, _Scaled(z, 2)), _softmax(j),
         (index_range(j, K),)),
        # --- logarithms split without positivity ---------------------------
        ("log(xy) = log x + log y, real x, y", sp.log(x_real * y_real),
         sp.log(x_real) + sp.log(y_real), ()),
        ("log(x^2) = 2 log x, real x", sp.log(x_real ** 2),
         2 * sp.log(x_real), ()),
        ("log(x/y) = log x - log y, real x, y", sp.log(x_real / y_real),
         sp.log(x_real) - sp.log(y_real), ()),
        ("log(exp(w)) = w, complex w", sp.log(sp.exp(w_complex)), w_complex,
         ()),
        ("log(x^y) = y log x, real x, y", sp.log(x_real ** y_real),
         y_real * sp.log(x_real), ()),
        ("sqrt(x^2) = x, real x", sp.sqrt(x_real ** 2), x_real, ()),
        ("Bernoulli NLL without theta < 1", lk.bernoulli_nll_identity().lhs,
         lk.bernoulli_nll_identity().rhs, ()),
        ("log-wealth without f < 1", bt.log_wealth_per_bet().lhs,
         bt.log_wealth_per_bet().rhs, ()),
        # --- a missing sum q = 1 -----------------------------------------------
        ("dL/dz_j = p_j - q_j for every q", gr.gradient_general().lhs,
         p_j - q[j], (index_range(j, K),)),
        ("loss = -sum q z + LSE for every q", gr.loss(), gr.loss_logsumexp(),
         ()),
        ("chain rule without sum q = 1", gr.chain_rule_sum(), p[j] - q[j],
         (index_range(j, K),)),
        ("Brier excess without sum q = 1", sc.brier_excess(3).lhs,
         sc.brier_excess(3).rhs, ()),
        ("sum_i q_i p_j = p_j", _sum(q[i] * p[j]), p[j], ()),
        ("sum q = 1 assumed for p instead of q", gr.gradient_general().lhs,
         p_j - q[j], (index_range(j, K), normalised(p, i, K))),
    ]


class _Scaled:
    """``factor * z`` as an indexable family."""

    def __init__(self, base, factor):
        self.base, self.factor = base, factor

    def __getitem__(self, index):
        return self.factor * self.base[index]


def se_uniform_lhs():
    from xentlib.symbolic import information as se
    return se.uniform_entropy().lhs


FALSE = _false_identities()


def test_at_least_thirty_false_identities():
    assert len(FALSE) >= 30


@pytest.mark.parametrize("name, lhs, rhs, hypotheses", FALSE,
                         ids=[case[0] for case in FALSE])
def test_a_false_identity_is_never_proved(name, lhs, rhs, hypotheses):
    identity = Identity(lhs, rhs, hypotheses)
    try:
        verdict = identity.holds()
    except Undecided:
        return
    assert verdict is False, f"{name} was certified"
    assert identity.status == "refuted"


@pytest.mark.parametrize("name, lhs, rhs, hypotheses", FALSE,
                         ids=[case[0] for case in FALSE])
def test_a_counterexample_really_is_one(name, lhs, rhs, hypotheses):
    identity = Identity(lhs, rhs, hypotheses)
    found = identity.counterexample
    if found is None:
        pytest.skip("undecided, not refuted")
    # Independently of the checker: substitute, expand the sums, evaluate.
    point = found.point
    left = _at(lhs, point)
    right = _at(rhs, point)
    assert abs(sp.N(left - right, 30)) > 1e-10


def _at(expr, point):
    for _ in range(4):
        expr = expr.xreplace(point).doit()
    return expr


# --- relabelled and shifted indices: true, so never False -------------------


TRUE_RELABELLED = [
    ("i renamed j", _sum(q[i]), _sum(q[j], index=j)),
    ("i renamed k in a log term", _sum(q[i] * sp.log(p[i])),
     _sum(q[k] * sp.log(p[k]), index=k)),
    ("normaliser over j vs over k", _softmax(i),
     sp.exp(z[i]) / _sum(sp.exp(z[j]), index=j)),
    ("index shifted with its limits", _sum(q[i]),
     _sum(q[i - 1], 2, K + 1)),
]


@pytest.mark.parametrize("name, lhs, rhs", TRUE_RELABELLED,
                         ids=[case[0] for case in TRUE_RELABELLED])
def test_a_relabelled_true_identity_is_never_refuted(name, lhs, rhs):
    identity = Identity(lhs, rhs)
    assert identity.counterexample is None
    try:
        identity.holds()
    except Undecided:
        pass


def test_a_plain_relabelling_is_proved():
    assert Identity(_sum(q[i]), _sum(q[j], index=j)).holds()


# --- hypotheses make the difference ------------------------------------------


def test_a_log_split_is_proved_under_stated_positivity():
    split = Identity(sp.log(x_real * y_real),
                     sp.log(x_real) + sp.log(y_real),
                     (positive(x_real), positive(y_real)))
    assert split.holds()
    assert "x > 0" in split.hypothesis_text()


def test_the_gradient_is_p_minus_q_once_q_sums_to_one():
    claim = Identity(gr.gradient_general().lhs, _softmax(j) - q[j],
                     (index_range(j, K), normalised(q, gr.r, K)))
    assert claim.holds()
    assert claim.status == "proved for symbolic K"


def test_a_check_only_at_concrete_k_is_labelled_so():
    excess = sc.brier_excess()
    assert excess.status == "checked for K = 1..6"
    with pytest.raises(Undecided, match="no proof"):
        excess.holds()


def test_a_true_identity_sympy_cannot_prove_is_undecided_not_false():
    # atan x + atan(1/x) = pi/2 for x > 0: true, but simplify cannot see it.
    x = sp.Symbol("x", positive=True)
    claim = Identity(sp.atan(x) + sp.atan(1 / x), sp.pi / 2)
    assert claim.status == "checked numerically"
    with pytest.raises(Undecided, match="no counterexample"):
        claim.holds()


def test_an_unevaluable_identity_is_undecided():
    f = sp.Function("f")
    a, b = sp.symbols("a b", positive=True)
    claim = Identity(f(a * b), f(a) + f(b))
    with pytest.raises(Undecided):
        claim.holds()
    assert claim.status == "undecided"


def test_the_check_is_deterministic():
    first = Identity(sp.log(x_real ** 2), 2 * sp.log(x_real)).counterexample
    again = Identity(sp.log(x_real ** 2), 2 * sp.log(x_real)).counterexample
    assert first.point == again.point


def test_hypotheses_must_be_hypothesis_objects():
    with pytest.raises(TypeError, match="Hypothesis"):
        Identity(x_real, x_real, (sp.Gt(x_real, 0),))


def test_the_shared_distribution_hypothesis_is_named():
    assert q_is_distribution.name == "q is a distribution"
    assert q_is_distribution.latex() == r"\sum_{i=1}^{K} q_{i} = 1"


def test_a_definition_is_not_a_claim():
    definition = ce.definitions()["entropy"]
    assert isinstance(definition, Definition)
    assert definition.status == "definition"
    with pytest.raises(TypeError):
        definition.holds()


# --- every identity the book uses is proved ----------------------------------


BOOK = [
    ce.decomposition, ce.termwise_identity, ce.linearity_identity,
    ce.self_cross_entropy, ce.one_hot_cross_entropy, ce.minus_log_limit,
    sm.shift_invariance, sm.jacobian_identity, sm.jacobian_row_sum,
    sm.logsumexp_shift, sm.log_softmax_identity, sm.sigmoid_identity,
    gr.loss_split, gr.gradient_general, gr.gradient_direct,
    gr.chain_rule_identity, gr.probability_gradient,
    gr.hessian_logits_entry, gr.hessian_probabilities_entry,
    pr.label_smoothing_split, pr.uniform_cross_entropy,
    pr.label_smoothing_kl, pr.bce_stable_identity,
    pr.nll_cross_entropy_identity, lk.bernoulli_nll_identity,
    lk.log_likelihood_in_counts, lk.average_nll_identity,
    lk.average_nll_decomposition, lk.gaussian_nll_identity,
    sc.log_score_expectation, sc.log_score_excess,
    sc.temperature_derivative, sc.beta_second_derivative,
    bt.log_wealth_per_bet, bt.optimal_growth, bt.growth_as_cross_entropy,
    bt.doubling_rate_cross_entropy, bt.fair_odds_kl, bt.regret_identity,
]


@pytest.mark.parametrize("make", BOOK, ids=[f.__name__ for f in BOOK])
def test_every_identity_of_the_book_is_proved(make):
    identity = make()
    assert identity.holds()
    assert identity.status.startswith("proved")


def test_nested_sums_keep_distinct_indices_when_renamed():
    """Regression: renaming bottom-up gave the inner and the outer index the
    same dummy, so sum_i log c_i sum_j c_ji became sum_i log c_i sum_i c_ii
    (index capture), a different sum a proof could then use."""
    import sympy as sp

    from xentlib.symbolic._core import _canonical_sums

    c = sp.IndexedBase("c")
    i, j, K, M = sp.symbols("i j K M", integer=True, positive=True)
    renamed = _canonical_sums(sp.Sum(sp.log(c[i]) * sp.Sum(c[j, i], (j, 1, M)), (i, 1, K)))
    outer = renamed.limits[0][0]
    inner_sum = next(iter(renamed.function.atoms(sp.Sum)))
    inner = inner_sum.limits[0][0]
    assert outer != inner
    assert inner_sum.function == c[inner, outer]


def test_a_free_index_named_like_a_hypothesis_summation_index_is_still_sampled():
    # Found in review: drawing i = 2 for the free p_i also replaced the bound
    # i of "sum_i p_i = 1", every point failed, and nothing was evaluated:
    # a false claim came back undecided instead of refuted.
    from xentlib.symbolic import index_range
    from xentlib.symbolic.symbols import K, i, j, p, p_is_distribution

    hypotheses = (p_is_distribution, index_range(i, K))
    true = Identity(p[i] * sp.Sum(p[j], (j, 1, K)), p[i], hypotheses)
    false = Identity(p[i] * sp.Sum(p[j], (j, 1, K)), 2 * p[i], hypotheses)
    assert true.holds() and true.status == "proved for symbolic K"
    assert false.holds() is False and false.status == "refuted"
    found = false.counterexample
    assert sp.N(found.lhs) != sp.N(found.rhs)


def test_a_defined_indexed_entry_is_computed_at_the_drawn_index_not_drawn():
    # Found by a chapter author: with definition(p_j, softmax_j) and j drawn
    # as 2, p_2 was drawn at random instead of computed, and a TRUE identity
    # was "refuted". A definition is also written out when it does not stand
    # whole in the expression (2 softmax_j), so this one is proved.
    from xentlib.symbolic import definition, index_range
    from xentlib.symbolic.symbols import K, j, k, p, z

    softmax_j = sp.exp(z[j]) / sp.Sum(sp.exp(z[k]), (k, 1, K))
    hypotheses = (definition(p[j], softmax_j), index_range(j, K))
    true = Identity(2 * p[j], 2 * softmax_j, hypotheses)
    assert true.holds() and true.status == "proved for symbolic K"
    false = Identity(2 * p[j], 3 * softmax_j, hypotheses)
    assert false.holds() is False
