"""Differential fuzzer: fmmap on GraalPy against CPython 3.13's mmap.

Runs on CPython 3.11 with hypothesis (pip install --target build/hypothesis-py311 hypothesis):

    python3 tests-python/fuzz/run_fuzz.py [--count N | --long] [--seed S] [--batch B]

Hypothesis generates N operation sequences (seeded, so a run is reproducible); they go in batches
to one long-lived `bin/graalpy executor.py fmmap` worker and one CPython 3.13 `executor.py mmap`
worker, and every outcome is compared (op results, exception type and message, final len/tell,
final file bytes). A CPython worker that dies (SIGBUS in the known 3.13.0 defects) is a "reference
crash": fmmap must have raised a clean exception in that sequence; the worker is restarted.
Mismatches are minimised (ops removed while the mismatch stays), printed as Python code and written
to tests-python/fuzz/mismatches.txt; the exit status is 1 if there is any.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "build", "hypothesis-py311"))
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(ROOT, "build", ".hypothesis"))

from hypothesis import HealthCheck, Phase, given, seed as hseed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EXECUTOR = os.path.join(HERE, "executor.py")
GRAALPY = os.path.join(ROOT, "bin", "graalpy")
# The reference interpreter: CPython 3.13 from pyenv (bin/test passes the one it found).
CPYTHON = os.environ.get("FMMAP_CPYTHON313") or os.path.join(
    os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv"), "versions", "3.13.0", "bin", "python3.13")
MISMATCHES = os.path.join(HERE, "mismatches.txt")

PAGE = 4096
PATTERN = b"hello\nworld\x00xyz\n\xff"
HUGE = [2**31 - 1, 2**31, -2**31 - 1, 2**63 - 1, 2**63, -2**63 - 1, 2**64, -2**64]
MADV = ["MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
        "MADV_FREE", "MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE",
        "MADV_UNMERGEABLE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP"]
# MADV_HWPOISON / SOFT_OFFLINE are never sent: as root they really poison pages.


def pattern(n):
    return (PATTERN * (n // len(PATTERN) + 1))[:n]


# ---------------------------------------------------------------------------------------------
# strategies (values are in executor.py's JSON encoding)

def enc_bytes(kind, data):
    return {kind: data.hex()}


wrong_type = st.sampled_from([None, {"s": "1"}, {"f": 1.0}, {"b": "01"}, {"ba": ""}, True])
huge = st.sampled_from(HUGE)
# sizes that must fail on both sides: a 2 GiB map that CPython accepts would be read whole by list(m)
huge_size = st.sampled_from([2**63, 2**64, -2**63 - 1, -2**64])


def index(bound):
    """Integers around [-bound, bound], edges, huge values, any 64-bit value and a little beyond,
    and (rarely) wrong types."""
    return st.one_of(
        st.integers(-bound - 3, bound + 3),
        st.integers(-bound - 3, bound + 3),
        st.integers(-bound - 3, bound + 3),
        st.sampled_from([0, 1, -1, bound, bound - 1, bound + 1, -bound, PAGE, 2 * PAGE]),
        huge,
        st.integers(-2**63 - 2, 2**63 + 1),
        wrong_type,
    )


def data_of(size_st):
    return size_st.flatmap(lambda n: st.tuples(st.sampled_from(["b", "b", "b", "ba", "mv"]),
                                               st.binary(min_size=n, max_size=n))
                           ).map(lambda t: enc_bytes(*t))


any_data = st.one_of(data_of(st.integers(0, 10)), data_of(st.integers(0, 10)),
                     st.sampled_from([{"s": "ab"}, 7, None, [1, 2]]))


def needle(content):
    subs = [b"", b"\n", b"o", b"lo", b"xyz\n", b"\xff", b"\x00", b"hello\nworld", b"zz"]
    if content:
        subs.append(content[-3:])
        subs.append(content[:2])
    return st.one_of(st.sampled_from(subs).map(lambda b: {"b": b.hex()}),
                     st.binary(max_size=3).map(lambda b: {"b": b.hex()}),
                     st.sampled_from([{"ba": "6f"}, {"mv": "0a"}, {"s": "o"}, 111, None]))


def slice_of(bound):
    part = st.one_of(st.none(), st.integers(-bound - 3, bound + 3), huge)
    step = st.one_of(st.none(), st.sampled_from([1, 2, 3, -1, -2, -3, 0, 2**63, -2**63 - 1,
                                                 2**31, -2**31, bound, -bound]),
                     st.integers(-5, 5))
    return st.tuples(part, part, step)


def slice_len(bound, s):
    try:
        return len(range(bound)[slice(*s)])
    except (ValueError, OverflowError):
        return 0


@st.composite
def op(draw, bound, content):
    kind = draw(st.sampled_from([
        "read", "read", "read_byte", "readline", "write", "write", "write_byte", "seek", "seek",
        "tell", "find", "find", "rfind", "rfind", "getitem", "getitem", "getslice", "getslice",
        "setitem", "setslice", "setslice", "delitem", "move", "flush", "madvise", "resize",
        "size", "len", "close", "list", "reversed", "contains", "repr", "closed"]))
    ix = index(bound)
    if kind == "read":
        return ["read"] + draw(st.one_of(st.just([]), st.tuples(ix).map(list),
                                         st.just([None]), st.just([{"s": "x"}])))
    if kind in ("read_byte", "readline", "tell", "size", "len", "list", "reversed", "repr",
                "closed"):
        return [kind]
    if kind == "close":
        # keep mid-sequence closes rare enough that most sequences stay open
        return [draw(st.sampled_from(["close", "tell", "len"]))]
    if kind == "write":
        return ["write", draw(any_data)]
    if kind == "write_byte":
        return ["write_byte", draw(st.one_of(st.integers(-2, 258), st.sampled_from([0, 255]),
                                             huge, wrong_type))]
    if kind == "seek":
        return ["seek"] + draw(st.one_of(st.tuples(ix).map(list),
                                         st.tuples(ix, st.one_of(st.integers(-1, 3),
                                                                 wrong_type)).map(list)))
    if kind in ("find", "rfind"):
        nd = needle(content)
        return [kind] + draw(st.one_of(st.tuples(nd).map(list), st.tuples(nd, ix).map(list),
                                       st.tuples(nd, ix, ix).map(list)))
    if kind == "getitem":
        return ["getitem", draw(ix)]
    if kind == "getslice":
        return ["getitem", {"slice": list(draw(slice_of(bound)))}]
    if kind == "setitem":
        return ["setitem", draw(ix), draw(st.one_of(st.integers(-1, 256), st.integers(0, 255),
                                                    huge, wrong_type, st.just({"b": "41"})))]
    if kind == "setslice":
        s = draw(slice_of(bound))
        n = slice_len(bound, s)
        value = draw(st.one_of(data_of(st.just(n)), data_of(st.just(n)), data_of(st.just(n)),
                               data_of(st.integers(0, n + 2)), any_data))
        return ["setitem", {"slice": list(s)}, value]
    if kind == "delitem":
        return ["delitem", draw(st.one_of(ix, slice_of(bound).map(lambda s: {"slice": list(s)})))]
    if kind == "move":
        return ["move", draw(ix), draw(ix), draw(st.one_of(st.integers(-2, bound + 2), ix))]
    if kind == "flush":
        off = st.one_of(st.sampled_from([0, PAGE, 2 * PAGE]), ix)
        return ["flush"] + draw(st.one_of(st.just([]), st.tuples(off).map(list),
                                          st.tuples(off, ix).map(list)))
    if kind == "madvise":
        opt = st.one_of(st.sampled_from(MADV).map(lambda n: {"rel": n}),
                        st.sampled_from([999, -1, None]))
        start = st.one_of(st.sampled_from([0, PAGE, 2 * PAGE]), ix)
        return ["madvise"] + draw(st.one_of(st.tuples(opt).map(list),
                                            st.tuples(opt, start).map(list),
                                            st.tuples(opt, start, ix).map(list)))
    if kind == "resize":
        return ["resize", draw(st.one_of(st.integers(1, bound + 20), st.integers(1, bound + 20),
                                         st.just(0),
                                         st.sampled_from([0, 1, PAGE, PAGE + 1, 3 * PAGE]),
                                         st.integers(-3, -1), huge_size, wrong_type))]
    if kind == "contains":
        return ["contains", draw(st.one_of(st.binary(max_size=2).map(lambda b: {"b": b.hex()}),
                                           st.integers(0, 255), st.just({"s": "h"})))]
    raise AssertionError(kind)


@st.composite
def sequence(draw):
    wild = draw(st.integers(0, 4)) == 0  # allow invalid constructor arguments
    src = draw(st.sampled_from(["file"] * 12 + [-1, -1, -1] + (["bad"] if wild else [])))
    content = None
    if src != -1:
        size = draw(st.one_of(st.integers(0, 40), st.integers(0, 40),
                              st.sampled_from([PAGE - 1, PAGE, PAGE + 1, 2 * PAGE + 7]),
                              st.integers(0, 3 * PAGE + 50)))
        content = draw(st.one_of(st.just(pattern(size)),
                                 st.binary(min_size=min(size, 40), max_size=min(size, 40))))
    n = len(content) if content is not None else 0
    seq = {"fileno": src, "content": None if content is None else content.hex()}
    if src == "file" and wild and draw(st.booleans()):
        seq["mode"] = "r"
    # length
    if src == -1:
        length = draw(st.one_of(st.integers(1, 64), st.sampled_from([PAGE, PAGE + 3, 2 * PAGE]),
                                *([st.sampled_from([0, -1]), huge_size, st.just({"s": "4"})]
                                  if wild else [])))
    else:
        length = draw(st.one_of(st.just(0), st.just(0), st.just(n), st.integers(0, n + 2),
                                *([st.sampled_from([n + 1, -1, PAGE]), huge, wrong_type]
                                  if wild else [])))
    args, kwargs = [length], {}
    bound = length if isinstance(length, int) and 0 < length < 10**6 else max(n, 1)
    # flags / prot / access
    mode = draw(st.sampled_from(["none", "access", "access", "access", "flags", "flags",
                                 "positional"] + (["both"] if wild else [])))
    access = st.one_of(st.integers(0, 3), *([st.sampled_from([4, -1, None])] if wild else []))
    flags = st.sampled_from([{"rel": "MAP_SHARED"}, {"rel": "MAP_PRIVATE"}, {"rel": "MAP_SHARED"}]
                            + ([{"rel": "MAP_POPULATE"}, 0, {"s": "x"}] if wild else []))
    prot = st.sampled_from([3, 3, 1] + ([{"s": "x"}] if wild else []))
    if mode == "positional" and not wild:
        access = st.just(0)
    if mode == "access":
        kwargs["access"] = draw(access)
    elif mode == "flags":
        if draw(st.booleans()):
            kwargs["flags"] = draw(flags)
        if draw(st.booleans()):
            kwargs["prot"] = draw(prot)
    elif mode == "both":
        kwargs["flags"] = draw(flags)
        kwargs["prot"] = draw(prot)
        kwargs["access"] = draw(access)
    elif mode == "positional":
        args += [draw(flags), draw(prot), draw(access)]
    # offset
    off = draw(st.one_of(st.none(), st.none(), st.none(),
                         st.sampled_from([0, PAGE, 2 * PAGE, n - n % PAGE]),
                         *([st.sampled_from([1, 100, -PAGE, n, n + PAGE]), huge] if wild else [])))
    if off is not None:
        if mode == "positional" and draw(st.booleans()):
            args.append(off)
        else:
            kwargs["offset"] = off
        if isinstance(off, int) and 0 < off < n and length == 0:
            bound = max(n - off, 1)
    td = draw(st.sampled_from([None, None, None, True, False]))
    if td is not None:
        kwargs["trackfd"] = td
    seq["args"] = args
    seq["kwargs"] = kwargs
    nops = draw(st.integers(0, 20))
    opst = op(min(bound, 2 * PAGE + 64), content)
    seq["ops"] = [draw(opst) for _ in range(nops)]
    return seq


ROUND = 2000


def generate(count, seed_value):
    out = []
    salt = 0
    while len(out) < count:
        @settings(max_examples=count - len(out), database=None, deadline=None,
                  phases=[Phase.generate], derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @hseed(seed_value * 1000003 + salt)
        @given(sequence())
        def collect(s):
            out.append(s)
        before = len(out)
        collect()
        salt += 1
        if len(out) == before:
            break
    for i, s in enumerate(out[:count]):
        s["id"] = i
    return out[:count]


# ---------------------------------------------------------------------------------------------
# workers

class WorkerDied(Exception):
    pass


class Worker(object):
    def __init__(self, name, argv, start_timeout):
        self.name = name
        self.argv = argv
        self.start_timeout = start_timeout
        self.proc = None
        self.restarts = 0

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(HERE, ".%s.stderr" % self.name),
                                                 "ab"),
                                     bufsize=0)
        self.lines = queue.Queue()
        t = threading.Thread(target=self._reader, args=(self.proc, self.lines), daemon=True)
        t.start()

    def wait_ready(self):
        line = self.lines.get(timeout=self.start_timeout)
        if line is None:
            raise RuntimeError("%s worker failed to start (rc=%s)" % (self.name, self.proc.wait()))
        self.info = json.loads(line)

    @staticmethod
    def _reader(proc, q):
        for line in proc.stdout:
            q.put(line)
        q.put(None)

    def send(self, seqs):
        data = (json.dumps(seqs) + "\n").encode()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # noticed by the reader

    def receive(self, timeout=120):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise WorkerDied("hang (no result within %ss)" % timeout)
        if line is None:
            rc = self.proc.wait()
            raise WorkerDied("exit status %s" % rc)
        return json.loads(line)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self):
        self.kill()
        self.restarts += 1
        self.start()
        self.wait_ready()


def run_batch(worker, seqs):
    """Returns one result per sequence; a sequence the worker died on gets {"died": reason}."""
    results = []
    pending = list(seqs)
    while pending:
        worker.send(pending)
        done = 0
        try:
            for _ in pending:
                results.append(worker.receive())
                done += 1
        except WorkerDied as e:
            results.append({"id": pending[done].get("id"), "died": str(e)})
            pending = pending[done + 1:]
            worker.restart()
            continue
        pending = []
    return results


def run_both(fm, ref, seqs):
    # send to both first so that they work in parallel
    out = {}

    def go(w, key):
        out[key] = run_batch(w, seqs)
    t = threading.Thread(target=go, args=(ref, "ref"))
    t.start()
    go(fm, "fm")
    t.join()
    return out["fm"], out["ref"]


# ---------------------------------------------------------------------------------------------
# comparison

FIELDS = ["open", "ops", "closed", "len", "tell", "final_close", "file", "harness_error", "died"]


def _has_none_find(op_):
    return op_[0] in ("find", "rfind") and None in op_[2:]


def compare(seq, fm, ref):
    """Returns (kind, details): kind None (equal), 'known' (only documented deviations),
    'refcrash', 'refcrash-unclean' or 'mismatch'."""
    if "died" in ref:
        clean = "died" not in fm and "harness_error" not in fm and any(
            r[0] == "exc" for o, r in zip(seq["ops"], fm.get("ops", [])) if o[0] == "resize")
        return ("refcrash" if clean else "refcrash-unclean"), [ref["died"]]
    known = []
    diffs = []
    fm_ops, ref_ops = fm.get("ops", []), ref.get("ops", [])
    for i, (o, a, b) in enumerate(zip(seq["ops"], fm_ops, ref_ops)):
        if o[0] == "resize" and o[1:] == [0] and seq["fileno"] == "file" \
                and a == ["exc", "OSError: [Errno 22] Invalid argument"]:
            # CPython 3.13.0 truncates the file before failing (and faults on the next access);
            # fmmap leaves the file alone (docs/compat.md). Compare no further.
            if a != b or known:
                known.append("op %d: resize(0) of a file map" % i)
                return "known", known
            return "known", ["op %d: resize(0) of a file map" % i]
        if a == b:
            continue
        # find/rfind(sub, None...): fmmap backports 3.14.1's None start/end (docs/compat.md)
        if _has_none_find(o) and b[0] == "exc" and "NoneType" in b[1]:
            known.append("op %d: find None" % i)
            continue
        # CPython 3.15 changes that fmmap follows (docs/compat.md): flush's size -1 (its new
        # default) means to the end of the map; size() of an anonymous map is its length, and
        # without the descriptor (trackfd=False) raises ValueError.
        if o[0] == "flush" and b == ["exc", "ValueError: flush values out of range"] \
                and (a[0] == "ok" or a[1] == "OSError: [Errno 22] Invalid argument") \
                and (len(o) == 2 or (len(o) == 3 and o[2] == -1)):
            known.append("op %d: flush to the end (3.15)" % i)
            continue
        if o[0] in ("find", "rfind") and isinstance(o[1], dict) and list(o[1].values()) == [""] \
                and a == ["ok", -1] and b[0] == "ok" and b[1] != -1:
            known.append("op %d: find with start past the end (3.15)" % i)
            continue
        if o[0] == "size" and b[0] == "exc" and b[1].startswith("OSError: [Errno 9]") and (
                a[0] == "ok" or a[1] == "ValueError: can't get size with trackfd=False"):
            known.append("op %d: size() (3.15)" % i)
            continue
        # fmmap refuses what CPython 3.13.0 does destructively (docs/compat.md, "deliberately
        # better"): resize(0) of a file map (CPython truncates the file, raises EINVAL, then
        # SIGBUS) and growing a shared anonymous map (SIGBUS once touched). The states part.
        if o[0] == "resize" and a[0] == "exc" and (
                a[1] == "ValueError: mmap: can't expand a shared anonymous mapping on Linux"
                or (o[1] == 0 and seq["fileno"] == "file"
                    and a[1] == "OSError: [Errno 22] Invalid argument")):
            known.append("op %d: resize refused" % i)
            return "known", known
        # madvise(MADV_REMOVE) on a read-only map: CPython punches a hole in the file; fmmap's
        # read-only maps are private underneath, so the kernel refuses (docs/compat.md).
        if o[0] == "madvise" and o[1] == {"rel": "MADV_REMOVE"} and a[0] == "exc" \
                and a[1].startswith("PermissionError") and b[0] == "ok":
            known.append("op %d: MADV_REMOVE on a read-only map" % i)
            return "known", known
        diffs.append("op %d %s: fmmap %s / mmap %s" % (i, json.dumps(o), short(a), short(b)))
        break
    if len(fm_ops) != len(ref_ops):
        diffs.append("op count: fmmap %d / mmap %d" % (len(fm_ops), len(ref_ops)))
    for f in FIELDS:
        if f != "ops" and fm.get(f) != ref.get(f):
            diffs.append("%s: fmmap %s / mmap %s" % (f, short(fm.get(f)), short(ref.get(f))))
    if diffs:
        return "mismatch", diffs
    return ("known" if known else None), known


def signature(det):
    """A mismatch's class, for reporting one reproducer per class."""
    import re
    first = det[0]
    first = re.sub(r"^op \d+ ", "op ", first)
    first = re.sub(r'\{"[a-z]+": "[0-9a-f]*"\}', "<v>", first)
    return re.sub(r"-?\d+", "N", first)


