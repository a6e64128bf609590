"""Helpers that put computed numbers and checked equations into the prose.

The book never types a number or an equation by hand: a notebook computes it,
then glues it (myst-nb's ``glue``) under a name that the text refers to with
``{glue:text}`name:.3f``` or, for a labelled display equation::

    ```{glue:math} eq_name
    :label: eq-name
    ```

Both functions also display what they glue (``display=True``), so that nbval
compares the value on every run; the book hides these cells with the
``remove-output`` tag.
"""

import numpy as np
import sympy as sp

__all__ = ["glue_number", "glue_math"]


def glue_number(name, value, *, display=True):
    """Glue ``value`` as a plain Python number under ``name``.

    NumPy scalars are converted first: their text form (``np.float64(3.0)``)
    would not take a format spec such as ``:.3f`` in the prose.
    """
    from myst_nb import glue

    number = np.asarray(value)
    if number.shape != ():
        raise ValueError(f"value for {name!r} must be a scalar, got shape {number.shape}")
    python_number = number.item()
    glue(name, python_number, display=display)
    return python_number


def glue_math(name, expression, *, display=True):
    """Glue a SymPy expression or equation as display math under ``name``.

    ``expression`` may be any SymPy object (rendered with :func:`sympy.latex`)
    or a LaTeX string. The text shows it with ``{glue:math}`` and can label it.
    """
    from IPython.display import Math
    from myst_nb import glue

    latex = expression if isinstance(expression, str) else sp.latex(expression)
    glue(name, Math(latex), display=display)
    return latex
