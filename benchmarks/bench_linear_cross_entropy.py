"""Memory and time of linear + cross-entropy: chunk size, recompute, filtering.

The task: hidden states ``H`` (N, d), an output embedding ``W`` (V, d),
integer labels; the mean cross-entropy of ``H W^T`` and the gradients with
respect to ``H`` and ``W``. On the same data, in one process:

1. **Chunk size.** ``materialised``: ``Z = H @ W.T``, then
   :func:`xentlib.softmax_cross_entropy_with_grad` (its extra memory is the
   gradient), then ``G @ W`` and ``G.T @ H``; ``before``: the chunked loop
   xentlib had until issue 13 (a fresh (c, V) block per chunk and
   ``grad_W += G_c.T @ H_c``, a (V, d) temporary per chunk) at its old
   default of 32 MiB of logits per chunk; ``fused c=...``:
   :func:`xentlib.linear_cross_entropy` at several chunk sizes and at its
   default (:func:`xentlib.scale.default_chunk_size`).
2. **Recompute or keep.** ``recompute=True`` (a first pass keeps the N
   log-sum-exps, a second computes the logits again: Cut Cross-Entropy's
   forward/backward) against the one-pass fused loss and the materialised
   one.
3. **Gradient filtering** (``filter_eps``) on two kinds of logits: an
   untrained layer (random W, nearly uniform softmax) and a trained-like one
   (each hidden state close to its label's embedding, a peaked softmax).
   Errors are relative Frobenius norms against the exact gradients in
   float64; beside them the error of merely rounding the exact gradients to
   bfloat16.

Peak memory is measured with ``tracemalloc`` (numpy reports its
allocations to it) and includes the returned gradients; it is also shown as
a multiple of the gradients' bytes, (N + V) d floats. Time is the median
wall clock (and process CPU time) of ``--repeats`` runs after a warm-up.

Usage: ``python benchmarks/bench_linear_cross_entropy.py [--n 2048 --v 32000
--d 256 --repeats 3] [--skip-filter]``.
"""

import os

# One BLAS thread: on a shared machine OpenBLAS's second thread spin-waits
# for a busy core, and the CPU time then measures the waiting (numpy's
# ufuncs are single-threaded anyway). Set OPENBLAS_NUM_THREADS to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import xentlib  # noqa: E402
from xentlib.scale import default_chunk_size  # noqa: E402

OLD_CHUNK_BYTES = 1 << 25  # the default before issue 13


def materialised(h, w, y):
    z = h @ w.T
    loss, g = xentlib.softmax_cross_entropy_with_grad(z, y)
    del z
    return loss, g @ w, g.T @ h


def before(h, w, y, chunk):
    """The chunked loop before issue 13: fresh blocks, a (V, d) temporary."""
    n = len(y)
    grad_h = np.empty_like(h)
    grad_w = np.zeros_like(w)
    total = 0.0
    for i in range(0, n, chunk):
        j = min(i + chunk, n)
        z = h[i:j] @ w.T
        loss, g = xentlib.softmax_cross_entropy_with_grad(
            z, y[i:j], reduction="sum")
        del z
        g /= n
        total += float(loss)
        grad_h[i:j] = g @ w
        grad_w += g.T @ h[i:j]
    return total / n, grad_h, grad_w


