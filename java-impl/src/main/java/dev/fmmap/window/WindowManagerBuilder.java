package dev.fmmap.window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Collects a {@link WindowManager}'s strategy and limits, from {@link WindowManager#builder()};
 * {@link #build()} checks them. The defaults are smmap's 64-bit ones, with a hard byte limit instead
 * of a soft one and a window limit derived from the process's limit on open files.
 */
public final class WindowManagerBuilder
{
    WindowManager.Strategy strategy = WindowManager.Strategy.SLIDING;
    long windowSize = 1L << 30;
    long maxMappedBytes = 8L << 30;
    int maxWindows = defaultMaxWindows();
    WindowManager.Overcommit overcommit = WindowManager.Overcommit.NEVER;
    boolean writable;

    WindowManagerBuilder()
    {
    }

    /**
     * The default limit on windows: a quarter of the process's limit on open files ({@code RLIMIT_NOFILE}'s
     * soft value, read from /proc/self/limits), at least 16; 256 when it cannot be read. smmap's default
     * is unlimited, and its users meet "Too many open files" (each window holds a descriptor).
     *
     * @return the default {@link #maxWindows(int)}.
     */
    public static int defaultMaxWindows()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/limits")))
            {
                if (line.startsWith("Max open files"))
                {
                    final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Integer.MAX_VALUE / 4
                        : (int)Math.max(16, Math.min(Integer.MAX_VALUE, Long.parseLong(soft)) / 4);
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // no /proc, or a format we do not know: the fallback below
        }
        return 256;
    }

    /**
     * @param w whether windows are mapped read-write (files opened {@code O_RDWR}, shared: writes
     *          reach the file); default false, read-only, as smmap's.
     * @return this builder.
     */
    public WindowManagerBuilder writable(final boolean w)
    {
        writable = w;
        return this;
    }

    /**
     * @param s the placement of windows; default {@link WindowManager.Strategy#SLIDING}.
     * @return this builder.
     */
    public WindowManagerBuilder strategy(final WindowManager.Strategy s)
    {
        strategy = Objects.requireNonNull(s, "strategy");
        return this;
    }

    /**
     * @param bytes the size of sliding windows, rounded up to a multiple of the page size; ignored
     *              by {@link WindowManager.Strategy#STATIC} (whose window size reads 0). Default 1 GiB.
     * @return this builder.
     */
    public WindowManagerBuilder windowSize(final long bytes)
    {
        windowSize = bytes;
        return this;
    }

    /**
     * @param bytes the most bytes mapped at once; default 8 GiB.
     * @return this builder.
     */
    public WindowManagerBuilder maxMappedBytes(final long bytes)
    {
        maxMappedBytes = bytes;
        return this;
    }

    /**
     * @param n the most windows mapped at once, which is also the most file descriptors the
     *          manager holds (smmap's {@code max_open_handles}); default {@link #defaultMaxWindows()}.
     * @return this builder.
     */
    public WindowManagerBuilder maxWindows(final int n)
    {
        maxWindows = n;
        return this;
    }

    /**
     * @param o whether the byte limit may be exceeded when every window is in use; default
     *          {@link WindowManager.Overcommit#NEVER}.
     * @return this builder.
     */
    public WindowManagerBuilder overcommit(final WindowManager.Overcommit o)
    {
        overcommit = Objects.requireNonNull(o, "overcommit");
        return this;
    }

    /**
     * @return the manager.
     * @throws IllegalArgumentException when a size or limit is not positive.
     */
    public WindowManager build()
    {
        if (WindowManager.Strategy.SLIDING == strategy && 0 >= windowSize)
        {
            throw new IllegalArgumentException("window size must be positive: windowSize=" + windowSize);
        }
        if (0 >= maxMappedBytes)
        {
            throw new IllegalArgumentException("maximum mapped bytes must be positive: maxMappedBytes="
                + maxMappedBytes);
        }
        if (0 >= maxWindows)
        {
            throw new IllegalArgumentException("maximum windows must be positive: maxWindows=" + maxWindows);
        }
        return new WindowManager(this);
    }
}
