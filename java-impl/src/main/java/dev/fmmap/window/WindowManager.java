package dev.fmmap.window;

import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;
import dev.fmmap.Posix;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
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
    private final long pageSize = Posix.pageSize();

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, WindowedFile> files = new HashMap<>();
    /** Head (least recently used) and tail of the list of windows no cursor or view uses. */
    private Window lruHead;
    private Window lruTail;
    private int lruSize;
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
    /** Buffers handed out by {@link Window#viewBuffer(long, int)}, each holding one view of its window. */
    private final List<HeldBuffer> heldBuffers = new ArrayList<>();
    /** The number of held buffers at which {@link #viewBuffer} looks for collected ones. */
    private int heldBuffersScanAt = 64;

    private WindowManager(final Builder b)
    {
        this.strategy = b.strategy;
        this.windowSize = Strategy.STATIC == b.strategy ? 0 : (b.windowSize + pageSize - 1) / pageSize * pageSize;
        this.writable = b.writable;
        this.maxMappedBytes = b.maxMappedBytes;
        this.maxWindows = b.maxWindows;
        this.overcommit = b.overcommit;
    }

    /**
     * @return a builder with the defaults: sliding 1 GiB windows, 8 GiB mapped at most, no window
     * limit, hard byte limit (smmap's 64-bit defaults, with a hard limit instead of a soft one).
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The default limit on windows: a quarter of the process's limit on open files ({@code RLIMIT_NOFILE}'s
     * soft value, read from /proc/self/limits), at least 16; 256 when it cannot be read. smmap's default
     * is unlimited, and its users meet "Too many open files" (each window holds a descriptor).
     *
     * @return the default {@link Builder#maxWindows(int)}.
     */
    public static int defaultMaxWindows()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/limits")))
            {
                if (line.startsWith("Max open files"))
                {
                    final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Integer.MAX_VALUE / 4
                        : (int)Math.max(16, Math.min(Integer.MAX_VALUE, Long.parseLong(soft)) / 4);
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // no /proc, or a format we do not know: the fallback below
        }
        return 256;
    }

    /** Collects a manager's strategy and limits; {@link #build()} checks them. */
    public static final class Builder
    {
        private Strategy strategy = Strategy.SLIDING;
        private long windowSize = 1L << 30;
        private long maxMappedBytes = 8L << 30;
        private int maxWindows = defaultMaxWindows();
        private Overcommit overcommit = Overcommit.NEVER;
        private boolean writable;

        private Builder()
        {
        }

        /**
         * @param w whether windows are mapped read-write (files opened {@code O_RDWR}, shared: writes
         *          reach the file); default false, read-only, as smmap's.
         * @return this builder.
         */
        public Builder writable(final boolean w)
        {
            writable = w;
            return this;
        }

        /**
         * @param s the placement of windows; default {@link Strategy#SLIDING}.
         * @return this builder.
         */
        public Builder strategy(final Strategy s)
        {
            strategy = Objects.requireNonNull(s, "strategy");
            return this;
        }

        /**
         * @param bytes the size of sliding windows, rounded up to a multiple of the page size; ignored
         *              by {@link Strategy#STATIC} (whose window size reads 0). Default 1 GiB.
         * @return this builder.
         */
        public Builder windowSize(final long bytes)
        {
            windowSize = bytes;
            return this;
        }

        /**
         * @param bytes the most bytes mapped at once; default 8 GiB.
         * @return this builder.
         */
        public Builder maxMappedBytes(final long bytes)
        {
            maxMappedBytes = bytes;
            return this;
        }

        /**
         * @param n the most windows mapped at once, which is also the most file descriptors the
         *          manager holds (smmap's {@code max_open_handles}); default {@link #defaultMaxWindows()}.
         * @return this builder.
         */
        public Builder maxWindows(final int n)
        {
            maxWindows = n;
            return this;
        }

        /**
         * @param o whether the byte limit may be exceeded when every window is in use; default
         *          {@link Overcommit#NEVER}.
         * @return this builder.
         */
        public Builder overcommit(final Overcommit o)
        {
            overcommit = Objects.requireNonNull(o, "overcommit");
            return this;
        }

        /**
         * @return the manager.
         * @throws IllegalArgumentException when a size or limit is not positive.
         */
        public WindowManager build()
        {
            if (Strategy.SLIDING == strategy && 0 >= windowSize)
            {
                throw new IllegalArgumentException("window size must be positive: windowSize=" + windowSize);
            }
            if (0 >= maxMappedBytes)
            {
                throw new IllegalArgumentException("maximum mapped bytes must be positive: maxMappedBytes="
                    + maxMappedBytes);
            }
            if (0 >= maxWindows)
            {
                throw new IllegalArgumentException("maximum windows must be positive: maxWindows=" + maxWindows);
            }
            return new WindowManager(this);
        }
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
            while (null != lruHead && (0 == size || size > maxMappedBytes - mappedBytes))
            {
                evict(lruHead, null);
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
                if (f.key() instanceof Path p && p.toAbsolutePath().normalize().startsWith(base))
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
                    if (0 < w.pinCount())
                    {
                        pinned++;
                    }
                    else if (0 < w.viewCount())
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
                pin(w);
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
                pin(w);
                return w;
            }
            long[] place = place(f, offset, size, fileSize);
            if (Overcommit.NEVER == overcommit && place[1] > maxMappedBytes)
            {
                // No eviction can make room (a static window of a file larger than the limit): keep the cache.
                limitFailures++;
                throw new WindowLimitException(false, place[1], mappedBytes, maxMappedBytes, windows, maxWindows,
                    windows - lruSize);
            }
            while (mappedBytes + place[1] > maxMappedBytes || windows + 1 > maxWindows)
            {
                if (null == lruHead && !heldBuffers.isEmpty())
                {
                    releaseCollected(); // buffers the collector found unreachable free their windows
                }
                final Window victim = lruHead;
                if (null == victim)
                {
                    final boolean windowLimit = windows + 1 > maxWindows;
                    if (!windowLimit && Overcommit.WHEN_ALL_PINNED == overcommit)
                    {
                        overcommits++;
                        break;
                    }
                    limitFailures++;
                    throw new WindowLimitException(windowLimit, place[1], mappedBytes, maxMappedBytes, windows,
                        maxWindows, windows - lruSize);
                }
                evict(victim, f);
                if (victim.file() == f)
                {
                    place = place(f, offset, size, fileSize); // the gap may have grown
                }
            }
            MemoryMap map;
            try
            {
                map = f.mapRange(place[0], place[1], writable);
            }
            catch (final ErrnoException e)
            {
                final int errno = e.errno();
                if (!curedByEviction(errno) || null == lruHead)
                {
                    throw e;
                }
                // As smmap: unmap everything unused and try once more; the limits only shrink by this.
                mapRetries++;
                evictAllUnused(f);
                place = place(f, offset, size, fileSize);
                map = f.mapRange(place[0], place[1], writable);
            }
            final Window w = new Window(this, f, place[0], map);
            f.windows.put(place[0], w);
            windows++;
            mappedBytes += w.size();
            maps++;
            peakWindows = Math.max(peakWindows, windows);
            peakMappedBytes = Math.max(peakMappedBytes, mappedBytes);
            w.setPins(1);
            return w;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** One more cursor uses {@code w}. */
    void pin(final Window w)
    {
        lock.lock();
        try
        {
            if (w.inLru)
            {
                unlink(w);
            }
            w.setPins(w.pinCount() + 1);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** One cursor fewer uses {@code w}; unused, it goes to the tail of the LRU list. */
    void unpin(final Window w)
    {
        lock.lock();
        try
        {
            if (0 >= w.pinCount())
            {
                throw new IllegalStateException("Increments must match decrements, usage counter negative: "
                    + (w.pinCount() - 1));
            }
            w.setPins(w.pinCount() - 1);
            if (w.unused() && w.isMapped())
            {
                append(w);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

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

    void retainView(final Window w)
    {
        lock.lock();
        try
        {
            if (!w.isMapped())
            {
                throw new IllegalStateException("mmap closed or invalid");
            }
            if (w.inLru)
            {
                unlink(w);
            }
            w.setViews(w.viewCount() + 1);
        }
        finally
        {
            lock.unlock();
        }
    }

    void releaseView(final Window w)
    {
        lock.lock();
        try
        {
            if (0 >= w.viewCount())
            {
                throw new IllegalStateException("releaseView without retainView: views=" + w.viewCount());
            }
            w.setViews(w.viewCount() - 1);
            if (w.unused() && w.isMapped())
            {
                append(w);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    ByteBuffer viewBuffer(final Window w, final long at, final int length)
    {
        Objects.checkFromIndexSize(at, length, w.size());
        lock.lock();
        try
        {
            if (heldBuffers.size() >= heldBuffersScanAt)
            {
                // Keep the list in proportion to the buffers alive: scan each time it has doubled.
                releaseCollected();
                heldBuffersScanAt = Math.max(64, 2 * heldBuffers.size());
            }
            retainView(w);
            final ByteBuffer buffer = w.memory().segment().asSlice(at, length).asByteBuffer().asReadOnlyBuffer();
            heldBuffers.add(new HeldBuffer(buffer, w));
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
        lock.lock();
        try
        {
            return releaseCollected();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return the number of buffers from {@link Window#viewBuffer(long, int)} not yet released: alive, or
     * collected and not yet found.
     */
    public int heldBuffers()
    {
        lock.lock();
        try
        {
            return heldBuffers.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    long fileSize(final WindowedFile f)
    {
        lock.lock();
        try
        {
            return live(f).statSize();
        }
        finally
        {
            lock.unlock();
        }
    }

    int windowCount(final WindowedFile f)
    {
        lock.lock();
        try
        {
            return live(f).windows.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    List<Window> windows(final WindowedFile f)
    {
        lock.lock();
        try
        {
            return live(f).snapshot();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Checks every invariant of the bookkeeping and throws {@link AssertionError} naming the first that
     * fails: sums and counts, LRU membership exactly for unused windows, sorted non-overlapping aligned
     * windows within their files, non-negative counts, hard limits, no idle file in the table.
     */
    void checkInvariants()
    {
        lock.lock();
        try
        {
            long bytes = 0;
            int count = 0;
            int unused = 0;
            int cursorSum = 0;
            for (final Map.Entry<Object, WindowedFile> e : files.entrySet())
            {
                final WindowedFile f = e.getValue();
                check(f.key().equals(e.getKey()), "file keyed by its key: " + f);
                check(!f.windows.isEmpty() || 0 < f.cursors, "idle file left in the table: " + f.key());
                check(0 <= f.cursors, "negative cursor count: " + f.key());
                cursorSum += f.cursors;
                long lastEnd = 0;
                for (final Map.Entry<Long, Window> we : f.windows.entrySet())
                {
                    final Window w = we.getValue();
                    check(w.offset() == we.getKey(), "window keyed by its offset: " + w);
                    check(w.isMapped(), "unmapped window in a file: " + w);
                    check(w.file() == f, "window in another file's table: " + w);
                    check(0 == w.offset() % pageSize, "unaligned window: " + w);
                    check(0 < w.size(), "empty window: " + w);
                    check(w.offset() >= lastEnd, "overlapping windows: " + w);
                    check(w.end() <= f.cachedSize(), "window past the end of the file: " + w);
                    check(0 <= w.pinCount() && 0 <= w.viewCount(), "negative count: " + w);
                    check(w.inLru == w.unused(), "LRU membership differs from use: " + w);
                    lastEnd = w.end();
                    bytes += w.size();
                    count++;
                    if (w.unused())
                    {
                        unused++;
                    }
                }
            }
            check(bytes == mappedBytes, "mappedBytes=" + mappedBytes + " but windows sum to " + bytes);
            check(count == windows, "windows=" + windows + " but " + count + " are in the files");
            check(cursorSum == cursors, "cursors=" + cursors + " but files count " + cursorSum);
            check(count <= maxWindows, "windows=" + count + " over maxWindows=" + maxWindows);
            check(Overcommit.WHEN_ALL_PINNED == overcommit || bytes <= maxMappedBytes,
                "mappedBytes=" + bytes + " over maxMappedBytes=" + maxMappedBytes);
            int listed = 0;
            Window prev = null;
            for (Window w = lruHead; null != w; w = w.lruNext)
            {
                check(w.lruPrev == prev, "broken LRU back link at " + w);
                check(w.inLru && w.isMapped() && w.unused(), "wrong window on the LRU list: " + w);
                check(w.file().windows.get(w.offset()) == w, "LRU window not in its file: " + w);
                prev = w;
                listed++;
            }
            check(prev == lruTail, "LRU tail is not the last window");
            check(listed == lruSize && listed == unused, "LRU size=" + lruSize + " listed=" + listed
                + " unused=" + unused);
            check(0 <= mappedBytes && 0 <= windows && 0 <= cursors, "negative counter");
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} under the manager's lock, at a moment when no window is being mapped or
     * unmapped: what tests need to compare the kernel's view (/proc/self/maps, /proc/self/fd) with
     * the counters exactly.
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

    // --- internals (under the lock) ------------------------------------------------------------------

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }

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

    /**
     * Where a new window including {@code offset} goes: {@code {offset, size}}. Sliding placement is
     * smmap's: extend towards the left neighbour's end and the right neighbour's start (or the file's
     * end) within the window size, align to pages, clip to the right neighbour; then, unlike smmap,
     * trim to the window size, keeping the requested range inside when it fits.
     */
    private long[] place(final WindowedFile f, final long offset, final long size, final long fileSize)
    {
        if (Strategy.STATIC == strategy)
        {
            return new long[] {0, fileSize};
        }
        final Map.Entry<Long, Window> left = f.windows.floorEntry(offset);
        final Map.Entry<Long, Window> right = f.windows.higherEntry(offset);
        final long leftEnd = null == left ? 0 : left.getValue().end();
        final long rightStart = null == right ? fileSize : right.getKey();
        long ofs = offset;
        long len = size;
        // MapWindow.extend_left_to(left, window_size)
        long grow = ofs - leftEnd;
        final long total = grow + len;
        grow -= total - Math.min(total, windowSize);
        ofs -= grow;
        len += grow;
        // MapWindow.extend_right_to(right, window_size)
        len = Math.min(len + (rightStart - (ofs + len)), windowSize);
        // MapWindow.align()
        final long aligned = ofs / pageSize * pageSize;
        len += ofs - aligned;
        ofs = aligned;
        len = (len + pageSize - 1) / pageSize * pageSize;
        // Aligning can take smmap's window up to a page past the window size; trim it back, so that
        // windows never exceed the window size and a byte limit of one window stays usable. Trim from
        // the left while the requested range [offset, offset + size) still fits (smmap's window ends
        // right after it), so that a cursor gets the whole range it asked for, as smmap's does.
        final long end0 = Math.min(ofs + len, rightStart);
        final long wanted = Math.min((offset + size + pageSize - 1) / pageSize * pageSize, end0);
        final long start = Math.min(offset / pageSize * pageSize,
            Math.max(ofs, (wanted - windowSize + pageSize - 1) / pageSize * pageSize));
        final long end = Math.min(end0, start + windowSize);
        return new long[] {start, end - start};
    }

    /** Unmaps {@code w} and removes it from its file and the LRU list; the file stays in the table. */
    private void unmap(final Window w)
    {
        final WindowedFile f = w.file();
        if (f.windows.get(w.offset()) == w)
        {
            f.windows.remove(w.offset());
        }
        if (w.inLru)
        {
            unlink(w);
        }
        windows--;
        mappedBytes -= w.size();
        w.unmap();
    }

    /** Releases the views of the held buffers that were collected (their references are cleared). */
    private int releaseCollected()
    {
        int released = 0;
        for (int i = heldBuffers.size() - 1; i >= 0; i--)
        {
            final HeldBuffer h = heldBuffers.get(i);
            if (h.refersTo(null))
            {
                final int last = heldBuffers.size() - 1;
                heldBuffers.set(i, heldBuffers.get(last));
                heldBuffers.remove(last);
                releaseView(h.window);
                released++;
            }
        }
        return released;
    }

    /** A buffer over a window's memory, weakly: cleared when the collector finds the buffer unreachable. */
    private static final class HeldBuffer extends WeakReference<ByteBuffer>
    {
        final Window window;

        HeldBuffer(final ByteBuffer buffer, final Window window)
        {
            super(buffer);
            this.window = window;
        }
    }

    private void evictAllUnused(final WindowedFile keep)
    {
        while (null != lruHead)
        {
            evict(lruHead, keep);
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

    private void append(final Window w)
    {
        w.inLru = true;
        w.lruPrev = lruTail;
        w.lruNext = null;
        if (null == lruTail)
        {
            lruHead = w;
        }
        else
        {
            lruTail.lruNext = w;
        }
        lruTail = w;
        lruSize++;
    }

    private void unlink(final Window w)
    {
        if (null == w.lruPrev)
        {
            lruHead = w.lruNext;
        }
        else
        {
            w.lruPrev.lruNext = w.lruNext;
        }
        if (null == w.lruNext)
        {
            lruTail = w.lruPrev;
        }
        else
        {
            w.lruNext.lruPrev = w.lruPrev;
        }
        w.lruPrev = null;
        w.lruNext = null;
        w.inLru = false;
        lruSize--;
    }
}
