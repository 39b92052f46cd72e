"""Scenario 5 (under bin/graalpy with fmmap, and under CPython 3.13 with stdlib mmap): hostile
arguments. Each case prints 'BEGIN name' then 'RESULT {json}' (exception type and message, or
'no exception'). argv: workdir [case,case,...] (all cases when omitted)."""
import json, os, sys

try:
    import fmmap as mmap
    IMPL = "fmmap"
except ImportError:
    import mmap
    IMPL = "cpython"

work = sys.argv[1]
PG = mmap.PAGESIZE
AG = mmap.ALLOCATIONGRANULARITY
path = os.path.join(work, "hostile.bin")
with open(path, "wb") as fh:
    fh.write(b"H" * (4 * PG))
rw = os.open(path, os.O_RDWR)
ro = os.open(path, os.O_RDONLY)
wo = os.open(path, os.O_WRONLY)
pr, pw = os.pipe()
dfd = os.open(work, os.O_RDONLY)
closed_fd = os.open(path, os.O_RDONLY)
os.close(closed_fd)


def anon():
    return mmap.mmap(-1, 4 * PG)


def filemap():
    return mmap.mmap(rw, 4 * PG)


CASES = [
    ("anon_len_2**62", lambda: mmap.mmap(-1, 1 << 62)),
    ("anon_len_2**63-1", lambda: mmap.mmap(-1, (1 << 63) - 1)),
    ("anon_len_2**31", lambda: mmap.mmap(-1, 1 << 31)),
    ("anon_len_2**44", lambda: mmap.mmap(-1, 1 << 44)),
    ("anon_len_2**63", lambda: mmap.mmap(-1, 1 << 63)),
    ("anon_len_2**64", lambda: mmap.mmap(-1, 1 << 64)),
    ("anon_len_-1", lambda: mmap.mmap(-1, -1)),
    ("anon_len_0", lambda: mmap.mmap(-1, 0)),
    ("anon_len_float", lambda: mmap.mmap(-1, 4096.0)),
    ("anon_len_str", lambda: mmap.mmap(-1, "4096")),
    ("file_len_gt_size", lambda: mmap.mmap(rw, 8 * PG)),
    ("file_len_2**62", lambda: mmap.mmap(rw, 1 << 62)),
    ("file_offset_neg", lambda: mmap.mmap(rw, PG, offset=-PG)),
    ("file_offset_-1", lambda: mmap.mmap(rw, PG, offset=-1)),
    ("file_offset_unaligned_1", lambda: mmap.mmap(rw, PG, offset=1)),
    ("file_offset_unaligned_pg+1", lambda: mmap.mmap(rw, PG, offset=PG + 1)),
    ("file_offset_past_eof_len0", lambda: mmap.mmap(rw, 0, offset=8 * AG)),
    ("file_offset_past_eof_len4k", lambda: mmap.mmap(rw, PG, offset=8 * AG)),
    ("file_offset_2**63", lambda: mmap.mmap(rw, PG, offset=1 << 63)),
    ("file_offset_2**62_aligned", lambda: mmap.mmap(rw, PG, offset=1 << 62)),
    ("anon_offset_neg", lambda: mmap.mmap(-1, PG, offset=-PG)),
    ("fd_pipe_read_end", lambda: mmap.mmap(pr, PG)),
    ("fd_pipe_write_end", lambda: mmap.mmap(pw, PG)),
    ("fd_pipe_len0", lambda: mmap.mmap(pr, 0)),
    ("fd_directory", lambda: mmap.mmap(dfd, PG)),
    ("fd_directory_len0", lambda: mmap.mmap(dfd, 0)),
    ("fd_closed", lambda: mmap.mmap(closed_fd, PG)),
    ("fd_-2", lambda: mmap.mmap(-2, PG)),
    ("fd_2**31", lambda: mmap.mmap(1 << 31, PG)),
    ("fd_2**40", lambda: mmap.mmap(1 << 40, PG)),
    ("fd_readonly_ACCESS_WRITE", lambda: mmap.mmap(ro, PG, access=mmap.ACCESS_WRITE)),
    ("fd_readonly_ACCESS_DEFAULT", lambda: mmap.mmap(ro, PG)),
    ("fd_readonly_PROT_WRITE_SHARED", lambda: mmap.mmap(ro, PG, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)),
    ("fd_writeonly_ACCESS_READ", lambda: mmap.mmap(wo, PG, access=mmap.ACCESS_READ)),
    ("access_invalid_7", lambda: mmap.mmap(-1, PG, access=7)),
    ("access_and_flags", lambda: mmap.mmap(-1, PG, flags=mmap.MAP_PRIVATE, access=mmap.ACCESS_WRITE)),
    ("flags_garbage", lambda: mmap.mmap(-1, PG, flags=0x7FFFFFFF)),
    ("prot_garbage", lambda: mmap.mmap(-1, PG, prot=0x7FFFFFFF)),
    ("read_neg_huge", lambda: anon().read(-(1 << 62))),
    ("read_2**64", lambda: anon().read(1 << 64)),
    ("seek_huge", lambda: anon().seek(1 << 62)),
    ("seek_neg", lambda: anon().seek(-1)),
    ("seek_whence_9", lambda: anon().seek(0, 9)),
    ("getitem_huge", lambda: anon()[1 << 62]),
    ("getitem_neg_huge", lambda: anon()[-(1 << 62)]),
    ("getitem_2**64", lambda: anon()[1 << 64]),
    ("slice_huge", lambda: len(anon()[(1 << 62):(1 << 63)])),
    ("setitem_slice_wrong_len", lambda: anon().__setitem__(slice(0, 10), b"x")),
    ("move_huge_count", lambda: anon().move(0, 0, 1 << 62)),
    ("move_neg", lambda: anon().move(-1, 0, 1)),
    ("move_overflow_sum", lambda: anon().move(1 << 62, 1 << 62, 1 << 62)),
    ("find_huge_start", lambda: anon().find(b"x", 1 << 62)),
    ("find_neg_huge_start", lambda: anon().find(b"x", -(1 << 62))),
    ("flush_unaligned", lambda: filemap().flush(1, 10)),
    ("flush_neg", lambda: filemap().flush(-PG, PG)),
    ("flush_huge", lambda: filemap().flush(0, 1 << 62)),
    ("resize_neg", lambda: anon().resize(-1)),
    ("resize_huge_anon", lambda: mmap.mmap(-1, PG, flags=mmap.MAP_PRIVATE).resize(1 << 62)),
    ("madvise_bad_option", lambda: anon().madvise(12345)),
    ("madvise_unaligned", lambda: anon().madvise(mmap.MADV_NORMAL, 1, 10)),
    ("madvise_huge_len", lambda: anon().madvise(mmap.MADV_NORMAL, 0, 1 << 62)),
    ("seek_2**30", lambda: anon().seek(1 << 30)),
    ("getitem_2**30", lambda: anon()[1 << 30]),
    ("read_neg_2**30", lambda: len(anon().read(-(1 << 30)))),
    ("move_count_2**30", lambda: anon().move(0, 0, 1 << 30)),
    ("find_start_2**30", lambda: anon().find(b"x", 1 << 30)),
    ("flush_len_2**30", lambda: filemap().flush(0, 1 << 30)),
    ("madvise_len_2**30", lambda: anon().madvise(mmap.MADV_NORMAL, 0, 1 << 30)),
    ("write_byte_256", lambda: anon().write_byte(256)),
    ("write_str", lambda: anon().write("abc")),
]

names = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] else [c[0] for c in CASES]
table = dict(CASES)
for name in names:
    print("BEGIN " + name)
    sys.stdout.flush()
    try:
        v = table[name]()
        res = {"case": name, "outcome": "no exception", "type": None,
               # seek(0, 2) gives a map's length where GraalPy's len() cannot (above 2**31 - 1)
               "detail": (repr(v) if not hasattr(v, "close") else "a map of %d bytes" % v.seek(0, 2))[:80]}
    except (OSError, ValueError, OverflowError, TypeError, IndexError, MemoryError) as e:
        res = {"case": name, "outcome": "exception", "type": type(e).__name__, "detail": str(e)}
    except BaseException as e:
        res = {"case": name, "outcome": "unclean", "type": type(e).__name__, "detail": str(e)[:200]}
    print("RESULT " + json.dumps(res))
    sys.stdout.flush()
