"""A closed map: every operation raises ValueError("mmap closed or invalid")."""
import re
import unittest

from _target import mmap, REFERENCE
from _support import MapTestCase, deviation, MSG_CLOSED

DATA = b"0123456789"


def _set(m, key, value):
    m[key] = value


def _del(m, key):
    del m[key]


OPERATIONS = [
    ("read", lambda m: m.read(1)),
    ("read_all", lambda m: m.read(-1)),
    ("read_byte", lambda m: m.read_byte()),
    ("readline", lambda m: m.readline()),
    ("write", lambda m: m.write(b"a")),
    ("write_byte", lambda m: m.write_byte(b"a")),
    ("find", lambda m: m.find(b"a")),
    ("rfind", lambda m: m.rfind(b"a", 0, 5)),
    ("seek", lambda m: m.seek(0)),
    ("tell", lambda m: m.tell()),
    ("size", lambda m: m.size()),
    ("flush", lambda m: m.flush()),
    ("move", lambda m: m.move(0, 1, 1)),
    ("resize", lambda m: m.resize(20)),
    ("len", lambda m: len(m)),
    ("bool", lambda m: bool(m)),
    ("getitem", lambda m: m[0]),
    ("getitem_out_of_range", lambda m: m[100]),
    ("getslice", lambda m: m[0:2]),
    ("getslice_step", lambda m: m[::2]),
    ("setitem", lambda m: _set(m, 0, b"a")),
    ("setslice", lambda m: _set(m, slice(0, 1), b"a")),
    ("setslice_step", lambda m: _set(m, slice(0, 4, 2), b"ab")),
    ("delitem", lambda m: _del(m, 0)),
    ("contains", lambda m: b"a" in m),
    ("iterate", lambda m: list(m)),
    ("bytearray", lambda m: bytearray(m)),
]


class ClosedTests(MapTestCase):

    def closed_map(self, **kwargs):
        m = self.make_map(DATA, **kwargs)
        m.close()
        return m

    def test_every_operation_raises(self):
        m = self.closed_map()
        for name, op in OPERATIONS:
            with self.assertRaises(ValueError) as cm:
                op(m)
            self.assertEqual(str(cm.exception), MSG_CLOSED, name)

    def test_closed_is_checked_before_the_arguments(self):
        m = self.closed_map()
        for op in (lambda: m.read("x"), lambda: m.write(1), lambda: m.find(1),
                   lambda: m.seek("x"), lambda: m.move(0, 0, 100), lambda: m.resize(-1),
                   lambda: m.write_byte(1), lambda: m.flush(-1)):
            self.assertRaisesMsg(ValueError, MSG_CLOSED, op)

    def test_closed_read_only_and_copy_maps(self):
        for access in (mmap.ACCESS_READ, mmap.ACCESS_COPY, mmap.ACCESS_WRITE):
            m = self.closed_map(access=access)
            self.assertRaisesMsg(ValueError, MSG_CLOSED, m.write, b"a")
            self.assertRaisesMsg(ValueError, MSG_CLOSED, m.resize, 5)
            self.assertRaisesMsg(ValueError, MSG_CLOSED, m.__getitem__, 0)

    def test_closed_anonymous_map(self):
        m = self.anon(10)
        m.close()
        for name, op in OPERATIONS:
            with self.assertRaises(ValueError) as cm:
                op(m)
            self.assertEqual(str(cm.exception), MSG_CLOSED, name)

    def test_close_twice(self):
        m = self.make_map(DATA)
        self.assertEqual(m.close(), None)
        self.assertEqual(m.close(), None)
        self.assertRaisesMsg(ValueError, MSG_CLOSED, m.tell)

    def test_close_takes_no_arguments(self):
        m = self.make_map(DATA)
        self.assertRaisesMsg(TypeError, "close() takes no arguments (1 given)", m.close, 1)
        self.assertEqual(m[0], b"0")

    @deviation("the buffer of a closed map raises ValueError('mmap closed or invalid') in re too")
    def test_re_refuses_a_closed_map(self):
        m = self.closed_map()
        self.assertRaisesMsg(TypeError, "expected string or buffer", re.search, b"0", m)

    def test_buffer_consumers_refuse_a_closed_map(self):
        for consume in (lambda m: re.search(b"0", m), bytearray, memoryview, lambda m: str(buffer(m))):
            m = self.closed_map()
            if REFERENCE and consume is memoryview:
                continue  # 2.7 has no memoryview of a map at all (test_buffer.py)
            with self.assertRaises((ValueError, TypeError)):
                consume(m)

    def test_repr_of_a_closed_map(self):
        m = self.closed_map()
        self.assertTrue(repr(m).startswith("<mmap.mmap object at 0x"), repr(m))

    def test_file_and_data_survive_close(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        m[0] = b"Z"
        m.close()
        f.seek(0)
        self.assertEqual(f.read(), b"Z123456789")

    def test_other_maps_survive_close(self):
        f = self.make_file(DATA)
        a = self.map_file(f)
        b = self.map_file(f)
        a.close()
        self.assertEqual(b[:], DATA)


if __name__ == "__main__":
    unittest.main()
