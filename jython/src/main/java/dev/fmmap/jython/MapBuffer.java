package dev.fmmap.jython;

import dev.fmmap.ErrnoException;
import dev.fmmap.MemoryMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.python.core.BufferProtocol;
import org.python.core.Py;
import org.python.core.PyBuffer;
import org.python.core.PyException;
import org.python.core.PyObject;
import org.python.core.PyTuple;
import org.python.core.buffer.SimpleNIOBuffer;

/**
 * The buffer a map exports to Jython. Its storage is a ByteBuffer over the whole mapping, but every
 * read and write that Jython's own code makes through it (memoryview items and slices, bytearray(),
 * re's copy, buffer()) goes through the core's guarded accesses instead: a page that another
 * process truncated away then raises mmap.error(EFAULT), and a closed map ValueError, where the raw
 * ByteBuffer would have thrown java.lang.InternalError into Python. Only a consumer that takes the
 * raw ByteBuffer itself (getNIOByteBuffer) bypasses the guard.
 */
final class MapBuffer extends SimpleNIOBuffer
{
    // What the core's failures become; fmmap's Python module installs mmap.error at import.
    private static volatile PyObject errorType = Py.EnvironmentError;

    private final MemoryMap map;

    /** The whole map: storage index i is map offset i. */
    MapBuffer(final int flags, final BufferProtocol obj, final MemoryMap map, final ByteBuffer storage)
    {
        super(flags, obj, storage);
        this.map = map;
    }

    /** A slice: count bytes from storage index index0. */
    private MapBuffer(final int flags, final BufferProtocol obj, final MemoryMap map, final ByteBuffer storage,
                      final int index0, final int count)
    {
        super(flags, obj, storage, index0, count);
        this.map = map;
    }

    static void setErrorType(final PyObject type)
    {
        errorType = type;
    }

    @Override
    protected byte byteAtImpl(final int byteIndex)
    {
        try
        {
            return map.get(byteIndex);
        }
        catch (final RuntimeException e)
        {
            throw python(e);
        }
    }

    @Override
    protected void storeAtImpl(final byte value, final int byteIndex)
    {
        checkWritable();
        try
        {
            map.put(byteIndex, value);
        }
        catch (final RuntimeException e)
        {
            throw python(e);
        }
    }

    @Override
    public void copyTo(final int srcIndex, final byte[] dest, final int destPos, final int count)
    {
        checkRange(srcIndex, count);
        try
        {
            map.get(index0 + (long) srcIndex, dest, destPos, count);
        }
        catch (final RuntimeException e)
        {
            throw python(e);
        }
    }

    @Override
    public void copyTo(final ByteBuffer dest)
    {
        final byte[] bytes = new byte[getLen()];
        copyTo(0, bytes, 0, bytes.length);
        dest.put(bytes);
    }

    @Override
    public void copyFrom(final byte[] src, final int srcPos, final int destIndex, final int count)
    {
        checkWritable();
        checkRange(destIndex, count);
        try
        {
            map.put(index0 + (long) destIndex, src, srcPos, count);
        }
        catch (final RuntimeException e)
        {
            throw python(e);
        }
    }

    @Override
    public PyBuffer getBufferSlice(final int flags, final int start, final int count)
    {
        if (0 == count)
        {
            return new MapBuffer(flags, obj, map, storage, index0, 0);  // buffer(m, len(m) + 1) is empty
        }
        checkRange(start, count);
        return new MapBuffer(flags, obj, map, storage, index0 + start, count);
    }

    /** The bytes as a str's characters (what re searches): one bulk copy, not a call per byte. */
    @Override
    public String toString()
    {
        final byte[] bytes = new byte[getLen()];
        copyTo(0, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private void checkRange(final int start, final int count)
    {
        if (start < 0 || count < 0 || start > getLen() - count)
        {
            throw Py.IndexError("index out of range");
        }
    }

    /** The Python exception CPython 2.7's mmap raises where the core threw e. */
    private static PyException python(final RuntimeException e)
    {
        if (e instanceof ErrnoException)
        {
            final ErrnoException errno = (ErrnoException)e;
            return new PyException(errorType, new PyTuple(Py.newInteger(errno.errno()), Py.newString(errno.strerror())));
        }
        if (e instanceof IllegalStateException)
        {
            return Py.ValueError("mmap closed or invalid");
        }
        if (e instanceof IndexOutOfBoundsException)
        {
            return Py.IndexError("mmap index out of range");
        }
        throw e;
    }
}
