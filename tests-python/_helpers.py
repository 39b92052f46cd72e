"""Small helpers shared by the test modules: integer-like arguments, and what the kernel says this
process holds (descriptors, mappings), for leak and limit tests."""
import gc
import os
import time


class Idx:
    """An object that is an integer only through __index__ (as CPython's suite uses)."""

    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


def open_fds():
    """How many descriptors this process has open (Linux /proc)."""
    return len(os.listdir("/proc/self/fd"))


def fds_on(path):
    """How many of this process's descriptors refer to path."""
    real = os.path.realpath(path)
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink("/proc/self/fd/" + name) == real:
                count += 1
        except OSError:
            pass  # closed meanwhile
    return count


def proc_maps():
    """The lines of /proc/self/maps: one per mapping of this process."""
    with open("/proc/self/maps") as f:
        return f.read().splitlines()


def mappings_of(path=None):
    """How many mappings this process has (of path only, if given)."""
    return sum(1 for line in proc_maps() if path is None or line.rstrip().endswith(path))


def collect_until(done):
    """Collects until done() holds (a runtime without reference counting frees later, and may run
    weak reference callbacks after gc.collect() returns); returns done()'s last answer."""
    for _ in range(20):
        if done():
            return True
        gc.collect()
        time.sleep(0.01)  # not 0: on GraalPy time.sleep(0) takes about a second
    return done()
