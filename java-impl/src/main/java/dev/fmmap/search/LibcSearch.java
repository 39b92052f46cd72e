package dev.fmmap.search;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * glibc's search functions over memory segments: the native kernels of {@link ByteSearch}. They are pure
 * functions of memory that cannot fail, linked "critical" (no thread-state change, and heap segments such
 * as a needle array are passed in place).
 */
@SuppressWarnings("restricted")
final class LibcSearch
{
    private LibcSearch()
    {
    }

    private static MethodHandle critical(final String name, final FunctionDescriptor desc)
    {
        final Linker linker = Linker.nativeLinker();
        final MemorySegment symbol = linker.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
        return linker.downcallHandle(symbol, desc, Linker.Option.critical(true));
    }

    private static AssertionError shouldNotReachHere(final Throwable t)
    {
        return new AssertionError("should not reach here", t);
    }

    private static final class Memmem
    {
        static final MethodHandle HANDLE = critical("memmem",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    }

    /**
     * glibc's {@code memmem(3)} over two segments.
     *
     * @param haystack the memory to search.
     * @param needle   the bytes to look for.
     * @return the offset of the first match within {@code haystack}, or -1.
     */
    static long memmem(final MemorySegment haystack, final MemorySegment needle)
    {
        final MemorySegment hit;
        try
        {
            hit = (MemorySegment)Memmem.HANDLE.invokeExact(haystack, haystack.byteSize(), needle, needle.byteSize());
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        return 0 == hit.address() ? -1 : hit.address() - haystack.address();
    }

    private static final class Memrchr
    {
        static final MethodHandle HANDLE = critical("memrchr", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    /**
     * glibc's {@code memrchr(3)} over a segment.
     *
     * @param s the memory to search.
     * @param c the byte to look for.
     * @return the offset of the last byte {@code c} within {@code s}, or -1.
     */
    static long memrchr(final MemorySegment s, final byte c)
    {
        final MemorySegment hit;
        try
        {
            hit = (MemorySegment)Memrchr.HANDLE.invokeExact(s, c & 0xFF, s.byteSize());
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        return 0 == hit.address() ? -1 : hit.address() - s.address();
    }

    private static final class Memchr
    {
        static final MethodHandle HANDLE = critical("memchr", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    /**
     * glibc's {@code memchr(3)} over a segment.
     *
     * @param s the memory to search.
     * @param c the byte to look for.
     * @return the offset of the first byte {@code c} within {@code s}, or -1.
     */
    static long memchr(final MemorySegment s, final byte c)
    {
        final MemorySegment hit;
        try
        {
            hit = (MemorySegment)Memchr.HANDLE.invokeExact(s, c & 0xFF, s.byteSize());
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        return 0 == hit.address() ? -1 : hit.address() - s.address();
    }
}
