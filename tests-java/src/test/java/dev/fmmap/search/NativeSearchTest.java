package dev.fmmap.search;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The search by address over glibc (the maps' search on JDK 11-21), checked against a plain scan. It
 * runs on every backend: on JDK 22+ only the maps' dispatch skips it.
 */
class NativeSearchTest
{
    /** Room for chunk boundaries (1 MiB) without a split across threads (8 MiB parts). */
    private static final int SIZE = 3 * (int)Walk.CHUNK + 777;

    private static NativeBuffer nativeCopy(final byte[] hay)
    {
        final NativeBuffer h = NativeBuffer.allocate(hay.length);
        NativeMemory.copyFromArray(hay, 0, h.address(), hay.length);
        return h;
    }

    private static void assertAgrees(final byte[] hay, final NativeBuffer h, final long from, final long to,
        final byte[] needle, final String what)
    {
        for (final boolean backward : new boolean[] {false, true})
        {
            assertEquals(NaiveSearch.search(hay, from, to, needle, backward),
                NativeSearch.search(h.address(), from, to, needle, PageGuard.NONE, true, backward),
                (backward ? "rfind " : "find ") + what + " n=" + needle.length + " [" + from + ", " + to + ")");
        }
        Reference.reachabilityFence(h);
    }

    @Test
    void shouldAgreeWithAPlainScanOnFewLetterDataAroundChunkBoundaries()
    {
        final SplittableRandom random = new SplittableRandom(31);
        final byte[] hay = new byte[SIZE];
        for (int i = 0; i < hay.length; i++)
        {
            hay[i] = (byte)('a' + random.nextInt(3)); // every rare byte is common: the memmem fallback
        }
        final NativeBuffer h = nativeCopy(hay);
        for (int trial = 0; trial < 200; trial++)
        {
            final int n = random.nextInt(trial % 4 == 0 ? 40 : 12);
            final int boundary = (1 + random.nextInt(2)) * (int)Walk.CHUNK;
            final int at = trial % 2 == 0 ? Math.max(0, Math.min(boundary - n + random.nextInt(2 * n + 2), SIZE - n))
                : random.nextInt(SIZE - n);
            final byte[] needle = Arrays.copyOfRange(hay, at, at + n);
            final long from = random.nextInt(at + 1);
            final long to = Math.min(SIZE, at + n + random.nextInt(SIZE));
            assertAgrees(hay, h, from, to, needle, "trial " + trial);
        }
    }

    @Test
    void shouldFindRareNeedlesAnywhereAndMissAbsentOnes()
    {
        final byte[] hay = new byte[SIZE];
        Arrays.fill(hay, (byte)'.');
        final byte[] needle = "needle\0with-bytes\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        final NativeBuffer h = nativeCopy(hay);
        assertAgrees(hay, h, 0, SIZE, needle, "absent");
        assertAgrees(hay, h, 0, SIZE, new byte[0], "empty");
        for (final int at : new int[] {0, 1, (int)Walk.FIRST_CHUNK - 3, (int)Walk.CHUNK - 5, 2 * (int)Walk.CHUNK,
            SIZE - needle.length})
        {
            System.arraycopy(needle, 0, hay, at, needle.length);
            NativeMemory.copyFromArray(needle, 0, h.address() + at, needle.length);
            assertAgrees(hay, h, 0, SIZE, needle, "at " + at);
            assertAgrees(hay, h, 0, SIZE, new byte[] {needle[needle.length - 1]}, "one byte, at " + at);
            assertAgrees(hay, h, at + 1, SIZE, needle, "after " + at);
            assertAgrees(hay, h, 0, at + needle.length - 1, needle, "cut short, at " + at);
        }
    }
}
