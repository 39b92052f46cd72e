package dev.fmmap.syscalls;

import dev.fmmap.ErrnoException;
import dev.fmmap.Posix;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The only class that links native code. Each C function has one holder class, built on first use;
 * each wrapper makes the call, tests for failure and throws {@link ErrnoException} with the errno
 * captured by the linker straight after the call (never read later: the JVM may overwrite it).
 */
@SuppressWarnings("restricted")
public final class Syscalls
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final AddressLayout C_POINTER = ADDRESS;
    /** One errno capture buffer per thread, so that calls need no allocation. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** {@code MAP_FAILED}, i.e. {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;
    /** {@code MADV_POPULATE_READ} (Linux 5.14+): faults a range's pages in, readable, in one call. */
    private static final int MADV_POPULATE_READ = 22;
    /** {@code S_IFMT}: the file-type bits of {@code st_mode}. */
    private static final int S_IFMT = 0xF000;
    /** {@code S_IFREG}: a regular file. */
    private static final int S_IFREG = 0x8000;

    /** The size of {@code struct stat} and the offsets of the fields we read, per architecture. */
    private static final long STAT_SIZE;
    private static final long STAT_MODE_OFFSET;
    private static final long STAT_SIZE_OFFSET;

    /** The kernel's page size, from {@code getpagesize()}. */
    public static final int PAGE_SIZE;

    static
    {
        final String arch = System.getProperty("os.arch");
        if ("amd64".equals(arch) || "x86_64".equals(arch))
        {
            STAT_SIZE = 144;
            STAT_MODE_OFFSET = 24;
            STAT_SIZE_OFFSET = 48;
        }
        else if ("aarch64".equals(arch))
        {
            STAT_SIZE = 128;
            STAT_MODE_OFFSET = 16;
            STAT_SIZE_OFFSET = 48;
        }
        else
        {
            throw new IllegalStateException("Unsupported system! fmmap's core supports x86-64 and aarch64.");
        }
        // glibc's getpagesize() is sysconf(_SC_PAGESIZE)'s value; its handle is the one fault delivery
        // needs anyway (deliverPendingFault), so the first search links no handle for it.
        PAGE_SIZE = getpagesize();
    }

    private Syscalls()
    {
    }

    private static MethodHandle downcall(
        final String name, final FunctionDescriptor desc, final Linker.Option... options)
    {
        final MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
        return LINKER.downcallHandle(symbol, desc, options);
    }

    private static int errno(final MemorySegment capture)
    {
        return (int)ERRNO.get(capture, 0L);
    }

    private static AssertionError shouldNotReachHere(final Throwable t)
    {
        return new AssertionError("should not reach here", t);
    }

    // ---------------------------------------------------------------------------------------------

    private static final class Mmap
    {
        static final MethodHandle HANDLE = downcall("mmap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            CAPTURE_ERRNO);
    }

    /**
     * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);}
     *
     * @param addr   the address hint (or fixed address with {@code MAP_FIXED}), or 0.
     * @param length the bytes to map.
     * @param prot   {@code PROT_} flags.
     * @param flags  {@code MAP_} flags.
     * @param fd     the file descriptor, or -1 for anonymous memory.
     * @param offset the file offset, a multiple of the page size.
     * @return the address of the new mapping.
     * @throws dev.fmmap.ErrnoException when mmap fails.
     */
    public static long mmap(final long addr, final long length, final int prot, final int flags, final int fd,
        final long offset)
    {
        final MemorySegment capture = CAPTURE.get();
        final MemorySegment result;
        try
        {
            result = (MemorySegment)Mmap.HANDLE.invokeExact(
                capture, MemorySegment.ofAddress(addr), length, prot, flags, fd, offset);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (MAP_FAILED == result.address())
        {
            throw new ErrnoException("mmap", errno(capture));
        }
        return result.address();
    }

    private static final class Munmap
    {
        static final MethodHandle HANDLE = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_LONG), CAPTURE_ERRNO);
    }

    /**
     * {@code int munmap(void *addr, size_t length);}
     *
     * @param addr   the first byte of the range, page-aligned.
     * @param length the bytes to unmap.
     * @throws dev.fmmap.ErrnoException when munmap fails.
     */
    public static void munmap(final long addr, final long length)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Munmap.HANDLE.invokeExact(capture, MemorySegment.ofAddress(addr), length);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("munmap", errno(capture));
        }
    }

    private static final class Msync
    {
        static final MethodHandle HANDLE = downcall("msync",
            FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    /**
     * {@code int msync(void *addr, size_t length, int flags);}
     *
     * @param addr   the first byte of the range, page-aligned.
     * @param length the bytes to write back.
     * @param flags  {@code MS_} flags.
     * @throws dev.fmmap.ErrnoException when msync fails.
     */
    public static void msync(final long addr, final long length, final int flags)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Msync.HANDLE.invokeExact(capture, MemorySegment.ofAddress(addr), length, flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("msync", errno(capture));
        }
    }

    private static final class Prctl
    {
        /** prctl is variadic after its option; the PR_SET_VMA form passes four more longs. */
        static final MethodHandle HANDLE = downcall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, C_POINTER),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code int prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, length, name);}
     *
     * @param addr   the first byte of anonymous memory to name.
     * @param length bytes to name.
     * @param name   the name, printable ASCII without {@code [ ] \ $ `}, under 80 bytes with its NUL.
     * @throws ErrnoException when prctl fails: EINVAL for a kernel without CONFIG_ANON_VMA_NAME, a
     *                        range that is not anonymous memory, or a character the kernel refuses.
     */
    public static void nameAnonymousMemory(final long addr, final long length, final String name)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try (Arena arena = Arena.ofConfined())
        {
            rc = (int)Prctl.HANDLE.invokeExact(capture, Posix.PR_SET_VMA, (long)Posix.PR_SET_VMA_ANON_NAME, addr,
                length, arena.allocateFrom(name, java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("prctl", errno(capture));
        }
    }

    private static final class Madvise
    {
        static final MethodHandle HANDLE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    /**
     * {@code int madvise(void *addr, size_t length, int advice);}
     *
     * @param addr   the first byte of the range, page-aligned.
     * @param length the bytes the advice is about.
     * @param advice a {@code MADV_} value.
     * @throws dev.fmmap.ErrnoException when madvise fails.
     */
    public static void madvise(final long addr, final long length, final int advice)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Madvise.HANDLE.invokeExact(capture, MemorySegment.ofAddress(addr), length, advice);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("madvise", errno(capture));
        }
    }

    private static final class Mremap
    {
        // mremap is variadic: the fifth argument (new_address) is read only with MREMAP_FIXED.
        static final MethodHandle HANDLE = downcall("mremap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, JAVA_LONG, JAVA_LONG, JAVA_INT, C_POINTER),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(4));
    }

    /**
     * {@code void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...);}
     *
     * @param addr    the mapping's address.
     * @param oldSize its size now.
     * @param newSize the size wanted.
     * @param flags   {@code MREMAP_} flags.
     * @return the address of the resized mapping.
     * @throws dev.fmmap.ErrnoException when mremap fails.
     */
    public static long mremap(final long addr, final long oldSize, final long newSize, final int flags)
    {
        final MemorySegment capture = CAPTURE.get();
        final MemorySegment result;
        try
        {
            result = (MemorySegment)Mremap.HANDLE.invokeExact(
                capture, MemorySegment.ofAddress(addr), oldSize, newSize, flags, MemorySegment.NULL);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (MAP_FAILED == result.address())
        {
            throw new ErrnoException("mremap", errno(capture));
        }
        return result.address();
    }

    /**
     * {@code madvise(addr, length, MADV_POPULATE_READ)}, which reports failure by value: the search
     * guard calls it and carries on whatever it says.
     *
     * @param addr   the first byte of the range, page-aligned.
     * @param length the bytes to fault in.
     * @return 0, or the errno.
     */
    public static int populateRead(final long addr, final long length)
    {
        final MemorySegment capture = CAPTURE.get();
        try
        {
            final int rc = (int)Madvise.HANDLE.invokeExact(capture, MemorySegment.ofAddress(addr), length,
                MADV_POPULATE_READ);
            return -1 == rc ? errno(capture) : 0;
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

    /**
     * {@code int ftruncate(int fd, off_t length);}
     *
     * @param fd     an open file descriptor, writable.
     * @param length the file's new size.
     * @throws dev.fmmap.ErrnoException when ftruncate fails.
     */
    public static void ftruncate(final int fd, final long length)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Ftruncate.HANDLE.invokeExact(capture, fd, length);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("ftruncate", errno(capture));
        }
    }

    private static final class Fstat
    {
        static final MethodHandle HANDLE = downcall("fstat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER), CAPTURE_ERRNO);
    }

    /**
     * The two fields of {@code struct stat} the core needs.
     *
     * @param mode {@code st_mode}.
     * @param size {@code st_size}.
     */
    public record FileStatus(int mode, long size)
    {
        public boolean isRegularFile()
        {
            return S_IFREG == (mode & S_IFMT);
        }
    }

    /** One {@code struct stat} per thread: the search guard calls fstat once per chunk. */
    private static final ThreadLocal<MemorySegment> STAT_BUFFER =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STAT_SIZE, 8));

    /**
     * {@code int fstat(int fd, struct stat *statbuf);}
     *
     * @param fd an open file descriptor.
     * @return its mode and size.
     * @throws dev.fmmap.ErrnoException when fstat fails.
     */
    public static FileStatus fstat(final int fd)
    {
        final MemorySegment capture = CAPTURE.get();
        final MemorySegment buf = STAT_BUFFER.get();
        if (-1 == callFstat(capture, fd, buf))
        {
            throw new ErrnoException("fstat", errno(capture));
        }
        return new FileStatus(buf.get(JAVA_INT, STAT_MODE_OFFSET), buf.get(JAVA_LONG, STAT_SIZE_OFFSET));
    }

    /**
     * The size {@code fstat} reports, without allocating: the search guard's per-chunk check.
     *
     * @return the file size, or -1 when fstat fails (e.g. the descriptor was closed).
     */
    public static long fileSizeOrMinus1(final int fd)
    {
        final MemorySegment buf = STAT_BUFFER.get();
        return -1 == callFstat(CAPTURE.get(), fd, buf) ? -1 : buf.get(JAVA_LONG, STAT_SIZE_OFFSET);
    }

    private static int callFstat(final MemorySegment capture, final int fd, final MemorySegment buf)
    {
        try
        {
            return (int)Fstat.HANDLE.invokeExact(capture, fd, buf);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    private static final class Open
    {
        /** Declared without its variadic mode argument, which open ignores without O_CREAT. */
        static final MethodHandle HANDLE = downcall("open", FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT),
            CAPTURE_ERRNO);
    }

    /**
     * {@code int open(const char *pathname, int flags);}
     *
     * @param path  the file's path.
     * @param flags {@code O_} flags without {@code O_CREAT}.
     * @return the new file descriptor.
     * @throws ErrnoException when open fails.
     */
    public static int open(final String path, final int flags)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try (Arena arena = Arena.ofConfined())
        {
            rc = (int)Open.HANDLE.invokeExact(capture, arena.allocateFrom(path), flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("open", errno(capture));
        }
        return rc;
    }

    private static final class Dup
    {
        static final MethodHandle HANDLE = downcall("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    /** {@code int dup(int oldfd);} */
    public static int dup(final int fd)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Dup.HANDLE.invokeExact(capture, fd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("dup", errno(capture));
        }
        return rc;
    }

    private static final class Close
    {
        static final MethodHandle HANDLE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    /** {@code int close(int fd);} */
    public static void close(final int fd)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)Close.HANDLE.invokeExact(capture, fd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("close", errno(capture));
        }
    }

    // --- inotify: the truncation watcher's view of file size changes ---------------------------------

    private static final class InotifyInit1
    {
        static final MethodHandle HANDLE = downcall("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO);
    }

    /** {@code int inotify_init1(int flags);} */
    public static int inotifyInit1(final int flags)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)InotifyInit1.HANDLE.invokeExact(capture, flags);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("inotify_init1", errno(capture));
        }
        return rc;
    }

    private static final class InotifyAddWatch
    {
        static final MethodHandle HANDLE = downcall("inotify_add_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT), CAPTURE_ERRNO);
    }

    /**
     * {@code int inotify_add_watch(int fd, const char *pathname, uint32_t mask);}
     *
     * @return the watch descriptor; the same one for every path of one inode.
     */
    public static int inotifyAddWatch(final int fd, final String path, final int mask)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try (Arena arena = Arena.ofConfined())
        {
            rc = (int)InotifyAddWatch.HANDLE.invokeExact(capture, fd, arena.allocateFrom(path), mask);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("inotify_add_watch", errno(capture));
        }
        return rc;
    }

    private static final class InotifyRmWatch
    {
        static final MethodHandle HANDLE = downcall("inotify_rm_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    /** {@code int inotify_rm_watch(int fd, int wd);} */
    public static void inotifyRmWatch(final int fd, final int wd)
    {
        final MemorySegment capture = CAPTURE.get();
        final int rc;
        try
        {
            rc = (int)InotifyRmWatch.HANDLE.invokeExact(capture, fd, wd);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("inotify_rm_watch", errno(capture));
        }
    }

    private static final class Pread
    {
        static final MethodHandle HANDLE = downcall("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    /**
     * {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset);}
     *
     * @return the bytes read into {@code buf}: fewer than {@code count} at the end of the file.
     */
    public static long pread(final int fd, final MemorySegment buf, final long count, final long offset)
    {
        final MemorySegment capture = CAPTURE.get();
        final long rc;
        try
        {
            rc = (long)Pread.HANDLE.invokeExact(capture, fd, buf, count, offset);
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("pread", errno(capture));
        }
        return rc;
    }

    private static final class Read
    {
        static final MethodHandle HANDLE = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, JAVA_LONG), CAPTURE_ERRNO);
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count);}
     *
     * @return the bytes read into {@code buf} (blocks until there are some).
     */
    public static long read(final int fd, final MemorySegment buf)
    {
        final MemorySegment capture = CAPTURE.get();
        final long rc;
        try
        {
            rc = (long)Read.HANDLE.invokeExact(capture, fd, buf, buf.byteSize());
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
        if (-1 == rc)
        {
            throw new ErrnoException("read", errno(capture));
        }
        return rc;
    }

    private static final class Strerror
    {
        static final MethodHandle HANDLE = downcall("strerror", FunctionDescriptor.of(C_POINTER, JAVA_INT));
    }

    /** {@code char *strerror(int errnum);} */
    public static String strerror(final int errno)
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

    // --- fault delivery ----------------------------------------------------------------------------

    private static final class Getpagesize
    {
        // Deliberately not "critical": the point of the call is the thread-state change (below).
        static final MethodHandle HANDLE = downcall("getpagesize", FunctionDescriptor.of(JAVA_INT));
    }

    /** {@code int getpagesize(void);} */
    public static int getpagesize()
    {
        try
        {
            return (int)Getpagesize.HANDLE.invokeExact();
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    /**
     * A round trip into C that does nothing (~7 ns) but make the JVM throw a pending memory fault now.
     * HotSpot reports a fault in a memory-segment access (SIGBUS on a truncated file's page) as an
     * {@link InternalError} at the thread's next safepoint poll or return from native code; in compiled
     * code that poll may come only after the faulting method has returned, outside its {@code try}.
     * The return from this call is such a point, so a {@code try} that ends with it catches the fault.
     * The same handle gives the page size ({@link #PAGE_SIZE}), so the first map has linked it already:
     * a handle of its own cost the first search (or first guarded access) ~10-30 ms to link.
     */
    public static void deliverPendingFault()
    {
        try
        {
            final int ignored = (int)Getpagesize.HANDLE.invokeExact();
        }
        catch (final Error e)
        {
            throw e; // the InternalError this exists to deliver
        }
        catch (final Throwable t)
        {
            throw shouldNotReachHere(t);
        }
    }

    // --- search primitives: pure functions of memory, linked "critical" (no thread-state change) ---

    private static final class Memmem
    {
        static final MethodHandle HANDLE = downcall("memmem",
            FunctionDescriptor.of(C_POINTER, C_POINTER, JAVA_LONG, C_POINTER, JAVA_LONG),
            Linker.Option.critical(true));
    }

    /**
     * glibc's {@code memmem(3)} over two segments.
     *
     * @param haystack the memory to search.
     * @param needle   the bytes to look for.
     * @return the offset of the first match within {@code haystack}, or -1.
     */
    public static long memmem(final MemorySegment haystack, final MemorySegment needle)
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
        static final MethodHandle HANDLE = downcall("memrchr",
            FunctionDescriptor.of(C_POINTER, C_POINTER, JAVA_INT, JAVA_LONG), Linker.Option.critical(true));
    }

    /**
     * glibc's {@code memrchr(3)} over a segment.
     *
     * @param s the memory to search.
     * @param c the byte to look for.
     * @return the offset of the last byte {@code c} within {@code s}, or -1.
     */
    public static long memrchr(final MemorySegment s, final byte c)
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
        static final MethodHandle HANDLE = downcall("memchr",
            FunctionDescriptor.of(C_POINTER, C_POINTER, JAVA_INT, JAVA_LONG), Linker.Option.critical(true));
    }

    /**
     * glibc's {@code memchr(3)} over a segment.
     *
     * @param s the memory to search.
     * @param c the byte to look for.
     * @return the offset of the first byte {@code c} within {@code s}, or -1.
     */
    public static long memchr(final MemorySegment s, final byte c)
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
