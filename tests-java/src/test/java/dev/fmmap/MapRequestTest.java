package dev.fmmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPython's mmap arguments resolved into what the kernel is asked for, before anything is mapped. */
class MapRequestTest
{
    private static final int RW = Posix.PROT_READ | Posix.PROT_WRITE;

    @Test
    void shouldMapAnAccessModeToItsFlagsAndProtection()
    {
        final MapRequest write = MapRequest.of(-1, 10, Posix.MAP_SHARED, RW, Access.WRITE, 0);
        assertEquals(Access.WRITE, write.access());
        assertEquals(Posix.MAP_SHARED | Posix.MAP_ANONYMOUS, write.flags());
        assertEquals(RW, write.prot());
        final MapRequest copy = MapRequest.of(-1, 10, Posix.MAP_SHARED, RW, Access.COPY, 0);
        assertEquals(Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS, copy.flags());
        assertEquals(10, copy.size());
        assertFalse(copy.regularFile());
    }

    @Test
    void shouldMapReadOnlyPagesPrivateAndWritableSoThatStrayWritesCannotFault()
    {
        final MapRequest read = MapRequest.of(-1, 10, Posix.MAP_SHARED, RW, Access.READ, 0);
        assertEquals(Access.READ, read.access());
        assertEquals(Posix.MAP_PRIVATE | Posix.MAP_NORESERVE | Posix.MAP_ANONYMOUS, read.flags());
        assertEquals(RW, read.prot());
    }

    @Test
    void shouldResolveTheDefaultAccessFromProtAndAlwaysMapReadable()
    {
        assertEquals(Access.READ, MapRequest.of(-1, 1, Posix.MAP_SHARED, Posix.PROT_READ, Access.DEFAULT, 0).access());
        final MapRequest writeOnly = MapRequest.of(-1, 1, Posix.MAP_SHARED, Posix.PROT_WRITE, Access.DEFAULT, 0);
        assertEquals(Access.WRITE, writeOnly.access());
        assertEquals(RW, writeOnly.prot(), "PROT_WRITE alone would crash CPython on the first read");
        assertEquals(Access.DEFAULT, MapRequest.of(-1, 1, Posix.MAP_SHARED, RW, Access.DEFAULT, 0).access());
    }

    @Test
    void shouldTakeTheFilesRestForLengthZeroAndCheckSizesWithCpythonsWording(@TempDir final Path dir)
        throws IOException
    {
        final long page = Posix.pageSize();
        final Path path = Files.write(dir.resolve("f.bin"), new byte[(int)(3 * page)]);
        try (OpenFile file = OpenFile.open(path, false, 0))
        {
            final MapRequest rest = MapRequest.of(file.fd(), 0, Posix.MAP_SHARED, RW, Access.READ, page);
            assertEquals(2 * page, rest.size());
            assertTrue(rest.regularFile());
            assertMessage("mmap length is greater than file size",
                () -> MapRequest.of(file.fd(), 3 * page, Posix.MAP_SHARED, RW, Access.READ, page));
            assertMessage("mmap offset is greater than file size",
                () -> MapRequest.of(file.fd(), 0, Posix.MAP_SHARED, RW, Access.READ, 3 * page));
        }
        final Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        try (OpenFile file = OpenFile.open(empty, false, 0))
        {
            assertMessage("cannot mmap an empty file",
                () -> MapRequest.of(file.fd(), 0, Posix.MAP_SHARED, RW, Access.READ, 0));
        }
    }

    @Test
    void shouldRefuseBadArgumentsWithCpythonsWording()
    {
        assertMessage("memory mapped length must be positive",
            () -> MapRequest.of(-1, -1, Posix.MAP_SHARED, RW, Access.DEFAULT, 0));
        assertMessage("memory mapped offset must be positive",
            () -> MapRequest.of(-1, 1, Posix.MAP_SHARED, RW, Access.DEFAULT, -1));
        assertMessage("mmap can't specify both access and flags, prot.",
            () -> MapRequest.of(-1, 1, Posix.MAP_PRIVATE, RW, Access.WRITE, 0));
    }

    private static void assertMessage(final String message, final org.junit.jupiter.api.function.Executable call)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
