package dev.fmmap.search;

import java.util.function.BooleanSupplier;

/**
 * The walk both search drivers share ({@link ByteSearch} over segments on JDK 22 and later,
 * {@link NativeSearch} over addresses on any JDK): candidates handed to a chunk's search in pieces
 * that grow to {@link #CHUNK}, from the first candidate or backward from the last, and the tuning of
 * the rare-byte filter.
 */
final class Walk
{
    /** Bytes handed to one kernel call at most: the guard's check must stay current while C reads. */
    static final long CHUNK = 1L << 20;
    /**
     * The first chunk of a search, doubled for each next one up to {@link #CHUNK}: short searches
     * (readline, find near the start) check only the pages they need.
     */
    static final long FIRST_CHUNK = 8L << 10;
    /** False candidates of the rare-byte filter tolerated before their rate is judged. */
    static final int MISSES_JUDGED = 16;
    /**
     * Bytes scanned per false candidate below which the filter loses to memmem: each candidate costs a
     * downcall and a compare (~50 ns), in which memchr would have read ~1.5 KiB.
     */
    static final long MIN_BYTES_PER_MISS = 1024;
    /** The stop signal of a search that nobody else can end early. */
    static final BooleanSupplier NEVER = () -> false;

    private Walk()
    {
    }

    /**
     * The answer of a search whose range is shorter than its needle, or whose needle is empty: an empty
     * needle matches at {@code from} ({@code backward}: at {@code to}) when {@code from <= to}; else -1.
     */
    static long withoutScan(final long from, final long to, final long n, final boolean backward)
    {
        return 0 == n && from <= to ? (backward ? to : from) : -1;
    }

    /** Searches one range of candidates, chunk by chunk; the walk's pieces. */
    @FunctionalInterface
    interface Chunk
    {
        /** The first (backward: last) match starting in {@code [start, end)}, or -1. */
        long search(long start, long end);
    }

    /** A kernel's search of one guarded range. */
    @FunctionalInterface
    interface Kernel
    {
        /** The first (backward: last) match lying wholly in {@code [from, to)}, which holds a candidate; or -1. */
        long search(long from, long to);
    }

    /**
     * The first (backward: last) match of a needle of {@code n} bytes starting in {@code [start, stopAt)},
     * once the guard has made the bytes read safe for C. A truncation takes away a suffix of the file, so
     * a forward scan still finds a match lying before the first lost page (then throws: the search must
     * go on into it), while a backward scan meets the lost pages first.
     */
    static long guardedChunk(final long base, final long start, final long stopAt, final int n, final PageGuard guard,
        final boolean backward, final Kernel kernel)
    {
        final long readEnd = stopAt + n - 1;
        long readable = guard.readableEnd(base, start, readEnd);
        if (readable < readEnd && backward)
        {
            PageGuard.touch(base, readable, readEnd); // throws, unless the file has grown back meanwhile
            readable = readEnd;
        }
        final long candidatesEnd = Math.min(stopAt, readable - n + 1);
        if (candidatesEnd > start)
        {
            final long hit = kernel.search(start, candidatesEnd + n - 1);
            if (-1 != hit)
            {
                return hit;
            }
        }
        if (readable < readEnd)
        {
            PageGuard.touch(base, readable, readEnd); // throws: the search must go on into a lost page
        }
        return -1;
    }

    /**
     * Hands the candidates {@code [first, end)} to {@code chunk} in pieces that grow from
     * {@code firstChunk} to {@code maxChunk} (short searches, such as readline's, check only what they
     * need), from the first candidate on, or {@code backward} from the last.
     *
     * @return the first hit a piece reports, or -1 when none does or as soon as {@code stop} says an
     * earlier part of a parallel search has matched.
     */
    static long walk(final long first, final long end, final long firstChunk, final long maxChunk,
        final boolean backward, final BooleanSupplier stop, final Chunk chunk)
    {
        final long total = end - first;
        for (long done = 0, size = firstChunk; done < total; done += size, size = Math.min(maxChunk, 2 * size))
        {
            if (stop.getAsBoolean())
            {
                return -1;
            }
            final long take = Math.min(size, total - done);
            final long start = backward ? end - done - take : first + done;
            final long hit = chunk.search(start, start + take);
            if (-1 != hit)
            {
                return hit;
            }
        }
        return -1;
    }
}
