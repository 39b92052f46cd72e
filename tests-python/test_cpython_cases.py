"""Cases of CPython 3.13's own Lib/test/test_mmap.py that the rest of this suite did not yet cover,
ported as our own pytest code (nothing copied), grouped by the CPython test they come from.

Audit trail: every non-Windows test of CPython 3.13.0's test_mmap.py (40 of its 50; the 10 Windows-only
ones are listed at the end) -> where its cases are covered. "here" means this module; "partly" names
the existing tests that cover the rest of that CPython test's cases.

MmapTests
  test_basic                        partly: test_find.py::test_find_from_start,
                                    test_reading.py::test_seek_whence, ::test_seek_out_of_range,
                                    ::test_seekable_true, test_buffer.py::test_re_search_on_map,
                                    test_resize.py::test_resize_shrinks_file_and_map;
                                    here: test_basic_two_page_file, test_basic_resize_then_seek
  test_access_parameter             partly: test_access.py::test_read_only_map_refuses_mutation,
                                    ::test_shared_writes_reach_file_without_flush,
                                    ::test_copy_writes_stay_private,
                                    test_constructor.py::test_length_past_end_of_file,
                                    ::test_invalid_access,
                                    ::test_access_conflicts_with_non_default_flags_or_prot,
                                    test_resize.py::test_resize_read_only_or_copy;
                                    here: test_access_parameter_read_only_non_int_values,
                                    test_access_parameter_flags_and_prot_and_access,
                                    test_access_parameter_prot_exec_file_map
  test_trackfd_parameter            test_constructor.py::test_trackfd_false_map_works,
                                    test_size.py::test_size_trackfd_false,
                                    test_resize.py::test_resize_trackfd_false
  test_trackfd_neg1                 test_constructor.py::test_trackfd_false_anonymous,
                                    test_size.py::test_size_anonymous,
                                    test_resize.py::test_resize_trackfd_false_anonymous
  test_bad_file_desc                test_constructor.py::test_negative_file_descriptor_other_than_minus_one
  test_tougher_find                 here: test_tougher_find_embedded_nuls
  test_find_end                     partly: test_find.py::test_start_end_table (other data);
                                    here: test_find_end_examples, test_find_end_table
  test_find_does_not_access_beyond_buffer
                                    partly: test_find.py::test_find_at_end_of_mapping_does_not_overrun;
                                    here: test_find_does_not_access_beyond_buffer_with_guard
  test_rfind                        test_find.py::test_rfind_examples, ::test_bytes_like_needles
  test_double_close                 test_closed.py::test_close_returns_none_and_is_idempotent[read_only]
  test_entire_file                  test_constructor.py::test_length_zero_maps_whole_file,
                                    test_reading.py::test_read_n_advances
  test_length_0_offset              test_constructor.py::test_offset_map_indexing_is_relative
  test_length_0_large_offset        partly: test_constructor.py::test_empty_file_with_offset,
                                    ::test_offset_past_end_of_file; here: test_length_0_large_offset
  test_move                         partly: test_move.py::test_move_every_in_range_combination,
                                    ::test_move_every_out_of_range_combination, ::test_move_reaches_file;
                                    here: test_move_file_map_duplicates_front,
                                    test_move_offsets_product_on_100_bytes, test_move_single_byte_map
  test_anonymous                    test_constructor.py::test_anonymous_map_is_zero_filled,
                                    test_indexing.py::test_setitem_int, ::test_setitem_accepted_values
  test_read_all                     test_reading.py::test_read_rest, ::test_read_all_from_start,
                                    ::test_read_at_end_returns_empty
  test_read_invalid_arg             partly: test_reading.py::test_read_bad_argument_type (str, float);
                                    here: test_read_invalid_arg_list
  test_extended_getslice            partly: test_indexing.py::test_getslice_all_start_stop_step_combinations;
                                    here: test_extended_getslice_256
  test_extended_set_del_slice       partly: test_indexing.py::test_setslice_all_combinations;
                                    here: test_extended_setslice_256
  test_empty_file                   test_constructor.py::test_empty_file_read_only
  test_offset                       partly: test_constructor.py::test_negative_offset,
                                    ::test_offset_with_length, test_resize.py::test_resize_with_offset;
                                    here: test_offset_invalid_values, test_offset_map_then_resize
  test_subclass                     partly: test_object.py::test_subclass_with_custom_new_and_init;
                                    here: test_subclass_overriding_only_new
  test_prot_readonly                test_access.py::test_read_only_map_refuses_mutation[write]
                                    (prot_read), test_writing.py::test_write_requires_bytes_like
  test_error                        test_constants.py::test_error_is_oserror
  test_io_methods                   test_writing.py::test_write_byte_returns_none_and_advances,
                                    ::test_write_byte_past_end, ::test_write_returns_count_and_advances,
                                    ::test_write_bytes_like, ::test_write_past_end,
                                    test_reading.py::test_read_byte_returns_int_and_advances,
                                    ::test_read_byte_at_end, ::test_read_n_advances
  test_non_ascii_byte               test_writing.py::test_write_byte_values,
                                    test_reading.py::test_read_byte_high_value
  test_context_manager              test_object.py::test_context_manager_returns_self_and_closes
  test_context_manager_exception    test_object.py::test_context_manager_closes_on_exception
  test_weakref                      partly: test_object.py::test_weakref (closes the map first);
                                    here: test_weakref_dies_with_unclosed_map
  test_write_returning_the_number_of_bytes_written
                                    test_writing.py::test_write_returns_count_and_advances,
                                    ::test_write_empty_in_middle
  test_resize_past_pos              test_writing.py::test_writes_after_resize_past_position
  test_concat_repeat_exception      test_object.py::test_unsupported_operators
  test_flush_return_value           test_flush.py::test_flush_anonymous, ::test_flush_unaligned_anonymous
  test_repr                         partly: test_object.py::test_repr_access_modes, ::test_repr_with_offset,
                                    ::test_repr_closed; here: test_repr_sizes_offsets_positions
  test_madvise                      partly: test_madvise.py (file maps); here: test_madvise_shared_anonymous
  test_mmap_closed_by_int_scenarios here: test_closed_by_index_read, test_closed_by_index_write
LargeMmapTests
  test_large_offset                 partly: test_constructor.py::test_sparse_file_large_offset;
                                    here: test_large_offset
  test_large_filesize               here: test_large_filesize_window, test_large_filesize_whole_file
                                    (the 64-bit branch: fmmap maps whole files above sys.maxsize)
  test_around_2GB                   here: test_around_2GB_whole_file, test_around_2GB_window
  test_around_4GB                   here: test_around_4GB_whole_file, test_around_4GB_window

Windows-only, not ported: test_no_trackfd_parameter_on_windows, test_tagname, test_sizeof,
test_crasher_on_windows, test_invalid_descriptor, test_resize_up_when_mapped_to_pagefile,
test_resize_down_when_mapped_to_pagefile, test_resize_fails_if_mapping_held_elsewhere,
test_resize_succeeds_with_error_for_second_named_mapping, test_access_violations.

Summary: 40 CPython tests; 20 fully covered elsewhere, 20 completed here.
"""
import gc
import itertools
import os
import weakref

