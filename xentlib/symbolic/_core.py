r"""The checker every derivation goes through: :class:`Identity`.

An identity ``lhs = rhs`` is claimed for every point of its domain: every
value of its symbols allowed by their SymPy assumptions (a ``positive``
symbol is positive, a symbol without assumptions is complex, a summation
limit ``K`` is any positive integer) at which its named
:class:`Hypothesis` objects hold. :meth:`Identity.holds` has three outcomes:

* ``True`` only when SymPy **proved** the identity with sound steps;
* ``False`` only when it was **refuted**: both sides were evaluated with
  mpmath at a point of the domain and differ; the point is kept
  (:attr:`Identity.counterexample`);
* otherwise it raises :class:`Undecided`, so a notebook cannot pass on a
  check that decided nothing.

The check refutes before it proves. It evaluates both sides at seeded
random points (for sums, at several concrete sizes ``K``), which catches
summation limits off by one, shifted indices, signs and dropped factors
whatever SymPy's simplifier makes of them. The proof then uses only steps
that are valid on the domain: logarithms are split where SymPy knows the
factors to be positive, or where a hypothesis says so; a normalisation
``sum_i q_i = 1`` is substituted only when it is a hypothesis. There is no
``force=True`` anywhere.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import sympy as sp

from .printing import book_latex

__all__ = [
    "Identity",
    "Undecided",
    "Hypothesis",
    "Counterexample",
    "Definition",
    "Inequality",
    "Chain",
    "AllOf",
    "positive",
    "normalised",
    "index_range",
    "definition",
    "all_hold",
    "domains",
]

#: Concrete sizes at which sums over a symbolic number of terms are checked.
SIZES = (1, 2, 3, 4, 5, 6)
#: Random points per concrete size (and for identities without sums).
POINTS_PER_SIZE = 2
POINTS_WITHOUT_SIZES = 8
#: An inequality can fail in a small region only (an identity between
#: analytic sides that fails somewhere fails almost everywhere): it is
#: searched at this many times more points.
INEQUALITY_SPREAD = 6
#: Working precision (decimal digits) and the relative gap that refutes.
DIGITS = 30
TOLERANCE = sp.Float("1e-15", DIGITS)
#: Seed of the generator of sample points: every run checks the same points.
SEED = 20261203


class Undecided(Exception):
    """Raised by :meth:`Identity.holds` if it can neither prove nor refute."""


# --- hypotheses --------------------------------------------------------------


@dataclass(frozen=True)
class Hypothesis:
    """A named assumption an identity may use, beyond its symbols' own.

    Build one with :func:`positive`, :func:`normalised`, :func:`index_range`
    or :func:`definition`. ``name`` is the words the book shows; ``kind``
    and ``data`` say what is assumed, and :meth:`latex` renders it.
    """

    name: str
    kind: str
    data: tuple

    def latex(self) -> str:
        """The hypothesis as LaTeX, e.g. ``1 - \\theta > 0``."""
        if self.kind == "positive":
            return book_latex(self.data[0]) + " > 0"
        if self.kind == "normalised":
            return book_latex(self.data[0]) + " = 1"
        if self.kind == "index_range":
            index, lower, upper = self.data
            bounds = (book_latex(lower), book_latex(index), book_latex(upper))
            return r"{} \le {} \le {}".format(*bounds)
        symbol, value = self.data
        return rf"{book_latex(symbol)} = {book_latex(value)}"

    def __str__(self) -> str:
        return f"{self.name}: {self.latex()}"


def positive(expr: sp.Expr, name: str | None = None) -> Hypothesis:
    r"""Hypothesis :math:`e > 0` for an expression ``e``.

    Lets the proof split :math:`\log(e\,x) = \log e + \log x` and
    :math:`\log e^{a} = a \log e`; the numerical check only samples points
    where :math:`e > 0`.

    Examples
    --------
    >>> t = sp.Symbol("t", positive=True)
    >>> print(positive(1 - t))
    positive: 1 - t > 0
    """
    expr = sp.sympify(expr)
    return Hypothesis(name or "positive", "positive", (expr,))


def normalised(
    family: sp.IndexedBase,
    index: sp.Symbol,
    upper: int | sp.Expr,
    lower: int | sp.Expr = 1,
    name: str | None = None,
) -> Hypothesis:
    r"""Hypothesis :math:`\sum_{i=\mathrm{lower}}^{\mathrm{upper}} q_i = 1`.

    ``family`` is an ``IndexedBase``; the numerical check draws its entries
    from a Dirichlet distribution, the proof replaces the sum (with any name
    of the index) by 1.

    Examples
    --------
    >>> q, i = sp.IndexedBase("q", positive=True), sp.Symbol("i", integer=True)
    >>> print(normalised(q, i, sp.Symbol("K", integer=True, positive=True)))
    q is a distribution: \sum_{i=1}^{K} q_{i} = 1
    """
    total = sp.Sum(family[index], (index, lower, upper))
    return Hypothesis(name or f"{family} is a distribution", "normalised", (total,))


def index_range(
    index: sp.Symbol,
    upper: int | sp.Expr,
    lower: int | sp.Expr = 1,
    name: str | None = None,
) -> Hypothesis:
    r"""Hypothesis ``lower <= index <= upper`` for a class index.

    The proof evaluates Kronecker-delta sums on that branch; the numerical
    check draws ``j`` from that range.

    Examples
    --------
    >>> j = sp.Symbol("j", integer=True, positive=True)
    >>> print(index_range(j, sp.Symbol("K", integer=True, positive=True)))
    j is a class index: 1 \le j \le K
    """
    return Hypothesis(
        name or f"{index} is a class index",
        "index_range",
        (index, sp.sympify(lower), sp.sympify(upper)),
    )


def definition(symbol: sp.Expr, value: sp.Expr, name: str | None = None) -> Hypothesis:
    r"""Hypothesis :math:`s = v`: the symbol ``s`` names the expression ``v``.

    For example :math:`k = \sum_i y_i`, the number of heads. The proof
    replaces ``v`` by ``s``; the numerical check computes ``s`` from ``v``.

    Examples
    --------
    >>> k, n = sp.symbols("k n", integer=True, positive=True)
    >>> print(definition(k, 2 * n))
    definition of k: k = 2 n
    """
    return Hypothesis(
        name or f"definition of {symbol}", "definition", (symbol, sp.sympify(value))
    )


# --- the symbols' own domains -------------------------------------------------


def _domain(symbol: sp.Basic) -> str:
    """The set a symbol ranges over, from its SymPy assumptions, as LaTeX."""
    if symbol.is_integer:
        if symbol.is_positive:
            return r"\in \{1, 2, \dots\}"
        if symbol.is_nonnegative:
            return r"\in \{0, 1, \dots\}"
        return r"\in \mathbb{Z}"
    for holds, text in (
        (symbol.is_positive, "> 0"),
        (symbol.is_nonnegative, r"\ge 0"),
        (symbol.is_negative, "< 0"),
        (symbol.is_nonpositive, r"\le 0"),
        (symbol.is_real, r"\in \mathbb{R}"),
    ):
        if holds:
            return text
    return r"\in \mathbb{C}"


def domains(*exprs: sp.Basic, hypotheses: Sequence[Hypothesis] = ()) -> tuple[str, ...]:
    r"""What the symbols of ``exprs`` are assumed to be, one LaTeX string each.

    An identity holds on the domain its symbols declare (a ``positive``
    symbol, an integer size ``K``) and under its hypotheses; the book prints
    both, so that a reader copying an equation also copies where it holds.
    An indexed family is shown by one entry (``q_{i} > 0``); a symbol given
    by a :func:`definition` hypothesis is left out (its value is stated).

    Examples
    --------
    >>> from xentlib.symbolic.symbols import K, i, q
    >>> domains(sp.Sum(q[i], (i, 1, K)))
    ('K \\in \\{1, 2, \\dots\\}', 'q_{i} > 0')
    >>> domains(sp.Symbol("x") + sp.Symbol("t", real=True))
    ('t \\in \\mathbb{R}', 'x \\in \\mathbb{C}')
    """
    defined = {h.data[0] for h in hypotheses if h.kind == "definition"}
    # Keyed by name and domain: two symbols that share a name but not their
    # assumptions (a real y and a count y) are both listed.
    entries: set[tuple[str, str]] = set()
    families: dict[sp.Basic, set[sp.Indexed]] = {}
    for expr in exprs:
        for indexed in sp.sympify(expr).atoms(sp.Indexed):
            families.setdefault(indexed.base, set()).add(indexed)
    for base, members in families.items():
        entries.add(
            (str(base), f"{_family_latex(members)} {_domain(next(iter(members)))}")
        )
    labels = {base.label for base in families}
    for expr in exprs:
        for symbol in sp.sympify(expr).free_symbols:
            if (
                isinstance(symbol, (sp.Indexed, sp.IndexedBase))
                or symbol in defined
                or symbol in labels
            ):
                continue
            entries.add((str(symbol), f"{book_latex(symbol)} {_domain(symbol)}"))
    # One line per text: two symbols printed alike with the same domain
    # (lambda and lam, both real) say the same thing once.
    return tuple(dict.fromkeys(text for _, text in sorted(entries)))


def _family_latex(members: set[sp.Indexed]) -> str:
    """``q_{i}`` for a family with a symbolic index, else its concrete entries."""
    ordered = sorted(members, key=sp.default_sort_key)
    symbolic = [m for m in ordered if not all(i.is_Integer for i in m.indices)]
    if symbolic:
        return book_latex(symbolic[0])
    if len(ordered) > 3:
        return rf"{book_latex(ordered[0])}, \dots, {book_latex(ordered[-1])}"
    return ", ".join(book_latex(m) for m in ordered)


# --- the identity ------------------------------------------------------------


@dataclass(frozen=True)
class Counterexample:
    """A point of the domain where the two sides differ, with both values."""

    point: dict
    lhs: sp.Expr
    rhs: sp.Expr

    def __str__(self) -> str:
        where = ", ".join(f"{symbol} = {value}" for symbol, value in self.point.items())
        return f"at {where}: lhs = {sp.N(self.lhs, 8)}, rhs = {sp.N(self.rhs, 8)}"


def _as_hypotheses(hypotheses: Iterable[Hypothesis]) -> tuple[Hypothesis, ...]:
    hypotheses = tuple(hypotheses)
    for hypothesis in hypotheses:
        if not isinstance(hypothesis, Hypothesis):
            raise TypeError(
                "hypotheses must be Hypothesis objects "
                f"(see positive(), normalised()), got {type(hypothesis).__name__}"
            )
    return hypotheses


class _Claim:
    """What :class:`Identity` and :class:`Inequality` share: hypotheses that
    must be :class:`Hypothesis` objects, a verdict computed once, and the
    three outcomes of :meth:`holds`.

    A subclass has ``hypotheses`` and ``_verdict`` fields and defines
    ``_sides()`` (its two expressions), ``_compute()`` (the verdict dict:
    result, status, counterexample) and ``_claim_text()``.
    """

    hypotheses: Sequence[Hypothesis]
    _verdict: dict

    def _set_sides(self, *names: str) -> None:
        for name in names:
            object.__setattr__(self, name, sp.sympify(getattr(self, name)))
        object.__setattr__(self, "hypotheses", _as_hypotheses(self.hypotheses))

    def _sides(self) -> tuple[sp.Expr, ...]:
        raise NotImplementedError

    def _compute(self) -> dict[str, Any]:
        raise NotImplementedError

    def _claim_text(self) -> str:
        raise NotImplementedError

    def holds(self) -> bool:
        """True if proved, False if refuted, else raises :class:`Undecided`."""
        verdict = self._decide()
        if verdict["result"] is None:
            raise Undecided(self._undecided_message(verdict))
        return bool(verdict["result"])

    @property
    def status(self) -> str:
        """How the claim was checked, in words the book can print.

        One of ``"proved"``, ``"proved for symbolic K"`` (naming the
        symbolic sizes), ``"refuted"``, ``"checked for K = 1..6"`` (exact at
        each size, no proof for symbolic ``K``), ``"checked numerically"``
        (no proof, no counterexample), ``"undecided"`` (nothing could be
        evaluated). A claim made at a concrete size says so: with
        ``at="K = 3"`` the status reads ``"proved at K = 3"``.
        """
        status = str(self._decide()["status"])
        at = getattr(self, "at", "")
        if at and status not in ("refuted", "undecided"):
            return f"{status} at {at}"
        return status

    @property
    def counterexample(self) -> Counterexample | None:
        """The :class:`Counterexample` that refuted the claim, or None."""
        return self._decide()["counterexample"]

    @property
    def points(self) -> int:
        """How many random points of the domain both sides were compared at.

        0 means the numerical check saw nothing (every draw fell outside
        the domain or a side could not be evaluated there): a proof still
        stands, but nothing could have refuted the claim numerically.
        """
        return int(self._decide().get("points", 0))

    def _decide(self) -> dict[str, Any]:
        if not self._verdict:
            self._verdict.update(self._compute())
        return self._verdict

    def _undecided_message(self, verdict: dict[str, Any]) -> str:
        claim = self._claim_text()
        if len(claim) > 200:
            claim = claim[:200] + "..."
        return (
            f"could not decide {claim}"
            f" (hypotheses: {self.hypothesis_text() or 'none'}): "
            f"SymPy found no proof and the numerical check found no "
            f"counterexample ({verdict['status']}); state a missing hypothesis "
            f"or check it another way"
        )

    def domains(self) -> tuple[str, ...]:
        """Its symbols' own assumptions, as LaTeX (see :func:`domains`)."""
        return domains(*self._sides(), hypotheses=self.hypotheses)

    def hypothesis_text(self) -> str:
        """The hypotheses, one string, ``"; "``-separated (empty if none)."""
        return "; ".join(str(h) for h in self.hypotheses)


