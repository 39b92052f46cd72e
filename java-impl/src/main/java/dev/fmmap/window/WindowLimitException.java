package dev.fmmap.window;

/**
 * A window could not be mapped without breaking one of the {@link WindowManager}'s limits, because
 * every window that could have been unmapped to make room is in use (pinned by a cursor or held by a
 * view). The Python layer raises {@code OSError(EMFILE)} for the window limit and {@code MemoryError}
 * for the byte limit.
 */
public final class WindowLimitException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final boolean windowLimit;
    private final long requested;
    private final long mappedBytes;
    private final long maxMappedBytes;
    private final int windows;
    private final int maxWindows;
    private final int pinnedWindows;

    /**
     * Creates the exception with every number of the refused request in its message.
     *
     * @param windowLimit    whether the window limit (rather than the byte limit) refused it.
     * @param requested      bytes of the window that was to be mapped.
     * @param mappedBytes    bytes mapped when it was refused.
     * @param maxMappedBytes the byte limit.
     * @param windows        windows mapped when it was refused.
     * @param maxWindows     the window limit.
     * @param pinnedWindows  windows in use, which could not be unmapped.
     */
    public WindowLimitException(
        final boolean windowLimit, final long requested, final long mappedBytes, final long maxMappedBytes,
        final int windows, final int maxWindows, final int pinnedWindows)
    {
        super((windowLimit ? "window limit reached" : "mapped byte limit reached")
            + ": requested=" + requested + " mappedBytes=" + mappedBytes + " maxMappedBytes=" + maxMappedBytes
            + " windows=" + windows + " maxWindows=" + maxWindows + " pinnedWindows=" + pinnedWindows);
        this.windowLimit = windowLimit;
        this.requested = requested;
        this.mappedBytes = mappedBytes;
        this.maxMappedBytes = maxMappedBytes;
        this.windows = windows;
        this.maxWindows = maxWindows;
        this.pinnedWindows = pinnedWindows;
    }

    /**
     * @return whether the window limit refused the request; otherwise the byte limit did.
     */
    public boolean isWindowLimit()
    {
        return windowLimit;
    }

    /**
     * @return bytes of the window that was to be mapped.
     */
    public long requested()
    {
        return requested;
    }

    /**
     * @return bytes mapped when the request was refused.
     */
    public long mappedBytes()
    {
        return mappedBytes;
    }

    /**
     * @return the manager's byte limit.
     */
    public long maxMappedBytes()
    {
        return maxMappedBytes;
    }

    /**
     * @return windows mapped when the request was refused.
     */
    public int windows()
    {
        return windows;
    }

    /**
     * @return the manager's window limit.
     */
    public int maxWindows()
    {
        return maxWindows;
    }

    /**
     * @return windows in use (pinned or held by views) when the request was refused.
     */
    public int pinnedWindows()
    {
        return pinnedWindows;
    }
}
