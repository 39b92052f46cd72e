"""Scenario 6 (fmmap on GraalPy or Jython; stdlib mmap on CPython): a truncation RACE in one
process, what a log reader meets when logrotate copytruncates its log. Python 2.7 and 3 syntax.

One round: the file (16 MiB of a known pattern, see pattern()) is rewritten, mapped whole (shared,
read-write), and a background thread truncates it to a random smaller size after a random delay
(0-50 ms) while the main thread reads and writes the map at random places for ROUND_SECONDS:
m[i], m[a:b], read(n) after seek, readline, find, write, m[a:b] = data, m[i] = v. Every write puts
back the bytes the pattern already has there, so every read can be checked: each byte must be the
pattern's byte at its offset or 0 (the tail of the page holding the new end of file). Before the
truncation has started, reads must be exact and nothing may raise. An exception must be an OSError
(EFAULT expected; errnos counted), or IndexError/ValueError (what CPython raises for ranges;
counted, none expected). Anything else is 'unclean'.

argv: template path seed[,seed...]    (environment: FMMAP_RACE_WARMUP, FMMAP_RACE_MODULE)
  template  the pattern file (written by the driver; made here when missing), read once
  path      the file to map, rewritten each round
  seeds     one round per seed; everything random in a round comes from its seed, so
            `race.py TEMPLATE PATH SEED` replays a round (its timing aside)
Module: fmmap if importable, else the stdlib mmap (CPython reference); FMMAP_RACE_MODULE=mmap
forces the stdlib's. The guard mode is the environment's (FMMAP_GUARD), read by fmmap itself.
FMMAP_RACE_WARMUP=S first runs the operations for S seconds on an intact map (every read exact),
reported as 'WARMUP {json}', so that on a JVM the rounds race compiled code.

Protocol on stdout: 'ROUND k seed' when round k starts, 'RESULT {json}' when it ends. Each
operation first writes 'k seed op start stop' and the round's counts so far (accesses, after,
oserrors, zero_reads, wrong_bytes) to path + '.op' (one lseek + write, no buffering), so that
after a process death the driver knows which operation was running and what the round counted."""
import errno, json, os, random, sys, threading, time

SIZE = 16 << 20
LINE = 80                      # a b'\n' every 80 bytes, so that readline has lines
ROUND_SECONDS = 0.3
MAX_DELAY = 0.05
CHECK_BLOCK = 4096
NOWHERE = b"\xff\xfe"         # a needle the pattern does not have: find scans [start, end)
ALPHA = b"".join(b"%c" % c for c in range(33, 127)) if sys.version_info[0] >= 3 else \
    "".join(chr(c) for c in range(33, 127))


