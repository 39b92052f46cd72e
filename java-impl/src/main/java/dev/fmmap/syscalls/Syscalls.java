package dev.fmmap.syscalls;

import dev.fmmap.ErrnoException;

/**
 * The system calls fmmap makes. Each wrapper makes the call through the native backend this JVM has
 * ({@link #backend()}), tests for failure and throws {@link ErrnoException} with the {@code errno} the
 * backend captured straight after the call (never read later: the JVM may overwrite it).
 *
 * <p>The backend is {@code java.lang.foreign} on JDK 22 and later, jnr-ffi before; the system property
 * {@code fmmap.backend} ({@code ffm} or {@code jnr}) chooses one explicitly, so that one JVM can test both.
 * Each is loaded by name, so a JVM never links the one it does not use: JDK 17 never sees the
 * {@code java.lang.foreign} classes, and JDK 25 needs no jnr-ffi.
 */
public final class Syscalls
{
    /** {@code MAP_FAILED}, i.e. {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;
    /** {@code MADV_POPULATE_READ} (Linux 5.14+): faults a range's pages in, readable, in one call. */
    private static final int MADV_POPULATE_READ = 22;
    /** {@code S_IFMT}: the file-type bits of {@code st_mode}. */
    private static final int S_IFMT = 0xF000;
    /** {@code S_IFREG}: a regular file. */
    private static final int S_IFREG = 0x8000;
    /** The first JDK whose {@code java.lang.foreign} is final. */
    private static final int FFM_FEATURE = 22;

    private static final String BACKEND = chooseBackend();
    private static final Libc LIBC = load(BACKEND);
    private static final ThreadLocal<long[]> MODE_AND_SIZE = ThreadLocal.withInitial(() -> new long[2]);

    /** The kernel's page size, from {@code getpagesize()}. */
    public static final int PAGE_SIZE = getpagesize();

    private Syscalls()
    {
    }

    private static String chooseBackend()
    {
        final String asked = System.getProperty("fmmap.backend", "");
        if ("ffm".equals(asked) || "jnr".equals(asked))
        {
            return asked;
        }
        if (!asked.isEmpty())
        {
            throw new IllegalStateException("fmmap.backend must be 'ffm' or 'jnr', not '" + asked + "'");
        }
        return Runtime.version().feature() >= FFM_FEATURE ? "ffm" : "jnr";
    }

    private static Libc load(final String backend)
    {
        final String name = "ffm".equals(backend) ? "dev.fmmap.syscalls.FfmLibc" : "dev.fmmap.syscalls.JnrLibc";
        try
        {
            return (Libc)Class.forName(name).getDeclaredConstructor().newInstance();
        }
        catch (final LinkageError | ReflectiveOperationException e)
        {
            throw new IllegalStateException("ffm".equals(backend)
                ? "fmmap's java.lang.foreign backend needs JDK " + FFM_FEATURE + " or later; this is JDK "
                    + Runtime.version().feature() + " (" + e + ")"
                : "fmmap on JDK " + Runtime.version().feature() + " needs jnr-ffi (com.github.jnr:jnr-ffi 2.2, which "
                    + "Jython 2.7.4 bundles) on the class path (" + e + ")", e);
        }
    }

    /**
     * @return the native backend in use: {@code "ffm"} ({@code java.lang.foreign}) or {@code "jnr"} (jnr-ffi).
     */
    public static String backend()
    {
        return BACKEND;
    }

    private static ErrnoException failed(final String call)
    {
        return new ErrnoException(call, LIBC.errno());
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
        final long result = LIBC.mmap(addr, length, prot, flags, fd, offset);
        if (MAP_FAILED == result)
        {
            throw failed("mmap");
        }
        return result;
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
        if (-1 == LIBC.munmap(addr, length))
        {
            throw failed("munmap");
        }
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
        if (-1 == LIBC.msync(addr, length, flags))
        {
            throw failed("msync");
        }
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
        if (-1 == LIBC.nameAnonymousMemory(addr, length, name))
        {
            throw failed("prctl");
        }
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
        if (-1 == LIBC.madvise(addr, length, advice))
        {
            throw failed("madvise");
        }
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
        final long result = LIBC.mremap(addr, oldSize, newSize, flags);
        if (MAP_FAILED == result)
        {
            throw failed("mremap");
        }
        return result;
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
        return -1 == LIBC.madvise(addr, length, MADV_POPULATE_READ) ? LIBC.errno() : 0;
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
        if (-1 == LIBC.ftruncate(fd, length))
        {
            throw failed("ftruncate");
        }
    }

    /** What {@link #fstat(int)} reports of a file: its mode and size. */
    public static final class FileStatus
    {
        private final int mode;
        private final long size;

        FileStatus(final int mode, final long size)
        {
            this.mode = mode;
            this.size = size;
        }

        /** @return {@code st_mode}: the file type and permission bits. */
        public int mode()
        {
            return mode;
        }

        /** @return {@code st_size}: the file's size in bytes. */
        public long size()
        {
            return size;
        }

        /** @return whether the file is a regular file ({@code S_ISREG}). */
        public boolean isRegularFile()
        {
            return S_IFREG == (mode & S_IFMT);
        }
    }

    /**
     * {@code int fstat(int fd, struct stat *statbuf);}
     *
     * @param fd an open file descriptor.
     * @return its mode and size.
     * @throws dev.fmmap.ErrnoException when fstat fails.
     */
    public static FileStatus fstat(final int fd)
    {
        final long[] modeAndSize = MODE_AND_SIZE.get();
        if (-1 == LIBC.fstat(fd, modeAndSize))
        {
            throw failed("fstat");
        }
        return new FileStatus((int)modeAndSize[0], modeAndSize[1]);
    }

