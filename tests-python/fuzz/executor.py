"""Differential-fuzzing worker: runs mmap operation sequences and reports every outcome.

Usage: python executor.py fmmap|mmap

Reads JSON lines on stdin; each line is a list (a batch) of sequences. For every sequence it writes
one JSON line on stdout (flushed at once, so that a crash is attributable to the next sequence).
Stdlib only; runs on GraalPy 3.12 (with fmmap) and CPython 3.13 (with mmap).

Values in the JSON encoding (both directions):
  int, null, true/false      as themselves
  {"b": hex}                 bytes
  {"ba": hex}                bytearray          (arguments only)
  {"mv": hex}                memoryview(bytes)  (arguments only)
  {"s": text}                str
  {"f": x}                   float              (arguments only)
  {"slice": [a, b, c]}       slice(a, b, c)     (arguments only; members decoded too)
  {"l": [...]}               list               (results only)
  {"rel": "name"}            a named constant of the module under test (arguments only)
A result is ["ok", value] or ["exc", "TypeName: message"].
"""
import json
import os
import shutil
import sys
import tempfile

MODNAME = sys.argv[1] if len(sys.argv) > 1 else "mmap"
if MODNAME == "fmmap":
    import fmmap as mod
else:
    import mmap as mod

BAD_FD = 987  # never open in the worker


def decode(v):
    if isinstance(v, dict):
        if "b" in v:
            return bytes.fromhex(v["b"])
        if "ba" in v:
            return bytearray.fromhex(v["ba"])
        if "mv" in v:
            return memoryview(bytes.fromhex(v["mv"]))
        if "s" in v:
            return v["s"]
        if "f" in v:
            return float(v["f"])
        if "slice" in v:
            return slice(*[decode(x) for x in v["slice"]])
        if "rel" in v:
            return getattr(mod, v["rel"])
        raise ValueError("bad encoded value %r" % (v,))
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def encode(v):
    if v is None or isinstance(v, (bool, int)):
        return v
    if isinstance(v, (bytes, bytearray)):
        return {"b": bytes(v).hex()}
    if isinstance(v, str):
        return {"s": v}
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


def _setitem(m, k, v):
    m[k] = v


def _delitem(m, k):
    del m[k]


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
        return lambda: repr(m)
    if name == "closed":
        return lambda: m.closed
    meth = getattr(m, name)
    return lambda: meth(*args)


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
                f.write(bytes.fromhex(content))
        src = seq.get("fileno", "file")
        if src == "file":
            flags = os.O_RDONLY if seq.get("mode") == "r" else os.O_RDWR
            fd = os.open(path, flags)
            fileno = fd
        elif src == "bad":
            fileno = BAD_FD
        else:
            fileno = src
        args = [fileno] + decode(seq.get("args", []))
        kwargs = dict((k, decode(v)) for k, v in seq.get("kwargs", {}).items())
        try:
            m = mod.mmap(*args, **kwargs)
            out["open"] = ["ok", None]
        except Exception as e:  # noqa: BLE001
            out["open"] = ["exc", exc_text(e)]
        results = []
        if m is not None:
            for op in seq.get("ops", []):
                name = op[0]
                opargs = decode(op[1:])
                results.append(call(op_fn(m, name, opargs)))
            out["closed"] = call(lambda: m.closed)
            out["len"] = call(lambda: len(m))
            out["tell"] = call(lambda: m.tell())
            out["final_close"] = call(m.close)
        out["ops"] = results
        if fd is not None:
            os.close(fd)
            fd = None
        if path is not None:
            with open(path, "rb") as f:
                out["file"] = f.read().hex()
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
                os.close(fd)
            except OSError:
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
        for line in sys.stdin:
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
