"""The cases of PyPy's app-level mmap tests (pypy/module/mmap/test/test_mmap.py,
branch py3.12), rewritten for this suite.

The spec is CPython 3.13: where PyPy's test accepts something else (it often
allows several exception types), the expectation here is CPython's, and the
test says so in a comment.  Sections follow PyPy's tests in their order; the
sparse-file cases map a small window at an offset above 4 GiB (whole maps above
4 GiB are in test_large_files.py).
"""
import errno
import os

import pytest

from _target import mmap, FOLLOWS_315, SSIZE_MAX, CTYPES_BUFFER, deviation

PS = mmap.PAGESIZE
AG = mmap.ALLOCATIONGRANULARITY
FOOBAR = b"foobar"


@pytest.fixture
def foobar(make_file):
    """An r+b file holding b'foobar'."""
    return make_file(FOOBAR)


def fresh_map(f, length=6, **kwargs):
    return mmap.mmap(f.fileno(), length, **kwargs)


# ------------------------------------------------------ module attributes

def test_pagesize_and_granularity():
    assert type(mmap.PAGESIZE) is int and mmap.PAGESIZE > 0
    assert type(mmap.ALLOCATIONGRANULARITY) is int
    assert mmap.ALLOCATIONGRANULARITY > 0
    assert mmap.ALLOCATIONGRANULARITY % mmap.PAGESIZE == 0


@pytest.mark.parametrize("name", [
    "ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY", "ACCESS_DEFAULT",
    "MAP_ANON", "MAP_ANONYMOUS", "MAP_PRIVATE", "MAP_SHARED", "MAP_POPULATE",
    "PROT_EXEC", "PROT_READ", "PROT_WRITE"])
def test_integer_constants(name):
    assert type(getattr(mmap, name)) is int


def test_error_is_oserror():
    assert mmap.error is OSError


# -------------------------------------------------- constructor arguments

def test_args_fileno_must_be_an_integer():
    # CPython converts the arguments in order, so the bad fileno is reported
    # before the missing length.
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        mmap.mmap("foo")


def test_args_length_must_be_an_integer(foobar):
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        mmap.mmap(foobar.fileno(), "foo")


def test_args_positional_flags_prot_with_access(foobar):
    # flags=2 (MAP_PRIVATE), prot=3, access=4: access together with flags/prot
    # is checked before the access value itself.
    with pytest.raises(ValueError,
                       match=r"^mmap can't specify both access and flags, prot\.$"):
        mmap.mmap(foobar.fileno(), 1, 2, 3, 4)


def test_args_offset_must_be_an_integer(foobar):
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        mmap.mmap(foobar.fileno(), 1, 2, 3, "foo", 5)


def test_args_unknown_keyword(foobar):
    # CPython 3.13's wording (3.12: "'foo' is an invalid keyword argument for
    # this function").
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        mmap.mmap(foobar.fileno(), 1, foo="foo")


def test_args_negative_length(foobar):
    # PyPy accepts TypeError or OverflowError; CPython raises OverflowError.
    with pytest.raises(OverflowError,
                       match="^memory mapped length must be positive$"):
        mmap.mmap(foobar.fileno(), -1)


def test_args_length_too_large_for_ssize_t(foobar):
    with pytest.raises(OverflowError):
        mmap.mmap(foobar.fileno(), SSIZE_MAX ** 3)


def test_args_flags_and_access_together(foobar):
    with pytest.raises(ValueError,
                       match=r"^mmap can't specify both access and flags, prot\.$"):
        mmap.mmap(foobar.fileno(), 1, flags=2, access=3)


@pytest.mark.parametrize("access", [4, 123])
def test_args_invalid_access(foobar, access):
    with pytest.raises(ValueError, match=r"^mmap invalid access parameter\.$"):
        mmap.mmap(foobar.fileno(), 1, access=access)


def test_args_access_write_with_private_read_only_flags(foobar):
    with pytest.raises(ValueError,
                       match=r"^mmap can't specify both access and flags, prot\.$"):
        mmap.mmap(foobar.fileno(), 6, flags=mmap.MAP_PRIVATE,
                  prot=mmap.PROT_READ, access=mmap.ACCESS_WRITE)


def test_args_bad_file_descriptor():
    with pytest.raises(OSError) as info:
        mmap.mmap(-2, 4096)
    assert info.value.errno == errno.EBADF


