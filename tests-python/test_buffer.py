"""The buffer protocol: memoryview, bytes(), hashlib, struct, re, io, ..."""
import array
import hashlib
import io
import os
import re
import struct

import pytest

from _target import mmap, REFERENCE, CTYPES_BUFFER, RE_PATTERN_NEEDS_MEMORYVIEW

DATA = struct.pack("<iH", 1, 2) + b"..hello world\n"


@pytest.fixture
def m(make_map):
    return make_map(DATA)


@pytest.fixture
def ro(make_file, maps):
    f = make_file(DATA, mode="rb")
    r = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    maps.append(r)
    return r


# -------------------------------------------------------------- memoryview

def test_memoryview_geometry(m):
    mv = memoryview(m)
    try:
        assert mv.itemsize == 1
        assert mv.ndim == 1
        assert mv.shape == (len(DATA),)
        assert mv.nbytes == len(DATA)
        assert mv.c_contiguous is True
        assert mv.tobytes() == DATA
        assert mv.readonly is False
    finally:
        mv.release()


def test_memoryview_format_is_unsigned_bytes(m):
    mv = memoryview(m)
    try:
        assert mv.format == "B"
        assert mv.obj is m
    finally:
        mv.release()


@pytest.mark.parametrize("access_name, readonly", [
    ("ACCESS_DEFAULT", False), ("ACCESS_WRITE", False),
    ("ACCESS_COPY", False), pytest.param("ACCESS_READ", True, marks=CTYPES_BUFFER)])
def test_memoryview_readonly_flag(make_map, access_name, readonly):
    mm = make_map(DATA, access=getattr(mmap, access_name))
    mv = memoryview(mm)
    try:
        assert mv.readonly is readonly
    finally:
        mv.release()


@CTYPES_BUFFER
def test_memoryview_read_only_refuses_writes(ro):
    mv = memoryview(ro)
    try:
        with pytest.raises(TypeError):
            mv[0] = 1
        with pytest.raises(TypeError):
            mv[0:2] = b"xx"
    finally:
        mv.release()


def test_memoryview_indexing_and_slice_assignment(m):
    # What real programs do with the view (multiprocessing's heap, smmap, pack readers).
    with memoryview(m) as mv:
        assert mv[4] == DATA[4]
        assert mv[-1] == DATA[-1]
        assert mv[6:11].tobytes() == DATA[6:11]
        mv[6:11] = b"HELLO"
        mv[0] = 0xFF
        mv[1:3] = bytearray(b"\x01\x02")
        mv[3:5] = memoryview(b"ab")
        assert list(mv[:5]) == [0xFF, 1, 2, ord("a"), ord("b")]
        with pytest.raises(ValueError):
            mv[0:2] = b"xyz"
        with pytest.raises(ValueError):
            mv[0] = 256
    assert m[:11] == b"\xff\x01\x02ab\x00HELLO"


