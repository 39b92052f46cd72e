"""fmmap benchmark: fmmap on GraalPy vs CPython 3.12's mmap vs libc's memchr (vs GraalPy's built-in mmap).

Run through bin/benchmark (host python3, standard library only). Generates its data under
build/bench/ when missing, then starts bench/ops.py once per implementation and map or operation
(one process at a time; --one-process: once per implementation), collects the RESULT lines and
prints one table; then the small-operations part: bench/small_ops.py once per column (fmmap and the
built-in mmap on GraalPy, CPython's mmap; --with-25.2.4: on GraalPy 25.2.4 too), a table of first
and settled rates. --json and --svg write it out as well. With no flags a quick run (about 5 minutes
on 2 cores); --full is the long one; --only small runs the small-operations part alone. See
docs/benchmark.md.
"""
import argparse
import json
import os
import platform
import queue
import random
import resource
import subprocess
import sys
import threading
import time

import report
from report import IMPL_TITLES, fmt, value

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "build", "bench")
OPS_PY = os.path.join(ROOT, "bench", "ops.py")
SMALL_PY = os.path.join(ROOT, "bench", "small_ops.py")
MiB = 1 << 20
SCRATCH_MB = 64
ANON_MB = 16  # as bench/ops.py
NEEDLE_SIZES = (1, 2, 4, 16, 64, 256)
SMALL_MB = 16  # the small-operations part's three files (bench/small_ops.py)
MARK = 256  # the letters file starts with b"R" * MARK and ends with b"N" * MARK (the longest needle)

# "ceiling" is not an mmap: libc's memchr/memrchr over the same file, on CPython through ctypes
# (bench/ops.py, NativeMap); it has a value on the search rows only.
IMPLS = ("fmmap", "builtin", "stdlib", "ceiling")
OPS = (["find%d" % k for k in NEEDLE_SIZES] + ["rfind%d" % k for k in NEEDLE_SIZES] + ["find_par"] +
       ["readline", "getitem", "getitem_anon", "iter", "read", "slice_read", "write", "slice_write",
        "flush_dirty", "flush_page", "gil"])
UNITS = {"readline": "M lines/s", "getitem": "M ops/s", "getitem_anon": "M ops/s",
         "iter": "M items/s", "read": "GB/s", "slice_read": "GB/s", "write": "GB/s",
         "slice_write": "GB/s", "flush_dirty": "GB/s", "flush_page": "k flushes/s", "gil": "%",
         "find_par": "GB/s"}
UNITS.update(("%s%d" % (name, k), "GB/s") for name in ("find", "rfind") for k in NEEDLE_SIZES)
# The small-operations part: bench/small_ops.py, one fresh process per column, one at a time. The
# 25.2.4 columns (GraalPy 25.2.4 runs interpreted, see bin/graalpy) only on request (--with-25.2.4).
SMALL_IMPLS = ("fmmap", "builtin", "stdlib", "fmmap-25.2.4", "builtin-25.2.4", "fmmap-strict")
SMALL = "small"  # its name in --only
GROUPS = {"find": ["find%d" % k for k in NEEDLE_SIZES],
          "rfind": ["rfind%d" % k for k in NEEDLE_SIZES],
          "search": ["find%d" % k for k in NEEDLE_SIZES] + ["rfind%d" % k for k in NEEDLE_SIZES] + ["find_par"],
          "flush": ["flush_dirty", "flush_page"]}

# The default's rows: the searches and the GIL row, all on the letters map (one worker process per
# implementation), then the small-operations part (3 processes), within 5 minutes on 2 cores. Cut from
# the default to make room for that part, and kept in --full and --only: the small-operation rows
# (readline, m[i], iteration, read, slices, write), which the small-operations part measures better
# (first and settled rates, the built-in's column) and which took 3 of the 5 GraalPy processes and
# ~100 s; and the two flush rows, which measure the disk more than the implementation and took a
# GraalPy process of their own (~35 s).
QUICK_ROWS = GROUPS["search"] + ["gil"]

