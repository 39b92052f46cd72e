package dev.fmmap.search;

import dev.fmmap.Access;
import dev.fmmap.ErrnoException;
import dev.fmmap.GuardMode;
import dev.fmmap.MemoryMap;
import dev.fmmap.Posix;
import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;

import java.io.RandomAccessFile;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopiedSearchTest
{
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldFindWhatAPlainScanFindsAcrossChunkBoundaries()
    {
        final Random random = new Random(22);
        final byte[] hay = new byte[3 * MIB + 777];
        for (int i = 0; i < hay.length; i++)
        {
            hay[i] = (byte)('a' + random.nextInt(3));
        }
        final NativeBuffer s = NativeBuffer.allocate(hay.length);
        NativeMemory.copyFromArray(hay, 0, s.address(), hay.length);
        for (int trial = 0; trial < 400; trial++)
        {
            final int n = random.nextInt(trial % 4 == 0 ? 40 : 12);
            // needles around the chunk boundaries (multiples of 1 MiB minus the overlap) and anywhere
            final int around = (1 + random.nextInt(2)) * (MIB - Math.max(0, n - 1)) - n + random.nextInt(2 * n + 2);
            final int at = trial % 2 == 0 ? Math.max(0, Math.min(around, hay.length - n)) : random.nextInt(hay.length - n);
            final byte[] needle = java.util.Arrays.copyOfRange(hay, at, at + n);
            final long from = random.nextInt(at + 1);
            final long to = Math.min(hay.length, at + n + random.nextInt(3 * MIB));
            assertEquals(NaiveSearch.search(hay, from, to, needle, false),
                CopiedSearch.search(s.address(), s.size(), from, to, needle, false), "find trial " + trial);
            assertEquals(NaiveSearch.search(hay, from, to, needle, true),
                CopiedSearch.search(s.address(), s.size(), from, to, needle, true), "rfind trial " + trial);
        }
        Reference.reachabilityFence(s);
    }

    @Test
    void shouldKeepTheTruncationContractInStrictMode() throws Exception
    {
        final int page = Posix.pageSize();
        final Path path = Files.write(Files.createTempFile(dir, "strict", ".bin"), new byte[3 * MIB]);
        final GuardMode before = GuardMode.getDefault();
        GuardMode.setDefault(GuardMode.STRICT);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0);
             RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            final byte[] needle = "needle".getBytes();
            m.put(MIB + 100, needle, 0, needle.length);
            m.put(2 * MIB + 100, needle, 0, needle.length);
            assertEquals(MIB + 100, m.find(needle, 0, m.size()));
            assertEquals(2 * MIB + 100, m.rfind(needle, 0, m.size()));
            raf.setLength(MIB + 3L * page); // racing or not: the copy faults in Java, never in C
            assertEquals(MIB + 100, m.find(needle, 0, m.size()));
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.find(needle, MIB + 200, m.size())).errno());
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.rfind(needle, 0, m.size())).errno());
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.indexOf((byte)'x', MIB)).errno());
            assertEquals(MIB + 100, m.rfind(needle, 0, MIB + page));
        }
        finally
        {
            GuardMode.setDefault(before);
        }
    }
}
