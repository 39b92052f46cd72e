"""Scenario 2 (under bin/graalpy): write a pattern through fmmap, flush(), print 'flushed', then
wait to be SIGKILLed by the driver. argv: path size"""
import sys, time
import fmmap as mmap

path, size = sys.argv[1], int(sys.argv[2])


def pattern(n, seed):
    return bytes(((i * 131 + seed) ^ (i >> 8)) & 0xFF for i in range(n))


with open(path, "r+b") as f:
    m = mmap.mmap(f.fileno(), size)
    m[:] = pattern(size, 7)
    m.flush()
    off = 2 * mmap.ALLOCATIONGRANULARITY           # a second map at an offset, flushed by range
    m2 = mmap.mmap(f.fileno(), size - off, offset=off)
    m2[:4096] = b"\xA5" * 4096
    m2.flush(0, 4096)
    print("flushed")
    sys.stdout.flush()
    time.sleep(600)
