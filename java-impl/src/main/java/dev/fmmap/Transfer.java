package dev.fmmap;

import dev.fmmap.memory.NativeBuffer;

/**
 * One native buffer per thread through which {@link MemoryMap#copyOut(long, int)} hands bytes to a
 * caller that reads native memory faster than a Java array (on GraalPy, Python's ctypes copies from an
 * address at memcpy speed, where converting a {@code byte[]} costs orders of magnitude more). The
 * buffer is never unmapped while its thread lives, so reading it never faults.
 */
public final class Transfer
{
    /** The largest buffer: 1 MiB, a copy of which takes ~0.1 ms, so callers loop above it. */
    public static final int MAX = 1 << 20;
    private static final int MIN = 4096;
    private static final ThreadLocal<NativeBuffer> BUFFER = new ThreadLocal<>();

    private Transfer()
    {
    }

    /** This thread's buffer, at least {@code length} bytes ({@code length <= MAX}). */
    public static NativeBuffer buffer(final int length)
    {
        if (length > MAX || 0 > length)
        {
            throw new IndexOutOfBoundsException("length=" + length + " max=" + MAX);
        }
        NativeBuffer buffer = BUFFER.get();
        if (null == buffer || buffer.size() < length)
        {
            long size = null == buffer ? MIN : buffer.size();
            while (size < length)
            {
                size *= 2;
            }
            buffer = NativeBuffer.allocate(size);
            BUFFER.set(buffer);
        }
        return buffer;
    }
}
