"""class mmap for Jython 2.7: CPython 2.7's mmap.mmap (Unix) over fmmap's Java core.

Python 2 semantics, as CPython 2.7 has them: items, slices and reads are str; write(), find() and
write_byte() take str (and read-only buffers where 2.7 does); seek() and write() return None; the
argument errors, exception types and messages are 2.7's (mmap.error for a failed system call).
Backported from Python 3, where 2.7 has nothing to keep: closed, the context manager, madvise(),
seekable(), trackfd, find()/rfind() with None bounds, memoryview(m), flush() returning None (3.8),
set_name() and flush(flags=) (3.15). Every method checks the map is open first, then parses its
arguments, checks permission and range, then calls Java, as CPython 2.7 orders them.

Instances are dev.fmmap.jython.MapObject, a Java class that Jython's buffer protocol accepts
(memoryview and buffer read the mapping in place; bytearray and re take a copy, as Jython makes of
any buffer); this class's __new__ makes them with itself (or a subclass) as their type.

Jython has no GIL, so CPython's guarantee that each method runs whole before another thread's call
on the map comes from a lock per map, held by the methods that move the position and by resize()
and close() (uncontended, ~10 ns on Jython). Item and slice access take no lock: a close or resize
in another thread between their checks and their Java call makes the core throw, and they raise
the Python exception for it (ValueError, IndexError), never more.
"""
import operator
from array import array as _array
from threading import Lock as _Lock

from . import _args, _errors
from ._constants import (ACCESS_COPY, ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE, MAP_SHARED,
                         PROT_READ, PROT_WRITE)
from ._runtime import core

_CoreError = core.Error
_MapObject = core.MapObject
_read = core.Strings.read
_char_at = core.Strings.charAt

_CLOSED = "mmap closed or invalid"
_READONLY = "mmap can't modify a readonly memory map."
_INT_MAX = 2 ** 31 - 1
_SSIZE_MAX = 2 ** 63 - 1
_NEWLINE = 10
_MISSING = object()
_KEYWORDS = ("fileno", "length", "flags", "prot", "access", "offset", "trackfd")


class _State(object):
    """One map's mutable state, kept in the instance's only slot."""
    __slots__ = ("map", "size", "pos", "access", "offset", "trackfd", "closed", "lock")


def _fail(error):
    """Raises the Python exception for a Java failure (fmmap._errors)."""
    _errors.fail(core.translate, error)


# --- PyArg_ParseTuple's integer formats, with CPython 2.7's errors -------------------------------

def _index(value):
    """An int or long, as 2.7's integer formats take it: through __int__ (not __index__), floats
    refused."""
    if isinstance(value, (int, long)):
        return value
    if isinstance(value, float):
        raise TypeError("integer argument expected, got float")
    convert = getattr(type(value), "__int__", None)
    if convert is None:
        raise TypeError("an integer is required")
    result = convert(value)
    if not isinstance(result, (int, long)):
        raise TypeError("__int__ method should return an integer")
    return result


def _ssize(value):
    """Format "n" (and "L"): a C Py_ssize_t, which 2.7 words as a C long (both are 64 bits here)."""
    return _args.fit_c_long(_index(value))


def _int(value):
    """Format "i": a C int, converted to a C long first (so beyond 64 bits the long's message)."""
    return _args.fit_c_int(_ssize(value))


# A subscript as PyNumber_AsSsize_t(item, IndexError) converts it: as on 3.x.
_item_index = _args.as_index


def _is_index(item):
    return isinstance(item, (int, long)) or hasattr(type(item), "__index__")


def _read_buffer(name, value):
    """Format "s#": a str, unicode (ASCII) or read-only buffer, as the bytes it holds. 2.7's
    read-only buffers are the objects with the old buffer interface and no new-style release:
    buffer, array.array and mmap (not bytearray or memoryview). An array holds Jython's bytes for
    it, as buffer(array) does (big-endian: Jython's sys.byteorder)."""
    if isinstance(value, str):
        return value
    if isinstance(value, unicode):
        return value.encode("ascii")
    if isinstance(value, buffer):
        return str(value)
    if isinstance(value, _array):
        return value.tostring()
    if isinstance(value, mmap):
        return value[:]
    raise TypeError("%s() argument 1 must be string or read-only buffer, not %s"
                    % (name, _arg_type(value)))