@dataclass(frozen=True)
class Identity(_Claim):
    r"""A claimed equation ``lhs = rhs`` that checks itself.

    Parameters
    ----------
    lhs, rhs : sympy.Expr
    hypotheses : sequence of Hypothesis, optional
        Everything a proof needs beyond the symbols' own assumptions
        (:func:`positive`, :func:`normalised`, :func:`index_range`,
        :func:`definition`); shown with the identity.
    at : str, optional
        The concrete size the sides are written at, when the book displays a
        general claim but checks it at one size (``"K = 3"``, a 3 x 3
        matrix); the status then says so (``"proved at K = 3"``).

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> rule = Identity(sp.log(x * y), sp.log(x) + sp.log(y))
    >>> rule.holds(), rule.status
    (True, 'proved')
    >>> print(rule.latex())
    \log\left(x y\right) = \log x + \log y

    Without positivity the split is false, and a counterexample shows it:

    >>> u = sp.Symbol("u", real=True)
    >>> wrong = Identity(sp.log(u**2), 2 * sp.log(u))
    >>> wrong.holds(), wrong.status
    (False, 'refuted')
    >>> wrong.counterexample.point  # doctest: +ELLIPSIS
    {u: -...}
    """

    lhs: sp.Expr
    rhs: sp.Expr
    hypotheses: Sequence[Hypothesis] = ()
    at: str = ""
    _verdict: dict = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._set_sides("lhs", "rhs")

    def _sides(self) -> tuple[sp.Expr, ...]:
        return self.lhs, self.rhs

    def _compute(self) -> dict[str, Any]:
        return _decide(self.lhs, self.rhs, self.hypotheses)

    def _claim_text(self) -> str:
        return f"{self.lhs} = {self.rhs}"

    # -- display --

    def equation(self) -> sp.Eq:
        """The unevaluated :class:`sympy.Eq` for display."""
        return sp.Eq(self.lhs, self.rhs, evaluate=False)

    def latex(self, **settings: Any) -> str:
        """LaTeX of ``lhs = rhs``, as rendered in the book."""
        return book_latex(self.equation(), **settings)


