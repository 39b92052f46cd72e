"""mmap.mmap(fileno, length, flags, prot, access, offset, *, trackfd) on Linux."""
import errno
import os
import sys

import pytest

from _helpers import fds_on
from _target import mmap, SSIZE_MAX, deviation

PS = mmap.PAGESIZE
DATA = b"0123456789abcdef" * 4  # 64 bytes


def closed_fd_number():
    """A descriptor number that is certainly not open right now."""
    fd = os.open(os.devnull, os.O_RDONLY)
    os.close(fd)
    return fd


# ---------------------------------------------------------------- valid maps

def test_length_zero_maps_whole_file(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as m:
        assert len(m) == len(DATA)
        assert m[:] == DATA


def test_explicit_length_maps_prefix(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 10) as m:
        assert len(m) == 10
        assert m[:] == DATA[:10]


def test_length_equal_to_file_size(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), len(DATA)) as m:
        assert m[:] == DATA


def test_keyword_arguments(make_file):
    f = make_file(b"x" * PS + b"tail!")
    with mmap.mmap(fileno=f.fileno(), length=4, flags=mmap.MAP_SHARED,
                   prot=mmap.PROT_READ, access=mmap.ACCESS_DEFAULT,
                   offset=PS, trackfd=True) as m:
        assert m[:] == b"tail"


def test_index_objects_accepted_for_length_and_offset(make_file):
    class Idx:
        def __init__(self, v):
            self.v = v

        def __index__(self):
            return self.v

    f = make_file(b"a" * PS + b"bcdef")
    with mmap.mmap(f.fileno(), Idx(3), offset=Idx(PS)) as m:
        assert m[:] == b"bcd"


def test_new_map_starts_at_position_zero(make_file):
    f = make_file(DATA)
    f.seek(10)
    with mmap.mmap(f.fileno(), 0) as m:
        assert m.tell() == 0
        assert m.closed is False


@pytest.mark.parametrize("size", [1, 10, PS, PS + 1, 3 * PS])
def test_anonymous_map_is_zero_filled(size):
    with mmap.mmap(-1, size) as m:
        assert len(m) == size
        assert m[:] == bytes(size)


@pytest.mark.parametrize("flags", [
    mmap.MAP_SHARED,
    mmap.MAP_PRIVATE,
    mmap.MAP_SHARED | mmap.MAP_ANONYMOUS,
    mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS,
    mmap.MAP_PRIVATE | mmap.MAP_POPULATE,
])
def test_anonymous_map_flags(flags):
    with mmap.mmap(-1, 100, flags=flags) as m:
        m[0] = 7
        m[99] = 9
        assert m[0] == 7 and m[99] == 9
        assert len(m) == 100


# ------------------------------------------------------------------- offsets

def test_offset_with_length_zero_maps_rest(make_file):
    f = make_file(b"a" * PS + b"rest-of-file")
    with mmap.mmap(f.fileno(), 0, offset=PS) as m:
        assert len(m) == len(b"rest-of-file")
        assert m[:] == b"rest-of-file"


def test_offset_with_length(make_file):
    f = make_file(b"a" * (2 * PS) + b"0123456789")
    with mmap.mmap(f.fileno(), 4, offset=2 * PS) as m:
        assert m[:] == b"0123"


def test_offset_multiple_of_allocation_granularity(make_file):
    gran = mmap.ALLOCATIONGRANULARITY
    f = make_file(b"\0" * gran + b"XY")
    with mmap.mmap(f.fileno(), 0, offset=gran,
                   access=mmap.ACCESS_READ) as m:
        assert m[:] == b"XY"


def test_offset_map_indexing_is_relative(make_file):
    f = make_file(b"a" * PS + b"b" * 100)
    with mmap.mmap(f.fileno(), 0, offset=PS, access=mmap.ACCESS_READ) as m:
        assert m[0] == ord("b")
        with pytest.raises(IndexError, match="^mmap index out of range$"):
            m[100]


def test_write_through_offset_map_lands_at_offset(make_file, file_bytes):
    f = make_file(b"a" * PS + b"bbbb")
    with mmap.mmap(f.fileno(), 0, offset=PS) as m:
        m[1:3] = b"ZZ"
        m.flush()
    assert file_bytes(f.name) == b"a" * PS + b"bZZb"


