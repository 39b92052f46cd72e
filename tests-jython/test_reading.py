"""read(n), read_byte(), readline(): str results, position handling and clamping."""
import unittest

from _target import mmap
from _support import (MapTestCase, Idx, MSG_INT_REQUIRED, MSG_FLOAT, MSG_LONG_OVERFLOW)

DATA = b"line one\nline two\n\nlast"   # 23 bytes, no final newline


class ReadTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_read_returns_str_and_advances(self):
        r = self.m.read(4)
        self.assertTrue(type(r) is str)
        self.assertEqual(r, b"line")
        self.assertEqual(self.m.tell(), 4)
        self.assertEqual(self.m.read(5), b" one\n")
        self.assertEqual(self.m.tell(), 9)

    def test_read_zero(self):
        self.assertEqual(self.m.read(0), b"")
        self.assertEqual(self.m.tell(), 0)

    def test_read_is_clamped_to_the_end(self):
        self.m.seek(20)
        self.assertEqual(self.m.read(100), b"ast")
        self.assertEqual(self.m.tell(), len(DATA))

    def test_read_huge_count_is_clamped(self):
        self.m.seek(5)
        self.assertEqual(self.m.read(2 ** 63 - 1), DATA[5:])
        self.assertEqual(self.m.tell(), len(DATA))

    def test_negative_count_reads_the_rest(self):
        for n in (-1, -2, -2 ** 63):
            self.m.seek(10)
            self.assertEqual(self.m.read(n), DATA[10:])
            self.assertEqual(self.m.tell(), len(DATA))

    def test_read_at_end_returns_empty(self):
        self.m.seek(0, 2)
        self.assertEqual(self.m.read(1), b"")
        self.assertEqual(self.m.read(-1), b"")
        self.assertEqual(self.m.tell(), len(DATA))

    def test_read_long_count(self):
        self.assertEqual(self.m.read(long(3)), b"lin")

    def test_read_needs_an_argument(self):
        self.assertRaisesMsg(TypeError, "read() takes exactly 1 argument (0 given)", self.m.read)

    def test_read_argument_types(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.read, None)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.read, "3")
        self.assertRaisesMsg(TypeError, MSG_FLOAT, self.m.read, 1.5)
        # the "n" format of 2.7 does not take __index__
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.read, Idx(1))
        self.assertEqual(self.m.tell(), 0)

    def test_int_method_must_return_an_integer(self):
        # Found by the 2.7 fuzzer: 2.7's own message when __int__ returns something else.
        class IntGivesFloat(object):
            def __int__(self):
                return 1.5

        class IntGivesLong(object):
            def __int__(self):
                return long(2)

        self.assertRaisesMsg(TypeError, "__int__ method should return an integer",
                             self.m.read, IntGivesFloat())
        self.assertRaisesMsg(TypeError, "__int__ method should return an integer",
                             self.m.seek, 0, IntGivesFloat())
        self.assertEqual(self.m.read(IntGivesLong()), b"li")

    def test_read_count_overflow(self):
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.read, 2 ** 63)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.read, -2 ** 63 - 1)
        self.assertEqual(self.m.tell(), 0)

    def test_read_sees_writes(self):
        self.m[0:4] = b"LINE"
        self.assertEqual(self.m.read(6), b"LINE o")

    def test_read_whole_map_piecewise(self):
        out = []
        while True:
            chunk = self.m.read(5)
            if not chunk:
                break
            out.append(chunk)
        self.assertEqual(b"".join(out), DATA)
        self.assertEqual([len(c) for c in out], [5, 5, 5, 5, 3])


class ReadByteTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_read_byte_returns_one_char_str(self):
        b = self.m.read_byte()
        self.assertTrue(type(b) is str)
        self.assertEqual(b, b"l")
        self.assertEqual(self.m.tell(), 1)

    def test_read_byte_all(self):
        got = [self.m.read_byte() for _ in range(len(DATA))]
        self.assertEqual(b"".join(got), DATA)

    def test_read_byte_at_end(self):
        self.m.seek(0, 2)
        self.assertRaisesMsg(ValueError, "read byte out of range", self.m.read_byte)
        self.assertEqual(self.m.tell(), len(DATA))

    def test_read_byte_of_high_bytes(self):
        m = self.make_map(b"\x00\x80\xff")
        self.assertEqual([m.read_byte() for _ in range(3)], [b"\x00", b"\x80", b"\xff"])

    def test_read_byte_takes_no_arguments(self):
        self.assertRaisesMsg(TypeError, "read_byte() takes no arguments (1 given)",
                             self.m.read_byte, 1)


class ReadlineTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_lines(self):
        lines = [self.m.readline() for _ in range(6)]
        self.assertEqual(lines, [b"line one\n", b"line two\n", b"\n", b"last", b"", b""])
        self.assertTrue(all(type(line) is str for line in lines))
        self.assertEqual(self.m.tell(), len(DATA))

    def test_readline_from_the_middle(self):
        self.m.seek(5)
        self.assertEqual(self.m.readline(), b"one\n")
        self.assertEqual(self.m.tell(), 9)

    def test_readline_from_a_newline(self):
        self.m.seek(8)
        self.assertEqual(self.m.readline(), b"\n")

    def test_readline_without_newline(self):
        m = self.make_map(b"no newline here")
        self.assertEqual(m.readline(), b"no newline here")
        self.assertEqual(m.tell(), 15)

    def test_readline_only_newlines(self):
        m = self.make_map(b"\n\n\r\n")
        self.assertEqual([m.readline() for _ in range(4)], [b"\n", b"\n", b"\r\n", b""])

    def test_readline_takes_no_limit(self):
        self.assertRaisesMsg(TypeError, "readline() takes no arguments (1 given)",
                             self.m.readline, 5)

    def test_readline_long_line(self):
        data = b"x" * 10000 + b"\n" + b"y"
        m = self.make_map(data)
        self.assertEqual(m.readline(), data[:10001])
        self.assertEqual(m.readline(), b"y")


if __name__ == "__main__":
    unittest.main()
