package dev.fmmap.jython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorsTest
{
    @Test
    void readsTheStandardStreamsNumbers()
    {
        assertNull(Descriptors.unavailableReason());
        assertEquals(0, Descriptors.of(FileDescriptor.in));
        assertEquals(2, Descriptors.of(FileDescriptor.err));
    }

    @Test
    void readsAnOpenFilesNumberAndMinusOneOnceClosed(@TempDir final Path dir) throws Exception
    {
        final Path path = Files.write(dir.resolve("f"), new byte[] {1});
        final RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        final FileDescriptor descriptor = file.getFD();
        final int fd = Descriptors.of(descriptor);
        assertTrue(fd > 2);
        assertTrue(Files.isSameFile(path, Path.of("/proc/self/fd/" + fd).toRealPath()));
        file.close();
        assertEquals(-1, Descriptors.of(descriptor));
    }
}
