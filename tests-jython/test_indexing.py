"""m[i], m[i:j], m[i:j:k], item and slice assignment, deletion."""
import unittest

from _target import mmap
from _support import MapTestCase, Idx, MSG_INDEX_OVERFLOW

DATA = b"0123456789abcdef"   # 16 bytes
N = len(DATA)


class GetItemTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_item_is_one_char_str(self):
        self.assertTrue(type(self.m[0]) is str)
        self.assertEqual([self.m[i] for i in range(N)], list(DATA))

    def test_negative_indices(self):
        for i in range(1, N + 1):
            self.assertEqual(self.m[-i], DATA[-i])

    def test_index_types(self):
        self.assertEqual(self.m[long(3)], b"3")
        self.assertEqual(self.m[True], b"1")
        self.assertEqual(self.m[Idx(10)], b"a")
        self.assertEqual(self.m[Idx(-1)], b"f")

    def test_index_out_of_range(self):
        for i in (N, N + 1, -N - 1, 2 ** 31, -2 ** 31, 2 ** 63 - 1, -2 ** 63):
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__getitem__, i)

    def test_index_beyond_ssize_t(self):
        for i in (2 ** 63, -2 ** 63 - 1, 2 ** 100):
            self.assertRaisesMsg(IndexError, MSG_INDEX_OVERFLOW, self.m.__getitem__, i)

    def test_index_beyond_ssize_t_names_its_type(self):
        # Found by the 2.7 fuzzer: the message names the subscript's own type, not 'long'.
        self.assertRaisesMsg(IndexError, "cannot fit 'Idx' into an index-sized integer",
                             self.m.__getitem__, Idx(2 ** 63))
        self.assertRaisesMsg(IndexError, "cannot fit 'Idx' into an index-sized integer",
                             self.m.__setitem__, Idx(-2 ** 63 - 1), b"x")
        self.assertRaisesMsg(IndexError, "cannot fit 'Idx' into an index-sized integer",
                             self.m.__delitem__, Idx(2 ** 64))

    def test_non_integer_index(self):
        for i in ("1", 1.0, None, [1], (1,)):
            self.assertRaisesMsg(TypeError, "mmap indices must be integers", self.m.__getitem__, i)

    def test_high_bytes(self):
        m = self.make_map(b"\x00\x7f\x80\xff")
        self.assertEqual([m[i] for i in range(4)], [b"\x00", b"\x7f", b"\x80", b"\xff"])


class SliceTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_simple_slices(self):
        self.assertEqual(self.m[:], DATA)
        self.assertTrue(type(self.m[:]) is str)
        self.assertEqual(self.m[2:5], b"234")
        self.assertEqual(self.m[:3], b"012")
        self.assertEqual(self.m[13:], b"def")
        self.assertEqual(self.m[-3:], b"def")
        self.assertEqual(self.m[-5:-2], b"bcd")

    def test_slices_are_clamped(self):
        self.assertEqual(self.m[10:100], DATA[10:])
        self.assertEqual(self.m[-100:3], b"012")
        self.assertEqual(self.m[100:200], b"")
        self.assertEqual(self.m[5:2], b"")
        self.assertEqual(self.m[0:2 ** 80], DATA)
        self.assertEqual(self.m[2 ** 63:], b"")
        self.assertEqual(self.m[-2 ** 80:2], b"01")

    def test_every_simple_slice_matches_str(self):
        bounds = list(range(-N - 2, N + 3)) + [None]
        for i in bounds:
            for j in bounds:
                self.assertEqual(self.m[i:j], DATA[i:j], (i, j))

    def test_extended_slices_match_str(self):
        bounds = [None, 0, 1, 3, 7, 15, 16, 30, -1, -3, -16, -30]
        for start in bounds:
            for stop in bounds:
                for step in (1, 2, 3, 5, 17, -1, -2, -3, -17, 2 ** 63 - 1, -2 ** 63):
                    self.assertEqual(self.m[start:stop:step], DATA[start:stop:step],
                                     (start, stop, step))

    def test_reverse(self):
        self.assertEqual(self.m[::-1], DATA[::-1])
        self.assertEqual(self.m[4:1:-2], b"42")

    def test_slice_object_and_index_bounds(self):
        self.assertEqual(self.m[slice(1, 4)], b"123")
        self.assertEqual(self.m[Idx(1):Idx(4)], b"123")
        self.assertEqual(self.m[long(1):long(4):long(2)], b"13")

    def test_zero_step(self):
        self.assertRaisesMsg(ValueError, "slice step cannot be zero", self.m.__getitem__,
                             slice(None, None, 0))

    def test_non_integer_bounds(self):
        msg = "slice indices must be integers or None or have an __index__ method"
        self.assertRaisesMsg(TypeError, msg, self.m.__getitem__, slice(1, "a"))
        self.assertRaisesMsg(TypeError, msg, self.m.__getitem__, slice(1.0, 2))

    def test_slices_ignore_and_keep_the_position(self):
        self.m.seek(7)
        self.assertEqual(self.m[0:2], b"01")
        self.assertEqual(self.m.tell(), 7)


class SetItemTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f)

    def test_set_item(self):
        self.m[0] = b"X"
        self.m[-1] = b"Y"
        self.m[Idx(5)] = b"\xff"
        self.assertEqual(self.m[:], b"X1234\xff6789abcdeY")

    def test_set_item_wants_one_char_str(self):
        msg = "mmap assignment must be single-character string"
        for value in (88, b"", b"ab", u"a", bytearray(b"a"), buffer(b"a"), None):
            self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, 0, value)
        self.assertEqual(self.m[:], DATA)

    def test_set_item_out_of_range(self):
        for i in (N, -N - 1, 2 ** 62):
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__setitem__, i, b"x")
            # the range is checked before the value
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__setitem__, i, 1)

    def test_set_item_beyond_ssize_t(self):
        self.assertRaisesMsg(IndexError, MSG_INDEX_OVERFLOW, self.m.__setitem__, 2 ** 63, b"x")

    def test_set_item_non_integer_index(self):
        for i in ("1", 1.0, None):
            self.assertRaisesMsg(TypeError, "mmap indices must be integer", self.m.__setitem__, i, b"x")

    def test_set_slice(self):
        self.m[0:3] = b"ABC"
        self.m[-2:] = b"YZ"
        self.assertEqual(self.m[:], b"ABC3456789abcdYZ")

    def test_set_slice_clamped(self):
        self.m[14:100] = b"!!"
        self.m[-100:1] = b"?"
        self.assertEqual(self.m[:], b"?123456789abcd!!")

    def test_set_empty_slice(self):
        self.m[5:5] = b""
        self.m[10:2] = b""
        self.assertEqual(self.m[:], DATA)

    def test_set_slice_wrong_size(self):
        msg = "mmap slice assignment is wrong size"
        self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(0, 2), b"abc")
        self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(0, 2), b"a")
        self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(0, 4, 2), b"abc")
        self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(14, 20), b"abcdef")
        self.assertEqual(self.m[:], DATA)

    def test_set_slice_wants_str(self):
        msg = "mmap slice assignment must be a string"
        for value in (u"ab", bytearray(b"ab"), buffer(b"ab"), memoryview(b"ab"), 5, None):
            self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(0, 2), value)
            self.assertRaisesMsg(IndexError, msg, self.m.__setitem__, slice(0, 4, 2), value)
        self.assertEqual(self.m[:], DATA)

    def test_set_extended_slices_match_bytearray(self):
        bounds = [None, 0, 2, 5, 15, 16, 40, -1, -5, -40]
        for start in bounds:
            for stop in bounds:
                for step in (1, 2, 3, -1, -2, -5, 2 ** 63 - 1):
                    expected = bytearray(DATA)
                    n = len(expected[start:stop:step])
                    value = b"".join(chr(65 + k % 26) for k in range(n))
                    expected[start:stop:step] = value
                    self.m[:] = DATA
                    self.m[start:stop:step] = value
                    self.assertEqual(self.m[:], bytes(expected), (start, stop, step))

    def test_set_slice_zero_step(self):
        self.assertRaisesMsg(ValueError, "slice step cannot be zero", self.m.__setitem__,
                             slice(None, None, 0), b"a")

    def test_slice_assignment_reaches_the_file(self):
        self.m[4:8] = b"wxyz"
        self.m.flush()
        from _support import read_path
        self.assertEqual(read_path(self.f.name), b"0123wxyz89abcdef")

    def test_set_slice_from_another_map(self):
        other = self.anon(4)
        other[:] = b"QRST"
        self.m[0:4] = other[:]
        self.assertEqual(self.m[:5], b"QRST4")


class DeleteTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_delete_item(self):
        self.assertRaisesMsg(TypeError, "mmap object doesn't support item deletion",
                             self.m.__delitem__, 0)
        self.assertRaisesMsg(TypeError, "mmap object doesn't support item deletion",
                             self.m.__delitem__, -1)

    def test_delete_item_out_of_range(self):
        self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__delitem__, N)

    def test_delete_slice(self):
        msg = "mmap object doesn't support slice deletion"
        self.assertRaisesMsg(TypeError, msg, self.m.__delitem__, slice(0, 2))
        self.assertRaisesMsg(TypeError, msg, self.m.__delitem__, slice(None, None, 2))
        self.assertRaisesMsg(TypeError, msg, self.m.__delitem__, slice(5, 1))

    def test_delete_slice_checks_its_bounds_first(self):
        # Found by the 2.7 fuzzer: a slice's bounds are converted before deletion is refused.
        self.assertRaisesMsg(TypeError,
                             "slice indices must be integers or None or have an __index__ method",
                             self.m.__delitem__, slice(1.0, 2))
        self.assertRaisesMsg(ValueError, "slice step cannot be zero",
                             self.m.__delitem__, slice(None, None, 0))
        with self.assertRaises(TypeError) as cm:
            del self.m["1":2]
        self.assertEqual(str(cm.exception),
                         "slice indices must be integers or None or have an __index__ method")
        self.assertEqual(self.m[:], DATA)

    def test_del_statements(self):
        with self.assertRaises(TypeError):
            del self.m[1]
        with self.assertRaises(TypeError):
            del self.m[1:3]
        with self.assertRaises(TypeError):
            del self.m[::3]
        self.assertEqual(self.m[:], DATA)

    def test_delete_bad_index(self):
        self.assertRaisesMsg(TypeError, "mmap indices must be integer", self.m.__delitem__, "a")


if __name__ == "__main__":
    unittest.main()
