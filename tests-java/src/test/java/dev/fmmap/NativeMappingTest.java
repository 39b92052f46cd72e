package dev.fmmap;

import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.fmmap.ProcMaps.isMapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle of one mapping on its own: zero-page guards, their release, and lost pages. */
class NativeMappingTest
{
    private static final int PROT_RW = Posix.PROT_READ | Posix.PROT_WRITE;

    @TempDir
    Path dir;

    /** A shared read-write mapping of a file of {@code pages} pages of 'a', with its own descriptor. */
    private NativeMapping mapFile(final int pages) throws IOException
    {
        final long size = (long)pages * Posix.pageSize();
        final Path path = Files.write(dir.resolve("f.bin"), "a".repeat((int)size).getBytes());
        final int fd;
        try (OpenFile file = OpenFile.open(path, true, 0))
        {
            fd = Syscalls.dup(file.fd());
        }
        final long address = Syscalls.mmap(0, size, PROT_RW, Posix.MAP_SHARED, fd, 0);
        return new NativeMapping(fd, address, size, PROT_RW, Posix.MAP_SHARED, 0);
    }

    private static byte at(final long address)
    {
        return NativeMemory.getByte(address);
    }

    @Test
    void shouldLeaveZeroPagesWhereItWasUntilReleasedAndCloseItsDescriptor() throws IOException
    {
        final NativeMapping m = mapFile(2);
        final long address = m.address();
        final long guardsBefore = NativeMapping.GUARDS.get();
        assertEquals('a', at(address));
        m.unmap();
        assertEquals(-1, m.fd());
        assertTrue(isMapped(address), "the range stays reserved");
        assertEquals(0, at(address + Posix.pageSize()), "a stale pointer reads zeros, never faults");
        assertEquals(guardsBefore + 1, NativeMapping.GUARDS.get());
        m.run(); // the cleanup, once nothing can point into the range
        assertFalse(isMapped(address));
        assertEquals(guardsBefore, NativeMapping.GUARDS.get());
    }

    @Test
    void shouldGuardTheTailItLeavesWhenShrunk() throws IOException
    {
        final NativeMapping m = mapFile(3);
        final long address = m.address();
        final long page = Posix.pageSize();
        m.remap(page, PROT_RW, Posix.MAP_SHARED, 0, true);
        assertEquals(page, m.size());
        assertEquals('a', at(address));
        assertEquals(0, at(address + 2 * page), "the tail left is zero pages");
        m.run();
        assertFalse(isMapped(address + 2 * page));
    }

    @Test
    void shouldUnmapOutrightWhenAskedToLeaveNoGuard() throws IOException
    {
        final NativeMapping m = mapFile(1);
        final long address = m.address();
        m.unmapWithoutGuard();
        assertFalse(isMapped(address));
        assertEquals(-1, m.fd());
        m.run(); // a later cleanup has nothing left to release
        assertFalse(isMapped(address));
    }

    @Test
    void shouldReplacePagesTheFileLostByZerosAndMapThemAgainWhenItGrowsBack() throws IOException
    {
        final NativeMapping m = mapFile(3);
        final long page = Posix.pageSize();
        m.allowRawAccess(true);
        assertEquals(1, NativeMemory.getByte(m.rawFlag.address()));
        Syscalls.ftruncate(m.fd(), page);
        m.fileChanged();
        assertEquals(page, m.lostFrom);
        assertEquals(0, NativeMemory.getByte(m.rawFlag.address()), "raw access stops once the pages are lost");
        assertEquals(0, at(m.address() + 2 * page), "lost pages read zeros, never fault");
        Syscalls.ftruncate(m.fd(), 3 * page);
        m.fileChanged();
        assertEquals(Long.MAX_VALUE, m.lostFrom);
        assertEquals(1, NativeMemory.getByte(m.rawFlag.address()));
        m.run();
    }
}
