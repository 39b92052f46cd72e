"""Python 3 features that fmmap offers on Jython though CPython 2.7's mmap lacks
them: closed, the context manager, seekable(), madvise() and MADV_*, trackfd,
and None for find/rfind's start and end (3.14.1). Messages follow CPython
3.13; results keep 2.7's types (str). Skipped in reference mode."""
import errno
import os
import operator
import unittest

from _target import mmap
from _support import MapTestCase, BACKPORT, PAGE, MSG_CLOSED, read_path

DATA = b"abcabcXYZabc"

MADV = {
    "MADV_NORMAL": 0, "MADV_RANDOM": 1, "MADV_SEQUENTIAL": 2, "MADV_WILLNEED": 3,
    "MADV_DONTNEED": 4, "MADV_FREE": 8, "MADV_REMOVE": 9, "MADV_DONTFORK": 10,
    "MADV_DOFORK": 11, "MADV_MERGEABLE": 12, "MADV_UNMERGEABLE": 13, "MADV_HUGEPAGE": 14,
    "MADV_NOHUGEPAGE": 15, "MADV_DONTDUMP": 16, "MADV_DODUMP": 17, "MADV_HWPOISON": 100,
}
SAFE_OPTIONS = ["MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED",
                "MADV_DONTNEED", "MADV_DONTDUMP", "MADV_DODUMP", "MADV_DONTFORK", "MADV_DOFORK"]


@BACKPORT
class ClosedAttributeTests(MapTestCase):

    def test_closed_follows_close(self):
        m = self.make_map(DATA)
        self.assertTrue(m.closed is False)
        m.close()
        self.assertTrue(m.closed is True)
        m.close()
        self.assertTrue(m.closed is True)

    def test_closed_of_anonymous_map(self):
        m = self.anon(10)
        self.assertTrue(m.closed is False)
        m.close()
        self.assertTrue(m.closed is True)

    def test_closed_is_read_only(self):
        m = self.anon(10)
        with self.assertRaises(AttributeError):
            m.closed = True
        self.assertTrue(m.closed is False)


@BACKPORT
class ContextManagerTests(MapTestCase):

    def test_enter_returns_the_map_and_exit_closes(self):
        f = self.make_file(DATA)
        with mmap.mmap(f.fileno(), 0) as m:
            self.assertTrue(type(m) is mmap.mmap)
            self.assertEqual(m[:3], b"abc")
            m[0] = b"A"
        self.assertTrue(m.closed)
        self.assertRaisesMsg(ValueError, MSG_CLOSED, m.read, 1)
        self.assertEqual(read_path(f.name)[:2], b"Ab")

    def test_exit_closes_on_exception_and_does_not_swallow_it(self):
        try:
            with mmap.mmap(-1, 10) as m:
                raise KeyError("boom")
        except KeyError as e:
            self.assertEqual(e.args, ("boom",))
        else:
            self.fail("KeyError swallowed")
        self.assertTrue(m.closed)

    def test_exit_return_value(self):
        m = self.anon(10)
        m.__enter__()
        self.assertFalse(m.__exit__(None, None, None))
        self.assertTrue(m.closed)
        self.assertFalse(m.__exit__(None, None, None))

    def test_entering_a_closed_map(self):
        m = self.anon(10)
        m.close()
        self.assertRaisesMsg(ValueError, MSG_CLOSED, m.__enter__)
        with self.assertRaises(ValueError):
            with m:
                pass

    def test_subclass_context_manager(self):
        class Sub(mmap.mmap):
            pass
        with Sub(-1, 10) as m:
            self.assertTrue(type(m) is Sub)
        self.assertTrue(m.closed)


@BACKPORT
class SeekableTests(MapTestCase):

    def test_seekable(self):
        m = self.make_map(DATA)
        self.assertTrue(m.seekable() is True)
        self.assertTrue(self.anon(4).seekable() is True)

    def test_seekable_when_closed(self):
        m = self.make_map(DATA)
        m.close()
        self.assertTrue(m.seekable() is True)


