package dev.fmmap.search;

import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.util.function.BooleanSupplier;

/**
 * Search over native memory by address with glibc's kernels alone, through whichever backend the JVM has:
 * the maps' search where {@code java.lang.foreign} is missing (JDK 11-21; {@link ByteSearch} searches
 * segments on JDK 22 and later). The same method as ByteSearch's native path: a single byte is memchr
 * (memrchr); a longer needle hands memchr (memrchr) its {@linkplain RareByte rare byte} and compares the
 * needle only where that byte occurs, until false candidates come too often, when forward searches go
 * on with memmem and backward ones with memrchr on the needle's first byte. Each chunk is first made
 * safe for C by the map's {@link PageGuard}, and large searches are split across threads
 * ({@link ParallelSearch}). Offsets count from {@code base}.
 */
final class NativeSearch
{
    private NativeSearch()
    {
    }

    /**
     * The first ({@code backward}: last) occurrence of {@code needle} lying wholly in {@code [from, to)},
     * or -1.
     *
     * @param base     the address offsets count from.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for.
     * @param guard    what makes each chunk safe for C.
     * @param split    whether other threads may search this memory.
     * @param backward whether the last match is wanted.
     */
    static long search(final long base, final long from, final long to, final byte[] needle, final PageGuard guard,
        final boolean split, final boolean backward)
    {
        return search(base, from, to, needle, RareByte.indexIn(needle), guard, split, backward);
    }

    /** As above, with the needle's {@linkplain RareByte rare byte} known ({@code rare}: its index). */
    static long search(final long base, final long from, final long to, final byte[] needle, final int rare,
        final PageGuard guard, final boolean split, final boolean backward)
    {
        final int n = needle.length;
        if (to - from < n || 0 == n)
        {
            return Walk.withoutScan(from, to, n, backward);
        }
        final long end = to - n + 1; // candidates: [from, end)
        final int parts = split ? ParallelSearch.parts(end - from) : 1;
        if (1 == parts)
        {
            return scan(base, from, end, needle, rare, guard, backward, Walk.NEVER);
        }
        return ParallelSearch.search(from, end - 1, parts, backward,
            (start, stopAt, stop) -> scan(base, start, stopAt, needle, rare, guard, backward, stop));
    }

    private static long scan(final long base, final long first, final long end, final byte[] needle, final int rare,
        final PageGuard guard, final boolean backward, final BooleanSupplier stop)
    {
        return Walk.walk(first, end, Walk.FIRST_CHUNK, Walk.CHUNK, backward, stop,
            (start, stopAt) -> inChunk(base, start, stopAt, needle, rare, guard, backward));
    }

    private static long inChunk(final long base, final long start, final long stopAt, final byte[] needle,
        final int rare, final PageGuard guard, final boolean backward)
    {
        return Walk.guardedChunk(base, start, stopAt, needle.length, guard, backward,
            (from, to) -> backward ? lastIn(base, from, to, needle, rare) : firstIn(base, from, to, needle, rare));
    }

    /** The first match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long firstIn(final long base, final long from, final long to, final byte[] needle, final int rare)
    {
        final int n = needle.length;
        final long last = to - n;
        long misses = 0;
        for (long at = from; at <= last; )
        {
            final long hit = Syscalls.memchr(base + at + rare, last - at + 1, needle[rare]);
            if (-1 == hit)
            {
                return -1;
            }
            final long candidate = at + hit;
            if (matches(base + candidate, needle))
            {
                return candidate;
            }
            at = candidate + 1;
            if (++misses >= Walk.MISSES_JUDGED && at - from < misses * Walk.MIN_BYTES_PER_MISS)
            {
                if (to - at < n)
                {
                    return -1;
                }
                final long dense = Syscalls.memmem(base + at, to - at, needle);
                return -1 == dense ? -1 : at + dense;
            }
        }
        return -1;
    }

    /** The last match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long lastIn(final long base, final long from, final long to, final byte[] needle, final int rare)
    {
        final int n = needle.length;
        int key = rare;
        long misses = 0;
        for (long last = to - n; last >= from; )
        {
            final long hit = Syscalls.memrchr(base + from + key, last - from + 1, needle[key]);
            if (-1 == hit)
            {
                return -1;
            }
            final long candidate = from + hit;
            if (matches(base + candidate, needle))
            {
                return candidate;
            }
            last = candidate - 1;
            if (++misses >= Walk.MISSES_JUDGED && to - n - last < misses * Walk.MIN_BYTES_PER_MISS)
            {
                key = 0; // the rare byte is not rare here: memrchr on the first byte (no memmem backward)
            }
        }
        return -1;
    }

    /** Whether the n bytes at {@code address} are {@code needle} (compared from the end: the first matched). */
    private static boolean matches(final long address, final byte[] needle)
    {
        for (int i = needle.length - 1; i >= 0; i--)
        {
            if (needle[i] != NativeMemory.getByte(address + i))
            {
                return false;
            }
        }
        return true;
    }
}
