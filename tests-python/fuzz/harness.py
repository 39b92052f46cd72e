"""What the differential fuzzers share: strategies' building blocks, the workers, the comparison,
minimisation, rendering a sequence as Python, and the driver.

A fuzzer is a Mode (run_fuzz.py has CPython 3.13's, fuzz27.py CPython 2.7's): the two interpreters
that run tests-python/fuzz/executor.py, the hypothesis strategy of one sequence, the differences it
knows (each documented in docs/compat.md) and the name of its summary line.
"""
import json
import os
import queue
import re
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
PYENV = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")

PAGE = 4096
PATTERN = b"hello\nworld\x00xyz\n\xff"
HUGE = [2**31 - 1, 2**31, -2**31 - 1, 2**63 - 1, 2**63, -2**63 - 1, 2**64, -2**64]


class Mode(object):
    """One differential fuzzer. Subclasses set:
      name, summary     its label and the first word of its summary line ("fuzz", "fuzz-2.7")
      fmmap_argv, reference_argv, fmmap_start_timeout
      python2           the executor runs Python 2 (rendering opens files as 2.7 code does)
      fields            the final fields compared after the ops
    and define sequence() (a hypothesis strategy of one sequence), known_difference() and
    clean_crash()."""
    name = summary = None
    fmmap_argv = reference_argv = None
    fmmap_start_timeout = 600
    reference_start_timeout = 60
    python2 = False
    fields = ["open", "ops", "closed", "len", "tell", "final_close", "file", "harness_error",
              "died"]

    def sequence(self):
        raise NotImplementedError

    def known_difference(self, seq, i, op, fm, ref):
        """For op i of seq and both results (called for every op, equal or not): None, or
        ("continue", label) for a documented difference after which the states still agree, or
        ("stop", label) for one after which they part (nothing later is compared)."""
        return None

    def clean_crash(self, seq, fm):
        """Whether fmmap's results show the clean exception expected where the reference died:
        CPython's SIGBUS (3.13.0's and 2.7.18's alike) follows a resize that fmmap refuses."""
        return any(r[0] == "exc" for o, r in zip(seq["ops"], fm.get("ops", []))
                   if o[0] == "resize")

    @property
    def mismatches_path(self):
        return os.path.join(HERE, "mismatches%s.txt" % ("" if self.summary == "fuzz"
                                                       else self.summary[len("fuzz"):]))


def find_with_none_bound(op):
    """Whether op is a find or rfind given None for start or end, which both fuzzers' references
    refuse (3.x before 3.13's change, 2.7 always) and fmmap takes as the missing bound."""
    return op[0] in ("find", "rfind") and None in op[2:]


