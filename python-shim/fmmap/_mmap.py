"""class mmap: CPython 3.13's mmap.mmap (Unix) over fmmap's Java core.

Every method follows CPython's order: check the map is open, parse the arguments, check permission,
check the range, then delegate. Searching and every system call go to Java. The data itself is
reached one of two ways, chosen per access by the map's raw-access flag (a byte the Java core keeps,
read here without a call into Java; docs/design.md, "A file truncated beneath the map"):
- raw: single bytes and runs of bytes through the mapping's address (a memoryview over it), with no
  call into Java. Anonymous maps always; file maps in the default "fast" guard mode while the core's
  truncation watcher watches the file and the file backs the whole map.
- guarded: through the core's methods, which turn the fault of a page lost to a truncation into
  OSError(EFAULT). Maps in "strict" mode, files that cannot be watched, files truncated beneath the
  map, and maps larger than one view can span.
The common calls read the flag and do their work inline: on GraalPy each helper call or attribute
lookup costs while the code is still interpreted (docs/benchmark.md). Python 2.7 syntax is kept for
the Jython build.
"""
import sys
import weakref

from . import _args, _errors
from ._constants import (ACCESS_COPY, ACCESS_DEFAULT, ACCESS_NAMES, ACCESS_READ, ACCESS_WRITE,
                         MAP_SHARED, PROT_READ, PROT_WRITE)
from ._runtime import core

_CoreError = core.Error
_translate = core.translate
_write = core.write
_view = core.view
_copy_out = core.copy_out
_copy_in = core.copy_in
_SSIZE_MAX = _args.SSIZE_MAX
_BYTES_MAX = core.BYTES_MAX

_CLOSED = "mmap closed or invalid"
_READONLY = "mmap can't modify a readonly memory map."
_NEWLINE = 10
_LINE_GUESS = 256  # bytes readline() copies first, hoping for the whole line
_FIND_GUESS = 256  # bytes find() searches in Python first, before asking Java
_STEPPED_SPAN = 1 << 24  # bytes copied at once for a stepped slice; bounds its memory too
_WRITABLE = 1  # inspect.BufferFlags.WRITABLE
_audit = getattr(sys, "audit", None)
_ONE_BYTE = tuple(bytes(bytearray((b,))) for b in range(256))


class _State(object):
    """The mutable state of one map, kept apart so that mmap instances can refuse attributes."""
    __slots__ = ("map", "region", "size", "pos", "access", "offset", "trackfd", "closed",
                 "type_name", "get", "put", "index_of", "view", "extent", "raw")

    def set_region(self, address, size):
        """The live mapping's address and size, the view over as much of it as one view can reach
        (GraalPy: 2**31 - 1 bytes), and the raw-access flag: the core's, where one view spans the
        map, else one that always says no."""
        self.region = (address, size)
        self.size = size
        self.extent = min(size, _BYTES_MAX)
        self.view = _view(address, self.extent)
        self.raw = core.raw_flag(self.map) if size == self.extent else core.NO_RAW


def _get(s, i):
    """The byte at offset i (in range) of the live map of state s, through the guarded path."""
    if s.raw[0]:
        return s.view[i]
    try:
        return s.get(i)
    except _CoreError as e:
        _fail(e)


def _put(s, i, value):
    """Sets the byte at offset i (in range) of the live map of state s."""
    if s.raw[0]:
        s.view[i] = value
        return
    try:
        s.put(i, value)
    except _CoreError as e:
        _fail(e)


def _bytes_at(s, start, stop):
    """Bytes [start, stop) of the live map of state s (range checked); a run longer than one bytes
    object can hold is refused."""
    if s.raw[0]:
        return bytes(s.view[start:stop])
    if stop - start > _BYTES_MAX:
        raise core.too_large(stop - start)
    try:
        return _copy_out(s.map, start, stop - start)
    except _CoreError as e:
        _fail(e)


def _store(s, start, data):
    """Writes bytes data at offset start of the live map of state s (range checked)."""
    if s.raw[0]:
        _write(s.region[0] + start, data)
        return
    try:
        _copy_in(s.map, start, data)
    except _CoreError as e:
        _fail(e)


