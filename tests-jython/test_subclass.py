"""Subclassing mmap.mmap."""
import unittest
import weakref

from _target import mmap
from _support import MapTestCase, MSG_CLOSED

DATA = b"0123456789"


class Plain(mmap.mmap):
    pass


class WithExtra(mmap.mmap):
    """A subclass whose constructor takes an extra argument."""

    def __new__(cls, fileno, length, tag, **kwargs):
        self = mmap.mmap.__new__(cls, fileno, length, **kwargs)
        self.tag = tag
        return self

    def __init__(self, fileno, length, tag, **kwargs):
        self.inited = True


class Overriding(mmap.mmap):

    def read(self, n):
        return b"<" + mmap.mmap.read(self, n) + b">"

    def __getitem__(self, key):
        return b"item:" + mmap.mmap.__getitem__(self, key)

    def __len__(self):
        return mmap.mmap.__len__(self) * 10


class RecordingInit(mmap.mmap):

    def __init__(self, *args, **kwargs):
        self.init_args = (args, kwargs)


class SubclassTests(MapTestCase):

    def test_plain_subclass(self):
        f = self.make_file(DATA)
        m = self.track(Plain(f.fileno(), 0))
        self.assertTrue(type(m) is Plain)
        self.assertTrue(isinstance(m, mmap.mmap))
        self.assertEqual(m[:], DATA)
        self.assertEqual(len(m), 10)
        m.write(b"ab")
        self.assertEqual(m.find(b"23"), 2)

    def test_subclass_instances_have_a_dict_and_weakrefs(self):
        m = self.track(Plain(-1, 16))
        m.note = "hi"
        self.assertEqual(m.__dict__, {"note": "hi"})
        self.assertTrue(weakref.ref(m)() is m)

    def test_subclass_anonymous_and_keywords(self):
        m = self.track(Plain(-1, 16, access=mmap.ACCESS_WRITE))
        m[0] = b"x"
        self.assertEqual(m[0:2], b"x\x00")

    def test_subclass_repr_names_the_subclass(self):
        m = self.track(Plain(-1, 16))
        self.assertTrue(repr(m).startswith("<%s.Plain object at 0x" % __name__), repr(m))

    def test_custom_new_and_init(self):
        f = self.make_file(DATA)
        m = self.track(WithExtra(f.fileno(), 4, "T", access=mmap.ACCESS_READ))
        self.assertEqual(m.tag, "T")
        self.assertTrue(m.inited)
        self.assertEqual(m[:], b"0123")
        self.assertRaises(TypeError, m.write, b"x")

    def test_constructor_arguments_go_to_new(self):
        f = self.make_file(DATA)
        self.assertRaisesMsg(TypeError, "an integer is required", Plain, f.fileno(), 0, "extra")
        m = self.track(RecordingInit(f.fileno(), 0, access=mmap.ACCESS_READ))
        self.assertEqual(m.init_args, ((f.fileno(), 0), {"access": mmap.ACCESS_READ}))
        self.assertEqual(m[:2], b"01")

    def test_overridden_methods(self):
        f = self.make_file(DATA)
        m = self.track(Overriding(f.fileno(), 0))
        self.assertEqual(m.read(2), b"<01>")
        self.assertEqual(m[3], b"item:3")
        self.assertEqual(len(m), 100)
        self.assertEqual(m.tell(), 2)

    def test_subclass_close(self):
        m = Plain(-1, 16)
        m.note = 1
        m.close()
        self.assertEqual(m.note, 1)
        self.assertRaisesMsg(ValueError, MSG_CLOSED, m.read, 1)
        m.close()

    def test_subclass_errors_are_the_base_errors(self):
        m = self.track(Plain(-1, 4))
        self.assertRaisesMsg(IndexError, "mmap index out of range", m.__getitem__, 4)
        self.assertRaisesMsg(ValueError, "seek out of range", m.seek, 5)


if __name__ == "__main__":
    unittest.main()
