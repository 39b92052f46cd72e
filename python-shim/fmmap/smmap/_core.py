"""The Java side of fmmap.smmap: dev.fmmap.window.WindowManager and its classes, and the translation of
their failures into Python exceptions (GraalPy only: smmap and gitdb are Python 3 code)."""
import os

from .. import _errors
from .._runtime import GRAALPY, core

if not GRAALPY:
    raise ImportError("fmmap.smmap runs on GraalPy (Jython 2.7 cannot run smmap's users)")

import java  # noqa: E402 (GraalPy's host interop; present once fmmap has imported)


def _type(name):
    try:
        return java.type(name)
    except BaseException:
        raise ImportError("fmmap.smmap needs the Java class %s: this fmmap core predates the window "
                          "manager (rebuild java-impl)" % name)


WindowManager = _type("dev.fmmap.window.WindowManager")
STATIC = _type("dev.fmmap.window.WindowManager$Strategy").STATIC
SLIDING = _type("dev.fmmap.window.WindowManager$Strategy").SLIDING
NEVER = _type("dev.fmmap.window.WindowManager$Overcommit").NEVER
WHEN_ALL_PINNED = _type("dev.fmmap.window.WindowManager$Overcommit").WHEN_ALL_PINNED
_WindowLimit = _type("dev.fmmap.window.WindowLimitException")
_File = java.type("java.io.File")
ByteBuffer = java.type("java.nio.ByteBuffer")

Error = core.Error
BYTES_MAX = core.BYTES_MAX
# The most bytes one copy out of a window takes (Window.copyOut, through Java's transfer buffer).
TRANSFER_MAX = java.type("dev.fmmap.MemoryMap").TRANSFER_MAX
INT_MAX = 2 ** 31 - 1
view = core.view
read = core.read
BufferBase = core.BufferBase
over = core.over


def java_path(path):
    """A java.nio.file.Path for a str, bytes or os.PathLike path."""
    return _File(os.fsdecode(path)).toPath()


def is_limit(error):
    """Whether a Java failure is a manager limit, or a system limit that freeing windows may cure."""
    if isinstance(error, _WindowLimit):
        return True
    translated = translate(error)
    return isinstance(translated, OSError) and bool(WindowManager.curedByEviction(translated.errno))


# The Python exception for a Java failure: a WindowLimitException becomes OSError(EMFILE) when the
# window (= open handle) limit refused the request, MemoryError when the byte limit did.
translate = core.translate


def fail(error):
    """Raises the Python exception for a Java failure, without the Java one as context."""
    _errors.fail(translate, error)
