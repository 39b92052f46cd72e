"""gitdb (GitPython's object database, pure Python) reading this repository's pack through the
smmap under test: fmmap.smmap installed as smmap (GraalPy), or the real smmap (reference). Every
object's type, size and content must match `git cat-file`."""
import binascii
import glob
import os
import shutil
import subprocess
import sys

import pytest

from _helpers import open_fds
from _smmap_target import REFERENCE, fmmap_only, smmap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SMMAP_MODULES = ("smmap", "smmap.mman", "smmap.buf", "smmap.util")


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """(pack path, {sha: (type, content)}) of a fresh clone of this repository: a clone that is not
    local has all its objects in one pack, even where this checkout has loose objects only."""
    if shutil.which("git") is None or not os.path.isdir(os.path.join(ROOT, ".git")):
        pytest.skip("needs git and this repository's .git")
    dest = str(tmp_path_factory.mktemp("gitdb") / "clone")
    subprocess.run(["git", "clone", "-q", "--no-local", ROOT, dest], check=True)
    packs = glob.glob(os.path.join(dest, ".git", "objects", "pack", "*.pack"))
    assert len(packs) == 1, packs
    out = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=dest, check=True,
                         stdout=subprocess.PIPE).stdout
    objects = {}
    pos = 0
    while pos < len(out):
        eol = out.index(b"\n", pos)
        sha, kind, size = out[pos:eol].split()
        size = int(size)
        objects[sha.decode()] = (kind, out[eol + 1:eol + 1 + size])
        pos = eol + 1 + size + 1
    return packs[0], objects


@pytest.fixture
def gitdb():
    """gitdb imported afresh over the smmap under test (fmmap.smmap.install() first on GraalPy);
    sys.modules is put back afterwards."""
    names = [n for n in sys.modules if n == "gitdb" or n.startswith("gitdb.")]
    saved = dict((n, sys.modules.pop(n)) for n in names)
    saved_smmap = dict((n, sys.modules.get(n)) for n in _SMMAP_MODULES)
    try:
        if not REFERENCE:
            smmap.install()
        try:
            import gitdb
        except ImportError:
            pytest.skip("gitdb is not installed (bin/test puts it in build/gitdb)")
        import gitdb.pack
        import gitdb.util
        assert isinstance(gitdb.util.mman, smmap.SlidingWindowMapManager)
        yield gitdb
    finally:
        for n in [n for n in sys.modules if n == "gitdb" or n.startswith("gitdb.")]:
            del sys.modules[n]
        sys.modules.update(saved)
        for n, module in saved_smmap.items():
            if module is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = module


def _read_all(gitdb, pack_path, objects):
    entity = sys.modules["gitdb.pack"].PackEntity(pack_path)
    try:
        shas = set(binascii.hexlify(info.binsha).decode() for info in entity.info_iter())
        assert shas == set(objects)
        for sha, (kind, content) in objects.items():
            stream = entity.stream(binascii.unhexlify(sha))
            assert (stream.type, stream.size) == (kind, len(content)), sha
            assert stream.read() == content, sha
        assert len(entity._pack.checksum()) == 20
    finally:
        entity.close()


def test_gitdb_reads_every_object_of_this_repository(gitdb, pack):
    pack_path, objects = pack
    assert len(objects) > 100
    mman = gitdb.util.mman
    _read_all(gitdb, pack_path, objects)
    _collect(mman)
    assert mman.num_file_handles() == 0, mman.stats() if hasattr(mman, "stats") else None


def _collect(man):
    """What GitPython's Repo.close() does: gitdb drops its cursors without releasing them
    (self._cursor = None), so only their __del__ does; GraalPy runs it some time after gc.collect()."""
    import gc
    import time
    for _ in range(250):  # up to ~5 s plus the collections: GraalPy is slow to run __del__ on a loaded machine
        gc.collect()
        man.collect()
        if man.num_file_handles() == 0:
            return
        time.sleep(0.02)


@fmmap_only("smmap closes its regions' maps under gitdb's live views (BufferError on CPython)")
def test_gitdb_with_windows_collected_under_its_views(gitdb, pack, monkeypatch):
    """Every window unmapped as soon as it is unused, while gitdb keeps views into it (delta
    chains): the views keep their windows, and every object still reads right."""
    pack_path, objects = pack
    man = smmap.SlidingWindowMapManager(max_memory_size=1, max_open_handles=3)
    monkeypatch.setattr(sys.modules["gitdb.pack"], "mman", man)
    before = open_fds()
    _read_all(gitdb, pack_path, objects)
    _collect(man)
    assert man.num_file_handles() == 0
    assert open_fds() == before
    man.close()
