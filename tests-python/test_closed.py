"""Every use of a closed map raises ValueError('mmap closed or invalid')."""
import pytest

from _target import mmap, CTYPES_BUFFER

MSG = "^mmap closed or invalid$"


def _with(m):
    with m:
        pass


OPERATIONS = {
    "len": lambda m: len(m),
    "bool": lambda m: bool(m),
    "getitem": lambda m: m[0],
    "getitem_out_of_range": lambda m: m[100],
    "getslice": lambda m: m[0:2],
    "getslice_extended": lambda m: m[::2],
    "setitem": lambda m: m.__setitem__(0, 1),
    "setslice": lambda m: m.__setitem__(slice(0, 1), b"a"),
    "delitem": lambda m: m.__delitem__(0),
    "contains": lambda m: b"a" in m,
    "iterate": lambda m: next(iter(m)),
    "list": lambda m: list(m),
    "reversed": lambda m: list(reversed(m)),
    "read": lambda m: m.read(),
    "read_n": lambda m: m.read(1),
    "read_byte": lambda m: m.read_byte(),
    "readline": lambda m: m.readline(),
    "write": lambda m: m.write(b"a"),
    "write_empty": lambda m: m.write(b""),
    "write_byte": lambda m: m.write_byte(1),
    "seek": lambda m: m.seek(0),
    "seek_whence": lambda m: m.seek(0, 2),
    "tell": lambda m: m.tell(),
    "size": lambda m: m.size(),
    "find": lambda m: m.find(b"a"),
    "rfind": lambda m: m.rfind(b"a"),
    "find_args": lambda m: m.find(b"a", 0, 1),
    "flush": lambda m: m.flush(),
    "flush_args": lambda m: m.flush(0, 1),
    "madvise": lambda m: m.madvise(mmap.MADV_NORMAL),
    "move": lambda m: m.move(0, 0, 1),
    "resize": lambda m: m.resize(10),
    "enter": lambda m: m.__enter__(),
    "with": _with,
}


# Buffer consumers of a closed map: on fmmap they see the zero pages that replace the mapping.
BUFFER_OPERATIONS = {
    "memoryview": lambda m: memoryview(m),
    "bytes": lambda m: bytes(m),
    "bytearray": lambda m: bytearray(m),
}


@CTYPES_BUFFER
@pytest.mark.parametrize("op", sorted(BUFFER_OPERATIONS))
def test_closed_map_buffer_operation(make_file, op):
    m = _closed("file", make_file)
    with pytest.raises(ValueError, match=MSG):
        BUFFER_OPERATIONS[op](m)


def _closed(kind, make_file):
    if kind == "file":
        f = make_file(b"abcdefghij")
        m = mmap.mmap(f.fileno(), 0)
    elif kind == "anonymous":
        m = mmap.mmap(-1, 10)
    else:
        f = make_file(b"abcdefghij", mode="rb")
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    m.close()
    return m


@pytest.fixture(params=["file", "anonymous", "read_only"])
def closed_map(request, make_file):
    return _closed(request.param, make_file)


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_closed_map_operation(make_file, op):
    m = _closed("file", make_file)
    with pytest.raises(ValueError, match=MSG):
        OPERATIONS[op](m)


@pytest.mark.parametrize("kind", ["anonymous", "read_only"])
def test_closed_map_every_operation_other_kinds(make_file, kind):
    m = _closed(kind, make_file)
    for name in sorted(OPERATIONS):
        with pytest.raises(ValueError, match=MSG):
            OPERATIONS[name](m)


def test_closed_attribute():
    m = mmap.mmap(-1, 10)
    assert m.closed is False
    m.close()
    assert m.closed is True


def test_close_returns_none_and_is_idempotent(closed_map):
    assert closed_map.close() is None
    assert closed_map.close() is None
    assert closed_map.closed is True


def test_seekable_on_closed_map(closed_map):
    assert closed_map.seekable() is True


def test_exit_on_closed_map(closed_map):
    assert not closed_map.__exit__(None, None, None)
    assert closed_map.closed is True


def test_repr_of_closed_map(closed_map):
    assert repr(closed_map) == "<mmap.mmap closed=True>"


def test_hash_of_closed_map(closed_map):
    assert hash(closed_map) == hash(closed_map)


def test_iterator_stops_working_after_close():
    m = mmap.mmap(-1, 10)
    it = iter(m)
    assert next(it) == b"\0"
    m.close()
    with pytest.raises(ValueError, match=MSG):
        next(it)


def test_close_keeps_file_contents(make_file, file_bytes):
    f = make_file(b"abcdef")
    m = mmap.mmap(f.fileno(), 0)
    m[0:3] = b"XYZ"
    m.close()
    assert file_bytes(f.name) == b"XYZdef"


def test_close_does_not_close_original_fd(make_file):
    f = make_file(b"abcdef")
    mmap.mmap(f.fileno(), 0).close()
    f.seek(0)
    assert f.read() == b"abcdef"


def test_close_after_original_fd_closed(make_file):
    f = make_file(b"abcdef")
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    m.close()
    assert m.closed is True
