"""GraalPy adapter: the Java core through host interop, raw memory through ctypes.

Java failures arrive as polyglot.ForeignException (a BaseException, so ``except Exception`` does not
see them); translate() (fmmap._errors) turns each into the Python exception CPython raises in the
same situation.
"""
import ctypes
import os
import sys

from . import _errors

try:
    import java
    import polyglot
except ImportError:
    raise ImportError("fmmap needs GraalPy's Java interop (the 'java' and 'polyglot' modules)")


def _check_native_posix():
    backend = getattr(__graalpython__, "posix_module_backend", None)  # noqa: F821 (GraalPy builtin)
    if backend is not None and backend() != "native":
        raise ImportError(
            "fmmap needs GraalPy's native POSIX backend (real file descriptors); this context uses "
            "the '%s' backend. Build the context with option python.PosixModuleBackend=native and "
            "allowNativeAccess(true)." % backend())


_check_native_posix()

# The jar a wheel installs next to this module (build: bin/wheel); not present in a checkout, where
# bin/graalpy puts java-impl/target/fmmap.jar on the class path instead.
_BUNDLED_JAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_jars", "fmmap.jar")


def _java_type(name):
    """The host class name, or None where this context cannot see it."""
    try:
        return java.type(name)
    except BaseException:  # polyglot.ForeignException or a lookup refusal, both BaseException here
        return None


def _load_core():
    """dev.fmmap.MemoryMap: the application's own (an embedder's Java and Python then share one
    class and one mapping), else the bundled jar's. Every missing precondition becomes one
    ImportError that says what to do. The usual case (fmmap on the class path) costs one lookup:
    each first call of a Java method costs a cold GraalPy tens of milliseconds or more."""
    memory_map = _java_type("dev.fmmap.MemoryMap")
    if memory_map is None:
        feature = _check_jdk()
        if not os.path.isfile(_BUNDLED_JAR):
            raise ImportError(
                "fmmap cannot reach its Java core (class dev.fmmap.MemoryMap): put fmmap.jar on the "
                "class path, or install the fmmap wheel, which bundles it")
        try:
            java.add_to_classpath(_BUNDLED_JAR)
        except BaseException as e:
            raise ImportError(
                "fmmap cannot load its bundled Java core (%s): this context refuses host class "
                "loading; build it with allowHostClassLoading(true), or put fmmap.jar on the "
                "application's class path" % _message(e))
        memory_map = _java_type("dev.fmmap.MemoryMap")
        if memory_map is None:
            raise ImportError("fmmap added %s to the class path but cannot see dev.fmmap.MemoryMap"
                              % _BUNDLED_JAR)
        if feature >= 22:  # java.lang.foreign's native access; before 22 the core uses jnr-ffi
            _check_native_access(memory_map)
    return memory_map


def _check_native_access(memory_map):
    """For the bundled jar, in a JVM that fmmap's own launchers did not configure: downcalls work
    where native access is enabled or the JVM only warns (JDK 22-25's default), and fail where it
    denies. One downcall (getpagesize) finds out now rather than at the first map. (An application
    that puts fmmap on its own class path has configured its JVM; the query alone costs ~0.1 s
    cold.)"""
    if getattr(memory_map, "class").getModule().isNativeAccessEnabled():
        return
    try:
        _java_type("dev.fmmap.Posix").pageSize()
    except BaseException as e:
        raise ImportError(
            "fmmap's Java core may not call native code in this JVM (%s): start it with "
            "--enable-native-access=ALL-UNNAMED (or the module that holds dev.fmmap), and build an "
            "embedding Context with allowNativeAccess(true)" % _message(e))


def _check_jdk():
    """Raises the ImportError for a context without host access, on a JDK older than the core's, or
    without jnr-ffi before JDK 22; returns the JDK's feature version."""
    runtime = _java_type("java.lang.Runtime")
    if runtime is None:
        raise ImportError(
            "fmmap needs GraalPy's Java host access, which this GraalPy does not give (the native "
            "standalone has none): use the JVM standalone (graalpy-jvm), GraalPy's Maven launcher, "
            "or a Context built with allowHostAccess and allowHostClassLookup")
    feature = runtime.version().feature()
    if feature < 11:
        raise ImportError("fmmap's Java core needs JDK 11 or newer; this GraalPy runs on JDK %d" % feature)
    if feature < 22 and _java_type("jnr.ffi.LibraryLoader") is None:
        raise ImportError(
            "fmmap on JDK %d needs jnr-ffi (com.github.jnr:jnr-ffi 2.2 and its dependencies) on the "
            "class path: java.lang.foreign, which it uses from JDK 22 on, is missing" % feature)
    return feature


