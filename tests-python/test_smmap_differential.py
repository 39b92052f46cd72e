"""Random sequences of cursor and buffer operations, with limits that force eviction, run on the smmap
under test: fmmap.smmap (GraalPy 25.0.3 and 25.2.4) and, in reference mode, the real smmap 5.0.3 over
CPython 3.13's mmap. The files' bytes are the oracle: every read of either must equal them, so both
read the same bytes. Where the two may differ, the difference is one of docs/compat.md's smmap table,
classified here by name (DOCUMENTED) and checked to be justified; anything else fails.

Each sequence is drawn from random.Random(seed) (seeds 0..SEQUENCES-1, the same on every target):
a SlidingWindowMapManager (or, one time in six, a StaticWindowMapManager) with window sizes of 16-48
pages, byte budgets of 1 byte to 4 windows and 1-4 handles or smmap's unlimited default; three files;
then OPS operations among: a new cursor on any file, use_region() at random offsets (past the end
too) and sizes, buffer() slices (views above 64 KiB kept alive, re-read later, dropped), map() reads,
unuse_region(), _destroy() and collect() (which runs gc.collect() on GraalPy). At the end everything is released and the
manager must hold no window.
"""
import errno
import gc
import os
import random
import sys

import pytest

from _smmap_target import REFERENCE, random_file, smmap

# Each collect() runs gc.collect() on GraalPy (~0.2 s warm, over 1 s on a loaded machine): the
# test's main cost, which these numbers keep within about a minute per GraalPy.
SEQUENCES = 30
OPS = 30
PAGE = smmap.util.ALLOCATIONGRANULARITY
FILE_SIZES = (700001, 300123, 90000)
VIEW_COPY_MAX = 64 * 1024       # fmmap.smmap's buffer() copies up to this; larger views hold windows

