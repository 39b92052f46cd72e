"""Window-manager benchmark (issue 13): fmmap.smmap on GraalPy vs smmap 5 on CPython 3.12 and on GraalPy.

    python3 bench/smmap_bench.py --quick          # ~3 min on 2 cores: one process per target
    python3 bench/smmap_bench.py                  # longer: a fresh process per target and workload
    python3 bench/smmap_bench.py --targets smmap-cpython,smmap-graalpy --json out.json

The driver runs on the host's python3 (standard library only). It generates build/bench/smmap-<N>mb.bin
once (N MiB; the 8-byte little-endian word at offset 8k holds k, so any read can be checked), warms
the page cache, and starts this same file as a worker (--worker) under each target, one process at a
time:

    fmmap-graalpy   bin/graalpy (GraalPy 25.0.3)            from fmmap import smmap
    (fmmap-graalpy-unguarded, only when asked: the same with SlidingWindowMapManager(..., view_guard=False))
    smmap-cpython   CPython 3.12 (pyenv 3.12.1)              import smmap   (build/smmap on PYTHONPATH)
    smmap-graalpy   bin/graalpy                               import smmap   (over GraalPy's built-in mmap)

smmap itself is installed into build/smmap with pip when missing (as bin/test's pip_smmap does).

Each worker makes a SlidingWindowMapManager(window_size, max_memory_size, max_open_handles) for
every workload (defaults: 8 MiB windows, 64 MiB budget, 16 handles: the file is 4x the budget) and
one cursor (make_cursor(path)), then runs passes of

    seq     walk the whole file: bytes(c.use_region(ofs, chunk).buffer()), then on from its end
            (64 KiB chunks; smmap may hand out less than asked at a window's end: the walk goes on
            from where the buffer ended)
    random  N reads at random offsets (fixed seed, same offsets on every target and pass):
            bytes(c.use_region(ofs, 4096).buffer())

The first pass of a workload is reported apart ("first": in the worker's first workload that is
the first thing the process does after the import, JIT cold on GraalPy); after --warmup untimed
passes, passes are timed until --runs of them and --min-seconds have passed, or --budget is used
up; the value is the median pass. Every --sample-interval seconds (and at every line the worker
prints) the driver reads the worker's descriptors open on the data file (/proc/<pid>/fd) and the
bytes of it mapped (/proc/<pid>/maps), from outside the worker; a thread in the worker reads the
manager's num_file_handles() / mapped_memory_size() as often and at each pass's end. The table
shows the peaks over the workload (first pass to check pass), and what is left after the
workload's manager.collect(). After the timed passes one more pass, not timed, checks every
buffer's data and counts how often the cursor's region() changed (with a steady window set,
about how many windows a pass maps).

Worker protocol (stdout, anything else is noise): INFO {...}, BEGIN/END {"workload": ...},
RESULT {...}, DONE {}. The workers' stderr goes to build/bench/logs/smmap-<target>.log.
"""
import argparse
import json
import os
import platform
import queue
import random
import subprocess
import sys
import threading
import time

perf_counter = time.perf_counter
MiB = 1 << 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "build", "bench")
SMMAP_DIR = os.path.join(ROOT, "build", "smmap")
WORKLOADS = ("seq", "random")
TARGETS = ("fmmap-graalpy", "smmap-cpython", "smmap-graalpy", "fmmap-graalpy-unguarded")
DEFAULT_TARGETS = TARGETS[:3]
TITLES = {"fmmap-graalpy": "fmmap.smmap, GraalPy 25.0.3",
          "fmmap-graalpy-unguarded": "fmmap.smmap view_guard=False, GraalPy 25.0.3",
          "smmap-cpython": "smmap, CPython 3.12",
          "smmap-graalpy": "smmap, GraalPy 25.0.3 (built-in mmap)"}
REFERENCE = "smmap-cpython"

