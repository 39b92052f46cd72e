"""Differential fuzzer: fmmap against the stdlib's mmap, on Python 3 or on Python 2.7.

Runs on CPython 3.11 with hypothesis (pip install --target build/hypothesis-py311 hypothesis):

    python3 tests-python/fuzz/run_fuzz.py [--python 3|2.7] [--count N | --long] [--seed S]

Hypothesis generates N operation sequences (seeded, so a run is reproducible); they go in batches
to two long-lived executor.py workers, and every outcome is compared (op results, exception type
and message, final len/tell, final file bytes):
  --python 3 (the default)  fmmap on GraalPy (bin/graalpy) against CPython 3.13's mmap; this module
                            holds its sequences and the differences it knows;
  --python 2.7              fmmap on Jython (bin/jython) against CPython 2.7.18's mmap (fuzz27.py).
A reference worker that dies (SIGBUS in CPython's known defects) is a "reference crash": fmmap
must have raised a clean exception in that sequence; the worker is restarted. Mismatches are
minimised (ops removed while the mismatch stays), printed as Python code and written to
tests-python/fuzz/mismatches.txt (mismatches-2.7.txt); the exit status is 1 if there is any.
The machinery both share is harness.py.
"""
import argparse
import os
import sys

from harness import (PAGE, PYENV, ROOT, Mode, data_of, find_with_none_bound, huge, index, op_of,
                     run, sequence_of, st)

GRAALPY = os.path.join(ROOT, "bin", "graalpy")
# The reference interpreter: CPython 3.13 from pyenv (bin/test passes the one it found).
CPYTHON = os.environ.get("FMMAP_CPYTHON313") or os.path.join(
    PYENV, "versions", "3.13.0", "bin", "python3.13")

MADV = ["MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
        "MADV_FREE", "MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE",
        "MADV_UNMERGEABLE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP"]
# MADV_HWPOISON / SOFT_OFFLINE are never sent: as root they really poison pages.


# ---------------------------------------------------------------------------------------------
# strategies (values are in executor.py's JSON encoding)

wrong_type = st.sampled_from([None, {"s": "1"}, {"f": 1.0}, {"b": "01"}, {"ba": ""}, True])

KINDS = ["read", "read", "read_byte", "readline", "write", "write", "write_byte", "seek", "seek",
         "tell", "find", "find", "rfind", "rfind", "getitem", "getitem", "getitem_slice",
         "getitem_slice", "setitem", "setitem_slice", "setitem_slice", "delitem", "move", "flush",
         "madvise", "resize", "size", "len", "close", "list", "reversed", "contains", "repr",
         "closed"]


def integer(bound):
    return index(bound, wrong_type)


def read_args(ix):
    return st.one_of(st.just([]), st.tuples(ix).map(list), st.just([None]), st.just([{"s": "x"}]))


any_data = st.one_of(data_of(st.integers(0, 10)), data_of(st.integers(0, 10)),
                     st.sampled_from([{"s": "ab"}, 7, None, [1, 2]]))
# write_byte() and m[i] = take an int in 3.x
byte = st.one_of(st.integers(-2, 258), st.sampled_from([0, 255]), huge, wrong_type)
item = st.one_of(st.integers(-1, 256), st.integers(0, 255), huge, wrong_type, st.just({"b": "41"}))
whence = st.one_of(st.integers(-1, 3), wrong_type)


def other_needles(subs):
    return [st.sampled_from([{"ba": "6f"}, {"mv": "0a"}, {"s": "o"}, 111, None])]


def slice_value(n):
    """What is assigned to a slice of n bytes: mostly bytes-like of the right size."""
    return st.one_of(data_of(st.just(n)), data_of(st.just(n)), data_of(st.just(n)),
                     data_of(st.integers(0, n + 2)), any_data)


def madvise(draw, bound, ix):
    opt = st.one_of(st.sampled_from(MADV).map(lambda n: {"rel": n}),
                    st.sampled_from([999, -1, None]))
    start = st.one_of(st.sampled_from([0, PAGE, 2 * PAGE]), ix)
    return ["madvise"] + draw(st.one_of(st.tuples(opt).map(list),
                                        st.tuples(opt, start).map(list),
                                        st.tuples(opt, start, ix).map(list)))


