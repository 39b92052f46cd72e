"""fmmap: CPython's mmap module for Python on the JVM (GraalPy), over a java.lang.foreign core.

Use it as ``import fmmap as mmap``.
"""
from ._constants import (ACCESS_COPY, ACCESS_DEFAULT, ACCESS_READ, ACCESS_WRITE,  # noqa: F401
                         ALLOCATIONGRANULARITY, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP,
                         MADV_DONTFORK, MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE, MADV_HWPOISON,
                         MADV_MERGEABLE, MADV_NOHUGEPAGE, MADV_NORMAL, MADV_RANDOM, MADV_REMOVE,
                         MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MAP_32BIT, MAP_ANON,
                         MAP_ANONYMOUS, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_NORESERVE, MAP_POPULATE,
                         MAP_PRIVATE, MAP_SHARED, MAP_STACK, PAGESIZE, PROT_EXEC, PROT_READ, PROT_WRITE)
from ._mmap import mmap as mmap  # noqa: F401

error = OSError


def _install_re_support():
    import os
    if os.environ.get("FMMAP_PATCH_RE", "1") != "0":
        from . import _re_support
        _re_support.install_when_imported(mmap)


_install_re_support()
