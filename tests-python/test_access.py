"""ACCESS_READ / ACCESS_WRITE / ACCESS_COPY / ACCESS_DEFAULT and prot."""
import os

import pytest

from _target import mmap, CTYPES_BUFFER

DATA = b"0123456789abcdef"
RO_MSG = r"^mmap can't modify a readonly memory map\.$"


def pread_all(path):
    # A fresh descriptor (GraalPy has no os.pread/os.pwrite).
    with open(path, "rb") as f:
        return f.read()


# Ways to get a read-only map: name -> kwargs for mmap() over an r+b file
READ_ONLY_KINDS = {
    "access_read": {"access": mmap.ACCESS_READ},
    "prot_read": {"prot": mmap.PROT_READ},
    "private_prot_read": {"flags": mmap.MAP_PRIVATE, "prot": mmap.PROT_READ},
}

MUTATIONS = {
    "write": lambda m: m.write(b"x"),
    "write_empty": lambda m: m.write(b""),
    "write_too_long": lambda m: m.write(b"x" * 100),
    "write_byte": lambda m: m.write_byte(1),
    "setitem": lambda m: m.__setitem__(0, 1),
    "setitem_bad_value": lambda m: m.__setitem__(0, 256),
    "setitem_negative_index": lambda m: m.__setitem__(-1, 1),
    "setslice": lambda m: m.__setitem__(slice(0, 2), b"xy"),
    "setslice_wrong_size": lambda m: m.__setitem__(slice(0, 2), b"x"),
    "setslice_extended": lambda m: m.__setitem__(slice(None, None, 2),
                                                 b"x" * 8),
    "move": lambda m: m.move(0, 1, 1),
    "move_out_of_range": lambda m: m.move(0, 1, 100),
}


@pytest.mark.parametrize("op", sorted(MUTATIONS))
def test_read_only_map_refuses_mutation(make_file, file_bytes, op):
    for kind in sorted(READ_ONLY_KINDS):
        f = make_file(DATA)
        with mmap.mmap(f.fileno(), 0, **READ_ONLY_KINDS[kind]) as m:
            with pytest.raises(TypeError, match=RO_MSG):
                MUTATIONS[op](m)
            assert m[:] == DATA, kind
            assert m.tell() == 0, kind
        assert file_bytes(f.name) == DATA, kind


@pytest.mark.parametrize("op", ["write", "write_byte", "setitem", "setslice",
                                "move"])
def test_read_only_anonymous_refuses_mutation(op):
    with mmap.mmap(-1, 16, access=mmap.ACCESS_READ) as m:
        with pytest.raises(TypeError, match=RO_MSG):
            MUTATIONS[op](m)


def test_read_only_map_on_read_only_fd(make_file):
    f = make_file(DATA, mode="rb")
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert m[:] == DATA
        assert m.read(4) == b"0123"
        assert m.find(b"a") == 10
        with pytest.raises(TypeError, match=RO_MSG):
            m[0] = 1


def test_read_only_map_sees_external_writes(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        with open(f.name, "r+b") as other:
            other.seek(3)
            other.write(b"ZZ")
        assert m[3:5] == b"ZZ"


@CTYPES_BUFFER
@pytest.mark.parametrize("kind", sorted(READ_ONLY_KINDS))
def test_read_only_memoryview(make_file, kind):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, **READ_ONLY_KINDS[kind]) as m:
        mv = memoryview(m)
        try:
            assert mv.readonly is True
            with pytest.raises(TypeError):
                mv[0] = 1
        finally:
            mv.release()


@pytest.mark.parametrize("kwargs", [{}, {"access": mmap.ACCESS_WRITE},
                                    {"access": mmap.ACCESS_DEFAULT},
                                    {"prot": mmap.PROT_WRITE}])
def test_shared_writes_reach_file_without_flush(make_file, kwargs):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, **kwargs) as m:
        m[0] = ord("A")
        m[1:3] = b"BC"
        m.seek(3)
        m.write(b"D")
        m.write_byte(ord("E"))
        m.move(14, 0, 2)
        # a MAP_SHARED mapping and the page cache are the same memory
        assert pread_all(f.name) == b"ABCDE56789abcdAB"
    assert pread_all(f.name) == b"ABCDE56789abcdAB"


def test_shared_writes_visible_to_second_map(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as a, mmap.mmap(f.fileno(), 0) as b:
        a[0:2] = b"!!"
        assert b[0:2] == b"!!"


def test_prot_write_alone_means_access_write(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, prot=mmap.PROT_WRITE) as m:
        assert "access=ACCESS_WRITE," in repr(m)
        m[0] = ord("w")
        assert m[0] == ord("w")


@pytest.mark.parametrize("prot", [0, mmap.PROT_READ,
                                  mmap.PROT_READ | mmap.PROT_EXEC])
def test_prot_without_write_means_access_read(make_anon, prot):
    m = make_anon(16, prot=prot)
    assert "access=ACCESS_READ," in repr(m)
    with pytest.raises(TypeError, match=RO_MSG):
        m.write_byte(1)


# ------------------------------------------------------------- copy-on-write

COPY_KINDS = {
    "access_copy": {"access": mmap.ACCESS_COPY},
    "map_private": {"flags": mmap.MAP_PRIVATE},
}


@pytest.mark.parametrize("kind", sorted(COPY_KINDS))
def test_copy_writes_stay_private(make_file, kind):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, **COPY_KINDS[kind]) as m, \
            mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as other:
        m[0] = ord("A")
        m[1:3] = b"BC"
        m.seek(3)
        assert m.write(b"D") == 1
        m.write_byte(ord("E"))
        m.move(14, 0, 2)
        assert m[:] == b"ABCDE56789abcdAB"
        assert m.flush() is None
        assert pread_all(f.name) == DATA
        assert other[:] == DATA
    assert pread_all(f.name) == DATA


def test_copy_map_on_read_only_fd(make_file):
    f = make_file(DATA, mode="rb")
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as m:
        m[0:4] = b"WXYZ"
        assert m[:4] == b"WXYZ"
        mv = memoryview(m)
        try:
            assert mv.readonly is False
        finally:
            mv.release()
    assert pread_all(f.name) == DATA


def test_copy_memoryview_writes_stay_private(make_file):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as m:
        mv = memoryview(m)
        mv[0] = ord("q")
        mv.release()
        assert m[0] == ord("q")
    assert pread_all(f.name) == DATA


def test_copy_anonymous_is_writable(make_anon):
    m = make_anon(10, access=mmap.ACCESS_COPY)
    m[0] = 1
    assert m[0] == 1


def test_write_anonymous_is_writable(make_anon):
    m = make_anon(10, access=mmap.ACCESS_WRITE)
    m.write(b"abc")
    assert m[:3] == b"abc"


@pytest.mark.parametrize("access_name", ["ACCESS_DEFAULT", "ACCESS_READ",
                                         "ACCESS_WRITE", "ACCESS_COPY"])
def test_all_access_modes_read(make_file, access_name):
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0, access=getattr(mmap, access_name)) as m:
        assert m[:] == DATA
        assert m.read(3) == b"012"
        assert m[5] == ord("5")
        assert m.readline() == DATA[3:]
