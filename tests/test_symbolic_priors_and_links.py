"""Tests of xentlib.symbolic.priors_and_links (issue 13: chapters 5, 7, 8).

Every identity must be proved (``holds()`` is True, never Undecided), wrong
variants must be refuted, and the symbolic results are lambdified and
compared with independent numerics: a numerical minimiser of the weighted
loss over the simplex, xentlib's softmax and losses, finite differences.
"""

import numpy as np
import pytest
import sympy as sp

import xentlib as xl
from xentlib.symbolic import Identity, normalised
from xentlib.symbolic import priors_and_links as pl
from xentlib.symbolic.symbols import K, j, k, q, z

RNG_SEED = 20261203


def _identities():
    solution = pl.maxent_solution()
    steps = pl.entropy_temperature_steps()
    ridge = pl.ridge_map()
    forms = pl.natural_forms()
    weighted = pl.weighted_optimum()
    pos = pl.pos_weight_optimum()
    named = {
        "maxent stationarity": pl.maxent_stationarity(),
        "maxent normalised": solution["normalised"],
        "maxent softmax": solution["softmax"],
        "gaussian log joint": pl.gaussian_log_joint(),
        "gaussian posterior": pl.gaussian_posterior_softmax(),
        "gaussian 2d": pl.gaussian_log_joint_2d()[0],
        "gaussian prior": pl.gaussian_prior_penalty(),
        "laplace prior": pl.laplace_prior_penalty(),
        "weight decay": pl.weight_decay_step(),
        "ridge stationary": ridge["stationary"],
        "ridge limit": ridge["limit"],
        "bernoulli natural": forms["bernoulli"],
        "gaussian natural": forms["gaussian"],
        "weighted stationarity": pl.weighted_stationarity(),
        "weighted normalised": weighted["normalised"],
        "weighted gibbs": pl.weighted_gibbs_split(),
        "logit shift": pl.logit_shift(),
        "weighted softmax": pl.weighted_optimum_as_softmax(),
        "pos_weight stationary": pos["stationary"],
        "pos_weight logit": pos["logit"],
        "uniform logits": pl.uniform_logits_loss(),
    }
    named.update({f"dH/dT {key}": value for key, value in steps.items()})
    named.update({f"canonical {key}": value for key, value
                  in pl.canonical_gradients().items()})
    return named


IDENTITIES = _identities()


@pytest.mark.parametrize("name", sorted(IDENTITIES))
def test_every_identity_is_proved(name):
    identity = IDENTITIES[name]
    assert identity.holds() is True
    assert identity.status.startswith("proved")


def test_general_k_results_are_proved_for_symbolic_k():
    for name in ["maxent softmax", "gaussian posterior", "weighted gibbs",
                 "logit shift", "weighted softmax", "uniform logits",
                 "dH/dT entropy", "dH/dT probability", "dH/dT mean",
                 "canonical categorical"]:
        assert IDENTITIES[name].status == "proved for symbolic K", name


# --- wrong variants are refuted ----------------------------------------------

def test_wrong_variants_are_refuted():
    optimum = pl.weighted_optimum()["optimum"]
    # the popular guess: weights rescale q but p is still q
    assert not Identity(optimum, q[j], (normalised(q, k, K),)).holds()
    # the logit shift has the opposite sign of log w
    shift = pl.logit_shift()
    wrong = Identity(shift.lhs, shift.rhs.subs(pl.w[j], 1 / pl.w[j]))
    assert not wrong.holds()
    # the Laplace prior is not the squared penalty
    laplace = pl.laplace_prior_penalty()
    squared = laplace.rhs.replace(sp.Abs, lambda a: a**2)
    assert not Identity(laplace.lhs, squared).holds()
    # dH/dT is Var/T^3, not Var/T^2
    steps = pl.entropy_temperature_steps()
    combined = steps["combined"]
    assert not Identity(combined.lhs, combined.rhs * pl.T).holds()
    # the Gaussian canonical gradient has the sign prediction - target
    gaussian = pl.canonical_gradients()["gaussian"]
    assert not Identity(gaussian.lhs, pl.y - pl.a).holds()


# --- symbolic vs numeric -----------------------------------------------------

def test_weighted_optimum_matches_a_numerical_minimiser():
    rng = np.random.default_rng(RNG_SEED)
    q_num = rng.dirichlet(np.ones(4))
    w_num = rng.uniform(0.2, 5.0, 4)
    optimum = pl.weighted_optimum(4)["optimum"]
    arguments = [[q[i] for i in range(1, 5)], [pl.w[i] for i in range(1, 5)]]
    closed = np.array([sp.lambdify(arguments, optimum.subs(j, c).doit())(
        q_num, w_num) for c in range(1, 5)])
    # gradient descent on the logits of the weighted soft-target loss
    logits = np.zeros(4)
    for _ in range(20_000):
        logits -= 0.5 * xl.softmax_cross_entropy_grad(
            logits, q_num, weight=w_num)
    np.testing.assert_allclose(xl.softmax(logits), closed, atol=1e-10)
    np.testing.assert_allclose(
        closed, w_num * q_num / np.sum(w_num * q_num), rtol=1e-12)


