"""A grep for huge files: memory-maps each file and prints the lines that match.

    bin/graalpy examples/grep.py [-E] [-n] [-c] [--progress] PATTERN FILE...

Literal patterns (the default, like grep -F) are found with mmap.find, at memory speed and on every
core for long stretches; -E takes a Python regular expression (bytes), searched by re directly in the
map, without copying the file. Only the lines that match are ever copied out. -n prefixes line
numbers, -c prints counts only; --progress reports on stderr how far each file larger than 256 MiB
has been searched (automatic when stderr is a terminal). Exit status as grep's: 0 if a line
matched, 1 if none did, 2 on an error.

Runs on GraalPy with fmmap and, unchanged, on CPython with its own mmap.
"""
import argparse
import os
import re
import sys

try:
    import fmmap as mmap
except ImportError:
    import mmap

PROGRESS_MIN = 256 << 20  # files above this size get a progress report
COUNT_PIECE = 64 << 20  # newlines are counted in pieces of this many bytes (one copy each)


class LineCounter(object):
    """Line numbers of offsets met in increasing order: counts the newlines in between."""

    def __init__(self, m):
        self.m = m
        self.offset = 0
        self.line = 1

    def number(self, offset):
        while self.offset < offset:
            stop = min(offset, self.offset + COUNT_PIECE)
            self.line += self.m[self.offset:stop].count(b"\n")
            self.offset = stop
        return self.line


class Progress(object):
    """A percentage on stderr, rewritten in place, every 5 % of a file."""

    def __init__(self, name, size, enabled):
        self.name = name
        self.size = size
        self.enabled = enabled and size > PROGRESS_MIN
        self.shown = -1

    def update(self, offset):
        if self.enabled:
            percent = offset * 100 // self.size
            if percent // 5 > self.shown // 5:
                self.shown = percent
                sys.stderr.write("\r%s: %d %%" % (self.name, percent))
                sys.stderr.flush()

    def done(self):
        if self.enabled:
            sys.stderr.write("\r%s: done  \n" % self.name)


def matches(m, pattern, regex):
    """Offsets of the first match on each line that has one, in order."""
    size = len(m)
    pos = 0
    if regex:
        view = memoryview(m)  # what re reads in place (GraalPy 25.2.4's compiled patterns need it)
        while pos < size:
            found = pattern.search(view, pos)
            if found is None:
                return
            yield found.start()
            end = m.find(b"\n", found.start())
            pos = size if end < 0 else end + 1
    else:
        while pos < size:
            at = m.find(pattern, pos)
            if at < 0:
                return
            yield at
            end = m.find(b"\n", at)
            pos = size if end < 0 else end + 1


def grep_file(path, pattern, args, out, label):
    """Prints the matching lines of one file; returns how many matched."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return 0  # an empty file cannot be mapped, and has no lines
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    with m:
        if args.regex and size > sys.maxsize:
            # GraalPy exports at most 2**31 - 1 bytes as one buffer (docs/compat.md); find has no limit.
            raise ValueError("-E reads files up to %d bytes here; search this one literally" % sys.maxsize)
        counter = LineCounter(m)
        progress = Progress(path, size, args.progress)
        count = 0
        for at in matches(m, pattern, args.regex):
            count += 1
            progress.update(at)
            if args.count:
                continue
            start = m.rfind(b"\n", 0, at) + 1
            end = m.find(b"\n", at)
            line = m[start:size if end < 0 else end]
            prefix = label
            if args.line_number:
                prefix += b"%d:" % counter.number(start)
            out.write(prefix + line + b"\n")
        progress.done()
    if args.count:
        out.write(label + b"%d\n" % count)
    return count


def main(argv=None):
    p = argparse.ArgumentParser(description="grep for huge files, on memory maps")
    p.add_argument("-E", dest="regex", action="store_true", help="PATTERN is a regular expression")
    p.add_argument("-n", dest="line_number", action="store_true", help="prefix line numbers")
    p.add_argument("-c", dest="count", action="store_true", help="print only a count per file")
    p.add_argument("--progress", action="store_true", default=None,
                   help="report progress on stderr for files over 256 MiB (default: if a terminal)")
    p.add_argument("pattern")
    p.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    if args.progress is None:
        args.progress = sys.stderr.isatty()
    pattern = os.fsencode(args.pattern)
    if not pattern:
        p.error("an empty pattern matches every line; use cat")
    if args.regex:
        try:
            pattern = re.compile(pattern)
        except re.error as e:
            p.error("bad regular expression: %s" % e)
    out = getattr(sys.stdout, "buffer", sys.stdout)
    matched = 0
    status = 0
    for path in args.files:
        label = os.fsencode(path) + b":" if len(args.files) > 1 else b""
        try:
            matched += grep_file(path, pattern, args, out, label)
        except (OSError, ValueError) as e:
            sys.stderr.write("grep.py: %s: %s\n" % (path, e))
            status = 2
    out.flush()
    return status or (0 if matched else 1)


if __name__ == "__main__":
    sys.exit(main())
