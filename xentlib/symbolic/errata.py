r"""SymPy checks for chapter 13, *Errata*.

Each function states a claim from a popular explanation of cross-entropy, or
its correction, as a SymPy object that can be checked: an :class:`Identity`
whose ``holds()`` is ``True`` for a correct statement and ``False`` for a
wrong one, or a solved optimum. The chapter renders the corrections from
these objects and collects the verdicts in :class:`Erratum` records, from
which its summary table is generated (:func:`summary_table`), so that the
table and the checks cannot drift apart.

* **The sign of the decomposition.** :math:`H(q, p) = H(q) + D(q \| p)`
  holds; the popular :math:`H(q, p) = D(q \| p) - H(q)` does not
  (:func:`decomposition_claimed`, :func:`decomposition_correct`), shown for
  a concrete number of outcomes with free positive symbols.
* **The entropy term** :math:`-p \log p` is largest at :math:`p = 1/e`,
  not at the rarest outcome (:func:`entropy_term_maximiser`).
* **A misprinted binary cross-entropy** rewards a wrong prediction
  (:func:`bce_misprint_slope`).
* **The Brier score** (squared error on probabilities) is minimised in
  expectation by the true probability (:func:`brier_minimiser`).
* **The gambler.** The expected log-wealth of staking a fraction :math:`a`
  at even odds is :math:`p \log(1 + a) + (1 - p)\log(1 - a)`, maximised at
  :math:`a = 2p - 1`; the form :math:`p \log a + (1 - p) \log(1 - a)` is
  maximised at :math:`a = p` and belongs to a different bet
  (:func:`kelly_stake_maximiser`, :func:`kelly_split_maximiser`).
* **One-hot targets.** The loss of a one-hot target is
  :math:`\log(1 + \sum_{k \ne 1} e^{z_k - z_1}) > 0` for every finite
  logit vector: its infimum 0 is never reached (:func:`one_hot_loss`).

See chapter 13, *Errata*.
"""

from dataclasses import dataclass

import sympy as sp

from ._core import Identity

__all__ = [
    "Erratum",
    "VERDICTS",
    "summary_table",
    "distribution_symbols",
    "decomposition_claimed",
    "decomposition_correct",
    "entropy_term_maximiser",
    "bce_correct",
    "bce_misprint",
    "bce_misprint_slope",
    "brier_minimiser",
    "kelly_stake_maximiser",
    "kelly_split_maximiser",
    "one_hot_loss",
]

#: The verdicts a claim can get, in the order of the summary table's legend.
#: "imprecise": a number the source marks as approximate, off in its last
#: digit (a slip of precision, not a wrong statement).
VERDICTS = ("wrong", "misleading", "true with a missing condition",
            "imprecise", "true")

#: A probability, a target, a fraction of wealth and a predicted probability.
prob = sp.Symbol("p", positive=True)
target = sp.Symbol("y", nonnegative=True)
stake = sp.Symbol("a", positive=True)
yhat = sp.Symbol("yhat", positive=True)
q_true = sp.Symbol("q", positive=True)


@dataclass(frozen=True)
class Erratum:
    """One checked claim: what it says, the verdict, and where it is treated.

    Parameters
    ----------
    topic : str
        The group the claim belongs to (a section of the chapter).
    claim : str
        The claim, paraphrased (MyST Markdown).
    verdict : str
        One of :data:`VERDICTS`.
    evidence : str
        The outcome of the check, with its computed numbers (MyST Markdown).
    where : str
        The chapter that treats the subject (MyST Markdown, e.g. a ``{doc}``
        link).

    Examples
    --------
    >>> Erratum("t", "c", "wrong", "e", "w").verdict
    'wrong'
    >>> Erratum("t", "c", "wrong-ish", "e", "w")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of ('wrong', 'misleading', \
'true with a missing condition', 'imprecise', 'true'), got 'wrong-ish'
    """

    topic: str
    claim: str
    verdict: str
    evidence: str
    where: str

    def __post_init__(self):
        for name in ("topic", "claim", "verdict", "evidence", "where"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, "
                                f"got {type(getattr(self, name)).__name__}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, "
                             f"got {self.verdict!r}")


