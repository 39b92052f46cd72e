"""smmap.buf: SlidingWindowMapBuffer (smmap's test_buf.py, ported: random data, explicit
end_access() instead of `del`, smmap's bugs kept as reference-only deviations)."""
import os
import random

import pytest

from _smmap_target import REFERENCE, deviation, fmmap_only, random_file, release_all, smmap

SIZE = 1000 * 1000 * 8 + 5195
SlidingWindowMapBuffer = smmap.SlidingWindowMapBuffer


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return random_file(tmp_path_factory.mktemp("smmapbuf"), SIZE)


def managers():
    return [("optimal", smmap.SlidingWindowMapManager()),
            ("worst_case", smmap.SlidingWindowMapManager(window_size=SIZE // 100, max_memory_size=SIZE // 3,
                                                         max_open_handles=15)),
            ("static", smmap.StaticWindowMapManager())]


def test_basics(big):
    path, data = big
    man = smmap.SlidingWindowMapManager()
    c = man.make_cursor(path)
    with pytest.raises(ValueError):
        SlidingWindowMapBuffer(type(c)())            # not associated
    with pytest.raises(ValueError):
        SlidingWindowMapBuffer(c, SIZE)              # offset too large
    buf = SlidingWindowMapBuffer()
    assert buf.cursor() is None
    buf.end_access()
    buf.end_access()
    assert len(buf) == 0
    assert buf.begin_access(c, SIZE) is False
    assert buf.begin_access(c, 100) is True
    assert len(buf) == SIZE - 100 and c.is_valid()
    assert buf.begin_access() is True                # back to offset 0
    assert len(buf) == SIZE
    assert buf[0] == data[0] and bytes(buf[0:100]) == data[0:100]
    assert buf[-1] == buf[len(buf) - 1] == data[-1]
    assert bytes(buf[-10:]) == bytes(buf[len(buf) - 10:len(buf)]) == data[-10:]
    buf.end_access()
    assert not c.is_valid() and c.is_associated()
    assert buf.begin_access()
    assert c.is_valid()
    release_all(buf, c)
    man.collect()
    assert man.num_file_handles() == 0


@pytest.mark.parametrize("source", ["path", "fd"])
def test_random_access_through_every_manager(big, source):
    path, data = big
    fd = os.open(path, os.O_RDONLY)
    rng = random.Random(7)
    try:
        item = path if source == "path" else fd
        for name, man in managers():
            buf = SlidingWindowMapBuffer(man.make_cursor(item))
            assert man.num_file_handles() == 1
            for access_mode in range(2):             # single bytes, then slices
                assert buf.begin_access()
                for _ in range(100):
                    if access_mode == 0:
                        pos = rng.randrange(SIZE)
                        assert buf[pos] == data[pos], (name, pos)
                    else:
                        a = rng.randrange(SIZE)
                        b = rng.randrange(a, min(SIZE, a + 3 * (SIZE // 100)) + 1)
                        d = bytes(buf[a:b])     # smmap may give a view, which would block collect()
                        assert len(d) == b - a and d == data[a:b], (name, a, b)
                buf.end_access()
                assert man.num_file_handles()
                assert man.collect()
                assert man.num_file_handles() == 0
            release_all(buf.cursor())
    finally:
        os.close(fd)


@fmmap_only("smmap's indexes are file offsets, not relative to the buffer's offset (its docstring says relative)")
def test_indexes_are_relative_to_the_offset(big):
    path, data = big
    man = smmap.SlidingWindowMapManager(window_size=smmap.util.ALLOCATIONGRANULARITY * 16)
    with SlidingWindowMapBuffer(man.make_cursor(path), 100) as buf:
        assert len(buf) == SIZE - 100
        assert buf[0] == data[100] and bytes(buf[0:10]) == data[100:110]
        assert buf[-1] == data[-1]
        with SlidingWindowMapBuffer(man.make_cursor(path), 1000, 5000) as part:
            assert len(part) == 5000 and bytes(part[:]) == data[1000:6000]
            assert bytes(part[4990:]) == data[5990:6000]


@deviation("smmap's indexes are absolute file offsets (a bug: its docstring says relative)")
def test_smmap_indexes_are_file_offsets(big):
    path, data = big
    man = smmap.SlidingWindowMapManager()
    buf = SlidingWindowMapBuffer(man.make_cursor(path), 100)
    assert len(buf) == SIZE - 100
    assert buf[0] == data[0] and bytes(buf[0:10]) == data[0:10]
    release_all(buf, buf.cursor())


@fmmap_only("smmap: buf[:0] is everything, slices past the end and indexes past the end assert")
def test_slices_and_indexes_follow_python_rules(tmp_path):
    path, data = random_file(tmp_path, 5 * smmap.util.ALLOCATIONGRANULARITY + 77)
    man = smmap.SlidingWindowMapManager(window_size=smmap.util.ALLOCATIONGRANULARITY)
    with SlidingWindowMapBuffer(man.make_cursor(path)) as buf:
        n = len(data)
        assert buf[:0] == b"" and buf[n:n + 10] == b"" and buf[n - 5:n + 10] == data[n - 5:]
        assert buf[::4096] == data[::4096] and buf[::-3] == data[::-3]
        assert buf[10:2:-1] == data[10:2:-1]
        assert isinstance(buf[0:10], bytes)
        with pytest.raises(IndexError):
            buf[n]
        with pytest.raises(IndexError):
            buf[-n - 1]
        assert buf[-n] == data[0]
        whole = buf[:]
        assert whole == data
    assert man.num_file_handles() >= 5
    man.collect()
    assert man.num_file_handles() == 0


@deviation("smmap: buf[:0] returns the whole buffer (i.stop or len)")
def test_smmap_empty_stop_means_everything(tmp_path):
    path, data = random_file(tmp_path, 1000)
    man = smmap.SlidingWindowMapManager()
    buf = SlidingWindowMapBuffer(man.make_cursor(path))
    assert bytes(buf[:0]) == data
    release_all(buf, buf.cursor())
