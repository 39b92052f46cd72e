package dev.fmmap;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An open file descriptor, for code outside the core that maps parts of a file itself (the window
 * manager opens one per window, maps it with {@link MemoryMap#map(int, long, int, int, Access, long,
 * boolean)} and closes it). Closing it does not affect maps made from it.
 */
public final class OpenFile implements AutoCloseable
{
    private final int fd;
    private boolean closed;

    private OpenFile(final int fd)
    {
        this.fd = fd;
    }

    /**
     * Opens {@code path} with {@code O_RDONLY} (or {@code O_RDWR}), {@code O_CLOEXEC} and {@code extraFlags}.
     *
     * @param path       the file.
     * @param writable   whether to open it for reading and writing.
     * @param extraFlags further {@code O_} flags (smmap passes e.g. {@code O_NOATIME}); not {@code O_CREAT}.
     * @return the open file.
     * @throws ErrnoException when open fails (ENOENT, EACCES, EMFILE, ...).
     */
    public static OpenFile open(final Path path, final boolean writable, final int extraFlags)
    {
        Objects.requireNonNull(path, "path");
        final int mode = writable ? Posix.O_RDWR : Posix.O_RDONLY;
        return new OpenFile(Syscalls.open(path.toString(), mode | Posix.O_CLOEXEC | extraFlags));
    }

    /**
     * The size of the file behind any descriptor, from {@code fstat}.
     *
     * @param fd an open file descriptor.
     * @return its size in bytes.
     * @throws ErrnoException when fstat fails (EBADF).
     */
    public static long size(final int fd)
    {
        return Syscalls.fstat(fd).size();
    }

    /** @return the descriptor, valid until {@link #close()}. */
    public int fd()
    {
        return fd;
    }

    /** @return the file's size now, from {@code fstat}. */
    public long size()
    {
        return size(fd);
    }

    /** Closes the descriptor (once). */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Syscalls.close(fd);
        }
    }
}