# docs/compat.md's smmap table: the differences a sequence may show, and only these.
DOCUMENTED = {
    # "collect() of a region whose memoryview is alive raises BufferError (so does an eviction that a
    # limit forces)": smmap closes the region's map under the view; CPython refuses. smmap's books are
    # broken after it (the region left its list), so the sequence ends there.
    "smmap BufferError under a live view": REFERENCE,
    # "max_open_handles exceeded: a bare Exception" (smmap) vs "OSError(EMFILE)" (fmmap.smmap), when
    # every window is in use: pinned by a cursor, or (fmmap) held by a live view above 64 KiB.
    "handle limit: smmap's bare Exception": REFERENCE,
    "handle limit: fmmap's OSError(EMFILE)": not REFERENCE,
    # "_destroy() of a cursor that holds no region forgets its file while other cursors use it": the
    # regions those map afterwards are out of smmap's books, and collect() never unmaps them.
    "smmap leaks regions of a file a destroyed cursor forgot": REFERENCE,
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("smmap-differential")
    return [random_file(folder, size, "f%d.bin" % i) for i, size in enumerate(FILE_SIZES)]


class Sequence(object):
    """One random sequence on one manager; check() records what differs from the oracle."""

    def __init__(self, seed, files):
        self.rng = random.Random(seed)
        self.files = files
        rng = self.rng
        self.window = rng.choice((16, 32, 48)) * PAGE
        budget = rng.choice((1, self.window, 2 * self.window, 4 * self.window))
        self.handles = rng.choice((1, 2, 3, 4, sys.maxsize))
        if rng.randrange(6) == 0:
            self.man = smmap.StaticWindowMapManager(max_memory_size=budget, max_open_handles=self.handles)
            self.window = 0
        else:
            self.man = smmap.SlidingWindowMapManager(window_size=self.window, max_memory_size=budget,
                                                     max_open_handles=self.handles)
        self.cursors = []   # (cursor, file data)
        self.views = []     # (view, file offset of its byte 0, file data): views above 64 KiB kept alive
        self.log = []       # the operations so far, for a failure's message
        self.classified = {}
        self.ended = None
        self.forgotten = False  # smmap forgot a file that another cursor still used

    def check(self, ok, what):
        if not ok:
            raise AssertionError("%s after %s" % (what, "; ".join(self.log)))

    def classify(self, name):
        self.check(DOCUMENTED[name], "difference not documented for this target: " + name)
        self.classified[name] = self.classified.get(name, 0) + 1

    # --- operations ---------------------------------------------------------------------------

    def new_cursor(self):
        path, data = self.files[self.rng.randrange(len(self.files))]
        self.cursors.append((self.man.make_cursor(path), data))
        self.log.append("cursor %d on %s" % (len(self.cursors) - 1, os.path.basename(path)))

    def use_region(self, k):
        c, data = self.cursors[k]
        rng = self.rng
        offset = rng.choice((rng.randrange(len(data)), rng.randrange(len(data)), len(data) + rng.randrange(2)))
        size = rng.choice((0, rng.randrange(1, 4097), rng.randrange(VIEW_COPY_MAX + 1, 3 * VIEW_COPY_MAX)))
        self.log.append("c%d.use_region(%d, %d)" % (k, offset, size))
        try:
            c.use_region(offset, size)
        except OSError as e:
            self.check(not REFERENCE and e.errno == errno.EMFILE, "unexpected %r" % e)
            self.check(self._windows_in_use() >= self.handles, "EMFILE with windows free: %s" % self.man.stats())
            self.classify("handle limit: fmmap's OSError(EMFILE)")
            self.check(not c.is_valid(), "cursor valid after a refused use_region")
            return
        except BufferError:
            self.check(REFERENCE and bool(self.views), "BufferError without a live view")
            self.classify("smmap BufferError under a live view")
            self.ended = "BufferError"
            return
        except Exception as e:  # smmap's bare Exception
            self.check(REFERENCE and type(e) is Exception and not e.args, "unexpected %r" % e)
            self.classify("handle limit: smmap's bare Exception")
            self.check(not c.is_valid(), "cursor valid after a refused use_region")
            return
        if offset >= len(data):
            self.check(not c.is_valid(), "valid past the end of the file")
            return
        limit = min(size or len(data), self.window or len(data))
        self.check(c.is_valid() and c.ofs_begin() == offset, "not valid at %d" % offset)
        self.check(0 < c.size() <= limit and c.ofs_end() <= len(data), "size %d" % c.size())
        r = c.region()
        self.check(r.ofs_begin() <= offset < r.ofs_begin() + r.size(), "region %r" % (r,))

    def buffer(self, k):
        c, data = self.cursors[k]
        if not c.is_valid():
            return
        view = c.buffer()
        n = len(view)
        a = self.rng.randrange(n)
        b = self.rng.randrange(a, n + 1)
        self.log.append("c%d.buffer()[%d:%d]" % (k, a, b))
        begin = c.ofs_begin()
        self.check(n == c.size(), "len(view) %d != size() %d" % (n, c.size()))
        self.check(bytes(view[a:b]) == data[begin + a:begin + b], "buffer bytes differ from the file")
        if n > VIEW_COPY_MAX and len(self.views) < 3:
            self.views.append((view, begin, data))
            self.log.append("keep view %d" % (len(self.views) - 1))
            if self.rng.randrange(2):       # gitdb's way: the cursor moves on, the view stays
                self.log.append("c%d.unuse_region()" % k)
                c.unuse_region()

    def read_view(self, i):
        view, begin, data = self.views[i]
        a = self.rng.randrange(len(view))
        self.log.append("view %d[%d:]" % (i, a))
        self.check(bytes(view[a:]) == data[begin + a:begin + len(view)], "a kept view differs from the file")

    def drop_view(self, i):
        self.log.append("drop view %d" % i)
        del self.views[i]

    def map(self, k):
        c, data = self.cursors[k]
        if not c.is_valid():
            return
        m = c.map()
        base = c.region().ofs_begin()
        self.check(len(m) == c.region().size(), "len(map) %d != region size" % len(m))
        i = self.rng.randrange(len(m))
        j = min(len(m), i + self.rng.randrange(1, 5000))
        self.log.append("c%d.map()[%d:%d]" % (k, i, j))
        self.check(m[i] == data[base + i] and m[i:j] == data[base + i:base + j], "map bytes differ from the file")

    def collect(self):
        self.log.append("collect()")
        try:
            self.man.collect()
        except BufferError:
            self.check(REFERENCE and bool(self.views), "BufferError without a live view")
            self.classify("smmap BufferError under a live view")
            self.ended = "BufferError"
            return
        for i in range(len(self.views)):   # every window no cursor uses is gone: views must not be
            self.read_view(i)

    def step(self):
        rng = self.rng
        kinds = ["cursor"] if len(self.cursors) < 3 else []
        if self.cursors:
            kinds += ["use"] * 5 + ["buffer"] * 3 + ["map", "unuse", "destroy"]
        if self.views:
            kinds += ["read view", "read view", "drop view"]
        if rng.randrange(2):
            kinds.append("collect")  # on GraalPy each runs gc.collect(): the test's main cost
        kind = rng.choice(kinds)
        k = rng.randrange(len(self.cursors)) if self.cursors else None
        if kind == "cursor":
            self.new_cursor()
        elif kind == "use":
            self.use_region(k)
        elif kind == "buffer":
            self.buffer(k)
        elif kind == "map":
            self.map(k)
        elif kind == "unuse":
            self.log.append("c%d.unuse_region()" % k)
            self.cursors[k][0].unuse_region()
        elif kind == "destroy":
            # The cursor's end of life: smmap's forgets the file when it held its last region, and a
            # region it maps after that is out of the manager's books (never collected).
            self.log.append("c%d._destroy() (dropped)" % k)
            c, data = self.cursors.pop(k)
            if REFERENCE and len(c._rlist) == 0 and any(other is data for _, other in self.cursors):
                self.forgotten = True
            c._destroy()
        elif kind == "read view":
            self.read_view(rng.randrange(len(self.views)))
        elif kind == "drop view":
            self.drop_view(rng.randrange(len(self.views)))
        else:
            self.collect()

    def finish(self):
        """Reads every kept view once more, then releases everything: the manager must be left with no
        window (smmap too, unless its books broke)."""
        if self.ended is None:
            for i in range(len(self.views)):
                self.read_view(i)
        for c, _ in self.cursors:
            c._destroy()
        self.views = []
        if REFERENCE:
            gc.collect()
        self.man.collect()      # fmmap.smmap runs the garbage collector itself when views are out
        left = self.man.num_file_handles()
        if left and REFERENCE and self.forgotten:
            self.classify("smmap leaks regions of a file a destroyed cursor forgot")
        elif self.ended is None:
            self.check(left == 0, "windows left: %d" % left)
        if not REFERENCE:
            self.man.close()

    def _windows_in_use(self):
        s = self.man.stats()
        return s["pinnedWindows"] + s["viewHeldWindows"]


def test_random_sequences_read_the_files_bytes(files):
    classified = {}
    ops = 0
    for seed in range(SEQUENCES):
        seq = Sequence(seed, files)
        for _ in range(OPS):
            seq.step()
            ops += 1
            if seq.ended:
                break
        seq.finish()
        for name, n in seq.classified.items():
            classified[name] = classified.get(name, 0) + n
    # What the sequences met (pytest -s shows it): the documented differences, by name.
    print("smmap differential: %d sequences, %d operations, 0 mismatches; documented differences: %s"
          % (SEQUENCES, ops, classified or "none"))
