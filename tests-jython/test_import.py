"""import fmmap on a Jython that cannot run it says what it needs, in one ImportError; on a JDK
older than 22 it runs through its jnr-ffi backend.

Runs Jython by hand (java -cp <Jython's class path> org.python.util.jython) on the JDK this one
runs on, without the JVM option fmmap needs, and on an older JDK when the machine has one.
fmmap's own; nothing to compare with in reference mode.
"""
import glob
import os
import subprocess
import sys
import unittest

from _target import REFERENCE

if not REFERENCE:
    from java.lang import System


def jython(java, options=(), code="import fmmap"):
    """The exit code and stderr of code run by a Jython started with java and options (stdout with
    stderr when asked for the output too)."""
    command = [java] + list(options) + ["-cp", System.getProperty("java.class.path"),
                                        "-Dpython.path=" + os.pathsep.join(p for p in sys.path if p),
                                        "org.python.util.jython", "-c", code]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    return process.returncode, (out + err).decode("ascii", "replace")


def old_jdk():
    """A java older than 22 on this machine, or None."""
    for home in sorted(glob.glob("/usr/lib/jvm/*")):
        release = os.path.join(home, "release")
        java = os.path.join(home, "bin", "java")
        if not os.path.isfile(release) or not os.access(java, os.X_OK):
            continue
        for line in open(release):
            if line.startswith("JAVA_VERSION="):
                major = line.split("=")[1].strip().strip('"').split(".")[0]
                if major.isdigit() and int(major) < 22:
                    return java
    return None


@unittest.skipIf(REFERENCE, "fmmap's own import checks")
class ImportTests(unittest.TestCase):

    def test_without_access_to_file_descriptors(self):
        java = os.path.join(System.getProperty("java.home"), "bin", "java")
        code, err = jython(java, ["--enable-native-access=ALL-UNNAMED"])
        self.assertEqual(code, 1)
        self.assertIn("ImportError: fmmap cannot read the file descriptor behind a Jython file", err)
        self.assertIn("--add-opens java.base/java.io=ALL-UNNAMED", err)

    def test_on_a_jdk_older_than_22_through_jnr_ffi(self):
        java = old_jdk()
        if java is None:
            self.skipTest("no JDK older than 22 on this machine")
        code, out = jython(java, ["--add-opens", "java.base/java.io=ALL-UNNAMED"], "\n".join([
            "import fmmap",
            "from dev.fmmap.syscalls import Syscalls",
            "m = fmmap.mmap(-1, 4096)",
            "m[1:4] = 'abc'",
            "print Syscalls.backend(), m.find('bc'), m[2]"]))
        self.assertEqual(code, 0, out)
        self.assertIn("jnr 2 b", out)


if __name__ == "__main__":
    unittest.main()
