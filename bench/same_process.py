"""fmmap's find against libc's memchr over the same map, alternating call by call in one process.

    bin/graalpy bench/same_process.py [--calls 60] [--needle N] [--threads 1] [--data build/bench/letters-1024mb.bin]

The benchmark's ceiling column runs memchr in a separate, idle CPython process. On GraalPy the
process that runs fmmap also runs the JIT's compiler threads for its first tens of seconds, and on
2 cores they take CPU and memory bandwidth from whatever the program does, memchr included. This
script separates the two: call by call, both scan the same pages under the same conditions, so
their ratio is fmmap's own overhead and the absolute values show what the JIT takes
(docs/benchmark.md, "Where the misses come from"). Prints one line per call pair and the medians
of calls 2-10 and of the last 10.
"""
import argparse
import ctypes
import os
import sys
import time

import fmmap


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--calls", type=int, default=60)
    p.add_argument("--needle", default="N", help="find's needle; memchr looks for its first byte")
    p.add_argument("--threads", type=int, default=1, help="fmmap's search threads (memchr has one)")
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--data", default=os.path.join(here, "..", "build", "bench", "letters-1024mb.bin"))
    args = p.parse_args()
    needle = args.needle.encode()

    fmmap.set_search_threads(args.threads)
    libc = ctypes.CDLL(None)
    libc.memchr.restype = ctypes.c_void_p
    libc.memchr.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    with open(args.data, "rb") as f:
        m = fmmap.mmap(f.fileno(), 0, access=fmmap.ACCESS_READ)
    size = m.size()
    # The map's address, for memchr, as the core reports it: on GraalPy 25.0.3 the int that
    # ctypes.addressof() returns (of any ctypes object) refuses arithmetic ("unsupported operand
    # type(s) for -: 'int' and 'int'").
    address = m._s.region[0]

    rows = []
    for call in range(1, args.calls + 1):
        t = time.perf_counter()
        found = m.find(needle)
        ours = size / (time.perf_counter() - t) / 1e9
        t = time.perf_counter()
        hit = libc.memchr(address, needle[0], size)
        theirs = size / (time.perf_counter() - t) / 1e9
        if hit is None or hit - address != found:
            sys.exit("memchr and find disagree: %r vs %r" % (hit and hit - address, found))
        rows.append((ours, theirs))
        print("call %3d  fmmap %6.1f GB/s  memchr %6.1f GB/s  ratio %.2f" % (call, ours, theirs, ours / theirs),
              flush=True)

    def medians(part):
        mid = len(part) // 2
        return tuple(sorted(x[i] for x in part)[mid] for i in (0, 1))

    for label, part in (("calls 2-10", rows[1:10]), ("last 10", rows[-10:])):
        ours, theirs = medians(part)
        print("median of %-10s fmmap %6.1f GB/s  memchr %6.1f GB/s  ratio %.2f" % (label, ours, theirs, ours / theirs))


if __name__ == "__main__":
    main()
