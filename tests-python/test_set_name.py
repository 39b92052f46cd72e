"""mmap.set_name(name, /), new in CPython 3.15: names an anonymous map in /proc/<pid>/maps as
[anon:cpython:mmap:NAME] ([anon_shmem:...] for shared memory) when Python runs in development mode,
on Linux 5.17+ built with CONFIG_ANON_VMA_NAME. Outside development mode it checks its argument and
does nothing, as CPython 3.15 does. What it asserts was checked against CPython's pull requests
gh-142480 (set_name) and gh-142079 (naming new anonymous maps in development mode)."""
import errno
import gzip
import os
import subprocess
import sys

import pytest

from _target import mmap, cpython315

pytestmark = cpython315("set_name() is new in 3.15")


@pytest.fixture
def anon():
    m = mmap.mmap(-1, mmap.PAGESIZE)
    yield m
    m.close()


def kernel_names_anonymous_memory():
    """Whether this kernel can name anonymous memory (None: its configuration cannot be read)."""
    try:
        with gzip.open("/proc/config.gz", "rt") as f:
            return "\nCONFIG_ANON_VMA_NAME=y" in f.read()
    except OSError:
        return None


def named_maps():
    with open("/proc/self/maps") as f:
        return [line.split()[-1] for line in f if "cpython:mmap" in line]


def test_returns_none_and_names_nothing_outside_development_mode(anon):
    before = named_maps()
    assert anon.set_name("test_mapping") is None
    assert anon.set_name("x" * 30) is None
    assert anon.set_name("") is None
    assert named_maps() == before


@pytest.mark.parametrize("name, error, message", [
    (b"name", TypeError, "set_name() argument must be str, not bytes"),
    (1, TypeError, "set_name() argument must be str, not int"),
    (None, TypeError, "set_name() argument must be str, not NoneType"),
    ("a\0b", ValueError, "embedded null character"),
    ("x" * 67, ValueError, "name is too long"),
    ("\u00e9" * 34, ValueError, "name is too long"),  # 68 bytes in UTF-8
])
def test_argument_errors(anon, name, error, message):
    with pytest.raises(error) as exc_info:
        anon.set_name(name)
    assert str(exc_info.value) == message


def test_longest_name_is_66_bytes(anon):
    # "cpython:mmap:" + name must fit the kernel's 80 bytes with the NUL.
    assert anon.set_name("x" * 66) is None
    assert anon.set_name("\u00e9" * 33) is None


def test_lone_surrogate_cannot_be_encoded(anon):
    with pytest.raises(UnicodeEncodeError):
        anon.set_name("\udc80")


def test_call_errors(anon):
    with pytest.raises(TypeError, match=r"set_name\(\) takes exactly one argument \(0 given\)"):
        anon.set_name()
    with pytest.raises(TypeError, match=r"set_name\(\) takes exactly one argument \(2 given\)"):
        anon.set_name("a", "b")
    with pytest.raises(TypeError, match=r"set_name\(\) takes no keyword arguments"):
        anon.set_name(name="a")


def test_file_map_refused(make_map):
    m = make_map(b"x" * 10)
    with pytest.raises(ValueError, match="^Cannot set annotation on non-anonymous mappings$"):
        m.set_name("file")


def test_closed_map_refused(anon):
    anon.close()
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        anon.set_name("closed")


DEV_MODE_PROGRAM = r"""
import errno, sys
try:
    import fmmap as mmap
except ImportError:
    import mmap
flags = {"shared": mmap.MAP_SHARED, "private": mmap.MAP_PRIVATE}[sys.argv[1]]
m = mmap.mmap(-1, mmap.PAGESIZE, flags=flags)  # named cpython:mmap at creation, where it can be
try:
    m.set_name("fmmap_test")
except OSError as e:
    print("refused", errno.errorcode[e.errno])
else:
    print("named")
for line in open("/proc/self/maps"):
    if "cpython:mmap" in line:
        print(line.split()[-1])
"""


@pytest.mark.parametrize("sharing", ["private", "shared"])
def test_development_mode_names_the_map_or_reports_the_kernel_refusal(sharing):
    env = dict(os.environ, PYTHONDEVMODE="1")
    out = subprocess.run([sys.executable, "-c", DEV_MODE_PROGRAM, sharing], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    if kernel_names_anonymous_memory() is False:
        # This machine's kernel (/proc/config.gz: CONFIG_ANON_VMA_NAME is not set) cannot name
        # anonymous memory: prctl fails with EINVAL, which set_name reports as OSError; the naming
        # of the new map at creation ignores it.
        assert lines == ["refused", "EINVAL"]
    else:
        kind = "anon" if sharing == "private" else "anon_shmem"
        assert lines[0] == "named"
        assert "[%s:cpython:mmap:fmmap_test]" % kind in lines[1:]
