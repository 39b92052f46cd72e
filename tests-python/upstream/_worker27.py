"""In-Jython half of the upstream suite runner for CPython 2.7's test_mmap (see run_upstream.py).

Not meant to be run by hand.  The Python 2.7 counterpart of _worker.py, with the same protocol:
it runs the named tests of CPython 2.7's ``test_mmap.py`` -- loaded in place from the CPython
install, never copied -- one at a time under bin/jython, and appends one JSON record per event to
--results, flushed at once, so that when the JVM dies the orchestrator still knows which tests
finished and which one was running:

    {"event": "hello", ...}                  the interpreter is up
    {"event": "ready", "support": ..., ...}  test_mmap imported, mmap bound to fmmap
    {"event": "start", "test": NAME}
    {"event": "end", "test": NAME, "status": "PASS|FAIL|ERROR|SKIP", "reason": ..., "traceback": ...}
    {"event": "done"}
or, when fmmap or the test module cannot even be imported,
    {"event": "setup_failed", "reason": ..., "traceback": ...}

Only the ``test`` package comes from the CPython install: sys.modules['test'] is bound to a
package object whose __path__ is that install's Lib/test directory, so that ``test.test_support``
(and the ``test.support`` it aliases) and ``test.test_mmap`` are CPython 2.7.18's own, while every
other module (unittest, os, ...) is still Jython's.  Putting the whole CPython lib directory on
sys.path instead would shadow Jython's standard library with CPython's.

Python 2.7 syntax, stdlib only; runs on Jython 2.7 (and would on CPython 2.7).
"""
import argparse
import json
import os
import sys
import time
import traceback
import types
import unittest


def _text(value):
    """Any message or traceback as unicode (a Python 2 str may hold bytes that are not UTF-8)."""
    if isinstance(value, unicode):
        return value
    if not isinstance(value, str):
        try:
            value = str(value)
        except UnicodeError:
            return unicode(value)
    return value.decode("utf-8", "replace")


class _Emitter(object):
    def __init__(self, path):
        self._f = open(path, "ab")

    def __call__(self, event, **fields):
        fields["event"] = event
        fields["t"] = time.time()
        for key, value in fields.items():
            if isinstance(value, str):
                fields[key] = _text(value)
        self._f.write(json.dumps(fields) + "\n")  # ASCII (ensure_ascii)
        self._f.flush()
        try:
            os.fsync(self._f.fileno())
        except Exception:  # noqa: BLE001 - flush() already handed the record to the OS
            pass


def _install_test_package(test_dir):
    """Binds sys.modules['test'] to the package in test_dir (and nothing else of that install)."""
    for name in [m for m in sys.modules if m == "test" or m.startswith("test.")]:
        del sys.modules[name]
    package = types.ModuleType("test")
    init = os.path.join(test_dir, "__init__.py")
    package.__file__ = init
    package.__path__ = [test_dir]
    package.__package__ = "test"
    sys.modules["test"] = package
    if os.path.isfile(init):
        execfile(init, package.__dict__)
    return package


def _setup(cpython_lib, long_run):
    """Binds mmap to fmmap and imports CPython's test_support and test_mmap; returns them."""
    import fmmap
    # Before anything can import mmap: test_mmap does import_module('mmap'), which returns
    # sys.modules['mmap'].
    sys.modules["mmap"] = fmmap
    test_dir = os.path.join(cpython_lib, "test")
    _install_test_package(test_dir)
    import test.test_support as support
    # (CPython 2.7's test_support is an alias of its test.support package.)
    if not os.path.realpath(support.__file__).startswith(os.path.realpath(test_dir) + os.sep):
        raise RuntimeError("test.test_support came from %s, not from %s" % (support.__file__, test_dir))
    # As regrtest does without -u: no optional resource enabled; --long enables 'largefile'.
    # (CPython 2.7's LargeMmapTests ask for 'largefile' only on Windows and macOS.)
    support.use_resources = ["largefile"] if long_run else []
    support.verbose = 0
    import test.test_mmap as module
    if module.mmap is not fmmap:
        raise RuntimeError("test_mmap uses %r, not fmmap" % (module.mmap,))
    return fmmap, support, module


class _Result(unittest.TestResult):
    """Keeps the exception of each failure/error (not just the formatted text)."""

    def __init__(self):
        unittest.TestResult.__init__(self)
        self.records = []  # (status, exc_type_name, message, formatted traceback)

    def _add(self, status, test, err):
        exc_type, exc, _ = err
        self.records.append((status, getattr(exc_type, "__name__", _text(exc_type)), _text(exc),
                             _text(self._exc_info_to_string(err, test))))

    def addError(self, test, err):
        unittest.TestResult.addError(self, test, err)
        self._add("ERROR", test, err)

    def addFailure(self, test, err):
        unittest.TestResult.addFailure(self, test, err)
        self._add("FAIL", test, err)

    def addUnexpectedSuccess(self, test):
        unittest.TestResult.addUnexpectedSuccess(self, test)
        self.records.append(("FAIL", "UnexpectedSuccess", u"unexpected success", u""))


def _first_line(text):
    for line in _text(text).splitlines():
        if line.strip():
            return line.strip()
    return u""


def _run_one(module, name):
    test = unittest.defaultTestLoader.loadTestsFromName(name, module)
    result = _Result()
    test.run(result)
    if result.records:
        status = "ERROR" if any(r[0] == "ERROR" for r in result.records) else "FAIL"
        first = [r for r in result.records if r[0] == status][0]
        reason = u"%s: %s" % (first[1], _first_line(first[2])) if first[2] else first[1]
        return status, reason, u"\n".join(r[3] for r in result.records)
    if result.skipped:
        return "SKIP", _first_line(result.skipped[0][1]), u""
    if result.testsRun == 0:
        return "ERROR", u"no test ran for this name", u""
    return "PASS", u"", u""


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--cpython-lib", required=True)
    p.add_argument("--long", action="store_true")
    p.add_argument("tests", nargs="*")
    args = p.parse_args(argv)

    emit = _Emitter(args.results)
    emit("hello", pid=os.getpid(), implementation=sys.platform, version=sys.version.replace("\n", " "))

    try:
        fmmap, support, module = _setup(args.cpython_lib, args.long)
    except:  # noqa: E722 - anything, Java exceptions included: reported against every test
        exc = sys.exc_info()[1]
        emit("setup_failed", reason=u"suite setup failed: %s: %s" % (type(exc).__name__, _first_line(exc)),
             traceback=_text(traceback.format_exc()))
        return 0

    emit("ready", support="cpython",
         support_note="test.test_support from %s" % os.path.dirname(support.__file__),
         mmap=repr(module.mmap), test_module=module.__file__)

    for name in args.tests:
        emit("start", test=name)
        t0 = time.time()
        try:
            status, reason, text = _run_one(module, name)
        except:  # noqa: E722 - e.g. SystemExit or a Java exception escaping unittest
            exc = sys.exc_info()[1]
            status, reason, text = ("ERROR", u"runner: %s: %s" % (type(exc).__name__, _first_line(exc)),
                                    _text(traceback.format_exc()))
        emit("end", test=name, status=status, reason=reason, traceback=text,
             duration=round(time.time() - t0, 3))
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
