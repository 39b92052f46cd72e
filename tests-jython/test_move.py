"""move(dest, src, count): memmove semantics and range checks."""
import unittest

from _target import mmap
from _support import MapTestCase, MSG_INT_REQUIRED, MSG_FLOAT, MSG_LONG_OVERFLOW

DATA = b"0123456789"
MSG = "source, destination, or count out of range"


def moved(data, dest, src, count):
    b = bytearray(data)
    b[dest:dest + count] = data[src:src + count]
    return bytes(b)


class MoveTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_move_returns_none(self):
        self.assertEqual(self.m.move(0, 5, 3), None)
        self.assertEqual(self.m[:], b"5673456789")

    def test_overlapping_forward_and_backward(self):
        self.m.move(2, 0, 5)
        self.assertEqual(self.m[:], b"0101234789")
        self.m[:] = DATA
        self.m.move(0, 2, 5)
        self.assertEqual(self.m[:], b"2345656789")

    def test_every_move_matches_memmove(self):
        n = len(DATA)
        for dest in range(n + 1):
            for src in range(n + 1):
                for count in range(n + 1 - max(dest, src)):
                    self.m[:] = DATA
                    self.m.move(dest, src, count)
                    self.assertEqual(self.m[:], moved(DATA, dest, src, count), (dest, src, count))

    def test_zero_count_anywhere_in_range(self):
        self.m.move(10, 10, 0)
        self.m.move(0, 10, 0)
        self.assertEqual(self.m[:], DATA)

    def test_out_of_range(self):
        cases = [(0, 0, 11), (1, 0, 10), (0, 1, 10), (11, 0, 0), (0, 11, 0), (-1, 0, 1),
                 (0, -1, 1), (0, 0, -1), (9, 0, 2), (2 ** 62, 0, 1), (0, 2 ** 63 - 1, 1),
                 (0, 0, 2 ** 63 - 1), (-2 ** 63, 0, 0)]
        for args in cases:
            self.assertRaisesMsg(ValueError, MSG, self.m.move, *args)
        self.assertEqual(self.m[:], DATA)

    def test_every_out_of_range_triple(self):
        n = len(DATA)
        for dest in range(-1, n + 2):
            for src in range(-1, n + 2):
                for count in range(-1, n + 2):
                    if min(dest, src, count) >= 0 and max(dest, src) + count <= n:
                        continue
                    self.assertRaisesMsg(ValueError, MSG, self.m.move, dest, src, count)
        self.assertEqual(self.m[:], DATA)

    def test_position_unchanged(self):
        self.m.seek(4)
        self.m.move(0, 1, 2)
        self.assertEqual(self.m.tell(), 4)

    def test_argument_errors(self):
        self.assertRaisesMsg(TypeError, "move() takes exactly 3 arguments (2 given)", self.m.move, 0, 1)
        self.assertRaisesMsg(TypeError, "move() takes exactly 3 arguments (4 given)",
                             self.m.move, 0, 1, 2, 3)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.move, "0", 1, 1)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, self.m.move, 0, None, 1)
        self.assertRaisesMsg(TypeError, MSG_FLOAT, self.m.move, 0, 1, 1.0)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.move, 2 ** 63, 0, 1)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.move, 0, 0, -2 ** 63 - 1)

    def test_move_reaches_the_file(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        m.move(0, 8, 2)
        m.flush()
        from _support import read_path
        self.assertEqual(read_path(f.name), b"8923456789")

    def test_move_across_pages(self):
        page = mmap.PAGESIZE
        m = self.anon(3 * page)
        m[page - 2:page + 2] = b"ABCD"
        m.move(2 * page + 10, page - 2, 4)
        self.assertEqual(m[2 * page + 10:2 * page + 14], b"ABCD")
        m.move(0, 0, 3 * page)
        self.assertEqual(m[page - 2:page + 2], b"ABCD")


if __name__ == "__main__":
    unittest.main()
