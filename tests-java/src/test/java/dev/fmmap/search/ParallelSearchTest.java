package dev.fmmap.search;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelSearchTest
{
    private static final int THREADS = 4;
    /** Room for {@link #THREADS} parts of at least {@link ParallelSearch#MIN_PART} candidates. */
    private static final long SIZE = THREADS * ParallelSearch.MIN_PART + 4096;
    private final int defaultThreads = ByteSearch.searchThreads();

    @AfterEach
    void restoreThreads()
    {
        ByteSearch.setSearchThreads(defaultThreads);
    }

    private static long sequentialIndexOf(final MemorySegment h, final long from, final long to, final MemorySegment n)
    {
        ByteSearch.setSearchThreads(1);
        try
        {
            return ByteSearch.indexOf(h, from, to, n);
        }
        finally
        {
            ByteSearch.setSearchThreads(THREADS);
        }
    }

    private static long sequentialLastIndexOf(final MemorySegment h, final long from, final long to,
        final MemorySegment n)
    {
        ByteSearch.setSearchThreads(1);
        try
        {
            return ByteSearch.lastIndexOf(h, from, to, n);
        }
        finally
        {
            ByteSearch.setSearchThreads(THREADS);
        }
    }

    @Test
    void shouldSplitLongSearchesOnlyAndIntoContiguousParts()
    {
        ByteSearch.setSearchThreads(THREADS);
        assertEquals(1, ParallelSearch.parts(2 * ParallelSearch.MIN_PART - 1));
        assertEquals(2, ParallelSearch.parts(2 * ParallelSearch.MIN_PART));
        assertEquals(THREADS, ParallelSearch.parts(100 * ParallelSearch.MIN_PART));
        final long[] forward = ParallelSearch.cuts(10, 109, 4, false);
        assertEquals(10, forward[0]);
        assertEquals(110, forward[4]);
        final long[] backward = ParallelSearch.cuts(10, 109, 4, true);
        assertEquals(110, backward[0]);
        assertEquals(10, backward[4]);
        ByteSearch.setSearchThreads(1);
        assertEquals(1, ParallelSearch.parts(100 * ParallelSearch.MIN_PART));
        assertThrows(IllegalArgumentException.class, () -> ByteSearch.setSearchThreads(0));
    }

    @Test
    void shouldFindExactlyWhatOneThreadFindsWithNeedlesAtAndAroundEverySplitPoint()
    {
        ByteSearch.setSearchThreads(THREADS);
        final byte[] needle = "split-needle".getBytes();
        final int n = needle.length;
        final MemorySegment nd = MemorySegment.ofArray(needle);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment h = arena.allocate(SIZE);
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
                        h.fill((byte)0);
                        MemorySegment.copy(needle, 0, h, JAVA_BYTE, at, n);
                        final String where = "needle at " + at + " around cut " + cut;
                        assertEquals(at, ByteSearch.indexOf(h, 0, SIZE, nd), "find, " + where);
                        assertEquals(at, ByteSearch.lastIndexOf(h, 0, SIZE, nd), "rfind, " + where);
                        // a second match in another part: the first (last) one still wins
                        final long other = at < SIZE / 2 ? SIZE - 3L * n : n;
                        MemorySegment.copy(needle, 0, h, JAVA_BYTE, other, n);
                        assertEquals(Math.min(at, other), ByteSearch.indexOf(h, 0, SIZE, nd), "find, two, " + where);
                        assertEquals(Math.max(at, other), ByteSearch.lastIndexOf(h, 0, SIZE, nd), "rfind, two, " + where);
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeWithOneThreadOnRandomDataAndRanges()
    {
        ByteSearch.setSearchThreads(THREADS);
        final Random random = new Random(11);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment h = arena.allocate(SIZE);
            for (long i = 0; i < SIZE; i++)
            {
                h.set(JAVA_BYTE, i, (byte)('a' + random.nextInt(4))); // many partial matches
            }
            for (int round = 0; round < 40; round++)
            {
                final int n = 1 + random.nextInt(14);
                final byte[] needle = new byte[n];
                for (int i = 0; i < n; i++)
                {
                    needle[i] = (byte)('a' + random.nextInt(4));
                }
                final MemorySegment nd = MemorySegment.ofArray(needle);
                final long from = random.nextInt(1 << 20);
                final long to = SIZE - random.nextInt(1 << 20);
                assertEquals(sequentialIndexOf(h, from, to, nd), ByteSearch.indexOf(h, from, to, nd), "find n=" + n);
                assertEquals(sequentialLastIndexOf(h, from, to, nd), ByteSearch.lastIndexOf(h, from, to, nd),
                    "rfind n=" + n);
            }
        }
    }

    @Test
    void shouldReturnMinusOneWhenNoPartMatches()
    {
        ByteSearch.setSearchThreads(THREADS);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment h = arena.allocate(SIZE);
            final MemorySegment nd = MemorySegment.ofArray("absent".getBytes());
            assertEquals(-1, ByteSearch.indexOf(h, 0, SIZE, nd));
            assertEquals(-1, ByteSearch.lastIndexOf(h, 0, SIZE, nd));
        }
    }

    @Test
    void shouldSearchMemoryConfinedToTheCallerInTheCallerAlone()
    {
        ByteSearch.setSearchThreads(THREADS);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment h = arena.allocate(SIZE);
            h.set(JAVA_BYTE, SIZE - 1, (byte)'!');
            final MemorySegment nd = MemorySegment.ofArray("!".getBytes());
            assertEquals(SIZE - 1, ByteSearch.indexOf(h, 0, SIZE, nd)); // no WrongThreadException
            assertEquals(SIZE - 1, ByteSearch.lastIndexOf(h, 0, SIZE, nd));
        }
    }
}
