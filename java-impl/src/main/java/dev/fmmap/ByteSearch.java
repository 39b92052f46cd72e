package dev.fmmap;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Stateless search kernels over memory segments. When the JVM runs with the incubating Vector API
 * ({@code --add-modules jdk.incubator.vector}; bin/graalpy adds it) the kernels of
 * {@link VectorSearch} take over from glibc's wherever {@link KernelChoice} measures them faster on
 * this machine, once the JIT has compiled them (docs/benchmark.md). Otherwise, on native memory
 * (every map), forward search is glibc's {@code memmem}, and backward search finds candidates with
 * {@code memrchr} on the needle's first byte and confirms them with {@link MemorySegment#mismatch};
 * heap segments take a plain Java loop (or the vector kernels, when present).
 * {@code -Dfmmap.search=native} forces the glibc kernels, {@code =vector} the vector ones. Offsets are
 * relative to the segment given.
 *
 * <p>Native memory is searched in chunks of up to {@value #CHUNK} bytes, each first {@linkplain #touch
 * touched} from Java: a page that faults (a mapped file truncated by another process) then throws an
 * {@link InternalError} here instead of killing the process inside C. (The vector kernels need this
 * as much as C does: HotSpot 25 does not recover from a fault in a compiled Vector API load; it
 * crashes with SIGBUS.) A truncation takes away a suffix of the file's pages, so a forward search
 * still finds a match lying before the first lost page (as a plain scan would, before it faulted); a
 * backward search meets the lost pages first.
 */
public final class ByteSearch
{
    /** Whether {@link VectorSearch} is used (the Vector API is present and not turned off). */
    static final boolean VECTOR = vectorApiUsable();

    /** Bytes handed to one kernel call at most; small enough that touching them first stays current. */
    static final long CHUNK = 1L << 20;
    /**
     * The first chunk of a search, doubled for each next one up to {@link #CHUNK}: short searches
     * (readline, find near the start) touch only the pages they need (touching a whole 1 MiB chunk,
     * 256 pages, costs ~1.5 us).
     */
    static final long FIRST_CHUNK = 8L << 10;
    private static final long PAGE = Posix.pageSize();
    /** Where {@link #touch} leaves what it read, so that the compiler cannot drop the reads. */
    @SuppressWarnings("unused")
    private static int sink;

