"""flush([offset[, size]]): succeeds, checks its range, syncs to the file.

CPython 2.7 returns 0 (0L for ACCESS_READ/ACCESS_COPY); Python 3.8+ returns
None. The return value is deliberately not asserted here.
"""
import errno
import unittest

from _target import mmap
from _support import MapTestCase, PAGE, read_path, MSG_INT_REQUIRED, MSG_CLOSED

MSG = "flush values out of range"


class FlushTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(b"x" * (2 * PAGE + 10))
        self.m = self.map_file(self.f)

    def test_flush_whole_map_reaches_the_file(self):
        self.m[0:3] = b"abc"
        self.m[-1] = b"z"
        self.m.flush()
        data = read_path(self.f.name)
        self.assertEqual(data[:3], b"abc")
        self.assertEqual(data[-1:], b"z")

    def test_flush_page_ranges(self):
        self.m.flush(0, 10)
        self.m.flush(0)
        self.m.flush(PAGE, PAGE)
        self.m.flush(0, 2 * PAGE + 10)
        self.m.flush(2 * PAGE, 10)
        self.m.flush(0, 0)
        self.m.flush(2 * PAGE, 0)
        self.m.flush(long(0), long(1))

    def test_flush_out_of_range(self):
        n = 2 * PAGE + 10
        for args in ((-1,), (0, -1), (0, n + 1), (n + 1,), (n, 1), (PAGE, n),
                     (2 ** 62,), (0, 2 ** 63 - 1), (-2 ** 63, 0)):
            self.assertRaisesMsg(ValueError, MSG, self.m.flush, *args)

    def test_flush_unaligned_offset(self):
        self.assertErrno(mmap.error, errno.EINVAL, self.m.flush, 1, 10)
        self.assertErrno(mmap.error, errno.EINVAL, self.m.flush, PAGE - 1, 0)
        self.assertErrno(mmap.error, errno.EINVAL, self.m.flush, 2 * PAGE + 10, 0)

    def test_offset_alone_keeps_the_whole_size(self):
        # size defaults to the map's whole length, not to what follows offset
        self.assertRaisesMsg(ValueError, MSG, self.m.flush, 1)
        self.assertRaisesMsg(ValueError, MSG, self.m.flush, PAGE)

    def test_flush_argument_errors(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.flush, "0")
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.flush, 0, None)
        self.assertRaisesMsg(TypeError, "flush() takes at most 2 arguments (3 given)",
                             self.m.flush, 0, 1, 2)

    def test_flush_closed(self):
        self.m.close()
        self.assertRaisesMsg(ValueError, MSG_CLOSED, self.m.flush)
        self.assertRaisesMsg(ValueError, MSG_CLOSED, self.m.flush, 0, 1)

    def test_flush_read_and_copy_maps(self):
        for access in (mmap.ACCESS_READ, mmap.ACCESS_COPY):
            m = self.map_file(self.f, access=access)
            m.flush()
            m.flush(1, 2)     # no msync: an unaligned offset is not checked
            self.assertRaisesMsg(ValueError, MSG, m.flush, 0, 2 * PAGE + 11)

    def test_copy_map_flush_does_not_reach_the_file(self):
        m = self.map_file(self.f, access=mmap.ACCESS_COPY)
        m[0] = b"C"
        m.flush()
        self.assertEqual(read_path(self.f.name)[:1], b"x")

    def test_flush_anonymous(self):
        m = self.anon(PAGE)
        m[0] = b"a"
        m.flush()
        m.flush(0, PAGE)
        self.assertEqual(m[0], b"a")


if __name__ == "__main__":
    unittest.main()
