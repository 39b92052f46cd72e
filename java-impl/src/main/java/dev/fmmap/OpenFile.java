package dev.fmmap;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

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

    /**
     * Reads {@code length} bytes of the file behind {@code fd} from {@code position} into the calling
     * thread's transfer buffer (the one {@link MemoryMap#copyOut(long, int)} uses), with {@code pread}:
     * bytes past the end of the file read as zeros, as a truncated map's zero pages do. For copies out
     * of pages that are probably not mapped yet: on a just-mapped window the first touch costs a page
     * fault per 64 KiB (~25 us each on a 2-core VM, measured), a 4 KiB {@code pread} ~3 us, and a
     * {@code pread} never faults.
     *
     * @param fd       an open file descriptor, readable.
     * @param position the file offset to read from; not negative.
     * @param length   how many bytes, at most {@link MemoryMap#TRANSFER_MAX}.
     * @return the address of the bytes, valid until this thread's next copy.
     * @throws ErrnoException when pread fails (EBADF, EIO, ...).
     */
    public static long copyOut(final int fd, final long position, final int length)
    {
        if (0 > position)
        {
            throw new IllegalArgumentException("position must be zero or positive: position=" + position);
        }
        final NativeBuffer buffer = Transfer.buffer(length);
        long done = 0;
        while (done < length)
        {
            final long n;
            try
            {
                n = Syscalls.pread(fd, buffer.address() + done, length - done, position + done);
            }
            catch (final ErrnoException e)
            {
                if (Posix.EINTR == e.errno())
                {
                    continue;
                }
                throw e;
            }
            if (0 == n)
            {
                NativeMemory.fill(buffer.address() + done, length - done, (byte)0); // past the end of the file
                break;
            }
            done += n;
        }
        return buffer.address();
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
