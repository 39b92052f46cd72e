"""find(sub[, start[, end]]) and rfind(...): str/buffer needles, slice-like clamping."""
import array
import unittest

from _target import mmap
from _support import MapTestCase, deviation, MSG_INT_REQUIRED, MSG_FLOAT, MSG_LONG_OVERFLOW

DATA = b"abcabcXYZabc"   # 12 bytes
N = len(DATA)


def clamp(start, end):
    if start < 0:
        start = max(start + N, 0)
    if end < 0:
        end = max(end + N, 0)
    return min(start, N), min(end, N)


def expected_find(sub, start, end, reverse):
    """What find/rfind answer: the lowest (highest) i with start <= i and
    i + len(sub) <= end, else -1 -- as str.find over DATA[start:end]."""
    start, end = clamp(start, end)
    if end < start:
        return -1
    if reverse:
        r = DATA[start:end].rfind(sub)
    else:
        r = DATA[start:end].find(sub)
    return r if r < 0 else r + start


class FindTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_find(self):
        self.assertEqual(self.m.find(b"abc"), 0)
        self.assertEqual(self.m.find(b"XYZ"), 6)
        self.assertEqual(self.m.find(b"c"), 2)
        self.assertEqual(self.m.find(b"zzz"), -1)
        self.assertEqual(self.m.find(b"abcd"), -1)

    def test_rfind(self):
        self.assertEqual(self.m.rfind(b"abc"), 9)
        self.assertEqual(self.m.rfind(b"XYZ"), 6)
        self.assertEqual(self.m.rfind(b"a"), 9)
        self.assertEqual(self.m.rfind(b"zzz"), -1)

    def test_whole_and_longer_needle(self):
        self.assertEqual(self.m.find(DATA), 0)
        self.assertEqual(self.m.rfind(DATA), 0)
        self.assertEqual(self.m.find(DATA + b"!"), -1)
        self.assertEqual(self.m.rfind(b"!" + DATA), -1)

    def test_results_are_ints(self):
        self.assertTrue(isinstance(self.m.find(b"X"), (int, long)))
        self.assertTrue(isinstance(self.m.rfind(b"Q"), (int, long)))

    def test_default_start_is_the_position(self):
        self.m.seek(1)
        self.assertEqual(self.m.find(b"abc"), 3)
        self.assertEqual(self.m.rfind(b"abc"), 9)
        self.m.seek(4)
        self.assertEqual(self.m.find(b"abc"), 9)
        self.m.seek(10)
        self.assertEqual(self.m.find(b"abc"), -1)
        self.assertEqual(self.m.rfind(b"abc"), -1)
        self.assertEqual(self.m.rfind(b"bc"), 10)

    def test_position_is_not_moved(self):
        self.m.seek(2)
        self.m.find(b"XYZ")
        self.m.rfind(b"abc", 0)
        self.assertEqual(self.m.tell(), 2)

    def test_empty_needle(self):
        self.assertEqual(self.m.find(b""), 0)
        self.assertEqual(self.m.find(b"", 5), 5)
        self.assertEqual(self.m.find(b"", 100), N)
        self.assertEqual(self.m.rfind(b""), N)
        self.assertEqual(self.m.rfind(b"", 2, 7), 7)
        self.assertEqual(self.m.find(b"", 3, 1), -1)
        self.assertEqual(self.m.rfind(b"", 3, 1), -1)
        self.m.seek(0, 2)
        self.assertEqual(self.m.find(b""), N)

    def test_every_start_end_matches_str(self):
        bounds = list(range(-N - 2, N + 3))
        needles = [b"abc", b"a", b"c", b"bcX", b"Zab", b"", DATA, b"q"]
        for sub in needles:
            for start in bounds:
                for end in bounds:
                    for reverse, meth in ((False, self.m.find), (True, self.m.rfind)):
                        self.assertEqual(meth(sub, start, end),
                                         expected_find(sub, start, end, reverse),
                                         (sub, start, end, reverse))

    def test_start_only(self):
        for start in range(-N - 2, N + 3):
            self.assertEqual(self.m.find(b"abc", start), expected_find(b"abc", start, N, False))
            self.assertEqual(self.m.rfind(b"abc", start), expected_find(b"abc", start, N, True))

    def test_extreme_bounds_are_clamped(self):
        big, small = 2 ** 63 - 1, -2 ** 63
        self.assertEqual(self.m.find(b"abc", small, big), 0)
        self.assertEqual(self.m.rfind(b"abc", small, big), 9)
        self.assertEqual(self.m.find(b"abc", big), -1)
        self.assertEqual(self.m.find(b"abc", 0, small), -1)
        self.assertEqual(self.m.find(b"abc", 2 ** 40), -1)
        self.assertEqual(self.m.find(b"abc", long(1), long(12)), 3)

    def test_bounds_overflow(self):
        for args in ((2 ** 63,), (-2 ** 63 - 1,), (0, 2 ** 63), (0, 2 ** 100)):
            self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.find, b"a", *args)
            self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, self.m.rfind, b"a", *args)

    @deviation("find()/rfind() take None bounds (the 3.14.1 backport, test_backports.py)")
    def test_none_bounds_refused(self):
        for meth in (self.m.find, self.m.rfind):
            self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, meth, b"a", None)
            self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, meth, b"a", 0, None)

    def test_bound_types(self):
        for meth in (self.m.find, self.m.rfind):
            self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, meth, b"a", "0")
            self.assertRaisesMsg(TypeError, MSG_FLOAT, meth, b"a", 1.0)
            self.assertRaisesMsg(TypeError, MSG_FLOAT, meth, b"a", 0, 1.0)

    def test_bool_bounds(self):
        self.assertEqual(self.m.find(b"a", True), 3)
        self.assertEqual(self.m.rfind(b"a", False, True), 0)

    def test_needle_types(self):
        self.assertEqual(self.m.find(buffer(b"zXYZ", 1)), 6)
        self.assertEqual(self.m.rfind(buffer(b"abc")), 9)
        self.assertEqual(self.m.find(u"XY"), 6)
        self.assertEqual(self.m.rfind(u"ab"), 9)

    def test_array_and_map_needles(self):
        # Found by the 2.7 fuzzer: an array.array and a map are read-only buffers to 2.7's "s#".
        self.assertEqual(self.m.find(array.array("b", b"XY")), 6)
        self.assertEqual(self.m.rfind(array.array("b", b"bc")), 10)
        needle = self.anon(2)
        needle.write(b"bc")
        self.assertEqual(self.m.find(needle), 1)
        self.assertEqual(self.m.rfind(needle, 0, 10), 4)

    def test_non_ascii_unicode_needle(self):
        with self.assertRaises(UnicodeEncodeError):
            self.m.find(u"\xe9")

    def test_bad_needles(self):
        for value, name in ((bytearray(b"a"), "bytearray"), (memoryview(b"a"), "memoryview"),
                            (97, "int"), (None, "None")):
            self.assertRaisesMsg(TypeError,
                                 "find() argument 1 must be string or read-only buffer, not " + name,
                                 self.m.find, value)
            self.assertRaisesMsg(TypeError,
                                 "rfind() argument 1 must be string or read-only buffer, not " + name,
                                 self.m.rfind, value)

    def test_argument_counts_and_keywords(self):
        self.assertRaisesMsg(TypeError, "find() takes at least 1 argument (0 given)", self.m.find)
        self.assertRaisesMsg(TypeError, "rfind() takes at least 1 argument (0 given)", self.m.rfind)
        self.assertRaisesMsg(TypeError, "find() takes at most 3 arguments (4 given)",
                             self.m.find, b"a", 0, 1, 2)
        self.assertRaisesMsg(TypeError, "find() takes no keyword arguments",
                             self.m.find, b"a", start=0)
        self.assertRaisesMsg(TypeError, "rfind() takes no keyword arguments",
                             self.m.rfind, b"a", end=3)

    def test_find_sees_writes(self):
        self.m[0:3] = b"QQQ"
        self.assertEqual(self.m.find(b"QQQ"), 0)
        self.assertEqual(self.m.find(b"abc"), 3)

    def test_high_bytes_and_nul(self):
        m = self.make_map(b"\x00\xff\x80\x00\xff")
        self.assertEqual(m.find(b"\xff\x80"), 1)
        self.assertEqual(m.rfind(b"\x00"), 3)
        self.assertEqual(m.find(b"\x00\xff", 1), 3)

    def test_tougher_find(self):
        # a needle that nearly matches many times before it matches
        data = b"a" * 200 + b"ab" + b"a" * 50
        m = self.make_map(data)
        self.assertEqual(m.find(b"a" * 10 + b"b"), 191)
        self.assertEqual(m.rfind(b"b" + b"a" * 50), 201)
        self.assertEqual(m.find(b"a" * 51), 0)
        self.assertEqual(m.find(b"a" * 51, 150), 150)
        self.assertEqual(m.rfind(b"a" * 51), 150)
        self.assertEqual(m.rfind(b"a" * 51, 0, 200), 149)
        self.assertEqual(m.find(b"ab" + b"a" * 51), -1)

    def test_find_near_the_end_of_the_pages(self):
        for pages in (1, 2):
            size = pages * mmap.PAGESIZE
            m = self.anon(size, prot=mmap.PROT_READ)
            self.assertEqual(m.find(b"\x00\x00", size - 2), size - 2)
            self.assertEqual(m.find(b"\x00\x00\x00", size - 2), -1)
            self.assertEqual(m.rfind(b"\x00\x00\x00", size - 2), -1)
            self.assertEqual(m.rfind(b"\x00\x00"), size - 2)

    def test_find_in_an_offset_map(self):
        page = mmap.PAGESIZE
        m = self.make_map(b"needle" + b"." * (page - 6) + b"haystack needle", offset=page)
        self.assertEqual(m.find(b"needle"), 9)
        self.assertEqual(m.rfind(b"needle"), 9)
        self.assertEqual(m.find(b"hay"), 0)


if __name__ == "__main__":
    unittest.main()
