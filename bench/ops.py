"""Benchmark worker: runs the same mmap operations under one implementation, prints JSON lines.

    <python> bench/ops.py --impl fmmap|builtin|stdlib|ceiling --data FILE --text FILE --scratch FILE [...]

--impl fmmap imports fmmap (GraalPy), builtin and stdlib import the runtime's own mmap module
(GraalPy's built-in, CPython's stdlib). --impl ceiling (CPython) maps the letters file with libc's
mmap and searches it with libc's memchr/memrchr through ctypes: the speed of the C library over the
same pages, the ceiling of the search rows. Started by bench/run_benchmark.py, once per row, per
map or per implementation (its --processes).

Protocol (stdout; anything else there, or on stderr, is noise to the driver):
    INFO {...}            versions of the runtime, once at the start
    START {"op": name}    an operation begins (so that a crash can be pinned on it)
    RESULT {...}          its result: value (median), unit, timed runs, or "error" when unsupported
    DONE {}               all operations finished

Method, for every operation: its first runs (at most FIRST_RUNS, recorded as the cold values;
RESULT's fresh_process says whether nothing had run in the process before), then untimed warm-up runs, at least --warmup of them and until
--warmup-seconds have passed and the last 3 runs each took at most 1.25x the best one (at most 400,
and none after --warmup-max seconds of warm-up), then --runs timed runs, stopping early (after at
least one) once the operation has used --budget seconds in all; the value is computed from the
median time (the GIL row: the median percentage). Each run times only its own operation
(time.perf_counter()), not the set-up. The RESULT also says how long each phase took (phases),
which is what the driver's time estimates are made of.

Runs on GraalPy (3.12) and CPython 3.12; keeps to Python 3.6 syntax.
"""
import argparse
import json
import os
import sys
import threading
import time

perf_counter = time.perf_counter

NEEDLE_SIZES = (1, 2, 4, 16, 64, 256)
HEAD = 256  # the data file starts with b"R" * 256 (rfind's needles) ...
TAIL = 256  # ... and ends with b"N" * 256 (find's needles); the rest is lowercase letters
SLICE = 4096
FIRST_RUNS = 10  # a row's first runs, before its warm-up: the "first / 10" column
ANON_MB = 16  # the anonymous map of getitem_anon
MAX_WARMUP = 400
SETTLED = 3
SETTLED_SPREAD = 1.25
MiB = 1 << 20

OPS = (["find%d" % k for k in NEEDLE_SIZES] + ["rfind%d" % k for k in NEEDLE_SIZES] + ["find_par"] +
       ["readline", "getitem", "getitem_anon", "iter", "read", "slice_read", "write", "slice_write",
        "flush_dirty", "flush_page", "gil"])


