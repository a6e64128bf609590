"""The book's plotting style: one colour-blind-safe palette for every figure.

The palette is Okabe & Ito's (2008), distinguishable under the common forms of
colour blindness. Figures get an opaque white background so that they stay
readable when the website is switched to its dark theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from cycler import cycler

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["PALETTE", "COLORS", "book_style", "use_book_style"]

#: Okabe-Ito colours by name.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: The order in which lines take colours (yellow, weak on white, comes last).
COLORS = [
    PALETTE[name]
    for name in (
        "blue",
        "vermillion",
        "green",
        "orange",
        "purple",
        "sky",
        "black",
        "yellow",
    )
]


def book_style() -> dict[RcKeyType, Any]:
    """Return the book's matplotlib settings as an rcParams dictionary.

    Examples
    --------
    >>> style = book_style()
    >>> style["figure.facecolor"]
    'white'
    """
    return {
        "axes.prop_cycle": cycler(color=COLORS),
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.constrained_layout.use": True,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": "medium",
        "axes.labelsize": "medium",
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "font.size": 11,
        "image.cmap": "viridis",
    }


def use_book_style() -> None:
    """Apply :func:`book_style` to matplotlib for the rest of the session.

    Every chapter calls this once, right after its imports.
    """
    mpl.rcParams.update(book_style())
