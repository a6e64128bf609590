"""Time forward + gradient of softmax cross-entropy: xentlib, textbook numpy, PyTorch.

The task: integer labels, mean reduction, float32 logits of shape (4096, 32000)
(a language model's vocabulary), loss and gradient with respect to the logits.
Three implementations run in the same process on the same data:

- ``xentlib``: :func:`xentlib.softmax_cross_entropy_with_grad` (fused, chunked);
- ``textbook``: the stable numpy version of a textbook (log-softmax, gather,
  ``exp(log_probs) - onehot``), written below;
- ``torch``: ``torch.nn.functional.cross_entropy`` + ``backward()`` on the CPU
  with ``torch.set_num_threads(2)``, if torch is importable.

Times are the median of ``--repeats`` interleaved runs after one warm-up. Peak extra memory
is measured twice: with ``tracemalloc`` (numpy reports its allocations to it;
torch's allocator does not, so no figure for torch), and, for all three, as the
growth of the peak resident set size in a fresh subprocess (``VmHWM`` after
resetting it through ``/proc/self/clear_refs``, minus ``VmRSS`` before the
call), which includes allocator overheads. Both count the returned gradient.

Usage: ``python benchmarks/bench_softmax_cross_entropy.py [--n 4096 --c 32000]``.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

import xentlib


def textbook(logits, labels):
    """Loss and gradient as a textbook writes them (stable, unfused)."""
    n = len(labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), labels].mean()
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1
    grad /= n
    return loss, grad


def fused(logits, labels):
    return xentlib.softmax_cross_entropy_with_grad(logits, labels)


def torch_runner():
    """A function running PyTorch's loss + backward, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)

    def run(logits, labels):
        x = torch.from_numpy(logits).requires_grad_(True)  # shares memory
        loss = torch.nn.functional.cross_entropy(x, torch.from_numpy(labels))
        loss.backward()
        return loss.item(), x.grad
    return run


def make_data(n, c, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, c), dtype=np.float32)
    logits *= 3  # a spread like a trained model's
    labels = rng.integers(0, c, size=n)
    return logits, labels


def implementations():
    impls = {"xentlib": fused, "textbook": textbook}
    run = torch_runner()
    if run is not None:
        impls["torch"] = run
    return impls


def median_times(fns, args, repeats):
    """Median wall-clock and CPU time (all threads) of each fn(*args).

    The runs are interleaved (one of each, ``repeats`` times), so that a
    change in the machine's load during the benchmark hits all of them alike.
    """
    wall = {name: [] for name in fns}
    cpu = {name: [] for name in fns}
    for fn in fns.values():
        fn(*args)  # warm-up (first-call allocations, torch's thread pool)
    for _ in range(repeats):
        for name, fn in fns.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(*args)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return ({k: statistics.median(v) for k, v in wall.items()},
            {k: statistics.median(v) for k, v in cpu.items()})


def tracemalloc_peak(fn, args):
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = fn(*args)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del result
    return peak


def _status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def rss_probe(name, n, c, seed):
    """Run in a fresh process: peak RSS growth of one call of ``name``."""
    logits, labels = make_data(n, c, seed)
    fn = implementations()[name]
    small = make_data(8, 64, seed)
    fn(*small)  # import-time and first-call allocations are not the call's
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    before = _status_kib("VmRSS")
    result = fn(logits, labels)
    peak = _status_kib("VmHWM")
    del result
    print(json.dumps({"extra_bytes": (peak - before) * 1024}))


def rss_peak(name, args):
    cmd = [sys.executable, __file__, "--rss-probe", name,
           "--n", str(args.n), "--c", str(args.c), "--seed", str(args.seed)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])["extra_bytes"]
    except (subprocess.CalledProcessError, OSError, ValueError):
        return None


def check_agreement(results, logits, labels):
    """The implementations must compute the same thing before being timed."""
    ref_loss, ref_grad = results["textbook"]
    for name, (loss, grad) in results.items():
        grad = np.asarray(grad.detach().numpy() if hasattr(grad, "detach") else grad)
        assert abs(float(loss) - float(ref_loss)) <= 1e-5 * abs(float(ref_loss)), name
        assert np.allclose(grad, ref_grad, rtol=1e-4, atol=1e-10), name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--c", type=int, default=32000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rss-probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_probe:
        rss_probe(args.rss_probe, args.n, args.c, args.seed)
        return

    logits, labels = make_data(args.n, args.c, args.seed)
    impls = implementations()
    size = logits.nbytes
    print(f"logits float32 ({args.n}, {args.c}) = {size / 2**20:.0f} MiB; "
          f"numpy {np.__version__}; median of {args.repeats} runs")
    if "torch" not in impls:
        print("torch is not importable: no PyTorch comparison")
    check_agreement({k: f(logits, labels) for k, f in impls.items()},
                    logits, labels)

    buffer = np.empty_like(logits)  # preallocated: the floor without page faults
    timed = dict(impls, exp=lambda z, _: np.exp(z, out=buffer))
    times, cpu = median_times(timed, (logits, labels), args.repeats)
    print(f"\n{'':10}{'time (s)':>10}{'cpu (s)':>9}{'vs torch':>10}{'vs textbook':>13}"
          f"{'tracemalloc':>13}{'peak RSS':>10}  (extra memory / logits)")
    for name, fn in impls.items():
        traced = None if name == "torch" else tracemalloc_peak(fn, (logits, labels))
        rss = rss_peak(name, args)
        vs_torch = f"{times[name] / times['torch']:.2f}x" if "torch" in times else "-"
        cells = [f"{x / size:.2f}x" if x is not None else "n/a" for x in (traced, rss)]
        print(f"{name:10}{times[name]:10.3f}{cpu[name]:9.3f}{vs_torch:>10}"
              f"{times[name] / times['textbook']:12.2f}x{cells[0]:>13}{cells[1]:>10}")

    print(f"\nfloor: one np.exp over the logits takes {times['exp']:.3f} s "
          f"(cpu {cpu['exp']:.3f} s); xentlib takes "
          f"{times['xentlib'] / times['exp']:.2f}x that "
          f"(cpu {cpu['xentlib'] / cpu['exp']:.2f}x)")
    print("time: median wall clock; cpu: median CPU time of the process, all "
          "threads (torch uses 2, numpy 1)")


if __name__ == "__main__":
    main()