import pytest

from _target import mmap, SSIZE_MAX, deviation, map_length

PS = mmap.PAGESIZE
GRAN = mmap.ALLOCATIONGRANULARITY
GIB2 = 2 ** 31
GIB4 = 2 ** 32

CLOSED_MSG = "^mmap closed or invalid$"
RO_MSG = r"^mmap can't modify a readonly memory map\.$"


# ---------------------------------------------------------------- test_basic

def test_basic_two_page_file(make_file, file_bytes):
    """CPython test_mmap: test_basic"""
    f = make_file(bytes(PS) + b"foo" + bytes(PS - 3))
    m = mmap.mmap(f.fileno(), 2 * PS)
    f.close()
    with m:
        assert "mmap" in str(type(m))
        assert len(m) == 2 * PS
        assert m.find(b"foo") == PS
        assert m[0] == 0
        assert m[0:3] == bytes(3)
        with pytest.raises(IndexError, match="^mmap index out of range$"):
            m[len(m)]
        # the index is checked before the (here non-int) value
        with pytest.raises(IndexError, match="^mmap index out of range$"):
            m[len(m)] = b"\0"
        m[0] = ord("3")
        m[PS + 3:PS + 6] = b"bar"
        assert m[0] == ord("3")
        assert m[0:3] == b"3\0\0"
        assert m[PS - 1:PS + 7] == b"\0foobar\0"
        assert m.flush() is None
    data = file_bytes(f.name)
    assert data[:3] == b"3\0\0"
    assert data[PS - 1:PS + 7] == b"\0foobar\0"


