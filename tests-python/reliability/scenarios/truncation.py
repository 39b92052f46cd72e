"""Scenario 3 (under bin/graalpy): map a 16-page file, tell the driver 'MAPPED', wait for it to
truncate the file to one page (driver answers 'TRUNCATED' on stdin), then run each method that
touches the lost pages. Protocol on stdout: 'BEGIN name' before a method, 'RESULT {json}' after.
If the process dies between BEGIN and RESULT, the driver records a crash and restarts with the
remaining methods. argv: path method[,method...]"""
import json, sys
import fmmap as mmap

path, names = sys.argv[1], sys.argv[2].split(",")
PG = mmap.PAGESIZE
LOST = 5 * PG + 17          # an index inside the lost pages


def summarize(v):
    if isinstance(v, (bytes, bytearray)):
        v = bytes(v)
        kind = "zeros" if v.count(0) == len(v) else ("file-data" if v.count(b"D"[0]) == len(v) else "mixed")
        return "%d bytes (%s)" % (len(v), kind)
    if isinstance(v, int) and not isinstance(v, bool):
        return "int %d" % v
    return repr(v)[:80]


def do_iter(m):
    n = z = 0
    for b in m:
        n += 1
        z += b == b"\x00"
    return "iterated %d items, %d zero bytes" % (n, z)


def do_reversed(m):
    return "reversed %d items" % sum(1 for _ in reversed(m))


def do_buffer(m):
    # The buffer protocol hands Python the raw address: nothing of fmmap runs on this access.
    view = memoryview(m)
    return view.cast("B")[LOST] if view.format != "B" else view[LOST]


def step_set(m):
    m[4 * PG:8 * PG:3] = b"s" * len(range(4 * PG, 8 * PG, 3))


def setitem(m):
    m[LOST] = 7


METHODS = {
    "getitem": lambda m: m[LOST],
    "slice": lambda m: m[4 * PG:8 * PG],
    "step_slice": lambda m: m[8 * PG:4 * PG:-5],
    "read": lambda m: (m.seek(3 * PG), m.read(4 * PG))[1],
    "read_byte": lambda m: (m.seek(LOST), m.read_byte())[1],
    "readline": lambda m: (m.seek(3 * PG), m.readline())[1],
    "find": lambda m: m.find(b"\x01\x02", PG),
    "rfind": lambda m: m.rfind(b"\x01\x02"),
    "write": lambda m: (m.seek(4 * PG), m.write(b"W" * (2 * PG)))[1],
    "write_byte": lambda m: (m.seek(LOST), m.write_byte(9))[1],
    "setitem": setitem,
    "step_setitem": step_set,
    "slice_setitem": lambda m: m.__setitem__(slice(4 * PG, 5 * PG), b"x" * PG),
    "move": lambda m: (m.move(2 * PG, 6 * PG, 2 * PG), m[2 * PG:2 * PG + 4])[1],
    "iteration": do_iter,
    "reversed": do_reversed,
    "flush": lambda m: m.flush(),     # msync over the whole map, lost pages included
    "buffer": do_buffer,
}

with open(path, "r+b") as f:
    m = mmap.mmap(f.fileno(), 16 * PG)
    print("MAPPED")
    sys.stdout.flush()
    assert sys.stdin.readline().strip() == "TRUNCATED"
    for name in names:
        print("BEGIN " + name)
        sys.stdout.flush()
        try:
            v = METHODS[name](m)
            res = {"method": name, "outcome": "data", "detail": summarize(v)}
        except Exception as e:
            res = {"method": name, "outcome": "exception", "detail": "%s: %s" % (type(e).__name__, e)}
        except BaseException as e:   # e.g. polyglot.ForeignException: not clean
            res = {"method": name, "outcome": "foreign", "detail": "%s: %s" % (type(e).__name__, str(e)[:200])}
        print("RESULT " + json.dumps(res))
        sys.stdout.flush()
    m.close()