def _slice_length(start, stop, step):
    """len(range(start, stop, step)) for values from slice.indices(), which GraalPy's len() cannot
    give beyond 2**31 - 1."""
    if step > 0:
        return (stop - start + step - 1) // step if stop > start else 0
    return (start - stop - step - 1) // -step if start > stop else 0


def _fail(error):
    """Raises the Python exception for a Java failure (fmmap._errors)."""
    _errors.fail(_translate, error)


class mmap(core.BufferBase):
    """mmap(fileno, length[, flags[, prot[, access[, offset]]]], *, trackfd=True)

    Maps length bytes from the file given by fileno (or anonymous memory for -1), exactly as
    CPython's mmap.mmap does on Unix.
    """

    def __new__(cls, *args, **kwargs):
        fileno, length, flags, prot, access, offset, trackfd = _parse_new(args, kwargs)
        _args.check_map_request(length, offset, flags, prot, access)
        try:
            jmap = core.new_map(fileno, length, flags, prot, access, offset, trackfd)
        except _CoreError as e:
            _fail(e)
        if _audit is not None:
            _audit("mmap.__new__", fileno, length, jmap.access().code(), offset)
        if fileno == -1:
            _args.name_new_anonymous_map(jmap, _CoreError)
        return cls._adopt(jmap, offset, trackfd)

    @classmethod
    def from_java(cls, jmap):
        """mmap.from_java(memory_map) -> the map over a dev.fmmap.MemoryMap that Java code made.

        One mapping seen from both languages: writes from either side are visible to the other,
        and closing or resizing it on one side does so for both. (fmmap's own; not in CPython.)
        """
        if not core.is_core_map(jmap):
            raise TypeError("from_java() argument must be a dev.fmmap.MemoryMap, not '%s'"
                            % core.type_name(jmap))
        if jmap.isClosed():
            raise ValueError(_CLOSED)
        return cls._adopt(jmap, jmap.offset(), jmap.tracksFd())

    @classmethod
    def _adopt(cls, jmap, offset, trackfd):
        """The Python object over the live Java map jmap."""
        address = jmap.address()
        size = jmap.size()
        self = core.over(cls, address, size)
        state = _State()
        state.map = jmap
        # Bound Java methods, looked up once: on GraalPy each lookup costs more than the call.
        state.get = jmap.getUnsigned
        state.put = jmap.putUnsigned
        state.index_of = jmap.indexOf
        state.set_region(address, size)
        state.pos = 0
        state.access = jmap.access().code()
        state.offset = offset
        state.trackfd = trackfd
        state.closed = False
        state.type_name = "mmap.mmap" if cls is mmap else cls.__name__
        _instance_dict(self)["_s"] = state
        _release_when_freed(self, state)
        return self

    def __init__(self, *args, **kwargs):
        pass  # everything happens in __new__; ctypes' __init__ would treat the arguments as items

    # --- state -------------------------------------------------------------------------------

    @property
    def __dict__(self):
        # CPython's mmap instances have no __dict__ (subclass instances do).
        if type(self).__base__ is mmap:
            raise AttributeError("'mmap.mmap' object has no attribute '__dict__'")
        return _instance_dict(self)

    def __setattr__(self, name, value):
        if type(self).__base__ is mmap:
            if hasattr(type(self), name):
                raise AttributeError("'mmap.mmap' object attribute '%s' is read-only" % name)
            raise AttributeError("'mmap.mmap' object has no attribute '%s'" % name)
        object.__setattr__(self, name, value)

    def _live(self):
        """The (address, size) of the live mapping; ValueError once closed. Methods call this first,
        and again after converting arguments: an __index__ may have closed the map."""
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        return s.region

    def _copy_out(self, start, n):
        """The n bytes at offset start of the live map, as bytes (range checked)."""
        if n > _BYTES_MAX:
            raise core.too_large(n)
        return _bytes_at(self._s, start, start + n)

    def _copy_stepped(self, first, count, step):
        """The count bytes at offsets first, first + step, ... (range checked; step != 1), copied
        in spans that one bytes object can hold."""
        if count > _BYTES_MAX:
            raise core.too_large(count)
        per_span = max(1, (_STEPPED_SPAN - 1) // abs(step) + 1)
        parts = []
        for done in range(0, count, per_span):
            n = min(per_span, count - done)
            a = first + done * step
            b = a + (n - 1) * step
            low = min(a, b)
            span = self._copy_out(low, max(a, b) - low + 1)
            parts.append(span[::step] if step > 0 else span[a - low::step])
        return b"".join(parts)

    def _check_writable(self):
        if self._s.access == ACCESS_READ:
            raise TypeError(_READONLY)

    @property
    def closed(self):
        return self._s.closed

    def close(self):
        s = self._s
        if not s.closed:
            s.closed = True
            try:
                s.map.close()
            except _CoreError as e:
                _fail(e)

    def __enter__(self):
        self._live()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __len__(self):
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        return s.region[1]

    def __repr__(self):
        s = self._s
        if s.closed:
            return "<%s closed=True>" % s.type_name
        return "<%s closed=False, access=%s, length=%d, pos=%d, offset=%d>" % (
            s.type_name, ACCESS_NAMES[s.access], s.region[1], s.pos, s.offset)

    def __reduce_ex__(self, protocol):
        # As CPython: protocols 0 and 1 go through copyreg, which names the type by __name__.
        name = self._s.type_name
        if protocol < 2:
            name = name.rsplit(".", 1)[-1]
        raise TypeError("cannot pickle '%s' object" % name)

    def __reduce__(self):
        raise TypeError("cannot pickle '%s' object" % self._s.type_name)

    # ctypes arrays are unhashable; CPython's mmap hashes by identity.
    __hash__ = object.__hash__

    def __buffer__(self, flags):
        self._live()
        if flags & _WRITABLE and self._s.access == ACCESS_READ:
            raise BufferError("Object is not writable.")
        return memoryview(self)

    def __release_buffer__(self, view):
        view.release()

    def _export(self):
        """memoryview(self) for code that needs the whole map as a buffer (_re_support): refused
        once closed, and where the runtime cannot export the whole map."""
        size = self._live()[1]
        if size > _BYTES_MAX:
            raise core.too_large(size)
        return memoryview(self)

    # --- file-like interface -----------------------------------------------------------------

    def tell(self):
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        return s.pos

    def seekable(self):
        return True

    def seek(self, *args, **kwargs):
        s = self._s  # once, as in read()
        if s.closed:
            raise ValueError(_CLOSED)
        n = len(args)
        how = args[1] if n == 2 else 0
        if (not kwargs and (n == 1 or n == 2) and type(args[0]) is int
                and -_SSIZE_MAX - 1 <= args[0] <= _SSIZE_MAX and type(how) is int and 0 <= how <= 2):
            dist = args[0]  # plain ints, the common call: no helper calls, which cost the most
            #                 while GraalPy still interprets a short program (docs/benchmark.md)
        else:
            _args.positional("seek", args, kwargs, 1, 2)
            dist = _args.as_ssize(args[0])
            how = _args.as_int(args[1]) if n > 1 else 0
            if s.closed:  # an __index__ may have closed the map
                raise ValueError(_CLOSED)
        size = s.size
        if how == 0:
            where = dist
        elif how == 1:
            where = s.pos + dist
        elif how == 2:
            where = size + dist
        else:
            raise ValueError("unknown seek type")
        if where > size or where < 0:
            raise ValueError("seek out of range")
        s.pos = where
        return where

    def read(self, *args, **kwargs):
        s = self._s  # once: each self.<name> is a lookup on this map's own (per-length) class
        if (s.raw[0] and len(args) == 1 and not kwargs and type(args[0]) is int
                and 0 <= args[0] <= _SSIZE_MAX):
            # read(n) on an open map (a closed one's flag is 0) through the view: no call at all
            pos = s.pos
            stop = pos + args[0]
            if stop > s.size:
                stop = s.size if pos < s.size else pos
            s.pos = stop
            return bytes(s.view[pos:stop])
        if s.closed:
            raise ValueError(_CLOSED)
        if len(args) == 1 and not kwargs and type(args[0]) is int and 0 <= args[0] <= _SSIZE_MAX:
            n = args[0]  # read(n), the common call: nothing to convert, nothing can close the map
        else:
            _args.positional("read", args, kwargs, 0, 1)
            n = _args.optional_ssize(args[0]) if args else -1
            if s.closed:  # an __index__ may have closed the map
                raise ValueError(_CLOSED)
        size = s.size
        pos = s.pos
        remaining = size - pos if pos < size else 0
        if n < 0 or n > remaining:
            n = remaining
        if n > _BYTES_MAX:
            raise core.too_large(n)
        stop = pos + n
        data = _bytes_at(s, pos, stop) if n > 0 else b""
        s.pos = stop
        return data

    def read_byte(self):
        s = self._s
        pos = s.pos
        if s.raw[0] and pos < s.size:
            s.pos = pos + 1
            return s.view[pos]
        if s.closed:
            raise ValueError(_CLOSED)
        if pos >= s.size:
            raise ValueError("read byte out of range")
        value = _get(s, pos)
        s.pos = pos + 1
        return value

    def readline(self):
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        size = s.size
        pos = s.pos
        if pos >= size:
            return b""
        if s.raw[0]:
            # Most lines are short: look for the newline in one small copy, which becomes the line,
            # before asking Java to search (a host call costs more than copying 256 bytes).
            head = bytes(s.view[pos:pos + _LINE_GUESS])
            eol = head.find(b"\n")
            if eol >= 0:
                s.pos = pos + eol + 1
                return head[:eol + 1]
            if pos + len(head) >= size:
                s.pos = size
                return head
        try:
            eol = s.index_of(_NEWLINE, pos)
        except _CoreError as e:
            _fail(e)
        end = size if eol < 0 else eol + 1
        s.pos = end
        return _bytes_at(s, pos, end)

    def write(self, *args, **kwargs):
        s = self._s  # once, as in read()
        if s.closed:
            raise ValueError(_CLOSED)
        if len(args) == 1 and not kwargs and type(args[0]) is bytes:
            data = args[0]
        else:
            _args.positional("write", args, kwargs, 1, 1)
            data = _args.bytes_like(args[0])
        if s.access == ACCESS_READ:
            raise TypeError(_READONLY)
        size = s.size
        pos = s.pos
        n = len(data)
        if pos > size or size - pos < n:
            raise ValueError("data out of range")
        if s.raw[0]:
            _write(s.region[0] + pos, data)
        elif n:
            _store(s, pos, data)
        s.pos = pos + n
        return n

    def write_byte(self, *args, **kwargs):
        s = self._s  # once, as in read()
        if s.closed:
            raise ValueError(_CLOSED)
        _args.positional("write_byte", args, kwargs, 1, 1)
        value = _args.as_ubyte(args[0])
        if s.access == ACCESS_READ:
            raise TypeError(_READONLY)
        if s.closed:  # an __index__ may have closed the map
            raise ValueError(_CLOSED)
        size = s.size
        pos = s.pos
        if pos >= size:
            raise ValueError("write byte out of range")
        _put(s, pos, value)
        s.pos = pos + 1

    # --- search --------------------------------------------------------------------------------

    def find(self, *args, **kwargs):
        s = self._s
        if (s.raw[0] and len(args) == 2 and not kwargs and type(args[0]) is bytes
                and type(args[1]) is int and 0 <= args[1] < s.size):
            # find(sub, start), the common short search: the first bytes after start in one small
            # copy first; a miss there costs that copy, a hit saves the call into Java.
            needle = args[0]
            start = args[1]
            head = bytes(s.view[start:start + _FIND_GUESS])
            at = head.find(needle)
            if at >= 0:
                return start + at
            if start + len(head) >= s.size:
                return -1
            # Matches starting in the copy were ruled out where the whole needle fit in it.
            start += max(0, len(head) - len(needle) + 1)
            try:
                return s.map.find(needle, start, s.size)
            except _CoreError as e:
                _fail(e)
        return self._find("find", args, kwargs)

    def rfind(self, *args, **kwargs):
        return self._find("rfind", args, kwargs)

    def _find(self, name, args, kwargs):
        size = self._live()[1]
        _args.positional(name, args, kwargs, 1, 3)
        needle = _args.bytes_like(args[0])
        # CPython 3.14.1 accepts None for start and end; this backports it.
        start = self._s.pos if len(args) < 2 or args[1] is None else _args.as_ssize(args[1])
        end = size if len(args) < 3 or args[2] is None else _args.as_ssize(args[2])
        if start > size:
            return -1  # CPython 3.15 (gh-151021), as bytes.find: 3.13 clamped start, so b"" matched
        start = _args.clamp(start, size)
        end = _args.clamp(end, size)
        try:
            if name == "find":
                return self._s.map.find(needle, start, end)
            return self._s.map.rfind(needle, start, end)
        except _CoreError as e:
            _fail(e)

    # --- whole-map operations ------------------------------------------------------------------

    def flush(self, *args, **kwargs):
        """flush(offset=0, size=-1, /, *, flags=0): CPython 3.15's, with msync's MS_* flags (0 is
        MS_SYNC) and size -1 meaning to the end of the map."""
        size = self._live()[1]
        offset, length, flags = _args.flush_arguments("flush", args, kwargs, size)
        if self._s.access in (ACCESS_READ, ACCESS_COPY):
            return None
        try:
            self._s.map.flush(offset, length, flags)
        except _CoreError as e:
            _fail(e)
        return None

    def set_name(self, *args, **kwargs):
        """set_name(name, /): names this anonymous map [anon:cpython:mmap:NAME] in /proc/<pid>/maps,
        as CPython 3.15 does: only in development mode (-X dev where the runtime reports it, or
        PYTHONDEVMODE), on Linux 5.17+ built with CONFIG_ANON_VMA_NAME; otherwise it does nothing."""
        if kwargs:
            raise TypeError("mmap.set_name() takes no keyword arguments")
        if len(args) != 1:
            raise TypeError("mmap.set_name() takes exactly one argument (%d given)" % len(args))
        kernel_name = _args.anonymous_map_name(args[0])
        self._live()
        if not self._s.map.isAnonymous():
            raise ValueError("Cannot set annotation on non-anonymous mappings")
        if _args.dev_mode():
            try:
                self._s.map.setAnonymousName(kernel_name)
            except _CoreError as e:
                _fail(e)

    def madvise(self, *args, **kwargs):
        size = self._live()[1]
        _args.positional("madvise", args, kwargs, 1, 3)
        option = _args.as_int(args[0])
        start = _args.as_ssize(args[1]) if len(args) > 1 else 0
        length = _args.as_ssize(args[2]) if len(args) > 2 else size
        length = _args.madvise_length(start, length, size)
        try:
            self._s.map.madvise(option, start, length)
        except _CoreError as e:
            _fail(e)

    def move(self, *args, **kwargs):
        size = self._live()[1]
        _args.positional("move", args, kwargs, 3, 3)
        dest, src, count = [_args.as_ssize(a) for a in args]
        self._check_writable()
        if dest < 0 or src < 0 or count < 0 or size - dest < count or size - src < count:
            raise ValueError("source, destination, or count out of range")
        try:
            self._s.map.move(dest, src, count)
        except _CoreError as e:
            _fail(e)

    def size(self):
        size = self._live()[1]
        s = self._s
        # CPython 3.15 (3.13 raised OSError(EBADF) for both): without its descriptor a map cannot
        # know its file's size; an anonymous map's size is its length.
        if not s.trackfd:
            raise ValueError("can't get size with trackfd=False")
        if s.map.isAnonymous():
            return size
        try:
            return s.map.fileSize()
        except _CoreError as e:
            _fail(e)

    def resize(self, *args, **kwargs):
        self._live()
        _args.positional("resize", args, kwargs, 1, 1)
        new_size = _args.as_ssize(args[0])
        if not self._s.trackfd:
            raise ValueError("mmap can't resize with trackfd=False.")
        if self._s.access not in (ACCESS_WRITE, ACCESS_DEFAULT):
            raise TypeError("mmap can't resize a readonly or copy-on-write memory map.")
        if new_size < 0 or _SSIZE_MAX - new_size < self._s.offset:
            raise ValueError("new size out of range")
        jmap = self._s.map
        try:
            jmap.resize(new_size)
            address = jmap.address()
            size = jmap.size()
        except _CoreError as e:
            _fail(e)
        self._s.set_region(address, size)

    # --- sequence and mapping protocol ---------------------------------------------------------

    def __getitem__(self, item):
        s = self._s
        if s.raw[0]:
            # An open map whose memory may be read directly (a closed one's flag is 0): m[i] and
            # m[a:b] with plain ints need nothing but the view, which indexes negative ints itself.
            if type(item) is int:
                if -s.size <= item < s.size:
                    return s.view[item]
            elif type(item) is slice and item.step is None:
                start = item.start
                stop = item.stop
                if (type(start) is int and type(stop) is int and 0 <= start <= stop
                        and stop <= s.size):
                    return bytes(s.view[start:stop])
        if s.closed:
            raise ValueError(_CLOSED)
        size = s.size
        if type(item) is int and -size <= item < size:
            return _get(s, item + size if item < 0 else item)
        if type(item) is slice and item.step is None:
            # m[a:b] with plain ints or None in range: no __index__ can run, nothing to clamp.
            start = 0 if item.start is None else item.start
            stop = size if item.stop is None else item.stop
            if type(start) is int and type(stop) is int and 0 <= start <= stop <= size:
                if start == stop:
                    return b""
                return _bytes_at(s, start, stop)
        if isinstance(item, slice):
            start, stop, step = item.indices(size)
            self._live()  # an __index__ of the slice may have closed the map
            if step == 1:
                return self._copy_out(start, stop - start) if stop > start else b""
            return self._copy_stepped(start, _slice_length(start, stop, step), step)
        try:
            i = _args.as_index(item)
        except TypeError:
            raise TypeError("mmap indices must be integers")
        size = self._live()[1]
        if i < 0:
            i += size
        if i < 0 or i >= size:
            raise IndexError("mmap index out of range")
        return _get(s, i)

    def __setitem__(self, item, value):
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        if s.access == ACCESS_READ:
            raise TypeError(_READONLY)
        size = s.size
        if type(item) is int and -size <= item < size and type(value) is int and 0 <= value < 256:
            if s.raw[0]:
                s.view[item] = value
            else:
                _put(s, item + size if item < 0 else item, value)
            return
        if type(item) is slice and item.step is None and type(value) is bytes:
            start = 0 if item.start is None else item.start
            stop = size if item.stop is None else item.stop
            if type(start) is int and type(stop) is int and 0 <= start <= stop <= size:
                if len(value) != stop - start:
                    raise IndexError("mmap slice assignment is wrong size")
                if s.raw[0]:
                    _write(s.region[0] + start, value)
                elif value:
                    _store(s, start, value)
                return
        if isinstance(item, slice):
            start, stop, step = item.indices(s.size)
            data = _args.bytes_like(value)
            if len(data) != _slice_length(start, stop, step):
                raise IndexError("mmap slice assignment is wrong size")
            self._live()
            if not data:
                return
            if step == 1:
                _store(s, start, data)
                return
            s = self._s
            for i, b in zip(range(start, stop, step), bytearray(data)):
                _put(s, i, b)
            return
        i = self._index(item, s.size)
        value = _args.as_item_value(value)
        size = self._live()[1]
        if i >= size:
            raise IndexError("mmap index out of range")
        _put(self._s, i, value)

    def __delitem__(self, item):
        size = self._live()[1]
        self._check_writable()
        if isinstance(item, slice):
            item.indices(size)  # CPython unpacks the slice first: a zero step is a ValueError
            raise TypeError("mmap object doesn't support slice deletion")
        self._index(item, size)
        raise TypeError("mmap doesn't support item deletion")

    @staticmethod
    def _index(item, size):
        """A checked, non-negative index for item assignment and deletion."""
        try:
            i = _args.as_index(item)
        except TypeError:
            raise TypeError("mmap indices must be integer")
        if i < 0:
            i += size
        if i < 0 or i >= size:
            raise IndexError("mmap index out of range")
        return i

    def __iter__(self):
        # CPython iterates through sq_item: 1-byte bytes, each step checked against close/resize.
        s = self._s
        i = 0
        while True:
            if s.raw[0] and i < s.size:
                yield _ONE_BYTE[s.view[i]]
            else:
                if s.closed:
                    raise ValueError(_CLOSED)
                if i >= s.size:
                    return
                yield _ONE_BYTE[_get(s, i)]
            i += 1

    def __reversed__(self):
        i = self._live()[1] - 1
        while i >= 0:
            size = self._live()[1]
            if i >= size:
                raise IndexError("mmap index out of range")
            yield self._byte_object(i)
            i -= 1

    def _byte_object(self, i):
        """The byte at offset i (range checked) as a bytes object of length 1."""
        return _ONE_BYTE[_get(self._s, i)]


def _find_dict_descriptor(cls):
    for klass in cls.__mro__:
        if "__dict__" in vars(klass):
            return vars(klass)["__dict__"]
    raise ImportError("fmmap: the buffer base class has no instance dictionary")


_instance_dict = _find_dict_descriptor(core.BufferBase).__get__

# The weak references to live maps, by id(): kept here so that their callbacks run. Keyed by id
# because a weak reference hashes as its referent, and a subclass may make its maps unhashable.
_releasers = {}


def _release_when_freed(self, state):
    """Drops what state (the _State of self) refers to once self is freed.

    GraalPy 25.2 never frees what a freed ctypes object's instance dict holds: without this, the
    _State, and through it the Java map with its mapping, its file descriptor and its zero-page
    guards, outlives every map. The callback holds the state, never self nor its dict (on GraalPy
    25.0 the instance dict keeps its object alive)."""
    def release(ref):
        del _releasers[id(ref)]
        for name in _State.__slots__:
            setattr(state, name, None)
    ref = weakref.ref(self, release)
    _releasers[id(ref)] = ref


def _parse_new(args, kwargs):
    """mmap()'s signature, (fileno, length, flags, prot, access, offset, *, trackfd), parsed in the
    order of CPython 3.13's PyArg_ParseTupleAndKeywords (the format has no name: "function"): counts
    first, then each parameter in turn is fetched and converted (a bad fileno is reported before a
    missing length), and stray keywords are reported last."""
    total = len(args) + len(kwargs)
    if total > len(_NEW_PARAMS):
        raise TypeError("function takes at most %d arguments (%d given)" % (len(_NEW_PARAMS), total))
    if len(args) > _NEW_POSITIONAL:
        raise TypeError("function takes at most %d positional arguments (%d given)"
                        % (_NEW_POSITIONAL, len(args)))
    values = []
    for i, (name, convert, default) in enumerate(_NEW_PARAMS):
        if i < len(args):
            value = args[i]
        elif name in kwargs:
            value = kwargs[name]
        elif i < _NEW_REQUIRED:
            raise TypeError("function missing required argument '%s' (pos %d)" % (name, i + 1))
        else:
            values.append(default)
            continue
        values.append(convert(value))
    for key in kwargs:
        at = [i for i, param in enumerate(_NEW_PARAMS) if param[0] == key]
        if not at:
            raise TypeError("this function got an unexpected keyword argument '%s'" % key)
        if at[0] < len(args):
            raise TypeError("argument for function given by name ('%s') and position (%d)"
                            % (key, at[0] + 1))
    return tuple(values)


# (name, converter, default) in order; the first two are required, trackfd is keyword-only.
_NEW_PARAMS = (
    ("fileno", _args.as_int, None),
    ("length", _args.as_ssize, None),
    ("flags", _args.as_int, MAP_SHARED),
    ("prot", _args.as_int, PROT_WRITE | PROT_READ),
    ("access", _args.as_int, ACCESS_DEFAULT),
    ("offset", _args.as_off_t, 0),
    ("trackfd", bool, True),
)
_NEW_REQUIRED = 2
_NEW_POSITIONAL = 6