def emit(kind, obj):
    sys.stdout.write(kind + " " + json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def load_module(impl):
    if impl == "fmmap":
        import fmmap as module
    elif impl == "ceiling":
        module = None  # no Python mmap at all: NativeMap below
    else:
        import mmap as module
    return module


class SearchThreads(object):
    """fmmap's number of search threads (fmmap.set_search_threads / get_search_threads), where the
    module has them: one for every row but find_par, so that the search rows measure one core's
    kernel, and the module's default (all cores; the driver removes FMMAP_SEARCH_THREADS from the
    workers' environment) for find_par. Without the API (older fmmap, other modules) every row runs
    the module's only path, and used() is None."""

    def __init__(self, module):
        self._get = getattr(module, "get_search_threads", None)
        self._set = getattr(module, "set_search_threads", None)
        self.default = self._get() if self._get is not None and self._set is not None else None

    def select(self, name):
        if self.default is not None:
            self._set(self.default if name == "find_par" else 1)

    def used(self):
        return self._get() if self.default is not None else None


def runtime_info(impl, module):
    info = {
        "impl": impl,
        "python": sys.version.split()[0],
        "sys_version": sys.version.replace("\n", " "),
        "implementation": sys.implementation.name,
        "implementation_version": ".".join(str(x) for x in sys.implementation.version[:3]),
        "executable": sys.executable,
        "module": ("libc memchr/memrchr via ctypes" if impl == "ceiling"
                   else getattr(module, "__file__", None) or "built-in"),
        "pid": os.getpid(),
    }
    if sys.implementation.name == "graalpy":
        try:
            import java
            system = java.type("java.lang.System")
            info["jdk"] = "%s %s (%s)" % (system.getProperty("java.vm.name"),
                                          system.getProperty("java.vm.version"),
                                          system.getProperty("java.vendor"))
        except BaseException as e:  # ForeignException and friends are BaseExceptions
            info["jdk"] = "unknown (%s)" % type(e).__name__
        if impl == "fmmap":
            info["fmmap_kernels"] = fmmap_kernels()  # before the choice; each RESULT has the final one
        try:
            # "GraalVM CE" (or similar) with the Graal JIT; "Interpreted" without it.
            import java
            info["truffle_runtime"] = str(java.type("com.oracle.truffle.api.Truffle").getRuntime().getName())
        except BaseException:
            pass
        import builtins
        gp = getattr(builtins, "__graalpython__", None)
        if gp is not None:
            for name in ("get_graalvm_version", "get_jdk_version"):
                try:
                    info[name[4:]] = str(getattr(gp, name)())
                except BaseException:
                    pass
    return info


def fmmap_kernels():
    """fmmap's search kernels as the Java core describes them, or None."""
    try:
        import java
        return str(java.type("dev.fmmap.search.ByteSearch").kernels())
    except BaseException:  # ForeignException and friends are BaseExceptions
        return None


class NativeMap(object):
    """The ceiling's map: a file mapped by libc's mmap (PROT_READ, MAP_SHARED, as the ACCESS_READ
    maps of the other implementations), searched by libc's memchr and memrchr through ctypes, which
    releases the GIL during the call (so that threads can search parts of it at once). Only the
    C library's loop is timed, over the same page-cache pages as every other worker's map."""

    PROT_READ = 1
    MAP_SHARED = 1

    def __init__(self, path):
        import ctypes
        import ctypes.util
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._libc = libc
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_long)
        libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
        for name in ("memchr", "memrchr"):
            fn = getattr(libc, name)
            fn.restype = ctypes.c_void_p
            fn.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t)
        self.size = os.path.getsize(path)
        fd = os.open(path, os.O_RDONLY)
        try:
            address = libc.mmap(None, self.size, self.PROT_READ, self.MAP_SHARED, fd, 0)
        finally:
            os.close(fd)  # the mapping keeps the file
        if address is None or address == ctypes.c_void_p(-1).value:
            raise OSError(ctypes.get_errno(), "mmap failed")
        self.address = address

    def __len__(self):
        return self.size

    def search(self, byte, start, end, reverse):
        """Offset of the first (reverse: last) `byte` in [start, end), or -1."""
        fn = self._libc.memrchr if reverse else self._libc.memchr
        hit = fn(self.address + start, byte, end - start)
        return -1 if hit is None else hit - self.address

    def close(self):
        if self.address is not None:
            self._libc.munmap(self.address, self.size)
            self.address = None


class Context(object):
    """Maps shared between operations, opened on first use and closed at the end."""

    def __init__(self, module, args):
        self.mod = module
        self.args = args
        self.impl = args.impl
        self._open = {}
        self._files = []
        self.after_op = []  # called after the current operation, measured or failed
        self.threads = SearchThreads(module)

    def _map(self, key, path, length, write):
        m = self._open.get(key)
        if m is None:
            if self.impl == "ceiling":
                if write or length:
                    raise NotImplementedError("the ceiling measures only the searches")
                m = NativeMap(path)
                self._open[key] = m
                return m
            f = open(path, "r+b" if write else "rb")
            self._files.append(f)
            access = self.mod.ACCESS_WRITE if write else self.mod.ACCESS_READ
            m = self.mod.mmap(f.fileno(), length, access=access)
            self._open[key] = m
        return m

    def data(self):
        return self._map("data", self.args.data, 0, False)

    def data_prefix(self, nbytes):
        """A second, smaller read-only map of the data file's first nbytes."""
        return self._map("prefix", self.args.data, nbytes, False)

    def text(self):
        return self._map("text", self.args.text, 0, False)

    def scratch(self):
        return self._map("scratch", self.args.scratch, 0, True)

    def close(self):
        for m in self._open.values():
            try:
                m.close()
            except BaseException:
                pass
        for f in self._files:
            f.close()
        self._open.clear()
        del self._files[:]


