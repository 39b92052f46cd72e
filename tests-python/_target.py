"""Select the module under test.

FMMAP_TEST_TARGET=mmap  -> the standard library ``mmap`` (reference mode; the
                           suite must be fully green on CPython 3.13).
anything else / unset   -> ``fmmap``.

Tests do ``from _target import mmap, REFERENCE``.
"""
import os
import sys

REFERENCE = os.environ.get("FMMAP_TEST_TARGET", "") == "mmap"

if REFERENCE:
    import mmap
else:
    import fmmap as mmap  # noqa: F401


# Py_ssize_t's maximum on 64-bit CPython, whose behaviour fmmap matches. GraalPy's own sys.maxsize
# (2**31 - 1) bounds only its objects: len(), one bytes object, one buffer export.
SSIZE_MAX = 2 ** 63 - 1
LEN_MAX = sys.maxsize


def map_length(m):
    """len(m), where the runtime's len() can say it; above sys.maxsize (GraalPy: 2**31 - 1) checks
    that len() refuses cleanly and returns the length from the end position instead."""
    end = m.seek(0, 2)
    if end <= LEN_MAX:
        assert len(m) == end
    else:
        import pytest
        with pytest.raises(OverflowError):
            len(m)
    m.seek(0)
    return end


def deviation(reason):
    """Marks a test of CPython behaviour that fmmap on GraalPy cannot match (each one is listed with
    its reason in docs/compat.md). It still runs in reference mode, so it keeps encoding CPython."""
    import pytest
    return pytest.mark.skipif(not REFERENCE, reason="fmmap deviation: " + reason)


# Whether the mmap under test has CPython 3.15's behaviour: fmmap does; CPython's own from 3.15 on.
FOLLOWS_315 = not REFERENCE or sys.version_info[:2] >= (3, 15)


def cpython315(reason):
    """Marks a test of CPython 3.15 behaviour, which fmmap follows (docs/compat.md lists each change).
    CPython 3.15 is not installed here: reference mode on an older CPython skips it (another mmap,
    such as GraalPy's built-in one, is tested), and what it asserts was checked against 3.15's
    source and the pull requests that made the change."""
    import pytest
    older_cpython = sys.implementation.name == "cpython" and sys.version_info[:2] < (3, 15)
    return pytest.mark.skipif(REFERENCE and older_cpython, reason="CPython 3.15 only: " + reason)


def cpython313_only(reason):
    """Marks a test of CPython 3.13 behaviour that 3.15 changed and fmmap follows 3.15 in: it runs in
    reference mode only, so it keeps encoding 3.13 (its 3.15 counterpart is marked cpython315)."""
    import pytest
    return pytest.mark.skipif(not REFERENCE or sys.version_info[:2] >= (3, 15),
                              reason="CPython 3.15 changed it and fmmap follows 3.15: " + reason)


# The buffer fmmap exports on GraalPy is a ctypes array (GraalPy ignores __buffer__ and has no
# other way to export foreign memory): format 'B' as on CPython, but always writable, not
# invalidated by close(), fixed at the map's first extent.
CTYPES_BUFFER = deviation("buffer protocol through a ctypes array (always writable, alive after close)")


def _patterns_are_immutable():
    import re
    try:
        re.Pattern.search = re.Pattern.search
        return False
    except TypeError:
        return True


# GraalPy's re accepts only its own buffer types (a Java type check); fmmap wraps re's functions and
# compiled patterns' methods to pass memoryview(m), but GraalPy 25.2.4's re.Pattern is immutable.
if not REFERENCE and _patterns_are_immutable():
    RE_PATTERN_NEEDS_MEMORYVIEW = deviation("GraalPy 25.2.4's re.Pattern is an immutable type, so "
                                            "compiled patterns need memoryview(m)")
else:
    def RE_PATTERN_NEEDS_MEMORYVIEW(test):
        return test

__all__ = ["mmap", "REFERENCE", "FOLLOWS_315", "SSIZE_MAX", "LEN_MAX", "map_length", "deviation", "cpython315",
           "cpython313_only", "CTYPES_BUFFER", "RE_PATTERN_NEEDS_MEMORYVIEW"]