def _arg_type(value):
    """A wrong argument's type as 2.7's argument parser names it."""
    return "None" if value is None else type(value).__name__


def _check_call(name, args, kwargs, high):
    """What CPython's call machinery refuses before a method runs: keywords, and arguments to a
    method that takes none."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % name)
    if high == 0 and args:
        _arity(name, args, 0, 0)


def _arity(name, args, low, high):
    n = len(args)
    if low <= n <= high:
        return
    if high == 0:
        raise TypeError("%s() takes no arguments (%d given)" % (name, n))
    if low == high:
        expected = "exactly %d argument%s" % (low, "" if low == 1 else "s")
    elif n < low:
        expected = "at least %d argument%s" % (low, "" if low == 1 else "s")
    else:
        expected = "at most %d argument%s" % (high, "" if high == 1 else "s")
    raise TypeError("%s() takes %s (%d given)" % (name, expected, n))


def _parse_new(args, kwargs):
    """mmap()'s arguments: "in|iiiL" with keywords, plus trackfd (keyword only, from 3.13)."""
    if len(args) > 6:
        raise TypeError("function takes at most 6 arguments (%d given)" % len(args))
    values = list(args) + [_MISSING] * (7 - len(args))
    for key, value in kwargs.items():
        if key not in _KEYWORDS:
            raise TypeError("'%s' is an invalid keyword argument for this function" % key)
        position = _KEYWORDS.index(key)
        if position < len(args):
            raise TypeError("Argument given by name ('%s') and position (%d)" % (key, position + 1))
        values[position] = value
    for position, name in enumerate(("fileno", "length")):
        if values[position] is _MISSING:
            raise TypeError("Required argument '%s' (pos %d) not found" % (name, position + 1))
    fileno = core.os_fd(values[0])
    fileno = _int(fileno)
    length = _ssize(values[1])
    flags = MAP_SHARED if values[2] is _MISSING else _int(values[2])
    prot = PROT_WRITE | PROT_READ if values[3] is _MISSING else _int(values[3])
    access = ACCESS_DEFAULT if values[4] is _MISSING else _int(values[4])
    offset = 0 if values[5] is _MISSING else _ssize(values[5])
    trackfd = True if values[6] is _MISSING else bool(values[6])
    return fileno, length, flags, prot, access, offset, trackfd


def _slice_bound(value):
    """A slice bound as 2.7's _PyEval_SliceIndex takes it, clamped into Py_ssize_t."""
    if not _is_index(value):
        raise TypeError("slice indices must be integers or None or have an __index__ method")
    v = operator.index(value)
    return max(-_SSIZE_MAX - 1, min(v, _SSIZE_MAX))


