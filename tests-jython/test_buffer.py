"""The (old-style) buffer interface of a 2.7 map: buffer(m), bytearray(m), re,
struct, hashlib, file I/O; writes through it for writable maps; refusals for
ACCESS_READ maps. CPython 2.7's mmap has no new-style buffer: memoryview(m)
is refused."""
import hashlib
import operator
import io
import os
import re
import struct
import unittest
import zlib
import binascii

from _target import mmap
from _support import MapTestCase, deviation, read_path, BACKPORT, MSG_READONLY

DATA = b"0123456789abcdef"


class BufferTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.f = self.make_file(DATA)
        self.m = self.map_file(self.f)
        self.ro = self.map_file(self.f, access=mmap.ACCESS_READ)

    def test_buffer_of_map(self):
        b = buffer(self.m)
        self.assertTrue(type(b) is buffer)
        self.assertEqual(len(b), len(DATA))
        self.assertEqual(str(b), DATA)
        self.assertEqual(b[2], b"2")
        self.assertEqual(b[1:4], b"123")

    def test_buffer_with_offset_and_size(self):
        self.assertEqual(str(buffer(self.m, 2, 3)), b"234")
        self.assertEqual(str(buffer(self.m, 10, 100)), b"abcdef")
        self.assertEqual(str(buffer(self.m, 100)), b"")
        self.assertRaisesMsg(ValueError, "offset must be zero or positive", buffer, self.m, -1)

    def test_buffer_is_a_live_view(self):
        b = buffer(self.m)
        self.m[0] = b"Z"
        self.assertEqual(b[0], b"Z")

    def test_buffer_follows_resize(self):
        b = buffer(self.m)
        self.m.resize(20)
        self.assertEqual(len(b), 20)
        self.m.resize(4)
        self.assertEqual(str(b), b"0123")

    @deviation("Jython's buffer() of a writable object writes through (its own buffer type)")
    def test_buffer_is_read_only(self):
        b = buffer(self.m)
        self.assertRaisesMsg(TypeError, "buffer is read-only", b.__setitem__, 0, b"x")

    def test_buffer_of_read_only_map(self):
        self.assertEqual(str(buffer(self.ro, 4, 2)), b"45")

    @deviation("memoryview(m) works, a backport (test_backports.py)")
    def test_memoryview_is_refused(self):
        self.assertRaisesMsg(TypeError,
                             "cannot make memory view because object does not have the buffer interface",
                             memoryview, self.m)

    def test_bytearray_copies(self):
        ba = bytearray(self.m)
        self.assertEqual(ba, bytearray(DATA))
        self.m[0] = b"Z"
        self.assertEqual(ba[0], ord(b"0"))
        self.assertEqual(bytearray(self.ro), bytearray(b"Z123456789abcdef"))

    def test_bytearray_extend(self):
        ba = bytearray(b"<")
        ba.extend(self.m)
        self.assertEqual(ba, bytearray(b"<" + DATA))

    def test_bytearray_ignores_the_position(self):
        self.m.seek(5)
        self.assertEqual(bytearray(self.m), bytearray(DATA))

    @deviation("Jython's hashlib and zlib.compress take str only (test_jython_modules_over_a_map)")
    def test_hash_and_checksum_functions(self):
        self.assertEqual(hashlib.md5(self.m).hexdigest(), hashlib.md5(DATA).hexdigest())
        self.assertEqual(hashlib.sha1(self.ro).hexdigest(), hashlib.sha1(DATA).hexdigest())
        self.assertEqual(zlib.crc32(self.m), zlib.crc32(DATA))
        self.assertEqual(zlib.adler32(self.m), zlib.adler32(DATA))
        self.assertEqual(binascii.hexlify(self.m), binascii.hexlify(DATA))
        self.assertEqual(zlib.decompress(zlib.compress(self.m)), DATA)

    @deviation("Jython's struct takes buffer(m), not the map (test_jython_modules_over_a_map)")
    def test_struct_unpack_from(self):
        self.assertEqual(struct.unpack_from("<4s", self.m, 2), (b"2345",))
        self.assertEqual(struct.unpack_from(">H", self.ro, 0), (0x3031,))
        with self.assertRaises(struct.error) as cm:
            struct.unpack_from("<I", self.m, 14)
        self.assertEqual(str(cm.exception), "unpack_from requires a buffer of at least 4 bytes")

    @deviation("Jython's struct.pack_into takes array.array only")
    def test_struct_pack_into_writes_through(self):
        struct.pack_into("<H", self.m, 2, 0x4142)
        self.assertEqual(self.m[:5], b"01BA4")
        self.m.flush()
        self.assertEqual(read_path(self.f.name)[:5], b"01BA4")

    @deviation("Jython's struct.pack_into takes array.array only")
    def test_struct_pack_into_read_only(self):
        self.assertRaisesMsg(TypeError, MSG_READONLY, struct.pack_into, "2s", self.ro, 0, b"ab")
        self.assertEqual(self.ro[:2], b"01")

    @deviation("Jython's struct.pack_into takes array.array only")
    def test_struct_pack_into_out_of_range(self):
        with self.assertRaises(struct.error) as cm:
            struct.pack_into("<I", self.m, 14, 1)
        self.assertEqual(str(cm.exception), "pack_into requires a buffer of at least 4 bytes")

    @BACKPORT
    def test_jythons_buffer_writes_through(self):
        b = buffer(self.m)
        b[0] = b"Z"  # Jython's buffer type writes through (CPython 2.7's is read-only)
        self.assertEqual(self.m[:2], b"Z1")
        self.assertRaises(TypeError, operator.setitem, buffer(self.ro), 0, b"Z")
        self.assertEqual(self.ro[:2], b"Z1")

    @BACKPORT
    def test_jython_modules_over_a_map(self):
        # What Jython's own modules take instead (each refusal above is Jython's, not fmmap's).
        self.assertEqual(zlib.crc32(self.m), zlib.crc32(DATA))
        self.assertEqual(zlib.adler32(self.ro), zlib.adler32(DATA))
        self.assertEqual(binascii.hexlify(self.m), binascii.hexlify(DATA))
        self.assertEqual(hashlib.md5(self.m[:]).hexdigest(), hashlib.md5(DATA).hexdigest())
        self.assertEqual(struct.unpack_from("<4s", buffer(self.m), 2), (b"2345",))
        self.assertEqual(struct.unpack_from(">H", buffer(self.ro), 0), (0x3031,))
        src = self.make_path(b"XYZ")
        with open(src, "rb") as f:
            self.assertRaises(TypeError, f.readinto, self.ro)
        self.assertEqual(self.ro[:3], b"012")

    def test_readinto_writes_through(self):
        src = self.make_path(b"XYZ")
        with open(src, "rb") as f:
            self.assertEqual(f.readinto(self.m), 3)
        self.assertEqual(self.m[:4], b"XYZ3")
        with io.open(src, "rb") as f:
            self.assertEqual(f.readinto(self.m), 3)
        with io.FileIO(src, "r") as f:
            self.assertEqual(f.readinto(self.m), 3)
        self.m.flush()
        self.assertEqual(read_path(self.f.name)[:4], b"XYZ3")

    @deviation("Jython's readinto() words the refusal its own way (checked in test_jython_modules_over_a_map)")
    def test_readinto_read_only(self):
        src = self.make_path(b"XYZ")
        with open(src, "rb") as f:
            self.assertRaisesMsg(TypeError, MSG_READONLY, f.readinto, self.ro)
        with io.open(src, "rb") as f:
            self.assertRaisesMsg(TypeError, MSG_READONLY, f.readinto, self.ro)
        self.assertEqual(self.ro[:3], b"012")

    def test_file_write_of_map(self):
        out = self.make_path()
        with open(out, "wb") as f:
            f.write(self.m)
        self.assertEqual(read_path(out), DATA)
        fd = os.open(out, os.O_WRONLY)
        try:
            self.assertEqual(os.write(fd, self.ro), len(DATA))
        finally:
            os.close(fd)

    def test_write_of_a_map_into_a_map(self):
        other = self.anon(len(DATA))
        other.write(buffer(self.m))
        self.assertEqual(other[:], DATA)


class RegexTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(b"spam 123 eggs 4567 ham")

    def test_search_and_match(self):
        self.assertEqual(re.search(br"\d+", self.m).group(), b"123")
        self.assertEqual(re.search(br"\d+", self.m).span(), (5, 8))
        self.assertEqual(re.match(br"spam", self.m).end(), 4)
        self.assertEqual(re.match(br"ham", self.m), None)

    @deviation("Jython's re searches a str copy of any buffer, so mo.string is that copy")
    def test_match_string_is_the_map(self):
        mo = re.search(br"eggs", self.m)
        self.assertTrue(mo.string is self.m)
        self.assertTrue(type(mo.group()) is str)

    def test_findall_finditer_split_sub(self):
        self.assertEqual(re.findall(br"\d+", self.m), [b"123", b"4567"])
        self.assertEqual([mo.start() for mo in re.finditer(br"\d+", self.m)], [5, 14])
        self.assertEqual(re.split(br" ", self.m), [b"spam", b"123", b"eggs", b"4567", b"ham"])
        self.assertEqual(re.sub(br"\d", b"#", self.m), b"spam ### eggs #### ham")

    def test_compiled_pattern_with_pos_and_endpos(self):
        p = re.compile(br"[a-z]+")
        self.assertEqual(p.search(self.m, 4).group(), b"eggs")
        self.assertEqual(p.search(self.m, 9, 11).group(), b"eg")
        self.assertEqual(p.findall(self.m, 10), [b"ggs", b"ham"])

    def test_regex_sees_writes(self):
        self.m[0:4] = b"SPAM"
        self.assertEqual(re.search(br"[A-Z]+", self.m).group(), b"SPAM")

    def test_regex_on_read_only_map(self):
        ro = self.make_map(b"abc xyz", access=mmap.ACCESS_READ)
        self.assertEqual(re.search(br"x.z", ro).start(), 4)

    def test_regex_on_anonymous_map(self):
        m = self.anon(mmap.PAGESIZE * 2)
        m[mmap.PAGESIZE + 7:mmap.PAGESIZE + 10] = b"abc"
        self.assertEqual(re.search(br"[a-z]+", m).span(), (mmap.PAGESIZE + 7, mmap.PAGESIZE + 10))


if __name__ == "__main__":
    unittest.main()