# --- the operations ----------------------------------------------------------------------------
# Each make_* returns (run, work, unit, scale, expected): run() does one run and returns
# (seconds, check); value = work / median(seconds) / scale, in unit. For the GIL row work is None
# and run() returns (percent, check) directly. expected (or None) is checked against check.


def make_find(ctx, k, reverse):
    m = ctx.data()
    size = len(m)
    if reverse:
        needle = b"R" * k
        method = m.rfind  # AttributeError here on GraalPy's built-in mmap: reported as n/a
        expected = HEAD - k
    else:
        needle = b"N" * k
        method = m.find
        expected = size - TAIL

    def run():
        t = perf_counter()
        hit = method(needle)
        return perf_counter() - t, hit
    return run, size, "GB/s", 1e9, expected


def make_find_par(ctx):
    """find of a 1-byte needle over the whole map, with fmmap's search threads at their default (all
    cores; SearchThreads). Other modules have one path only: the same call as find1."""
    return make_find(ctx, 1, False)


def make_ceiling_find(ctx, reverse):
    """memchr (reverse: memrchr) of the needle's byte over the whole map: the C library's speed for
    what find/rfind must read whatever the needle's length (the ceiling column of every find/rfind
    row). The expected offsets are those of the needles' first/last byte."""
    m = ctx.data()
    size = len(m)
    byte = ord("R") if reverse else ord("N")
    expected = HEAD - 1 if reverse else size - TAIL

    def run():
        t = perf_counter()
        hit = m.search(byte, 0, size, reverse)
        return perf_counter() - t, hit
    return run, size, "GB/s", 1e9, expected


