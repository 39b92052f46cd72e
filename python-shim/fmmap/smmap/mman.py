"""smmap.mman over fmmap: WindowCursor, StaticWindowMapManager and SlidingWindowMapManager.

The managers keep smmap 5.0.2's signatures, defaults and results, but the regions are windows of
fmmap's Java WindowManager (dev.fmmap.window), which places them with smmap's algorithm and keeps the
books under one lock. What that changes, on purpose:

* Nothing depends on __del__ or reference counting (GraalPy 25 never runs __del__, measured). A
  cursor releases its window at unuse_region(), _destroy() or a ``with`` block's end. A cursor
  dropped without that (gitdb's close() does ``self._cursor = None``) is found through a weak
  reference at the next collect() or limit hit, after a garbage collection, as GitPython's
  ``gc.collect(); mman.collect()`` expects. Windows no cursor uses stay mapped as a cache, as in
  smmap, until a limit needs them, collect(), force_release() or close(); each holds one file
  descriptor, so collect() really closes them.
* Views that outlive their cursor stay valid (gitdb keeps such views while its cursor moves on;
  smmap on CPython then raised BufferError when the region was collected). buffer() returns a
  read-only copy up to 64 KiB, and above that a memoryview that keeps its window mapped for as long
  as the program can reach it, on every runtime (view_holding()): on GraalPy 25.0.3 a memoryview of
  an exporter the manager weakly references; on GraalPy 25.2.4, which never frees an object a
  memoryview was taken of (exports_released()) but does free a java.nio.ByteBuffer once its
  memoryviews are gone, a memoryview of a read-only ByteBuffer the Java manager weakly references
  (Window.viewBuffer); elsewhere a copy. Dead views are found at collect() and when a limit is hit,
  with gc.collect() first where needed (GraalPy has no reference counting, and only a collection
  clears weak references: ~0.2 s). Only force_release() and close() unmap a window under a live
  view (it then reads zeros; fmmap never faults). ``view_guard=False`` is an explicit opt-out:
  smmap's unguarded views above 64 KiB, which read zeros once their window is unmapped.
* Thread-safe: one manager may serve many threads (each cursor used by one thread at a time).
  smmap's managers are "currently not thread-safe".
* Limits: max_open_handles is hard (smmap's is too): past it OSError(EMFILE) where smmap raised a
  bare Exception. Its default is a quarter of RLIMIT_NOFILE, not unlimited (max_file_handles()
  reports it). max_memory_size is soft, as smmap documents it (exceeded only when every window
  is in use); ``strict=True`` makes it hard: MemoryError when no window can be freed.
  The least recently used unused window goes first (smmap took the first unused one it found).
* The real defaults on GraalPy: is_64_bit() is true in a 64-bit process, so windows are 1 GiB and
  the budget 8 GiB (smmap's is_64_bit() reads sys.maxsize, which is 2**31 - 1 on GraalPy).
* copy.copy(cursor) and assign() give a working cursor on the same file and window (smmap 5.0.x's
  copy has an empty region list, and use_region() on it raises TypeError).
* _obtain_region is not offered (the core places windows). A manager's
  MapRegion.increment_client_count(n) holds the window like a view, and MapRegion.release() of a
  window in use does nothing (smmap's closed the map under its users).
  The class attributes MapRegionListCls, MapWindowCls, MapRegionCls and WindowCursorCls exist, but
  only WindowCursorCls and MapRegionListCls are honoured (the core makes the regions).
* Additions: force_release(base_path) (smmap's force_map_handle_removal_win, on every platform;
  the Windows-only method keeps returning None elsewhere), stats(), close() and ``with``.
"""
import gc
import itertools
import sys
import threading
import weakref

from . import _core
from .util import MapRegion, MapRegionList, MapWindow, is_64_bit

__all__ = ["StaticWindowMapManager", "SlidingWindowMapManager", "WindowCursor"]

_Error = _core.Error
_TRANSFER_MAX = _core.TRANSFER_MAX


