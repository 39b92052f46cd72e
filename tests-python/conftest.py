"""Shared fixtures for the fmmap behaviour suite."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _target import mmap, REFERENCE  # noqa: E402


def pytest_terminal_summary(terminalreporter):
    """bin/test's summary line, ``suite NAME: P passed, F failed, S skipped`` (NAME from
    FMMAP_SUITE, which bin/test sets), before pytest's closing line: the counts of that line, with
    errors (setup, teardown, collection) as failures; xfailed and xpassed tests are in none of them.
    """
    def n(*keys):
        # what pytest's closing line counts (reports a plugin excludes from it are left out too)
        return sum(1 for k in keys for r in terminalreporter.stats.get(k, [])
                   if getattr(r, "count_towards_summary", True))

    terminalreporter.write_line("suite %s: %d passed, %d failed, %d skipped" % (
        os.environ.get("FMMAP_SUITE", "tests-python"), n("passed"), n("failed", "error"),
        n("skipped")))


def pytest_report_header(config):
    name = "stdlib mmap (reference)" if REFERENCE else "fmmap"
    return "mmap under test: %s (%r)" % (name, getattr(mmap, "__file__", mmap))


@pytest.fixture
def page():
    """The page size, which is also the offset alignment on Linux."""
    return mmap.PAGESIZE


@pytest.fixture
def make_file(tmp_path):
    """make_file(content, mode='r+b') -> open file object holding content.

    The file (and every one made) is closed at teardown; its path is f.name.
    """
    opened = []
    counter = [0]

    def factory(content=b"", mode="r+b"):
        counter[0] += 1
        path = tmp_path / ("data%d.bin" % counter[0])
        path.write_bytes(content)
        f = open(path, mode)
        opened.append(f)
        return f

    yield factory
    for f in opened:
        f.close()


@pytest.fixture
def maps():
    """A list: append maps to it and they are closed at teardown."""
    made = []
    yield made
    for m in made:
        try:
            m.close()
        except BufferError:
            pass


@pytest.fixture
def make_map(make_file, maps):
    """make_map(content, **kwargs) -> mmap over a fresh r+b file of content."""

    def factory(content, length=0, **kwargs):
        f = make_file(content)
        m = mmap.mmap(f.fileno(), length, **kwargs)
        maps.append(m)
        return m

    return factory


@pytest.fixture
def make_anon(maps):
    """make_anon(size, **kwargs) -> anonymous mmap."""

    def factory(size, **kwargs):
        m = mmap.mmap(-1, size, **kwargs)
        maps.append(m)
        return m

    return factory


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.fixture
def file_bytes():
    """file_bytes(path) -> the file's current contents, read through a new fd."""
    return read_file
