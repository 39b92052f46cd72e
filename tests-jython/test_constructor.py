"""mmap.mmap(fileno, length[, flags[, prot[, access[, offset]]]]) on Linux, as CPython 2.7."""
import errno
import os
import unittest

from _target import mmap
from _support import (MapTestCase, PAGE, read_path, MSG_INT_REQUIRED, MSG_FLOAT,
                      MSG_LONG_OVERFLOW, MSG_INT_OVERFLOW)

DATA = b"0123456789abcdef" * 4   # 64 bytes


class ConstructorTests(MapTestCase):

    def test_length_zero_maps_the_whole_file(self):
        f = self.make_file(DATA)
        m = self.map_file(f, 0)
        self.assertEqual(len(m), len(DATA))
        self.assertEqual(m[:], DATA)
        self.assertEqual(m.tell(), 0)

    def test_explicit_length_maps_a_prefix(self):
        f = self.make_file(DATA)
        m = self.map_file(f, 10)
        self.assertEqual(len(m), 10)
        self.assertEqual(m[:], DATA[:10])
        self.assertEqual(m.size(), len(DATA))

    def test_length_equal_to_file_size(self):
        m = self.make_map(DATA, len(DATA))
        self.assertEqual(m[:], DATA)

    def test_long_arguments(self):
        f = self.make_file(DATA)
        m = self.track(mmap.mmap(f.fileno(), long(8), offset=long(0)))
        self.assertEqual(m[:], DATA[:8])

    def test_keyword_arguments(self):
        f = self.make_file(DATA)
        m = self.track(mmap.mmap(fileno=f.fileno(), length=4, flags=mmap.MAP_SHARED,
                                 prot=mmap.PROT_READ | mmap.PROT_WRITE, access=0, offset=0))
        self.assertEqual(m[:], DATA[:4])

    def test_all_six_positional_arguments(self):
        f = self.make_file(DATA)
        m = self.track(mmap.mmap(f.fileno(), 4, mmap.MAP_SHARED,
                                 mmap.PROT_READ | mmap.PROT_WRITE, 0, 0))
        self.assertEqual(m[:], DATA[:4])

    def test_access_zero_is_the_default(self):
        m = self.make_map(DATA, access=0)
        m[0] = b"X"
        m.resize(10)
        self.assertEqual(m[:], b"X123456789")

    def test_map_sees_file_contents_written_later(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        f.seek(3)
        f.write(b"ZZ")
        f.flush()
        self.assertEqual(m[:6], b"012ZZ5")

    def test_map_outlives_the_file_object(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        f.close()
        self.assertEqual(m[:], DATA)
        self.assertEqual(m.size(), len(DATA))
        m[0] = b"#"
        m.flush()
        self.assertEqual(read_path(f.name)[:2], b"#1")

    def test_two_maps_of_one_file_share_pages(self):
        f = self.make_file(DATA)
        a = self.map_file(f)
        b = self.map_file(f)
        a[5] = b"!"
        self.assertEqual(b[5], b"!")

    def test_writes_reach_the_file(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        m[0:4] = b"WXYZ"
        m.flush()
        self.assertEqual(read_path(f.name), b"WXYZ" + DATA[4:])

    def test_map_private_flag_is_copy_on_write(self):
        f = self.make_file(DATA)
        m = self.map_file(f, flags=mmap.MAP_PRIVATE)
        m[0] = b"P"
        m.flush()
        self.assertEqual(m[:2], b"P1")
        self.assertEqual(read_path(f.name), DATA)

    def test_prot_read_only(self):
        m = self.make_map(DATA, prot=mmap.PROT_READ)
        self.assertEqual(m[:3], b"012")
        self.assertRaisesMsg(TypeError, "mmap can't modify a readonly memory map.",
                             m.write, b"x")

    def test_prot_write_only_counts_as_write_access(self):
        m = self.make_map(DATA, prot=mmap.PROT_WRITE)
        m.resize(8)
        self.assertEqual(len(m), 8)


class BadArgumentTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.fd = self.f.fileno()

    def test_negative_length(self):
        for length in (-1, -PAGE, -2 ** 63):
            self.assertRaisesMsg(OverflowError, "memory mapped length must be positive",
                                 mmap.mmap, self.fd, length)

    def test_negative_offset(self):
        for offset in (-1, -PAGE, -2 ** 63):
            self.assertRaisesMsg(OverflowError, "memory mapped offset must be positive",
                                 mmap.mmap, self.fd, 0, offset=offset)

    def test_length_checked_before_offset(self):
        self.assertRaisesMsg(OverflowError, "memory mapped length must be positive",
                             mmap.mmap, self.fd, -1, offset=-1)

    def test_length_greater_than_file(self):
        for length in (len(DATA) + 1, PAGE, 2 ** 31, 2 ** 40, 2 ** 63 - 1):
            self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                                 mmap.mmap, self.fd, length)

    def test_length_too_big_for_ssize_t(self):
        for length in (2 ** 63, 2 ** 64, 2 ** 100):
            self.assertRaisesMsg(OverflowError, MSG_LONG_OVERFLOW, mmap.mmap, self.fd, length)

    def test_length_wrong_types(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.fd, "1")
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.fd, None)
        self.assertRaisesMsg(TypeError, MSG_FLOAT, mmap.mmap, self.fd, 1.0)

    def test_offset_wrong_types(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.fd, 0, offset="0")
        self.assertRaisesMsg(TypeError, MSG_FLOAT, mmap.mmap, self.fd, 0, offset=0.0)

    def test_fileno_wrong_types(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, "3", 10)
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.f, 10)
        self.assertRaisesMsg(TypeError, MSG_FLOAT, mmap.mmap, 3.0, 10)

    def test_fileno_too_big_for_int(self):
        self.assertRaisesMsg(OverflowError, MSG_INT_OVERFLOW, mmap.mmap, 2 ** 31, 10)

    def test_invalid_access(self):
        for access in (4, -1, 100):
            self.assertRaisesMsg(ValueError, "mmap invalid access parameter.",
                                 mmap.mmap, self.fd, 0, access=access)

    def test_access_wrong_type(self):
        self.assertRaisesMsg(TypeError, MSG_INT_REQUIRED, mmap.mmap, self.fd, 0, access="r")

    def test_access_with_flags_or_prot(self):
        msg = "mmap can't specify both access and flags, prot."
        self.assertRaisesMsg(ValueError, msg, mmap.mmap, self.fd, 0,
                             flags=mmap.MAP_PRIVATE, access=mmap.ACCESS_READ)
        self.assertRaisesMsg(ValueError, msg, mmap.mmap, self.fd, 0,
                             prot=mmap.PROT_READ, access=mmap.ACCESS_WRITE)
        # checked before the access value itself
        self.assertRaisesMsg(ValueError, msg, mmap.mmap, self.fd, 0,
                             flags=mmap.MAP_PRIVATE, access=7)

    def test_access_with_default_flags_and_prot_is_accepted(self):
        m = self.track(mmap.mmap(self.fd, 0, flags=mmap.MAP_SHARED,
                                 prot=mmap.PROT_READ | mmap.PROT_WRITE,
                                 access=mmap.ACCESS_READ))
        self.assertRaisesMsg(TypeError, "mmap can't modify a readonly memory map.",
                             m.write_byte, b"x")

    def test_missing_arguments(self):
        self.assertRaisesMsg(TypeError, "Required argument 'fileno' (pos 1) not found", mmap.mmap)
        self.assertRaisesMsg(TypeError, "Required argument 'length' (pos 2) not found",
                             mmap.mmap, self.fd)

    def test_too_many_arguments(self):
        self.assertRaisesMsg(TypeError, "function takes at most 6 arguments (7 given)",
                             mmap.mmap, self.fd, 0, 1, 3, 0, 0, 9)

    def test_unknown_keywords(self):
        self.assertRaisesMsg(TypeError, "'foo' is an invalid keyword argument for this function",
                             mmap.mmap, self.fd, 0, foo=1)
        # tagname is Windows-only
        self.assertRaisesMsg(TypeError, "'tagname' is an invalid keyword argument for this function",
                             mmap.mmap, self.fd, 0, tagname="x")


