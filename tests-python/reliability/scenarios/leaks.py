"""Scenario 4 (under bin/graalpy): open/close cycles, half file-backed, half anonymous; compares
fd count and /proc/self/maps line count at the end (after gc.collect()) with the start, and fmmap's
own mappings (of the test file, plus the zero-page guards the core reports holding) separately: the
JVM's own mappings (thread stacks, code cache, heap) move by a few either way from run to run.
argv: cycles. Prints 'RESULT {json}'."""
import gc, json, os, sys, tempfile, time
import fmmap as mmap

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from _helpers import mappings_of, open_fds  # noqa: E402 (tests-python's shared helpers)

CYCLES = int(sys.argv[1]) if len(sys.argv) > 1 else 100000


def settle():
    best = None
    for _ in range(5):
        gc.collect()
        time.sleep(0.2)
        cur = (open_fds(), mappings_of())
        if best is not None and cur == best:
            break
        best = cur
    return cur


d = tempfile.mkdtemp(prefix="fmmap-leak-")
path = os.path.join(d, "leak.bin")
with open(path, "wb") as fh:
    fh.write(b"L" * 65536)
f = open(path, "r+b")
# one cycle of each kind before the baseline so that lazily loaded classes/code are in place
for k in (0, 1):
    m = mmap.mmap(f.fileno(), 65536) if k else mmap.mmap(-1, 65536)
    m[0] = 1
    m.close()
import java  # noqa: E402  (fmmap's own count of the zero-page guards it holds)
guards = java.type("dev.fmmap.MemoryMap").guardsHeld


fd0, maps0 = settle()
own0 = mappings_of(path) + guards()
peak_maps = maps0
t0 = time.time()
for i in range(CYCLES):
    if i & 1:
        m = mmap.mmap(f.fileno(), 65536)
    else:
        m = mmap.mmap(-1, 65536)
    m[100] = 7
    m.close()
    if i % 5000 == 4999:
        peak_maps = max(peak_maps, mappings_of())
        sys.stderr.write("leaks: %d cycles, %.1fs, maps %d\n" % (i + 1, time.time() - t0, mappings_of()))
loop_s = time.time() - t0
fd1, maps1 = settle()
own1 = mappings_of(path) + guards()
f.close()
os.unlink(path)
os.rmdir(d)
print("RESULT " + json.dumps({"cycles": CYCLES, "fds_start": fd0, "fds_end": fd1, "maps_start": maps0,
                              "maps_end": maps1, "maps_peak": peak_maps, "fmmap_maps_start": own0,
                              "fmmap_maps_end": own1, "loop_seconds": round(loop_s, 2)}))