# PyPy's test_subclass (a subclass whose __new__ maps anonymous memory) is CPython's test_subclass too:
# test_cpython_cases.py::test_subclass_overriding_only_new.


def test_length_greater_than_file(make_file):
    f = make_file(b"c")
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), 123)


def test_length_zero_offset_past_end_of_file(make_file):
    # PyPy reopens the file with "w+b", which empties it, so its case ends in
    # the empty-file error; both ways raise ValueError.
    f = make_file(b"m" * 115699)
    with pytest.raises(ValueError,
                       match="^mmap offset is greater than file size$"):
        mmap.mmap(f.fileno(), 0, offset=2147418112)
    f.truncate(0)
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0, offset=2147418112)


def test_empty_file_cannot_be_mapped(make_file):
    f = make_file(b"", mode="rb")
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def test_length_zero_maps_whole_file(make_file):
    data = b"m" * 2 ** 16
    f = make_file(data)
    with mmap.mmap(f.fileno(), 0) as m:
        assert len(m) == 2 ** 16
        assert m.read(2 ** 16) == data


# ---------------------------------------------------------------- reading

def test_read_after_short_file(make_file):
    f = make_file(b"c")
    with mmap.mmap(f.fileno(), 1) as m:
        assert m.read(99) == b"c"
        assert m.read(99) == b""


def test_closed_map_refuses_read_and_len(make_file):
    f = make_file(b"c")
    m = mmap.mmap(f.fileno(), 1)
    m.close()
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        m.read(1)
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        len(m)


def test_read_byte_then_end(make_file):
    f = make_file(b"c")
    with mmap.mmap(f.fileno(), 1) as m:
        value = m.read_byte()
        assert type(value) is int and value == ord("c")
        with pytest.raises(ValueError, match="^read byte out of range$"):
            m.read_byte()
        assert m.tell() == 1


def test_readline_then_end(make_file):
    f = make_file(b"foo\n")
    with mmap.mmap(f.fileno(), 4) as m:
        assert m.readline() == b"foo\n"
        assert m.readline() == b""


def test_read_argument_and_sequence(foobar):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError,
                           match="^argument should be integer or None, not 'bytes'$"):
            m.read(b"foo")
        assert m.read(1) == b"f"
        assert m.read(6) == b"oobar"
        assert m.read(1) == b""


def test_read_none_reads_everything(foobar):
    with fresh_map(foobar) as m:
        assert m.read(None) == FOOBAR
        assert m.tell() == 6


# -------------------------------------------------------------- find/rfind

FIND_DATA = b"foobar\0"
RFIND_DATA = b"foobarfoobar\0"

FIND_TABLE = [
    ((b"b",), 3), ((b"z",), -1), ((b"o", 5), -1), ((b"ob",), 2),
    ((b"\0",), 6), ((b"ob", 1), 2), ((b"ob", 2), 2), ((b"ob", 3), -1),
    ((b"ob", -4), -1), ((b"ob", -5), 2), ((b"ob", -999999999), 2),
    ((b"ob", 1, 3), -1), ((b"ob", 1, 4), 2), ((b"ob", 1, 999999999), 2),
    ((b"ob", 1, 0), -1), ((b"ob", 1, -1), 2), ((b"ob", 1, -3), 2),
    ((b"ob", 1, -4), -1),
]

RFIND_TABLE = [
    ((b"b",), 9), ((b"z",), -1), ((b"o", 11), -1), ((b"ob",), 8),
    ((b"\0",), 12), ((b"ob", 7), 8), ((b"ob", 8), 8), ((b"ob", 9), -1),
    ((b"ob", -4), -1), ((b"ob", -5), 8), ((b"ob", -999999999), 8),
    ((b"ob", 1, 3), -1), ((b"ob", 1, 4), 2), ((b"ob", 1, 999999999), 8),
    ((b"ob", 1, 0), -1), ((b"ob", 1, -1), 8), ((b"ob", 1, -3), 8),
    ((b"ob", 1, -4), 2),
]


@pytest.mark.parametrize("args, expected", FIND_TABLE)
def test_find_table(make_map, args, expected):
    m = make_map(FIND_DATA)
    assert m.find(*args) == expected
    assert m.tell() == 0


