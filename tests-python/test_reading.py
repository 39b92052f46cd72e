"""read, read_byte, readline, seek, tell, seekable."""

import pytest

from _target import SSIZE_MAX
from _helpers import Idx


DATA = b"0123456789abcdef"  # 16 bytes


@pytest.fixture
def m(make_map):
    return make_map(DATA)


# --------------------------------------------------------------------- read

def test_read_all_from_start(m):
    assert m.read() == DATA
    assert m.tell() == len(DATA)


def test_read_n_advances(m):
    assert m.read(3) == b"012"
    assert m.tell() == 3
    assert m.read(4) == b"3456"
    assert m.tell() == 7


def test_read_beyond_ssize_is_overflow(m):
    # found by the differential fuzzer: the message is PyNumber_AsSsize_t's
    with pytest.raises(OverflowError, match="^cannot fit 'int' into an index-sized integer$"):
        m.read(-SSIZE_MAX - 2)
    with pytest.raises(OverflowError, match="^cannot fit 'int' into an index-sized integer$"):
        m.read(SSIZE_MAX + 1)


@pytest.mark.parametrize("arg", [None, -1, -5, -SSIZE_MAX])
def test_read_rest(m, arg):
    m.seek(4)
    assert m.read(arg) == DATA[4:]
    assert m.tell() == len(DATA)


def test_read_zero(m):
    m.seek(5)
    assert m.read(0) == b""
    assert m.tell() == 5


def test_read_past_end_is_clamped(m):
    m.seek(10)
    assert m.read(100) == DATA[10:]
    assert m.tell() == len(DATA)


def test_read_at_end_returns_empty(m):
    m.seek(0, 2)
    assert m.read() == b""
    assert m.read(5) == b""
    assert m.tell() == len(DATA)


def test_read_returns_bytes(m):
    assert type(m.read(2)) is bytes


def test_read_index_object(m):
    assert m.read(Idx(2)) == b"01"


@pytest.mark.parametrize("arg, tname", [("x", "str"), (1.0, "float"),
                                        (b"1", "bytes")])
def test_read_bad_argument_type(m, arg, tname):
    with pytest.raises(TypeError,
                       match="^argument should be integer or None, not '%s'$"
                             % tname):
        m.read(arg)


@pytest.mark.parametrize("n", [2 ** 64, -(2 ** 64)])
def test_read_huge_argument(m, n):
    with pytest.raises(OverflowError):
        m.read(n)


def test_read_rejects_keyword(m):
    with pytest.raises(TypeError):
        m.read(n=1)


def test_read_reflects_writes(m):
    m[0:2] = b"XY"
    assert m.read(3) == b"XY2"


# ---------------------------------------------------------------- read_byte

def test_read_byte_returns_int_and_advances(m):
    assert m.read_byte() == ord("0")
    assert m.tell() == 1
    assert m.read_byte() == ord("1")
    assert m.tell() == 2


def test_read_byte_high_value(make_map):
    m = make_map(b"\xff\x80")
    assert m.read_byte() == 255
    assert m.read_byte() == 128


def test_read_byte_last(m):
    m.seek(-1, 2)
    assert m.read_byte() == ord("f")
    assert m.tell() == len(DATA)


def test_read_byte_at_end(m):
    m.seek(0, 2)
    with pytest.raises(ValueError, match="^read byte out of range$"):
        m.read_byte()
    assert m.tell() == len(DATA)


def test_read_byte_takes_no_arguments(m):
    with pytest.raises(TypeError):
        m.read_byte(1)


# ----------------------------------------------------------------- readline

def test_readline_sequence(make_map):
    m = make_map(b"ab\ncd\n\nlast")
    assert m.readline() == b"ab\n"
    assert m.tell() == 3
    assert m.readline() == b"cd\n"
    assert m.readline() == b"\n"
    assert m.readline() == b"last"
    assert m.tell() == 11
    assert m.readline() == b""
    assert m.readline() == b""
    assert m.tell() == 11


def test_readline_ending_in_newline(make_map):
    m = make_map(b"one\n")
    assert m.readline() == b"one\n"
    assert m.readline() == b""


def test_readline_only_splits_on_lf(make_map):
    m = make_map(b"a\rb\r\nc")
    assert m.readline() == b"a\rb\r\n"
    assert m.readline() == b"c"


def test_readline_from_middle(m):
    m.seek(5)
    assert m.readline() == DATA[5:]


def test_readline_takes_no_arguments(m):
    with pytest.raises(TypeError):
        m.readline(1)


# --------------------------------------------------------------------- seek

def test_seek_returns_new_position(m):
    assert m.seek(3) == 3
    assert m.tell() == 3


@pytest.mark.parametrize("pos, whence, expected", [
    (0, 0, 0),
    (7, 0, 7),
    (16, 0, 16),
    (0, 1, 5),
    (3, 1, 8),
    (-5, 1, 0),
    (11, 1, 16),
    (0, 2, 16),
    (-1, 2, 15),
    (-16, 2, 0),
])
def test_seek_whence(m, pos, whence, expected):
    m.seek(5)
    assert m.seek(pos, whence) == expected
    assert m.tell() == expected


@pytest.mark.parametrize("pos, whence", [
    (-1, 0),
    (17, 0),
    (-6, 1),
    (12, 1),
    (1, 2),
    (-17, 2),
    (SSIZE_MAX, 1),
    (SSIZE_MAX, 2),
    (-SSIZE_MAX - 1, 1),
    (-SSIZE_MAX - 1, 2),
])
def test_seek_out_of_range(m, pos, whence):
    m.seek(5)
    with pytest.raises(ValueError, match="^seek out of range$"):
        m.seek(pos, whence)
    assert m.tell() == 5


@pytest.mark.parametrize("whence", [3, -1, 100])
def test_seek_unknown_whence(m, whence):
    with pytest.raises(ValueError, match="^unknown seek type$"):
        m.seek(0, whence)


def test_seek_default_whence_is_absolute(m):
    m.seek(10)
    assert m.seek(2) == 2


def test_seek_index_object(m):
    assert m.seek(Idx(4)) == 4


@pytest.mark.parametrize("pos", ["1", 1.0, None])
def test_seek_bad_type(m, pos):
    with pytest.raises(TypeError):
        m.seek(pos)


def test_seek_huge(m):
    with pytest.raises(OverflowError):
        m.seek(2 ** 64)


def test_seek_rejects_keywords(m):
    with pytest.raises(TypeError):
        m.seek(pos=1)


def test_seek_requires_argument(m):
    with pytest.raises(TypeError):
        m.seek()


# ------------------------------------------------------------ tell/seekable

def test_tell_starts_at_zero(m):
    assert m.tell() == 0


def test_tell_follows_operations(m):
    m.read(2)
    m.write(b"xy")
    m.read_byte()
    m.write_byte(1)
    assert m.tell() == 6


def test_seekable_true(m):
    assert m.seekable() is True


def test_seekable_anonymous(make_anon):
    assert make_anon(10).seekable() is True


def test_position_unaffected_by_indexing_and_find(m):
    m.seek(3)
    m[0]
    m[1:4]
    m[5] = 1
    m.find(b"a")
    m.rfind(b"a")
    assert m.tell() == 3


def test_reading_offset_map(make_map, page):
    m = make_map(b"a" * page + b"line1\nline2", offset=page)
    assert m.readline() == b"line1\n"
    assert m.read_byte() == ord("l")
    assert m.read() == b"ine2"
