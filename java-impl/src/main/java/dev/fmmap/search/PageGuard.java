package dev.fmmap.search;

import dev.fmmap.Posix;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How a search makes sure that native code (glibc's memchr, memmem...) may read a range of memory.
 * A page of a file map whose file another process has truncated raises SIGBUS when read, which kills
 * the process inside C but only throws {@link InternalError} inside a Java memory access. So before a
 * kernel reads a chunk, its guard either proves the pages are backed or touches them from Java.
 *
 * <ul>
 * <li>{@link #NONE}: memory that cannot lose pages (the heap, anonymous maps).</li>
 * <li>{@link #TOUCH}: reads one byte of every page from Java; works for any mapping.</li>
 * <li>{@link #ofFile}: one {@code fstat} per chunk: pages below the file's current size are backed.
 * Measured on a warm 1 GiB map (AMD EPYC, 2026-11-30): memchr alone 32 ms; the page walk of
 * {@code madvise(MADV_POPULATE_READ)} over already-mapped pages 12.8 ms, too slow to run on every
 * search; fstat per 1 MiB chunk ~0.4 ms. Where the file is shorter than the chunk, it falls back to
 * touching, which finds the first lost page exactly.</li>
 * </ul>
 *
 * <p>A truncation racing the kernel's read of a chunk that was just checked is not covered, by either
 * guard: the window is one chunk's scan (tens of microseconds).
 */
public abstract class PageGuard
{
    /** For memory that cannot lose pages: the heap, anonymous maps. */
    public static final PageGuard NONE = new PageGuard()
    {
        @Override
        long readableEnd(final long base, final long from, final long to)
        {
            return to;
        }
    };

    /** Reads one byte of every page from Java first; works for any mapping. */
    public static final PageGuard TOUCH = new PageGuard()
    {
        @Override
        long readableEnd(final long base, final long from, final long to)
        {
            return touchedEnd(base, from, to);
        }
    };

    private static final long PAGE = Posix.pageSize();

    /**
     * @param e an error the JVM threw.
     * @return whether it reports a fault in a memory access (HotSpot: "a fault occurred in an unsafe
     * memory access operation"), as a page of a truncated file gives.
     */
    public static boolean isMemoryFault(final InternalError e)
    {
        final String message = e.getMessage();
        return null != message && message.contains("fault occurred");
    }
    /** Where {@link #touch} leaves what it read, so that the compiler cannot drop the reads. */
    @SuppressWarnings("unused")
    private static int sink;

    /**
     * @param base the address offsets count from (of native memory; ignored by {@link #NONE}).
     * @param from the first offset a kernel is about to read.
     * @param to   the end offset (exclusive).
     * @return {@code to} when native code may read all of {@code [from, to)}; otherwise the offset at
     * which the first page that would fault begins. Faults only inside Java accesses.
     */
    abstract long readableEnd(long base, long from, long to);

    /**
     * Makes sure all of {@code [from, to)} can be read, or throws.
     *
     * @throws InternalError the JVM's memory-fault error, when a page is lost.
     */
    final void check(final long base, final long from, final long to)
    {
        final long end = readableEnd(base, from, to);
        if (end < to)
        {
            touch(base, end, to); // faults here, in Java
        }
    }

    /**
     * The guard of a file map: {@code fstat} on the map's own descriptor proves a range backed.
     *
     * @param fd         the map's duplicate of the file descriptor.
     * @param fileOffset the file offset of the map's first byte.
     * @param size       the map's size.
     * @return the guard.
     */
    public static PageGuard ofFile(final int fd, final long fileOffset, final long size)
    {
        return new FileGuard(fd, fileOffset, size);
    }

    /**
     * Reads one byte of every page of {@code [from, to)}, so that a page which can no longer be
     * accessed throws {@link InternalError} from the JVM here, rather than faulting in native code.
     * Also delivers a fault still pending from an earlier access ({@link NativeMemory#deliverPendingFault}).
     *
     * @param base the address of native memory that offsets count from.
     * @param from the first offset to touch.
     * @param to   the end offset (exclusive).
     */
    public static void touch(final long base, final long from, final long to)
    {
        if (from >= to)
        {
            return;
        }
        int seen = NativeMemory.getByte(base + to - 1);
        for (long at = from; at < to; at += PAGE)
        {
            seen += NativeMemory.getByte(base + at);
        }
        sink = seen;
        NativeMemory.deliverPendingFault();
    }

    /**
     * Touches {@code [from, to)}, page by page once one faults.
     *
     * @return {@code to}, or the offset where the first page that faults begins.
     */
    static long touchedEnd(final long base, final long from, final long to)
    {
        try
        {
            touch(base, from, to);
            return to;
        }
        catch (final InternalError e)
        {
            if (!isMemoryFault(e))
            {
                throw e;
            }
        }
        long at = from;
        while (at < to)
        {
            try
            {
                touch(base, at, at + 1);
            }
            catch (final InternalError e)
            {
                if (!isMemoryFault(e))
                {
                    throw e;
                }
                return at;
            }
            at = Math.min(to, ((base + at) / PAGE + 1) * PAGE - base);
        }
        return to;
    }

    /**
     * fstat per chunk, and on a block's first search {@code madvise(MADV_POPULATE_READ)}: it maps the
     * block's pages in one system call, where a first read would take one page fault per few pages
     * (1 GiB, fresh map: 21 ms populated ahead, ~330 ms by faults, as CPython's first find sees).
     */
    private static final class FileGuard extends PageGuard
    {
        /** Below this many bytes, touching the pages (a load each) is cheaper than one fstat (~0.3 us). */
        private static final long CHECK_MIN = 128L << 10;
        /** Bytes populated at once, and the size of a search chunk worth populating. */
        private static final long BLOCK = 1L << 20;
        /** Cleared when the kernel has no MADV_POPULATE_READ (before Linux 5.14). */
        private static volatile boolean populateWorks = true;

        private final int fd;
        private final long fileOffset;
        private final long size;
        /** One bit per block already populated once. */
        private final AtomicLongArray populated;

        FileGuard(final int fd, final long fileOffset, final long size)
        {
            this.fd = fd;
            this.fileOffset = fileOffset;
            this.size = size;
            this.populated = new AtomicLongArray((int)((size / BLOCK + 64) / 64));
        }

        @Override
        long readableEnd(final long base, final long from, final long to)
        {
            if (to - from < CHECK_MIN)
            {
                return touchedEnd(base, from, to);
            }
            final long fileSize = Syscalls.fileSizeOrMinus1(fd);
            if (fileSize < fileOffset + to)
            {
                return touchedEnd(base, from, to); // shorter file (or no answer): find the lost page exactly
            }
            if (to - from >= BLOCK && populateWorks)
            {
                populateOnce(base, from, to);
            }
            return to;
        }

        private void populateOnce(final long base, final long from, final long to)
        {
            for (long block = from / BLOCK; block * BLOCK < to; block++)
            {
                final int word = (int)(block >>> 6);
                final long bit = 1L << block;
                if (word >= populated.length() || 0 != (populated.get(word) & bit))
                {
                    continue;
                }
                final long start = block * BLOCK;
                final int errno = Syscalls.populateRead(base + start, Math.min(size, start + BLOCK) - start);
                if (Posix.EINVAL == errno || Posix.ENOSYS == errno)
                {
                    populateWorks = false; // an older kernel: the first reads fault the pages in
                    return;
                }
                populated.getAndUpdate(word, w -> w | bit); // also after EFAULT etc.: the fstat check decides
            }
        }
    }
}