@pytest.mark.parametrize("args, expected", RFIND_TABLE)
def test_rfind_table(make_map, args, expected):
    m = make_map(RFIND_DATA)
    assert m.rfind(*args) == expected
    assert m.tell() == 0


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_find_argument_types(make_map, method):
    m = make_map(RFIND_DATA)
    with pytest.raises(TypeError, match="^a bytes-like object is required, not 'int'$"):
        getattr(m, method)(123)
    with pytest.raises(TypeError):
        getattr(m, method)(b"foo", b"baz")
    with pytest.raises(TypeError):
        getattr(m, method)(b"foo", 0, b"baz")


def test_find_default_start_follows_position(make_map):
    m = make_map(FIND_DATA)
    assert m.read(2) == b"fo"
    assert m.find(b"o") == 2
    assert m.find(b"oo") == -1
    assert m.find(b"o", 0) == 1


def test_rfind_default_start_follows_position(make_map):
    m = make_map(RFIND_DATA)
    assert m.read(8) == b"foobarfo"
    assert m.rfind(b"o") == 8
    assert m.rfind(b"oo") == -1
    assert m.rfind(b"o", 0) == 8


def clamp(value, n):
    """mmap's reading of a start/end: negative counts from the end, then the
    result is clamped into [0, n]."""
    if value < 0:
        value += n
    return min(max(value, 0), n)


def model_search(data, needle, start, end, reverse):
    """Where find (or rfind, if reverse) should report needle, by brute force
    over the clamped range (the host's bytes.find is not trusted here)."""
    n = len(data)
    if FOLLOWS_315 and start > n:
        return -1  # CPython 3.15 (gh-151021): a start past the end finds nothing, as bytes.find
    start, end = clamp(start, n), clamp(end, n)
    candidates = range(start, end - len(needle) + 1)
    if reverse:
        candidates = reversed(candidates)
    for i in candidates:
        if data[i:i + len(needle)] == needle:
            return i
    return -1


@pytest.mark.parametrize("needle", [b"ob", b"o", b"", b"\0", b"foobar\0x"])
def test_find_rfind_dense_start_end(make_map, needle):
    # Every (start, end) pair from well before the start to past the end.
    # mmap clamps both into [0, len] before searching, so until CPython 3.15
    # (unlike bytes) an empty needle with a start past the end is found at len.
    m = make_map(RFIND_DATA)
    n = len(RFIND_DATA)
    bad = []
    for start in range(-n - 3, n + 4):
        for end in range(-n - 3, n + 4):
            for method in ("find", "rfind"):
                want = model_search(RFIND_DATA, needle, start, end, method == "rfind")
                got = getattr(m, method)(needle, start, end)
                if got != want:
                    bad.append((method, start, end, got, want))
    assert bad == []


def test_find_every_substring_with_nul_bytes(make_file):
    data = b"aabaac\x00deef\x00\x00aa\x00"
    n = len(data)
    f = make_file(data)
    m = mmap.mmap(f.fileno(), n)
    f.close()
    with m:
        for start in range(n + 1):
            for finish in range(start, n + 1):
                piece = data[start:finish]
                assert m.find(piece) == data.find(piece), piece
                assert m.rfind(piece) == data.rfind(piece), piece
                assert m.find(piece + b"x") == -1, piece


# ---------------------------------------------------------------- writing