def make_ceiling_par(ctx):
    """memchr over the map split into one part per core, one thread each (ctypes releases the GIL
    during the call), started and joined within the timed run; the first part with a hit wins."""
    m = ctx.data()
    size = len(m)
    parts = max(1, os.cpu_count() or 1)
    bounds = [size * i // parts for i in range(parts + 1)]
    byte = ord("N")

    def run():
        hits = [-1] * parts

        def part(i):
            hits[i] = m.search(byte, bounds[i], bounds[i + 1], False)
        t = perf_counter()
        threads = [threading.Thread(target=part, args=(i,)) for i in range(parts)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        dt = perf_counter() - t
        return dt, next((h for h in hits if h >= 0), -1)
    return run, size, "GB/s", 1e9, size - TAIL


def make_read(ctx):
    """m.read(4096) from m.seek(0) on, sequentially, back to the start when the end is near (wrapping):
    --slices reads per run, over the letters map."""
    m = ctx.data()
    count = ctx.args.slices
    limit = len(m) - SLICE
    read = m.read

    def run():
        m.seek(0)
        a = 0
        got = 0
        t = perf_counter()
        for _ in range(count):
            got += len(read(SLICE))
            a += SLICE
            if a > limit:
                m.seek(0)
                a = 0
        return perf_counter() - t, got
    return run, count * SLICE, "GB/s", 1e9, count * SLICE


def make_write(ctx):
    """m.write(buf) of 4 KiB from m.seek(0) on, sequentially, wrapping, on the scratch map: --slices
    writes per run. The check is how far the position moved in all (m.tell() at each wrap and at
    the end), not write's return value, which an implementation may leave None."""
    m = ctx.scratch()
    count = ctx.args.slices
    limit = len(m) - SLICE
    buf = b"v" * SLICE
    write = m.write

    def run():
        m.seek(0)
        a = 0
        put = 0
        t = perf_counter()
        for _ in range(count):
            write(buf)
            a += SLICE
            if a > limit:
                put += m.tell()
                m.seek(0)
                a = 0
        dt = perf_counter() - t
        return dt, put + m.tell()
    return run, count * SLICE, "GB/s", 1e9, count * SLICE


def make_readline(ctx):
    m = ctx.text()
    lines = [0]

    def run():
        m.seek(0)
        readline = m.readline
        n = 0
        t = perf_counter()
        while True:
            line = readline()
            if not line:
                break
            n += 1
        dt = perf_counter() - t
        lines[0] = n
        return dt, n
    # The work (the number of lines) is known after the first run.
    return run, lambda: lines[0], "M lines/s", 1e6, None


def make_getitem(ctx):
    return getitem_loop(ctx, ctx.data())


def make_getitem_anon(ctx):
    """m[i] over anonymous memory, which no other process can truncate: fmmap reads it without a call
    into Java (the file-backed row pays one per byte)."""
    m = ctx.mod.mmap(-1, ANON_MB * MiB)
    m[:] = bytes(bytearray(range(256))) * (len(m) // 256)
    return getitem_loop(ctx, m)


def getitem_loop(ctx, m):
    """The m[i] rows: sums m[i] over the first --index-count offsets of m."""
    count = min(ctx.args.index_count, len(m))

    def run():
        total = 0
        t = perf_counter()
        for i in range(count):
            total += m[i]
        return perf_counter() - t, total
    return run, count, "M ops/s", 1e6, None


def make_iter(ctx):
    m = ctx.data_prefix(min(ctx.args.iter_mb * MiB, os.path.getsize(ctx.args.data)))
    size = len(m)

    def run():
        n = 0
        t = perf_counter()
        for b in m:
            n += 1
        return perf_counter() - t, n
    return run, size, "M items/s", 1e6, size


def make_slice_read(ctx):
    m = ctx.data()
    count = ctx.args.slices
    limit = len(m) - SLICE

    def run():
        a = 0
        got = 0
        t = perf_counter()
        for _ in range(count):
            got += len(m[a:a + SLICE])
            a += SLICE
            if a > limit:
                a = 0
        return perf_counter() - t, got
    return run, count * SLICE, "GB/s", 1e9, count * SLICE


def make_slice_write(ctx):
    m = ctx.scratch()
    count = ctx.args.slices
    limit = len(m) - SLICE
    buf = b"w" * SLICE

    def run():
        a = 0
        t = perf_counter()
        for _ in range(count):
            m[a:a + SLICE] = buf
            a += SLICE
            if a > limit:
                a = 0
        return perf_counter() - t, m[0]
    return run, count * SLICE, "GB/s", 1e9, ord("w")


def make_flush_dirty(ctx):
    m = ctx.scratch()
    size = len(m)
    fills = [bytes(bytearray([c])) * size for c in (ord("x"), ord("y"))]
    turn = [0]

    def run():
        turn[0] ^= 1
        m[0:size] = fills[turn[0]]  # dirties every page of the scratch map (not timed)
        t = perf_counter()
        m.flush()
        return perf_counter() - t, 0
    return run, size, "GB/s", 1e9, None


def make_flush_page(ctx):
    m = ctx.scratch()
    count = ctx.args.page_flushes
    pages = len(m) // SLICE

    def run():
        t = perf_counter()
        for i in range(count):
            m[(i % pages) * SLICE] = 48 + i % 10  # dirties one page
            m.flush()
        return perf_counter() - t, 0
    return run, count, "k flushes/s", 1e3, None


class Counter(object):
    """A thread that counts calls of time.perf_counter() in a loop until stopped.

    The call is the counted work and also what keeps the loop honest: GraalPy's JIT may hoist a
    plain read of a shared flag out of a loop that calls nothing (the thread then never sees the
    flag change), but not across a call into the runtime."""

    def __init__(self):
        self.count = [0]
        self.stop = [False]
        self.thread = threading.Thread(target=self.loop, name="counter")
        self.thread.daemon = True
        self.thread.start()

    def loop(self):
        count = self.count
        stop = self.stop
        clock = perf_counter
        while not stop[0]:
            clock()
            count[0] += 1

    def rate(self, seconds, load):
        """Counts per second over a phase of at least seconds: the main thread asleep (load None)
        or calling load() back to back (the phase then ends with the first call that ends after
        seconds)."""
        c0 = self.count[0]
        t0 = perf_counter()
        if load is None:
            time.sleep(seconds)
        else:
            while perf_counter() - t0 < seconds:
                load()
        c1 = self.count[0]
        t1 = perf_counter()
        return (c1 - c0) / (t1 - t0)

    def close(self):
        self.stop[0] = True
        self.thread.join(30)
        if self.thread.is_alive():
            raise RuntimeError("the counter thread did not stop (daemon thread left running)")


def make_gil(ctx):
    m = ctx.data()
    seconds = ctx.args.gil_seconds
    absent = b"Z"
    counter = Counter()
    ctx.after_op.append(counter.close)
    time.sleep(1.0)  # the counter's loop gets compiled before anything is measured

    def load():
        m.find(absent)

    def run():
        free = counter.rate(seconds, None)
        busy = counter.rate(seconds, load)
        return 100.0 * busy / free, 0
    return run, None, "%", 1, None


def make(ctx, name):
    if ctx.impl == "ceiling":
        if name == "find_par":
            return make_ceiling_par(ctx)
        if name.startswith("find") or name.startswith("rfind"):
            return make_ceiling_find(ctx, name.startswith("rfind"))
        raise NotImplementedError("the ceiling measures only the searches")
    if name == "find_par":
        return make_find_par(ctx)
    if name.startswith("find"):
        return make_find(ctx, int(name[4:]), False)
    if name.startswith("rfind"):
        return make_find(ctx, int(name[5:]), True)
    return globals()["make_" + name](ctx)


# --- the harness ---------------------------------------------------------------------------------


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def wait_for_idle_background(limit=20.0, step=0.5):
    """Waits (at most `limit` s) until the process's other threads use under 10 % of a core: on
    GraalPy the JIT's compiler threads keep compiling for a while after warm-up, and on 2 cores they
    take CPU from the timed runs (the first rows of a run measured up to 2x slower). Sleeping, this
    thread uses no CPU, so what the process uses meanwhile is background work. CPython has no such
    threads: returns at once (the quick run starts ~27 CPython workers, each would sleep a step)."""
    if sys.implementation.name != "graalpy":
        return
    t_end = perf_counter() + limit
    while perf_counter() < t_end:
        cpu = time.process_time()
        time.sleep(step)
        if time.process_time() - cpu < 0.1 * step:
            return


def cold_runs(run, args):
    """The first runs of the operation in this process (at most FIRST_RUNS, none started after
    --warmup-max seconds): what a program that has just started gets. Returns [(result, check)]
    (result: run()'s seconds, or the GIL row's percentage) and the seconds they took."""
    out = []
    t0 = perf_counter()
    while len(out) < FIRST_RUNS and (not out or perf_counter() - t0 <= args.warmup_max):
        out.append(run())
    return out, perf_counter() - t0


def warm_up(run, args, done, spent_seconds):
    """Untimed runs until enough runs (--warmup, counting the `done` cold runs) and time
    (--warmup-seconds) and the runs have settled: the last SETTLED runs all within SETTLED_SPREAD of
    the best so far (a JIT still compiling shows as runs slower than the best; on GraalPy a 1 GiB
    find kept improving for ~4 s, ~80 runs, readline for ~10 runs); none starts after --warmup-max
    seconds minus `spent_seconds` (the cap covers the cold runs too). Returns the number of runs."""
    warm = 0
    t0 = perf_counter()
    recent = []
    best = None
    while done + warm < MAX_WARMUP and (done + warm < args.warmup or perf_counter() - t0 < args.warmup_seconds
                                        or len(recent) < SETTLED
                                        or max(recent) > SETTLED_SPREAD * best):
        if spent_seconds + perf_counter() - t0 > args.warmup_max:
            break
        t = perf_counter()
        run()
        last = perf_counter() - t
        best = last if best is None else min(best, last)
        recent = (recent + [last])[-SETTLED:]
        warm += 1
    return warm


def measure(ctx, name):
    args = ctx.args
    ctx.threads.select(name)
    t_op = perf_counter()
    run, work, unit, scale, expected = make(ctx, name)
    t_made = perf_counter()
    cold, cold_seconds = cold_runs(run, args)
    t_warm = perf_counter()
    warm = warm_up(run, args, len(cold), cold_seconds)
    t_idle = perf_counter()
    wait_for_idle_background(args.idle_max)
    t_timed = perf_counter()
    samples = []
    checks = []
    budget_end = t_op + args.budget
    while len(samples) < args.runs:
        dt, check = run()
        samples.append(dt)
        checks.append(check)
        if perf_counter() > budget_end:
            break
    t_end = perf_counter()
    rec = {"op": name, "unit": unit, "runs": len(samples), "warmup": len(cold) + warm,
           "seconds_total": round(t_end - t_op, 3), "check": checks[-1],
           "phases": {"setup": round(t_made - t_op, 3), "cold": round(cold_seconds, 3),
                      "warmup": round(t_idle - t_warm, 3),
                      "idle_wait": round(t_timed - t_idle, 3), "timed": round(t_end - t_timed, 3)}}
    if callable(work):
        work = work()  # readline: the number of lines, known after a run

    def value_of(result):
        return result if work is None else work / result / scale
    cold_results = [r for r, _ in cold]
    rec["first"] = value_of(cold_results[0])
    rec["first10"] = value_of(median(cold_results))
    rec["first_runs"] = len(cold_results)
    rec["first_samples"] = cold_results
    if work is None:
        rec["value"] = median(samples)
        rec["samples"] = samples
    else:
        mid = median(samples)
        rec["value"] = value_of(mid)
        rec["seconds"] = samples
        rec["median_seconds"] = mid
        rec["work"] = work
    if ctx.impl == "fmmap":
        rec["search_threads"] = ctx.threads.used()
        rec["kernels"] = fmmap_kernels()
    all_checks = [c for _, c in cold] + checks
    if expected is not None:
        rec["expected"] = expected
        rec["ok"] = all(c == expected for c in all_checks)
    if len(set(str(c) for c in all_checks)) > 1 and work is not None:
        rec["check_varies"] = True
    return rec


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--impl", required=True, choices=("fmmap", "builtin", "stdlib", "ceiling"))
    p.add_argument("--data", required=True, help="the letters file (find, rfind, m[i], iteration)")
    p.add_argument("--text", required=True, help="the text file (readline)")
    p.add_argument("--scratch", required=True, help="a writable file, modified (slice writes, flush)")
    p.add_argument("--only", default=",".join(OPS), help="comma list of operations, in order")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2, help="warm-up runs, at least")
    p.add_argument("--warmup-max", type=float, default=20.0,
                   help="seconds after which the warm-up stops even if the runs have not settled")
    p.add_argument("--warmup-seconds", type=float, default=3.0,
                   help="warm-up runs continue until this much time has been spent")
    p.add_argument("--budget", type=float, default=30.0,
                   help="seconds per operation after which no further timed run starts")
    p.add_argument("--index-count", type=int, default=10 * 1000 * 1000, help="m[i] per run")
    p.add_argument("--iter-mb", type=int, default=16, help="MiB iterated per run")
    p.add_argument("--slices", type=int, default=65536, help="4 KiB slices per run")
    p.add_argument("--page-flushes", type=int, default=200, help="one-page flushes per run")
    p.add_argument("--gil-seconds", type=float, default=1.0, help="each phase of a GIL run")
    p.add_argument("--idle-max", type=float, default=20.0,
                   help="seconds to wait at most for the JIT's background threads before the timed runs")
    args = p.parse_args()

    module = load_module(args.impl)
    emit("INFO", runtime_info(args.impl, module))
    ctx = Context(module, args)
    fresh = True  # nothing has run in this process yet: the next row's first runs are its first
    try:
        for name in [n for n in args.only.split(",") if n]:
            if name not in OPS:
                emit("RESULT", {"op": name, "error": "unknown operation"})
                continue
            emit("START", {"op": name})
            try:
                try:
                    rec = measure(ctx, name)
                finally:
                    while ctx.after_op:
                        ctx.after_op.pop()()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as e:  # GraalPy's ForeignException is a BaseException
                msg = str(e).strip().splitlines()
                rec = {"op": name, "error": "%s: %s" % (type(e).__name__, msg[0][:200] if msg else "")}
            rec["fresh_process"] = fresh
            fresh = False
            emit("RESULT", rec)
    finally:
        ctx.close()
    emit("DONE", {})


if __name__ == "__main__":
    main()
