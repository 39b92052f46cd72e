"""Lets GraalPy's re module search fmmap objects: re.search(p, m) as on CPython.

GraalPy's re accepts only its own buffer types (bytes, bytearray, its mmap, memoryview, array),
checked in Java before anything else; an fmmap object (a ctypes array underneath) is refused with
"expected string or bytes-like object". memoryview(m) is accepted and searched zero-copy, so the
module-level functions of re -- and, where the runtime lets them be replaced (GraalPy 25.0.3; on
25.2.4 re.Pattern is immutable), the methods of compiled patterns -- are wrapped to pass a
memoryview instead. A call with any other argument goes straight through (one isinstance test).
Match.string is then that memoryview rather than the map.

Installed when fmmap is imported if re is already loaded, else the moment re is first imported:
importing re (with enum, functools and the regex engine behind it) costs GraalPy about as much as
the rest of fmmap's import, and a program that never imports re needs none of it. Set
FMMAP_PATCH_RE=0 in the environment to leave re untouched.
"""
import sys

# The position of the searched string in each function's arguments (after the pattern for the
# module functions; after self for the methods).
_MODULE_FUNCTIONS = {"search": 1, "match": 1, "fullmatch": 1, "finditer": 1, "findall": 1,
                     "split": 1, "sub": 2, "subn": 2}
_PATTERN_METHODS = {"search": 1, "match": 1, "fullmatch": 1, "finditer": 1, "findall": 1,
                    "split": 1, "sub": 2, "subn": 2}


def _wrap(function, position, mmap_type):
    import functools  # loaded by re itself, so free here
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


def install(re, mmap_type):
    """Wraps the entry points of the module re once; returns the names wrapped."""
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


def install_when_imported(mmap_type):
    """Wraps re now if it is loaded, else as soon as its module has run (before the import
    statement that loads it returns, so even `from re import search` gets the wrapper)."""
    re = sys.modules.get("re")
    if re is not None:
        install(re, mmap_type)
    else:
        sys.meta_path.insert(0, _WrapReOnImport(mmap_type))


class _WrapReOnImport(object):
    """A finder that finds nothing itself: asked for re, it takes the spec the other finders give
    and lends it a loader that runs re as usual, then wraps it, then leaves the spec as it was and
    itself leaves sys.meta_path."""

    def __init__(self, mmap_type):
        self.mmap_type = mmap_type

    def find_spec(self, name, path=None, target=None):
        if name != "re":
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if not hasattr(spec.loader, "exec_module"):
            return spec  # a legacy loader: re is left unwrapped, as with FMMAP_PATCH_RE=0
        spec.loader = _WrappingLoader(spec.loader, self)
        return spec

    def done(self):
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass  # another thread's import of re got here first


class _WrappingLoader(object):
    def __init__(self, loader, finder):
        self.loader = loader
        self.finder = finder

    def create_module(self, spec):
        create = getattr(self.loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        # The module records its loader; give it back the real one, whatever happens next.
        module.__loader__ = module.__spec__.loader = self.loader
        self.finder.done()
        self.loader.exec_module(module)
        install(module, self.finder.mmap_type)