# The two ways to run it. The default is the quick one a user runs first: fmmap against CPython and
# the memchr ceiling on QUICK_ROWS, the 1 GiB file, warm-ups capped at 3 s (what a short program
# gets; on 2 cores GraalPy's JIT takes tens of seconds to settle, see docs/benchmark.md), 5 timed
# runs; then the small-operations part; about 5 minutes on 2 idle cores. It starts one worker
# process per map rather than per row: a GraalPy process needs ~7 s of CPU on its main thread (and
# as much again in its compiler threads) before it runs anything, so 24 fresh GraalPy processes
# alone would take 3-4 minutes. Where a run is a loop (m[i], iteration, 4 KiB copies: the rate is
# per item) it does less work per run, for those rows given with --only.
# --full is the long run: every row, GraalPy's built-in mmap too (its find scans at 0.1-0.3 GB/s),
# a fresh process per row, warm-ups until the runs settle (up to 20 s), 7 timed runs, and the
# small-operations part. Options given explicitly override either.
PRESETS = {
    "quick": {"impls": "fmmap,stdlib,ceiling", "runs": 5, "warmup": 2, "warmup_seconds": 1.0,
              "warmup_max": 3.0, "budget": 15.0, "idle_max": 2.0, "gil_seconds": 0.5,
              "index_count": 2 * 1000 * 1000, "iter_mb": 4, "slices": 16384, "processes": "map",
              "only": ",".join(QUICK_ROWS + [SMALL])},
    "full": {"impls": "fmmap,builtin,stdlib,ceiling", "runs": 7, "warmup": 2, "warmup_seconds": 3.0,
             "warmup_max": 20.0, "budget": 30.0, "idle_max": 20.0, "gil_seconds": 1.0,
             "index_count": 10 * 1000 * 1000, "iter_mb": 16, "slices": 65536, "processes": "row",
             "only": ",".join(OPS + [SMALL])},
}


# The map each row uses (bench/ops.py, Context). A process that uses one map only sees one of
# fmmap's per-length ctypes subclasses, so its call sites stay monomorphic (docs/benchmark.md).
MAP_OF = {"readline": "text", "getitem_anon": "anonymous", "iter": "prefix", "write": "scratch",
          "slice_write": "scratch", "flush_dirty": "scratch", "flush_page": "scratch"}


def batches(ops, processes):
    """The operations of each worker process, in order: one per row ("row"), one per map the rows
    use ("map"; the rows of a map in table order) or all in one ("impl")."""
    if processes == "impl":
        return [list(ops)]
    if processes == "row":
        return [[op] for op in ops]
    groups = {}
    for op in ops:
        groups.setdefault(MAP_OF.get(op, "data"), []).append(op)
    return list(groups.values())


def ceiling_op(op):
    """The ceiling worker's operation whose value stands in the ceiling column of row op, or None.
    find reads the whole map whatever the needle's length, so every find row shares memchr's value
    (every rfind row memrchr's): the read ceiling, measured once."""
    if op == "find_par":
        return "find_par"
    if op in GROUPS["find"]:
        return "find1"
    if op in GROUPS["rfind"]:
        return "rfind1"
    return None


def labels(args):
    size = "%d MiB" % args.size_mb
    out = {}
    for k in NEEDLE_SIZES:
        out["find%d" % k] = "find, %d-byte needle (%s)" % (k, size)
        out["rfind%d" % k] = "rfind, %d-byte needle (%s)" % (k, size)
    out["find_par"] = "find, 1 byte, all cores (%s)" % size
    out["readline"] = "readline (%d MiB text)" % args.text_mb
    out["getitem"] = "m[i] loop (%s)" % count_label(min(args.index_count, args.size_mb * MiB))
    out["getitem_anon"] = "m[i] loop, anonymous map (%s)" % count_label(min(args.index_count, ANON_MB * MiB))
    out["iter"] = "for b in m (%d MiB map)" % min(args.iter_mb, args.size_mb)
    out["read"] = "read(4096), sequential"
    out["slice_read"] = "4 KiB slice read m[a:a+4096]"
    out["write"] = "write(4 KiB), sequential"
    out["slice_write"] = "4 KiB slice write m[a:a+4096] = buf"
    out["flush_dirty"] = "flush, %d MiB all dirty" % SCRATCH_MB
    out["flush_page"] = "flush, 1 page dirty (%d MiB map)" % SCRATCH_MB
    out["gil"] = "other threads during find (% of free speed)"
    return out


def count_label(n):
    if n >= 1000000 and n % 100000 == 0:
        return "%gM" % (n / 1e6)
    return "%d" % n


# --- data ------------------------------------------------------------------------------------------


def progress(what, done, total, state):
    pct = int(done * 100 / total) if total else 100
    step = pct // 10 * 10
    if step > state[0]:
        state[0] = step
        print("  %s: %d%%" % (what, step), flush=True)


def letters_path(size_mb):
    return os.path.join(BENCH_DIR, "letters-%dmb.bin" % size_mb)


def text_path(text_mb):
    return os.path.join(BENCH_DIR, "text-%dmb.txt" % text_mb)


def scratch_path(size_mb=SCRATCH_MB):
    return os.path.join(BENCH_DIR, "scratch-%dmb.bin" % size_mb)


