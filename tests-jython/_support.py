"""Shared helpers for the Jython (Python 2.7) behaviour suite.

Everything here uses only the public mmap API and the standard library, so the
same tests run on CPython 2.7.18's mmap (reference) and on fmmap under Jython.
"""
import os
import shutil
import sys
import tempfile
import unittest

from _target import mmap, REFERENCE

PAGE = mmap.PAGESIZE

# Py_ssize_t's range on 64-bit CPython 2.7, whose behaviour fmmap matches.
SSIZE_MAX = 2 ** 63 - 1
SSIZE_MIN = -2 ** 63

# What len() can report on this runtime (Jython: a Java int).
LEN_MAX = sys.maxsize

# Messages of CPython 2.7's argument parsing ("n" and "i" formats).
MSG_INT_REQUIRED = "an integer is required"
MSG_FLOAT = "integer argument expected, got float"
MSG_LONG_OVERFLOW = "Python int too large to convert to C long"
MSG_INT_OVERFLOW = "signed integer is greater than maximum"
MSG_INDEX_OVERFLOW = "cannot fit 'long' into an index-sized integer"

MSG_CLOSED = "mmap closed or invalid"
MSG_READONLY = "mmap can't modify a readonly memory map."
MSG_NO_RESIZE = "mmap can't resize a readonly or copy-on-write memory map."

BACKPORT = unittest.skipIf(REFERENCE, "3.x backport: CPython 2.7's mmap lacks it")


def deviation(reason):
    """Marks a test of CPython 2.7 behaviour that fmmap on Jython does not share (docs/compat.md
    lists each with its reason). It runs in reference mode only, so it keeps encoding CPython 2.7;
    what fmmap does instead is tested beside it."""
    return unittest.skipUnless(REFERENCE, "fmmap on Jython differs: " + reason)


class Idx(object):
    """An integer only through __index__."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


def read_path(path):
    """The file's current contents, read through a new file object."""
    with open(path, "rb") as f:
        return f.read()


def file_size(path):
    return os.path.getsize(path)


class MapTestCase(unittest.TestCase):
    """Base class: temporary files and maps made here are closed and removed
    after each test."""

    def setUp(self):
        self.tmpdir = tempfile.mkdtemp(prefix="fmmap-jy-")
        self._files = []
        self._maps = []
        self._count = 0

    def tearDown(self):
        for m in self._maps:
            try:
                m.close()
            except Exception:
                pass
        for f in self._files:
            try:
                f.close()
            except Exception:
                pass
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    # -- files -------------------------------------------------------------

    def make_path(self, content=b""):
        """A new file holding content; returns its path."""
        self._count += 1
        path = os.path.join(self.tmpdir, "data%d.bin" % self._count)
        with open(path, "wb") as f:
            f.write(content)
        return path

    def make_file(self, content=b"", mode="r+b"):
        """A new file holding content, opened in mode (closed at teardown)."""
        f = open(self.make_path(content), mode)
        self._files.append(f)
        return f

    def reopen(self, path, mode="rb"):
        f = open(path, mode)
        self._files.append(f)
        return f

    # -- maps --------------------------------------------------------------

    def track(self, m):
        self._maps.append(m)
        return m

    def make_map(self, content, length=0, **kwargs):
        """mmap over a fresh r+b file holding content."""
        f = self.make_file(content)
        return self.track(mmap.mmap(f.fileno(), length, **kwargs))

    def map_file(self, f, length=0, **kwargs):
        return self.track(mmap.mmap(f.fileno(), length, **kwargs))

    def anon(self, size, **kwargs):
        return self.track(mmap.mmap(-1, size, **kwargs))

    # -- assertions --------------------------------------------------------

    def assertRaisesMsg(self, exc_type, message, func, *args, **kwargs):
        """func(*args, **kwargs) raises exactly exc_type (or a subclass) with
        str(exception) == message."""
        with self.assertRaises(exc_type) as cm:
            func(*args, **kwargs)
        self.assertEqual(str(cm.exception), message)
        return cm.exception

    def assertErrno(self, exc_type, errno_value, func, *args, **kwargs):
        """func raises exc_type (an EnvironmentError) with the given errno and
        the platform's strerror for it."""
        with self.assertRaises(exc_type) as cm:
            func(*args, **kwargs)
        self.assertEqual(cm.exception.errno, errno_value)
        self.assertEqual(cm.exception.strerror, os.strerror(errno_value))
        self.assertEqual(cm.exception.args, (errno_value, os.strerror(errno_value)))
        return cm.exception


def map_length(testcase, m):
    """len(m) where this runtime's len() can say it; above sys.maxsize (a Java
    int on Jython) len() must refuse with OverflowError, and the length is
    taken from the end position instead."""
    pos = m.tell()
    m.seek(0, 2)
    end = m.tell()
    m.seek(pos)
    if end <= LEN_MAX:
        testcase.assertEqual(len(m), end)
    else:
        testcase.assertRaises(OverflowError, len, m)
    return end
