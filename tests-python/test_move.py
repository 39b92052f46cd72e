"""move(dest, src, count)."""

import pytest

from _target import mmap, SSIZE_MAX

DATA = b"0123456789abcdef"
N = len(DATA)
MSG = "^source, destination, or count out of range$"


@pytest.fixture
def m(make_map):
    return make_map(DATA)


def moved(dest, src, count):
    b = bytearray(DATA)
    b[dest:dest + count] = DATA[src:src + count]
    return bytes(b)


@pytest.mark.parametrize("dest, src, count", [
    (0, 4, 4),
    (4, 0, 4),
    (2, 0, 8),   # overlapping, forwards
    (0, 2, 8),   # overlapping, backwards
    (0, 0, N),
    (0, 8, 8),
    (8, 0, 8),
    (15, 0, 1),
    (0, 15, 1),
    (3, 3, 5),
    (5, 9, 0),
    (N, N, 0),
    (0, N, 0),
    (N, 0, 0),
])
def test_move_valid(m, dest, src, count):
    assert m.move(dest, src, count) is None
    assert m[:] == moved(dest, src, count)


def test_move_does_not_change_position(m):
    m.seek(7)
    m.move(0, 4, 4)
    assert m.tell() == 7


def test_move_every_in_range_combination(make_anon):
    size = 10
    m = make_anon(size)
    src_data = bytes(range(size))
    for dest in range(size + 1):
        for src in range(size + 1):
            for count in range(size + 1 - max(dest, src)):
                m[:] = src_data
                m.move(dest, src, count)
                b = bytearray(src_data)
                b[dest:dest + count] = src_data[src:src + count]
                assert m[:] == bytes(b), (dest, src, count)


def test_move_every_out_of_range_combination(make_anon):
    size = 8
    m = make_anon(size)
    m[:] = b"12345678"
    for dest in range(-2, size + 3):
        for src in range(-2, size + 3):
            for count in range(-2, size + 3):
                if (dest < 0 or src < 0 or count < 0
                        or dest + count > size or src + count > size):
                    with pytest.raises(ValueError, match=MSG):
                        m.move(dest, src, count)
    assert m[:] == b"12345678"


@pytest.mark.parametrize("dest, src, count", [
    (0, 1, N),
    (1, 0, N),
    (0, 0, N + 1),
    (N + 1, 0, 0),
    (0, N + 1, 0),
    (-1, 0, 1),
    (0, -1, 1),
    (0, 0, -1),
    (SSIZE_MAX, 0, 1),
    (0, SSIZE_MAX, 1),
    (1, 0, SSIZE_MAX),
    (SSIZE_MAX, SSIZE_MAX, SSIZE_MAX),
    (-SSIZE_MAX - 1, 0, 1),
    (0, 0, -SSIZE_MAX - 1),
])
def test_move_out_of_range(m, dest, src, count):
    with pytest.raises(ValueError, match=MSG):
        m.move(dest, src, count)
    assert m[:] == DATA


@pytest.mark.parametrize("args", [(0, 0, 2 ** 64), (2 ** 64, 0, 0),
                                  (0, -(2 ** 64), 0)])
def test_move_huge_arguments(m, args):
    with pytest.raises(OverflowError):
        m.move(*args)


@pytest.mark.parametrize("args", [(0, 0), (0,), (), (0, 0, 1, 1)])
def test_move_wrong_argument_count(m, args):
    with pytest.raises(TypeError):
        m.move(*args)


@pytest.mark.parametrize("args", [(0, 0, 1.0), ("0", 0, 1), (0, None, 1)])
def test_move_non_integer_arguments(m, args):
    with pytest.raises(TypeError):
        m.move(*args)


def test_move_reaches_file(make_file, file_bytes):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as m:
        m.move(0, 10, 6)
        m.flush()
    assert file_bytes(f.name) == b"abcdef6789abcdef"


def test_move_across_page_boundary(make_anon, page):
    m = make_anon(3 * page)
    m[page - 2:page + 2] = b"WXYZ"
    m.move(2 * page + 10, page - 2, 4)
    assert m[2 * page + 10:2 * page + 14] == b"WXYZ"
