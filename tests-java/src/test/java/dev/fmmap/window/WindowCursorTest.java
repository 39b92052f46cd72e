package dev.fmmap.window;

import dev.fmmap.ErrnoException;
import dev.fmmap.OpenFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.fmmap.window.WindowFixtures.PAGE;
import static dev.fmmap.window.WindowFixtures.openFds;
import static dev.fmmap.window.WindowFixtures.random;
import static dev.fmmap.window.WindowFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowCursorTest
{
    private static final long WS = 4L * PAGE;

    @TempDir
    Path dir;

    private static WindowManager manager()
    {
        return WindowManager.builder().windowSize(WS).maxMappedBytes(4 * WS).build();
    }

    @Test
    void shouldStartAssociatedAndInvalid() throws IOException
    {
        final Path file = write(dir, "new.bin", random(10 * PAGE + 7, 1));
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            assertTrue(c.isAssociated());
            assertFalse(c.isValid());
            assertEquals(0, c.size());
            assertNull(c.window());
            assertEquals(file, c.file().key());
            assertEquals(10 * PAGE + 7, c.fileSize());
            assertThrows(IllegalStateException.class, c::begin);
            assertThrows(IllegalStateException.class, c::end);
            c.unuse();
            c.unuse();
            assertEquals(0, m.stats().windows(), "a cursor maps nothing until used");
        }
    }

    @Test
    void shouldReturnTheAttachmentOfTheWindowInUse() throws IOException
    {
        final Path file = write(dir, "attached.bin", random(10 * PAGE + 7, 5));
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            final Object first = c.useAttached(10, 10);
            assertSame(c.window(), first, "a window with no attachment is returned itself");
            assertEquals(10, c.begin());
            c.window().attach("region A");
            assertEquals("region A", c.useAttached(20, 10), "the same window: its attachment");
            assertEquals(20, c.begin());
            final Object second = c.useAttached(WS + 1, 10);
            assertSame(c.window(), second, "another window, not yet attached");
            assertEquals(WS + 1, c.begin());
            assertNull(c.useAttached(10 * PAGE + 7, 1), "at the end of the file: nothing");
            assertFalse(c.isValid());
            assertEquals("region A", c.useAttached(0, 1), "the first window is still mapped");
        }
    }

    @Test
    void shouldUseRegionsWithSmmapsSemantics() throws IOException
    {
        final byte[] data = random(10 * PAGE + 7, 2);
        final long fsize = data.length;
        final Path file = write(dir, "use.bin", data);
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            assertSame(c, c.use(10, 10));
            assertTrue(c.isValid());
            assertEquals(10, c.begin());
            assertEquals(10, c.size());
            assertEquals(20, c.end());
            // size 0: as much as possible, clamped to the window size and then to the window's end
            c.use(100, 0);
            assertEquals(WS - 100, c.size());
            assertEquals(WS, c.end());
            c.use(WS - 1, 0); // the window includes the offset: kept, however little is left
            assertEquals(1, c.size());
            assertEquals(1, m.stats().windows());
            // the last byte, and past it
            c.use(fsize - 1, 0);
            assertEquals(1, c.size());
            assertEquals(fsize, c.window().end());
            assertFalse(c.use(fsize, 0).isValid());
            assertFalse(c.use(fsize + PAGE, 10).isValid());
            assertTrue(c.isAssociated());
            assertThrows(IllegalArgumentException.class, () -> c.use(-1, 0));
            assertThrows(IllegalArgumentException.class, () -> c.use(0, -1));
            // size() is kept after unuse, as smmap's
            c.use(5, 7);
            c.unuse();
            assertFalse(c.isValid());
            assertEquals(7, c.size());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldStayInvalidOnAnEmptyFile() throws IOException
    {
        final Path file = write(dir, "empty.bin", new byte[0]);
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            assertFalse(c.use(0, 0).isValid());
            assertEquals(0, c.fileSize());
            assertThrows(IndexOutOfBoundsException.class, () -> c.get(0));
            assertEquals(0, m.stats().windows());
        }
    }

    @Test
    void shouldCopyByPinningTheSameWindow() throws IOException
    {
        final byte[] data = random(16 * PAGE, 3);
        final Path file = write(dir, "copy.bin", data);
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            c.use(300, 50);
            try (WindowCursor d = c.copy())
            {
                assertSame(c.window(), d.window());
                assertSame(c.file(), d.file());
                assertEquals(2, c.window().pins());
                assertEquals(300, d.begin());
                assertEquals(50, d.size());
                d.use(3 * WS + 1, 0); // d moves; c keeps its window
                assertEquals(1, c.window().pins());
                assertEquals(data[(int)(3 * WS + 1)], d.get(3 * WS + 1));
            }
            assertEquals(1, c.window().pins());
            c.unuse();
            try (WindowCursor d = c.copy())
            {
                assertTrue(d.isAssociated());
                assertFalse(d.isValid());
                assertEquals(50, d.size());
            }
            c.close();
            final WindowCursor dead = c.copy();
            assertFalse(dead.isAssociated());
            dead.close();
            assertEquals(0, m.stats().cursors());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldCloseIdempotentlyAndDropTheFile() throws IOException
    {
        final Path file = write(dir, "close.bin", random(16 * PAGE, 4));
        try (WindowManager m = manager())
        {
            final WindowCursor c = m.cursor(file);
            c.use(0, 0);
            c.close();
            assertFalse(c.isAssociated());
            assertFalse(c.isValid());
            assertNull(c.file());
            c.close();
            assertThrows(IllegalStateException.class, () -> c.use(0, 0));
            assertThrows(IllegalStateException.class, c::fileSize);
            assertEquals(0, m.stats().cursors());
            assertEquals(1, m.stats().openFiles(), "the window stays cached");
            assertEquals(1, m.collect());
            assertEquals(0, m.stats().openFiles());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldGetAndReadAcrossWindows() throws IOException
    {
        final byte[] data = random(37 * PAGE + 123, 5);
        final Path file = write(dir, "read.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(WS).maxMappedBytes(WS).build();
            WindowCursor c = m.cursor(file))
        {
            final SplittableRandom r = new SplittableRandom(6);
            for (int i = 0; i < 2000; i++)
            {
                final long ofs = r.nextLong(data.length);
                assertEquals(data[(int)ofs], c.get(ofs));
            }
            final byte[] all = new byte[data.length];
            c.read(0, all, 0, all.length); // slides through every window, one at a time
            assertArrayEquals(data, all);
            for (int i = 0; i < 200; i++)
            {
                final int from = r.nextInt(data.length);
                final int len = r.nextInt(Math.min(data.length - from, (int)(3 * WS)) + 1);
                final byte[] got = new byte[len + 4];
                c.read(from, got, 2, len);
                assertArrayEquals(Arrays.copyOfRange(data, from, from + len), Arrays.copyOfRange(got, 2, 2 + len));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> c.get(data.length));
            assertThrows(IndexOutOfBoundsException.class, () -> c.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> c.read(data.length - 1, new byte[2], 0, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> c.read(0, new byte[2], 1, 2));
            assertTrue(m.stats().peakMappedBytes() <= WS);
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldMapFromACallersDescriptorWithoutTakingIt() throws IOException
    {
        final byte[] data = random(16 * PAGE, 7);
        final Path file = write(dir, "fd.bin", data);
        try (WindowManager m = manager())
        {
            final WindowCursor c;
            final int fd;
            try (OpenFile callers = OpenFile.open(file, false, 0))
            {
                fd = callers.fd();
                c = m.cursor(fd);
                assertEquals(fd, c.file().key());
                c.use(WS + 5, 0);
                assertEquals(2, openFds(file), "the caller's descriptor and the window's own");
            }
            // the caller closed its descriptor: the window keeps working on its duplicate
            assertEquals(1, openFds(file));
            assertEquals(data[(int)WS + 5], c.get(WS + 5));
            c.close();
            m.collect();
            assertEquals(0, openFds(file));
        }
    }

    @Test
    void shouldWriteThroughReadWriteWindowsAcrossBoundaries() throws IOException
    {
        final byte[] data = random(16 * PAGE, 9);
        final Path file = write(dir, "rw.bin", data);
        final byte[] patch = random(3 * (int)WS, 10); // spans four windows
        final long at = WS - 100;
        try (WindowManager m = WindowManager.builder().windowSize(WS).maxMappedBytes(2 * WS).writable(true).build();
            WindowCursor c = m.cursor(file))
        {
            assertTrue(m.isWritable());
            c.write(at, patch, 0, patch.length);
            c.put(0, (byte)0x5a);
            c.window().flush();
            final byte[] back = new byte[patch.length];
            c.read(at, back, 0, back.length);
            assertArrayEquals(patch, back);
            assertTrue(m.stats().evictions() > 0, "windows written and then evicted keep their writes");
        }
        final byte[] expected = data.clone();
        System.arraycopy(patch, 0, expected, (int)at, patch.length);
        expected[0] = 0x5a;
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void shouldRefuseWritesToReadOnlyWindows() throws IOException
    {
        final byte[] data = random(4 * PAGE, 11);
        final Path file = write(dir, "ro.bin", data);
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file))
        {
            assertFalse(m.isWritable());
            assertEquals("mmap can't modify a readonly memory map.",
                assertThrows(UnsupportedOperationException.class, () -> c.put(5, (byte)1)).getMessage());
            assertThrows(UnsupportedOperationException.class, () -> c.write(5, new byte[3], 0, 3));
            c.window().flush(); // a no-op for read-only windows
        }
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void shouldOpenWithTheGivenFlags() throws IOException
    {
        final Path file = write(dir, "flags.bin", random(PAGE, 8));
        final int oDirectory = "aarch64".equals(System.getProperty("os.arch")) ? 040000 : 0200000;
        try (WindowManager m = manager(); WindowCursor c = m.cursor(file, oDirectory))
        {
            final ErrnoException e = assertThrows(ErrnoException.class, () -> c.use(0, 0));
            assertEquals(20, e.errno()); // ENOTDIR: the flags reached open(2)
            assertEquals(0, m.stats().windows());
        }
        try (WindowManager m = manager(); WindowCursor c = m.cursor(dir.resolve("missing.bin")))
        {
            assertEquals(2, assertThrows(ErrnoException.class, () -> c.use(0, 0)).errno()); // ENOENT
        }
    }
}
