package dev.fmmap.memory;

import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Native memory by address over whichever backend this run uses (the build runs the suite once per backend). */
class NativeMemoryTest
{
    private final NativeBuffer buffer = NativeBuffer.allocate(64);
    private final long at = buffer.address();

    private byte[] bytes(final int from, final int length)
    {
        final byte[] out = new byte[length];
        NativeMemory.copyToArray(at + from, out, 0, length);
        return out;
    }

    @Test
    void shouldReadWhatItWrites()
    {
        NativeMemory.putByte(at + 3, (byte)0xFE);
        assertEquals((byte)0xFE, NativeMemory.getByte(at + 3));
        NativeMemory.copyFromArray(new byte[] {9, 1, 2, 3, 4, 9}, 1, at + 9, 4);
        final int expected = ByteOrder.LITTLE_ENDIAN == ByteOrder.nativeOrder() ? 0x04030201 : 0x01020304;
        assertEquals(expected, NativeMemory.getInt(at + 9), "four bytes at an unaligned address");
        final byte[] out = new byte[6];
        NativeMemory.copyToArray(at + 8, out, 1, 5);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4}, out);
    }

    @Test
    void shouldCopyOverlappingRangesAsMemmoveDoes()
    {
        NativeMemory.copyFromArray(new byte[] {1, 2, 3, 4, 5, 6}, 0, at, 6);
        NativeMemory.copy(at, at + 2, 4);
        assertArrayEquals(new byte[] {1, 2, 1, 2, 3, 4}, bytes(0, 6));
        NativeMemory.copy(at + 2, at, 4);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 3, 4}, bytes(0, 6));
    }

    @Test
    void shouldFillARange()
    {
        NativeMemory.fill(at + 1, 3, (byte)7);
        assertArrayEquals(new byte[] {0, 7, 7, 7, 0}, bytes(0, 5));
    }

    @Test
    void shouldCheckTheJavaArraysItIsGiven()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> NativeMemory.copyToArray(at, new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeMemory.copyFromArray(new byte[4], -1, at, 2));
    }
}