def pattern():
    """SIZE bytes: line i (80 bytes at offset 80*i) is its number in 10 digits, '|', 68 printable
    bytes starting at a place that depends on i, and '\\n'. No zero byte anywhere; a line's first
    11 bytes occur nowhere else."""
    alpha2 = ALPHA + ALPHA
    n = len(ALPHA)
    lines = [b"%010d|" % i + alpha2[i % n:i % n + LINE - 12] + b"\n" for i in range(SIZE // LINE + 1)]
    return b"".join(lines)[:SIZE]


def load_pattern(template):
    if not os.path.exists(template):
        data = pattern()
        tmp = template + ".tmp%d" % os.getpid()
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, template)
        return data
    with open(template, "rb") as f:
        data = f.read()
    assert len(data) == SIZE, "bad template %s" % template
    return data


class Stats(object):
    def __init__(self, k, seed):
        self.k, self.seed = k, seed
        self.accesses = self.oserrors = self.zero_reads = self.zero_bytes = 0
        self.wrong_bytes = self.bad_results = self.unclean = self.range_errors = 0
        self.after = 0             # accesses that started after the truncation had returned
        self.errnos = {}
        self.examples = []         # the first few problems, for the report
        self.ops = {}

    def problem(self, text):
        if len(self.examples) < 5:
            self.examples.append(text)


def main():
    template, path, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
    if os.environ.get("FMMAP_RACE_MODULE") == "mmap":
        import mmap
        impl = "stdlib"
    else:
        try:
            import fmmap as mmap
            impl = "fmmap"
        except ImportError:
            import mmap
            impl = "stdlib"
    PAT = load_pattern(template)
    # Slices of the pattern through a memoryview: GraalPy copies a slice of a 16 MiB bytes at
    # ~20 ms per MiB and compares two bytes at ~25 ms per MiB, against ~0.3 ms for a memoryview.
    # Writes take the memoryview on 3.x; 2.7's mmap.write wants a str (cheap to slice on Jython).
    PMV = memoryview(PAT)
    SRC = PMV if sys.version_info[0] >= 3 else PAT
    ZERO = b"\0"[0]                  # what m[i] gives for a zero byte: 0 on 3.x, '\0' on 2.7
    ZBLOCK = b"\0" * CHECK_BLOCK
    PG = mmap.PAGESIZE
    py3 = sys.version_info[0] >= 3
    sys.stdout.write("IMPL %s %s\n" % (impl, sys.version.split()[0]))
    sys.stdout.flush()
    opfd = os.open(path + ".op", os.O_WRONLY | os.O_CREAT, 0o644)

    warmup = float(os.environ.get("FMMAP_RACE_WARMUP") or 0)
    plan = [("WARMUP", -1, 0, warmup)] if warmup > 0 else []
    plan += [("ROUND", k, seed, ROUND_SECONDS) for k, seed in enumerate(seeds)]
    for tag, k, seed, seconds in plan:
        if tag == "ROUND":
            sys.stdout.write("ROUND %d %d\n" % (k, seed))
            sys.stdout.flush()
        rnd = random.Random(seed)
        new_size = rnd.choice([0, rnd.randrange(SIZE), rnd.randrange(SIZE // PG) * PG,
                               rnd.randrange(SIZE)])
        delay = rnd.uniform(0, MAX_DELAY)
        st = Stats(k, seed)
        state = {"started": False, "done": False, "error": None}

        def note(op, a, b):
            rec = "%d %d %s %d %d %d %d %d %d %d" % (k, seed, op, a, b, st.accesses, st.after,
                                                    st.oserrors, st.zero_reads, st.wrong_bytes)
            os.lseek(opfd, 0, 0)
            os.write(opfd, (rec.ljust(99) + "\n").encode("ascii") if py3 else rec.ljust(99) + "\n")

        def check(a, data, op):
            """data was read at offset a: each byte the pattern's or zero, and no zero if the
            truncation had not started when the read returned."""
            pre = not state["started"]
            n = len(data)
            if PMV[a:a + n] == data:
                return
            dmv = memoryview(data)
            zeros = wrong = 0
            first = None
            for o in range(0, n, CHECK_BLOCK):
                chunk = dmv[o:o + CHECK_BLOCK]
                if PMV[a + o:a + o + len(chunk)] == chunk:
                    continue
                if chunk == ZBLOCK[:len(chunk)]:
                    zeros += len(chunk)
                    continue
                for j in range(len(chunk)):
                    if chunk[j] == PAT[a + o + j]:
                        continue
                    if chunk[j] == ZERO:
                        zeros += 1
                    else:
                        wrong += 1
                        if first is None:
                            first = (a + o + j, chunk[j], PAT[a + o + j])
            if zeros:
                st.zero_reads += 1
                st.zero_bytes += zeros
                if pre:
                    st.bad_results += 1
                    st.problem("%s at %d: %d zero bytes before the truncation started" % (op, a, zeros))
            if wrong:
                st.wrong_bytes += wrong
                st.problem("%s at %d+%d: %d wrong bytes, first at %d: %r instead of %r"
                           % (op, a, n, wrong, first[0], first[1], first[2]))

        def place(rnd):
            """An offset: anywhere, or near the new end of file (where the zero tail and the first
            lost page are)."""
            if rnd.random() < 0.5:
                return rnd.randrange(SIZE)
            return max(0, min(SIZE - 1, new_size + rnd.randrange(-2 * PG, 2 * PG)))

        def length(rnd):
            r = rnd.random()
            if r < 0.6:
                return rnd.randrange(1, 256)
            if r < 0.9:
                return rnd.randrange(1, 4 * PG)
            return rnd.randrange(1, 1 << 20)

        def run_op(op, a, b, find_args):
            if op == "getitem":
                v = m[a]
                pre = not state["started"]
                if v != PAT[a]:
                    if v == ZERO:
                        st.zero_reads += 1
                        st.zero_bytes += 1
                        if pre:
                            st.bad_results += 1
                            st.problem("m[%d] gave 0 before the truncation started" % a)
                    else:
                        st.wrong_bytes += 1
                        st.problem("m[%d] gave %r instead of %r" % (a, v, PAT[a]))
            elif op == "slice":
                data = m[a:b]
                if len(data) != b - a:
                    st.bad_results += 1
                    st.problem("m[%d:%d] gave %d bytes" % (a, b, len(data)))
                check(a, data, "m[a:b]")
            elif op == "read":
                m.seek(a)
                data = m.read(b - a)
                if len(data) != b - a:
                    st.bad_results += 1
                    st.problem("read(%d) at %d gave %d bytes" % (b - a, a, len(data)))
                check(a, data, "read")
            elif op == "readline":
                m.seek(a)
                data = m.readline()
                # the pattern has a b'\n' every 80 bytes; zeros have none, so a line may run on
                # to the end of the map, but not stop anywhere else
                if not data or (data[-1:] != b"\n" and a + len(data) != SIZE):
                    st.bad_results += 1
                    st.problem("readline at %d gave %d bytes ending %r" % (a, len(data), data[-4:]))
                check(a, data, "readline")
            elif op == "find":
                sub, start, end = find_args
                r = m.find(sub, start, end)
                pre = not state["started"]
                n = len(sub)
                # (PAT.find only where needed: GraalPy takes ~5-20 ms per MiB it scans)
                if r == -1:
                    if pre and sub != NOWHERE and PAT.find(sub, start, end) != -1:
                        st.bad_results += 1
                        st.problem("find(%r, %d, %d) gave -1 before the truncation started"
                                   % (sub, start, end))
                elif not (start <= r and r + n <= end and PMV[r:r + n] == sub):
                    # sub has no zero byte: a match can only be where the bytes are the pattern's
                    st.wrong_bytes += n
                    st.problem("find(%r, %d, %d) gave %d, where the pattern has %r"
                               % (sub, start, end, r, PAT[r:r + n]))
                elif pre and PAT.find(sub, start, r + n - 1) != -1:
                    st.bad_results += 1
                    st.problem("find(%r, %d, %d) gave %d instead of %d"
                               % (sub, start, end, r, PAT.find(sub, start, end)))
            elif op == "write":
                m.seek(a)
                r = m.write(SRC[a:b])
                if py3 and r != b - a:
                    st.bad_results += 1
                    st.problem("write of %d bytes at %d returned %r" % (b - a, a, r))
            elif op == "slice_set":
                m[a:b] = SRC[a:b]
            else:
                m[a] = PAT[a]

        with open(path, "wb") as f:
            f.write(PAT)
        f = open(path, "r+b")
        m = mmap.mmap(f.fileno(), 0)

        def truncate():
            try:
                time.sleep(delay)
                g = open(path, "r+b")
                try:
                    state["started"] = True
                    if hasattr(os, "ftruncate"):
                        os.ftruncate(g.fileno(), new_size)
                    else:
                        g.truncate(new_size)
                    state["done"] = True
                finally:
                    g.close()
            except BaseException as e:
                state["error"] = "%s: %s" % (type(e).__name__, e)

        t = threading.Thread(target=truncate)
        t.daemon = True
        t0 = time.time()
        if tag == "ROUND":
            t.start()
        deadline = t0 + seconds
        while time.time() < deadline:
            op = rnd.choice(("getitem", "getitem", "slice", "slice", "read", "read", "readline",
                             "find", "write", "slice_set", "slice_set", "setitem", "setitem"))
            a = place(rnd)
            b = a + 1 if op in ("getitem", "setitem") else min(SIZE, a + length(rnd))
            find_args = None
            if op == "find":
                n = rnd.choice((1, 2, 4, 11, 16))
                # a needle from the pattern, or one that is nowhere in it (scans [start, end))
                sub = NOWHERE if rnd.random() < 0.2 else PAT[a:a + n]
                a = max(0, a - rnd.randrange(1 << rnd.choice((4, 12, 20))))
                b = min(SIZE, a + n + rnd.randrange(1 << rnd.choice((4, 12, 22))))
                find_args = (sub, a, b)
            post_done = state["done"]
            st.accesses += 1
            st.ops[op] = st.ops.get(op, 0) + 1
            if post_done:
                st.after += 1
            note(op, a, b)
            try:
                run_op(op, a, b, find_args)
            except EnvironmentError as e:      # OSError (mmap.error on 2.7)
                pre = not state["started"]
                st.oserrors += 1
                en = getattr(e, "errno", None)
                st.errnos[str(en)] = st.errnos.get(str(en), 0) + 1
                if pre or en != errno.EFAULT:
                    st.problem("%s %d:%d raised %s: %s%s" % (op, a, b, type(e).__name__, e,
                               " before the truncation started" if pre else ""))
                if pre:
                    st.bad_results += 1
            except (IndexError, ValueError) as e:
                st.range_errors += 1
                st.problem("%s %d:%d raised %s: %s" % (op, a, b, type(e).__name__, e))
            except BaseException as e:  # a Java error or a polyglot exception: not clean
                if isinstance(e, KeyboardInterrupt):
                    raise
                st.unclean += 1
                st.problem("%s %d:%d raised %s: %s" % (op, a, b, type(e).__name__, str(e)[:200]))
        if tag == "ROUND":
            t.join(5)
        m.close()
        f.close()
        res = {"round": k, "seed": seed, "impl": impl, "new_size": new_size,
               "delay_ms": round(delay * 1000, 1), "truncated": state["done"],
               "truncate_error": state["error"], "accesses": st.accesses, "after": st.after,
               "oserrors": st.oserrors, "errnos": st.errnos, "zero_reads": st.zero_reads,
               "zero_bytes": st.zero_bytes, "wrong_bytes": st.wrong_bytes,
               "bad_results": st.bad_results, "range_errors": st.range_errors,
               "unclean": st.unclean, "examples": st.examples, "ops": st.ops,
               "seconds": round(time.time() - t0, 3)}
        sys.stdout.write(("RESULT " if tag == "ROUND" else "WARMUP ") + json.dumps(res, sort_keys=True) + "\n")
        sys.stdout.flush()
    os.close(opfd)


if __name__ == "__main__":
    main()
