"""find and rfind."""

import pytest

from _target import mmap, REFERENCE, SSIZE_MAX, cpython313_only, cpython315
from _helpers import Idx

DATA = b"abcabcXYZabc"  # 12 bytes
N = len(DATA)


@pytest.fixture
def m(make_map):
    return make_map(DATA)


def clamp_like_bytes(start, end):
    """find/rfind slice semantics: negative values count from the end,
    then everything is clamped into [0, N]."""
    if start < 0:
        start = max(start + N, 0)
    if end < 0:
        end = max(end + N, 0)
    return min(start, N), min(end, N)


def test_find_from_start(m):
    assert m.find(b"abc") == 0
    assert m.find(b"XYZ") == 6
    assert m.find(b"c") == 2


def test_find_absent(m):
    assert m.find(b"zzz") == -1
    assert m.find(b"abcd") == -1


def test_find_whole_and_longer_needle(m):
    assert m.find(DATA) == 0
    assert m.find(DATA + b"!") == -1


def test_find_default_start_is_current_position(m):
    m.seek(1)
    assert m.find(b"abc") == 3
    m.seek(4)
    assert m.find(b"abc") == 9
    m.seek(10)
    assert m.find(b"abc") == -1


def test_rfind_default_start_is_current_position(m):
    m.seek(4)
    assert m.rfind(b"abc") == 9
    m.seek(10)
    assert m.rfind(b"abc") == -1
    assert m.rfind(b"bc") == 10


def test_find_does_not_move_position(m):
    m.seek(2)
    m.find(b"Z")
    m.rfind(b"a")
    assert m.tell() == 2


def test_find_explicit_start_overrides_position(m):
    m.seek(8)
    assert m.find(b"abc", 0) == 0
    assert m.rfind(b"abc", 0) == 9


def test_rfind_examples(make_map):
    m = make_map(b"one two ones")
    assert m.rfind(b"one") == 8
    assert m.rfind(b"one ") == 0
    assert m.rfind(b"one", 0, -1) == 8
    assert m.rfind(b"one", 0, -2) == 0
    assert m.rfind(b"one", 1, -1) == 8
    assert m.rfind(b"one", 1, -2) == -1


@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("needle", [b"abc", b"a", b"c", b"Za", b"bcX",
                                    b"abcabc", b"q"])
def test_start_end_table(m, method, needle):
    values = (0, 1, 2, 3, 5, 6, 9, 10, 11, 12, 13, 100,
              -1, -2, -3, -6, -11, -12, -13, -100)
    for start in values:
        for end in values:
            got = getattr(m, method)(needle, start, end)
            expected = getattr(DATA, method)(needle, start, end)
            assert got == expected, (needle, start, end)


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_start_only_table(m, method):
    for start in range(-15, 16):
        for needle in (b"abc", b"Z", b"cX"):
            got = getattr(m, method)(needle, start)
            expected = getattr(DATA, method)(needle, start)
            assert got == expected, (needle, start)


# ------------------------------------------------------------ empty needle

def test_find_empty_needle(m):
    assert m.find(b"", 0) == 0
    assert m.find(b"", 5) == 5
    assert m.find(b"", N) == N
    assert m.find(b"", 3, 5) == 3
    assert m.find(b"", -2) == N - 2


def test_find_empty_needle_uses_position(m):
    m.seek(4)
    assert m.find(b"") == 4
    assert m.rfind(b"") == N


def test_rfind_empty_needle(m):
    assert m.rfind(b"", 0) == N
    assert m.rfind(b"", 3, 5) == 5
    assert m.rfind(b"", 0, -2) == N - 2


@cpython313_only("a start past the end finds nothing, as bytes.find (gh-151021)")
def test_empty_needle_start_past_end_is_clamped(m):
    # Unlike bytes.find (which returns -1), mmap clamps start to the end.
    assert m.find(b"", N + 1) == N
    assert m.find(b"", 100) == N
    assert m.rfind(b"", N + 1) == N
    assert m.rfind(b"", 100) == N


@cpython315("a start past the end finds nothing, as bytes.find (gh-151021)")
def test_start_past_end_finds_nothing(m):
    for needle in (b"", b"a"):
        assert m.find(needle, N + 1) == -1
        assert m.find(needle, 100) == -1
        assert m.rfind(needle, N + 1) == -1
        assert m.rfind(needle, 100, 200) == -1
    assert m.find(b"", N) == N
    assert m.rfind(b"", N) == N


def test_empty_needle_start_after_end(m):
    assert m.find(b"", 5, 3) == -1
    assert m.rfind(b"", 5, 3) == -1


# ---------------------------------------------------------- argument forms

@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("needle", [bytearray(b"XYZ"), memoryview(b"XYZ"),
                                    memoryview(bytearray(b"XYZ"))])
def test_bytes_like_needles(m, method, needle):
    assert getattr(m, method)(needle, 0) == 6


def test_array_needle(m):
    import array
    assert m.find(array.array("B", b"YZ"), 0) == 7


def test_needle_from_another_map(m, make_anon):
    other = make_anon(3)
    other[:] = b"Zab"
    assert m.find(other, 0) == 8


