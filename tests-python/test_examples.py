"""The examples as a user runs them: a subprocess of this interpreter, on fmmap (or, in reference
mode, on CPython's mmap). grep.py against answers computed here line by line; seek.py against the
step count and byte agreement it must report."""
import os
import re
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
REFERENCE = os.environ.get("FMMAP_TEST_TARGET") == "mmap"


def run_example(name, *args):
    env = dict(os.environ)
    if REFERENCE:
        env["PYTHONPATH"] = ""  # the example falls back to the stdlib's mmap
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=600)
    return done.returncode, done.stdout, done.stderr


def run_grep(*args):
    return run_example("grep.py", *args)


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


def test_seek_pattern_reads_the_same_through_the_map_and_the_file(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 400 + b"tail")  # 102404 bytes
    code, out, err = run_example("seek.py", "--passes", "2", str(path))
    assert (code, err) == (0, b""), err
    lines = out.decode().splitlines()
    # steps: step k reads [40k + 64, 40k + 72), all within 102404 bytes
    assert lines[0].startswith(("mmap on " if REFERENCE else "fmmap on "))
    assert "102404 bytes, 2559 steps of +64 read 8 -32, 2 passes" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["mmap", "file"]


def test_seek_pattern_refuses_a_file_shorter_than_one_step(tmp_path):
    path = tmp_path / "short.bin"
    path.write_bytes(b"x" * 71)
    code, out, err = run_example("seek.py", str(path))
    assert code == 2 and b"shorter than one step" in err
