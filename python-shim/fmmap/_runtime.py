"""Detects the Python runtime once, at import, and picks its adapter to the Java core.

Both adapters (``core``) offer: page_size(), search_threads(), set_search_threads(n),
new_map(...), Error (the exception type that Java failures arrive as) and translate(error) -> a
Python exception. GraalPy's adds the raw-memory helpers behind its buffer (view(), write(),
BufferBase, over()); Jython's the Java map object that is one (MapObject), str copies (Strings) and
os_fd() for Jython's file objects.
"""
import sys

JYTHON = sys.platform.startswith("java")
GRAALPY = not JYTHON and getattr(getattr(sys, "implementation", None), "name", "") == "graalpy"

if GRAALPY:
    from . import _graalpy as core
elif JYTHON:
    from . import _jython as core
else:
    raise ImportError(
        "fmmap runs on GraalPy (and Jython); this is %s. On CPython use the standard mmap module."
        % sys.version.split()[0])

__all__ = ["core", "GRAALPY", "JYTHON"]
