"""smmap.mman: cursors and the static and sliding managers (smmap's test_mman.py and
test_tutorial.py, ported: random data, explicit releases instead of `del`), and what fmmap.smmap
adds: views that outlive their cursor, working copies, force_release, close."""
import copy
import os
import random
import sys

import pytest

from _helpers import collect_until
from _smmap_target import REFERENCE, deviation, fmmap_only, random_file, release_all, smmap

align_to_mmap = smmap.util.align_to_mmap
ALLOCATIONGRANULARITY = smmap.util.ALLOCATIONGRANULARITY

SIZE = 1000 * 1000 * 8 + 5195        # smmap's TestBase.k_window_test_size
StaticWindowMapManager = smmap.StaticWindowMapManager
SlidingWindowMapManager = smmap.SlidingWindowMapManager
WindowCursor = smmap.WindowCursor
ROUNDS = 200    # smmap's test has 5000 (on GraalPy each view a limit makes the manager wait for costs a gc)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return random_file(tmp_path_factory.mktemp("smmap"), SIZE)


@pytest.fixture
def fd_of():
    opened = []

    def factory(path):
        fd = os.open(path, os.O_RDONLY)
        opened.append(fd)
        return fd

    yield factory
    for fd in opened:
        os.close(fd)


def test_cursor(big):
    path, data = big
    man = SlidingWindowMapManager()
    ci = WindowCursor(man)
    assert not ci.is_valid() and not ci.is_associated() and ci.size() == 0
    cv = man.make_cursor(path)
    assert not cv.is_valid() and cv.is_associated()
    assert cv.file_size() == SIZE and cv.path() == path
    ci.assign(cv)
    assert not ci.is_valid() and ci.is_associated()
    cio = copy.copy(cv)
    assert not cio.is_valid() and cio.is_associated()
    cv.unuse_region()
    cv.unuse_region()           # twice is fine
    cv._destroy()
    WindowCursor(man)._destroy()
    release_all(ci, cio)


def test_copy_of_a_cursor_reads_on_its_own(big):
    path, data = big
    man = SlidingWindowMapManager(window_size=ALLOCATIONGRANULARITY * 16)
    c = man.make_cursor(path).use_region(100, 50)
    twin = copy.copy(c)
    assert twin.region() is c.region() and twin.ofs_begin() == 100 and twin.size() == 50
    c.unuse_region()
    assert bytes(twin.buffer()) == data[100:150]
    other = man.make_cursor(path)
    other.assign(twin)
    assert other.region() is twin.region()
    release_all(c, twin, other)
    assert man.collect() == 1


@deviation("smmap 5.0.x's copy has an empty region list: its file_size() and use_region() raise TypeError")
def test_copy_is_broken_in_smmap(big):
    path, data = big
    man = SlidingWindowMapManager()
    c = man.make_cursor(path)
    with pytest.raises(TypeError):
        copy.copy(c).use_region(0, 10)


def test_collect_lru_region_frees_just_enough_for_the_next_map(big):
    path, data = big
    window = 16 * ALLOCATIONGRANULARITY
    man = SlidingWindowMapManager(window_size=window, max_memory_size=100 * window)
    c = man.make_cursor(path)
    for ofs in (0, 10 * window, 20 * window):
        assert c.use_region(ofs, 10).is_valid()
    c.unuse_region()
    mapped = man.mapped_memory_size()
    room = man.max_mapped_memory_size() - mapped
    assert man._collect_lru_region(room) == 0            # fits as it is
    assert man._collect_lru_region(room + 1) == 1        # one window more than enough
    assert man.num_file_handles() == 2 and man.mapped_memory_size() < mapped
    assert man._collect_lru_region(0) == 2
    assert man.num_file_handles() == 0 and man.mapped_memory_size() == 0
    release_all(c)


