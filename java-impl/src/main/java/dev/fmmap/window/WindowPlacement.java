package dev.fmmap.window;

/**
 * Where a new window goes: smmap's placement arithmetic ({@code MapWindow} in smmap's util.py), as
 * pure functions of the request and the neighbouring windows, so that it is tested on its own.
 */
final class WindowPlacement
{
    /**
     * A range of a file, {@code [offset, offset + size)}: smmap's {@code MapWindow} as a value. Each
     * step returns a new span instead of changing this one.
     *
     */
    static final class Span
    {
        private final long offset;
        private final long size;

        /**
         * @param offset the first byte's file offset.
         * @param size   the number of bytes.
         */
        Span(final long offset, final long size)
        {
            this.offset = offset;
            this.size = size;
        }

        long offset()
        {
            return offset;
        }

        long size()
        {
            return size;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Span && offset == ((Span)o).offset && size == ((Span)o).size;
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(offset) * 31 + Long.hashCode(size);
        }

        @Override
        public String toString()
        {
            return "Span[offset=" + offset + ", size=" + size + "]";
        }

        long end()
        {
            return offset + size;
        }

        /**
         * Grows to the left until the span starts at {@code leftEnd}, the end of the window on the
         * left (0 when there is none), without growing past {@code maxSize} in all
         * ({@code MapWindow.extend_left_to}). The end stays where it is.
         */
        Span extendLeftTo(final long leftEnd, final long maxSize)
        {
            long grow = offset - leftEnd;
            final long total = grow + size;
            grow -= total - Math.min(total, maxSize);
            return new Span(offset - grow, size + grow);
        }

        /**
         * Grows to the right until the span ends at {@code rightStart}, the start of the window on the
         * right (the file's end when there is none), to at most {@code maxSize}
         * ({@code MapWindow.extend_right_to}). The start stays where it is.
         */
        Span extendRightTo(final long rightStart, final long maxSize)
        {
            return new Span(offset, Math.min(size + (rightStart - end()), maxSize));
        }

        /** Starts at a page boundary at or below the start and ends at one at or above the end ({@code MapWindow.align}). */
        Span align(final long pageSize)
        {
            final long start = offset / pageSize * pageSize;
            return new Span(start, (end() - start + pageSize - 1) / pageSize * pageSize);
        }
    }

    private final WindowManager.Strategy strategy;
    private final long windowSize;
    private final long pageSize;

    /**
     * @param strategy   static (the whole file) or sliding windows.
     * @param windowSize the most bytes in a sliding window, a multiple of {@code pageSize}.
     * @param pageSize   the page size windows are aligned to.
     */
    WindowPlacement(final WindowManager.Strategy strategy, final long windowSize, final long pageSize)
    {
        this.strategy = strategy;
        this.windowSize = windowSize;
        this.pageSize = pageSize;
    }

    /**
     * The window to map for the requested range {@code [offset, offset + size)} of a file, where
     * {@code offset} lies in the gap {@code [leftEnd, rightStart)} between the neighbouring windows.
     * A static window is the whole file. A sliding one is smmap's: extended towards the left
     * neighbour, then towards the right one, within the window size, then aligned to pages. Unlike
     * smmap's, it is then trimmed back to the window size (aligning can take it a page past), so that
     * a byte limit of one window stays usable; the trim keeps the requested range inside when it
     * fits, as smmap's window (which ends right after that range) does.
     *
     * @param offset     the first byte requested; inside the gap.
     * @param size       the bytes requested, at most the window size.
     * @param leftEnd    the end of the window on the left, or 0.
     * @param rightStart the start of the window on the right, or the file's size.
     * @param fileSize   the file's size.
     * @return the window's range: page-aligned, including {@code offset}, within the gap.
     */
    Span place(final long offset, final long size, final long leftEnd, final long rightStart, final long fileSize)
    {
        if (WindowManager.Strategy.STATIC == strategy)
        {
            return new Span(0, fileSize);
        }
        final Span smmaps = new Span(offset, size)
            .extendLeftTo(leftEnd, windowSize)
            .extendRightTo(rightStart, windowSize)
            .align(pageSize);
        final long end0 = Math.min(smmaps.end(), rightStart);
        final long wanted = Math.min(alignUp(offset + size), end0);
        final long start = Math.min(offset / pageSize * pageSize,
            Math.max(smmaps.offset(), alignUp(wanted - windowSize)));
        return new Span(start, Math.min(end0, start + windowSize) - start);
    }

    private long alignUp(final long n)
    {
        return (n + pageSize - 1) / pageSize * pageSize;
    }
}