@dataclass(frozen=True)
class Definition:
    """``name = value`` true by definition: displayed, never checked.

    Keeps a definition apart from an :class:`Identity`, so that the
    derivation index can say "definition" rather than a check status.

    Examples
    --------
    >>> H = sp.Symbol("H")
    >>> Definition(H, sp.Integer(0)).status
    'definition'
    """

    lhs: sp.Expr
    rhs: sp.Expr
    hypotheses: Sequence[Hypothesis] = ()
    status = "definition"

    def equation(self) -> sp.Eq:
        """The unevaluated :class:`sympy.Eq` for display."""
        return sp.Eq(self.lhs, self.rhs, evaluate=False)

    def latex(self, **settings: Any) -> str:
        """LaTeX of ``lhs = rhs``."""
        return book_latex(self.equation(), **settings)

    def domains(self) -> tuple[str, ...]:
        """What the defining expression's symbols range over (see :func:`domains`).

        The left-hand side is the name being defined, not a variable.
        """
        return domains(self.rhs, hypotheses=self.hypotheses)

    def holds(self) -> NoReturn:
        """A definition is not a claim; raises :class:`TypeError`."""
        raise TypeError(
            "a Definition is true by definition, not checked; "
            "use an Identity for a claim"
        )


@dataclass(frozen=True)
class Inequality(_Claim):
    r"""A claimed inequality ``smaller <= larger`` (``<`` if ``strict``).

    Checked like an :class:`Identity`: :meth:`holds` is True only when
    proved, False only when refuted (a point of the domain where
    ``smaller > larger``, kept as :attr:`counterexample`), and raises
    :class:`Undecided` otherwise; :attr:`status` says which.

    Two sound proofs are tried on the difference ``d = larger - smaller``
    (after the hypotheses' equalities are used):

    * SymPy's assumptions show ``d >= 0`` (``d > 0`` if strict), e.g. a
      square, or a sum of positive terms;
    * ``d`` is a function of one real variable ``x`` on an interval (its
      declared domain, narrowed by :func:`positive` hypotheses linear in
      ``x`` such as ``1 - t > 0``) that is convex there (SymPy shows
      ``d'' >= 0``) and ``>= 0`` at its stationary point inside the interval
      (or, with none inside, towards both ends), or concave (``d'' <= 0``)
      and ``>= 0`` towards both ends (one-sided limits): a convex function is
      smallest at its stationary point, a concave one at an end.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> bound = Inequality(sp.log(x), x - 1)
    >>> bound.holds(), bound.status
    (True, 'proved')
    >>> Inequality(sp.log(x), x - 2).holds()
    False
    """

    smaller: sp.Expr
    larger: sp.Expr
    hypotheses: Sequence[Hypothesis] = ()
    strict: bool = False
    at: str = ""
    _verdict: dict = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._set_sides("smaller", "larger")

    def _sides(self) -> tuple[sp.Expr, ...]:
        return self.smaller, self.larger

    def _compute(self) -> dict[str, Any]:
        return _decide_order(self.smaller, self.larger, self.hypotheses, self.strict)

    def _claim_text(self) -> str:
        return f"{self.smaller} {'<' if self.strict else '<='} {self.larger}"

    def relation(self) -> sp.Basic:
        """The unevaluated :class:`sympy.Le` (or ``Lt``) for display."""
        relation = sp.Lt if self.strict else sp.Le
        return relation(self.smaller, self.larger, evaluate=False)

    def latex(self, **settings: Any) -> str:
        """LaTeX of ``smaller <= larger``."""
        return book_latex(self.relation(), **settings)


def _decide_order(
    smaller: sp.Expr, larger: sp.Expr, hypotheses: Sequence[Hypothesis], strict: bool
) -> dict[str, Any]:
    """Refute numerically, then prove ``smaller <= larger`` (``<``)."""
    sizes = _size_symbols(smaller, hypotheses) | _size_symbols(larger, hypotheses)
    search = _search_counterexample(
        smaller, larger, hypotheses, sizes, _order_gap, INEQUALITY_SPREAD
    )
    if search["counterexample"] is not None:
        return _after_search(False, "refuted", search)
    if _prove_order(larger - smaller, hypotheses, strict):
        return _after_search(True, _proved_status(sizes), search)
    status = "checked numerically" if search["evaluated"] else "undecided"
    return _after_search(None, status, search)


def _after_search(
    result: bool | None, status: str, search: dict[str, Any]
) -> dict[str, Any]:
    """A claim's verdict after the numerical search: result, status, and what
    the search found (its counterexample, if refuted, and how many points)."""
    return {
        "result": result,
        "status": status,
        "counterexample": search["counterexample"] if result is False else None,
        "points": search["evaluated"],
    }


def _prove_order(
    difference: sp.Expr, hypotheses: Sequence[Hypothesis], strict: bool
) -> bool:
    """True when ``difference >= 0`` (``> 0``) follows soundly (see Inequality)."""
    try:
        hypotheses = [_at_concrete_size(h) for h in hypotheses]
        prepared = _substitute(_evaluate(difference, hypotheses), hypotheses)
        candidates = [prepared, *_simplifications(prepared, hypotheses)]
    except Exception:  # a failed attempt proves nothing
        return False
    for candidate in candidates:
        try:
            if _sign_known(candidate, strict) or _one_variable_bound(
                candidate, strict, hypotheses
            ):
                return True
        except Exception:  # a failed attempt proves nothing
            continue
    return False


