"""Long finds split across threads: the same answers as one thread, and the API that sets the count.

The equivalence cases also run in reference mode, where CPython's one-threaded mmap gives the
answers that fmmap's split search must give.
"""
import os
import subprocess
import sys

import pytest

from _target import mmap, REFERENCE

MIB = 1 << 20
MIN_PART = 8 * MIB  # ParallelSearch.MIN_PART: no part of a split search is shorter
THREADS = 4
SIZE = THREADS * MIN_PART + 4096
NEEDLE = b"split-needle"

fmmap_only = pytest.mark.skipif(REFERENCE, reason="fmmap's own API")


@pytest.fixture
def threads():
    if not REFERENCE:
        before = mmap.get_search_threads()
        mmap.set_search_threads(THREADS)
        yield THREADS
        mmap.set_search_threads(before)
    else:
        yield THREADS


@pytest.fixture
def big(tmp_path, maps):
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        f.truncate(SIZE)  # sparse zeros
    f = open(path, "r+b")
    m = mmap.mmap(f.fileno(), 0)
    maps.append(m)
    yield m
    m.close()
    f.close()


def cuts(first, last, parts, backward):
    """Where a search over candidate positions [first, last] is split (ParallelSearch's rule)."""
    span = last - first + 1
    points = [span * i // parts for i in range(parts + 1)]
    return [first + span - p if backward else first + p for p in points]


def test_needles_at_and_around_every_split_point(big, threads):
    n = len(NEEDLE)
    last = SIZE - n
    positions = sorted({at for backward in (False, True) for cut in cuts(0, last, threads, backward)
                        for at in range(cut - n - 1, cut + 2) if 0 <= at <= last})
    for at in positions:
        big[at:at + n] = NEEDLE
        assert big.find(NEEDLE) == at
        assert big.rfind(NEEDLE) == at
        assert big.find(NEEDLE, at + 1) == -1
        assert big.rfind(NEEDLE, 0, at + n - 1) == -1
        big[at:at + n] = bytes(n)


def test_first_and_last_of_several_matches_in_different_parts(big, threads):
    n = len(NEEDLE)
    spots = [5, MIN_PART + 3, 2 * MIN_PART - 5, SIZE - n]
    for at in spots:
        big[at:at + n] = NEEDLE
    assert big.find(NEEDLE) == spots[0]
    assert big.rfind(NEEDLE) == spots[-1]
    assert big.find(NEEDLE, 6) == spots[1]
    assert big.rfind(NEEDLE, 0, SIZE - 1) == spots[2]
    assert big.find(NEEDLE, spots[1] + 1, spots[3]) == spots[2]
    assert big.find(b"absent") == -1
    assert big.rfind(b"absent") == -1
    assert big.find(b"\0" * 3, SIZE - n - 3) == SIZE - n - 3


def test_random_needles_over_a_small_alphabet(big, threads):
    import random
    rnd = random.Random(5)
    chunk = rnd.randbytes(MIB).translate(bytes(b"abcd"[i % 4] for i in range(256)))
    for at in range(0, SIZE - MIB + 1, MIB):
        big[at:at + MIB] = chunk
    data = chunk * (SIZE // MIB) + bytes(SIZE % MIB)
    for _ in range(6):
        needle = bytes(rnd.choice(b"abcd") for _ in range(rnd.randint(1, 12)))
        start, end = rnd.randrange(MIB), SIZE - rnd.randrange(MIB)
        assert big.find(needle, start, end) == data.find(needle, start, end)
        assert big.rfind(needle, start, end) == data.rfind(needle, start, end)


@fmmap_only
def test_search_threads_setting():
    before = mmap.get_search_threads()
    try:
        mmap.set_search_threads(1)
        assert mmap.get_search_threads() == 1
        mmap.set_search_threads(3)
        assert mmap.get_search_threads() == 3
        for bad in (0, -1, 1025):
            with pytest.raises(ValueError, match="search threads must be between 1 and 1024"):
                mmap.set_search_threads(bad)
        for bad in ("2", 2.0, None):
            with pytest.raises(TypeError):
                mmap.set_search_threads(bad)
        assert mmap.get_search_threads() == 3
    finally:
        mmap.set_search_threads(before)


@fmmap_only
def test_search_threads_default_comes_from_the_environment():
    code = "import fmmap; print(fmmap.get_search_threads())"
    env = dict(os.environ, FMMAP_SEARCH_THREADS="3")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == "3", out.stderr


@fmmap_only
@pytest.mark.skipif("FMMAP_SEARCH_THREADS" in os.environ, reason="the environment sets the count")
def test_search_threads_default_is_every_core():
    assert mmap.get_search_threads() == os.cpu_count()  # every test that changes it restores it