@BACKPORT
class MadviseTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(b"x" * (3 * PAGE))

    def test_constants(self):
        for name, value in MADV.items():
            self.assertEqual(getattr(mmap, name), value, name)

    def test_options_on_a_file_map(self):
        for name in SAFE_OPTIONS:
            self.assertEqual(self.m.madvise(getattr(mmap, name)), None, name)
            self.assertEqual(self.m.madvise(getattr(mmap, name), PAGE, PAGE), None, name)

    def test_options_on_a_private_anonymous_map(self):
        m = self.anon(2 * PAGE, flags=mmap.MAP_PRIVATE)
        for name in SAFE_OPTIONS + ["MADV_FREE"]:
            self.assertEqual(m.madvise(getattr(mmap, name), 0, PAGE), None, name)

    def test_dontneed_discards_private_anonymous_pages(self):
        m = self.anon(2 * PAGE, flags=mmap.MAP_PRIVATE)
        m[0:4] = b"data"
        m[PAGE:PAGE + 4] = b"keep"
        m.madvise(mmap.MADV_DONTNEED, 0, PAGE)
        self.assertEqual(m[0:4], b"\x00" * 4)
        self.assertEqual(m[PAGE:PAGE + 4], b"keep")

    def test_dontneed_keeps_shared_file_data(self):
        self.m[0:4] = b"data"
        self.m.madvise(mmap.MADV_DONTNEED)
        self.assertEqual(self.m[0:4], b"data")

    def test_ranges(self):
        for args in ((0,), (0, 0), (PAGE, 0), (PAGE, PAGE), (PAGE, 2 * PAGE), (0, 3 * PAGE)):
            self.assertEqual(self.m.madvise(mmap.MADV_NORMAL, *args), None, args)

    def test_overlong_length_is_clamped(self):
        for args in ((0, 3 * PAGE + 1), (PAGE, 3 * PAGE), (2 * PAGE, 100 * PAGE),
                     (0, 2 ** 63 - 1), (PAGE, 2 ** 63 - 1 - PAGE)):
            self.assertEqual(self.m.madvise(mmap.MADV_NORMAL, *args), None, args)

    def test_start_out_of_bounds(self):
        for start in (3 * PAGE, 3 * PAGE + 1, 100 * PAGE, -1, -PAGE, 2 ** 63 - 1, -2 ** 63):
            self.assertRaisesMsg(ValueError, "madvise start out of bounds",
                                 self.m.madvise, mmap.MADV_NORMAL, start)

    def test_negative_length(self):
        for length in (-1, -PAGE, -2 ** 63):
            self.assertRaisesMsg(ValueError, "madvise length invalid",
                                 self.m.madvise, mmap.MADV_NORMAL, 0, length)

    def test_start_plus_length_overflows(self):
        self.assertRaisesMsg(OverflowError, "madvise length too large",
                             self.m.madvise, mmap.MADV_NORMAL, PAGE, 2 ** 63 - 1)
        self.assertRaisesMsg(OverflowError, "madvise length too large",
                             self.m.madvise, mmap.MADV_NORMAL, PAGE, 2 ** 63 - PAGE)

    def test_huge_arguments(self):
        for args in ((2 ** 64,), (0, 2 ** 64), (0, 0, 2 ** 64)):
            self.assertRaises(OverflowError, self.m.madvise, *args)

    def test_unaligned_start(self):
        for start in (1, PAGE - 1, 3 * PAGE - 1):
            self.assertErrno(mmap.error, errno.EINVAL, self.m.madvise, mmap.MADV_NORMAL, start)

    def test_unknown_option(self):
        self.assertErrno(mmap.error, errno.EINVAL, self.m.madvise, 12345)
        self.assertErrno(mmap.error, errno.EINVAL, self.m.madvise, -1)

    def test_bad_arguments(self):
        for args in ((), (0.0,), ("0",), (0, "a"), (0, 0, 1.0), (0, 0, 1, 2), (None,)):
            self.assertRaises(TypeError, self.m.madvise, *args)
        self.assertRaises(TypeError, self.m.madvise, option=mmap.MADV_NORMAL)

    def test_read_only_and_offset_maps(self):
        ro = self.make_map(b"x" * PAGE, access=mmap.ACCESS_READ)
        self.assertEqual(ro.madvise(mmap.MADV_WILLNEED), None)
        off = self.make_map(b"x" * (3 * PAGE), offset=PAGE)
        self.assertEqual(off.madvise(mmap.MADV_NORMAL, PAGE), None)
        self.assertRaisesMsg(ValueError, "madvise start out of bounds",
                             off.madvise, mmap.MADV_NORMAL, 2 * PAGE)

    def test_closed(self):
        self.m.close()
        self.assertRaisesMsg(ValueError, MSG_CLOSED, self.m.madvise, mmap.MADV_NORMAL)