def _sign_known(expr: sp.Expr, strict: bool) -> bool:
    # Extended: a limit at an end of the interval may be +oo, which is >= 0.
    if strict:
        return bool(expr.is_extended_positive)
    return bool(expr.is_extended_nonnegative)


def _one_variable_bound(
    expr: sp.Expr, strict: bool, hypotheses: Sequence[Hypothesis]
) -> bool:
    """``expr >= 0`` (``> 0``) for one real variable on an interval.

    The interval is the variable's own domain (``x > 0``) narrowed by
    :func:`positive` hypotheses linear in it (``1 - t > 0``). A convex
    function is smallest at a stationary point inside the interval or, if
    there is none, towards one of its ends; a concave one towards one of its
    ends. The value there (a one-sided limit at an end) must be ``>= 0``
    (``> 0`` if strict).
    """
    (x,) = expr.free_symbols  # more than one variable: ValueError, no proof
    if not (isinstance(x, sp.Symbol) and x.is_real):
        return False
    low, high = _interval(x, hypotheses)
    second = _on_interval(sp.diff(expr, x, 2), x, low, high)
    if second.is_nonnegative:
        inside = [
            point
            for point in sp.solve(sp.diff(expr, x), x)
            if point.is_real and _strictly_between(point, low, high)
        ]
        if inside:
            # Every stationary point of a convex function is a minimum.
            return all(
                _sign_known(sp.simplify(expr.subs(x, pt)), strict) for pt in inside
            )
        # None found: the function is monotone only if its slope says so at an
        # end (solve may miss a root, so its silence proves nothing).
        slope = sp.diff(expr, x)
        if sp.limit(slope, x, low, "+").is_extended_nonnegative:
            return _sign_known(sp.limit(expr, x, low, "+"), strict)
        if sp.limit(slope, x, high, "-").is_extended_nonpositive:
            return _sign_known(sp.limit(expr, x, high, "-"), strict)
        return False
    if not second.is_nonpositive:
        return False
    ends = (sp.limit(expr, x, low, "+"), sp.limit(expr, x, high, "-"))
    return all(_sign_known(end, strict) for end in ends)


def _interval(
    x: sp.Symbol, hypotheses: Sequence[Hypothesis]
) -> tuple[sp.Expr, sp.Expr]:
    """The open interval ``(low, high)`` that ``x`` ranges over."""
    low = sp.Integer(0) if x.is_nonnegative else -sp.oo
    high = sp.Integer(0) if x.is_nonpositive else sp.oo
    for hypothesis in hypotheses:
        if hypothesis.kind != "positive" or hypothesis.data[0].free_symbols != {x}:
            continue
        bound = sp.Poly(hypothesis.data[0], x)
        if bound.degree() != 1:
            continue
        slope, intercept = bound.all_coeffs()
        root = -intercept / slope
        if slope > 0:
            low = sp.Max(low, root)
        else:
            high = sp.Min(high, root)
    return low, high


def _on_interval(expr: sp.Expr, x: sp.Symbol, low: sp.Expr, high: sp.Expr) -> sp.Expr:
    """``expr`` with ``x`` written through a positive ``u`` that sweeps ``(low, high)``.

    SymPy then judges signs on the interval alone: ``1/(t + 1)^2`` is not
    known to be >= 0 for a real ``t``, but is for ``t = -1 + u``, ``u > 0``.
    """
    u = sp.Dummy("u", positive=True)
    if low.is_finite and high.is_finite:
        through = low + (high - low) * u / (1 + u)
    elif low.is_finite:
        through = low + u
    elif high.is_finite:
        through = high - u
    else:
        return sp.simplify(expr)
    return sp.simplify(expr.subs(x, through))


def _strictly_between(point: sp.Expr, low: sp.Expr, high: sp.Expr) -> bool:
    return bool((point - low).is_extended_positive) and bool(
        (high - point).is_extended_positive
    )


@dataclass(frozen=True)
class Chain(_Claim):
    r"""A derivation ``e_0 = e_1 = ... = e_n``, checked link by link.

    Each link ``e_k = e_{k+1}`` is an :class:`Identity` under the chain's
    hypotheses. :meth:`holds` is True only when every link is proved, False
    as soon as one is refuted (its counterexample is the chain's), and
    raises :class:`Undecided` otherwise; :attr:`status` is the weakest
    link's ("proved for symbolic K" only if every link is proved).

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> steps = [sp.log(x**2), 2 * sp.log(x), sp.log(x) + sp.log(x)]
    >>> Chain(steps).holds(), Chain(steps).status
    (True, 'proved')
    >>> Chain([sp.log(x**2), sp.log(x), 2 * sp.log(x)]).holds()
    False
    """

    steps: Sequence[sp.Expr]
    hypotheses: Sequence[Hypothesis] = ()
    at: str = ""
    _verdict: dict = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        steps = tuple(sp.sympify(step) for step in self.steps)
        if len(steps) < 2:
            raise ValueError(
                f"steps: a chain needs two or more steps, got {len(steps)}"
            )
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "hypotheses", _as_hypotheses(self.hypotheses))

    @property
    def links(self) -> tuple[Identity, ...]:
        """The identities ``steps[k] = steps[k + 1]``."""
        return tuple(
            Identity(a, b, self.hypotheses)
            for a, b in zip(self.steps, self.steps[1:], strict=False)
        )

    def _sides(self) -> tuple[sp.Expr, ...]:
        return tuple(self.steps)

    def _compute(self) -> dict[str, Any]:
        return _combine(self.links)

    def _claim_text(self) -> str:
        return " = ".join(str(step) for step in self.steps)


@dataclass(frozen=True)
class AllOf(_Claim):
    r"""Several claims shown together (a system, a matrix, two limits).

    :meth:`holds` is True only when every claim is proved, False as soon as
    one is refuted (its counterexample is kept), and raises
    :class:`Undecided` otherwise; :attr:`status` is the weakest claim's and
    :attr:`hypotheses` are all of theirs.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> J = sp.Matrix([[x + x, 0], [0, x**2]])
    >>> entries = AllOf([Identity(a, b) for a, b in zip(J, [2 * x, 0, 0, x * x])])
    >>> entries.holds(), entries.status
    (True, 'proved')
    >>> AllOf([Identity(x + x, 2 * x), Identity(sp.exp(2 * x), sp.exp(x) ** 3)]).holds()
    False
    """

    claims: Sequence[_Claim]
    at: str = ""
    _verdict: dict = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        claims = tuple(self.claims)
        if not claims or not all(isinstance(c, _Claim) for c in claims):
            raise TypeError(
                "claims: give one or more Identity, Inequality, Chain or AllOf objects"
            )
        object.__setattr__(self, "claims", claims)

    @property
    def hypotheses(self) -> tuple[Hypothesis, ...]:  # type: ignore[override]
        """Every claim's hypotheses, each once, in order."""
        return tuple(dict.fromkeys(h for c in self.claims for h in c.hypotheses))

    def _sides(self) -> tuple[sp.Expr, ...]:
        return tuple(side for claim in self.claims for side in claim._sides())

    def _compute(self) -> dict[str, Any]:
        return _combine(self.claims)

    def _claim_text(self) -> str:
        return " and ".join(claim._claim_text() for claim in self.claims)


