package dev.fmmap.memory;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.lang.reflect.Field;

import com.kenai.jffi.MemoryIO;

import sun.misc.Unsafe;

/**
 * Native memory through {@code sun.misc.Unsafe}, for JVMs without {@code java.lang.foreign}: as fast as
 * a native copy (measured on JDK 17: {@code copyMemory} to an array 20-23 GB/s streaming), and a page lost
 * to a truncation raises {@link InternalError} here, where a copy in C would die of SIGBUS.
 */
final class UnsafeMemory implements Memory
{
    private static final Unsafe UNSAFE = unsafe();
    private static final long BYTES = Unsafe.ARRAY_BYTE_BASE_OFFSET;
    private static final Cleaner CLEANER = Cleaner.create();
    /** 0, read where the compiler cannot fold it ({@link #deliverPendingFault()}). */
    private static volatile int zero;

    private static Unsafe unsafe()
    {
        try
        {
            final Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe)field.get(null);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new IllegalStateException("fmmap needs sun.misc.Unsafe (module jdk.unsupported) on this JDK", e);
        }
    }

    @Override
    public byte getByte(final long address)
    {
        return UNSAFE.getByte(address);
    }

    @Override
    public void putByte(final long address, final byte value)
    {
        UNSAFE.putByte(address, value);
    }

    @Override
    public int getInt(final long address)
    {
        return UNSAFE.getInt(address);
    }

    @Override
    public void copyToArray(final long address, final byte[] dst, final int dstOff, final int length)
    {
        UNSAFE.copyMemory(null, address, dst, BYTES + dstOff, length);
    }

    @Override
    public void copyFromArray(final byte[] src, final int srcOff, final long address, final int length)
    {
        UNSAFE.copyMemory(src, BYTES + srcOff, null, address, length);
    }

    @Override
    public void copy(final long src, final long dst, final long length)
    {
        UNSAFE.copyMemory(src, dst, length); // conjoint: overlapping ranges copy as memmove does
    }

    @Override
    public ByteBuffer buffer(final long address, final int length, final Object owner)
    {
        // JNI's NewDirectByteBuffer, through jffi (jnr-ffi's own native library): such a buffer cannot
        // hold the owner, whom its user keeps reachable.
        return MemoryIO.getInstance().newDirectByteBuffer(address, length);
    }

    /**
     * Allocates an empty two-dimensional array of sizes C2 cannot see: the one operation that every tier
     * (interpreter, C1, C2) hands to the VM's runtime, whose return into Java raises a pending fault.
     * Before JDK 22 HotSpot records a fault in an Unsafe access as a flag that the return from a native
     * call does not check; measured on OpenJDK 17.0.15, a file truncated to 1 page, then page 5 read,
     * 5 rounds per warm-up (0, 2000, 20000, 300000 earlier reads): with a jnr-ffi call after the read
     * 5/1/0/1 of the faults were caught inside the try, the others escaped it later; with this
     * allocation all of them, 100000 of 100000 reads of lost pages per warm-up. Cost ~25-30 ns per
     * access (a {@code byte[1][1]}: ~48-60 ns; the jnr-ffi call ~11 ns).
     */
    @Override
    public void deliverPendingFault()
    {
        if (null == new byte[zero][zero])
        {
            throw new AssertionError(); // never: the check keeps the allocation
        }
    }

    @Override
    public NativeBuffer allocate(final long size)
    {
        final long address = UNSAFE.allocateMemory(size);
        UNSAFE.setMemory(address, size, (byte)0);
        final NativeBuffer buffer = new NativeBuffer(address, size, null);
        CLEANER.register(buffer, () -> UNSAFE.freeMemory(address));
        return buffer;
    }

    @Override
    public void fill(final long address, final long length, final byte value)
    {
        UNSAFE.setMemory(address, length, value);
    }
}
