package dev.fmmap;

import dev.fmmap.syscalls.Syscalls;

/**
 * A failed POSIX call: carries the C {@code errno} and the name of the call, so that a binding can
 * raise its own error type (Python: {@code OSError(errno, strerror)}) without parsing messages.
 */
public final class ErrnoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String syscall;

    /**
     * Creates the exception for a call that failed.
     *
     * @param syscall the name of the C function that failed, e.g. {@code "mmap"}.
     * @param errno   the value of {@code errno} captured straight after the call.
     */
    public ErrnoException(final String syscall, final int errno)
    {
        super(syscall + ": " + Syscalls.strerror(errno) + " (errno " + errno + ")");
        this.syscall = syscall;
        this.errno = errno;
    }

    /**
     * @return the C {@code errno} of the failed call.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * @return the operating system's text for {@link #errno()}, as {@code strerror(3)} gives it.
     */
    public String strerror()
    {
        return Syscalls.strerror(errno);
    }

    /**
     * @return the name of the C function that failed.
     */
    public String syscall()
    {
        return syscall;
    }
}