def peak_mib(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def timed(fn, repeats):
    """Median wall-clock and CPU seconds of ``repeats`` runs after a warm-up."""
    fn()
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def bfloat16_round(x):
    """float32 -> nearest bfloat16 (ties to even), returned as float32."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    bits = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (bits & np.uint32(0xFFFF0000)).view(np.float32)


def rel(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def table(rows, ref_time, grad_mib, record=None):
    print(f"{'':22s}{'time (s)':>9s}{'cpu (s)':>9s}{'/ mat.':>8s}"
          f"{'peak (MiB)':>12s}{'/ grads':>9s}")
    for name, (wall, cpu), peak in rows:
        if record is not None:
            record.append(dict(name=name, wall=wall, cpu=cpu, peak_mib=peak))
        print(f"{name:22s}{wall:9.3f}{cpu:9.3f}{cpu / ref_time:7.2f}x"
              f"{peak:12.1f}{peak / grad_mib:8.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--v", type=int, default=32000)
    parser.add_argument("--d", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunks", type=int, nargs="*",
                        default=[16, 32, 64, 128, 256, 512, 1024])
    parser.add_argument("--skip-filter", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    n, v, d = args.n, args.v, args.d

    rng = np.random.default_rng(0)
    h = rng.normal(size=(n, d)).astype(np.float32)
    w = (rng.normal(size=(v, d)) / np.sqrt(d)).astype(np.float32)
    y = rng.integers(v, size=n)
    logits_mib = n * v * 4 / 2**20
    grad_mib = (n + v) * d * 4 / 2**20
    default = default_chunk_size(n, v, d)
    old_default = max(1, OLD_CHUNK_BYTES // (v * 4))

    ref = materialised(h, w, y)
    for got in [xentlib.linear_cross_entropy(h, w, y, chunk_size=100),
                xentlib.linear_cross_entropy(h, w, y, recompute=True),
                before(h, w, y, old_default)]:
        assert np.allclose(got[0], ref[0], rtol=1e-5)
        assert np.allclose(got[2], ref[2], rtol=1e-3, atol=1e-6)

    print(f"float32 N={n} V={v} d={d}: logits {logits_mib:.0f} MiB, "
          f"gradients (N + V) d {grad_mib:.1f} MiB; median of "
          f"{args.repeats}; '/ mat.' is CPU time over the materialised "
          f"version's")
    print(f"default chunk {default} rows (before issue 13: {old_default})")

    results = dict(n=n, v=v, d=d, repeats=args.repeats, default=default,
                   old_default=old_default, grad_mib=grad_mib,
                   logits_mib=logits_mib, chunk=[], recompute=[], filter=[])
    print("\n1. chunk size")
    mat = timed(lambda: materialised(h, w, y), args.repeats)
    rows = [("materialised", mat, peak_mib(lambda: materialised(h, w, y))),
            (f"before c={old_default}",
             timed(lambda: before(h, w, y, old_default), args.repeats),
             peak_mib(lambda: before(h, w, y, old_default)))]
    for chunk in sorted(set(args.chunks) | {default}):
        fn = (lambda c=chunk: xentlib.linear_cross_entropy(
            h, w, y, chunk_size=c))
        name = f"fused c={chunk}" + (" (default)" if chunk == default else "")
        rows.append((name, timed(fn, args.repeats), peak_mib(fn)))
    table(rows, mat[1], grad_mib, results["chunk"])

    print("\n2. recompute the logits in a second pass, or not")
    rows = [("materialised", mat, peak_mib(lambda: materialised(h, w, y)))]
    for flag in (False, True):
        fn = (lambda f=flag: xentlib.linear_cross_entropy(
            h, w, y, recompute=f))
        rows.append((f"fused recompute={flag}", timed(fn, args.repeats),
                     peak_mib(fn)))
    table(rows, mat[1], grad_mib, results["recompute"])
    print(f"held between forward and backward: logits (materialised) "
          f"{logits_mib:.1f} MiB; gradients (one pass) {grad_mib:.1f} MiB; "
          f"log-sum-exps (recompute) {n * 4 / 2**20:.3f} MiB")

    if not args.skip_filter:
        filtering(args, rng, h, w, y, results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


def filtering(args, rng, h, w, y, results):
    n, v, d = args.n, args.v, args.d
    print("\n3. gradient filtering (filter_eps), recompute=True")
    # trained-like: Zipfian token frequencies along one direction of W (a
    # tokenizer numbers tokens roughly by frequency), labels drawn from
    # them, each hidden state near its label's embedding: loss about 2 nats
    zipf = 1.0 / np.arange(1, v + 1)
    zipf /= zipf.sum()
    y_tr = rng.choice(v, size=n, p=zipf)
    w_tr = w.copy()
    w_tr[:, -1] = np.log(zipf) - np.log(zipf).mean()
    h_tr = 0.6 * np.sqrt(d) * w_tr[y_tr] + 1.4 * rng.normal(size=(n, d))
    h_tr[:, -1] = 1.0
    h_tr = h_tr.astype(np.float32)
    eps_list = [None, 2.0**-28, 2.0**-15, 2.0**-12]
    for kind, hh, ww, yy in [("untrained", h, w, y),
                             ("trained-like", h_tr, w_tr, y_tr)]:
        exact = xentlib.linear_cross_entropy(
            hh.astype(np.float64), ww.astype(np.float64), yy)
        never = np.setdiff1d(np.arange(v), yy)
        p_max = float(np.exp(-exact[0]))
        bf16 = (rel(bfloat16_round(exact[1]), exact[1]),
                rel(bfloat16_round(exact[2]), exact[2]))
        print(f"\n{kind}: mean loss {exact[0]:.4f} (exp(-loss) {p_max:.3g}); "
              f"bfloat16 rounding of the exact gradients: "
              f"H {rel(bfloat16_round(exact[1]), exact[1]):.2e}, "
              f"W {rel(bfloat16_round(exact[2]), exact[2]):.2e}")
        print(f"{'filter_eps':>12s}{'time (s)':>9s}{'cpu (s)':>9s}"
              f"{'err H':>10s}{'err W':>10s}{'err W, untargeted rows':>24s}")
        for eps in eps_list:
            fn = (lambda e=eps, hh=hh, ww=ww, yy=yy:
                  xentlib.linear_cross_entropy(hh, ww, yy, recompute=True,
                                               filter_eps=e))
            wall, cpu = timed(fn, args.repeats)
            _, gh, gw = fn()
            label = "none" if eps is None else f"2^{int(np.log2(eps))}"
            untargeted = rel(gw[never], exact[2][never])
            results["filter"].append(dict(
                kind=kind, eps=eps, wall=wall, cpu=cpu,
                err_h=rel(gh, exact[1]), err_w=rel(gw, exact[2]),
                err_untargeted=untargeted, loss=float(exact[0]),
                bf16_h=bf16[0], bf16_w=bf16[1]))
            print(f"{label:>12s}{wall:9.3f}{cpu:9.3f}{rel(gh, exact[1]):10.2e}"
                  f"{rel(gw, exact[2]):10.2e}{untargeted:24.2e}")


if __name__ == "__main__":
    main()
