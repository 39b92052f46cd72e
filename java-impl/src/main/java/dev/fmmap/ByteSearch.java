package dev.fmmap;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Stateless search kernels over memory segments. On native memory (every map), forward search is
 * glibc's {@code memmem}, and backward search finds candidates with {@code memrchr} on the needle's
 * first byte and confirms them with {@link MemorySegment#mismatch}; heap segments take a plain Java
 * loop. Offsets are relative to the segment given.
 *
 * <p>Native memory is searched in chunks of {@value #CHUNK} bytes, each first {@linkplain #touch
 * touched} from Java: a page that faults (a mapped file truncated by another process) then throws an
 * {@link InternalError} here instead of killing the process inside C. A truncation takes away a
 * suffix of the file's pages, so a forward search still finds a match lying before the first lost
 * page (as a plain scan would, before it faulted); a backward search meets the lost pages first.
 */
public final class ByteSearch
{
    /** Bytes handed to one native call; small enough that touching them first stays current. */
    static final long CHUNK = 1L << 20;
    private static final long PAGE = Posix.pageSize();
    /** Where {@link #touch} leaves what it read, so that the compiler cannot drop the reads. */
    @SuppressWarnings("unused")
    private static int sink;

    private ByteSearch()
    {
    }

    /**
     * @param e an error the JVM threw.
     * @return whether it reports a fault in a memory access (HotSpot: "a fault occurred in an unsafe
     * memory access operation"), as a page of a truncated file gives.
     */
    static boolean isMemoryFault(final InternalError e)
    {
        final String message = e.getMessage();
        return null != message && message.contains("fault occurred");
    }

    /**
     * Touches {@code [from, to)}, page by page once one faults.
     *
     * @return {@code to}, or the offset where the first page that faults begins ({@code from} when
     * it is the first page).
     */
    private static long accessibleEnd(final MemorySegment s, final long from, final long to)
    {
        try
        {
            touch(s, from, to);
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
                touch(s, at, at + 1);
            }
            catch (final InternalError e)
            {
                if (!isMemoryFault(e))
                {
                    throw e;
                }
                return at;
            }
            at = Math.min(to, ((s.address() + at) / PAGE + 1) * PAGE - s.address());
        }
        return to;
    }

    /**
     * Reads one byte of every page of {@code [from, to)}, so that a page which can no longer be
     * accessed throws {@link InternalError} from the JVM here, rather than faulting in native code.
     * Also delivers a fault still pending from an earlier access ({@link Syscalls#deliverPendingFault}).
     *
     * @param s    the memory.
     * @param from the first offset.
     * @param to   the end offset (exclusive).
     */
    static void touch(final MemorySegment s, final long from, final long to)
    {
        if (from >= to)
        {
            return;
        }
        int seen = s.get(JAVA_BYTE, to - 1);
        for (long at = from; at < to; at += PAGE)
        {
            seen += s.get(JAVA_BYTE, at);
        }
        sink = seen;
        Syscalls.deliverPendingFault();
    }

    /**
     * Finds the first occurrence of {@code needle} lying wholly in {@code [from, to)}; none when {@code from > to}.
     *
     * @param haystack the memory to search.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for; empty matches at {@code from} when {@code from <= to}.
     * @return the offset of the match in {@code haystack}, or -1.
     */
    public static long indexOf(final MemorySegment haystack, final long from, final long to, final MemorySegment needle)
    {
        checkRange(haystack, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? from : -1;
        }
        if (0 == n)
        {
            return from;
        }
        if (!haystack.isNative())
        {
            for (long at = from; at + n <= to; at++)
            {
                if (-1 == MemorySegment.mismatch(haystack, at, at + n, needle, 0, n))
                {
                    return at;
                }
            }
            return -1;
        }
        // Chunks hold the candidates starting in [start, start + CHUNK), and the n - 1 bytes after.
        for (long start = from; start + n <= to; start += CHUNK)
        {
            final long end = Math.min(to, start + CHUNK + n - 1);
            final long readable = accessibleEnd(haystack, start, end);
            if (readable - start >= n)
            {
                final long hit = Syscalls.memmem(haystack.asSlice(start, readable - start), needle);
                if (-1 != hit)
                {
                    return start + hit;
                }
            }
            touch(haystack, readable, end); // throws if the search must go on into a lost page
        }
        return -1;
    }

    /**
     * Finds the last occurrence of {@code needle} lying wholly in {@code [from, to)}; none when {@code from > to}.
     *
     * @param haystack the memory to search.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for; empty matches at {@code to} when {@code from <= to}.
     * @return the offset of the match in {@code haystack}, or -1.
     */
    public static long lastIndexOf(final MemorySegment haystack, final long from, final long to,
        final MemorySegment needle)
    {
        checkRange(haystack, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? to : -1;
        }
        if (0 == n)
        {
            return to;
        }
        final byte first = needle.get(JAVA_BYTE, 0);
        // Candidates start in [from, limit); each miss shrinks limit to the candidate just tried.
        long limit = to - n + 1;
        while (limit > from)
        {
            final long at = lastIndexOf(haystack, from, limit, first);
            if (-1 == at)
            {
                return -1;
            }
            if (-1 == MemorySegment.mismatch(haystack, at, at + n, needle, 0, n))
            {
                return at;
            }
            limit = at;
        }
        return -1;
    }

    /**
     * Finds the first byte equal to {@code value} at or after {@code from}.
     *
     * @param haystack the memory to search.
     * @param from     the offset to start at.
     * @param value    the byte to look for.
     * @return the offset of the byte in {@code haystack}, or -1.
     */
    public static long indexOf(final MemorySegment haystack, final long from, final byte value)
    {
        checkRange(haystack, from, haystack.byteSize());
        if (!haystack.isNative())
        {
            for (long at = from; at < haystack.byteSize(); at++)
            {
                if (value == haystack.get(JAVA_BYTE, at))
                {
                    return at;
                }
            }
            return -1;
        }
        final long size = haystack.byteSize();
        for (long start = from; start < size; start += CHUNK)
        {
            final long end = Math.min(size, start + CHUNK);
            final long readable = accessibleEnd(haystack, start, end);
            final long hit = Syscalls.memchr(haystack.asSlice(start, readable - start), value);
            if (-1 != hit)
            {
                return start + hit;
            }
            touch(haystack, readable, end); // throws if the search must go on into a lost page
        }
        return -1;
    }

    /** The offset of the last {@code value} in {@code [from, to)}, or -1. */
    private static long lastIndexOf(final MemorySegment haystack, final long from, final long to, final byte value)
    {
        if (!haystack.isNative())
        {
            for (long at = to - 1; at >= from; at--)
            {
                if (value == haystack.get(JAVA_BYTE, at))
                {
                    return at;
                }
            }
            return -1;
        }
        for (long end = to; end > from; end -= CHUNK)
        {
            final long start = Math.max(from, end - CHUNK);
            touch(haystack, start, end);
            final long hit = Syscalls.memrchr(haystack.asSlice(start, end - start), value);
            if (-1 != hit)
            {
                return start + hit;
            }
        }
        return -1;
    }

    private static void checkRange(final MemorySegment haystack, final long from, final long to)
    {
        final long size = haystack.byteSize();
        if (0 > from || from > size || 0 > to || to > size)
        {
            throw new IndexOutOfBoundsException(
                "from=" + from + " to=" + to + " size=" + size);
        }
    }
}
