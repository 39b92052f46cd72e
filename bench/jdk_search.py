"""find/rfind on a JDK before 22 (fmmap's jnr-ffi backend, through Jython) against the memchr ceiling.

    JAVA_HOME=<JDK 11-21> bin/jython bench/jdk_search.py FILE   # fmmap's find/rfind, GB/s
    python3.12 bench/jdk_search.py FILE                         # libc's memchr/memrchr (the ceiling)

FILE: 1 GiB made by `--make FILE` (256 b"R", letters, 256 b"N"), page-cached before timing. Each
needle (1, 2, 4, 16, 64, 256 bytes) is found at the file's end (find: b"N" * k) or start (rfind:
b"R" * k), so every search reads the whole map; RUNS timed calls after WARMUP, median in GB/s.
Python 2.7 syntax (Jython). docs/benchmark.md, "JDK 17 (issue 25)", keeps the numbers.
"""
from __future__ import print_function

import os
import sys
import time

SIZES = (1, 2, 4, 16, 64, 256)
MARK = 256
WARMUP = 3
RUNS = 7
GIB = 1 << 30


def make(path):
    body = (b"abcdefghijklmopqstuvwxyz" * ((1 << 20) // 24 + 1))[:1 << 20]
    with open(path, "wb") as f:
        f.write(b"R" * MARK)
        for _ in range(GIB // len(body) - 1):
            f.write(body)
        f.write(body[:len(body) - 2 * MARK])
        f.write(b"N" * MARK)


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def rate(search, size):
    for _ in range(WARMUP):
        search()
    times = []
    for _ in range(RUNS):
        t = time.time()
        search()
        times.append(time.time() - t)
    return size / median(times) / 1e9


def fmmap_rows(path):
    import fmmap
    from java.lang import System
    from dev.fmmap.syscalls import Syscalls
    f = open(path, "r+b")
    m = fmmap.mmap(f.fileno(), 0, access=fmmap.ACCESS_READ)
    size = len(m)
    print("fmmap on Jython, JDK %s, backend %s, %d bytes" % (
        System.getProperty("java.version"), Syscalls.backend(), size))
    for k in SIZES:
        needle = b"N" * k
        assert m.find(needle) == size - MARK
        print("find%-4d %6.1f GB/s" % (k, rate(lambda: m.find(needle), size)))
    for k in SIZES:
        needle = b"R" * k
        assert m.rfind(needle) == MARK - k
        print("rfind%-3d %6.1f GB/s" % (k, rate(lambda: m.rfind(needle), size)))


def ceiling_rows(path):
    import ctypes
    import mmap
    libc = ctypes.CDLL(None)
    for name in ("memchr", "memrchr"):
        getattr(libc, name).restype = ctypes.c_void_p
        getattr(libc, name).argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t)
    f = open(path, "rb")
    m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    size = len(m)
    view = (ctypes.c_char * size).from_buffer(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY))
    base = ctypes.addressof(view)
    print("libc memchr/memrchr through ctypes on CPython %s, %d bytes" % (sys.version.split()[0], size))
    print("memchr   %6.1f GB/s" % rate(lambda: libc.memchr(base, ord("N"), size), size))
    print("memrchr  %6.1f GB/s" % rate(lambda: libc.memrchr(base, ord("R"), size), size))
    del view
    m.close()


def main():
    if sys.argv[1] == "--make":
        make(sys.argv[2])
        return
    path = sys.argv[1]
    with open(path, "rb") as f:  # into the page cache
        while f.read(1 << 24):
            pass
    if sys.platform.startswith("java"):
        fmmap_rows(path)
    else:
        ceiling_rows(path)


if __name__ == "__main__":
    main()
