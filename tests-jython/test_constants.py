"""Module attributes: constants, the error type, the mmap type and its methods."""
import errno
import unittest

from _target import mmap
from _support import MapTestCase


class ConstantTests(unittest.TestCase):

    def test_access_constants(self):
        self.assertEqual(mmap.ACCESS_READ, 1)
        self.assertEqual(mmap.ACCESS_WRITE, 2)
        self.assertEqual(mmap.ACCESS_COPY, 3)

    def test_prot_constants(self):
        self.assertEqual(mmap.PROT_READ, 1)
        self.assertEqual(mmap.PROT_WRITE, 2)
        self.assertEqual(mmap.PROT_EXEC, 4)

    def test_map_constants(self):
        self.assertEqual(mmap.MAP_SHARED, 1)
        self.assertEqual(mmap.MAP_PRIVATE, 2)
        self.assertEqual(mmap.MAP_ANONYMOUS, 32)
        self.assertEqual(mmap.MAP_ANON, mmap.MAP_ANONYMOUS)
        self.assertEqual(mmap.MAP_DENYWRITE, 2048)
        self.assertEqual(mmap.MAP_EXECUTABLE, 4096)

    def test_constants_are_ints(self):
        for name in ("ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY", "PROT_READ",
                     "PROT_WRITE", "PROT_EXEC", "MAP_SHARED", "MAP_PRIVATE",
                     "MAP_ANON", "MAP_ANONYMOUS", "PAGESIZE", "ALLOCATIONGRANULARITY"):
            self.assertTrue(isinstance(getattr(mmap, name), int), name)

    def test_pagesize(self):
        self.assertEqual(mmap.PAGESIZE, 4096)
        self.assertEqual(mmap.PAGESIZE & (mmap.PAGESIZE - 1), 0)

    def test_allocation_granularity_is_the_page_size_on_unix(self):
        self.assertEqual(mmap.ALLOCATIONGRANULARITY, mmap.PAGESIZE)

    def test_error_is_an_environment_error(self):
        self.assertTrue(issubclass(mmap.error, EnvironmentError))
        self.assertEqual(mmap.error.__name__, "error")
        self.assertEqual(mmap.error.__module__, "mmap")

    def test_error_carries_errno_and_strerror(self):
        e = mmap.error(errno.EINVAL, "Invalid argument")
        self.assertEqual(e.errno, errno.EINVAL)
        self.assertEqual(e.strerror, "Invalid argument")
        self.assertEqual(str(e), "[Errno 22] Invalid argument")

    def test_mmap_type(self):
        self.assertTrue(isinstance(mmap.mmap, type))
        self.assertEqual(mmap.mmap.__name__, "mmap")
        self.assertEqual(mmap.mmap.__module__, "mmap")

    def test_python_27_methods_present(self):
        for name in ("close", "find", "flush", "move", "read", "read_byte",
                     "readline", "resize", "rfind", "seek", "size", "tell",
                     "write", "write_byte"):
            self.assertTrue(callable(getattr(mmap.mmap, name)), name)


class TypeOfMapTests(MapTestCase):

    def test_map_is_an_instance_of_the_type(self):
        m = self.anon(16)
        self.assertTrue(type(m) is mmap.mmap)
        self.assertTrue(isinstance(m, mmap.mmap))

    def test_default_repr_names_the_type(self):
        m = self.anon(16)
        self.assertTrue(repr(m).startswith("<mmap.mmap object at 0x"), repr(m))
        self.assertTrue(repr(m).endswith(">"), repr(m))
        self.assertEqual(str(m), repr(m))


if __name__ == "__main__":
    unittest.main()
