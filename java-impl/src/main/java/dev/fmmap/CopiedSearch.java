package dev.fmmap;

import java.lang.foreign.MemorySegment;

/**
 * The searches of a map in {@link GuardMode#STRICT} mode: each chunk of the map is first copied, by
 * Java, into the thread's transfer buffer, and only the copy is handed to C (memchr, memmem). A page
 * that a racing truncation takes away then faults in the Java copy, where the JVM turns the fault into
 * an {@link InternalError} that the map reports as EFAULT, never inside C, where it would end the
 * process. The cost is one extra pass over memory, at copy speed. As in the direct searches, a forward
 * search still returns a match lying before the first lost page; a backward search meets the lost
 * pages first.
 */
final class CopiedSearch
{
    /** The largest chunk: the transfer buffer's size. */
    private static final long CHUNK = Transfer.MAX;
    /**
     * The first chunk, doubled for each next one up to {@link #CHUNK}: a short search (readline, the
     * next delimiter) copies only what it needs.
     */
    private static final long FIRST_CHUNK = 4096;

    private CopiedSearch()
    {
    }

    /** As {@link ByteSearch#indexOf(MemorySegment, long, long, MemorySegment)}, over copies. */
    static long indexOf(final MemorySegment map, final long from, final long to, final MemorySegment needle)
    {
        ByteSearch.checkRange(map, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? from : -1;
        }
        if (0 == n)
        {
            return from;
        }
        if (2 * n > CHUNK)
        {
            return ByteSearch.firstByComparison(map, from, to, needle); // needles over half a chunk: rare
        }
        long chunk = Math.max(FIRST_CHUNK, 2 * n);
        for (long pos = from; ; chunk = Math.min(CHUNK, 2 * chunk))
        {
            final long length = Math.min(chunk, to - pos);
            final MemorySegment buffer = Transfer.buffer((int)length);
            final long copied = copy(map, pos, buffer, length);
            final long at = ByteSearch.indexOf(buffer, 0, copied, needle, PageGuard.NONE);
            if (0 <= at)
            {
                return pos + at;
            }
            if (copied < length)
            {
                throw new InternalError("a fault occurred in an unsafe memory access operation (copied search)");
            }
            if (pos + length >= to)
            {
                return -1;
            }
            pos += length - (n - 1);
        }
    }

    /** As {@link ByteSearch#lastIndexOf(MemorySegment, long, long, MemorySegment)}, over copies. */
    static long lastIndexOf(final MemorySegment map, final long from, final long to, final MemorySegment needle)
    {
        ByteSearch.checkRange(map, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? to : -1;
        }
        if (0 == n)
        {
            return to;
        }
        if (2 * n > CHUNK)
        {
            return slowLastIndexOf(map, from, to, needle);
        }
        long chunk = Math.max(FIRST_CHUNK, 2 * n);
        for (long end = to; ; chunk = Math.min(CHUNK, 2 * chunk))
        {
            final long start = Math.max(from, end - chunk);
            final MemorySegment buffer = Transfer.buffer((int)(end - start));
            if (copy(map, start, buffer, end - start) < end - start)
            {
                throw new InternalError("a fault occurred in an unsafe memory access operation (copied search)");
            }
            final long at = ByteSearch.lastIndexOf(buffer, 0, end - start, needle, PageGuard.NONE);
            if (0 <= at)
            {
                return start + at;
            }
            if (start == from)
            {
                return -1;
            }
            end = start + n - 1;
        }
    }

    /**
     * Copies {@code length} bytes at {@code pos} of the map into the buffer; where a page faults, copies
     * the pages before it one by one instead.
     *
     * @return the bytes copied: {@code length}, or fewer when a page is lost.
     */
    private static long copy(final MemorySegment map, final long pos, final MemorySegment buffer, final long length)
    {
        try
        {
            MemorySegment.copy(map, pos, buffer, 0, length);
            Syscalls.deliverPendingFault();
            return length;
        }
        catch (final InternalError e)
        {
            if (!ByteSearch.isMemoryFault(e))
            {
                throw e;
            }
        }
        final long page = Syscalls.PAGE_SIZE;
        long done = 0;
        while (done < length)
        {
            final long part = Math.min(length - done, page - (pos + done) % page);
            try
            {
                MemorySegment.copy(map, pos + done, buffer, done, part);
                Syscalls.deliverPendingFault();
            }
            catch (final InternalError e)
            {
                if (!ByteSearch.isMemoryFault(e))
                {
                    throw e;
                }
                return done;
            }
            done += part;
        }
        return done;
    }

    /** Needles of more than half a chunk (rare): compared in place, from Java, backward. */
    private static long slowLastIndexOf(final MemorySegment map, final long from, final long to,
        final MemorySegment needle)
    {
        final long n = needle.byteSize();
        for (long at = to - n; at >= from; at--)
        {
            if (-1 == MemorySegment.mismatch(map, at, at + n, needle, 0, n))
            {
                return at;
            }
        }
        return -1;
    }
}
