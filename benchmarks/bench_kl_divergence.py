"""kl_divergence against scipy.special.kl_div(q, p).sum(axis): time and accuracy.

Close distributions, as in issue 9: q = x / x.sum() (x exponential), and
p = q (1 + 1e-4 noise), renormalised. Times are the best of interleaved
repeats (the machine is shared); accuracy is the largest error in eps of
float64 against mpmath at 100 digits, for the KL divergence of the exactly
renormalised inputs q / sum(q) and p / sum(p), on the first rows.

Run: .venv/bin/python benchmarks/bench_kl_divergence.py
"""

import timeit

import mpmath
import numpy as np
from scipy.special import kl_div

from xentlib import kl_divergence

EPS = np.finfo(np.float64).eps


def close_pair(rng, shape):
    x = rng.exponential(size=shape)
    q = x / x.sum(axis=-1, keepdims=True)
    p = q * (1 + 1e-4 * rng.standard_normal(shape))
    return q, p / p.sum(axis=-1, keepdims=True)


def mp_kl(q, p):
    """KL(q / sum q || p / sum p) at 100 digits from the exact floats."""
    with mpmath.workdps(100):
        qs = [mpmath.mpf(float(v)) for v in q]
        ps = [mpmath.mpf(float(v)) for v in p]
        sq, sp = mpmath.fsum(qs), mpmath.fsum(ps)
        return mpmath.fsum((a / sq) * mpmath.log((a / sq) / (b / sp))
                           for a, b in zip(qs, ps) if a > 0)


def eps_error(got, ref):
    return float(abs(mpmath.mpf(float(got)) - ref) / (EPS * abs(ref)))


def best_time(function, number):
    return min(timeit.repeat(function, number=number, repeat=7)) / number


def main():
    rng = np.random.default_rng(2026)
    print(f"{'shape':>14} {'scipy us':>10} {'xentlib us':>11} {'ratio':>6}"
          f" {'xentlib eps':>12} {'scipy eps':>10}")
    for shape in [(10,), (1000,), (100, 1000), (1000, 1000), (10, 100_000)]:
        q, p = close_pair(rng, shape)
        number = max(1, int(1e6 // q.size))
        t_scipy = t_ours = np.inf
        for _ in range(3):  # interleaved, so that both see the same load
            t_scipy = min(t_scipy, best_time(
                lambda: kl_div(q, p).sum(axis=-1), number))
            t_ours = min(t_ours, best_time(lambda: kl_divergence(q, p), number))
        rows_q, rows_p = q.reshape(-1, shape[-1]), p.reshape(-1, shape[-1])
        ours = np.atleast_1d(kl_divergence(rows_q, rows_p))
        theirs = kl_div(rows_q, rows_p).sum(axis=-1)
        checked = range(min(3, rows_q.shape[0]))
        refs = [mp_kl(rows_q[i], rows_p[i]) for i in checked]
        err_ours = max(eps_error(ours[i], r) for i, r in zip(checked, refs))
        err_scipy = max(eps_error(theirs[i], r) for i, r in zip(checked, refs))
        print(f"{str(shape):>14} {t_scipy * 1e6:10.1f} {t_ours * 1e6:11.1f}"
              f" {t_ours / t_scipy:6.2f} {err_ours:12.2f} {err_scipy:10.3g}")


if __name__ == "__main__":
    main()