def _combine(claims: Sequence[_Claim]) -> dict[str, Any]:
    """One verdict for claims that must all hold: the weakest one's."""
    verdicts = [claim._decide() for claim in claims]
    for verdict in verdicts:
        if verdict["result"] is False:
            return dict(verdict)
    return {
        "result": True if all(v["result"] for v in verdicts) else None,
        "status": _weakest([claim.status for claim in claims]),
        "counterexample": None,
        "points": sum(v.get("points", 0) for v in verdicts),
    }


#: Statuses from weakest to strongest (a prefix of the words the checker uses).
_STRENGTH = (
    "refuted",
    "undecided",
    "checked numerically",
    "checked for",
    "proved at",
    "proved",
)


def _weakest(statuses: Sequence[str]) -> str:
    """The status of a chain: its weakest link's, naming all sizes involved.

    >>> _weakest(["proved", "proved for symbolic K", "proved for symbolic M"])
    'proved for symbolic K, M'
    >>> _weakest(["proved for symbolic K", "checked for K = 1..6"])
    'checked for K = 1..6'
    >>> _weakest(["proved", "proved at K = 3"])
    'proved at K = 3'
    """
    rank = {
        status: next(n for n, w in enumerate(_STRENGTH) if status.startswith(w))
        for status in statuses
    }
    weakest = min(rank.values())
    alike = [status for status in statuses if rank[status] == weakest]
    if _STRENGTH[weakest] == "proved":
        sizes = {
            s
            for status in alike
            for s in status.removeprefix("proved for symbolic ").split(", ")
            if status != "proved"
        }
        return _proved_status(sizes)
    if _STRENGTH[weakest] == "checked for":
        names = {
            n
            for status in alike
            for n in status.removeprefix("checked for ").split(" = ")[0].split(", ")
        }
        return f"checked for {', '.join(sorted(names))} = {SIZES[0]}..{SIZES[-1]}"
    return alike[0]


def all_hold(
    lhs: Iterable[sp.Expr],
    rhs: Iterable[sp.Expr],
    hypotheses: Sequence[Hypothesis] = (),
) -> bool:
    """Check ``lhs[n] = rhs[n]`` entry by entry (matrices, lists of sides).

    True when every entry is proved, False as soon as one is refuted;
    :class:`Undecided` is raised for an entry that is neither.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> all_hold(sp.Matrix([x + x, x**2]), sp.Matrix([2 * x, x * x]))
    True
    >>> all_hold([sp.exp(x) * sp.exp(x)], [sp.exp(x**2)])
    False
    """
    left, right = list(lhs), list(rhs)
    if len(left) != len(right):
        raise ValueError(f"lhs has {len(left)} entries, rhs {len(right)}")
    return all(
        Identity(a, b, hypotheses).holds() for a, b in zip(left, right, strict=True)
    )


# --- deciding ----------------------------------------------------------------


def _decide(
    lhs: sp.Expr, rhs: sp.Expr, hypotheses: Sequence[Hypothesis]
) -> dict[str, Any]:
    """Refute numerically, then prove: result, status and counterexample."""
    # From each side: lhs - rhs may cancel to 0 before its sums are seen.
    sizes = _size_symbols(lhs, hypotheses) | _size_symbols(rhs, hypotheses)
    if lhs == rhs or (lhs - rhs) == 0:
        # Identical once SymPy's automatic evaluation is done: nothing to
        # refute, and no hypothesis was used.
        return {"result": True, "status": _proved_status(sizes), "counterexample": None}
    search = _search_counterexample(lhs, rhs, hypotheses, sizes)
    if search["counterexample"] is not None:
        return _after_search(False, "refuted", search)
    if _prove(lhs, rhs, hypotheses):
        return _after_search(True, _proved_status(sizes), search)
    if sizes and _proved_at_each_size(lhs - rhs, hypotheses, sizes):
        names = ", ".join(sorted(map(str, sizes)))
        status = f"checked for {names} = {SIZES[0]}..{SIZES[-1]}"
    elif search["evaluated"]:
        status = "checked numerically"
    else:
        status = "undecided"
    return _after_search(None, status, search)


def _proved_status(sizes: set[sp.Basic]) -> str:
    if not sizes:
        return "proved"
    return "proved for symbolic " + ", ".join(sorted(map(str, sizes)))


def _size_symbols(expr: sp.Expr, hypotheses: Sequence[Hypothesis]) -> set[sp.Basic]:
    """Free symbols that are summation limits: the symbolic sizes such as K."""
    limits = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Sum, sp.Product)):
            for _, lower, upper in node.limits:
                limits |= lower.free_symbols | upper.free_symbols
    for hypothesis in hypotheses:
        if hypothesis.kind == "normalised":
            ((_, lower, upper),) = hypothesis.data[0].limits
            limits |= lower.free_symbols | upper.free_symbols
        elif hypothesis.kind == "index_range":
            limits |= hypothesis.data[2].free_symbols
    bound = {
        limit[0]
        for node in sp.preorder_traversal(expr)
        if isinstance(node, (sp.Sum, sp.Product))
        for limit in node.limits
    }
    labels = {entry.base.label for entry in expr.atoms(sp.Indexed)}
    return {
        s for s in limits - bound - labels if isinstance(s, sp.Symbol) and s.is_integer
    }


# --- refuting: evaluate both sides at points of the domain -------------------


def _search_counterexample(
    lhs: sp.Expr,
    rhs: sp.Expr,
    hypotheses: Sequence[Hypothesis],
    sizes: set[sp.Basic],
    gap: Callable[[sp.Expr, sp.Expr, int], sp.Expr | None] | None = None,
    spread: int = 1,
) -> dict[str, Any]:
    """Evaluate at seeded random points; stop at the first mismatch.

    ``gap(left, right, digits)`` measures how far a point is from satisfying
    the claim (default: the relative gap between two sides that should be
    equal); above :data:`TOLERANCE`, confirmed at twice the precision, the
    point refutes.
    """
    rng = random.Random(SEED)
    evaluated = 0
    for size_values in _size_assignments(sizes, rng):
        points = POINTS_PER_SIZE if sizes else POINTS_WITHOUT_SIZES
        for _ in range(points * spread):
            try:
                outcome = _compare_at_random_point(
                    lhs, rhs, hypotheses, dict(size_values), rng, gap or _relative_gap
                )
            except Exception:  # SymPy may raise anything
                outcome = None
            if outcome is None:
                continue
            evaluated += 1
            if isinstance(outcome, Counterexample):
                return {"counterexample": outcome, "evaluated": evaluated}
    return {"counterexample": None, "evaluated": evaluated}


def _size_assignments(
    sizes: set[sp.Basic], rng: random.Random
) -> list[dict[sp.Basic, sp.Expr]]:
    """All sizes equal to each value in :data:`SIZES`, then a few apart."""
    if not sizes:
        return [{}]
    ordered = sorted(sizes, key=str)
    together = [{s: sp.Integer(v) for s in ordered} for v in SIZES]
    apart = [
        {s: sp.Integer(rng.randint(1, 4)) for s in ordered}
        for _ in range(3 if len(ordered) > 1 else 0)
    ]
    return together + apart


