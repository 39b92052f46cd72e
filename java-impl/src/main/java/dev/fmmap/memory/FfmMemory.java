package dev.fmmap.memory;

import dev.fmmap.syscalls.Syscalls;

import java.lang.foreign.Arena;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/** Native memory through one {@code java.lang.foreign} segment that spans the address space. */
@SuppressWarnings("restricted")
final class FfmMemory implements Memory
{
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Override
    public byte getByte(final long address)
    {
        return ALL.get(JAVA_BYTE, address);
    }

    @Override
    public void putByte(final long address, final byte value)
    {
        ALL.set(JAVA_BYTE, address, value);
    }

    @Override
    public int getInt(final long address)
    {
        return ALL.get(JAVA_INT_UNALIGNED, address);
    }

    @Override
    public void copyToArray(final long address, final byte[] dst, final int dstOff, final int length)
    {
        MemorySegment.copy(ALL, JAVA_BYTE, address, dst, dstOff, length);
    }

    @Override
    public void copyFromArray(final byte[] src, final int srcOff, final long address, final int length)
    {
        MemorySegment.copy(src, srcOff, ALL, JAVA_BYTE, address, length);
    }

    @Override
    public void copy(final long src, final long dst, final long length)
    {
        MemorySegment.copy(ALL, src, ALL, dst, length);
    }

    @Override
    public ByteBuffer buffer(final long address, final int length, final Object owner)
    {
        // The segment's arena holds the cleanup action, and the action the owner: while the buffer lives,
        // so does the owner (a map, whose memory stays reserved).
        return MemorySegment.ofAddress(address)
            .reinterpret(length, Arena.ofAuto(), ignored -> Reference.reachabilityFence(owner)).asByteBuffer();
    }

    /**
     * A round trip into C that does nothing but return: on JDK 22 and later the JVM raises a pending fault
     * at a return from native code. The call is the page size's ({@code Syscalls.PAGE_SIZE}), so the
     * first map has linked it already: a call of its own cost the first guarded access ~10-30 ms to link.
     */
    @Override
    public void deliverPendingFault()
    {
        Syscalls.getpagesize();
    }

    @Override
    public NativeBuffer allocate(final long size)
    {
        final MemorySegment block = Arena.ofAuto().allocate(size, 16); // zero-filled; freed with its last reference
        return new NativeBuffer(block.address(), size, block);
    }

    @Override
    public void fill(final long address, final long length, final byte value)
    {
        ALL.asSlice(address, length).fill(value);
    }
}
