package dev.fmmap.memory;

/**
 * A block of native memory, zero-filled, allocated by the backend ({@link NativeMemory}) and freed once
 * this object is unreachable: an address lent out stays valid as long as its lender keeps the buffer
 * reachable.
 */
public final class NativeBuffer
{
    private final long address;
    private final long size;
    /** What keeps the memory allocated (the backend's own handle), if anything. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object owner;

    NativeBuffer(final long address, final long size, final Object owner)
    {
        this.address = address;
        this.size = size;
        this.owner = owner;
    }

    /**
     * @param size bytes wanted, at least 1.
     * @return a new zero-filled buffer, aligned to 16 bytes at least.
     */
    public static NativeBuffer allocate(final long size)
    {
        if (1 > size)
        {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        return NativeMemory.allocate(size);
    }

    /** @return the address of byte 0. */
    public long address()
    {
        return address;
    }

    /** @return the bytes asked for. */
    public long size()
    {
        return size;
    }
}
