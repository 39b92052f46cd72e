"""Integer conversions with the errors of CPython's argument parser, and the checks of mmap's
arguments that both classes (_mmap on GraalPy, _mmap27 on Jython) share.

CPython's mmap parses its arguments with PyArg_ParseTuple formats ("i", "n", "L", "b"); these helpers
give the same results and the same TypeError/OverflowError messages. Python 2.7 syntax is kept:
check_map_request() serves the Jython class too.
"""
import operator
import os
import sys

from ._constants import ACCESS_COPY, ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE, MAP_SHARED, PROT_READ, PROT_WRITE

_INT_MAX = 2 ** 31 - 1
_LLONG_MAX = 2 ** 63 - 1
# Py_ssize_t of 64-bit CPython, whose behaviour fmmap matches on a 64-bit machine. GraalPy's
# sys.maxsize is 2**31 - 1, but that bounds only its own objects (len(), bytes, buffers), not the
# positions, lengths and offsets of a mapping.
SSIZE_MAX = _LLONG_MAX


def index(value):
    """operator.index with CPython's wording for objects that are not integers."""
    if type(value) is int:
        return value  # GraalPy's operator.index costs ~65 ns even on an int
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__)


def as_int(value):
    """Format "i": a C int."""
    return fit_c_int(index(value))


def fit_c_int(v):
    """An integer v as a C int, or the argument parser's OverflowError (both Pythons word it so)."""
    if v > _INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if v < -_INT_MAX - 1:
        raise OverflowError("signed integer is less than minimum")
    return v


def fit_c_long(v):
    """An integer v as a 64-bit C long, or the argument parser's OverflowError."""
    if v > _LLONG_MAX or v < -_LLONG_MAX - 1:
        raise OverflowError("Python int too large to convert to C long")
    return v


def as_ssize(value):
    """Format "n": a C Py_ssize_t."""
    v = index(value)
    if v > SSIZE_MAX or v < -SSIZE_MAX - 1:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return v


def as_off_t(value):
    """Format for off_t on 64-bit Linux: a C long."""
    return fit_c_long(index(value))


def as_ubyte(value):
    """Format "b": an unsigned char given as an int (first converted to a C long)."""
    v = fit_c_long(index(value))
    if v < 0:
        raise OverflowError("unsigned byte integer is less than minimum")
    if v > 255:
        raise OverflowError("unsigned byte integer is greater than maximum")
    return v


def as_index(value):
    """PyNumber_AsSsize_t(value, IndexError): an index, IndexError when it does not fit."""
    v = value if type(value) is int else operator.index(value)
    if v > SSIZE_MAX or v < -SSIZE_MAX - 1:
        raise IndexError("cannot fit '%s' into an index-sized integer" % type(value).__name__)
    return v


def as_item_value(value):
    """An item value for m[i] = value: TypeError for non-integers and for ints beyond Py_ssize_t."""
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError("mmap item value must be an int")
    if v > SSIZE_MAX or v < -SSIZE_MAX - 1:
        raise TypeError("cannot fit '%s' into an index-sized integer" % type(value).__name__)
    if v < 0 or v > 255:
        raise ValueError("mmap item value must be in range(0, 256)")
    return v


def optional_ssize(value):
    """read()'s argument: an int or None (None and negatives mean "all")."""
    if value is None:
        return -1
    try:
        v = index(value)
    except TypeError:
        raise TypeError("argument should be integer or None, not '%s'" % type(value).__name__)
    if v > SSIZE_MAX or v < -SSIZE_MAX - 1:
        raise OverflowError("cannot fit '%s' into an index-sized integer" % type(value).__name__)
    return v


