"""Maps that are dropped give their resources back once they are garbage collected: the file
descriptor a map holds, its mapping and whatever takes the mapping's place after close()."""
import gc
import os
import time

from _helpers import collect_until, mappings_of, open_fds
from _target import mmap

COUNT = 200  # maps per test: far above the few descriptors/mappings a runtime moves by itself


def test_unclosed_maps_give_back_descriptors_and_mappings(make_file):
    f = make_file(b"x" * 8192)
    path = os.path.realpath(f.name)
    m = mmap.mmap(f.fileno(), 4096)  # once before the baseline: lazily loaded code is in place
    m.close()
    del m
    collect_until(lambda: not mappings_of(path))
    fds, mapped = open_fds(), mappings_of(path)
    for _ in range(COUNT):
        m = mmap.mmap(f.fileno(), 4096)
        m[0:10]
        del m  # never closed
    # a few may stay (GraalPy 25.0.3 now and then keeps the last map or so alive)
    released = collect_until(lambda: open_fds() <= fds + 5 and mappings_of(path) <= mapped + 5)
    assert released, "%d maps dropped: open descriptors %d -> %d, mappings of the file %d -> %d" % (
        COUNT, fds, open_fds(), mapped, mappings_of(path))


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
    before = mappings_of()
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
    released = collect_until(lambda: mappings_of() <= before + slack)
    assert released, "%d maps dropped: /proc/self/maps lines %d -> %d" % (COUNT, before, mappings_of())
