package dev.fmmap.search;

import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Search over memory segments, at the speed of glibc's memchr from the first call. On native memory
 * (every map) a single byte is glibc's {@code memchr}/{@code memrchr}; a longer needle hands memchr
 * (memrchr) the needle's byte {@linkplain RareByte guessed rarest} and compares the whole needle only
 * where that byte occurs. When such false candidates come more often than once per
 * {@value Walk#MIN_BYTES_PER_MISS} bytes, the rest of the chunk goes to a kernel that does not depend on a
 * rare byte: glibc's {@code memmem} forward; backward, memrchr on the first byte. With the incubating
 * Vector API ({@code --add-modules jdk.incubator.vector}; bin/graalpy adds it), {@link VectorSearch}
 * replaces those two where {@link KernelChoice} measures it faster once compiled, and searches heap
 * segments. {@code -Dfmmap.search=native} never uses it, {@code =vector} always. Offsets are relative
 * to the segment given.
 *
 * <p>Native memory is searched in chunks of up to {@value Walk#CHUNK} bytes, each first made safe for C by a
 * {@link PageGuard}: a page that would fault (a mapped file truncated by another process) is found
 * from Java, where it throws an {@link InternalError} instead of killing the process. A truncation
 * takes away a suffix of the file's pages, so a forward search still finds a match lying before the
 * first lost page (as a plain scan would, before it faulted); a backward search meets the lost pages
 * first. Searches over more than {@link ParallelSearch#MIN_PART} x 2 bytes are split across threads
 * ({@link #setSearchThreads}).
 */
public final class ByteSearch
{

    /** A thread that is never started: memory it may access can be searched by the pool's threads. */
    private static final Thread OTHER_THREAD = new Thread(() -> { }, "fmmap-accessibility-probe");

    private ByteSearch()
    {
    }

    /**
     * Whether {@link VectorSearch} is used (the Vector API is present and not turned off). Decided on
     * first need: loading the Vector API costs tens of milliseconds on a cold JVM (more under GraalPy),
     * which a search by memchr (one byte, or a needle whose rare byte is rare, on native memory) never
     * needs, so the first such find does not pay it.
     */
    static boolean vector()
    {
        return VectorUse.USABLE;
    }

    private static final class VectorUse
    {
        static final boolean USABLE = vectorApiUsable();
    }

    private static boolean vectorApiUsable()
    {
        if ("native".equals(System.getProperty("fmmap.search"))
            || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty())
        {
            return false;
        }
        try
        {
            return VectorSearch.lanes() >= 16; // narrower vectors gain nothing over glibc
        }
        catch (final LinkageError e)
        {
            return false;
        }
    }

    /**
     * Waits until the kernel for needles whose rare byte is common is chosen (see {@link KernelChoice}:
     * such searches use memmem until the vector kernels are compiled and measured, some seconds after
     * the first of them). Other searches never wait for anything.
     *
     * @param timeoutMillis how long to wait at most.
     * @return whether the choice is final.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static boolean awaitKernelChoice(final long timeoutMillis) throws InterruptedException
    {
        return KernelChoice.await(timeoutMillis);
    }

    /**
     * @return which kernels this JVM uses: "glibc", or "vector (N-byte lanes; common-byte needles: K)"
     * with the kernel ({@code vector} or {@code glibc}) measured faster so far ({@link KernelChoice}).
     */
    public static String kernels()
    {
        return vector() ? "vector (" + VectorSearch.lanes() + "-byte lanes; " + KernelChoice.describe() + ")" : "glibc";
    }

    /**
     * @return how many threads a long search may use, as {@link MapSearch#searchThreads()}.
     */
    public static int searchThreads()
    {
        return MapSearch.searchThreads();
    }

    /**
     * As {@link MapSearch#setSearchThreads(int)}.
     *
     * @param threads from 1 to 1024.
     * @throws IllegalArgumentException when {@code threads} is out of that range.
     */
    public static void setSearchThreads(final int threads)
    {
        MapSearch.setSearchThreads(threads);
    }

    /**
     * @param e an error the JVM threw.
     * @return whether it reports a fault in a memory access (HotSpot: "a fault occurred in an unsafe
     * memory access operation"), as a page of a truncated file gives.
     */
    public static boolean isMemoryFault(final InternalError e)
    {
        return PageGuard.isMemoryFault(e);
    }

    /** Whether other threads may search this memory: native, and not confined to the caller's thread. */
    private static boolean splittable(final MemorySegment s)
    {
        return s.isNative() && s.isAccessibleBy(OTHER_THREAD);
    }

    /** The guard of memory nobody else describes: native memory is touched, the heap cannot fault. */
    private static PageGuard guardOf(final MemorySegment s)
    {
        return s.isNative() ? PageGuard.TOUCH : PageGuard.NONE;
    }

    /**
     * Finds the first occurrence of {@code needle} lying wholly in {@code [from, to)}; none when {@code from > to}.
     *
     * @param haystack the memory to search.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for; empty matches at {@code from} when {@code from <= to}.
     * @return the offset of the match in {@code haystack}, or -1.
     */
    public static long indexOf(final MemorySegment haystack, final long from, final long to, final MemorySegment needle)
    {
        return search(haystack, from, to, needle, guardOf(haystack), false);
    }

    /**
     * Finds the last occurrence of {@code needle} lying wholly in {@code [from, to)}; none when {@code from > to}.
     *
     * @param haystack the memory to search.
     * @param from     the first offset a match may start at.
     * @param to       the offset a match must end at or before.
     * @param needle   the bytes to look for; empty matches at {@code to} when {@code from <= to}.
     * @return the offset of the match in {@code haystack}, or -1.
     */
    public static long lastIndexOf(final MemorySegment haystack, final long from, final long to,
        final MemorySegment needle)
    {
        return search(haystack, from, to, needle, guardOf(haystack), true);
    }

    /**
     * Finds the first byte equal to {@code value} at or after {@code from}.
     *
     * @param haystack the memory to search.
     * @param from     the offset to start at.
     * @param value    the byte to look for.
     * @return the offset of the byte in {@code haystack}, or -1.
     */
    public static long indexOf(final MemorySegment haystack, final long from, final byte value)
    {
        return indexOf(haystack, from, haystack.byteSize(), MemorySegment.ofArray(new byte[] {value}));
    }

    /**
     * The first ({@code backward}: last) occurrence of {@code needle} lying wholly in {@code [from, to)},
     * or -1; the guard is that of the memory's owner. Both directions share this walk, as CPython's find
     * and rfind share one routine.
     */
    public static long search(final MemorySegment haystack, final long from, final long to, final MemorySegment needle,
        final PageGuard guard, final boolean backward)
    {
        checkRange(haystack, from, to);
        final long n = needle.byteSize();
        if (to - from < n || 0 == n)
        {
            return Walk.withoutScan(from, to, n, backward);
        }
        final int rare = RareByte.indexIn(needle.toArray(JAVA_BYTE));
        final long end = to - n + 1; // candidates: [from, end)
        final int parts = splittable(haystack) ? ParallelSearch.parts(end - from) : 1;
        if (1 == parts)
        {
            return scan(haystack, from, end, needle, rare, guard, backward, Walk.NEVER);
        }
        return ParallelSearch.search(from, end - 1, parts, backward,
            (start, stopAt, stop) -> scan(haystack, start, stopAt, needle, rare, guard, backward, stop));
    }

    // --- one thread's scan, chunk by chunk -------------------------------------------------------

    /** The first (last) match starting in {@code [first, end)} (reading up to n - 1 bytes past it), or -1. */
    private static long scan(final MemorySegment h, final long first, final long end, final MemorySegment needle,
        final int rare, final PageGuard guard, final boolean backward, final BooleanSupplier stop)
    {
        return Walk.walk(first, end, Walk.FIRST_CHUNK, Walk.CHUNK, backward, stop,
            (start, stopAt) -> inChunk(h, start, stopAt, needle, rare, guard, backward));
    }

    /**
     * The first (last) match starting in {@code [start, stopAt)}, once the guard has made the chunk safe
     * for C. A truncation takes away a suffix of the file, so a forward scan still finds a match lying
     * before the first lost page, while a backward scan meets the lost pages first.
     */
    private static long inChunk(final MemorySegment h, final long start, final long stopAt, final MemorySegment needle,
        final int rare, final PageGuard guard, final boolean backward)
    {
        return Walk.guardedChunk(h.address(), start, stopAt, (int)needle.byteSize(), guard, backward,
            (from, to) -> backward ? lastIn(h, from, to, needle, rare) : firstIn(h, from, to, needle, rare));
    }

    // --- kernels for one chunk, which the guard has made safe -----------------------------------

    /** Whether the vector kernel searches for a needle of n bytes (always on heap memory, if present). */
    private static boolean useVector(final MemorySegment h)
    {
        if (!vector())
        {
            return false;
        }
        if (!h.isNative())
        {
            return true;
        }
        KernelChoice.calibrateOnce();
        return KernelChoice.vectorForNeedles;
    }

    /** The first match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long firstIn(final MemorySegment h, final long from, final long to, final MemorySegment needle,
        final int rare)
    {
        final long n = needle.byteSize();
        if (!h.isNative())
        {
            if (!vector())
            {
                return byComparison(h, from, to, needle, false);
            }
            return 1 == n ? VectorSearch.indexOf(h, from, to, needle.get(JAVA_BYTE, 0))
                : VectorSearch.indexOf(h, from, to, needle);
        }
        final byte value = needle.get(JAVA_BYTE, rare);
        final long last = to - n;
        long misses = 0;
        for (long at = from; at <= last; )
        {
            final long hit = LibcSearch.memchr(h.asSlice(at + rare, last - at + 1), value);
            if (-1 == hit)
            {
                return -1;
            }
            final long candidate = at + hit;
            if (1 == n || -1 == MemorySegment.mismatch(h, candidate, candidate + n, needle, 0, n))
            {
                return candidate;
            }
            at = candidate + 1;
            if (++misses >= Walk.MISSES_JUDGED && at - from < misses * Walk.MIN_BYTES_PER_MISS)
            {
                return firstInDense(h, at, to, needle);
            }
        }
        return -1;
    }

    /** The first match in {@code [from, to)} where the rare byte is not rare (or -1). */
    private static long firstInDense(final MemorySegment h, final long from, final long to, final MemorySegment needle)
    {
        if (to - from < needle.byteSize())
        {
            return -1;
        }
        if (useVector(h))
        {
            return VectorSearch.indexOf(h, from, to, needle);
        }
        final long hit = LibcSearch.memmem(h.asSlice(from, to - from), needle);
        return -1 == hit ? -1 : from + hit;
    }

    /**
     * The first ({@code backward}: last) match in {@code [from, to)}, compared position by position
     * from Java: heap memory, and memory that C must not read ({@link CopiedSearch}'s long needles).
     */
    static long byComparison(final MemorySegment h, final long from, final long to, final MemorySegment needle,
        final boolean backward)
    {
        final long n = needle.byteSize();
        final long last = to - n;
        for (long i = 0; i <= last - from; i++)
        {
            final long at = backward ? last - i : from + i;
            if (-1 == MemorySegment.mismatch(h, at, at + n, needle, 0, n))
            {
                return at;
            }
        }
        return -1;
    }

    /** The last match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long lastIn(final MemorySegment h, final long from, final long to, final MemorySegment needle,
        final int rare)
    {
        final long n = needle.byteSize();
        if (!h.isNative() && vector())
        {
            return 1 == n ? VectorSearch.lastIndexOf(h, from, to, needle.get(JAVA_BYTE, 0))
                : VectorSearch.lastIndexOf(h, from, to, needle);
        }
        final byte value = needle.get(JAVA_BYTE, rare);
        long misses = 0;
        for (long last = to - n; last >= from; )
        {
            final long hit = lastIn(h, from + rare, last + rare + 1, value);
            if (-1 == hit)
            {
                return -1;
            }
            final long candidate = hit - rare;
            if (1 == n || -1 == MemorySegment.mismatch(h, candidate, candidate + n, needle, 0, n))
            {
                return candidate;
            }
            last = candidate - 1;
            if (++misses >= Walk.MISSES_JUDGED && to - n - last < misses * Walk.MIN_BYTES_PER_MISS && useVector(h))
            {
                return last < from ? -1 : VectorSearch.lastIndexOf(h, from, last + n, needle);
            }
        }
        return -1;
    }

    /** The last byte equal to {@code value} in {@code [from, to)}, or -1 (glibc or a plain loop). */
    private static long lastIn(final MemorySegment h, final long from, final long to, final byte value)
    {
        if (h.isNative())
        {
            final long hit = LibcSearch.memrchr(h.asSlice(from, to - from), value);
            return -1 == hit ? -1 : from + hit;
        }
        for (long at = to - 1; at >= from; at--)
        {
            if (value == h.get(JAVA_BYTE, at))
            {
                return at;
            }
        }
        return -1;
    }

    static void checkRange(final MemorySegment haystack, final long from, final long to)
    {
        final long size = haystack.byteSize();
        if (0 > from || from > size || 0 > to || to > size)
        {
            throw new IndexOutOfBoundsException(
                "from=" + from + " to=" + to + " size=" + size);
        }
    }
}