def _compare_at_random_point(
    lhs: sp.Expr,
    rhs: sp.Expr,
    hypotheses: Sequence[Hypothesis],
    point: dict[sp.Basic, sp.Expr],
    rng: random.Random,
    gap_of: Callable[[sp.Expr, sp.Expr, int], sp.Expr | None],
) -> bool | Counterexample | None:
    """None outside the domain or if not evaluable, else a verdict.

    Returns True when both sides agree, a :class:`Counterexample` otherwise.
    Integers go first (indices, and sizes that are themselves indexed, such
    as shard sizes ``n[k]``), so that ``q[j]`` with ``j = 2`` *is* ``q[2]``.
    """
    _assign_indices(hypotheses, point, rng)
    defined = {symbol for symbol, _ in _definitions_at(hypotheses, point)}
    left, right = _concrete(lhs, point), _concrete(rhs, point)
    for _ in range(4):
        pending = (_integer_atoms(left) | _integer_atoms(right)) - defined
        if not pending:
            break
        for atom in sorted(pending, key=sp.default_sort_key):
            point[atom] = _draw(atom, rng)
        left, right = _concrete(left, point), _concrete(right, point)
    if not _sample_values(left, right, hypotheses, point, rng):
        return None
    left, right = _concrete(left, point), _concrete(right, point)
    gap = gap_of(left, right, DIGITS)
    if gap is None:
        return None
    if gap <= TOLERANCE:
        return True
    # Confirm at twice the precision, so cancellation cannot fake a mismatch.
    confirm = gap_of(left, right, 2 * DIGITS)
    if confirm is None or confirm <= TOLERANCE:
        return None
    return Counterexample(dict(point), sp.N(left, DIGITS), sp.N(right, DIGITS))


def _concrete(expr: sp.Expr, point: dict[sp.Basic, sp.Expr]) -> sp.Expr:
    """Substitute sizes and indices, then carry out the finite sums.

    A summation index is bound: a value drawn for a free index of the same
    name (``p_i`` next to ``sum_i p_i = 1``) must not replace it.
    """
    return _nest_sums(_shield_bound(expr, set(point)).xreplace(point)).doit()


def _shield_bound(expr: sp.Expr, names: set[sp.Basic]) -> sp.Expr:
    """Rename summation indices that ``names`` would substitute to dummies."""

    def binds_a_name(node: sp.Basic) -> bool:
        return isinstance(node, (sp.Sum, sp.Product)) and any(
            limit[0] in names for limit in node.limits
        )

    def rename(node: sp.Basic) -> sp.Basic:
        bound = {limit[0] for limit in node.limits if limit[0] in names}
        return node.xreplace({v: sp.Dummy(v.name, **v.assumptions0) for v in bound})

    return expr.replace(binds_a_name, rename) if expr.has(sp.Sum, sp.Product) else expr


def _nest_sums(expr: sp.Expr) -> sp.Expr:
    """Expand the outer index of ``Sum(f, (i, 1, n_k), (k, 1, S))`` at a
    concrete ``S``: ``doit`` cannot, when an inner limit depends on ``k``."""

    def outer(s: sp.Sum) -> sp.Expr:
        *inner, (variable, lower, upper) = s.limits
        if not (lower.is_Integer and upper.is_Integer):
            return s
        body = sp.Sum(s.function, *inner)
        return sp.Add(
            *[
                body.xreplace({variable: sp.Integer(value)})
                for value in range(int(lower), int(upper) + 1)
            ]
        )

    for _ in range(4):
        expanded = expr.replace(
            lambda e: isinstance(e, sp.Sum) and len(e.limits) > 1, outer
        )
        if expanded == expr:
            break
        expr = expanded
    return expr


def _integer_atoms(expr: sp.Expr) -> set[sp.Basic]:
    """Integer symbols and indexed entries still free (indices, sizes)."""
    return {atom for atom in _free_atoms(expr) if atom.is_integer}


def _assign_indices(
    hypotheses: Sequence[Hypothesis], point: dict[sp.Basic, sp.Expr], rng: random.Random
) -> None:
    """Draw each index of an :func:`index_range` from its (concrete) range."""
    for hypothesis in hypotheses:
        if hypothesis.kind != "index_range":
            continue
        index, lower, upper = hypothesis.data
        low, high = lower.xreplace(point), upper.xreplace(point)
        if low.is_Integer and high.is_Integer and low <= high:
            point[index] = sp.Integer(rng.randint(int(low), int(high)))


def _sample_values(
    left: sp.Expr,
    right: sp.Expr,
    hypotheses: Sequence[Hypothesis],
    point: dict[sp.Basic, sp.Expr],
    rng: random.Random,
    tries: int = 40,
) -> bool:
    """Give every free symbol a value in its domain where the hypotheses hold.

    Rejection sampling: up to ``tries`` draws; False if none satisfied the
    hypotheses (the point is then skipped, never counted as evidence).
    """
    atoms = _free_atoms(left) | _free_atoms(right)
    normalised_parts = _normalised_members(hypotheses, point)
    definitions = _definitions_at(hypotheses, point)
    defined = {symbol for symbol, _ in definitions}
    for _ in range(tries):
        values = {}
        for members in normalised_parts:
            values.update(_dirichlet(members, rng))
        for atom in sorted(
            atoms - set(values) - defined - set(point), key=sp.default_sort_key
        ):
            values[atom] = _draw(atom, rng)
        for symbol, value in definitions:
            values[symbol] = _concrete(value, point).xreplace(values)
        if _hypotheses_hold(hypotheses, {**point, **values}):
            point.update(values)
            return True
    return False


def _definitions_at(
    hypotheses: Sequence[Hypothesis], point: dict[sp.Basic, sp.Expr]
) -> list[tuple[sp.Expr, sp.Expr]]:
    """The :func:`definition` hypotheses as (name, value) at the drawn indices.

    A defined entry such as ``p_j`` is ``p_2`` once ``j = 2`` is drawn: it is
    computed from its definition at that index, never drawn on its own.
    """
    return [
        (h.data[0].xreplace(point), h.data[1])
        for h in hypotheses
        if h.kind == "definition"
    ]


def _free_atoms(expr: sp.Expr) -> set[sp.Basic]:
    """Symbols and indexed entries that need a value (not the labels)."""
    indexed = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in indexed}
    symbols = {
        s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in labels
    }
    return symbols | {
        entry for entry in indexed if entry.free_symbols <= {entry, entry.base.label}
    }


def _normalised_members(
    hypotheses: Sequence[Hypothesis], point: dict[sp.Basic, sp.Expr]
) -> list[list[sp.Indexed]]:
    """For each :func:`normalised` hypothesis, the entries that sum to one."""
    parts = []
    for hypothesis in hypotheses:
        if hypothesis.kind != "normalised":
            continue
        total = _concrete(hypothesis.data[0], point)
        parts.append(sorted(total.atoms(sp.Indexed), key=sp.default_sort_key))
    return parts


