package dev.fmmap.search;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Whether {@link ByteSearch} hands needles whose rare byte is not rare to the Vector API kernels or to
 * glibc's memmem, decided by measurement on the running machine.
 *
 * <p>The Vector API kernels beat memmem on most needles once compiled, but until the JIT compiles
 * them they run ~100x slower: the first 256 MiB find took 10 s in a GraalPy process, whose start
 * fills the compiler queue. So such searches start on memmem, and the first of them starts a daemon
 * thread that calls the vector kernels on a small buffer until the JIT queues them, waits (sleeping)
 * until they run compiled, then times both kernels on a 256 KiB buffer, and switches to the vector
 * kernel only if it measured faster. If they are not compiled within {@value #WAIT_ROUNDS} x
 * {@value #WAIT_MILLIS} ms, glibc stays. Searches whose rare byte is rare (most) never start it.
 *
 * <p>{@code -Dfmmap.search=vector} uses the vector kernels from the start, {@code =native} never.
 */
final class KernelChoice
{
    private static final boolean FORCED = "vector".equals(System.getProperty("fmmap.search"));
    /** Needles whose rare byte is common use the vector kernel. */
    static volatile boolean vectorForNeedles = FORCED && ByteSearch.vector();

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Counted down when the choice is final (at once when there is nothing to choose). */
    private static final CountDownLatch SETTLED = new CountDownLatch(ByteSearch.vector() && !FORCED ? 1 : 0);
    private static final int WARMUP_CALLS = 20_000;
    private static final int WAIT_ROUNDS = 60;
    private static final int WAIT_MILLIS = 250;
    /** A call on the 512-byte warm-up buffer takes ~30 ns compiled, tens of microseconds interpreted. */
    private static final long COMPILED_NANOS_PER_CALL = 2_000;
    private static final int SAMPLE = 256 << 10;
    private static final int TIMED_CALLS = 20;

    private KernelChoice()
    {
    }

    /** Starts the calibration once, in the background, if the Vector API is there at all. */
    static void calibrateOnce()
    {
        if (ByteSearch.vector() && !FORCED && !STARTED.get() && STARTED.compareAndSet(false, true))
        {
            final Thread t = new Thread(KernelChoice::calibrate, "fmmap-kernel-calibration");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    /** @return what the calibration chose so far, e.g. "common-byte needles: vector". */
    static String describe()
    {
        return "common-byte needles: " + (vectorForNeedles ? "vector" : "glibc");
    }

    private static void calibrate()
    {
        vectorForNeedles = measure();
        SETTLED.countDown();
    }

    /**
     * Starts the calibration if needed and waits for its choice.
     *
     * @param timeoutMillis how long to wait at most.
     * @return whether the choice is final.
     * @throws InterruptedException if interrupted while waiting.
     */
    static boolean await(final long timeoutMillis) throws InterruptedException
    {
        calibrateOnce();
        return SETTLED.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Warms the vector kernels up, waits for their compilation and times them against glibc's.
     *
     * @return whether the vector kernel is faster than memmem; false when the vector kernels cannot
     * run or were not compiled in time.
     */
    static boolean measure()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment hay = arena.allocate(SAMPLE, 64);
            for (long i = 0; i < SAMPLE; i++)
            {
                hay.set(JAVA_BYTE, i, (byte)('a' + (i * 7 + i / 26) % 26)); // letters; no 'N' anywhere
            }
            final MemorySegment needle = arena.allocate(4);
            needle.fill((byte)'N');
            final MemorySegment small = hay.asSlice(0, 512);
            for (int i = 0; i < WARMUP_CALLS; i++)
            {
                runAll(small, needle);
            }
            int waited = 0;
            while (!compiled(small, needle))
            {
                if (++waited > WAIT_ROUNDS)
                {
                    return false;
                }
                Thread.sleep(WAIT_MILLIS);
            }
            return fastest(() -> VectorSearch.indexOf(hay, 0, SAMPLE, needle))
                < fastest(() -> LibcSearch.memmem(hay, needle));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final RuntimeException | LinkageError e)
        {
            return false; // memmem stays in use
        }
    }

    private static long runAll(final MemorySegment small, final MemorySegment needle)
    {
        final long n = small.byteSize();
        return VectorSearch.indexOf(small, 0, n, (byte)'N') + VectorSearch.lastIndexOf(small, 0, n, (byte)'N')
            + VectorSearch.indexOf(small, 0, n, needle) + VectorSearch.lastIndexOf(small, 0, n, needle);
    }

    /** Whether the kernels run at compiled speed on the small buffer. */
    private static boolean compiled(final MemorySegment small, final MemorySegment needle)
    {
        final int calls = 1000;
        final long start = System.nanoTime();
        for (int i = 0; i < calls; i++)
        {
            runAll(small, needle);
        }
        return System.nanoTime() - start < calls * 4 * COMPILED_NANOS_PER_CALL;
    }

    /** The shortest of a few timed calls, in nanoseconds. */
    private static long fastest(final Search search)
    {
        final long[] times = new long[TIMED_CALLS];
        for (int i = 0; i < TIMED_CALLS; i++)
        {
            final long start = System.nanoTime();
            search.run();
            times[i] = System.nanoTime() - start;
        }
        return Arrays.stream(times).min().orElse(Long.MAX_VALUE);
    }

    @FunctionalInterface
    private interface Search
    {
        long run();
    }
}
