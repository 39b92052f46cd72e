package dev.fmmap.jython;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fmmap.Access;
import dev.fmmap.MemoryMap;
import dev.fmmap.Posix;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.python.core.Py;
import org.python.core.PyBUF;
import org.python.core.PyBuffer;
import org.python.core.PyException;
import org.python.core.PyType;
import org.python.util.PythonInterpreter;

/** The guarded buffer: Jython's accesses go through the core and fail as Python exceptions. */
class MapBufferTest
{
    private static PyType type;

    @BeforeAll
    static void startJython()
    {
        final PythonInterpreter python = new PythonInterpreter();
        python.exec("class M(object):\n    __slots__ = ()\n");
        type = (PyType) python.get("M");
    }

    private static PyBuffer bufferOf(final MemoryMap map)
    {
        return new MapObject(type, map).getBuffer(PyBUF.FULL_RO);
    }

    @Test
    void copiesSlicesAndTextComeFromTheMap()
    {
        try (MemoryMap map = MemoryMap.anonymous(10))
        {
            map.put(0, "0123456789".getBytes(StandardCharsets.US_ASCII), 0, 10);
            final PyBuffer buffer = bufferOf(map);
            assertEquals("0123456789", buffer.toString());
            final byte[] three = new byte[3];
            buffer.copyTo(4, three, 0, 3);
            assertArrayEquals("456".getBytes(StandardCharsets.US_ASCII), three);
            final PyBuffer slice = buffer.getBufferSlice(PyBUF.FULL_RO, 2, 5);
            assertEquals("23456", slice.toString());
            assertEquals('3', slice.byteAt(1));
            assertEquals(0, buffer.getBufferSlice(PyBUF.FULL_RO, 20, 0).getLen());
            buffer.copyFrom(new byte[] {'a', 'b'}, 0, 8, 2);
            assertEquals('b', map.get(9));
        }
    }

    @Test
    void aClosedMapsBufferRaisesValueError()
    {
        final MemoryMap map = MemoryMap.anonymous(Posix.pageSize());
        final PyBuffer buffer = bufferOf(map);
        map.close();
        final PyException e = assertThrows(PyException.class, () -> buffer.byteAt(0));
        assertEquals(Py.ValueError, e.type);
    }

    @Test
    void aPageLostToTruncationRaisesTheMapsErrorWithEfault(@TempDir final Path dir) throws Exception
    {
        final int page = (int) Posix.pageSize();
        final Path path = Files.write(dir.resolve("f"), new byte[4 * page]);
        try (MemoryMap map = MemoryMap.map(path, 0, Access.DEFAULT, 0))
        {
            final PyBuffer buffer = bufferOf(map);
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
            {
                file.setLength(page);
            }
            assertEquals(0, buffer.byteAt(0));
            final PyException e = assertThrows(PyException.class, () -> buffer.byteAt(2 * page));
            assertEquals(Py.EnvironmentError, e.type);  // fmmap's Python module installs mmap.error
            assertEquals("(14, 'Bad address')", e.value.toString());
            assertThrows(PyException.class, buffer::toString);
        }
    }
}