def letters_ok(path, size):
    if not os.path.exists(path) or os.path.getsize(path) != size:
        return False
    with open(path, "rb") as f:
        head = f.read(MARK)
        f.seek(size - MARK)
        tail = f.read(MARK)
    return head == b"R" * MARK and tail == b"N" * MARK


def make_letters(path, size_mb):
    """Random lowercase letters; b"R" * MARK at the very start (rfind's needles), b"N" * MARK at the
    very end (find's needles), so every search of an upper-case needle scans the whole file. A fresh
    random MiB every 16 MiB, rotated by a random amount for each MiB in between. A file from before
    the 256-byte needles (64-byte marks) fails letters_ok and is generated anew."""
    size = size_mb * MiB
    if letters_ok(path, size):
        return
    if size_mb < 1:
        raise SystemExit("--size-mb must be at least 1")
    print("generating %s (%d MiB of random letters) ..." % (os.path.relpath(path, ROOT), size_mb),
          flush=True)
    table = bytes(97 + i % 26 for i in range(256))
    rng = random.Random()
    tmp = path + ".tmp"
    state = [0]
    t = time.time()
    with open(tmp, "wb") as f:
        base = b""
        for i in range(size_mb):
            if i % 16 == 0:
                base = os.urandom(MiB).translate(table)
            k = rng.randrange(MiB)
            chunk = base[k:] + base[:k]
            if i == 0:
                chunk = b"R" * MARK + chunk[MARK:]
            if i == size_mb - 1:
                chunk = chunk[:-MARK] + b"N" * MARK
            f.write(chunk)
            progress("letters", i + 1, size_mb, state)
    os.replace(tmp, path)
    print("  done in %.1f s" % (time.time() - t), flush=True)


def make_text(path, text_mb):
    """Lines of random lowercase words, 60 to 100 bytes (80 on average) with the newline: eight
    pools of 8192 random lines, each MiB-ish chunk one pool rotated at a random line."""
    if os.path.exists(path):
        return
    print("generating %s (%d MiB of ~80-byte lines) ..." % (os.path.relpath(path, ROOT), text_mb),
          flush=True)
    rng = random.Random()
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(5000)]
    pools = []
    for _ in range(8):
        lines = []
        for _ in range(8192):
            want = rng.randint(59, 99)
            line = rng.choice(words)
            while len(line) < want:
                line += " " + rng.choice(words)
            lines.append((line[:want] + "\n").encode("ascii"))
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        pools.append((b"".join(lines), starts[:-1]))
    target = text_mb * MiB
    t = time.time()
    tmp = path + ".tmp"
    state = [0]
    written = 0
    with open(tmp, "wb") as f:
        while written < target:
            data, starts = rng.choice(pools)
            k = rng.choice(starts)
            chunk = data[k:] + data[:k]
            if written + len(chunk) > target:
                chunk = chunk[:chunk.rfind(b"\n", 0, target - written) + 1]
                if not chunk:
                    break
            f.write(chunk)
            written += len(chunk)
            progress("text", written, target, state)
    progress("text", target, target, state)
    os.replace(tmp, path)
    print("  done in %.1f s" % (time.time() - t), flush=True)


def make_scratch(path, size_mb=SCRATCH_MB):
    """Zeros (the write rows change them; only the size is checked)."""
    size = size_mb * MiB
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    with open(path + ".tmp", "wb") as f:
        f.write(b"\0" * size)
    os.replace(path + ".tmp", path)


def warm_cache(path):
    """Reads a file once (page cache); returns its number of newlines."""
    lines = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(16 * MiB)
            if not block:
                return lines
            lines += block.count(b"\n")


# --- machine -------------------------------------------------------------------------------------


def machine_info():
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
            "kernel": platform.release(), "host_python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["ram_gib"] = round(int(line.split()[1]) / 1024.0 / 1024.0, 1)
    except OSError:
        pass
    return info


# --- running the workers -------------------------------------------------------------------------


def reader(stream, q):
    for line in iter(stream.readline, ""):
        q.put(line)
    q.put(None)


def worker_env():
    """The workers' environment: the driver's, without FMMAP_SEARCH_THREADS, so that fmmap's search
    threads start at their default (all cores) whatever the shell has set; ops.py sets them per row
    (one thread, except find_par)."""
    env = dict(os.environ)
    env.pop("FMMAP_SEARCH_THREADS", None)
    return env


