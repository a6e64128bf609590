"""The shared plotting style: valid matplotlib settings, one distinct palette."""

import matplotlib as mpl
import matplotlib.colors as mcolors
import pytest

from xentbook.plotting import COLORS, PALETTE, book_style, use_book_style


def test_every_setting_is_a_valid_rcparam():
    # RcParams validates each key and value on assignment: a typo raises here.
    params = mpl.RcParams()
    for key, value in book_style().items():
        params[key] = value


def test_use_book_style_applies_the_cycle_and_background():
    with mpl.rc_context():
        use_book_style()
        cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [mcolors.to_hex(c) for c in cycle] == [c.lower() for c in COLORS]
        assert mcolors.to_hex(mpl.rcParams["figure.facecolor"]) == "#ffffff"


def test_palette_is_okabe_ito():
    # Okabe & Ito (2008), "Color Universal Design", the eight published colours.
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                 "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(PALETTE.values()) == okabe_ito
    assert sorted(COLORS) == sorted(okabe_ito)


@pytest.mark.parametrize("name", ["blue", "vermillion", "green"])
def test_first_colours_are_the_named_ones(name):
    assert PALETTE[name] in COLORS[:3]