def test_memoryview_cast(m):
    with memoryview(m) as mv:
        as_chars = mv.cast("c")
        assert as_chars[6] == DATA[6:7]
        as_signed = mv.cast("b")
        m[0] = 0xFE
        assert as_signed[0] == -2
        words = mv[:4].cast("i")
        assert words[0] == struct.unpack_from("<i", m, 0)[0]
        words[0] = 123456
        assert struct.unpack_from("<i", m, 0)[0] == 123456
        assert mv.cast("B", (2, len(DATA) // 2))[1, 0] == m[len(DATA) // 2]
        for view in (as_chars, as_signed, words):
            view.release()


def test_writes_through_memoryview_visible_in_map(m):
    mv = memoryview(m)
    try:
        mv[6] = ord("!")
        mv[7:9] = b"??"
    finally:
        mv.release()
    assert m[6] == ord("!")
    assert m[6:9] == b"!??"


def test_map_writes_visible_in_memoryview(m):
    mv = memoryview(m)
    try:
        m[0] = 0x7F
        m.seek(1)
        m.write(b"\x01")
        assert mv[0] == 0x7F
        assert mv[1] == 1
    finally:
        mv.release()


def test_memoryview_cast(m):
    mv = memoryview(m)
    try:
        assert mv[:4].cast("i")[0] == 1
    finally:
        mv.release()


def test_memoryview_writes_reach_file(make_file, file_bytes):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as mm:
        mv = memoryview(mm)
        mv[0:4] = b"ABCD"
        mv.release()
        mm.flush()
    assert file_bytes(f.name)[:4] == b"ABCD"


def test_close_after_memoryview_released(m):
    mv = memoryview(m)
    mv.release()
    m.close()
    assert m.closed is True


def test_resize_after_memoryview_released(make_anon):
    a = make_anon(10)
    with memoryview(a):
        pass
    a.resize(5)
    assert len(a) == 5


def test_dunder_buffer(m):
    mv = m.__buffer__(0)
    try:
        assert isinstance(mv, memoryview)
        assert mv.tobytes() == DATA
        assert mv.readonly is False
    finally:
        mv.release()


def test_dunder_buffer_writable_request_on_read_only(ro):
    import inspect
    with pytest.raises(BufferError):
        ro.__buffer__(inspect.BufferFlags.WRITABLE)


# ------------------------------------------------- deviations (reference only)

EXPORT_REASON = ("documented deviation: CPython counts buffer exports and "
                 "refuses close()/resize() while a memoryview is alive; "
                 "fmmap on GraalPy cannot count exports")


@pytest.mark.skipif(not REFERENCE, reason=EXPORT_REASON)
def test_close_with_exported_buffer():
    mm = mmap.mmap(-1, 16)
    mv = memoryview(mm)
    with pytest.raises(BufferError,
                       match="^cannot close exported pointers exist$"):
        mm.close()
    assert mm.closed is False
    mv.release()
    mm.close()


@pytest.mark.skipif(not REFERENCE, reason=EXPORT_REASON)
def test_resize_with_exported_buffer():
    mm = mmap.mmap(-1, 16)
    mv = memoryview(mm)
    with pytest.raises(BufferError,
                       match=r"^mmap can't resize with extant buffers "
                             r"exported\.$"):
        mm.resize(8)
    assert len(mm) == 16
    mv.release()
    mm.close()


# ----------------------------------------------------- bytes-like consumers

def test_bytes_and_bytearray(m):
    assert bytes(m) == DATA
    assert bytearray(m) == bytearray(DATA)
    assert type(bytes(m)) is bytes


def test_bytes_ignores_position(m):
    m.seek(5)
    assert bytes(m) == DATA


def test_bytes_of_read_only(ro):
    assert bytes(ro) == DATA


def test_hashlib(m, ro):
    expected = hashlib.sha256(DATA).hexdigest()
    assert hashlib.sha256(m).hexdigest() == expected
    assert hashlib.sha256(ro).hexdigest() == expected
    h = hashlib.md5()
    h.update(m)
    assert h.digest() == hashlib.md5(DATA).digest()


@pytest.mark.parametrize("fmt, offset, expected", [
    ("<i", 0, (1,)),
    ("<iH", 0, (1, 2)),
    ("<H", 4, (2,)),
    ("5s", 8, (b"hello",)),
])
def test_struct_unpack_from(m, fmt, offset, expected):
    assert struct.unpack_from(fmt, m, offset) == expected


def test_struct_unpack_from_read_only(ro):
    assert struct.unpack_from("<H", ro, 4) == (2,)


def test_struct_pack_into(m):
    struct.pack_into("<I", m, 0, 0xDEADBEEF)
    assert m[0:4] == b"\xef\xbe\xad\xde"


@CTYPES_BUFFER
def test_struct_pack_into_read_only(ro):
    with pytest.raises(TypeError):
        struct.pack_into("<I", ro, 0, 1)


def test_file_write(m, tmp_path):
    path = tmp_path / "out.bin"
    with open(path, "wb") as out:
        assert out.write(m) == len(DATA)
    assert path.read_bytes() == DATA


def test_os_write(m, tmp_path):
    fd = os.open(str(tmp_path / "o.bin"), os.O_WRONLY | os.O_CREAT)
    try:
        assert os.write(fd, m) == len(DATA)
    finally:
        os.close(fd)
    assert (tmp_path / "o.bin").read_bytes() == DATA


def test_bytesio(m):
    assert io.BytesIO(m).read() == DATA
    b = io.BytesIO()
    b.write(m)
    assert b.getvalue() == DATA


def test_readinto_map(make_anon):
    a = make_anon(5)
    assert io.BytesIO(b"WORLD").readinto(a) == 5
    assert a[:] == b"WORLD"


@CTYPES_BUFFER
def test_readinto_read_only_map(ro):
    with pytest.raises(TypeError):
        io.BytesIO(b"x").readinto(ro)


def test_map_slice_assign_from_map(m, make_anon):
    other = make_anon(len(DATA))
    other[:] = m
    assert other[:] == DATA


def test_map_slice_assign_from_read_only_map(ro, make_anon):
    other = make_anon(len(DATA))
    other[:] = ro
    assert bytes(other) == DATA


def test_array_frombytes(m):
    a = array.array("B")
    a.frombytes(m)
    assert a.tobytes() == DATA


def test_bytes_join_and_decode(m):
    assert b"".join([m, m]) == DATA * 2
    assert str(m, "latin-1") == DATA.decode("latin-1")


def test_bytes_methods_accept_map(m):
    assert DATA.startswith(bytes(m[:4]))
    assert b"xx" + m[:2] == b"xx" + DATA[:2]
    assert bytearray(b"ab") + memoryview(m)[:2] == bytearray(b"ab") + DATA[:2]


@CTYPES_BUFFER
def test_bytes_like_types_operate_on_the_buffer(m):
    # mmap defines no + or comparison of its own; the reflected operations of
    # bytes, bytearray and memoryview take it as a buffer.
    assert b"x" + m == b"x" + DATA
    assert bytearray(b"x") + m == bytearray(b"x" + DATA)
    assert (m == bytearray(DATA)) is True
    assert (bytearray(DATA) == m) is True
    assert (m == memoryview(DATA)) is True
    assert (m != bytearray(DATA)) is False
    assert (m == DATA) is False  # bytes only compares with bytes


# ---------------------------------------------------------------------- re

def test_re_search_on_memoryview(m):
    mv = memoryview(m)
    match = re.search(rb"w\w+", mv)
    assert match.group() == b"world"
    assert match.span() == (14, 19)
    del match
    mv.release()


def test_re_search_on_map(m):
    match = re.search(rb"h(el+)o", m)
    assert match.group(0) == b"hello"
    assert match.group(1) == b"ell"
    assert match.start() == 8


def test_re_on_read_only_map(ro):
    assert re.search(rb"world", ro).start() == 14


def test_re_finditer_and_findall_on_memoryview(m):
    mv = memoryview(m)
    assert [x.start() for x in re.finditer(rb"o", mv)] == [12, 15]
    assert re.findall(rb"[a-z]+", mv) == [b"hello", b"world"]


def test_re_on_memoryview_sees_writes(m):
    m[8:13] = b"HELLO"
    assert re.search(rb"HELLO", memoryview(m)).start() == 8
    assert re.search(rb"hello", memoryview(m)) is None


def test_re_finditer_and_findall(m):
    assert [x.start() for x in re.finditer(rb"o", m)] == [12, 15]
    assert re.findall(rb"[a-z]+", m) == [b"hello", b"world"]


@RE_PATTERN_NEEDS_MEMORYVIEW
def test_compiled_pattern_on_map(m):
    pattern = re.compile(rb"w(or)ld")
    assert pattern.search(m).span(1) == (15, 17)
    assert pattern.findall(m) == [b"or"]
    assert pattern.sub(b"W", m).endswith(b"hello W\n")


def test_re_keyword_string_argument(m):
    assert re.search(rb"hello", string=m).start() == 8


@pytest.mark.skipif(REFERENCE, reason="fmmap's switch: CPython's re needs no help")
def test_re_support_can_be_switched_off(tmp_path):
    import subprocess
    import sys
    code = ("import re, fmmap; m = fmmap.mmap(-1, 4)\n"
            "try:\n    re.search(b'x', m)\nexcept TypeError:\n    print('refused')\n")
    env = dict(os.environ, FMMAP_PATCH_RE="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, timeout=600)
    assert out.stdout.strip() == b"refused"


@pytest.mark.skipif(REFERENCE, reason="fmmap's re support: CPython's re needs no help")
def test_re_imported_after_fmmap_is_wrapped_on_import():
    # fmmap leaves re unloaded (it is costly to import on GraalPy) and wraps it when it is loaded.
    import subprocess
    import sys
    code = ("import sys, fmmap\n"
            "print('re' in sys.modules)\n"
            "m = fmmap.mmap(-1, 8); m[2:5] = b'abc'\n"
            "from re import search\n"
            "import re\n"
            "print(search(b'b', m).start(), next(re.finditer(b'c', m)).start())\n"
            "print(re.__spec__.loader is re.__loader__, len(sys.meta_path) == len(set(sys.meta_path)))\n")
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, timeout=600)
    assert out.stdout.split() == [b"False", b"3", b"4", b"True", b"True"]


def test_re_sees_writes(m):
    m[8:13] = b"HELLO"
    assert re.search(rb"HELLO", m).start() == 8
    assert re.search(rb"hello", m) is None
