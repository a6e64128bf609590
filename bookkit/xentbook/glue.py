"""Put computed numbers and checked equations into the prose, reproducibly.

The book never types a number or an equation by hand: a notebook computes it,
then glues it (myst-nb's ``glue``) under a name that the text refers to with
``{glue:text}`name:.3f``` or, for a labelled display equation::

    ```{glue:math} eq_name
    :label: eq-name
    ```

Both functions also display what they glue (``display=True``), so that nbval
compares the value on every run; the book hides these cells with the
``remove-output`` tag.

Why numbers are rounded before they are glued
---------------------------------------------
nbval compares the *text* a cell leaves in the notebook. A float's full repr
(``0.6918360050285671``) carries 17 significant digits, and the last one or
two depend on the machine: numpy takes different SIMD code paths for ``exp``
and ``log`` on different CPUs, and BLAS kernels sum in different orders. So
:func:`glue_number` stores a float rounded to :data:`SIGNIFICANT_DIGITS`
significant digits (8 unless the caller says fewer), which every machine
agrees on, and which is still more than any ``{glue:text}`` format in the
prose shows. myst-nb reads the stored text back with ``ast.literal_eval``
and applies the prose's format spec to it, so ``{glue:text}`name:.4f``` keeps
working. A number that comes out of a long computation (an optimiser, a
training run) carries fewer correct digits than a float64: glue it with the
``digits`` it has.

The same rule holds for anything a cell prints: format it (``f"{x:.4f}"``,
:func:`format_float`), never print a bare float or the difference of two
nearly equal numbers (``2.1e-17`` is rounding noise, different on every
machine; say ``< 1e-12`` instead). ``tests/test_chapter_conventions.py``
scans every stored output for digits beyond what a machine can promise.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import sympy as sp

__all__ = [
    "SIGNIFICANT_DIGITS",
    "round_significant",
    "format_float",
    "format_residual",
    "glue_number",
    "glue_math",
    "check_record",
]

#: Significant digits a glued float keeps by default. Rounding noise is a few
#: units in the 16th digit; at 8 digits a value flips only if it lies within
#: about 1e-8 (relative) of a rounding boundary, and no prose format shows more.
SIGNIFICANT_DIGITS = 8


def round_significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """Round a real number to ``digits`` significant decimal digits.

    .. math:: \\operatorname{round}(x, d) = 10^{e - d + 1}\\,
              \\left[\\, x / 10^{e - d + 1} \\right],
              \\quad e = \\lfloor \\log_{10} |x| \\rfloor

    computed exactly through the decimal string, so the result is the float
    nearest to the rounded decimal (its repr is that decimal). Integers, NaN,
    infinities and zero are returned unchanged.

    Parameters
    ----------
    value : int or float
        The number to round.
    digits : int
        Significant digits to keep, at least 1.

    Returns
    -------
    int or float

    Examples
    --------
    >>> round_significant(0.6918360050285671)
    0.69183601
    >>> round_significant(0.37999999999999995)
    0.38
    >>> round_significant(123456.789, 4)
    123500.0
    >>> round_significant(7)
    7
    """
    if (
        isinstance(digits, bool)
        or not isinstance(digits, numbers.Integral)
        or digits < 1
    ):
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    if isinstance(value, numbers.Integral):
        return value
    value = float(value)
    if value == 0.0 or not math.isfinite(value):
        return value
    return float(f"{value:.{int(digits)}g}")


def format_float(value: float, digits: int = 4) -> str:
    """Format a float with ``digits`` significant digits for printing.

    The printed counterpart of :func:`round_significant`: what a cell prints
    stays the same on every machine.

    Examples
    --------
    >>> format_float(2 / 3)
    '0.6667'
    >>> format_float(1 / 3 * 1e-20, 2)
    '3.3e-21'
    """
    return f"{round_significant(value, digits):.{int(digits)}g}"


def format_residual(value: float, floor: float) -> str:
    """Format a quantity that is zero up to rounding, such as ``sum(p - q)``.

    Below ``floor`` its digits are rounding noise, different on every machine
    (``2.1e-17`` here, ``-7e-18`` there), so only the bound is printed.

    Parameters
    ----------
    value : float
        The residual (or its absolute value).
    floor : float
        The size below which the residual counts as rounding, e.g. ``1e-15``
        for a sum of a few numbers of order one.

    Examples
    --------
    >>> format_residual(2.1e-17, 1e-15)
    '< 1e-15'
    >>> format_residual(-3.5e-3, 1e-15)
    '-3.5e-03'
    """
    if abs(value) < floor:
        return f"< {floor:.0e}"
    return f"{round_significant(value, 2):.1e}"


def _python_number(name: str, value: object) -> float:
    """Return ``value`` as a Python int or float, or raise naming ``name``."""
    number = np.asarray(value)
    if number.shape != ():
        raise ValueError(
            f"value for {name!r} must be a scalar, got shape {number.shape}"
        )
    if number.dtype.kind not in "biuf":
        raise TypeError(
            f"value for {name!r} must be a real number, got dtype {number.dtype}"
        )
    return number.item()


def glue_number(
    name: str, value: object, *, digits: int = SIGNIFICANT_DIGITS, display: bool = True
) -> float:
    """Glue ``value`` as a plain Python number under ``name``.

    NumPy scalars are converted first: their text form (``np.float64(3.0)``)
    would not take a format spec such as ``:.3f`` in the prose. Floats are
    rounded to ``digits`` significant digits (:func:`round_significant`), so
    the stored output is the same on every machine; integers are exact.

    Parameters
    ----------
    name : str
        The glue key the prose refers to.
    value : real scalar
        The number (Python or NumPy; a 0-d array is accepted).
    digits : int
        Significant digits the value really has; 8 by default. Pass fewer for
        results of optimisers or long training runs.
    display : bool
        Also display the value, so that nbval compares it.

    Returns
    -------
    int or float
        What was glued.
    """
    from myst_nb import glue

    python_number = round_significant(_python_number(name, value), digits)
    glue(name, python_number, display=display)
    return python_number


def check_record(check: Any) -> dict[str, Any]:
    """What the derivation index shows of a check: status, hypotheses, domains.

    ``check`` is an :class:`xentlib.symbolic.Identity` (or anything with a
    ``status`` string and a ``hypotheses`` sequence whose items have a
    ``name`` and a ``latex()``), e.g. ``"proved for symbolic K"`` under
    ``sum_i q_i = 1``. ``domains`` are the symbols' own assumptions
    (``q_{i} > 0``), from the check's ``domains()`` when it has one.
    """
    domains = getattr(check, "domains", None)
    return {
        "status": str(check.status),
        "hypotheses": [
            {"name": str(h.name), "latex": h.latex()}
            for h in getattr(check, "hypotheses", ())
        ],
        "domains": list(domains()) if callable(domains) else [],
    }


def glue_math(
    name: str, expression: sp.Basic | str, *, check: Any = None, display: bool = True
) -> str:
    """Glue a SymPy expression or equation as display math under ``name``.

    ``expression`` may be any SymPy object (rendered with
    :func:`xentbook.latex.book_latex`: SymPy's LaTeX with textbook logarithms,
    ``\\log 2`` and ``q_i \\log p_i``) or a LaTeX string. The text shows it
    with ``{glue:math}`` and can label it.

    ``check`` is the :class:`~xentlib.symbolic.Identity` that checked the
    equation; its status ("proved for symbolic K", "checked for K = 1..6",
    "checked numerically", "definition") and its hypotheses are stored with
    the glued value, and the index of derivations prints them.
    """
    import IPython.core.formatters
    from IPython.display import Math
    from IPython.display import display as show
    from myst_nb import glue

    from xentbook.latex import book_latex

    latex = expression if isinstance(expression, str) else book_latex(expression)
    if check is None:
        glue(name, Math(latex), display=display)
        return latex
    # myst-nb's glue(), with the check's record added to the output's metadata.
    bundle, metadata = IPython.core.formatters.format_display_data(Math(latex))
    prefix = "" if display else "application/papermill.record/"
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    metadata["xentbook"] = check_record(check)
    show(
        {prefix + kind: value for kind, value in bundle.items()},
        raw=True,
        metadata=metadata,
    )
    return latex