def children_cpu():
    """CPU seconds (user + system) of the driver's finished, waited-for child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_impl(impl, cmd, ops, worker_args, log_path, op_timeout, lab):
    """Runs ops under one implementation. A worker that dies (or stays silent for op_timeout
    seconds) is recorded as n/a for the operation it was in, then a new worker takes the
    remaining operations (at most 3 restarts; after that the rest are n/a too). Returns the
    runtime's INFO, the results by operation and, per worker process, what it ran and how long it
    took (wall and CPU seconds, and its start-up: seconds until its INFO line)."""
    results = {}
    info = None
    remaining = list(ops)
    restarts = 0
    processes = []
    while remaining:
        with open(log_path, "a") as log:
            log.write("\n=== %s %s\n" % (time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(cmd)))
            log.flush()
            full = cmd + worker_args + ["--only", ",".join(remaining)]
            t_start = time.time()
            cpu_start = children_cpu()
            process = {"ops": list(remaining), "startup": None}
            try:
                proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=log, env=worker_env(),
                                        cwd=os.path.dirname(log_path), universal_newlines=True)
            except OSError as e:
                for op in remaining:
                    results[op] = {"op": op, "error": "cannot start: %s" % e}
                return info, results, processes
            q = queue.Queue()
            threading.Thread(target=reader, args=(proc.stdout, q), daemon=True).start()
            current = None
            finished = False
            failure = None
            while True:
                try:
                    line = q.get(timeout=op_timeout)
                except queue.Empty:
                    failure = "no output for %d s: killed" % op_timeout
                    proc.kill()
                    break
                if line is None:
                    break
                log.write("stdout: " + line)
                kind, _, payload = line.strip().partition(" ")
                if kind not in ("INFO", "START", "RESULT", "DONE"):
                    continue
                try:
                    obj = json.loads(payload)
                except ValueError:
                    continue
                if kind == "INFO":
                    info = obj
                    process["startup"] = round(time.time() - t_start, 3)
                elif kind == "START":
                    current = obj["op"]
                    print("  [%s] %s ..." % (impl, lab.get(current, current)), end="", flush=True)
                elif kind == "RESULT":
                    results[obj["op"]] = obj
                    if obj["op"] in remaining:
                        remaining.remove(obj["op"])
                    if current == obj["op"]:
                        print(" " + describe(obj), flush=True)
                    current = None
                elif kind == "DONE":
                    finished = True
            code = proc.wait()
            process["wall"] = round(time.time() - t_start, 3)
            process["cpu"] = round(children_cpu() - cpu_start, 3)
            processes.append(process)
            log.write("=== exit code %s\n" % code)
        if finished and not remaining:
            break
        if failure is None:
            failure = "worker died (%s)" % exit_text(code)
            last = last_log_line(log_path)
            if last:
                failure += ": " + last
        if current is not None:
            print(" " + failure, flush=True)
            results[current] = {"op": current, "error": failure}
            remaining.remove(current)
        elif not remaining:
            break
        else:
            print("  [%s] %s between operations" % (impl, failure), flush=True)
            for op in remaining:
                results[op] = {"op": op, "error": failure}
            break
        restarts += 1
        if restarts > 3 and remaining:
            for op in remaining:
                results[op] = {"op": op, "error": "not run: the worker died %d times" % restarts}
            break
        if remaining:
            print("  [%s] restarting the worker for the remaining %d operation(s)"
                  % (impl, len(remaining)), flush=True)
    return info, results, processes


def exit_text(code):
    if code is None:
        return "no exit code"
    if code < 0:
        return "killed by signal %d" % -code
    return "exit code %d" % code


def last_log_line(path):
    """The last line on the worker's stderr that looks like an error, shortened."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f.read().splitlines()[-200:]]
    except OSError:
        return ""
    lines = [l for l in lines if l and not l.startswith("stdout:") and not l.startswith("===")]
    for l in reversed(lines):
        if "SIGSEGV" in l or "Error" in l or "error" in l or "Exception" in l:
            return l[:160]
    return lines[-1][:160] if lines else ""


# --- the small-operations part --------------------------------------------------------------------


def small_commands(args):
    """Each column's command, without the data files: fmmap and the runtime's own mmap on each
    GraalPy, CPython's mmap."""
    return {"fmmap": [args.graalpy, SMALL_PY, "--impl", "fmmap"],
            "builtin": [args.graalpy, SMALL_PY, "--impl", "mmap"],
            "stdlib": [args.cpython, SMALL_PY, "--impl", "mmap"],
            "fmmap-25.2.4": [args.graalpy_2524, SMALL_PY, "--impl", "fmmap"],
            "builtin-25.2.4": [args.graalpy_2524, SMALL_PY, "--impl", "mmap"],
            "fmmap-strict": [args.graalpy, SMALL_PY, "--impl", "fmmap", "--guard", "strict"]}