def test_basic_resize_then_seek(make_file):
    """CPython test_mmap: test_basic"""
    f = make_file(bytes(2 * PS))
    with mmap.mmap(f.fileno(), 2 * PS) as m:
        m.seek(0, 2)
        m.resize(512)
        assert len(m) == 512
        assert m.seek(512) == 512
        with pytest.raises(ValueError, match="^seek out of range$"):
            m.seek(513, 0)
        assert os.path.getsize(f.name) == 512
        assert m.size() == 512


# ----------------------------------------------------- test_access_parameter

def test_access_parameter_read_only_non_int_values(make_file, file_bytes):
    """CPython test_mmap: test_access_parameter"""
    f = make_file(b"a" * 10, mode="rb")
    with mmap.mmap(f.fileno(), 10, access=mmap.ACCESS_READ) as m:
        assert m[:] == b"a" * 10
        with pytest.raises(TypeError):
            m[:] = b"b" * 10
        with pytest.raises(TypeError):
            m[0] = b"b"
        with pytest.raises(TypeError):
            m.write_byte(b"d")
        m.seek(0, 0)
        with pytest.raises(TypeError, match=RO_MSG):
            m.write(b"abc")
        with pytest.raises(TypeError):
            m.resize(20)
        assert m[:] == b"a" * 10
    assert file_bytes(f.name) == b"a" * 10


def test_access_parameter_flags_and_prot_and_access(make_file):
    """CPython test_mmap: test_access_parameter"""
    f = make_file(b"a" * 10)
    with pytest.raises(ValueError, match=r"^mmap can't specify both access and flags, prot\.$"):
        mmap.mmap(f.fileno(), 10, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ,
                  access=mmap.ACCESS_WRITE)


def test_access_parameter_prot_exec_file_map(make_file, file_bytes):
    """CPython test_mmap: test_access_parameter"""
    f = make_file(b"a" * 10)
    try:
        m = mmap.mmap(f.fileno(), 10, prot=mmap.PROT_READ | mmap.PROT_EXEC)
    except PermissionError:
        pytest.skip("PROT_EXEC refused here (noexec file system)")
    with m:
        with pytest.raises(TypeError, match=RO_MSG):
            m.write(b"abcdef")
        with pytest.raises(TypeError, match=RO_MSG):
            m.write_byte(0)
        assert m[:] == b"a" * 10
        assert m.tell() == 0
    assert file_bytes(f.name) == b"a" * 10


# --------------------------------------------------------- test_tougher_find

def test_tougher_find_embedded_nuls(make_file):
    """CPython test_mmap: test_tougher_find"""
    data = b"aabaac\x00deef\x00\x00aa\x00"
    n = len(data)
    f = make_file(data)
    with mmap.mmap(f.fileno(), n) as m:
        for start in range(n + 1):
            for finish in range(start, n + 1):
                needle = data[start:finish]
                assert m.find(needle) == data.find(needle), needle
                assert m.find(needle + b"x") == -1, needle


# ------------------------------------------------------------ test_find_end

FIND_END_DATA = b"one two ones"


def test_find_end_examples(make_map):
    """CPython test_mmap: test_find_end"""
    m = make_map(FIND_END_DATA)
    assert m.find(b"one") == 0
    assert m.find(b"ones") == 8
    assert m.find(b"one", 0, -1) == 0
    assert m.find(b"one", 1) == 8
    assert m.find(b"one", 1, -1) == 8
    assert m.find(b"one", 1, -2) == -1
    assert m.find(bytearray(b"one")) == 0


