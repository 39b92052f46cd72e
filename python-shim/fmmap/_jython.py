"""Jython adapter: the Java core through Jython's Java integration, plus fmmap's Jython classes
(module jython/: dev.fmmap.jython), which give the map object Jython's buffer protocol.

Java failures are Java exceptions, which ``except Exception`` does not catch on Jython: the shim
catches ``Error`` (java.lang.RuntimeException) and raises translate(error) instead, so that no Java
stack trace reaches the user.
"""
import gc
import os

from . import _errors

try:
    from java.lang import Runtime as _Runtime, RuntimeException as Error
except ImportError:
    raise ImportError("fmmap on Jython needs its Java integration (the 'java' package)")


def _load():
    feature = _Runtime.version().feature() if hasattr(_Runtime, "version") else 8
    if feature < 11:
        raise ImportError(
            "fmmap's Java core needs JDK 11 or newer; this Jython runs on JDK %d" % feature)
    if feature < 22:
        try:
            from jnr.ffi import LibraryLoader  # noqa: F401 (the backend before JDK 22)
        except ImportError:
            raise ImportError(
                "fmmap on JDK %d needs jnr-ffi (com.github.jnr:jnr-ffi 2.2, which Jython 2.7.4's "
                "standalone jar bundles) on the class path" % feature)
    try:
        from dev.fmmap import MemoryMap, Access, ErrnoException
        from dev.fmmap.search import MapSearch
        from dev.fmmap.jython import MapObject, Strings, Descriptors
    except ImportError:
        raise ImportError(
            "fmmap cannot reach its Java classes: put fmmap.jar and fmmap-jython-addon.jar on "
            "Jython's class path (bin/jython does)")
    reason = Descriptors.unavailableReason()
    if reason is not None:
        raise ImportError(reason)
    return MemoryMap, Access, ErrnoException, MapSearch, MapObject, Strings, Descriptors


(_MemoryMap, _Access, _ErrnoException, _MapSearch, MapObject, Strings,
 _Descriptors) = _load()

from java.lang import (IllegalArgumentException as _IllegalArgument,  # noqa: E402
                       IllegalStateException as _IllegalState,
                       IndexOutOfBoundsException as _IndexOutOfBounds,
                       UnsupportedOperationException as _Unsupported)
from org.python.core.io import FileIO as _FileIO  # noqa: E402

_ACCESS = [_Access.fromCode(code) for code in range(4)]


class error(EnvironmentError):
    """mmap.error: CPython 2.7 raises it for failed system calls (errno, strerror)."""
    __module__ = "mmap"


MapObject.setErrorType(error)  # for faults met by buffer accesses (memoryview(m), re, ...)


def page_size():
    from dev.fmmap import Posix
    return Posix.pageSize()


def search_threads():
    return _MapSearch.searchThreads()


def set_search_threads(n):
    _MapSearch.setSearchThreads(n)


from dev.fmmap import GuardMode as _GuardMode  # noqa: E402
from java.lang import System as _System  # noqa: E402

# Every access of a map on Jython, its buffer's included, is the core's guarded Java one, so the
# guard mode only decides how searches reach the map: "strict" (the default here, unless the
# environment or the JVM chose) hands C copies, so that even a truncation racing a find gives
# EFAULT; "fast" hands C the map itself (docs/design.md, "Two guard modes").
if not (_System.getProperty("fmmap.guard") or os.environ.get("FMMAP_GUARD")):
    _GuardMode.setDefault(_GuardMode.STRICT)


def guard_mode():
    return str(_GuardMode.getDefault().name()).lower()


def set_guard_mode(name):
    _GuardMode.setDefault(_GuardMode.parse(name))


def os_fd(fileno):
    """The operating system's descriptor for mmap()'s fileno: Jython's files and os.open() give a
    FileIO; an int is taken as a descriptor number, -1 meaning anonymous memory."""
    if isinstance(fileno, _FileIO):
        descriptor = fileno.getFD()
        number = _Descriptors.of(descriptor) if descriptor is not None else -1
        if number < 0:
            raise error(9, os.strerror(9))  # the file is closed: what dup() says (EBADF)
        return number
    return fileno


def new_map(fd, length, flags, prot, access, offset, trackfd):
    """Maps with CPython's parameters; returns the Java MemoryMap.

    A file found shorter than asked (or empty) gets a garbage collection and another look before
    the error: Python 2 code often writes a file with open(p, "wb").write(data) and maps it at once,
    which CPython's reference counting makes work (the dropped file object is flushed and closed on
    the spot). Jython keeps the data in the dropped object's buffer until a collection finalizes it,
    on the JVM's finalizer thread: measured, gc.collect() with System.runFinalization() flushed it
    in the first round 28 times in 30 and in the second the other 2 (0.06-0.3 s). Only the error
    path pays; a file that is really too short costs _SHORT_FILE_ROUNDS rounds before ValueError."""
    rounds = 0
    while True:
        try:
            return _MemoryMap.map(fd, length, flags, prot, _ACCESS[access], offset, trackfd)
        except _IllegalArgument as e:
            if fd == -1 or rounds == _SHORT_FILE_ROUNDS or e.getMessage() not in _SHORT_FILE_MESSAGES:
                raise
        rounds += 1
        gc.collect()
        _finalize_pending()


# The core's refusals of a file too short for the map (MapRequest.checkedSize), and how many
# collections new_map tries before it lets one through.
_SHORT_FILE_MESSAGES = frozenset(("cannot mmap an empty file", "mmap length is greater than file size",
                                  "mmap offset is greater than file size"))
_SHORT_FILE_ROUNDS = 3


def _finalize_pending():
    """Runs the finalizers a collection queued (a dropped file's flush among them) before returning,
    where the JVM still offers it (Runtime.runFinalization: deprecated for removal since JDK 18)."""
    try:
        _System.runFinalization()
    except AttributeError:  # a JDK that removed it: the collection alone
        pass


# The Python exception CPython 2.7 raises where the core threw a Java exception.
translate = _errors.Translation(_ErrnoException, _IllegalState, _IllegalArgument, _IndexOutOfBounds,
                                _Unsupported, None, error)