class _ManagedRegion(MapRegion):
    """One window of the Java manager, as an smmap MapRegion (one object per window, so that
    ``cursor.region() is other.region()`` holds as in smmap)."""
    __slots__ = ("_w", "_man", "_view", "_extent", "_address", "_end", "_live")

    def __init__(self, manager, window):
        self._w = window
        self._man = manager
        self._b = window.offset()
        self._size = window.size()
        self._end = self._b + self._size
        self._address = window.address()  # not an exposure: read only while pinned
        self._extent = min(self._size, _core.BYTES_MAX)
        # A view over the window (internal use only, while pinned), made at the first byte read: it
        # costs ~10 us on GraalPy, and copies do not need it (_bytes).
        self._view = None
        self._mf = None
        self._uc = 0  # increments made through increment_client_count()
        self._live = True

    def map(self):
        """The window's map as an fmmap.mmap (the manager owns it: do not close it)."""
        mf = self._mf
        if mf is None:
            from .._mmap import mmap
            if not self._w.isMapped():
                # Unmapped before anyone asked for its map: a closed map, as smmap's collected
                # region has (the Java map is closed, and from_java() refuses closed maps).
                mf = self._mf = mmap(-1, 1)
                mf.close()
                return mf
            try:
                mf = self._mf = mmap.from_java(self._w.map())
            except _Error as e:
                _core.fail(e)
        return mf

    buffer = map

    def client_count(self):
        """1 (the manager's) while mapped, plus one per cursor using it, as smmap counts."""
        w = self._w
        return (1 if w.isMapped() else 0) + w.pins() + self._uc

    def increment_client_count(self, ofs=1):
        """Adds ofs uses of the window (each keeps it mapped, as a view does); at a count of 0 the
        window is released (returns True). Cursors count themselves: this is for uses of your own."""
        count = self.client_count() + ofs
        assert count > -1, "Increments must match decrements, usage counter negative: %i" % count
        w = self._w
        try:
            if ofs > 0:
                for _ in range(ofs):
                    w.retainView()
                self._uc += ofs
            else:
                mine = min(self._uc, -ofs)
                for _ in range(mine):
                    w.releaseView()
                self._uc -= mine
        except _Error as e:
            _core.fail(e)
        if count == 0:
            self.release()
            return True
        return False

    def release(self):
        """Unmaps this window if no cursor uses it and no view holds it. smmap's release() closed
        the map even in use."""
        self._man._release_region(self)

    def _memory(self):
        """The view over the window, made at the first need (the caller holds a pin)."""
        view = self._view
        if view is None:
            view = self._view = _core.view(self._address, self._extent)
        return view

    def _get(self, i):
        """The byte at offset i of the window, 0 <= i < its size (the caller holds a pin)."""
        if i < self._extent:
            return self._memory()[i]
        return _core.read(self._address + i, 1)[0]

    def _bytes(self, a, b):
        """Bytes [a, b) of the window, 0 <= a <= b <= its size (the caller holds a pin and clips:
        past the window's end there may be nothing mapped). Up to TRANSFER_MAX bytes are read from
        the file (Window.copyOut: pread), not from the mapping: most reads meet pages of the window
        not yet mapped in, and each such page fault costs more than the whole read (4 KiB: ~25 us
        against ~3 us)."""
        n = b - a
        if n <= _TRANSFER_MAX:
            try:
                return _core.read(self._w.copyOut(a, n), n)
            except _Error as e:
                _core.fail(e)
        if b <= self._extent:
            return bytes(self._memory()[a:b])
        return _core.read(self._address + a, n)


class _Export(_core.BufferBase):
    """The exporter behind one buffer() view: weakly referenced by the manager, which keeps the
    window mapped until the exporter (that is, every view of it) is gone."""


# How buffer() views above 64 KiB hold their windows (view_holding() picks one per process):
# a memoryview of a read-only java.nio.ByteBuffer, which the Java manager weakly references
# (Window.viewBuffer), where GraalPy takes memoryviews of ByteBuffers (25.2.4: zero-copy, and the
# ByteBuffer is freed once its memoryviews are); else a memoryview of an _Export the manager weakly
# references, where GraalPy frees exporters (25.0.3); else a copy. UNGUARDED is view_guard=False.
BY_BUFFER = "ByteBuffer"
BY_EXPORTER = "exporter"
BY_COPY = "copy"
UNGUARDED = "unguarded"

