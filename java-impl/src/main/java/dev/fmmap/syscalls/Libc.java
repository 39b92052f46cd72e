package dev.fmmap.syscalls;

/**
 * The C library functions fmmap calls, as one native backend links them ({@link FfmLibc} on JDK 22 and
 * later, {@link JnrLibc} before). Each method returns C's own result, failures included; after a failing
 * call, {@link #errno()} gives that call's {@code errno} on the calling thread. Turning failures into
 * exceptions is {@link Syscalls}' job, the same for both backends.
 *
 * <p>Addresses, sizes and offsets are {@code long}: pointers, {@code size_t} and {@code off_t} are 64 bits
 * on the systems fmmap runs on (x86-64 and aarch64 Linux).
 */
interface Libc
{
    /** @return {@code errno} as the calling thread's last call through this backend left it. */
    int errno();

    long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    int munmap(long addr, long length);

    int msync(long addr, long length, int flags);

    int madvise(long addr, long length, int advice);

    /** {@code mremap} without a new address ({@code MREMAP_FIXED} is never asked for). */
    long mremap(long addr, long oldSize, long newSize, int flags);

    /** {@code prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, length, name)}. */
    int nameAnonymousMemory(long addr, long length, String name);

    int ftruncate(int fd, long length);

    /**
     * {@code fstat}, keeping only what fmmap reads.
     *
     * @param modeAndSize receives {@code st_mode} at index 0 and {@code st_size} at index 1 on success.
     */
    int fstat(int fd, long[] modeAndSize);

    int open(String path, int flags);

    int dup(int fd);

    int close(int fd);

    int inotifyInit1(int flags);

    int inotifyAddWatch(int fd, String path, int mask);

    int inotifyRmWatch(int fd, int wd);

    long pread(int fd, long buf, long count, long offset);

    long read(int fd, long buf, long count);

    String strerror(int errno);

    /**
     * {@code getpagesize()}, through a call that changes the thread's state (never a "critical" one), so
     * that the JVM delivers a fault still pending from an earlier memory access
     * ({@code NativeMemory.deliverPendingFault()}).
     */
    int getpagesize();

    // --- glibc's search functions: pure functions of memory that cannot fail (no errno) ---------------

    /** {@code memchr}: the address of the first byte {@code c} in {@code [s, s + n)}, or 0. */
    long memchr(long s, int c, long n);

    /** {@code memrchr}: the address of the last byte {@code c} in {@code [s, s + n)}, or 0. */
    long memrchr(long s, int c, long n);

    /** {@code memmem}: the address of the first match of {@code needle} in {@code [haystack, haystack + length)}, or 0. */
    long memmem(long haystack, long length, byte[] needle);
}
