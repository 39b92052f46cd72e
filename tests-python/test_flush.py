"""flush(offset=0, size=-1, /, *, flags=0): CPython 3.15's (3.13's was flush([offset[, size]]))."""
import errno

import pytest

from _target import mmap, cpython313_only, cpython315

PS = mmap.PAGESIZE
MSG = "^flush values out of range$"


@pytest.fixture
def m(make_map):
    return make_map(b"x" * (3 * PS))


def test_flush_returns_none(m):
    assert m.flush() is None


@pytest.mark.parametrize("args", [
    (0,),
    (0, 0),
    (0, 1),
    (0, 3 * PS),
    (PS, PS),
    (PS, 2 * PS),
    (2 * PS, 1),
    (3 * PS, 0),
])
def test_flush_ranges(m, args):
    assert m.flush(*args) is None


@cpython313_only("size -1, the default, now means to the end")
def test_flush_offset_alone_keeps_default_size(m):
    # size defaults to the whole length, so any positive offset on its own
    # runs past the end.
    with pytest.raises(ValueError, match=MSG):
        m.flush(PS)


@pytest.mark.parametrize("args", [
    (0, 3 * PS + 1),
    (PS, 2 * PS + 1),
    (3 * PS + PS, 0),
    (3 * PS + 1, 0),
    (-1,),
    (-PS, 1),
    (0, -2),
    (-1, -1),
    (PS, -2),
])
def test_flush_out_of_range(m, args):
    with pytest.raises(ValueError, match=MSG):
        m.flush(*args)


@pytest.mark.parametrize("args", [(1, 1), (1, 0), (PS // 2, 10),
                                  (PS + 1, 1)])
def test_flush_unaligned_offset(m, args):
    with pytest.raises(OSError) as exc_info:
        m.flush(*args)
    assert exc_info.value.errno == errno.EINVAL


def test_flush_unaligned_anonymous(make_anon):
    with pytest.raises(OSError) as exc_info:
        make_anon(100).flush(1, 1)
    assert exc_info.value.errno == errno.EINVAL


def test_flush_anonymous(make_anon):
    assert make_anon(100).flush() is None


def test_flush_no_keywords(m):
    with pytest.raises(TypeError):
        m.flush(offset=0)


@cpython313_only("size -1 now means to the end")
def test_flush_size_minus_one_refused(m):
    with pytest.raises(ValueError, match=MSG):
        m.flush(0, -1)


@cpython315("size -1 (the default) is the rest of the map")
@pytest.mark.parametrize("args", [(PS,), (2 * PS,), (3 * PS,), (0, -1), (PS, -1)])
def test_flush_to_the_end(m, args):
    assert m.flush(*args) is None


@cpython315("flush(flags=MS_*)")
@pytest.mark.parametrize("flags", ["MS_SYNC", "MS_ASYNC", "MS_SYNC | MS_INVALIDATE",
                                   "MS_ASYNC | MS_INVALIDATE", "0"])
def test_flush_flags(make_file, file_bytes, flags):
    f = make_file(b"x" * (2 * PS))
    m = mmap.mmap(f.fileno(), 0)
    m[:2] = b"ok"
    assert m.flush(0, PS, flags=eval(flags, vars(mmap))) is None
    assert m.flush(flags=eval(flags, vars(mmap))) is None
    assert file_bytes(f.name)[:2] == b"ok"
    m.close()


@cpython315("flush(flags=MS_*)")
def test_flush_flags_the_kernel_refuses(m):
    for flags in (mmap.MS_SYNC | mmap.MS_ASYNC, 64, -1):
        with pytest.raises(OSError) as exc_info:
            m.flush(flags=flags)
        assert exc_info.value.errno == errno.EINVAL


@cpython315("flush(offset=0, size=-1, /, *, flags=0) parsed by Argument Clinic")
@pytest.mark.parametrize("args, kwargs, error, message", [
    ((), {"offset": 0}, TypeError, "flush() got an unexpected keyword argument 'offset'"),
    ((), {"flag": 0}, TypeError, "flush() got an unexpected keyword argument 'flag'"),
    ((0, 1, 2), {}, TypeError, r"flush() takes at most 2 positional arguments (3 given)"),
    ((0, 1, 2), {"flags": 0}, TypeError, r"flush() takes at most 3 arguments (4 given)"),
    ((), {"flags": "1"}, TypeError, "'str' object cannot be interpreted as an integer"),
    ((), {"flags": 1.0}, TypeError, "'float' object cannot be interpreted as an integer"),
    ((), {"flags": 2 ** 31}, OverflowError, "Python int too large to convert to C int"),
])
def test_flush_argument_errors(m, args, kwargs, error, message):
    with pytest.raises(error) as exc_info:
        m.flush(*args, **kwargs)
    assert str(exc_info.value) == message


@cpython315("flush(flags=...)")
@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_COPY"])
def test_flush_flags_unchecked_for_read_and_copy(make_map, access_name):
    # As CPython: no msync happens, so not even invalid flags are refused.
    m = make_map(b"x" * 100, access=getattr(mmap, access_name))
    assert m.flush(flags=mmap.MS_SYNC | mmap.MS_ASYNC) is None


@pytest.mark.parametrize("args", [(0.0,), (0, 1.0), ("0",), (0, 1, 2)])
def test_flush_bad_arguments(m, args):
    with pytest.raises(TypeError):
        m.flush(*args)


@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_COPY"])
def test_flush_is_noop_for_read_and_copy(make_map, access_name):
    # No msync happens, so even an unaligned offset is fine.
    m = make_map(b"x" * (3 * PS), access=getattr(mmap, access_name))
    for args in [(), (0,), (0, PS), (1, 1), (1, 0), (PS + 1, 5)]:
        assert m.flush(*args) is None, args


@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_COPY"])
def test_flush_range_checked_for_read_and_copy(make_map, access_name):
    m = make_map(b"x" * 100, access=getattr(mmap, access_name))
    with pytest.raises(ValueError, match=MSG):
        m.flush(0, 101)
    with pytest.raises(ValueError, match=MSG):
        m.flush(-1, 1)


def test_flush_makes_write_durable(make_file, file_bytes):
    f = make_file(b"x" * (2 * PS))
    with mmap.mmap(f.fileno(), 0) as m:
        m[PS:PS + 3] = b"abc"
        m.flush(PS, PS)
        assert file_bytes(f.name)[PS:PS + 3] == b"abc"


def test_flush_copy_does_not_reach_file(make_file, file_bytes):
    f = make_file(b"x" * PS)
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as m:
        m[0:3] = b"abc"
        m.flush()
        assert m[0:3] == b"abc"
    assert file_bytes(f.name) == b"x" * PS


def test_flush_offset_map(make_map):
    m = make_map(b"x" * (3 * PS), offset=PS)
    assert m.flush() is None
    assert m.flush(PS, PS) is None
    with pytest.raises(ValueError, match=MSG):
        m.flush(0, 2 * PS + 1)
