"""The parts of docs/ that come from real runs, and the check that they still match them.

    python3 docs/generate.py run     # the API tests on every runtime -> build/api-results/*.xml
    python3 docs/generate.py check   # exit 1 (and a diff) where a generated part differs
    python3 docs/generate.py write   # rewrite the generated parts

A generated part sits between `<!-- generated: KIND ARG -->` and `<!-- end generated -->`:
- `api-table`: docs/compat.md's table of every name of CPython 3.13's mmap module and mmap.mmap,
  from the JUnit XML that `run` leaves: tests-python/test_api_surface.py (one test per member) and
  test_constants.py (one per module name), on each runtime in RUNTIMES;
- `benchmark results/NAME.json`: a bin/benchmark run's tables, rendered by bench/report.py from the
  run's JSON document kept under docs/results/: the rows' table, and the small-operations tables when
  the run has that part (a `bin/benchmark --only small` run has only those); the first run with rows
  also gives docs/benchmark.svg.
bin/test docs runs `run` then `check`. Host python3, standard library only.
"""
import difflib
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
RESULTS = os.path.join(ROOT, "build", "api-results")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import report  # noqa: E402  (bench/report.py)

BUILD = os.path.join(ROOT, "build")
CPYTHON313 = os.environ.get("FMMAP_CPYTHON313") or os.path.expanduser("~/.pyenv/versions/3.13.0/bin/python3.13")
# (results file, column title, command, environment): fmmap on each GraalPy, GraalPy's own mmap,
# and CPython 3.13's, the spec, on which every test must pass.
RUNTIMES = [
    ("graalpy-25.0.3", "fmmap, GraalPy 25.0.3", [os.path.join(ROOT, "bin", "graalpy")],
     {"PYTHONPATH": os.path.join(BUILD, "pytest-graalpy")}),
    ("graalpy-25.2.4", "fmmap, GraalPy 25.2.4", [os.path.join(ROOT, "bin", "graalpy-25.2.4")],
     {"PYTHONPATH": os.path.join(BUILD, "pytest-graalpy")}),
    ("builtin-25.0.3", "GraalPy 25.0.3's built-in mmap", [os.path.join(ROOT, "bin", "graalpy")],
     {"PYTHONPATH": os.path.join(BUILD, "pytest-graalpy"), "FMMAP_TEST_TARGET": "mmap"}),
    ("cpython-3.13", "CPython 3.13 (the spec)", [CPYTHON313],
     {"PYTHONPATH": os.path.join(BUILD, "pytest-py313"), "FMMAP_TEST_TARGET": "mmap"}),
]
API_TESTS = ["tests-python/test_api_surface.py", "tests-python/test_constants.py"]
# test_constants.py's tests of the module's names that are not constants with a value to compare.
MODULE_TESTS = {"test_pagesize": "PAGESIZE", "test_allocation_granularity_equals_pagesize_on_linux":
                "ALLOCATIONGRANULARITY", "test_error_is_oserror": "error", "test_mmap_is_a_type": "mmap"}
MAX_CRASHES = 10


# --- run -------------------------------------------------------------------------------------------


def run_api_tests(key, command, env):
    """Runs the API tests on one runtime into RESULTS/key.xml. A test that kills the process (GraalPy's
    built-in mmap crashes the JVM on some calls after close()) is recorded as a crash, and the run
    goes on without it."""
    os.makedirs(RESULTS, exist_ok=True)
    xml = os.path.join(RESULTS, key + ".xml")
    crashed = []
    start = time.time()
    while True:
        if os.path.exists(xml):
            os.unlink(xml)
        args = command + ["-m", "pytest", "-v", "-p", "no:cacheprovider", "--junitxml", xml] + API_TESTS
        args += ["--deselect=" + test.split("/", 1)[1] for test in crashed]  # ids from the rootdir
        done = subprocess.run(args, cwd=ROOT, env=dict(os.environ, **env), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True)
        if os.path.exists(xml):
            break
        started = re.findall(r"^(tests-python/\S+::\S+)", done.stdout, re.M)
        finished = re.findall(r"^(tests-python/\S+::\S+) (?:PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)",
                              done.stdout, re.M)
        last = started[-1] if started else None
        if last is None or last in finished or len(crashed) >= MAX_CRASHES:
            sys.stdout.write(done.stdout[-3000:])
            raise SystemExit("%s: pytest ended (exit %d) without results" % (key, done.returncode))
        print("%s: %s crashed the process (exit %d); again without it" % (key, last, done.returncode))
        crashed.append(last)
    with open(os.path.join(RESULTS, key + ".crashed"), "w") as f:
        f.write("".join(test + "\n" for test in crashed))
    print("%s: %s (%.0f s)" % (key, done.stdout.strip().splitlines()[-1], time.time() - start))


