"""resize(newsize): the file follows the map; read-only and copy maps refuse."""
import errno
import unittest

from _target import mmap, REFERENCE
from _support import (MapTestCase, deviation, PAGE, read_path, file_size, MSG_NO_RESIZE,
                      MSG_INT_REQUIRED, MSG_FLOAT, MSG_LONG_OVERFLOW)

DATA = b"0123456789"


class ResizeTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f)

    def test_grow(self):
        self.assertEqual(self.m.resize(20), None)
        self.assertEqual(len(self.m), 20)
        self.assertEqual(self.m.size(), 20)
        self.assertEqual(file_size(self.f.name), 20)
        self.assertEqual(self.m[:], DATA + b"\x00" * 10)
        self.m[19] = b"!"
        self.m.flush()
        self.assertEqual(read_path(self.f.name), DATA + b"\x00" * 9 + b"!")

    def test_shrink(self):
        self.m.resize(4)
        self.assertEqual(len(self.m), 4)
        self.assertEqual(self.m[:], b"0123")
        self.assertEqual(file_size(self.f.name), 4)
        self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__getitem__, 4)

    def test_grow_across_pages(self):
        self.m.resize(3 * PAGE + 5)
        self.assertEqual(len(self.m), 3 * PAGE + 5)
        self.m[3 * PAGE + 4] = b"e"
        self.assertEqual(self.m[-1], b"e")
        self.assertEqual(self.m.find(b"e"), 3 * PAGE + 4)
        self.assertEqual(self.m[:10], DATA)

    def test_shrink_then_grow_gives_zeros(self):
        self.m.resize(2)
        self.m.resize(6)
        self.assertEqual(self.m[:], b"01\x00\x00\x00\x00")

    def test_same_size(self):
        self.m.resize(10)
        self.assertEqual(self.m[:], DATA)

    def test_position_is_kept(self):
        self.m.seek(5)
        self.m.resize(20)
        self.assertEqual(self.m.tell(), 5)

    def test_shrink_below_the_position(self):
        self.m.seek(8)
        self.m.resize(3)
        self.assertEqual(self.m.tell(), 8)
        self.assertEqual(self.m.read(5), b"")
        self.assertEqual(self.m.readline(), b"")
        self.assertRaisesMsg(ValueError, "read byte out of range", self.m.read_byte)
        self.assertRaisesMsg(ValueError, "data out of range", self.m.write, b"a")
        self.assertRaisesMsg(ValueError, "write byte out of range", self.m.write_byte, b"a")
        self.assertEqual(self.m.find(b"0"), -1)
        self.m.seek(0)
        self.assertEqual(self.m.read(5), b"012")

    def test_negative_size(self):
        for size in (-1, -2 ** 63):
            self.assertRaisesMsg(ValueError, "new size out of range", self.m.resize, size)
        self.assertEqual(len(self.m), 10)

    def test_size_too_big_for_the_file_system(self):
        self.assertErrno(mmap.error, errno.EFBIG, self.m.resize, 2 ** 63 - 1)
        self.assertEqual(len(self.m), 10)
        self.assertEqual(self.m[:], DATA)

    def test_argument_errors(self):
        self.assertRaisesMsg(TypeError, "resize() takes exactly 1 argument (0 given)", self.m.resize)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.resize, "1")
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.resize, None)
        self.assertRaisesMsg(TypeError, MSG_FLOAT, self.m.resize, 1.0)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.resize, 2 ** 63)
        self.assertEqual(len(self.m), 10)

    @deviation("resize(0) of a file map leaves the file alone (test_resize_to_zero_keeps_the_file)")
    def test_resize_to_zero_truncates_then_fails(self):
        self.assertErrno(mmap.error, errno.EINVAL, self.m.resize, 0)
        self.assertEqual(file_size(self.f.name), 0)
        # the map is not touched again: its pages now lie past the end of the file (SIGBUS)

    @unittest.skipIf(REFERENCE, "CPython 2.7 truncates the file, then faults on the next access")
    def test_resize_to_zero_keeps_the_file(self):
        # Met by the 2.7 fuzzer (CPython 2.7.18's SIGBUS): fmmap raises 2.7's error, file intact.
        self.assertErrno(mmap.error, errno.EINVAL, self.m.resize, 0)
        self.assertEqual(file_size(self.f.name), 10)
        self.assertEqual(len(self.m), 10)
        self.assertEqual(self.m[:], DATA)

    def test_resize_after_the_file_object_closed(self):
        self.f.close()
        self.m.resize(PAGE)
        self.assertEqual(self.m.size(), PAGE)
        self.assertEqual(file_size(self.f.name), PAGE)

    def test_resize_of_a_map_shorter_than_the_file(self):
        f = self.make_file(b"x" * 100)
        m = self.map_file(f, 10)
        m.resize(20)
        self.assertEqual(len(m), 20)
        self.assertEqual(file_size(f.name), 20)

    def test_other_map_of_the_file_sees_the_new_size(self):
        other = self.map_file(self.f)
        self.m.resize(30)
        self.assertEqual(other.size(), 30)
        self.assertEqual(len(other), 10)


class ResizeWithOffsetTests(MapTestCase):

    def test_resize_keeps_the_offset(self):
        f = self.make_file(b"a" * PAGE + b"b" * PAGE + b"c" * PAGE)
        m = self.map_file(f, PAGE, offset=PAGE)
        m.resize(10)
        self.assertEqual(len(m), 10)
        self.assertEqual(m[:], b"b" * 10)
        self.assertEqual(m.size(), PAGE + 10)
        self.assertEqual(file_size(f.name), PAGE + 10)
        m.resize(2 * PAGE)
        self.assertEqual(file_size(f.name), 3 * PAGE)
        self.assertEqual(m[:10], b"b" * 10)
        self.assertEqual(m[-1], b"\x00")

    def test_offset_close_to_the_limit(self):
        f = self.make_file(b"x" * (2 * PAGE))
        m = self.map_file(f, PAGE, offset=PAGE)
        self.assertRaisesMsg(ValueError, "new size out of range", m.resize, 2 ** 63 - PAGE)
        self.assertErrno(mmap.error, errno.EFBIG, m.resize, 2 ** 63 - PAGE - 1)
        self.assertEqual(len(m), PAGE)


class ResizeRefusedTests(MapTestCase):

    def test_read_and_copy_maps_cannot_resize(self):
        for kwargs in ({"access": mmap.ACCESS_READ}, {"access": mmap.ACCESS_COPY},
                       {"prot": mmap.PROT_READ}):
            m = self.make_map(DATA, **kwargs)
            self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, 20)
            # the access check comes before the range check
            self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, -1)
            self.assertEqual(len(m), 10)

    def test_map_private_flag_can_resize(self):
        f = self.make_file(DATA)
        m = self.map_file(f, flags=mmap.MAP_PRIVATE)
        m.resize(5)
        self.assertEqual(len(m), 5)
        self.assertEqual(file_size(f.name), 5)

    def test_access_write_can_resize(self):
        f = self.make_file(DATA)
        m = self.map_file(f, access=mmap.ACCESS_WRITE)
        m.resize(12)
        self.assertEqual(m[:], DATA + b"\x00\x00")


if __name__ == "__main__":
    unittest.main()