PRESETS = {
    # One worker per target (both workloads in it), few passes: about 3 minutes on 2 cores, most of
    # it the two GraalPy start-ups and their cold first passes.
    "quick": {"processes": "target", "random_ops": 10000, "warmup": 1, "runs": 3, "min_seconds": 0.0,
              "budget": 12.0, "pass_limit": 30.0, "timeout": 180.0},
    # A fresh worker per target and workload (so that each workload's first pass is a cold
    # process's), more passes.
    "default": {"processes": "workload", "random_ops": 50000, "warmup": 2, "runs": 7, "min_seconds": 5.0,
                "budget": 40.0, "pass_limit": 120.0, "timeout": 900.0},
}


# --- worker ------------------------------------------------------------------------------------------


def emit(kind, obj):
    sys.stdout.write(kind + " " + json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def file_fds(path, pid="self"):
    """Descriptors of process pid open on path."""
    n = 0
    folder = "/proc/%s/fd/" % pid
    try:
        names = os.listdir(folder)
    except OSError:
        return -1
    for name in names:
        try:
            if os.readlink(folder + name) == path:
                n += 1
        except OSError:
            pass
    return n


def file_mapped(path, pid="self"):
    """Bytes of path mapped into process pid (/proc/<pid>/maps; a JVM's is thousands of lines long,
    so only the lines that end with the path are parsed)."""
    try:
        with open("/proc/%s/maps" % pid) as f:
            text = f.read()
    except OSError:
        return -1
    total = 0
    key = " " + path + "\n"
    i = text.find(key)
    while i >= 0:
        start = text.rfind("\n", 0, i) + 1
        lo, _, rest = text[start:i].partition("-")
        hi = rest.split(" ", 1)[0]
        total += int(hi, 16) - int(lo, 16)
        i = text.find(key, i + len(key))
    return total


class Sampler(object):
    """Peaks of the manager's own counters (num_file_handles(), mapped_memory_size()), read from a
    thread every `interval` seconds and once more at each pass's end. The kernel's view (descriptors
    and mappings of the file) is sampled by the driver from /proc/<pid>, outside this process: read
    from inside, the JVM's /proc/self/maps took ~60 ms per sample on GraalPy, in the worker's time."""

    def __init__(self, interval):
        self.interval = interval
        self.lock = threading.Lock()
        self.reset(None)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="sampler")
        self.thread.daemon = True
        self.thread.start()

    def reset(self, man):
        with self.lock:
            self.man = man
            self.peak = {"handles": 0, "man_mapped": 0}
            self.samples = 0

    def sample(self):
        with self.lock:
            man = self.man
            if man is None:
                return
            try:
                handles, man_mapped = man.num_file_handles(), man.mapped_memory_size()
            except Exception:  # a manager mid-update (smmap is not thread-safe): skip
                return
            p = self.peak
            p["handles"] = max(p["handles"], handles)
            p["man_mapped"] = max(p["man_mapped"], man_mapped)
            self.samples += 1

    def run(self):
        while not self.stop.wait(self.interval):
            self.sample()


def walk(c, size, chunk, deadline):
    """One sequential pass; returns (bytes copied, buffers, complete). Stops early, incomplete,
    after perf_counter() passes deadline (checked every 16 buffers)."""
    ofs = 0
    total = 0
    n = 0
    while ofs < size:
        # One expression: the view dies before the cursor moves again. Kept in a variable across
        # the next use_region(), it would make smmap on CPython fail with BufferError when that
        # call unmaps the view's region.
        k = len(bytes(c.use_region(ofs, chunk).buffer()))
        if k == 0:
            raise RuntimeError("use_region(%d, %d) gave an empty buffer" % (ofs, chunk))
        total += k
        ofs += k
        n += 1
        if n & 15 == 0 and perf_counter() > deadline:
            return total, n, ofs >= size
    return total, n, True


def reads(c, offsets, n, deadline):
    """One random pass; returns (bytes copied, reads, complete), as walk."""
    total = 0
    i = 0
    for ofs in offsets:
        total += len(bytes(c.use_region(ofs, n).buffer()))
        i += 1
        if i & 15 == 0 and perf_counter() > deadline:
            return total, i, i == len(offsets)
    return total, i, True


