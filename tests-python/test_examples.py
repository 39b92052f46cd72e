"""examples/grep.py as a user runs it: a subprocess of this interpreter, on fmmap (or, in reference
mode, on CPython's mmap), against answers computed here line by line."""
import os
import re
import subprocess
import sys

import pytest

GREP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "grep.py")


def run_grep(*args):
    env = dict(os.environ)
    if os.environ.get("FMMAP_TEST_TARGET") == "mmap":
        env["PYTHONPATH"] = ""  # reference mode: the example falls back to the stdlib's mmap
    done = subprocess.run([sys.executable, GREP] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=600)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def text(tmp_path):
    lines = [b"alpha needle one needle", b"beta", b"gamma NEEDLE", b"", b"needle at the start",
             b"delta " * 2000 + b"needle far out", b"epsilon", b"no newline at the end: needle"]
    path = tmp_path / "text.txt"
    path.write_bytes(b"\n".join(lines))
    return str(path), lines


def expected(lines, hit, numbers=False):
    return b"".join((b"%d:" % (i + 1) if numbers else b"") + line + b"\n"
                    for i, line in enumerate(lines) if hit(line))


def test_literal_with_line_numbers(text):
    path, lines = text
    code, out, err = run_grep("-n", "needle", path)
    assert (code, err) == (0, b"")
    assert out == expected(lines, lambda line: b"needle" in line, numbers=True)


def test_regex_and_counts_over_two_files(text, tmp_path):
    path, lines = text
    other = tmp_path / "other.txt"
    other.write_bytes(b"NEEDLE\nnothing\n")
    code, out, err = run_grep("-E", "-n", "(?i)needle (one|at)", path)
    assert (code, err) == (0, b"")
    assert out == expected(lines, lambda line: re.search(b"(?i)needle (one|at)", line), numbers=True)
    code, out, err = run_grep("-c", "NEEDLE", path, str(other))
    assert (code, err) == (0, b"")
    assert out == b"%s:1\n%s:1\n" % (os.fsencode(path), os.fsencode(str(other)))


def test_exit_status_as_grep(text, tmp_path):
    path, _ = text
    assert run_grep("absent", path)[:2] == (1, b"")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run_grep("needle", str(empty))[:2] == (1, b"")
    code, out, err = run_grep("needle", str(tmp_path / "missing.txt"))
    assert code == 2 and b"missing.txt" in err and b"No such file" in err