def test_region_release_unmaps_that_window_only_when_unused(big):
    path, data = big
    window = 16 * ALLOCATIONGRANULARITY
    man = SlidingWindowMapManager(window_size=window)
    a = man.make_cursor(path).use_region(0, 10)
    b = man.make_cursor(path).use_region(10 * window, 10)
    r = a.region()
    if not REFERENCE:                   # smmap's release() closes the map under its cursor
        r.release()
        assert man.num_file_handles() == 2 and bytes(a.buffer()) == data[:10]
    a.unuse_region()
    r.release()
    assert r.map().closed
    assert man.num_file_handles() == (2 if REFERENCE else 1)    # smmap's books do not see it
    assert bytes(b.buffer()) == data[10 * window:10 * window + 10]
    release_all(a, b)


def test_memory_manager(big, fd_of):
    path, data = big
    static_man = StaticWindowMapManager()
    slide_man = SlidingWindowMapManager()
    assert static_man.window_size() == 0 and slide_man.window_size() > 0
    for man in (static_man, slide_man):
        assert man.num_file_handles() == 0 and man.num_open_files() == 0
        assert man.mapped_memory_size() == 0 and man.max_mapped_memory_size() > 0
        man._collect_lru_region(0)
        man._collect_lru_region(10)
        assert man._collect_lru_region(sys.maxsize) == 0
        for item in (path, fd_of(path)):
            c = man.make_cursor(item)
            assert c.path_or_fd() is item
            assert c.use_region(10, 10).is_valid()
            assert c.ofs_begin() == 10 and c.size() == 10
            assert c.buffer()[:] == data[10:20]
            if isinstance(item, int):
                with pytest.raises(ValueError):
                    c.path()
                assert c.fd() == item
            else:
                with pytest.raises(ValueError):
                    c.fd()
            release_all(c)
        assert man.collect() >= 1
        assert man.num_file_handles() == 0