def test_sparse_file_large_offset(make_file):
    # A sparse file above 4 GiB: mapping near the end must work on 64-bit.
    f = make_file(b"")
    big = 0x140000000  # 5 GiB, page aligned
    try:
        f.truncate(big + PS)
        f.seek(big + 10)
        f.write(b"  DEAR  ")
        f.flush()
    except OSError as e:  # filesystem without sparse / large file support
        pytest.skip("no large sparse file support: %s" % e)
    with mmap.mmap(f.fileno(), 0, offset=big, access=mmap.ACCESS_READ) as m:
        assert len(m) == PS
        assert m[10:18] == b"  DEAR  "
        assert m.size() == big + PS
    with mmap.mmap(f.fileno(), PS, access=mmap.ACCESS_READ) as m:
        assert m.size() == big + PS


# -------------------------------------------------------- negative and huge

def test_negative_length(make_file):
    f = make_file(DATA)
    with pytest.raises(OverflowError,
                       match="^memory mapped length must be positive$"):
        mmap.mmap(f.fileno(), -1)


def test_negative_length_anonymous():
    with pytest.raises(OverflowError,
                       match="^memory mapped length must be positive$"):
        mmap.mmap(-1, -5)


@pytest.mark.parametrize("offset", [-1, -PS])
def test_negative_offset(make_file, offset):
    f = make_file(DATA)
    with pytest.raises(OverflowError,
                       match="^memory mapped offset must be positive$"):
        mmap.mmap(f.fileno(), 0, offset=offset)


@pytest.mark.parametrize("length", [2 ** 63, 2 ** 64, 2 ** 100])
def test_length_too_large_for_ssize_t(make_file, length):
    f = make_file(DATA)
    with pytest.raises(OverflowError):
        mmap.mmap(f.fileno(), length)


@pytest.mark.parametrize("offset", [2 ** 63, 2 ** 100])
def test_offset_too_large_for_off_t(make_file, offset):
    f = make_file(DATA)
    with pytest.raises(OverflowError):
        mmap.mmap(f.fileno(), 0, offset=offset)


def test_largest_length_is_greater_than_file(make_file):
    f = make_file(DATA)
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), SSIZE_MAX)


def test_largest_aligned_offset_is_greater_than_file(make_file):
    f = make_file(DATA)
    with pytest.raises(ValueError,
                       match="^mmap offset is greater than file size$"):
        mmap.mmap(f.fileno(), 0, offset=SSIZE_MAX - PS + 1)


@pytest.mark.skipif(SSIZE_MAX < 2 ** 40, reason="Py_ssize_t too small to ask for more than RAM")
def test_huge_anonymous_map_fails_with_enomem():
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(-1, SSIZE_MAX)
    assert exc_info.value.errno == errno.ENOMEM


# ------------------------------------------------------ access / flags / prot

@pytest.mark.parametrize("access", [-1, 4, 5, 100])
def test_invalid_access(make_file, access):
    f = make_file(DATA)
    with pytest.raises(ValueError, match=r"^mmap invalid access parameter\.$"):
        mmap.mmap(f.fileno(), 0, access=access)


@pytest.mark.parametrize("access", [-1, 4])
def test_invalid_access_anonymous(access):
    with pytest.raises(ValueError, match=r"^mmap invalid access parameter\.$"):
        mmap.mmap(-1, 10, access=access)


@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_WRITE",
                                         "ACCESS_COPY"])
@pytest.mark.parametrize("extra_name", ["flags_private", "prot_read",
                                        "prot_rwx"])
def test_access_conflicts_with_non_default_flags_or_prot(make_file,
                                                         access_name,
                                                         extra_name):
    extra = {
        "flags_private": {"flags": mmap.MAP_PRIVATE},
        "prot_read": {"prot": mmap.PROT_READ},
        "prot_rwx": {"prot": mmap.PROT_READ | mmap.PROT_WRITE
                     | mmap.PROT_EXEC},
    }[extra_name]
    f = make_file(DATA)
    with pytest.raises(ValueError,
                       match=r"^mmap can't specify both access and flags, "
                             r"prot\.$"):
        mmap.mmap(f.fileno(), 0, access=getattr(mmap, access_name), **extra)


