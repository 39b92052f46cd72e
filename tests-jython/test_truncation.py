"""The file is truncated beneath a shared map (as another process may do):
touching a lost page raises mmap.error(EFAULT) instead of killing the process.

CPython dies with SIGBUS on each of these accesses, so there is no reference
behaviour: these tests run on fmmap only.
"""
import errno
import os
import unittest

from _target import mmap, REFERENCE
from _support import MapTestCase, PAGE

PG = PAGE
LOST = 5 * PG + 17   # an offset inside the pages the truncation takes away


def _set(m, key, value):
    m[key] = value


TOUCHING = [
    ("getitem", lambda m: m[LOST]),
    ("getitem_negative", lambda m: m[LOST - len(m)]),
    ("slice", lambda m: m[4 * PG:8 * PG]),
    ("slice_within_one_lost_page", lambda m: m[LOST:LOST + 3]),
    ("slice_starting_in_kept_page", lambda m: m[PG - 2:PG + 2]),
    ("step_slice", lambda m: m[8 * PG:4 * PG:-5]),
    ("read", lambda m: (m.seek(3 * PG), m.read(4 * PG))),
    ("read_to_end", lambda m: (m.seek(PG - 1), m.read(-1))),
    ("read_byte", lambda m: (m.seek(LOST), m.read_byte())),
    ("readline", lambda m: (m.seek(PG), m.readline())),
    ("find", lambda m: m.find(b"\x01\x02", PG)),
    ("find_from_kept_page", lambda m: m.find(b"\x01\x02", 0)),
    ("rfind", lambda m: m.rfind(b"\x01\x02", 0)),
    ("write", lambda m: (m.seek(4 * PG), m.write(b"W" * (2 * PG)))),
    ("write_byte", lambda m: (m.seek(LOST), m.write_byte(b"w"))),
    ("setitem", lambda m: _set(m, LOST, b"s")),
    ("slice_setitem", lambda m: _set(m, slice(4 * PG, 5 * PG), b"x" * PG)),
    ("step_slice_setitem", lambda m: _set(m, slice(4 * PG, 8 * PG, 3), b"s" * len(range(4 * PG, 8 * PG, 3)))),
    ("move_from_lost", lambda m: m.move(0, 6 * PG, 16)),
    ("move_to_lost", lambda m: m.move(6 * PG, 0, 16)),
    ("iteration", lambda m: sum(1 for _ in m)),
    ("reversed", lambda m: sum(1 for _ in reversed(m))),
    ("contains", lambda m: b"\x01" in m),
]


@unittest.skipIf(REFERENCE, "CPython dies with SIGBUS here (no reference behaviour)")
class TruncationTests(MapTestCase):

    def truncated(self, **kwargs):
        """A 16-page map whose file is then cut to its first page."""
        f = self.make_file(b"D" * (16 * PG))
        m = self.map_file(f, 16 * PG, **kwargs)
        with open(f.name, "r+b") as g:
            g.truncate(PG)
        return m

    def assertEfault(self, op, m, name):
        with self.assertRaises(mmap.error) as cm:
            op(m)
        self.assertEqual(cm.exception.errno, errno.EFAULT, name)
        self.assertEqual(cm.exception.strerror, os.strerror(errno.EFAULT), name)

    def test_touching_a_lost_page_raises_efault(self):
        for name, op in TOUCHING:
            m = self.truncated()
            self.assertEfault(op, m, name)

    def test_the_kept_page_and_the_map_stay_usable(self):
        m = self.truncated()
        self.assertEfault(lambda m: m[LOST], m, "getitem")
        self.assertEqual(m[:4], b"DDDD")
        m[0] = b"E"
        self.assertEqual(m[0], b"E")
        self.assertEqual(m.find(b"E", 0), 0)
        self.assertEqual(len(m), 16 * PG)
        self.assertEqual(m.size(), PG)
        m.flush()
        m.resize(PG)
        m.seek(0)
        self.assertEqual(m.read(2), b"ED")
        self.assertEqual(m.rfind(b"D", 0), PG - 1)

    def test_regrowing_the_file_brings_the_pages_back_as_zeros(self):
        m = self.truncated()
        self.assertEfault(lambda m: m[LOST], m, "getitem")
        m.resize(16 * PG)
        self.assertEqual(m[LOST], b"\x00")
        self.assertEqual(m.find(b"D", PG), -1)

    def test_read_only_and_copy_maps_raise_efault_too(self):
        names = ("getitem", "slice", "read", "readline", "find", "rfind", "iteration")
        ops = dict(TOUCHING)
        for access in (mmap.ACCESS_READ, mmap.ACCESS_COPY):
            for name in names:
                m = self.truncated(access=access)
                self.assertEfault(ops[name], m, (access, name))

    def test_buffer_consumers_raise_efault(self):
        import re
        for name, op in (("bytearray", bytearray), ("re", lambda m: re.search(b"\x01", m))):
            m = self.truncated()
            self.assertEfault(op, m, name)

    def test_other_maps_are_unaffected(self):
        self.truncated()
        a = self.anon(4 * PG)
        a[3 * PG] = b"\x01"
        self.assertEqual(a.find(b"\x01", 0), 3 * PG)
        other = self.make_map(b"xyz" * PG)
        self.assertEqual(other.rfind(b"zx", 0), 3 * PG - 4)


if __name__ == "__main__":
    unittest.main()
