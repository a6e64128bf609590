"""High-precision references with mpmath, for the accuracy tests of xentlib.

Every reference is computed at 100 significant digits from the *exact* float
inputs: each value is converted with ``mpmath.mpf(float(v))``, which is exact
for float16, float32 and float64, so the reference sees the very bits the
function under test saw. The formulas here are the textbook definitions
(``log(sum(exp(x)))``, ``-sum(q log q)``, ...), written independently of
xentlib's stable algorithms: at 100 digits no shift or log1p is needed.

:func:`eps_error` measures a result against such a reference in units of the
dtype's machine epsilon, relative to ``|ref|``.
"""

import mpmath
import numpy as np

DPS = 100


def mpf(v):
    """The exact value of the float ``v`` as an mpmath number."""
    return mpmath.mpf(float(v))


def _flat(x):
    return [mpf(v) for v in np.asarray(x).ravel()]


def _dps(values):
    """Digits to resolve ``1 + e^-D`` for the spread ``D`` of the finite values.

    100 digits are not enough for ``log(1 + e^-400)``: the tiny part would be
    lost, so the precision grows with the dynamic range of the inputs.
    """
    finite = [v for v in values if mpmath.isfinite(v)]
    spread = max(finite) - min(finite) if finite else 0
    return DPS + int(spread / 2.3) + 10


def mp_logsumexp(x):
    """``log(sum(exp(x)))`` of a 1-D sequence; ``-inf`` for an empty one."""
    values = _flat(x)
    with mpmath.workdps(_dps(values)):
        if any(v == mpmath.inf for v in values):
            return mpmath.inf
        total = mpmath.fsum(mpmath.exp(v) for v in values if v != -mpmath.inf)
        return mpmath.log(total) if total > 0 else -mpmath.inf


def mp_log_softmax(x):
    """``x_i - log(sum_j exp(x_j))`` for a 1-D sequence with a finite max.

    Written as ``-log(sum_j exp(x_j - x_i))`` so that a one-element row gives
    exactly 0 (``v - log(exp(v))`` leaves a 1e-112 residue at 100 digits).
    """
    values = _flat(x)
    with mpmath.workdps(_dps(values)):
        return [
            -mpmath.log(mpmath.fsum(mpmath.exp(w - v) for w in values))
            if v != -mpmath.inf else -mpmath.inf
            for v in values
        ]


def mp_softmax(x):
    """``exp(x_i) / sum(exp(x))`` for a 1-D sequence with a finite max."""
    values = _flat(x)
    with mpmath.workdps(_dps(values)):
        exps = [mpmath.exp(v) for v in values]
        total = mpmath.fsum(exps)
        return [e / total for e in exps]


def mp_sigmoid(v):
    """``1 / (1 + exp(-v))``."""
    with mpmath.workdps(_dps([mpf(v), 0])):
        return 1 / (1 + mpmath.exp(-mpf(v)))


def mp_log_sigmoid(v):
    """``-log(1 + exp(-v))``."""
    with mpmath.workdps(_dps([mpf(v), 0])):
        return -mpmath.log(1 + mpmath.exp(-mpf(v)))


def _log(x, base):
    return mpmath.log(x) if base is None else mpmath.log(x) / mpmath.log(base)


def mp_surprisal(p, base=None):
    with mpmath.workdps(DPS):
        p = mpf(p)
        return mpmath.inf if p == 0 else -_log(p, base)


def mp_entropy(q, base=None):
    """``-sum(q log q)`` with ``0 log 0 = 0``, for a 1-D sequence."""
    with mpmath.workdps(DPS):
        return -mpmath.fsum(v * _log(v, base) for v in _flat(q) if v > 0)


def mp_binary_entropy(p, base=None):
    """``-p log p - (1 - p) log(1 - p)``, with enough digits for ``1 - p`` exact.

    At 100 digits ``1 - 1e-300`` would round to 1 and lose the ``-p`` part of
    ``(1 - p) log(1 - p)``; the precision grows with ``-log10(p)``.
    """
    p = mpf(p)
    extra = int(-mpmath.log10(p)) if 0 < p < 1 else 0
    with mpmath.workdps(DPS + extra):
        return -mpmath.fsum(v * _log(v, base) for v in (p, 1 - p) if v > 0)


def mp_cross_entropy(q, p, base=None):
    """``-sum(q log p)`` over ``q > 0`` (``inf`` if some ``p`` there is 0)."""
    with mpmath.workdps(DPS):
        terms = []
        for qi, pi in zip(_flat(q), _flat(p)):
            if qi == 0:
                continue
            if pi == 0:
                return mpmath.inf
            terms.append(-qi * _log(pi, base))
        return mpmath.fsum(terms)


def mp_kl_divergence(q, p, base=None, generalised=True):
    """KL divergence of 1-D sequences.

    ``generalised=True`` gives ``sum(q log(q/p) - q + p)`` (what xentlib
    documents it computes; equal to KL when both sum to exactly 1),
    ``generalised=False`` the textbook ``sum(q log(q/p))``.
    """
    with mpmath.workdps(DPS):
        terms = []
        for qi, pi in zip(_flat(q), _flat(p)):
            if qi > 0 and pi == 0:
                return mpmath.inf
            if qi > 0:
                terms.append(qi * mpmath.log(qi / pi))
            if generalised:
                terms.append(pi - qi)
        nats = mpmath.fsum(terms)
        return nats if base is None else nats / mpmath.log(base)


def eps_error(got, ref, dtype):
    """``|got - ref| / (eps * max(|ref|, tiny))`` elementwise, as a float ndarray.

    ``got`` is array-like, ``ref`` an mpmath number or a (nested) sequence of
    them of the same size; ``eps`` and ``tiny`` (the smallest normal number)
    are those of ``dtype``. Below ``tiny`` relative accuracy does not exist
    (subnormals have fewer digits), hence the floor. Equal infinities and
    exact zeros count as error 0; any other mismatch of infinities, or a
    non-zero result for a zero reference, counts as ``inf``.
    """
    eps = mpmath.mpf(float(np.finfo(dtype).eps))
    tiny = mpmath.mpf(float(np.finfo(dtype).tiny))
    got_flat = np.asarray(got).ravel()
    ref_flat = np.asarray(ref, dtype=object).ravel()
    if got_flat.size != ref_flat.size:
        raise ValueError(f"sizes differ: {got_flat.size} and {ref_flat.size}")
    errors = []
    with mpmath.workdps(DPS):
        for g, r in zip(got_flat, ref_flat):
            g = mpf(g)
            if mpmath.isinf(r) or mpmath.isinf(g):
                errors.append(0.0 if g == r else np.inf)
            elif r == 0:
                errors.append(0.0 if g == 0 else np.inf)
            else:
                errors.append(float(abs(g - r) / (eps * max(abs(r), tiny))))
    return np.array(errors).reshape(np.shape(got))