def test_logit_adjustment_recovers_q_numerically():
    rng = np.random.default_rng(RNG_SEED + 1)
    q_num = rng.dirichlet(np.ones(5))
    w_num = rng.uniform(0.1, 10.0, 5)
    weighted = xl.softmax(np.log(q_num) + np.log(w_num))
    np.testing.assert_allclose(weighted, w_num * q_num / (w_num @ q_num),
                               rtol=1e-12)
    np.testing.assert_allclose(xl.softmax(np.log(weighted) - np.log(w_num)),
                               q_num, rtol=1e-12)


def test_pos_weight_optimum_minimises_the_binary_loss():
    solution = pl.pos_weight_optimum()
    f = sp.lambdify([solution["q"], solution["w"]], solution["optimum"])
    for q_value, w_value in [(0.1, 9.0), (0.5, 0.25), (0.9, 3.0)]:
        grid = np.linspace(1e-4, 1 - 1e-4, 200_001)
        logits = np.log(grid) - np.log1p(-grid)
        loss = xl.binary_cross_entropy_with_logits(
            logits, np.full_like(logits, q_value),
            pos_weight=w_value, reduction="none")
        assert abs(grid[np.argmin(loss)] - f(q_value, w_value)) < 1e-4


def test_maxent_softmax_matches_xentlib():
    solution = pl.maxent_solution(3)["softmax"].rhs
    scores, beta = np.array([1.5, -0.3, 0.7]), 0.8
    arguments = [[z[i] for i in range(1, 4)], pl.beta]
    ours = [sp.lambdify(arguments, solution.subs(j, c).doit())(scores, beta)
            for c in range(1, 4)]
    np.testing.assert_allclose(ours, xl.softmax(beta * scores), rtol=1e-14)


def test_entropy_temperature_derivative_by_finite_differences():
    scores = np.array([2.0, 1.0, 0.5, -1.0])

    def entropy(temperature):
        return xl.entropy(xl.softmax(scores / temperature))

    for temperature in [0.5, 1.0, 3.0]:
        p_t = xl.softmax(scores / temperature)
        variance = p_t @ (scores - p_t @ scores) ** 2
        h = 1e-5
        numeric = (entropy(temperature + h) - entropy(temperature - h)) / (2 * h)
        assert abs(numeric - variance / temperature**3) < 1e-8


def test_gaussian_posterior_matches_bayes_numerically():
    rng = np.random.default_rng(RNG_SEED + 2)
    means, priors, sd = rng.normal(size=3), rng.dirichlet(np.ones(3)), 0.7
    xs = np.linspace(-3, 3, 13)
    joint = priors * np.exp(-(xs[:, None] - means) ** 2 / (2 * sd**2))
    bayes = joint / joint.sum(axis=1, keepdims=True)
    logits = (means / sd**2 * xs[:, None] - means**2 / (2 * sd**2)
              + np.log(priors))
    np.testing.assert_allclose(xl.softmax(logits), bayes, rtol=1e-12)


def test_ridge_map_matches_least_squares_with_a_penalty():
    rng = np.random.default_rng(RNG_SEED + 3)
    xs = rng.normal(size=30)
    ys = 2.0 * xs + rng.normal(scale=0.5, size=30)
    sigma, tau = 0.5, 0.3
    solution = pl.ridge_map()["map"]
    f = sp.lambdify([sp.Symbol("S_{xx}", positive=True),
                     sp.Symbol("S_{xy}", real=True), pl.sigma, pl.tau],
                    solution)
    closed = f(xs @ xs, xs @ ys, sigma, tau)
    # independent: augmented least squares with a pseudo-observation
    design = np.concatenate([xs / sigma, [1 / tau]])
    target = np.concatenate([ys / sigma, [0.0]])
    lstsq = np.linalg.lstsq(design[:, None], target, rcond=None)[0][0]
    assert abs(closed - lstsq) < 1e-12


def test_canonical_gradients_by_finite_differences():
    gradients = pl.canonical_gradients()
    for key in ["bernoulli", "gaussian", "poisson"]:
        identity = gradients[key]
        (outcome,) = [s for s in identity.rhs.free_symbols if s.name == "y"]
        rhs = sp.lambdify([pl.a, outcome], identity.rhs)
        lhs = sp.lambdify([pl.a, outcome], identity.lhs)
        for eta_value, y_value in [(-1.3, 0.0), (0.4, 1.0), (2.0, 3.0)]:
            if key == "bernoulli" and y_value > 1:
                continue
            assert abs(lhs(eta_value, y_value) - rhs(eta_value, y_value)) < 1e-12


def test_uniform_logits_give_log_k():
    for n_classes in [2, 10, 1000]:
        loss = xl.softmax_cross_entropy(np.full(n_classes, 3.7), 1)
        assert abs(loss - np.log(n_classes)) < 1e-12
