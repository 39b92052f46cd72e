package dev.fmmap.search;

import dev.fmmap.Posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteSearchTest
{
    /** A native copy, so that the kernels see off-heap memory as they do in a map. */
    private static MemorySegment nativeCopy(final Arena arena, final byte[] bytes)
    {
        final MemorySegment s = arena.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        return s.asSlice(0, bytes.length);
    }

    @Test
    void shouldAgreeWithNaiveSearchOnRandomDataAtEveryBoundary()
    {
        final Random random = new Random(42);
        try (Arena arena = Arena.ofConfined())
        {
            for (int round = 0; round < 400; round++)
            {
                final int size = random.nextInt(300);
                final byte[] hay = new byte[size];
                for (int i = 0; i < size; i++)
                {
                    hay[i] = (byte)('a' + random.nextInt(3)); // small alphabet: many overlapping candidates
                }
                final MemorySegment h = nativeCopy(arena, hay);
                for (int k = 0; k < 20; k++)
                {
                    final int n = random.nextInt(6);
                    final byte[] needle = new byte[n];
                    if (size >= n && random.nextBoolean())
                    {
                        System.arraycopy(hay, random.nextInt(size - n + 1), needle, 0, n);
                    }
                    else
                    {
                        for (int i = 0; i < n; i++)
                        {
                            needle[i] = (byte)('a' + random.nextInt(3));
                        }
                    }
                    final long from = random.nextInt(size + 1);
                    final long to = random.nextInt(size + 1);
                    final MemorySegment nd = MemorySegment.ofArray(needle);
                    final long expectFirst = from <= to ? NaiveSearch.first(hay, from, to, needle) : -1;
                    final long expectLast = from <= to ? NaiveSearch.last(hay, from, to, needle) : -1;
                    assertEquals(expectFirst, ByteSearch.indexOf(h, from, to, nd),
                        "indexOf size=" + size + " from=" + from + " to=" + to + " n=" + n);
                    assertEquals(expectLast, ByteSearch.lastIndexOf(h, from, to, nd),
                        "lastIndexOf size=" + size + " from=" + from + " to=" + to + " n=" + n);
                }
            }
        }
    }

    @Test
    void shouldAgreeWithNaiveSearchAcrossVectorWidthsOnNativeAndHeapMemory()
    {
        // Sizes and needles around the vector widths (16..64 lanes, 4 vectors per step for one byte),
        // on nearly uniform data: the first/last-byte filter passes many candidates that then fail.
        final Random random = new Random(7);
        final int[] needleLengths = {1, 2, 3, 4, 5, 16, 31, 32, 33, 63, 64, 65, 80};
        try (Arena arena = Arena.ofConfined())
        {
            for (int round = 0; round < 300; round++)
            {
                final int size = random.nextInt(1500);
                final byte[] hay = new byte[size];
                for (int i = 0; i < size; i++)
                {
                    hay[i] = (byte)(random.nextInt(40) == 0 ? 'b' : 'a');
                }
                final MemorySegment[] haystacks = {nativeCopy(arena, hay), MemorySegment.ofArray(hay)};
                for (int k = 0; k < 10; k++)
                {
                    final int n = needleLengths[random.nextInt(needleLengths.length)];
                    final byte[] needle = new byte[n];
                    if (size >= n && random.nextInt(3) > 0)
                    {
                        System.arraycopy(hay, random.nextInt(size - n + 1), needle, 0, n);
                    }
                    else
                    {
                        java.util.Arrays.fill(needle, (byte)'a');
                        needle[random.nextInt(n)] = 'b';
                    }
                    final long from = random.nextInt(size + 1);
                    final long to = from + random.nextInt(size - (int)from + 1);
                    final MemorySegment nd = MemorySegment.ofArray(needle);
                    for (final MemorySegment h : haystacks)
                    {
                        final String where = (h.isNative() ? "native" : "heap") + " size=" + size + " from="
                            + from + " to=" + to + " n=" + n;
                        assertEquals(NaiveSearch.first(hay, from, to, needle), ByteSearch.indexOf(h, from, to, nd),
                            "indexOf " + where);
                        assertEquals(NaiveSearch.last(hay, from, to, needle), ByteSearch.lastIndexOf(h, from, to, nd),
                            "lastIndexOf " + where);
                        assertEquals(NaiveSearch.first(hay, from, size, new byte[] {'b'}),
                            ByteSearch.indexOf(h, from, (byte)'b'), "indexOf byte " + where);
                    }
                }
            }
        }
    }

    @Test
    void shouldUseTheKernelsThisRunAsksFor()
    {
        // tests-java runs with the Vector API forced (the default and jnr-backend executions) and with
        // -Dfmmap.search=native.
        if ("native".equals(System.getProperty("fmmap.search")))
        {
            assertEquals("glibc", ByteSearch.kernels());
        }
        else
        {
            // The default execution forces the vector kernels; lanes: 64 with AVX-512, 32 with AVX2.
            assertEquals("vector (" + VectorSearch.lanes() + "-byte lanes; common-byte needles: vector)",
                ByteSearch.kernels());
        }
    }

    @Test
    void shouldChooseTheVectorKernelOnlyWhereTheVectorApiIsLoaded()
    {
        // Which kernel is faster is a measurement (docs/benchmark.md), not a unit test's to assert: a
        // loaded CI machine once measured memmem ahead. What must hold is that the glibc-only run
        // (no Vector API) never picks the vector kernel; with it, the measurement just has to run.
        final boolean chosen = KernelChoice.measure();
        if (!ByteSearch.vector())
        {
            assertFalse(chosen);
        }
    }

    /** Where the chunks of a search over [0, size) start, walking forward from 0 or backward from size. */
    private static List<Long> chunkBoundaries(final long size)
    {
        final List<Long> at = new ArrayList<>();
        long chunk = Walk.FIRST_CHUNK;
        for (long forward = chunk; forward < size; chunk = Math.min(Walk.CHUNK, 2 * chunk), forward += chunk)
        {
            at.add(forward);
            at.add(size - forward);
        }
        return at;
    }

    @Test
    void shouldFindMatchesThatStraddleTheChunkBoundaries()
    {
        final int size = (int)(3 * Walk.CHUNK + 100);
        final byte[] hay = new byte[size];
        final byte[] needle = "needle!".getBytes();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment h = arena.allocate(size);
            final MemorySegment n = MemorySegment.ofArray(needle);
            for (final long boundary : chunkBoundaries(size))
            {
                for (int shift = -needle.length; shift <= 1; shift++)
                {
                    final long at = boundary + shift;
                    if (at < 1 || at + needle.length > size)
                    {
                        continue;
                    }
                    h.fill((byte)0);
                    MemorySegment.copy(needle, 0, h, JAVA_BYTE, at, needle.length);
                    assertEquals(at, ByteSearch.indexOf(h, 0, size, n), "find at " + at);
                    assertEquals(at, ByteSearch.indexOf(h, 1, size, n), "find from 1 at " + at);
                    assertEquals(at, ByteSearch.lastIndexOf(h, 0, size, n), "rfind at " + at);
                    assertEquals(at, ByteSearch.lastIndexOf(h, 0, size - 1, n), "rfind to size-1 at " + at);
                    assertEquals(at, ByteSearch.indexOf(h, 0, (byte)'n'), "first byte at " + at);
                    assertEquals(at + needle.length - 1, ByteSearch.indexOf(h, at + 1, (byte)'!'));
                    assertEquals(-1, ByteSearch.indexOf(h, 0, at + needle.length - 1, n), "cut short at " + at);
                }
            }
        }
    }

    @Test
    void shouldHandNeedlesWhoseRareByteIsCommonToTheDenseKernelAndStillAgree()
    {
        // 'z' is guessed rare, but here it is everywhere: the filter's misses pass the judged rate and the
        // rest of the chunk goes to memmem (or the vector kernel); results must not change.
        final int size = 64 << 10;
        final byte[] hay = new byte[size];
        final Random random = new Random(3);
        for (int i = 0; i < size; i++)
        {
            hay[i] = (byte)(random.nextInt(4) == 0 ? 'e' : 'z');
        }
        final byte[] needle = "zzezzze".getBytes();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment h = nativeCopy(arena, hay);
            final MemorySegment n = MemorySegment.ofArray(needle);
            for (int from = 0; from < size; from += 4099)
            {
                assertEquals(NaiveSearch.first(hay, from, size, needle), ByteSearch.indexOf(h, from, size, n));
                assertEquals(NaiveSearch.last(hay, 0, size - from, needle), ByteSearch.lastIndexOf(h, 0, size - from, n));
            }
        }
    }

    @Test
    void shouldMatchEmptyNeedleAtFromForwardAndAtToBackward()
    {
        final MemorySegment h = MemorySegment.ofArray(new byte[] {1, 2, 3});
        final MemorySegment empty = MemorySegment.ofArray(new byte[0]);
        assertEquals(1, ByteSearch.indexOf(h, 1, 2, empty));
        assertEquals(2, ByteSearch.lastIndexOf(h, 1, 2, empty));
        assertEquals(3, ByteSearch.indexOf(h, 3, 3, empty));
        assertEquals(-1, ByteSearch.indexOf(h, 2, 1, empty));
        assertEquals(-1, ByteSearch.lastIndexOf(h, 2, 1, empty));
    }

    @Test
    void shouldFindNeedlesAtTheVeryStartAndEndOfNativeAndHeapMemory()
    {
        final byte[] hay = "needle in the middle of a haystack with a needle".getBytes();
        try (Arena arena = Arena.ofConfined())
        {
            assertStartAndEnd(hay, MemorySegment.ofArray(hay));
            assertStartAndEnd(hay, nativeCopy(arena, hay));
        }
    }

    private static void assertStartAndEnd(final byte[] hay, final MemorySegment h)
    {
        final MemorySegment n = MemorySegment.ofArray("needle".getBytes());
        assertEquals(0, ByteSearch.indexOf(h, 0, hay.length, n));
        assertEquals(hay.length - 6, ByteSearch.lastIndexOf(h, 0, hay.length, n));
        assertEquals(-1, ByteSearch.indexOf(h, 1, hay.length - 1, n));
    }

    @Test
    void shouldFindFirstByteAfterOffset()
    {
        try (Arena arena = Arena.ofConfined())
        {
            assertFirstByte(MemorySegment.ofArray("ab\ncd\n".getBytes()));
            assertFirstByte(nativeCopy(arena, "ab\ncd\n".getBytes()));
        }
    }

    private static void assertFirstByte(final MemorySegment h)
    {
        assertEquals(2, ByteSearch.indexOf(h, 0, (byte)'\n'));
        assertEquals(5, ByteSearch.indexOf(h, 3, (byte)'\n'));
        assertEquals(-1, ByteSearch.indexOf(h, 6, (byte)'\n'));
    }

    @Test
    void shouldFindMatchesBeforeTheLostPagesOfATruncatedFileForwardAndMeetTheLostPagesFirstBackward(
        @TempDir final Path dir) throws IOException
    {
        final int page = Posix.pageSize();
        final byte[] content = new byte[4 * page];
        content[10] = 'x';
        content[3 * page - 10] = 'x'; // in the backward scan's first chunk, with lost pages after it
        content[3 * page + 10] = 'x';
        final Path path = Files.write(dir.resolve("truncated.bin"), content);
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MemorySegment h = channel.map(FileChannel.MapMode.READ_ONLY, 0, content.length, arena);
            channel.truncate(3 * page); // another process's truncation: the last page is lost
            final MemorySegment x = MemorySegment.ofArray(new byte[] {'x'});
            final MemorySegment y = MemorySegment.ofArray(new byte[] {'y'});
            assertEquals(10, ByteSearch.indexOf(h, 0, content.length, x), "a match before the lost pages");
            assertFault(() -> ByteSearch.indexOf(h, 0, content.length, y));
            assertFault(() -> ByteSearch.lastIndexOf(h, 0, content.length, x));
            assertEquals(3 * page - 10, ByteSearch.lastIndexOf(h, 0, 3 * page, x), "a range the file still backs");
        }
    }

    private static void assertFault(final org.junit.jupiter.api.function.Executable search)
    {
        final InternalError e = assertThrows(InternalError.class, search);
        assertEquals(true, ByteSearch.isMemoryFault(e), e.getMessage());
    }

    @Test
    void shouldRejectRangesOutsideTheSegment()
    {
        final MemorySegment h = MemorySegment.ofArray(new byte[4]);
        final MemorySegment n = MemorySegment.ofArray(new byte[1]);
        assertThrows(IndexOutOfBoundsException.class, () -> ByteSearch.indexOf(h, -1, 2, n));
        assertThrows(IndexOutOfBoundsException.class, () -> ByteSearch.lastIndexOf(h, 0, 5, n));
        assertThrows(IndexOutOfBoundsException.class, () -> ByteSearch.indexOf(h, 5, (byte)0));
    }

    @Test
    void shouldSearchMemoryConfinedToTheCallerInTheCallerAlone()
    {
        final int threads = MapSearch.searchThreads();
        MapSearch.setSearchThreads(4);
        final long size = 4 * ParallelSearch.MIN_PART + 4096; // long enough to be split
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment h = arena.allocate(size);
            h.set(JAVA_BYTE, size - 1, (byte)'!');
            final MemorySegment nd = MemorySegment.ofArray("!".getBytes());
            assertEquals(size - 1, ByteSearch.indexOf(h, 0, size, nd)); // no WrongThreadException
            assertEquals(size - 1, ByteSearch.lastIndexOf(h, 0, size, nd));
        }
        finally
        {
            MapSearch.setSearchThreads(threads);
        }
    }
}