@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_WRITE",
                                         "ACCESS_COPY"])
def test_access_with_explicitly_default_flags_and_prot_is_allowed(
        make_file, access_name):
    # Only non-default flags/prot conflict with access: passing the default
    # values (MAP_SHARED, PROT_READ|PROT_WRITE) explicitly is accepted.
    f = make_file(DATA)
    access = getattr(mmap, access_name)
    with mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED,
                   prot=mmap.PROT_READ | mmap.PROT_WRITE,
                   access=access) as m:
        assert ("access=%s," % access_name) in repr(m)


def test_access_default_combines_with_flags_and_prot(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, flags=mmap.MAP_PRIVATE,
                   prot=mmap.PROT_READ, access=mmap.ACCESS_DEFAULT) as m:
        assert m[:] == DATA
        assert "access=ACCESS_READ," in repr(m)


# ---------------------------------------------------------- file size checks

def test_empty_file(make_file):
    f = make_file(b"")
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0)


def test_empty_file_read_only(make_file):
    f = make_file(b"", mode="rb")
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def test_empty_file_with_offset(make_file):
    f = make_file(b"")
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0, offset=PS)


def test_empty_file_with_length(make_file):
    f = make_file(b"")
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), 1)


@pytest.mark.parametrize("extra", [1, 100, PS])
def test_length_past_end_of_file(make_file, extra):
    f = make_file(DATA)
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), len(DATA) + extra)


def test_offset_plus_length_past_end_of_file(make_file):
    f = make_file(b"a" * PS + b"b" * 10)
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), 11, offset=PS)


@pytest.mark.parametrize("pages", [1, 2, 100])
def test_offset_past_end_of_file(make_file, pages):
    f = make_file(DATA)
    with pytest.raises(ValueError,
                       match="^mmap offset is greater than file size$"):
        mmap.mmap(f.fileno(), 0, offset=pages * PS)


def test_offset_equal_to_file_size_with_length_zero(make_file):
    # Nothing would be left to map: CPython reports the offset.
    f = make_file(b"a" * (2 * PS))
    with pytest.raises(ValueError,
                       match="^mmap offset is greater than file size$"):
        mmap.mmap(f.fileno(), 0, offset=2 * PS)


def test_offset_equal_to_file_size_with_length(make_file):
    f = make_file(b"a" * (2 * PS))
    with pytest.raises(ValueError,
                       match="^mmap length is greater than file size$"):
        mmap.mmap(f.fileno(), 1, offset=2 * PS)


# ------------------------------------------------------------- OS failures

