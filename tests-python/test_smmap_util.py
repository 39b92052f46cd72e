"""smmap.util: MapWindow, MapRegion, MapRegionList and the helpers (smmap's test_util.py, ported:
random data, no reliance on `del`)."""
import importlib.util
import os
import random
import sys

import pytest

from _smmap_target import REFERENCE, fmmap_only, random_file, smmap

util = smmap.util
MapWindow, MapRegion, MapRegionList = util.MapWindow, util.MapRegion, util.MapRegionList
align_to_mmap, ALLOCATIONGRANULARITY = util.align_to_mmap, util.ALLOCATIONGRANULARITY

SIZE = 1000 * 1000 * 8 + 5195


def _real_smmap_util():
    """The real smmap's util module (build/smmap: pure Python, runs on GraalPy too), loaded from its
    file under a name of its own: whatever `smmap` means in sys.modules (fmmap.smmap.install() may
    have run in this process) does not matter."""
    for entry in sys.path:
        path = os.path.join(entry, "smmap", "util.py")
        if os.path.isfile(path):
            spec = importlib.util.spec_from_file_location("_real_smmap_util", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    pytest.skip("the real smmap is not on sys.path (bin/test installs it into build/smmap)")


@fmmap_only("compares fmmap.smmap's MapWindow with the real smmap's")
def test_window_placement_equals_smmaps_on_random_windows():
    real = _real_smmap_util()
    assert real.MapWindow is not MapWindow
    rng = random.Random(5)
    for _ in range(5000):
        ofs, size = rng.randrange(1 << 20), rng.randrange(1 << 20)
        other_ofs, other_size = rng.randrange(1 << 21), rng.randrange(1 << 18)
        limit = rng.randrange(1, 1 << 21)
        for method in ("extend_left_to", "extend_right_to", "align"):
            mine, theirs = MapWindow(ofs, size), real.MapWindow(ofs, size)
            args = () if method == "align" else (limit,)
            getattr(mine, method)(*((MapWindow(other_ofs, other_size),) if args else ()) + args)
            getattr(theirs, method)(*((real.MapWindow(other_ofs, other_size),) if args else ()) + args)
            assert (mine.ofs, mine.size) == (theirs.ofs, theirs.size), (method, ofs, size, other_ofs,
                                                                        other_size, limit)


def test_window():
    wl = MapWindow(0, 1)        # left
    wc = MapWindow(1, 1)        # center
    wc2 = MapWindow(10, 5)      # another center
    wr = MapWindow(8000, 50)    # right
    assert wl.ofs_end() == 1 and wc.ofs_end() == 2 and wr.ofs_end() == 8050
    # extension does nothing if the windows are already adjacent
    wc.extend_left_to(wl, 100)
    assert (wc.ofs, wc.size) == (1, 1)
    wl.extend_right_to(wc, 100)
    wl.extend_right_to(wc, 100)
    assert (wl.ofs, wl.size) == (0, 1)
    wc2.extend_left_to(wc, 100)
    assert wc2.ofs == wc.ofs_end() and wc2.ofs_end() == 15
    wc.extend_right_to(wr, 100)
    wc.extend_right_to(wr, 100)
    assert (wc.ofs, wc.size) == (1, 100)
    wc.extend_right_to(wr, sys.maxsize)
    assert wc.ofs_end() == wr.ofs and wc.ofs == 1
    wr.extend_left_to(wc2, 100)
    wr.extend_left_to(wc2, 100)
    assert wr.size == 100
    wr.extend_left_to(wc2, sys.maxsize)
    assert wr.ofs == wc2.ofs_end()
    wc.align()
    assert wc.ofs == 0 and wc.size == align_to_mmap(wc.size, True)
    assert repr(MapWindow(3, 4)) == "MapWindow(3, 4)"


def test_region(tmp_path):
    path, data = random_file(tmp_path, SIZE)
    half = SIZE // 2
    rofs = align_to_mmap(4200, False)
    rfull = MapRegion(path, 0, SIZE)
    rhalfofs = MapRegion(path, rofs, SIZE)
    rhalfsize = MapRegion(path, 0, half)
    try:
        assert rfull.ofs_begin() == 0 and rfull.size() == SIZE and rfull.ofs_end() == SIZE
        assert rfull.includes_ofs(0) and rfull.includes_ofs(SIZE - 1) and rfull.includes_ofs(half)
        assert not rfull.includes_ofs(-1) and not rfull.includes_ofs(sys.maxsize)
        assert rhalfofs.ofs_begin() == rofs and rhalfofs.size() == SIZE - rofs
        assert rhalfofs.includes_ofs(rofs) and not rhalfofs.includes_ofs(0)
        assert rhalfsize.ofs_begin() == 0 and rhalfsize.size() == half
        assert rhalfsize.includes_ofs(half - 1) and not rhalfsize.includes_ofs(half)
        # the maps stay readable once the file is gone
        os.remove(path)
        assert rfull.map()[:] == data
        assert rhalfofs.buffer()[:100] == data[rofs:rofs + 100]
        assert rhalfsize.map()[half - 10:half] == data[half - 10:half]
        assert rfull.client_count() == 1
        rfull2 = rfull
        assert rfull2.client_count() == 1    # no automatic counting
        w = MapWindow.from_region(rfull)
        assert w.ofs == rfull.ofs_begin() and w.ofs_end() == rfull.ofs_end()
        assert repr(rhalfofs) == "MapRegion<%i, %i>" % (rofs, SIZE - rofs)
    finally:
        for r in (rfull, rhalfofs, rhalfsize):
            assert r.increment_client_count(-1) is True    # the last count releases the map


def test_region_release_at_zero_and_negative_count_is_refused(tmp_path):
    path, data = random_file(tmp_path, 3 * ALLOCATIONGRANULARITY)
    r = MapRegion(path, ALLOCATIONGRANULARITY, 100)
    assert r.size() == 100 and r.map()[:] == data[ALLOCATIONGRANULARITY:ALLOCATIONGRANULARITY + 100]
    assert r.increment_client_count() is False and r.client_count() == 2
    assert r.increment_client_count(-1) is False
    assert r.increment_client_count(-1) is True and r.map().closed
    try:
        r.increment_client_count(-1)
    except AssertionError as e:
        assert "usage counter negative" in str(e)
    else:
        raise AssertionError("a negative client count was accepted")


def test_region_list(tmp_path):
    path, _ = random_file(tmp_path, 100)
    fd = os.open(path, os.O_RDONLY)
    try:
        for item in (path, fd):
            ml = MapRegionList(item)
            assert len(ml) == 0
            assert ml.path_or_fd() == item
            assert ml.file_size() == 100
    finally:
        os.close(fd)


def test_util():
    assert isinstance(util.is_64_bit(), bool)
    assert align_to_mmap(1, False) == 0
    assert align_to_mmap(1, True) == ALLOCATIONGRANULARITY
    assert align_to_mmap(ALLOCATIONGRANULARITY, True) == ALLOCATIONGRANULARITY


def test_is_64_bit_tells_the_pointer_size():
    import struct
    if REFERENCE:
        assert util.is_64_bit() == (sys.maxsize > (1 << 32) - 1)
    else:
        # GraalPy's sys.maxsize is 2**31 - 1 in a 64-bit process; smmap's test of it would say 32.
        assert util.is_64_bit() == (struct.calcsize("P") == 8)


def test_module_layout():
    assert smmap.version_info[:2] == (5, 0)
    for name in ("StaticWindowMapManager", "SlidingWindowMapManager", "WindowCursor",
                 "SlidingWindowMapBuffer", "mman", "buf", "util"):
        assert hasattr(smmap, name), name
    assert "MapRegion" not in dir(smmap)
    assert set(smmap.mman.__all__) == {"StaticWindowMapManager", "SlidingWindowMapManager", "WindowCursor"}
    assert smmap.buf.__all__ == ["SlidingWindowMapBuffer"]
    assert set(util.__all__) == {"align_to_mmap", "is_64_bit", "MapWindow", "MapRegion",
                                 "MapRegionList", "ALLOCATIONGRANULARITY"}
