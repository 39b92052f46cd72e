package dev.fmmap.memory;

/**
 * Reads and writes of native memory by address, as one backend does them ({@link FfmMemory} on JDK 22 and
 * later, {@link UnsafeMemory} before). No bounds: callers check their ranges.
 */
interface Memory
{
    byte getByte(long address);

    void putByte(long address, byte value);

    int getInt(long address);

    void copyToArray(long address, byte[] dst, int dstOff, int length);

    void copyFromArray(byte[] src, int srcOff, long address, int length);

    /** Copies as memmove does: the ranges may overlap. */
    void copy(long src, long dst, long length);

    void fill(long address, long length, byte value);

    /**
     * A direct buffer over {@code [address, address + length)}; where the backend can, the buffer keeps
     * {@code owner} reachable.
     */
    java.nio.ByteBuffer buffer(long address, int length, Object owner);

    /** Makes the JVM throw, here, a fault still pending from this thread's last access. */
    void deliverPendingFault();

    /** A zero-filled block of at least 16-byte alignment, freed once the buffer is unreachable. */
    NativeBuffer allocate(long size);
}
