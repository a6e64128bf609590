"""One set of symbols, and the chapter-named modules as re-exports (issue 10)."""

import importlib

import pytest
import sympy as sp

from xentlib.symbolic import symbols


def test_a_letter_is_one_symbol_in_every_derivation():
    # The issue: gradient.q was real, cross_entropy.q positive, practice.q
    # nonnegative, so gradient.q[1] - cross_entropy.q[1] did not cancel.
    from xentlib.symbolic import cross_entropy, gradient, practice, scale
    for module in (cross_entropy, gradient, practice, scale):
        assert module.q[1] - symbols.q[1] == 0
    assert gradient.p is cross_entropy.p
    assert symbols.q[1].is_positive and symbols.z[1].is_real


def test_one_sigmoid():
    from xentlib.symbolic import gradient, likelihood, practice
    t = sp.Symbol("t", real=True)
    for module in (gradient, likelihood, practice):
        assert module.sigmoid(t) == symbols.sigmoid(t)


RENAMED = [
    ("entropy", "lagrangian", "information", "max_entropy_lagrangian"),
    ("entropy", "at_k", "information", "at_k_one_distribution"),
    ("cross_entropy", "stationary_point", "information",
     "min_cross_entropy_stationary_point"),
    ("cross_entropy", "decomposition", "information", "decomposition"),
    ("kl", "log_bound", "information", "log_bound"),
    ("surprise", "forced_surprisal", "information", "forced_surprisal"),
    ("gradient", "loss_split", "softmax", "loss_split"),
    ("practice", "label_smoothing_kl", "losses", "label_smoothing_kl"),
]


@pytest.mark.parametrize("old, name, new, new_name", RENAMED)
def test_a_chapter_module_re_exports_the_concept_module(old, name, new,
                                                        new_name):
    old_module = importlib.import_module(f"xentlib.symbolic.{old}")
    new_module = importlib.import_module(f"xentlib.symbolic.{new}")
    assert getattr(old_module, name) is getattr(new_module, new_name)


@pytest.mark.parametrize("old", ["surprise", "entropy", "kl",
                                 "cross_entropy", "gradient", "practice"])
def test_every_name_a_chapter_module_exports_exists(old):
    module = importlib.import_module(f"xentlib.symbolic.{old}")
    assert all(hasattr(module, name) for name in module.__all__)
