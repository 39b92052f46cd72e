package dev.fmmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadOnlyFileTest
{
    private static final int EBADF = 9;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;

    @TempDir
    Path dir;

    @Test
    void shouldOpenStatAndMapAFileThatOutlivesTheDescriptor() throws IOException
    {
        final byte[] data = "window manager".getBytes();
        final Path p = Files.write(dir.resolve("f.bin"), data);
        final MemoryMap map;
        final int fd;
        try (ReadOnlyFile f = ReadOnlyFile.open(p, 0))
        {
            fd = f.fd();
            assertEquals(data.length, f.size());
            assertEquals(data.length, ReadOnlyFile.size(fd));
            map = MemoryMap.map(fd, 0, Posix.MAP_SHARED, Posix.PROT_READ | Posix.PROT_WRITE, Access.READ, 0, false);
        }
        try (map)
        {
            final byte[] back = new byte[data.length];
            map.get(0, back, 0, back.length);
            assertArrayEquals(data, back);
        }
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> ReadOnlyFile.size(fd)).errno());
    }

    @Test
    void shouldPassTheExtraFlagsToOpen()
    {
        final int oDirectory = "aarch64".equals(System.getProperty("os.arch")) ? 040000 : 0200000;
        final Path p = dir.resolve("missing.bin");
        assertEquals(ENOENT, assertThrows(ErrnoException.class, () -> ReadOnlyFile.open(p, 0)).errno());
        assertEquals(ENOTDIR, assertThrows(ErrnoException.class,
            () -> ReadOnlyFile.open(write(dir.resolve("plain.bin")), oDirectory)).errno());
        try (ReadOnlyFile d = ReadOnlyFile.open(dir, oDirectory))
        {
            assertEquals(true, d.fd() >= 0);
        }
    }

    @Test
    void shouldCloseOnce() throws IOException
    {
        final ReadOnlyFile f = ReadOnlyFile.open(write(dir.resolve("once.bin")), 0);
        f.close();
        f.close(); // a second close must not close a descriptor reused meanwhile
    }

    private static Path write(final Path p) throws IOException
    {
        return Files.write(p, new byte[] {1, 2, 3});
    }
}
