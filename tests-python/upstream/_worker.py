"""In-GraalPy half of the upstream suite runner (see run_upstream.py; not meant to be run by hand).

Runs the named tests of an upstream CPython ``test_mmap.py`` -- loaded in place from the CPython
install, never copied -- one at a time, and appends one JSON record per event to --results,
flushed and fsync'ed at once, so that when the JVM dies the orchestrator still knows which tests
finished and which one was running:

    {"event": "hello", ...}                  the interpreter is up
    {"event": "ready", "support": ..., ...}  test_mmap imported, mmap bound
    {"event": "start", "test": NAME}
    {"event": "end", "test": NAME, "status": "PASS|FAIL|ERROR|SKIP", "reason": ..., "traceback": ...}
    {"event": "done"}
or, when fmmap or the test module cannot even be imported,
    {"event": "setup_failed", "reason": ..., "traceback": ...}

Test names are "Class.method" (e.g. "MmapTests.test_basic").

Stdlib only; must run on GraalPy (and would on CPython).
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
import unittest


class _Emitter:
    def __init__(self, path):
        self._f = open(path, "a", encoding="utf-8")

    def __call__(self, event, **fields):
        fields["event"] = event
        fields["t"] = time.time()
        self._f.write(json.dumps(fields) + "\n")
        self._f.flush()
        try:
            os.fsync(self._f.fileno())
        except OSError:
            pass


def _drop_test_package():
    for name in [m for m in sys.modules if m == "test" or m.startswith("test.")]:
        del sys.modules[name]


def _install_test_package(search_path, init_file):
    """Binds sys.modules['test'] to a package whose __path__ is search_path."""
    _drop_test_package()
    if init_file is not None:
        spec = importlib.util.spec_from_file_location("test", init_file,
                                                      submodule_search_locations=search_path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["test"] = module
        spec.loader.exec_module(module)
    else:
        import types
        module = types.ModuleType("test")
        module.__path__ = list(search_path)
        sys.modules["test"] = module
    importlib.invalidate_caches()


def _setup_test_support(cpython_lib, which):
    """Makes ``import test.support`` and ``import test.test_mmap`` work; returns a description.

    Which ``test.support``?  The upstream test module is written against the ``test.support`` of
    its own CPython version (it imports names such as ``is_apple`` that only exist from some
    version on), so that one is preferred: the ``test`` package is rebound to the CPython
    install's ``Lib/test`` directory as a whole.  But ``test.support`` is CPython-internal and may
    need modules GraalPy lacks: CPython 3.13's imports ``_opcode`` at top level, which GraalPy
    25.x (a Python 3.12) does not have.  Then we fall back to GraalPy's bundled ``test.support``
    (GraalPy ships ``lib/python3.12/test/support`` -- patched for GraalPy, from a newer 3.12 -- but
    no test modules): the ``test`` package gets the path [GraalPy's test dir, CPython's test dir],
    so ``test.support`` comes from GraalPy and ``test.test_mmap`` from the CPython install.
    Measured: CPython 3.12.1's support imports fine on GraalPy 25.0.3 (so it is used); 3.13.0's
    does not (``_opcode``), so the 3.13.0 suite runs on GraalPy's support.
    """
    cpython_test = os.path.join(cpython_lib, "test")
    graalpy_test = os.path.join(os.path.dirname(os.__file__), "test")
    errors = []
    if which in ("auto", "cpython"):
        try:
            _install_test_package([cpython_test], os.path.join(cpython_test, "__init__.py"))
            import test.support  # noqa: F401
            import test.support.os_helper  # noqa: F401
            import test.support.import_helper  # noqa: F401
            return "cpython", "test.support from %s" % os.path.dirname(test.support.__file__)
        except Exception as e:  # noqa: BLE001 - any failure means: use the fallback
            errors.append("CPython's test.support failed: %s: %s" % (type(e).__name__, e))
            if which == "cpython":
                raise
    if not os.path.isdir(os.path.join(graalpy_test, "support")):
        raise RuntimeError("no bundled test.support in %s; %s" % (graalpy_test, "; ".join(errors)))
    _install_test_package([graalpy_test, cpython_test], None)
    import test.support  # noqa: F401
    import test.support.os_helper  # noqa: F401
    import test.support.import_helper  # noqa: F401
    note = "test.support from %s (GraalPy's bundled)" % os.path.dirname(test.support.__file__)
    if errors:
        note += "; " + "; ".join(errors)
    return "graalpy", note


class _Result(unittest.TestResult):
    """Keeps the exception of each failure/error (not just the formatted text)."""

    def __init__(self):
        super().__init__()
        self.records = []  # (status, exc_type_name, message, formatted traceback)

    def _add(self, status, test, err):
        exc_type, exc, _ = err
        text = self._exc_info_to_string(err, test)
        self.records.append((status, exc_type.__name__, str(exc), text, str(test)))

    def addError(self, test, err):
        super().addError(test, err)
        self._add("ERROR", test, err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._add("FAIL", test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._add("FAIL" if issubclass(err[0], test.failureException) else "ERROR",
                      subtest, err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.records.append(("FAIL", "UnexpectedSuccess", "unexpected success", "", str(test)))


def _first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def _run_one(module, name):
    test = unittest.defaultTestLoader.loadTestsFromName(name, module)
    result = _Result()
    test.run(result)
    if result.records:
        status = "ERROR" if any(r[0] == "ERROR" for r in result.records) else "FAIL"
        first = next(r for r in result.records if r[0] == status)
        reason = "%s: %s" % (first[1], _first_line(first[2])) if first[2] else first[1]
        text = "\n".join(("[%s] %s\n" % (r[4], r[0]) if len(result.records) > 1 else "") + r[3]
                         for r in result.records)
        return status, reason, text
    if result.skipped:
        return "SKIP", _first_line(result.skipped[0][1]), ""
    if result.testsRun == 0:
        return "ERROR", "no test ran for this name", ""
    return "PASS", "", ""


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--cpython-lib", required=True)
    p.add_argument("--module", choices=("fmmap", "builtin"), required=True)
    p.add_argument("--support", choices=("auto", "cpython", "graalpy"), default="auto")
    p.add_argument("--long", action="store_true")
    p.add_argument("tests", nargs="*")
    args = p.parse_args(argv)

    emit = _Emitter(args.results)
    emit("hello", pid=os.getpid(), implementation=sys.implementation.name,
         version=sys.version.replace("\n", " "))

    try:
        # Bind mmap before anything can import it: test_mmap does import_module('mmap'), which
        # returns sys.modules['mmap'].
        if args.module == "fmmap":
            import fmmap
            sys.modules["mmap"] = fmmap
            expected = fmmap
        else:
            import mmap
            expected = mmap
        support_kind, support_note = _setup_test_support(args.cpython_lib, args.support)
        import test.support
        # As regrtest does without -u: no optional resource enabled; --long enables 'largefile'.
        # (Upstream only gates LargeMmapTests on 'largefile' on Windows and macOS; on Linux they
        # always run, on sparse files.)
        test.support.use_resources = ["largefile"] if args.long else []
        test.support.verbose = 0
        import test.test_mmap as module
        if module.mmap is not expected:
            raise RuntimeError("test_mmap uses %r, not %r" % (module.mmap, expected))
    except BaseException as e:  # noqa: BLE001 - report setup failure against every test
        # The orchestrator reports it against every test (after one retry: a common cause is
        # fmmap.jar being rebuilt by bin/graalpy for another process at that very moment).
        emit("setup_failed", reason="suite setup failed: %s: %s" % (type(e).__name__, _first_line(e)),
             traceback=traceback.format_exc())
        return 0

    emit("ready", support=support_kind, support_note=support_note,
         mmap=repr(module.mmap), test_module=module.__file__)

    for name in args.tests:
        emit("start", test=name)
        t0 = time.time()
        try:
            status, reason, text = _run_one(module, name)
        except BaseException as e:  # noqa: BLE001 - e.g. SystemExit escaping unittest
            status, reason, text = ("ERROR", "runner: %s: %s" % (type(e).__name__, _first_line(e)),
                                    traceback.format_exc())
        emit("end", test=name, status=status, reason=reason, traceback=text,
             duration=round(time.time() - t0, 3))
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
