"""bin/jython behaves as `python` does: a script, -c, -m, a script on stdin, exit codes, JYTHONPATH.

In reference mode the same commands run on CPython 2.7 itself (this interpreter), with its mmap, so
the expected outputs are what `python` prints. Each command starts a JVM (a few seconds on Jython).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from _target import REFERENCE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = [sys.executable] if REFERENCE else [os.path.join(ROOT, "bin", "jython")]
# What each command runs: it maps anonymous memory and reports through its exit code.
PROGRAM = """\
import sys
try:
    import fmmap as mmap
except ImportError:
    import mmap
m = mmap.mmap(-1, 8)
m.write("fmmap")
print(m[:5] + " " + " ".join(sys.argv[1:]))
sys.exit(len(sys.argv))
"""


def run(args, stdin=None, env=None):
    process = subprocess.Popen(PYTHON + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    out, err = process.communicate(stdin)
    return process.returncode, out.decode("ascii").strip(), err.decode("ascii", "replace")


class LauncherTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.mkdtemp(prefix="fmmap-launcher-")
        cls.script = os.path.join(cls.tmpdir, "mapper.py")
        with open(cls.script, "w") as f:
            f.write(PROGRAM)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmpdir, ignore_errors=True)

    def test_script_with_arguments_and_exit_code(self):
        self.assertEqual(run([self.script, "a", "b"])[:2], (3, "fmmap a b"))

    def test_command(self):
        self.assertEqual(run(["-c", PROGRAM, "x"])[:2], (2, "fmmap x"))

    def test_module_from_the_path(self):
        env = dict(os.environ, JYTHONPATH=self.tmpdir, PYTHONPATH=self.tmpdir)
        self.assertEqual(run(["-m", "mapper", "y"], env=env)[:2], (2, "fmmap y"))

    def test_script_on_stdin(self):
        self.assertEqual(run([], stdin=PROGRAM.encode("ascii"))[:2], (1, "fmmap"))
        self.assertEqual(run(["-", "z"], stdin=PROGRAM.encode("ascii"))[:2], (2, "fmmap z"))

    def test_uncaught_exception_exits_1_with_a_python_traceback(self):
        code, out, err = run(["-c", "import fmmap as mmap\nmmap.mmap(-1, -1)"] if not REFERENCE
                             else ["-c", "import mmap\nmmap.mmap(-1, -1)"])
        self.assertEqual(code, 1)
        self.assertIn("OverflowError: memory mapped length must be positive", err)
        self.assertNotIn("java.lang", err)


if __name__ == "__main__":
    unittest.main()
