"""fmmap vs GraalPy's built-in mmap: API coverage, find speed, and use-after-close safety.

Run with bin/demo (which runs this under bin/graalpy). Generates its data file under build/demo/.
"""
import argparse
import os
import subprocess
import sys
import time

import mmap as builtin_mmap

import fmmap

# CPython 3.13's mmap API (Unix), the spec fmmap follows.
METHODS = ("close", "closed", "find", "flush", "madvise", "move", "read", "read_byte", "readline",
           "resize", "rfind", "seek", "seekable", "size", "tell", "write", "write_byte",
           "__enter__", "__exit__", "__getitem__", "__setitem__", "__len__", "__buffer__")
CONSTANTS = ("ACCESS_DEFAULT", "ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY", "PAGESIZE",
             "ALLOCATIONGRANULARITY", "PROT_READ", "PROT_WRITE", "PROT_EXEC", "MAP_SHARED",
             "MAP_PRIVATE", "MAP_ANON", "MAP_ANONYMOUS", "MAP_POPULATE", "MAP_STACK", "MAP_NORESERVE",
             "MAP_32BIT", "MAP_DENYWRITE", "MAP_EXECUTABLE", "MADV_NORMAL", "MADV_RANDOM",
             "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED", "MADV_FREE", "MADV_REMOVE",
             "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP", "error")
NEEDLE_SIZES = (1, 4, 16, 64)


def make_data(path, size_mb):
    """Random lowercase letters; the needles (upper case) only at the very end."""
    size = size_mb << 20
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    print("generating %d MiB of data in %s ..." % (size_mb, path))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    chunk = bytes(97 + b % 26 for b in os.urandom(1 << 20))
    with open(path, "wb") as f:
        for _ in range(size_mb - 1):
            f.write(chunk)
        tail = bytearray(chunk)
        tail[-64:] = b"N" * 64
        f.write(tail)


def coverage(module):
    m = module.mmap(-1, 16)
    try:
        methods = [name for name in METHODS if hasattr(m, name)]
        constants = [name for name in CONSTANTS if hasattr(module, name)]
        extra = []
        try:
            import weakref
            weakref.ref(m)
            extra.append("weakref")
        except TypeError:
            pass
    finally:
        m.close()
    return methods, constants, extra


def time_find(module, path, needle, repeats):
    with open(path, "rb") as f:
        m = module.mmap(f.fileno(), 0, access=module.ACCESS_READ)
        try:
            times = []
            for _ in range(repeats + 1):  # the first run warms up (page cache, JIT)
                t = time.perf_counter()
                hit = m.find(needle)
                times.append(time.perf_counter() - t)
            assert hit == len(m) - 64, hit
            times = sorted(times[1:])
            return len(m) / times[len(times) // 2] / 1e9
        finally:
            m.close()


USE_AFTER_CLOSE = """
import %s as mmap
m = mmap.mmap(-1, 4096)
view = memoryview(m).cast("B")
m.close()
try:
    print("read after close ->", view[0])
except Exception as e:
    print("read after close ->", type(e).__name__)
"""


def use_after_close(module_name):
    proc = subprocess.run([sys.executable, "-c", USE_AFTER_CLOSE % module_name],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    out = proc.stdout.decode(errors="replace").strip().splitlines()
    line = next((l for l in out if l.startswith("read after close")), None)
    if proc.returncode != 0 and line is None:
        return "JVM crashed (exit %d)" % proc.returncode
    return "%s (exit %d)" % (line, proc.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=256, help="size of the generated file")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-crash", action="store_true", help="skip the use-after-close runs")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "build", "demo", "letters-%dmb.bin" % args.size_mb)
    make_data(path, args.size_mb)

    print("\n== API coverage (CPython 3.13 mmap: %d members, %d constants)" % (len(METHODS), len(CONSTANTS)))
    for name, module in (("fmmap", fmmap), ("GraalPy built-in", builtin_mmap)):
        methods, constants, extra = coverage(module)
        missing = sorted(set(METHODS) - set(methods)) + sorted(set(CONSTANTS) - set(constants))
        print("%-17s members %2d/%d  constants %2d/%d  %s  missing: %s" % (
            name, len(methods), len(METHODS), len(constants), len(CONSTANTS),
            "weakref" if extra else "no weakref", ", ".join(missing) or "-"))

    print("\n== find() of a needle at the end of a %d MiB file (median of %d, GB/s)" % (args.size_mb, args.repeats))
    print("%-8s %10s %18s %8s" % ("needle", "fmmap", "GraalPy built-in", "ratio"))
    for n in NEEDLE_SIZES:
        needle = b"N" * n
        ours = time_find(fmmap, path, needle, args.repeats)
        theirs = time_find(builtin_mmap, path, needle, max(1, args.repeats // 2))
        print("%-8s %10.2f %18.2f %7.1fx" % ("%d B" % n, ours, theirs, ours / theirs))

    if not args.skip_crash:
        print("\n== memoryview used after close() (each in its own process)")
        print("fmmap            :", use_after_close("fmmap"))
        print("GraalPy built-in :", use_after_close("mmap"))


if __name__ == "__main__":
    main()
