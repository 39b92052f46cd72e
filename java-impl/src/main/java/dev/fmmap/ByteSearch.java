package dev.fmmap;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Stateless search kernels over memory segments. On native memory (every map), forward search is
 * glibc's {@code memmem}, and backward search finds candidates with {@code memrchr} on the needle's
 * first byte and confirms them with {@link MemorySegment#mismatch}; heap segments take a plain Java
 * loop. Offsets are relative to the segment given.
 */
public final class ByteSearch
{
    private ByteSearch()
    {
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
        final long hit = Syscalls.memmem(haystack.asSlice(from, to - from), needle);
        return -1 == hit ? -1 : from + hit;
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
        final long hit = Syscalls.memchr(haystack.asSlice(from), value);
        return -1 == hit ? -1 : from + hit;
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
        final long hit = Syscalls.memrchr(haystack.asSlice(from, to - from), value);
        return -1 == hit ? -1 : from + hit;
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
