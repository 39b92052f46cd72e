"""Scenario 1 (runs under bin/graalpy): 8 threads hammer the current map while the main thread
closes it or shrinks it (resize). Only ValueError/IndexError are allowed in workers; anything else
is counted as a failure. Prints one JSON line 'RESULT {...}' at the end; exit code 0 = no crash."""
import json, os, random, sys, tempfile, threading, time, traceback
import fmmap as mmap

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
THREADS = 8
SIZE = 64 * 1024
PG = mmap.PAGESIZE

current = [None]
stop = [False]
ops = [0] * THREADS
allowed = {}
bad = []
lock = threading.Lock()


def worker(k):
    rnd = random.Random(k)
    n = 0
    while not stop[0]:
        m = current[0]
        if m is None:
            time.sleep(0)
            continue
        try:
            op = rnd.randrange(7)
            i = rnd.randrange(SIZE)
            if op == 0:
                m.find(b"\x07\x08", rnd.randrange(SIZE))
                m.rfind(b"zz")
            elif op == 1:
                m.seek(min(i, len(m)))
                m.read(rnd.randrange(8192))
            elif op == 2:
                m[i:i + 4096]
                m[i]
            elif op == 3:
                m.seek(min(i, len(m)))
                m.write(b"w" * rnd.randrange(1, 512))
            elif op == 4:
                m.seek(min(i, len(m)))
                m.readline()
            elif op == 5:
                m.move(rnd.randrange(SIZE - 8192), rnd.randrange(SIZE - 8192), 8192)
            else:
                m[i:i + 3] = b"abc"
                m[i] = 65
        except (ValueError, IndexError) as e:
            with lock:
                allowed[type(e).__name__] = allowed.get(type(e).__name__, 0) + 1
        except BaseException as e:  # includes polyglot.ForeignException
            with lock:
                bad.append("%s: %s" % (type(e).__name__, e))
                if len(bad) < 5:
                    traceback.print_exc()
        n += 1
    ops[k] = n


def main():
    d = tempfile.mkdtemp(prefix="fmmap-rel-")
    path = os.path.join(d, "conc.bin")
    f = open(path, "w+b")
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    t0 = time.time()
    kinds = {"anon-close": 0, "anon-shrink": 0, "file-close": 0, "file-shrink": 0}
    main_bad = []
    for r in range(ROUNDS):
        file_backed = r % 2 == 1
        shrink = (r // 2) % 2 == 1
        try:
            if file_backed:
                f.truncate(0)
                f.truncate(SIZE)
                m = mmap.mmap(f.fileno(), SIZE)
            else:
                m = mmap.mmap(-1, SIZE, flags=mmap.MAP_PRIVATE)
            m[0:16] = b"\x07\x08" * 8
            current[0] = m
            time.sleep(0.0002)           # let workers get going
            if shrink:
                m.resize(random.choice([PG, 3 * PG, SIZE // 2]))
                time.sleep(0.0002)       # workers run against the shrunk map
            m.close()
            kinds[("file" if file_backed else "anon") + ("-shrink" if shrink else "-close")] += 1
        except BaseException as e:
            main_bad.append("round %d: %s: %s" % (r, type(e).__name__, e))
            if len(main_bad) < 5:
                traceback.print_exc()
        if r % 1000 == 999:
            sys.stderr.write("concurrency: %d rounds, %.1fs\n" % (r + 1, time.time() - t0))
    stop[0] = True
    current[0] = None
    for t in threads:
        t.join()
    f.close()
    os.unlink(path)
    os.rmdir(d)
    print("RESULT " + json.dumps({
        "rounds": ROUNDS, "kinds": kinds, "worker_ops": sum(ops), "allowed": allowed,
        "bad": bad[:20], "bad_count": len(bad), "main_bad": main_bad[:20],
        "main_bad_count": len(main_bad), "seconds": round(time.time() - t0, 2)}))
    sys.stdout.flush()


main()
