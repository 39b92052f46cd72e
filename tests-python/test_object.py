"""Object protocol: iteration, `in`, operators, equality, hashing, weakrefs,
subclassing, context manager, pickling and repr."""
import copy
import gc
import pickle
import weakref

import pytest

from _target import mmap, deviation

DATA = b"hello\x00\xffworld"


@pytest.fixture
def m(make_map):
    return make_map(DATA)


# ---------------------------------------------------------------- iteration

def test_iteration_yields_one_byte_bytes(m):
    items = list(m)
    assert items == [bytes([b]) for b in DATA]
    assert all(type(x) is bytes for x in items)


def test_reversed(m):
    assert list(reversed(m)) == [bytes([b]) for b in reversed(DATA)]


def test_enumerate(m):
    assert list(enumerate(m))[:3] == [(0, b"h"), (1, b"e"), (2, b"l")]


def test_iteration_ignores_position(m):
    m.seek(5)
    assert b"".join(m) == DATA
    assert m.tell() == 5


def test_iteration_sees_writes(m):
    it = iter(m)
    assert next(it) == b"h"
    m[1] = ord("E")
    assert next(it) == b"E"


def test_iteration_is_repeatable(m):
    assert list(m) == list(m)


def test_iteration_of_anonymous(make_anon):
    assert list(make_anon(3)) == [b"\0", b"\0", b"\0"]


# ----------------------------------------------------------------------- in

@pytest.mark.parametrize("item", [b"h", b"\x00", b"\xff", bytearray(b"w"),
                                  memoryview(b"d")])
def test_contains_single_byte(m, item):
    assert item in m


@pytest.mark.parametrize("item", [104, 0, b"he", b"hello", b"", "h", None,
                                  b"z"])
def test_contains_is_item_membership_not_substring(m, item):
    # No __contains__: `in` iterates over 1-byte bytes objects.
    assert (item in m) is False
    assert (item not in m) is True


# ---------------------------------------------------------------- operators

@pytest.mark.parametrize("op", [
    lambda m: m + b"x",
    lambda m: m + bytearray(b"x"),
    lambda m: m + m,
    lambda m: m * 2,
    lambda m: 2 * m,
    lambda m: m < m,
    lambda m: m <= m,
    lambda m: m > b"",
    lambda m: -m,
])
def test_unsupported_operators(m, op):
    with pytest.raises(TypeError):
        op(m)


def test_inplace_add_refused(m):
    x = m
    with pytest.raises(TypeError):
        x += b"x"
    with pytest.raises(TypeError):
        x *= 2
    assert x is m


def test_equality_is_identity(m, make_file):
    assert m == m
    assert not (m != m)
    f = make_file(DATA)
    with mmap.mmap(f.fileno(), 0) as twin:
        assert twin[:] == m[:]
        assert m != twin
        assert not (m == twin)
    assert m != DATA
    assert not (m == DATA)
    # (bytearray and memoryview compare buffer contents from their side;
    # see test_buffer.py)


def test_hashable(m):
    assert hash(m) == hash(m)
    d = {m: 1}
    assert d[m] == 1
    assert m in {m}


def test_distinct_maps_hash_independently(make_anon):
    a, b = make_anon(4), make_anon(4)
    assert len({a, b}) == 2


def test_truthiness_follows_length(make_anon):
    assert bool(make_anon(1)) is True


# ----------------------------------------------------------- attributes

def test_instances_have_no_dict(m):
    with pytest.raises(AttributeError):
        m.__dict__
    with pytest.raises(AttributeError):
        m.some_attribute = 1


def test_closed_is_read_only(m):
    with pytest.raises(AttributeError):
        m.closed = True
    assert m.closed is False


def test_methods_cannot_be_replaced_on_instance(m):
    with pytest.raises(AttributeError):
        m.read = None


# ------------------------------------------------------------------ weakref

def test_weakref(make_anon):
    m = mmap.mmap(-1, 16)
    r = weakref.ref(m)
    assert r() is m
    m.close()
    del m
    for _ in range(3):  # collectors that are not refcounting may need a nudge
        gc.collect()
        if r() is None:
            break
    assert r() is None


def test_weakref_proxy_and_set(make_anon):
    m = make_anon(16)
    assert weakref.proxy(m).tell() == 0
    s = weakref.WeakSet([m])
    assert m in s


# -------------------------------------------------------------- subclassing

class Sub(mmap.mmap):
    pass


@deviation("each instance's type is a per-length subclass of its class (the ctypes buffer's "
           "length lives in the type)")
def test_subclass_instance_type_is_the_subclass():
    with Sub(-1, 10) as s:
        assert type(s) is Sub


def test_subclass_basic():
    with Sub(-1, 10) as s:
        assert isinstance(s, mmap.mmap)
        assert isinstance(s, Sub)
        assert len(s) == 10
        s.write(b"abc")
        assert s[:3] == b"abc"
        s.extra = 1
        assert s.extra == 1
    assert s.closed is True


def test_subclass_repr_uses_subclass_name():
    with Sub(-1, 10) as s:
        assert repr(s) == ("<Sub closed=False, access=ACCESS_DEFAULT, "
                           "length=10, pos=0, offset=0>")
    assert repr(s) == "<Sub closed=True>"


def test_subclass_file_backed(make_file):
    f = make_file(DATA)
    with Sub(f.fileno(), 0, access=mmap.ACCESS_READ) as s:
        assert s[:] == DATA
        assert s.find(b"world") == 7


