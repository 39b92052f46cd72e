package dev.fmmap.search;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The search kernels on one haystack of random lower-case letters with the needle (upper case) only
 * at its very end (find) or very start (rfind), so that every call scans it all. Each kernel is
 * called directly (this class shares the core's package), so one run compares the Vector API kernels
 * with glibc's memmem/memchr/memrchr and with the whole ByteSearch path (chunking and page touching
 * included). Throughput is calls per second; the haystack size turns it into GB/s (bench/jmh prints
 * both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SearchBenchmark
{
    @Param({"1", "4", "16", "64"})
    public int needleLength;

    /** Haystack size in MiB (the benchmark uses 1 GiB; smaller still streams from RAM). */
    @Param({"256"})
    public int sizeMiB;

    private Arena arena;
    private MemorySegment haystack;
    private MemorySegment needleAtEnd;
    private MemorySegment needleAtStart;
    private long size;

    @Setup(Level.Trial)
    public void setUp()
    {
        size = (long)sizeMiB << 20;
        arena = Arena.ofShared();
        haystack = arena.allocate(size, 64);
        final Random random = new Random(1);
        final byte[] chunk = new byte[1 << 20];
        for (long off = 0; off < size; off += chunk.length)
        {
            for (int i = 0; i < chunk.length; i++)
            {
                chunk[i] = (byte)('a' + random.nextInt(26));
            }
            MemorySegment.copy(chunk, 0, haystack, JAVA_BYTE, off, chunk.length);
        }
        final byte[] end = new byte[needleLength];
        Arrays.fill(end, (byte)'N');
        final byte[] start = new byte[needleLength];
        Arrays.fill(start, (byte)'R');
        MemorySegment.copy(end, 0, haystack, JAVA_BYTE, size - needleLength, needleLength);
        MemorySegment.copy(start, 0, haystack, JAVA_BYTE, 0, needleLength);
        needleAtEnd = arena.allocate(needleLength);
        needleAtStart = arena.allocate(needleLength);
        MemorySegment.copy(end, 0, needleAtEnd, JAVA_BYTE, 0, needleLength);
        MemorySegment.copy(start, 0, needleAtStart, JAVA_BYTE, 0, needleLength);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    /** The path MemoryMap.find takes: 1 MiB chunks, pages touched, then the preferred kernel. */
    @Benchmark
    public long findByteSearch()
    {
        return ByteSearch.indexOf(haystack, 0, size, needleAtEnd);
    }

    @Benchmark
    public long rfindByteSearch()
    {
        return ByteSearch.lastIndexOf(haystack, 0, size, needleAtStart);
    }

    @Benchmark
    public long findVector()
    {
        return 1 == needleLength ? VectorSearch.indexOf(haystack, 0, size, (byte)'N')
            : VectorSearch.indexOf(haystack, 0, size, needleAtEnd);
    }

    @Benchmark
    public long rfindVector()
    {
        return 1 == needleLength ? VectorSearch.lastIndexOf(haystack, 0, size, (byte)'R')
            : VectorSearch.lastIndexOf(haystack, 0, size, needleAtStart);
    }

    /** glibc: memchr for one byte, memmem otherwise (what CPython's find uses). */
    @Benchmark
    public long findGlibc()
    {
        return 1 == needleLength ? LibcSearch.memchr(haystack, (byte)'N') : LibcSearch.memmem(haystack, needleAtEnd);
    }

    /** glibc has no backward memmem: memrchr on the first byte, confirmed by a comparison. */
    @Benchmark
    public long rfindGlibc()
    {
        return LibcSearch.memrchr(haystack, (byte)'R');
    }
}
