package dev.fmmap.jython;

import dev.fmmap.MemoryMap;
import org.python.core.Py;
import org.python.core.PyString;
import org.python.core.util.StringUtil;

/**
 * Copies between a map and Python 2 {@code str} objects. Jython turns a {@code str} argument into a
 * {@code byte[]} by itself, but a Java {@code byte[]} result arrives as an {@code array('b')}: reads
 * build the {@code str} here, the fastest way measured (about 1 ms per MB).
 */
public final class Strings
{
    private Strings()
    {
    }

    /**
     * @param map   the map to read.
     * @param index the offset of the first byte.
     * @param n     how many bytes.
     * @return bytes {@code [index, index + n)} of the map, as a {@code str}.
     */
    public static PyString read(final MemoryMap map, final long index, final int n)
    {
        final byte[] bytes = new byte[n];
        map.get(index, bytes, 0, n);
        return Py.newString(StringUtil.fromBytes(bytes));
    }

    /**
     * @param map   the map to read.
     * @param index the offset of the byte.
     * @return the byte at {@code index} as a one-character {@code str} (Jython's cached one).
     */
    public static PyString charAt(final MemoryMap map, final long index)
    {
        return Py.makeCharacter((char) map.getUnsigned(index));
    }

    /**
     * @param map   the map to read.
     * @param start the offset of the first byte.
     * @param step  the distance between bytes (not 0; negative walks down).
     * @param n     how many bytes.
     * @return the bytes at {@code start, start + step, ...}, as a {@code str}.
     */
    public static PyString readStepped(final MemoryMap map, final long start, final long step, final int n)
    {
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = map.get(start + i * step);
        }
        return Py.newString(StringUtil.fromBytes(bytes));
    }

    /**
     * Stores the bytes of {@code data} at {@code start, start + step, ...}.
     *
     * @param map   the map to write.
     * @param start the offset of the first byte.
     * @param step  the distance between bytes (not 0; negative walks down).
     * @param data  the bytes.
     */
    public static void writeStepped(final MemoryMap map, final long start, final long step, final byte[] data)
    {
        for (int i = 0; i < data.length; i++)
        {
            map.put(start + i * step, data[i]);
        }
    }
}
