"""Binary prefix codes: Huffman's construction and the quantities around it.

Entropy is a lower bound on the average length of any binary code, and
Huffman's code (Huffman, 1952) is the shortest prefix code, within one bit
of that bound. These functions build the code and measure it, so that the
book can check ``H <= L < H + 1`` on concrete distributions.

All lengths are in bits. See chapter 2, *Entropy*.
"""

import heapq
import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import as_float_array, check_distribution, check_same_shape

__all__ = [
    "huffman_code",
    "huffman_lengths",
    "shannon_lengths",
    "expected_length",
    "kraft_sum",
    "is_prefix_free",
]


def _as_distribution(p: Any, name: str) -> Any:
    """``p`` as a validated 1-D float array of probabilities."""
    p = as_float_array(p, name)
    if p.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {p.shape}")
    check_distribution(p, name)
    return p


def _check_lengths(values: Any, name: str) -> Any:
    """Raise unless the float array ``values`` is finite and non-negative."""
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite")
    if (values < 0).any():
        raise ValueError(f"{name} must be non-negative")


def _as_lengths(lengths: Any, name: str = "lengths") -> Any:
    """``lengths`` as a 1-D float64 array of non-negative whole numbers.

    Kept as floats: a length of ``2**63`` bits is a valid (if useless)
    codeword length that int64 cannot hold.
    """
    values = as_float_array(lengths, name)
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {values.shape}")
    _check_lengths(values, name)
    if (values != np.round(values)).any():
        raise ValueError(f"{name} must be whole numbers of bits")
    return values.astype(np.float64)


def huffman_lengths(p: npt.ArrayLike) -> Any:
    """Codeword lengths of the binary Huffman code for ``p``.

    Huffman's algorithm repeatedly merges the two least probable nodes into
    one; each merge adds one bit to the codewords of every symbol below it.
    The result minimises the expected length :math:`\\sum_i p_i l_i` over
    all binary prefix codes.

    Parameters
    ----------
    p : array_like, shape (K,)
        A probability distribution. Zeros are allowed: such symbols still
        get a codeword (one of the longest).

    Returns
    -------
    numpy.ndarray of int64, shape (K,)
        ``lengths[i]`` is the number of bits of the codeword of symbol
        ``i``. Every length is at least 1 (for ``K = 1`` the code is ``"0"``,
        see :func:`huffman_code`).

    Notes
    -----
    Ties are broken deterministically: among nodes of equal probability the
    one created first is merged first, where the leaves are created in the
    order of ``p`` and merged nodes after them, in order of creation. With
    this rule the result depends only on ``p``, not on the platform. For
    ``K >= 2`` the lengths satisfy Kraft's equality
    :math:`\\sum_i 2^{-l_i} = 1` (the code tree is full).

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> huffman_lengths([0.5, 0.25, 0.125, 0.125])
    array([1, 2, 3, 3])
    >>> huffman_lengths([0.4, 0.3, 0.2, 0.1])
    array([1, 2, 3, 3])
    """
    p = _as_distribution(p, "p")
    return _huffman_lengths(p)


def _huffman_lengths(p: Any) -> Any:
    k = p.size
    lengths = np.zeros(k, dtype=np.int64)
    if k == 1:
        lengths[0] = 1  # one symbol still costs one bit (see huffman_code)
        return lengths
    # Heap entries (weight, creation order, symbols below the node): the
    # creation order breaks ties between equal weights deterministically.
    heap = [(float(weight), order, [order]) for order, weight in enumerate(p)]
    heapq.heapify(heap)
    created = itertools.count(k)
    while len(heap) > 1:
        weight_a, _, below_a = heapq.heappop(heap)
        weight_b, _, below_b = heapq.heappop(heap)
        below = below_a + below_b
        lengths[below] += 1  # every symbol under the merge gets one more bit
        heapq.heappush(heap, (weight_a + weight_b, next(created), below))
    return lengths


def _canonical_codewords(lengths: Any) -> Any:
    """Canonical prefix code for ``lengths`` (RFC 1951, section 3.2.2).

    Codewords are handed out in order of (length, symbol index); each is the
    previous one plus one, shifted left when the length grows. This needs
    only the lengths and Kraft's inequality.
    """
    order = sorted(range(len(lengths)), key=lambda index: (lengths[index], index))
    codewords = [""] * len(lengths)
    value, previous_length = 0, int(lengths[order[0]])
    for position, index in enumerate(order):
        length = int(lengths[index])
        if position > 0:
            value = (value + 1) << (length - previous_length)
        codewords[index] = format(value, f"0{length}b")
        previous_length = length
    return codewords


def huffman_code(
    p: npt.ArrayLike, symbols: Sequence[Hashable] | None = None
) -> dict[Hashable, str]:
    """The binary Huffman code for ``p``, as a mapping symbol -> codeword.

    Parameters
    ----------
    p : array_like, shape (K,)
        A probability distribution over ``K`` symbols.
    symbols : sequence of hashable, length K, optional
        Names of the symbols, in the order of ``p``; default ``0 .. K-1``.

    Returns
    -------
    dict
        ``{symbol: codeword}`` where each codeword is a string of ``"0"`` and
        ``"1"`` of length ``huffman_lengths(p)[i]``, in the order of ``p``.

    Notes
    -----
    The lengths come from :func:`huffman_lengths` (its Notes give the
    tie-breaking rule). The bits are then assigned canonically, as DEFLATE
    does: shorter codewords first, equal lengths in symbol order, each
    codeword the binary successor of the previous one. So the code is fully
    determined by ``p`` and is prefix-free.

    With a single symbol (``K = 1``) the code is ``{symbol: "0"}``. The empty
    codeword would cost nothing, but then every message, whatever its number
    of symbols, would be the empty string: the code could not be decoded
    into sequences. So every codeword has at least one bit, and for a
    certain outcome the expected length is ``H + 1 = 1`` bit, not less.

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> huffman_code([0.5, 0.25, 0.125, 0.125], symbols="abcd")
    {'a': '0', 'b': '10', 'c': '110', 'd': '111'}
    >>> huffman_code([1.0])
    {0: '0'}
    """
    p = _as_distribution(p, "p")
    if symbols is None:
        symbols = range(p.size)
    symbols = list(symbols)
    if len(symbols) != p.size:
        raise ValueError(
            f"symbols must name each of the {p.size} probabilities, "
            f"got {len(symbols)} names"
        )
    try:
        distinct = len(set(symbols)) == len(symbols)
    except TypeError:
        raise TypeError("symbols must be hashable (they become dict keys)") from None
    if not distinct:
        raise ValueError("symbols must be distinct")
    codewords = _canonical_codewords(_huffman_lengths(p))
    return dict(zip(symbols, codewords, strict=True))


