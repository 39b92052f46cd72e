"""Smoke test of an installed fmmap (the wheel in a venv): maps a file, finds, writes and flushes, and
reads it through fmmap.smmap.

    VENV/bin/python tests-package/smoke.py

Run with no class path and no PYTHONPATH: fmmap and its Java core must come from the venv alone.
Exits 0 and prints "smoke: ok ..." when all holds; any failure raises.
"""
import os
import sys
import tempfile

import fmmap


def main():
    where = os.path.dirname(os.path.abspath(fmmap.__file__))
    # The package must be the installed one, with the core loaded from its bundled jar.
    assert os.path.isfile(os.path.join(where, "_jars", "fmmap.jar")), where
    fd, path = tempfile.mkstemp()
    try:
        os.write(fd, b"header " + b"." * 8192 + b" needle " + b"." * 100)
        with open(path, "r+b") as f, fmmap.mmap(f.fileno(), 0) as m:
            at = m.find(b"needle")
            assert at == 7 + 8192 + 1, at
            assert m.rfind(b"header") == 0
            m.seek(at)
            m.write(b"NEEDLE")
            m.flush()
        with open(path, "rb") as f:
            data = f.read()
        assert data[at:at + 6] == b"NEEDLE", data[at:at + 6]
        # The subpackage and the Java window manager it drives come with the wheel too.
        from fmmap import smmap
        with smmap.SlidingWindowMapManager(window_size=4096) as man:
            c = man.make_cursor(path).use_region(at, 6)
            assert bytes(c.buffer()) == b"NEEDLE", bytes(c.buffer())
            c._destroy()
    finally:
        os.close(fd)
        os.unlink(path)
    print("smoke: ok (fmmap from %s, %s)" % (where, sys.executable))


if __name__ == "__main__":
    main()
