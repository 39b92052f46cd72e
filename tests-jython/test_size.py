"""size() is the file's size; len() the map's."""
import errno
import unittest

from _target import mmap
from _support import MapTestCase, PAGE


class SizeTests(MapTestCase):

    def test_size_of_whole_map(self):
        m = self.make_map(b"x" * 123)
        self.assertEqual(m.size(), 123)
        self.assertEqual(len(m), 123)

    def test_size_is_the_file_not_the_map(self):
        m = self.make_map(b"x" * 100, 10)
        self.assertEqual(m.size(), 100)
        self.assertEqual(len(m), 10)

    def test_size_with_offset(self):
        m = self.make_map(b"x" * (PAGE + 5), offset=PAGE)
        self.assertEqual(m.size(), PAGE + 5)
        self.assertEqual(len(m), 5)

    def test_size_follows_the_file(self):
        f = self.make_file(b"x" * 10)
        m = self.map_file(f)
        f.seek(0, 2)
        f.write(b"y" * 5)
        f.flush()
        self.assertEqual(m.size(), 15)
        f.truncate(12)
        self.assertEqual(m.size(), 12)
        self.assertEqual(len(m), 10)

    def test_size_of_anonymous_map(self):
        m = self.anon(100)
        self.assertErrno(mmap.error, errno.EBADF, m.size)

    def test_size_is_an_int(self):
        m = self.make_map(b"abc")
        self.assertTrue(isinstance(m.size(), (int, long)))
        self.assertTrue(isinstance(len(m), int))

    def test_size_takes_no_arguments(self):
        m = self.make_map(b"abc")
        self.assertRaisesMsg(TypeError, "size() takes no arguments (1 given)", m.size, 1)

    def test_len_of_read_only_and_copy_maps(self):
        for access in (mmap.ACCESS_READ, mmap.ACCESS_WRITE, mmap.ACCESS_COPY):
            m = self.make_map(b"z" * 77, access=access)
            self.assertEqual(len(m), 77)
            self.assertEqual(m.size(), 77)


if __name__ == "__main__":
    unittest.main()
