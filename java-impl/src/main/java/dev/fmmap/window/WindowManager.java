package dev.fmmap.window;

import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;
import dev.fmmap.Posix;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Maps windows of large files on demand within limits on mapped bytes and on open windows (each
 * window holds one file descriptor): smmap's {@code StaticWindowMapManager} and
 * {@code SlidingWindowMapManager} without their leaks. Windows are released deterministically: a
 * window no cursor pins and no view holds goes to the tail of a least-recently-used list, and is
 * unmapped from its head when room is needed, by {@link #collect()}, {@link #release(Path)} or
 * {@link #close()}; no finalizer or cleaner is involved. A buffer from {@link Window#viewBuffer(long, int)}
 * holds its window until the garbage collector has found it unreachable: the manager looks for such
 * buffers (weak references, cleared by the collection itself) before it gives up on a limit, in
 * {@link #collect()}, and in {@link #releaseCollectedBuffers()}.
 *
 * <p>Thread safety: one lock guards the file table, every file's windows, the LRU list and the
 * counters; every map and unmap happens under it, so the limits hold under any interleaving. A
 * cursor's {@link WindowCursor#use(long, long)} within its window, and every access to a pinned
 * window, take no lock.
 */
public final class WindowManager implements AutoCloseable
{
    /** How windows are placed. */
    public enum Strategy
    {
        /** One window per file, covering the whole file (smmap's static manager). */
        STATIC,
        /** Page-aligned windows of at most the window size, placed as smmap's sliding manager. */
        SLIDING
    }

    /** What happens when a window would take the mapped bytes past the limit. */
    public enum Overcommit
    {
        /** The byte limit is hard: a {@link WindowLimitException} when no unused window is left. */
        NEVER,
        /** smmap's soft limit: map anyway when every window is in use. The window limit stays hard. */
        WHEN_ALL_PINNED
    }

    private static final int ENFILE = 23;
    private static final int EMFILE = 24;

    /**
     * Whether a failure to map may be cured by unmapping every unused window: out of memory or address
     * space ({@code ENOMEM}), out of file descriptors ({@code EMFILE}, {@code ENFILE}). The manager
     * then retries once, as smmap does; fmmap.smmap asks the same question of its own failures.
     *
     * @param errno the errno of the failed system call.
     * @return whether to evict and retry.
     */
    public static boolean curedByEviction(final int errno)
    {
        return Posix.ENOMEM == errno || EMFILE == errno || ENFILE == errno;
    }

    private final Strategy strategy;
    private final long windowSize;
    private final long maxMappedBytes;
    private final int maxWindows;
    private final Overcommit overcommit;
    private final boolean writable;
    private final WindowPlacement placement;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, WindowedFile> files = new HashMap<>();
    private final LruList lru = new LruList();
    private boolean closed;

    private long mappedBytes;
    private long peakMappedBytes;
    private int windows;
    private int peakWindows;
    private int cursors;
    private long hits;
    private long maps;
    private long evictions;
    private long overcommits;
    private long limitFailures;
    private long mapRetries;
    private final HeldBuffers heldBuffers = new HeldBuffers(this::letGoOfView);

    WindowManager(final WindowManagerBuilder b)
    {
        final long pageSize = Posix.pageSize();
        this.strategy = b.strategy;
        this.windowSize = Strategy.STATIC == b.strategy ? 0 : (b.windowSize + pageSize - 1) / pageSize * pageSize;
        this.placement = new WindowPlacement(b.strategy, windowSize, pageSize);
        this.writable = b.writable;
        this.maxMappedBytes = b.maxMappedBytes;
        this.maxWindows = b.maxWindows;
        this.overcommit = b.overcommit;
    }

    /**
     * @return a builder with the defaults: sliding 1 GiB windows, 8 GiB mapped at most, at most
     * {@link WindowManagerBuilder#defaultMaxWindows()} windows, hard byte limit (smmap's 64-bit
     * defaults, with a hard limit instead of a soft one, and a limit on descriptors).
     */
    public static WindowManagerBuilder builder()
    {
        return new WindowManagerBuilder();
    }

    // --- public API --------------------------------------------------------------------------------

    /**
     * A cursor on the file at {@code path}, associated and not valid. The file is opened only to map a
     * window (and once for its size); files are keyed by the path as given.
     *
     * @param path the file.
     * @return the cursor; close it.
     * @throws IllegalStateException when the manager is closed.
     */
    public WindowCursor cursor(final Path path)
    {
        return cursor(path, 0);
    }

    /**
     * A cursor on the file at {@code path}, whose windows are mapped from a descriptor opened with
     * {@code O_RDONLY | O_CLOEXEC | openFlags} (smmap's {@code flags}, e.g. {@code O_NOATIME}). The
     * flags of the cursor that first brings the file into the manager's table are the ones used.
     *
     * @param path      the file.
     * @param openFlags extra {@code open(2)} flags.
     * @return the cursor; close it.
     * @throws IllegalStateException when the manager is closed.
     */
    public WindowCursor cursor(final Path path, final int openFlags)
    {
        return openCursor(Objects.requireNonNull(path, "path"), openFlags);
    }

    /**
     * A cursor on an open file descriptor. The descriptor stays the caller's: each window maps a
     * duplicate of it, so the caller may close it once the windows it needs are mapped.
     *
     * @param fd an open file descriptor.
     * @return the cursor; close it.
     * @throws IllegalStateException when the manager is closed.
     */
    public WindowCursor cursor(final int fd)
    {
        return openCursor(fd, 0);
    }

    /**
     * The file at {@code path}, for its windows and searches without a cursor. If the file is not in
     * the table, the object returned is not added to it (it would never leave); its methods look the
     * key up again when they run.
     *
     * @param path the file.
     * @return the file.
     * @throws IllegalStateException when the manager is closed.
     */
    public WindowedFile file(final Path path)
    {
        Objects.requireNonNull(path, "path");
        lock.lock();
        try
        {
            checkOpen();
            final WindowedFile f = files.get(path);
            return null != f ? f : new WindowedFile(this, path, 0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Unmaps every window that no cursor pins and no view holds (smmap's {@code collect()}).
     *
     * @return the number of windows unmapped.
     * @throws IllegalStateException when the manager is closed.
     */
    public int collect()
    {
        return collect(0);
    }

    /**
     * Unmaps unused windows, least recently used first, until {@code size} more bytes would fit under
     * the byte limit; all of them when {@code size} is 0 (smmap's {@code _collect_lru_region(size)}).
     *
     * @param size the bytes about to be mapped, or 0.
     * @return the number of windows unmapped.
     * @throws IllegalStateException when the manager is closed.
     */
    public int collect(final long size)
    {
        lock.lock();
        try
        {
            checkOpen();
            releaseCollected();
            int count = 0;
            while (null != lru.head() && (0 == size || size > maxMappedBytes - mappedBytes))
            {
                evict(lru.head(), null);
                count++;
            }
            return count;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Unmaps every window of every file whose path lies under {@code prefix} (compared component by
     * component, after making both absolute and normal), pinned or not: what smmap's
     * {@code force_map_handle_removal_win} does on Windows, here on every platform. Cursors on those
     * windows become invalid (their next {@link WindowCursor#use(long, long)} maps a new window),
     * and views read zeros. Files keyed by a descriptor are not matched.
     *
     * @param prefix a file or directory.
     * @return the number of windows unmapped.
     * @throws IllegalStateException when the manager is closed.
     */
    public int release(final Path prefix)
    {
        final Path base = prefix.toAbsolutePath().normalize();
        lock.lock();
        try
        {
            checkOpen();
            int count = 0;
            for (final WindowedFile f : new ArrayList<>(files.values()))
            {
                if (f.key() instanceof Path && ((Path)f.key()).toAbsolutePath().normalize().startsWith(base))
                {
                    for (final Window w : f.snapshot())
                    {
                        unmap(w);
                        count++;
                    }
                    dropIfIdle(f);
                }
            }
            return count;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return a snapshot of the state and counters.
     */
    public WindowStats stats()
    {
        lock.lock();
        try
        {
            int pinned = 0;
            int viewHeld = 0;
            int open = 0;
            for (final WindowedFile f : files.values())
            {
                if (!f.windows.isEmpty())
                {
                    open++;
                }
                for (final Window w : f.windows.values())
                {
                    if (0 < w.pins())
                    {
                        pinned++;
                    }
                    else if (0 < w.views())
                    {
                        viewHeld++;
                    }
                }
            }
            return new WindowStats(mappedBytes, peakMappedBytes, windows, peakWindows, pinned, viewHeld, open,
                cursors, hits, maps, evictions, overcommits, limitFailures, mapRetries, MemoryMap.guardsHeld());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return how windows are placed.
     */
    public Strategy strategy()
    {
        return strategy;
    }

    /**
     * @return whether windows are mapped read-write.
     */
    public boolean isWritable()
    {
        return writable;
    }

    /**
     * @return the size of sliding windows (a multiple of the page size), or 0 for {@link Strategy#STATIC}
     * ("any size", as smmap's static manager reports).
     */
    public long windowSize()
    {
        return windowSize;
    }

    /**
     * @return the most bytes mapped at once (exceeded only with {@link Overcommit#WHEN_ALL_PINNED}).
     */
    public long maxMappedBytes()
    {
        return maxMappedBytes;
    }

    /**
     * @return the most windows (and file descriptors) held at once.
     */
    public int maxWindows()
    {
        return maxWindows;
    }

    /**
     * @return whether the byte limit may be exceeded when every window is in use.
     */
    public Overcommit overcommit()
    {
        return overcommit;
    }

    /**
     * @return whether {@link #close()} has been called.
     */
    public boolean isClosed()
    {
        lock.lock();
        try
        {
            return closed;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Unmaps every window, pinned or not, and empties the file table (the files of open cursors leave
     * it as those close). Later requests for cursors or windows throw {@link IllegalStateException};
     * closing a cursor stays allowed. Idempotent.
     */
    @Override
    public void close()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            heldBuffers.clear(); // their windows go below, held or not
            for (final WindowedFile f : new ArrayList<>(files.values()))
            {
                for (final Window w : f.snapshot())
                {
                    unmap(w);
                }
                dropIfIdle(f); // files of open cursors stay until those close
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return a description with the limits and the current counts.
     */
    @Override
    public String toString()
    {
        return "WindowManager[" + strategy + " windowSize=" + windowSize + " maxMappedBytes=" + maxMappedBytes
            + " maxWindows=" + maxWindows + " overcommit=" + overcommit + " " + stats() + "]";
    }

    // --- package-private hooks (smmap's _obtain_region, client counts) ----------------------------------

    /** A new cursor on the file with {@code key}, added to the table if needed. */
    WindowCursor openCursor(final Object key, final int openFlags)
    {
        lock.lock();
        try
        {
            checkOpen();
            WindowedFile f = files.get(key);
            if (null == f)
            {
                f = new WindowedFile(this, key, openFlags);
                files.put(key, f);
            }
            f.cursors++;
            cursors++;
            return new WindowCursor(this, f);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Forgets a closed cursor; its file leaves the table if nothing else uses it. */
    void closeCursor(final WindowedFile f)
    {
        lock.lock();
        try
        {
            f.cursors--;
            cursors--;
            dropIfIdle(f);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A cursor like {@code source}, pinning the same window if it is still mapped. */
    WindowCursor copy(final WindowCursor source)
    {
        lock.lock();
        try
        {
            final WindowedFile f = source.file();
            if (null == f)
            {
                return new WindowCursor(this, null);
            }
            checkOpen();
            f.cursors++;
            cursors++;
            final WindowCursor c = new WindowCursor(this, f);
            final Window w = source.window();
            if (null != w && w.isMapped())
            {
                hold(w, Window.Use.PIN);
                c.copyFrom(source, w);
            }
            else
            {
                c.copyFrom(source, null);
            }
            return c;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Finds or maps a window of {@code f} including {@code offset}, and pins it (smmap's
     * {@code _obtain_region}). {@code size} is the size wanted (already clamped to the window size).
     */
    Window acquire(final WindowedFile f, final long offset, final long size)
    {
        lock.lock();
        try
        {
            checkOpen();
            final long fileSize = f.statSize();
            if (offset >= fileSize)
            {
                throw new IndexOutOfBoundsException("offset=" + offset + " fileSize=" + fileSize);
            }
            final Map.Entry<Long, Window> floor = f.windows.floorEntry(offset);
            if (null != floor && floor.getValue().includes(offset))
            {
                hits++;
                final Window w = floor.getValue();
                hold(w, Window.Use.PIN);
                return w;
            }
            WindowPlacement.Span span = place(f, offset, size, fileSize);
            if (Overcommit.NEVER == overcommit && span.size() > maxMappedBytes)
            {
                // No eviction can make room (a static window of a file larger than the limit): keep the cache.
                limitFailures++;
                throw limitException(false, span.size());
            }
            while (mappedBytes + span.size() > maxMappedBytes || windows + 1 > maxWindows)
            {
                if (null == lru.head() && !heldBuffers.isEmpty())
                {
                    releaseCollected(); // buffers the collector found unreachable free their windows
                }
                final Window victim = lru.head();
                if (null == victim)
                {
                    final boolean windowLimit = windows + 1 > maxWindows;
                    if (!windowLimit && Overcommit.WHEN_ALL_PINNED == overcommit)
                    {
                        overcommits++;
                        break;
                    }
                    limitFailures++;
                    throw limitException(windowLimit, span.size());
                }
                evict(victim, f);
                if (victim.file() == f)
                {
                    span = place(f, offset, size, fileSize); // the gap may have grown
                }
            }
            MemoryMap map;
            try
            {
                map = f.mapRange(span.offset(), span.size(), writable);
            }
            catch (final ErrnoException e)
            {
                if (!curedByEviction(e.errno()) || null == lru.head())
                {
                    throw e;
                }
                // As smmap: unmap everything unused and try once more; the limits only shrink by this.
                mapRetries++;
                evictAllUnused(f);
                span = place(f, offset, size, fileSize);
                map = f.mapRange(span.offset(), span.size(), writable);
            }
            final Window w = new Window(this, f, span.offset(), map);
            f.windows.put(span.offset(), w);
            windows++;
            mappedBytes += w.size();
            maps++;
            peakWindows = Math.max(peakWindows, windows);
            peakMappedBytes = Math.max(peakMappedBytes, mappedBytes);
            hold(w, Window.Use.PIN);
            return w;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * One more cursor pins, or view holds, {@code w}: it leaves the LRU list, so it stays mapped until
     * {@link #letGo} balances this (or the manager closes, or {@link #release(Path)} takes it).
     *
     * @throws IllegalStateException when {@code w} is already unmapped.
     */
    void hold(final Window w, final Window.Use use)
    {
        lock.lock();
        try
        {
            if (!w.isMapped())
            {
                throw new IllegalStateException("mmap closed or invalid");
            }
            lru.remove(w);
            w.count(use, 1);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * One cursor or view fewer uses {@code w}; unused and still mapped, it goes to the tail of the LRU
     * list.
     *
     * @throws IllegalStateException when this {@code use} of {@code w} was not held.
     */
    void letGo(final Window w, final Window.Use use)
    {
        lock.lock();
        try
        {
            if (0 >= w.count(use))
            {
                throw new IllegalStateException(use + " released more often than held: " + w);
            }
            w.count(use, -1);
            if (w.unused() && w.isMapped())
            {
                lru.append(w);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Unmaps {@code w} now if nothing uses it; see {@link Window#release()}. */
    boolean release(final Window w)
    {
        lock.lock();
        try
        {
            if (!w.isMapped() || !w.unused())
            {
                return false;
            }
            evict(w, null);
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A read-only buffer over {@code w}'s memory that holds a view of it while reachable; see {@link Window#viewBuffer}. */
    ByteBuffer viewBuffer(final Window w, final long at, final int length)
    {
        Window.checkRange(at, length, w.size());
        lock.lock();
        try
        {
            hold(w, Window.Use.VIEW);
            final ByteBuffer buffer = w.memory().buffer(at, length).asReadOnlyBuffer();
            heldBuffers.add(buffer, w);
            return buffer;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Releases the view of every buffer from {@link Window#viewBuffer(long, int)} that the garbage
     * collector has found unreachable, so that their windows may be unmapped; {@link #collect()} and
     * a limit about to refuse a window do it too. Run a garbage collection first to find them all.
     *
     * @return the number of buffers released.
     */
    public int releaseCollectedBuffers()
    {
        return underLock(this::releaseCollected);
    }

    /**
     * @return the number of buffers from {@link Window#viewBuffer(long, int)} not yet released: alive, or
     * collected and not yet found.
     */
    public int heldBuffers()
    {
        return underLock(heldBuffers::size);
    }

    long fileSize(final WindowedFile f)
    {
        return underLock(() -> live(f).statSize());
    }

    int windowCount(final WindowedFile f)
    {
        return underLock(() -> live(f).windows.size());
    }

    List<Window> windows(final WindowedFile f)
    {
        return underLock(() -> live(f).snapshot());
    }

    /**
     * Runs {@code action} under the manager's lock, at a moment when no window is being mapped or
     * unmapped: what tests need to compare the kernel's view (/proc/self/maps, /proc/self/fd) with
     * the counters exactly, and to check the bookkeeping's invariants.
     */
    <T> T underLock(final Supplier<T> action)
    {
        lock.lock();
        try
        {
            return action.get();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The file table, by key; for the invariant checks of tests, under {@link #underLock}. */
    Map<Object, WindowedFile> fileTable()
    {
        return files;
    }

    /** The unused windows; for the invariant checks of tests, under {@link #underLock}. */
    LruList lru()
    {
        return lru;
    }

    // --- internals (under the lock) ------------------------------------------------------------------

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("window manager is closed");
        }
    }

    /** The object in the table for {@code f}'s key, or {@code f} itself when there is none. */
    private WindowedFile live(final WindowedFile f)
    {
        final WindowedFile t = files.get(f.key());
        return null == t ? f : t;
    }

    /** Where a new window of {@code f} including {@code offset} goes, between its mapped neighbours. */
    private WindowPlacement.Span place(final WindowedFile f, final long offset, final long size, final long fileSize)
    {
        final Map.Entry<Long, Window> left = f.windows.floorEntry(offset);
        final Map.Entry<Long, Window> right = f.windows.higherEntry(offset);
        return placement.place(offset, size, null == left ? 0 : left.getValue().end(),
            null == right ? fileSize : right.getKey(), fileSize);
    }

    private WindowLimitException limitException(final boolean windowLimit, final long requested)
    {
        return new WindowLimitException(windowLimit, requested, mappedBytes, maxMappedBytes, windows, maxWindows,
            windows - lru.size());
    }

    /** Unmaps {@code w} and removes it from its file and the LRU list; the file stays in the table. */
    private void unmap(final Window w)
    {
        final WindowedFile f = w.file();
        if (f.windows.get(w.offset()) == w)
        {
            f.windows.remove(w.offset());
        }
        lru.remove(w);
        windows--;
        mappedBytes -= w.size();
        w.unmap();
    }

    /** Releases the views of the held buffers that were collected (their references are cleared). */
    private int releaseCollected()
    {
        return heldBuffers.releaseCollected();
    }

    private void letGoOfView(final Window w)
    {
        letGo(w, Window.Use.VIEW);
    }

    private void evictAllUnused(final WindowedFile keep)
    {
        while (null != lru.head())
        {
            evict(lru.head(), keep);
        }
    }

    /**
     * Unmaps an unused window and counts the eviction; its file leaves the table if that was its last
     * window and it has no cursor, unless it is {@code keep} (the file being mapped for).
     */
    private void evict(final Window victim, final WindowedFile keep)
    {
        unmap(victim);
        evictions++;
        if (victim.file() != keep)
        {
            dropIfIdle(victim.file());
        }
    }

    /** Removes {@code f} from the table when it has no window and no cursor. */
    private void dropIfIdle(final WindowedFile f)
    {
        if (f.windows.isEmpty() && 0 == f.cursors && files.get(f.key()) == f)
        {
            files.remove(f.key());
        }
    }
}
