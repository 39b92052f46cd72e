"""Lengths, offsets, positions and indices beyond 2**31 (and 2**32).

The big-file tests map a sparse file of 4 GiB + 2 pages whole (64-bit
positions, as 64-bit CPython 2.7 handles them) and touch only a few pages.
Values beyond Py_ssize_t raise OverflowError; values inside it but beyond the
map raise the usual ValueError/IndexError or are clamped.
"""
import errno
import os
import re
import shutil
import tempfile
import unittest
import zlib

from _target import mmap
from _support import (BACKPORT, MapTestCase, PAGE, map_length, read_path, MSG_LONG_OVERFLOW,
                      MSG_INDEX_OVERFLOW)

G2 = 2 ** 31
G4 = 2 ** 32
SIZE = G4 + 2 * PAGE
AT_2G = G2 - 3           # "ACROSS2G" straddles 2**31
AT_4G = G4 - 4           # "ACROSS4G" straddles 2**32
AT_END = SIZE - 5        # "LAST!"
MARKS = ((AT_2G, b"ACROSS2G"), (AT_4G, b"ACROSS4G"), (AT_END, b"LAST!"))


class SmallMapLargeValueTests(MapTestCase):
    """Large numbers against a 10-byte map."""

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(b"0123456789")
        self.m = self.map_file(self.f)

    def test_index(self):
        for i in (G2, G4, -G2, 2 ** 63 - 1, long(G2)):
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__getitem__, i)
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__setitem__, i, b"x")
        self.assertRaisesMsg(IndexError, MSG_INDEX_OVERFLOW, self.m.__getitem__, 2 ** 64)

    def test_slices_are_clamped(self):
        self.assertEqual(self.m[G2:], b"")
        self.assertEqual(self.m[3:G4], b"3456789")
        self.assertEqual(self.m[-G4:2], b"01")
        self.assertEqual(self.m[::G2], b"0")
        self.assertEqual(self.m[::-G2], b"9")

    def test_seek(self):
        for args in ((G2,), (G4, 0), (G2, 1), (G2, 2), (-G2, 2)):
            self.assertRaisesMsg(ValueError, "seek out of range", self.m.seek, *args)
        self.assertEqual(self.m.tell(), 0)

    def test_read_is_clamped(self):
        self.assertEqual(self.m.read(G2), b"0123456789")
        self.m.seek(0)
        self.assertEqual(self.m.read(G4 + 1), b"0123456789")

    def test_find_bounds_are_clamped(self):
        self.assertEqual(self.m.find(b"5", 0, G4), 5)
        self.assertEqual(self.m.find(b"5", G2), -1)
        self.assertEqual(self.m.rfind(b"5", -G4, G4), 5)
        self.assertEqual(self.m.find(b"", G4), 10)

    def test_move_and_flush(self):
        self.assertRaisesMsg(ValueError, "source, destination, or count out of range",
                             self.m.move, G2, 0, 1)
        self.assertRaisesMsg(ValueError, "source, destination, or count out of range",
                             self.m.move, 0, 0, G4)
        self.assertRaisesMsg(ValueError, "flush values out of range", self.m.flush, 0, G2)
        self.assertRaisesMsg(ValueError, "flush values out of range", self.m.flush, G4, 0)

    def test_constructor(self):
        fd = self.f.fileno()
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size", mmap.mmap, fd, G2)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size", mmap.mmap, fd, G4)
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, fd, 0, offset=G4)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, fd, 10, offset=G4)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, mmap.mmap, fd, 2 ** 64)
        self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, mmap.mmap, fd, 0, offset=2 ** 64)

    def test_anonymous_larger_than_the_address_space(self):
        self.assertErrno(mmap.error, errno.ENOMEM, mmap.mmap, -1, 2 ** 48)


