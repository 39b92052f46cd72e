"""Select the smmap under test.

Reference mode (FMMAP_TEST_TARGET=mmap, CPython): the real smmap package (build/smmap).
Otherwise: fmmap.smmap, smmap's API over fmmap's Java window manager (GraalPy).

Tests do ``from _smmap_target import smmap, ...``.
"""
import os

import pytest

from _target import REFERENCE, deviation

if REFERENCE:
    smmap = pytest.importorskip("smmap")
else:
    from fmmap import smmap  # noqa: F401


def fmmap_only(reason):
    """Marks a test of what fmmap.smmap adds or fixes; the real smmap does not do it (reason)."""
    return pytest.mark.skipif(REFERENCE, reason="fmmap.smmap only: " + reason)


def release_all(*things):
    """Releases cursors (_destroy) and buffers (end_access) without relying on their __del__."""
    for t in things:
        if hasattr(t, "end_access"):
            t.end_access()
        else:
            t._destroy()


def random_file(directory, size, name="data.bin"):
    """(path, data): a file of size random bytes (random, so that a view that went stale and reads
    zero pages cannot pass a comparison)."""
    data = os.urandom(size)
    path = os.path.join(str(directory), name)
    with open(path, "wb") as f:
        f.write(data)
    return path, data


__all__ = ["smmap", "REFERENCE", "deviation", "fmmap_only", "release_all", "random_file"]
