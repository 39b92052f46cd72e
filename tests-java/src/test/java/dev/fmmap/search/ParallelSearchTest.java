package dev.fmmap.search;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;

import java.lang.ref.Reference;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The split of long searches over threads, through {@link MapSearch} as maps use it: over the backend's
 * direct search ({@code ByteSearch} on JDK 22+, {@code NativeSearch} with jnr-ffi) and over copies
 * ({@link CopiedSearch}, strict mode).
 */
class ParallelSearchTest
{
    private static final int THREADS = 4;
    /** Room for {@link #THREADS} parts of at least {@link ParallelSearch#MIN_PART} candidates. */
    private static final long SIZE = THREADS * ParallelSearch.MIN_PART + 4096;
    private final int defaultThreads = MapSearch.searchThreads();

    @AfterEach
    void restoreThreads()
    {
        MapSearch.setSearchThreads(defaultThreads);
    }

    private static long search(final NativeBuffer h, final long from, final long to, final byte[] needle,
        final boolean copied, final boolean backward)
    {
        try
        {
            return MapSearch.search(h.address(), h.size(), from, to, needle, PageGuard.NONE, copied, backward);
        }
        finally
        {
            Reference.reachabilityFence(h); // the buffer is freed once unreachable
        }
    }

    private static long find(final NativeBuffer h, final byte[] needle, final boolean copied)
    {
        return search(h, 0, h.size(), needle, copied, false);
    }

    private static long rfind(final NativeBuffer h, final byte[] needle, final boolean copied)
    {
        return search(h, 0, h.size(), needle, copied, true);
    }

    private static long sequential(final NativeBuffer h, final long from, final long to, final byte[] needle,
        final boolean copied, final boolean backward)
    {
        MapSearch.setSearchThreads(1);
        try
        {
            return search(h, from, to, needle, copied, backward);
        }
        finally
        {
            MapSearch.setSearchThreads(THREADS);
        }
    }

    private static void put(final NativeBuffer h, final long at, final byte[] bytes)
    {
        NativeMemory.copyFromArray(bytes, 0, h.address() + at, bytes.length);
    }

    @Test
    void shouldSplitLongSearchesOnlyAndIntoContiguousParts()
    {
        MapSearch.setSearchThreads(THREADS);
        assertEquals(1, ParallelSearch.parts(2 * ParallelSearch.MIN_PART - 1));
        assertEquals(2, ParallelSearch.parts(2 * ParallelSearch.MIN_PART));
        assertEquals(THREADS, ParallelSearch.parts(100 * ParallelSearch.MIN_PART));
        final long[] forward = ParallelSearch.cuts(10, 109, 4, false);
        assertEquals(10, forward[0]);
        assertEquals(110, forward[4]);
        final long[] backward = ParallelSearch.cuts(10, 109, 4, true);
        assertEquals(110, backward[0]);
        assertEquals(10, backward[4]);
        MapSearch.setSearchThreads(1);
        assertEquals(1, ParallelSearch.parts(100 * ParallelSearch.MIN_PART));
        assertThrows(IllegalArgumentException.class, () -> MapSearch.setSearchThreads(0));
    }

    @ParameterizedTest(name = "copied={0}")
    @ValueSource(booleans = {false, true})
    void shouldFindExactlyWhatOneThreadFindsWithNeedlesAtAndAroundEverySplitPoint(final boolean copied)
    {
        MapSearch.setSearchThreads(THREADS);
        final byte[] needle = "split-needle".getBytes();
        final int n = needle.length;
        final NativeBuffer h = NativeBuffer.allocate(SIZE);
        for (final boolean backward : new boolean[] {false, true})
        {
            final long last = SIZE - n;
            for (final long cut : ParallelSearch.cuts(0, last, THREADS, backward))
            {
                for (long at = cut - n - 1; at <= cut + 1; at++)
                {
                    if (at < 0 || at > last)
                    {
                        continue;
                    }
                    NativeMemory.fill(h.address(), SIZE, (byte)0);
                    put(h, at, needle);
                    final String where = "needle at " + at + " around cut " + cut;
                    assertEquals(at, find(h, needle, copied), "find, " + where);
                    assertEquals(at, rfind(h, needle, copied), "rfind, " + where);
                    // a second match in another part: the first (last) one still wins
                    final long other = at < SIZE / 2 ? SIZE - 3L * n : n;
                    put(h, other, needle);
                    assertEquals(Math.min(at, other), find(h, needle, copied), "find, two, " + where);
                    assertEquals(Math.max(at, other), rfind(h, needle, copied), "rfind, two, " + where);
                }
            }
        }
    }

    @ParameterizedTest(name = "copied={0}")
    @ValueSource(booleans = {false, true})
    void shouldAgreeWithOneThreadOnRandomDataAndRanges(final boolean copied)
    {
        MapSearch.setSearchThreads(THREADS);
        final SplittableRandom random = new SplittableRandom(11);
        final NativeBuffer h = NativeBuffer.allocate(SIZE);
        final byte[] hay = new byte[(int)SIZE];
        for (int i = 0; i < hay.length; i++)
        {
            hay[i] = (byte)('a' + random.nextInt(4)); // many partial matches
        }
        put(h, 0, hay);
        for (int round = 0; round < 40; round++)
        {
            final int n = 1 + random.nextInt(14);
            final byte[] needle = new byte[n];
            for (int i = 0; i < n; i++)
            {
                needle[i] = (byte)('a' + random.nextInt(4));
            }
            final long from = random.nextInt(1 << 20);
            final long to = SIZE - random.nextInt(1 << 20);
            for (final boolean backward : new boolean[] {false, true})
            {
                assertEquals(sequential(h, from, to, needle, copied, backward),
                    search(h, from, to, needle, copied, backward),
                    (backward ? "rfind" : "find") + " n=" + n);
            }
        }
    }

    @ParameterizedTest(name = "copied={0}")
    @ValueSource(booleans = {false, true})
    void shouldReturnMinusOneWhenNoPartMatches(final boolean copied)
    {
        MapSearch.setSearchThreads(THREADS);
        final NativeBuffer h = NativeBuffer.allocate(SIZE);
        assertEquals(-1, find(h, "absent".getBytes(), copied));
        assertEquals(-1, rfind(h, "absent".getBytes(), copied));
    }
}
