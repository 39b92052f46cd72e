package dev.fmmap.search;

import dev.fmmap.GuardMode;
import dev.fmmap.Transfer;
import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.util.function.BooleanSupplier;

/**
 * The searches of a map in {@link GuardMode#STRICT} mode: each chunk of the map is first copied, by
 * Java, into the thread's transfer buffer, and only the copy is handed to C (memchr, memmem). A page
 * that a racing truncation takes away then faults in the Java copy, where the JVM turns the fault into
 * an {@link InternalError} that the map reports as EFAULT, never inside C, where it would end the
 * process. The copies are small enough that C reads them back from the L1 cache, so a search costs
 * about one pass over the map, and long searches are split across threads as direct ones are
 * ({@link ParallelSearch}; each thread copies into its own buffer). As in the direct searches, a
 * forward search still returns a match lying before the first lost page; a backward search meets the
 * lost pages first.
 */
public final class CopiedSearch
{
    /** The largest chunk: the transfer buffer's size. */
    private static final long CHUNK = Transfer.MAX;
    /**
     * The chunk of a needle up to half its size: a copy the search then reads back from the L1 cache.
     * Measured on a page-cached 1 GiB file, copy then memchr per chunk, one thread (Intel Xeon,
     * 2026-12-07, memchr alone 11.7 GB/s): 4 KiB 9.2-9.5 GB/s, 8 KiB 10.4-11.0, 16 KiB 11.2-11.6,
     * 32 KiB 10.3-10.6, 64-256 KiB 9.0-9.1, 1 MiB 8.3-8.4 (JDK 17's Unsafe and JDK 25's FFM copies alike).
     */
    private static final long COPY_CHUNK = 16L << 10;
    /**
     * The first chunk, doubled for each next one up to {@link #COPY_CHUNK}: a short search (readline,
     * the next delimiter) copies only what it needs.
     */
    private static final long FIRST_CHUNK = 4096;

    private CopiedSearch()
    {
    }

    /**
     * The first ({@code backward}: last) occurrence of {@code needle} lying wholly in {@code [from, to)} of
     * the map at {@code base}, searched over copies; -1 when there is none.
     *
     * @param base     the map's address.
     * @param size     the map's size.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for.
     * @param backward whether the last match is wanted.
     * @return the offset of the match, or -1.
     */
    public static long search(final long base, final long size, final long from, final long to, final byte[] needle,
        final boolean backward)
    {
        MapSearch.checkRange(size, from, to);
        final int n = needle.length;
        if (to - from < n || 0 == n)
        {
            return Walk.withoutScan(from, to, n, backward);
        }
        if (2L * n > CHUNK)
        {
            return byComparison(base, from, to, needle, backward); // needles over half a chunk: rare
        }
        final int rare = RareByte.indexIn(needle);
        final long end = to - n + 1; // candidates: [from, end)
        final int parts = ParallelSearch.parts(end - from);
        if (1 == parts)
        {
            return scan(base, from, end, needle, rare, backward, Walk.NEVER);
        }
        // Each part copies into its own thread's transfer buffer.
        return ParallelSearch.search(from, end - 1, parts, backward,
            (start, stopAt, stop) -> scan(base, start, stopAt, needle, rare, backward, stop));
    }

    private static long scan(final long base, final long first, final long end, final byte[] needle, final int rare,
        final boolean backward, final BooleanSupplier stop)
    {
        // Each copy holds a piece's candidates and the n - 1 bytes after them.
        final int n = needle.length;
        final long copy = Math.max(COPY_CHUNK, 2L * n);
        return Walk.walk(first, end, Math.min(copy, Math.max(FIRST_CHUNK, 2L * n)) - (n - 1), copy - (n - 1),
            backward, stop, (start, stopAt) -> inCopy(base, start, stopAt, needle, rare, backward));
    }

    /** The first (last) match starting in {@code [start, end)}, searched in a copy. */
    private static long inCopy(final long base, final long start, final long end, final byte[] needle,
        final int rare, final boolean backward)
    {
        final long length = end - start + needle.length - 1;
        final NativeBuffer buffer = Transfer.buffer((int)length);
        final long copied = copy(base + start, buffer.address(), length);
        if (copied < length && backward)
        {
            throw lostPage(); // a backward search meets the lost pages first
        }
        final long at = NativeSearch.search(buffer.address(), 0, copied, needle, rare, PageGuard.NONE, false, backward);
        if (0 <= at)
        {
            return start + at; // forward, a match lying before the first lost page
        }
        if (copied < length)
        {
            throw lostPage();
        }
        return -1;
    }

    /**
     * The first ({@code backward}: last) match in {@code [from, to)}, compared position by position from
     * Java, where a lost page faults as an {@link InternalError}: needles too long for a copy.
     */
    private static long byComparison(final long base, final long from, final long to, final byte[] needle,
        final boolean backward)
    {
        final int n = needle.length;
        final long last = to - n;
        for (long i = 0; i <= last - from; i++)
        {
            final long at = backward ? last - i : from + i;
            int k = 0;
            while (k < n && needle[k] == NativeMemory.getByte(base + at + k))
            {
                k++;
            }
            if (k == n)
            {
                NativeMemory.deliverPendingFault();
                return at;
            }
        }
        NativeMemory.deliverPendingFault();
        return -1;
    }

    /** The JVM's own error for a memory fault, which the map reports as EFAULT. */
    private static InternalError lostPage()
    {
        return new InternalError("a fault occurred in an unsafe memory access operation (copied search)");
    }

    /**
     * Copies {@code length} bytes from {@code src} into the buffer at {@code dst}; where a page faults,
     * copies the pages before it one by one instead.
     *
     * @return the bytes copied: {@code length}, or fewer when a page is lost.
     */
    private static long copy(final long src, final long dst, final long length)
    {
        try
        {
            NativeMemory.copy(src, dst, length);
            NativeMemory.deliverPendingFault();
            return length;
        }
        catch (final InternalError e)
        {
            if (!PageGuard.isMemoryFault(e))
            {
                throw e;
            }
        }
        final long page = Syscalls.PAGE_SIZE;
        long done = 0;
        while (done < length)
        {
            final long part = Math.min(length - done, page - (src + done) % page);
            try
            {
                NativeMemory.copy(src + done, dst + done, part);
                NativeMemory.deliverPendingFault();
            }
            catch (final InternalError e)
            {
                if (!PageGuard.isMemoryFault(e))
                {
                    throw e;
                }
                return done;
            }
            done += part;
        }
        return done;
    }
}
