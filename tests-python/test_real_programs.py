"""Real programs that do `import mmap`, run with mmap shadowed by the module under test.

- the stdlib's multiprocessing.heap / sharedctypes: arenas are `mmap.mmap(fd, size)`, and every
  shared ctypes object is `type_.from_buffer(memoryview(arena.buffer)[a:b])`;
- smmap (gitdb/GitPython's sliding-window map manager): `memoryview(region_map)[a:b]` windows over
  maps made with `mmap(fd, size, access=ACCESS_READ, offset=...)`.

Each test checks the data both ways (through the program's objects and through the map itself), so
a wrong offset, format or copy fails. In reference mode the programs run on the stdlib's mmap.
"""
import copy
import ctypes
import os
import random
import struct
import sys

import pytest

from _target import mmap, REFERENCE

GRANULE = mmap.ALLOCATIONGRANULARITY


# ---------------------------------------------------------------- multiprocessing heap / sharedctypes

@pytest.fixture
def mp_heap(monkeypatch):
    """A fresh multiprocessing Heap whose arenas are maps of the module under test."""
    from multiprocessing import heap
    monkeypatch.setattr(heap, "mmap", mmap)
    # A fresh heap: the module-level one may already hold arenas made by the stdlib mmap.
    fresh = heap.Heap()
    monkeypatch.setattr(heap.BufferWrapper, "_heap", fresh)
    return fresh


def value(obj):
    """obj.value, read twice if need be. GraalPy 25.0.3's ctypes raises TypeError ("'NoneType'
    object cannot be interpreted as an integer") the first time each call site reads .value of a
    simple ctypes object once functools is imported, with or without a buffer (ctypes.c_int64()
    too); the same site then reads correctly. 25.2.4 and CPython read it the first time."""
    for attempt in (1, 2):
        try:
            return obj.value              # one call site for both attempts
        except TypeError:
            if REFERENCE or attempt == 2:
                raise


def block_of(obj):
    """(arena map, start, size) of a sharedctypes object (rebuild_ctype keeps its BufferWrapper)."""
    (arena, start, _stop), size = obj._wrapper._state
    return arena.buffer, start, size


def test_raw_array_lives_in_a_map_of_the_target(mp_heap):
    from multiprocessing import sharedctypes
    a = sharedctypes.RawArray("i", [1, -2, 3, 1 << 30])
    assert len(mp_heap._arenas) == 1
    m, start, size = block_of(a)
    assert isinstance(m, mmap.mmap)
    assert size == 16
    assert list(a) == [1, -2, 3, 1 << 30]
    assert m[start:start + size] == struct.pack("4i", 1, -2, 3, 1 << 30)
    # The view the stdlib hands to from_buffer: unsigned bytes, indexable as on CPython.
    with a._wrapper.create_memoryview() as view:
        assert view.format == "B" and len(view) == 16
        assert (view[0], view[4], view[7]) == (1, 0xFE, 0xFF)


def test_raw_array_writes_reach_the_map_and_back(mp_heap):
    from multiprocessing import sharedctypes
    a = sharedctypes.RawArray(ctypes.c_double, 8)
    m, start, size = block_of(a)
    assert m[start:start + size] == bytes(size)            # RawArray(type, n) zero-fills
    a[3] = 2.5
    a[7] = -1e300
    assert struct.unpack_from("8d", m, start) == (0, 0, 0, 2.5, 0, 0, 0, -1e300)
    # And the other way: bytes written into the map are what the ctypes array reads.
    m[start:start + 16] = struct.pack("2d", 1.25, 6.0)
    struct.pack_into("d", m, start + 5 * 8, 42.0)
    assert a[:] == [1.25, 6.0, 0, 2.5, 0, 42.0, 0, -1e300]


def test_raw_value_round_trips_through_the_map(mp_heap):
    from multiprocessing import sharedctypes
    v = sharedctypes.RawValue(ctypes.c_int64, -123456789012)
    m, start, size = block_of(v)
    assert size == 8
    assert struct.unpack_from("q", m, start) == (-123456789012,)
    v.value = 1 << 62
    assert m[start:start + 8] == struct.pack("q", 1 << 62)
    m[start:start + 8] = struct.pack("q", -7)
    assert value(v) == -7


