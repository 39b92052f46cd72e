"""The same operations give the same results in both guard modes (fmmap.set_guard_mode): "fast"
reads and writes through the map's raw memory, "strict" through the core's guarded Java path
(copies through its transfer buffer, in 1 MiB parts above that). In reference mode the mode is not
a setting of the stdlib's mmap: the same checks run once, against CPython."""
import pytest

from _target import mmap, REFERENCE

MiB = 1 << 20
MODES = ["stdlib"] if REFERENCE else ["fast", "strict"]


@pytest.fixture(params=MODES)
def mode(request):
    if REFERENCE:
        yield request.param
        return
    previous = mmap.get_guard_mode()
    mmap.set_guard_mode(request.param)
    yield request.param
    mmap.set_guard_mode(previous)


def pattern(n):
    lines = b"".join(b"line %d of the file\n" % i for i in range(n // 16))
    return (lines + b"x" * n)[:n]


@pytest.fixture(params=["file", "anonymous"])
def mapped(request, mode, make_map, make_anon):
    """(map, bytearray model) over 3 MiB + 5 bytes: larger than one transfer part."""
    data = pattern(3 * MiB + 5)
    if request.param == "file":
        return make_map(data), bytearray(data)
    m = make_anon(len(data))
    m[:] = data
    return m, bytearray(data)


def test_reads_agree_with_the_bytes(mapped):
    m, model = mapped
    n = len(model)
    assert m[0] == model[0] and m[-1] == model[-1] and m[n // 2] == model[n // 2]
    assert m[:] == bytes(model)
    assert m[MiB - 3:2 * MiB + 7] == bytes(model[MiB - 3:2 * MiB + 7])
    assert m[::4099] == bytes(model[::4099])
    m.seek(10)
    assert m.read(2 * MiB + 1) == bytes(model[10:2 * MiB + 11])
    assert m.read_byte() == model[2 * MiB + 11]
    assert m.readline() == bytes(model[2 * MiB + 12:model.index(b"\n", 2 * MiB + 12) + 1])
    rest = m.read()
    assert rest == bytes(model[n - len(rest):]) and m.read() == b""
    m.seek(n - 3)
    assert m.read(100) == bytes(model[n - 3:])
    assert list(m[:300]) == list(model[:300])
    assert b"".join(x for _, x in zip(range(1000), m)) == bytes(model[:1000])


def test_writes_agree_with_the_bytes(mapped):
    m, model = mapped
    n = len(model)
    m[5] = 0xAB
    model[5] = 0xAB
    m[-2] = 7
    model[-2] = 7
    m[100:100 + 2 * MiB] = b"w" * (2 * MiB)
    model[100:100 + 2 * MiB] = b"w" * (2 * MiB)
    m[7:20:3] = b"abcde"
    model[7:20:3] = b"abcde"
    m.seek(n - 10)
    assert m.write(bytearray(b"0123456789")) == 10
    model[n - 10:] = b"0123456789"
    m.seek(3)
    m.write_byte(65)
    model[3] = 65
    assert m[:] == bytes(model)
    m.seek(0, 2)
    with pytest.raises(ValueError, match="data out of range"):
        m.write(b"!")


def test_closed_maps_refuse_in_both_modes(mapped):
    m, model = mapped
    m.close()
    for op in (lambda: m[0], lambda: m[0:4], lambda: m.read(1), lambda: m.read_byte(),
               lambda: m.readline(), lambda: m.write(b"x"), lambda: next(iter(m))):
        with pytest.raises(ValueError, match="mmap closed or invalid"):
            op()
