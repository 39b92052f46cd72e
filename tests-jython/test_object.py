"""The map as a Python object: iteration, membership, operators, identity,
hashing, attributes, pickling."""
import copy
import pickle
import unittest
import weakref

from _target import mmap, REFERENCE
from _support import MapTestCase, deviation

DATA = b"hello"


class SequenceTests(MapTestCase):

    def setUp(self):
        MapTestCase.setUp(self)
        self.m = self.make_map(DATA)

    def test_iteration_yields_one_char_strs(self):
        self.assertEqual(list(self.m), [b"h", b"e", b"l", b"l", b"o"])

    def test_reversed_and_enumerate(self):
        self.assertEqual(list(reversed(self.m)), [b"o", b"l", b"l", b"e", b"h"])
        self.assertEqual(list(enumerate(self.m))[:2], [(0, b"h"), (1, b"e")])

    def test_iteration_ignores_and_keeps_the_position(self):
        self.m.seek(3)
        self.assertEqual(b"".join(self.m), DATA)
        self.assertEqual(self.m.tell(), 3)

    def test_iteration_sees_writes(self):
        it = iter(self.m)
        self.assertEqual(next(it), b"h")
        self.m[1] = b"E"
        self.assertEqual(next(it), b"E")

    def test_builtins_over_the_sequence(self):
        self.assertEqual(sorted(self.m), [b"e", b"h", b"l", b"l", b"o"])
        self.assertEqual(max(self.m), b"o")
        self.assertEqual(b"-".join(self.m), b"h-e-l-l-o")
        self.assertEqual(tuple(self.m), tuple(DATA))

    def test_membership_is_item_membership(self):
        self.assertTrue(b"h" in self.m)
        self.assertTrue(b"o" in self.m)
        self.assertFalse(b"z" in self.m)
        self.assertFalse(b"he" in self.m)
        self.assertFalse(b"" in self.m)
        self.assertFalse(104 in self.m)
        self.assertFalse(None in self.m)

    def test_truth_follows_length(self):
        self.assertTrue(bool(self.m))
        m = self.make_map(b"x")
        self.assertTrue(bool(m))

    def test_concatenation_and_repetition_refused(self):
        m = self.m
        cases = [(lambda: m + m, "unsupported operand type(s) for +: 'mmap.mmap' and 'mmap.mmap'"),
                 (lambda: m + b"a", "unsupported operand type(s) for +: 'mmap.mmap' and 'str'"),
                 (lambda: m * 2, "unsupported operand type(s) for *: 'mmap.mmap' and 'int'"),
                 (lambda: 2 * m, "unsupported operand type(s) for *: 'int' and 'mmap.mmap'"),
                 (lambda: bytearray(b"x") + m, "can't concat bytearray to mmap.mmap")]
        for op, msg in cases:
            if REFERENCE:
                self.assertRaisesMsg(TypeError, msg, op)
            elif "bytearray" in msg:  # Jython's bytearray concatenates any buffer, as Python 3's
                self.assertEqual(op(), bytearray(b"x" + m[:]))
            else:  # Jython's own message names the type by its __name__, 'mmap' (docs/compat.md)
                self.assertRaises(TypeError, op)
        self.assertEqual(m[:], DATA)

    def test_in_place_add_refused(self):
        m = self.m
        with self.assertRaises(TypeError):
            m += b"x"
        self.assertEqual(self.m[:], DATA)


class IdentityTests(MapTestCase):

    def test_equality_is_identity(self):
        f = self.make_file(DATA)
        a = self.map_file(f)
        b = self.map_file(f)
        self.assertTrue(a == a)
        self.assertFalse(a == b)
        self.assertTrue(a != b)
        self.assertFalse(a == DATA)
        self.assertFalse(a == a[:])

    def test_hashable(self):
        m = self.anon(4)
        other = self.anon(4)
        d = {m: 1, other: 2}
        self.assertEqual(d[m], 1)
        self.assertEqual(d[other], 2)
        self.assertEqual(hash(m), hash(m))

    def test_no_instance_dict(self):
        m = self.anon(4)
        with self.assertRaises(AttributeError) as cm:
            m.__dict__
        self.assertEqual(str(cm.exception), "'mmap.mmap' object has no attribute '__dict__'")
        with self.assertRaises(AttributeError) as cm:
            m.extra = 1
        self.assertEqual(str(cm.exception), "'mmap.mmap' object has no attribute 'extra'")

    def test_missing_attribute(self):
        m = self.anon(4)
        with self.assertRaises(AttributeError) as cm:
            m.nonexistent
        self.assertEqual(str(cm.exception), "'mmap.mmap' object has no attribute 'nonexistent'")

    def test_methods_cannot_be_replaced(self):
        m = self.anon(4)
        with self.assertRaises(AttributeError) as cm:
            m.read = None
        self.assertEqual(str(cm.exception), "'mmap.mmap' object attribute 'read' is read-only")
        with self.assertRaises(AttributeError):
            del m.read
        self.assertEqual(m.read(2), b"\x00\x00")

    @deviation("weak references to maps work (as on Python 3; Jython gives every object them)")
    def test_weak_references_refused(self):
        m = self.anon(4)
        self.assertRaisesMsg(TypeError, "cannot create weak reference to 'mmap.mmap' object",
                             weakref.ref, m)

    def test_pickling_refused(self):
        m = self.anon(4)
        for protocol in (0, 1):
            self.assertRaisesMsg(TypeError, "can't pickle mmap objects", pickle.dumps, m, protocol)
        self.assertRaisesMsg(TypeError, "can't pickle mmap objects", m.__reduce_ex__, 0)

    def test_copy_refused(self):
        m = self.anon(4)
        self.assertRaises(TypeError, copy.copy, m)
        self.assertRaises(TypeError, copy.deepcopy, m)


if __name__ == "__main__":
    unittest.main()
