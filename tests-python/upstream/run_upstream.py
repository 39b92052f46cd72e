#!/usr/bin/env python3
"""Runs CPython's own ``test_mmap.py`` on GraalPy or Jython against fmmap (or GraalPy's built-in mmap).

The upstream suite is run in place from a CPython install under pyenv (it is never copied into
this repo).  This script is the orchestrator: it runs on the host's CPython (stdlib only) and
starts workers that run the tests one by one and append each result to a file the moment it is
known: ``_worker.py`` on GraalPy (``bin/graalpy``) for the CPython 3.x suites, ``_worker27.py``
on Jython 2.7 (``bin/jython``) for CPython 2.7.18's suite, which runs with that install's own
``test.test_support`` (only its ``test`` package is taken from the install, not its whole lib).
The runtime follows from the suite: 2.7 -> Jython, 3.x -> GraalPy (--runtime may say so).

Isolation: a GraalPy start costs 10-20 s, so one process per test (46 tests) would not fit the
time budget on 2 cores (a Jython start costs about 2 s; the same scheme serves it).  Instead the
tests are dealt into --jobs shards; each shard runs its tests sequentially in one worker process.  When a worker dies (JVM SIGSEGV, abort, uncaught Java
exception that kills the launcher) or its current test exceeds --timeout, the test it was
running is marked CRASH and a fresh worker resumes the shard after it.  So a crash costs one
restart and never hides another test's result.

Usage (from the repo root):
    python3 tests-python/upstream/run_upstream.py                       # 3.12.1 suite, fmmap
    python3 tests-python/upstream/run_upstream.py --module builtin      # GraalPy's own mmap
    python3 tests-python/upstream/run_upstream.py --cpython 3.13.0 --graalpy 25.2.4 -k find
    python3 tests-python/upstream/run_upstream.py --expect-failures tests-python/upstream/expected-failures-3.12.1.txt
    python3 tests-python/upstream/run_upstream.py --cpython 2.7.18 --runtime jython \
        --expect-failures tests-python/upstream/expected-failures-jython.txt   # Jython 2.7.4

Output: one line per test in suite order, ``STATUS Class.test  [reason]`` with STATUS one of
PASS/FAIL/ERROR/SKIP/CRASH, then the summary line
``upstream test_mmap (CPython 3.12.1) on GraalPy 25.0.3 with fmmap: N passed, N failed, N skipped``
(``... (CPython 2.7.18) on Jython 2.7.4 with fmmap: ...`` for the 2.7 suite)
where "failed" counts FAIL + ERROR + CRASH, and last bin/test's line ``suite NAME: N passed,
N failed, N skipped`` (NAME from FMMAP_SUITE, which bin/test sets), where "failed" leaves out the
failures --expect-failures lists.  Progress goes to stderr as tests finish.
Exit status: 0 when nothing failed (or, with --expect-failures, nothing failed that is not
listed), 1 otherwise, 2 on a usage/setup error.

--expect-failures FILE: one test per line, ``Class.test_name  reason...`` (the name may also be
a full id ``test.test_mmap.Class.test_name`` or an fnmatch pattern); ``#`` starts a comment.
Listed tests may FAIL/ERROR/CRASH without failing the run; a listed test that passes is reported
("now passes, remove it from FILE") but does not fail the run.

--long: enables the 'largefile' test resource (as ``regrtest -u largefile``).  Note that upstream
only gates LargeMmapTests on it on Windows and macOS; on Linux those four tests always run (on
sparse files), as they do under ``python -m test test_mmap``, so that the default run matches
CPython's own test run.  CPython 2.7's suite asks for it only on Windows and macOS as well.
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "_worker.py")
WORKER27 = os.path.join(HERE, "_worker27.py")
GRAALPY = os.path.join(ROOT, "bin", "graalpy")
JYTHON = os.path.join(ROOT, "bin", "jython")
PYENV = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")

FAILED = ("FAIL", "ERROR", "CRASH")


def cpython_paths(version):
    base = os.path.join(PYENV, "versions", version)
    major_minor = ".".join(version.split(".")[:2])
    lib = os.path.join(base, "lib", "python" + major_minor)
    return os.path.join(base, "bin", "python" + major_minor), lib


def is_python2(version):
    return version.split(".")[0] == "2"


def list_tests(cpython_exe, cpython_lib, version):
    """The suite's tests ("Class.method", in unittest's order), listed by that CPython itself.

    Listing needs no mmap implementation (skip decorators still list their tests), and doing it on
    the host CPython costs 0.3 s instead of a GraalPy start.  The code is valid Python 2 and 3.
    """
    code = (
        "import sys, unittest\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import test.test_mmap as m\n"
        "def walk(s, out):\n"
        "    for t in s:\n"
        "        walk(t, out) if isinstance(t, unittest.TestSuite) else out.append(t)\n"
        "    return out\n"
        "for t in walk(unittest.defaultTestLoader.loadTestsFromModule(m), []):\n"
        "    print(t.id().split('test.test_mmap.', 1)[1])\n"
    )
    # Python 2 has no -I: -E -s is its isolation; -B leaves the install without new .pyc files.
    flags = ["-E", "-s", "-B"] if is_python2(version) else ["-I"]
    out = subprocess.run([cpython_exe] + flags + ["-c", code, cpython_lib], check=True,
                         capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout
    return [line for line in out.splitlines() if line.strip()]


def read_expectations(path):
    patterns = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
            if not line:
                continue
            name, _, reason = line.partition(" ")
            name = name.strip()
            if name.startswith("test.test_mmap."):
                name = name[len("test.test_mmap."):]
            patterns.append((name, reason.strip() or "(no reason given)", lineno))
    return patterns


def expectation_for(name, patterns):
    for pat, reason, _ in patterns:
        if name == pat or fnmatch.fnmatchcase(name, pat):
            return reason
    return None


def crash_summary(rc, log_path, hs_err_dir, pid):
    """One line saying how the worker died, from its exit status and its output."""
    if rc is None:
        how = "worker still running"
    elif rc < 0:
        try:
            how = "worker killed by %s" % signal.Signals(-rc).name
        except ValueError:
            how = "worker killed by signal %d" % -rc
    else:
        how = "worker exited with status %d" % rc
    detail = ""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for i, line in enumerate(lines):
        if "A fatal error has been detected by the Java Runtime Environment" in line:
            sig = next((m.group(0) for m in (re.search(r"(SIG[A-Z]+|EXCEPTION_\w+) \(0x[0-9a-f]+\)", s)
                                             for s in lines[i + 1:i + 6]) if m), "")
            frame = ""
            for j in range(i, min(len(lines), i + 30)):
                if "Problematic frame:" in lines[j] and j + 1 < len(lines):
                    frame = re.sub(r"\s*\[0x[0-9a-f]+\+0x[0-9a-f]+\]$", "", lines[j + 1].strip("# ").strip())
                    break
            detail = "JVM fatal error: %s%s" % (sig, (" in " + frame) if frame else "")
            break
    if not detail:
        for line in lines:
            m = re.match(r"\s*(Exception in thread .*|(?:java|jdk|com|org|dev)\.[\w.$]+(?:Exception|Error)\b.*)",
                         line)
            if m:
                detail = "uncaught Java exception: " + m.group(1).strip()
                break
    if not detail:
        tail = [l.strip() for l in lines if l.strip()]
        if tail:
            detail = "last output: " + tail[-1][:200]
    hs = os.path.join(hs_err_dir, "hs_err_pid%s.log" % pid) if pid else None
    if hs and os.path.exists(hs):
        detail += " (see %s)" % hs
    return how + ("; " + detail if detail else "")


class Shard(threading.Thread):
    """Runs a list of tests through as many worker processes as crashes require."""

    def __init__(self, index, tests, opts, workdir, report):
        super().__init__(name="shard-%d" % index, daemon=True)
        self.index, self.tests, self.opts, self.workdir, self.report = index, tests, opts, workdir, report
        self.results = {}
        self.runs = []  # per worker process: dict(log, results, rc, pid, ...)
        self.support = None
        self.abort = threading.Event()

    def run(self):
        remaining = list(self.tests)
        attempt = setup_failures = 0
        while remaining and not self.abort.is_set():
            attempt += 1
            progressed = self._run_worker(attempt, remaining)
            remaining = [t for t in remaining if t not in self.results]
            setup_failed = self.runs[-1].get("setup_failed")
            if setup_failed:
                setup_failures += 1
                if setup_failures < 2:  # e.g. fmmap.jar was being rebuilt: retry once
                    time.sleep(5)
                    continue
                for name in remaining:
                    self._record(name, "ERROR", setup_failed["reason"], setup_failed["traceback"], 0.0)
                remaining = []
            elif remaining and not progressed:
                # The worker died before running any test (e.g. the JVM could not start): retry
                # once, then report every remaining test rather than loop forever.
                setup_failures += 1
                if setup_failures < 2 and not self.abort.is_set():
                    time.sleep(5)
                    continue
                reason = "worker never started a test: " + self.runs[-1]["crash"]
                text = _log_tail(self.runs[-1]["log"])
                for name in remaining:
                    self._record(name, "ERROR", reason, text, 0.0)
                remaining = []

    def _record(self, name, status, reason, text, duration):
        self.results[name] = {"name": name, "status": status, "reason": reason,
                              "traceback": text, "duration": duration}
        self.report(self.results[name])

    def _run_worker(self, attempt, tests):
        o = self.opts
        tag = "shard%d-run%d" % (self.index, attempt)
        res_path = os.path.join(self.workdir, tag + ".jsonl")
        log_path = os.path.join(self.workdir, tag + ".log")
        cwd = os.path.join(self.workdir, tag)
        os.makedirs(cwd, exist_ok=True)
        env = dict(os.environ)
        if o.runtime == "jython":
            # bin/jython runs with -B: no $py.class files are written into the CPython install.
            cmd = [JYTHON, WORKER27, "--results", res_path, "--cpython-lib", o.cpython_lib]
            env["FMMAP_JYTHON_VERSION"] = o.jython
        else:
            cmd = [GRAALPY, WORKER, "--results", res_path, "--cpython-lib", o.cpython_lib,
                   "--module", o.module, "--support", o.support]
            env["FMMAP_GRAALPY_VERSION"] = o.graalpy
        cmd += (["--long"] if o.long else []) + ["--"] + tests
        env["FMMAP_JVM_OPTS"] = (env.get("FMMAP_JVM_OPTS", "") + " -XX:ErrorFile=%s" % os.path.join(
            self.workdir, "hs_err_pid%p.log")).strip()
        # Keep GraalPy's bytecode caches for the CPython install's test package out of the install.
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "fmmap-upstream-pycache")
        env.pop("PYTHONHOME", None)
        run = {"tag": tag, "log": log_path, "results": res_path, "tests": len(tests)}
        self.runs.append(run)
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=cwd, env=env, start_new_session=True)
        run["pid"] = proc.pid
        launched = time.time()
        current, since = None, launched
        done, killed_for, worker_pid = False, None, None
        buf, pos, progressed = "", 0, False

        def drain():
            nonlocal buf, pos, current, since, done, progressed, worker_pid
            try:
                with open(res_path, encoding="utf-8") as f:
                    f.seek(pos)
                    chunk = f.read()
                    pos = f.tell()
            except FileNotFoundError:
                return
            buf += chunk
            *lines, buf = buf.split("\n")
            for line in lines:
                if not line.strip():
                    continue
                rec = json.loads(line)
                ev = rec["event"]
                if ev == "hello":
                    worker_pid = rec.get("pid")
                elif ev == "ready":
                    self.support = rec.get("support_note")
                    run["ready_after"] = round(time.time() - launched, 1)
                elif ev == "start":
                    current, since, progressed = rec["test"], time.time(), True
                elif ev == "end":
                    self._record(rec["test"], rec["status"], rec.get("reason", ""),
                                 rec.get("traceback", ""), rec.get("duration"))
                    current, since = None, time.time()
                elif ev == "done":
                    done, since = True, time.time()
                elif ev == "setup_failed":
                    run["setup_failed"] = {"reason": rec["reason"], "traceback": rec["traceback"]}
                    done, since = True, time.time()

        while True:
            drain()
            rc = proc.poll()
            if rc is not None:
                break
            if self.abort.is_set():
                killed_for = "aborted"
            elif done:
                limit = 60  # a JVM that hangs at exit after all results are in
            elif current is None:
                limit = o.startup_timeout
            else:
                limit = o.timeout
            if killed_for or time.time() - since > limit:
                killed_for = killed_for or ("timeout: %s still running after %ds" % (current, limit)
                                            if current else
                                            "timeout: worker silent for %ds%s" % (
                                                limit, " after finishing" if done else ""))
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
                break
            time.sleep(0.25)
        rc = proc.wait()
        drain()
        # Test files left behind by a crashed test (LargeMmapTests' are 6 GB, if sparse).
        shutil.rmtree(cwd, ignore_errors=True)
        run["rc"] = rc
        run["wall"] = round(time.time() - launched, 1)
        run["crash"] = killed_for or crash_summary(rc, log_path, self.workdir, worker_pid)
        if current is not None and current not in self.results:
            # The test that was running when the worker died is the crashed one.
            self._record(current, "CRASH", run["crash"], _log_tail(log_path), round(time.time() - since, 1))
        elif not done:
            run["note"] = ("worker died between tests: " if progressed else
                           "worker died before its first test: ") + run["crash"]
        elif rc != 0 or killed_for:
            run["note"] = "worker finished all tests but then: " + run["crash"]
        return progressed


def _log_tail(path, n=60):
    """The end of a worker's output, with Java stack traces cut to their first frames."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    kept, frames = [], 0
    for line in lines:
        if re.match(r"\s+at ", line):
            frames += 1
            if frames == 6:
                kept.append("\t...")
            if frames > 5:
                continue
        else:
            frames = 0
        kept.append(line)
    return "\n".join(kept[-n:])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cpython", default="3.12.1", choices=("3.12.1", "3.13.0", "2.7.18"),
                   help="which CPython install's test_mmap.py to run (default 3.12.1)")
    p.add_argument("--runtime", choices=("graalpy", "jython"),
                   help="where the suite runs: jython for the 2.7 suite, graalpy for the 3.x ones "
                        "(the default follows --cpython)")
    p.add_argument("--graalpy", default="25.0.3", choices=("25.0.3", "25.2.4"),
                   help="GraalPy runtime (default 25.0.3)")
    p.add_argument("--jython", default="2.7.4", choices=("2.7.4",),
                   help="Jython runtime (default 2.7.4)")
    p.add_argument("--module", default="fmmap", choices=("fmmap", "builtin"),
                   help="mmap under test: fmmap, or GraalPy's built-in mmap as a baseline "
                        "(Jython has no mmap of its own)")
    p.add_argument("-k", dest="keywords", action="append", default=[], metavar="SUBSTRING",
                   help="only tests whose name contains SUBSTRING (repeatable: any of them)")
    p.add_argument("--jobs", type=int,
                   help="parallel workers (default 2 on GraalPy; 1 on Jython, where the whole 2.7 suite "
                        "takes 3 s in one worker and 5 s in two)")
    p.add_argument("--long", action="store_true", help="enable the 'largefile' test resource")
    p.add_argument("--timeout", type=int, default=300, help="per-test timeout in s (default 300)")
    p.add_argument("--startup-timeout", type=int, default=300,
                   help="time allowed for a worker to start and import the suite (default 300)")
    p.add_argument("--support", default="auto", choices=("auto", "cpython", "graalpy"),
                   help="which test.support: the CPython install's if it imports (auto), or force one "
                        "(the 2.7 suite always runs on its install's test_support)")
    p.add_argument("--json", metavar="FILE", help="write all results (with tracebacks) as JSON")
    p.add_argument("--expect-failures", metavar="FILE",
                   help="tests allowed to fail, one per line: NAME reason")
    p.add_argument("--tracebacks", action="store_true",
                   help="print the traceback of every failure after the result lines")
    p.add_argument("--keep", action="store_true", help="keep the worker logs directory")
    o = p.parse_args(argv)

    wanted = "jython" if is_python2(o.cpython) else "graalpy"
    if o.runtime is None:
        o.runtime = wanted
    elif o.runtime != wanted:
        p.error("CPython %s's test_mmap.py runs on %s, not %s" % (o.cpython, wanted, o.runtime))
    if o.runtime == "jython":
        if o.module != "fmmap":
            p.error("--module %s: Jython has no mmap module of its own; only fmmap runs there" % o.module)
        if o.support == "graalpy":
            p.error("--support graalpy applies to the GraalPy runtime only")
        runtime_label = "Jython %s" % o.jython
    else:
        runtime_label = "GraalPy %s" % o.graalpy

    cpython_exe, o.cpython_lib = cpython_paths(o.cpython)
    suite_file = os.path.join(o.cpython_lib, "test", "test_mmap.py")
    if not os.path.isfile(suite_file) or not os.access(cpython_exe, os.X_OK):
        print("run_upstream: no CPython %s test suite at %s" % (o.cpython, suite_file), file=sys.stderr)
        return 2
    if o.jobs is None:
        o.jobs = 1 if o.runtime == "jython" else 2
    if o.jobs < 1:
        p.error("--jobs must be >= 1")
    expectations = read_expectations(o.expect_failures) if o.expect_failures else []

    tests = list_tests(cpython_exe, o.cpython_lib, o.cpython)
    if o.keywords:
        tests = [t for t in tests if any(k in t for k in o.keywords)]
    if not tests:
        print("run_upstream: no test selected", file=sys.stderr)
        return 2

    workdir = tempfile.mkdtemp(prefix="fmmap-upstream-")
    started = time.time()
    print("running %d tests of %s on %s with %s, %d job(s); logs in %s"
          % (len(tests), suite_file, runtime_label, o.module, o.jobs, workdir), file=sys.stderr, flush=True)

    lock = threading.Lock()
    finished = [0]

    def report(r):
        with lock:
            finished[0] += 1
            line = "[%d/%d %4.0fs] %-5s %s" % (finished[0], len(tests), time.time() - started,
                                                r["status"], r["name"])
            if r["reason"]:
                line += "  " + r["reason"][:160]
            print(line, file=sys.stderr, flush=True)

    # Deal the tests round-robin so that slow neighbours (e.g. LargeMmapTests) spread out.
    jobs = min(o.jobs, len(tests))
    shards = [Shard(i, tests[i::jobs], o, workdir, report) for i in range(jobs)]
    for s in shards:
        s.start()
    try:
        for s in shards:
            while s.is_alive():
                s.join(0.5)
    except KeyboardInterrupt:
        for s in shards:
            s.abort.set()
        for s in shards:
            s.join(30)
        print("interrupted", file=sys.stderr)
    wall = time.time() - started

    results = {}
    for s in shards:
        results.update(s.results)
    for name in tests:
        results.setdefault(name, {"name": name, "status": "ERROR", "reason": "not run (interrupted)",
                                  "traceback": "", "duration": None})

    # Result lines, in suite order.
    unexpected, expected_failed, now_passing = [], [], []
    for name in tests:
        r = results[name]
        reason = expectation_for(name, expectations)
        line = "%-5s %s" % (r["status"], name)
        if r["reason"]:
            line += "  [%s]" % r["reason"][:200]
        if r["status"] in FAILED:
            if reason is not None:
                expected_failed.append(name)
                line += "  (expected: %s)" % reason
            else:
                unexpected.append(name)
        elif reason is not None and r["status"] == "PASS":
            now_passing.append(name)
            line += "  (listed as expected failure, but passes)"
        r["expected_failure"] = reason
        print(line)

    if o.tracebacks:
        shown = {}
        for name in tests:
            r = results[name]
            if r["status"] in FAILED and r["traceback"]:
                print("\n" + "=" * 70 + "\n%s %s\n" % (r["status"], name) + "-" * 70)
                if r["traceback"] in shown:
                    print("(same traceback as %s)" % shown[r["traceback"]])
                else:
                    shown[r["traceback"]] = name
                    print(r["traceback"].rstrip())
        print()

    notes = [run["tag"] + ": " + run["note"] for s in shards for run in s.runs if run.get("note")]
    for n in notes:
        print("note: " + n)
    supports = sorted({s.support for s in shards if s.support})
    for note in supports:
        print("note: " + note)
    if expectations:
        names = set(tests)
        for pat, _, lineno in expectations:
            if not any(n == pat or fnmatch.fnmatchcase(n, pat) for n in names) and not o.keywords:
                print("note: %s:%d: %s matches no test of this suite" % (o.expect_failures, lineno, pat))
        for name in now_passing:
            print("note: %s now passes; remove it from %s" % (name, o.expect_failures))
        print("expected failures: %d; unexpected failures: %d; listed but passing: %d"
              % (len(expected_failed), len(unexpected), len(now_passing)))

    counts = {k: sum(1 for r in results.values() if r["status"] == k)
              for k in ("PASS", "FAIL", "ERROR", "SKIP", "CRASH")}
    n_failed = counts["FAIL"] + counts["ERROR"] + counts["CRASH"]
    print("(%d fail, %d error, %d crash; %d worker process(es); wall time %.0fs)"
          % (counts["FAIL"], counts["ERROR"], counts["CRASH"], sum(len(s.runs) for s in shards), wall))
    print("upstream test_mmap (CPython %s) on %s with %s: %d passed, %d failed, %d skipped"
          % (o.cpython, runtime_label, o.module, counts["PASS"], n_failed, counts["SKIP"]), flush=True)
    # bin/test's summary line: the failures the expected-failures file lists (with reasons) are
    # reported above, not counted.
    print("suite %s: %d passed, %d failed, %d skipped"
          % (os.environ.get("FMMAP_SUITE", "upstream"), counts["PASS"],
             len(unexpected) if expectations else n_failed, counts["SKIP"]), flush=True)

    if o.json:
        with open(o.json, "w", encoding="utf-8") as f:
            json.dump({"cpython": o.cpython, "suite": suite_file, "runtime": runtime_label,
                       "graalpy": o.graalpy if o.runtime == "graalpy" else None,
                       "jython": o.jython if o.runtime == "jython" else None,
                       "module": o.module, "keywords": o.keywords, "long": o.long,
                       "jobs": jobs, "wall_time": round(wall, 1), "counts": counts,
                       "test_support": supports,
                       "workers": [run for s in shards for run in s.runs],
                       "unexpected_failures": unexpected if expectations else None,
                       "results": [results[n] for n in tests]}, f, indent=2)

    if o.keep or n_failed:
        print("worker logs kept in %s" % workdir, file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