def _dirichlet(
    members: Sequence[sp.Indexed], rng: random.Random
) -> dict[sp.Basic, sp.Expr]:
    """Exact rationals, positive, summing to one (a Dirichlet-like draw)."""
    weights = [rng.randint(1, 60) for _ in members]
    total = sum(weights)
    return {m: sp.Rational(w, total) for m, w in zip(members, weights, strict=True)}


def _draw(atom: sp.Basic, rng: random.Random) -> sp.Expr:
    """An exact value in the domain the atom's assumptions declare.

    Rationals keep the evaluation exact until mpmath's final rounding.
    Symbols without ``real=True`` get complex values whose imaginary part
    exceeds pi, where ``log(exp(w)) = w`` and friends fail.
    """
    if atom.is_integer:
        if atom.is_positive:
            return sp.Integer(rng.randint(1, 4))
        if atom.is_nonnegative:
            return sp.Integer(rng.randint(0, 4))
        return sp.Integer(rng.randint(-4, 4))
    magnitude = sp.Rational(rng.randint(5, 300), 100)
    if atom.is_positive or atom.is_nonnegative:
        return magnitude
    if atom.is_negative or atom.is_nonpositive:
        return -magnitude
    real = sp.Rational(rng.randint(-300, 300), 100)
    if atom.is_real:
        return real
    return real + sp.I * sp.Rational(rng.randint(-600, 600), 100)


def _hypotheses_hold(
    hypotheses: Sequence[Hypothesis], point: dict[sp.Basic, sp.Expr]
) -> bool:
    for hypothesis in hypotheses:
        if hypothesis.kind != "positive":
            continue
        value = sp.N(_concrete(hypothesis.data[0], point).xreplace(point), DIGITS)
        if not (value.is_number and value.is_extended_real and value > 0):
            return False
    return True


def _order_gap(smaller: sp.Expr, larger: sp.Expr, digits: int) -> sp.Expr | None:
    """How far ``smaller <= larger`` fails: ``max(0, s - l) / max(1, |s|, |l|)``."""
    a, b = sp.N(smaller, digits), sp.N(larger, digits)
    for value in (a, b):
        if not (value.is_number and value.is_extended_real) or value.has(
            sp.nan, sp.zoo, sp.oo, -sp.oo
        ):
            return None
    scale = max(sp.Integer(1), abs(a), abs(b))
    return sp.N(max(sp.Integer(0), a - b) / scale, digits)


def _relative_gap(left: sp.Expr, right: sp.Expr, digits: int) -> sp.Expr | None:
    """``|l - r| / max(1, |l|, |r|)``; None if infinite."""
    a, b = sp.N(left, digits), sp.N(right, digits)
    for value in (a, b):
        if not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return None
    scale = max(sp.Integer(1), abs(a), abs(b))
    return sp.N(abs(a - b) / scale, digits)


# --- proving -----------------------------------------------------------------


def _prove(lhs: sp.Expr, rhs: sp.Expr, hypotheses: Sequence[Hypothesis]) -> bool:
    """True when a sound chain of SymPy steps takes ``lhs - rhs`` to zero."""
    try:
        if _same_value(lhs, rhs):
            return True
    except Exception:  # a failed attempt proves nothing
        pass
    difference = lhs - rhs
    for attempt in (
        _prove_plainly,
        _prove_directly,
        _prove_with_definitions_expanded,
        _prove_by_cases,
    ):
        try:
            if attempt(difference, hypotheses):
                return True
        except Exception:  # a failed attempt proves nothing
            continue
    return False


def _same_value(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """Both sides evaluate to the same object (also for ``oo = oo``, where
    the difference would be ``nan``)."""
    return lhs.doit() == rhs.doit()


def _prove_plainly(difference: sp.Expr, hypotheses: Sequence[Hypothesis]) -> bool:
    """SymPy's ``simplify`` alone: no hypothesis needed."""
    return sp.simplify(difference) == 0


def _prove_directly(difference: sp.Expr, hypotheses: Sequence[Hypothesis]) -> bool:
    hypotheses = [_at_concrete_size(h) for h in hypotheses]
    prepared = _substitute(_evaluate(difference, hypotheses), hypotheses)
    prepared = _substitute(_expand_logs(prepared, hypotheses), hypotheses)
    return any(s == 0 for s in _simplifications(prepared, hypotheses))


def _prove_with_definitions_expanded(
    difference: sp.Expr, hypotheses: Sequence[Hypothesis]
) -> bool:
    """Write each defined name out (``p_j`` becomes its softmax), then prove.

    The other direction of :func:`_substitute`, which finds a definition's
    value only where it stands whole; both use only what the definition says.
    """
    names = {h.data[0]: h.data[1] for h in hypotheses if h.kind == "definition"}
    if not names:
        return False
    others = [h for h in hypotheses if h.kind != "definition"]
    return _prove_directly(difference.xreplace(names), others)


def _evaluate(expr: sp.Expr, hypotheses: Sequence[Hypothesis]) -> sp.Expr:
    """Carry out derivatives, limits and Kronecker-delta sums (``doit``).

    A delta sum evaluates to a ``Piecewise`` on whether the index lies in
    the summation range; :func:`index_range` hypotheses pick the branch.
    """
    expr = expr.doit()
    for hypothesis in hypotheses:
        if hypothesis.kind == "index_range":
            index, lower, upper = hypothesis.data
            expr = sp.refine(expr, sp.Q.le(lower, index) & sp.Q.le(index, upper))
    return expr


def _substitute(expr: sp.Expr, hypotheses: Sequence[Hypothesis]) -> sp.Expr:
    """Use the equalities among the hypotheses: definitions, normalisations.

    Sums are first split by linearity and their indices renamed
    canonically, so that ``sum_j q_j`` matches a hypothesis on ``sum_i q_i``.
    """
    replacements = {}
    for hypothesis in hypotheses:
        if hypothesis.kind == "definition":
            symbol, value = hypothesis.data
            replacements[_canonical_sums(value)] = symbol
        elif hypothesis.kind == "normalised":
            replacements[_canonical_sums(hypothesis.data[0])] = sp.Integer(1)
        elif hypothesis.kind == "substitute":
            old, new = hypothesis.data
            expr = expr.xreplace({old: new})
    if not replacements:
        return expr
    return _canonical_sums(_split_sums(expr)).xreplace(replacements)


def _expand_logs(expr: sp.Expr, hypotheses: Sequence[Hypothesis]) -> sp.Expr:
    """``expand_log`` that splits only factors known to be positive.

    Positive factors are those SymPy can prove positive, sums of positive
    terms over a non-empty range (such as the softmax normaliser), and the
    expressions of :func:`positive` hypotheses. Each is replaced by a
    positive dummy while the logarithms are expanded (no ``force``), then
    put back.
    """
    stated = [h.data[0] for h in hypotheses if h.kind == "positive"]
    expr = _factor_log_arguments(expr)
    dummies = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.log):
            for factor in _log_factors(node.args[0]):
                if factor in dummies:
                    continue
                if _is_stated_positive(factor, stated) or _positive_sum(factor):
                    dummies[factor] = sp.Dummy("positive", positive=True)
    if dummies:
        expr = expr.xreplace(dummies)
    expr = sp.expand_log(expr)
    return expr.xreplace({d: e for e, d in dummies.items()})