def _message(error):
    """A Java exception's class and message, for an ImportError's sentence."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


_MemoryMap = _load_core()
_MapSearch = java.type("dev.fmmap.search.MapSearch")
_GuardMode = java.type("dev.fmmap.GuardMode")
_Access = java.type("dev.fmmap.Access")
_ErrnoException = java.type("dev.fmmap.ErrnoException")
_IllegalState = java.type("java.lang.IllegalStateException")
_IllegalArgument = java.type("java.lang.IllegalArgumentException")
_IndexOutOfBounds = java.type("java.lang.IndexOutOfBoundsException")
_Unsupported = java.type("java.lang.UnsupportedOperationException")

Error = polyglot.ForeignException
# The most bytes one Python object of GraalPy can hold: bytes(2**31) raises OverflowError, and a
# ctypes array type above this size raises "array too large". A map may be larger; only what is
# copied or exported at once is bounded by this.
BYTES_MAX = sys.maxsize
# The Access constants by code, fetched by the first map: the first call of a Java method costs
# GraalPy a few hundred ms cold, and an import that maps nothing need not pay it.
_ACCESS = []


def page_size():
    # What the core's Posix.pageSize() reports (getpagesize(), glibc's sysconf(_SC_PAGESIZE)),
    # without initialising the core's native linker at import: its first downcall handle takes
    # ~0.2-0.4 s in a cold JVM.
    return os.sysconf("SC_PAGESIZE")


def search_threads():
    return _MapSearch.searchThreads()


def set_search_threads(n):
    _MapSearch.setSearchThreads(n)


def guard_mode():
    """The guard mode of maps made from now on: 'fast' or 'strict' (dev.fmmap.GuardMode)."""
    return str(_GuardMode.getDefault().name()).lower()


def set_guard_mode(name):
    _GuardMode.setDefault(_GuardMode.parse(name))


# A raw-access flag that always says no: for maps one view cannot span (above BYTES_MAX).
NO_RAW = memoryview(b"\0")
_TRANSFER_MAX = _MemoryMap.TRANSFER_MAX


def raw_flag(jmap):
    """A one-byte view of jmap's raw-access flag (MemoryMap.rawAccessAddress()): 1 while the shim
    may use the map's raw address for its common operations, 0 when they must go through Java."""
    return view(jmap.rawAccessAddress(), 1)


def copy_out(jmap, start, n):
    """n bytes at offset start of jmap, copied by Java (a lost page raises there, never faults here)
    through its per-thread transfer buffer, in parts of at most TRANSFER_MAX bytes."""
    if n <= _TRANSFER_MAX:
        return ctypes.string_at(jmap.copyOut(start, n), n)
    parts = []
    done = 0
    while done < n:
        k = min(_TRANSFER_MAX, n - done)
        parts.append(ctypes.string_at(jmap.copyOut(start + done, k), k))
        done += k
    return b"".join(parts)


def copy_in(jmap, start, data):
    """Writes bytes data at offset start of jmap through Java's guarded put."""
    jmap.put(start, data, 0, len(data))


# The Python exception for a Java failure of the core (fmmap.smmap's window limits included).
translate = _errors.Translation(_ErrnoException, _IllegalState, _IllegalArgument, _IndexOutOfBounds,
                                _Unsupported, java.type("dev.fmmap.window.WindowLimitException"), OSError)


def is_core_map(obj):
    """Whether obj is a dev.fmmap.MemoryMap (from Java code that shares its map with Python)."""
    # None first: GraalPy 25.2.4 takes it for Java's null, which its instanceof accepts.
    return obj is not None and java.is_object(obj) and java.instanceof(obj, _MemoryMap)


def type_name(obj):
    """obj's type for an error message: a Java object's class, not GraalPy's 'ForeignObject'."""
    return obj.getClass().getName() if java.is_object(obj) else type(obj).__name__


def new_map(fd, length, flags, prot, access, offset, trackfd):
    """Maps with CPython's parameters; returns the Java MemoryMap."""
    if not _ACCESS:
        _ACCESS[:] = [_Access.fromCode(code) for code in range(4)]
    return _MemoryMap.map(fd, length, flags, prot, _ACCESS[access], offset, trackfd)