@pytest.mark.parametrize("offset", [1, 100, PS // 2, PS + 1])
def test_unaligned_offset(make_file, offset):
    f = make_file(b"a" * (3 * PS))
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(f.fileno(), 1, offset=offset)
    assert exc_info.value.errno == errno.EINVAL


def test_unaligned_offset_length_zero(make_file):
    f = make_file(b"a" * (3 * PS))
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(f.fileno(), 0, offset=1)
    assert exc_info.value.errno == errno.EINVAL


def test_bad_file_descriptor():
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(closed_fd_number(), 10)
    assert exc_info.value.errno == errno.EBADF


def test_negative_file_descriptor_other_than_minus_one():
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(-2, PS)
    assert exc_info.value.errno == errno.EBADF


def test_anonymous_length_zero():
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(-1, 0)
    assert exc_info.value.errno == errno.EINVAL


def test_error_alias_is_oserror():
    with pytest.raises(mmap.error):
        mmap.mmap(-1, 0)


def test_directory_fd_cannot_be_mapped(tmp_path):
    fd = os.open(str(tmp_path), os.O_RDONLY)
    try:
        with pytest.raises(OSError) as exc_info:
            mmap.mmap(fd, 10, access=mmap.ACCESS_READ)
        assert exc_info.value.errno == errno.ENODEV
    finally:
        os.close(fd)


@pytest.mark.parametrize("kwargs", [
    {},
    {"access": mmap.ACCESS_WRITE},
    {"access": mmap.ACCESS_DEFAULT},
    {"prot": mmap.PROT_READ | mmap.PROT_WRITE},
    {"prot": mmap.PROT_WRITE},
])
def test_writable_shared_map_on_read_only_fd(make_file, kwargs):
    f = make_file(DATA, mode="rb")
    with pytest.raises(PermissionError) as exc_info:
        mmap.mmap(f.fileno(), 0, **kwargs)
    assert exc_info.value.errno == errno.EACCES


@pytest.mark.parametrize("kwargs", [
    {"access": mmap.ACCESS_READ},
    {"access": mmap.ACCESS_COPY},
    {"prot": mmap.PROT_READ},
    {"flags": mmap.MAP_PRIVATE},
])
def test_read_only_fd_allows_read_and_private_maps(make_file, kwargs):
    f = make_file(DATA, mode="rb")
    with mmap.mmap(f.fileno(), 0, **kwargs) as m:
        assert m[:] == DATA


def test_write_only_fd_cannot_be_mapped(make_file):
    f = make_file(DATA)
    fd = os.open(f.name, os.O_WRONLY)
    try:
        with pytest.raises(PermissionError):
            mmap.mmap(fd, 0)
        with pytest.raises(PermissionError):
            mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)


# ------------------------------------------------------------ argument types

@pytest.mark.parametrize("args", [
    ("x", 10),
    (None, 10),
    (-1, "10"),
    (-1, 10.0),
    (-1, None),
])
def test_non_integer_fileno_or_length(args):
    with pytest.raises(TypeError):
        mmap.mmap(*args)


@pytest.mark.parametrize("kwargs", [
    {"offset": 0.0},
    {"access": None},
    {"flags": "1"},
    {"prot": 1.5},
])
def test_non_integer_keyword_arguments(kwargs):
    with pytest.raises(TypeError):
        mmap.mmap(-1, 10, **kwargs)


def test_missing_arguments():
    with pytest.raises(TypeError):
        mmap.mmap()
    with pytest.raises(TypeError):
        mmap.mmap(-1)


def test_too_many_positional_arguments():
    # trackfd is keyword-only
    with pytest.raises(TypeError):
        mmap.mmap(-1, 10, mmap.MAP_SHARED,
                  mmap.PROT_READ | mmap.PROT_WRITE, 0, 0, True)


def test_unknown_keyword():
    with pytest.raises(TypeError):
        mmap.mmap(-1, 10, tagname="x")


# ------------------------------------------------------------------ trackfd

def test_trackfd_true_duplicates_descriptor(make_file):
    f = make_file(DATA)
    before = fds_on(f.name)
    m = mmap.mmap(f.fileno(), 0)
    try:
        assert fds_on(f.name) == before + 1
    finally:
        m.close()
    assert fds_on(f.name) == before


def test_trackfd_false_keeps_no_descriptor(make_file):
    f = make_file(DATA)
    before = fds_on(f.name)
    with mmap.mmap(f.fileno(), 0, trackfd=False):
        assert fds_on(f.name) == before


def test_map_outlives_original_descriptor(make_file):
    f = make_file(DATA)
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    with m:
        assert m[:] == DATA
        assert m.size() == len(DATA)


@pytest.mark.parametrize("close_original", [False, True])
def test_trackfd_false_map_works(make_file, file_bytes, close_original):
    f = make_file(b"a" * 64)
    with mmap.mmap(f.fileno(), 64, trackfd=False) as m:
        if close_original:
            f.close()
        assert len(m) == 64
        m.write_byte(ord("X"))
        m[2] = ord("Y")
        m.flush()
        assert file_bytes(f.name)[:4] == b"XaYa"
        assert m.tell() == 1
        assert m.seek(0) == 0
        assert m.read_byte() == ord("X")
        assert m.closed is False
    assert m.closed is True
    assert os.path.getsize(f.name) == 64


@pytest.mark.parametrize("value", [0, 1, "", "yes", None, []])
def test_trackfd_accepts_any_truth_value(make_file, value):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, trackfd=value) as m:
        assert len(m) == len(DATA)


def test_trackfd_false_anonymous():
    with mmap.mmap(-1, 64, trackfd=False) as m:
        assert len(m) == 64
        m[0] = ord("a")
        assert m[0] == ord("a")


# -------------------------------------------------------------------- audit

_audit_log = []


def _audit_hook(event, args):
    if _audit_log and _audit_log[0] == "on" and event in (
            "mmap.__new__", "fmmap.test.probe"):
        _audit_log.append((event, args))


