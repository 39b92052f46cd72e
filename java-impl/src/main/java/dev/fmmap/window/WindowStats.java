package dev.fmmap.window;

import dev.fmmap.MemoryMap;

import java.util.Arrays;

/**
 * A consistent snapshot of a {@link WindowManager}'s state and counters, taken under its lock.
 */
public final class WindowStats
{
    private final long mappedBytes;
    private final long peakMappedBytes;
    private final int windows;
    private final int peakWindows;
    private final int pinnedWindows;
    private final int viewHeldWindows;
    private final int openFiles;
    private final int cursors;
    private final long hits;
    private final long maps;
    private final long evictions;
    private final long overcommits;
    private final long limitFailures;
    private final long mapRetries;
    private final long guardsHeld;

    WindowStats(
        final long mappedBytes,
        final long peakMappedBytes,
        final int windows,
        final int peakWindows,
        final int pinnedWindows,
        final int viewHeldWindows,
        final int openFiles,
        final int cursors,
        final long hits,
        final long maps,
        final long evictions,
        final long overcommits,
        final long limitFailures,
        final long mapRetries,
        final long guardsHeld)
    {
        this.mappedBytes = mappedBytes;
        this.peakMappedBytes = peakMappedBytes;
        this.windows = windows;
        this.peakWindows = peakWindows;
        this.pinnedWindows = pinnedWindows;
        this.viewHeldWindows = viewHeldWindows;
        this.openFiles = openFiles;
        this.cursors = cursors;
        this.hits = hits;
        this.maps = maps;
        this.evictions = evictions;
        this.overcommits = overcommits;
        this.limitFailures = limitFailures;
        this.mapRetries = mapRetries;
        this.guardsHeld = guardsHeld;
    }

    /** @return bytes mapped by the windows alive now. */
    public long mappedBytes()
    {
        return mappedBytes;
    }

    /** @return the most bytes ever mapped at once. */
    public long peakMappedBytes()
    {
        return peakMappedBytes;
    }

    /** @return windows mapped now; each holds one file descriptor (smmap's {@code num_file_handles()}). */
    public int windows()
    {
        return windows;
    }

    /** @return the most windows ever mapped at once. */
    public int peakWindows()
    {
        return peakWindows;
    }

    /** @return windows used by at least one cursor. */
    public int pinnedWindows()
    {
        return pinnedWindows;
    }

    /** @return windows used by no cursor but kept mapped by views ({@link Window#retainView()}). */
    public int viewHeldWindows()
    {
        return viewHeldWindows;
    }

    /** @return files with at least one window (smmap's {@code num_open_files()}). */
    public int openFiles()
    {
        return openFiles;
    }

    /** @return cursors associated with a file and not closed. */
    public int cursors()
    {
        return cursors;
    }

    /** @return window requests served by a window already mapped. */
    public long hits()
    {
        return hits;
    }

    /** @return windows mapped since the manager was built: the requests that missed. */
    public long maps()
    {
        return maps;
    }

    /** @return windows unmapped to make room, by {@link WindowManager#collect()} or {@link Window#release()}. */
    public long evictions()
    {
        return evictions;
    }

    /** @return windows mapped past the byte limit because every window was in use ({@link WindowManager.Overcommit#WHEN_ALL_PINNED} only). */
    public long overcommits()
    {
        return overcommits;
    }

    /** @return requests refused with a {@link WindowLimitException}. */
    public long limitFailures()
    {
        return limitFailures;
    }

    /** @return maps retried after a failed {@code open} or {@code mmap} (ENOMEM, EMFILE, ENFILE) with every unused window unmapped. */
    public long mapRetries()
    {
        return mapRetries;
    }

    /** @return zero-page guards of closed maps in the whole process ({@link MemoryMap#guardsHeld()}), not counted in {@code mappedBytes}. */
    public long guardsHeld()
    {
        return guardsHeld;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof WindowStats))
        {
            return false;
        }
        final WindowStats w = (WindowStats)o;
        return mappedBytes == w.mappedBytes
            && peakMappedBytes == w.peakMappedBytes
            && windows == w.windows
            && peakWindows == w.peakWindows
            && pinnedWindows == w.pinnedWindows
            && viewHeldWindows == w.viewHeldWindows
            && openFiles == w.openFiles
            && cursors == w.cursors
            && hits == w.hits
            && maps == w.maps
            && evictions == w.evictions
            && overcommits == w.overcommits
            && limitFailures == w.limitFailures
            && mapRetries == w.mapRetries
            && guardsHeld == w.guardsHeld;
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(new long[] {mappedBytes, peakMappedBytes, windows, peakWindows, pinnedWindows, viewHeldWindows, openFiles, cursors, hits, maps, evictions, overcommits, limitFailures, mapRetries, guardsHeld});
    }

    /** @return the counters as {@code WindowStats[name=value, ...]}, in the order above. */
    @Override
    public String toString()
    {
        return "WindowStats[" + "mappedBytes=" + mappedBytes
            + ", " + "peakMappedBytes=" + peakMappedBytes
            + ", " + "windows=" + windows
            + ", " + "peakWindows=" + peakWindows
            + ", " + "pinnedWindows=" + pinnedWindows
            + ", " + "viewHeldWindows=" + viewHeldWindows
            + ", " + "openFiles=" + openFiles
            + ", " + "cursors=" + cursors
            + ", " + "hits=" + hits
            + ", " + "maps=" + maps
            + ", " + "evictions=" + evictions
            + ", " + "overcommits=" + overcommits
            + ", " + "limitFailures=" + limitFailures
            + ", " + "mapRetries=" + mapRetries
            + ", " + "guardsHeld=" + guardsHeld + "]";
    }
}
