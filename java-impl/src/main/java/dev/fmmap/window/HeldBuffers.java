package dev.fmmap.window;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The buffers handed out by {@link Window#viewBuffer(long, int)}, each holding one view of its window
 * until the garbage collector finds the buffer unreachable. They are referenced weakly, so that the
 * collection itself marks the ones gone; nothing runs at that moment (no cleaner): the manager looks
 * for them when it needs room, and whenever the list has doubled. Guarded by the manager's lock.
 */
final class HeldBuffers
{
    private static final int FIRST_SCAN_AT = 64;

    private final List<Held> held = new ArrayList<>();
    /** The manager's release of one view of a window, run for each buffer found collected. */
    private final Consumer<Window> releaseView;
    /** The number of held buffers at which {@link #add} first looks for collected ones. */
    private int scanAt = FIRST_SCAN_AT;

    HeldBuffers(final Consumer<Window> releaseView)
    {
        this.releaseView = releaseView;
    }

    /**
     * Holds {@code buffer}, a view of {@code window} already counted; first, when the list has doubled
     * since the last look, releases the collected ones, so that the list stays in proportion to the
     * buffers alive.
     */
    void add(final ByteBuffer buffer, final Window window)
    {
        if (held.size() >= scanAt)
        {
            releaseCollected();
            scanAt = Math.max(FIRST_SCAN_AT, 2 * held.size());
        }
        held.add(new Held(buffer, window));
    }

    /**
     * Releases the view of every buffer the collector found unreachable.
     *
     * @return the number of buffers released.
     */
    int releaseCollected()
    {
        int released = 0;
        for (int i = held.size() - 1; i >= 0; i--)
        {
            final Held h = held.get(i);
            if (null == h.get())
            {
                final int last = held.size() - 1;
                held.set(i, held.get(last));
                held.remove(last);
                releaseView.accept(h.window);
                released++;
            }
        }
        return released;
    }

    boolean isEmpty()
    {
        return held.isEmpty();
    }

    int size()
    {
        return held.size();
    }

    /** Forgets every buffer, for a manager that unmaps all its windows anyway. */
    void clear()
    {
        held.clear();
    }

    /** A buffer over a window's memory, weakly: cleared when the collector finds the buffer unreachable. */
    private static final class Held extends WeakReference<ByteBuffer>
    {
        final Window window;

        Held(final ByteBuffer buffer, final Window window)
        {
            super(buffer);
            this.window = window;
        }
    }
}
