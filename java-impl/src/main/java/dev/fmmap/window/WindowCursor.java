package dev.fmmap.window;

import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;

import java.util.Objects;

/**
 * A position in one file of a {@link WindowManager} that pins the window it uses (smmap's
 * {@code WindowCursor}). A cursor is confined to one thread at a time, like an iterator; several
 * cursors, in several threads, may share a file and a window. A cursor is <em>associated</em> from
 * its creation until {@link #close()}, and <em>valid</em> while it uses a mapped window.
 *
 * <p>Closing is deterministic: {@link #close()} unpins the window and drops the cursor's reference
 * to the file; nothing depends on garbage collection.
 */
public final class WindowCursor implements AutoCloseable
{
    private final WindowManager manager;
    /** The file, or null once closed. */
    private WindowedFile file;
    /** The pinned window, or null. */
    private Window window;
    /** The file offset the cursor begins at. */
    private long begin;
    /** The bytes the cursor covers; kept after unuse(), as smmap's size() is. */
    private long size;

    WindowCursor(final WindowManager manager, final WindowedFile file)
    {
        this.manager = manager;
        this.file = file;
    }

    /**
     * Points the cursor at {@code [offset, offset + size)}, as smmap's {@code use_region}: a size of 0
     * means as much as possible, and sizes are clamped to the manager's window size. If the window
     * in use includes {@code offset} it is kept (no lock is taken); otherwise it is unpinned and a
     * window including {@code offset} is found or mapped and pinned. The cursor may cover less than
     * asked: up to the end of its window, which may be the end of the file. An offset at or past
     * the end of the file leaves the cursor invalid.
     *
     * @param offset the file offset to begin at; not negative.
     * @param size   the bytes wanted, or 0 for as many as possible; not negative.
     * @return this cursor.
     * @throws IllegalArgumentException when {@code offset} or {@code size} is negative.
     * @throws IllegalStateException    when the cursor or the manager is closed.
     * @throws WindowLimitException     when a window is needed and the limits refuse it.
     * @throws ErrnoException           when the file cannot be opened or mapped.
     */
    public WindowCursor use(final long offset, final long size)
    {
        if (0 > offset)
        {
            throw new IllegalArgumentException("offset must be zero or positive: offset=" + offset);
        }
        if (0 > size)
        {
            throw new IllegalArgumentException("size must be zero or positive: size=" + size);
        }
        final WindowedFile f = associated();
        final long fileSize = f.size();
        final long windowSize = manager.windowSize();
        final long wanted = Math.min(0 == size ? fileSize : size, 0 == windowSize ? fileSize : windowSize);
        final Window w = window;
        if (null == w || !w.includes(offset) || !w.isMapped())
        {
            unuse();
            if (offset >= fileSize)
            {
                return this;
            }
            window = manager.acquire(f, offset, wanted);
        }
        begin = offset;
        this.size = Math.min(wanted, window.end() - offset);
        return this;
    }

    /**
     * {@link #use(long, long)}, then what a binding looks up next, in one call: the attachment of the
     * window in use ({@link Window#attach(Object)}), or the window itself while it has none, or null
     * when the cursor is left invalid. For bindings whose calls into Java cost more than the work:
     * on GraalPy each crossing costs microseconds, and a random read maps a window almost every time.
     *
     * @param offset the file offset to begin at; not negative.
     * @param size   the bytes wanted, or 0 for as many as possible; not negative.
     * @return the window's attachment, else the {@link Window}, else null.
     * @throws IllegalArgumentException when {@code offset} or {@code size} is negative.
     * @throws IllegalStateException    when the cursor or the manager is closed.
     * @throws WindowLimitException     when a window is needed and the limits refuse it.
     * @throws ErrnoException           when the file cannot be opened or mapped.
     */
    public Object useAttached(final long offset, final long size)
    {
        final Window w = use(offset, size).window;
        if (null == w)
        {
            return null;
        }
        final Object attachment = w.attachment();
        return null == attachment ? w : attachment;
    }

    /**
     * Unpins the window, if any; the cursor becomes invalid but stays associated, and {@link #size()}
     * keeps its last value. Idempotent.
     */
    public void unuse()
    {
        final Window w = window;
        if (null != w)
        {
            window = null;
            manager.letGo(w, Window.Use.PIN);
        }
    }

    /**
     * @return whether the cursor uses a window that is still mapped.
     */
    public boolean isValid()
    {
        final Window w = window;
        return null != w && w.isMapped();
    }

    /**
     * @return whether the cursor belongs to a file (it is not closed).
     */
    public boolean isAssociated()
    {
        return null != file;
    }

    /**
     * @return the file offset the cursor begins at.
     * @throws IllegalStateException when the cursor is not valid.
     */
    public long begin()
    {
        valid();
        return begin;
    }

    /**
     * @return the file offset just past the cursor's last byte.
     * @throws IllegalStateException when the cursor is not valid.
     */
    public long end()
    {
        valid();
        return begin + size;
    }

    /**
     * @return the bytes the cursor covers: 0 for a new cursor, and the last value after
     * {@link #unuse()} (as smmap's {@code size()}).
     */
    public long size()
    {
        return size;
    }

    /**
     * @param fileOffset an offset in the file.
     * @return whether the cursor is valid and {@code begin() <= fileOffset < end()}.
     */
    public boolean includes(final long fileOffset)
    {
        return isValid() && begin <= fileOffset && fileOffset < begin + size;
    }

    /**
     * @return the window in use, or null.
     */
    public Window window()
    {
        return window;
    }

    /**
     * @return the file, or null once the cursor is closed.
     */
    public WindowedFile file()
    {
        return file;
    }

    /**
     * @return the size of the file (cached at first use, see {@link WindowedFile#size()}).
     * @throws IllegalStateException when the cursor is closed.
     */
    public long fileSize()
    {
        return associated().size();
    }

