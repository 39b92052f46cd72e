"""Run the Jython (Python 2.7) behaviour suite.

    FMMAP_TEST_TARGET=mmap python2.7 tests-jython/run.py   # CPython's mmap (reference)
    jython tests-jython/run.py                             # fmmap

Extra arguments are name patterns: only tests whose id contains one of them
run (e.g. ``run.py test_find test_resize.ResizeTests``). -v lists every test.
Prints ``tests-jython: N passed, M skipped, K failed``, then bin/test's summary line
``suite NAME: N passed, K failed, M skipped`` (NAME from FMMAP_SUITE, which bin/test sets), and
exits 1 on failure.
"""
from __future__ import print_function

import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            for test in iter_tests(item):
                yield test
        else:
            yield item


def main(argv):
    verbosity = 1
    patterns = []
    for arg in argv:
        if arg in ("-v", "--verbose"):
            verbosity = 2
        else:
            patterns.append(arg)
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    from _target import mmap, REFERENCE
    name = "stdlib mmap (reference)" if REFERENCE else "fmmap"
    print("mmap under test: %s (%s), Python %s" % (
        name, getattr(mmap, "__file__", mmap), sys.version.split()[0]))
    if not REFERENCE:
        from java.lang import System
        from dev.fmmap.syscalls import Syscalls
        print("JDK %s, native backend %s" % (System.getProperty("java.version"), Syscalls.backend()))

    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    tests = list(iter_tests(suite))
    if patterns:
        tests = [t for t in tests if any(p in t.id() for p in patterns)]
    suite = unittest.TestSuite(tests)

    started = time.time()
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=verbosity).run(suite)
    elapsed = time.time() - started

    skipped = len(result.skipped)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - skipped - failed - len(result.expectedFailures)
    sys.stderr.flush()
    print("ran %d tests in %.1f s" % (result.testsRun, elapsed))
    print("tests-jython: %d passed, %d skipped, %d failed" % (passed, skipped, failed))
    print("suite %s: %d passed, %d failed, %d skipped" % (
        os.environ.get("FMMAP_SUITE", "tests-jython"), passed, failed, skipped))
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
