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


# Whether buffer() views keep their windows mapped: fmmap.smmap's default, except on GraalPy 25.2.4
# (it never frees an object a memoryview was taken of, so guarded windows would stay mapped).
GUARDED_VIEWS = not REFERENCE and smmap.mman.exports_released()
needs_guarded_views = pytest.mark.skipif(not GUARDED_VIEWS, reason="views are guarded by fmmap.smmap only, and "
                                         "not on GraalPy 25.2.4 (it never frees a buffer exporter)")


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


__all__ = ["smmap", "REFERENCE", "deviation", "fmmap_only", "release_all", "random_file", "GUARDED_VIEWS",
           "needs_guarded_views"]