def op(bound, content):
    """One op with CPython 3.13's API: bytes and ints, str as the wrong type, madvise()."""
    return op_of(bound, content, KINDS, integer, wrong_type, read_args, any_data, byte, whence,
                 other_needles, item, slice_value, text="s", own_ops={"madvise": madvise})


def sequence():
    """One sequence with CPython 3.13's constructor: its MAP_POPULATE, and trackfd=."""
    return sequence_of(op, wrong_type, flag_names=["MAP_POPULATE"], trackfd=True)


# ---------------------------------------------------------------------------------------------
# the differences CPython 3.13 and fmmap on GraalPy are known to have (docs/compat.md)

class Python3(Mode):
    name = "3.13"
    summary = "fuzz"
    fmmap_argv = [GRAALPY]
    reference_argv = [CPYTHON]

    def sequence(self):
        return sequence()

    def known_difference(self, seq, i, o, a, b):
        if o[0] == "resize" and o[1:] == [0] and seq["fileno"] == "file" \
                and a == ["exc", "OSError: [Errno 22] Invalid argument"]:
            # CPython 3.13.0 truncates the file before failing (and faults on the next access);
            # fmmap leaves the file alone (docs/compat.md). Compare no further.
            return "stop", "resize(0) of a file map"
        if a == b:
            return None
        # find/rfind(sub, None...): fmmap backports 3.14.1's None start/end (docs/compat.md)
        if find_with_none_bound(o) and b[0] == "exc" and "NoneType" in b[1]:
            return "continue", "find None"
        # CPython 3.15 changes that fmmap follows (docs/compat.md): flush's size -1 (its new
        # default) means to the end of the map; size() of an anonymous map is its length, and
        # without the descriptor (trackfd=False) raises ValueError.
        if o[0] == "flush" and b == ["exc", "ValueError: flush values out of range"] \
                and (a[0] == "ok" or a[1] == "OSError: [Errno 22] Invalid argument") \
                and (len(o) == 2 or (len(o) == 3 and o[2] == -1)):
            return "continue", "flush to the end (3.15)"
        if o[0] in ("find", "rfind") and isinstance(o[1], dict) and list(o[1].values()) == [""] \
                and a == ["ok", -1] and b[0] == "ok" and b[1] != -1:
            return "continue", "find with start past the end (3.15)"
        if o[0] == "size" and b[0] == "exc" and b[1].startswith("OSError: [Errno 9]") and (
                a[0] == "ok" or a[1] == "ValueError: can't get size with trackfd=False"):
            return "continue", "size() (3.15)"
        # fmmap refuses what CPython 3.13.0 does destructively (docs/compat.md, "deliberately
        # better"): resize(0) of a file map (CPython truncates the file, raises EINVAL, then
        # SIGBUS) and growing a shared anonymous map (SIGBUS once touched). The states part.
        if o[0] == "resize" and a[0] == "exc" and (
                a[1] == "ValueError: mmap: can't expand a shared anonymous mapping on Linux"
                or (o[1] == 0 and seq["fileno"] == "file"
                    and a[1] == "OSError: [Errno 22] Invalid argument")):
            return "stop", "resize refused"
        # madvise(MADV_REMOVE) on a read-only map: CPython punches a hole in the file; fmmap's
        # read-only maps are private underneath, so the kernel refuses (docs/compat.md).
        if o[0] == "madvise" and o[1] == {"rel": "MADV_REMOVE"} and a[0] == "exc" \
                and a[1].startswith("PermissionError") and b[0] == "ok":
            return "stop", "MADV_REMOVE on a read-only map"
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", choices=["3", "2.7"], default="3",
                    help="3: fmmap on GraalPy vs CPython 3.13; 2.7: fmmap on Jython vs CPython 2.7")
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--long", action="store_true", help="100000 sequences")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--no-minimise", action="store_true")
    ap.add_argument("--max-minimise", type=int, default=30,
                    help="minimise only the first N mismatches")
    opts = ap.parse_args()
    if opts.python == "2.7":
        from fuzz27 import Python27
        mode = Python27()
    else:
        mode = Python3()
    count = 100000 if opts.long else opts.count
    sys.exit(run(mode, count, opts.seed, opts.batch, opts.no_minimise, opts.max_minimise))


if __name__ == "__main__":
    main()