_EXPORTS_RELEASED = []
_VIEW_HOLDING = []


def exports_released():
    """Whether this runtime frees an object once memoryviews of it are gone: GraalPy 25.0.3 does,
    25.2.4 keeps every ctypes object a memoryview was taken of (measured), so guarded views would
    keep their windows mapped for good there. Found out once per process (one gc.collect())."""
    if not _EXPORTS_RELEASED:
        import ctypes
        memory = ctypes.create_string_buffer(16)
        exporter = _core.over(_Export, ctypes.addressof(memory), 16)
        ref = weakref.ref(exporter)
        bytes(memoryview(exporter)[2:4])
        exporter = None
        gc.collect()
        _EXPORTS_RELEASED.append(ref() is None)
    return _EXPORTS_RELEASED[0]


def buffers_viewable():
    """Whether memoryview() takes a Java ByteBuffer: GraalPy 25.2.4 does (zero-copy, format 'B'),
    25.0.3 raises TypeError."""
    try:
        return memoryview(_core.ByteBuffer.allocate(1)).nbytes == 1
    except TypeError:
        return False


def view_holding():
    """How guarded buffer() views above 64 KiB hold their windows on this runtime: BY_BUFFER,
    BY_EXPORTER or BY_COPY (see above). Found out once per process, at the first such view."""
    if not _VIEW_HOLDING:
        if buffers_viewable():
            _VIEW_HOLDING.append(BY_BUFFER)
        else:
            _VIEW_HOLDING.append(BY_EXPORTER if exports_released() else BY_COPY)
    return _VIEW_HOLDING[0]


class WindowCursor(object):
    """A cursor into one file of a manager, pinning the window it uses (smmap's WindowCursor).

    Cursors come from manager.make_cursor(). Release one with unuse_region() (the window stays
    cached), _destroy() or a ``with`` block. One dropped unreleased is released by the manager's
    next collect() (or limit hit) once the garbage collector has found it gone; __del__ (where the
    runtime runs it) releases it too. The flags of the first use_region() that maps a window are
    the ones the file is opened with (smmap: of any use_region() that maps a window).
    """
    __slots__ = ("_manager", "_rlist", "_region", "_ofs", "_size", "_jc", "_token", "__weakref__")

    def __init__(self, manager=None, regions=None):
        self._manager = manager
        self._rlist = regions
        self._region = None
        self._ofs = 0
        self._size = 0
        self._jc = None
        self._token = None

    def __del__(self):
        try:
            self._destroy()
        except BaseException:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self._destroy()

    def _destroy(self):
        """Releases the window and the file (the cursor may be used again: it maps afresh)."""
        self.unuse_region()
        jc = self._jc
        if jc is not None:
            self._jc = None
            self._manager._untrack(self)
            try:
                jc.close()
            except _Error as e:
                _core.fail(e)
        rlist = self._rlist
        if rlist is not None and self._manager is not None:
            self._manager._forget(rlist)

    def _copy_from(self, rhs):
        self._manager = rhs._manager
        self._rlist = rhs._rlist
        self._region = rhs._region
        self._ofs = rhs._ofs
        self._size = rhs._size
        jc = rhs._jc
        if jc is not None:
            try:
                self._jc = jc.copy()
            except _Error as e:
                _core.fail(e)
            self._manager._track(self)

    def __copy__(self):
        """A cursor on the same file using the same window (one more use of it)."""
        cpy = type(self)()
        cpy._copy_from(self)
        return cpy

    def assign(self, rhs):
        """Makes this cursor a copy of rhs, releasing what it used."""
        self._destroy()
        self._copy_from(rhs)

    def use_region(self, offset=0, size=0, flags=0):
        """Points the cursor at offset, mapping a window if the current one does not include it;
        size 0 means as much as the window allows. Returns self, which is invalid if offset is at or
        past the end of the file. The size covered may be less than asked (end of the window)."""
        man = self._manager
        fsize = self._rlist.file_size()
        size = min(size or fsize, man._window_size or fsize)
        r = self._region
        if r is not None:
            if r._b <= offset < r._end and r._live:
                self._ofs = offset - r._b
                self._size = min(size, r._end - offset)
                return self
            if offset < fsize:
                self._region = None  # the Java cursor lets go of its window as it moves on
            else:
                self.unuse_region()
        if offset >= fsize:
            return self
        jc = self._jc
        if jc is None:
            jc = self._jc = man._new_cursor(self._rlist, flags)
            man._track(self)
        r = man._use(jc, offset, size)
        if r is None:  # the file shrank below offset since its size was read
            return self
        self._region = r
        self._ofs = offset - r._b
        self._size = min(size, r._end - offset)
        return self

    def unuse_region(self):
        """Stops using the current window (it stays mapped as a cache); size() keeps its value."""
        if self._region is not None:
            self._region = None
            try:
                self._jc.unuse()
            except _Error as e:
                _core.fail(e)

    def buffer(self):
        """A read-only memoryview (format 'B') of [ofs_begin(), ofs_end()) of the file. It stays
        valid after the cursor moves or is released: up to 64 KiB it is a copy; a larger one keeps
        its window mapped until the view is gone."""
        r = self._region
        if r is None:
            raise AttributeError("'NoneType' object has no attribute 'buffer'")
        return self._manager._export(r, self._ofs, self._size)

    def map(self):
        """The whole window's map (offsets relative to region().ofs_begin()), an fmmap.mmap."""
        r = self._region
        if r is None:
            raise AttributeError("'NoneType' object has no attribute 'map'")
        return r.map()

    def is_valid(self):
        return self._region is not None

    def is_associated(self):
        return self._rlist is not None

    def ofs_begin(self):
        return self._region._b + self._ofs

    def ofs_end(self):
        return self._region._b + self._ofs + self._size

    def size(self):
        return self._size

    def region(self):
        return self._region

    def includes_ofs(self, ofs):
        b = self._region._b + self._ofs
        return b <= ofs < b + self._size

    def file_size(self):
        return self._rlist.file_size()

    def path_or_fd(self):
        return self._rlist.path_or_fd()

    def path(self):
        if isinstance(self._rlist.path_or_fd(), int):
            raise ValueError("Path queried although mapping was applied to a file descriptor")
        return self._rlist.path_or_fd()

    def fd(self):
        if isinstance(self._rlist.path_or_fd(), str):
            raise ValueError("File descriptor queried although mapping was generated from path")
        return self._rlist.path_or_fd()


