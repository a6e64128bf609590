"""xentlib: cross-entropy from first principles.

The numpy library behind the book *Cross-Entropy, Derived*. Every public name
is re-exported here, one per line; the modules are organised by concept.
"""

__version__ = "0.1.0"

__all__ = []