def check(b, ofs):
    """b was read at file offset ofs: every 8-byte word at offset 8k holds k."""
    a = (-ofs) % 8
    if len(b) < a + 8:
        return True
    first = (ofs + a) // 8
    last_k = (len(b) - a) // 8
    if int.from_bytes(b[a:a + 8], "little") != first:
        return False
    if last_k > 1:
        p = a + (last_k - 1) * 8
        if int.from_bytes(b[p:p + 8], "little") != first + last_k - 1:
            return False
    if last_k > 2:
        p = a + (last_k // 2) * 8
        if int.from_bytes(b[p:p + 8], "little") != first + last_k // 2:
            return False
    return True


def check_pass(workload, c, size, args, offsets, deadline):
    """Untimed: the same pass once more, checking what every buffer holds and counting how often
    the cursor's region changed (a new region() object: in a steady state, a window mapped).
    Returns (the first bad read's description or None, region changes)."""
    switches = 0
    last = None
    if workload == "seq":
        todo = None
        ofs = 0
    else:
        todo = iter(offsets)
        ofs = next(todo)
    while True:
        b = bytes(c.use_region(ofs, args.chunk if todo is None else args.read_size).buffer())
        r = c.region()
        if r is not last:
            switches += 1
            last = r
        if not b or not check(b, ofs):
            return "%s read at %d (%d bytes) holds the wrong data" % (workload, ofs, len(b)), switches
        if perf_counter() > deadline:
            return "ok as far as checked (the check pass stopped at the time limit)", switches
        if todo is None:
            ofs += len(b)
            if ofs >= size:
                break
        else:
            ofs = next(todo, None)
            if ofs is None:
                break
    return None, switches


def run_workload(workload, module, path, size, args, sampler, fresh):
    emit("BEGIN", {"workload": workload})
    extra = {"view_guard": False} if args.target == "fmmap-graalpy-unguarded" else {}
    man = module.SlidingWindowMapManager(args.window_mb * MiB, args.max_mb * MiB, args.handles, **extra)
    sampler.reset(man)
    c = man.make_cursor(path)
    rng = random.Random(args.seed)
    offsets = [rng.randrange(0, size - args.read_size + 1) for _ in range(args.random_ops)]

    def one_pass():
        t = time.perf_counter()
        if workload == "seq":
            nbytes, ops, complete = walk(c, size, args.chunk, t + args.pass_limit)
        else:
            nbytes, ops, complete = reads(c, offsets, args.read_size, t + args.pass_limit)
        dt = time.perf_counter() - t
        sampler.sample()
        return dt, nbytes, ops, complete

    result = {"workload": workload, "fresh_process": fresh}
    t_start = time.perf_counter()
    try:
        first, nbytes, ops, complete = one_pass()
        result.update(first=first, first_bytes=nbytes, first_ops=ops)
        if not complete:
            # A pass slower than --pass-limit: its rate is reported from what it did; no more passes.
            result["stopped"] = "first pass stopped at the %g s limit after %d %s" % (
                args.pass_limit, ops, "buffers" if workload == "seq" else "reads")
        else:
            result.update(bytes=nbytes, ops=ops)
            warm = []
            runs = []
            while complete and len(warm) < args.warmup and time.perf_counter() - t_start <= args.budget:
                dt, _, _, complete = one_pass()
                warm.append(dt)
            while complete:
                dt, _, _, complete = one_pass()
                if not complete:
                    result["stopped"] = "a timed pass stopped at the %g s limit" % args.pass_limit
                    break
                runs.append(dt)
                spent = time.perf_counter() - t_start
                if spent > args.budget or (len(runs) >= args.runs and spent >= args.min_seconds):
                    break
            result.update(warmup=warm, runs=runs)
            if runs:
                result["median"] = sorted(runs)[len(runs) // 2]
            bad, switches = check_pass(workload, c, size, args, offsets, time.perf_counter() + args.pass_limit)
            result["check"] = bad or "ok"
            result["switches"] = switches
    except Exception as e:  # reported in the table; the other workload still runs
        result["error"] = "%s: %s" % (type(e).__name__, e)
    sampler.sample()
    with sampler.lock:
        result["peak"] = dict(sampler.peak)
        result["samples"] = sampler.samples
    stats = getattr(man, "stats", None)  # fmmap.smmap's counters (maps, evictions, overcommits, ...)
    if stats is not None:
        try:
            result["stats"] = dict((k, int(v)) for k, v in stats().items())
        except Exception as e:
            result["stats"] = {"error": "%s: %s" % (type(e).__name__, e)}
    emit("END", {"workload": workload})
    try:
        c.unuse_region()
        result["collected"] = man.collect()
        result["after_collect"] = {"handles": man.num_file_handles(), "man_mapped": man.mapped_memory_size()}
    except Exception as e:
        result["after_collect_error"] = "%s: %s" % (type(e).__name__, e)
    result["after_collect_fds"] = file_fds(path)
    result["after_collect_mapped"] = file_mapped(path)
    sampler.reset(None)
    close = getattr(man, "close", None)  # fmmap.smmap: release everything before the next workload
    if close is not None:
        try:
            close()
        except Exception as e:
            result["close_error"] = "%s: %s" % (type(e).__name__, e)
    result["seconds"] = time.perf_counter() - t_start
    # the manager and cursor go out of scope here: smmap releases them through __del__
    return result


def worker(args):
    t = time.perf_counter()
    if args.target.startswith("fmmap-graalpy"):
        from fmmap import smmap as module
    else:
        import smmap as module
    import_s = time.perf_counter() - t
    path = os.path.realpath(args.data)
    size = os.path.getsize(path)
    emit("INFO", {"python": sys.version.split()[0], "implementation": platform.python_implementation(),
                  "module": module.__name__, "module_file": getattr(module, "__file__", None),
                  "module_version": getattr(module, "__version__", None), "import_s": import_s,
                  "pid": os.getpid()})
    sampler = Sampler(args.sample_interval)
    fresh = True
    for workload in args.workloads.split(","):
        res = run_workload(workload, module, path, size, args, sampler, fresh)
        fresh = False
        emit("RESULT", res)
    sampler.stop.set()
    emit("DONE", {})


# --- driver ------------------------------------------------------------------------------------------


def data_path(size_mb):
    return os.path.join(BENCH_DIR, "smmap-%dmb.bin" % size_mb)


def make_data(path, size_mb):
    """The 8-byte word at offset 8k holds k (little endian); generated once."""
    size = size_mb * MiB
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    import array
    print("generating %s (%d MiB) ..." % (os.path.relpath(path, ROOT), size_mb), flush=True)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    words = MiB // 8
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        for i in range(size_mb):
            a = array.array("Q", range(i * words, (i + 1) * words))
            if sys.byteorder != "little":
                a.byteswap()
            f.write(a.tobytes())
    os.replace(tmp, path)


def warm_cache(path):
    with open(path, "rb") as f:
        while f.read(16 * MiB):
            pass


def ensure_smmap(host_python):
    if os.path.isdir(os.path.join(SMMAP_DIR, "smmap")):
        return True
    print("installing smmap into build/smmap (pip) ...", flush=True)
    rc = subprocess.call([host_python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          "--retries", "0", "--target", SMMAP_DIR, "smmap"])
    return rc == 0


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def run_worker(target, cmd, env, workloads, wargs, log_path, timeout, interval, path):
    """Runs one worker, sampling its descriptors and mappings of path from /proc/<pid> every
    interval seconds and at every line it prints; the peaks between a workload's BEGIN and END go
    into that workload's result. Returns (info, {workload: result}, wall seconds)."""
    info, results = None, {}
    t = time.time()
    full = cmd + [os.path.abspath(__file__), "--worker", "--target", target, "--workloads",
                  ",".join(workloads)] + wargs
    failure = None
    done = False
    with open(log_path, "a") as log:
        log.write("\n=== %s %s\n" % (time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(full)))
        log.flush()
        proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=log, env=env, universal_newlines=True,
                                cwd=os.path.dirname(log_path))
        q = queue.Queue()
        threading.Thread(target=reader, args=(proc.stdout, q), daemon=True).start()
        pid = proc.pid  # bin/graalpy execs the JVM: same pid (INFO's pid is checked below)
        current = None
        peak = None
        ended = (None, None)
        samples = [0, 0.0]
        next_sample = time.time()

        def sample():
            s0 = time.perf_counter()
            fds, mapped = file_fds(path, pid), file_mapped(path, pid)
            samples[0] += 1
            samples[1] += time.perf_counter() - s0
            if peak is not None:
                peak["fds"] = max(peak["fds"], fds)
                peak["mapped"] = max(peak["mapped"], mapped)
                peak["samples"] += 1

        while True:
            now = time.time()
            if now - t > timeout:
                failure = "timed out after %d s: killed" % timeout
                proc.kill()
                break
            try:
                line = q.get(timeout=max(0.0, next_sample - now))
            except queue.Empty:
                line = ""
            if line is None:
                break
            if time.time() >= next_sample or line:
                sample()
                next_sample = time.time() + interval
            if not line:
                continue
            log.write("stdout: " + line)
            kind, _, payload = line.strip().partition(" ")
            try:
                obj = json.loads(payload) if kind in ("INFO", "BEGIN", "END", "RESULT", "DONE") else None
            except ValueError:
                obj = None
            if obj is None:
                continue
            if kind == "INFO":
                info = obj
                if obj.get("pid") != pid:
                    pid = obj.get("pid")
            elif kind == "BEGIN":
                current = obj["workload"]
                peak = {"fds": 0, "mapped": 0, "samples": 0}
                sample()
            elif kind == "END":
                sample()
                ended = (current, peak)
                current, peak = None, None
            elif kind == "RESULT":
                w = obj["workload"]
                if ended[0] == w:
                    obj["kernel_peak"] = ended[1]
                results[w] = obj
            elif kind == "DONE":
                done = True
        code = proc.wait()
        log.write("=== exit code %s\n" % code)
    if info is not None:
        info["driver_samples"] = samples[0]
        info["driver_sample_ms"] = 1000.0 * samples[1] / max(1, samples[0])
    for w in workloads:
        if w not in results:
            results[w] = {"workload": w, "error": failure or ("worker died (exit code %s); see %s"
                                                              % (code, os.path.relpath(log_path, ROOT)))}
    return info, results, time.time() - t


def reader(stream, q):
    for line in iter(stream.readline, ""):
        q.put(line)
    q.put(None)


def mb(x):
    return "%.0f" % (x / MiB)


def rate(nbytes, ops, seconds):
    return nbytes / seconds / 1e6, ops / seconds


def fmt(x):
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def table(results, targets, args):
    head = ("| target | workload | first pass MB/s | warm MB/s | warm k ops/s | warm vs smmap on CPython "
            "| region changes per pass | file fds, peak | file mapped MiB, peak | num_file_handles(), peak "
            "| mapped_memory_size() MiB, peak | after collect(): fds / mapped MiB | data |")
    lines = [head, "|" + "---|" * 13]
    ref = {}
    for w in WORKLOADS:
        r = results.get(REFERENCE, {}).get(w)
        if r and "median" in r:
            ref[w] = r["bytes"] / r["median"]
    for w in args.workload_list:
        for t in targets:
            r = results.get(t, {}).get(w)
            if r is None:
                continue
            label = {"seq": "sequential, %d KiB" % (args.chunk // 1024),
                     "random": "random, %d B x %d" % (args.read_size, args.random_ops)}[w]
            if "first" not in r:
                lines.append("| %s | %s | %s |%s" % (TITLES[t], label, r.get("error", "?"), " |" * 10))
                continue
            first_mb, first_ops = rate(r["first_bytes"], r["first_ops"], r["first"])
            first = fmt(first_mb) + ("*" if "bytes" not in r else "")
            if "median" in r:
                warm_mb, warm_ops = rate(r["bytes"], r["ops"], r["median"])
                warm, warm_k = fmt(warm_mb), fmt(warm_ops / 1000.0)
                ratio = "%.2fx" % (r["bytes"] / r["median"] / ref[w]) if w in ref else "-"
            else:
                warm = warm_k = ratio = "-"
            p = r.get("peak", {})
            k = r.get("kernel_peak") or {}
            ac = "%d / %s" % (r.get("after_collect_fds", -1), mb(r.get("after_collect_mapped", 0)))
            data = r.get("check", "-")
            for k2 in ("stopped", "error"):
                if r.get(k2):
                    data += "; " + r[k2]
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %s |" % (
                TITLES[t], label, first, warm, warm_k, ratio,
                r.get("switches", "-"), k.get("fds", "?"), mb(k["mapped"]) if "mapped" in k else "?",
                p.get("handles", -1), mb(p.get("man_mapped", 0)), ac, data))
    if any("bytes" not in r and "first" in r for rs in results.values() for r in rs.values()):
        lines.append("")
        lines.append("`*`: the first pass reached the --pass-limit; its rate is of the part it did.")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="one process per target, few passes (~3 min)")
    p.add_argument("--targets", default=",".join(DEFAULT_TARGETS),
                   help="comma separated, in this order: %s (the last, fmmap.smmap with "
                        "view_guard=False, is not run by default)" % ", ".join(TARGETS))
    p.add_argument("--workloads", default=",".join(WORKLOADS))
    p.add_argument("--size-mb", type=int, default=256, help="data file size (default 256 = 4x the budget)")
    p.add_argument("--window-mb", type=int, default=8)
    p.add_argument("--max-mb", type=int, default=64, help="max_memory_size")
    p.add_argument("--handles", type=int, default=16, help="max_open_handles")
    p.add_argument("--chunk", type=int, default=64 * 1024, help="bytes per use_region of the sequential walk")
    p.add_argument("--read-size", type=int, default=4096, help="bytes per random read")
    p.add_argument("--random-ops", type=int, help="random reads per pass")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--warmup", type=int, help="untimed passes after the first")
    p.add_argument("--runs", type=int, help="timed passes (at least)")
    p.add_argument("--min-seconds", type=float, help="timed passes continue until this long")
    p.add_argument("--budget", type=float, help="seconds per workload after which no pass starts")
    p.add_argument("--pass-limit", type=float, help="a pass that takes longer stops there (its rate counts)")
    p.add_argument("--processes", choices=("target", "workload"), help="a worker per target or per target and workload")
    p.add_argument("--sample-interval", type=float, default=0.2)
    p.add_argument("--graalpy", default=os.path.join(ROOT, "bin", "graalpy"))
    p.add_argument("--cpython", default=os.path.join(os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv")),
                                                     "versions", "3.12.1", "bin", "python3"))
    p.add_argument("--timeout", type=float, help="seconds per worker process, after which it is killed")
    p.add_argument("--json", help="write settings, runtimes and all results here")
    # worker side
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--target", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    preset = PRESETS["quick" if args.quick else "default"]
    for k, v in preset.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    args.workload_list = [w for w in args.workloads.split(",") if w]
    return args