def pattern(n):
    return (PATTERN * (n // len(PATTERN) + 1))[:n]


# ---------------------------------------------------------------------------------------------
# strategies' building blocks (values are in executor.py's JSON encoding)

def enc_bytes(kind, data):
    return {kind: data.hex()}


huge = st.sampled_from(HUGE)
# sizes that must fail on both sides: a 2 GiB map that CPython accepts would be read whole by list(m)
huge_size = st.sampled_from([2**63, 2**64, -2**63 - 1, -2**64])


def index(bound, wrong, extra=()):
    """Integers around [-bound, bound], edges, huge values, any 64-bit value and a little beyond,
    then the extra strategies, and (rarely) the wrong types."""
    return st.one_of(
        st.integers(-bound - 3, bound + 3),
        st.integers(-bound - 3, bound + 3),
        st.integers(-bound - 3, bound + 3),
        st.sampled_from([0, 1, -1, bound, bound - 1, bound + 1, -bound, PAGE, 2 * PAGE]),
        huge,
        st.integers(-2**63 - 2, 2**63 + 1),
        *(list(extra) + [wrong])
    )


def data_of(size_st, kinds=("b", "b", "b", "ba", "mv")):
    """Data of a drawn size, as one of the encoded kinds."""
    return size_st.flatmap(lambda n: st.tuples(st.sampled_from(list(kinds)),
                                               st.binary(min_size=n, max_size=n))
                           ).map(lambda t: enc_bytes(*t))


def slice_of(bound):
    part = st.one_of(st.none(), st.integers(-bound - 3, bound + 3), huge)
    step = st.one_of(st.none(), st.sampled_from([1, 2, 3, -1, -2, -3, 0, 2**63, -2**63 - 1,
                                                 2**31, -2**31, bound, -bound]),
                     st.integers(-5, 5))
    return st.tuples(part, part, step)


def slice_len(bound, s):
    try:
        return len(range(bound)[slice(*s)])
    except (ValueError, OverflowError, TypeError):
        return 0


def needle_of(content, other_needles):
    """find's first argument: bytes both Pythons search for (some from the content), then the
    mode's other_needles(those bytes)."""
    subs = [b"", b"\n", b"o", b"lo", b"xyz\n", b"\xff", b"\x00", b"hello\nworld", b"zz"]
    if content:
        subs.append(content[-3:])
        subs.append(content[:2])
    return st.one_of(st.sampled_from(subs).map(lambda b: {"b": b.hex()}),
                     st.binary(max_size=3).map(lambda b: {"b": b.hex()}),
                     *other_needles(subs))


@st.composite
def op_of(draw, bound, content, kinds, integer, wrong_type, read_args, data, byte, whence,
          other_needles, item, slice_value, text, wrapped=None, own_ops=None):
    """One op, in both modes: a kind drawn from kinds, then its arguments. The draws come in one
    fixed order, so that a seed keeps giving the same sequences. What a mode's Python takes beyond
    what both send:
      kinds          the ops it sends, repeated for weight: names handled below or in own_ops
      integer        bound -> its integer arguments (index() with its wrong types)
      wrong_type     its wrong-typed values (as resize's size)
      read_args      integer strategy -> read()'s argument lists
      data           write()'s argument
      byte, item     write_byte()'s argument; the value assigned to m[i]
      whence         seek()'s second argument
      other_needles  find()'s sample bytes -> its other needles (see needle_of)
      slice_value    n -> what is assigned to a slice of n bytes
      text           the key of its text strings in executor.py's encoding ("s" 3.x str,
                     "u" 2.7 unicode), for `in`
      wrapped        ints -> the same integers in other forms (as resize's size); None: no others
      own_ops        the ops only it has: name -> f(draw, bound, integer strategy) -> the op"""
    kind = draw(st.sampled_from(kinds))
    ix = integer(bound)
    if own_ops and kind in own_ops:
        return own_ops[kind](draw, bound, ix)
    if kind == "read":
        return ["read"] + draw(read_args(ix))
    if kind in ("read_byte", "readline", "tell", "size", "len", "list", "reversed", "repr",
                "closed"):
        return [kind]
    if kind == "close":
        # keep mid-sequence closes rare enough that most sequences stay open
        return [draw(st.sampled_from(["close", "tell", "len"]))]
    if kind == "write":
        return ["write", draw(data)]
    if kind == "write_byte":
        return ["write_byte", draw(byte)]
    if kind == "seek":
        return ["seek"] + draw(st.one_of(st.tuples(ix).map(list),
                                         st.tuples(ix, whence).map(list)))
    if kind in ("find", "rfind"):
        nd = needle_of(content, other_needles)
        return [kind] + draw(st.one_of(st.tuples(nd).map(list), st.tuples(nd, ix).map(list),
                                       st.tuples(nd, ix, ix).map(list)))
    if kind == "getitem":
        return ["getitem", draw(ix)]
    if kind == "getitem_slice":
        return ["getitem", {"slice": list(draw(slice_of(bound)))}]
    if kind == "setitem":
        return ["setitem", draw(ix), draw(item)]
    if kind == "setitem_slice":
        s = draw(slice_of(bound))
        return ["setitem", {"slice": list(s)}, draw(slice_value(slice_len(bound, s)))]
    if kind == "delitem":
        return ["delitem", draw(st.one_of(ix, slice_of(bound).map(lambda s: {"slice": list(s)})))]
    if kind == "move":
        return ["move", draw(ix), draw(ix), draw(st.one_of(st.integers(-2, bound + 2), ix))]
    if kind == "flush":
        off = st.one_of(st.sampled_from([0, PAGE, 2 * PAGE]), ix)
        return ["flush"] + draw(st.one_of(st.just([]), st.tuples(off).map(list),
                                          st.tuples(off, ix).map(list)))
    if kind == "resize":
        return ["resize", draw(st.one_of(st.integers(1, bound + 20), st.integers(1, bound + 20),
                                         st.just(0),
                                         st.sampled_from([0, 1, PAGE, PAGE + 1, 3 * PAGE]),
                                         st.integers(-3, -1), huge_size, wrong_type,
                                         *([wrapped(st.integers(1, bound + 20))] if wrapped
                                           else [])))]
    if kind == "contains":
        return ["contains", draw(st.one_of(st.binary(max_size=2).map(lambda b: {"b": b.hex()}),
                                           st.integers(0, 255), st.just({text: "h"})))]
    raise AssertionError(kind)


ROUND = 2000


def draw_source(draw):
    """The start of every sequence, in both modes: what is mapped (a file of some content, -1 for
    anonymous memory, or a bad fileno), drawn in one fixed order so that a seed keeps giving the
    same sequences. Returns (wild, fileno, content, its size, the sequence's dict so far); wild ones
    may get invalid constructor arguments."""
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
    return wild, src, content, n, seq


@st.composite
def sequence_of(draw, op, wrong_type, wrapped=None, flag_names=(), wild_flags=(), wild_access=(),
                wild_prot=(), wild_offsets=(), trackfd=False):
    """One sequence, in both modes: the source (draw_source), mmap()'s arguments after the fileno
    (length; flags, prot and access by keyword, positionally or not at all; offset; trackfd), then
    up to 20 ops drawn from op(bound, content). The draws come in one fixed order, so that a seed
    keeps giving the same sequences. What a mode's Python takes beyond the values both send:
      wrong_type    its wrong-typed values (sent as a file map's length in wild sequences)
      wrapped       ints -> the same integers in other forms (2.7's longs, __int__, __index__),
                    sent as the length in wild sequences; None: no other forms
      flag_names    the flags constants its mmap has beyond MAP_SHARED and MAP_PRIVATE (wild only)
      wild_flags, wild_access, wild_prot, wild_offsets
                    values sent in wild sequences after the ones both send
      trackfd       its constructor takes trackfd= (3.13), sent in some sequences"""
    wild, src, content, n, seq = draw_source(draw)
    also_wrapped = (lambda ints: [wrapped(ints)]) if wrapped else (lambda ints: [])
    # length
    if src == -1:
        length = draw(st.one_of(st.integers(1, 64), st.sampled_from([PAGE, PAGE + 3, 2 * PAGE]),
                                *([st.sampled_from([0, -1]), huge_size, st.just({"s": "4"})]
                                  + also_wrapped(st.integers(1, 64)) if wild else [])))
    else:
        length = draw(st.one_of(st.just(0), st.just(0), st.just(n), st.integers(0, n + 2),
                                *([st.sampled_from([n + 1, -1, PAGE]), huge, wrong_type]
                                  + also_wrapped(st.integers(0, n + 2)) if wild else [])))
    args, kwargs = [length], {}
    bound = length if isinstance(length, int) and 0 < length < 10**6 else max(n, 1)
    # flags / prot / access, and how they are passed
    passing = draw(st.sampled_from(["none", "access", "access", "access", "flags", "flags",
                                    "positional"] + (["both"] if wild else [])))
    access = st.one_of(st.integers(0, 3),
                       *([st.sampled_from([4, -1, None] + list(wild_access))] if wild else []))
    flags = st.sampled_from([{"rel": "MAP_SHARED"}, {"rel": "MAP_PRIVATE"}, {"rel": "MAP_SHARED"}]
                            + ([{"rel": name} for name in flag_names] + [0, {"s": "x"}]
                               + list(wild_flags) if wild else []))
    prot = st.sampled_from([3, 3, 1] + ([{"s": "x"}] + list(wild_prot) if wild else []))
    if passing == "positional" and not wild:
        access = st.just(0)
    if passing == "access":
        kwargs["access"] = draw(access)
    elif passing == "flags":
        if draw(st.booleans()):
            kwargs["flags"] = draw(flags)
        if draw(st.booleans()):
            kwargs["prot"] = draw(prot)
    elif passing == "both":
        kwargs["flags"] = draw(flags)
        kwargs["prot"] = draw(prot)
        kwargs["access"] = draw(access)
    elif passing == "positional":
        args += [draw(flags), draw(prot), draw(access)]
    # offset
    off = draw(st.one_of(st.none(), st.none(), st.none(),
                         st.sampled_from([0, PAGE, 2 * PAGE, n - n % PAGE]),
                         *([st.sampled_from([1, 100, -PAGE, n, n + PAGE] + list(wild_offsets)),
                            huge] if wild else [])))
    if off is not None:
        if passing == "positional" and draw(st.booleans()):
            args.append(off)
        else:
            kwargs["offset"] = off
        if isinstance(off, int) and 0 < off < n and length == 0:
            bound = max(n - off, 1)
    if trackfd:
        td = draw(st.sampled_from([None, None, None, True, False]))
        if td is not None:
            kwargs["trackfd"] = td
    seq["args"] = args
    seq["kwargs"] = kwargs
    nops = draw(st.integers(0, 20))
    opst = op(min(bound, 2 * PAGE + 64), content)
    seq["ops"] = [draw(opst) for _ in range(nops)]
    return seq


def generate(strategy, count, seed_value):
    out = []
    salt = 0
    while len(out) < count:
        @settings(max_examples=count - len(out), database=None, deadline=None,
                  phases=[Phase.generate], derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @hseed(seed_value * 1000003 + salt)
        @given(strategy)
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

def compare(mode, seq, fm, ref):
    """Returns (kind, details): kind None (equal), 'known' (only documented deviations),
    'refcrash', 'refcrash-unclean' or 'mismatch'."""
    if "died" in ref:
        clean = "died" not in fm and "harness_error" not in fm and mode.clean_crash(seq, fm)
        return ("refcrash" if clean else "refcrash-unclean"), [ref["died"]]
    known = []
    diffs = []
    fm_ops, ref_ops = fm.get("ops", []), ref.get("ops", [])
    for i, (o, a, b) in enumerate(zip(seq["ops"], fm_ops, ref_ops)):
        verdict = mode.known_difference(seq, i, o, a, b)
        if verdict is None:
            if a == b:
                continue
            diffs.append("op %d %s: fmmap %s / mmap %s" % (i, json.dumps(o), short(a), short(b)))
            break
        action, label = verdict
        known.append("op %d: %s" % (i, label))
        if action == "stop":
            return "known", known
    if len(fm_ops) != len(ref_ops):
        diffs.append("op count: fmmap %d / mmap %d" % (len(fm_ops), len(ref_ops)))
    for f in mode.fields:
        if f != "ops" and fm.get(f) != ref.get(f):
            diffs.append("%s: fmmap %s / mmap %s" % (f, short(fm.get(f)), short(ref.get(f))))
    if diffs:
        return "mismatch", diffs
    return ("known" if known else None), known


def signature(det):
    """A mismatch's class, for reporting one reproducer per class."""
    first = det[0]
    first = re.sub(r"^op \d+ ", "op ", first)
    first = re.sub(r'\{"[a-z]+": "[0-9a-f]*"\}', "<v>", first)
    return re.sub(r"-?\d+", "N", first)


def short(v):
    s = json.dumps(v)
    return s if len(s) < 300 else s[:300] + "...(%d chars)" % len(s)


def minimise(mode, fm_w, ref_w, seq):
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
            if compare(mode, c, a, b)[0] == "mismatch":
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
        if "buf" in v:
            return "buffer(%r)" % bytes.fromhex(v["buf"])
        if "arr" in v:
            return "array.array('b', %r)" % bytes.fromhex(v["arr"])
        if "s" in v:
            return repr(v["s"])
        if "u" in v:
            return "u" + repr(v["u"])
        if "long" in v:
            return "long(%r)" % v["long"]
        if "int" in v:
            return "IntOnly(%s)" % pyval(v["int"])  # executor.py's classes
        if "index" in v:
            return "IndexOnly(%s)" % pyval(v["index"])
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


def _simple_slice(a, b):
    return "%s:%s" % ("" if a is None else pyval(a), "" if b is None else pyval(b))


def render(mode, seq):
    lines = ["import mmap, os, tempfile  # or: import fmmap as mmap"]
    content = seq.get("content")
    if content is not None:
        data = bytes.fromhex(content)
        expr = ("(%r * %d)[:%d]" % (PATTERN, len(data) // len(PATTERN) + 1, len(data))
                if len(data) > 40 and data == pattern(len(data)) else repr(data))
        lines.append("path = tempfile.mktemp()")
        lines.append("with open(path, 'wb') as f: f.write(%s)" % expr)
    if seq["fileno"] == "file" and mode.python2:
        lines.append("f = open(path, %r); fd = f.fileno()" % ("rb" if seq.get("mode") == "r"
                                                               else "r+b"))
        fileno = "fd"
    elif seq["fileno"] == "file":
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
        elif name == "getslice":
            s = "m[%s]" % _simple_slice(a[0], a[1])
        elif name == "setslice":
            s = "m[%s] = %s" % (_simple_slice(a[0], a[1]), pyval(a[2]))
        elif name == "delslice":
            s = "del m[%s]" % _simple_slice(a[0], a[1])
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


def annotate(mode, seq, fm, ref):
    """The rendered sequence with both outcomes after each op."""
    code = render(mode, seq).split("\n")
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
# the driver

def run(mode, count, seed, batch_size, no_minimise=False, max_minimise=30):
    """Runs count sequences of mode; prints the summary lines and returns the exit status."""
    t0 = time.time()
    suffix = "" if mode.summary == "fuzz" else mode.summary[len("fuzz"):]
    fm_w = Worker("fmmap" + suffix, mode.fmmap_argv + [EXECUTOR, "fmmap"], mode.fmmap_start_timeout)
    ref_w = Worker("mmap" + suffix, mode.reference_argv + [EXECUTOR, "mmap"],
                   mode.reference_start_timeout)
    fm_w.start()   # the JVM starts while hypothesis generates
    ref_w.start()
    mismatches, refcrashes, unclean, known = [], 0, [], 0
    known_labels = {}  # documented deviation -> sequences showing it
    t_gen = 0.0
    done = 0
    # Rounds of at most ROUND sequences, generated then run, so that a long run reports progress and
    # holds one round in memory; round 0 is what `--count ROUND --seed S` always generated.
    for rnd, start_id in enumerate(range(0, count, ROUND)):
        t_g = time.time()
        seqs = generate(mode.sequence(), min(ROUND, count - start_id), seed + rnd * 7919)
        for s_ in seqs:
            s_["id"] += start_id
        t_gen += time.time() - t_g
        if rnd == 0:
            fm_w.wait_ready()
            ref_w.wait_ready()
        for start in range(0, len(seqs), batch_size):
            batch = seqs[start:start + batch_size]
            fm_r, ref_r = run_both(fm_w, ref_w, batch)
            for s, a, b in zip(batch, fm_r, ref_r):
                kind, det = compare(mode, s, a, b)
                if kind == "refcrash":
                    refcrashes += 1
                elif kind == "refcrash-unclean":
                    refcrashes += 1
                    unclean.append((s, a, b, det))
                elif kind == "known":
                    known += 1
                    for label in set(d.split(": ", 1)[1] for d in det):
                        known_labels[label] = known_labels.get(label, 0) + 1
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
        small = s if (no_minimise or n >= max_minimise) else minimise(mode, fm_w, ref_w, s)
        if small is not s:
            (a2,), (b2,) = run_both(fm_w, ref_w, [small])
            kind, det2 = compare(mode, small, a2, b2)
            if kind == "mismatch":
                s, a, b, det = small, a2, b2, det2
        report.append("### sequence %s (seed %d)\n%s\n# differences:\n#  %s\n" % (
            s["id"], seed, annotate(mode, s, a, b), "\n#  ".join(det)))
    for s, a, b, det in unclean:
        report.append("### reference crash without a clean fmmap exception, sequence %s (seed %d)"
                      "\n%s\n# mmap worker: %s; fmmap: %s\n" % (
                          s["id"], seed, annotate(mode, s, a, b), det, short(a)))
    fm_w.kill()
    ref_w.kill()
    if report:
        text = "\n".join(report)
        print(text)
        with open(mode.mismatches_path, "w") as f:
            f.write(text)
    elif os.path.exists(mode.mismatches_path):
        os.unlink(mode.mismatches_path)
    breakdown = "".join("\n  %s: %d" % kv for kv in sorted(known_labels.items()))
    print("%d mismatch classes; %d sequences differed only by documented deviations%s"
          % (len(classes), known, breakdown), file=sys.stderr)
    print("generation %.1fs, total %.1fs (+%.1fs minimising); fmmap worker restarts %d, "
          "mmap worker restarts %d" % (t_gen, t_run, time.time() - t0 - t_run, fm_w.restarts,
                                       ref_w.restarts), file=sys.stderr)
    print("%s: %d sequences, %d mismatches, %d reference crashes"
          % (mode.summary, done, len(mismatches) + len(unclean), refcrashes))
    # bin/test's summary line: each sequence is a test, one that differs a failure.
    bad = len(mismatches) + len(unclean)
    print("suite %s: %d passed, %d failed, 0 skipped"
          % (os.environ.get("FMMAP_SUITE", mode.summary), done - bad, bad))
    return 1 if (mismatches or unclean) else 0