def _indices(item, size):
    """(start, stop, step, length) of slice item over size bytes, as CPython computes them.
    Jython's slice.indices() refuses sizes from 2**31 on, and maps can be larger."""
    step = 1 if item.step is None else _slice_bound(item.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    lower, upper = (-1, size - 1) if step < 0 else (0, size)
    bounds = []
    for value, default in ((item.start, upper if step < 0 else lower),
                           (item.stop, lower if step < 0 else upper)):
        if value is None:
            bounds.append(default)
            continue
        v = _slice_bound(value)
        if v < 0:
            v = max(v + size, lower)
        else:
            v = min(v, upper)
        bounds.append(v)
    start, stop = bounds
    if step > 0:
        length = (stop - start + step - 1) // step if stop > start else 0
    else:
        length = (start - stop - step - 1) // -step if start > stop else 0
    return start, stop, step, length


def _type_name(obj):
    return "mmap.mmap" if type(obj) is mmap else type(obj).__name__


class mmap(object):
    """mmap(fileno, length[, flags[, prot[, access[, offset]]]])

    Maps length bytes from the file given by fileno (a Jython file's fileno(), or an os.open()
    result), or anonymous memory for -1, as CPython 2.7's mmap.mmap does on Unix.
    """
    __slots__ = ("_s",)

    def __new__(cls, *args, **kwargs):
        fileno, length, flags, prot, access, offset, trackfd = _parse_new(args, kwargs)
        _args.check_map_request(length, offset, flags, prot, access)
        try:
            jmap = core.new_map(fileno, length, flags, prot, access, offset, trackfd)
        except _CoreError as e:
            _fail(e)
        if fileno == -1:
            _args.name_new_anonymous_map(jmap, _CoreError)
        self = _MapObject(cls, jmap)
        s = _State()
        s.map = jmap
        s.size = jmap.size()
        s.pos = 0
        s.access = jmap.access().code()
        s.offset = offset
        s.trackfd = trackfd
        s.closed = False
        s.lock = _Lock()
        object.__setattr__(self, "_s", s)
        return self

    def __init__(self, *args, **kwargs):
        pass  # everything happens in __new__

    def __reduce_ex__(self, protocol):
        raise TypeError("can't pickle mmap objects")

    def __getattr__(self, name):
        # Only for names that exist nowhere: the message names the type as CPython's does.
        raise AttributeError("'%s' object has no attribute '%s'" % (_type_name(self), name))

    def __setattr__(self, name, value):
        if type(self) is mmap:  # no __dict__, as in CPython; a subclass's instances have one
            if hasattr(mmap, name):
                raise AttributeError("'mmap.mmap' object attribute '%s' is read-only" % name)
            raise AttributeError("'mmap.mmap' object has no attribute '%s'" % name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if type(self) is mmap:
            if hasattr(mmap, name):
                raise AttributeError("'mmap.mmap' object attribute '%s' is read-only" % name)
            raise AttributeError("'mmap.mmap' object has no attribute '%s'" % name)
        object.__delattr__(self, name)

    def _begin(self, name, args, kwargs, low, high):
        """The state of the open map at the start of method name, checked in CPython 2.7's order:
        the call (_check_call), the map is open (CHECK_VALID), the argument count (PyArg_Parse*)."""
        _check_call(name, args, kwargs, high)
        s = self._open()
        if high:
            _arity(name, args, low, high)
        return s

    def _open(self):
        """The state of the open map; ValueError once closed."""
        s = self._s
        if s.closed:
            raise ValueError(_CLOSED)
        return s

    def _writable(self, s):
        if s.access == ACCESS_READ:
            raise TypeError(_READONLY)

    # --- life cycle ---------------------------------------------------------------------------

    def close(self, *args, **kwargs):
        _check_call("close", args, kwargs, 0)
        s = self._s
        with s.lock:
            s.closed = True
            try:
                s.map.close()
            except _CoreError as e:
                _fail(e)

    @property
    def closed(self):
        return self._s.closed

    def __enter__(self):
        self._open()
        return self

    def __exit__(self, *exc_info):
        self.close()

    # --- reading --------------------------------------------------------------------------------

    def read(self, *args, **kwargs):
        s = self._begin("read", args, kwargs, 1, 1)
        n = _ssize(args[0])
        with s.lock:
            remaining = s.size - s.pos if s.pos < s.size else 0
            if n < 0 or n > remaining:
                n = remaining
            data = self._copy(s, s.pos, n)
            s.pos += n
        return data

    def read_byte(self, *args, **kwargs):
        s = self._begin("read_byte", args, kwargs, 0, 0)
        with s.lock:
            if s.pos >= s.size:
                raise ValueError("read byte out of range")
            try:
                data = _char_at(s.map, s.pos)
            except _CoreError as e:
                _fail(e)
            s.pos += 1
        return data

    def readline(self, *args, **kwargs):
        s = self._begin("readline", args, kwargs, 0, 0)
        with s.lock:
            if s.pos >= s.size:
                return ""
            try:
                eol = s.map.indexOf(_NEWLINE, s.pos)
            except _CoreError as e:
                _fail(e)
            end = s.size if eol < 0 else eol + 1
            data = self._copy(s, s.pos, end - s.pos)
            s.pos = end
        return data

    def _copy(self, s, start, n):
        """n bytes at start, as a str (range checked by the caller)."""
        if n <= 0:
            return ""
        if n > _INT_MAX:
            raise OverflowError("%d bytes do not fit in one str on Jython (at most %d); read the "
                                "map in parts" % (n, _INT_MAX))
        try:
            return _read(s.map, start, n)
        except _CoreError as e:
            _fail(e)

    def find(self, *args, **kwargs):
        return self._find("find", args, kwargs)

    def rfind(self, *args, **kwargs):
        return self._find("rfind", args, kwargs)

    def _find(self, name, args, kwargs):
        s = self._begin(name, args, kwargs, 1, 3)
        needle = _read_buffer(name, args[0])
        start = s.pos if len(args) < 2 or args[1] is None else _ssize(args[1])
        end = s.size if len(args) < 3 or args[2] is None else _ssize(args[2])
        start = _args.clamp(start, s.size)
        end = _args.clamp(end, s.size)
        try:
            if name == "find":
                return int(s.map.find(needle, start, end))
            return int(s.map.rfind(needle, start, end))
        except _CoreError as e:
            _fail(e)

    # --- writing --------------------------------------------------------------------------------

    def write(self, *args, **kwargs):
        s = self._begin("write", args, kwargs, 1, 1)
        data = _read_buffer("write", args[0])
        self._writable(s)
        n = len(data)
        with s.lock:
            if s.pos > s.size or s.size - s.pos < n:
                raise ValueError("data out of range")
            if n:
                try:
                    s.map.put(s.pos, data, 0, n)
                except _CoreError as e:
                    _fail(e)
            s.pos += n

    def write_byte(self, *args, **kwargs):
        s = self._begin("write_byte", args, kwargs, 1, 1)
        value = args[0]
        if not isinstance(value, str) or len(value) != 1:
            raise TypeError("write_byte() argument 1 must be char, not %s" % _arg_type(value))
        self._writable(s)
        with s.lock:
            if s.pos >= s.size:
                raise ValueError("write byte out of range")
            self._put(s, s.pos, value)
            s.pos += 1

    def _put(self, s, i, char):
        try:
            s.map.putUnsigned(i, ord(char))
        except _CoreError as e:
            _fail(e)

    def move(self, *args, **kwargs):
        s = self._begin("move", args, kwargs, 3, 3)
        dest, src, count = [_ssize(a) for a in args]
        self._writable(s)
        if dest < 0 or src < 0 or count < 0 or s.size - dest < count or s.size - src < count:
            raise ValueError("source, destination, or count out of range")
        try:
            s.map.move(dest, src, count)
        except _CoreError as e:
            _fail(e)

    # --- position -------------------------------------------------------------------------------

    def seek(self, *args, **kwargs):
        s = self._begin("seek", args, kwargs, 1, 2)
        dist = _ssize(args[0])
        how = _int(args[1]) if len(args) > 1 else 0
        with s.lock:
            if how == 0:
                where = dist
            elif how == 1:
                where = s.pos + dist
            elif how == 2:
                where = s.size + dist
            else:
                raise ValueError("unknown seek type")
            if where > s.size or where < 0:
                raise ValueError("seek out of range")
            s.pos = where

    def tell(self, *args, **kwargs):
        return int(self._begin("tell", args, kwargs, 0, 0).pos)

    def seekable(self, *args, **kwargs):
        _check_call("seekable", args, kwargs, 0)
        return True

    # --- the whole map --------------------------------------------------------------------------

    def size(self, *args, **kwargs):
        s = self._begin("size", args, kwargs, 0, 0)
        try:
            return int(s.map.fileSize())
        except _CoreError as e:
            _fail(e)

    def __len__(self):
        return int(self._open().size)

    def flush(self, *args, **kwargs):
        flags = kwargs.pop("flags", 0)  # CPython 3.15's keyword-only msync flags (MS_*), backported
        s = self._begin("flush", args, kwargs, 0, 2)
        flags = _int(flags)
        offset = _ssize(args[0]) if args else 0
        size = _ssize(args[1]) if len(args) > 1 else s.size
        if size < 0 or offset < 0 or s.size - offset < size:
            raise ValueError("flush values out of range")
        if s.access in (ACCESS_READ, ACCESS_COPY):
            return None
        try:
            s.map.flush(offset, size, flags)
        except _CoreError as e:
            _fail(e)

    def set_name(self, *args, **kwargs):
        """set_name(name): CPython 3.15's, backported: names this anonymous map
        [anon:cpython:mmap:NAME] in /proc/<pid>/maps in development mode (PYTHONDEVMODE), on Linux
        5.17+ built with CONFIG_ANON_VMA_NAME; otherwise it does nothing."""
        s = self._begin("set_name", args, kwargs, 1, 1)
        kernel_name = _args.anonymous_map_name(args[0])
        if not s.map.isAnonymous():
            raise ValueError("Cannot set annotation on non-anonymous mappings")
        if _args.dev_mode():
            try:
                s.map.setAnonymousName(kernel_name)
            except _CoreError as e:
                _fail(e)

    def madvise(self, *args, **kwargs):
        s = self._begin("madvise", args, kwargs, 1, 3)
        option = _int(args[0])
        start = _ssize(args[1]) if len(args) > 1 else 0
        length = _ssize(args[2]) if len(args) > 2 else s.size
        length = _args.madvise_length(start, length, s.size)
        try:
            s.map.madvise(option, start, length)
        except _CoreError as e:
            _fail(e)

    def resize(self, *args, **kwargs):
        s = self._begin("resize", args, kwargs, 1, 1)
        new_size = _ssize(args[0])
        if not s.trackfd:
            raise ValueError("mmap can't resize with trackfd=False.")
        if s.access not in (ACCESS_WRITE, ACCESS_DEFAULT):
            raise TypeError("mmap can't resize a readonly or copy-on-write memory map.")
        if new_size < 0 or _SSIZE_MAX - new_size < s.offset:
            raise ValueError("new size out of range")
        with s.lock:
            try:
                s.map.resize(new_size)
                s.size = s.map.size()
            except _CoreError as e:
                _fail(e)

    # --- items and slices -----------------------------------------------------------------------

    def __getitem__(self, item):
        s = self._s
        if type(item) is int and not s.closed and 0 <= item < s.size:
            # m[i] first: every check below is done here for the common case.
            try:
                return _char_at(s.map, item)
            except _CoreError as e:
                _fail(e)
        s = self._open()
        if isinstance(item, slice):
            start, stop, step, n = _indices(item, s.size)
            if step == 1 or n <= 1:
                return self._copy(s, start, n)
            if n > _INT_MAX:
                self._copy(s, start, n)  # raises the OverflowError for a str that large
            try:
                return core.Strings.readStepped(s.map, start, step, n)
            except _CoreError as e:
                _fail(e)
        if not _is_index(item):
            raise TypeError("mmap indices must be integers")
        i = _item_index(item)
        if i < 0:
            i += s.size
        if i < 0 or i >= s.size:
            raise IndexError("mmap index out of range")
        try:
            return _char_at(s.map, i)
        except _CoreError as e:
            _fail(e)

    def __setitem__(self, item, value):
        s = self._open()
        if isinstance(item, slice):
            start, stop, step, n = _indices(item, s.size)
            if not isinstance(value, str):
                raise IndexError("mmap slice assignment must be a string")
            if len(value) != n:
                raise IndexError("mmap slice assignment is wrong size")
            self._writable(s)
            if n == 0:
                return
            try:
                if step == 1:
                    s.map.put(start, value, 0, n)
                else:
                    core.Strings.writeStepped(s.map, start, step, value)
            except _CoreError as e:
                _fail(e)
            return
        if not _is_index(item):
            raise TypeError("mmap indices must be integer")
        i = _item_index(item)
        if i < 0:
            i += s.size
        if i < 0 or i >= s.size:
            raise IndexError("mmap index out of range")
        if not isinstance(value, str) or len(value) != 1:
            raise IndexError("mmap assignment must be single-character string")
        self._writable(s)
        self._put(s, i, value)

    def __delitem__(self, item):
        s = self._open()
        if isinstance(item, slice):
            _indices(item, s.size)  # 2.7 converts the bounds (and may refuse them) first
            raise TypeError("mmap object doesn't support slice deletion")
        if not _is_index(item):
            raise TypeError("mmap indices must be integer")
        i = _item_index(item)
        if i < 0:
            i += s.size
        if i < 0 or i >= s.size:
            raise IndexError("mmap index out of range")
        raise TypeError("mmap object doesn't support item deletion")


mmap.__module__ = "mmap"
