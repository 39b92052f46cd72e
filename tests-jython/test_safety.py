"""Closing or resizing a map while other threads use it, many times over: every racing call ends
in a result or a clean Python exception, never a Java exception and never a crash of the JVM.
FMMAP_STRESS_ROUNDS sets the rounds per test (bin/test jython: 2000)."""
import os
import re
import threading
import unittest

from _target import mmap, REFERENCE
from _support import MapTestCase, PAGE

# What a racing call may raise: the map closed under it, or shrunk under it.
CLEAN = (ValueError, IndexError)
ROUNDS = int(os.environ.get("FMMAP_STRESS_ROUNDS", "300"))


def race(make, work, finish, threads=4, clean=CLEAN):
    """Runs work(m) in threads while this thread calls finish(m), ROUNDS times; returns what was
    raised that is not a clean error (on Jython a Java exception is no Exception: catch all)."""
    unexpected = []

    def worker(m, start):
        start.wait()
        for _ in range(20):
            try:
                work(m)
            except clean:
                pass
            except:  # noqa: E722 - anything else, Java's included, is the bug looked for
                import sys
                unexpected.append(repr(sys.exc_info()[1]))
                return

    for _ in range(ROUNDS):
        m = make()
        start = threading.Event()
        pool = [threading.Thread(target=worker, args=(m, start)) for _ in range(threads)]
        for t in pool:
            t.start()
        start.set()
        finish(m)
        for t in pool:
            t.join()
        m.close()
    return unexpected


def readers(m):
    m.find(b"needle")
    m.rfind(b"x", 0)
    m[:64]
    m[len(m) - 1]
    m.readline()
    m.seek(0)
    m.read(16)
    m.read_byte()


def writers(m):
    m[0] = b"a"
    m[1:3] = b"ab"
    m.seek(0)
    m.write(b"xyz")
    m.write_byte(b"!")
    m.move(4, 0, 3)


def buffer_users(m):
    str(buffer(m, 0, 64))
    bytearray(m)
    re.search(b"needle", m)


class SafetyTests(MapTestCase):

    def test_readers_racing_close(self):
        self.assertEqual(race(lambda: mmap.mmap(-1, 3 * PAGE), readers, lambda m: m.close()), [])

    def test_writers_racing_close(self):
        self.assertEqual(race(lambda: mmap.mmap(-1, 3 * PAGE), writers, lambda m: m.close()), [])

    def test_buffer_users_racing_close(self):
        # CPython 2.7's buffer interface refuses a closed map with TypeError ("single-segment
        # buffer object expected"), fmmap's with ValueError: both are clean.
        self.assertEqual(race(lambda: mmap.mmap(-1, 3 * PAGE), buffer_users, lambda m: m.close(),
                              clean=CLEAN + (TypeError,)), [])

    def test_readers_and_writers_racing_resize(self):
        def both(m):
            readers(m)
            writers(m)
        make = lambda: mmap.mmap(-1, 3 * PAGE, flags=mmap.MAP_PRIVATE)  # noqa: E731
        self.assertEqual(race(make, both, lambda m: m.resize(PAGE // 2)), [])

    @unittest.skipIf(REFERENCE, "CPython 2.7 has no memoryview of a map")
    def test_memoryviews_racing_close(self):
        def views(m):
            view = memoryview(m)
            view[0] = b"v"
            view[:16].tobytes()
        self.assertEqual(race(lambda: mmap.mmap(-1, 3 * PAGE), views, lambda m: m.close()), [])

    def test_position_moves_are_atomic(self):
        # Each read() takes its own bytes, as under CPython's GIL: together the threads read the
        # map exactly once.
        m = self.anon(8 * 1000)
        for k in range(1000):
            m[k * 8:k * 8 + 8] = "%08d" % k
        chunks = []

        def reader():
            while True:
                chunk = m.read(8)
                if not chunk:
                    return
                chunks.append(chunk)
        pool = [threading.Thread(target=reader) for _ in range(4)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        self.assertEqual(sorted(chunks), ["%08d" % k for k in range(1000)])


if __name__ == "__main__":
    unittest.main()