    /**
     * A new cursor on the same file, covering the same range and pinning the same window (one more
     * pin), as smmap's {@code copy(cursor)} was meant to. A closed cursor copies to a closed cursor.
     *
     * @return the copy, to be closed on its own.
     */
    public WindowCursor copy()
    {
        return manager.copy(this);
    }

    /**
     * Reads one byte, moving the cursor to a window including {@code fileOffset} when the current
     * window does not.
     *
     * @param fileOffset the offset of the byte in the file.
     * @return the byte.
     * @throws IndexOutOfBoundsException when {@code fileOffset} is outside the file.
     * @throws IllegalStateException     when the cursor is closed, or its window was force-released.
     */
    public byte get(final long fileOffset)
    {
        final Window w = slideTo(fileOffset, 1);
        return w.memory().get(fileOffset - w.offset());
    }

    /**
     * Copies {@code len} bytes from {@code fileOffset} into {@code dst}, moving the cursor through as
     * many windows as the range spans (one pinned at a time).
     *
     * @param fileOffset the file offset of the first byte.
     * @param dst        the array to copy into.
     * @param off        where in {@code dst} to start.
     * @param len        how many bytes to copy.
     * @throws IndexOutOfBoundsException when the range is outside the file or {@code dst}.
     * @throws IllegalStateException     when the cursor is closed, or a window was force-released.
     */
    public void read(final long fileOffset, final byte[] dst, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, dst.length);
        eachWindow(fileOffset, off, len, (map, index, at, chunk) -> map.get(index, dst, at, chunk));
    }

    /**
     * Writes one byte, moving the cursor as {@link #get(long)} does.
     *
     * @param fileOffset the offset of the byte in the file.
     * @param value      the byte.
     * @throws UnsupportedOperationException when the manager's windows are read-only.
     * @throws IndexOutOfBoundsException     when {@code fileOffset} is outside the file.
     * @throws IllegalStateException         when the cursor is closed, or its window was force-released.
     */
    public void put(final long fileOffset, final byte value)
    {
        final Window w = slideTo(fileOffset, 1);
        w.memory().put(fileOffset - w.offset(), value);
    }

    /**
     * Copies {@code len} bytes of {@code src} to the file from {@code fileOffset}, moving the cursor
     * through as many windows as the range spans (one pinned at a time). The writes reach the file's
     * shared pages at once and the disk when the kernel writes them back, or at {@link Window#flush()}.
     *
     * @param fileOffset the file offset of the first byte.
     * @param src        the bytes to copy.
     * @param off        where in {@code src} to start.
     * @param len        how many bytes to copy.
     * @throws UnsupportedOperationException when the manager's windows are read-only.
     * @throws IndexOutOfBoundsException     when the range is outside the file or {@code src}.
     * @throws IllegalStateException         when the cursor is closed, or a window was force-released.
     */
    public void write(final long fileOffset, final byte[] src, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, src.length);
        eachWindow(fileOffset, off, len, (map, index, at, chunk) -> map.put(index, src, at, chunk));
    }

    /** A copy between one window's map (from {@code index}) and an array (from {@code at}). */
    @FunctionalInterface
    private interface Copy
    {
        void run(MemoryMap map, long index, int at, int chunk);
    }

    /**
     * Runs {@code copy} on each window that {@code [fileOffset, fileOffset + len)} spans, moving the
     * cursor from one to the next (one pinned at a time); {@code off} is the array index of the first
     * byte.
     */
    private void eachWindow(final long fileOffset, final int off, final int len, final Copy copy)
    {
        long pos = fileOffset;
        int at = off;
        int left = len;
        while (0 < left)
        {
            final Window w = slideTo(pos, left);
            final int chunk = (int)Math.min(left, w.end() - pos);
            copy.run(w.memory(), pos - w.offset(), at, chunk);
            pos += chunk;
            at += chunk;
            left -= chunk;
        }
    }

    /**
     * Unpins the window and drops the reference to the file, which leaves the manager's table once
     * it has no window and no cursor. Idempotent.
     */
    @Override
    public void close()
    {
        final WindowedFile f = file;
        if (null == f)
        {
            return;
        }
        unuse();
        file = null;
        manager.closeCursor(f);
    }

    /**
     * @return a description with the cursor's range and state.
     */
    @Override
    public String toString()
    {
        return "WindowCursor[" + (null == file ? "closed" : file.key() + " begin=" + begin + " size=" + size
            + (isValid() ? "" : " invalid")) + "]";
    }

    // --- internals -------------------------------------------------------------------------------

    /** Copies the state of {@code source} into this new cursor; the caller has pinned the window. */
    void copyFrom(final WindowCursor source, final Window pinned)
    {
        window = pinned;
        begin = source.begin;
        size = source.size;
    }

    private WindowedFile associated()
    {
        final WindowedFile f = file;
        if (null == f)
        {
            throw new IllegalStateException("cursor is closed");
        }
        return f;
    }

    private void valid()
    {
        if (!isValid())
        {
            throw new IllegalStateException("cursor is not valid");
        }
    }

    /** The window including {@code [fileOffset, fileOffset + length)}'s first byte, moving if needed. */
    private Window slideTo(final long fileOffset, final long length)
    {
        final long fileSize = associated().size();
        if (0 > fileOffset || fileOffset + length > fileSize || 0 > fileOffset + length)
        {
            throw new IndexOutOfBoundsException(
                "fileOffset=" + fileOffset + " length=" + length + " fileSize=" + fileSize);
        }
        final Window w = window;
        if (null != w && w.includes(fileOffset) && w.isMapped())
        {
            return w;
        }
        use(fileOffset, 0);
        return window;
    }
}
