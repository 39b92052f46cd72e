"""Every member of CPython 3.13's mmap.mmap and those 3.15 added, one test each: the member exists and does its core job,
the way CPython's does it. Each test's id is the member's name: docs/generate.py turns their results
on each runtime (bin/test docs) into docs/compat.md's API table, next to test_constants.py's results
for the module's names. The behaviour files (test_find.py, ...) test each member in depth; these
tests say which members work at all, so they avoid anything that crashes GraalPy's built-in mmap."""
import pytest

from _target import mmap, REFERENCE, cpython315

CHECKS = {}


def member(name):
    def register(check):
        CHECKS[name] = check
        return check
    return register


@member("__buffer__")
def check_buffer(make_map):
    m = make_map(b"abcdef")
    view = m.__buffer__(0)
    try:
        assert (view.format, view.nbytes, bytes(view[1:3])) == ("B", 6, b"bc")
    finally:
        view.release()


@member("__release_buffer__")
def check_release_buffer(make_map):
    m = make_map(b"abcdef")
    view = m.__buffer__(0)
    m.__release_buffer__(view)
    with pytest.raises(ValueError):
        view[0]  # released


@member("__delitem__")
def check_delitem(make_map):
    m = make_map(b"abc")
    with pytest.raises(TypeError, match="mmap doesn't support item deletion"):
        del m[0]


@member("__enter__")
def check_enter(make_map):
    m = make_map(b"abc")
    assert m.__enter__() is m


@member("__exit__")
def check_exit(make_map):
    m = make_map(b"abc")
    with m as entered:
        assert entered is m
    assert m.closed


@member("__getitem__")
def check_getitem(make_map):
    m = make_map(b"abcdef")
    assert (m[0], m[-1], m[1:4], m[::2]) == (97, 102, b"bcd", b"ace")
    with pytest.raises(IndexError, match="mmap index out of range"):
        m[6]


@member("__len__")
def check_len(make_map):
    assert len(make_map(b"abcdef")) == 6


@member("__setitem__")
def check_setitem(make_map):
    m = make_map(b"abcdef")
    m[0] = 65
    m[1:3] = b"BC"
    m[3::2] = b"DF"
    assert m[:] == b"ABCDeF"


@member("close")
def check_close(make_map):
    m = make_map(b"abc")
    assert m.close() is None
    with pytest.raises(ValueError, match="mmap closed or invalid"):
        m.read(1)


@member("closed")
def check_closed(make_map):
    m = make_map(b"abc")
    assert m.closed is False
    m.close()
    assert m.closed is True


@member("find")
def check_find(make_map):
    m = make_map(b"abcabc")
    assert (m.find(b"c"), m.find(b"bc", 2), m.find(b"a", 1, 3), m.find(b"x")) == (2, 4, -1, -1)


@member("flush")
def check_flush(make_map):
    m = make_map(b"abc")
    m[0] = 65
    assert m.flush() is None
    assert m.flush(0, 3) is None


@member("madvise")
def check_madvise(make_map):
    m = make_map(b"a" * mmap.PAGESIZE * 2)
    assert m.madvise(mmap.MADV_NORMAL) is None
    assert m.madvise(mmap.MADV_WILLNEED, mmap.PAGESIZE, mmap.PAGESIZE) is None


@member("move")
def check_move(make_map):
    m = make_map(b"abcdef")
    assert m.move(0, 3, 3) is None
    assert m[:] == b"defdef"


@member("read")
def check_read(make_map):
    m = make_map(b"abcdef")
    assert (m.read(2), m.read(), m.read()) == (b"ab", b"cdef", b"")


@member("read_byte")
def check_read_byte(make_map):
    m = make_map(b"ab")
    assert (m.read_byte(), m.read_byte()) == (97, 98)
    with pytest.raises(ValueError, match="read byte out of range"):
        m.read_byte()


@member("readline")
def check_readline(make_map):
    m = make_map(b"one\ntwo")
    assert (m.readline(), m.readline(), m.readline()) == (b"one\n", b"two", b"")


@member("resize")
def check_resize(make_map):
    m = make_map(b"abc")
    assert m.resize(mmap.PAGESIZE) is None
    assert (len(m), m[:3]) == (mmap.PAGESIZE, b"abc")


@member("rfind")
def check_rfind(make_map):
    m = make_map(b"abcabc")
    assert (m.rfind(b"c"), m.rfind(b"bc", 0, 4), m.rfind(b"x")) == (5, 1, -1)


@member("seek")
def check_seek(make_map):
    m = make_map(b"abcdef")
    assert (m.seek(2), m.seek(1, 1), m.seek(-1, 2)) == (2, 3, 5)
    with pytest.raises(ValueError, match="seek out of range"):
        m.seek(7)


@member("seekable")
def check_seekable(make_map):
    assert make_map(b"abc").seekable() is True


@member("size")
def check_size(make_map):
    m = make_map(b"abcdef", 4)
    assert (m.size(), len(m)) == (6, 4)


@member("tell")
def check_tell(make_map):
    m = make_map(b"abcdef")
    m.read(4)
    assert m.tell() == 4


@member("write")
def check_write(make_map):
    m = make_map(b"abcdef")
    assert m.write(b"XY") == 2
    assert (m.tell(), m[:]) == (2, b"XYcdef")
    with pytest.raises(ValueError, match="data out of range"):
        m.write(b"12345")


@member("write_byte")
def check_write_byte(make_map):
    m = make_map(b"ab")
    assert m.write_byte(65) is None
    assert (m.tell(), m[:]) == (1, b"Ab")


@member("set_name")
def check_set_name(make_map):
    m = mmap.mmap(-1, mmap.PAGESIZE)
    try:
        assert m.set_name("api") is None  # names the map only in development mode (test_set_name.py)
        with pytest.raises(ValueError, match="^name is too long$"):
            m.set_name("x" * 67)
    finally:
        m.close()


NEW_IN_315 = {"set_name"}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=cpython315("new method")) if name in NEW_IN_315 else name
    for name in sorted(CHECKS)])
def test_member(name, make_map):
    CHECKS[name](make_map)


def test_names_are_cpythons():
    """This file's members and test_constants.py's names are exactly CPython 3.13's."""
    if not REFERENCE:
        pytest.skip("compares the lists with CPython's own mmap (reference mode)")
    import sys
    if sys.version_info[:2] != (3, 13):
        pytest.skip("the lists are CPython 3.13's")
    from test_constants import EXPECTED  # the constants, each tested there under its own name
    module_names = set(EXPECTED) | {"PAGESIZE", "ALLOCATIONGRANULARITY", "error", "mmap"}
    assert sorted(n for n in dir(mmap) if not n.startswith("__")) == sorted(module_names)
    assert sorted(n for n in dir(mmap.mmap) if n not in dir(object) and n != "__module__") == sorted(
        set(CHECKS) - NEW_IN_315)