def _log_factors(argument: sp.Expr) -> list[sp.Expr]:
    """The bases of the multiplicative factors of a log's argument."""
    argument = sp.factor_terms(argument)
    factors = []
    for factor in sp.Mul.make_args(argument):
        base = factor.base if isinstance(factor, sp.Pow) else factor
        factors.append(base)
    return factors


def _is_stated_positive(expr: sp.Expr, stated: Sequence[sp.Expr]) -> bool:
    return any(sp.expand(expr - s) == 0 for s in stated)


def _positive_sum(expr: sp.Expr) -> bool:
    """True for a sum of provably positive terms over a non-empty range."""
    if not isinstance(expr, sp.Sum):
        return False
    nonempty = all((upper - lower).is_nonnegative for _, lower, upper in expr.limits)
    summand = expr.function
    return nonempty and bool(summand.is_positive or _positive_sum(summand))


def _factor_log_arguments(expr: sp.Expr) -> sp.Expr:
    """``log(2 - 2p)`` as ``log(2 (1 - p))``: the positive 2 can split off."""
    return expr.replace(
        lambda e: isinstance(e, sp.log), lambda e: sp.log(sp.factor_terms(e.args[0]))
    )


def _simplifications(
    expr: sp.Expr, hypotheses: Sequence[Hypothesis]
) -> Iterator[sp.Expr]:
    """Candidate simplified forms of ``expr``, cheapest first (lazily)."""
    yield sp.simplify(expr)
    split = _substitute(_canonical_sums(_split_sums(sp.expand(expr))), hypotheses)
    yield sp.simplify(split)
    yield sp.simplify(sp.expand(split.doit()))


def _split_sums(expr: sp.Expr) -> sp.Expr:
    """Sums of sums apart, constant factors out: both are linearity."""

    def split(s: sp.Sum) -> sp.Expr:
        if any(bound.is_infinite for limit in s.limits for bound in limit[1:]):
            return s  # a series may not split: sum (a + b) needs convergence
        inner = _split_sums(sp.expand(s.function))
        pieces = [
            sp.factor_terms(sp.Sum(term, *s.limits)) for term in sp.Add.make_args(inner)
        ]
        return sp.Add(*[_pull_constants(piece) for piece in pieces])

    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def _pull_constants(piece: sp.Expr) -> sp.Expr:
    """``Sum(c * f(i))`` as ``c * Sum(f(i))`` for factors free of ``i``."""
    if not isinstance(piece, sp.Sum) or len(piece.limits) != 1:
        return piece
    ((variable, lower, upper),) = piece.limits
    constant, rest = piece.function.as_independent(variable, as_Add=False)
    if constant == 1:
        return piece
    if rest == 1:
        return constant * (upper - lower + 1)
    return constant * sp.Sum(rest, (variable, lower, upper))


def _canonical_sums(expr: sp.Expr, depth: int = 0) -> sp.Expr:
    """Rename every summation index by its nesting depth (alpha-renaming).

    ``sum_i q_i`` and ``sum_j q_j`` then become the same object, so a
    relabelled index cannot stop a proof; a sum whose lower limit is a
    constant is shifted to start at 1 (``sum_{i=2}^{K+1} q_{i-1}`` is
    ``sum_{i=1}^{K} q_i``).

    The walk goes from the outside in: an outer sum's index is renamed
    before the sums inside it are visited, so an inner index (renamed by
    its own, deeper level) can never capture an outer one.
    """
    if isinstance(expr, sp.Sum):
        limits, function = [], expr.function
        for level, (variable, lower, upper) in enumerate(expr.limits):
            new = _index_symbol(depth + level, variable)
            offset = lower - 1
            if not offset.is_Integer:
                offset = sp.Integer(0)
            # i = new + offset runs from 1 when i runs from ``lower``
            function = function.xreplace({variable: new + offset})
            limits.append((new, lower - offset, upper - offset))
        function = _canonical_sums(function, depth + len(expr.limits))
        return sp.Sum(function, *limits)
    if not expr.args or not expr.has(sp.Sum):
        return expr
    return expr.func(*[_canonical_sums(arg, depth) for arg in expr.args])


_INDEX_SYMBOLS: dict[tuple[int, tuple[tuple[str, Any], ...]], sp.Symbol] = {}


def _index_symbol(depth: int, like: sp.Symbol) -> sp.Symbol:
    """One dummy per nesting depth and assumption set, reused everywhere."""
    key = (depth, tuple(sorted(like.assumptions0.items())))
    if key not in _INDEX_SYMBOLS:
        _INDEX_SYMBOLS[key] = sp.Dummy(f"idx{depth}", **like.assumptions0)
    return _INDEX_SYMBOLS[key]


def _prove_by_cases(difference: sp.Expr, hypotheses: Sequence[Hypothesis]) -> bool:
    """Split on the sign of each real symbol inside ``Max``, ``Min``, ``Abs``.

    Proving ``d(t) = 0``, ``d(-t) = 0`` for a positive ``t`` and
    ``d(0) = 0`` covers every real value.
    """
    pieces = difference.atoms(sp.Max, sp.Min, sp.Abs, sp.sign)
    symbols = {s for piece in pieces for s in piece.free_symbols if s.is_real}
    if not symbols:
        return False
    cases = [difference]
    for symbol in symbols:
        t = sp.Dummy("t", positive=True)
        cases = [
            case.xreplace({symbol: value})
            for case in cases
            for value in (t, -t, sp.Integer(0))
        ]
    return all(_prove_directly(case, hypotheses) for case in cases)


def _proved_at_each_size(
    difference: sp.Expr, hypotheses: Sequence[Hypothesis], sizes: set[sp.Basic]
) -> bool:
    """Exact proof at every size in :data:`SIZES` (all sizes equal)."""
    for value in SIZES:
        point = {s: sp.Integer(value) for s in sizes}
        concrete = _concrete(difference, point)
        instances = [_instantiate(h, point) for h in hypotheses]
        try:
            if not _prove_directly(concrete, instances):
                return False
        except Exception:  # SymPy may raise anything: not a proof
            return False
    return True


def _at_concrete_size(hypothesis: Hypothesis) -> Hypothesis:
    """A normalisation over ``1..3`` becomes ``q_3 = 1 - q_1 - q_2``."""
    if hypothesis.kind != "normalised":
        return hypothesis
    ((_, lower, upper),) = hypothesis.data[0].limits
    if lower.is_Integer and upper.is_Integer:
        return _instantiate(hypothesis, {})
    return hypothesis


def _instantiate(hypothesis: Hypothesis, point: dict[sp.Basic, sp.Expr]) -> Hypothesis:
    """A hypothesis at concrete sizes.

    A normalisation becomes the substitution of its last entry,
    ``q_K = 1 - q_1 - ... - q_{K-1}``.
    """
    if hypothesis.kind == "normalised":
        members = _normalised_members([hypothesis], point)[0]
        last, others = members[-1], members[:-1]
        return Hypothesis(hypothesis.name, "substitute", (last, 1 - sp.Add(*others)))
    return Hypothesis(
        hypothesis.name,
        hypothesis.kind,
        tuple(sp.sympify(d).xreplace(point) for d in hypothesis.data),
    )