    /**
     * The size {@code fstat} reports, without allocating: the search guard's per-chunk check.
     *
     * @param fd an open file descriptor.
     * @return the file size, or -1 when fstat fails (e.g. the descriptor was closed).
     */
    public static long fileSizeOrMinus1(final int fd)
    {
        final long[] modeAndSize = MODE_AND_SIZE.get();
        return -1 == LIBC.fstat(fd, modeAndSize) ? -1 : modeAndSize[1];
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
        final int fd = LIBC.open(path, flags);
        if (-1 == fd)
        {
            throw failed("open");
        }
        return fd;
    }

    /**
     * {@code int dup(int oldfd);}
     *
     * @param fd an open file descriptor.
     * @return a new descriptor for the same open file.
     * @throws ErrnoException when dup fails.
     */
    public static int dup(final int fd)
    {
        final int copy = LIBC.dup(fd);
        if (-1 == copy)
        {
            throw failed("dup");
        }
        return copy;
    }

    /**
     * {@code int close(int fd);}
     *
     * @param fd the descriptor to close.
     * @throws ErrnoException when close fails.
     */
    public static void close(final int fd)
    {
        if (-1 == LIBC.close(fd))
        {
            throw failed("close");
        }
    }

    // --- inotify: the truncation watcher's view of file size changes ---------------------------------

    /**
     * {@code int inotify_init1(int flags);}
     *
     * @param flags {@code IN_} flags.
     * @return the new inotify descriptor.
     * @throws ErrnoException when inotify_init1 fails.
     */
    public static int inotifyInit1(final int flags)
    {
        final int fd = LIBC.inotifyInit1(flags);
        if (-1 == fd)
        {
            throw failed("inotify_init1");
        }
        return fd;
    }

    /**
     * {@code int inotify_add_watch(int fd, const char *pathname, uint32_t mask);}
     *
     * @param fd   the inotify descriptor.
     * @param path the file to watch.
     * @param mask the events to report.
     * @return the watch descriptor; the same one for every path of one inode.
     * @throws ErrnoException when inotify_add_watch fails.
     */
    public static int inotifyAddWatch(final int fd, final String path, final int mask)
    {
        final int wd = LIBC.inotifyAddWatch(fd, path, mask);
        if (-1 == wd)
        {
            throw failed("inotify_add_watch");
        }
        return wd;
    }

    /**
     * {@code int inotify_rm_watch(int fd, int wd);}
     *
     * @param fd the inotify descriptor.
     * @param wd the watch to remove.
     * @throws ErrnoException when inotify_rm_watch fails.
     */
    public static void inotifyRmWatch(final int fd, final int wd)
    {
        if (-1 == LIBC.inotifyRmWatch(fd, wd))
        {
            throw failed("inotify_rm_watch");
        }
    }

    /**
     * {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset);}
     *
     * @param fd     an open file descriptor.
     * @param buf    the address of native memory to read into.
     * @param count  the most bytes to read.
     * @param offset where in the file to start.
     * @return the bytes read into {@code buf}: fewer than {@code count} at the end of the file.
     * @throws ErrnoException when pread fails.
     */
    public static long pread(final int fd, final long buf, final long count, final long offset)
    {
        final long n = LIBC.pread(fd, buf, count, offset);
        if (-1 == n)
        {
            throw failed("pread");
        }
        return n;
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count);}
     *
     * @param fd    an open file descriptor.
     * @param buf   the address of native memory to read into.
     * @param count the most bytes to read.
     * @return the bytes read into {@code buf} (blocks until there are some).
     * @throws ErrnoException when read fails.
     */
    public static long read(final int fd, final long buf, final long count)
    {
        final long n = LIBC.read(fd, buf, count);
        if (-1 == n)
        {
            throw failed("read");
        }
        return n;
    }

    /**
     * {@code char *strerror(int errnum);}
     *
     * @param errno an error number.
     * @return the C library's message for it.
     */
    public static String strerror(final int errno)
    {
        return LIBC.strerror(errno);
    }

    // --- fault delivery ----------------------------------------------------------------------------

    /**
     * {@code int getpagesize(void);}
     *
     * @return the kernel's page size.
     */
    public static int getpagesize()
    {
        return LIBC.getpagesize();
    }

    // --- glibc's search functions, for the search kernels of any backend -----------------------------

    /**
     * {@code memchr(3)}.
     *
     * @param address the first byte to search.
     * @param length  how many bytes.
     * @param value   the byte to look for.
     * @return the offset of the first {@code value} from {@code address}, or -1.
     */
    public static long memchr(final long address, final long length, final byte value)
    {
        final long hit = LIBC.memchr(address, value & 0xFF, length);
        return 0 == hit ? -1 : hit - address;
    }

    /**
     * {@code memrchr(3)}.
     *
     * @param address the first byte to search.
     * @param length  how many bytes.
     * @param value   the byte to look for.
     * @return the offset of the last {@code value} from {@code address}, or -1.
     */
    public static long memrchr(final long address, final long length, final byte value)
    {
        final long hit = LIBC.memrchr(address, value & 0xFF, length);
        return 0 == hit ? -1 : hit - address;
    }

    /**
     * {@code memmem(3)}.
     *
     * @param address the first byte to search.
     * @param length  how many bytes.
     * @param needle  the bytes to look for, at least one.
     * @return the offset of the first match from {@code address}, or -1.
     */
    public static long memmem(final long address, final long length, final byte[] needle)
    {
        final long hit = LIBC.memmem(address, length, needle);
        return 0 == hit ? -1 : hit - address;
    }
}
