"""A program made of small operations, timed round by round as a user's program meets them.

    python bench/small_ops.py --impl fmmap|mmap [--rounds 12] [--json PATH] DATA TEXT SCRATCH

One process runs every operation once per round over three 16 MiB maps (DATA read-only, TEXT
read-only lines, SCRATCH read-write), round after round, and prints one RESULT line per operation
with the rate of each round. The first round is what a short program gets; the median of the last
five is the settled rate. Before the rounds it prints an INFO line (the runtime), after each round a
ROUND line (its number and seconds), so that a driver can show progress and tell a hung run.
bench/run_benchmark.py starts it once per implementation (fmmap on GraalPy, GraalPy's built-in
mmap, CPython's mmap) and puts the columns side by side; it also runs alone. Runs on Python 2.7 too (Jython), where results are str.
"""
import json
import os
import sys
import time

try:
    from time import perf_counter
except ImportError:  # Python 2.7
    perf_counter = time.time

SLICE = 4096
# name: (what one call does, calls per round). Sized so that every operation takes a few hundred
# milliseconds per round on the slowest implementation measured (fmmap before issue 22).
OPS = (
    ("getitem", "m[i], file map", 1000000),
    ("getitem_anon", "m[i], anonymous map", 1000000),
    ("iter", "for b in m (1 MiB)", 1 << 20),
    ("seek", "seek(+64, 1), read(8), seek(-32, 1)", 100000),
    ("slice_read", "m[a:a+4096]", 16384),
    ("slice_write", "m[a:a+4096] = buf", 16384),
    ("read", "read(4096)", 16384),
    ("read_byte", "read_byte()", 1000000),
    ("readline", "readline() (~80-byte lines)", 100000),
    ("write", "write(4 KiB)", 16384),
    ("find_short", "find(b'\\n', pos), the next line end", 100000),
    ("tell", "tell()", 1000000),
)


def op_getitem(m, n):
    size = len(m)
    total = 0
    i = 0
    for _ in range(n):
        total += m[i]
        i += 7
        if i >= size:
            i -= size
    return total


def op_iter(m, n):
    count = 0
    for _ in m:
        count += 1
    return count


def op_seek(m, n):
    m.seek(0)
    seek = m.seek
    read = m.read
    limit = len(m) - 128
    got = 0
    for _ in range(n):
        seek(64, 1)
        got += len(read(8))
        seek(-32, 1)
        if m.tell() > limit:
            seek(0)
    return got


def op_slice_read(m, n):
    limit = len(m) - SLICE
    a = 0
    got = 0
    for _ in range(n):
        got += len(m[a:a + SLICE])
        a += SLICE
        if a > limit:
            a = 0
    return got


def op_slice_write(m, n):
    limit = len(m) - SLICE
    buf = b"w" * SLICE
    a = 0
    for _ in range(n):
        m[a:a + SLICE] = buf
        a += SLICE
        if a > limit:
            a = 0
    return n


def op_read(m, n):
    m.seek(0)
    read = m.read
    limit = len(m) - SLICE
    got = 0
    for _ in range(n):
        got += len(read(SLICE))
        if m.tell() > limit:
            m.seek(0)
    return got


def op_read_byte(m, n):
    m.seek(0)
    read_byte = m.read_byte
    limit = len(m) - 1
    total = 0
    for _ in range(n):
        b = read_byte()
        total += b if isinstance(b, int) else ord(b)
        if m.tell() >= limit:
            m.seek(0)
    return total


def op_readline(m, n):
    m.seek(0)
    readline = m.readline
    got = 0
    for _ in range(n):
        line = readline()
        if not line:
            m.seek(0)
        got += len(line)
    return got


def op_write(m, n):
    m.seek(0)
    write = m.write
    buf = b"v" * SLICE
    limit = len(m) - SLICE
    for _ in range(n):
        write(buf)
        if m.tell() > limit:
            m.seek(0)
    return n


def op_find_short(m, n):
    find = m.find
    pos = 0
    hits = 0
    for _ in range(n):
        at = find(b"\n", pos)
        if at < 0:
            pos = 0
            continue
        hits += 1
        pos = at + 1
    return hits


def op_tell(m, n):
    tell = m.tell
    total = 0
    for _ in range(n):
        total += tell()
    return total


def emit(kind, obj):
    sys.stdout.write("%s %s\n" % (kind, json.dumps(obj)))
    sys.stdout.flush()


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--impl", default="fmmap", help="the module: fmmap, or mmap (the runtime's own)")
    p.add_argument("--rounds", type=int, default=12)
    p.add_argument("--only", default="", help="comma-separated operations")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--guard", help="fmmap's guard mode for the maps (fast or strict; fmmap only)")
    p.add_argument("data")
    p.add_argument("text")
    p.add_argument("scratch")
    args = p.parse_args(argv)
    mod = __import__(args.impl)
    if args.guard:
        mod.set_guard_mode(args.guard)
    impl = getattr(sys, "implementation", None)
    emit("INFO", {"module": args.impl, "module_file": getattr(mod, "__file__", None) or "built-in",
                  "python": sys.version.split()[0], "sys_version": sys.version.replace("\n", " "),
                  "implementation": impl.name if impl else sys.platform,
                  "implementation_version": ".".join(str(x) for x in impl.version[:3]) if impl else None,
                  "executable": sys.executable, "rounds": args.rounds})
    files = [open(args.data, "rb"), open(args.text, "rb"), open(args.scratch, "r+b")]
    data = mod.mmap(files[0].fileno(), 0, access=mod.ACCESS_READ)
    text = mod.mmap(files[1].fileno(), 0, access=mod.ACCESS_READ)
    scratch = mod.mmap(files[2].fileno(), 0, access=mod.ACCESS_WRITE)
    anon = mod.mmap(-1, 1 << 24)
    anon[:] = bytes(bytearray(range(256))) * ((1 << 24) // 256)
    prefix = mod.mmap(files[0].fileno(), 1 << 20, access=mod.ACCESS_READ)
    maps = {"getitem": data, "getitem_anon": anon, "iter": prefix, "seek": data, "slice_read": data,
            "slice_write": scratch, "read": data, "read_byte": data, "readline": text,
            "write": scratch, "find_short": text, "tell": data}
    only = set(args.only.split(",")) if args.only else None
    ops = [(name, label, n) for name, label, n in OPS if only is None or name in only]
    rates = dict((name, []) for name, _, _ in ops)
    for k in range(args.rounds):
        t_round = perf_counter()
        for name, label, n in ops:
            fn = globals()["op_" + name.replace("_anon", "")]
            t = perf_counter()
            fn(maps[name], n)
            dt = perf_counter() - t
            rates[name].append(n / dt / 1e6)
        emit("ROUND", {"round": k + 1, "seconds": round(perf_counter() - t_round, 3)})
    out = []
    for name, label, n in ops:
        r = rates[name]
        last = sorted(r[-5:])
        result = {"op": name, "label": label, "unit": "M ops/s", "first": r[0],
                  "steady": last[len(last) // 2], "rounds": r}
        out.append(result)
        emit("RESULT", result)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    for m in (data, text, scratch, anon, prefix):
        m.close()
    for f in files:
        f.close()


if __name__ == "__main__":
    main(sys.argv[1:])
