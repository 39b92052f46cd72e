"""fmmap.smmap: smmap 5.0.2's API (gitdb's and GitPython's sliding-window map manager) over fmmap's
Java window manager, for GraalPy.

    import fmmap.smmap
    fmmap.smmap.install()      # before importing gitdb: `import smmap` now gives this package
    import gitdb

What differs from smmap, and why, is in the docstrings of mman, buf and util: nothing depends on
reference counting, views stay valid while they live, managers are thread-safe and their handle
limit is hard, is_64_bit() tells the truth on GraalPy.
"""
import sys

__author__ = "Sebastian Thiel"
__contact__ = "byronimo@gmail.com"
__homepage__ = "https://github.com/gitpython-developers/smmap"
version_info = (5, 0, 2)
__version__ = ".".join(str(i) for i in version_info)

from .mman import *  # noqa: E402,F401,F403 (smmap's root namespace)
from .buf import *  # noqa: E402,F401,F403
from . import buf, mman, util  # noqa: E402,F401


def install():
    """Makes ``import smmap`` (and smmap.mman, smmap.buf, smmap.util) give this package. Call it
    before anything imports smmap; every submodule is registered, so that ``import smmap.mman``
    cannot load a second copy of it. fmmap's own."""
    this = sys.modules[__name__]
    sys.modules["smmap"] = this
    sys.modules["smmap.mman"] = mman
    sys.modules["smmap.buf"] = buf
    sys.modules["smmap.util"] = util
