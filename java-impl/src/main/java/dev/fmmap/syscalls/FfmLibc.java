package dev.fmmap.syscalls;

import dev.fmmap.Posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library through {@code java.lang.foreign} (JDK 22 and later). Each function has one holder class,
 * linked on first use; every call that can fail captures {@code errno} straight after the call into a
 * per-thread buffer (never read later from the thread: the JVM may overwrite it).
 */
@SuppressWarnings("restricted")
final class FfmLibc implements Libc
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** One errno capture buffer per thread, so that calls need no allocation. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));
    private static final ThreadLocal<MemorySegment> STAT_BUFFER =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(StructStat.SIZE, 8));

    private static MethodHandle downcall(
        final String name, final FunctionDescriptor desc, final Linker.Option... options)
    {
        final MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
        return LINKER.downcallHandle(symbol, desc, options);
    }

    private static AssertionError shouldNotReachHere(final Throwable t)
    {
        return new AssertionError("should not reach here", t);
    }

    @Override
    public int errno()
    {
        return (int)ERRNO.get(CAPTURE.get(), 0L);
    }

    private static final class Mmap
    {
        static final MethodHandle HANDLE = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            CAPTURE_ERRNO);
    }

    @Override
    public long mmap(final long addr, final long length, final int prot, final int flags, final int fd,
        final long offset)
    {
        try
        {
            return (long)Mmap.HANDLE.invokeExact(CAPTURE.get(), addr, length, prot, flags, fd, offset);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Munmap
    {
        static final MethodHandle HANDLE = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    @Override
    public int munmap(final long addr, final long length)
    {
        try
        {
            return (int)Munmap.HANDLE.invokeExact(CAPTURE.get(), addr, length);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Msync
    {
        static final MethodHandle HANDLE = downcall("msync",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int msync(final long addr, final long length, final int flags)
    {
        try
        {
            return (int)Msync.HANDLE.invokeExact(CAPTURE.get(), addr, length, flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Madvise
    {
        static final MethodHandle HANDLE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int madvise(final long addr, final long length, final int advice)
    {
        try
        {
            return (int)Madvise.HANDLE.invokeExact(CAPTURE.get(), addr, length, advice);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Mremap
    {
        // mremap is variadic: the fifth argument (new_address) is read only with MREMAP_FIXED.
        static final MethodHandle HANDLE = downcall("mremap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(4));
    }

    @Override
    public long mremap(final long addr, final long oldSize, final long newSize, final int flags)
    {
        try
        {
            return (long)Mremap.HANDLE.invokeExact(CAPTURE.get(), addr, oldSize, newSize, flags, 0L);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Prctl
    {
        static final MethodHandle HANDLE = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    @Override
    public int nameAnonymousMemory(final long addr, final long length, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (int)Prctl.HANDLE.invokeExact(CAPTURE.get(), Posix.PR_SET_VMA,
                (long)Posix.PR_SET_VMA_ANON_NAME, addr, length, arena.allocateFrom(name, StandardCharsets.UTF_8));
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Ftruncate
    {
        static final MethodHandle HANDLE = downcall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    }

    @Override
    public int ftruncate(final int fd, final long length)
    {
        try
        {
            return (int)Ftruncate.HANDLE.invokeExact(CAPTURE.get(), fd, length);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Fstat
    {
        static final MethodHandle HANDLE = downcall("fstat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    @Override
    public int fstat(final int fd, final long[] modeAndSize)
    {
        final MemorySegment buf = STAT_BUFFER.get();
        final int rc;
        try
        {
            rc = (int)Fstat.HANDLE.invokeExact(CAPTURE.get(), fd, buf);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (0 == rc)
        {
            modeAndSize[0] = buf.get(JAVA_INT, StructStat.MODE_OFFSET);
            modeAndSize[1] = buf.get(JAVA_LONG, StructStat.SIZE_OFFSET);
        }
        return rc;
    }

    private static final class Open
    {
        static final MethodHandle HANDLE = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            CAPTURE_ERRNO);
    }

    @Override
    public int open(final String path, final int flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (int)Open.HANDLE.invokeExact(CAPTURE.get(), arena.allocateFrom(path, StandardCharsets.UTF_8),
                flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Dup
    {
        static final MethodHandle HANDLE = downcall("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int dup(final int fd)
    {
        try
        {
            return (int)Dup.HANDLE.invokeExact(CAPTURE.get(), fd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Close
    {
        static final MethodHandle HANDLE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int close(final int fd)
    {
        try
        {
            return (int)Close.HANDLE.invokeExact(CAPTURE.get(), fd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class InotifyInit1
    {
        static final MethodHandle HANDLE = downcall("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO);
    }

    @Override
    public int inotifyInit1(final int flags)
    {
        try
        {
            return (int)InotifyInit1.HANDLE.invokeExact(CAPTURE.get(), flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class InotifyAddWatch
    {
        static final MethodHandle HANDLE = downcall("inotify_add_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int inotifyAddWatch(final int fd, final String path, final int mask)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (int)InotifyAddWatch.HANDLE.invokeExact(CAPTURE.get(), fd,
                arena.allocateFrom(path, StandardCharsets.UTF_8), mask);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class InotifyRmWatch
    {
        static final MethodHandle HANDLE = downcall("inotify_rm_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    @Override
    public int inotifyRmWatch(final int fd, final int wd)
    {
        try
        {
            return (int)InotifyRmWatch.HANDLE.invokeExact(CAPTURE.get(), fd, wd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Pread
    {
        static final MethodHandle HANDLE = downcall("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    @Override
    public long pread(final int fd, final long buf, final long count, final long offset)
    {
        try
        {
            return (long)Pread.HANDLE.invokeExact(CAPTURE.get(), fd, buf, count, offset);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Read
    {
        static final MethodHandle HANDLE = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    @Override
    public long read(final int fd, final long buf, final long count)
    {
        try
        {
            return (long)Read.HANDLE.invokeExact(CAPTURE.get(), fd, buf, count);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Strerror
    {
        static final MethodHandle HANDLE = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    @Override
    public String strerror(final int errno)
    {
        final MemorySegment text;
        try
        {
            text = (MemorySegment)Strerror.HANDLE.invokeExact(errno);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        return text.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static MethodHandle critical(final String name, final FunctionDescriptor desc)
    {
        return downcall(name, desc, Linker.Option.critical(true)); // heap arrays are passed in place
    }

    private static final class Memchr
    {
        static final MethodHandle HANDLE = critical("memchr", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    }

    @Override
    public long memchr(final long s, final int c, final long n)
    {
        try
        {
            return (long)Memchr.HANDLE.invokeExact(s, c, n);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Memrchr
    {
        static final MethodHandle HANDLE = critical("memrchr", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    }

    @Override
    public long memrchr(final long s, final int c, final long n)
    {
        try
        {
            return (long)Memrchr.HANDLE.invokeExact(s, c, n);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Memmem
    {
        static final MethodHandle HANDLE = critical("memmem",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    }

    @Override
    public long memmem(final long haystack, final long length, final byte[] needle)
    {
        try
        {
            return (long)Memmem.HANDLE.invokeExact(haystack, length, MemorySegment.ofArray(needle), (long)needle.length);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Getpagesize
    {
        // Deliberately not "critical": the thread-state change is what delivers a pending fault.
        static final MethodHandle HANDLE = downcall("getpagesize", FunctionDescriptor.of(JAVA_INT));
    }

    @Override
    public int getpagesize()
    {
        try
        {
            return (int)Getpagesize.HANDLE.invokeExact();
        }
        catch (final Error e)
        {
            throw e; // the InternalError of a pending fault (NativeMemory.deliverPendingFault)
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }
}