def shannon_lengths(p: npt.ArrayLike) -> Any:
    """Shannon's code lengths :math:`l_i = \\lceil \\log_2 (1/p_i) \\rceil`.

    These lengths satisfy Kraft's inequality, so a prefix code with them
    exists, and its expected length is below ``H + 1``: the textbook route to
    the upper bound that Huffman's code then beats or matches.

    Parameters
    ----------
    p : array_like, shape (K,)
        A probability distribution with every entry positive.

    Returns
    -------
    numpy.ndarray of int64, shape (K,)

    Notes
    -----
    Computed exactly from the binary exponent: with
    :math:`p = m 2^e`, :math:`m \\in [1/2, 1)` (``numpy.frexp``),
    :math:`\\lceil -\\log_2 p \\rceil = 1 - e`, so a dyadic probability such
    as ``0.125`` gets exactly 3 bits, with no rounding of a logarithm.

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> shannon_lengths([0.5, 0.3, 0.2])
    array([1, 2, 3])
    """
    p = _as_distribution(p, "p")
    if (p == 0).any():
        raise ValueError("p must be positive: a zero probability has no Shannon length")
    _, exponent = np.frexp(p)
    return (1 - exponent).astype(np.int64)


def expected_length(lengths: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Average codeword length when the symbols follow ``q``.

    .. math:: L = \\sum_{i=1}^{K} q_i \\, l_i

    Parameters
    ----------
    lengths : array_like, shape (K,)
        Codeword lengths in bits (finite, non-negative; they need not be
        whole numbers, so ideal lengths such as ``-log2(p)`` may be passed).
    q : array_like, shape (K,)
        The distribution the symbols are drawn from.

    Returns
    -------
    float
        Expected bits per symbol.

    Notes
    -----
    See chapter 2, *Entropy*.

    Examples
    --------
    >>> print(f"{expected_length([1, 2, 3, 3], [0.4, 0.3, 0.2, 0.1]):.2f}")
    1.90
    """
    lengths = as_float_array(lengths, "lengths")
    q = _as_distribution(q, "q")
    check_same_shape(lengths, "lengths", q, "q")
    _check_lengths(lengths, "lengths")
    return math.fsum(q * lengths)


def kraft_sum(lengths: npt.ArrayLike) -> float:
    """Kraft's sum :math:`\\sum_i 2^{-l_i}` of whole-bit codeword lengths.

    A prefix code with these lengths exists if and only if the sum is at
    most 1 (Kraft's inequality); a full code tree, such as Huffman's for
    ``K >= 2``, gives exactly 1.

    Parameters
    ----------
    lengths : array_like of int, shape (K,)

    Returns
    -------
    float

    Notes
    -----
    See chapter 2, *Entropy*.

    Examples
    --------
    >>> kraft_sum([1, 2, 3, 3])
    1.0
    >>> kraft_sum([1, 2, 2, 2])
    1.25
    """
    lengths = _as_lengths(lengths)
    # Powers of two are exact in floating point; fsum adds them exactly.
    # Lengths past 1075 bits give 2**-length = 0 (below the smallest
    # subnormal); clipping first keeps int() of 2**63 from overflowing.
    shortest_zero = 1075
    return math.fsum(
        math.ldexp(1.0, -int(min(length, shortest_zero))) for length in lengths
    )


def is_prefix_free(codewords: Iterable[str]) -> bool:
    """True when no codeword is a prefix of another (distinct) codeword.

    Parameters
    ----------
    codewords : dict or iterable of str
        Non-empty strings of ``"0"`` and ``"1"``; for a dict, its values.
        A repeated codeword counts as a prefix of itself, so it makes the
        code not prefix-free.

    Returns
    -------
    bool

    Notes
    -----
    After sorting, a codeword that is a prefix of another is a prefix of its
    immediate successor, so one pass over neighbours suffices:
    :math:`O(K \\log K)` comparisons instead of :math:`O(K^2)`.

    See chapter 2, *Entropy*.

    Examples
    --------
    >>> is_prefix_free(["0", "10", "11"])
    True
    >>> is_prefix_free(["0", "01", "11"])
    False
    """
    if isinstance(codewords, dict):
        codewords = codewords.values()
    if isinstance(codewords, str):
        raise TypeError("codewords must be a collection of strings, not one string")
    words = list(codewords)
    for word in words:
        if not isinstance(word, str):
            raise TypeError(f"codewords must be strings, got {type(word).__name__}")
        if word == "" or set(word) - {"0", "1"}:
            raise ValueError(
                f"codewords must be non-empty strings of 0 and 1, got {word!r}"
            )
    words.sort()
    return not any(b.startswith(a) for a, b in itertools.pairwise(words))
