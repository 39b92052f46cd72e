package dev.fmmap;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Tells file maps that their file changed, on one daemon thread per process that reads inotify
 * events ({@code IN_MODIFY}: writes and truncations, from any process). A map then compares the file's
 * size with its own extent and replaces the pages the file no longer backs by zero pages before
 * anything touches them, so that an access after a truncation reads zeros or raises instead of
 * faulting (SIGBUS). The window left is the time between the truncation and this thread's reaction.
 */
final class TruncationWatcher
{
    /** What a watched map does when its file changes; called on the watcher thread. */
    interface Listener
    {
        /** The file may have changed size. */
        void fileChanged();

        /** The kernel dropped the watch (e.g. the file system went away): no more events will come. */
        void watchLost();
    }

    /** One listener's watch; {@link #cancel()} stops it. */
    static final class Registration
    {
        private final TruncationWatcher watcher;
        private final int wd;
        private final Listener listener;

        private Registration(final TruncationWatcher watcher, final int wd, final Listener listener)
        {
            this.watcher = watcher;
            this.wd = wd;
            this.listener = listener;
        }

        /** Stops telling this listener; idempotent. */
        void cancel()
        {
            watcher.remove(wd, listener);
        }
    }

    private static final int EVENT_HEADER = 16; // int wd; uint32_t mask, cookie, len; then len bytes
    private static final int BUFFER = 64 * 1024;
    private static final Object LOCK = new Object();
    private static TruncationWatcher instance;
    private static boolean unavailable;

    private final int inotifyFd;
    /** The events read() fills; a field, so that it stays mapped while the loop reads it by address. */
    private final NativeBuffer events = NativeBuffer.allocate(BUFFER);
    private final Map<Integer, List<Listener>> listeners = new HashMap<>();

    private TruncationWatcher(final int inotifyFd)
    {
        this.inotifyFd = inotifyFd;
    }

    /**
     * Watches the file open as {@code fd} for {@code listener}.
     *
     * @return the registration, or null where inotify is unavailable (no instance could be made, or
     * the watch limit is reached): the caller must then guard every access itself.
     */
    static Registration watch(final int fd, final Listener listener)
    {
        final TruncationWatcher watcher = instance();
        if (null == watcher)
        {
            return null;
        }
        return watcher.add(fd, listener);
    }

    private static TruncationWatcher instance()
    {
        synchronized (LOCK)
        {
            if (null == instance && !unavailable)
            {
                try
                {
                    instance = new TruncationWatcher(Syscalls.inotifyInit1(Posix.IN_CLOEXEC));
                    final Thread thread = new Thread(instance::run, "fmmap-truncation-watcher");
                    thread.setDaemon(true);
                    thread.start();
                }
                catch (final ErrnoException e)
                {
                    unavailable = true; // EMFILE or ENOSYS: maps fall back to guarded accesses
                }
            }
            return instance;
        }
    }

    private synchronized Registration add(final int fd, final Listener listener)
    {
        final int wd;
        try
        {
            // The magic link names the open file itself, even renamed or unlinked.
            wd = Syscalls.inotifyAddWatch(inotifyFd, "/proc/self/fd/" + fd, Posix.IN_MODIFY);
        }
        catch (final ErrnoException e)
        {
            return null; // ENOSPC (max_user_watches) or a file system without inotify
        }
        listeners.computeIfAbsent(wd, k -> new ArrayList<>(1)).add(listener);
        return new Registration(this, wd, listener);
    }

    private synchronized void remove(final int wd, final Listener listener)
    {
        final List<Listener> list = listeners.get(wd);
        if (null == list || !list.remove(listener) || !list.isEmpty())
        {
            return;
        }
        listeners.remove(wd);
        try
        {
            Syscalls.inotifyRmWatch(inotifyFd, wd);
        }
        catch (final ErrnoException ignored)
        {
            // EINVAL: the kernel dropped it already
        }
    }

    private synchronized List<Listener> listenersOf(final int wd, final boolean drop)
    {
        final List<Listener> list = drop ? listeners.remove(wd) : listeners.get(wd);
        return null == list ? List.of() : new ArrayList<>(list);
    }

    private void run()
    {
        final NativeBuffer buffer = events;
        final Set<Integer> changed = new LinkedHashSet<>();
        while (true)
        {
            final long n;
            try
            {
                n = Syscalls.read(inotifyFd, buffer.address(), buffer.size());
            }
            catch (final ErrnoException e)
            {
                if (Posix.EINTR == e.errno())
                {
                    continue;
                }
                return;
            }
            changed.clear();
            for (long at = 0; at + EVENT_HEADER <= n; )
            {
                final int wd = NativeMemory.getInt(buffer.address() + at);
                final int mask = NativeMemory.getInt(buffer.address() + at + 4);
                final int length = NativeMemory.getInt(buffer.address() + at + 12);
                at += EVENT_HEADER + length;
                if (0 != (mask & Posix.IN_IGNORED))
                {
                    changed.remove(wd);
                    for (final Listener listener : listenersOf(wd, true))
                    {
                        notify(listener, true);
                    }
                }
                else
                {
                    changed.add(wd);
                }
            }
            for (final int wd : changed)
            {
                for (final Listener listener : listenersOf(wd, false))
                {
                    notify(listener, false);
                }
            }
        }
    }

    private static void notify(final Listener listener, final boolean lost)
    {
        try
        {
            if (lost)
            {
                listener.watchLost();
            }
            else
            {
                listener.fileChanged();
            }
        }
        catch (final RuntimeException | Error e)
        {
            // One map's failure must not stop the thread that watches every other map.
        }
    }
}