class _Byte(ctypes.Union):
    """The element type of fmmap's buffers. GraalPy reports an array of c_ubyte as format '<B',
    which its own memoryview can neither index nor slice-assign; an array of this one-byte union
    exports plain 'B' (itemsize 1), as CPython's mmap does, at the same cost (measured on 25.0.3
    and 25.2.4: memoryview creation, mv[i], slice copies, hashlib, struct)."""
    _fields_ = [("value", ctypes.c_ubyte)]


def view(address, size):
    """A memoryview of format 'B' over raw memory: bytes(view[a:b]) copies out faster than
    ctypes.string_at on GraalPy (16 bytes: 26 vs 7.5 M/s; 4 KiB: 1.7 vs 1.0 M/s, on a loaded machine).
    The array types are cached by size: GraalPy does not, and making one costs ~10 us of the ~12 a
    view costs (25.0.3, warm; fmmap.smmap makes a view per window)."""
    array = _byte_arrays.get(size)
    if array is None:
        if len(_byte_arrays) > 256:
            _byte_arrays.clear()
        array = _byte_arrays[size] = _Byte * size
    return memoryview(array.from_address(address))


_byte_arrays = {}


def read(address, n):
    """The n bytes at a raw address, as bytes; for copies beyond the reach of view()."""
    return ctypes.string_at(address, n)


def write(address, data):
    """Copies bytes to raw memory. Assigning the raw value of a ctypes char array is ~40x faster on
    GraalPy than ctypes.memmove from a bytes object (4 KiB: 9.9 vs 0.24 M/s)."""
    n = len(data)
    chars = _char_arrays.get(n)
    if chars is None:
        if len(_char_arrays) > 256:
            _char_arrays.clear()
        chars = _char_arrays[n] = ctypes.c_char * n
    chars.from_address(address).raw = data


_char_arrays = {}


class BufferBase(ctypes.Array):
    """Base of the buffer half of fmmap.mmap: a ctypes array exported zero-copy to memoryview,
    bytes(), hashlib, struct, file writes... Each instance gets a subclass of its own length."""
    _type_ = _Byte
    _length_ = 0


def over(cls, address, size):
    """An instance of cls (a BufferBase subclass) whose buffer is the size bytes at address."""
    sized = _sized.get((cls, size))
    if sized is None:
        if len(_sized) > 256:
            _sized.clear()
        if size > BYTES_MAX:
            sized = _unexportable(cls, size)
        else:
            sized = type(cls.__name__, (cls,), {"_length_": size, "__module__": cls.__module__})
        _sized[(cls, size)] = sized
    return sized.from_address(address)


class _BytePair(ctypes.Union):
    """The element type of maps above BYTES_MAX: size // 2 pairs stay within the largest array
    length, while their byte size exceeds what one buffer of GraalPy can hold."""
    _fields_ = [("value", ctypes.c_ubyte * 2)]


def _unexportable(cls, size):
    """The class of cls's maps of size bytes, above BYTES_MAX, which no buffer of GraalPy can hold.

    GraalPy ignores __buffer__: what a consumer of the buffer protocol gets is decided by the ctypes
    array type alone. GraalPy 25.2's ctypes (CPython's C code) accepts an array of more than
    2**31 - 1 bytes, and every consumer then refuses it (memoryview, bytearray, hashlib, struct, file
    writes with OverflowError "Python int too large to convert to int", zlib with TypeError): the
    whole map or an exception, never a shorter buffer. The array spans the map (size // 2 pairs,
    never past its end). GraalPy 25.0's ctypes (Java) refuses such an array type ("array too large"),
    and exports any array it has without a way to refuse: there the map stays an array of length 0,
    whose empty export is GraalPy-forced (docs/compat.md). bytes(m) refuses on both."""
    def refuse_bytes(self):
        raise too_large(size)
    attributes = {"__module__": cls.__module__, "__bytes__": refuse_bytes,
                  "_type_": _BytePair, "_length_": size // 2}
    try:
        return type(cls.__name__, (cls,), attributes)
    except OverflowError:  # GraalPy 25.0: "array too large"
        del attributes["_type_"]
        attributes["_length_"] = 0
        return type(cls.__name__, (cls,), attributes)


def too_large(n):
    """The error for a copy or export of n bytes, more than one GraalPy object can hold."""
    return OverflowError("%d bytes do not fit in one Python object on GraalPy (at most %d); copy the "
                         "map in parts" % (n, BYTES_MAX))


_sized = {}
