package dev.fmmap.search;

import java.lang.foreign.MemorySegment;

/** {@link MapSearch}'s direct search on JDK 22 and later: {@link ByteSearch} over a segment of the map. */
@SuppressWarnings("restricted")
final class FfmMapSearch implements MapSearch.Direct
{
    @Override
    public long search(final long base, final long size, final long from, final long to, final byte[] needle,
        final PageGuard guard, final boolean backward)
    {
        return ByteSearch.search(MemorySegment.ofAddress(base).reinterpret(size), from, to,
            MemorySegment.ofArray(needle), guard, backward);
    }
}
