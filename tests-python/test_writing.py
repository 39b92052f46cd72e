"""write and write_byte."""
import pytest

from _target import mmap
from _helpers import Idx

DATA = b"0123456789abcdef"


@pytest.fixture
def m(make_map):
    return make_map(DATA)


def test_write_returns_count_and_advances(m):
    assert m.write(b"x") == 1
    assert m.write(b"yz") == 2
    assert m.write(b"python") == 6
    assert m.tell() == 9
    assert m[:] == b"xyzpython9abcdef"


@pytest.mark.parametrize("data", [bytearray(b"AB"), memoryview(b"AB"),
                                  memoryview(bytearray(b"AB"))])
def test_write_bytes_like(m, data):
    assert m.write(data) == 2
    assert m[:3] == b"AB2"


def test_write_array(m):
    import array
    assert m.write(array.array("B", [65, 66, 67])) == 3
    assert m[:4] == b"ABC3"


def test_write_exactly_to_end(m):
    m.seek(14)
    assert m.write(b"YZ") == 2
    assert m.tell() == 16
    assert m[:] == DATA[:14] + b"YZ"


def test_write_past_end(m):
    m.seek(14)
    with pytest.raises(ValueError, match="^data out of range$"):
        m.write(b"123")
    # nothing written, position unchanged
    assert m.tell() == 14
    assert m[:] == DATA


def test_write_longer_than_map(m):
    with pytest.raises(ValueError, match="^data out of range$"):
        m.write(b"x" * 17)
    assert m[:] == DATA


def test_write_empty_at_end(m):
    m.seek(0, 2)
    assert m.write(b"") == 0
    assert m.tell() == 16


def test_write_empty_in_middle(m):
    m.seek(4)
    assert m.write(b"") == 0
    assert m.tell() == 4


def test_write_at_end_nonempty(m):
    m.seek(0, 2)
    with pytest.raises(ValueError, match="^data out of range$"):
        m.write(b"x")


@pytest.mark.parametrize("data, tname", [("x", "str"), (1, "int"),
                                         (None, "NoneType"),
                                         ([1], "list")])
def test_write_requires_bytes_like(m, data, tname):
    with pytest.raises(TypeError,
                       match="^a bytes-like object is required, not '%s'$"
                             % tname):
        m.write(data)


def test_write_reaches_file(make_file, file_bytes):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as m:
        m.seek(2)
        m.write(b"--")
        m.flush()
    assert file_bytes(f.name) == b"01--456789abcdef"


def test_write_visible_through_read(m):
    m.write(b"hello")
    m.seek(0)
    assert m.read(6) == b"hello5"


# --------------------------------------------------------------- write_byte

def test_write_byte_returns_none_and_advances(m):
    assert m.write_byte(65) is None
    assert m.tell() == 1
    assert m[0] == 65


@pytest.mark.parametrize("value", [0, 1, 127, 128, 255])
def test_write_byte_values(m, value):
    m.write_byte(value)
    assert m[0] == value


def test_write_byte_index_object(m):
    m.write_byte(Idx(66))
    assert m[0] == 66


def test_write_byte_bool(m):
    m.write_byte(True)
    assert m[0] == 1


def test_write_byte_last_position(m):
    m.seek(15)
    m.write_byte(ord("Z"))
    assert m.tell() == 16
    assert m[15] == ord("Z")


def test_write_byte_past_end(m):
    m.seek(0, 2)
    with pytest.raises(ValueError, match="^write byte out of range$"):
        m.write_byte(1)
    assert m.tell() == 16


def test_write_byte_too_large(m):
    with pytest.raises(OverflowError,
                       match="^unsigned byte integer is greater than "
                             "maximum$"):
        m.write_byte(256)


@pytest.mark.parametrize("value", [2 ** 63, 2 ** 64, -2 ** 64])
def test_write_byte_beyond_c_long(m, value):
    # found by the differential fuzzer: "b" converts to a C long before the byte range check
    with pytest.raises(OverflowError, match="^Python int too large to convert to C long$"):
        m.write_byte(value)


def test_write_byte_negative(m):
    with pytest.raises(OverflowError,
                       match="^unsigned byte integer is less than minimum$"):
        m.write_byte(-1)


def test_write_byte_huge(m):
    with pytest.raises(OverflowError):
        m.write_byte(2 ** 100)


@pytest.mark.parametrize("value", [b"a", 1.0, "a", None])
def test_write_byte_requires_int(m, value):
    with pytest.raises(TypeError):
        m.write_byte(value)
    assert m[:] == DATA


def test_writes_after_resize_past_position(make_anon, page):
    m = make_anon(2 * page)
    m.read(page + 100)
    m.resize(page)
    assert m.tell() == page + 100
    assert m.read(14) == b""
    with pytest.raises(ValueError, match="^read byte out of range$"):
        m.read_byte()
    with pytest.raises(ValueError, match="^write byte out of range$"):
        m.write_byte(42)
    with pytest.raises(ValueError, match="^data out of range$"):
        m.write(b"abc")