def short(v):
    s = json.dumps(v)
    return s if len(s) < 300 else s[:300] + "...(%d chars)" % len(s)


def minimise(fm_w, ref_w, seq):
    """Greedily drops ops while the sequence still mismatches."""
    cur = seq
    while cur["ops"]:
        cands = []
        for i in range(len(cur["ops"]) - 1, -1, -1):
            c = dict(cur)
            c["ops"] = cur["ops"][:i] + cur["ops"][i + 1:]
            cands.append(c)
        fm_r, ref_r = run_both(fm_w, ref_w, cands)
        for c, a, b in zip(cands, fm_r, ref_r):
            if compare(c, a, b)[0] == "mismatch":
                cur = c
                break
        else:
            break
    return cur


# ---------------------------------------------------------------------------------------------
# rendering a sequence as Python

def pyval(v):
    if isinstance(v, dict):
        if "b" in v:
            return repr(bytes.fromhex(v["b"]))
        if "ba" in v:
            return "bytearray(%r)" % bytes.fromhex(v["ba"])
        if "mv" in v:
            return "memoryview(%r)" % bytes.fromhex(v["mv"])
        if "s" in v:
            return repr(v["s"])
        if "f" in v:
            return repr(float(v["f"]))
        if "rel" in v:
            return "mmap." + v["rel"]
        if "slice" in v:
            a, b, c = [pyval(x) if x is not None else "" for x in v["slice"]]
            return "%s:%s:%s" % (a, b, c) if c else "%s:%s" % (a, b)
    if isinstance(v, list):
        return "[%s]" % ", ".join(pyval(x) for x in v)
    return repr(v)


