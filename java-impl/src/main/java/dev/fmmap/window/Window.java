package dev.fmmap.window;

import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;
import dev.fmmap.OpenFile;
import dev.fmmap.Posix;

import java.nio.ByteBuffer;

/**
 * One mapped, page-aligned range {@code [offset, end)} of a {@link WindowedFile}, read-only or (see
 * {@link WindowManagerBuilder#writable(boolean)}) read-write, owned by its {@link WindowManager}
 * (smmap's {@code MapRegion}). Windows of a file never overlap. A window is mapped until the manager
 * unmaps it: to make room or in {@link WindowManager#collect()} or {@link #release()} (only when no
 * cursor pins it and no view holds it), or in {@link WindowManager#release(java.nio.file.Path)} or
 * {@link WindowManager#close()} (in any case). Once unmapped, its {@link #map()} throws
 * {@link IllegalStateException} on access, and raw addresses into it read zeros if it was
 * {@linkplain #expose() exposed} (or unmapped while in use).
 *
 * <p>Pins and views change only under the manager's lock; the getters read them without it.
 */
public final class Window
{
    private final WindowManager manager;
    private final WindowedFile file;
    private final long offset;
    private final long size;
    private final MemoryMap map;
    /** Whether raw addresses into the map may outlive the window (see {@link #expose()}). */
    private volatile boolean exposed;

    /** Cursors using this window; written under the manager's lock. */
    private volatile int pins;
    /** Views handed out that may still be alive; written under the manager's lock. */
    private volatile int views;
    /** Cleared (under the manager's lock) when the manager unmaps the window. */
    private volatile boolean mapped = true;
    private volatile Object attachment;

    /** The links of the manager's {@link LruList} of unused windows, and whether this window is on it. */
    Window lruPrev;
    Window lruNext;
    boolean inLru;

    Window(final WindowManager manager, final WindowedFile file, final long offset, final MemoryMap map)
    {
        this.manager = manager;
        this.file = file;
        this.offset = offset;
        this.size = map.size();
        this.map = map;
    }

    /**
     * @return the file offset of the window's first byte; a multiple of {@link Posix#pageSize()}.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return the number of bytes mapped.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the file offset just past the window's last byte.
     */
    public long end()
    {
        return offset + size;
    }

    /**
     * @param fileOffset an offset in the file.
     * @return whether {@code offset() <= fileOffset < end()}.
     */
    public boolean includes(final long fileOffset)
    {
        return offset <= fileOffset && fileOffset < offset + size;
    }

    /**
     * @return the number of cursors using this window (smmap's {@code client_count() - 1}); views are
     * not counted, as smmap's count does not know them.
     */
    public int pins()
    {
        return pins;
    }

    /**
     * @return the number of views retained with {@link #retainView()} and not yet released.
     */
    public int views()
    {
        return views;
    }

    /**
     * Records that a view of this window's memory was handed out (for example a Python memoryview
     * over {@link MemoryMap#address()}). While any view is retained the window stays mapped, so a
     * view that outlives its cursor never reads zeros; only {@link WindowManager#release} and
     * {@link WindowManager#close()} unmap it anyway.
     *
     * @throws IllegalStateException when the window is no longer mapped.
     */
    public void retainView()
    {
        manager.hold(this, Use.VIEW);
    }

    /**
     * A read-only buffer over {@code [at, at + length)} of the window that holds the window mapped, as a
     * {@linkplain #retainView() retained view} does, for as long as the buffer is reachable: its view is
     * released once the garbage collector has found it unreachable (at the manager's next
     * {@link WindowManager#collect()}, limit hit or {@link WindowManager#releaseCollectedBuffers()}).
     * For bindings that cannot tell when their own views are gone (GraalPy 25.2.4 never frees an object
     * a memoryview was taken of, but does free a {@code ByteBuffer} once its memoryviews are gone).
     * Only {@link WindowManager#release} and {@link WindowManager#close()} unmap the window under it;
     * the buffer then reads zeros, never faults.
     *
     * @param at     the offset in the window.
     * @param length how many bytes; {@code at + length <= size()}.
     * @return the buffer (position 0, limit {@code length}).
     * @throws IndexOutOfBoundsException when the range is not within the window.
     * @throws IllegalStateException     when the window is no longer mapped.
     */
    public ByteBuffer viewBuffer(final long at, final int length)
    {
        return manager.viewBuffer(this, at, length);
    }

    /**
     * Records that a view retained with {@link #retainView()} is gone; the window may then be unmapped
     * once no cursor uses it either.
     *
     * @throws IllegalStateException when no view is retained.
     */
    public void releaseView()
    {
        manager.letGo(this, Use.VIEW);
    }

    /**
     * Unmaps this window now if no cursor pins it and no view holds it (smmap's
     * {@code MapRegion.release()}, which closed its map even in use).
     *
     * @return whether it was unmapped by this call.
     */
    public boolean release()
    {
        return manager.release(this);
    }