def test_find_end_table(make_map):
    """CPython test_mmap: test_find_end"""
    m = make_map(FIND_END_DATA)
    n = len(FIND_END_DATA)
    for i in range(-n - 1, n + 1):
        for j in range(-n - 1, n + 1):
            for needle in (b"o", b"on", b"two", b"ones", b"s"):
                assert m.find(needle, i, j) == FIND_END_DATA.find(needle, i, j), (needle, i, j)


# ------------------------------------ test_find_does_not_access_beyond_buffer

@pytest.mark.parametrize("i", [0, 1, 2, 3, 15, 16, 255, 256, 1023, 2047, 2048])
def test_find_does_not_access_beyond_buffer_with_guard(i):
    """CPython test_mmap: test_find_does_not_access_beyond_buffer"""
    # CPython loops i over 0..2048; a sample of that range keeps this fast.
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    with mmap.mmap(-1, PS * (i + 1), flags=flags, prot=0):
        with mmap.mmap(-1, PS * (i + 2048), flags=flags, prot=mmap.PROT_READ) as fm:
            assert fm.find(b"fo", -2) == -1
            assert fm.find(b"\0\0", -2) == len(fm) - 2


# ------------------------------------------------------ test_length_0_large_offset

def test_length_0_large_offset(make_file):
    """CPython test_mmap: test_length_0_large_offset"""
    # CPython reopens its file with "w+b", which empties it: the empty-file check comes first.
    f = make_file(b"")
    with pytest.raises(ValueError, match="^cannot mmap an empty file$"):
        mmap.mmap(f.fileno(), 0, offset=2147418112)
    g = make_file(b"m" * 115699)
    with pytest.raises(ValueError, match="^mmap offset is greater than file size$"):
        mmap.mmap(g.fileno(), 0, offset=2147418112)


# ---------------------------------------------------------------- test_move

def test_move_file_map_duplicates_front(make_file):
    """CPython test_mmap: test_move"""
    f = make_file(b"ABCDEabcde")
    with mmap.mmap(f.fileno(), 10) as m:
        m.move(5, 0, 5)
        assert m[:] == b"ABCDEABCDE"


def test_move_offsets_product_on_100_bytes(make_anon):
    """CPython test_mmap: test_move"""
    m = make_anon(100)
    m[:] = bytes(range(100))
    offsets = [-100, -1, 0, 1, 100]
    for dest, src, count in itertools.product(offsets, offsets, offsets):
        before = bytearray(m[:])
        if min(dest, src, count) < 0 or max(dest, src) + count > 100:
            with pytest.raises(ValueError,
                               match="^source, destination, or count out of range$"):
                m.move(dest, src, count)
            assert m[:] == bytes(before), (dest, src, count)
        else:
            m.move(dest, src, count)
            before[dest:dest + count] = before[src:src + count]
            assert m[:] == bytes(before), (dest, src, count)
    for dest, src, count in [(-1, -1, -1), (-1, -1, 0), (-1, 0, -1), (0, -1, -1),
                             (-1, 0, 0), (0, -1, 0), (0, 0, -1)]:
        with pytest.raises(ValueError):
            m.move(dest, src, count)


def test_move_single_byte_map(make_anon):
    """CPython test_mmap: test_move"""
    m = make_anon(1)
    m[0] = 42
    for args in [(0, 0, 2), (1, 0, 1), (0, 1, 1)]:
        with pytest.raises(ValueError,
                           match="^source, destination, or count out of range$"):
            m.move(*args)
    assert m.move(0, 0, 1) is None
    assert m.move(0, 0, 0) is None
    assert m[:] == b"\x2a"


# ---------------------------------------------------- test_read_invalid_arg

def test_read_invalid_arg_list(make_anon):
    """CPython test_mmap: test_read_invalid_arg"""
    m = make_anon(16)
    with pytest.raises(TypeError, match="^argument should be integer or None, not 'list'$"):
        m.read([1, 2, 3])
    with pytest.raises(TypeError):
        m.read("foo")
    with pytest.raises(TypeError):
        m.read(5.5)
    assert m.tell() == 0