def test_audit_event(make_file):
    f = make_file(b"a" * (2 * PS))
    if not _audit_log:
        sys.addaudithook(_audit_hook)
        _audit_log.append("off")
    _audit_log[0] = "on"
    try:
        del _audit_log[1:]
        sys.audit("fmmap.test.probe", 1)
        dispatched = bool(_audit_log[1:])
        del _audit_log[1:]
        with mmap.mmap(-1, 10):
            pass
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ, offset=PS):
            pass
        with mmap.mmap(f.fileno(), 5, prot=mmap.PROT_READ):
            pass
        events = list(_audit_log[1:])
    finally:
        _audit_log[0] = "off"
    if not dispatched:
        pytest.skip("this interpreter does not dispatch audit events to "
                    "sys.addaudithook hooks")
    assert events == [
        ("mmap.__new__", (-1, 10, mmap.ACCESS_DEFAULT, 0)),
        ("mmap.__new__", (f.fileno(), 0, mmap.ACCESS_READ, PS)),
        ("mmap.__new__", (f.fileno(), 5, mmap.ACCESS_READ, 0)),
    ]


@pytest.mark.parametrize("flags", [0, mmap.MAP_POPULATE, mmap.MAP_STACK])
@pytest.mark.parametrize("prot", [mmap.PROT_READ, mmap.PROT_READ | mmap.PROT_WRITE])
def test_flags_without_shared_or_private_are_invalid(make_file, flags, prot):
    # found by the differential fuzzer: Linux needs one of MAP_SHARED/MAP_PRIVATE
    f = make_file(b"abc")
    with pytest.raises(OSError) as exc_info:
        mmap.mmap(f.fileno(), 3, flags, prot)
    assert exc_info.value.errno == errno.EINVAL


# CPython 3.13 parses mmap()'s arguments with PyArg_ParseTupleAndKeywords: argument counts first,
# then each parameter in order (fetched and converted), stray keywords last; it names no function.
@pytest.mark.parametrize("args, kwargs, message", [
    (("foo",), {}, "'str' object cannot be interpreted as an integer"),
    ((), {}, "function missing required argument 'fileno' (pos 1)"),
    ((0,), {}, "function missing required argument 'length' (pos 2)"),
    ((), {"length": 1}, "function missing required argument 'fileno' (pos 1)"),
    ((0, 1), {"foo": 1}, "this function got an unexpected keyword argument 'foo'"),
    (("x", 1), {"foo": 1}, "'str' object cannot be interpreted as an integer"),
    ((0, "a"), {"foo": 1}, "'str' object cannot be interpreted as an integer"),
    ((-1, 1), {"offset": "x", "zzz": 1}, "'str' object cannot be interpreted as an integer"),
    ((0, 1), {"fileno": 3}, "argument for function given by name ('fileno') and position (1)"),
    ((0,), {"length": 1, "fileno": 3}, "argument for function given by name ('fileno') and position (1)"),
    ((1, 2, 3, 4, 5, 6, 7), {}, "function takes at most 6 positional arguments (7 given)"),
    ((1, 2, 3, 4, 5, 6, 7), {"foo": 1}, "function takes at most 7 arguments (8 given)"),
    ((1, 2, 3, 4, 5, 6), {"trackfd": 1, "foo": 2}, "function takes at most 7 arguments (8 given)"),
])
def test_argument_errors_come_in_cpythons_order(args, kwargs, message):
    with pytest.raises(TypeError) as info:
        mmap.mmap(*args, **kwargs)
    assert str(info.value) == message


@deviation("GraalPy never writes the buffered data of a file object dropped unclosed (its "
           "BufferedWriter has no finalizer; the FileIO's only closes the descriptor): measured "
           "on 25.0.3 and 25.2.4, the file stays empty after gc.collect() and after the process exits")
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_map_after_unclosed_write(tmp_path):
    # Old code writes a file with open(p, "wb").write(data) and maps it at once: CPython's reference
    # counting flushes and closes the dropped file object on the spot.
    path = str(tmp_path / "unclosed.bin")
    open(path, "wb").write(b"0123456789" * 10)
    with open(path, "r+b") as f:
        with mmap.mmap(f.fileno(), 100) as m:
            assert m[:10] == b"0123456789"
