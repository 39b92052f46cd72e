package dev.fmmap.syscalls;

import dev.fmmap.Posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The C library through jnr-ffi, for JVMs without {@code java.lang.foreign} (JDK 11 to 21). Jython 2.7.4
 * bundles jnr-ffi; other applications take {@code com.github.jnr:jnr-ffi} from Maven Central. jnr-ffi saves
 * {@code errno} per thread straight after each call marked {@link SaveError}. Strings go in as
 * NUL-terminated UTF-8 arrays, as {@link FfmLibc} passes them, whatever the JVM's default charset.
 */
final class JnrLibc implements Libc
{
    /** The C functions, as jnr-ffi binds them: {@code long} is every pointer, {@code size_t} and {@code off_t}. */
    public interface C
    {
        /**
         * mmap's address is a {@link Pointer}: jnr-ffi 2.2.16 compiles a function of six primitive arguments
         * to a native stub (jnr-x86asm, when on the class path) that passes them wrongly (measured: every call
         * fails with EINVAL); an object argument takes the generic path.
         */
        @SaveError
        long mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        @SaveError
        int munmap(long addr, long length);

        @SaveError
        int msync(long addr, long length, int flags);

        @SaveError
        int madvise(long addr, long length, int advice);

        @SaveError
        @Variadic(fixedCount = 4)
        long mremap(long addr, long oldSize, long newSize, int flags, long newAddress);

        @SaveError
        @Variadic(fixedCount = 1)
        int prctl(int option, long arg2, long arg3, long arg4, @In byte[] arg5);

        @SaveError
        int ftruncate(int fd, long length);

        @SaveError
        int fstat(int fd, @Out byte[] buf);

        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int dup(int fd);

        @SaveError
        int close(int fd);

        @SaveError
        int inotify_init1(int flags);

        @SaveError
        int inotify_add_watch(int fd, @In byte[] path, int mask);

        @SaveError
        int inotify_rm_watch(int fd, int wd);

        @SaveError
        long pread(int fd, long buf, long count, long offset);

        @SaveError
        long read(int fd, long buf, long count);

        String strerror(int errno);

        int getpagesize();

        // Pure functions of memory: no errno to save (6 ns a call instead of 10, measured on JDK 17).
        @IgnoreError
        long memchr(long s, int c, long n);

        @IgnoreError
        long memrchr(long s, int c, long n);

        @IgnoreError
        long memmem(long haystack, long length, @In byte[] needle, long needleLength);
    }

    private static final ThreadLocal<byte[]> STAT_BUFFER = ThreadLocal.withInitial(() -> new byte[StructStat.SIZE]);

    private final C c;
    private final Runtime runtime;

    JnrLibc()
    {
        c = LibraryLoader.create(C.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        runtime = Runtime.getRuntime(c);
    }

    private static byte[] cString(final String s)
    {
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        final byte[] z = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, z, 0, utf8.length);
        return z;
    }

    @Override
    public int errno()
    {
        return runtime.getLastError();
    }

    @Override
    public long mmap(final long addr, final long length, final int prot, final int flags, final int fd,
        final long offset)
    {
        return c.mmap(0 == addr ? null : Pointer.wrap(runtime, addr), length, prot, flags, fd, offset);
    }

    @Override
    public int munmap(final long addr, final long length)
    {
        return c.munmap(addr, length);
    }

    @Override
    public int msync(final long addr, final long length, final int flags)
    {
        return c.msync(addr, length, flags);
    }

    @Override
    public int madvise(final long addr, final long length, final int advice)
    {
        return c.madvise(addr, length, advice);
    }

    @Override
    public long mremap(final long addr, final long oldSize, final long newSize, final int flags)
    {
        return c.mremap(addr, oldSize, newSize, flags, 0L);
    }

    @Override
    public int nameAnonymousMemory(final long addr, final long length, final String name)
    {
        return c.prctl(Posix.PR_SET_VMA, Posix.PR_SET_VMA_ANON_NAME, addr, length, cString(name));
    }

    @Override
    public int ftruncate(final int fd, final long length)
    {
        return c.ftruncate(fd, length);
    }

    @Override
    public int fstat(final int fd, final long[] modeAndSize)
    {
        final byte[] buf = STAT_BUFFER.get();
        final int rc = c.fstat(fd, buf);
        if (0 == rc)
        {
            final ByteBuffer stat = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
            modeAndSize[0] = stat.getInt(StructStat.MODE_OFFSET);
            modeAndSize[1] = stat.getLong(StructStat.SIZE_OFFSET);
        }
        return rc;
    }

    @Override
    public int open(final String path, final int flags)
    {
        return c.open(cString(path), flags);
    }

    @Override
    public int dup(final int fd)
    {
        return c.dup(fd);
    }

    @Override
    public int close(final int fd)
    {
        return c.close(fd);
    }

    @Override
    public int inotifyInit1(final int flags)
    {
        return c.inotify_init1(flags);
    }

    @Override
    public int inotifyAddWatch(final int fd, final String path, final int mask)
    {
        return c.inotify_add_watch(fd, cString(path), mask);
    }

    @Override
    public int inotifyRmWatch(final int fd, final int wd)
    {
        return c.inotify_rm_watch(fd, wd);
    }

    @Override
    public long pread(final int fd, final long buf, final long count, final long offset)
    {
        return c.pread(fd, buf, count, offset);
    }

    @Override
    public long read(final int fd, final long buf, final long count)
    {
        return c.read(fd, buf, count);
    }

    @Override
    public String strerror(final int errno)
    {
        return c.strerror(errno);
    }

    @Override
    public int getpagesize()
    {
        return c.getpagesize();
    }

    @Override
    public long memchr(final long s, final int c, final long n)
    {
        return this.c.memchr(s, c, n);
    }

    @Override
    public long memrchr(final long s, final int c, final long n)
    {
        return this.c.memrchr(s, c, n);
    }

    @Override
    public long memmem(final long haystack, final long length, final byte[] needle)
    {
        return c.memmem(haystack, length, needle, needle.length);
    }
}
