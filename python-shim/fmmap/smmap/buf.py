"""smmap.buf over fmmap: SlidingWindowMapBuffer, a bytes-like view of a whole file through a cursor.

Deliberate differences from smmap 5.0.2, each fixing a bug or a hazard of smmap's:

* Indexes are relative to the buffer's offset, as smmap's docstring says (smmap's __getitem__ takes
  them as file offsets: for a buffer at offset 100, smmap's buf[0] is the file's byte 0).
* Slices always return bytes (smmap: a memoryview when the slice lies inside one window, which
  goes stale when the window is unmapped; bytes otherwise), follow Python's slice rules (buf[:0] is
  empty, not everything; a step is honoured) and are clipped to len(buf) (smmap: AssertionError
  past the end). An index out of range raises IndexError (smmap: AssertionError or
  AttributeError).
* len(buf) is min(size, file size - offset) (smmap clips size only when it exceeds the file size),
  and a buffer made without a cursor has length 0 (smmap: AttributeError).
* The default size is 2**63 - 1 rather than sys.maxsize (2**31 - 1 on GraalPy, which would cut
  files above 2 GiB short).
* end_access() releases the window: use ``with`` or call it (smmap relies on reference counting
  and __del__, which GraalPy never runs; a buffer dropped unreleased has its cursor released by the
  manager's next collect(), see mman).
"""
import operator

__all__ = ["SlidingWindowMapBuffer"]

_MAXSIZE = 2 ** 63 - 1


class SlidingWindowMapBuffer(object):
    """SlidingWindowMapBuffer(cursor=None, offset=0, size=2**63 - 1, flags=0)

    The bytes [offset, offset + size) of the cursor's file (clipped to the file), indexed from 0,
    mapping windows as needed. ValueError if the cursor cannot be used at offset (e.g. past the end).
    """
    __slots__ = ("_c", "_size", "_ofs")

    def __init__(self, cursor=None, offset=0, size=_MAXSIZE, flags=0):
        self._c = cursor
        self._size = 0
        self._ofs = 0
        if cursor and not self.begin_access(cursor, offset, size, flags):
            raise ValueError("Failed to allocate the buffer - probably the given offset is out of bounds")

    def __del__(self):
        try:
            self.end_access()
        except BaseException:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.end_access()

    def __len__(self):
        return self._size

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(self._size)
            if step == 1:
                return self._read(start, stop) if start < stop else b""
            if (step > 0 and start >= stop) or (step < 0 and start <= stop):
                return b""
            low, high = (start, stop) if step > 0 else (stop + 1, start + 1)
            data = self._read(low, high)
            return data[::step] if step > 0 else data[start - low::step]
        i = operator.index(i)
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError("index out of range")
        pos = self._ofs + i
        r = self._region_at(pos)
        return r._get(pos - r._b)

    def _region_at(self, pos):
        """The region including file offset pos, used by the cursor (mapped if needed)."""
        c = self._c
        r = c._region
        if r is None or not (r._b <= pos < r._end and r._live):
            c.use_region(pos, self._ofs + self._size - pos)
            r = c._region
            if r is None:
                raise IndexError("index out of range")  # the file shrank
        return r

    def _read(self, start, stop):
        """Bytes [start, stop) of the buffer (in range), window by window."""
        a = self._ofs + start
        b = self._ofs + stop
        parts = []
        while a < b:
            r = self._region_at(a)
            end = min(b, r._end)
            parts.append(r._bytes(a - r._b, end - r._b))
            a = end
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def begin_access(self, cursor=None, offset=0, size=_MAXSIZE, flags=0):
        """Starts (again) to use the buffer, with a new cursor if one is given. Returns whether the
        buffer can be used: False without an associated cursor or with offset past the end."""
        if cursor:
            self._c = cursor
        c = self._c
        if c is not None and c.is_associated():
            res = c.use_region(offset, size, flags).is_valid()
            if res:
                self._size = max(0, min(size, c.file_size() - offset))
                self._ofs = offset
            return res
        return False

    def end_access(self):
        """Stops using the buffer and releases its window; begin_access() makes it usable again."""
        self._size = 0
        if self._c is not None:
            self._c.unuse_region()

    def cursor(self):
        return self._c
