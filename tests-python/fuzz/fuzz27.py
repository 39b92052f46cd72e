"""The Python 2.7 mode of the differential fuzzer (run_fuzz.py --python 2.7): fmmap on Jython 2.7
(bin/jython, `import fmmap as mmap`) against CPython 2.7.18's own mmap.

Its sequences use CPython 2.7's API only: str data (and the buffer, unicode, bytearray, memoryview
and array arguments 2.7 takes or refuses), Python 2 longs, objects with only __int__ or only
__index__ (2.7's integer arguments go through __int__, its subscripts through __index__), m[a:b]
written as such (2.7's own slice path) beside slice objects, and the wrong types. The 3.x
backports fmmap adds on Jython (closed, madvise, trackfd, find's None bounds, flush's None, the
refusal to grow a shared anonymous map) are not sent, or, where a sequence can meet them, classified
by known_difference below, each listed in docs/compat.md; so is resize(0) of a file map, where
CPython 2.7 truncates the file.
"""
import os

from harness import (PAGE, PYENV, ROOT, Mode, data_of, find_with_none_bound, huge, index, op_of,
                     sequence_of, slice_len, st)

JYTHON = os.path.join(ROOT, "bin", "jython")
# The reference interpreter: CPython 2.7.18 from pyenv (bin/test passes the one it found).
CPYTHON27 = os.environ.get("FMMAP_CPYTHON27") or os.path.join(
    PYENV, "versions", "2.7.18", "bin", "python2.7")

# ---------------------------------------------------------------------------------------------
# strategies (values are in executor.py's JSON encoding; {"b": hex} is a Python 2 str)

wrong_type = st.sampled_from([None, {"f": 1.0}, {"s": "1"}, {"u": "1"}, {"ba": ""}, [1], True,
                              {"index": 1}, {"int": {"f": 1.5}}, {"int": "raise"}])


def wrapped(ints):
    """The same integers as a long, or inside an object with only __int__ or only __index__."""
    return st.one_of(ints.map(lambda n: {"long": n}), ints.map(lambda n: {"int": n}),
                     ints.map(lambda n: {"index": n}))


def ix27(bound):
    """An integer argument: index()'s integers, sometimes wrapped, and 2.7's wrong types."""
    near = st.one_of(st.integers(-bound - 3, bound + 3), huge)
    return index(bound, wrong_type, [wrapped(near)])


def slice_part(bound):
    return st.one_of(st.none(), st.integers(-bound - 3, bound + 3), huge,
                     wrapped(st.integers(-bound - 3, bound + 3)),
                     st.sampled_from([{"int": 1}, {"f": 1.0}, {"s": "1"}]))


DATA_KINDS = ("b", "b", "b", "b", "buf", "ba", "mv", "arr")
odd_data = st.sampled_from([{"u": "ab"}, {"u": "\u00e9"}, 7, None, [1, 2], {"long": 7}])
any_data = st.one_of(data_of(st.integers(0, 10), DATA_KINDS), data_of(st.integers(0, 10),
                                                                      DATA_KINDS), odd_data)
one_char = st.one_of(st.binary(min_size=1, max_size=1).map(lambda b: {"b": b.hex()}),
                     st.binary(min_size=1, max_size=1).map(lambda b: {"b": b.hex()}),
                     st.sampled_from([{"b": ""}, {"b": "4142"}, {"u": "a"}, {"ba": "41"},
                                      {"buf": "41"}, 65, None]))


def other_needles(subs):
    """Beyond str: the sample bytes in 2.7's other buffer types, unicode, an int, None."""
    return [st.sampled_from(subs).flatmap(
                lambda b: st.sampled_from([{k: b.hex()} for k in ("buf", "arr", "ba", "mv")])),
            st.sampled_from([{"u": "o"}, {"u": "\u00e9"}, 111, None])]


KINDS = ["read", "read", "read_byte", "readline", "write", "write", "write_byte", "seek", "seek",
         "tell", "find", "find", "rfind", "rfind", "getitem", "getitem", "getitem_slice",
         "getslice", "getslice", "setitem", "setslice", "setslice", "setitem_slice", "delitem",
         "delslice", "move", "flush", "resize", "size", "len", "close", "list", "reversed",
         "contains", "repr"]