def test_read_only_map_refuses_write_and_resize(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m.write(b"x")
        with pytest.raises(TypeError, match="^mmap can't resize a readonly"):
            m.resize(7)
    assert os.path.getsize(foobar.name) == 6


def test_write_arguments_and_result(foobar, file_bytes):
    with fresh_map(foobar, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError):
            m.write(b"foo")
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        with pytest.raises(TypeError, match="^a bytes-like object is required, not 'int'$"):
            m.write(123)
        with pytest.raises(ValueError, match="^data out of range$"):
            m.write(b"c" * 10)
        assert m.tell() == 0
        assert m.write(b"ciao\n") == 5
        assert m.tell() == 5
        m.seek(0)
        assert m.read(6) == b"ciao\nr"
    assert file_bytes(foobar.name) == b"ciao\nr"


def test_write_byte_arguments(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError):
            m.write_byte(b"f")
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m.write_byte(ord("f"))
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            m.write_byte("a")
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            m.write_byte(b"a")
        assert m.tell() == 0
        assert m.write_byte(ord("x")) is None
        m.seek(0)
        assert m.read(6) == b"xoobar"


# ------------------------------------------------------ seek / tell / size

@pytest.mark.parametrize("args", [(b"foo",), (0, b"foo")])
def test_seek_argument_types(foobar, args):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            m.seek(*args)


@pytest.mark.parametrize("args, message", [
    ((-1, 0), "^seek out of range$"), ((-1, 1), "^seek out of range$"),
    ((-7, 2), "^seek out of range$"), ((1, 3), "^unknown seek type$"),
    ((10,), "^seek out of range$")])
def test_seek_refusals(foobar, args, message):
    with fresh_map(foobar) as m:
        with pytest.raises(ValueError, match=message):
            m.seek(*args)
        assert m.tell() == 0


def test_seek_whence_values(foobar):
    with fresh_map(foobar) as m:
        m.seek(0)
        assert m.tell() == 0
        m.read(1)
        m.seek(1, 1)
        assert m.tell() == 2
        m.seek(0)
        m.seek(-1, 2)
        assert m.tell() == 5


def test_size_is_file_size_not_map_length(foobar):
    with fresh_map(foobar, 5) as m:
        assert len(m) == 5
        assert m.size() == 6


def test_tell_starts_at_zero(make_file):
    f = make_file(b"c")
    with mmap.mmap(f.fileno(), 1) as m:
        assert m.tell() == 0


def test_len(foobar):
    with fresh_map(foobar) as m:
        assert len(m) == 6


# ------------------------------------------------------------------ flush

def test_flush_arguments(foobar):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError):
            m.flush(1, 2, 3)
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            m.flush(1, b"a")
        with pytest.raises(ValueError, match="^flush values out of range$"):
            m.flush(0, 99)
        assert m.flush() is None


# ------------------------------------------------------------------- move

def test_move_arguments(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError):
            m.move(1)
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            m.move(1, b"foo", 2)
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        for args in [(7, 1, 2), (1, 7, 2)]:
            with pytest.raises(ValueError,
                               match="^source, destination, or count out of range$"):
                m.move(*args)
        assert m[:] == FOOBAR


def test_move_overlapping(foobar, file_bytes):
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        m.move(1, 3, 3)
        assert m.read(6) == b"fbarar"
        m.seek(0)
        m.move(1, 3, 2)
        assert m.read(6) == b"frarar"
    assert file_bytes(foobar.name) == b"frarar"


def test_move_second_half_onto_first(make_file):
    f = make_file(b"ABCDEabcde")
    with mmap.mmap(f.fileno(), 10) as m:
        m.move(5, 0, 5)
        assert m.read(10) == b"ABCDEABCDE"


# ----------------------------------------------------------------- resize

@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_COPY"])
def test_resize_refused_for_read_and_copy(foobar, access_name):
    with fresh_map(foobar, access=getattr(mmap, access_name)) as m:
        with pytest.raises(TypeError,
                           match=r"^mmap can't resize a readonly or copy-on-write memory map\.$"):
            m.resize(1)
        assert len(m) == 6
    assert os.path.getsize(foobar.name) == 6


def test_resize_grows_file(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        assert m.size() == os.fstat(foobar.fileno()).st_size == 6
        m.resize(10)
        assert m.size() == os.fstat(foobar.fileno()).st_size == 10
        assert len(m) == 10
        assert m[:] == FOOBAR + bytes(4)


def test_resize_below_position(make_anon):
    m = make_anon(2 * PS)
    pos = PS + PS // 2
    m.read(pos)
    m.resize(PS)
    assert len(m) == PS
    assert m.tell() == pos
    assert m.read(14) == b""
    assert m.read(-1) == b""
    with pytest.raises(ValueError, match="^read byte out of range$"):
        m.read_byte()
    assert m.readline() == b""
    with pytest.raises(ValueError, match="^write byte out of range$"):
        m.write_byte(ord("b"))
    with pytest.raises(ValueError, match="^data out of range$"):
        m.write(b"abc")
    assert m.tell() == pos


# PyPy's offset_more (a map at an offset, its file object closed, then resized) is CPython's
# test_offset too: test_cpython_cases.py::test_offset_map_then_resize.


# ------------------------------------------------------- items and slices

def test_getitem(foobar):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError, match="^mmap indices must be integers$"):
            m[b"foo"]
        with pytest.raises(IndexError, match="^mmap index out of range$"):
            m[-7]
        assert m[0] == ord("f")
        assert m[-1] == ord("r")
        assert m[1::2] == b"obr"
        assert m[4:1:-2] == b"ao"


HALLO = b"hallo!!!"


