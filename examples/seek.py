"""The seek pattern, on a memory map and with plain file access: from the start of a file, over and
over, seek 64 bytes forward, read 8, seek 32 back (each step moves 40 bytes on), to the end.

    bin/graalpy examples/seek.py [--size BYTES] [--passes N] [--module NAME] [FILE]

Without FILE it writes a temporary file of --size bytes (default 10 MB). It walks the file --passes
times (default 5) each way, and prints, for the map and for the file object, the first pass's time,
the median of the others, and the time per step. The two ways must read the same bytes, or it exits 1.
--module picks the mmap module: fmmap where it imports (the default), else `mmap`, the runtime's own
(GraalPy's built-in one on GraalPy).

Runs unchanged on CPython with its own mmap.
"""
import argparse
import os
import sys
import tempfile
import time

FORWARD, READ, BACK = 64, 8, 32


def steps(size):
    """How many steps fit: step k reads bytes [40k + 64, 40k + 72)."""
    stride = FORWARD + READ - BACK
    return 0 if size < FORWARD + READ else (size - FORWARD - READ) // stride + 1


def walk(f, n):
    """The pattern over anything with seek and read; returns a digest of what it read."""
    f.seek(0)
    digest = 0
    for _ in range(n):
        f.seek(FORWARD, os.SEEK_CUR)
        digest ^= hash(f.read(READ))
        f.seek(-BACK, os.SEEK_CUR)
    return digest


def timed(f, n, passes):
    """(seconds of the first pass, median seconds of the others, digest)."""
    times, digests = [], set()
    for _ in range(passes):
        start = time.perf_counter()
        digests.add(walk(f, n))
        times.append(time.perf_counter() - start)
    if len(digests) != 1:
        raise AssertionError("passes over the same bytes read different bytes")
    rest = sorted(times[1:]) or times
    return times[0], rest[len(rest) // 2], digests.pop()


def import_mmap(name):
    if name:
        return __import__(name)
    try:
        import fmmap
        return fmmap
    except ImportError:
        import mmap
        return mmap


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--size", type=int, default=10 * 1000 * 1000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--module", help="fmmap or mmap (default: fmmap where it imports)")
    args = parser.parse_args(argv)
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    mmap = import_mmap(args.module)

    path = args.file
    if path is None:
        fd, path = tempfile.mkstemp(prefix="seek-pattern-")
        with os.fdopen(fd, "wb") as out:
            out.write(bytes(range(256)) * (args.size // 256) + bytes(args.size % 256))
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            n = steps(size)
            if n == 0:
                parser.error("the file is shorter than one step (%d bytes)" % (FORWARD + READ))
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                mapped = timed(m, n, args.passes)
            plain = timed(f, n, args.passes)
    finally:
        if args.file is None:
            os.unlink(path)

    print("%s on %s %s, %d bytes, %d steps of +%d read %d -%d, %d passes"
          % (mmap.__name__, sys.implementation.name,
             ".".join(str(part) for part in sys.implementation.version[:3]), size, n,
             FORWARD, READ, BACK, args.passes))
    for name, (first, median, _) in (("mmap", mapped), ("file", plain)):
        print("%-5s first pass %8.4f s   median %8.4f s   %7.3f us/step"
              % (name, first, median, 1e6 * median / n))
    if mapped[2] != plain[2]:
        print("the map and the file read different bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
