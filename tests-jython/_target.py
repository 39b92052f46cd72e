"""Select the module under test.

FMMAP_TEST_TARGET=mmap  -> the standard library ``mmap`` (reference mode; the
                           suite must be fully green on CPython 2.7.18).
anything else / unset   -> ``fmmap`` (the Jython 2.7 module).

Tests do ``from _target import mmap, REFERENCE``.
"""
import os

REFERENCE = os.environ.get("FMMAP_TEST_TARGET", "") == "mmap"

if REFERENCE:
    import mmap
else:
    import fmmap as mmap  # noqa: F401

__all__ = ["mmap", "REFERENCE"]