def render(seq):
    lines = ["import mmap, os, tempfile  # or: import fmmap as mmap"]
    content = seq.get("content")
    if content is not None:
        data = bytes.fromhex(content)
        expr = ("(%r * %d)[:%d]" % (PATTERN, len(data) // len(PATTERN) + 1, len(data))
                if len(data) > 40 and data == pattern(len(data)) else repr(data))
        lines.append("path = tempfile.mktemp()")
        lines.append("with open(path, 'wb') as f: f.write(%s)" % expr)
    if seq["fileno"] == "file":
        lines.append("fd = os.open(path, os.%s)" % ("O_RDONLY" if seq.get("mode") == "r"
                                                    else "O_RDWR"))
        fileno = "fd"
    elif seq["fileno"] == "bad":
        fileno = "987  # not an open fd"
    else:
        fileno = "-1"
    args = [pyval(a) for a in seq["args"]]
    args += ["%s=%s" % (k, pyval(v)) for k, v in sorted(seq["kwargs"].items())]
    lines.append("m = mmap.mmap(%s)" % ", ".join([fileno.split()[0]] + args))
    for o in seq["ops"]:
        name, a = o[0], o[1:]
        if name == "getitem":
            s = "m[%s]" % pyval(a[0])
        elif name == "setitem":
            s = "m[%s] = %s" % (pyval(a[0]), pyval(a[1]))
        elif name == "delitem":
            s = "del m[%s]" % pyval(a[0])
        elif name == "len":
            s = "len(m)"
        elif name == "list":
            s = "list(m)"
        elif name == "reversed":
            s = "list(reversed(m))"
        elif name == "contains":
            s = "%s in m" % pyval(a[0])
        elif name == "repr":
            s = "repr(m)"
        elif name == "closed":
            s = "m.closed"
        else:
            s = "m.%s(%s)" % (name, ", ".join(pyval(x) for x in a))
        lines.append(s)
    lines.append("len(m), m.tell(); m.close()")
    if content is not None:
        lines.append("open(path, 'rb').read()")
    return "\n".join(lines)


def annotate(seq, fm, ref):
    """The rendered sequence with both outcomes after each op."""
    code = render(seq).split("\n")
    nops = len(seq["ops"])
    head = code[:len(code) - nops - 1 - (1 if seq.get("content") is not None else 0)]
    body = code[len(head):len(head) + nops]
    out = list(head)
    out[-1] += "   # fmmap %s | mmap %s" % (fm.get("open"), ref.get("open"))
    for i, line in enumerate(body):
        a = fm.get("ops", [None] * nops)[i] if i < len(fm.get("ops", [])) else None
        b = ref.get("ops", [None] * nops)[i] if i < len(ref.get("ops", [])) else None
        mark = "" if a == b else "   # <-- fmmap %s | mmap %s" % (short(a), short(b))
        out.append(line + mark)
    out.extend(code[len(head) + nops:])
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--long", action="store_true", help="100000 sequences")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--no-minimise", action="store_true")
    ap.add_argument("--max-minimise", type=int, default=30,
                    help="minimise only the first N mismatches")
    opts = ap.parse_args()
    count = 100000 if opts.long else opts.count

    t0 = time.time()
    fm_w = Worker("fmmap", [GRAALPY, EXECUTOR, "fmmap"], 600)
    ref_w = Worker("mmap", [CPYTHON, EXECUTOR, "mmap"], 60)
    fm_w.start()   # GraalPy starts while hypothesis generates
    ref_w.start()
    mismatches, refcrashes, unclean, known = [], 0, [], 0
    t_gen = 0.0
    done = 0
    # Rounds of at most ROUND sequences, generated then run, so that a long run reports progress and
    # holds one round in memory; round 0 is what `--count ROUND --seed S` always generated.
    for rnd, start_id in enumerate(range(0, count, ROUND)):
        t_g = time.time()
        seqs = generate(min(ROUND, count - start_id), opts.seed + rnd * 7919)
        for s_ in seqs:
            s_["id"] += start_id
        t_gen += time.time() - t_g
        if rnd == 0:
            fm_w.wait_ready()
            ref_w.wait_ready()
        for start in range(0, len(seqs), opts.batch):
            batch = seqs[start:start + opts.batch]
            fm_r, ref_r = run_both(fm_w, ref_w, batch)
            for s, a, b in zip(batch, fm_r, ref_r):
                kind, det = compare(s, a, b)
                if kind == "refcrash":
                    refcrashes += 1
                elif kind == "refcrash-unclean":
                    refcrashes += 1
                    unclean.append((s, a, b, det))
                elif kind == "known":
                    known += 1
                elif kind == "mismatch":
                    mismatches.append((s, a, b, det))
        done += len(seqs)
        if count > ROUND:
            sys.stderr.write("fuzz: %d/%d sequences, %d mismatches, %d reference crashes (%.0fs)\n"
                             % (done, count, len(mismatches), refcrashes, time.time() - t0))
            sys.stderr.flush()
    t_run = time.time() - t0

    report = []
    classes = {}
    for s, a, b, det in mismatches:
        classes.setdefault(signature(det), []).append((s, a, b, det))
    for n, (sig, members) in enumerate(sorted(classes.items(), key=lambda kv: kv[1][0][0]["id"])):
        s, a, b, det = members[0]
        report.append("## class %d: %d sequence(s) %s: %s" % (
            n + 1, len(members), [m[0]["id"] for m in members][:20], sig))
        small = s if (opts.no_minimise or n >= opts.max_minimise) else minimise(fm_w, ref_w, s)
        if small is not s:
            (a2,), (b2,) = run_both(fm_w, ref_w, [small])
            kind, det2 = compare(small, a2, b2)
            if kind == "mismatch":
                s, a, b, det = small, a2, b2, det2
        report.append("### sequence %s (seed %d)\n%s\n# differences:\n#  %s\n" % (
            s["id"], opts.seed, annotate(s, a, b), "\n#  ".join(det)))
    for s, a, b, det in unclean:
        report.append("### reference crash without a clean fmmap exception, sequence %s (seed %d)"
                      "\n%s\n# mmap worker: %s; fmmap: %s\n" % (
                          s["id"], opts.seed, annotate(s, a, b), det, short(a)))
    fm_w.kill()
    ref_w.kill()
    if report:
        text = "\n".join(report)
        print(text)
        with open(MISMATCHES, "w") as f:
            f.write(text)
    elif os.path.exists(MISMATCHES):
        os.unlink(MISMATCHES)
    print("%d mismatch classes; %d sequences differed only by documented deviations"
          % (len(classes), known), file=sys.stderr)
    print("generation %.1fs, total %.1fs (+%.1fs minimising); fmmap worker restarts %d, "
          "mmap worker restarts %d" % (t_gen, t_run, time.time() - t0 - t_run, fm_w.restarts,
                                       ref_w.restarts), file=sys.stderr)
    print("fuzz: %d sequences, %d mismatches, %d reference crashes"
          % (done, len(mismatches) + len(unclean), refcrashes))
    sys.exit(1 if (mismatches or unclean) else 0)


if __name__ == "__main__":
    main()
