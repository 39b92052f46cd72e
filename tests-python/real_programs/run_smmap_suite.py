"""Runs smmap's own unittest suite (shipped inside the package, smmap/test) on the module under test.

    PYTHONPATH=build/smmap bin/graalpy tests-python/real_programs/run_smmap_suite.py
    PYTHONPATH=build/smmap FMMAP_TEST_TARGET=mmap python3.13 tests-python/real_programs/run_smmap_suite.py

fmmap is put in sys.modules['mmap'] before smmap is imported, so smmap.util's
`from mmap import mmap, ACCESS_READ, ALLOCATIONGRANULARITY` binds fmmap's names (printed first).
Not part of bin/test: test_memman_operation alone takes ~100 s on GraalPy 25.0.3, and
test_buf.test_basics fails on GraalPy with its built-in mmap as with fmmap (it counts on `del buf`
finalizing the buffer at once, as CPython's reference counting does).
"""
import os
import sys
import time
import unittest

if os.environ.get("FMMAP_TEST_TARGET", "") != "mmap":
    import fmmap
    sys.modules["mmap"] = fmmap

import smmap  # noqa: E402
import smmap.util  # noqa: E402

print("smmap %s, maps made by %r" % (smmap.__version__, smmap.util.mmap))
started = time.time()
suite = unittest.defaultTestLoader.loadTestsFromNames(
    ["smmap.test.test_buf", "smmap.test.test_mman", "smmap.test.test_tutorial", "smmap.test.test_util"])
result = unittest.TextTestRunner(verbosity=2).run(suite)
bad = len(result.failures) + len(result.errors)
print("smmap suite: %d passed, %d failed, %d skipped (%.0f s)"
      % (result.testsRun - bad - len(result.skipped), bad, len(result.skipped), time.time() - started))
sys.exit(0 if result.wasSuccessful() else 1)
