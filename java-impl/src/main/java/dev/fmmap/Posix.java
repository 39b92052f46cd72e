package dev.fmmap;

import dev.fmmap.syscalls.Syscalls;

/**
 * Linux values of the POSIX constants the core uses and exposes (mmap flags and protections,
 * madvise advice, msync flags, errno codes). Values are those of the kernel's generic headers, which
 * x86-64 and aarch64 share; any other system is refused when the class loads.
 */
public final class Posix
{
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code PROT_EXEC}. */
    public static final int PROT_EXEC = 4;

    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 0x01;
    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 0x02;
    /** {@code MAP_FIXED}: replace whatever is mapped at the given address. */
    public static final int MAP_FIXED = 0x10;
    /** {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_32BIT} (x86-64 only). */
    public static final int MAP_32BIT = 0x40;
    /** {@code MAP_DENYWRITE} (ignored by Linux). */
    public static final int MAP_DENYWRITE = 0x0800;
    /** {@code MAP_EXECUTABLE} (ignored by Linux). */
    public static final int MAP_EXECUTABLE = 0x1000;
    /** {@code MAP_NORESERVE}. */
    public static final int MAP_NORESERVE = 0x4000;
    /** {@code MAP_POPULATE}. */
    public static final int MAP_POPULATE = 0x8000;
    /** {@code MAP_STACK}. */
    public static final int MAP_STACK = 0x20000;
    /** {@code MAP_FIXED_NOREPLACE}: like MAP_FIXED but fail with EEXIST rather than replace. */
    public static final int MAP_FIXED_NOREPLACE = 0x100000;

    /** {@code MREMAP_MAYMOVE}. */
    public static final int MREMAP_MAYMOVE = 1;

    /** {@code PR_SET_VMA}, the prctl option that names ranges of memory (Linux 5.17). */
    public static final int PR_SET_VMA = 0x53564d41;
    /** {@code PR_SET_VMA_ANON_NAME}, PR_SET_VMA's naming of anonymous memory. */
    public static final int PR_SET_VMA_ANON_NAME = 0;
    /** {@code MS_ASYNC}. */
    public static final int MS_ASYNC = 1;
    /** {@code MS_INVALIDATE}. */
    public static final int MS_INVALIDATE = 2;
    /** {@code MS_SYNC}. */
    public static final int MS_SYNC = 4;

    /** {@code MADV_NORMAL}. */
    public static final int MADV_NORMAL = 0;
    /** {@code MADV_RANDOM}. */
    public static final int MADV_RANDOM = 1;
    /** {@code MADV_SEQUENTIAL}. */
    public static final int MADV_SEQUENTIAL = 2;
    /** {@code MADV_WILLNEED}. */
    public static final int MADV_WILLNEED = 3;
    /** {@code MADV_DONTNEED}. */
    public static final int MADV_DONTNEED = 4;
    /** {@code MADV_FREE}. */
    public static final int MADV_FREE = 8;
    /** {@code MADV_REMOVE}. */
    public static final int MADV_REMOVE = 9;
    /** {@code MADV_DONTFORK}. */
    public static final int MADV_DONTFORK = 10;
    /** {@code MADV_DOFORK}. */
    public static final int MADV_DOFORK = 11;
    /** {@code MADV_MERGEABLE}. */
    public static final int MADV_MERGEABLE = 12;
    /** {@code MADV_UNMERGEABLE}. */
    public static final int MADV_UNMERGEABLE = 13;
    /** {@code MADV_HUGEPAGE}. */
    public static final int MADV_HUGEPAGE = 14;
    /** {@code MADV_NOHUGEPAGE}. */
    public static final int MADV_NOHUGEPAGE = 15;
    /** {@code MADV_DONTDUMP}. */
    public static final int MADV_DONTDUMP = 16;
    /** {@code MADV_DODUMP}. */
    public static final int MADV_DODUMP = 17;
    /** {@code MADV_HWPOISON}. */
    public static final int MADV_HWPOISON = 100;
    /** {@code MADV_SOFT_OFFLINE}. */
    public static final int MADV_SOFT_OFFLINE = 101;

    /** {@code EBADF}. */
    public static final int EBADF = 9;
    /** {@code ENOMEM}. */
    public static final int ENOMEM = 12;
    /** {@code EFAULT}: what a system call says when handed memory that is no longer there. */
    public static final int EFAULT = 14;
    /** {@code EACCES}. */
    public static final int EACCES = 13;
    /** {@code EEXIST}. */
    public static final int EEXIST = 17;
    /** {@code ENOSYS}. */
    public static final int ENOSYS = 38;
    /** {@code EINVAL}. */
    public static final int EINVAL = 22;

    /** {@code O_RDONLY}: open for reading only. */
    static final int O_RDONLY = 0;
    /** {@code O_RDWR}: open for reading and writing. */
    static final int O_RDWR = 2;
    /** {@code O_CLOEXEC}: the descriptor does not survive an exec. */
    static final int O_CLOEXEC = 0x80000;

    /** {@code IN_CLOEXEC} for {@code inotify_init1}. */
    static final int IN_CLOEXEC = 0x80000;
    /** inotify: the file was modified (a write or a truncation). */
    static final int IN_MODIFY = 0x2;
    /** inotify: the watch was removed (explicitly, or the file is gone). */
    static final int IN_IGNORED = 0x8000;
    /** {@code EINTR}: a blocking call was interrupted by a signal. */
    static final int EINTR = 4;

    static
    {
        if (!"Linux".equals(System.getProperty("os.name")))
        {
            throw new IllegalStateException("Unsupported system! fmmap's core runs on Linux only.");
        }
    }

    private Posix()
    {
    }

    /**
     * @return the size of a memory page, as {@code getpagesize()} (the same as {@code sysconf(_SC_PAGESIZE)}) reports it.
     */
    public static int pageSize()
    {
        return Syscalls.PAGE_SIZE;
    }
}
