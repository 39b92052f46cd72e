#!/usr/bin/env python3
"""fmmap reliability suite. Run with the host's python3 (stdlib only):

    python3 tests-python/reliability/run_reliability.py [--rounds N] [--cycles N] [--only a,b]
        [--race-rounds N] [--race-targets t,t] [--race-seed S] [--race-env K=V ...] [--java-home DIR]

Scenarios (each runs scenario scripts under bin/graalpy, one GraalPy process at a time; race also
under bin/graalpy-25.2.4, bin/jython and CPython 3.13):
  concurrency  8 threads race the main thread's close()/resize() (--rounds, default 10000)
  durability   child writes+flushes, prints 'flushed', is SIGKILLed; file bytes are verified
  truncation   the driver truncates a file a child has mapped; per method: exception/data/crash
               (a measurement: never fails the run)
  leaks        open/close cycles (--cycles, default 100000): fd and /proc/self/maps growth
  hostile      hostile arguments: clean exceptions only; types/messages compared with CPython 3.13
  race         a thread truncates a mapped 16 MiB file (logrotate's copytruncate) while the main
               thread reads and writes the map (--race-rounds rounds, default 20, per target):
               FMMAP_GUARD=strict on GraalPy 25.0.3, 25.2.4 and Jython 2.7.4 must survive every
               round; FMMAP_GUARD=fast on GraalPy 25.0.3 and CPython 3.13's stdlib mmap are
               measured (deaths reported, never a failure); a wrong byte fails in every mode

--java-home runs every JVM child on that JDK (bin/graalpy and bin/jython use JAVA_HOME's JDK): on a JDK
11-21, the core's jnr-ffi backend (bin/test's reliability-jdk17).

Last lines of output: the 'reliability: ...' summary, then bin/test's 'suite NAME: P passed,
F failed, S skipped' (NAME from FMMAP_SUITE, which bin/test sets). Exit status 1 if any scenario
fails.
"""
import argparse, importlib.util, json, os, random, resource, shutil, signal, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GRAALPY = os.path.join(ROOT, "bin", "graalpy")
GRAALPY_252 = os.path.join(ROOT, "bin", "graalpy-25.2.4")
JYTHON = os.path.join(ROOT, "bin", "jython")
# The reference interpreter: CPython 3.13 from pyenv (bin/test passes the one it found).
CPYTHON = os.environ.get("FMMAP_CPYTHON313") or os.path.join(
    os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv"), "versions", "3.13.0", "bin", "python3.13")
SCEN = os.path.join(HERE, "scenarios")
PAGE = os.sysconf("SC_PAGE_SIZE")
# Every method that touches the lost pages must raise a clean exception.
TRUNC_METHODS = ["getitem", "slice", "step_slice", "read", "read_byte", "readline", "find", "rfind",
                 "write", "write_byte", "setitem", "step_setitem", "slice_setitem", "move",
                 "iteration", "reversed"]
# Measured, not required: flush (msync reads no page data; CPython returns None too) and a raw
# memoryview access (the buffer protocol hands out the address; no fmmap code runs on the access).
TRUNC_MEASURED = ["flush", "buffer"]


def log(msg):
    print(msg, flush=True)


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def describe_rc(rc):
    if rc is None:
        return "timeout"
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit %d" % rc


class Ctx:
    def __init__(self, args):
        self.args = args
        # the children run in a scratch directory so a JVM crash's hs_err_pid*.log lands there
        self.work = tempfile.mkdtemp(prefix="fmmap-reliability-")
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        log("FAIL: " + msg)

    def run(self, argv, timeout, **kw):
        """Runs a child to completion; returns (rc or None on timeout, stdout, stderr)."""
        try:
            p = subprocess.run(argv, cwd=self.work, capture_output=True, text=True,
                               timeout=timeout, preexec_fn=no_core, **kw)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            return None, out, err


def result_line(out):
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return None


def crash_reason(ctx, rc, err, pid=None):
    """One line: how a child died (signal / exit code), with the JVM's or launcher's reason."""
    why = describe_rc(rc)
    hs = os.path.join(ctx.work, "hs_err_pid%s.log" % pid) if pid else None
    if hs and os.path.exists(hs):
        with open(hs, errors="replace") as f:
            text = f.read()
        sig = next((l.strip("# ").strip() for l in text.splitlines() if l.startswith("#  SIG")), "")
        frame = next((l for l in text.splitlines() if l.startswith("j  dev.fmmap.")), "")
        why += ": JVM fatal error %s%s (%s)" % (sig.split(" at ")[0], (" in " + frame[3:].split("(")[0]) if frame else "",
                                               os.path.basename(hs))
    else:
        line = next((l.strip() for l in err.splitlines() if "Error" in l or "Exception" in l), "")
        if line:
            why += ": " + line[:200]
    return why


def tail(text, n=15):
    return "\n".join(text.strip().splitlines()[-n:])


# ---------------------------------------------------------------------------------------------
def scenario_concurrency(ctx):
    rc, out, err = ctx.run([GRAALPY, os.path.join(SCEN, "concurrency.py"), str(ctx.args.rounds)],
                           timeout=ctx.args.timeout)
    res = result_line(out)
    info = {"rounds": ctx.args.rounds, "crashes": 0, "ok": False}
    if rc != 0 or res is None:
        info["crashes"] = 1
        ctx.fail("concurrency: child %s, no clean result\n%s" % (describe_rc(rc), tail(err)))
        return info
    log("concurrency: %s" % json.dumps(res))
    if res["bad_count"] or res["main_bad_count"]:
        ctx.fail("concurrency: %d disallowed exceptions in workers, %d in the main thread: %s"
                 % (res["bad_count"], res["main_bad_count"], (res["bad"] + res["main_bad"])[:5]))
    else:
        info["ok"] = True
    return info


# ---------------------------------------------------------------------------------------------
def pattern(n, seed):
    return bytes(((i * 131 + seed) ^ (i >> 8)) & 0xFF for i in range(n))


def scenario_durability(ctx):
    size = 1 << 20
    path = os.path.join(ctx.work, "durable.bin")
    with open(path, "wb") as f:
        f.write(b"\0" * size)
    p = subprocess.Popen([GRAALPY, os.path.join(SCEN, "durability.py"), path, str(size)],
                         cwd=ctx.work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=no_core)
    deadline = time.time() + ctx.args.timeout
    line = ""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    while time.time() < deadline:
        if sel.select(timeout=1):
            line = p.stdout.readline()
            if line.strip() == "flushed" or line == "":
                break
        if p.poll() is not None:
            break
    flushed = line.strip() == "flushed"
    p.kill()                               # SIGKILL: no atexit, no finalizers, no munmap
    p.wait()
    err = p.stderr.read()
    if not flushed:
        ctx.fail("durability: child never printed 'flushed' (%s)\n%s" % (describe_rc(p.returncode), tail(err)))
        return {"ok": False}
    with open(path, "rb") as f:
        data = f.read()
    off = 2 * PAGE  # ALLOCATIONGRANULARITY == PAGESIZE on Linux
    expected = bytearray(pattern(size, 7))
    expected[off:off + 4096] = b"\xA5" * 4096
    ok = len(data) == size and data == bytes(expected)
    if not ok:
        bad = next((i for i in range(min(len(data), size)) if data[i] != expected[i]), None)
        ctx.fail("durability: file differs after SIGKILL (len %d, first bad byte at %s)" % (len(data), bad))
    else:
        log("durability: %d bytes verified after SIGKILL (%s)" % (size, describe_rc(p.returncode)))
    return {"ok": ok}


# ---------------------------------------------------------------------------------------------
def scenario_truncation(ctx):
    path = os.path.join(ctx.work, "trunc.bin")
    todo = TRUNC_METHODS + TRUNC_MEASURED   # the raw buffer last: it is expected to kill the process
    table = {}
    procs = 0
    while todo:
        with open(path, "wb") as f:
            f.write(b"D" * (16 * PAGE))
        procs += 1
        p = subprocess.Popen([GRAALPY, os.path.join(SCEN, "truncation.py"), path, ",".join(todo)],
                             cwd=ctx.work, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, preexec_fn=no_core)
        current = None
        started = False
        for line in p.stdout:
            line = line.rstrip("\n")
            if line == "MAPPED":
                os.truncate(path, PAGE)           # another process truncates the mapped file
                p.stdin.write("TRUNCATED\n")
                p.stdin.flush()
                started = True
            elif line.startswith("BEGIN "):
                current = line[6:]
            elif line.startswith("RESULT "):
                r = json.loads(line[7:])
                table[r["method"]] = (r["outcome"], r["detail"])
                todo.remove(r["method"])
                current = None
        try:
            rc = p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = p.wait()
        err = p.stderr.read()
        if current is not None:
            table[current] = ("crash", crash_reason(ctx, rc, err, p.pid))
            todo.remove(current)
            with open(os.path.join(ctx.work, "truncation-%s.stderr" % current), "w") as f:
                f.write(err)
            log("truncation: %s crashed the process: %s" % (current, table[current][1]))
        elif todo:
            # died before mapping or between methods: cannot attribute; record and stop
            for m in todo:
                table[m] = ("crash?", "process %s before the method ran%s" % (
                    describe_rc(rc), "" if started else " (before truncation)"))
            log("truncation: child %s outside any method:\n%s" % (describe_rc(rc), tail(err)))
            todo = []
    log("truncation (file of 16 pages truncated to 1 page by another process while mapped):")
    log("  %-14s %-10s %s" % ("method", "outcome", "detail"))
    for m in TRUNC_METHODS + TRUNC_MEASURED:
        o, d = table[m]
        log("  %-14s %-10s %s" % (m, o, d) + ("   (measured only)" if m in TRUNC_MEASURED else ""))
    counts = {}
    for m in TRUNC_METHODS:
        o = table[m][0]
        counts[o] = counts.get(o, 0) + 1
        if o != "exception":   # clean = a Python exception
            ctx.fail("truncation: %s gave %s: %s" % (m, o, table[m][1]))
    n = len(TRUNC_METHODS)
    parts = ["%d/%d methods clean" % (counts.get("exception", 0), n)]
    for k in ("data", "foreign", "crash", "crash?"):
        if counts.get(k):
            parts.append("%d %s" % (counts[k], k))
    buffer_outcome = table["buffer"][0]
    parts.append("raw buffer: %s" % ("crash (documented)" if buffer_outcome.startswith("crash")
                                      else buffer_outcome))
    return {"summary": ", ".join(parts), "table": table, "processes": procs}


# ---------------------------------------------------------------------------------------------
def scenario_leaks(ctx):
    rc, out, err = ctx.run([GRAALPY, os.path.join(SCEN, "leaks.py"), str(ctx.args.cycles)],
                           timeout=ctx.args.timeout)
    res = result_line(out)
    if rc != 0 or res is None:
        ctx.fail("leaks: child %s\n%s" % (describe_rc(rc), tail(err)))
        return {"fds": None, "maps": None}
    log("leaks: %s" % json.dumps(res))
    dfd = res["fds_end"] - res["fds_start"]
    dmaps = res["maps_end"] - res["maps_start"]
    down = res["fmmap_maps_end"] - res["fmmap_maps_start"]
    if dfd > 0:
        ctx.fail("leaks: fds grew by %d over %d cycles" % (dfd, res["cycles"]))
    if down > 0:
        ctx.fail("leaks: fmmap's mappings grew by %d over %d cycles" % (down, res["cycles"]))
    if dmaps > 16:
        ctx.fail("leaks: /proc/self/maps grew by %d lines over %d cycles" % (dmaps, res["cycles"]))
    return {"fds": dfd, "maps": down, "process_maps": dmaps}


# ---------------------------------------------------------------------------------------------
def run_cases(ctx, python, wdir):
    """Runs hostile.py under `python`, restarting after a crash; returns {case: result}."""
    results = {}
    todo = None
    while True:
        argv = [python, os.path.join(SCEN, "hostile.py"), wdir]
        if todo is not None:
            if not todo:
                break
            argv.append(",".join(todo))
        rc, out, err = ctx.run(argv, timeout=ctx.args.timeout)
        current = None
        for line in out.splitlines():
            if line.startswith("BEGIN "):
                current = line[6:]
            elif line.startswith("RESULT "):
                r = json.loads(line[7:])
                results[r["case"]] = r
                current = None
        if todo is None:
            todo = [l[6:] for l in out.splitlines() if l.startswith("BEGIN ")]
        if current is not None:
            results[current] = {"case": current, "outcome": "crash", "type": None,
                                "detail": crash_reason(ctx, rc, err)}
        todo = [c for c in todo if c not in results]
        if current is None:
            if rc != 0:
                ctx.fail("hostile: %s run %s outside any case\n%s" % (python, describe_rc(rc), tail(err)))
            break
    return results


def scenario_hostile(ctx):
    wg = os.path.join(ctx.work, "hostile-g"); os.makedirs(wg)
    wc = os.path.join(ctx.work, "hostile-c"); os.makedirs(wc)
    ref = run_cases(ctx, CPYTHON, wc) if os.path.exists(CPYTHON) else {}
    got = run_cases(ctx, GRAALPY, wg)
    unclean, diffs = [], []
    for name, r in got.items():
        if r["outcome"] in ("crash", "unclean"):
            unclean.append(r)
        c = ref.get(name)
        if c and (c["outcome"], c["type"], c["detail"]) != (r["outcome"], r["type"], r["detail"]):
            diffs.append((name, c, r))
    for r in unclean:
        ctx.fail("hostile: %s: %s %s: %s" % (r["case"], r["outcome"], r["type"], r["detail"]))
    log("hostile: %d cases, %d clean exceptions, %d returned normally, %d unclean/crash; "
        "%d differ from CPython 3.13" % (
            len(got), sum(r["outcome"] == "exception" for r in got.values()),
            sum(r["outcome"] == "no exception" for r in got.values()), len(unclean), len(diffs)))
    for name, c, r in diffs:
        log("  DIFF %-30s cpython: %s %s: %s" % (name, c["outcome"], c["type"], c["detail"]))
        log("       %-30s fmmap:   %s %s: %s" % ("", r["outcome"], r["type"], r["detail"]))
    return {"ok": not unclean, "diffs": len(diffs), "cases": len(got)}


# ---------------------------------------------------------------------------------------------
# name: (interpreter, FMMAP_GUARD, required, extra environment). Required: every round survived,
# no unclean exception. All: no wrong byte, no wrong result. CPython's stdlib mmap has no guard.
RACE_TARGETS = [
    ("graalpy-strict", GRAALPY, "strict", True, {}),
    ("graalpy-25.2.4-strict", GRAALPY_252, "strict", True, {}),
    ("jython-strict", JYTHON, "strict", True, {}),
    ("graalpy-fast", GRAALPY, "fast", False, {}),
    ("cpython-3.13", CPYTHON, "fast", False, {"FMMAP_RACE_MODULE": "mmap", "FMMAP_RACE_WARMUP": "0"}),
]
# Counted over all rounds; a died round counts its accesses up to the one that killed it (that one
# included), from the .op file the child rewrites at each access once the truncation has started.
RACE_KEYS = ("accesses", "after", "oserrors", "zero_reads", "zero_bytes", "wrong_bytes",
             "bad_results", "range_errors", "unclean")


def race_death(err, opline, seed):
    """Where a race child died: its last Python frames in fmmap, the Java error and the first
    fmmap frame from its stderr, and the operation it was running (from its .op file)."""
    lines = err.splitlines()
    frames = []
    for i, l in enumerate(lines):
        l = l.strip()
        if l.startswith('File "') and ", in " in l:
            f = l.split('"')[1]
            if "/fmmap/" in f:
                frames.append("%s:%s %s" % (os.path.basename(f), l.split(", line ")[1].split(",")[0],
                                            l.rsplit(" in ", 1)[1]))
    exc = next((l.strip() for l in lines if l.startswith(("java.", "jdk.", "com.oracle", "org.graalvm",
                                                          "Exception in thread", "Fatal Python"))
                or "InternalError" in l or "Internal GraalPy error" in l), "")
    jframe = next((l.strip()[3:] for l in lines if l.strip().startswith("at dev.fmmap.")), "")
    parts = []
    f = opline.split()
    if len(f) >= 5 and f[1] == str(seed):
        parts.append("during %s [%s:%s]" % (f[2], f[3], f[4]))
    else:
        parts.append("before its first access")
    if frames:
        parts.append("in " + " > ".join(frames[-2:]))
    if exc:
        parts.append(exc[:160])
    if jframe:
        parts.append("at " + jframe.split("(")[0])
    return ", ".join(parts)


def race_hs_err(path):
    """A JVM fatal error log in one line: the signal, the problematic frame and the first frame
    of fmmap or GraalPy below the JDK's own (e.g. a ctypes setter doing the copy)."""
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    sig = next((l.strip("# ").split(" at ")[0] for l in lines if l.startswith("#  SIG")), "?")
    top = next((lines[i + 1].strip("# ").strip() for i, l in enumerate(lines)
                if l.startswith("# Problematic frame")), "")
    caller = next((l[3:].split("(")[0] for l in lines if l[:3] in ("j  ", "J  ")
                   and not l[3:].lstrip().startswith(("java.", "jdk.", "sun."))), "")
    return "JVM fatal error %s in %s%s (%s)" % (sig, top, (" called from " + caller) if caller else "",
                                               os.path.basename(path))


def race_target(ctx, name, python, guard, required, extra, seeds, template):
    """Runs the rounds of one target, a fresh process after each death; returns its totals."""
    tot = dict((key, 0) for key in RACE_KEYS)
    tot.update(rounds=len(seeds), survived=0, died=0, timeouts=0, untruncated=0, not_run=0,
               errnos={}, deaths=[], examples=[], processes=0, seconds=0.0, warmup_accesses=0)
    if not os.path.exists(python):
        tot["not_run"] = len(seeds)
        tot["deaths"].append("interpreter not found: %s" % python)
        return tot
    env = dict(os.environ)
    env["FMMAP_RACE_WARMUP"] = str(ctx.args.race_warmup)
    env.update(extra)
    env.update(ctx.args.race_env_dict)
    env["FMMAP_GUARD"] = guard
    path = os.path.join(ctx.work, "race-%s.bin" % name)
    todo = list(seeds)
    t0 = time.time()
    while todo:
        if os.path.exists(path + ".op"):
            os.remove(path + ".op")
        argv = [python, os.path.join(SCEN, "race.py"), template, path, ",".join(map(str, todo))]
        tot["processes"] += 1
        p = subprocess.Popen(argv, cwd=ctx.work, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, preexec_fn=no_core)
        try:
            out, err = p.communicate(timeout=180 + ctx.args.race_warmup + 10 * len(todo))
            rc = p.returncode
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            rc = None
        current = None
        for line in out.splitlines():
            if line.startswith("WARMUP "):   # counted for its problems only
                r = json.loads(line[7:])
                tot["warmup_accesses"] += r["accesses"]
                for key in ("wrong_bytes", "bad_results", "range_errors", "unclean"):
                    tot[key] += r[key]
                for e in r["examples"]:
                    tot["examples"].append("warm-up: %s" % e)
            elif line.startswith("ROUND "):
                current = int(line.split()[2])
            elif line.startswith("RESULT "):
                r = json.loads(line[7:])
                current = None
                todo.remove(r["seed"])
                tot["survived"] += 1
                for key in RACE_KEYS:
                    tot[key] += r[key]
                for en, n in r["errnos"].items():
                    tot["errnos"][en] = tot["errnos"].get(en, 0) + n
                tot["untruncated"] += not r["truncated"]
                for e in r["examples"]:
                    if len(tot["examples"]) < 8:
                        tot["examples"].append("seed %d: %s" % (r["seed"], e))
        if current is None:
            if todo or rc != 0:   # died outside a round (start-up, exit): cannot attribute
                tot["not_run"] += len(todo)
                tot["deaths"].append("process %s outside any round (%d rounds not run): %s"
                                     % (describe_rc(rc), len(todo), tail(err, 3).replace("\n", " | ")))
                with open(os.path.join(ctx.work, "race-%s-startup.stderr" % name), "w") as f:
                    f.write(err)
            break
        todo.remove(current)
        opline = ""
        if os.path.exists(path + ".op"):
            with open(path + ".op") as f:
                opline = f.read().strip()
        if err:
            with open(os.path.join(ctx.work, "race-%s-%d.stderr" % (name, current)), "w") as f:
                f.write(err)
        f = opline.split()
        if len(f) == 10 and f[1] == str(current):   # the died round's counts, up to its last access
            for key, v in zip(("accesses", "after", "oserrors", "zero_reads", "wrong_bytes"), f[5:]):
                tot[key] += int(v)
            if int(f[9]):
                tot["examples"].append("seed %d: %s wrong bytes before the process died" % (current, f[9]))
        if rc is None:
            tot["timeouts"] += 1
        else:
            tot["died"] += 1
        why = race_death(err, opline, current)
        hs = os.path.join(ctx.work, "hs_err_pid%d.log" % p.pid)
        how = describe_rc(rc) + (": " + race_hs_err(hs) if os.path.exists(hs) else "")
        tot["deaths"].append("seed %d: %s, %s%s" % (current, how, why, (
            " (race-%s-%d.stderr)" % (name, current)) if err else ""))
    tot["seconds"] = time.time() - t0
    return tot


def scenario_race(ctx):
    n = ctx.args.race_rounds
    base = ctx.args.race_seed if ctx.args.race_seed is not None else random.randrange(1, 10 ** 6) * 1000
    seeds = [base + i for i in range(n)]
    names = [t for t in ctx.args.race_targets.split(",") if t] or [t[0] for t in RACE_TARGETS]
    unknown = set(names) - set(t[0] for t in RACE_TARGETS)
    if unknown:
        raise ValueError("unknown race targets %s (known: %s)" % (
            ",".join(sorted(unknown)), ",".join(t[0] for t in RACE_TARGETS)))
    spec = importlib.util.spec_from_file_location("race_scenario", os.path.join(SCEN, "race.py"))
    race = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(race)
    template = os.path.join(ctx.work, "race-template.bin")
    with open(template, "wb") as f:
        f.write(race.pattern())
    log("race: %d rounds per target, seeds %d..%d; replay one: FMMAP_GUARD=G [FMMAP_RACE_WARMUP=S] "
        "<python> %s /tmp/race-template.bin /tmp/race.bin SEED (the template is made when missing)"
        % (n, seeds[0], seeds[-1], os.path.relpath(os.path.join(SCEN, "race.py"), ROOT)))
    results = {}
    for name, python, guard, required, extra in RACE_TARGETS:
        if name not in names:
            continue
        t = race_target(ctx, name, python, guard, required, extra, seeds, template)
        results[name] = t
        errnos = ",".join("%s:%d" % kv for kv in sorted(t["errnos"].items())) or "-"
        more = "".join(", %d %s" % (t[key], what) for key, what in (
            ("timeouts", "timeouts"), ("not_run", "not run"), ("unclean", "unclean exceptions"),
            ("range_errors", "range errors"), ("bad_results", "wrong results")) if t[key])
        log("race: %s (%s, %s): %d/%d survived, %d died%s; %d accesses (%d after the truncation), "
            "%d OSErrors (errno %s), %d zero reads, %d wrong bytes; %d processes, %.0fs" % (
                name, guard, "required" if required else "measured", t["survived"], t["rounds"],
                t["died"], more, t["accesses"], t["after"], t["oserrors"], errnos, t["zero_reads"],
                t["wrong_bytes"], t["processes"], t["seconds"]))
        if ctx.args.race_warmup and t["warmup_accesses"]:
            log("race:   warm-up: %d accesses on an intact map (%.0fs per process)"
                % (t["warmup_accesses"], ctx.args.race_warmup))
        for d in t["deaths"]:
            log("race:   died: %s" % d)
        for e in t["examples"]:
            log("race:   %s" % e)
        if t["untruncated"]:
            log("race:   %d rounds ended before the truncation had returned" % t["untruncated"])
        if t["wrong_bytes"] or t["bad_results"]:
            ctx.fail("race: %s: %d wrong bytes, %d wrong results" % (name, t["wrong_bytes"], t["bad_results"]))
        if required and (t["died"] or t["timeouts"] or t["not_run"] or t["unclean"]):
            ctx.fail("race: %s (FMMAP_GUARD=%s) must survive every round cleanly: %d died, %d timeouts, "
                     "%d not run, %d unclean exceptions%s" % (
                         name, guard, t["died"], t["timeouts"], t["not_run"], t["unclean"],
                         (": " + t["deaths"][0]) if t["deaths"] else ""))
    for f in os.listdir(ctx.work):   # 16 MiB each; the .op records and stderr logs are kept
        if f.startswith("race-") and f.endswith(".bin"):
            os.remove(os.path.join(ctx.work, f))
    req = [(k, v) for k, v in results.items() if k in [t[0] for t in RACE_TARGETS if t[3]]]
    mea = [(k, v) for k, v in results.items() if (k, v) not in req]
    parts = []
    if req:
        parts.append("strict %d/%d rounds survived (%s)" % (
            sum(v["survived"] for k, v in req), sum(v["rounds"] for k, v in req),
            ", ".join("%s %d/%d" % (k[:-len("-strict")], v["survived"], v["rounds"]) for k, v in req)))
    if mea:
        parts.append("measured survived %s" % ", ".join("%s %d/%d" % (k, v["survived"], v["rounds"]) for k, v in mea))
    parts.append("%d wrong bytes" % sum(v["wrong_bytes"] for v in results.values()))
    bad = sum(v["bad_results"] for v in results.values())
    if bad:
        parts.append("%d wrong results" % bad)
    return {"summary": ", ".join(parts), "targets": results}


# ---------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10000, help="concurrency close/resize rounds")
    ap.add_argument("--cycles", type=int, default=100000, help="leak scenario open/close cycles")
    ap.add_argument("--timeout", type=int, default=600, help="per-child time limit, seconds")
    ap.add_argument("--only", default="", help="comma-separated scenarios to run")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--race-rounds", type=int, default=20, help="race rounds per target")
    ap.add_argument("--race-targets", default="", help="comma-separated race targets (default all: %s)"
                    % ",".join(t[0] for t in RACE_TARGETS))
    ap.add_argument("--race-warmup", type=float, default=3, help="seconds of race operations on an "
                    "intact map before a race process's first round (JIT warm-up; not for CPython)")
    ap.add_argument("--race-seed", type=int, default=None, help="first race seed (default random)")
    ap.add_argument("--race-env", action="append", default=[], metavar="K=V",
                    help="an environment variable for the race children (repeatable)")
    ap.add_argument("--java-home", default=None, metavar="DIR",
                    help="the JDK every GraalPy and Jython child runs on (default: the launchers' choice)")
    args = ap.parse_args()
    if args.java_home:
        os.environ["JAVA_HOME"] = args.java_home
        log("reliability: JVM children on %s" % args.java_home)
    args.race_env_dict = dict(kv.split("=", 1) for kv in args.race_env)
    order = ["concurrency", "durability", "truncation", "leaks", "hostile", "race"]
    only = [s for s in args.only.split(",") if s] or order
    ctx = Ctx(args)
    log("reliability: scratch directory %s" % ctx.work)
    results, timings = {}, {}
    t_all = time.time()
    for name in order:
        if name not in only:
            continue
        t0 = time.time()
        log("== %s" % name)
        try:
            results[name] = globals()["scenario_" + name](ctx)
        except Exception as e:  # a driver bug must not look like a pass
            ctx.fail("%s: driver error %s: %s" % (name, type(e).__name__, e))
            results[name] = None
        timings[name] = time.time() - t0
        log("== %s: %.1fs" % (name, timings[name]))
    total = time.time() - t_all
    log("timings: " + ", ".join("%s %.1fs" % kv for kv in timings.items()) + ", total %.1fs" % total)
    hs = [f for f in os.listdir(ctx.work) if f.startswith("hs_err")]
    if hs:
        log("JVM crash logs in %s: %s" % (ctx.work, ", ".join(hs)))
    if not args.keep and not hs and not ctx.failures:
        shutil.rmtree(ctx.work, ignore_errors=True)
    elif ctx.failures:   # the children's logs (e.g. race-*.stderr) are there
        log("scratch directory kept: %s" % ctx.work)

    parts = []
    c = results.get("concurrency")
    if "concurrency" in only:
        parts.append("%d close races, %d crashes" % (args.rounds, c["crashes"] if c else 1))
    if "durability" in only:
        parts.append("durability %s" % ("ok" if results.get("durability", {}) and results["durability"]["ok"] else "FAILED"))
    if "truncation" in only:
        t = results.get("truncation")
        parts.append("truncation: %s" % (t["summary"] if t else "not measured"))
    if "leaks" in only:
        lk = results.get("leaks") or {}
        fmt = lambda v: "?" if v is None else "%+d" % v
        parts.append("leaks: fds %s, maps %s (whole process %s)" % (
            fmt(lk.get("fds")), fmt(lk.get("maps")), fmt(lk.get("process_maps"))))
    if "hostile" in only:   # reported on its own line so the summary keeps its agreed format
        h = results.get("hostile")
        log("hostile: %s" % ("%d cases clean, %d differ from CPython 3.13" % (h["cases"], h["diffs"])
                             if h and h["ok"] else "FAILED"))
    if "race" in only:
        r = results.get("race")
        parts.append("race: %s" % (r["summary"] if r else "not measured"))
    if ctx.failures:
        log("%d failure(s):" % len(ctx.failures))
        for f in ctx.failures:
            log("  - " + f.splitlines()[0])
    print("reliability: " + "; ".join(parts), flush=True)
    # bin/test's summary line: each scenario run is a test when none failed; otherwise each
    # failure reported is one and none passed.
    print("suite %s: %d passed, %d failed, 0 skipped"
          % (os.environ.get("FMMAP_SUITE", "reliability"), 0 if ctx.failures else len(results),
             len(ctx.failures)), flush=True)
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    sys.exit(main())
