package dev.fmmap;

import dev.fmmap.memory.NativeMemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenFileTest
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
        try (OpenFile f = OpenFile.open(p, false, 0))
        {
            fd = f.fd();
            assertEquals(data.length, f.size());
            assertEquals(data.length, OpenFile.size(fd));
            map = MemoryMap.map(fd, 0, Posix.MAP_SHARED, Posix.PROT_READ | Posix.PROT_WRITE, Access.READ, 0, false);
        }
        try (map)
        {
            final byte[] back = new byte[data.length];
            map.get(0, back, 0, back.length);
            assertArrayEquals(data, back);
        }
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> OpenFile.size(fd)).errno());
    }

    @Test
    void shouldCopyOutOfTheFileWithZerosPastItsEnd() throws IOException
    {
        final byte[] data = "0123456789abcdef".getBytes();
        final Path p = Files.write(dir.resolve("copy.bin"), data);
        try (OpenFile f = OpenFile.open(p, false, 0))
        {
            assertArrayEquals("456789".getBytes(), copied(OpenFile.copyOut(f.fd(), 4, 6), 6));
            assertArrayEquals(new byte[] {'e', 'f', 0, 0, 0}, copied(OpenFile.copyOut(f.fd(), 14, 5), 5),
                "past the end of the file: zeros, as a truncated map's zero pages read");
            assertArrayEquals(new byte[3], copied(OpenFile.copyOut(f.fd(), 100, 3), 3));
            assertThrows(IllegalArgumentException.class, () -> OpenFile.copyOut(f.fd(), -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> OpenFile.copyOut(f.fd(), 0, MemoryMap.TRANSFER_MAX + 1));
        }
        assertEquals(EBADF, assertThrows(ErrnoException.class, () -> OpenFile.copyOut(1 << 20, 0, 1)).errno());
    }

    private static byte[] copied(final long address, final int length)
    {
        final byte[] bytes = new byte[length];
        NativeMemory.copyToArray(address, bytes, 0, length);
        return bytes;
    }

    @Test
    void shouldPassTheExtraFlagsToOpen()
    {
        final int oDirectory = "aarch64".equals(System.getProperty("os.arch")) ? 040000 : 0200000;
        final Path p = dir.resolve("missing.bin");
        assertEquals(ENOENT, assertThrows(ErrnoException.class, () -> OpenFile.open(p, false, 0)).errno());
        assertEquals(ENOTDIR, assertThrows(ErrnoException.class,
            () -> OpenFile.open(write(dir.resolve("plain.bin")), false, oDirectory)).errno());
        try (OpenFile d = OpenFile.open(dir, false, oDirectory))
        {
            assertEquals(true, d.fd() >= 0);
        }
    }

    @Test
    void shouldOpenForWritingWhenAsked() throws IOException
    {
        final Path p = write(dir.resolve("rw.bin"));
        try (OpenFile f = OpenFile.open(p, true, 0))
        {
            try (MemoryMap m = MemoryMap.map(f.fd(), 0, Posix.MAP_SHARED, Posix.PROT_READ | Posix.PROT_WRITE,
                Access.WRITE, 0, false))
            {
                m.put(1, (byte)7);
            }
        }
        assertArrayEquals(new byte[] {1, 7, 3}, Files.readAllBytes(p));
        try (OpenFile f = OpenFile.open(p, false, 0))
        {
            assertEquals(13, assertThrows(ErrnoException.class, () -> MemoryMap.map(f.fd(), 0, Posix.MAP_SHARED,
                Posix.PROT_READ | Posix.PROT_WRITE, Access.WRITE, 0, false)).errno()); // EACCES: read-only
        }
    }

    @Test
    void shouldCloseOnce() throws IOException
    {
        final OpenFile f = OpenFile.open(write(dir.resolve("once.bin")), false, 0);
        f.close();
        f.close(); // a second close must not close a descriptor reused meanwhile
    }

    private static Path write(final Path p) throws IOException
    {
        return Files.write(p, new byte[] {1, 2, 3});
    }
}
