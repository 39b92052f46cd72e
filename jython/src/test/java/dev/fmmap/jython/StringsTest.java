package dev.fmmap.jython;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fmmap.MemoryMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StringsTest
{
    @Test
    void readsBytesAsAStrOfTheSameCodes()
    {
        try (MemoryMap map = MemoryMap.anonymous(256))
        {
            for (int i = 0; i < 256; i++)
            {
                map.put(i, (byte) i);
            }
            final String s = Strings.read(map, 250, 6).getString();
            assertEquals(6, s.length());
            for (int i = 0; i < 6; i++)
            {
                assertEquals(250 + i, s.charAt(i));
            }
        }
    }

    @Test
    void steppedReadsWalkBothWays()
    {
        try (MemoryMap map = MemoryMap.anonymous(10))
        {
            map.put(0, "0123456789".getBytes(StandardCharsets.US_ASCII), 0, 10);
            assertEquals("0246", Strings.readStepped(map, 0, 2, 4).getString());
            assertEquals("9630", Strings.readStepped(map, 9, -3, 4).getString());
        }
    }

    @Test
    void steppedWritesStoreEachByteInTurn()
    {
        try (MemoryMap map = MemoryMap.anonymous(6))
        {
            Strings.writeStepped(map, 5, -2, new byte[] {'a', 'b', 'c'});
            final byte[] all = new byte[6];
            map.get(0, all, 0, 6);
            assertArrayEquals(new byte[] {0, 'c', 0, 'b', 0, 'a'}, all);
        }
    }
}
