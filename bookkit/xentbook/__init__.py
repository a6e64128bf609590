"""xentbook: the kit that builds *Cross-Entropy, Derived* around xentlib.

Not part of :mod:`xentlib` and not shipped in its wheel: these helpers serve the
book's notebooks and back matter (they need myst-nb, IPython, matplotlib and
markdown-it-py), while ``xentlib`` installs with numpy alone.

- :mod:`xentbook.glue`: numbers and checked equations into the prose, rounded
  so that stored outputs are the same on every machine;
- :mod:`xentbook.plotting`: the book's colour-blind-safe figure style;
- :mod:`xentbook.book_index`: the labelled equations read from the chapters.
"""