class FileStateTests(MapTestCase):

    def test_empty_file_whole_map(self):
        f = self.make_file(b"")
        self.assertRaisesMsg(ValueError, "cannot mmap an empty file", mmap.mmap, f.fileno(), 0)

    def test_empty_file_with_length(self):
        f = self.make_file(b"")
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, f.fileno(), 1)

    def test_empty_file_with_offset(self):
        f = self.make_file(b"")
        self.assertRaisesMsg(ValueError, "cannot mmap an empty file",
                             mmap.mmap, f.fileno(), 0, offset=PAGE)

    def test_bad_file_descriptors(self):
        for fd in (9999, -2):
            for length in (0, 10):
                self.assertErrno(mmap.error, errno.EBADF, mmap.mmap, fd, length)

    def test_closed_descriptor(self):
        f = self.make_file(DATA)
        fd = f.fileno()
        f.close()
        self.assertErrno(mmap.error, errno.EBADF, mmap.mmap, fd, 10)

    def test_read_only_file_needs_read_only_or_copy_access(self):
        path = self.make_path(DATA)
        f = self.reopen(path, "rb")
        self.assertErrno(mmap.error, errno.EACCES, mmap.mmap, f.fileno(), 0)
        self.assertErrno(mmap.error, errno.EACCES, mmap.mmap, f.fileno(), 0,
                         access=mmap.ACCESS_WRITE)
        r = self.map_file(f, access=mmap.ACCESS_READ)
        self.assertEqual(r[:4], b"0123")
        p = self.map_file(f, prot=mmap.PROT_READ)
        self.assertEqual(p[:4], b"0123")
        c = self.map_file(f, access=mmap.ACCESS_COPY)
        c[0] = b"C"
        self.assertEqual(c[:2], b"C1")
        self.assertEqual(read_path(path), DATA)

    def test_write_only_file(self):
        path = self.make_path(DATA)
        f = self.reopen(path, "ab")
        self.assertErrno(mmap.error, errno.EACCES, mmap.mmap, f.fileno(), 10)

    def test_length_zero_and_offset_at_end(self):
        f = self.make_file(b"x" * (2 * PAGE))
        self.assertRaisesMsg(ValueError, "mmap offset is greater than file size",
                             mmap.mmap, f.fileno(), 0, offset=2 * PAGE)

    def test_file_grown_after_mapping_keeps_map_length(self):
        f = self.make_file(DATA)
        m = self.map_file(f)
        f.seek(0, 2)
        f.write(b"more")
        f.flush()
        self.assertEqual(len(m), len(DATA))
        self.assertEqual(m.size(), len(DATA) + 4)


