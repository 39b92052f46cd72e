package dev.fmmap;

/**
 * How a mapping may be used, with the numeric codes of Python's {@code mmap.ACCESS_*}.
 */
public enum Access
{
    /** Decided by {@code prot}: read-write unless only one of PROT_READ/PROT_WRITE is given. */
    DEFAULT,
    /** Read-only; writes are refused. */
    READ,
    /** Read-write, shared: writes reach the file. */
    WRITE,
    /** Copy-on-write: writes stay in this process and never reach the file. */
    COPY;

    /**
     * @param code a value of Python's {@code ACCESS_*} (0 to 3).
     * @return the matching constant.
     * @throws IllegalArgumentException if the code is not one of them.
     */
    public static Access fromCode(final int code)
    {
        final Access[] all = values();
        if (0 > code || code >= all.length)
        {
            throw new IllegalArgumentException("mmap invalid access parameter.");
        }
        return all[code];
    }

    /**
     * @return the numeric code of Python's {@code ACCESS_*} for this value.
     */
    public int code()
    {
        return ordinal();
    }
}