def run_small_impl(impl, cmd, log_path, timeout):
    """Runs bench/small_ops.py in one fresh process, printing each round's seconds as they come.
    Returns its INFO, its RESULTs by operation, an error (None if it ran through) and the process's
    times (wall and CPU seconds, start-up = seconds until its INFO line, rounds' seconds)."""
    process = {"startup": None, "rounds": []}
    info, results, error, code = None, {}, None, None
    with open(log_path, "w") as log:
        log.write("=== %s %s\n" % (time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(cmd)))
        log.flush()
        t_start = time.time()
        cpu_start = children_cpu()
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=worker_env(),
                                    cwd=os.path.dirname(log_path), universal_newlines=True)
        except OSError as e:
            return None, {}, "cannot start: %s" % e, process
        q = queue.Queue()
        threading.Thread(target=reader, args=(proc.stdout, q), daemon=True).start()
        print("  [%s] start-up ..." % impl, end="", flush=True)
        while True:
            try:
                line = q.get(timeout=timeout)
            except queue.Empty:
                error = "no output for %d s: killed" % timeout
                proc.kill()
                break
            if line is None:
                break
            log.write("stdout: " + line)
            kind, _, payload = line.strip().partition(" ")
            if kind not in ("INFO", "ROUND", "RESULT"):
                continue
            try:
                obj = json.loads(payload)
            except ValueError:
                continue
            if kind == "INFO":
                info = obj
                process["startup"] = round(time.time() - t_start, 3)
                print(" %.1f s; rounds (s):" % process["startup"], end="", flush=True)
            elif kind == "ROUND":
                process["rounds"].append(obj["seconds"])
                print(" %.1f" % obj["seconds"], end="", flush=True)
            else:
                results[obj["op"]] = obj
        code = proc.wait()
        process["wall"] = round(time.time() - t_start, 3)
        process["cpu"] = round(children_cpu() - cpu_start, 3)
        process["exit_code"] = code
        log.write("=== exit code %s\n" % code)
    print("; %.0f s in all%s" % (process["wall"], "" if error is None else " (%s)" % error), flush=True)
    if error is None and (code != 0 or not results):
        error = "worker died (%s)" % exit_text(code)
        last = last_log_line(log_path)
        if last:
            error += ": " + last
        print("  [%s] %s" % (impl, error), flush=True)
    return info, results, error, process


def run_small(args, files):
    """The small-operations part: bench/small_ops.py once per column in args.small_impls, a fresh
    process each, one at a time. Returns the part of the JSON document that bench/report.py renders
    as the small-operations table (report.small_rows)."""
    commands = small_commands(args)
    infos, results, errors, processes = {}, {}, {}, {}
    print("small operations (bench/small_ops.py, %d rounds over three %d MiB maps):"
          % (args.small_rounds, SMALL_MB), flush=True)
    for impl in args.small_impls:
        cmd = commands[impl] + ["--rounds", str(args.small_rounds)] + list(files)
        if not os.access(cmd[0], os.X_OK):
            print("  [%s] %s not found or not executable" % (impl, cmd[0]), flush=True)
            errors[impl] = "%s not found" % cmd[0]
            continue
        log = os.path.join(BENCH_DIR, "logs", "small-%s.log" % impl)
        info, res, error, process = run_small_impl(impl, cmd, log, args.op_timeout)
        processes[impl] = process
        if info:
            infos[impl] = info
        results[impl] = res
        if error:
            errors[impl] = error
    return report.small_part({"rounds": args.small_rounds, "settled_rounds": 5, "size_mb": SMALL_MB,
                              "impls": list(args.small_impls),
                              "commands": {i: " ".join(os.path.relpath(c, ROOT) if os.path.isabs(c)
                                                       and c.startswith(ROOT) else c
                                                       for c in commands[i])
                                           for i in args.small_impls}},
                             infos, results, errors, processes)


def describe(rec):
    if "error" in rec:
        return "n/a (%s)" % rec["error"]
    text = "%s %s" % (fmt(rec["value"]), rec["unit"])
    extra = ["%d run%s" % (rec["runs"], "" if rec["runs"] == 1 else "s")]
    if "first" in rec:
        extra.append("first %s, first %d median %s" % (fmt(rec["first"]), rec["first_runs"], fmt(rec["first10"])))
    if rec.get("ok") is False:
        extra.append("WRONG RESULT %r, expected %r" % (rec.get("check"), rec.get("expected")))
    return "%s (%s, %.1f s)" % (text, ", ".join(extra), rec.get("seconds_total", 0))


# --- output ----------------------------------------------------------------------------------------


