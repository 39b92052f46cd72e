package dev.fmmap.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Splits a long search across a small pool of daemon threads: one core alone cannot read memory as
 * fast as several (glibc memchr over a warm 1 GiB map: see docs/benchmark.md). The range of
 * candidate positions is cut into one contiguous part per thread; each part reads up to
 * {@code needle - 1} bytes past its end, so a match across a cut belongs to exactly one part. The
 * result is the sequential one: the first part (lowest for find, highest for rfind) with a match wins,
 * and the parts after it stop at their next chunk once it has matched. An error (a lost page) counts
 * only if no earlier part matched, as in a sequential scan that would have stopped before it.
 *
 * <p>The thread count comes from {@code FMMAP_SEARCH_THREADS} (default: the available processors)
 * and can be changed with {@link #setThreads}. The caller's thread searches the first part itself.
 */
final class ParallelSearch
{
    /**
     * Ranges shorter than this per part are searched by one thread: handing a part to the pool costs
     * tens of microseconds, while memchr reads ~1 MiB per 30 us (measured: see docs/benchmark.md).
     */
    static final long MIN_PART = 8L << 20;

    /** More threads than this would only queue for the same memory bus. */
    static final int MAX_THREADS = 1024;

    private static volatile int threads = initialThreads();
    private static ExecutorService pool;
    private static int poolSize;

    private ParallelSearch()
    {
    }

    private static int initialThreads()
    {
        final String setting = System.getenv("FMMAP_SEARCH_THREADS");
        if (null != setting && !setting.isBlank())
        {
            try
            {
                return Math.max(1, Math.min(MAX_THREADS, Integer.parseInt(setting.trim())));
            }
            catch (final NumberFormatException e)
            {
                // ignored: an unusable setting means the default
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static int threads()
    {
        return threads;
    }

    static void setThreads(final int count)
    {
        if (1 > count || count > MAX_THREADS)
        {
            throw new IllegalArgumentException("search threads must be between 1 and " + MAX_THREADS);
        }
        threads = count;
    }

    /** How many parts a search over {@code candidates} start positions is cut into (1: not split). */
    static int parts(final long candidates)
    {
        return (int)Math.max(1, Math.min(threads, candidates / MIN_PART));
    }

    /** A search of one part: candidates start in [start, end); returns a position or -1. */
    @FunctionalInterface
    interface Part
    {
        long search(long start, long end, BooleanSupplier stop);
    }

    /**
     * Searches {@code [first, last]}'s candidate positions in {@code parts} parts.
     *
     * @param first    the lowest candidate position.
     * @param last     the highest candidate position (inclusive).
     * @param parts    how many parts (at least 2).
     * @param backward whether the highest match wins (rfind); the parts are then taken from the top.
     * @param part     searches one part.
     * @return the winning position, or -1.
     */
    static long search(final long first, final long last, final int parts, final boolean backward, final Part part)
    {
        final long span = last - first + 1;
        // The part index of the earliest part (in search order) that has matched so far.
        final AtomicInteger matched = new AtomicInteger(Integer.MAX_VALUE);
        final List<Future<Long>> later = new ArrayList<>(parts - 1);
        final ExecutorService executor = pool(parts - 1);
        for (int i = 1; i < parts; i++)
        {
            final int index = i;
            final long start = bound(first, span, parts, i, backward);
            final long end = bound(first, span, parts, i + 1, backward);
            later.add(executor.submit(() -> run(part, Math.min(start, end), Math.max(start, end), index, matched)));
        }
        final long start = bound(first, span, parts, 0, backward);
        final long end = bound(first, span, parts, 1, backward);
        long result;
        Throwable failure = null;
        try
        {
            result = run(part, Math.min(start, end), Math.max(start, end), 0, matched);
        }
        catch (final RuntimeException | Error e)
        {
            result = -1;
            failure = e;
        }
        // Every part is awaited, in order, even after the answer is known: the caller may close its
        // arena (or the map) as soon as this returns, so no part may still be reading. Parts after a
        // match stop at their next chunk, so the extra wait is microseconds. The first matching
        // part, or else the first failure, decides.
        for (final Future<Long> future : later)
        {
            try
            {
                final long at = awaitUninterruptibly(future);
                if (-1 == result && null == failure)
                {
                    result = at;
                }
            }
            catch (final ExecutionException e)
            {
                if (-1 == result && null == failure)
                {
                    failure = e.getCause();
                }
            }
        }
        if (-1 == result && null != failure)
        {
            if (failure instanceof RuntimeException)
            {
                throw (RuntimeException)failure;
            }
            throw (Error)failure;
        }
        return result;
    }

    /** The boundary between part {@code i - 1} and part {@code i}, in search order. */
    private static long bound(final long first, final long span, final int parts, final int i, final boolean backward)
    {
        final long offset = span / parts * i + span % parts * i / parts; // span * i / parts, without overflow
        return backward ? first + span - offset : first + offset;
    }

    private static long run(final Part part, final long start, final long end, final int index, final AtomicInteger matched)
    {
        final long at = part.search(start, end, () -> matched.get() < index);
        if (-1 != at)
        {
            matched.accumulateAndGet(index, Math::min);
        }
        return at;
    }

    private static long awaitUninterruptibly(final Future<Long> future) throws ExecutionException
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return future.get();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the pool's threads for the current thread count and runs {@code task} on one of them,
     * waiting for it ({@link SearchWarmup}: the first split search then finds them running).
     */
    static void prestart(final Runnable task)
    {
        try
        {
            pool(Math.max(1, threads - 1)).submit(task).get();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException e)
        {
            // the task failed: the first search that splits will meet the same failure and report it
        }
    }

    /** The pool, with at least {@code size} daemon threads; created on the first parallel search. */
    private static synchronized ExecutorService pool(final int size)
    {
        if (null == pool || poolSize < size)
        {
            if (null != pool)
            {
                pool.shutdown(); // its threads finish what they hold, then end
            }
            final AtomicInteger counter = new AtomicInteger();
            pool = Executors.newFixedThreadPool(size, r -> {
                final Thread t = new Thread(r, "fmmap-search-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            poolSize = size;
        }
        return pool;
    }

    /** The cut points of a search in search order (for tests that put needles across them). */
    static long[] cuts(final long first, final long last, final int parts, final boolean backward)
    {
        final long[] cuts = new long[parts + 1];
        for (int i = 0; i <= parts; i++)
        {
            cuts[i] = bound(first, last - first + 1, parts, i, backward);
        }
        return cuts;
    }
}
