package dev.fmmap;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A map as a segment: JDK 22 and later only (a Java 22 test class; bin/test skips it on older JDKs). */
class MapSegmentTest
{
    @Test
    void shouldBeReadOnlyForReadOnlyMapsAndCoverTheWholeMap()
    {
        try (MemoryMap m = MemoryMap.anonymous(3L * Posix.pageSize()))
        {
            final MemorySegment s = MapSegment.of(m);
            assertEquals(m.size(), s.byteSize());
            assertEquals(m.address(), s.address());
            s.set(JAVA_BYTE, 5, (byte)7);
            assertEquals(7, m.get(5));
        }
        try (MemoryMap r = MemoryMap.map(-1, Posix.pageSize(), Posix.MAP_PRIVATE, Posix.PROT_READ, Access.DEFAULT, 0,
            true))
        {
            assertTrue(MapSegment.of(r).isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> MapSegment.of(r).set(JAVA_BYTE, 0, (byte)1));
        }
    }

    @Test
    void shouldLeaveStaleSegmentsReadableAsZerosAfterClose()
    {
        final MemoryMap m = MemoryMap.anonymous(Posix.pageSize());
        final MemorySegment stale = MapSegment.of(m);
        stale.set(JAVA_BYTE, 0, (byte)9);
        m.close();
        assertEquals(0, stale.get(JAVA_BYTE, 0)); // zero page, not a fault
        stale.set(JAVA_BYTE, 1, (byte)1);          // and writable without effect on any file
        assertThrows(IllegalStateException.class, () -> MapSegment.of(m));
    }

    @Test
    void shouldKeepTheMapReachableWhileTheSegmentIs() throws InterruptedException
    {
        MemoryMap m = MemoryMap.anonymous(Posix.pageSize());
        m.put(3, (byte)42);
        final MemorySegment s = MapSegment.of(m);
        final WeakReference<MemoryMap> map = new WeakReference<>(m);
        m = null;
        for (int i = 0; i < 20 && null != map.get(); i++)
        {
            System.gc();
            Thread.sleep(5);
        }
        assertNotNull(map.get(), "the segment holds its map");
        assertEquals(42, s.get(JAVA_BYTE, 3));
    }
}