def build_rows(ops, lab, results, args, text_lines):
    rows = []
    for op in ops:
        row = {"op": op, "label": lab[op], "unit": None, "results": {}, "notes": []}
        for impl in args.impls:
            rec = results.get(impl, {}).get(ceiling_op(op) if impl == "ceiling" else op)
            if rec is None:
                continue
            row["results"][impl] = rec
            if "unit" in rec and row["unit"] is None:
                row["unit"] = rec["unit"]
            if "error" not in rec:
                if rec.get("ok") is False:
                    row["notes"].append("%s: wrong result %r (expected %r)"
                                        % (IMPL_TITLES[impl], rec.get("check"), rec.get("expected")))
                if op == "readline" and rec.get("check") != text_lines:
                    row["notes"].append("%s: read %r lines, the file has %d"
                                        % (IMPL_TITLES[impl], rec.get("check"), text_lines))
                if rec["runs"] < args.runs and not (impl == "ceiling" and ceiling_op(op) != op):
                    row["notes"].append("%s: %d timed run%s (time budget)"
                                        % (IMPL_TITLES[impl], rec["runs"], "" if rec["runs"] == 1 else "s"))
        if op in ("getitem", "getitem_anon"):
            sums = set(r.get("check") for r in row["results"].values() if "error" not in r)
            if len(sums) > 1:
                row["notes"].append("m[i] sums differ between implementations: %s" % sorted(sums))
        if row["unit"] is None:
            row["unit"] = UNITS.get(op, "")
        a = value(row, "fmmap")
        b = value(row, "stdlib")
        c = value(row, "ceiling")
        row["ratio"] = a / b if (a is not None and b and op != "gil") else None
        row["ratio_ceiling"] = a / c if (a is not None and c) else None
        if op == "find_par":
            threads = row["results"].get("fmmap", {}).get("search_threads", "absent")
            if threads is None:
                row["notes"].append("fmmap has no search threads (set_search_threads): the normal find path")
            elif threads != "absent":
                row["notes"].append("fmmap: %d search threads; ceiling: %d threads" % (threads, os.cpu_count() or 1))
        rows.append(row)
    return rows


def make_doc(machine, infos, rows, args, processes):
    """The run as one JSON document: what bench/report.py renders, and docs/results/ keeps."""
    return {"machine": machine, "runtimes": infos,
           "settings": {k: getattr(args, k) for k in ("full", "impls", "size_mb", "text_mb", "runs", "warmup",
                                                     "warmup_seconds", "warmup_max", "budget", "idle_max",
                                                     "index_count", "iter_mb", "slices", "page_flushes",
                                                     "gil_seconds", "processes")},
           "columns": {i: IMPL_TITLES[i] for i in args.impls},
           "processes": processes,
           "rows": [{"op": r["op"], "label": r["label"], "unit": r["unit"], "ratio_fmmap_cpython": r["ratio"],
                     "ratio_fmmap_ceiling": r["ratio_ceiling"],
                     "notes": r["notes"],
                     "values": {i: value(r, i) for i in args.impls},
                     # first: the first run's value; first10: the median of the first runs (<= 10)
                     "first": {i: r["results"][i].get("first") for i in args.impls if i in r["results"]},
                     "first10": {i: r["results"][i].get("first10") for i in args.impls if i in r["results"]},
                     "results": r["results"]} for r in rows]}


# --- main ------------------------------------------------------------------------------------------


def parse_ops(spec):
    """The rows that --only names, in table order of naming, and whether it names the
    small-operations part ("small")."""
    ops = []
    small = False
    for name in [s.strip() for s in spec.split(",") if s.strip()]:
        if name == SMALL:
            small = True
            continue
        for op in GROUPS.get(name, [name]):
            if op not in OPS:
                raise SystemExit("unknown operation %r; choose from %s (or the groups %s, or %s for "
                                 "the small-operations part)"
                                 % (op, ", ".join(OPS), ", ".join(sorted(GROUPS)), SMALL))
            if op not in ops:
                ops.append(op)
    return ops, small


