package dev.fmmap.window;

import java.util.Map;

/**
 * The bookkeeping a {@link WindowManager} must keep consistent, checked under its lock after each
 * step of the window tests: sums and counts, LRU membership exactly for unused windows, sorted,
 * non-overlapping, aligned windows within their files, non-negative counts, the hard limits, and no
 * idle file in the table.
 */
final class WindowInvariants
{
    private WindowInvariants()
    {
    }

    /** Throws {@link AssertionError} naming the first invariant of {@code m} that fails. */
    static void check(final WindowManager m)
    {
        m.underLock(() ->
        {
            checkLocked(m);
            return null;
        });
    }

    private static void checkLocked(final WindowManager m)
    {
        final WindowStats stats = m.stats();
        long bytes = 0;
        int count = 0;
        int unused = 0;
        int cursorSum = 0;
        for (final Map.Entry<Object, WindowedFile> e : m.fileTable().entrySet())
        {
            final WindowedFile f = e.getValue();
            check(f.key().equals(e.getKey()), "file keyed by its key: " + f);
            check(!f.windows.isEmpty() || 0 < f.cursors, "idle file left in the table: " + f.key());
            check(0 <= f.cursors, "negative cursor count: " + f.key());
            cursorSum += f.cursors;
            long lastEnd = 0;
            for (final Map.Entry<Long, Window> we : f.windows.entrySet())
            {
                final Window w = we.getValue();
                check(w.offset() == we.getKey(), "window keyed by its offset: " + w);
                check(w.isMapped(), "unmapped window in a file: " + w);
                check(w.file() == f, "window in another file's table: " + w);
                check(0 == w.offset() % WindowFixtures.PAGE, "unaligned window: " + w);
                check(0 < w.size(), "empty window: " + w);
                check(w.offset() >= lastEnd, "overlapping windows: " + w);
                check(w.end() <= f.cachedSize(), "window past the end of the file: " + w);
                check(0 <= w.pins() && 0 <= w.views(), "negative count: " + w);
                check(w.inLru == w.unused(), "LRU membership differs from use: " + w);
                lastEnd = w.end();
                bytes += w.size();
                count++;
                if (w.unused())
                {
                    unused++;
                }
            }
        }
        check(bytes == stats.mappedBytes(), "mappedBytes=" + stats.mappedBytes() + " but windows sum to " + bytes);
        check(count == stats.windows(), "windows=" + stats.windows() + " but " + count + " are in the files");
        check(cursorSum == stats.cursors(), "cursors=" + stats.cursors() + " but files count " + cursorSum);
        check(count <= m.maxWindows(), "windows=" + count + " over maxWindows=" + m.maxWindows());
        check(WindowManager.Overcommit.WHEN_ALL_PINNED == m.overcommit() || bytes <= m.maxMappedBytes(),
            "mappedBytes=" + bytes + " over maxMappedBytes=" + m.maxMappedBytes());
        final LruList lru = m.lru();
        int listed = 0;
        Window prev = null;
        for (Window w = lru.head(); null != w; w = w.lruNext)
        {
            check(w.lruPrev == prev, "broken LRU back link at " + w);
            check(w.inLru && w.isMapped() && w.unused(), "wrong window on the LRU list: " + w);
            check(w.file().windows.get(w.offset()) == w, "LRU window not in its file: " + w);
            prev = w;
            listed++;
        }
        check(prev == lru.tail(), "LRU tail is not the last window");
        check(listed == lru.size() && listed == unused, "LRU size=" + lru.size() + " listed=" + listed
            + " unused=" + unused);
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }
}
