package dev.fmmap.window;

import dev.fmmap.Access;
import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;
import dev.fmmap.OpenFile;
import dev.fmmap.Posix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One file of a {@link WindowManager} and its windows (smmap's {@code MapRegionList}), keyed by the
 * {@link Path} or the file descriptor ({@link Integer}) it was asked for, not canonicalised. The file
 * stays in the manager's table while it has a window or a cursor; an object obtained from
 * {@link WindowManager#file(Path)} after that still works, by looking the key up again.
 */
public final class WindowedFile
{
    private final WindowManager manager;
    private final Object key;
    private final int openFlags;
    /** The windows by offset; never overlapping. Guarded by the manager's lock. */
    final TreeMap<Long, Window> windows = new TreeMap<>();
    /** Open cursors (including the internal ones of find/rfind); guarded by the manager's lock. */
    int cursors;
    /** The size from the first fstat, or -1; written under the manager's lock. */
    private volatile long size = -1;

    WindowedFile(final WindowManager manager, final Object key, final int openFlags)
    {
        this.manager = manager;
        this.key = key;
        this.openFlags = openFlags;
    }

    /**
     * @return the {@link Path} or file descriptor ({@link Integer}) this file was asked for.
     */
    public Object key()
    {
        return key;
    }

    /**
     * The size of the file, from {@code fstat} at first use and then cached for as long as the file
     * stays in the manager's table, as smmap does: growth is not seen, and a window over a range the
     * file has since lost fails to map.
     *
     * @return the file size in bytes.
     * @throws ErrnoException when the file cannot be opened or {@code fstat} fails.
     */
    public long size()
    {
        final long s = size;
        return -1 != s ? s : manager.fileSize(this);
    }

    /**
     * @return the number of windows of this file mapped now.
     */
    public int windowCount()
    {
        return manager.windowCount(this);
    }

    /**
     * @return the windows of this file mapped now, sorted by offset (a snapshot).
     */
    public List<Window> windows()
    {
        return manager.windows(this);
    }

    /**
     * Finds the first occurrence of {@code needle} lying wholly in {@code [from, to)}, with the index
     * rules of Python's {@code bytes.find(needle, from, to)} on the whole file: negative bounds count
     * from the end, bounds past the end are clipped, an empty needle matches at {@code from}. The
     * windows are mapped one at a time through the manager (each search pins only one window), so a
     * whole-file search works under any limit that allows one window; a match straddling window
     * boundaries is found by searching the {@code 2(n - 1)} bytes around each boundary.
     *
     * @param needle the bytes to look for.
     * @param from   the first offset a match may start at.
     * @param to     the offset a match must end at or before.
     * @return the offset of the first match, or -1.
     * @throws WindowLimitException when no window can be mapped.
     */
    public long find(final byte[] needle, final long from, final long to)
    {
        return search(needle, from, to, false);
    }

    /**
     * Finds the last occurrence of {@code needle} lying wholly in {@code [from, to)}, with the index
     * rules of Python's {@code bytes.rfind(needle, from, to)}; an empty needle matches at {@code to}.
     * See {@link #find(byte[], long, long)}.
     *
     * @param needle the bytes to look for.
     * @param from   the first offset a match may start at.
     * @param to     the offset a match must end at or before.
     * @return the offset of the last match, or -1.
     * @throws WindowLimitException when no window can be mapped.
     */
    public long rfind(final byte[] needle, final long from, final long to)
    {
        return search(needle, from, to, true);
    }

    /**
     * @return a description with the key and the number of windows.
     */
    @Override
    public String toString()
    {
        return "WindowedFile[" + key + " windows=" + windowCount() + "]";
    }

    // --- internals -------------------------------------------------------------------------------

    int openFlags()
    {
        return openFlags;
    }

    /** The cached size, or -1 before the first fstat. */
    long cachedSize()
    {
        return size;
    }

    /** Fstat's the file once; called under the manager's lock. */
    long statSize()
    {
        long s = size;
        if (-1 == s)
        {
            if (key instanceof Integer)
            {
                s = OpenFile.size((Integer)key);
            }
            else
            {
                try (OpenFile file = OpenFile.open((Path)key, false, openFlags))
                {
                    s = file.size();
                }
            }
            size = s;
        }
        return s;
    }

    /**
     * Maps {@code [offset, offset + length)} of the file, shared, read-only or read-write as the
     * manager's windows are, with a descriptor of its own.
     */
    MemoryMap mapRange(final long offset, final long length, final boolean writable)
    {
        final int prot = Posix.PROT_READ | Posix.PROT_WRITE; // what an Access mode requires; READ maps read-only
        final Access access = writable ? Access.WRITE : Access.READ;
        if (key instanceof Integer)
        {
            return MemoryMap.map((Integer)key, length, Posix.MAP_SHARED, prot, access, offset, true);
        }
        try (OpenFile file = OpenFile.open((Path)key, writable, openFlags))
        {
            return MemoryMap.map(file.fd(), length, Posix.MAP_SHARED, prot, access, offset, true);
        }
    }

    private long search(final byte[] needle, final long start, final long end, final boolean reverse)
    {
        Objects.requireNonNull(needle, "needle");
        final long len = size();
        // CPython's ADJUST_INDICES, then its early outs (stringlib's find/rfind on a slice).
        long to = end;
        if (to > len)
        {
            to = len;
        }
        else if (to < 0)
        {
            to = Math.max(0, to + len);
        }
        long from = start;
        if (from < 0)
        {
            from = Math.max(0, from + len);
        }
        final int n = needle.length;
        if (to - from < n)
        {
            return -1;
        }
        if (0 == n)
        {
            return reverse ? to : from;
        }
        try (WindowCursor c = manager.openCursor(key, openFlags))
        {
            return walk(c, needle, from, to, reverse);
        }
    }

    /**
     * Searches {@code [from, to)} window by window, from its start, or {@code reverse} from its end. Each
     * window is searched in place for the matches lying wholly inside it; a match straddling the edge
     * where the walk leaves the window is looked for in a copy of the {@code n - 1} bytes on each side.
     * Matches in the window come before (reverse: after) any straddling its far edge.
     */
    private static long walk(final WindowCursor c, final byte[] needle, final long from, final long to,
        final boolean reverse)
    {
        final int n = needle.length;
        long lo = from; // what is left to search: [lo, hi)
        long hi = to;
        while (hi - lo >= n)
        {
            final Window w = c.use(reverse ? hi - 1 : lo, 0).window();
            final long ws = w.offset();
            final long start = Math.max(lo, ws) - ws;
            final long end = Math.min(hi, w.end()) - ws;
            final long hit = reverse ? w.memory().rfind(needle, start, end) : w.memory().find(needle, start, end);
            if (-1 != hit)
            {
                return ws + hit;
            }
            final long edge = reverse ? ws : w.end();
            if (reverse ? edge <= lo : edge >= hi)
            {
                return -1;
            }
            if (n > 1)
            {
                // Matches starting in [edge - (n - 1), edge) end past edge: search the n - 1 bytes on each side.
                final long at = scan(c, needle, Math.max(from, edge - (n - 1)), Math.min(edge + n - 1, to), reverse);
                if (-1 != at)
                {
                    return at;
                }
            }
            if (reverse)
            {
                hi = edge;
            }
            else
            {
                lo = edge;
            }
        }
        return -1;
    }

    /** Copies {@code [s, e)} through the cursor (one window pinned at a time) and searches the copy. */
    private static long scan(final WindowCursor c, final byte[] needle, final long s, final long e,
        final boolean reverse)
    {
        if (e - s < needle.length)
        {
            return -1;
        }
        final byte[] scratch = new byte[(int)(e - s)];
        c.read(s, scratch, 0, scratch.length);
        final int last = scratch.length - needle.length;
        for (int i = 0; i <= last; i++) // under 2n bytes: a plain comparison
        {
            final int at = reverse ? last - i : i;
            if (Arrays.equals(scratch, at, at + needle.length, needle, 0, needle.length))
            {
                return s + at;
            }
        }
        return -1;
    }

    /** A snapshot of the windows; called under the manager's lock. */
    List<Window> snapshot()
    {
        return new ArrayList<>(windows.values());
    }
}
