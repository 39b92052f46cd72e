"""resize(newsize)."""
import os
import re

import pytest

from _target import mmap, REFERENCE, SSIZE_MAX

PS = mmap.PAGESIZE
DATA = b"0123456789"
READONLY_MSG = (r"^mmap can't resize a readonly or copy-on-write memory "
                r"map\.$")


@pytest.mark.parametrize("newsize", [11, 20, PS, PS + 1, 3 * PS])
def test_resize_grows_file_and_map(make_file, file_bytes, newsize):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as m:
        assert m.resize(newsize) is None
        assert len(m) == newsize
        assert m.size() == newsize
        assert os.path.getsize(f.name) == newsize
        assert m[:] == DATA + bytes(newsize - len(DATA))
        m[newsize - 1] = ord("!")
        m.flush()
    assert file_bytes(f.name) == DATA + bytes(newsize - len(DATA) - 1) + b"!"


@pytest.mark.parametrize("newsize", [1, 5, 9])
def test_resize_shrinks_file_and_map(make_file, file_bytes, newsize):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as m:
        m.resize(newsize)
        assert len(m) == newsize
        assert m.size() == newsize
        assert m[:] == DATA[:newsize]
        with pytest.raises(IndexError):
            m[newsize]
    assert file_bytes(f.name) == DATA[:newsize]


def test_resize_same_size(make_map):
    m = make_map(DATA)
    m.resize(len(DATA))
    assert m[:] == DATA


def test_resize_keeps_position(make_map):
    m = make_map(DATA)
    m.seek(8)
    m.resize(20)
    assert m.tell() == 8
    m.resize(5)
    assert m.tell() == 8
    assert m.read() == b""
    assert "pos=8," in repr(m)


