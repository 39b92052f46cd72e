"""Small helpers shared by the test modules."""


class Idx:
    """An object that is an integer only through __index__ (as CPython's suite uses)."""

    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v
