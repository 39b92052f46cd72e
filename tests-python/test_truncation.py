"""A mapped file truncated beneath the map (as another process may do): every method that touches a
lost page raises OSError(EFAULT) instead of killing the process, in both guard modes: in "strict"
mode from the moment of the truncation, in "fast" mode once the core's truncation watcher has
reacted (docs/design.md, "Two guard modes"), which the tests wait for.

CPython dies with SIGBUS on each of these accesses, so there is no reference behaviour to match:
the tests run on fmmap only. (tests-python/reliability truncates from a separate process and also
measures the raw buffer, which no library code guards.)
"""
import errno
import os
import time

import pytest

from _target import mmap, REFERENCE

pytestmark = pytest.mark.skipif(REFERENCE, reason="CPython dies with SIGBUS here (no reference)")

PG = mmap.PAGESIZE
LOST = 5 * PG + 17   # an offset inside the pages the truncation takes away


def _iterate(m):
    return sum(1 for _ in m)


def _iterate_reversed(m):
    return sum(1 for _ in reversed(m))


def _set_step_slice(m):
    m[4 * PG:8 * PG:3] = b"s" * len(range(4 * PG, 8 * PG, 3))


TOUCHING = {
    "getitem": lambda m: m[LOST],
    "getitem_negative": lambda m: m[LOST - len(m)],
    "slice": lambda m: m[4 * PG:8 * PG],
    "slice_within_one_lost_page": lambda m: m[LOST:LOST + 3],
    "slice_starting_in_kept_page": lambda m: m[PG - 2:PG + 2],
    "step_slice": lambda m: m[8 * PG:4 * PG:-5],
    "read": lambda m: (m.seek(3 * PG), m.read(4 * PG)),
    "read_to_end": lambda m: (m.seek(PG - 1), m.read()),
    "read_byte": lambda m: (m.seek(LOST), m.read_byte()),
    "readline": lambda m: (m.seek(PG), m.readline()),
    "find": lambda m: m.find(b"\x01\x02", PG),
    "find_from_kept_page": lambda m: m.find(b"\x01\x02"),
    "rfind": lambda m: m.rfind(b"\x01\x02"),
    "write": lambda m: (m.seek(4 * PG), m.write(b"W" * (2 * PG))),
    "write_byte": lambda m: (m.seek(LOST), m.write_byte(9)),
    "setitem": lambda m: m.__setitem__(LOST, 7),
    "slice_setitem": lambda m: m.__setitem__(slice(4 * PG, 5 * PG), b"x" * PG),
    "step_slice_setitem": _set_step_slice,
    "move_from_lost": lambda m: m.move(0, 6 * PG, 16),
    "move_to_lost": lambda m: m.move(6 * PG, 0, 16),
    "iteration": _iterate,
    "reversed": _iterate_reversed,
}


@pytest.fixture(params=["fast", "strict"], autouse=True)
def guard(request):
    """Runs each test in both guard modes (maps made in the test take the mode)."""
    previous = mmap.get_guard_mode()
    mmap.set_guard_mode(request.param)
    yield request.param
    mmap.set_guard_mode(previous)


def wait_for_watcher(condition):
    """Polls condition() for up to 5 s: the truncation watcher reacts on its own thread."""
    deadline = time.time() + 5
    while not condition():
        assert time.time() < deadline, "the truncation watcher did not react within 5 s"
        time.sleep(0.001)


def cut(m, path, size):
    """Truncates m's file to size bytes, as another process would; in fast mode, waits until the
    watcher has taken the lost pages out of the raw path, where the guarantee starts."""
    os.truncate(path, size)
    if mmap.get_guard_mode() == "fast":
        wait_for_watcher(lambda: not m._s.raw[0])


def wait_for_zero_pages(m):
    """Waits until the watcher has replaced the pages m's file lost by zero pages: before that, a raw
    buffer read there faults in either mode (strict mode's accessors raise from the truncation on,
    but cut() does not wait for the watcher in that mode)."""
    wait_for_watcher(lambda: m._s.map.lostFrom() >= 0)


