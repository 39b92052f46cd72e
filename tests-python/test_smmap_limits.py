"""The managers' limits as the kernel sees them (/proc/self/fd, /proc/self/maps) and as the manager
reports them: open handles never above max_open_handles, mapped bytes never above max_memory_size
by more than one window; 8 threads at once (fmmap.smmap: smmap is "not thread-safe"), and no
descriptor or mapping left behind after 10**5 cursor uses."""
import gc
import os
import random
import threading
import time

import pytest

from _helpers import fds_on, open_fds, proc_maps
from _smmap_target import REFERENCE, fmmap_only, random_file, release_all, smmap

G = smmap.util.ALLOCATIONGRANULARITY
WINDOW = 16 * G
WINDOW_MAX = WINDOW + G     # smmap's placement aligns both ends: a window may be one page longer


def mapped_bytes_of(path, lines=None):
    """Bytes of path mapped in this process."""
    real = os.path.realpath(path)
    total = 0
    for line in proc_maps() if lines is None else lines:
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5] == real:
            start, end = parts[0].split("-")
            total += int(end, 16) - int(start, 16)
    return total


@pytest.fixture
def data_file(tmp_path):
    return random_file(tmp_path, 64 * WINDOW + 1234)


def test_limits_hold_for_one_thread(data_file):
    path, data = data_file
    max_handles, max_bytes = 4, 4 * WINDOW
    man = smmap.SlidingWindowMapManager(window_size=WINDOW, max_memory_size=max_bytes,
                                        max_open_handles=max_handles)
    rng = random.Random(3)
    c = man.make_cursor(path)
    peak = 0
    for i in range(200):
        ofs = rng.randrange(len(data))
        assert c.use_region(ofs, rng.randrange(1, WINDOW)).is_valid()
        if i % 4 == 0:      # (on GraalPy, a limit that views hold costs a gc)
            assert bytes(c.buffer()) == data[ofs:c.ofs_end()]
        else:
            r = c.region()
            assert r.map()[ofs - r.ofs_begin():c.ofs_end() - r.ofs_begin()] == data[ofs:c.ofs_end()]
        handles = man.num_file_handles()
        peak = max(peak, handles)
        assert handles <= max_handles
        assert man.mapped_memory_size() <= max_bytes + WINDOW_MAX
        if i % 5 == 0:      # reading /proc/self/maps of a JVM is slow
            assert fds_on(path) <= max_handles
            assert mapped_bytes_of(path) <= max_bytes + WINDOW_MAX
    assert peak == max_handles
    release_all(c)
    gc.collect()
    man.collect()
    assert man.num_file_handles() == 0 and fds_on(path) == 0 and mapped_bytes_of(path) == 0


@fmmap_only("smmap's managers are not thread-safe (smmap#24: usage counter negative)")
def test_limits_hold_for_eight_threads(data_file):
    path, data = data_file
    # each thread pins up to two windows (its cursor and a buffer's), each view holds one more
    max_handles, max_bytes = 24, 20 * WINDOW_MAX
    man = smmap.SlidingWindowMapManager(window_size=WINDOW, max_memory_size=max_bytes,
                                        max_open_handles=max_handles, strict=True)
    errors = []
    done = threading.Event()
    samples = []

    def worker(seed):
        rng = random.Random(seed)
        c = man.make_cursor(path)
        try:
            for i in range(80):
                op = rng.random()
                ofs = rng.randrange(len(data))
                if op < 0.6:
                    c.use_region(ofs, rng.randrange(1, WINDOW))
                    assert c.is_valid()
                    if op < 0.15:
                        assert bytes(c.buffer()) == data[ofs:c.ofs_end()], (seed, i, ofs)
                    else:
                        r = c.region()
                        b = r.ofs_begin()
                        assert r.map()[ofs - b:c.ofs_end() - b] == data[ofs:c.ofs_end()], (seed, i, ofs)
                elif op < 0.8:
                    with smmap.SlidingWindowMapBuffer(man.make_cursor(path), ofs) as buf:
                        n = min(len(buf), rng.randrange(1, 3 * WINDOW))
                        assert buf[:n] == data[ofs:ofs + n] and buf[0] == data[ofs]
                    buf.cursor()._destroy()
                elif op < 0.9:
                    c.unuse_region()
                else:
                    import copy
                    twin = copy.copy(c)
                    if twin.is_valid():
                        assert bytes(twin.buffer()[:1]) == data[twin.ofs_begin():twin.ofs_begin() + 1]
                    twin._destroy()
        except BaseException as e:
            errors.append(e)
        finally:
            c._destroy()

    def monitor():
        while not done.is_set():
            samples.append((man.num_file_handles(), man.mapped_memory_size(), fds_on(path),
                            mapped_bytes_of(path)))
            time.sleep(0.1)

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
    watcher = threading.Thread(target=monitor)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    watcher.join()
    assert not errors, errors[:3]
    assert samples
    for handles, mapped, fds, proc_bytes in samples:
        assert handles <= max_handles and fds <= max_handles, samples
        # The manager's count is exact (strict). /proc/self/maps is read in several read() calls, not
        # atomically, while other threads replace windows: one scan may see a window and its successor.
        assert mapped <= max_bytes and proc_bytes <= max_bytes + 2 * WINDOW_MAX, samples
    stats = man.stats()
    assert stats["peakWindows"] <= max_handles and stats["peakMappedBytes"] <= max_bytes
    gc.collect()
    man.collect()
    assert man.num_file_handles() == 0 and fds_on(path) == 0 and mapped_bytes_of(path) == 0
    man.close()


def test_no_leak_after_many_cursor_uses(data_file):
    path, data = data_file
    man = smmap.SlidingWindowMapManager(window_size=WINDOW, max_open_handles=4)
    gc.collect()
    fds_before = open_fds()
    maps_before = len(proc_maps())
    threads_before = len(os.listdir("/proc/self/task"))

    def maps_left():
        """Mappings added since the start that new threads do not explain: the JVM starts compiler
        and GC threads as it sees fit (on JDK 17, with GraalPy interpreted, up to ~10 during this
        test), each with a stack and its guard."""
        started = max(0, len(os.listdir("/proc/self/task")) - threads_before)
        return len(proc_maps()) - maps_before - 2 * started
    rng = random.Random(11)
    c = None
    for i in range(10 ** 5):           # 10**5 uses by 10**4 cursors, each reading near one place
        if i % 10 == 0:
            if c is not None:
                c._destroy()
            c = man.make_cursor(path)
            base = rng.randrange(len(data) - 2000)
        ofs = base + rng.randrange(2000)
        c.use_region(ofs, 16)
        if i % 1000 == 0:
            assert bytes(c.buffer()) == data[ofs:ofs + c.size()]
        elif i % 100 == 0:
            assert c.map()[ofs - c.region().ofs_begin()] == data[ofs]
    c._destroy()
    assert man.num_file_handles() <= 4
    for _ in range(20):
        # Closed fmmap maps leave zero-page guards until the JVM collects them (docs/design.md).
        man.collect()
        gc.collect()
        if maps_left() <= 8 and man.num_file_handles() == 0:
            break
        time.sleep(0.05)
    assert man.num_file_handles() == 0
    assert open_fds() == fds_before
    assert fds_on(path) == 0 and mapped_bytes_of(path) == 0
    if REFERENCE or smmap.mman.exports_released():
        # GraalPy 25.2.4 never frees a ctypes object a memoryview was taken of (c.map() above): the
        # zero-page guards of closed windows then stay until the process ends (their files are
        # unmapped).
        assert maps_left() <= 8
