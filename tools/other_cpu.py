"""Print the environment that moves numpy and OpenBLAS onto another code path.

nbval's second run in CI (``make test-notebooks-other-cpu``) uses it to show
that the stored outputs do not depend on this CPU: numpy's widest SIMD kernels
for ``exp``, ``log`` and friends are switched off (``NPY_DISABLE_CPU_FEATURES``,
naming every dispatch target this machine has above its lowest one, e.g. the
AVX-512 groups on an AVX-512 machine), and OpenBLAS is pinned to an older
kernel (``OPENBLAS_CORETYPE``), which sums matrix products in another order.
Both change the last bits of results, as another reader's laptop would.

Prints ``NAME=value`` pairs for ``env``; the chosen groups go to stderr.
"""

import platform
import sys

from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

# An OpenBLAS kernel every CPU of the family can run, older than the one
# OpenBLAS would pick on a current machine.
OLDER_BLAS_KERNEL = {"x86_64": "Sandybridge", "AMD64": "Sandybridge",
                     "aarch64": "ARMV8", "arm64": "ARMV8"}


def dispatch_targets_to_disable():
    """Every numpy dispatch target this CPU supports, except the lowest one."""
    supported = [target for target in __cpu_dispatch__ if __cpu_features__.get(target)]
    return supported[1:] if len(supported) > 1 else supported


def main():
    targets = dispatch_targets_to_disable()
    kernel = OLDER_BLAS_KERNEL.get(platform.machine())
    print(f"other CPU path: numpy without {' '.join(targets) or 'nothing'}, "
          f"OpenBLAS kernel {kernel or 'unchanged'}", file=sys.stderr)
    pairs = [f"NPY_DISABLE_CPU_FEATURES={','.join(targets)}"]
    if kernel:
        pairs.append(f"OPENBLAS_CORETYPE={kernel}")
    print(" ".join(pairs))


if __name__ == "__main__":
    main()