# ------------------------------------- test_extended_getslice / set_del_slice

SLICE_INDICES = (0, None, 1, 3, 19, 300, SSIZE_MAX, -1, -2, -31, -300)
REVERSED_256 = bytes(reversed(range(256)))


def test_extended_getslice_256(make_anon):
    """CPython test_mmap: test_extended_getslice"""
    m = make_anon(256)
    m[:] = REVERSED_256
    assert m[:] == REVERSED_256
    for start in SLICE_INDICES:
        for stop in SLICE_INDICES:
            for step in SLICE_INDICES[1:]:
                assert m[start:stop:step] == REVERSED_256[start:stop:step], (start, stop, step)


def test_extended_setslice_256(make_anon):
    """CPython test_mmap: test_extended_set_del_slice"""
    m = make_anon(256)
    for start in SLICE_INDICES:
        for stop in SLICE_INDICES:
            for step in SLICE_INDICES[1:]:
                m[:] = REVERSED_256
                expected = bytearray(REVERSED_256)
                data = bytes(reversed(expected[start:stop:step]))
                expected[start:stop:step] = data
                m[start:stop:step] = data
                assert m[:] == bytes(expected), (start, stop, step)


# -------------------------------------------------------------- test_offset

@pytest.mark.parametrize("offset, exc", [(-2, OverflowError), (-1, OverflowError),
                                         (None, TypeError)])
def test_offset_invalid_values(make_file, offset, exc):
    """CPython test_mmap: test_offset"""
    f = make_file(bytes(GRAN) + b"foo" + bytes(GRAN - 3))
    with pytest.raises(exc):
        mmap.mmap(f.fileno(), 2 * GRAN, offset=offset)


def test_offset_map_then_resize(make_file):
    """CPython test_mmap: test_offset"""
    f = make_file(bytes(GRAN) + b"foo" + bytes(GRAN - 3))
    m = mmap.mmap(f.fileno(), GRAN, offset=GRAN)
    f.close()
    with m:
        assert m[0:3] == b"foo"
        m.resize(512)
        assert len(m) == 512
        with pytest.raises(ValueError, match="^seek out of range$"):
            m.seek(513, 0)
        assert m[0:3] == b"foo"
        assert os.path.getsize(f.name) == GRAN + 512
        assert m.size() == GRAN + 512


# ------------------------------------------------------------ test_subclass

def test_subclass_overriding_only_new():
    """CPython test_mmap: test_subclass"""
    class AnonMmap(mmap.mmap):
        def __new__(klass, *args, **kwargs):
            return mmap.mmap.__new__(klass, -1, *args, **kwargs)

    m = AnonMmap(PS)
    try:
        assert isinstance(m, AnonMmap)
        assert len(m) == PS
        assert m[:] == bytes(PS)
        m[0] = 1
        assert m[0] == 1
    finally:
        m.close()
    k = AnonMmap(100, access=mmap.ACCESS_READ)
    try:
        assert len(k) == 100
        with pytest.raises(TypeError, match=RO_MSG):
            k[0] = 1
    finally:
        k.close()


# ------------------------------------------------------------- test_weakref

def test_weakref_dies_with_unclosed_map():
    """CPython test_mmap: test_weakref"""
    mm = mmap.mmap(-1, 16)
    wr = weakref.ref(mm)
    assert wr() is mm
    del mm
    for _ in range(3):  # like test.support.gc_collect: collectors may need several passes
        gc.collect()
        if wr() is None:
            break
    assert wr() is None


# ---------------------------------------------------------------- test_repr

