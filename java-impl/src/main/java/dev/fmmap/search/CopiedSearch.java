package dev.fmmap.search;

import dev.fmmap.GuardMode;
import dev.fmmap.Transfer;
import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.syscalls.Syscalls;

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
     * As {@link ByteSearch#indexOf(MemorySegment, long, long, MemorySegment)} ({@code backward}:
     * {@link ByteSearch#lastIndexOf(MemorySegment, long, long, MemorySegment) lastIndexOf}), over copies.
     */
    public static long search(final MemorySegment map, final long from, final long to, final MemorySegment needle,
        final boolean backward)
    {
        ByteSearch.checkRange(map, from, to);
        final long n = needle.byteSize();
        if (to - from < n || 0 == n)
        {
            return ByteSearch.withoutScan(from, to, n, backward);
        }
        if (2 * n > CHUNK)
        {
            return ByteSearch.byComparison(map, from, to, needle, backward); // needles over half a chunk: rare
        }
        // Each copy holds a piece's candidates and the n - 1 bytes after them.
        return ByteSearch.walk(from, to - n + 1, Math.max(FIRST_CHUNK, 2 * n) - (n - 1), CHUNK - (n - 1), backward,
            ByteSearch.NEVER, (start, end) -> inCopy(map, start, end, needle, backward));
    }

    /** The first (last) match starting in {@code [start, end)}, searched in a copy. */
    private static long inCopy(final MemorySegment map, final long start, final long end, final MemorySegment needle,
        final boolean backward)
    {
        final long length = end - start + needle.byteSize() - 1;
        final MemorySegment buffer = segmentOf(Transfer.buffer((int)length));
        final long copied = copy(map, start, buffer, length);
        if (copied < length && backward)
        {
            throw lostPage(); // a backward search meets the lost pages first
        }
        final long at = ByteSearch.search(buffer, 0, copied, needle, PageGuard.NONE, backward);
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

    /** This thread's transfer buffer as a segment (the buffer stays mapped while its thread lives). */
    @SuppressWarnings("restricted")
    private static MemorySegment segmentOf(final NativeBuffer buffer)
    {
        return MemorySegment.ofAddress(buffer.address()).reinterpret(buffer.size());
    }

    /** The JVM's own error for a memory fault, which the map reports as EFAULT. */
    private static InternalError lostPage()
    {
        return new InternalError("a fault occurred in an unsafe memory access operation (copied search)");
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
}
