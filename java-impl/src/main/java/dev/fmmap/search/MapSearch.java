package dev.fmmap.search;

import dev.fmmap.syscalls.Syscalls;

/**
 * The search of a map's memory, by address, on any JDK: over copies in strict mode ({@link CopiedSearch}),
 * else directly, through {@link ByteSearch} and its Vector API kernels where {@code java.lang.foreign}
 * exists ({@code FfmMapSearch}, loaded by name on that backend only) and through {@link NativeSearch}'s
 * glibc kernels where it does not.
 */
public final class MapSearch
{
    /** One direct search of native memory that other threads may also read. */
    interface Direct
    {
        long search(long base, long size, long from, long to, byte[] needle, PageGuard guard, boolean backward);
    }

    private static final Direct DIRECT = "ffm".equals(Syscalls.backend()) ? ffm()
        : (base, size, from, to, needle, guard, backward) ->
            NativeSearch.search(base, from, to, needle, guard, true, backward);

    private MapSearch()
    {
    }

    private static Direct ffm()
    {
        try
        {
            return (Direct)Class.forName("dev.fmmap.search.FfmMapSearch").getDeclaredConstructor().newInstance();
        }
        catch (final LinkageError | ReflectiveOperationException e)
        {
            throw new IllegalStateException("fmmap cannot load its java.lang.foreign search (" + e + ")", e);
        }
    }

    /**
     * The first ({@code backward}: last) occurrence of {@code needle} lying wholly in {@code [from, to)} of
     * the map at {@code base}, or -1; an empty needle matches at {@code from} ({@code to}).
     *
     * @param base     the map's address.
     * @param size     the map's size.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for.
     * @param guard    the map's page guard (direct searches).
     * @param copied   whether C may read only copies ({@link CopiedSearch}: strict mode).
     * @param backward whether the last match is wanted.
     * @return the offset of the match, or -1.
     */
    public static long search(final long base, final long size, final long from, final long to, final byte[] needle,
        final PageGuard guard, final boolean copied, final boolean backward)
    {
        checkRange(size, from, to);
        return copied ? CopiedSearch.search(base, size, from, to, needle, backward)
            : DIRECT.search(base, size, from, to, needle, guard, backward);
    }

    /**
     * @return how many threads a long search may use (see {@link ParallelSearch}).
     */
    public static int searchThreads()
    {
        return ParallelSearch.threads();
    }

    /**
     * Sets how many threads a long find or rfind may use; 1 searches in the caller's thread only. The
     * default is {@code FMMAP_SEARCH_THREADS} from the environment, else the available processors.
     *
     * @param threads from 1 to 1024.
     * @throws IllegalArgumentException when {@code threads} is out of that range.
     */
    public static void setSearchThreads(final int threads)
    {
        ParallelSearch.setThreads(threads);
    }

    static void checkRange(final long size, final long from, final long to)
    {
        if (0 > from || from > size || 0 > to || to > size)
        {
            throw new IndexOutOfBoundsException("from=" + from + " to=" + to + " size=" + size);
        }
    }
}
