package dev.fmmap.memory;

import dev.fmmap.Posix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Native buffers: zero-filled pages of their own. */
class NativeBufferTest
{
    @Test
    void shouldGiveZeroFilledAlignedMemory()
    {
        final NativeBuffer buffer = NativeBuffer.allocate(3 * Posix.pageSize() + 1);
        assertEquals(3L * Posix.pageSize() + 1, buffer.size());
        assertEquals(0, buffer.address() % 16);
        for (long i = 0; i < buffer.size(); i += 997)
        {
            assertEquals(0, NativeMemory.getByte(buffer.address() + i));
        }
        NativeMemory.putByte(buffer.address() + buffer.size() - 1, (byte)1);
        assertEquals(1, NativeMemory.getByte(buffer.address() + buffer.size() - 1));
    }

    @Test
    void shouldRefuseAnEmptyBuffer()
    {
        assertThrows(IllegalArgumentException.class, () -> NativeBuffer.allocate(0));
    }
}
