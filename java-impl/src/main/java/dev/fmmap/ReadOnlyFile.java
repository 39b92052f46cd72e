package dev.fmmap;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file descriptor opened read-only, for code outside the core that maps parts of a file itself (the
 * window manager opens one per window, maps it with {@link MemoryMap#map(int, long, int, int, Access,
 * long, boolean)} and closes it). Closing it does not affect maps made from it.
 */
public final class ReadOnlyFile implements AutoCloseable
{
    private final int fd;
    private boolean closed;

    private ReadOnlyFile(final int fd)
    {
        this.fd = fd;
    }

    /**
     * Opens {@code path} with {@code O_RDONLY | O_CLOEXEC | extraFlags}.
     *
     * @param path       the file.
     * @param extraFlags further {@code O_} flags (smmap passes e.g. {@code O_NOATIME}); not {@code O_CREAT}.
     * @return the open file.
     * @throws ErrnoException when open fails (ENOENT, EACCES, EMFILE, ...).
     */
    public static ReadOnlyFile open(final Path path, final int extraFlags)
    {
        Objects.requireNonNull(path, "path");
        return new ReadOnlyFile(Syscalls.open(path.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC | extraFlags));
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
