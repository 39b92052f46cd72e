"""fmmap: CPython's mmap module for Python on the JVM (GraalPy, and Jython 2.7 with 2.7's
semantics), over a java.lang.foreign core.

Use it as ``import fmmap as mmap``.
"""
from ._constants import (ACCESS_COPY, ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE,  # noqa: F401
                         ALLOCATIONGRANULARITY, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP,
                         MADV_DONTFORK, MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE, MADV_HWPOISON,
                         MADV_MERGEABLE, MADV_NOHUGEPAGE, MADV_NORMAL, MADV_RANDOM, MADV_REMOVE,
                         MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MAP_32BIT, MAP_ANON,
                         MAP_ANONYMOUS, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_NORESERVE, MAP_POPULATE,
                         MAP_PRIVATE, MAP_SHARED, MAP_STACK, MS_ASYNC, MS_INVALIDATE, MS_SYNC, PAGESIZE,
                         PROT_EXEC, PROT_READ, PROT_WRITE)
from operator import index as _index

from ._runtime import JYTHON as _JYTHON, core as _core

if _JYTHON:
    from ._mmap27 import mmap as mmap  # noqa: F401
    error = _core.error  # CPython 2.7's: a subclass of EnvironmentError
else:
    from ._mmap import mmap as mmap  # noqa: F401
    error = OSError


def get_search_threads():
    """How many threads one long find() or rfind() may use (see set_search_threads)."""
    return _core.search_threads()


def set_search_threads(n):
    """Sets how many threads one long find() or rfind() may use, from 1 (the calling thread only) to
    1024. The default is the environment's FMMAP_SEARCH_THREADS, else the number of cores. fmmap's own
    API: CPython's mmap searches in one thread."""
    n = _index(n)
    if not 1 <= n <= _MAX_SEARCH_THREADS:
        raise ValueError("search threads must be between 1 and %d" % _MAX_SEARCH_THREADS)
    _core.set_search_threads(n)


_MAX_SEARCH_THREADS = 1024
_GUARD_MODES = ("fast", "strict")


def get_guard_mode():
    """The guard mode of maps made from now on: 'fast' or 'strict' (see set_guard_mode)."""
    return _core.guard_mode()


def set_guard_mode(mode):
    """Sets how maps made from now on protect the process against a file truncated beneath them
    (fmmap's own API; the default is the environment's FMMAP_GUARD, else 'fast'):

    - 'fast': the common operations touch the mapped memory directly, with no call into Java; the
      core watches the file and replaces pages a truncation takes by zero pages, after which every
      access raises OSError(EFAULT). An access racing the truncation itself may still end the
      process, as on CPython.
    - 'strict': every access goes through the core's guarded path, which turns even a racing
      truncation into OSError(EFAULT). Slower; raw buffers (memoryview(m)) are not covered.

    On Jython every access is guarded whatever the mode, and 'strict' (the default there) also
    makes searches copy before C reads. Maps already made keep theirs."""
    if mode not in _GUARD_MODES:
        raise ValueError("guard mode must be 'fast' or 'strict', not %r" % (mode,))
    _core.set_guard_mode(mode)


def _install_re_support():
    import os
    # Jython's re takes fmmap's maps as they are (buffer protocol); GraalPy's needs the patch.
    if not _JYTHON and os.environ.get("FMMAP_PATCH_RE", "1") != "0":
        from . import _re_support
        _re_support.install_when_imported(mmap)


_install_re_support()