@pytest.fixture
def truncated(make_file, maps):
    """A 16-page shared map whose file is then cut to its first page."""
    f = make_file(b"D" * (16 * PG))
    m = mmap.mmap(f.fileno(), 16 * PG)
    maps.append(m)
    cut(m, f.name, PG)
    return m


def test_guard_modes_are_fmmap_settings():
    assert mmap.get_guard_mode() in ("fast", "strict")
    with pytest.raises(ValueError, match="guard mode must be 'fast' or 'strict', not 'safe'"):
        mmap.set_guard_mode("safe")


def test_the_watcher_reacts_to_a_truncation_and_to_the_file_growing_back(make_file, maps, guard):
    f = make_file(b"D" * (16 * PG))
    m = mmap.mmap(f.fileno(), 16 * PG)
    maps.append(m)
    assert m._s.raw[0] == (1 if guard == "fast" else 0)
    cut(m, f.name, PG)
    with pytest.raises(OSError):
        m[LOST]
    wait_for_zero_pages(m)
    assert m._s.map.lostFrom() == PG
    assert memoryview(m)[LOST] == 0   # the raw buffer reads the watcher's zero pages, no fault
    with open(f.name, "r+b") as g:    # the file grows again, as a log does after copytruncate
        g.truncate(16 * PG)
        g.seek(LOST)
        g.write(b"N")
    deadline = time.time() + 5
    while True:
        try:
            if m[LOST] == ord("N"):
                break
        except OSError:
            pass
        assert time.time() < deadline, "the map did not show the file again within 5 s"
        time.sleep(0.001)
    assert m[PG - 1:PG + 1] == b"D\0"


@pytest.mark.parametrize("name", sorted(TOUCHING))
def test_touching_a_lost_page_raises_efault(truncated, name):
    with pytest.raises(OSError) as info:
        TOUCHING[name](truncated)
    assert info.value.errno == errno.EFAULT
    assert info.value.strerror == os.strerror(errno.EFAULT)


def test_the_kept_page_and_the_map_stay_usable(truncated):
    m = truncated
    with pytest.raises(OSError):
        m[LOST]
    assert m[:4] == b"DDDD"
    m[0] = ord("E")
    assert m[0] == ord("E")
    assert m.find(b"E") == 0
    assert len(m) == 16 * PG
    assert m.size() == PG
    m.flush()            # msync reads no page data: fine, as on CPython
    m.resize(PG)         # shrinking to what the file still has makes the map whole again
    assert m.read(2) == b"ED"
    assert m.rfind(b"D") == PG - 1


def test_regrowing_the_file_brings_the_pages_back_as_zeros(truncated, make_file):
    m = truncated
    with pytest.raises(OSError):
        m[LOST]
    m.resize(16 * PG)    # extends the file again: the lost pages are the file's (zero) bytes
    assert m[LOST] == 0
    assert m.find(b"D", PG) == -1


@pytest.mark.parametrize("access", ["ACCESS_READ", "ACCESS_COPY"])
@pytest.mark.parametrize("name", ["getitem", "slice", "read", "readline", "find", "rfind", "iteration"])
def test_read_only_and_copy_on_write_maps_raise_efault_too(make_file, maps, access, name):
    # Private pages not yet copied still read through to the file, so they vanish with it as well.
    f = make_file(b"D" * (16 * PG))
    m = mmap.mmap(f.fileno(), 16 * PG, access=getattr(mmap, access))
    maps.append(m)
    cut(m, f.name, PG)
    with pytest.raises(OSError) as info:
        TOUCHING[name](m)
    assert info.value.errno == errno.EFAULT


def test_other_maps_are_unaffected(truncated, make_anon, make_map):
    a = make_anon(4 * PG)
    a[3 * PG] = 1
    assert a.find(b"\x01") == 3 * PG
    other = make_map(b"xyz" * PG)
    assert other.rfind(b"zx") == 3 * PG - 4