def test_subclass_with_custom_new_and_init():
    class Tagged(mmap.mmap):
        def __new__(cls, size, tag):
            self = super().__new__(cls, -1, size)
            self.tag = tag
            return self

        def __init__(self, size, tag):
            self.init_args = (size, tag)

    t = Tagged(7, "label")
    try:
        assert len(t) == 7
        assert t.tag == "label"
        assert t.init_args == (7, "label")
        assert isinstance(t, mmap.mmap)
    finally:
        t.close()


def test_subclass_with_init_taking_extra_arguments():
    class WithInit(mmap.mmap):
        def __init__(self, *args, **kwargs):
            self.seen = (args, kwargs)

    w = WithInit(-1, 4, access=mmap.ACCESS_WRITE)
    try:
        assert len(w) == 4
        assert w.seen == ((-1, 4), {"access": mmap.ACCESS_WRITE})
    finally:
        w.close()


def test_subclass_can_override_methods():
    class Upper(mmap.mmap):
        def read(self, n=None):
            return super().read(n).upper()

    u = Upper(-1, 3)
    try:
        u[:] = b"abc"
        assert u.read() == b"ABC"
    finally:
        u.close()


def test_constructor_plain_call_ignores_extra_init():
    # mmap itself performs all work in __new__
    m = mmap.mmap.__new__(mmap.mmap, -1, 5)
    try:
        assert len(m) == 5
    finally:
        m.close()


# -------------------------------------------------------- context manager

def test_context_manager_returns_self_and_closes():
    m = mmap.mmap(-1, 5)
    with m as entered:
        assert entered is m
        assert m.closed is False
    assert m.closed is True


def test_context_manager_closes_on_exception():
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with mmap.mmap(-1, 5) as m:
            raise Boom()
    assert m.closed is True


def test_exit_does_not_swallow_exceptions():
    m = mmap.mmap(-1, 5)
    assert not m.__exit__(ValueError, ValueError("x"), None)
    assert m.closed is True


def test_entering_closed_map():
    m = mmap.mmap(-1, 5)
    m.close()
    with pytest.raises(ValueError, match="^mmap closed or invalid$"):
        with m:
            pass


def test_context_manager_file_backed(make_file, file_bytes):
    f = make_file(b"abc")
    with mmap.mmap(f.fileno(), 0) as m:
        m[0] = ord("X")
    assert m.closed is True
    assert file_bytes(f.name) == b"Xbc"


# ----------------------------------------------------------------- pickling

PICKLE_MSG = r"^cannot pickle 'mmap\.mmap' object$"


@pytest.mark.parametrize("protocol", [2, 3, 4, 5, None])
def test_pickle_refused(m, protocol):
    with pytest.raises(TypeError, match=PICKLE_MSG):
        pickle.dumps(m, protocol)


@pytest.mark.parametrize("protocol", [0, 1])
def test_pickle_refused_old_protocols(m, protocol):
    # protocols 0 and 1 go through copyreg, which names the class by its
    # __name__ only.
    with pytest.raises(TypeError, match=r"^cannot pickle 'mmap' object$"):
        pickle.dumps(m, protocol)


@pytest.mark.parametrize("func", [copy.copy, copy.deepcopy])
def test_copy_refused(m, func):
    with pytest.raises(TypeError, match=PICKLE_MSG):
        func(m)


def test_pickle_subclass_refused():
    with Sub(-1, 4) as s:
        with pytest.raises(TypeError, match=r"^cannot pickle 'Sub' object$"):
            pickle.dumps(s)


def test_pickle_anonymous_refused(make_anon):
    with pytest.raises(TypeError, match=PICKLE_MSG):
        pickle.dumps(make_anon(4))


# --------------------------------------------------------------------- repr

@pytest.mark.parametrize("access_name", ["ACCESS_DEFAULT", "ACCESS_READ",
                                         "ACCESS_WRITE", "ACCESS_COPY"])
def test_repr_access_modes(make_map, access_name):
    m = make_map(b"x" * 16, access=getattr(mmap, access_name))
    m.seek(15)
    assert repr(m) == ("<mmap.mmap closed=False, access=%s, length=16, "
                       "pos=15, offset=0>" % access_name)


def test_repr_prot_read_shows_access_read(make_map):
    m = make_map(b"x" * 16, prot=mmap.PROT_READ)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_READ, "
                       "length=16, pos=0, offset=0>")


def test_repr_map_private_shows_access_default(make_map):
    m = make_map(b"x" * 16, flags=mmap.MAP_PRIVATE)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_DEFAULT, "
                       "length=16, pos=0, offset=0>")


def test_repr_with_offset(make_map, page):
    m = make_map(b"x" * page + b"y" * 10, offset=page)
    m.read(3)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_DEFAULT, "
                       "length=10, pos=3, offset=%d>" % page)


def test_repr_anonymous(make_anon):
    m = make_anon(100)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_DEFAULT, "
                       "length=100, pos=0, offset=0>")


def test_repr_closed(make_anon):
    m = make_anon(100)
    m.close()
    assert repr(m) == "<mmap.mmap closed=True>"


def test_repr_tracks_resize_and_position(make_anon):
    m = make_anon(10)
    m.seek(8)
    m.resize(5)
    assert repr(m) == ("<mmap.mmap closed=False, access=ACCESS_DEFAULT, "
                       "length=5, pos=8, offset=0>")


def test_str_is_repr(make_anon):
    m = make_anon(3)
    assert str(m) == repr(m)
