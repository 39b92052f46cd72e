"""Several threads read, write and search one map while another thread closes
or resizes it. Every outcome must be a result of the right shape or a clean
Python exception with one of mmap's own messages; nothing else, and no crash.
"""
import random
import threading
import time
import unittest

from _target import mmap
from _support import MapTestCase, PAGE

RUN_SECONDS = 0.15

# The messages a racing operation may legitimately end with.
EXPECTED_MESSAGES = {
    ValueError: set([
        "mmap closed or invalid",
        "seek out of range",
        "data out of range",
        "read byte out of range",
        "write byte out of range",
        "source, destination, or count out of range",
        "flush values out of range",
    ]),
    IndexError: set([
        "mmap index out of range",
        "mmap slice assignment is wrong size",
    ]),
}


def _reader_ops(m, rnd):
    size_hint = 4 * PAGE
    i = rnd.randrange(size_hint)
    choice = rnd.randrange(9)
    if choice == 0:
        r = m[i]
        assert type(r) is str and len(r) == 1, repr(r)
    elif choice == 1:
        r = m[i:i + 100]
        assert type(r) is str and len(r) <= 100, len(r)
    elif choice == 2:
        m.seek(rnd.randrange(PAGE))
        r = m.read(50)
        assert type(r) is str and len(r) <= 50, len(r)
    elif choice == 3:
        r = m.find(b"needle", 0)
        assert r == -1 or r >= 0, r
    elif choice == 4:
        r = m.rfind(b"\x00\x00", 0, i)
        assert r == -1 or 0 <= r < i, r
    elif choice == 5:
        m.seek(rnd.randrange(PAGE))
        r = m.read_byte()
        assert type(r) is str and len(r) == 1, repr(r)
    elif choice == 6:
        m.seek(rnd.randrange(PAGE))
        r = m.readline()
        assert type(r) is str, type(r)
    elif choice == 7:
        r = m[i:i - 50:-3]
        assert type(r) is str and len(r) <= 17, len(r)
    else:
        r = len(m)
        assert r >= 0
        r = m.tell()
        assert r >= 0


def _writer_ops(m, rnd):
    i = rnd.randrange(4 * PAGE)
    choice = rnd.randrange(7)
    if choice == 0:
        m[i] = b"w"
    elif choice == 1:
        m[i:i + 8] = b"needle!!"
    elif choice == 2:
        m.seek(rnd.randrange(PAGE))
        m.write(b"written")
    elif choice == 3:
        m.seek(rnd.randrange(PAGE))
        m.write_byte(b"b")
    elif choice == 4:
        m.move(rnd.randrange(PAGE), rnd.randrange(PAGE), 64)
    elif choice == 5:
        m[i:i + 6:2] = b"xyz"
    else:
        m.flush()


class Racer(threading.Thread):

    def __init__(self, m, ops, seed, stop):
        threading.Thread.__init__(self)
        self.daemon = True
        self.m = m
        self.ops = ops
        self.rnd = random.Random(seed)
        self.stop = stop
        self.results = 0
        self.errors = {}          # (type name, message) -> count
        self.unexpected = []

    def run(self):
        while not self.stop.is_set():
            try:
                self.ops(self.m, self.rnd)
                self.results += 1
            except (ValueError, IndexError) as e:
                msgs = EXPECTED_MESSAGES[type(e)] if type(e) in EXPECTED_MESSAGES else ()
                if str(e) in msgs:
                    key = (type(e).__name__, str(e))
                    self.errors[key] = self.errors.get(key, 0) + 1
                else:
                    self.unexpected.append(repr(e))
            except EnvironmentError as e:
                if isinstance(e, mmap.error):
                    key = ("error", e.errno)
                    self.errors[key] = self.errors.get(key, 0) + 1
                else:
                    self.unexpected.append(repr(e))
            except BaseException as e:   # noqa: B902 -- anything else is a failure
                self.unexpected.append(repr(e))
            if len(self.unexpected) > 20:
                return


class ThreadTests(MapTestCase):

    def race(self, m, disturb, readers=3, writers=2):
        stop = threading.Event()
        racers = ([Racer(m, _reader_ops, 100 + k, stop) for k in range(readers)] +
                  [Racer(m, _writer_ops, 200 + k, stop) for k in range(writers)])
        for r in racers:
            r.start()
        try:
            time.sleep(RUN_SECONDS / 3)
            disturb(m)
            time.sleep(RUN_SECONDS / 3)
        finally:
            stop.set()
            for r in racers:
                r.join(30)
        for r in racers:
            self.assertFalse(r.is_alive())
            self.assertEqual(r.unexpected, [])
        return racers

    def test_close_while_reading_and_writing(self):
        m = self.make_map(b"\x00" * (4 * PAGE))
        racers = self.race(m, lambda m: m.close())
        for r in racers:
            self.assertTrue(r.results > 0)
            self.assertTrue(r.errors.get(("ValueError", "mmap closed or invalid"), 0) > 0, r.errors)

    def test_close_anonymous_while_reading_and_writing(self):
        m = self.anon(4 * PAGE)
        racers = self.race(m, lambda m: m.close())
        for r in racers:
            self.assertTrue(r.errors.get(("ValueError", "mmap closed or invalid"), 0) > 0, r.errors)

    def test_resize_while_reading_and_writing(self):
        m = self.make_map(b"\x00" * (4 * PAGE))

        def resizes(m):
            for k in range(40):
                m.resize((k % 4 + 1) * PAGE - k)
                time.sleep(0.001)

        racers = self.race(m, resizes)
        self.assertTrue(sum(r.results for r in racers) > 0)
        self.assertTrue(len(m) > 0)
        self.assertEqual(m.size(), len(m))

    def test_resize_then_close(self):
        m = self.make_map(b"\x00" * (4 * PAGE))

        def disturb(m):
            m.resize(PAGE)
            time.sleep(0.01)
            m.resize(3 * PAGE)
            time.sleep(0.01)
            m.close()

        racers = self.race(m, disturb)
        for r in racers:
            self.assertTrue(r.errors.get(("ValueError", "mmap closed or invalid"), 0) > 0, r.errors)

    def test_many_closers(self):
        m = self.anon(4 * PAGE)
        errors = []

        def closer():
            try:
                m.close()
            except BaseException as e:
                errors.append(repr(e))

        threads = [threading.Thread(target=closer) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.assertRaises(ValueError, m.read, 1)

    def test_concurrent_writers_to_distinct_ranges(self):
        m = self.anon(8 * PAGE)
        failures = []

        def writer(k):
            try:
                chunk = chr(65 + k) * PAGE
                for _ in range(20):
                    m[k * PAGE:(k + 1) * PAGE] = chunk
                    if m[k * PAGE:(k + 1) * PAGE] != chunk:
                        failures.append(k)
            except BaseException as e:
                failures.append(repr(e))

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(failures, [])
        for k in range(8):
            self.assertEqual(m.find(chr(65 + k) * PAGE, 0), k * PAGE)


if __name__ == "__main__":
    unittest.main()
