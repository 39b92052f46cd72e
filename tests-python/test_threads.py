"""Other Python threads keep running while a thread searches a large map.

fmmap searches in Java, and GraalPy releases its GIL around calls into Java; CPython's mmap holds the
GIL for the whole search, so this is an fmmap property only (the benchmark reports the speed ratio).
"""
import threading
import time

import pytest

from _target import mmap, REFERENCE

pytestmark = pytest.mark.skipif(REFERENCE, reason="CPython's mmap.find holds the GIL")

SIZE = 512 << 20   # untouched anonymous memory: zero pages, no RAM used


def test_a_long_find_lets_other_threads_run():
    m = mmap.mmap(-1, SIZE)
    try:
        m.find(b"\x01")                       # once alone, so that the timed finds are warm
        finding = [False]
        done = [False]
        during = [0]

        def searcher():
            for _ in range(4):
                finding[0] = True
                assert m.find(b"\x01\x02\x03\x04") == -1
                finding[0] = False
            done[0] = True

        t = threading.Thread(target=searcher)
        t.start()
        started = time.time()
        while not done[0] and time.time() - started < 120:
            if finding[0]:
                during[0] += 1
        t.join()
        # Holding the GIL for each whole find (tens of ms each) would leave this thread only the
        # moments between finds; released, it counts through all of them.
        assert during[0] > 10000
    finally:
        m.close()
