"""size() reports the size of the underlying file."""
import errno

import pytest

from _target import mmap, cpython313_only, cpython315

PS = mmap.PAGESIZE


def test_size_whole_file(make_map):
    assert make_map(b"x" * 100).size() == 100


def test_size_is_file_size_not_map_length(make_map):
    m = make_map(b"x" * 100, length=10)
    assert len(m) == 10
    assert m.size() == 100


def test_size_with_offset(make_map):
    m = make_map(b"x" * (PS + 7), offset=PS)
    assert len(m) == 7
    assert m.size() == PS + 7


def test_size_follows_file_growth(make_file):
    f = make_file(b"abc")
    with mmap.mmap(f.fileno(), 0) as m:
        f.seek(0, 2)
        f.write(b"defgh")
        f.flush()
        assert m.size() == 8
        assert len(m) == 3


def test_size_read_only(make_file):
    f = make_file(b"x" * 50, mode="rb")
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert m.size() == 50


def test_size_copy(make_map):
    assert make_map(b"x" * 50, access=mmap.ACCESS_COPY).size() == 50


def test_size_returns_int(make_map):
    assert type(make_map(b"x").size()) is int


def test_size_after_original_fd_closed(make_file):
    f = make_file(b"x" * 33)
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    with m:
        assert m.size() == 33


@pytest.mark.parametrize("kwargs", [{}, {"trackfd": False},
                                    {"access": mmap.ACCESS_READ},
                                    {"flags": mmap.MAP_PRIVATE}])
@cpython313_only("an anonymous map's size() is its length; trackfd=False raises ValueError")
def test_size_anonymous(kwargs):
    with mmap.mmap(-1, 100, **kwargs) as m:
        with pytest.raises(OSError) as exc_info:
            m.size()
        assert exc_info.value.errno == errno.EBADF


@cpython315("an anonymous map's size() is its length")
@pytest.mark.parametrize("kwargs", [{}, {"access": mmap.ACCESS_READ}, {"flags": mmap.MAP_PRIVATE}])
def test_size_anonymous_is_its_length(kwargs):
    with mmap.mmap(-1, 100, **kwargs) as m:
        assert m.size() == 100
        if kwargs.get("flags") == mmap.MAP_PRIVATE:  # private anonymous memory can grow
            m.resize(300)
            assert m.size() == 300


@cpython315("size() without the descriptor raises ValueError")
@pytest.mark.parametrize("anonymous", [False, True])
def test_size_trackfd_false_raises_value_error(make_file, anonymous):
    f = make_file(b"x" * 64)
    with mmap.mmap(-1 if anonymous else f.fileno(), 64, trackfd=False) as m:
        with pytest.raises(ValueError, match=r"^can't get size with trackfd=False$"):
            m.size()


@cpython313_only("size() without the descriptor raises ValueError")
@pytest.mark.parametrize("close_original", [False, True])
def test_size_trackfd_false(make_file, close_original):
    f = make_file(b"x" * 64)
    with mmap.mmap(f.fileno(), 0, trackfd=False) as m:
        if close_original:
            f.close()
        with pytest.raises(OSError) as exc_info:
            m.size()
        assert exc_info.value.errno == errno.EBADF
        assert len(m) == 64


def test_size_takes_no_arguments(make_map):
    with pytest.raises(TypeError):
        make_map(b"x").size(1)