@pytest.mark.parametrize("kind", ["static", "sliding"])
@pytest.mark.parametrize("source", ["path", "fd"])
def test_memman_operation(big, fd_of, kind, source):
    path, data = big
    fsize = SIZE
    item = path if source == "path" else fd_of(path)
    if kind == "static":
        man = StaticWindowMapManager(0, fsize // 3, 15)
    else:
        man = SlidingWindowMapManager(fsize // 100, fsize // 3, 15)
    size = man.window_size() // 2
    assert man.num_open_files() == 0 and man.mapped_memory_size() == 0

    c = man.make_cursor(item)
    assert c.use_region(5000, size).is_valid()
    rr = c.region()
    assert rr.client_count() == 2          # the manager's and ours
    assert man.num_open_files() == 1 and man.num_file_handles() == 1
    assert man.mapped_memory_size() == rr.size()
    assert c.ofs_begin() == 5000 and rr.ofs_begin() == 0
    if kind == "sliding":
        assert rr.size() == align_to_mmap(man.window_size(), True)
    else:
        assert rr.size() == fsize           # over the budget: the memory limit is soft
    assert c.buffer()[:] == data[5000:5000 + c.size()]

    # a region that already includes the offset is reused
    c.use_region(0, (size or fsize) - 10)
    assert c.region() is rr and man.num_file_handles() == 1
    assert c.size() == (size or fsize) - 10 and c.ofs_begin() == 0
    assert c.buffer()[:] == data[:(size or fsize) - 10]

    # near the end: a new region for the sliding manager, extended to the left
    base_offset = fsize - (size or c.size()) + 4000
    c.use_region(base_offset, size)
    if kind == "sliding":
        assert man.num_file_handles() == 2
        assert c.size() < size and c.region() is not rr
        assert rr.client_count() == 1     # only the manager uses it now
    else:
        assert c.size() < fsize
    r = c.region()
    assert r.client_count() == 2
    assert r.ofs_begin() < c.ofs_begin() and r.ofs_end() <= fsize
    assert c.buffer()[:] == data[base_offset:base_offset + (size or c.size())][:c.size()]

    c.unuse_region()
    assert not c.is_valid()
    if kind == "sliding":
        assert man.num_file_handles() == 2  # cached until needed or collected

    rng = random.Random(42)
    max_handles = 0
    for _ in range(ROUNDS):
        ofs = rng.randint(0, fsize - 1)
        if kind == "sliding":
            assert man.max_mapped_memory_size() >= man.mapped_memory_size()
        handles = man.num_file_handles()
        assert man.max_file_handles() >= handles
        max_handles = max(max_handles, handles)
        assert c.use_region(ofs, size or c.size()).is_valid()
        csize = c.size()
        view = c.buffer()
        if csize <= 65536:
            assert bytes(view) == data[ofs:ofs + csize]
        else:   # the static manager's cursor reaches the end of the file: compare both ends
            assert len(view) == csize and bytes(view[:4096]) == data[ofs:ofs + 4096]
            assert bytes(view[-4096:]) == data[ofs + csize - 4096:ofs + csize]
        view = None
        assert c.includes_ofs(ofs) and c.includes_ofs(ofs + csize - 1)
        assert not c.includes_ofs(ofs + csize)
    if kind == "sliding":
        assert max_handles == 15        # the limit was reached, and held

    assert not c.use_region(fsize, size).is_valid()
    assert man.num_file_handles()
    assert man.collect()
    assert man.num_file_handles() == 0
    release_all(c)


def test_tutorial(tmp_path):
    path, data = random_file(tmp_path, 8 * 1024 * 1024 + 77)
    mman = SlidingWindowMapManager()
    assert mman.num_file_handles() == 0 and mman.mapped_memory_size() == 0
    c = mman.make_cursor(path)
    assert c.is_associated() and not c.is_valid()
    assert c.use_region().is_valid()
    assert c.size()
    assert c.buffer()[0] == data[0]
    assert c.buffer()[1:10] == data[1:10]
    assert c.buffer()[c.size() - 1] == data[c.size() - 1]
    assert c.ofs_begin() < c.ofs_end() and c.includes_ofs(100)
    assert not c.use_region(len(data), 100).is_valid()
    assert c.use_region(100).is_valid()
    c.unuse_region()
    assert not c.is_valid()

    buf = smmap.SlidingWindowMapBuffer(mman.make_cursor(path))
    assert buf.cursor().is_valid()
    assert buf[0] == data[0] and buf[-1] == data[-1]
    assert bytes(buf[-10:]) == data[-10:]
    buf.end_access()
    assert not buf.cursor().is_valid()
    assert buf.begin_access(offset=10)
    release_all(buf, buf.cursor(), c)


@fmmap_only("smmap accepts a negative offset and makes a cursor that begins before its region")
def test_negative_offset_is_a_value_error(big):
    path, data = big
    man = SlidingWindowMapManager(window_size=ALLOCATIONGRANULARITY * 4)
    c = man.make_cursor(path)
    with pytest.raises(ValueError):
        c.use_region(-1, 10)
    release_all(c)


def test_static_manager_maps_the_whole_file_once(big):
    path, data = big
    man = StaticWindowMapManager()
    c1 = man.make_cursor(path).use_region(4096 * 3 + 5, 100)
    c2 = man.make_cursor(path).use_region(SIZE - 10)
    assert c1.region() is c2.region() and man.num_file_handles() == 1
    assert c1.map()[:] == data
    assert bytes(c2.buffer()) == data[-10:]
    release_all(c1, c2)
    assert man.collect() == 1 and man.num_file_handles() == 0


# ------------------------------------------------------------------ fmmap.smmap's own behaviour

def _check_views(kept, data):
    for ofs, view in kept:
        assert bytes(view) == data[ofs:ofs + len(view)]   # never zeros, never a fault


@fmmap_only("smmap's region can be unmapped under a live view (BufferError on CPython)")
def test_views_outlive_cursor_moves_and_collect(big):
    path, data = big
    window = 128 * 1024     # views above 64 KiB hold their window; smaller ones are copies
    man = SlidingWindowMapManager(window_size=window, max_memory_size=2 * window)
    c = man.make_cursor(path)
    kept = [(ofs, c.use_region(ofs).buffer())
            for ofs in (0, 5 * window, 9 * window + 17, 20 * window + 3, 30 * window)]
    assert all(len(view) > 64 * 1024 for _, view in kept)
    c.unuse_region()
    assert man.collect() == 0                   # every window is held by a live view
    handles = man.num_file_handles()
    assert handles == 5                         # over the (soft) byte limit, rather than stale views
    _check_views(kept, data)
    last = [kept[0][1][10:20]]                  # a view of a view holds the window too
    kept = None
    freed = man.collect()
    assert freed == 4
    assert bytes(last[0]) == data[10:20]
    last[0] = None
    freed = man.collect()
    assert freed == 1
    handles = man.num_file_handles()
    assert handles == 0
    release_all(c)


@pytest.mark.parametrize("evict", ["collect", "limits"])
def test_a_view_above_64_kib_reads_the_file_or_raises_once_its_window_is_evicted(big, evict):
    """A view of more than 64 KiB, then its window evicted: by collect(), or by limits (2 handles,
    2 windows' bytes) that need its room for other windows. Reading it must give the file's bytes,
    or the eviction must raise (smmap on CPython: BufferError, its region's map is closed under the
    view); never zeros. Default managers: on GraalPy 25.2.4 such views were unguarded and read
    zero pages (issue 23)."""
    path, data = big
    window = 128 * 1024
    man = SlidingWindowMapManager(window_size=window, max_memory_size=2 * window, max_open_handles=2)
    c = man.make_cursor(path)
    ofs = 3 * window + 5
    view = c.use_region(ofs).buffer()
    assert len(view) > 64 * 1024
    c.unuse_region()
    try:
        if evict == "collect":
            man.collect()
        else:
            for k in range(8, 14):
                assert bytes(c.use_region(k * window, 16).buffer()) == data[k * window:k * window + 16]
    except BufferError:
        assert REFERENCE, "only smmap refuses to evict a region under a view"
        return
    assert bytes(view) == data[ofs:ofs + len(view)]
    assert man.num_file_handles() <= 2
    view = None
    release_all(c)

    def released():
        man.collect()
        return man.num_file_handles() == 0

    # The view gone, its window goes too: at a later collection on a runtime without reference
    # counting, whose weak references may clear after gc.collect() returns.
    assert collect_until(released), man.num_file_handles()


@fmmap_only("smmap's views are memoryviews of its regions' maps")
def test_small_views_are_copies_that_hold_no_window(big):
    path, data = big
    window = 128 * 1024
    man = SlidingWindowMapManager(window_size=window, max_memory_size=8 * window)
    c = man.make_cursor(path)
    kept = [(ofs, c.use_region(ofs, 64 * 1024).buffer()) for ofs in (0, 5 * window, 20 * window + 3)]
    c.unuse_region()
    assert man.collect() == 3                   # no garbage collection needed to free them
    _check_views(kept, data)
    assert all(view.readonly and view.format == "B" and len(view) == 64 * 1024 for _, view in kept)
    release_all(c)


@fmmap_only("smmap on CPython dies of SIGBUS reading a window past a truncation")
def test_small_views_of_a_truncated_file_read_zeros_past_its_end(tmp_path):
    path, data = random_file(tmp_path, 4 * ALLOCATIONGRANULARITY)
    man = SlidingWindowMapManager(window_size=2 * ALLOCATIONGRANULARITY)
    c = man.make_cursor(path)
    assert bytes(c.use_region(100, 4096).buffer()) == data[100:4196]
    end = ALLOCATIONGRANULARITY + 10
    os.truncate(path, end)                      # another program truncates the file
    got = bytes(c.use_region(end - 10, 100).buffer())
    assert got == data[end - 10:end] + bytes(90)
    release_all(c)
    man.close()


@fmmap_only("smmap's default max_open_handles is sys.maxsize: unlimited")
def test_default_handle_limit_is_a_quarter_of_the_open_files_limit():
    with open("/proc/self/limits") as f:
        soft = [line.split()[3] for line in f if line.startswith("Max open files")][0]
    for man in (SlidingWindowMapManager(), StaticWindowMapManager()):
        assert man.max_file_handles() == max(16, int(soft) // 4)
        man.close()
    assert SlidingWindowMapManager(max_open_handles=7).max_file_handles() == 7


@fmmap_only("smmap keeps windows until memory pressure; fmmap.smmap's handle limit is hard")
def test_handle_limit_is_an_emfile_when_every_window_is_in_use(big):
    import errno
    path, data = big
    window = ALLOCATIONGRANULARITY * 4
    man = SlidingWindowMapManager(window_size=window, max_open_handles=2)
    a = man.make_cursor(path).use_region(0, 10)
    b = man.make_cursor(path).use_region(10 * window, 10)
    c = man.make_cursor(path)
    with pytest.raises(OSError) as info:
        c.use_region(20 * window, 10)
    assert info.value.errno == errno.EMFILE
    a.unuse_region()
    assert c.use_region(20 * window, 10).is_valid()       # a's window is reused
    assert bytes(c.buffer()) == data[20 * window:20 * window + 10]
    release_all(a, b, c)
    man.close()


@fmmap_only("strict=True is fmmap.smmap's")
def test_strict_byte_limit_is_a_memory_error(big):
    path, data = big
    window = ALLOCATIONGRANULARITY * 4
    man = SlidingWindowMapManager(window_size=window, max_memory_size=window, strict=True)
    a = man.make_cursor(path).use_region(0, 10)
    with pytest.raises(MemoryError):
        man.make_cursor(path).use_region(10 * window, 10)
    release_all(a)
    man.close()


@fmmap_only("smmap's force_map_handle_removal_win works on Windows only")
def test_force_release_unmaps_windows_in_use(big):
    path, data = big
    man = SlidingWindowMapManager(window_size=ALLOCATIONGRANULARITY * 4)
    c = man.make_cursor(path).use_region(100, 10)
    assert man.force_map_handle_removal_win(os.path.dirname(path)) is None
    assert man.num_file_handles() == 1
    assert man.force_release(os.path.dirname(path)) == 1
    assert man.num_file_handles() == 0
    assert c.use_region(100, 10).is_valid()       # maps afresh
    assert bytes(c.buffer()) == data[100:110]
    release_all(c)
    man.close()


@fmmap_only("managers as context managers are fmmap.smmap's")
def test_context_managers_release_everything(big):
    path, data = big
    with SlidingWindowMapManager(window_size=ALLOCATIONGRANULARITY * 4) as man:
        with man.make_cursor(path) as c:
            c.use_region(0, 10)
            assert man.num_file_handles() == 1
        assert not c.is_valid()
        with smmap.SlidingWindowMapBuffer(man.make_cursor(path)) as buf:
            assert buf[5] == data[5]
        assert not buf.cursor().is_valid()
        assert man.stats()["pinnedWindows"] == 0
    with pytest.raises(ValueError):
        man.make_cursor(path).use_region(0, 10)


@fmmap_only("install() is fmmap.smmap's")
def test_install_registers_every_module(monkeypatch):
    for name in ("smmap", "smmap.mman", "smmap.buf", "smmap.util"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import importlib
    smmap.install()
    assert importlib.import_module("smmap") is smmap
    assert importlib.import_module("smmap.mman") is smmap.mman
    assert importlib.import_module("smmap.util") is smmap.util
    assert importlib.import_module("smmap.buf") is smmap.buf
    assert importlib.import_module("smmap.mman").SlidingWindowMapManager is SlidingWindowMapManager