@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("needle, tname", [("a", "str"), (97, "int"),
                                           (None, "NoneType")])
def test_needle_must_be_bytes_like(m, method, needle, tname):
    with pytest.raises(TypeError,
                       match="^a bytes-like object is required, not '%s'$"
                             % tname):
        getattr(m, method)(needle)


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_non_contiguous_needle(m, method):
    with pytest.raises(BufferError):
        getattr(m, method)(memoryview(b"XaYaZ")[::2], 0)


# CPython words this error "mmap.find() takes ..." for a direct call with
# keywords and "find() takes ..." when the keywords come from **kwargs, so
# the optional "mmap." prefix is accepted.
KW_MSG = r"^(mmap\.)?%s\(\) takes no keyword arguments$"


def test_find_no_keyword_arguments(m):
    with pytest.raises(TypeError, match=KW_MSG % "find"):
        m.find(b"a", start=0)
    with pytest.raises(TypeError, match=KW_MSG % "find"):
        m.find(b"a", 0, end=5)


def test_rfind_no_keyword_arguments(m):
    with pytest.raises(TypeError, match=KW_MSG % "rfind"):
        m.rfind(b"a", start=0)
    with pytest.raises(TypeError, match=KW_MSG % "rfind"):
        m.rfind(b"a", 0, end=5)


@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("kwargs", [{"start": 0}, {"end": 5}])
def test_no_keyword_arguments_via_mapping(m, method, kwargs):
    with pytest.raises(TypeError, match=KW_MSG % method):
        getattr(m, method)(b"a", **kwargs)


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_needle_keyword_rejected(m, method):
    with pytest.raises(TypeError):
        getattr(m, method)(sub=b"a")


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_argument_count(m, method):
    with pytest.raises(TypeError):
        getattr(m, method)()
    with pytest.raises(TypeError):
        getattr(m, method)(b"a", 0, 1, 2)


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_index_objects_and_bools(m, method):
    assert getattr(m, method)(b"abc", Idx(1), Idx(12)) == \
        getattr(DATA, method)(b"abc", 1, 12)
    assert getattr(m, method)(b"abc", True) == getattr(DATA, method)(b"abc", 1)


@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("args", [(1.0,), ("1",), (0, 1.0), (0, "1")])
def test_bad_start_end_types(m, method, args):
    with pytest.raises(TypeError):
        getattr(m, method)(b"a", *args)


@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("args", [(2 ** 64,), (-(2 ** 64),), (0, 2 ** 64)])
def test_huge_start_end(m, method, args):
    with pytest.raises(OverflowError):
        getattr(m, method)(b"a", *args)


@pytest.mark.parametrize("method", ["find", "rfind"])
def test_extreme_ssize_t_bounds_are_clamped(m, method):
    big, small = SSIZE_MAX, -SSIZE_MAX - 1
    assert getattr(m, method)(b"abc", small, big) == \
        getattr(DATA, method)(b"abc")
    assert getattr(m, method)(b"abc", big) == -1
    assert getattr(m, method)(b"abc", 0, small) == -1


# ------------------------------------------- None start/end (3.14.1 backport)

@pytest.mark.parametrize("method", ["find", "rfind"])
@pytest.mark.parametrize("args, expected", [
    ((None,), {"find": 9, "rfind": 9}),
    ((None, None), {"find": 9, "rfind": 9}),
    ((0, None), {"find": 0, "rfind": 9}),
    ((3, None), {"find": 3, "rfind": 9}),
    ((-3, None), {"find": 9, "rfind": 9}),
    ((1, None), {"find": 3, "rfind": 9}),
])
def test_none_start_end(m, method, args, expected):
    # Backport of CPython 3.14.1: start/end may be None, meaning "as if
    # omitted" (start = current position, end = end of the map).  fmmap
    # provides it; CPython 3.13 (the reference) still raises TypeError.
    m.seek(5)
    if REFERENCE:
        with pytest.raises(TypeError):
            getattr(m, method)(b"abc", *args)
    else:
        assert getattr(m, method)(b"abc", *args) == expected[method]
    assert m.tell() == 5


# ---------------------------------------------------------------- edges

def test_find_at_end_of_mapping_does_not_overrun(make_anon, page):
    # Searching near the end of a mapping must never read past it.
    for pages in (1, 2, 3):
        with mmap.mmap(-1, pages * page, prot=mmap.PROT_READ) as m:
            assert m.find(b"fo", -2) == -1
            assert m.find(b"\0\0\0", -2) == -1
            assert m.rfind(b"\0\0\0", -2) == -1
            assert m.find(b"\0\0", -2) == pages * page - 2


def test_find_in_offset_map(make_map, page):
    m = make_map(b"needle" + b"." * (page - 6) + b"haystack needle",
                 offset=page)
    assert m.find(b"needle") == 9
    assert m.rfind(b"needle") == 9
    assert m.find(b"hay") == 0


def test_find_sees_writes(m):
    m[0:3] = b"QQQ"
    assert m.find(b"QQQ") == 0
    assert m.find(b"abc") == 3