class BigFileTests(unittest.TestCase):
    """A 4 GiB + 2 page sparse file, mapped whole."""

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.mkdtemp(prefix="fmmap-jy-big-")
        cls.path = os.path.join(cls.tmpdir, "big.bin")
        try:
            with open(cls.path, "wb") as f:
                f.truncate(SIZE)
                for at, data in MARKS:
                    f.seek(at)
                    f.write(data)
        except (IOError, OSError, OverflowError) as e:
            shutil.rmtree(cls.tmpdir, ignore_errors=True)
            raise unittest.SkipTest("no %d-byte sparse file here: %s" % (SIZE, e))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmpdir, ignore_errors=True)

    def setUp(self):
        self.f = open(self.path, "r+b")
        self.m = mmap.mmap(self.f.fileno(), 0)

    def tearDown(self):
        self.m.close()
        self.f.close()

    def assertRaisesMsg(self, exc_type, message, func, *args, **kwargs):
        with self.assertRaises(exc_type) as cm:
            func(*args, **kwargs)
        self.assertEqual(str(cm.exception), message)

    def test_whole_file_is_mapped(self):
        self.assertEqual(map_length(self, self.m), SIZE)
        self.assertEqual(self.m.size(), SIZE)

    def test_indexing_past_2_and_4_gib(self):
        m = self.m
        self.assertEqual(m[AT_2G], b"A")
        self.assertEqual(m[G2], b"O")
        self.assertEqual(m[long(G4)], b"S")
        self.assertEqual(m[AT_END + 4], b"!")
        self.assertEqual(m[-1], b"!")
        self.assertEqual(m[-(SIZE - AT_4G)], b"A")
        self.assertEqual(m[G4 + PAGE], b"\x00")

    def test_index_out_of_range(self):
        for i in (SIZE, -SIZE - 1, 2 ** 40):
            self.assertRaisesMsg(IndexError, "mmap index out of range", self.m.__getitem__, i)

    def test_slices_across_the_boundaries(self):
        m = self.m
        self.assertEqual(m[AT_2G:AT_2G + 8], b"ACROSS2G")
        self.assertEqual(m[AT_4G:AT_4G + 8], b"ACROSS4G")
        self.assertEqual(m[AT_END:], b"LAST!")
        self.assertEqual(m[AT_END:2 ** 40], b"LAST!")
        self.assertEqual(m[-5:], b"LAST!")
        self.assertEqual(m[AT_4G + 7:AT_4G - 1:-2], b"GSOC")
        self.assertEqual(m[G4 - 4:G4 + 4:3], b"AO4")

    def test_seek_tell_read(self):
        m = self.m
        m.seek(AT_4G)
        self.assertEqual(m.tell(), AT_4G)
        self.assertEqual(m.read(8), b"ACROSS4G")
        self.assertEqual(m.tell(), AT_4G + 8)
        m.seek(-5, 2)
        self.assertEqual(m.tell(), AT_END)
        self.assertEqual(m.read(100), b"LAST!")
        m.seek(AT_2G)
        self.assertEqual(m.read_byte(), b"A")
        m.seek(G4 - AT_2G - 1, 1)
        self.assertEqual(m.tell(), G4)
        m.seek(-G4, 1)
        self.assertEqual(m.tell(), 0)
        m.seek(SIZE)
        self.assertEqual(m.read(1), b"")
        self.assertRaisesMsg(ValueError, "seek out of range", m.seek, SIZE + 1)
        self.assertRaisesMsg(ValueError, "seek out of range", m.seek, 1, 2)

    def test_readline_at_high_position(self):
        m = self.m
        m.seek(AT_END - 3)
        self.assertEqual(m.readline(), b"\x00\x00\x00LAST!")
        self.assertEqual(m.tell(), SIZE)

    def test_bounded_find_and_rfind(self):
        m = self.m
        self.assertEqual(m.find(b"ACROSS", G4 - 100, G4 + 100), AT_4G)
        self.assertEqual(m.find(b"ACROSS2G", AT_2G, AT_2G + 8), AT_2G)
        self.assertEqual(m.find(b"ACROSS2G", AT_2G, AT_2G + 7), -1)
        self.assertEqual(m.rfind(b"ACROSS", G4 - 50, G4 + 50), AT_4G)
        self.assertEqual(m.find(b"LAST", -10), AT_END)
        self.assertEqual(m.find(b"LAST", -10, 2 ** 62), AT_END)
        self.assertEqual(m.rfind(b"!", SIZE - 3), SIZE - 1)
        self.assertEqual(m.find(b"", 2 ** 40), SIZE)
        self.assertEqual(m.find(b"A", 2 ** 63 - 1), -1)

    def test_find_from_a_high_position(self):
        m = self.m
        m.seek(SIZE - 20)
        self.assertEqual(m.find(b"LAST"), AT_END)
        self.assertEqual(m.rfind(b"\x00"), AT_END - 1)

    def test_write_and_restore_at_high_positions(self):
        m = self.m
        m.seek(G4 + 16)
        m.write(b"hi")
        m[G4 + 20] = b"!"
        m[G4 + 21:G4 + 23] = b"yo"
        m.write_byte(b"=")
        self.assertEqual(m[G4 + 16:G4 + 23], b"hi=\x00!yo")
        m.move(G4 + 30, G4 + 16, 7)
        self.assertEqual(m[G4 + 30:G4 + 37], b"hi=\x00!yo")
        m.flush(G4, PAGE)
        with open(self.path, "rb") as f:
            f.seek(G4 + 30)
            self.assertEqual(f.read(7), b"hi=\x00!yo")
        m[G4 + 16:G4 + 37] = b"\x00" * 21

    def test_move_across_2_gib(self):
        m = self.m
        m.move(G2 + PAGE, AT_2G, 8)
        self.assertEqual(m[G2 + PAGE:G2 + PAGE + 8], b"ACROSS2G")
        m[G2 + PAGE:G2 + PAGE + 8] = b"\x00" * 8
        self.assertRaisesMsg(ValueError, "source, destination, or count out of range",
                             m.move, SIZE - 4, 0, 5)

    def test_flush_high_ranges(self):
        self.m.flush(G4, 2 * PAGE)
        self.m.flush(G2, PAGE)
        self.assertRaisesMsg(ValueError, "flush values out of range", self.m.flush, G4, 3 * PAGE)

    def test_offset_beyond_4_gib(self):
        m = mmap.mmap(self.f.fileno(), PAGE, offset=G4)
        try:
            self.assertEqual(len(m), PAGE)
            self.assertEqual(m[:4], b"SS4G")
            self.assertEqual(m.size(), SIZE)
        finally:
            m.close()
        m = mmap.mmap(self.f.fileno(), 0, offset=long(G4 + PAGE), access=mmap.ACCESS_READ)
        try:
            self.assertEqual(len(m), PAGE)
            self.assertEqual(m[-5:], b"LAST!")
        finally:
            m.close()

    def test_offset_across_2_gib(self):
        m = mmap.mmap(self.f.fileno(), 2 * PAGE, offset=G2 - PAGE, access=mmap.ACCESS_READ)
        try:
            self.assertEqual(m.find(b"ACROSS2G"), PAGE - 3)
        finally:
            m.close()

    def test_bad_high_offsets(self):
        fd = self.f.fileno()
        with self.assertRaises(mmap.error) as cm:
            mmap.mmap(fd, PAGE, offset=G4 + 1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, fd, 0, offset=SIZE)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, fd, 3 * PAGE, offset=G4)
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, fd, SIZE + 1)

    def test_length_above_4_gib(self):
        m = mmap.mmap(self.f.fileno(), G4 + PAGE, access=mmap.ACCESS_READ)
        try:
            self.assertEqual(map_length(self, m), G4 + PAGE)
            self.assertEqual(m[AT_4G:AT_4G + 8], b"ACROSS4G")
        finally:
            m.close()


    # --- the buffer protocol: the whole map or a clean refusal, never a shorter buffer --------

    def whole_or_refused(self, consume, expected):
        """consume() gives the whole map's result (expected(), computed apart from the map), or
        raises BufferError, TypeError or OverflowError naming the 2**31 - 1 limit of one buffer."""
        try:
            result = consume()
        except (BufferError, TypeError, OverflowError) as e:
            self.assertIn("2147483647", str(e))
            return
        self.assertEqual(result, expected())

    def crc_of_file(self):
        crc = 0
        with open(self.path, "rb") as f:
            while True:
                part = f.read(64 * 2 ** 20)
                if not part:
                    return crc
                crc = zlib.crc32(part, crc)

    def test_buffer_is_whole_or_refused(self):
        self.whole_or_refused(lambda: (len(buffer(self.m)), buffer(self.m)[AT_4G:AT_4G + 8]),
                              lambda: (SIZE, b"ACROSS4G"))

    @BACKPORT  # CPython 2.7's mmap has no new-style buffer: memoryview(m) is a TypeError there
    def test_memoryview_is_whole_or_refused(self):
        self.whole_or_refused(lambda: memoryview(self.m)[AT_2G:AT_2G + 8].tobytes(),
                              lambda: b"ACROSS2G")

    def test_zlib_crc32_is_whole_or_refused(self):
        self.whole_or_refused(lambda: zlib.crc32(self.m), self.crc_of_file)

    def test_re_is_whole_or_refused(self):
        self.whole_or_refused(lambda: re.compile(b"LAST!").search(self.m, AT_END - 10).span(),
                              lambda: (AT_END, SIZE))


class BigResizeTests(MapTestCase):

    def test_resize_past_4_gib_and_back(self):
        f = self.make_file(b"x" * PAGE)
        m = self.map_file(f)
        m.resize(G4 + PAGE)
        self.assertEqual(map_length(self, m), G4 + PAGE)
        self.assertEqual(os.path.getsize(f.name), G4 + PAGE)
        m[G4 + 1] = b"!"
        self.assertEqual(m[G4:G4 + 3], b"\x00!\x00")
        self.assertEqual(m[:2], b"xx")
        m.resize(PAGE)
        self.assertEqual(len(m), PAGE)
        self.assertEqual(os.path.getsize(f.name), PAGE)

    def test_resize_with_offset_past_4_gib(self):
        f = self.make_file(b"y" * (2 * PAGE))
        m = self.map_file(f, PAGE, offset=PAGE)
        m.resize(G4)
        self.assertEqual(os.path.getsize(f.name), G4 + PAGE)
        self.assertEqual(m[0], b"y")
        self.assertEqual(m[G4 - 1], b"\x00")
        m.resize(PAGE)
        self.assertEqual(read_path(f.name), b"y" * (2 * PAGE))


if __name__ == "__main__":
    unittest.main()