@BACKPORT
class TrackfdTests(MapTestCase):

    def test_trackfd_true_is_the_default_behaviour(self):
        f = self.make_file(DATA)
        m = self.map_file(f, trackfd=True)
        f.close()
        self.assertEqual(m.size(), len(DATA))
        m.resize(4)
        self.assertEqual(m[:], b"abca")

    def test_trackfd_false_map_works(self):
        f = self.make_file(b"a" * 64)
        m = self.map_file(f, 64, trackfd=False)
        f.close()
        self.assertEqual(len(m), 64)
        m.write_byte(b"X")
        m[2] = b"Y"
        m.flush()
        self.assertEqual(read_path(f.name)[:4], b"XaYa")
        self.assertEqual(m.find(b"Y", 0), 2)

    def test_trackfd_false_size_and_resize(self):
        f = self.make_file(DATA)
        m = self.map_file(f, trackfd=False)
        self.assertErrno(mmap.error, errno.EBADF, m.size)
        self.assertRaisesMsg(ValueError, "mmap can't resize with trackfd=False.", m.resize, 4)
        self.assertEqual(len(m), len(DATA))

    def test_trackfd_false_anonymous(self):
        m = self.anon(64, trackfd=False)
        m[0] = b"a"
        self.assertEqual(m[0], b"a")
        self.assertErrno(mmap.error, errno.EBADF, m.size)
        self.assertRaisesMsg(ValueError, "mmap can't resize with trackfd=False.", m.resize, 32)

    def test_trackfd_accepts_any_truth_value(self):
        f = self.make_file(DATA)
        for value in (1, "yes", [0]):
            m = self.map_file(f, trackfd=value)
            self.assertEqual(m.size(), len(DATA))
        for value in (0, "", None, []):
            m = self.map_file(f, trackfd=value)
            self.assertErrno(mmap.error, errno.EBADF, m.size)

    def test_trackfd_is_keyword_only(self):
        f = self.make_file(DATA)
        self.assertRaises(TypeError, mmap.mmap, f.fileno(), 0, mmap.MAP_SHARED,
                          mmap.PROT_READ | mmap.PROT_WRITE, 0, 0, False)


@BACKPORT
class FindNoneBoundsTests(MapTestCase):
    """start/end may be None, meaning "as if omitted" (start: the position;
    end: the end of the map)."""

    CASES = [
        ((None,), 9, 9),
        ((None, None), 9, 9),
        ((0, None), 0, 9),
        ((3, None), 3, 9),
        ((-3, None), 9, 9),
        ((1, None), 3, 9),
        ((None, 8), -1, -1),
        ((None, 12), 9, 9),
    ]

    def test_none_bounds(self):
        m = self.make_map(DATA)
        m.seek(5)
        for args, find_result, rfind_result in self.CASES:
            self.assertEqual(m.find(b"abc", *args), find_result, args)
            self.assertEqual(m.rfind(b"abc", *args), rfind_result, args)
        self.assertEqual(m.tell(), 5)


if __name__ == "__main__":
    unittest.main()


@BACKPORT
class MemoryviewTests(MapTestCase):
    """memoryview(m), which CPython 2.7 refuses (its mmap has only the old buffer interface), as
    Python 3 has it: zero-copy, writing through, read-only for ACCESS_READ maps."""

    def test_reads_the_map_in_place(self):
        f = self.make_file(b"0123456789")
        m = self.map_file(f)
        view = memoryview(m)
        self.assertEqual(len(view), 10)
        self.assertEqual(view[2:5].tobytes(), b"234")
        self.assertFalse(view.readonly)
        m[3] = b"X"
        self.assertEqual(view[3], b"X")

    def test_writes_through_to_the_file(self):
        f = self.make_file(b"0123456789")
        m = self.map_file(f)
        view = memoryview(m)
        view[0] = b"A"
        view[4:6] = b"BC"
        self.assertEqual(m[:6], b"A123BC")
        m.flush()
        self.assertEqual(read_path(f.name)[:6], b"A123BC")

    def test_read_only_map_gives_a_read_only_view(self):
        f = self.make_file(b"0123456789")
        m = self.map_file(f, access=mmap.ACCESS_READ)
        view = memoryview(m)
        self.assertTrue(view.readonly)
        self.assertRaises(TypeError, operator.setitem, view, 0, b"x")
        self.assertEqual(m[0], b"0")

    def test_closed_map_refuses(self):
        m = self.anon(8)
        m.close()
        self.assertRaisesMsg(ValueError, MSG_CLOSED, memoryview, m)


