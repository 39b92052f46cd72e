"""Differential-fuzzing worker: runs mmap operation sequences and reports every outcome.

Usage: python executor.py fmmap|mmap

Reads JSON lines on stdin; each line is a list (a batch) of sequences. For every sequence it writes
one JSON line on stdout (flushed at once, so that a crash is attributable to the next sequence).
Stdlib only, and written for Python 2 and 3 alike: it runs on GraalPy 3.12 (with fmmap) and CPython
3.13 (with mmap) for the 3.x fuzzer, on Jython 2.7 (with fmmap) and CPython 2.7.18 (with mmap) for
the 2.7 one (run_fuzz.py --python 2.7). One protocol, one runner: only the value types differ.

Values in the JSON encoding (both directions):
  int, null, true/false      as themselves
  {"b": hex}                 bytes (Python 2: str)
  {"ba": hex}                bytearray          (arguments only)
  {"mv": hex}                memoryview(bytes)  (arguments only)
  {"buf": hex}               buffer(str)        (arguments only; Python 2)
  {"arr": hex}               array.array("b")   (arguments only)
  {"s": text}                str (Python 2: an ASCII str)
  {"u": text}                unicode (Python 3: str)  (Python 2 results use it for unicode)
  {"long": n}                long(n) (Python 3: int)  (arguments only)
  {"int": x}                 an object with only __int__, returning x decoded ("raise": it raises
                             ValueError)        (arguments only)
  {"index": x}               an object with only __index__, likewise  (arguments only)
  {"f": x}                   float              (arguments only)
  {"slice": [a, b, c]}       slice(a, b, c)     (arguments only; members decoded too)
  {"l": [...]}               list               (results only)
  {"rel": "name"}            a named constant of the module under test (arguments only)
A result is ["ok", value] or ["exc", "TypeName: message"]; in a repr, " at 0x<address>" is
replaced by " at 0x?", so that Python 2's reprs compare.
"""
import array
import binascii
import json
import os
import re
import shutil
import sys
import tempfile

PY2 = sys.version_info[0] == 2
if PY2:
    text_type = unicode  # noqa: F821 - Python 2 only
    integer_types = (int, long)  # noqa: F821
    to_long = long  # noqa: F821
    make_buffer = buffer  # noqa: F821
else:
    text_type = str
    integer_types = (int,)
    to_long = int

    def make_buffer(data):
        raise TypeError("no buffer type on Python 3")

MODNAME = sys.argv[1] if len(sys.argv) > 1 else "mmap"
if MODNAME == "fmmap":
    import fmmap as mod
else:
    import mmap as mod

BAD_FD = 987  # never open in the worker


def unhex(text):
    return binascii.unhexlify(text.encode("ascii"))


def tohex(data):
    return binascii.hexlify(bytes(data)).decode("ascii")


class IntOnly(object):
    """An integer through __int__ alone (Python 2's integer argument formats use it)."""

    def __init__(self, value):
        self.value = value

    def __int__(self):
        if self.value == "raise":
            raise ValueError("__int__ failed")
        return self.value

    def __repr__(self):
        return "IntOnly(%r)" % (self.value,)


