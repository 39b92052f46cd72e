"""mmap.from_java: one mapping made by Java code, used from Python, seen by both.

fmmap's own API (an embedding application hands Python a dev.fmmap.MemoryMap); skipped in
reference mode, where there is no Java.
"""
import pytest

from _target import mmap, REFERENCE

pytestmark = pytest.mark.skipif(REFERENCE, reason="fmmap's own API: needs GraalPy's Java interop")

if not REFERENCE:
    import java
    MemoryMap = java.type("dev.fmmap.MemoryMap")
    Access = java.type("dev.fmmap.Access")
    Posix = java.type("dev.fmmap.Posix")


def test_anonymous_map_made_in_java_is_shared_both_ways():
    jmap = MemoryMap.anonymous(4096)
    try:
        jmap.put(100, ord("J"))
        m = mmap.mmap.from_java(jmap)
        assert isinstance(m, mmap.mmap)
        assert len(m) == 4096
        assert m[100] == ord("J")
        assert m.find(b"J") == 100
        m[200:205] = b"hello"
        assert jmap.get(200) == ord("h") and jmap.get(204) == ord("o")
        m.close()
        assert jmap.isClosed()  # one mapping: closing it from Python closes it for Java
    finally:
        jmap.close()


def test_file_map_made_in_java_keeps_its_offset_and_flushes(tmp_path):
    page = mmap.PAGESIZE
    path = tmp_path / "shared.bin"
    path.write_bytes(b"a" * page + b"record:" + b"." * (page - 7))
    with open(path, "r+b") as f:
        jmap = MemoryMap.map(f.fileno(), page, Posix.MAP_SHARED, Posix.PROT_READ | Posix.PROT_WRITE,
                             Access.WRITE, page, True)
        with mmap.mmap.from_java(jmap) as m:
            assert m[:7] == b"record:"
            m.seek(7)
            m.write(b"reply")
            m.flush()
            assert m.size() == 2 * page  # the file's size, through the Java map's own descriptor
        assert jmap.isClosed()
    assert path.read_bytes()[page:page + 12] == b"record:reply"


def test_closed_java_map_is_refused():
    jmap = MemoryMap.anonymous(16)
    jmap.close()
    with pytest.raises(ValueError, match="mmap closed or invalid"):
        mmap.mmap.from_java(jmap)


@pytest.mark.parametrize("thing, name",
                         [(0, "int"), (b"bytes", "bytes"), ("text", "str"), (None, "NoneType")])
def test_anything_else_is_a_type_error(thing, name):
    expected = "^from_java\\(\\) argument must be a dev.fmmap.MemoryMap, not '%s'$" % name
    with pytest.raises(TypeError, match=expected):
        mmap.mmap.from_java(thing)


def test_a_java_object_of_another_class_is_a_type_error():
    with pytest.raises(TypeError, match="not 'java.lang.StringBuilder'"):
        mmap.mmap.from_java(java.type("java.lang.StringBuilder")())