@pytest.mark.parametrize("s, expected", [
    (slice(1, None, SSIZE_MAX), b"a"),
    (slice(None, None, SSIZE_MAX), b"h"),
    (slice(None, None, -SSIZE_MAX), b"!"),
    (slice(-1, None, -SSIZE_MAX - 1), b"!"),
    (slice(None, None, 2 ** 100), b"h"),
    (slice(3, None, 2 ** 100), b"l"),
    (slice(None, None, -(2 ** 100)), b"!"),
    (slice(None, 0, -(2 ** 100)), b"!"),
    (slice(0, None, SSIZE_MAX * 2), b"h"),
])
def test_getitem_huge_step(make_anon, s, expected):
    m = make_anon(len(HALLO))
    m[:] = HALLO
    assert m[s] == expected


@pytest.mark.parametrize("s, expected", [
    (slice(1, None, SSIZE_MAX), b"hXllo!!!"),
    (slice(None, None, 2 ** 100), b"Xallo!!!"),
    (slice(None, None, -(2 ** 100)), b"hallo!!X"),
])
def test_setitem_huge_step(make_anon, s, expected):
    m = make_anon(len(HALLO))
    m[:] = HALLO
    m[s] = b"X"
    assert m[:] == expected


def test_setitem_on_read_only_map(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m[1] = b"a"
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m[1] = ord("a")


def test_setitem_errors(foobar):
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        with pytest.raises(TypeError, match="^mmap indices must be integer$"):
            m[b"foo"] = b"a"
        with pytest.raises(IndexError, match="^mmap index out of range$"):
            m[-7] = b"a"
        # PyPy allows IndexError or TypeError; CPython: TypeError (str is not
        # bytes-like).
        with pytest.raises(TypeError, match="^a bytes-like object is required, not 'str'$"):
            m[1:3] = "xx"
        # PyPy allows IndexError or ValueError; CPython: IndexError.
        for s, value in [(slice(1, 4), b"zz"), (slice(1, 6), b"z" * 6),
                         (slice(None, 2), b"z" * 5)]:
            with pytest.raises(IndexError, match="^mmap slice assignment is wrong size$"):
                m[s] = value
        with pytest.raises(ValueError, match=r"^mmap item value must be in range\(0, 256\)$"):
            m[0] = 256
        with pytest.raises(TypeError, match="^mmap item value must be an int$"):
            m[1] = b"a"
        assert m[:] == FOOBAR


def test_setitem_forms(foobar, file_bytes):
    with fresh_map(foobar, access=mmap.ACCESS_WRITE) as m:
        m[1:3] = b"xx"
        assert m.read(6) == b"fxxbar"
        m[0] = ord("x")
        assert m[0] == ord("x")
        m[-6] = ord("y")
        m[3:6:2] = b"BR"
        m.seek(0)
        assert m.read(6) == b"yxxBaR"
    assert file_bytes(foobar.name) == b"yxxBaR"


@pytest.mark.parametrize("value", [bytearray(b"12345"), memoryview(b"12345")])
def test_setitem_slice_from_other_buffers(make_anon, value):
    m = make_anon(1024)
    m[0:5] = value
    assert m[0:5] == b"12345"
    assert m[5] == 0


@pytest.mark.parametrize("key, message", [
    (b"foo", "^mmap indices must be integer$"),
    (slice(1, 3), "^mmap object doesn't support slice deletion$"),
    (slice(None, None, 2), "^mmap object doesn't support slice deletion$"),
    (1, "^mmap doesn't support item deletion$")])
def test_del_refused(foobar, key, message):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError, match=message):
            del m[key]
        assert m[:] == FOOBAR


def test_slice_clamping(foobar):
    with fresh_map(foobar) as m:
        assert m[-3:7] == b"bar"
        assert m[1:0:1] == b""
        assert m[1:0] == b""


def test_close_inside_index_on_read(foobar):
    class ClosesMap:
        def __index__(self):
            m.close()
            return 1

    m = fresh_map(foobar, access=mmap.ACCESS_READ)
    assert m[1] == ord("o")
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        m[ClosesMap()]
    assert m.closed
    m = fresh_map(foobar)
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        m[ClosesMap():4]
    assert m.closed


