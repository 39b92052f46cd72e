package dev.fmmap;

import dev.fmmap.memory.NativeMemory;
import dev.fmmap.search.MapSearch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.fmmap.ProcMaps.isMapped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryMapTest
{
    private static final int RW = Posix.PROT_READ | Posix.PROT_WRITE;

    @TempDir
    Path dir;

    /** Opens a file with the given content and returns its descriptor (closed by {@link FileFd#close()}). */
    private FileFd file(final byte[] content, final String mode) throws IOException
    {
        final Path path = Files.createTempFile(dir, "map", ".bin");
        Files.write(path, content);
        return new FileFd(path, mode);
    }

    /** A real POSIX descriptor for a file, taken from /proc/self/fd of a RandomAccessFile. */
    private static final class FileFd implements AutoCloseable
    {
        final Path path;
        final RandomAccessFile raf;
        final int fd;

        FileFd(final Path path, final String mode) throws IOException
        {
            this.path = path;
            this.raf = new RandomAccessFile(path.toFile(), mode);
            this.fd = findFd(path);
        }

        private static int findFd(final Path path) throws IOException
        {
            try (var entries = Files.list(Path.of("/proc/self/fd")))
            {
                for (final Path p : (Iterable<Path>)entries::iterator)
                {
                    try
                    {
                        if (Files.readSymbolicLink(p).equals(path.toRealPath()))
                        {
                            return Integer.parseInt(p.getFileName().toString());
                        }
                    }
                    catch (final IOException ignored)
                    {
                        // the listing's own descriptor vanishes while we look
                    }
                }
            }
            throw new IOException("no descriptor for " + path);
        }

        byte[] bytes() throws IOException
        {
            return Files.readAllBytes(path);
        }

        @Override
        public void close() throws IOException
        {
            raf.close();
        }
    }

    private static MemoryMap map(final FileFd f, final long length, final Access access)
    {
        return MemoryMap.map(f.fd, length, Posix.MAP_SHARED, RW, access, 0, true);
    }

    @Test
    void shouldThrowEfaultInsteadOfCrashingWhenTheFileIsTruncatedBeneathTheMap() throws IOException
    {
        final int page = Posix.pageSize();
        final byte[] content = new byte[16 * page];
        content[5 * page + 17] = 1;
        content[5 * page + 18] = 2;
        try (FileFd f = file(content, "rw"); MemoryMap m = map(f, 0, Access.DEFAULT))
        {
            f.raf.setLength(page); // what another process's truncation does: pages 1..15 lose their file
            final long lost = 5L * page + 17;
            assertEquals(0, m.get(page - 1)); // the page still backed reads fine
            for (final Runnable access : List.<Runnable>of(
                () -> m.get(lost),
                () -> m.getUnsigned(lost),
                () -> m.put(lost, (byte)3),
                () -> m.get(4L * page, new byte[page], 0, page),
                () -> m.put(4L * page, new byte[page], 0, page),
                () -> m.move(2L * page, 6L * page, 2L * page),
                () -> m.probe(page / 2, 2L * page),
                () -> m.find(new byte[] {1, 2}, 0, m.size()),
                () -> m.find(new byte[] {1, 2}, 0, 8L * page),
                () -> m.rfind(new byte[] {1, 2}, 0, m.size()),
                () -> m.indexOf((byte)1, 0)))
            {
                final ErrnoException e = assertThrows(ErrnoException.class, access::run);
                assertEquals(Posix.EFAULT, e.errno());
            }
            m.probe(0, page);                        // nothing lost there
            // a forward search finds what lies before the lost pages, as a scan would before faulting
            m.put(10, (byte)1);
            m.put(11, (byte)2);
            m.put(page - 1, (byte)'\n');
            assertEquals(10, m.find(new byte[] {1, 2}, 0, m.size()));
            assertEquals(page - 1, m.indexOf((byte)'\n', 0));
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class,
                () -> m.find(new byte[] {'\n', 0}, 0, m.size())).errno()); // would straddle into page 1
            assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class,
                () -> m.rfind(new byte[] {1, 2}, 0, m.size())).errno()); // backward: lost pages come first
            assertEquals(-1, m.indexOf((byte)1, m.size())); // an empty range touches nothing
        }
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void shouldKeepTheTruncationContractInLongAndParallelSearches(final GuardMode mode) throws IOException
    {
        // Long searches split across threads, and prove pages backed with fstat (fast mode) or copy
        // them (strict mode): the same answers as the page-touching scan above, whichever part meets
        // the lost pages.
        final long mib = 1L << 20;
        final Path path = Files.createTempFile(dir, "long", ".bin");
        final int threads = MapSearch.searchThreads();
        final GuardMode before = GuardMode.getDefault();
        MapSearch.setSearchThreads(4);
        GuardMode.setDefault(mode);
        try (FileFd f = new FileFd(path, "rw"))
        {
            f.raf.setLength(48 * mib); // sparse zeros
            try (MemoryMap m = map(f, 0, Access.DEFAULT))
            {
                assertEquals(mode, m.guardMode());
                final byte[] needle = "long-needle".getBytes();
                m.put(10 * mib, needle, 0, needle.length);
                m.put(19 * mib, needle, 0, needle.length);
                m.put(40 * mib, needle, 0, needle.length);
                assertEquals(10 * mib, m.find(needle, 0, m.size()));
                assertEquals(40 * mib, m.rfind(needle, 0, m.size()));
                m.flush(0, m.size());
                f.raf.setLength(20 * mib); // another process's truncation: pages from 20 MiB on are lost
                assertEquals(10 * mib, m.find(needle, 0, m.size()));      // part 1 of 4 matched
                assertEquals(19 * mib, m.find(needle, 11 * mib, m.size())); // before the lost pages
                for (final Runnable search : List.<Runnable>of(
                    () -> m.find("absent".getBytes(), 0, m.size()),
                    () -> m.rfind(needle, 0, m.size()),
                    () -> m.find(needle, 20 * mib, m.size())))
                {
                    assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, search::run).errno());
                }
                assertEquals(19 * mib, m.rfind(needle, 0, 20 * mib)); // wholly before the cut
            }
        }
        finally
        {
            MapSearch.setSearchThreads(threads);
            GuardMode.setDefault(before);
        }
    }

    @Test
    void shouldStillThrowEfaultOnceTheAccessorsAreCompiled() throws IOException
    {
        // The JVM delivers a fault asynchronously; compiled code is where it could slip past the try.
        final int page = Posix.pageSize();
        try (FileFd f = file(new byte[4 * page], "rw"); MemoryMap m = map(f, 0, Access.DEFAULT))
        {
            final byte[] buffer = new byte[64];
            final byte[] absent = {9, 9};
            long sum = 0;
            for (int i = 0; i < 200_000; i++)
            {
                final long at = (long)(i & 3) * page + (i & 63);
                sum += m.getUnsigned(at) + m.indexOf((byte)1, at) + m.find(absent, at, at + 100);
                m.get(at, buffer, 0, 64);
                m.probe(at, 64);
            }
            assertEquals(-200_000 * 2, sum);
            f.raf.setLength(page);
            for (int i = 0; i < 1000; i++)
            {
                assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.getUnsigned(2L * page)).errno());
                assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.get(2L * page, buffer, 0, 64)).errno());
                assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.probe(page, page)).errno());
                assertEquals(Posix.EFAULT, assertThrows(ErrnoException.class, () -> m.indexOf((byte)1, 3L * page)).errno());
            }
        }
    }

    @Test
    void shouldNotProbeAnonymousMemory()
    {
        try (MemoryMap m = MemoryMap.anonymous(3 * Posix.pageSize()))
        {
            m.probe(0, m.size());
            assertEquals(0, m.getUnsigned(5));
            m.putUnsigned(5, 200);
            assertEquals(200, m.getUnsigned(5));
            assertEquals(-56, m.get(5));
        }
    }

    @Test
    void shouldMapWholeFileWhenLengthIsZero() throws IOException
    {
        try (FileFd f = file("hello world".getBytes(), "rw"); MemoryMap m = map(f, 0, Access.DEFAULT))
        {
            assertEquals(11, m.size());
            assertEquals('w', m.get(6));
            assertEquals(11, m.fileSize());
        }
    }

    @Test
    void shouldWriteThroughToTheFile() throws IOException
    {
        try (FileFd f = file("hello world".getBytes(), "rw"); MemoryMap m = map(f, 0, Access.WRITE))
        {
            m.put(0, "J".getBytes(), 0, 1);
            m.flush(0, m.size());
            assertArrayEquals("Jello world".getBytes(), f.bytes());
        }
    }

    @Test
    void shouldMapAFileByItsPathAndKeepOnlyItsOwnDescriptor() throws IOException
    {
        final Path path = Files.createTempFile(dir, "path", ".bin");
        Files.write(path, "hello world".getBytes());
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0))
        {
            assertEquals(11, m.size());
            assertTrue(m.tracksFd());
            assertEquals(1, descriptorsOf(path)); // the map's own; the one opened for it is closed
            m.put(0, (byte)'J');
            m.flush(0, m.size());
        }
        assertEquals(0, descriptorsOf(path));
        assertArrayEquals("Jello world".getBytes(), Files.readAllBytes(path));
        try (MemoryMap m = MemoryMap.map(path, 5, Access.READ, 0))
        {
            assertEquals(5, m.size());
            assertFalse(m.isWritable());
        }
    }

    @Test
    void shouldReportOpenFailuresByPathWithErrno()
    {
        final ErrnoException missing = assertThrows(ErrnoException.class,
            () -> MemoryMap.map(dir.resolve("missing.bin"), 0, Access.READ, 0));
        assertEquals(2, missing.errno()); // ENOENT
        final ErrnoException directory = assertThrows(ErrnoException.class,
            () -> MemoryMap.map(dir, 0, Access.WRITE, 0));
        assertEquals(21, directory.errno()); // EISDIR
    }

    /** How many of this process's file descriptors are open on {@code path} (from /proc/self/fd). */
    private static long descriptorsOf(final Path path) throws IOException
    {
        final Path real = path.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd -> {
                try
                {
                    return Files.readSymbolicLink(fd).equals(real);
                }
                catch (final IOException e)
                {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }

    @Test
    void shouldKeepCopyOnWriteChangesPrivate() throws IOException
    {
        try (FileFd f = file("abc".getBytes(), "rw"); MemoryMap m = map(f, 0, Access.COPY))
        {
            m.put(0, (byte)'X');
            assertEquals('X', m.get(0));
            assertArrayEquals("abc".getBytes(), f.bytes());
        }
    }

    @Test
    void shouldRefuseWritesToReadOnlyMaps() throws IOException
    {
        try (FileFd f = file("abc".getBytes(), "r"); MemoryMap m = map(f, 0, Access.READ))
        {
            assertFalse(m.isWritable());
            assertThrows(UnsupportedOperationException.class, () -> m.put(0, (byte)1));
            assertThrows(UnsupportedOperationException.class, () -> m.move(0, 1, 1));
            assertThrows(ReadOnlyBufferException.class, () -> m.buffer(0, 1).put(0, (byte)1));
        }
    }

    @Test
    void shouldResolveAccessFromProtLikeCpython() throws IOException
    {
        try (FileFd f = file("abc".getBytes(), "rw");
            MemoryMap readOnly = MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, Posix.PROT_READ, Access.DEFAULT, 0, true);
            MemoryMap writeOnly = MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, Posix.PROT_WRITE, Access.DEFAULT, 0, true))
        {
            assertEquals(Access.READ, readOnly.access());
            assertEquals(Access.WRITE, writeOnly.access());
            assertEquals('a', writeOnly.get(0)); // readable although only PROT_WRITE was asked
        }
    }

    @Test
    void shouldRejectBadArgumentsWithCpythonWording() throws IOException
    {
        try (FileFd empty = file(new byte[0], "rw"); FileFd f = file(new byte[10], "rw"))
        {
            assertMessage("cannot mmap an empty file", () -> map(empty, 0, Access.DEFAULT));
            assertMessage("mmap length is greater than file size", () -> map(f, 11, Access.DEFAULT));
            assertMessage("mmap offset is greater than file size",
                () -> MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, RW, Access.DEFAULT, 4096, true));
            assertMessage("mmap can't specify both access and flags, prot.",
                () -> MemoryMap.map(f.fd, 0, Posix.MAP_PRIVATE, RW, Access.READ, 0, true));
            assertMessage("memory mapped length must be positive", () -> map(f, -1, Access.DEFAULT));
            assertMessage("memory mapped offset must be positive",
                () -> MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, RW, Access.DEFAULT, -1, true));
        }
    }

    private static void assertMessage(final String expected, final Runnable call)
    {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }

    @Test
    void shouldReportErrnoOfFailedCalls() throws IOException
    {
        final ErrnoException badFd = assertThrows(ErrnoException.class,
            () -> MemoryMap.map(1_000_000, 16, Posix.MAP_SHARED, RW, Access.DEFAULT, 0, true));
        assertEquals(Posix.EBADF, badFd.errno());
        assertEquals("dup", badFd.syscall());

        final ErrnoException zero = assertThrows(ErrnoException.class, () -> MemoryMap.anonymous(0));
        assertEquals(Posix.EINVAL, zero.errno());
        assertEquals("Invalid argument", zero.strerror());

        try (FileFd f = file(new byte[3 * 4096], "rw"))
        {
            final ErrnoException unaligned = assertThrows(ErrnoException.class,
                () -> MemoryMap.map(f.fd, 16, Posix.MAP_SHARED, RW, Access.DEFAULT, 100, true));
            assertEquals(Posix.EINVAL, unaligned.errno());
        }
        try (FileFd f = file(new byte[16], "r"))
        {
            final ErrnoException denied = assertThrows(ErrnoException.class, () -> map(f, 0, Access.WRITE));
            assertEquals(Posix.EACCES, denied.errno());
        }
    }

    @Test
    void shouldMapFromAnOffset() throws IOException
    {
        final byte[] content = new byte[2 * Posix.pageSize()];
        content[Posix.pageSize()] = 7;
        try (FileFd f = file(content, "rw");
            MemoryMap m = MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, RW, Access.DEFAULT, Posix.pageSize(), true))
        {
            assertEquals(Posix.pageSize(), m.size());
            assertEquals(7, m.get(0));
            assertEquals(Posix.pageSize(), m.offset());
        }
    }

    @Test
    void shouldGrowAndShrinkTheFileOnResize() throws IOException
    {
        try (FileFd f = file("0123456789".getBytes(), "rw"); MemoryMap m = map(f, 0, Access.DEFAULT))
        {
            m.resize(20_000);
            assertEquals(20_000, m.size());
            assertEquals(20_000, Files.size(f.path));
            m.put(19_999, (byte)'z');
            assertEquals('5', m.get(5));
            m.resize(4);
            assertEquals(4, m.size());
            assertArrayEquals("0123".getBytes(), f.bytes());
        }
    }

    @Test
    void shouldLeaveTheFileIntactWhenResizeToZeroFails() throws IOException
    {
        try (FileFd f = file("keep me".getBytes(), "rw"); MemoryMap m = map(f, 0, Access.DEFAULT))
        {
            final ErrnoException e = assertThrows(ErrnoException.class, () -> m.resize(0));
            assertEquals(Posix.EINVAL, e.errno());
            assertArrayEquals("keep me".getBytes(), f.bytes());
            assertEquals('k', m.get(0));
        }
    }

    @Test
    void shouldRefuseToResizeReadOnlyCopyAndUntrackedMaps() throws IOException
    {
        try (FileFd f = file("abc".getBytes(), "rw");
            MemoryMap read = map(f, 0, Access.READ);
            MemoryMap copy = map(f, 0, Access.COPY);
            MemoryMap untracked = MemoryMap.map(f.fd, 0, Posix.MAP_SHARED, RW, Access.DEFAULT, 0, false))
        {
            assertThrows(UnsupportedOperationException.class, () -> read.resize(10));
            assertThrows(UnsupportedOperationException.class, () -> copy.resize(10));
            assertThrows(UnsupportedOperationException.class, () -> untracked.resize(10));
            assertEquals(Posix.EBADF, assertThrows(ErrnoException.class, untracked::fileSize).errno());
        }
    }

    @Test
    void shouldRefuseToGrowSharedAnonymousMemoryPastItsPages()
    {
        try (MemoryMap m = MemoryMap.anonymous(100))
        {
            m.resize(Posix.pageSize()); // within the first page: fine
            m.put(Posix.pageSize() - 1, (byte)1);
            assertThrows(IllegalArgumentException.class, () -> m.resize(Posix.pageSize() + 1));
        }
    }

    @Test
    void shouldResizePrivateAnonymousMemoryKeepingItsData()
    {
        try (MemoryMap m = MemoryMap.map(-1, 10, Posix.MAP_PRIVATE, RW, Access.DEFAULT, 0, true))
        {
            m.put(9, (byte)42);
            m.resize(10 * Posix.pageSize());
            assertEquals(42, m.get(9));
            m.put(10 * Posix.pageSize() - 1, (byte)1);
        }
    }

    @Test
    void shouldFindForwardAndBackward()
    {
        try (MemoryMap m = MemoryMap.anonymous(64))
        {
            final byte[] text = "abcXYZabcXYZ".getBytes();
            m.put(0, text, 0, text.length);
            assertEquals(3, m.find("XYZ".getBytes(), 0, 64));
            assertEquals(9, m.rfind("XYZ".getBytes(), 0, 64));
            assertEquals(-1, m.find("XYZ".getBytes(), 10, 64));
            assertEquals(3, m.indexOf((byte)'X', 0));
        }
    }

    @Test
    void shouldMoveOverlappingRanges()
    {
        try (MemoryMap m = MemoryMap.anonymous(8))
        {
            m.put(0, "abcdefgh".getBytes(), 0, 8);
            m.move(2, 0, 6);
            final byte[] out = new byte[8];
            m.get(0, out, 0, 8);
            assertArrayEquals("ababcdef".getBytes(), out);
        }
    }

    @Test
    void shouldPassFlushAndMadviseErrorsAsErrno()
    {
        try (MemoryMap m = MemoryMap.anonymous(2 * Posix.pageSize()))
        {
            m.flush(0, m.size());
            m.madvise(Posix.MADV_SEQUENTIAL, 0, m.size());
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> m.flush(1, 1)).errno());
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> m.madvise(12345, 0, 1)).errno());
            assertThrows(IndexOutOfBoundsException.class, () -> m.flush(0, m.size() + 1));
        }
    }

    @Test
    void shouldFlushWithMsyncFlags(@TempDir final Path tmp) throws IOException
    {
        final Path path = Files.write(tmp.resolve("f"), new byte[2 * (int)Posix.pageSize()]);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.WRITE, 0))
        {
            m.put(0, (byte)7);
            m.flush(0, m.size(), Posix.MS_ASYNC);
            m.flush(0, m.size(), Posix.MS_SYNC | Posix.MS_INVALIDATE);
            m.flush(0, m.size(), 0);
            assertEquals(7, Files.readAllBytes(path)[0]);
            assertEquals(Posix.EINVAL,
                assertThrows(ErrnoException.class, () -> m.flush(0, 1, Posix.MS_SYNC | Posix.MS_ASYNC)).errno());
            assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> m.flush(0, 1, 64)).errno());
        }
    }

    @Test
    void shouldNameAnonymousMemoryOrSayWhyTheKernelRefuses(@TempDir final Path tmp) throws IOException
    {
        try (MemoryMap m = MemoryMap.map(-1, Posix.pageSize(), Posix.MAP_PRIVATE, RW, Access.DEFAULT, 0, true))
        {
            assertEquals("name is too long",
                assertThrows(IllegalArgumentException.class, () -> m.setAnonymousName("x".repeat(80))).getMessage());
            final String name = "fmmap-test-" + ProcessHandle.current().pid();
            if (kernelNamesAnonymousMemory())
            {
                m.setAnonymousName(name);
                assertTrue(Files.readString(Path.of("/proc/self/maps")).contains("[anon:" + name + "]"));
            }
            else
            {
                assertEquals(Posix.EINVAL, assertThrows(ErrnoException.class, () -> m.setAnonymousName(name)).errno());
            }
        }
        final Path path = Files.write(tmp.resolve("f"), new byte[8]);
        try (MemoryMap m = MemoryMap.map(path, 0, Access.READ, 0))
        {
            assertEquals("Cannot set annotation on non-anonymous mappings",
                assertThrows(IllegalArgumentException.class, () -> m.setAnonymousName("a")).getMessage());
        }
    }

    /** Whether this kernel can name anonymous memory: 5.17+ built with CONFIG_ANON_VMA_NAME. */
    private static boolean kernelNamesAnonymousMemory() throws IOException
    {
        final Path config = Path.of("/proc/config.gz");
        if (!Files.exists(config))
        {
            return true;  // no way to tell: expect it to work, so that a refusal shows up as a failure
        }
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(config)))
        {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                .contains("\nCONFIG_ANON_VMA_NAME=y");
        }
    }

    @Test
    void shouldFailCleanlyOnceClosedAndCloseIdempotently()
    {
        final MemoryMap m = MemoryMap.anonymous(16);
        m.close();
        m.close();
        assertTrue(m.isClosed());
        assertEquals("mmap closed or invalid", assertThrows(IllegalStateException.class, () -> m.get(0)).getMessage());
        assertThrows(IllegalStateException.class, m::size);
        assertThrows(IllegalStateException.class, () -> m.find(new byte[] {1}, 0, 1));
        assertThrows(IllegalStateException.class, () -> m.resize(32));
    }

    @Test
    void shouldGiveBufferViewsReadOnlyForReadMapsAndWithinTheMapOnly() throws IOException
    {
        final Path path = Files.write(dir.resolve("buffer.bin"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        try (MemoryMap w = MemoryMap.map(path, 0, Access.WRITE, 0); MemoryMap r = MemoryMap.map(path, 0, Access.READ, 0))
        {
            final ByteBuffer view = w.buffer(2, 5);
            assertEquals(5, view.capacity());
            assertEquals('2', view.get(0));
            view.put(1, (byte)'x');
            assertEquals('x', r.get(3));
            assertEquals('x', r.buffer(0, 10).get(3));
            assertTrue(r.buffer(0, 10).isReadOnly());
            assertThrows(IndexOutOfBoundsException.class, () -> w.buffer(8, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> w.buffer(-1, 1));
        }
    }

    @Test
    void shouldLeaveStaleBuffersReadableAsZerosAfterClose()
    {
        final MemoryMap m = MemoryMap.anonymous(Posix.pageSize());
        final ByteBuffer stale = m.buffer(0, 2);
        stale.put(0, (byte)9);
        m.close();
        assertEquals(0, stale.get(0)); // zero page, not a fault
        stale.put(1, (byte)1);         // and writable without effect on any file
        java.lang.ref.Reference.reachabilityFence(m); // a buffer keeps it reachable only on JDK 22+
    }

    @Test
    void shouldUnmapOutrightWithoutAGuardWhenTheOwnerSaysNothingReadsIt()
    {
        final MemoryMap m = MemoryMap.anonymous(4L * Posix.pageSize());
        final long address = m.address();
        assertTrue(isMapped(address));
        m.closeWithoutGuard();
        m.closeWithoutGuard();
        m.close();
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.get(0));
        assertFalse(isMapped(address), "the range is given back at once, no zero-page guard");

        final MemoryMap g = MemoryMap.anonymous(4L * Posix.pageSize());
        final long stale = g.address();
        g.close();
        assertTrue(isMapped(stale), "close() keeps the range reserved");
        assertEquals(0, NativeMemory.getByte(stale));
        java.lang.ref.Reference.reachabilityFence(g);
    }

    private static Thread started(final Runnable task)
    {
        final Thread thread = new Thread(task);
        thread.start();
        return thread;
    }

    @Test
    void shouldNeverFaultWhenReadersRaceWithCloseAndResize() throws Exception
    {
        final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        final AtomicInteger rounds = new AtomicInteger();
        for (int round = 0; round < 2000; round++)
        {
            final MemoryMap m = MemoryMap.map(-1, 3 * Posix.pageSize(), Posix.MAP_PRIVATE, RW, Access.DEFAULT, 0, true);
            final List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                readers.add(started(() ->
                {
                    try
                    {
                        for (int i = 0; i < 50; i++)
                        {
                            m.find(new byte[] {1, 2}, 0, Math.min(m.size(), Posix.pageSize()));
                            m.get(i);
                        }
                    }
                    catch (final IllegalStateException | IndexOutOfBoundsException expected)
                    {
                        // closed or shrunk under us: the clean failures we promise
                    }
                    catch (final Throwable other)
                    {
                        unexpected.compareAndSet(null, other);
                    }
                }));
            }
            m.resize(Posix.pageSize());
            m.close();
            for (final Thread r : readers)
            {
                r.join();
            }
            rounds.incrementAndGet();
        }
        assertNull(unexpected.get());
        assertEquals(2000, rounds.get());
    }
}
