package dev.fmmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * A map as a {@code java.lang.foreign} segment, for Java code on JDK 22 and later (the rest of the core
 * also runs on older JDKs, where {@link MemoryMap#buffer(long, int)} gives views).
 */
public final class MapSegment
{
    private MapSegment()
    {
    }

    /**
     * The live mapping as a segment. While the segment is reachable, so is the map, whose memory stays
     * reserved: once the map is resized or closed, the segment's pages read as zeros (they never fault);
     * take a new segment after a resize.
     *
     * @param map a map.
     * @return the mapped memory; read-only for {@link Access#READ} maps.
     * @throws IllegalStateException when the map is closed.
     */
    @SuppressWarnings("restricted")
    public static MemorySegment of(final MemoryMap map)
    {
        final MemorySegment s = MemorySegment.ofAddress(map.address())
            .reinterpret(map.size(), Arena.ofAuto(), ignored -> Reference.reachabilityFence(map));
        return map.isWritable() ? s : s.asReadOnly();
    }
}