def main(argv):
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    t0 = time.time()
    targets = [t for t in args.targets.split(",") if t]
    for t in targets:
        if t not in TARGETS:
            raise SystemExit("unknown target %r (known: %s)" % (t, ", ".join(TARGETS)))
    os.makedirs(os.path.join(BENCH_DIR, "logs"), exist_ok=True)
    path = os.path.realpath(data_path(args.size_mb))
    make_data(path, args.size_mb)
    warm_cache(path)
    if any(t.startswith("smmap-") for t in targets) and not ensure_smmap(sys.executable):
        raise SystemExit("cannot install smmap into build/smmap")
    env = dict(os.environ)
    env.pop("FMMAP_SEARCH_THREADS", None)
    smmap_env = dict(env)
    smmap_env["PYTHONPATH"] = SMMAP_DIR + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    commands = {"fmmap-graalpy": ([args.graalpy], env), "fmmap-graalpy-unguarded": ([args.graalpy], env),
                "smmap-cpython": ([args.cpython], smmap_env),
                "smmap-graalpy": ([args.graalpy], smmap_env)}
    wargs = ["--data", path, "--window-mb", str(args.window_mb), "--max-mb", str(args.max_mb),
             "--handles", str(args.handles), "--chunk", str(args.chunk), "--read-size", str(args.read_size),
             "--random-ops", str(args.random_ops), "--seed", str(args.seed), "--warmup", str(args.warmup),
             "--runs", str(args.runs), "--min-seconds", str(args.min_seconds), "--budget", str(args.budget), "--pass-limit", str(args.pass_limit),
             "--sample-interval", str(args.sample_interval)]
    print("file %s: %d MiB; SlidingWindowMapManager(window_size=%d MiB, max_memory_size=%d MiB, "
          "max_open_handles=%d); load average %s" % (os.path.relpath(path, ROOT), args.size_mb, args.window_mb,
                                                      args.max_mb, args.handles, loadavg()), flush=True)
    infos, results, walls, loads = {}, {}, {}, {}
    for t in targets:
        cmd, tenv = commands[t]
        if not os.access(cmd[0], os.X_OK):
            results[t] = {w: {"workload": w, "error": "%s not found" % cmd[0]} for w in args.workload_list}
            continue
        log = os.path.join(BENCH_DIR, "logs", "smmap-%s.log" % t)
        open(log, "w").close()
        batches = [args.workload_list] if args.processes == "target" else [[w] for w in args.workload_list]
        results[t] = {}
        walls[t] = []
        for batch in batches:
            print("  %s: %s ..." % (TITLES[t], ",".join(batch)), end="", flush=True)
            loads.setdefault(t, []).append(loadavg())
            info, res, wall = run_worker(t, cmd, tenv, batch, wargs, log, args.timeout, args.sample_interval, path)
            if info:
                infos[t] = info
            results[t].update(res)
            walls[t].append(wall)
            print(" %.0f s (%s)" % (wall, "; ".join("%s %s" % (w, "ok" if "median" in r else r.get("error"))
                                                     for w, r in sorted(res.items()))), flush=True)
    print()
    print("== window manager benchmark, %.0f s in all (load average at the end: %s)\n" % (time.time() - t0, loadavg()))
    print(table(results, targets, args))
    print()
    for t in targets:
        i = infos.get(t)
        if i:
            passes = ", ".join("%s %d+%d+%d" % (w, 1, len(r.get("warmup", [])), len(r.get("runs", [])))
                               for w, r in sorted(results.get(t, {}).items()) if "runs" in r)
            print("- %s: Python %s (%s), %s from %s, import %.2f s; worker wall %s s (load average at start %s); "
                  "passes first+warm-up+timed: %s; /proc sampled %d times, %.1f ms each"
                  % (TITLES[t], i["python"], i["implementation"], i["module"],
                     os.path.relpath(i["module_file"], ROOT) if i.get("module_file") else "?", i["import_s"],
                     "+".join("%.0f" % w for w in walls.get(t, [])), "; ".join(loads.get(t, [])), passes,
                     i.get("driver_samples", 0), i.get("driver_sample_ms", 0)))
    for t in targets:
        for w in args.workload_list:
            st = results.get(t, {}).get(w, {}).get("stats")
            if st:
                print("- %s, %s: manager stats() at the end: %s" % (TITLES[t], w, ", ".join(
                    "%s %s" % (k, v) for k, v in sorted(st.items()))))
    if args.json:
        doc = {"settings": {k: v for k, v in vars(args).items() if k not in ("worker", "target", "data")},
               "file": path, "infos": infos, "results": results, "walls": walls, "loads": loads,
               "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                           "kernel": platform.release()}}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
