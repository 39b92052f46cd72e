package dev.fmmap.memory;

import dev.fmmap.syscalls.Syscalls;

import java.util.Objects;

/**
 * Native memory by address, through the backend {@link Syscalls#backend()} names: {@code java.lang.foreign}
 * on JDK 22 and later, {@code sun.misc.Unsafe} before. Nothing here checks bounds or liveness; the callers
 * own their ranges ({@code MemoryMap} checks each access against the live mapping). A page that a
 * truncation took away raises {@link InternalError} on either backend, possibly late: callers end a guarded
 * access with {@link #deliverPendingFault()}.
 */
public final class NativeMemory
{
    private static final Memory MEMORY = load();

    private NativeMemory()
    {
    }

    private static Memory load()
    {
        final String name = "ffm".equals(Syscalls.backend())
            ? "dev.fmmap.memory.FfmMemory" : "dev.fmmap.memory.UnsafeMemory";
        try
        {
            return (Memory)Class.forName(name).getDeclaredConstructor().newInstance();
        }
        catch (final LinkageError | ReflectiveOperationException e)
        {
            throw new IllegalStateException("fmmap cannot load its memory backend " + name + " (" + e + ")", e);
        }
    }

    /**
     * @param address of the byte.
     * @return the byte there.
     */
    public static byte getByte(final long address)
    {
        return MEMORY.getByte(address);
    }

    /**
     * @param address of the byte.
     * @param value   what to store there.
     */
    public static void putByte(final long address, final byte value)
    {
        MEMORY.putByte(address, value);
    }

    /**
     * @param address of the first of four bytes, in the machine's byte order; any alignment.
     * @return the int there.
     */
    public static int getInt(final long address)
    {
        return MEMORY.getInt(address);
    }

    /**
     * Copies native memory into an array.
     *
     * @param address of the first byte to copy.
     * @param dst     the array to copy into.
     * @param dstOff  where in {@code dst}.
     * @param length  how many bytes.
     */
    public static void copyToArray(final long address, final byte[] dst, final int dstOff, final int length)
    {
        Objects.checkFromIndexSize(dstOff, length, dst.length);
        MEMORY.copyToArray(address, dst, dstOff, length);
    }

    /**
     * Copies an array into native memory.
     *
     * @param src     the array to copy from.
     * @param srcOff  where in {@code src}.
     * @param address of the first byte to write.
     * @param length  how many bytes.
     */
    public static void copyFromArray(final byte[] src, final int srcOff, final long address, final int length)
    {
        Objects.checkFromIndexSize(srcOff, length, src.length);
        MEMORY.copyFromArray(src, srcOff, address, length);
    }

    /**
     * Copies native memory to native memory, as {@code memmove} does: the ranges may overlap.
     *
     * @param src    the first byte to copy.
     * @param dst    where it goes.
     * @param length how many bytes.
     */
    public static void copy(final long src, final long dst, final long length)
    {
        MEMORY.copy(src, dst, length);
    }

    /**
     * A direct buffer over native memory. On JDK 22 and later it keeps {@code owner} reachable while it
     * is; on older JDKs its user must keep the owner reachable instead.
     *
     * @param address the buffer's first byte.
     * @param length  its capacity.
     * @param owner   what keeps the memory mapped (a map).
     * @return the buffer, in big-endian order as every new buffer.
     */
    public static java.nio.ByteBuffer buffer(final long address, final int length, final Object owner)
    {
        return MEMORY.buffer(address, length, owner);
    }

    /**
     * Makes the JVM throw now, as {@link InternalError}, a fault still pending from this thread's last
     * access, so that a {@code try} ending with this call catches it. HotSpot turns a fault in a memory
     * access (SIGBUS on a truncated file's page) into that error at a later point of the thread: on JDK
     * 22 and later at its next return from native code, which a call into C gives (~7 ns); before, only
     * at its next return from the VM's runtime into Java, which a native call does not check (see
     * {@code UnsafeMemory}).
     */
    public static void deliverPendingFault()
    {
        MEMORY.deliverPendingFault();
    }

    static NativeBuffer allocate(final long size)
    {
        return MEMORY.allocate(size);
    }

    /**
     * Sets every byte of a range, as {@code memset} does.
     *
     * @param address the first byte.
     * @param length  how many bytes.
     * @param value   the byte to store.
     */
    public static void fill(final long address, final long length, final byte value)
    {
        MEMORY.fill(address, length, value);
    }
}
