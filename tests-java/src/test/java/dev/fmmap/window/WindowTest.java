package dev.fmmap.window;

import dev.fmmap.MemoryMap;
import dev.fmmap.memory.NativeMemory;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.fmmap.ProcMaps.isMapped;
import static dev.fmmap.window.WindowFixtures.PAGE;
import static dev.fmmap.window.WindowFixtures.random;
import static dev.fmmap.window.WindowFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDescribeItsRange() throws IOException
    {
        final byte[] data = random(8 * PAGE, 1);
        final Path file = write(dir, "range.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build(); WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(4L * PAGE + 1, 0).window();
            assertEquals(4L * PAGE, w.offset());
            assertEquals(2L * PAGE, w.size());
            assertEquals(6L * PAGE, w.end());
            assertTrue(w.includes(4L * PAGE));
            assertTrue(w.includes(6L * PAGE - 1));
            assertFalse(w.includes(6L * PAGE));
            assertFalse(w.includes(4L * PAGE - 1));
            assertTrue(w.isMapped());
            assertEquals(2L * PAGE, w.map().size());
            assertEquals(data[4 * PAGE + 7], w.map().get(7));
            assertFalse(w.map().isWritable());
            assertTrue(w.toString().contains("offset=" + 4L * PAGE));
        }
    }

    @Test
    void shouldCopyOutOfItsFile() throws IOException
    {
        final byte[] data = random(8 * PAGE, 9);
        final Path file = write(dir, "copy.bin", data);
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build(); WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(4L * PAGE + 1, 0).window();
            final byte[] got = new byte[10];
            NativeMemory.copyToArray(w.copyOut(PAGE - 3, 10), got, 0, got.length);
            final byte[] want = Arrays.copyOfRange(data, 5 * PAGE - 3, 5 * PAGE + 7);
            assertArrayEquals(want, got, "bytes at window offset PAGE - 3");
            assertThrows(IndexOutOfBoundsException.class, () -> w.copyOut(2L * PAGE - 1, 2), "past the window");
            c.unuse();
            m.collect();
            assertFalse(w.isMapped());
            assertThrows(IllegalStateException.class, () -> w.copyOut(0, 1), "an unmapped window");
        }
    }

    @Test
    void shouldCountPinsAndViews() throws IOException
    {
        final Path file = write(dir, "counts.bin", random(8 * PAGE, 2));
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build();
            WindowCursor a = m.cursor(file); WindowCursor b = m.cursor(file))
        {
            final Window w = a.use(0, 0).window();
            assertEquals(1, w.pins());
            b.use(10, 0);
            assertEquals(2, w.pins());
            w.retainView();
            w.retainView();
            assertEquals(2, w.views());
            assertEquals(2, w.pins(), "views are not pins (smmap's client_count ignores them)");
            a.unuse();
            b.unuse();
            assertEquals(0, w.pins());
            assertEquals(0, m.collect());
            w.releaseView();
            assertEquals(0, m.collect());
            w.releaseView();
            assertThrows(IllegalStateException.class, w::releaseView);
            WindowInvariants.check(m);
            assertEquals(1, m.collect());
            assertFalse(w.isMapped());
            assertThrows(IllegalStateException.class, w::retainView);
            assertThrows(IllegalStateException.class, () -> w.map().get(0), "mmap closed or invalid");
        }
    }

    @Test
    void shouldReleaseOnlyWhenUnused() throws IOException
    {
        final Path file = write(dir, "release.bin", random(8 * PAGE, 3));
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build(); WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(0, 0).window();
            final Window other = c.use(4L * PAGE, 0).window();
            c.use(0, 0);
            assertFalse(w.release(), "pinned by the cursor");
            c.unuse();
            w.retainView();
            assertFalse(w.release(), "held by a view");
            w.releaseView();
            assertTrue(w.release());
            assertFalse(w.isMapped());
            assertFalse(w.release(), "already unmapped");
            assertTrue(other.isMapped(), "only this window goes");
            assertEquals(1, m.stats().windows());
            WindowInvariants.check(m);
        }
    }

    @Test
    void shouldLeaveZeroPagesOnlyWhereRawAddressesMayOutliveTheWindow() throws IOException
    {
        final Path file = write(dir, "guards.bin", random(16 * PAGE, 4));
        try (WindowManager m = WindowManager.builder().windowSize(2L * PAGE).build();
            WindowCursor c = m.cursor(file))
        {
            final Window plain = c.use(0, 0).window();
            final long plainAddress = plain.address();
            c.unuse();
            assertTrue(plain.release());
            assertFalse(isMapped(plainAddress), "unused and never exposed: unmapped outright, nothing reserved");

            final Window exposed = c.use(4L * PAGE, 0).window();
            final long raw = exposed.address();
            exposed.expose();
            c.unuse();
            assertTrue(exposed.release());
            assertEquals(0, NativeMemory.getByte(raw + 7), "a stale raw address reads zeros");

            final Window viaMap = c.use(8L * PAGE, 0).window();
            final MemoryMap map = viaMap.map(); // its views can outlive the window: an exposure
            final java.nio.ByteBuffer view = map.buffer(0, 2 * PAGE);
            c.unuse();
            assertTrue(viaMap.release());
            assertEquals(0, view.get(7));

            final Window pinned = c.use(12L * PAGE, 0).window();
            final long inUse = pinned.address();
            assertEquals(1, m.release(file), "a forced release of a pinned window");
            assertEquals(0, NativeMemory.getByte(inUse));
            WindowInvariants.check(m);
            Reference.reachabilityFence(exposed);
            Reference.reachabilityFence(map); // a buffer keeps it reachable only on JDK 22+
            Reference.reachabilityFence(pinned);
        }
    }

    @Test
    void shouldKeepAnAttachment() throws IOException
    {
        final Path file = write(dir, "attach.bin", random(2 * PAGE, 3));
        try (WindowManager m = WindowManager.builder().build(); WindowCursor c = m.cursor(file))
        {
            final Window w = c.use(0, 0).window();
            assertNull(w.attachment());
            final Object region = new Object();
            w.attach(region);
            try (WindowCursor d = c.copy())
            {
                assertSame(region, d.window().attachment());
            }
            w.attach(null);
            assertNull(w.attachment());
        }
    }
}