def test_close_inside_index_on_write(foobar, file_bytes):
    class ClosesMap:
        def __index__(self):
            m.close()
            return 1

    # PyPy expects ValueError here.  CPython refuses the read-only map before
    # it looks at the index, so it raises TypeError and the map stays open.
    m = fresh_map(foobar, access=mmap.ACCESS_READ)
    with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
        m[ClosesMap()] = b"u"
    assert not m.closed
    m.close()
    # Writable map, int value: the closed map is noticed after the index.
    m = fresh_map(foobar)
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        m[ClosesMap()] = ord("u")
    assert m.closed
    # Writable map, bytes value: CPython rejects the value's type first.
    m = fresh_map(foobar)
    with pytest.raises(TypeError, match="^mmap item value must be an int$"):
        m[ClosesMap()] = b"u"
    assert m.closed
    assert file_bytes(foobar.name) == FOOBAR


# -------------------------------------------------- concatenation, repeat

# PyPy allows SystemError (what Python 2's mmap raised) or TypeError; CPython
# 3.13 has no sequence concat/repeat slots for mmap, so every form is the
# ordinary "unsupported operand" TypeError.
@pytest.mark.parametrize("op, symbol", [
    (lambda m: m + 1, r"\+"), (lambda m: 1 + m, r"\+"), (lambda m: m + b"x", r"\+"),
    (lambda m: m * 1, r"\*"), (lambda m: 1 * m, r"\*"), (lambda m: m * 2, r"\*")])
def test_concatenation_and_repetition_refused(foobar, op, symbol):
    with fresh_map(foobar) as m:
        with pytest.raises(TypeError, match=r"^unsupported operand type.s. for %s: " % symbol):
            op(m)
        assert m[:] == FOOBAR


def test_inplace_concatenation_and_repetition_refused(foobar):
    m = fresh_map(foobar)
    original = m
    with pytest.raises(TypeError, match=r"^unsupported operand type.s. for \+=: "):
        m += 1
    with pytest.raises(TypeError, match=r"^unsupported operand type.s. for \*=: "):
        m *= 1
    assert m is original
    assert m[:] == FOOBAR
    m.close()


# ------------------------------------------------------------- memoryview

def test_memoryview_length_and_bytes(make_file):
    f = make_file(FOOBAR)
    with mmap.mmap(f.fileno(), 6) as m:
        with memoryview(m) as b:
            assert len(b) == 6
            assert b.nbytes == 6
            assert bytes(b) == FOOBAR
            assert b.tobytes()[3:4] == b"b"


def test_memoryview_items(make_file):
    f = make_file(FOOBAR)
    with mmap.mmap(f.fileno(), 6) as m:
        with memoryview(m) as b:
            assert b.readonly is False
            assert b[3] == ord("b")
            assert b[:] == FOOBAR


@CTYPES_BUFFER
def test_memoryview_readonly_flag(make_file):
    f = make_file(FOOBAR)
    with open(f.name, "rb") as ro:
        with mmap.mmap(ro.fileno(), 6, prot=mmap.PROT_READ) as m:
            with memoryview(m) as b:
                assert b.readonly is True
                assert b[:] == FOOBAR


# ---------------------------------------------------------------- offsets

def test_offset_window(make_file):
    data = FOOBAR * AG
    f = make_file(data)
    offset = 2 * AG
    with mmap.mmap(f.fileno(), AG, offset=offset) as m:
        assert len(m) == AG
        assert m[:] == data[offset:offset + AG]


# ---------------------------------------------------- sparse files > 4 GiB

@pytest.fixture
def sparse_file(tmp_path):
    """sparse_file(size) -> an open r+b file of size bytes made by truncate."""
    opened = []

    def factory(size):
        path = tmp_path / ("sparse%d.bin" % len(opened))
        f = open(path, "w+b")
        opened.append(f)
        try:
            f.truncate(size)
        except OSError as e:
            pytest.skip("the filesystem refuses a %d-byte sparse file: %s" % (size, e))
        return f

    yield factory
    for f in opened:
        f.close()


def aligned(position):
    return position - position % AG


# GraalPy's os module has no pread/pwrite.
def read_at(path, position, count):
    with open(path, "rb", buffering=0) as f:
        f.seek(position)
        return f.read(count)


def write_at(path, position, data):
    with open(path, "r+b", buffering=0) as f:
        f.seek(position)
        assert f.write(data) == len(data)