def parse_args():
    """The options; those a preset sets (PRESETS) default to None here and take the preset's value
    (--full: "full", else "quick") unless given."""
    q, f = PRESETS["quick"], PRESETS["full"]

    def preset(key, what):
        return "%s (default %s, --full %s)" % (what, q[key], f[key])
    p = argparse.ArgumentParser(prog="bin/benchmark", description=__doc__.split("\n")[0])
    p.add_argument("--full", action="store_true",
                   help="the long run: GraalPy's built-in mmap too, longer warm-ups, more runs (see "
                        "PRESETS and docs/benchmark.md); without it a quick run of about 5 minutes")
    p.add_argument("--size-mb", type=int, default=1024, help="size of the letters file (MiB)")
    p.add_argument("--text-mb", type=int, default=100, help="size of the text file (MiB)")
    p.add_argument("--runs", type=int, help=preset("runs", "timed runs per operation (median)"))
    p.add_argument("--warmup", type=int, help=preset("warmup", "warm-up runs per operation, at least"))
    p.add_argument("--warmup-max", type=float,
                   help=preset("warmup_max", "seconds after which the warm-up (first runs included) "
                               "stops even if the runs have not settled (a fresh GraalPy process "
                               "needed ~15 s for readline to settle)"))
    p.add_argument("--warmup-seconds", type=float,
                   help=preset("warmup_seconds", "warm-up runs continue until this much time has been spent"))
    p.add_argument("--budget", type=float,
                   help=preset("budget", "seconds per operation after which no further timed run starts"))
    p.add_argument("--idle-max", type=float,
                   help=preset("idle_max", "seconds to wait at most, before the timed runs, for the "
                               "JIT's compiler threads to go idle"))
    p.add_argument("--only",
                   help="comma list of operations (or groups find, rfind, search, flush), and/or small "
                        "(the small-operations part); default: search, flush, gil and small; --full: "
                        "every row and small")
    p.add_argument("--small-impls", default="fmmap,builtin,stdlib",
                   help="the small-operations part's columns, in this order: comma list of %s "
                        "(default fmmap,builtin,stdlib)" % ", ".join(SMALL_IMPLS))
    p.add_argument("--with-25.2.4", dest="with_2524", action="store_true",
                   help="add fmmap-25.2.4,builtin-25.2.4 to --small-impls (GraalPy 25.2.4, "
                        "interpreted: several minutes more)")
    p.add_argument("--with-strict", action="store_true",
                   help="add fmmap-strict to --small-impls: fmmap in strict guard mode on bin/graalpy "
                        "(issue 22: what strict mode costs)")
    p.add_argument("--small-rounds", type=int, default=12,
                   help="rounds of the small-operations part (first = round 1, settled = median of the "
                        "last 5)")
    p.add_argument("--impls", help=preset("impls", "comma list of fmmap, builtin, stdlib, ceiling"))
    p.add_argument("--cpython", default=None,
                   help="CPython 3.12 (default $PYENV_ROOT/versions/3.12.1/bin/python3.12)")
    p.add_argument("--graalpy", default=os.path.join(ROOT, "bin", "graalpy"))
    p.add_argument("--graalpy-25.2.4", dest="graalpy_2524", default=os.path.join(ROOT, "bin", "graalpy-25.2.4"),
                   help="GraalPy 25.2.4's launcher (the small part's 25.2.4 columns)")
    p.add_argument("--json", metavar="PATH", help="write the table as JSON")
    p.add_argument("--svg", metavar="PATH", help="write a bar chart as SVG")
    p.add_argument("--index-count", type=int, help=preset("index_count", "m[i] per run"))
    p.add_argument("--iter-mb", type=int, help=preset("iter_mb", "MiB iterated per run"))
    p.add_argument("--slices", type=int, help=preset("slices", "4 KiB reads/writes per run (slice, read, write rows)"))
    p.add_argument("--page-flushes", type=int, default=200, help="one-page flushes per run")
    p.add_argument("--gil-seconds", type=float, help=preset("gil_seconds", "each phase of a GIL run"))
    p.add_argument("--processes", choices=("row", "map", "impl"),
                   help=preset("processes", "worker processes: a fresh one per row, one per map the "
                               "rows use, or one per implementation (see docs/benchmark.md)"))
    p.add_argument("--one-process", action="store_true", help="the same as --processes impl")
    p.add_argument("--op-timeout", type=int, default=300,
                   help="kill a worker that prints nothing for this many seconds")
    args = p.parse_args()
    if args.one_process:
        args.processes = "impl"
    for key, val in PRESETS["full" if args.full else "quick"].items():
        if getattr(args, key) is None:
            setattr(args, key, val)
    args.impls = [i.strip() for i in args.impls.split(",") if i.strip()]
    args.small_impls = [i.strip() for i in args.small_impls.split(",") if i.strip()]
    if args.with_2524:
        args.small_impls += [i for i in ("fmmap-25.2.4", "builtin-25.2.4") if i not in args.small_impls]
    if args.with_strict and "fmmap-strict" not in args.small_impls:
        args.small_impls.append("fmmap-strict")
    for i in args.small_impls:
        if i not in SMALL_IMPLS:
            raise SystemExit("unknown small-operations column %r; choose from %s" % (i, ", ".join(SMALL_IMPLS)))
    if args.small_rounds < 1:
        raise SystemExit("--small-rounds must be at least 1")
    for i in args.impls:
        if i not in IMPLS:
            raise SystemExit("unknown implementation %r; choose from %s" % (i, ", ".join(IMPLS)))
    if args.cpython is None:
        pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
        args.cpython = os.path.join(pyenv, "versions", "3.12.1", "bin", "python3.12")
    return args