class UnclosedFileTests(MapTestCase):
    """open(p, "wb").write(data), then a map of p: CPython's reference counting flushes and closes
    the dropped file at once; on Jython fmmap collects garbage before it calls the file too short."""

    def write_unclosed(self, data):
        path = self.make_path()
        open(path, "wb").write(data)  # the idiom under test: the file object is dropped unclosed
        return path

    def test_map_with_length_after_unclosed_write(self):
        path = self.write_unclosed(DATA)
        f = self.reopen(path, "r+b")
        m = self.track(mmap.mmap(f.fileno(), len(DATA)))
        self.assertEqual(m[:], DATA)

    def test_map_whole_file_after_unclosed_write(self):
        path = self.write_unclosed(DATA)
        f = self.reopen(path, "r+b")
        m = self.track(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        self.assertEqual(len(m), len(DATA))
        self.assertEqual(m[-4:], DATA[-4:])

    def test_a_file_really_too_short_still_raises(self):
        f = self.make_file(b"abc")
        self.assertRaisesMsg(ValueError, "mmap length is greater than file size",
                             mmap.mmap, f.fileno(), 10)
        g = self.make_file(b"")
        self.assertRaisesMsg(ValueError, "cannot mmap an empty file", mmap.mmap, g.fileno(), 0)


if __name__ == "__main__":
    unittest.main()
