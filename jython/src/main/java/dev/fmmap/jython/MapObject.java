package dev.fmmap.jython;

import dev.fmmap.MemoryMap;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.python.core.BufferProtocol;
import org.python.core.Py;
import org.python.core.PyBuffer;
import org.python.core.PyObject;
import org.python.core.PyObjectDerived;
import org.python.core.PyType;

/**
 * One fmmap map as a Jython object. Jython lets no class written in Python be a buffer, so the
 * Python class {@code fmmap.mmap} creates its instances here, in its {@code __new__}: the object's
 * type is that Python class (or a user's subclass of it), whose methods do the work, while this
 * class answers the buffer protocol. Through it {@code re}, {@code buffer()}, {@code memoryview()}
 * and {@code bytearray()} read the mapping in place, and write through it when the map is writable.
 */
public final class MapObject extends PyObjectDerived implements BufferProtocol
{
    private final MemoryMap map;

    /**
     * @param type the Python class of the new object: {@code fmmap.mmap} or a subclass.
     * @param map  the map it stands for.
     */
    public MapObject(final PyType type, final MemoryMap map)
    {
        super(type);
        this.map = Objects.requireNonNull(map, "map");
    }

    /**
     * @return the map this object stands for.
     */
    public MemoryMap map()
    {
        return map;
    }

    /**
     * The mapping as a one-dimensional buffer of bytes, read-only for a read-only map. One Jython
     * buffer reaches at most 2**31 - 1 bytes (its lengths are Java ints), so a larger map refuses to
     * export one, with BufferError: every consumer (memoryview, buffer, bytearray, re, zlib, ...)
     * gets the whole map or that error, never a buffer shorter than the map. Jython's own accesses
     * through the buffer are guarded (MapBuffer): a closed map raises ValueError, a page lost to
     * truncation mmap.error(EFAULT).
     */
    @Override
    public PyBuffer getBuffer(final int flags)
    {
        final ByteBuffer bytes;
        try
        {
            final long size = map.size();
            if (size > Integer.MAX_VALUE)
            {
                throw Py.BufferError(String.format(
                    "a map of %d bytes cannot be one buffer on Jython (at most %d); slice or read it in parts",
                    size, Integer.MAX_VALUE));
            }
            final ByteBuffer whole = map.buffer(0, (int)size);
            bytes = map.isWritable() ? whole : whole.asReadOnlyBuffer();
        }
        catch (final IllegalStateException closed)
        {
            throw Py.ValueError("mmap closed or invalid");
        }
        return new MapBuffer(flags, this, map, bytes);
    }

    /**
     * @param type the exception class the core's system-call failures become in buffer accesses:
     *             fmmap's mmap.error (installed by fmmap's Jython adapter at import).
     */
    public static void setErrorType(final PyObject type)
    {
        MapBuffer.setErrorType(type);
    }
}