def test_raw_value_of_a_structure(mp_heap):
    from multiprocessing import sharedctypes

    # No padding inside: GraalPy 25.0.3's ctypes places a double after an int32 at offset 4.
    class Point(ctypes.Structure):
        _fields_ = [("y", ctypes.c_double), ("x", ctypes.c_int32), ("tag", ctypes.c_char * 4)]

    p = sharedctypes.RawValue(Point, 0.5, 5, b"abc")
    m, start, size = block_of(p)
    assert size == ctypes.sizeof(Point) == 16
    assert struct.unpack_from("di4s", m, start) == (0.5, 5, b"abc\0")
    p.y = 3.75
    p.tag = b"shm!"
    assert struct.unpack_from("di4s", m, start) == (3.75, 5, b"shm!")
    m[start + 8:start + 12] = struct.pack("i", -9)
    assert (p.x, p.y, p.tag) == (-9, 3.75, b"shm!")


def test_several_allocations_share_one_arena_without_overlap(mp_heap):
    from multiprocessing import sharedctypes
    objs = [sharedctypes.RawArray("b", 3), sharedctypes.RawValue("H", 0xBEEF),
            sharedctypes.RawArray("d", [0.5] * 5), sharedctypes.RawValue("i", -1),
            sharedctypes.RawArray(ctypes.c_char, b"hello world")]
    assert len(mp_heap._arenas) == 1
    blocks = [block_of(o) for o in objs]
    assert len({id(m) for m, _, _ in blocks}) == 1
    spans = sorted((start, start + size) for _, start, size in blocks)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    # Writing every object must leave every other one intact.
    objs[0][:] = [-1, -2, -3]
    objs[1].value = 0x1234
    objs[2][4] = 9.0
    objs[3].value = 77
    objs[4].raw = b"HELLO"                 # .raw: GraalPy 25.0.3's .value leaves out the NUL
    assert list(objs[0]) == [-1, -2, -3]
    assert value(objs[1]) == 0x1234
    assert list(objs[2]) == [0.5, 0.5, 0.5, 0.5, 9.0]
    assert value(objs[3]) == 77
    assert objs[4].raw == b"HELLO world"
    m, start, size = blocks[4]
    assert m[start:start + size] == b"HELLO world"