def summary_table(records):
    """A Markdown table of :class:`Erratum` records: number, claim, verdict.

    Parameters
    ----------
    records : sequence of Erratum
        In the order of the chapter; numbered from 1.

    Returns
    -------
    str
        A pipe table with the columns ``#``, ``Claim``, ``Verdict``,
        ``Check`` and ``Where``. A ``|`` inside a cell is escaped.

    Examples
    --------
    >>> row = Erratum("t", "KL is a distance", "wrong", "not symmetric",
    ...               "chapter 3")
    >>> print(summary_table([row]))
    | # | Claim | Verdict | Check | Where |
    |---|---|---|---|---|
    | 1 | KL is a distance | wrong | not symmetric | chapter 3 |
    """
    records = list(records)
    if not records:
        raise ValueError("records must not be empty")
    for record in records:
        if not isinstance(record, Erratum):
            raise TypeError("records must contain Erratum objects, "
                            f"got {type(record).__name__}")
    lines = ["| # | Claim | Verdict | Check | Where |", "|---|---|---|---|---|"]
    for number, record in enumerate(records, start=1):
        cells = [record.claim, record.verdict, record.evidence, record.where]
        cells = [cell.replace("|", r"\|") for cell in cells]
        lines.append(f"| {number} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def distribution_symbols(n=3):
    """Free positive symbols ``q1..qn`` and ``p1..pn`` for ``n`` outcomes."""
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    q = sp.symbols(f"q1:{n + 1}", positive=True)
    p = sp.symbols(f"p1:{n + 1}", positive=True)
    return q, p


def _sums(n):
    q, p = distribution_symbols(n)
    cross = -sum(a * sp.log(b) for a, b in zip(q, p))
    entropy = -sum(a * sp.log(a) for a in q)
    kl = sum(a * sp.log(a / b) for a, b in zip(q, p))
    return cross, entropy, kl


def decomposition_claimed(n=3):
    r"""The popular claim :math:`H(q, p) = D_{\mathrm{KL}}(q\|p) - H(q)`.

    Stated for ``n`` outcomes with free positive symbols; it does **not**
    hold (the two sides differ by :math:`2 H(q)`).

    Examples
    --------
    >>> decomposition_claimed().holds()
    False
    """
    cross, entropy, kl = _sums(n)
    return Identity(cross, kl - entropy)


def decomposition_correct(n=3):
    r"""The correct :math:`H(q, p) = H(q) + D_{\mathrm{KL}}(q\|p)`.

    Examples
    --------
    >>> decomposition_correct().holds()
    True
    """
    cross, entropy, kl = _sums(n)
    return Identity(cross, entropy + kl)


def entropy_term_maximiser():
    r"""Where the entropy term :math:`-p \log p` is largest: :math:`p = 1/e`.

    Returns
    -------
    Identity
        ``solution of d/dp (-p log p) = 0`` equals ``exp(-1)``; the second
        derivative there, :math:`-1/p = -e`, is negative.

    Examples
    --------
    >>> entropy_term_maximiser().holds()
    True
    """
    term = -prob * sp.log(prob)
    (solution,) = sp.solve(sp.diff(term, prob), prob)
    return Identity(solution, sp.exp(-1))


def bce_correct():
    r""":math:`-\bigl(y \log \hat y + (1 - y)\log(1 - \hat y)\bigr)`."""
    return -(target * sp.log(yhat) + (1 - target) * sp.log(1 - yhat))


def bce_misprint():
    r"""The misprint :math:`-y \log \hat y + (1 - y)\log(1 - \hat y)`.

    The minus sign covers only the first term.
    """
    return -target * sp.log(yhat) + (1 - target) * sp.log(1 - yhat)


def bce_misprint_slope():
    r"""Slope of the misprint in :math:`\hat y` for the label :math:`y = 0`.

    Returns
    -------
    Identity
        :math:`\frac{d}{d\hat y}` of the misprint at :math:`y = 0` equals
        :math:`1/(\hat y - 1)`, negative on :math:`(0, 1)`: the more
        probability the model puts on the wrong class, the *lower* the
        "loss".

    Examples
    --------
    >>> bce_misprint_slope().holds()
    True
    """
    slope = sp.diff(bce_misprint().subs(target, 0), yhat)
    return Identity(slope, 1 / (yhat - 1))


def brier_minimiser():
    r"""The expected Brier score :math:`q(1 - p)^2 + (1 - q)p^2` is least at :math:`p = q`.

    Squared error on a predicted probability :math:`p` of a label that is 1
    with probability :math:`q`. Its second derivative is 2, so the stationary
    point is the minimum: the squared error is a proper scoring rule.

    Examples
    --------
    >>> brier_minimiser().holds()
    True
    """
    expected = q_true * (1 - prob) ** 2 + (1 - q_true) * prob ** 2
    (solution,) = sp.solve(sp.diff(expected, prob), prob)
    return Identity(solution, q_true)


def _maximiser(objective):
    (solution,) = sp.solve(sp.diff(objective, stake), stake)
    return solution


def kelly_stake_maximiser():
    r"""Stake a fraction :math:`a` at even odds: the best :math:`a` is :math:`2p - 1`.

    Wealth is multiplied by :math:`1 + a` with probability :math:`p` and by
    :math:`1 - a` otherwise, so the expected log-wealth per bet is
    :math:`p \log(1 + a) + (1 - p) \log(1 - a)`.

    Examples
    --------
    >>> kelly_stake_maximiser().holds()
    True
    """
    objective = prob * sp.log(1 + stake) + (1 - prob) * sp.log(1 - stake)
    return Identity(_maximiser(objective), 2 * prob - 1)


def kelly_split_maximiser():
    r"""The form :math:`p \log a + (1 - p) \log(1 - a)` is largest at :math:`a = p`.

    It is the expected log-wealth (up to :math:`\log 2`) of *splitting* all
    wealth between the two outcomes at fair even odds, a fraction :math:`a`
    on the win, not of staking :math:`a` and keeping the rest.

    Examples
    --------
    >>> kelly_split_maximiser().holds()
    True
    """
    objective = prob * sp.log(stake) + (1 - prob) * sp.log(1 - stake)
    return Identity(_maximiser(objective), prob)


def one_hot_loss(n=3):
    r"""The loss of a one-hot target (class 1) as a function of ``n`` logits.

    Returns
    -------
    (Identity, logits)
        :math:`e^{L} = 1 + \sum_{k=2}^{n} e^{z_k - z_1}` for the loss
        :math:`L = -\log \operatorname{softmax}(z)_1`. The right side
        exceeds 1 for finite logits, so :math:`L > 0`: its infimum 0 is not
        attained. (Stated for :math:`e^{L}`, which SymPy simplifies
        reliably; ``log`` of ``rhs`` is the loss.)

    Examples
    --------
    >>> identity, logits = one_hot_loss()
    >>> identity.holds()
    True
    """
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    z = sp.symbols(f"z1:{n + 1}", real=True)
    normaliser = sum(sp.exp(v) for v in z)
    loss = -sp.log(sp.exp(z[0]) / normaliser)
    rest = 1 + sum(sp.exp(v - z[0]) for v in z[1:])
    return Identity(sp.exp(loss), rest), z