def test_resize_grow_shrink_grow_multi_page(make_map):
    m = make_map(b"a" * PS)
    m.resize(3 * PS)
    m[3 * PS - 1] = ord("z")
    m.resize(PS // 2)
    assert m[:] == b"a" * (PS // 2)
    m.resize(2 * PS)
    assert m[:PS // 2] == b"a" * (PS // 2)
    assert m[PS // 2:] == bytes(2 * PS - PS // 2)


def test_resize_partial_map_sets_file_size(make_file):
    # The file is set to offset + newsize, regardless of its former size.
    f = make_file(b"a" * 100)
    with mmap.mmap(f.fileno(), 10) as m:
        m.resize(20)
        assert os.path.getsize(f.name) == 20
        assert m[:] == b"a" * 20


def test_resize_with_offset(make_file):
    f = make_file(b"a" * PS + b"b" * 10)
    with mmap.mmap(f.fileno(), 0, offset=PS) as m:
        m.resize(20)
        assert len(m) == 20
        assert m.size() == PS + 20
        assert os.path.getsize(f.name) == PS + 20
        assert m[:] == b"b" * 10 + bytes(10)
        m.resize(5)
        assert os.path.getsize(f.name) == PS + 5
        assert m[:] == b"bbbbb"
        assert "offset=%d>" % PS in repr(m)


def test_resize_after_original_file_closed(make_file):
    f = make_file(DATA)
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    with m:
        m.resize(20)
        assert m.size() == 20
    assert os.path.getsize(f.name) == 20


# Growing a MAP_SHARED anonymous map: CPython 3.13.0 lets it happen, but the
# Linux kernel does not enlarge the shared memory object behind it, so pages
# beyond the ones the map was created with raise SIGBUS when touched.  Later
# CPython releases (gh-138204, backported to the 3.13 and 3.14 branches)
# refuse every such growth with this ValueError instead.  Both outcomes are
# accepted where 3.13.0 is safe; a crash never is.
SHARED_ANON_GROW_MSG = (r"^mmap: can't expand a shared anonymous mapping on "
                        r"Linux$")


def grow_shared_anonymous(m, new):
    """Resize; True if it grew, False if refused the later-CPython way."""
    old = len(m)
    before = m[:]
    try:
        m.resize(new)
    except ValueError as e:
        assert re.match(SHARED_ANON_GROW_MSG, str(e)), str(e)
        assert len(m) == old
        assert m[:] == before
        return False
    assert len(m) == new
    return True


@pytest.mark.parametrize("sizes", [(10, 5), (4 * PS, PS), (4 * PS, 1),
                                   (PS + 1, PS)])
def test_resize_shrinks_shared_anonymous(make_anon, sizes):
    old, new = sizes
    m = make_anon(old)
    m[new - 1] = 2
    m[new] = 3
    m.resize(new)
    assert len(m) == new
    assert m[new - 1] == 2
    assert m[:new - 1] == bytes(new - 1)
    with pytest.raises(IndexError):
        m[new]


@pytest.mark.parametrize("sizes", [(10, 20), (10, PS), (PS + 1, 2 * PS)])
def test_resize_grows_shared_anonymous_within_its_pages(make_anon, sizes):
    old, new = sizes
    m = make_anon(old)
    m[0] = 1
    m[old - 1] = 2
    if grow_shared_anonymous(m, new):
        assert m[0] == 1
        assert m[old - 1] == 2
        assert m[old:] == bytes(new - old)
        m[new - 1] = 3
        assert m[new - 1] == 3


def test_resize_shared_anonymous_shrink_then_regrow(make_anon):
    m = make_anon(4 * PS)
    m[0] = 7
    m.resize(PS)
    if grow_shared_anonymous(m, 4 * PS):
        assert m[0] == 7
        m[4 * PS - 1] = 9
        assert m[4 * PS - 1] == 9


@pytest.mark.skipif(REFERENCE, reason=(
    "CPython 3.13.0 defect: growing a MAP_SHARED anonymous map past the "
    "pages it was created with succeeds, but touching the new pages kills "
    "the process with SIGBUS; fmmap must either grow it properly or refuse "
    "like later CPython releases"))
def test_resize_shared_anonymous_beyond_original_pages(make_anon):
    m = make_anon(PS)
    m[PS - 1] = 5
    if grow_shared_anonymous(m, 4 * PS):
        assert m[PS - 1] == 5
        assert m[PS:] == bytes(3 * PS)
        m[4 * PS - 1] = 6
        assert m[4 * PS - 1] == 6


@pytest.mark.parametrize("sizes", [(10, 2 * PS), (PS, 4 * PS), (4 * PS, 10)])
def test_resize_private_anonymous(make_anon, sizes):
    old, new = sizes
    m = make_anon(old, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    m[:3] = b"abc"
    m.resize(new)
    assert len(m) == new
    assert m[:3] == b"abc"
    m[new - 1] = 1
    assert m[new - 1] == 1
    if new > old:
        assert m[old:new - 1] == bytes(new - old - 1)


@pytest.mark.parametrize("newsize", [-1, -PS, -SSIZE_MAX - 1])
def test_resize_negative(make_map, newsize):
    m = make_map(DATA)
    with pytest.raises(ValueError, match="^new size out of range$"):
        m.resize(newsize)
    assert len(m) == len(DATA)


def test_resize_negative_anonymous(make_anon):
    with pytest.raises(ValueError, match="^new size out of range$"):
        make_anon(10).resize(-1)


def test_resize_huge(make_map):
    with pytest.raises(OverflowError):
        make_map(DATA).resize(2 ** 64)


@pytest.mark.parametrize("arg", ["1", 1.0, None])
def test_resize_bad_type(make_map, arg):
    with pytest.raises(TypeError):
        make_map(DATA).resize(arg)


def test_resize_no_keywords(make_map):
    with pytest.raises(TypeError):
        make_map(DATA).resize(newsize=5)


@pytest.mark.parametrize("kwargs", [
    {"access": mmap.ACCESS_READ},
    {"access": mmap.ACCESS_COPY},
    {"prot": mmap.PROT_READ},
    {"flags": mmap.MAP_PRIVATE, "prot": mmap.PROT_READ},
])
@pytest.mark.parametrize("newsize", [5, 20, -1])
def test_resize_read_only_or_copy(make_file, kwargs, newsize):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, **kwargs) as m:
        with pytest.raises(TypeError, match=READONLY_MSG):
            m.resize(newsize)
        assert len(m) == len(DATA)
    assert os.path.getsize(f.name) == len(DATA)


@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_COPY"])
def test_resize_read_only_or_copy_anonymous(make_anon, access_name):
    m = make_anon(10, access=getattr(mmap, access_name))
    with pytest.raises(TypeError, match=READONLY_MSG):
        m.resize(20)


@pytest.mark.parametrize("newsize", [5, 128, -1])
def test_resize_trackfd_false(make_file, newsize):
    f = make_file(b"a" * 64)
    with mmap.mmap(f.fileno(), 64, trackfd=False) as m:
        with pytest.raises(ValueError,
                           match=r"^mmap can't resize with trackfd=False\.$"):
            m.resize(newsize)
        assert len(m) == 64
        assert m.closed is False
    assert os.path.getsize(f.name) == 64


def test_resize_trackfd_false_anonymous():
    with mmap.mmap(-1, 64, trackfd=False) as m:
        with pytest.raises(ValueError,
                           match=r"^mmap can't resize with trackfd=False\.$"):
            m.resize(32)


def test_iteration_follows_resize_of_private_anonymous(make_anon):
    # Each step reads the map as it is now: grown (and perhaps moved), then shrunk. (A shared
    # anonymous map cannot grow past its first pages on CPython 3.13.0: see above.)
    m = make_anon(PS, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    m[:] = b"a" * PS
    items = iter(m)
    assert next(items) == b"a"
    m.resize(64 * PS)
    m[64 * PS - 1] = ord("z")
    assert [next(items) for _ in range(PS - 1)] == [b"a"] * (PS - 1)
    assert next(items) == b"\0"
    m.resize(PS + 2)
    assert list(items) == [b"\0"]
