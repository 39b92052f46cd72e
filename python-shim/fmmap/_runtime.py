"""Detects the Python runtime once, at import, and picks its adapter to the Java core.

The adapter (``core``) offers: page_size(), new_map(...), Error (the exception type that Java
failures arrive as), translate(error) -> a Python exception, and the raw-memory helpers view(),
write(), BufferBase and over().
"""
import sys

JYTHON = sys.platform.startswith("java")
GRAALPY = not JYTHON and getattr(getattr(sys, "implementation", None), "name", "") == "graalpy"

if GRAALPY:
    from . import _graalpy as core
else:
    raise ImportError(
        "fmmap runs on GraalPy (and Jython); this is %s. On CPython use the standard mmap module."
        % sys.version.split()[0])

__all__ = ["core", "GRAALPY", "JYTHON"]