@BACKPORT
class WeakrefTests(MapTestCase):
    """Weak references to maps, as Python 3 has them (CPython 2.7 refuses them)."""

    def test_weak_reference_follows_the_map(self):
        import weakref
        m = self.anon(4)
        ref = weakref.ref(m)
        self.assertTrue(ref() is m)
        proxy = weakref.proxy(m)
        self.assertEqual(len(proxy), 4)


@BACKPORT
class SetNameTests(MapTestCase):
    """set_name(name), CPython 3.15's: checks its argument always, names the map only in
    development mode (PYTHONDEVMODE) on a kernel that can (tests-python/test_set_name.py)."""

    def test_returns_none_outside_development_mode(self):
        m = self.anon(PAGE)
        self.assertEqual(m.set_name("test_mapping"), None)
        self.assertEqual(m.set_name(u"caf\xe9"), None)
        self.assertEqual(m.set_name("x" * 66), None)

    def test_argument_errors(self):
        m = self.anon(PAGE)
        self.assertRaisesMsg(TypeError, "set_name() argument must be str, not int", m.set_name, 1)
        self.assertRaisesMsg(ValueError, "embedded null character", m.set_name, "a\0b")
        self.assertRaisesMsg(ValueError, "name is too long", m.set_name, "x" * 67)
        self.assertRaisesMsg(ValueError, "name is too long", m.set_name, u"\xe9" * 34)

    def test_development_mode_names_the_map_or_reports_the_kernel_refusal(self):
        import gzip
        import subprocess
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        program = ("import errno, fmmap as mmap\n"
                   "m = mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_PRIVATE)\n"
                   "try:\n    m.set_name('jython_test')\n    print 'named'\n"
                   "except mmap.error as e:\n    print 'refused', errno.errorcode[e.errno]\n"
                   "print ' '.join(l.split()[-1] for l in open('/proc/self/maps') if 'cpython:mmap' in l)\n")
        env = dict(os.environ, PYTHONDEVMODE="1")
        process = subprocess.Popen([os.path.join(root, "bin", "jython"), "-c", program], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate()
        self.assertEqual(process.returncode, 0, err)
        try:
            config = gzip.open("/proc/config.gz").read()
        except IOError:
            config = None
        if config is not None and "\nCONFIG_ANON_VMA_NAME=y" not in config:
            # This kernel cannot name anonymous memory: prctl's EINVAL, as mmap.error.
            self.assertEqual(out.split(), ["refused", "EINVAL"])
        else:
            self.assertEqual(out.split()[0], "named")
            self.assertTrue("[anon:cpython:mmap:jython_test]" in out.split(), out)

    def test_file_map_and_closed_map_refused(self):
        f = self.make_file(b"x" * 10)
        m = self.map_file(f)
        self.assertRaisesMsg(ValueError, "Cannot set annotation on non-anonymous mappings",
                             m.set_name, "file")
        a = self.anon(PAGE)
        a.close()
        self.assertRaisesMsg(ValueError, MSG_CLOSED, a.set_name, "closed")


@BACKPORT
class FlushFlagsTests(MapTestCase):
    """flush(..., flags=MS_*), CPython 3.15's keyword, with 2.7's positional arguments."""

    def test_constants(self):
        self.assertEqual((mmap.MS_ASYNC, mmap.MS_INVALIDATE, mmap.MS_SYNC), (1, 2, 4))

    def test_flags_reach_msync(self):
        f = self.make_file(b"x" * (2 * PAGE))
        m = self.map_file(f)
        m[:2] = b"ok"
        self.assertEqual(m.flush(0, PAGE, flags=mmap.MS_ASYNC), None)
        self.assertEqual(m.flush(flags=mmap.MS_SYNC | mmap.MS_INVALIDATE), None)
        self.assertEqual(read_path(f.name)[:2], b"ok")
        with self.assertRaises(mmap.error) as cm:
            m.flush(flags=mmap.MS_SYNC | mmap.MS_ASYNC)
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_other_keywords_refused(self):
        m = self.anon(PAGE)
        self.assertRaisesMsg(TypeError, "flush() takes no keyword arguments", m.flush, offset=0)