def test_large_offset_length_zero(sparse_file):
    # A 5.25 GiB file with b"A" as its last byte; the map is the last 256 MiB.
    last = 0x14FFFFFFF
    f = sparse_file(last)
    f.seek(last)
    f.write(b"A")
    f.flush()
    with open(f.name, "rb") as ro:
        ro.seek(last)
        assert ro.read(1) == b"A"
        m = mmap.mmap(ro.fileno(), 0, offset=0x140000000, access=mmap.ACCESS_READ)
        with m:
            assert len(m) == 0x10000000
            assert m[0xFFFFFFF] == ord("A")
            assert m.size() == last + 1


def test_large_offset_small_window(sparse_file):
    last = 0x14FFFFFFF
    f = sparse_file(last)
    f.seek(last)
    f.write(b"A")
    f.flush()
    offset = aligned(last)
    with mmap.mmap(f.fileno(), last + 1 - offset, offset=offset,
                   access=mmap.ACCESS_READ) as m:
        assert len(m) == last + 1 - offset
        assert m[-1] == ord("A")
        assert m[last - offset] == ord("A")
        assert m.find(b"A") == last - offset
        assert "offset=%d>" % offset in repr(m)


def test_large_file_size_with_small_map(sparse_file):
    f = sparse_file(0x17FFFFFFF)
    f.seek(0x17FFFFFFF)
    f.write(b" ")
    f.flush()
    with mmap.mmap(f.fileno(), 0x10000, access=mmap.ACCESS_READ) as m:
        assert len(m) == 0x10000
        assert m.size() == 0x180000000


def test_write_through_window_above_4gib(sparse_file):
    offset = 2 ** 32 + AG
    f = sparse_file(offset + 2 * AG)
    with mmap.mmap(f.fileno(), AG, offset=offset) as m:
        assert m[:4] == bytes(4)
        m[0:4] = b"HIGH"
        m.seek(AG - 3)
        m.write(b"end")
        m.flush()
    assert read_at(f.name, offset, 4) == b"HIGH"
    assert read_at(f.name, offset + AG - 3, 3) == b"end"
    # Nothing landed at the offset modulo 2**32.
    assert read_at(f.name, AG, 4) == bytes(4)
    assert read_at(f.name, 0, 4) == bytes(4)


def test_read_window_at_exactly_4gib(sparse_file):
    offset = 2 ** 32
    f = sparse_file(offset + AG)
    write_at(f.name, offset + 10, b"four")
    write_at(f.name, 10, b"zero")
    with mmap.mmap(f.fileno(), 0, offset=offset, access=mmap.ACCESS_READ) as m:
        assert len(m) == AG
        assert m[10:14] == b"four"
        assert m.size() == offset + AG


def test_resize_window_above_4gib(sparse_file):
    offset = 2 ** 32 + AG
    f = sparse_file(offset + AG)
    write_at(f.name, offset, b"keep")
    with mmap.mmap(f.fileno(), AG, offset=offset) as m:
        m.resize(2 * AG)
        assert len(m) == 2 * AG
        assert m.size() == offset + 2 * AG
        assert os.fstat(f.fileno()).st_size == offset + 2 * AG
        assert m[:4] == b"keep"
        m[-1] = ord("Z")
        m.resize(AG // 2)
        assert m.size() == offset + AG // 2
        assert m[:4] == b"keep"
    assert os.fstat(f.fileno()).st_size == offset + AG // 2
    assert read_at(f.name, offset, 4) == b"keep"


def test_resize_window_above_4gib_bounded_by_ssize_max(sparse_file):
    offset = 2 ** 32 + AG
    f = sparse_file(offset + AG)
    write_at(f.name, offset, b"keep")
    # CPython refuses offset + new size above PY_SSIZE_T_MAX.
    new_size = SSIZE_MAX - offset + 1
    with mmap.mmap(f.fileno(), AG, offset=offset) as m:
        with pytest.raises(ValueError, match="^new size out of range$"):
            m.resize(new_size)
        assert len(m) == AG
        assert m[:4] == b"keep"
        assert m.size() == offset + AG
    assert os.fstat(f.fileno()).st_size == offset + AG


# ------------------------------------------ context manager, repr, madvise

def test_context_manager_closes():
    with mmap.mmap(-1, 10) as m:
        assert m.closed is False
    assert m.closed is True


def test_repr_open_and_closed():
    m = mmap.mmap(-1, 1024)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_DEFAULT, "
                       "length=1024, pos=0, offset=0>")
    m.close()
    assert repr(m) == "<mmap.mmap closed=True>"