# --- the API table ---------------------------------------------------------------------------------


def api_statuses(key):
    """{name: status text} for one runtime's results, or None when it has none."""
    xml = os.path.join(RESULTS, key + ".xml")
    if not os.path.exists(xml):
        return None
    statuses = {}
    for case in ElementTree.parse(xml).getroot().iter("testcase"):
        test = case.get("name")
        match = re.match(r"test_(?:member|constant_value)\[(.+)\]$", test)
        name = match.group(1) if match else MODULE_TESTS.get(test)
        if name is None:
            continue
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        skipped = case.find("skipped")
        if problem is not None:
            statuses[name] = "no: " + short(problem.get("message") or "")
        elif skipped is not None:
            statuses[name] = "skipped: " + short(skipped.get("message") or "")
        else:
            statuses[name] = "yes"
    with open(os.path.join(RESULTS, key + ".crashed")) as f:
        for test in f.read().split():
            statuses[re.search(r"\[(.+)\]$", test).group(1)] = "no: the process crashes"
    return statuses


def short(message):
    """The first line of a failure message, without pytest's decorations, at most 70 characters."""
    line = message.strip().splitlines()[0] if message.strip() else "fails"
    line = re.sub(r"^(AssertionError: )?assert ", "wrong result: ", line)
    line = line.replace("|", "\\|")
    return line if len(line) <= 70 else line[:67] + "..."


def module_name(name):
    return name[0].isupper() or name in MODULE_TESTS.values()


def api_table():
    columns = [(title, api_statuses(key)) for key, title, _, _ in RUNTIMES]
    columns = [(title, statuses) for title, statuses in columns if statuses is not None]
    if not columns:
        raise SystemExit("no API test results in %s: run `python3 docs/generate.py run` first"
                         % os.path.relpath(RESULTS, ROOT))
    # mmap.mmap's methods, then its special methods, then the module's names
    names = sorted(set().union(*(statuses for _, statuses in columns)),
                   key=lambda n: (module_name(n), n.startswith("__"), n))
    lines = ["| name | " + " | ".join(title for title, _ in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for name in names:
        shown = "`%s`" % (name if module_name(name) else "mmap." + name)
        lines.append("| %s | %s |" % (shown, " | ".join(statuses.get(name, "no result")
                                                         for _, statuses in columns)))
    return "\n".join(lines) + "\n"


# --- the generated parts ---------------------------------------------------------------------------

BLOCK = re.compile(r"(<!-- generated: (\S+)(?: (\S+))? -->\n)(.*?)(<!-- end generated -->)", re.S)


def render(kind, arg, runs):
    if kind == "api-table":
        return api_table()
    if kind == "benchmark":
        with open(os.path.join(DOCS, arg)) as f:
            doc = json.load(f)
        runs.append(doc)
        return "```\n" + report.render(doc) + "```\n"
    raise SystemExit("unknown generated part: %s" % kind)


def rendered_files():
    """[(path, text as it stands, text as its runs give it)]: the docs with generated parts, and the
    chart of the first benchmark run they show that has rows (a small-operations run has none)."""
    files, runs = [], []
    for name in ("compat.md", "benchmark.md", "benchmark-history.md"):
        path = os.path.join(DOCS, name)
        with open(path) as f:
            text = f.read()
        new = BLOCK.sub(lambda m: m.group(1) + render(m.group(2), m.group(3), runs) + m.group(5), text)
        files.append((path, text, new))
    chart = os.path.join(DOCS, "benchmark.svg")
    with open(chart) as f:
        files.append((chart, f.read(), report.svg(next(run for run in runs if run["rows"]))))
    return files


def main():
    action = sys.argv[1] if len(sys.argv) == 2 else None
    if action == "run":
        for key, _, command, env in RUNTIMES:
            run_api_tests(key, command, env)
        return 0
    if action not in ("check", "write"):
        raise SystemExit(__doc__)
    stale = 0
    for path, text, new in rendered_files():
        if new == text:
            continue
        stale += 1
        name = os.path.relpath(path, ROOT)
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), name, "generated"))
        if action == "write":
            with open(path, "w") as f:
                f.write(new)
    if action == "check":
        print("docs: %s" % ("%d file(s) differ from their runs; `python3 docs/generate.py write` rewrites "
                            "them" % stale if stale else "every generated part matches its run"))
        return 1 if stale else 0
    print("docs: %d file(s) rewritten" % stale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
