package dev.fmmap.window;

/**
 * The windows that no cursor pins and no view holds, least recently used first: the ones a manager
 * may unmap, head first. The list is intrusive (its links are fields of {@link Window}), so that a
 * window going in and out of use allocates nothing. Guarded by the manager's lock.
 */
final class LruList
{
    private Window head;
    private Window tail;
    private int size;

    /** @return the least recently used window, or null when the list is empty. */
    Window head()
    {
        return head;
    }

    /** @return the number of windows on the list. */
    int size()
    {
        return size;
    }

    /** Adds {@code w}, which is not on the list, as the most recently used window. */
    void append(final Window w)
    {
        w.inLru = true;
        w.lruPrev = tail;
        w.lruNext = null;
        if (null == tail)
        {
            head = w;
        }
        else
        {
            tail.lruNext = w;
        }
        tail = w;
        size++;
    }

    /** Takes {@code w} off the list if it is on it. */
    void remove(final Window w)
    {
        if (!w.inLru)
        {
            return;
        }
        if (null == w.lruPrev)
        {
            head = w.lruNext;
        }
        else
        {
            w.lruPrev.lruNext = w.lruNext;
        }
        if (null == w.lruNext)
        {
            tail = w.lruPrev;
        }
        else
        {
            w.lruNext.lruPrev = w.lruPrev;
        }
        w.lruPrev = null;
        w.lruNext = null;
        w.inLru = false;
        size--;
    }

    /** @return the most recently used window, or null when the list is empty. */
    Window tail()
    {
        return tail;
    }
}
