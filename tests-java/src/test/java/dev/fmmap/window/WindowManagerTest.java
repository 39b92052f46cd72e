package dev.fmmap.window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.fmmap.window.WindowFixtures.PAGE;
import static dev.fmmap.window.WindowFixtures.mappings;
import static dev.fmmap.window.WindowFixtures.openFds;
import static dev.fmmap.window.WindowFixtures.random;
import static dev.fmmap.window.WindowFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowManagerTest
{
    /** smmap's TestBase.k_window_test_size: not a multiple of the page size. */
    private static final int SMMAP_TEST_SIZE = 1000 * 1000 * 8 + 5195;

    @TempDir
    Path dir;

    private static long alignUp(final long n)
    {
        return (n + PAGE - 1) / PAGE * PAGE;
    }

    private static void assertData(final byte[] data, final WindowCursor c)
    {
        final byte[] got = new byte[(int)c.size()];
        final Window w = c.window();
        w.map().get(c.begin() - w.offset(), got, 0, got.length);
        assertArrayEquals(Arrays.copyOfRange(data, (int)c.begin(), (int)c.end()), got);
    }

    /** The soft RLIMIT_NOFILE, from /proc/self/limits (this machine's is finite and above 64). */
    private static long openFilesLimit()
    {
        try
        {
            final String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
            return Long.parseLong(line.split("\\s+")[3]);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldBuildWithDefaultsAndRejectBadLimits()
    {
        try (WindowManager m = WindowManager.builder().build())
        {
            assertEquals(WindowManager.Strategy.SLIDING, m.strategy());
            assertEquals(1L << 30, m.windowSize());
            assertEquals(8L << 30, m.maxMappedBytes());
            assertEquals(openFilesLimit() / 4, m.maxWindows(), "a quarter of RLIMIT_NOFILE: never EMFILE");
            assertEquals(WindowManagerBuilder.defaultMaxWindows(), m.maxWindows());
            assertEquals(WindowManager.Overcommit.NEVER, m.overcommit());
            final WindowStats s = m.stats();
            assertEquals(0, s.windows());
            assertEquals(0, s.mappedBytes());
            assertEquals(0, s.openFiles());
        }
        try (WindowManager m = WindowManager.builder().strategy(WindowManager.Strategy.STATIC).build())
        {
            assertEquals(0, m.windowSize());
        }
        try (WindowManager m = WindowManager.builder().windowSize(PAGE + 1).build())
        {
            assertEquals(2L * PAGE, m.windowSize());
        }
        assertThrows(IllegalArgumentException.class, () -> WindowManager.builder().windowSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> WindowManager.builder().maxMappedBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> WindowManager.builder().maxWindows(0).build());
    }

    @Test
    void shouldPlaceSlidingWindowsAsSmmapDoes() throws IOException
    {
        // smmap's test_memman_operation with SlidingWindowMapManager(size // 100, size // 3, 15).
        final byte[] data = random(SMMAP_TEST_SIZE, 1);
        final Path file = write(dir, "sliding.bin", data);
        final long fsize = data.length;
        try (WindowManager m = WindowManager.builder().windowSize(fsize / 100).maxMappedBytes(fsize / 3)
            .maxWindows(15).build(); WindowCursor c = m.cursor(file))
        {
            final long ws = m.windowSize();
            assertEquals(alignUp(fsize / 100), ws);
            assertTrue(c.isAssociated());
            assertFalse(c.isValid());
            assertEquals(0, m.stats().openFiles());

            assertTrue(c.use(5000, ws / 2).isValid());
            final Window rr = c.window();
            assertEquals(1, rr.pins());
            assertEquals(1, m.stats().openFiles());
            assertEquals(1, m.stats().windows());
            assertEquals(rr.size(), m.stats().mappedBytes());
            assertEquals(5000, c.begin());
            assertEquals(ws / 2, c.size());
            assertEquals(0, rr.offset());
            assertEquals(alignUp(ws), rr.size());
            assertData(data, c);

            // a range inside the first window reuses it
            c.use(0, ws - 10);
            assertSame(rr, c.window());
            assertEquals(1, m.stats().windows());
            assertEquals(ws - 10, c.size());
            assertEquals(0, c.begin());
            assertData(data, c);

            // near the end: a second window, which extends to the left
            final long near = fsize - ws + 4000;
            c.use(near, ws);
            assertEquals(2, m.stats().windows());
            assertTrue(c.size() < ws);
            assertNotSame(rr, c.window());
            assertEquals(0, rr.pins());
            assertEquals(1, c.window().pins());
            assertTrue(c.window().offset() < c.begin());
            assertEquals(fsize, c.window().end());
            assertEquals(fsize, c.end());
            assertData(data, c);

            c.unuse();
            assertFalse(c.isValid());
            assertEquals(2, m.stats().windows()); // cached

            final SplittableRandom r = new SplittableRandom(2);
            for (int i = 0; i < 5000; i++)
            {
                final long ofs = r.nextLong(fsize);
                c.use(ofs, ws);
                final WindowStats s = m.stats();
                assertTrue(s.mappedBytes() <= m.maxMappedBytes(), s::toString);
                assertTrue(s.windows() <= m.maxWindows(), s::toString);
                assertTrue(c.isValid());
                assertTrue(c.includes(ofs));
                assertTrue(c.includes(ofs + c.size() - 1));
                assertFalse(c.includes(ofs + c.size()));
                if (0 == i % 50)
                {
                    assertData(data, c);
                }
            }
            WindowInvariants.check(m);
            assertFalse(c.use(fsize, ws).isValid());
            assertTrue(0 < m.stats().windows());
            assertTrue(0 < m.collect());
            assertEquals(0, m.stats().windows());
            assertTrue(0 < m.stats().hits());
            assertTrue(0 < m.stats().evictions());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldGiveTheWholeRequestedRangeWhenItFitsInAWindow() throws IOException
    {
        // smmap's new window ends right after the requested range; trimming the aligned window to the
        // window size must not cut that range. (A window already mapped over the offset is used as it
        // is, and may end inside the range, as in smmap.)
        final long ws = 8L * PAGE;
        final byte[] data = random((int)(64 * ws), 9);
        final Path file = write(dir, "fits.bin", data);
        final SplittableRandom r = new SplittableRandom(10);
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(4 * ws).build();
            WindowCursor c = m.cursor(file))
        {
            long shortBuffers = 0;
            for (int i = 0; i < 20000; i++)
            {
                final long ofs = r.nextLong(data.length);
                final long size = 1 + r.nextLong(ws - PAGE);
                final long maps = m.stats().maps();
                c.use(ofs, size);
                final long expected = Math.min(size, data.length - ofs);
                if (c.size() < expected && m.stats().maps() > maps)
                {
                    // only a neighbour window starting inside the range may cut it, as in smmap
                    final Window next = c.file().windows().stream()
                        .filter(w -> w.offset() == c.end()).findFirst().orElse(null);
                    assertNotNull(next, () -> "short without a right neighbour: " + c + " asked " + ofs + "+" + size);
                    shortBuffers++;
                }
                assertTrue(c.includes(ofs));
                assertTrue(c.window().size() <= ws);
            }
            assertTrue(shortBuffers < 20000 / 10, "new windows cut by a neighbour: " + shortBuffers);
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldMapTheWholeFileWithTheStaticStrategy() throws IOException
    {
        final byte[] data = random(SMMAP_TEST_SIZE, 3);
        final Path file = write(dir, "static.bin", data);
        final long fsize = data.length;
        // smmap's StaticWindowMapManager(0, size // 3, 15): the soft limit lets the whole file in.
        try (WindowManager m = WindowManager.builder().strategy(WindowManager.Strategy.STATIC)
            .maxMappedBytes(fsize / 3).maxWindows(15).overcommit(WindowManager.Overcommit.WHEN_ALL_PINNED).build();
            WindowCursor c = m.cursor(file))
        {
            assertTrue(c.use(5000, 0).isValid());
            assertEquals(0, c.window().offset());
            assertEquals(fsize, c.window().size());
            assertEquals(fsize - 5000, c.size());
            assertEquals(1, m.stats().overcommits());
            assertData(data, c);
            final Window whole = c.window();
            c.use(0, fsize - 10);
            assertSame(whole, c.window());
            c.use(fsize - 4000, 0);
            assertSame(whole, c.window());
            assertEquals(4000, c.size());
            c.unuse();
            assertEquals(1, m.stats().windows());
            assertFalse(c.use(fsize, 0).isValid());
            assertEquals(1, m.collect());
            assertEquals(0, m.stats().windows());
        }
        // with a hard limit the same request is refused, without evicting what cannot make room anyway
        final Path small = write(dir, "small.bin", random(PAGE, 33));
        try (WindowManager m = WindowManager.builder().strategy(WindowManager.Strategy.STATIC)
            .maxMappedBytes(fsize / 3).build(); WindowCursor c = m.cursor(file))
        {
            final Window cached;
            try (WindowCursor s = m.cursor(small))
            {
                cached = s.use(0, 0).window();
            }
            final WindowLimitException e = assertThrows(WindowLimitException.class, () -> c.use(5000, 0));
            assertFalse(e.isWindowLimit());
            assertEquals(fsize, e.requested());
            assertEquals(1, m.stats().limitFailures());
            assertFalse(c.isValid());
            assertTrue(cached.isMapped());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldReuseMappedWindowsAcrossCursors() throws IOException
    {
        final byte[] data = random(64 * PAGE, 4);
        final Path file = write(dir, "reuse.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(8L * PAGE).build();
            WindowCursor a = m.cursor(file); WindowCursor b = m.cursor(file))
        {
            a.use(3L * PAGE, 0);
            b.use(5L * PAGE, 0);
            assertSame(a.window(), b.window());
            assertSame(a.file(), b.file());
            assertEquals(2, a.window().pins());
            assertEquals(1, m.stats().maps());
            assertEquals(1, m.stats().hits());
            assertEquals(2, m.stats().cursors());
            assertEquals(1, m.stats().pinnedWindows());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldCollectJustEnoughForTheNextMapLeastRecentlyUsedFirst() throws IOException
    {
        final long ws = 4L * PAGE;
        final Path file = write(dir, "collect.bin", random(64 * PAGE, 6));
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(4 * ws).build();
            WindowCursor c = m.cursor(file))
        {
            final Window a = c.use(0, 0).window();
            final Window b = c.use(2 * ws, 0).window();
            final Window d = c.use(4 * ws, 0).window();
            final Window e = c.use(6 * ws, 0).window(); // pinned; LRU order of the unused: a, b, d
            assertEquals(4 * ws, m.stats().mappedBytes());
            assertEquals(1, m.collect(ws / 2), "half a window more needs one window freed");
            assertFalse(a.isMapped());
            assertTrue(b.isMapped() && d.isMapped() && e.isMapped());
            assertEquals(0, m.collect(ws), "a window more fits now");
            c.use(2 * ws, 0); // b used again: the LRU order of the unused becomes d, b
            c.use(6 * ws, 0);
            assertEquals(1, m.collect(2 * ws));
            assertFalse(d.isMapped(), "d was the least recently used");
            assertTrue(b.isMapped());
            assertEquals(1, m.collect(Long.MAX_VALUE), "no overflow: nothing that large fits, so all go");
            assertFalse(b.isMapped());
            assertEquals(0, m.collect(0), "only the pinned window is left");
            assertTrue(e.isMapped());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedWindowFirst() throws IOException
    {
        final long ws = 4L * PAGE;
        final byte[] data = random(64 * PAGE, 5);
        final Path file = write(dir, "lru.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(3 * ws).build();
            WindowCursor c = m.cursor(file))
        {
            final Window a = c.use(0, 0).window();
            final Window b = c.use(2 * ws, 0).window();
            final Window d = c.use(4 * ws, 0).window();
            assertEquals(List.of(0L, 2 * ws, 4 * ws), List.of(a.offset(), b.offset(), d.offset()));
            c.use(0, 0); // a is used again: the LRU order becomes b, d, a
            assertSame(a, c.window());
            c.unuse();
            final Window e = c.use(6 * ws, 0).window();
            assertFalse(b.isMapped(), "b was the least recently used");
            assertTrue(a.isMapped());
            assertTrue(d.isMapped());
            c.use(8 * ws, 0);
            assertFalse(d.isMapped());
            assertTrue(a.isMapped());
            assertTrue(e.isMapped());
            c.use(10 * ws, 0);
            assertFalse(a.isMapped());
            assertEquals(3, m.stats().evictions());
            assertEquals(3 * ws, m.stats().mappedBytes());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldNeverEvictPinnedWindows() throws IOException
    {
        final long ws = 4L * PAGE;
        final Path file = write(dir, "pinned.bin", random(64 * PAGE, 6));
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(2 * ws).build();
            WindowCursor a = m.cursor(file); WindowCursor b = m.cursor(file); WindowCursor c = m.cursor(file))
        {
            a.use(0, 0);
            b.use(4 * ws, 0);
            final WindowLimitException e = assertThrows(WindowLimitException.class, () -> c.use(8 * ws, 0));
            assertFalse(e.isWindowLimit());
            assertEquals(2, e.pinnedWindows());
            assertEquals(2 * ws, e.mappedBytes());
            assertTrue(a.isValid() && b.isValid());
            assertEquals(2, m.stats().pinnedWindows());
            b.unuse();
            c.use(8 * ws, 0); // now b's window can go
            assertTrue(a.isValid());
            assertEquals(2, m.stats().windows());
            WindowInvariants.check(m);
        }
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(2 * ws).maxWindows(3)
            .overcommit(WindowManager.Overcommit.WHEN_ALL_PINNED).build();
            WindowCursor a = m.cursor(file); WindowCursor b = m.cursor(file); WindowCursor c = m.cursor(file);
            WindowCursor d = m.cursor(file))
        {
            a.use(0, 0);
            b.use(4 * ws, 0);
            c.use(8 * ws, 0); // every window pinned: the byte limit gives way
            assertEquals(3 * ws, m.stats().mappedBytes());
            assertEquals(1, m.stats().overcommits());
            final WindowLimitException e = assertThrows(WindowLimitException.class, () -> d.use(12 * ws, 0));
            assertTrue(e.isWindowLimit(), "the window limit is always hard");
            assertEquals(3, m.stats().windows());
            c.unuse();
            d.use(12 * ws, 0); // c's window is unused now: it makes room for the window count
            assertEquals(3, m.stats().windows());
            assertEquals(3 * ws, m.stats().mappedBytes());
            assertEquals(2, m.stats().overcommits());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldKeepWindowsWithViewsMapped() throws IOException
    {
        final long ws = 4L * PAGE;
        final Path file = write(dir, "views.bin", random(64 * PAGE, 7));
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(2 * ws).build();
            WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(0, 0).window();
            w.retainView();
            c.unuse();
            assertEquals(0, w.pins());
            assertEquals(1, w.views());
            assertEquals(1, m.stats().viewHeldWindows());
            assertEquals(0, m.collect());
            assertTrue(w.isMapped());
            c.use(4 * ws, 0);
            try (WindowCursor d = c.copy())
            {
                assertThrows(WindowLimitException.class, () -> d.use(8 * ws, 0));
            }
            w.releaseView();
            assertEquals(1, m.collect()); // c's window is still pinned
            assertFalse(w.isMapped());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldKeepWindowsOfReachableBuffersMappedAndReleaseCollectedOnes() throws IOException, InterruptedException
    {
        final long ws = 4L * PAGE;
        final byte[] data = random(64 * PAGE, 17);
        final Path file = write(dir, "buffers.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(2 * ws).maxWindows(2).build();
            WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(ws, 0).window();
            java.nio.ByteBuffer b = w.viewBuffer(PAGE, (int) (2 * PAGE));
            assertTrue(b.isReadOnly());
            assertEquals(2 * PAGE, b.remaining());
            assertThrows(IndexOutOfBoundsException.class, () -> w.viewBuffer(ws - 1, 2));
            c.unuse();
            assertEquals(1, w.views());
            assertEquals(1, m.heldBuffers());
            assertEquals(0, m.collect());               // the buffer is reachable: its window stays
            c.use(8 * ws, 0);
            try (WindowCursor d = c.copy())
            {
                assertThrows(WindowLimitException.class, () -> d.use(12 * ws, 0));
            }
            final byte[] read = new byte[(int) (2 * PAGE)];
            b.get(read);
            assertArrayEquals(Arrays.copyOfRange(data, (int) (ws + PAGE), (int) (ws + 3 * PAGE)), read);
            final java.lang.ref.WeakReference<java.nio.ByteBuffer> gone = new java.lang.ref.WeakReference<>(b);
            b = null;
            for (int i = 0; i < 50 && null != gone.get(); i++)
            {
                System.gc();
                Thread.sleep(10);
            }
            assertEquals(1, m.heldBuffers());           // collected, not yet found
            try (WindowCursor d = c.copy())
            {
                d.use(12 * ws, 0);                      // the limit finds it: its window makes room
            }
            assertEquals(0, m.heldBuffers());
            assertEquals(0, w.views());
            assertFalse(w.isMapped());
            assertEquals(0, m.releaseCollectedBuffers());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldCountWhatCollectUnmaps() throws IOException
    {
        final long ws = 2L * PAGE;
        final Path a = write(dir, "a.bin", random(32 * PAGE, 8));
        final Path b = write(dir, "b.bin", random(32 * PAGE, 9));
        try (WindowManager m = WindowManager.builder().windowSize(ws).build();
            WindowCursor ca = m.cursor(a); WindowCursor cb = m.cursor(b))
        {
            for (int i = 0; i < 4; i++)
            {
                ca.use(i * 2 * ws, 0);
                cb.use(i * 2 * ws, 0);
            }
            assertEquals(8, m.stats().windows());
            assertEquals(2, m.stats().openFiles());
            assertEquals(6, m.collect()); // the two pinned windows stay
            assertEquals(2, m.stats().windows());
            ca.close();
            assertEquals(1, m.collect());
            assertEquals(1, m.stats().openFiles());
            assertEquals(0, m.collect());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldReleaseEveryWindowUnderAPrefixEvenIfPinned() throws IOException
    {
        final Path sub = Files.createDirectory(dir.resolve("sub"));
        final Path other = Files.createDirectory(dir.resolve("subother"));
        final byte[] data = random(16 * PAGE, 10);
        final Path a = write(sub, "a.bin", data);
        final Path b = write(sub, "b.bin", data);
        final Path c = write(other, "c.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build();
            WindowCursor ca = m.cursor(a); WindowCursor cb = m.cursor(b); WindowCursor cc = m.cursor(c))
        {
            ca.use(0, 0);
            ca.use(8L * PAGE, 0);
            cb.use(0, 0);
            cc.use(0, 0);
            assertEquals(4, m.stats().windows());
            assertEquals(2, openFds(a));
            assertEquals(3, m.release(sub)); // component-wise: "subother" is not under "sub"
            assertEquals(0, openFds(a));
            assertEquals(0, openFds(b));
            assertEquals(0, mappings(a)[0]);
            assertEquals(1, openFds(c));
            assertFalse(ca.isValid());
            assertTrue(cc.isValid());
            assertEquals(1, m.stats().windows());
            WindowInvariants.check(m);
            // the cursor maps a new window on its next use, and its old pin is dropped safely
            ca.use(100, 0);
            assertTrue(ca.isValid());
            assertEquals(data[100], ca.get(100));
            assertEquals(1, m.release(a));
            ca.close();
            cb.close();
            WindowInvariants.check(m);
            assertEquals(1, m.stats().openFiles());
        }
    }

    @Test
    void shouldReleaseEverythingOnClose() throws IOException
    {
        final byte[] data = random(16 * PAGE, 11);
        final Path file = write(dir, "close.bin", data);
        final WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build();
        final WindowCursor c = m.cursor(file);
        c.use(0, 0);
        final Window w = c.window();
        try (WindowCursor d = c.copy())
        {
            d.use(8L * PAGE, 0).unuse();
        }
        assertEquals(2, openFds(file));
        assertEquals(2, mappings(file)[0]);
        m.close();
        assertTrue(m.isClosed());
        assertFalse(w.isMapped());
        assertEquals(0, openFds(file));
        assertEquals(0, mappings(file)[0]);
        assertThrows(IllegalStateException.class, () -> w.map().get(0));
        assertThrows(IllegalStateException.class, () -> c.use(100, 0));
        assertThrows(IllegalStateException.class, () -> m.cursor(file));
        assertThrows(IllegalStateException.class, () -> m.file(file));
        assertThrows(IllegalStateException.class, m::collect);
        c.close();
        c.close();
        m.close();
        assertEquals(0, m.stats().windows());
        assertEquals(0, m.stats().mappedBytes());
    }

    @Test
    void shouldHoldTheLimitsUnderConcurrentUse() throws Exception
    {
        final long ws = 16L * PAGE;
        final long maxBytes = 4 * ws;
        final int maxWindows = 5;
        final byte[] data = random((int)(4 * maxBytes), 12);
        final Path file = write(dir, "stress.bin", data);
        final int fdsBefore = openFds(file);
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(maxBytes)
            .maxWindows(maxWindows).build())
        {
            final AtomicBoolean stop = new AtomicBoolean();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final AtomicLong refused = new AtomicLong();
            final AtomicLong steps = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++)
            {
                final long seed = 100 + t;
                final Thread worker = new Thread(() -> work(m, file, data, seed, stop, failures, refused, steps));
                worker.start();
                threads.add(worker);
            }
            // The kernel's view, sampled while the workers run: under the lock no window is half mapped,
            // so the descriptors and mappings of the file must match the counters exactly.
            long samples = 0;
            final long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline && failures.isEmpty())
            {
                final String bad = m.underLock(() ->
                {
                    final WindowStats s = m.stats();
                    final int fds = openFds(file) - fdsBefore;
                    final long[] maps = mappings(file);
                    if (s.windows() > maxWindows || s.mappedBytes() > maxBytes || fds > maxWindows
                        || maps[0] > maxWindows || maps[1] > maxBytes || fds != s.windows()
                        || maps[1] != s.mappedBytes() || maps[0] > s.windows())
                    {
                        return s + " fds=" + fds + " mapLines=" + maps[0] + " mapBytes=" + maps[1];
                    }
                    return null;
                });
                if (null != bad)
                {
                    failures.add(new AssertionError(bad));
                }
                samples++;
            }
            stop.set(true);
            for (final Thread t : threads)
            {
                t.join();
            }
            if (!failures.isEmpty())
            {
                final AssertionError e = new AssertionError("failures: " + failures.size());
                failures.forEach(e::addSuppressed);
                throw e;
            }
            WindowInvariants.check(m);
            final WindowStats s = m.stats();
            assertTrue(s.peakWindows() <= maxWindows, s::toString);
            assertTrue(s.peakMappedBytes() <= maxBytes, s::toString);
            assertEquals(0, s.cursors());
            assertTrue(10 < samples, "samples=" + samples);
            assertTrue(1000 < steps.get(), "steps=" + steps.get());
            assertTrue(0 < s.evictions(), s::toString);
            assertEquals(refused.get(), s.limitFailures());
            m.collect();
            assertEquals(0, m.stats().windows());
            assertEquals(fdsBefore, openFds(file));
            assertEquals(0, mappings(file)[0]);
        }
    }

    /** One worker of the stress test: random use/unuse/copy/close/collect/find/get/read. */
    private static void work(final WindowManager m, final Path file, final byte[] data, final long seed,
        final AtomicBoolean stop, final ConcurrentLinkedQueue<Throwable> failures, final AtomicLong refused,
        final AtomicLong steps)
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<WindowCursor> mine = new ArrayList<>();
        final long ws = m.windowSize();
        try
        {
            while (!stop.get())
            {
                try
                {
                    step(m, file, data, r, mine, ws);
                }
                catch (final WindowLimitException e)
                {
                    refused.incrementAndGet();
                    if (!mine.isEmpty())
                    {
                        mine.remove(r.nextInt(mine.size())).close(); // let others through
                    }
                }
                steps.incrementAndGet();
                WindowInvariants.check(m);
            }
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
        finally
        {
            mine.forEach(WindowCursor::close);
        }
    }

    private static void step(final WindowManager m, final Path file, final byte[] data, final SplittableRandom r,
        final List<WindowCursor> mine, final long ws)
    {
        final int op = r.nextInt(100);
        if (mine.isEmpty() || (op < 10 && mine.size() < 3))
        {
            mine.add(m.cursor(file));
        }
        else if (op < 60)
        {
            final WindowCursor c = mine.get(r.nextInt(mine.size()));
            final long ofs = r.nextLong(data.length);
            c.use(ofs, r.nextBoolean() ? 0 : 1 + r.nextLong(2 * ws));
            if (!c.isValid() || c.begin() != ofs || !c.window().includes(ofs))
            {
                throw new AssertionError("use(" + ofs + ") gave " + c);
            }
            final byte[] got = new byte[(int)Math.min(64, c.size())];
            c.read(ofs, got, 0, got.length);
            if (!Arrays.equals(got, Arrays.copyOfRange(data, (int)ofs, (int)ofs + got.length)))
            {
                throw new AssertionError("wrong bytes at " + ofs);
            }
        }
        else if (op < 70)
        {
            mine.get(r.nextInt(mine.size())).unuse();
        }
        else if (op < 78)
        {
            if (mine.size() < 3)
            {
                mine.add(mine.get(r.nextInt(mine.size())).copy());
            }
        }
        else if (op < 86)
        {
            mine.remove(r.nextInt(mine.size())).close();
        }
        else if (op < 90)
        {
            m.collect();
        }
        else if (op < 95)
        {
            final int at = r.nextInt(data.length - 16);
            final byte[] needle = Arrays.copyOfRange(data, at, at + 1 + r.nextInt(16));
            final long from = Math.max(0, at - r.nextInt((int)ws));
            final long to = Math.min(data.length, at + needle.length + r.nextInt((int)ws));
            final long found = m.file(file).find(needle, from, to);
            final long expected = WindowFixtures.model(data, needle, from, to, false);
            if (found != expected)
            {
                throw new AssertionError("find at " + at + ": " + found + " != " + expected);
            }
        }
        else
        {
            final WindowCursor c = mine.get(r.nextInt(mine.size()));
            final long ofs = r.nextLong(data.length);
            if (data[(int)ofs] != c.get(ofs))
            {
                throw new AssertionError("wrong byte at " + ofs);
            }
        }
    }

    @Test
    void shouldLeakNoDescriptorOrMappingOverManyCursors() throws IOException
    {
        final long ws = 8L * PAGE;
        final byte[] data = random(64 * PAGE, 13);
        final Path file = write(dir, "leak.bin", data);
        final int fdsBefore = openFds(file);
        final long mapsBefore = mappings(file)[0];
        try (WindowManager m = WindowManager.builder().windowSize(ws).maxMappedBytes(6 * ws).maxWindows(7).build())
        {
            final SplittableRandom r = new SplittableRandom(14);
            for (int i = 0; i < 100_000; i++)
            {
                try (WindowCursor c = m.cursor(file))
                {
                    final long ofs = r.nextLong(data.length);
                    c.use(ofs, 0);
                    if (0 == i % 97)
                    {
                        assertEquals(data[(int)ofs], c.get(ofs));
                        c.use(r.nextLong(data.length), 1);
                    }
                }
            }
            final WindowStats s = m.stats();
            assertEquals(0, s.cursors());
            assertEquals(0, s.pinnedWindows());
            assertTrue(s.windows() <= 7);
            assertEquals(s.windows(), openFds(file) - fdsBefore);
            m.collect();
            assertEquals(fdsBefore, openFds(file));
            assertEquals(mapsBefore, mappings(file)[0]);
            assertEquals(0, m.stats().openFiles());
            WindowInvariants.check(m);
        }
    }
}