def test_a_large_allocation_gets_a_second_arena(mp_heap):
    from multiprocessing import sharedctypes
    small = sharedctypes.RawValue("i", 11)
    n = 3 * mmap.PAGESIZE                                    # more than the first one-page arena
    big = sharedctypes.RawArray(ctypes.c_ubyte, n)
    assert len(mp_heap._arenas) == 2
    (m1, _, _), (m2, start, size) = block_of(small), block_of(big)
    assert m1 is not m2
    assert isinstance(m2, mmap.mmap) and len(m2) >= n
    pattern = bytes(range(256)) * (n // 256)
    ctypes.memmove(big, pattern, n)
    assert m2[start:start + size] == pattern
    assert bytes(big) == pattern
    assert value(small) == 11


def test_value_and_array_with_and_without_a_lock(mp_heap):
    from multiprocessing import sharedctypes
    v = sharedctypes.Value("i", 7)
    with v.get_lock():
        v.value = value(v) + 35
    a = sharedctypes.Array("d", [1.0, 2.0, 3.0])
    with a.get_lock():
        a[1:3] = [20.0, 30.0]
    raw_v = sharedctypes.Value(ctypes.c_uint16, 65535, lock=False)
    raw_a = sharedctypes.Array("l", 4, lock=False)
    raw_a[2] = -(1 << 40)
    assert value(v) == 42 and a[:] == [1.0, 20.0, 30.0]
    assert value(raw_v) == 65535 and list(raw_a) == [0, 0, -(1 << 40), 0]
    # The synchronized wrappers and the raw objects all live in the target's maps.
    for obj, fmt, expected in ((v.get_obj(), "i", (42,)), (a.get_obj(), "3d", (1.0, 20.0, 30.0)),
                               (raw_v, "H", (65535,)), (raw_a, "4l", (0, 0, -(1 << 40), 0))):
        m, start, _ = block_of(obj)
        assert isinstance(m, mmap.mmap)
        assert struct.unpack_from(fmt, m, start) == expected


def _child_doubles(arr, val):
    # Runs in the forked child: check what the parent wrote, answer through the same memory.
    if list(arr) != [3, 1, 4, 1, 5] or value(val) != 2.5:
        os._exit(3)
    for i in range(len(arr)):
        arr[i] *= 2
    val.value = -value(val)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this runtime (GraalPy on the JVM "
                                                    "cannot fork: os has no fork attribute)")
def test_forked_child_shares_the_arena(mp_heap):
    import multiprocessing
    from multiprocessing import sharedctypes
    arr = sharedctypes.Array("i", [3, 1, 4, 1, 5])
    val = sharedctypes.Value("d", 2.5)
    p = multiprocessing.get_context("fork").Process(target=_child_doubles, args=(arr, val))
    p.start()
    p.join(60)
    assert p.exitcode == 0
    assert arr[:] == [6, 2, 8, 2, 10]
    assert value(val) == -2.5
    m, start, _ = block_of(arr.get_obj())
    assert struct.unpack_from("5i", m, start) == (6, 2, 8, 2, 10)


# ---------------------------------------------------------------- smmap

@pytest.fixture(params=["smmap"] if REFERENCE else ["smmap", "fmmap.smmap"])
def smmap(request, monkeypatch):
    """The smmap package with its maps made by the module under test; on GraalPy also fmmap.smmap,
    smmap's API over fmmap's window manager, which these programs must not tell from smmap.

    smmap/util.py does `from mmap import mmap, ACCESS_READ, ALLOCATIONGRANULARITY` and uses those
    names at call time, so patching them in smmap.util is enough (tests check the maps' class).
    """
    if request.param == "fmmap.smmap":
        from fmmap import smmap
        return smmap
    smmap = pytest.importorskip("smmap")
    from smmap import util
    monkeypatch.setattr(util, "mmap", mmap.mmap)
    monkeypatch.setattr(util, "ACCESS_READ", mmap.ACCESS_READ)
    monkeypatch.setattr(util, "ALLOCATIONGRANULARITY", GRANULE)
    return smmap


WINDOW = 3 * GRANULE
DATA_SIZE = 10 * GRANULE + 1234          # not a multiple of the window: the last one is short


@pytest.fixture
def data_file(tmp_path):
    data = random.Random(1234).randbytes(DATA_SIZE)
    path = tmp_path / "pack.bin"
    path.write_bytes(data)
    return str(path), data


def test_smmap_sliding_cursor_walks_the_file_window_by_window(smmap, data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=WINDOW)
    offsets = []
    with man.make_cursor(path) as c:
        ofs = 0
        while ofs < len(data):
            assert c.use_region(ofs, WINDOW).is_valid()
            assert isinstance(c.region().map(), mmap.mmap)
            assert c.ofs_begin() == ofs and 0 < c.size() <= WINDOW
            buf = c.buffer()
            assert buf.format == "B" and len(buf) == c.size()
            assert buf[0] == data[ofs] and buf[-1] == data[c.ofs_end() - 1]
            assert bytes(buf) == data[ofs:c.ofs_end()]
            del buf
            offsets.append(ofs)
            ofs = c.ofs_end()
        assert ofs == len(data)
        assert not c.use_region(len(data)).is_valid()       # past the end: no region
    assert len(offsets) == -(-DATA_SIZE // WINDOW)
    man.collect()
    assert man.num_file_handles() == 0 and man.mapped_memory_size() == 0


def test_smmap_regions_are_aligned_maps_at_offsets(smmap, data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=WINDOW)
    with man.make_cursor(path) as c:
        # An unaligned offset in the middle: the region starts at the granule below it.
        ofs = 5 * GRANULE + 100
        c.use_region(ofs, 10)
        r = c.region()
        assert r.ofs_begin() % GRANULE == 0 and r.ofs_begin() <= ofs < r.ofs_end()
        assert r.size() == len(r.map())
        assert r.map()[:] == data[r.ofs_begin():r.ofs_end()]
        assert bytes(c.buffer()) == data[ofs:ofs + c.size()]
    man.collect()


def test_smmap_buffer_slices_across_window_boundaries(smmap, data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=WINDOW)
    buf = smmap.SlidingWindowMapBuffer(man.make_cursor(path))
    try:
        assert len(buf) == len(data)
        for edge in range(WINDOW, len(data), WINDOW):
            assert buf[edge - 1] == data[edge - 1] and buf[edge] == data[edge]
            assert bytes(buf[edge - 10:edge + 10]) == data[edge - 10:edge + 10]
        assert bytes(buf[100:len(data) - 100]) == data[100:-100]   # spans every window
        assert buf[-1] == data[-1] and bytes(buf[-50:]) == data[-50:]
        rng = random.Random(5)
        for _ in range(200):
            i = rng.randrange(len(data))
            j = rng.randrange(i, min(len(data), i + 2 * WINDOW) + 1)
            assert bytes(buf[i:j]) == data[i:j], (i, j)
            assert buf[i] == data[i]
    finally:
        buf.end_access()
    assert man.num_file_handles() >= 2          # the file really was mapped in several windows
    man.collect()


def test_smmap_several_cursors_at_once(smmap, data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=WINDOW)
    cursors = [man.make_cursor(path) for _ in range(3)]
    for c, ofs in zip(cursors, (0, 4 * GRANULE + 7, len(data) - 20)):
        assert c.use_region(ofs, 64).is_valid()
    twin = copy.copy(cursors[1])                # shares the region: its client count goes up
    assert twin.region() is cursors[1].region()
    try:
        assert man.num_file_handles() == 3
        for c in cursors + [twin]:
            assert bytes(c.buffer()) == data[c.ofs_begin():c.ofs_end()]
        cursors[1].unuse_region()
        assert bytes(twin.buffer()[:64]) == data[4 * GRANULE + 7:4 * GRANULE + 71]
    finally:
        for c in cursors + [twin]:
            c.unuse_region()
    assert man.collect() == 3
    assert man.num_file_handles() == 0


def test_smmap_memory_limit_unmaps_unused_regions(smmap, data_file):
    path, data = data_file
    # Room for two windows: walking the whole file must unmap the least recently used ones.
    man = smmap.SlidingWindowMapManager(window_size=WINDOW, max_memory_size=2 * WINDOW)
    regions = []
    with man.make_cursor(path) as c:
        for ofs in range(0, len(data), GRANULE):
            c.use_region(ofs, GRANULE)
            if c.region() not in regions:
                regions.append(c.region())
            assert bytes(c.buffer()) == data[ofs:c.ofs_end()]
            assert man.mapped_memory_size() <= 2 * WINDOW
    assert len(regions) == 4
    # The collected regions' maps were closed by smmap (MapRegion.release -> mmap.close()).
    assert [r.map().closed for r in regions[:2]] == [True, True]
    man.collect()
    assert all(r.map().closed for r in regions)


def test_smmap_open_handle_limit_recycles_maps(smmap, data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=GRANULE, max_open_handles=2)
    rng = random.Random(9)
    with man.make_cursor(path) as c:
        for _ in range(50):
            ofs = rng.randrange(len(data))
            c.use_region(ofs, 16)
            assert bytes(c.buffer()) == data[ofs:c.ofs_end()]
            assert man.num_file_handles() <= 2
    man.collect()


def test_smmap_static_manager_maps_the_whole_file(smmap, data_file):
    path, data = data_file
    man = smmap.StaticWindowMapManager()
    fd = os.open(path, os.O_RDONLY)
    try:
        for source in (path, fd):
            with man.make_cursor(source) as c:
                c.use_region(GRANULE + 3, 100)
                m = c.map()
                assert isinstance(m, mmap.mmap) and len(m) == len(data)
                assert m[:] == data
                assert c.size() == 100
                assert bytes(c.buffer()) == data[GRANULE + 3:GRANULE + 103]
            man.collect()
    finally:
        os.close(fd)
    assert man.num_file_handles() == 0
