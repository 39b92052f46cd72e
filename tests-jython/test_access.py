"""ACCESS_READ, ACCESS_WRITE, ACCESS_COPY (and prot/flags equivalents)."""
import unittest

from _target import mmap
from _support import MapTestCase, read_path, MSG_READONLY, MSG_NO_RESIZE

DATA = b"0123456789"


class ReadAccessTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f, access=mmap.ACCESS_READ)

    def test_reading_works(self):
        self.assertEqual(self.m[:], DATA)
        self.assertEqual(self.m.read(3), b"012")
        self.assertEqual(self.m.read_byte(), b"3")
        self.assertEqual(self.m.readline(), b"456789")
        self.assertEqual(self.m.find(b"5"), -1)      # from the position, now the end
        self.assertEqual(self.m.find(b"5", 0), 5)
        self.assertEqual(self.m.rfind(b"0", 0), 0)

    def test_every_modification_is_refused(self):
        m = self.m
        attempts = [
            lambda: m.write(b"a"),
            lambda: m.write(b""),
            lambda: m.write_byte(b"a"),
            lambda: m.__setitem__(0, b"a"),
            lambda: m.__setitem__(slice(0, 1), b"a"),
            lambda: m.__setitem__(slice(0, 0), b""),
            lambda: m.__setitem__(slice(0, 4, 2), b"ab"),
            lambda: m.move(0, 1, 1),
            lambda: m.move(0, 0, 0),
        ]
        for attempt in attempts:
            self.assertRaisesMsg(TypeError, MSG_READONLY, attempt)
        self.assertEqual(m[:], DATA)
        self.assertEqual(read_path(self.f.name), DATA)
        self.assertEqual(m.tell(), 0)

    def test_permission_is_checked_after_the_arguments(self):
        m = self.m
        self.assertRaisesMsg(TypeError, "write() argument 1 must be string or read-only buffer, not int",
                             m.write, 1)
        self.assertRaisesMsg(TypeError, "write_byte() argument 1 must be char, not int", m.write_byte, 1)
        self.assertRaisesMsg(IndexError, "mmap index out of range", m.__setitem__, 100, b"a")
        self.assertRaisesMsg(IndexError, "mmap assignment must be single-character string",
                             m.__setitem__, 0, b"ab")
        self.assertRaisesMsg(IndexError, "mmap slice assignment is wrong size",
                             m.__setitem__, slice(0, 1), b"ab")
        self.assertRaisesMsg(IndexError, "mmap slice assignment must be a string",
                             m.__setitem__, slice(0, 1), 5)

    def test_permission_is_checked_before_the_range(self):
        self.m.seek(0, 2)
        self.assertRaisesMsg(TypeError, MSG_READONLY, self.m.write, b"abc")
        self.assertRaisesMsg(TypeError, MSG_READONLY, self.m.write_byte, b"a")
        self.assertRaisesMsg(TypeError, MSG_READONLY, self.m.move, 0, 1, 100)

    def test_resize_refused(self):
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, self.m.resize, 5)

    def test_flush_allowed(self):
        self.m.flush()

    def test_prot_read_behaves_as_access_read(self):
        m = self.map_file(self.f, prot=mmap.PROT_READ)
        self.assertRaisesMsg(TypeError, MSG_READONLY, m.write, b"a")
        self.assertRaisesMsg(TypeError, MSG_READONLY, m.__setitem__, 0, b"a")
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, 5)

    def test_read_map_sees_other_writers(self):
        w = self.map_file(self.f)
        w[0] = b"W"
        self.assertEqual(self.m[0], b"W")


class WriteAccessTests(MapTestCase):

    def test_write_through_to_the_file(self):
        f = self.make_file(DATA)
        m = self.map_file(f, access=mmap.ACCESS_WRITE)
        m.write(b"ab")
        m[9] = b"Z"
        m.flush()
        self.assertEqual(read_path(f.name), b"ab23456789"[:9] + b"Z")

    def test_other_maps_see_the_writes(self):
        f = self.make_file(DATA)
        m = self.map_file(f, access=mmap.ACCESS_WRITE)
        other = self.map_file(f, access=mmap.ACCESS_READ)
        m[3:5] = b"!!"
        self.assertEqual(other[:6], b"012!!5")

    def test_file_object_sees_the_writes(self):
        f = self.make_file(DATA)
        m = self.map_file(f, access=mmap.ACCESS_WRITE)
        m[0] = b"Q"
        f.seek(0)
        self.assertEqual(f.read(2), b"Q1")


class CopyAccessTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f, access=mmap.ACCESS_COPY)

    def test_writes_stay_private(self):
        self.m.write(b"ab")
        self.m[5] = b"X"
        self.m[6:8] = b"YZ"
        self.m.write_byte(b"c")
        self.m.move(8, 0, 2)
        self.m.flush()
        self.assertEqual(self.m[:], b"abc34XYZab")
        self.assertEqual(read_path(self.f.name), DATA)

    def test_other_maps_do_not_see_copy_writes(self):
        other = self.map_file(self.f)
        self.m[0] = b"C"
        self.assertEqual(other[0], b"0")

    def test_resize_refused(self):
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, self.m.resize, 20)
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, self.m.resize, 5)
        self.assertEqual(len(self.m), 10)

    def test_copy_of_a_read_only_file(self):
        path = self.make_path(DATA)
        f = self.reopen(path, "rb")
        m = self.map_file(f, access=mmap.ACCESS_COPY)
        m[:] = b"9876543210"
        self.assertEqual(m[:], b"9876543210")
        self.assertEqual(read_path(path), DATA)


if __name__ == "__main__":
    unittest.main()
