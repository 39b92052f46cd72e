"""Lets GraalPy's re module search fmmap objects: re.search(p, m) as on CPython.

GraalPy's re accepts only its own buffer types (bytes, bytearray, its mmap, memoryview, array),
checked in Java before anything else; an fmmap object (a ctypes array underneath) is refused with
"expected string or bytes-like object". memoryview(m) is accepted and searched zero-copy, so the
module-level functions of re -- and, where the runtime lets them be replaced (GraalPy 25.0.3; on
25.2.4 re.Pattern is immutable), the methods of compiled patterns -- are wrapped to pass a
memoryview instead. A call with any other argument goes straight through (one isinstance test).
Match.string is then that memoryview rather than the map.

Installed when fmmap is imported; set FMMAP_PATCH_RE=0 in the environment to leave re untouched.
"""
import functools
import re

# The position of the searched string in each function's arguments (after the pattern for the
# module functions; after self for the methods).
_MODULE_FUNCTIONS = {"search": 1, "match": 1, "fullmatch": 1, "finditer": 1, "findall": 1,
                     "split": 1, "sub": 2, "subn": 2}
_PATTERN_METHODS = {"search": 1, "match": 1, "fullmatch": 1, "finditer": 1, "findall": 1,
                    "split": 1, "sub": 2, "subn": 2}


def _wrap(function, position, mmap_type):
    @functools.wraps(function)
    def searching_maps_too(*args, **kwargs):
        if len(args) > position:
            if isinstance(args[position], mmap_type):
                args = args[:position] + (args[position]._export(),) + args[position + 1:]
        elif isinstance(kwargs.get("string"), mmap_type):
            kwargs["string"] = kwargs["string"]._export()
        return function(*args, **kwargs)
    searching_maps_too.__fmmap_wrapped__ = function
    return searching_maps_too


def install(mmap_type):
    """Wraps re's entry points once; returns the names wrapped."""
    wrapped = []
    for name, position in _MODULE_FUNCTIONS.items():
        function = getattr(re, name)
        if not hasattr(function, "__fmmap_wrapped__"):
            setattr(re, name, _wrap(function, position, mmap_type))
            wrapped.append("re." + name)
    for name, position in _PATTERN_METHODS.items():
        method = getattr(re.Pattern, name)
        if hasattr(method, "__fmmap_wrapped__"):
            continue
        try:
            setattr(re.Pattern, name, _wrap(method, position, mmap_type))
            wrapped.append("re.Pattern." + name)
        except TypeError:
            pass  # an immutable builtin type (GraalPy 25.2.4): compiled patterns need memoryview(m)
    return wrapped
