"""Memory and time of linear + cross-entropy: fused (chunked) vs unfused.

The task: hidden states ``H`` (N, d), an output embedding ``W`` (V, d),
integer labels; the mean cross-entropy of ``H W^T`` and the gradients with
respect to ``H`` and ``W``. Two implementations on the same data:

- ``unfused``: ``Z = H @ W.T``, then
  :func:`xentlib.softmax_cross_entropy_with_grad` (already fused itself:
  its extra memory is the gradient), then ``G @ W`` and ``G.T @ H``;
- ``fused``: :func:`xentlib.linear_cross_entropy` with several chunk sizes.

Peak extra memory is measured with ``tracemalloc`` (numpy reports its
allocations to it) and includes the returned gradients; time is the median
wall clock of ``--repeats`` runs after a warm-up. Chapter 11 computes the
sizes analytically; this script measures them.

Usage: ``python benchmarks/bench_linear_cross_entropy.py [--n 2048 --v 32000
--d 256]``.
"""

import argparse
import statistics
import time
import tracemalloc

import numpy as np

import xentlib


def unfused(h, w, y):
    z = h @ w.T
    loss, g = xentlib.softmax_cross_entropy_with_grad(z, y)
    del z
    return loss, g @ w, g.T @ h


def peak_mib(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--v", type=int, default=32000)
    parser.add_argument("--d", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    h = rng.normal(size=(args.n, args.d)).astype(np.float32)
    w = (rng.normal(size=(args.v, args.d)) / np.sqrt(args.d)).astype(
        np.float32)
    y = rng.integers(args.v, size=args.n)
    logits_mib = args.n * args.v * 4 / 2**20
    inputs_mib = (h.nbytes + w.nbytes) / 2**20

    ref = unfused(h, w, y)
    for chunk in [256, 1024]:
        got = xentlib.linear_cross_entropy(h, w, y, chunk_size=chunk)
        assert np.allclose(got[0], ref[0], rtol=1e-5)
        assert np.allclose(got[2], ref[2], rtol=1e-3, atol=1e-6)

    print(f"float32 N={args.n} V={args.v} d={args.d}: logits "
          f"{logits_mib:.0f} MiB, H + W {inputs_mib:.0f} MiB; "
          f"median of {args.repeats}")
    print()
    print(f"{'':16s}{'time (s)':>10s}{'peak (MiB)':>12s}{'/ logits':>10s}")
    cases = [("unfused", lambda: unfused(h, w, y))]
    for chunk in [128, 512, None]:
        name = f"fused c={chunk}" if chunk else "fused default"
        cases.append((name, lambda c=chunk: xentlib.linear_cross_entropy(
            h, w, y, chunk_size=c)))
    for name, fn in cases:
        peak = peak_mib(fn)
        t = median_time(fn, args.repeats)
        print(f"{name:16s}{t:10.3f}{peak:12.1f}{peak / logits_mib:9.2f}x")


if __name__ == "__main__":
    main()
