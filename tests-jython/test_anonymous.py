"""Anonymous maps: mmap(-1, size, ...)."""
import errno
import re
import unittest

from _target import mmap, REFERENCE
from _support import MapTestCase, PAGE, MSG_READONLY, MSG_NO_RESIZE

SHARED_ANON_GROW_MSG = "mmap: can't expand a shared anonymous mapping on Linux"


class AnonymousTests(MapTestCase):

    def test_zero_filled(self):
        m = self.anon(100)
        self.assertEqual(len(m), 100)
        self.assertEqual(m[:], b"\x00" * 100)
        self.assertEqual(m.tell(), 0)

    def test_read_write(self):
        m = self.anon(PAGE * 2)
        m.write(b"hello")
        m[PAGE:PAGE + 5] = b"world"
        self.assertEqual(m.find(b"world"), PAGE)
        m.seek(0)
        self.assertEqual(m.read(5), b"hello")
        self.assertEqual(m.rfind(b"o"), PAGE + 1)

    def test_size_not_a_multiple_of_the_page(self):
        m = self.anon(PAGE + 1)
        m[PAGE] = b"x"
        self.assertEqual(m[-1], b"x")
        self.assertRaisesMsg(IndexError, "mmap index out of range", m.__getitem__, PAGE + 1)

    def test_zero_size(self):
        self.assertErrno(mmap.error, errno.EINVAL, mmap.mmap, -1, 0)

    def test_negative_size(self):
        self.assertRaisesMsg(OverflowError, "memory mapped length must be positive", mmap.mmap, -1, -1)

    def test_size_raises_ebadf(self):
        m = self.anon(10)
        self.assertErrno(mmap.error, errno.EBADF, m.size)

    def test_too_large(self):
        self.assertErrno(mmap.error, errno.ENOMEM, mmap.mmap, -1, 2 ** 62)

    def test_offset_is_accepted_when_aligned(self):
        m = self.anon(10, offset=PAGE)
        self.assertEqual(m[:3], b"\x00\x00\x00")
        self.assertErrno(mmap.error, errno.EINVAL, mmap.mmap, -1, 10, offset=1)

    def test_access_read(self):
        m = self.anon(10, access=mmap.ACCESS_READ)
        self.assertEqual(m[:2], b"\x00\x00")
        self.assertRaisesMsg(TypeError, MSG_READONLY, m.write, b"a")
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, 20)

    def test_access_copy(self):
        m = self.anon(10, access=mmap.ACCESS_COPY)
        m[0] = b"c"
        self.assertEqual(m[0], b"c")
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, 20)

    def test_private_flag(self):
        m = self.anon(10, flags=mmap.MAP_PRIVATE)
        m[:2] = b"pq"
        self.assertEqual(m[:3], b"pq\x00")

    def test_prot_read(self):
        m = self.anon(10, prot=mmap.PROT_READ)
        self.assertRaisesMsg(TypeError, MSG_READONLY, m.__setitem__, 0, b"a")
        self.assertRaisesMsg(TypeError, MSG_NO_RESIZE, m.resize, 5)

    def test_shrink(self):
        m = self.anon(3 * PAGE)
        m[PAGE - 1] = b"a"
        m[PAGE] = b"b"
        m.resize(PAGE)
        self.assertEqual(len(m), PAGE)
        self.assertEqual(m[-1], b"a")
        self.assertRaisesMsg(IndexError, "mmap index out of range", m.__getitem__, PAGE)

    def test_shrink_within_a_page(self):
        m = self.anon(20)
        m[9] = b"2"
        m[10] = b"3"
        m.resize(10)
        self.assertEqual(len(m), 10)
        self.assertEqual(m[:], b"\x00" * 9 + b"2")

    def test_private_grow(self):
        m = self.anon(10, flags=mmap.MAP_PRIVATE)
        m[0] = b"k"
        m.resize(3 * PAGE)
        self.assertEqual(len(m), 3 * PAGE)
        self.assertEqual(m[0], b"k")
        self.assertEqual(m[3 * PAGE - 1], b"\x00")
        m[3 * PAGE - 1] = b"e"
        self.assertEqual(m.rfind(b"e"), 3 * PAGE - 1)

    def test_regex_and_buffer(self):
        m = self.anon(32)
        m[10:13] = b"abc"
        self.assertEqual(re.search(br"b", m).start(), 11)
        self.assertEqual(str(buffer(m, 10, 3)), b"abc")

    @unittest.skipIf(REFERENCE, "CPython 2.7 dies with SIGBUS on the grown pages of a shared anonymous map")
    def test_shared_grow_is_safe(self):
        # Growing a MAP_SHARED anonymous map either works (the new bytes read as
        # zeros) or is refused the way later CPython releases refuse it; it
        # never kills the process.
        m = self.anon(10)
        m[0] = b"a"
        try:
            m.resize(3 * PAGE)
        except ValueError as e:
            self.assertEqual(str(e), SHARED_ANON_GROW_MSG)
            self.assertEqual(len(m), 10)
            self.assertEqual(m[0], b"a")
            return
        self.assertEqual(len(m), 3 * PAGE)
        self.assertEqual(m[0], b"a")
        self.assertEqual(m[3 * PAGE - 1], b"\x00")
        m[3 * PAGE - 1] = b"z"
        self.assertEqual(m[3 * PAGE - 1], b"z")


if __name__ == "__main__":
    unittest.main()
