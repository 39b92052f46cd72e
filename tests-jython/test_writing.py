"""write(str) and write_byte(char): 2.7 argument rules, range errors, position."""
import array
import unittest

from _target import mmap
from _support import MapTestCase, read_path

DATA = b"abcdefghij"


class WriteTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f)

    def test_write_returns_none_and_advances(self):
        self.assertEqual(self.m.write(b"XY"), None)
        self.assertEqual(self.m.tell(), 2)
        self.assertEqual(self.m[:], b"XYcdefghij")

    def test_write_at_position(self):
        self.m.seek(7)
        self.m.write(b"123")
        self.assertEqual(self.m[:], b"abcdefg123")
        self.assertEqual(self.m.tell(), 10)

    def test_write_reaches_the_file(self):
        self.m.seek(3)
        self.m.write(b"___")
        self.m.flush()
        self.assertEqual(read_path(self.f.name), b"abc___ghij")

    def test_write_past_end(self):
        self.m.seek(8)
        self.assertRaisesMsg(ValueError, "data out of range", self.m.write, b"abc")
        self.assertEqual(self.m.tell(), 8)
        self.assertEqual(self.m[:], DATA)

    def test_write_longer_than_map(self):
        self.assertRaisesMsg(ValueError, "data out of range", self.m.write, b"x" * 11)
        self.assertEqual(self.m[:], DATA)

    def test_write_empty(self):
        self.m.seek(4)
        self.assertEqual(self.m.write(b""), None)
        self.assertEqual(self.m.tell(), 4)

    def test_write_empty_at_end(self):
        self.m.seek(0, 2)
        self.assertEqual(self.m.write(b""), None)
        self.assertEqual(self.m.tell(), 10)
        self.assertRaisesMsg(ValueError, "data out of range", self.m.write, b"x")

    def test_write_whole_map(self):
        self.m.write(b"0123456789")
        self.assertEqual(self.m[:], b"0123456789")
        self.assertEqual(self.m.tell(), 10)

    def test_write_ascii_unicode_is_encoded(self):
        self.m.write(u"uv")
        self.assertEqual(self.m[:3], b"uvc")

    def test_write_non_ascii_unicode(self):
        with self.assertRaises(UnicodeEncodeError) as cm:
            self.m.write(u"\xe9")
        self.assertEqual(cm.exception.encoding, "ascii")
        self.assertEqual(self.m[:], DATA)
        self.assertEqual(self.m.tell(), 0)

    def test_write_read_only_buffer(self):
        self.m.write(buffer(b"0123", 1, 2))
        self.assertEqual(self.m[:3], b"12c")

    def test_write_array_and_map(self):
        # Found by the 2.7 fuzzer: 2.7's "s#" takes any read-only (old-style) buffer, so an
        # array.array and another map are written as the bytes they hold.
        self.m.write(array.array("b", b"01"))
        self.assertEqual(self.m[:3], b"01c")
        self.m.write(self.anon(2))
        self.assertEqual(self.m[:5], b"01\x00\x00e")
        self.assertEqual(self.m.tell(), 4)

    def test_write_closed_map_as_data(self):
        other = self.anon(2)
        other.close()
        self.assertRaisesMsg(ValueError, "mmap closed or invalid", self.m.write, other)

    def test_write_refuses_writable_buffers_and_others(self):
        for value, name in ((bytearray(b"ab"), "bytearray"), (memoryview(b"ab"), "memoryview"),
                            (1, "int"), (None, "None"), ([b"a"], "list")):
            self.assertRaisesMsg(TypeError,
                                 "write() argument 1 must be string or read-only buffer, not " + name,
                                 self.m.write, value)
        self.assertEqual(self.m[:], DATA)

    def test_write_argument_count(self):
        self.assertRaisesMsg(TypeError, "write() takes exactly 1 argument (0 given)", self.m.write)
        self.assertRaisesMsg(TypeError, "write() takes exactly 1 argument (2 given)",
                             self.m.write, b"a", b"b")

    def test_write_all_byte_values(self):
        m = self.anon(256)
        data = b"".join(chr(i) for i in range(256))
        m.write(data)
        self.assertEqual(m[:], data)


class WriteByteTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_write_byte_returns_none_and_advances(self):
        self.assertEqual(self.m.write_byte(b"Z"), None)
        self.assertEqual(self.m.tell(), 1)
        self.assertEqual(self.m[:2], b"Zb")

    def test_write_byte_each_position(self):
        for c in b"0123456789":
            self.m.write_byte(c)
        self.assertEqual(self.m[:], b"0123456789")

    def test_write_byte_at_end(self):
        self.m.seek(0, 2)
        self.assertRaisesMsg(ValueError, "write byte out of range", self.m.write_byte, b"x")
        self.assertEqual(self.m.tell(), 10)

    def test_write_byte_high_values(self):
        self.m.write_byte(b"\xff")
        self.m.write_byte(b"\x00")
        self.assertEqual(self.m[:3], b"\xff\x00c")

    def test_write_byte_wants_a_char(self):
        for value, name in ((97, "int"), (b"ab", "str"), (b"", "str"), (u"a", "unicode"),
                            (bytearray(b"a"), "bytearray"), (None, "None")):
            self.assertRaisesMsg(TypeError, "write_byte() argument 1 must be char, not " + name,
                                 self.m.write_byte, value)
        self.assertEqual(self.m.tell(), 0)
        self.assertEqual(self.m[:], DATA)

    def test_write_byte_argument_count(self):
        self.assertRaisesMsg(TypeError, "write_byte() takes exactly 1 argument (0 given)",
                             self.m.write_byte)


if __name__ == "__main__":
    unittest.main()
