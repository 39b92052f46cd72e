"""madvise(option[, start[, length]])."""
import errno

import pytest

from _target import mmap, SSIZE_MAX

PS = mmap.PAGESIZE

# Options that any Linux kernel accepts on an ordinary private or shared map.
SAFE_OPTIONS = ["MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL",
                "MADV_WILLNEED", "MADV_DONTNEED", "MADV_DONTDUMP",
                "MADV_DODUMP", "MADV_DONTFORK", "MADV_DOFORK"]


@pytest.fixture
def m(make_map):
    return make_map(b"x" * (3 * PS))


@pytest.mark.parametrize("option", SAFE_OPTIONS)
def test_madvise_options_file_map(m, option):
    assert m.madvise(getattr(mmap, option)) is None
    assert m.madvise(getattr(mmap, option), PS, PS) is None


@pytest.mark.parametrize("option", SAFE_OPTIONS + ["MADV_FREE"])
def test_madvise_options_private_anonymous(make_anon, option):
    m = make_anon(2 * PS, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    assert m.madvise(getattr(mmap, option), 0, PS) is None


def test_madvise_dontneed_discards_private_anonymous_pages(make_anon):
    m = make_anon(2 * PS, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    m[0:4] = b"data"
    m[PS:PS + 4] = b"keep"
    m.madvise(mmap.MADV_DONTNEED, 0, PS)
    assert m[0:4] == b"\0\0\0\0"
    assert m[PS:PS + 4] == b"keep"


def test_madvise_dontneed_keeps_shared_file_data(m):
    m[0:4] = b"data"
    m.madvise(mmap.MADV_DONTNEED)
    assert m[0:4] == b"data"


@pytest.mark.parametrize("args", [
    (0,),
    (0, 0),
    (PS, 0),
    (PS, PS),
    (PS, 2 * PS),
    (0, 3 * PS),
])
def test_madvise_ranges(m, args):
    assert m.madvise(mmap.MADV_NORMAL, *args) is None


@pytest.mark.parametrize("args", [
    (0, 3 * PS + 1),
    (PS, 3 * PS),
    (2 * PS, 100 * PS),
    (0, SSIZE_MAX),
    (PS, SSIZE_MAX - PS),
])
def test_madvise_overlong_length_is_clamped(m, args):
    assert m.madvise(mmap.MADV_NORMAL, *args) is None


@pytest.mark.parametrize("start", [3 * PS, 3 * PS + 1, 100 * PS, -1, -PS,
                                   SSIZE_MAX, -SSIZE_MAX - 1])
def test_madvise_start_out_of_bounds(m, start):
    with pytest.raises(ValueError, match="^madvise start out of bounds$"):
        m.madvise(mmap.MADV_NORMAL, start)


@pytest.mark.parametrize("length", [-1, -PS, -SSIZE_MAX - 1])
def test_madvise_negative_length(m, length):
    with pytest.raises(ValueError, match="^madvise length invalid$"):
        m.madvise(mmap.MADV_NORMAL, 0, length)


def test_madvise_start_plus_length_overflows(m):
    with pytest.raises(OverflowError, match="^madvise length too large$"):
        m.madvise(mmap.MADV_NORMAL, PS, SSIZE_MAX)


@pytest.mark.parametrize("args", [(2 ** 64,), (0, 2 ** 64),
                                  (0, 0, 2 ** 64)])
def test_madvise_huge_arguments(m, args):
    with pytest.raises(OverflowError):
        m.madvise(*args)


@pytest.mark.parametrize("start", [1, PS - 1, 3 * PS - 1])
def test_madvise_unaligned_start(m, start):
    with pytest.raises(OSError) as exc_info:
        m.madvise(mmap.MADV_NORMAL, start)
    assert exc_info.value.errno == errno.EINVAL


def test_madvise_unknown_option(m):
    with pytest.raises(OSError) as exc_info:
        m.madvise(12345)
    assert exc_info.value.errno == errno.EINVAL


def test_madvise_no_keywords(m):
    with pytest.raises(TypeError):
        m.madvise(option=mmap.MADV_NORMAL)


@pytest.mark.parametrize("args", [(), (0.0,), ("0",), (0, "a"), (0, 0, 1.0),
                                  (0, 0, 1, 2)])
def test_madvise_bad_arguments(m, args):
    with pytest.raises(TypeError):
        m.madvise(*args)


def test_madvise_read_only_map(make_map):
    m = make_map(b"x" * PS, access=mmap.ACCESS_READ)
    assert m.madvise(mmap.MADV_WILLNEED) is None


def test_madvise_offset_map(make_map):
    m = make_map(b"x" * (3 * PS), offset=PS)
    assert m.madvise(mmap.MADV_NORMAL, PS) is None
    with pytest.raises(ValueError, match="^madvise start out of bounds$"):
        m.madvise(mmap.MADV_NORMAL, 2 * PS)
