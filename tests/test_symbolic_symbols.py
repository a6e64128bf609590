"""One set of symbols, in modules named by concept (issue 10)."""

import importlib

import pytest
import sympy as sp

from xentlib.symbolic import symbols


def test_a_letter_is_one_symbol_in_every_derivation():
    # The issue: gradient.q was real, cross_entropy.q positive, practice.q
    # nonnegative, so gradient.q[1] - cross_entropy.q[1] did not cancel.
    from xentlib.symbolic import information, losses, scale, softmax
    for module in (information, losses, scale, softmax):
        assert module.q[1] - symbols.q[1] == 0
    assert softmax.p is information.p
    assert symbols.q[1].is_positive and symbols.z[1].is_real


def test_one_sigmoid():
    from xentlib.symbolic import likelihood, losses, softmax
    t = sp.Symbol("t", real=True)
    for module in (likelihood, losses, softmax):
        assert module.sigmoid(t) == symbols.sigmoid(t)


def test_modules_are_named_by_concept_not_by_chapter():
    # The chapter-named re-export modules are gone (issue 10): a reader
    # uses xentlib.symbolic without the book.
    for old in ("surprise", "entropy", "kl", "cross_entropy", "gradient", "practice"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"xentlib.symbolic.{old}")
