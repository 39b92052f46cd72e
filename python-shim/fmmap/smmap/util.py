"""smmap.util over fmmap: alignment helpers, MapWindow, MapRegion and MapRegionList.

Same names and behaviour as smmap 5.0.2's module, with fmmap's maps underneath. Deliberate
differences from smmap (each one also said where it applies):

* is_64_bit() reports the pointer size of the process, not ``sys.maxsize > 2**32 - 1``: GraalPy's
  sys.maxsize is 2**31 - 1 in a 64-bit process, which would give gitdb smmap's 32-bit defaults
  (64 MiB windows), too small for pack indexes above 64 MiB.
* MapRegion.release() never raises BufferError: fmmap's close() puts zero pages where the map was,
  so a memoryview kept from before reads zeros instead (smmap: BufferError on CPython). Regions that
  a manager made are windows of the Java core; for those see _ManagedRegion.
* MapRegionList is a live, read-only sequence of a file's windows when a manager made it (smmap: a
  list that the manager edits).
"""
import os
import struct

from .._constants import ACCESS_READ, ALLOCATIONGRANULARITY
from .._mmap import mmap

__all__ = ["align_to_mmap", "is_64_bit", "MapWindow", "MapRegion", "MapRegionList",
           "ALLOCATIONGRANULARITY"]

# smmap uses sys.maxsize for "unbounded"; GraalPy's is 2**31 - 1, fmmap's sizes are 64-bit.
_MAXSIZE = 2 ** 63 - 1


def align_to_mmap(num, round_up):
    """Aligns num to ALLOCATIONGRANULARITY: down, or up if round_up and not aligned already
    (align_to_mmap(1, False) == 0, align_to_mmap(1, True) == ALLOCATIONGRANULARITY)."""
    res = (num // ALLOCATIONGRANULARITY) * ALLOCATIONGRANULARITY
    if round_up and res != num:
        res += ALLOCATIONGRANULARITY
    return res


def is_64_bit():
    """True in a 64-bit process. fmmap: from the pointer size, since GraalPy's sys.maxsize
    (2**31 - 1) would say 32-bit in a 64-bit process (smmap: sys.maxsize > 2**32 - 1)."""
    return struct.calcsize("P") == 8


class MapWindow(object):
    """A window [ofs, ofs + size) of a file, snapped to its neighbours before a region is mapped
    (smmap's, unchanged)."""
    __slots__ = ("ofs", "size")

    def __init__(self, offset, size):
        self.ofs = offset
        self.size = size

    def __repr__(self):
        return "MapWindow(%i, %i)" % (self.ofs, self.size)

    @classmethod
    def from_region(cls, region):
        """The window a region covers."""
        return cls(region._b, region.size())

    def ofs_end(self):
        return self.ofs + self.size

    def align(self):
        """Moves the start down to ALLOCATIONGRANULARITY and rounds the size up to it, so that the
        old area stays inside."""
        start = align_to_mmap(self.ofs, False)
        self.size = align_to_mmap(self.ofs + self.size - start, True)
        self.ofs = start

    def extend_left_to(self, window, max_size):
        """Keeps the end and moves the start to where window ends, or to max_size before the end if
        that is later (so the window may also shrink from the left)."""
        end = self.ofs + self.size
        self.ofs = max(window.ofs_end(), end - max_size)
        self.size = end - self.ofs

    def extend_right_to(self, window, max_size):
        """Keeps the start and moves the end to where window starts, at most max_size from the start."""
        self.size = min(window.ofs - self.ofs, max_size)


class MapRegion(object):
    """A read-only map of a file from an aligned offset (smmap's MapRegion over fmmap.mmap).

    Made directly, it maps min(file size - ofs, size) bytes at once and starts with client count 1
    (its maker's), as smmap's does. release() closes the map; a memoryview of it then reads zeros
    (fmmap never faults) where smmap on CPython raised BufferError.
    """
    __slots__ = ("_b", "_mf", "_uc", "_size", "__weakref__")

    def __init__(self, path_or_fd, ofs, size, flags=0):
        self._b = ofs
        self._size = 0
        self._uc = 0
        by_path = not isinstance(path_or_fd, int)
        fd = os.open(path_or_fd, os.O_RDONLY | flags) if by_path else path_or_fd
        try:
            # never past the file's end: mmap() refuses a length beyond it
            self._mf = mmap(fd, min(os.fstat(fd).st_size - ofs, size), access=ACCESS_READ, offset=ofs)
        finally:
            if by_path:
                os.close(fd)  # the map keeps a descriptor of its own
        self._size = len(self._mf)
        self.increment_client_count()

    def __repr__(self):
        return "MapRegion<%i, %i>" % (self._b, self.size())

    def buffer(self):
        """The map itself (an fmmap.mmap)."""
        return self._mf

    def map(self):
        """The map itself (an fmmap.mmap)."""
        return self._mf

    def ofs_begin(self):
        return self._b

    def size(self):
        return self._size

    def ofs_end(self):
        return self._b + self._size

    def includes_ofs(self, ofs):
        return self._b <= ofs < self._b + self._size

    def client_count(self):
        return self._uc

    def increment_client_count(self, ofs=1):
        """Adds ofs to the client count; at 0 the map is released (returns True)."""
        self._uc += ofs
        assert self._uc > -1, "Increments must match decrements, usage counter negative: %i" % self._uc
        if self.client_count() == 0:
            self.release()
            return True
        return False

    def release(self):
        """Closes the map (a view kept from it reads zeros from then on; smmap: BufferError)."""
        self._mf.close()


class MapRegionList(list):
    """The regions of one file, keyed by a path or a file descriptor.

    Made directly it is an empty list, as smmap's. The one a manager keeps per file is a live,
    read-only sequence of the file's windows (fmmap: the Java core owns them, so it cannot be edited).
    file_size() is read once and cached, as smmap does (later growth is not seen).
    """
    __slots__ = ("_path_or_fd", "_file_size", "_source", "_jfile")

    def __new__(cls, path_or_fd, *args):
        return super(MapRegionList, cls).__new__(cls)

    def __init__(self, path_or_fd, *args):
        list.__init__(self)
        self._path_or_fd = path_or_fd
        self._file_size = None
        self._source = None  # a callable giving the live regions, for a manager's list
        self._jfile = None

    def path_or_fd(self):
        return self._path_or_fd

    def file_size(self):
        if self._file_size is None:
            if isinstance(self._path_or_fd, int):
                self._file_size = os.fstat(self._path_or_fd).st_size
            else:
                self._file_size = os.stat(self._path_or_fd).st_size
        return self._file_size

    def _regions(self):
        return self._source() if self._source is not None else list.__iter__(self)

    def __len__(self):
        if self._source is None:
            return list.__len__(self)
        return len(self._source())

    def __bool__(self):
        return len(self) > 0

    __nonzero__ = __bool__

    def __iter__(self):
        if self._source is None:
            return list.__iter__(self)
        return iter(self._source())

    def __getitem__(self, i):
        if self._source is None:
            return list.__getitem__(self, i)
        return self._source()[i]

    def __contains__(self, region):
        return any(r is region for r in self._regions())

    def __repr__(self):
        return repr(list(self._regions()))
