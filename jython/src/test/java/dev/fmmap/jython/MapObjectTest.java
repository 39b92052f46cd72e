package dev.fmmap.jython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fmmap.Access;
import dev.fmmap.MemoryMap;
import dev.fmmap.Posix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.python.core.PyException;
import org.python.core.PyType;
import org.python.util.PythonInterpreter;

/** The buffer protocol as Jython's own code uses it, through a real interpreter. */
class MapObjectTest
{
    private static PythonInterpreter python;

    @BeforeAll
    static void startJython()
    {
        python = new PythonInterpreter();
        python.exec("import re\nclass M(object):\n    __slots__ = ()\n");
    }

    private static MapObject wrap(final MemoryMap map)
    {
        final MapObject object = new MapObject((PyType) python.get("M"), map);
        python.set("m", object);
        return object;
    }

    @Test
    void jythonReadsAndWritesTheMappingInPlace()
    {
        try (MemoryMap map = MemoryMap.anonymous(16))
        {
            map.put(0, "hello world".getBytes(StandardCharsets.US_ASCII), 0, 11);
            final MapObject object = wrap(map);
            assertSame(map, object.map());
            assertEquals("world", python.eval("re.search(r'w\\w+', m).group(0)").toString());
            assertEquals("hello", python.eval("str(buffer(m)[:5])").toString());
            assertEquals("M", python.eval("type(m).__name__").toString());
            python.exec("memoryview(m)[0] = 'J'");
            assertEquals('J', map.get(0));
        }
    }

    @Test
    void aReadOnlyMapGivesAReadOnlyBuffer(@TempDir final Path dir) throws Exception
    {
        final Path path = Files.write(dir.resolve("f"), new byte[] {'a', 'b'});
        try (MemoryMap map = MemoryMap.map(path, 0, Access.READ, 0))
        {
            wrap(map);
            assertEquals("True", python.eval("memoryview(m).readonly").toString());
            assertThrows(PyException.class, () -> python.exec("memoryview(m)[0] = 'x'"));
            assertEquals('a', map.get(0));
        }
    }

    @Test
    void aClosedMapRefusesToExportItsMemory()
    {
        final MemoryMap map = MemoryMap.anonymous(Posix.pageSize());
        wrap(map);
        map.close();
        final PyException e = assertThrows(PyException.class, () -> python.exec("memoryview(m)"));
        assertEquals("mmap closed or invalid", e.value.toString());
    }
}