    private ByteSearch()
    {
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
     * Waits until the kernels for each needle class are chosen (see {@link KernelChoice}: searches use
     * glibc's kernels until the vector kernels are compiled and measured, some seconds after the first
     * search). For benchmarks, and for services that want full speed before their first request.
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
     * @return which kernels this JVM uses: "glibc", or "vector (N-byte lanes; bytes: K, needles: K)"
     * with the kernel ({@code vector} or {@code glibc}) measured faster so far ({@link KernelChoice}).
     */
    public static String kernels()
    {
        return VECTOR ? "vector (" + VectorSearch.lanes() + "-byte lanes; " + KernelChoice.describe() + ")" : "glibc";
    }

    /**
     * @param e an error the JVM threw.
     * @return whether it reports a fault in a memory access (HotSpot: "a fault occurred in an unsafe
     * memory access operation"), as a page of a truncated file gives.
     */
    static boolean isMemoryFault(final InternalError e)
    {
        final String message = e.getMessage();
        return null != message && message.contains("fault occurred");
    }

    /**
     * Touches {@code [from, to)}, page by page once one faults.
     *
     * @return {@code to}, or the offset where the first page that faults begins ({@code from} when
     * it is the first page).
     */
    private static long accessibleEnd(final MemorySegment s, final long from, final long to)
    {
        try
        {
            touch(s, from, to);
            return to;
        }
        catch (final InternalError e)
        {
            if (!isMemoryFault(e))
            {
                throw e;
            }
        }
        long at = from;
        while (at < to)
        {
            try
            {
                touch(s, at, at + 1);
            }
            catch (final InternalError e)
            {
                if (!isMemoryFault(e))
                {
                    throw e;
                }
                return at;
            }
            at = Math.min(to, ((s.address() + at) / PAGE + 1) * PAGE - s.address());
        }
        return to;
    }

    /**
     * Reads one byte of every page of {@code [from, to)}, so that a page which can no longer be
     * accessed throws {@link InternalError} from the JVM here, rather than faulting in native code.
     * Also delivers a fault still pending from an earlier access ({@link Syscalls#deliverPendingFault}).
     *
     * @param s    the memory.
     * @param from the first offset.
     * @param to   the end offset (exclusive).
     */
    static void touch(final MemorySegment s, final long from, final long to)
    {
        if (from >= to || !s.isNative())
        {
            return; // heap memory cannot fault
        }
        int seen = s.get(JAVA_BYTE, to - 1);
        for (long at = from; at < to; at += PAGE)
        {
            seen += s.get(JAVA_BYTE, at);
        }
        sink = seen;
        Syscalls.deliverPendingFault();
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
        checkRange(haystack, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? from : -1;
        }
        if (0 == n)
        {
            return from;
        }
        // Chunks hold the candidates starting in [start, start + chunk), and the n - 1 bytes after.
        long chunk = FIRST_CHUNK;
        for (long start = from; start + n <= to; start += chunk, chunk = Math.min(CHUNK, 2 * chunk))
        {
            final long end = Math.min(to, start + chunk + n - 1);
            final long readable = accessibleEnd(haystack, start, end);
            if (readable - start >= n)
            {
                final long hit = firstIn(haystack, start, readable, needle);
                if (-1 != hit)
                {
                    return hit;
                }
            }
            touch(haystack, readable, end); // throws if the search must go on into a lost page
        }
        return -1;
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
        checkRange(haystack, from, to);
        final long n = needle.byteSize();
        if (to - from < n)
        {
            return 0 == n && from <= to ? to : -1;
        }
        if (0 == n)
        {
            return to;
        }
        // Chunks hold the candidates starting in [start, stop), and the n - 1 bytes after.
        long chunk = FIRST_CHUNK;
        for (long stop = to - n + 1; stop > from; stop -= chunk, chunk = Math.min(CHUNK, 2 * chunk))
        {
            final long start = Math.max(from, stop - chunk);
            touch(haystack, start, stop + n - 1);
            final long hit = lastIn(haystack, start, stop + n - 1, needle);
            if (-1 != hit)
            {
                return hit;
            }
        }
        return -1;
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
        final long size = haystack.byteSize();
        checkRange(haystack, from, size);
        long chunk = FIRST_CHUNK;
        for (long start = from; start < size; start += chunk, chunk = Math.min(CHUNK, 2 * chunk))
        {
            final long end = Math.min(size, start + chunk);
            final long readable = accessibleEnd(haystack, start, end);
            final long hit = firstIn(haystack, start, readable, value);
            if (-1 != hit)
            {
                return hit;
            }
            touch(haystack, readable, end); // throws if the search must go on into a lost page
        }
        return -1;
    }

    // --- kernels for one chunk, whose pages have been touched -------------------------------------

    /** Whether the vector kernel searches for a needle of n bytes (always on heap memory, if present). */
    private static boolean useVector(final MemorySegment h, final long n)
    {
        if (!VECTOR)
        {
            return false;
        }
        KernelChoice.calibrateOnce();
        return !h.isNative() || (1 == n ? KernelChoice.vectorForBytes : KernelChoice.vectorForNeedles);
    }

    /** The first match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long firstIn(final MemorySegment h, final long from, final long to, final MemorySegment needle)
    {
        final long n = needle.byteSize();
        if (useVector(h, n))
        {
            return 1 == n ? VectorSearch.indexOf(h, from, to, needle.get(JAVA_BYTE, 0))
                : VectorSearch.indexOf(h, from, to, needle);
        }
        if (h.isNative())
        {
            final long hit = Syscalls.memmem(h.asSlice(from, to - from), needle);
            return -1 == hit ? -1 : from + hit;
        }
        for (long at = from; at + n <= to; at++)
        {
            if (-1 == MemorySegment.mismatch(h, at, at + n, needle, 0, n))
            {
                return at;
            }
        }
        return -1;
    }

    /** The last match of {@code needle} in {@code [from, to)}, which holds at least one candidate. */
    private static long lastIn(final MemorySegment h, final long from, final long to, final MemorySegment needle)
    {
        final long n = needle.byteSize();
        if (useVector(h, n))
        {
            return 1 == n ? VectorSearch.lastIndexOf(h, from, to, needle.get(JAVA_BYTE, 0))
                : VectorSearch.lastIndexOf(h, from, to, needle);
        }
        // Candidates start in [from, limit); each miss shrinks limit to the candidate just tried.
        final byte first = needle.get(JAVA_BYTE, 0);
        long limit = to - n + 1;
        while (limit > from)
        {
            final long at = lastIn(h, from, limit, first);
            if (-1 == at)
            {
                return -1;
            }
            if (-1 == MemorySegment.mismatch(h, at, at + n, needle, 0, n))
            {
                return at;
            }
            limit = at;
        }
        return -1;
    }

    /** The first byte equal to {@code value} in {@code [from, to)}, or -1. */
    private static long firstIn(final MemorySegment h, final long from, final long to, final byte value)
    {
        if (useVector(h, 1))
        {
            return VectorSearch.indexOf(h, from, to, value);
        }
        if (h.isNative())
        {
            final long hit = Syscalls.memchr(h.asSlice(from, to - from), value);
            return -1 == hit ? -1 : from + hit;
        }
        for (long at = from; at < to; at++)
        {
            if (value == h.get(JAVA_BYTE, at))
            {
                return at;
            }
        }
        return -1;
    }

    /** The last byte equal to {@code value} in {@code [from, to)}, or -1 (glibc or a plain loop). */
    private static long lastIn(final MemorySegment h, final long from, final long to, final byte value)
    {
        if (h.isNative())
        {
            final long hit = Syscalls.memrchr(h.asSlice(from, to - from), value);
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

    private static void checkRange(final MemorySegment haystack, final long from, final long to)
    {
        final long size = haystack.byteSize();
        if (0 > from || from > size || 0 > to || to > size)
        {
            throw new IndexOutOfBoundsException(
                "from=" + from + " to=" + to + " size=" + size);
        }
    }
}
