"""Closing or resizing a map while other threads and stale views use it: clean exceptions or
harmless data, never a crash of the process (GraalPy: of the JVM)."""
import os
import threading

import pytest

from _target import mmap, REFERENCE

# What a racing operation may raise: the map closed under it, or shrunk under it.
CLEAN = (ValueError, IndexError)
ROUNDS = int(os.environ.get("FMMAP_STRESS_ROUNDS", "300"))


def _race(make, work, finish, threads=4):
    """Runs `work(m)` in threads while the main thread calls `finish(m)`; returns the unexpected."""
    unexpected = []

    def worker(m, start):
        start.wait()
        for _ in range(20):
            try:
                work(m)
            except CLEAN:
                pass
            except BaseException as e:  # noqa: B902 - anything else is the bug we look for
                unexpected.append(e)
                return

    for _ in range(ROUNDS):
        m = make()
        start = threading.Event()
        pool = [threading.Thread(target=worker, args=(m, start)) for _ in range(threads)]
        for t in pool:
            t.start()
        start.set()
        try:
            finish(m)
        except BufferError:
            pass  # CPython refuses while a racing worker holds a buffer of it
        for t in pool:
            t.join()
        m.close()
    return unexpected


def _readers(m):
    m.find(b"needle")
    m.rfind(b"x", 0)
    m[:64]
    m[len(m) - 1]
    m.readline()
    m.seek(0)
    m.read(16)


def test_readers_racing_close_get_clean_errors():
    assert _race(lambda: mmap.mmap(-1, 3 * mmap.PAGESIZE), _readers, lambda m: m.close()) == []


def test_writers_racing_close_get_clean_errors():
    def writers(m):
        m[0] = 1
        m[1:3] = b"ab"
        m.seek(0)
        m.write(b"xyz")
        m.move(4, 0, 3)
    assert _race(lambda: mmap.mmap(-1, 3 * mmap.PAGESIZE), writers, lambda m: m.close()) == []


def test_readers_racing_resize_get_clean_errors():
    def shrink(m):
        m.resize(mmap.PAGESIZE // 2)
    make = lambda: mmap.mmap(-1, 3 * mmap.PAGESIZE, flags=mmap.MAP_PRIVATE)  # noqa: E731
    assert _race(make, _readers, shrink) == []


def test_stale_memoryview_after_close_never_faults():
    for _ in range(200):
        m = mmap.mmap(-1, mmap.PAGESIZE)
        m[0] = 7
        view = memoryview(m)
        try:
            m.close()
        except BufferError:
            assert REFERENCE  # CPython refuses to close under an export: nothing stale to read
            view.release()
            m.close()
            continue
        assert view[0] in (0, 7)  # fmmap: zero pages replaced the mapping
        view[1] = 1               # and they take writes harmlessly
        view.release()


def test_stale_memoryview_after_resize_never_faults():
    m = mmap.mmap(-1, 4 * mmap.PAGESIZE, flags=mmap.MAP_PRIVATE)
    view = memoryview(m)
    try:
        m.resize(mmap.PAGESIZE)
    except BufferError:
        assert REFERENCE
        view.release()
        m.close()
        return
    assert view[4 * mmap.PAGESIZE - 1] == 0
    view.release()
    m.close()


@pytest.mark.skipif(REFERENCE, reason="fmmap's own guarantee: CPython refuses close() while exported")
def test_struct_and_hashlib_on_stale_views_read_zeros():
    import hashlib
    import struct
    m = mmap.mmap(-1, 64)
    m[:4] = b"\x01\x02\x03\x04"
    view = memoryview(m)
    m.close()
    assert struct.unpack_from("<I", view, 0) == (0,)
    assert hashlib.sha256(view).digest() == hashlib.sha256(bytes(64)).digest()