    /**
     * Writes the window's changed pages to the file and waits ({@code msync(MS_SYNC)}); nothing to do
     * for read-only windows. Call it while a cursor pins the window.
     *
     * @throws IllegalStateException when the window is no longer mapped.
     * @throws dev.fmmap.ErrnoException when msync fails.
     */
    public void flush()
    {
        map.flush(0, size);
    }

    /**
     * @return whether the window is still mapped.
     */
    public boolean isMapped()
    {
        return mapped;
    }

    /**
     * The window's map: byte 0 of the map is file offset {@link #offset()}. The manager owns it; do not
     * close it. Use it only while a cursor pins the window or a view is retained. Asking for it
     * {@linkplain #expose() exposes} the window, since its address and segment can outlive the window.
     *
     * @return the map, closed once the window is unmapped.
     */
    public MemoryMap map()
    {
        exposed = true;
        return map;
    }

    /**
     * The address of the window's first byte, for reads while a cursor pins the window or a view is
     * retained, and only then: it does not {@linkplain #expose() expose} the window.
     *
     * @return the address.
     * @throws IllegalStateException when the window is no longer mapped.
     */
    public long address()
    {
        return map.address();
    }

    /**
     * Copies {@code [at, at + length)} of the window out of its file with {@code pread}, not out of the
     * mapping ({@link OpenFile#copyOut(int, long, int)}): a short copy from a window just mapped would
     * otherwise pay its page faults, which cost more than the read. Use it while a cursor pins the
     * window; it does not {@linkplain #expose() expose} it.
     *
     * @param at     the offset in the window; {@code at + length <= size()}.
     * @param length how many bytes, at most {@link MemoryMap#TRANSFER_MAX}.
     * @return the address of the copy, valid until this thread's next copy.
     * @throws IndexOutOfBoundsException when the range is not within the window.
     * @throws IllegalStateException     when the window is no longer mapped.
     * @throws ErrnoException            when pread fails.
     */
    public long copyOut(final long at, final int length)
    {
        checkRange(at, length, size);
        final int fd = map.fd();
        if (!mapped || -1 == fd)
        {
            throw new IllegalStateException("window unmapped: " + this);
        }
        return OpenFile.copyOut(fd, offset + at, length);
    }

    /**
     * Declares that raw addresses into this window were handed out that may be used after the window
     * is unmapped (views that are not {@linkplain #retainView() retained}): its range then stays
     * reserved by zero pages, which such views read, until the map object is collected. A window
     * never exposed is unmapped outright when unused, which leaves nothing behind.
     */
    public void expose()
    {
        exposed = true;
    }

    /** The map, for the manager's own accesses while the window is pinned (not an exposure). */
    MemoryMap memory()
    {
        return map;
    }

    /**
     * @return the object attached with {@link #attach(Object)}, or null.
     */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * Attaches an object to the window, for a binding that needs one wrapper object per window (the
     * Python layer's {@code MapRegion}, so that {@code is} comparisons hold).
     *
     * @param o the object to attach, or null to detach.
     */
    public void attach(final Object o)
    {
        attachment = o;
    }

    /**
     * @return a description with the window's range and counts.
     */
    @Override
    public String toString()
    {
        return "Window[offset=" + offset + " size=" + size + " pins=" + pins + " views=" + views
            + (mapped ? "" : " unmapped") + "]";
    }

    // --- manager side: called under the manager's lock -------------------------------------------

    WindowedFile file()
    {
        return file;
    }

    /** What keeps a window mapped: one rule, two counters. */
    enum Use
    {
        /** A cursor uses the window ({@link WindowCursor#use(long, long)}). */
        PIN,
        /** A view of the window may still be alive ({@link #retainView()}, {@link #viewBuffer(long, int)}). */
        VIEW
    }

    /** @return how many uses of this kind hold the window. */
    int count(final Use use)
    {
        return Use.PIN == use ? pins : views;
    }

    /** Adds {@code delta} to the count of {@code use}. */
    void count(final Use use, final int delta)
    {
        if (Use.PIN == use)
        {
            pins += delta;
        }
        else
        {
            views += delta;
        }
    }

    /** Whether no cursor and no view uses the window: it belongs on the LRU list. */
    boolean unused()
    {
        return 0 == pins && 0 == views;
    }

    /**
     * Unmaps the window and closes its descriptor. A window that was exposed, or that a cursor or view
     * still uses (a forced release), gets zero pages in its place; an unused, unexposed one is
     * unmapped outright, since nothing can read it any more.
     */
    void unmap()
    {
        mapped = false;
        if (exposed || !unused())
        {
            map.close();
        }
        else
        {
            map.closeWithoutGuard();
        }
    }

    /** Throws {@link IndexOutOfBoundsException} unless {@code [at, at + length)} lies within {@code [0, size)}. */
    static void checkRange(final long at, final long length, final long size)
    {
        if (0 > at || 0 > length || at > size - length)
        {
            throw new IndexOutOfBoundsException("at=" + at + " length=" + length + " size=" + size);
        }
    }
}