def read_args(ix):
    return st.one_of(st.tuples(ix).map(list), st.tuples(ix).map(list), st.just([]),
                     st.just([None]), st.just([1, 2]))


# write_byte() and m[i] = take a str of one char in 2.7
item = st.one_of(one_char, one_char, huge, wrong_type)
whence = st.one_of(st.integers(-1, 3), st.integers(-1, 3), huge, wrong_type)


def slice_value(n):
    """What is assigned to a slice of n bytes: mostly str of the right size."""
    return st.one_of(data_of(st.just(n), ("b",)), data_of(st.just(n), ("b",)),
                     data_of(st.just(n), DATA_KINDS), data_of(st.integers(0, n + 2), ("b",)),
                     any_data)


# m[a:b], m[a:b] = and del m[a:b] written as such: 2.7's own slice path, beside slice objects

def ends(draw, bound):
    part = slice_part(bound)
    return [draw(part), draw(part)]


def getslice(draw, bound, ix):
    return ["getslice"] + ends(draw, bound)


def delslice(draw, bound, ix):
    return ["delslice"] + ends(draw, bound)


def setslice(draw, bound, ix):
    a, b = ends(draw, bound)
    n = slice_len(bound, (a, b, None)) if all(
        x is None or isinstance(x, int) for x in (a, b)) else 0
    return ["setslice", a, b, draw(slice_value(n))]


def op(bound, content):
    """One op with CPython 2.7's API: str data, longs and __int__/__index__ objects, m[a:b]."""
    return op_of(bound, content, KINDS, ix27, wrong_type, read_args, any_data, one_char, whence,
                 other_needles, item, slice_value, text="u", wrapped=wrapped,
                 own_ops={"getslice": getslice, "setslice": setslice, "delslice": delslice})


def sequence():
    """One sequence with CPython 2.7's constructor: no trackfd, no MAP_POPULATE, no ACCESS_DEFAULT
    name; its integer arguments also as longs, __int__ or __index__ objects, or past a C int."""
    return sequence_of(op, wrong_type, wrapped=wrapped, wild_flags=[2**31, {"int": 1}],
                       wild_access=[2**31, {"long": 1}, {"int": 2}], wild_prot=[{"long": 3}],
                       wild_offsets=[{"int": PAGE}])


# ---------------------------------------------------------------------------------------------
# the differences CPython 2.7.18 and fmmap on Jython are known to have (docs/compat.md)

def _zero(v):
    return v == 0 or (isinstance(v, dict) and v.get("long", v.get("int", v.get("index"))) == 0)


class Python27(Mode):
    name = "2.7"
    summary = "fuzz-2.7"
    fmmap_argv = [JYTHON]
    reference_argv = [CPYTHON27]
    python2 = True
    # closed is a backport (2.7's maps have no such attribute), so the final state is compared
    # without it
    fields = [f for f in Mode.fields if f != "closed"]

    def sequence(self):
        return sequence()

    def known_difference(self, seq, i, o, a, b):
        if o[0] == "resize" and seq["fileno"] == "file" and _zero(o[1]) \
                and a == ["exc", "error: [Errno 22] Invalid argument"]:
            # resize(0) of a file map: CPython 2.7 truncates the file before mremap fails (and
            # faults on a later access); fmmap leaves the file alone. The states part, even where
            # both raise the same error.
            return "stop", "resize(0) of a file map"
        if a == b:
            return None
        # growing a shared anonymous map: CPython 2.7 grows it and dies of SIGBUS on the new pages;
        # fmmap refuses as CPython 3.13.x does (the backport). The states part.
        if o[0] == "resize" and a == ["exc", "ValueError: mmap: can't expand a shared anonymous "
                                             "mapping on Linux"] and b[0] == "ok":
            return "stop", "growing a shared anonymous map refused (3.13)"
        # find/rfind(sub, start, None): the 3.14.1 backport on Jython; CPython 2.7 wants integers
        if find_with_none_bound(o) and b == ["exc", "TypeError: an integer is required"]:
            return "continue", "find None (backport)"
        # flush() returns None on fmmap (3.8's, backported); 2.7 returns 0 on success
        if o[0] == "flush" and a == ["ok", None] and b == ["ok", 0]:
            return "continue", "flush() returns None (3.8)"
        return None
