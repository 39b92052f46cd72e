package dev.fmmap.syscalls;

import dev.fmmap.ErrnoException;
import dev.fmmap.Posix;
import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system-call wrappers over whichever native backend this JVM runs (the build runs the suite once per
 * backend): results, and failures as {@link ErrnoException} with the call's own errno.
 */
class SyscallsTest
{
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int EBADF = 9;
    private static final int ENOENT = 2;
    private static final int IN_MODIFY = 0x2;
    private static final int PROT_RW = Posix.PROT_READ | Posix.PROT_WRITE;

    @TempDir
    Path dir;

    private static String ascii(final long address, final int length)
    {
        final byte[] bytes = new byte[length];
        NativeMemory.copyToArray(address, bytes, 0, length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldUseTheBackendTheBuildAskedForElseTheJdksOwn()
    {
        final String asked = System.getProperty("fmmap.backend");
        final String expected = null != asked ? asked : Runtime.version().feature() >= 22 ? "ffm" : "jnr";
        assertEquals(expected, Syscalls.backend());
    }

    @Test
    void shouldReportTheKernelsPageSize()
    {
        assertEquals(Syscalls.PAGE_SIZE, Syscalls.getpagesize());
        assertTrue(4096 <= Syscalls.PAGE_SIZE && 0 == (Syscalls.PAGE_SIZE & (Syscalls.PAGE_SIZE - 1)));
    }

    @Test
    void shouldRaiseTheErrnoOfTheFailedCallWithItsName()
    {
        final ErrnoException missing = assertThrows(ErrnoException.class,
            () -> Syscalls.open(dir.resolve("absent").toString(), O_RDONLY));
        assertEquals(ENOENT, missing.errno());
        assertEquals("open", missing.syscall());
        assertTrue(missing.getMessage().contains("No such file or directory"), missing.getMessage());

        final ErrnoException closed = assertThrows(ErrnoException.class, () -> Syscalls.ftruncate(-1, 0));
        assertEquals(EBADF, closed.errno());
        assertEquals("ftruncate", closed.syscall());
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> Syscalls.fstat(-1)).errno());
        assertEquals(-1, Syscalls.fileSizeOrMinus1(-1));
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> Syscalls.close(-1)).errno());
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> Syscalls.dup(-1)).errno());
        assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class,
            () -> Syscalls.mmap(0, 0, Posix.PROT_READ, Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS, -1, 0)).errno());
        assertEquals("Bad file descriptor", Syscalls.strerror(EBADF));
    }

    @Test
    void shouldOpenByUtf8PathStatTruncateAndReadAFile() throws IOException
    {
        final Path path = Files.write(dir.resolve("données-é.bin"), "hello, world".getBytes(StandardCharsets.UTF_8));
        final int fd = Syscalls.open(path.toString(), O_RDWR);
        try
        {
            final Syscalls.FileStatus status = Syscalls.fstat(fd);
            assertTrue(status.isRegularFile());
            assertEquals(12, status.size());
            final int directory = Syscalls.open(dir.toString(), O_RDONLY);
            assertFalse(Syscalls.fstat(directory).isRegularFile());
            Syscalls.close(directory);
            final NativeBuffer buf = NativeBuffer.allocate(16);
            assertEquals(5, Syscalls.pread(fd, buf.address(), 16, 7));
            assertEquals("world", ascii(buf.address(), 5));
            assertEquals(5, Syscalls.read(fd, buf.address(), 5));
            assertEquals("hello", ascii(buf.address(), 5));
            Syscalls.ftruncate(fd, 3);
            assertEquals(3, Syscalls.fileSizeOrMinus1(fd));
            final int copy = Syscalls.dup(fd);
            assertNotEquals(fd, copy);
            assertEquals(3, Syscalls.fstat(copy).size());
            Syscalls.close(copy);
            assertEquals(-1, Syscalls.fileSizeOrMinus1(copy));
        }
        finally
        {
            Syscalls.close(fd);
        }
    }

    @Test
    void shouldMapAdviseSyncRemapAndUnmap() throws IOException
    {
        final long page = Syscalls.PAGE_SIZE;
        final Path path = Files.write(dir.resolve("m.bin"), new byte[(int)(2 * page)]);
        final int fd = Syscalls.open(path.toString(), O_RDWR);
        try
        {
            final long address = Syscalls.mmap(0, 2 * page, PROT_RW, Posix.MAP_SHARED, fd, 0);
            NativeMemory.putByte(address + page + 1, (byte)'x');
            Syscalls.madvise(address, 2 * page, Posix.MADV_WILLNEED);
            assertEquals(0, Syscalls.populateRead(address, 2 * page));
            Syscalls.msync(address, 2 * page, Posix.MS_SYNC);
            assertEquals('x', Files.readAllBytes(path)[(int)page + 1]);
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class,
                () -> Syscalls.madvise(address + 1, page, Posix.MADV_WILLNEED)).errno());

            final long moved = Syscalls.mremap(address, 2 * page, page, 0);
            assertEquals(address, moved, "shrinking in place");
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class,
                () -> Syscalls.mremap(address + 1, page, 2 * page, Posix.MREMAP_MAYMOVE)).errno());
            Syscalls.munmap(moved, page);
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> Syscalls.munmap(address + 1, page))
                .errno());
        }
        finally
        {
            Syscalls.close(fd);
        }
    }

    @Test
    void shouldNameAnonymousMemoryWhereTheKernelCan() throws IOException
    {
        final long page = Syscalls.PAGE_SIZE;
        final long address = Syscalls.mmap(0, page, PROT_RW, Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS, -1, 0);
        try
        {
            Syscalls.nameAnonymousMemory(address, page, "fmmap-test");
            final String maps = new String(Files.readAllBytes(Paths.get("/proc/self/maps")), StandardCharsets.UTF_8);
            assertTrue(maps.contains(Long.toHexString(address) + "-") && maps.contains("[anon:fmmap-test]"), maps);
        }
        catch (final ErrnoException e)
        {
            assertEquals(Posix.EINVAL, e.errno(), "a kernel without CONFIG_ANON_VMA_NAME refuses with EINVAL");
        }
        finally
        {
            Syscalls.munmap(address, page);
        }
    }

    @Test
    void shouldWatchAFileWithInotify() throws IOException
    {
        final Path path = Files.write(dir.resolve("w.bin"), new byte[8]);
        final int inotify = Syscalls.inotifyInit1(0);
        try
        {
            final int wd = Syscalls.inotifyAddWatch(inotify, path.toString(), IN_MODIFY);
            assertEquals(wd, Syscalls.inotifyAddWatch(inotify, path.toString(), IN_MODIFY), "one watch per inode");
            Files.write(path, new byte[4]);
            final NativeBuffer events = NativeBuffer.allocate(4096);
            assertTrue(16 <= Syscalls.read(inotify, events.address(), events.size()));
            assertEquals(wd, NativeMemory.getInt(events.address()));
            Syscalls.inotifyRmWatch(inotify, wd);
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> Syscalls.inotifyRmWatch(inotify, wd))
                .errno());
            assertEquals(ENOENT, assertThrows(ErrnoException.class,
                () -> Syscalls.inotifyAddWatch(inotify, dir.resolve("absent").toString(), IN_MODIFY)).errno());
        }
        finally
        {
            Syscalls.close(inotify);
        }
    }
}