def test_repr_sizes_offsets_positions(tmp_path):
    """CPython test_mmap: test_repr"""
    import re
    open_pat = re.compile(r"<mmap.mmap closed=False, access=(?P<access>\S+), "
                          r"length=(?P<length>\d+), pos=(?P<pos>\d+), offset=(?P<offset>\d+)>$")
    path = tmp_path / "repr.bin"
    for mapsize in (50, 100, 1000, 1000000, 10000000):
        offset = (mapsize // 2 // GRAN) * GRAN
        length = mapsize - offset
        with open(path, "wb+") as fp:
            fp.write(b"a" * mapsize)
            fp.flush()
            for access, pos in itertools.product(
                    ("ACCESS_DEFAULT", "ACCESS_READ", "ACCESS_COPY", "ACCESS_WRITE"),
                    (0, length // 10, length // 5, length // 4)):
                with mmap.mmap(fp.fileno(), length, access=getattr(mmap, access),
                               offset=offset) as mm:
                    mm.seek(pos)
                    match = open_pat.match(repr(mm))
                    assert match is not None, repr(mm)
                    assert match.group("access") == access
                    assert match.group("length") == str(length)
                    assert match.group("pos") == str(pos)
                    assert match.group("offset") == str(offset)
                assert repr(mm) == "<mmap.mmap closed=True>"


# -------------------------------------------------------------- test_madvise

def test_madvise_shared_anonymous(make_anon):
    """CPython test_mmap: test_madvise"""
    size = 2 * PS
    m = make_anon(size)
    with pytest.raises(ValueError, match="madvise start out of bounds"):
        m.madvise(mmap.MADV_NORMAL, size)
    with pytest.raises(ValueError, match="madvise start out of bounds"):
        m.madvise(mmap.MADV_NORMAL, -1)
    with pytest.raises(ValueError, match="madvise length invalid"):
        m.madvise(mmap.MADV_NORMAL, 0, -1)
    with pytest.raises(OverflowError, match="madvise length too large"):
        m.madvise(mmap.MADV_NORMAL, PS, SSIZE_MAX)
    assert m.madvise(mmap.MADV_NORMAL) is None
    assert m.madvise(mmap.MADV_NORMAL, PS) is None
    assert m.madvise(mmap.MADV_NORMAL, PS, size) is None
    assert m.madvise(mmap.MADV_NORMAL, 0, 2) is None
    assert m.madvise(mmap.MADV_NORMAL, 0, size) is None


# ------------------------------------------ test_mmap_closed_by_int_scenarios

class _ClosingIndex:
    """An index whose conversion closes the map, then yields 10."""

    def __init__(self, m):
        self.m = m

    def __index__(self):
        self.m.close()
        return 10


READ_SCENARIOS = {
    "getitem": lambda m, x: m[x],
    "getslice": lambda m, x: m[x:20],
    "getslice_step": lambda m, x: m[x:20:2],
    "getslice_negative_step": lambda m, x: m[20:x:-2],
    "read": lambda m, x: m.read(x),
    "find": lambda m, x: m.find(b"1", 1, x),
}

WRITE_SCENARIOS = {
    "setslice": lambda m, x: m.__setitem__(slice(x, 20), b"1" * 10),
    "setslice_step": lambda m, x: m.__setitem__(slice(x, 20, 2), b"1" * 5),
    "setslice_negative_step": lambda m, x: m.__setitem__(slice(20, x, -2), b"1" * 5),
    "move": lambda m, x: m.move(1, 2, x),
    "write_byte": lambda m, x: m.write_byte(x),
}


@pytest.mark.parametrize("scenario", sorted(READ_SCENARIOS))
@pytest.mark.parametrize("access_name", ["ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY",
                                         "ACCESS_DEFAULT"])
def test_closed_by_index_read(make_file, file_bytes, scenario, access_name):
    """CPython test_mmap: test_mmap_closed_by_int_scenarios"""
    data = bytes(range(100, 200))
    f = make_file(data)
    m = mmap.mmap(f.fileno(), 100, access=getattr(mmap, access_name))
    with pytest.raises(ValueError, match=CLOSED_MSG):
        READ_SCENARIOS[scenario](m, _ClosingIndex(m))
    assert m.closed is True
    assert file_bytes(f.name) == data


@pytest.mark.parametrize("scenario", sorted(WRITE_SCENARIOS))
@pytest.mark.parametrize("access_name", ["ACCESS_WRITE", "ACCESS_COPY", "ACCESS_DEFAULT"])
def test_closed_by_index_write(make_file, file_bytes, scenario, access_name):
    """CPython test_mmap: test_mmap_closed_by_int_scenarios"""
    data = bytes(range(100, 200))
    f = make_file(data)
    m = mmap.mmap(f.fileno(), 100, access=getattr(mmap, access_name))
    with pytest.raises(ValueError, match=CLOSED_MSG):
        WRITE_SCENARIOS[scenario](m, _ClosingIndex(m))
    assert m.closed is True
    assert file_bytes(f.name) == data


# ============================================================ LargeMmapTests

@pytest.fixture
def sparse_file(tmp_path):
    """sparse_file(num_zeroes, tail) -> open w+b file: num_zeroes holes, then tail. Skips the test
    where the file system cannot hold it; the file is deleted at teardown."""
    made = []

    def factory(num_zeroes, tail):
        path = tmp_path / ("large%d.bin" % len(made))
        f = open(path, "w+b")
        made.append(f)
        try:
            f.seek(num_zeroes)
            f.write(tail)
            f.flush()
        except (OSError, OverflowError, ValueError) as e:
            pytest.skip("file system without large sparse file support: %s" % e)
        return f

    yield factory
    for f in made:
        f.close()
        try:
            os.unlink(f.name)
        except OSError:
            pass


def test_large_offset(sparse_file):
    """CPython test_mmap: test_large_offset"""
    f = sparse_file(0x14FFFFFFF, b" ")
    with mmap.mmap(f.fileno(), 0, offset=0x140000000, access=mmap.ACCESS_READ) as m:
        assert len(m) == 0x10000000
        assert m[0xFFFFFFF] == 32
        assert m[0] == 0
        assert m.size() == 0x150000000


LARGE_FILESIZE = 0x180000000


def test_large_filesize_window(sparse_file):
    """CPython test_mmap: test_large_filesize"""
    f = sparse_file(LARGE_FILESIZE - 1, b" ")
    with mmap.mmap(f.fileno(), 0x10000, access=mmap.ACCESS_READ) as m:
        assert len(m) == 0x10000
        assert m.size() == LARGE_FILESIZE


def test_large_filesize_whole_file(sparse_file):
    """CPython test_mmap: test_large_filesize (its 64-bit branch; the 32-bit one, which CPython's
    suite takes wherever sys.maxsize is small, as on GraalPy, is not fmmap's behaviour)"""
    f = sparse_file(LARGE_FILESIZE - 1, b" ")
    with mmap.mmap(f.fileno(), LARGE_FILESIZE, access=mmap.ACCESS_READ) as m:
        assert m[LARGE_FILESIZE - 1] == 32
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert map_length(m) == LARGE_FILESIZE
        assert m[LARGE_FILESIZE - 1] == 32


AROUND_TAIL = b"  DEARdear  "


def _around_boundary_whole_file(sparse_file, boundary):
    start = boundary - len(AROUND_TAIL) // 2
    end = start + len(AROUND_TAIL)
    f = sparse_file(start, AROUND_TAIL)
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert map_length(m) == end
        assert m[start:end] == AROUND_TAIL


def _around_boundary_window(sparse_file, boundary):
    start = boundary - len(AROUND_TAIL) // 2
    end = start + len(AROUND_TAIL)
    f = sparse_file(start, AROUND_TAIL)
    offset = (start // GRAN - 1) * GRAN
    with mmap.mmap(f.fileno(), 0, offset=offset, access=mmap.ACCESS_READ) as m:
        assert len(m) == end - offset
        assert m[start - offset:end - offset] == AROUND_TAIL
        assert m.size() == end
        assert m.rfind(b"DEAR") == start - offset + 2


def test_around_2GB_whole_file(sparse_file):
    """CPython test_mmap: test_around_2GB"""
    _around_boundary_whole_file(sparse_file, GIB2)


def test_around_2GB_window(sparse_file):
    """CPython test_mmap: test_around_2GB"""
    _around_boundary_window(sparse_file, GIB2)


def test_around_4GB_whole_file(sparse_file):
    """CPython test_mmap: test_around_4GB"""
    _around_boundary_whole_file(sparse_file, GIB4)


def test_around_4GB_window(sparse_file):
    """CPython test_mmap: test_around_4GB"""
    _around_boundary_window(sparse_file, GIB4)