class IndexOnly(object):
    """An integer through __index__ alone (subscripts and slice bounds use it)."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        if self.value == "raise":
            raise ValueError("__index__ failed")
        return self.value

    def __repr__(self):
        return "IndexOnly(%r)" % (self.value,)


def native_str(text):
    """A JSON string as the native str (Python 2's json gives unicode)."""
    return str(text) if PY2 else text


def decode(v):
    if isinstance(v, dict):
        if "b" in v:
            return unhex(v["b"])
        if "ba" in v:
            return bytearray(unhex(v["ba"]))
        if "mv" in v:
            return memoryview(unhex(v["mv"]))
        if "buf" in v:
            return make_buffer(unhex(v["buf"]))
        if "arr" in v:
            return array.array("b" if PY2 else "B", unhex(v["arr"]))
        if "s" in v:
            return native_str(v["s"])
        if "u" in v:
            return text_type(v["u"])
        if "long" in v:
            return to_long(v["long"])
        if "int" in v:
            return IntOnly(decode(v["int"]))
        if "index" in v:
            return IndexOnly(decode(v["index"]))
        if "f" in v:
            return float(v["f"])
        if "slice" in v:
            return slice(*[decode(x) for x in v["slice"]])
        if "rel" in v:
            return getattr(mod, native_str(v["rel"]))
        raise ValueError("bad encoded value %r" % (v,))
    if isinstance(v, list):
        return [decode(x) for x in v]
    if PY2 and isinstance(v, text_type):
        return native_str(v)
    return v


def encode(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, integer_types):
        return int(v)
    if isinstance(v, (bytes, bytearray)):
        return {"b": tohex(v)}
    if isinstance(v, text_type):
        return {"u" if PY2 else "s": v}
    if isinstance(v, (list, tuple)):
        return {"l": [encode(x) for x in v]}
    return {"s": "<unencodable %s>" % type(v).__name__}


def exc_text(e):
    return "%s: %s" % (type(e).__name__, e)


def call(fn):
    try:
        return ["ok", encode(fn())]
    except Exception as e:  # noqa: BLE001 - every exception is an outcome
        return ["exc", exc_text(e)]
    except BaseException:  # noqa: BLE001 - on Jython a Java exception that escaped: a defect to see
        return ["exc", exc_text(sys.exc_info()[1])]


def _repr(m):
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x?", repr(m))


def _setitem(m, k, v):
    m[k] = v


def _delitem(m, k):
    del m[k]


def _simple_slice(m, a, b):
    if a is None:
        return m[:] if b is None else m[:b]
    return m[a:] if b is None else m[a:b]


def _set_simple_slice(m, a, b, v):
    if a is None:
        if b is None:
            m[:] = v
        else:
            m[:b] = v
    elif b is None:
        m[a:] = v
    else:
        m[a:b] = v


def _del_simple_slice(m, a, b):
    if a is None:
        if b is None:
            del m[:]
        else:
            del m[:b]
    elif b is None:
        del m[a:]
    else:
        del m[a:b]


def op_fn(m, name, args):
    """Returns a zero-argument callable running one operation."""
    if name == "getitem":
        return lambda: m[args[0]]
    if name == "setitem":
        return lambda: _setitem(m, args[0], args[1])
    if name == "delitem":
        return lambda: _delitem(m, args[0])
    if name == "len":
        return lambda: len(m)
    if name == "list":
        return lambda: list(m)
    if name == "reversed":
        return lambda: list(reversed(m))
    if name == "contains":
        return lambda: args[0] in m
    if name == "repr":
        return lambda: _repr(m)
    if name == "getslice":  # m[a:b] written as such: Python 2 takes its own path (__getslice__)
        return lambda: _simple_slice(m, args[0], args[1])
    if name == "setslice":
        return lambda: _set_simple_slice(m, args[0], args[1], args[2])
    if name == "delslice":
        return lambda: _del_simple_slice(m, args[0], args[1])
    if name == "closed":
        return lambda: m.closed
    meth = getattr(m, name)
    return lambda: meth(*args)


def open_descriptor(path, readonly):
    """(handle, fileno) of the file, opened for reading (and writing unless readonly). Python 2
    opens a file object: Jython's os.open(path, O_RDWR) truncates the file (Jython 2.7.4)."""
    if PY2:
        f = open(path, "rb" if readonly else "r+b")
        return f, f.fileno()
    fd = os.open(path, os.O_RDONLY if readonly else os.O_RDWR)
    return fd, fd


def close_descriptor(handle):
    if PY2:
        handle.close()
    else:
        os.close(handle)


def run_sequence(seq, tmpdir, counter):
    out = {"id": seq.get("id")}
    content = seq.get("content")
    path = None
    fd = None
    m = None
    try:
        if content is not None:
            path = os.path.join(tmpdir, "f%d" % counter)
            with open(path, "wb") as f:
                f.write(unhex(content))
        src = seq.get("fileno", "file")
        if src == "file":
            fd, fileno = open_descriptor(path, seq.get("mode") == "r")
        elif src == "bad":
            fileno = BAD_FD
        else:
            fileno = src
        args = [fileno] + decode(seq.get("args", []))
        kwargs = dict((native_str(k), decode(v)) for k, v in seq.get("kwargs", {}).items())
        made = []
        out["open"] = call(lambda: made.append(mod.mmap(*args, **kwargs)))
        m = made[0] if made else None
        results = []
        if m is not None:
            for op in seq.get("ops", []):
                name = native_str(op[0])
                opargs = decode(op[1:])
                results.append(call(op_fn(m, name, opargs)))
            out["closed"] = call(lambda: m.closed)
            out["len"] = call(lambda: len(m))
            out["tell"] = call(lambda: m.tell())
            out["final_close"] = call(m.close)
        out["ops"] = results
        if fd is not None:
            close_descriptor(fd)
            fd = None
        if path is not None:
            with open(path, "rb") as f:
                out["file"] = tohex(f.read())
        else:
            out["file"] = None
    except Exception as e:  # noqa: BLE001 - a harness failure is reported, not fatal
        out["harness_error"] = exc_text(e)
    finally:
        if m is not None:
            try:
                m.close()
            except Exception:  # noqa: BLE001
                pass
        if fd is not None:
            try:
                close_descriptor(fd)
            except (OSError, IOError):
                pass
        if path is not None:
            try:
                os.unlink(path)
            except OSError:
                pass
    return out


def main():
    tmpdir = tempfile.mkdtemp(prefix="fmmap-fuzz-%s-" % MODNAME)
    counter = 0
    out = sys.stdout
    try:
        sys.stdout.write(json.dumps({"ready": MODNAME}) + "\n")
        sys.stdout.flush()
        # readline, not iteration: Python 2's file iterator reads ahead and would wait for more
        # batches than were sent
        for line in iter(sys.stdin.readline, ""):
            line = line.strip()
            if not line:
                continue
            for seq in json.loads(line):
                counter += 1
                res = run_sequence(seq, tmpdir, counter)
                out.write(json.dumps(res, sort_keys=True) + "\n")
                out.flush()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
