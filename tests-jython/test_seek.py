"""seek(pos[, whence]) and tell()."""
import unittest

from _target import mmap
from _support import (MapTestCase, Idx, MSG_INT_REQUIRED, MSG_FLOAT, MSG_LONG_OVERFLOW,
                      MSG_INT_OVERFLOW)

DATA = b"0123456789"


class SeekTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_tell_starts_at_zero(self):
        self.assertEqual(self.m.tell(), 0)

    def test_seek_returns_none(self):
        self.assertEqual(self.m.seek(3), None)
        self.assertEqual(self.m.tell(), 3)

    def test_seek_absolute(self):
        for pos in (0, 1, 9, 10):
            self.m.seek(pos)
            self.assertEqual(self.m.tell(), pos)
            self.m.seek(pos, 0)
            self.assertEqual(self.m.tell(), pos)

    def test_seek_relative(self):
        self.m.seek(4)
        self.m.seek(3, 1)
        self.assertEqual(self.m.tell(), 7)
        self.m.seek(-7, 1)
        self.assertEqual(self.m.tell(), 0)
        self.m.seek(0, 1)
        self.assertEqual(self.m.tell(), 0)

    def test_seek_from_end(self):
        self.m.seek(0, 2)
        self.assertEqual(self.m.tell(), 10)
        self.m.seek(-10, 2)
        self.assertEqual(self.m.tell(), 0)
        self.m.seek(-1, 2)
        self.assertEqual(self.m.read(1), b"9")

    def test_seek_to_end_is_allowed(self):
        self.m.seek(10)
        self.assertEqual(self.m.read(1), b"")

    def test_seek_out_of_range(self):
        cases = [(11, 0), (-1, 0), (1, 2), (-11, 2), (2 ** 62, 0), (-2 ** 63, 0),
                 (2 ** 63 - 1, 2), (-2 ** 63, 2)]
        self.m.seek(5)
        for pos, whence in cases:
            self.assertRaisesMsg(ValueError, "seek out of range", self.m.seek, pos, whence)
        for delta in (6, -6, 2 ** 63 - 1, -2 ** 63):
            self.assertRaisesMsg(ValueError, "seek out of range", self.m.seek, delta, 1)
        self.assertEqual(self.m.tell(), 5)

    def test_unknown_whence(self):
        for whence in (3, -1, 100):
            self.assertRaisesMsg(ValueError, "unknown seek type", self.m.seek, 0, whence)
        self.assertEqual(self.m.tell(), 0)

    def test_whence_is_checked_before_the_position(self):
        self.assertRaisesMsg(ValueError, "unknown seek type", self.m.seek, 100, 3)

    def test_seek_argument_types(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.seek, "1")
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.seek, None)
        self.assertRaisesMsg(TypeError, MSG_FLOAT, self.m.seek, 1.0)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.seek, Idx(1))
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.seek, 0, "1")
        self.assertRaisesMsg(TypeError, MSG_FLOAT, self.m.seek, 0, 1.0)
        self.assertRaisesMsg(TypeError, "seek() takes at least 1 argument (0 given)", self.m.seek)
        self.assertRaisesMsg(TypeError, "seek() takes at most 2 arguments (3 given)",
                             self.m.seek, 0, 0, 0)

    def test_seek_overflow(self):
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.seek, 2 ** 63)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.seek, -2 ** 63 - 1)
        self.assertRaisesMsg(OverflowError, MSG_INT_OVERFLOW, self.m.seek, 0, 2 ** 31)
        self.assertRaisesMsg(OverflowError, "signed integer is less than minimum",
                             self.m.seek, 0, -2 ** 31 - 1)

    def test_whence_beyond_a_c_long(self):
        # Found by the 2.7 fuzzer: format "i" converts to a C long first, so a whence beyond
        # 64 bits gets the C long's overflow message, not the int's.
        for whence in (2 ** 63, 2 ** 64, -2 ** 63 - 1):
            self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.seek, 0, whence)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, mmap.mmap, -1, 10, flags=2 ** 64)
        self.assertRaisesMsg(OverflowError, MSG_INT_OVERFLOW, mmap.mmap, -1, 10, flags=2 ** 63 - 1)

    def test_seek_accepts_long_and_bool(self):
        self.m.seek(long(4))
        self.assertEqual(self.m.tell(), 4)
        self.m.seek(True, 1)
        self.assertEqual(self.m.tell(), 5)

    def test_tell_is_an_int(self):
        self.m.seek(7)
        self.assertTrue(isinstance(self.m.tell(), (int, long)))
        self.assertEqual(self.m.tell(), 7)

    def test_tell_takes_no_arguments(self):
        self.assertRaisesMsg(TypeError, "tell() takes no arguments (1 given)", self.m.tell, 1)

    def test_read_write_and_readline_move_the_position(self):
        self.m.read(2)
        self.m.write(b"ab")
        self.m.read_byte()
        self.m.write_byte(b"c")
        self.assertEqual(self.m.tell(), 6)
        self.m.readline()
        self.assertEqual(self.m.tell(), 10)

    def test_slicing_and_find_leave_the_position(self):
        self.m.seek(3)
        self.m[0:2]
        self.m[5]
        self.m[1] = b"x"
        self.m[2:4] = b"yz"
        self.m.find(b"9")
        self.m.rfind(b"0")
        self.m.move(0, 1, 2)
        self.m.flush()
        self.m.size()
        len(self.m)
        self.assertEqual(self.m.tell(), 3)


if __name__ == "__main__":
    unittest.main()
