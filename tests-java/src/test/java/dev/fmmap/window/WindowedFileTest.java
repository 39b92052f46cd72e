package dev.fmmap.window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.fmmap.window.WindowFixtures.PAGE;
import static dev.fmmap.window.WindowFixtures.model;
import static dev.fmmap.window.WindowFixtures.random;
import static dev.fmmap.window.WindowFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowedFileTest
{
    private static final long WS = 2L * PAGE;
    /** Sixteen windows and a partial one, so that the file does not end on a page. */
    private static final int SIZE = (int)(16 * WS + 1000);

    @TempDir
    Path dir;

    @Test
    void shouldCacheTheSizeAndListWindowsInOrder() throws IOException
    {
        final Path file = write(dir, "size.bin", random(SIZE, 1));
        try (WindowManager m = WindowManager.builder().windowSize(WS).build(); WindowCursor c = m.cursor(file))
        {
            final WindowedFile f = c.file();
            assertEquals(file, f.key());
            assertEquals(SIZE, f.size());
            Files.write(file, new byte[PAGE], StandardOpenOption.APPEND);
            assertEquals(SIZE, f.size(), "cached at first use, as smmap's file_size()");
            c.use(10 * WS, 0);
            c.use(2 * WS, 0);
            c.use(6 * WS, 0);
            final List<Window> ws = f.windows();
            assertEquals(3, f.windowCount());
            assertEquals(List.of(2 * WS, 6 * WS, 10 * WS), ws.stream().map(Window::offset).collect(Collectors.toList()));
            c.use(14 * WS, 0);
            assertEquals(3, ws.size(), "a snapshot");
            assertEquals(4, f.windowCount());
            assertSame(f, m.file(file), "the table's object");
        }
    }

    @Test
    void shouldWorkThroughAFileObjectThatIsNotInTheTable() throws IOException
    {
        final byte[] data = random(SIZE, 2);
        final Path file = write(dir, "detached.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(WS).build())
        {
            final WindowedFile f = m.file(file);
            assertEquals(0, f.windowCount());
            final byte[] needle = java.util.Arrays.copyOfRange(data, 5000, 5010);
            assertEquals(model(data, needle, 0, SIZE, false), f.find(needle, 0, SIZE));
            assertTrue(0 < f.windowCount(), "the windows of the search stay cached in the table's object");
            assertEquals(0, m.stats().cursors());
            assertEquals(f.windowCount(), m.collect());
            assertEquals(0, m.stats().openFiles());
            final WindowedFile g = m.file(file);
            assertEquals(0, g.windowCount());
            assertEquals(SIZE, g.size());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldFollowBytesFindForEmptyNeedlesAndBounds() throws IOException
    {
        final byte[] data = random(SIZE, 3);
        final Path file = write(dir, "bounds.bin", data);
        final byte[] two = {data[100], data[101]};
        final long[] bounds = {Long.MIN_VALUE, -SIZE - 5, -SIZE, -100, -1, 0, 1, 100, WS - 1, WS, SIZE - 1, SIZE,
            SIZE + 1, Long.MAX_VALUE};
        try (WindowManager m = WindowManager.builder().windowSize(WS).maxMappedBytes(2 * WS).build())
        {
            final WindowedFile f = m.file(file);
            for (final byte[] needle : List.of(new byte[0], two))
            {
                for (final long from : bounds)
                {
                    for (final long to : bounds)
                    {
                        assertEquals(model(data, needle, from, to, false), f.find(needle, from, to),
                            () -> "find len=" + needle.length + " from=" + from + " to=" + to);
                        assertEquals(model(data, needle, from, to, true), f.rfind(needle, from, to),
                            () -> "rfind len=" + needle.length + " from=" + from + " to=" + to);
                    }
                }
            }
            // CPython's answers, checked there: b'abc'.find(b'', 5) == -1, .find(b'', 3) == 3, .rfind(b'', 1, 2) == 2
            assertEquals(-1, f.find(new byte[0], SIZE + 2, SIZE + 9));
            assertEquals(SIZE, f.find(new byte[0], SIZE, SIZE + 9));
            assertEquals(2, f.rfind(new byte[0], 1, 2));
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldFindNeedlesAcrossEveryWindowBoundary() throws IOException
    {
        final Random r = new Random(4);
        for (final int n : new int[] {1, 2, (int)WS, (int)WS + 1, 3 * (int)WS})
        {
            final byte[] data = random(SIZE, 10 + n);
            final byte[] needle = random(n, 20 + n);
            // Plant copies straddling the boundaries of ws-aligned windows (where forward scans place them),
            // at varying depths; long needles at every third boundary, so that the copies stay whole.
            final List<Long> planted = new ArrayList<>();
            final int step = n > WS ? 4 : 1;
            for (int k = 1; k * WS < SIZE; k += step)
            {
                final long at = k * WS - 1 - r.nextInt(Math.max(1, n - 1));
                if (at >= 0 && at + n <= SIZE)
                {
                    System.arraycopy(needle, 0, data, (int)at, n);
                    planted.add(at);
                }
            }
            final Path file = write(dir, "boundary" + n + ".bin", data);
            final List<long[]> ranges = new ArrayList<>();
            ranges.add(new long[] {0, SIZE});
            for (final long p : planted)
            {
                ranges.add(new long[] {p, SIZE});
                ranges.add(new long[] {p + 1, SIZE});
                ranges.add(new long[] {0, p + n});
                ranges.add(new long[] {0, p + n - 1}); // `to` cuts the straddling match
                ranges.add(new long[] {p, p + n});
                ranges.add(new long[] {p, p + n - 1});
                ranges.add(new long[] {Math.max(0, p - WS), p + n + WS});
            }
            for (int i = 0; i < 20; i++)
            {
                final long a = r.nextInt(SIZE + 1);
                final long b = r.nextInt(SIZE + 1);
                ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
            }
            // two windows at most; then a cursor pins one, so that searches have a single window left
            try (WindowManager m = WindowManager.builder().windowSize(WS).maxMappedBytes(2 * WS).build();
                WindowCursor pin = m.cursor(file))
            {
                final WindowedFile f = m.file(file);
                for (final long[] q : ranges)
                {
                    assertEquals(model(data, needle, q[0], q[1], false), f.find(needle, q[0], q[1]),
                        () -> "find n=" + n + " [" + q[0] + ", " + q[1] + ")");
                    assertEquals(model(data, needle, q[0], q[1], true), f.rfind(needle, q[0], q[1]),
                        () -> "rfind n=" + n + " [" + q[0] + ", " + q[1] + ")");
                }
                pin.use(7 * WS + 3, 0);
                for (final long[] q : ranges.subList(0, Math.min(ranges.size(), 12)))
                {
                    assertEquals(model(data, needle, q[0], q[1], false), f.find(needle, q[0], q[1]));
                    assertEquals(model(data, needle, q[0], q[1], true), f.rfind(needle, q[0], q[1]));
                }
                final WindowStats s = m.stats();
                assertTrue(s.peakMappedBytes() <= 2 * WS, s::toString);
                assertTrue(1 < planted.size());
                if (n > 1)
                {
                    assertNotEquals(-1, f.find(needle, 0, SIZE));
                }
                WindowInvariants.check(m);
            }
        }
    }

    @Test
    void shouldSearchWholeFilesWithTheStaticStrategy() throws IOException
    {
        final byte[] data = random(SIZE, 5);
        final byte[] needle = java.util.Arrays.copyOfRange(data, SIZE - 300, SIZE - 290);
        final Path file = write(dir, "static.bin", data);
        try (WindowManager m = WindowManager.builder().strategy(WindowManager.Strategy.STATIC).build())
        {
            final WindowedFile f = m.file(file);
            assertEquals(model(data, needle, 0, SIZE, false), f.find(needle, 0, SIZE));
            assertEquals(model(data, needle, 0, SIZE, true), f.rfind(needle, 0, SIZE));
            assertEquals(-1, f.find(needle, 0, SIZE - 291));
            assertEquals(1, f.windowCount());
        }
    }

    @Test
    void shouldRefuseASearchWhenNoWindowCanBeMapped() throws IOException
    {
        final Path file = write(dir, "refused.bin", random(SIZE, 6));
        try (WindowManager m = WindowManager.builder().windowSize(WS).maxMappedBytes(WS).build();
            WindowCursor pin = m.cursor(file))
        {
            pin.use(0, 0);
            assertThrows(WindowLimitException.class, () -> m.file(file).find(new byte[] {1, 2}, WS, SIZE));
            assertEquals(1, m.stats().cursors(), "the search's own cursor was closed");
            WindowInvariants.check(m);
        }
    }
}
