"""Maps that are dropped give their resources back once they are garbage collected: the file
descriptor a map holds, its mapping and whatever takes the mapping's place after close()."""
import gc
import os
import time

from _target import mmap

COUNT = 200  # maps per test: far above the few descriptors/mappings a runtime moves by itself


def _fds():
    return len(os.listdir("/proc/self/fd"))


def _mappings(path=None):
    """Lines of /proc/self/maps (those that map path, if given)."""
    with open("/proc/self/maps") as fh:
        return sum(1 for line in fh if path is None or line.rstrip().endswith(path))


def _collect_until(done):
    """Collects until done() holds (a runtime without reference counting frees later, and may run
    weak reference callbacks after gc.collect() returns); returns done()'s last answer."""
    for _ in range(20):
        if done():
            return True
        gc.collect()
        time.sleep(0.01)  # not 0: on GraalPy time.sleep(0) takes about a second
    return done()


def test_unclosed_maps_give_back_descriptors_and_mappings(make_file):
    f = make_file(b"x" * 8192)
    path = os.path.realpath(f.name)
    m = mmap.mmap(f.fileno(), 4096)  # once before the baseline: lazily loaded code is in place
    m.close()
    del m
    _collect_until(lambda: not _mappings(path))
    fds, mapped = _fds(), _mappings(path)
    for _ in range(COUNT):
        m = mmap.mmap(f.fileno(), 4096)
        m[0:10]
        del m  # never closed
    # a few may stay (GraalPy 25.0.3 now and then keeps the last map or so alive)
    released = _collect_until(lambda: _fds() <= fds + 5 and _mappings(path) <= mapped + 5)
    assert released, "%d maps dropped: open descriptors %d -> %d, mappings of the file %d -> %d" % (
        COUNT, fds, _fds(), mapped, _mappings(path))


def test_dropped_maps_give_back_their_address_space(make_file):
    """File maps dropped after close() and anonymous maps dropped open: on fmmap a closed map keeps
    its range reserved (zero pages) while anything might still read it, until it is collected."""
    f = make_file(b"x" * 16384)
    for fileno in (f.fileno(), -1):  # once before the baseline: lazily loaded code is in place
        m = mmap.mmap(fileno, 4096)
        m.close()
        del m
    for _ in range(3):
        gc.collect()
        time.sleep(0.01)
    before = _mappings()
    for i in range(COUNT):
        if i % 2:
            m = mmap.mmap(f.fileno(), 4096 * (1 + i % 3))
            m[0:10]
            m.close()
        else:
            m = mmap.mmap(-1, 4096 * (1 + i % 3))
            m[0] = 1
        del m
    slack = COUNT // 4  # the runtime's own mappings (thread stacks, heap, code) move a little
    released = _collect_until(lambda: _mappings() <= before + slack)
    assert released, "%d maps dropped: /proc/self/maps lines %d -> %d" % (COUNT, before, _mappings())
