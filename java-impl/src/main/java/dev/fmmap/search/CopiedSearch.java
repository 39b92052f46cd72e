package dev.fmmap.search;

import dev.fmmap.GuardMode;
import dev.fmmap.Transfer;
import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

/**
 * The searches of a map in {@link GuardMode#STRICT} mode: each chunk of the map is first copied, by
 * Java, into the thread's transfer buffer, and only the copy is handed to C (memchr, memmem). A page
 * that a racing truncation takes away then faults in the Java copy, where the JVM turns the fault into
 * an {@link InternalError} that the map reports as EFAULT, never inside C, where it would end the
 * process. The cost is one extra pass over memory, at copy speed. As in the direct searches, a forward
 * search still returns a match lying before the first lost page; a backward search meets the lost
 * pages first.
 */
public final class CopiedSearch
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
        // Each copy holds a piece's candidates and the n - 1 bytes after them.
        return Walk.walk(from, to - n + 1, Math.max(FIRST_CHUNK, 2L * n) - (n - 1), CHUNK - (n - 1), backward,
            Walk.NEVER, (start, end) -> inCopy(base, start, end, needle, backward));
    }

    /** The first (last) match starting in {@code [start, end)}, searched in a copy. */
    private static long inCopy(final long base, final long start, final long end, final byte[] needle,
        final boolean backward)
    {
        final long length = end - start + needle.length - 1;
        final NativeBuffer buffer = Transfer.buffer((int)length);
        final long copied = copy(base + start, buffer.address(), length);
        if (copied < length && backward)
        {
            throw lostPage(); // a backward search meets the lost pages first
        }
        final long at = NativeSearch.search(buffer.address(), 0, copied, needle, PageGuard.NONE, false, backward);
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
