package dev.fmmap.search;

import dev.fmmap.memory.NativeBuffer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prepares the search in the background once the first map exists, so that a program's first
 * {@code find} does not pay for it: the search classes' initialisation, the native calls' links
 * ({@code memchr}, {@code memrchr}, {@code memmem}: each first link costs milliseconds to tens of
 * milliseconds in a cold JVM) and the pool's threads. It searches a small buffer of its own with
 * each kernel a find may take, on a daemon thread, while the program goes on; a find that needs a
 * class still being prepared waits for it instead of preparing it again. It never touches a map.
 * {@code -Dfmmap.warmup=false} turns it off.
 */
public final class SearchWarmup
{
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int SIZE = 1 << 16;

    private SearchWarmup()
    {
    }

    /** Starts the preparation, once per JVM. */
    public static void startOnce()
    {
        if (STARTED.get() || !STARTED.compareAndSet(false, true)
            || "false".equals(System.getProperty("fmmap.warmup")))
        {
            return;
        }
        final Thread t = new Thread(SearchWarmup::run, "fmmap-search-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run()
    {
        try
        {
            final NativeBuffer haystack = NativeBuffer.allocate(SIZE);
            for (final int length : new int[] {1, 2, 4, 16, 64})
            {
                final byte[] needle = new byte[length];
                Arrays.fill(needle, (byte)'\n');
                MapSearch.search(haystack.address(), SIZE, 0, SIZE, needle, PageGuard.TOUCH, false, false);
                MapSearch.search(haystack.address(), SIZE, 0, SIZE, needle, PageGuard.TOUCH, false, true);
            }
            if (1 < ParallelSearch.threads())
            {
                ParallelSearch.prestart(() -> MapSearch.search(haystack.address(), SIZE, 0, SIZE, new byte[] {'\n'},
                    PageGuard.TOUCH, false, false));
            }
        }
        catch (final RuntimeException | Error e)
        {
            // A preparation only: the first find does the same work and reports what fails.
        }
    }
}
