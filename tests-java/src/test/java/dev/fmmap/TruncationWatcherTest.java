package dev.fmmap;

import dev.fmmap.memory.NativeMemory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TruncationWatcherTest
{
    private static final long WAIT_NANOS = 5_000_000_000L;

    @TempDir
    Path dir;

    private Path file(final int pages) throws IOException
    {
        final byte[] content = new byte[pages * Posix.pageSize()];
        for (int i = 0; i < content.length; i++)
        {
            content[i] = (byte)(1 + i % 251);
        }
        return Files.write(Files.createTempFile(dir, "watched", ".bin"), content);
    }

    private static int rawFlag(final MemoryMap m)
    {
        return NativeMemory.getByte(m.rawAccessAddress());
    }

    /** Waits for the watcher thread to set the flag to {@code expected}; fails after 5 s. */
    private static void awaitRawFlag(final MemoryMap m, final int expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (rawFlag(m) != expected)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("raw-access flag still " + rawFlag(m) + ", expected " + expected);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void shouldReplaceLostPagesByZerosAndRefuseGuardedAccessesAfterATruncation() throws Exception
    {
        final int page = Posix.pageSize();
        final Path path = file(8);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0);
             RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            assertEquals(GuardMode.FAST, m.guardMode());
            assertEquals(1, rawFlag(m));
            raf.setLength(2L * page + 10); // pages 3..7 lose their file; page 2 is partly backed
            awaitRawFlag(m, 0);
            // the raw address reads zeros where it would have faulted (SIGBUS): the watcher's guard
            assertEquals(0, NativeMemory.getByte(m.address() + 5L * page));
            assertEquals((byte)(1 + (2 * page + 5) % 251), NativeMemory.getByte(m.address() + 2L * page + 5));
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.get(3L * page)).errno());
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class,
                () -> m.copyOut(2L * page, page + 1)).errno());
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class,
                () -> m.put(7L * page, (byte)1)).errno());
            assertEquals((byte)(1 + 17 % 251), m.get(17)); // what the file still backs reads fine
        }
    }

    @Test
    void shouldMapTheFileAgainOnceItGrowsBack() throws Exception
    {
        final int page = Posix.pageSize();
        final Path path = file(4);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0);
             RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            assertEquals(-1, m.lostFrom());
            raf.setLength(page);
            awaitRawFlag(m, 0);
            assertEquals(page, m.lostFrom());
            raf.setLength(4L * page); // copytruncate's log grows again: zeros, then what is written
            raf.seek(3L * page);
            raf.write(42);
            awaitRawFlag(m, 1);
            assertEquals(-1, m.lostFrom());
            assertEquals(42, m.get(3L * page));
            m.put(3L * page + 1, (byte)43); // a shared map again: the write reaches the file
            raf.seek(3L * page + 1);
            assertEquals(43, raf.read());
        }
    }

    @Test
    void shouldResizeAMapWhosePagesATruncationTook() throws Exception
    {
        final int page = Posix.pageSize();
        final Path path = file(4);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0);
             RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            raf.setLength(page);
            awaitRawFlag(m, 0);
            m.resize(64L * page); // the lost pages are the file's again, then the map grows
            assertEquals(64L * page, raf.length());
            assertEquals(1, rawFlag(m));
            m.put(63L * page, (byte)7);
            assertEquals(0, m.get(2L * page));
            assertEquals((byte)(1 + 5 % 251), m.get(5));
        }
    }

    @Test
    void shouldGiveRawAccessOnlyWhereNothingCanFault() throws Exception
    {
        final Path path = file(2);
        final GuardMode before = GuardMode.getDefault();
        try (MemoryMap anonymous = MemoryMap.anonymous(4096); MemoryMap fast = MemoryMap.map(path, 0, Access.READ, 0))
        {
            assertEquals(1, rawFlag(anonymous));
            assertEquals(1, rawFlag(fast));
            GuardMode.setDefault(GuardMode.STRICT);
            try (MemoryMap strict = MemoryMap.map(path, 0, Access.READ, 0);
                 MemoryMap strictAnonymous = MemoryMap.anonymous(4096))
            {
                assertEquals(GuardMode.STRICT, strict.guardMode());
                assertEquals(0, rawFlag(strict));
                assertEquals(1, rawFlag(strictAnonymous));
            }
            fast.close();
            assertEquals(0, rawFlag(fast));
        }
        finally
        {
            GuardMode.setDefault(before);
        }
    }

    @Test
    void shouldParseGuardModesByName()
    {
        assertEquals(GuardMode.STRICT, GuardMode.parse(" Strict"));
        assertEquals(GuardMode.FAST, GuardMode.parse("fast"));
        assertEquals("fmmap guard mode must be 'fast' or 'strict', not 'safe'",
            assertThrows(IllegalArgumentException.class, () -> GuardMode.parse("safe")).getMessage());
    }
}
