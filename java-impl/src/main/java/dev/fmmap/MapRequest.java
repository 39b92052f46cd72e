package dev.fmmap;

import dev.fmmap.syscalls.Syscalls;

import java.util.Objects;

/**
 * CPython's {@code mmap.mmap} arguments turned into what the kernel is asked for, with CPython's
 * checks and wording: the access mode the map reports, the flags and protection it is mapped with,
 * its size (a length of 0 takes the file's rest) and whether the file is a regular one.
 */
final class MapRequest
{
    private static final int PROT_RW = Posix.PROT_READ | Posix.PROT_WRITE;

    private final Access access;
    private final int flags;
    private final int prot;
    private final long size;
    private final boolean regularFile;

    private MapRequest(final Access access, final int flags, final int prot, final long size, final boolean regularFile)
    {
        this.access = access;
        this.flags = flags;
        this.prot = prot;
        this.size = size;
        this.regularFile = regularFile;
    }

    /** The access mode, resolved from {@code prot} when {@link Access#DEFAULT} was given. */
    Access access()
    {
        return access;
    }

    /** The MAP_ flags to map with. */
    int flags()
    {
        return flags;
    }

    /** The PROT_ bits to map with. */
    int prot()
    {
        return prot;
    }

    /** The bytes to map. */
    long size()
    {
        return size;
    }

    /** Whether the descriptor is a regular file (whose size was checked). */
    boolean regularFile()
    {
        return regularFile;
    }

    /**
     * Checks and resolves the arguments of {@link MemoryMap#map(int, long, int, int, Access, long, boolean)}.
     *
     * @throws IllegalArgumentException on a bad combination of arguments or sizes (CPython's wording).
     */
    static MapRequest of(final int fd, final long length, final int flags, final int prot, final Access access,
        final long offset)
    {
        Objects.requireNonNull(access, "access");
        if (0 > length)
        {
            throw new IllegalArgumentException("memory mapped length must be positive");
        }
        if (0 > offset)
        {
            throw new IllegalArgumentException("memory mapped offset must be positive");
        }
        if (Access.DEFAULT != access && (Posix.MAP_SHARED != flags || PROT_RW != prot))
        {
            throw new IllegalArgumentException("mmap can't specify both access and flags, prot.");
        }
        int mapFlags = flags;
        int mapProt = prot;
        Access mode = access;
        switch (access)
        {
            case READ:
                mapFlags = Posix.MAP_SHARED;
                mapProt = Posix.PROT_READ;
                break;
            case WRITE:
                mapFlags = Posix.MAP_SHARED;
                mapProt = PROT_RW;
                break;
            case COPY:
                mapFlags = Posix.MAP_PRIVATE;
                mapProt = PROT_RW;
                break;
            default: // DEFAULT: the protection says
                if (0 == (prot & Posix.PROT_WRITE))
                {
                    mode = Access.READ;
                }
                else if (0 == (prot & Posix.PROT_READ))
                {
                    mode = Access.WRITE;
                }
                break;
        }
        // CPython would map PROT_NONE/PROT_WRITE-only pages and crash on the first read: always readable.
        mapProt |= Posix.PROT_READ;
        if (Access.READ == mode && 0 != (mapFlags & (Posix.MAP_SHARED | Posix.MAP_PRIVATE)))
        {
            // A read-only map's address may be lent to code that writes anyway (Python's buffer protocol
            // cannot be made read-only here): map the pages private and writable, so such a write
            // changes a private copy instead of faulting. Untouched private pages still show the file
            // as it changes; MAP_NORESERVE keeps the writable private mapping from being charged as
            // committed memory. This map itself refuses every write.
            mapFlags = mapFlags & ~Posix.MAP_SHARED | Posix.MAP_PRIVATE | Posix.MAP_NORESERVE;
            mapProt |= Posix.PROT_WRITE;
        }

        long size = length;
        boolean regularFile = false;
        if (-1 != fd)
        {
            final Syscalls.FileStatus status = fstatOrNull(fd);
            if (null != status && status.isRegularFile())
            {
                regularFile = true;
                size = checkedSize(status.size(), length, offset);
            }
        }
        if (-1 == fd)
        {
            mapFlags |= Posix.MAP_ANONYMOUS;
        }
        return new MapRequest(mode, mapFlags, mapProt, size, regularFile);
    }

    private static Syscalls.FileStatus fstatOrNull(final int fd)
    {
        try
        {
            return Syscalls.fstat(fd);
        }
        catch (final ErrnoException e)
        {
            return null; // as CPython: a bad fd is reported by the dup() or mmap() that follows
        }
    }

    private static long checkedSize(final long fileSize, final long length, final long offset)
    {
        if (0 == length)
        {
            if (0 == fileSize)
            {
                throw new IllegalArgumentException("cannot mmap an empty file");
            }
            if (offset >= fileSize)
            {
                throw new IllegalArgumentException("mmap offset is greater than file size");
            }
            return fileSize - offset;
        }
        if (offset > fileSize || fileSize - offset < length)
        {
            throw new IllegalArgumentException("mmap length is greater than file size");
        }
        return length;
    }
}
