"""The offset argument: page multiples, bad offsets, positions relative to it."""
import errno
import unittest

from _target import mmap
from _support import MapTestCase, PAGE, read_path, MSG_INT_REQUIRED, MSG_LONG_OVERFLOW

CONTENT = b"A" * PAGE + b"B" * PAGE + b"C" * 10


class OffsetTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(CONTENT)
        self.fd = self.f.fileno()

    def test_offset_one_page(self):
        m = self.map_file(self.f, offset=PAGE)
        self.assertEqual(len(m), PAGE + 10)
        self.assertEqual(m[0], b"B")
        self.assertEqual(m[-1], b"C")
        self.assertEqual(m.size(), 2 * PAGE + 10)
        self.assertEqual(m.tell(), 0)

    def test_offset_with_length(self):
        m = self.map_file(self.f, PAGE + 5, offset=PAGE)
        self.assertEqual(m[:], b"B" * PAGE + b"C" * 5)

    def test_offset_last_partial_page(self):
        m = self.map_file(self.f, offset=2 * PAGE)
        self.assertEqual(m[:], b"C" * 10)

    def test_offset_as_long_and_allocation_granularity(self):
        m = self.map_file(self.f, 4, offset=long(mmap.ALLOCATIONGRANULARITY))
        self.assertEqual(m[:], b"BBBB")

    def test_positions_are_relative_to_the_offset(self):
        m = self.map_file(self.f, offset=PAGE)
        m.seek(PAGE)
        self.assertEqual(m.read(3), b"CCC")
        self.assertEqual(m.find(b"C", 0), PAGE)
        self.assertEqual(m.rfind(b"B", 0), PAGE - 1)
        m.seek(0, 2)
        self.assertEqual(m.tell(), PAGE + 10)

    def test_writes_land_at_the_offset(self):
        m = self.map_file(self.f, offset=PAGE)
        m[0] = b"b"
        m.seek(PAGE)
        m.write(b"cc")
        m.flush()
        data = read_path(self.f.name)
        self.assertEqual(data[PAGE - 1:PAGE + 1], b"Ab")
        self.assertEqual(data[2 * PAGE:2 * PAGE + 3], b"ccC")

    def test_unaligned_offsets(self):
        for offset in (1, PAGE - 1, PAGE + 1, PAGE // 2):
            self.assertErrno(mmap.error, errno.EINVAL, mmap.mmap, self.fd, 0, offset=offset)
            self.assertErrno(mmap.error, errno.EINVAL, mmap.mmap, self.fd, 10, offset=offset)

    def test_offset_at_or_beyond_the_end(self):
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, self.fd, 0, offset=3 * PAGE)
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, self.fd, 0, offset=2 ** 40)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, self.fd, 1, offset=3 * PAGE)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, self.fd, 11, offset=2 * PAGE)

    def test_offset_plus_length_beyond_the_end(self):
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, self.fd, PAGE + 11, offset=PAGE)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, self.fd, 2 ** 62, offset=PAGE)

    def test_offset_exactly_at_the_end_with_length_zero_on_a_page_boundary(self):
        f = self.make_file(b"x" * (2 * PAGE))
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, f.fileno(), 0, offset=2 * PAGE)

    def test_negative_offsets(self):
        for offset in (-1, -PAGE):
            self.assertRaisesMsg(OverflowError, "memory mapped offset must be positive",
                                 mmap.mmap, self.fd, 0, offset=offset)

    def test_offset_types_and_overflow(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.fd, 0, offset=None)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, mmap.mmap, self.fd, 0, offset=2 ** 63)

    def test_offset_with_access_modes(self):
        r = self.map_file(self.f, access=mmap.ACCESS_READ, offset=PAGE)
        c = self.map_file(self.f, access=mmap.ACCESS_COPY, offset=PAGE)
        w = self.map_file(self.f, access=mmap.ACCESS_WRITE, offset=PAGE)
        c[0] = b"x"
        self.assertEqual(r[0], b"B")
        w[0] = b"y"
        self.assertEqual(r[0], b"y")
        self.assertEqual(c[0], b"x")

    def test_offset_six_positional(self):
        m = self.track(mmap.mmap(self.fd, 3, mmap.MAP_SHARED, mmap.PROT_READ, 0, PAGE))
        self.assertEqual(m[:], b"BBB")


if __name__ == "__main__":
    unittest.main()
