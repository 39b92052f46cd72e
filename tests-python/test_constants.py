"""Module-level constants (Linux x86-64 values)."""
import pytest

from _target import mmap, CTYPES_BUFFER, cpython315

EXPECTED = {
    "ACCESS_DEFAULT": 0,
    "ACCESS_READ": 1,
    "ACCESS_WRITE": 2,
    "ACCESS_COPY": 3,
    "PROT_READ": 1,
    "PROT_WRITE": 2,
    "PROT_EXEC": 4,
    "MAP_SHARED": 1,
    "MAP_PRIVATE": 2,
    "MAP_ANON": 32,
    "MAP_ANONYMOUS": 32,
    "MAP_DENYWRITE": 2048,
    "MAP_EXECUTABLE": 4096,
    "MAP_POPULATE": 32768,
    "MAP_STACK": 131072,
    "MAP_32BIT": 64,
    "MAP_NORESERVE": 16384,
    "MADV_NORMAL": 0,
    "MADV_RANDOM": 1,
    "MADV_SEQUENTIAL": 2,
    "MADV_WILLNEED": 3,
    "MADV_DONTNEED": 4,
    "MADV_FREE": 8,
    "MADV_REMOVE": 9,
    "MADV_DONTFORK": 10,
    "MADV_DOFORK": 11,
    "MADV_MERGEABLE": 12,
    "MADV_UNMERGEABLE": 13,
    "MADV_HUGEPAGE": 14,
    "MADV_NOHUGEPAGE": 15,
    "MADV_DONTDUMP": 16,
    "MADV_DODUMP": 17,
    "MADV_HWPOISON": 100,
}


# New in CPython 3.15: msync's flags, for flush(flags=...).
EXPECTED_315 = {
    "MS_ASYNC": 1,
    "MS_INVALIDATE": 2,
    "MS_SYNC": 4,
}


@pytest.mark.parametrize("name", sorted(EXPECTED) + [
    pytest.param(name, marks=cpython315("new constant")) for name in sorted(EXPECTED_315)])
def test_constant_value(name):
    value = getattr(mmap, name)
    assert type(value) is int
    assert value == dict(EXPECTED, **EXPECTED_315)[name]


def test_pagesize():
    import resource
    assert type(mmap.PAGESIZE) is int
    assert mmap.PAGESIZE == resource.getpagesize()


def test_allocation_granularity_equals_pagesize_on_linux():
    assert type(mmap.ALLOCATIONGRANULARITY) is int
    assert mmap.ALLOCATIONGRANULARITY == mmap.PAGESIZE


def test_error_is_oserror():
    assert mmap.error is OSError


def test_soft_offline_when_defined():
    # MADV_SOFT_OFFLINE exists only where the C headers define it; when it
    # does, Linux gives it the value 101.
    if hasattr(mmap, "MADV_SOFT_OFFLINE"):
        assert mmap.MADV_SOFT_OFFLINE == 101


def test_mmap_is_a_type():
    assert isinstance(mmap.mmap, type)
    assert mmap.mmap.__name__ == "mmap"


def test_mmap_has_members():
    names = ["close", "closed", "find", "flush", "madvise", "move", "read",
             "read_byte", "readline", "resize", "rfind", "seek", "seekable",
             "size", "tell", "write", "write_byte", "__enter__", "__exit__",
             "__len__", "__getitem__", "__setitem__", "__delitem__",
             "__buffer__", "__release_buffer__"]
    missing = [n for n in names if not hasattr(mmap.mmap, n)]
    assert missing == []


@pytest.mark.parametrize("name", [
    "__contains__", "__add__", "__radd__", "__iadd__",
    pytest.param("__mul__", marks=CTYPES_BUFFER), pytest.param("__rmul__", marks=CTYPES_BUFFER)])
def test_mmap_lacks_member(name):
    # `in` goes through iteration (1-byte bytes items), not a substring
    # search, and there is no concatenation or repetition.
    assert not hasattr(mmap.mmap, name)
