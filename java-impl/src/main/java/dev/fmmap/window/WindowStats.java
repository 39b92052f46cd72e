package dev.fmmap.window;

import dev.fmmap.MemoryMap;

/**
 * A consistent snapshot of a {@link WindowManager}'s state and counters, taken under its lock.
 *
 * @param mappedBytes     bytes mapped by the windows alive now.
 * @param peakMappedBytes the most bytes ever mapped at once.
 * @param windows         windows mapped now; each holds one file descriptor (smmap's
 *                        {@code num_file_handles()}).
 * @param peakWindows     the most windows ever mapped at once.
 * @param pinnedWindows   windows used by at least one cursor.
 * @param viewHeldWindows windows used by no cursor but kept mapped by views ({@link Window#retainView()}).
 * @param openFiles       files with at least one window (smmap's {@code num_open_files()}).
 * @param cursors         cursors associated with a file and not closed.
 * @param hits            window requests served by a window already mapped.
 * @param maps            windows mapped since the manager was built: the requests that missed.
 * @param evictions       windows unmapped to make room, by {@link WindowManager#collect()} or
 *                        {@link Window#release()}.
 * @param overcommits     windows mapped past the byte limit because every window was in use
 *                        ({@link WindowManager.Overcommit#WHEN_ALL_PINNED} only).
 * @param limitFailures   requests refused with a {@link WindowLimitException}.
 * @param mapRetries      maps retried after a failed {@code open} or {@code mmap} (ENOMEM, EMFILE,
 *                        ENFILE) with every unused window unmapped.
 * @param guardsHeld      zero-page guards of closed maps in the whole process
 *                        ({@link MemoryMap#guardsHeld()}), not counted in {@code mappedBytes}.
 */
public record WindowStats(
    long mappedBytes,
    long peakMappedBytes,
    int windows,
    int peakWindows,
    int pinnedWindows,
    int viewHeldWindows,
    int openFiles,
    int cursors,
    long hits,
    long maps,
    long evictions,
    long overcommits,
    long limitFailures,
    long mapRetries,
    long guardsHeld)
{
}