class StaticWindowMapManager(object):
    """A manager whose one window per file maps the whole file (smmap's StaticWindowMapManager).

    window_size: -1 for the default (1024 MiB in a 64-bit process, else 64 MiB), 0 for any size.
    max_memory_size: 0 for the default (8192 MiB, or 1024 MiB in a 32-bit process); a soft limit
    unless strict=True. max_open_handles: the most windows (each holds one file descriptor) mapped
    at once, a hard limit; by default (sys.maxsize, unlimited in smmap) a quarter of the process's
    limit on open files, so that windows alone never cause "Too many open files". view_guard=False
    stops buffer() views above 64 KiB from keeping their windows mapped: such a view reads zeros once
    its window is unmapped (an opt-out; by default views never do).
    """
    __slots__ = ("_fdict", "_window_size", "_max_memory_size", "_max_handle_count", "_jman",
                 "_strict", "_view_guard", "_lock", "_views", "_poll_at", "_views_since_gc",
                 "_buffer_views", "_cursors", "_tokens", "__weakref__")

    MapRegionListCls = MapRegionList
    MapWindowCls = MapWindow
    MapRegionCls = MapRegion
    WindowCursorCls = WindowCursor

    _MB_in_bytes = 1024 * 1024
    _strategy = _core.STATIC

    def __init__(self, window_size=0, max_memory_size=0, max_open_handles=sys.maxsize,
                 strict=False, view_guard=None):
        self._fdict = {}
        self._window_size = window_size
        self._max_memory_size = max_memory_size
        self._max_handle_count = max_open_handles
        if window_size < 0:
            self._window_size = (1024 if is_64_bit() else 64) * self._MB_in_bytes
        if max_memory_size == 0:
            self._max_memory_size = (8192 if is_64_bit() else 1024) * self._MB_in_bytes
        self._strict = bool(strict)
        # How views above 64 KiB hold their windows: view_holding(), found out at the first such view
        # (None until then), or UNGUARDED (view_guard=False).
        self._view_guard = UNGUARDED if view_guard is not None and not view_guard else None
        self._lock = threading.RLock()
        self._views = []  # (weakref to an _Export, Java Window) per live BY_EXPORTER view
        # BY_BUFFER views made since the last poll plus those the Java manager held then
        self._buffer_views = 0
        self._poll_at = 256  # views + cursors tracked at which _poll_if_grown() polls
        self._views_since_gc = 0
        self._cursors = {}  # token -> (weakref to a WindowCursor, its Java cursor)
        self._tokens = itertools.count()
        builder = (_core.WindowManager.builder()
                   .strategy(self._strategy)
                   .maxMappedBytes(max(1, self._max_memory_size))
                   .overcommit(_core.NEVER if self._strict else _core.WHEN_ALL_PINNED))
        if max_open_handles != sys.maxsize:
            builder = builder.maxWindows(max(1, min(max_open_handles, _core.INT_MAX)))
        if self._strategy is _core.SLIDING:
            # 0 (any size) has no Java counterpart: windows as large as the file then.
            builder = builder.windowSize(self._window_size or 1 << 62)
        try:
            self._jman = builder.build()
        except _Error as e:
            _core.fail(e)
        # smmap's default (sys.maxsize) is unlimited: the Java default, a quarter of RLIMIT_NOFILE.
        self._max_handle_count = self._jman.maxWindows() if max_open_handles == sys.maxsize \
            else max_open_handles

    # --- fmmap's additions -------------------------------------------------------------------

    def close(self):
        """Unmaps every window and closes every descriptor; the manager cannot be used after."""
        with self._lock:
            self._views = []
            self._buffer_views = 0
            self._cursors.clear()
            self._fdict.clear()
        self._jman.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def stats(self):
        """The Java manager's counters (dev.fmmap.window.WindowStats) as a dict."""
        s = self._jman.stats()
        return dict((name, getattr(s, name)()) for name in _STATS)

    def force_release(self, base_path):
        """Unmaps every window of every file under base_path (a file or a directory, compared by
        path components), in use or not, and returns how many. Cursors on them map afresh at their
        next use_region(); views of them read zeros. fmmap's, on every platform."""
        with self._lock:
            regions = [r for rlist in list(self._fdict.values()) for r in rlist]
        try:
            count = self._jman.release(_core.java_path(base_path))
        except _Error as e:
            _core.fail(e)
        for r in regions:
            if not r._w.isMapped():
                r._live = False
        return count

    # --- smmap's interface -------------------------------------------------------------------

    def make_cursor(self, path_or_fd):
        """A cursor on a path or an open file descriptor, associated and not valid. Files are keyed
        by path_or_fd as given."""
        with self._lock:
            regions = self._fdict.get(path_or_fd)
            if regions is None:
                regions = self.MapRegionListCls(path_or_fd)
                holder = [None, None]  # the Java WindowedFile (once a cursor has one), the Path
                regions._source = lambda: self._regions_of(holder[0])
                regions._jfile = holder
                self._fdict[path_or_fd] = regions
        return self.WindowCursorCls(self, regions)

    def collect(self):
        """Unmaps every window that no cursor uses and no view holds; returns how many. Cursors and
        views that are gone unreleased are found first (after a garbage collection, if any is
        outstanding: GraalPy has no reference counting and never runs __del__)."""
        self._poll(True)
        try:
            return self._jman.collect()
        except _Error as e:
            _core.fail(e)

    def num_file_handles(self):
        """Windows mapped (each holds one file descriptor)."""
        return self._jman.stats().windows()

    def num_open_files(self):
        """Files with at least one window mapped."""
        return self._jman.stats().openFiles()

    def window_size(self):
        return self._window_size

    def mapped_memory_size(self):
        return self._jman.stats().mappedBytes()

    def max_file_handles(self):
        return self._max_handle_count

    def max_mapped_memory_size(self):
        return self._max_memory_size

    def force_map_handle_removal_win(self, base_path):
        """On Windows, force_release(base_path); elsewhere nothing and None, as smmap."""
        if sys.platform != "win32":
            return None
        return self.force_release(base_path)

    def _collect_lru_region(self, size):
        """Unmaps unused windows, least recently used first, until size more bytes fit under
        max_memory_size; all of them if size is 0 (as collect()). Returns how many."""
        if size == 0:
            return self.collect()
        self._poll(False)
        try:
            return self._jman.collect(size)
        except _Error as e:
            _core.fail(e)

    # --- internals ---------------------------------------------------------------------------

    def _new_cursor(self, rlist, flags):
        """A Java cursor for the file of rlist."""
        key = rlist.path_or_fd()
        holder = getattr(rlist, "_jfile", None) or [None, None]
        try:
            if isinstance(key, int):
                jc = self._jman.cursor(key)
            else:
                if holder[1] is None:
                    holder[1] = _core.java_path(key)
                jc = self._jman.cursor(holder[1], flags)
            holder[0] = jc.file()
        except _Error as e:
            _core.fail(e)
        return jc

    def _track(self, cursor):
        """Remembers the Java cursor of a Python one, to release it if the Python cursor is gone
        without _destroy(): GraalPy never runs __del__ (25.0.3 and 25.2.4, measured)."""
        token = next(self._tokens)
        cursor._token = token
        with self._lock:
            self._cursors[token] = (weakref.ref(cursor), cursor._jc)
        self._poll_if_grown()

    def _untrack(self, cursor):
        with self._lock:
            self._cursors.pop(cursor._token, None)

    def _forget(self, rlist):
        """Drops a file from the table once no window of it is left (smmap's _destroy)."""
        holder = getattr(rlist, "_jfile", None)
        jfile = holder[0] if holder is not None else None
        try:
            if jfile is not None and jfile.windowCount() > 0:
                return
        except _Error as e:
            _core.fail(e)
        with self._lock:
            if self._fdict.get(rlist.path_or_fd()) is rlist:
                del self._fdict[rlist.path_or_fd()]

    def _regions_of(self, jfile):
        if jfile is None:
            return []
        try:
            return [self._region(w) for w in jfile.windows()]
        except _Error as e:
            _core.fail(e)

    def _region(self, window):
        """The one _ManagedRegion of a Java window."""
        r = window.attachment()
        if r is None:
            with self._lock:
                r = window.attachment()
                if r is None:
                    r = _ManagedRegion(self, window)
                    window.attach(r)
        return r

    def _use(self, jc, offset, size):
        """jc.use(offset, size) with smmap's recovery: when a limit (or EMFILE/ENOMEM) refuses a
        window, dead views are released (after a garbage collection) and the request is retried.
        Returns the region in use, or None."""
        try:
            r = jc.useAttached(offset, size)  # one call into Java, where three were needed
        except _Error as e:
            r = self._retry(jc, offset, size, e)
        if r is None:
            return None
        if type(r) is not _ManagedRegion:  # a window mapped just now (its attachment is unset)
            r = self._region(r)
        if (self._views or self._buffer_views) and not self._strict:
            self._check_overcommit()
        return r

    def _retry(self, jc, offset, size, error):
        for attempt in range(3):
            if not _core.is_limit(error) or not (self._views or self._buffer_views or self._cursors):
                break
            # Views the garbage collector has already found dead are free; else collect garbage.
            if not (attempt == 0 and self._poll(False)):
                self._poll(True)
            try:
                return jc.useAttached(offset, size)
            except _Error as e:
                error = e
        _core.fail(error)

    def _check_overcommit(self):
        """The soft byte limit was exceeded because views held windows: release the dead ones, so
        that the next mapping can evict them. A garbage collection (~0.2 s on GraalPy) runs only
        once _GC_AFTER views were made since the last one: views really kept cannot be freed, and
        the limit is soft."""
        if self._jman.stats().mappedBytes() > self._max_memory_size:
            self._poll(self._views_since_gc >= _GC_AFTER)

    def _export(self, r, ofs, size):
        """A memoryview of [ofs, ofs + size) of region r, which keeps r's window mapped while it
        lives (unless view_guard=False)."""
        if size <= _COPY_MAX:
            # A copy: it holds no window, so no garbage collection is ever needed to learn that it
            # is gone (the price of a guarded view under a limit on GraalPy; docs/benchmark.md).
            return memoryview(r._bytes(ofs, ofs + size))
        holding = self._view_guard
        if holding is None:
            holding = self._view_guard = view_holding()
        w = r._w
        if holding is BY_BUFFER:
            try:
                view = memoryview(w.viewBuffer(ofs, max(0, min(size, r._extent - ofs))))
            except _Error as e:
                _core.fail(e)
            with self._lock:
                self._buffer_views += 1
                self._views_since_gc += 1
            return view
        if holding is BY_EXPORTER:
            exporter = _core.over(_Export, r._address, r._extent)
            try:
                w.retainView()
            except _Error as e:
                _core.fail(e)
            with self._lock:
                self._views.append((weakref.ref(exporter), w))
                self._views_since_gc += 1
            self._poll_if_grown()
            return memoryview(exporter)[ofs:ofs + size]
        if holding is BY_COPY:
            return memoryview(r._bytes(ofs, ofs + min(size, r._extent - ofs)))
        try:
            w.expose()  # view_guard=False: the view may outlive the window, zero pages then, not a fault
        except _Error as e:
            _core.fail(e)
        return r._memory()[ofs:ofs + size]

    def _poll_if_grown(self):
        """Polls, without a garbage collection, each time the views and cursors tracked have doubled
        since the last poll: what GraalPy's own collections found dead is released, and the lists
        stay in proportion to what is alive."""
        with self._lock:
            if len(self._views) + len(self._cursors) < self._poll_at:
                return
        self._poll(False)
        with self._lock:
            self._poll_at = max(256, 2 * (len(self._views) + len(self._cursors)))

    def _poll(self, collect_garbage):
        """Releases the windows of views that are gone and the Java cursors of Python cursors that
        are gone unreleased; with collect_garbage, runs the garbage collector first if any view or
        cursor is outstanding (GraalPy clears weak references only then; ~0.2 s). Returns how many
        were released."""
        if not self._views and not self._buffer_views and not self._cursors:
            return 0
        if collect_garbage:
            gc.collect()
            self._views_since_gc = 0
        released = 0
        if self._buffer_views:
            # The Java manager finds its ByteBuffers that the collection cleared.
            try:
                released = self._jman.releaseCollectedBuffers()
                held = self._jman.heldBuffers()
            except _Error:
                released, held = 0, 0  # the manager was closed meanwhile
            with self._lock:
                self._buffer_views = held
        with self._lock:
            dead = [w for ref, w in self._views if ref() is None]
            if dead:
                self._views = [entry for entry in self._views if entry[0]() is not None]
            gone = [token for token, (ref, _) in self._cursors.items() if ref() is None]
            cursors = [self._cursors.pop(token)[1] for token in gone]
        for w in dead:
            try:
                w.releaseView()
            except _Error:
                pass  # the manager was closed meanwhile
        for jc in cursors:
            try:
                jc.close()
            except _Error:
                pass
        return len(dead) + len(cursors) + released

    def _release_region(self, region):
        w = region._w
        try:
            w.release()
        except _Error as e:
            _core.fail(e)
        if not w.isMapped():
            region._live = False


class SlidingWindowMapManager(StaticWindowMapManager):
    """A manager mapping files in windows of window_size bytes (default -1: 1024 MiB in a 64-bit
    process, else 64 MiB), placed as smmap places them: never overlapping, extended towards their
    neighbours, aligned to ALLOCATIONGRANULARITY. Thread-safe (smmap's is not)."""
    __slots__ = ()

    _strategy = _core.SLIDING

    def __init__(self, window_size=-1, max_memory_size=0, max_open_handles=sys.maxsize,
                 strict=False, view_guard=None):
        super(SlidingWindowMapManager, self).__init__(window_size, max_memory_size, max_open_handles,
                                                      strict, view_guard)


_GC_AFTER = 32
# buffer() views up to this size are read-only copies (the windows are read-only too).
_COPY_MAX = 64 * 1024
_STATS = ("mappedBytes", "peakMappedBytes", "windows", "peakWindows", "pinnedWindows",
          "viewHeldWindows", "openFiles", "cursors", "hits", "maps", "evictions", "overcommits",
          "limitFailures", "mapRetries", "guardsHeld")