def positional(name, args, kwargs, least, most):
    """Checks a call that takes only positional arguments, as PyArg_ParseTuple does."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % name)
    n = len(args)
    if n < least:
        if least == most:
            raise TypeError("%s() takes exactly %s (%d given)" % (name, _count(least), n))
        raise TypeError("%s() takes at least %s (%d given)" % (name, _count(least), n))
    if n > most:
        if least == most:
            raise TypeError("%s() takes exactly %s (%d given)" % (name, _count(most), n))
        raise TypeError("%s() takes at most %s (%d given)" % (name, _count(most), n))


def _count(n):
    return "%d argument%s" % (n, "" if n == 1 else "s")


def bytes_like(value):
    """Format "y*": the bytes of any object with the buffer protocol."""
    if isinstance(value, bytes):
        return value
    try:
        view = memoryview(value)
    except TypeError:
        raise TypeError("a bytes-like object is required, not '%s'" % type(value).__name__)
    if not view.c_contiguous:
        raise BufferError("memoryview: underlying buffer is not C-contiguous")
    return bytes(view)  # GraalPy's tobytes() copies item by item: 100x slower on a ctypes buffer


def check_map_request(length, offset, flags, prot, access):
    """mmap()'s checks of its parsed arguments, in CPython's order (the same in 2.7 and 3.x)."""
    if length < 0:
        raise OverflowError("memory mapped length must be positive")
    if offset < 0:
        raise OverflowError("memory mapped offset must be positive")
    if access != ACCESS_DEFAULT and (flags != MAP_SHARED or prot != (PROT_WRITE | PROT_READ)):
        raise ValueError("mmap can't specify both access and flags, prot.")
    if access not in (ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE, ACCESS_COPY):
        raise ValueError("mmap invalid access parameter.")


def clamp(i, size):
    """find()'s treatment of start and end: negative counts from the end, then clip to [0, size]."""
    if i < 0:
        i += size
        if i < 0:
            return 0
    return size if i > size else i


def madvise_length(start, length, size):
    """madvise()'s range checks (CPython 3.8+); the length, clipped to the map's end."""
    if start < 0 or start >= size:
        raise ValueError("madvise start out of bounds")
    if length < 0:
        raise ValueError("madvise length invalid")
    if SSIZE_MAX - start < length:
        raise OverflowError("madvise length too large")
    return size - start if start + length > size else length


# --- CPython 3.15 ----------------------------------------------------------------------------------

_TEXT = str if sys.version_info[0] >= 3 else (str, unicode)  # noqa: F821 (Python 2's unicode)
_NAME_PREFIX = "cpython:mmap:"
_NAME_MAX = 79  # the kernel's limit, 80 bytes with the NUL, prefix included


def anonymous_map_name(name):
    """set_name(name)'s argument as CPython 3.15 checks it; returns the name the kernel is given
    ("cpython:mmap:" + name, as CPython names it)."""
    if not isinstance(name, _TEXT):
        raise TypeError("set_name() argument must be str, not %s" % type(name).__name__)
    encoded = name.encode("utf-8")  # UnicodeEncodeError for lone surrogates, as CPython's
    if b"\0" in encoded:
        raise ValueError("embedded null character")
    if len(encoded) + len(_NAME_PREFIX) > _NAME_MAX:
        raise ValueError("name is too long")
    return _NAME_PREFIX + (name if isinstance(name, str) else encoded)


def dev_mode():
    """Whether Python runs in development mode: -X dev where the runtime reports it in sys.flags,
    or PYTHONDEVMODE, which GraalPy and Jython accept but do not report. CPython 3.15 names its
    anonymous maps (and honours set_name) only then."""
    return bool(getattr(sys.flags, "dev_mode", False) or os.environ.get("PYTHONDEVMODE"))


def name_new_anonymous_map(jmap, core_error):
    """What CPython 3.15 does with each new anonymous map in development mode: names it
    cpython:mmap, ignoring a kernel that cannot."""
    if dev_mode():
        try:
            jmap.setAnonymousName("cpython:mmap")
        except core_error:
            pass


def flush_arguments(name, args, kwargs, size):
    """flush(offset=0, size=-1, /, *, flags=0), CPython 3.15's signature, parsed as its Argument
    Clinic code does; returns (offset, length, flags) with size -1 meaning "to the end"."""
    flags = 0
    for key, value in kwargs.items():
        if key != "flags":
            raise TypeError("%s() got an unexpected keyword argument '%s'" % (name, key))
        flags = as_c_int(value)
    n = len(args) + len(kwargs)
    if n > 3:
        raise TypeError("%s() takes at most 3 arguments (%d given)" % (name, n))
    if len(args) > 2:
        raise TypeError("%s() takes at most 2 positional arguments (%d given)" % (name, len(args)))
    offset = as_ssize(args[0]) if args else 0
    length = as_ssize(args[1]) if len(args) > 1 else -1
    if length == -1:
        length = size - offset
    if length < 0 or offset < 0 or size - offset < length:
        raise ValueError("flush values out of range")
    return offset, length, flags


def as_c_int(value):
    """PyLong_AsInt: an int that fits a C int."""
    v = index(value)
    if not -_INT_MAX - 1 <= v <= _INT_MAX:
        raise OverflowError("Python int too large to convert to C int")
    return v