def impl_ops(impl, ops):
    """The operations an implementation's workers run: all of them, but for the ceiling only the
    distinct searches its column needs (ceiling_op)."""
    if impl != "ceiling":
        return list(ops)
    out = []
    for op in ops:
        c = ceiling_op(op)
        if c is not None and c not in out:
            out.append(c)
    return out


def main():
    t_main = time.time()
    args = parse_args()
    ops, small = parse_ops(args.only)

    machine = machine_info()
    print("machine: %s, %s cores, %s GiB RAM" % (machine.get("cpu"), machine.get("cores"),
                                                 machine.get("ram_gib", "?")), flush=True)
    os.makedirs(os.path.join(BENCH_DIR, "logs"), exist_ok=True)
    data, text, scratch = letters_path(args.size_mb), text_path(args.text_mb), scratch_path()
    small_files = (letters_path(SMALL_MB), text_path(SMALL_MB), scratch_path(SMALL_MB))
    if ops:
        make_letters(data, args.size_mb)
        make_text(text, args.text_mb)
        make_scratch(scratch)
    if small:
        make_letters(small_files[0], SMALL_MB)
        make_text(small_files[1], SMALL_MB)
        make_scratch(small_files[2], SMALL_MB)
    print("warming the page cache ...", flush=True)
    text_lines = None
    if ops:
        warm_cache(data)
        text_lines = warm_cache(text)
        warm_cache(scratch)
    if small:
        for path in small_files:
            warm_cache(path)

    worker_args = ["--data", data, "--text", text, "--scratch", scratch,
                   "--runs", str(args.runs), "--warmup", str(args.warmup),
                   "--warmup-seconds", str(args.warmup_seconds), "--warmup-max", str(args.warmup_max),
                   "--budget", str(args.budget), "--idle-max", str(args.idle_max),
                   "--index-count", str(args.index_count), "--iter-mb", str(args.iter_mb),
                   "--slices", str(args.slices), "--page-flushes", str(args.page_flushes),
                   "--gil-seconds", str(args.gil_seconds)]
    commands = {"fmmap": [args.graalpy, OPS_PY, "--impl", "fmmap"],
                "builtin": [args.graalpy, OPS_PY, "--impl", "builtin"],
                "stdlib": [args.cpython, OPS_PY, "--impl", "stdlib"],
                "ceiling": [args.cpython, OPS_PY, "--impl", "ceiling"]}
    lab = labels(args)
    infos, results, processes = {}, {}, {}
    started = time.time()
    for impl in args.impls:
        todo = impl_ops(impl, ops)
        if not todo:
            continue
        exe = commands[impl][0]
        if not os.access(exe, os.X_OK):
            print("%s: %s not found or not executable" % (IMPL_TITLES[impl], exe), flush=True)
            results[impl] = {op: {"op": op, "error": "%s not found" % exe} for op in todo}
            continue
        print("%s: %s" % (IMPL_TITLES[impl], " ".join(commands[impl][:2] + ["..."])), flush=True)
        log = os.path.join(BENCH_DIR, "logs", "%s.log" % impl)
        open(log, "w").close()  # one invocation's log; restarted workers append to it
        # A process of its own per row (--full) or per map (default), as a program doing one thing
        # with a map would: in one process, fmmap's maps of several lengths are instances of
        # several ctypes subclasses, which makes GraalPy's call sites polymorphic (docs/benchmark.md).
        results[impl] = {}
        processes[impl] = []
        for batch in batches(todo, args.processes):
            info, res, procs = run_impl(impl, commands[impl], batch, worker_args, log, args.op_timeout, lab)
            if info:
                infos[impl] = info
            results[impl].update(res)
            processes[impl].extend(procs)

    small_doc = run_small(args, small_files) if small else None

    rows = build_rows(ops, lab, results, args, text_lines)
    print("\n== fmmap benchmark (%.0f s in all, %.0f s of it in the workers; worker logs in %s)\n"
          % (time.time() - t_main, time.time() - started,
             os.path.relpath(os.path.join(BENCH_DIR, "logs"), ROOT)))
    doc = make_doc(machine, infos, rows, args, processes)
    if small_doc is not None:
        doc["small"] = small_doc
    print(report.render(doc), end="")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        print("\nJSON written to %s" % args.json)
    if args.svg:
        if rows:
            report.write_svg(args.svg, doc)
            print("SVG written to %s" % args.svg)
        else:
            print("no SVG: the chart has the rows' values, and this run has none")


if __name__ == "__main__":
    main()