def test_madvise_normal(make_anon):
    m = make_anon(1024)
    assert m.madvise(mmap.MADV_NORMAL) is None


# -------------------------------------------------------------- iteration

def test_iteration_yields_bytes(make_file):
    f = make_file(b"AB")
    with mmap.mmap(f.fileno(), 2) as m:
        assert [m[0], m[1]] == [65, 66]
        assert list(m) == [b"A", b"B"]
        assert list(iter(m)) == [b"A", b"B"]
        assert list(reversed(m)) == [b"B", b"A"]
        assert list(enumerate(m)) == [(0, b"A"), (1, b"B")]
        assert list(enumerate(reversed(m))) == [(0, b"B"), (1, b"A")]


# ------------------------------------------------- PyPy's global test_all

@pytest.fixture
def two_pages(make_file):
    """A map of two pages, b'foo' at the start of the second; the file object
    is already closed (the map keeps its own descriptor)."""
    f = make_file(bytes(PS) + b"foo" + bytes(PS - 3))
    m = mmap.mmap(f.fileno(), 2 * PS)
    f.close()
    yield m, f.name
    m.close()


def test_all_modify_two_pages(two_pages, file_bytes):
    m, path = two_pages
    assert m.find(b"foo") == PS
    assert len(m) == 2 * PS
    assert m[0] == 0
    assert m[0:3] == b"\0\0\0"
    m[0] = ord("3")
    m[PS + 3:PS + 6] = b"bar"
    assert m[0] == ord("3")
    assert m[0:3] == b"3\0\0"
    assert m[PS - 1:PS + 7] == b"\0foobar\0"
    assert m.flush() is None
    content = file_bytes(path)
    assert content[:3] == b"3\0\0"
    assert content[PS - 1:PS + 7] == b"\0foobar\0"


def test_all_seek_around(two_pages):
    m, _ = two_pages
    m.seek(0, 0)
    assert m.tell() == 0
    m.seek(42, 1)
    assert m.tell() == 42
    m.seek(0, 2)
    assert m.tell() == len(m)
    for args in [(-1,), (1, 2), (-len(m) - 1, 2)]:
        with pytest.raises(ValueError, match="^seek out of range$"):
            m.seek(*args)
    assert m.tell() == len(m)


def test_all_resize_truncates_file(two_pages):
    m, path = two_pages
    m.resize(512)
    assert len(m) == 512
    with pytest.raises(ValueError, match="^seek out of range$"):
        m.seek(513, 0)
    assert os.path.getsize(path) == 512
    assert m.size() == 512


def test_all_access_read(make_file, file_bytes):
    size = 10
    f = make_file(b"a" * size, mode="rb")
    with mmap.mmap(f.fileno(), size, access=mmap.ACCESS_READ) as m:
        assert m[:] == b"a" * size
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m[:] = b"b" * size
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m[0] = b"b"
        m.seek(0, 0)
        with pytest.raises(TypeError, match=r"^mmap can't modify a readonly memory map\.$"):
            m.write(b"abc")
        m.seek(0, 0)
        with pytest.raises(TypeError):
            m.write_byte(b"d")
        with pytest.raises(TypeError, match="^mmap can't resize a readonly"):
            m.resize(2 * size)
        assert m[:] == b"a" * size
    assert file_bytes(f.name) == b"a" * size
    with open(f.name, "r+b") as rw:
        with pytest.raises(ValueError, match="^mmap length is greater than file size$"):
            mmap.mmap(rw.fileno(), size + 1)


def test_all_access_write(make_file, file_bytes):
    size = 10
    f = make_file(b"a" * size)
    with mmap.mmap(f.fileno(), size, access=mmap.ACCESS_WRITE) as m:
        m.write(b"c" * size)
        m.seek(0)
        assert m.read(size) == b"c" * size
        m.flush()
    assert file_bytes(f.name) == b"c" * size


def test_all_access_copy(make_file, file_bytes):
    size = 10
    f = make_file(b"c" * size)
    with mmap.mmap(f.fileno(), size, access=mmap.ACCESS_COPY) as m:
        m.write(b"d" * size)
        m.seek(0)
        assert m.read(size) == b"d" * size
        m.flush()
        assert file_bytes(f.name) == b"c" * size
        with pytest.raises(TypeError, match="^mmap can't resize a readonly or copy-on-write"):
            m.resize(2 * size)
        assert m[:] == b"d" * size
    assert file_bytes(f.name) == b"c" * size
