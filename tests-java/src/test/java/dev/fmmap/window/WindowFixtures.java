package dev.fmmap.window;

import dev.fmmap.Posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Files with random content and the kernel's count of a file's descriptors and mappings, for the window tests. */
final class WindowFixtures
{
    static final int PAGE = Posix.pageSize();

    private WindowFixtures()
    {
    }

    /** Random bytes (never all zeros: a stale view reading zero pages must not pass a comparison). */
    static byte[] random(final int size, final long seed)
    {
        final byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Writes {@code data} to a new file in {@code dir}. */
    static Path write(final Path dir, final String name, final byte[] data) throws IOException
    {
        final Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    /** How many of this process's descriptors point at {@code file} (readlink of /proc/self/fd/N). */
    static int openFds(final Path file)
    {
        final Path real = real(file);
        int count = 0;
        try (var entries = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path p : (Iterable<Path>)entries::iterator)
            {
                try
                {
                    if (Files.readSymbolicLink(p).equals(real))
                    {
                        count++;
                    }
                }
                catch (final IOException ignored)
                {
                    // the listing's own descriptor, or one closed while we look
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /** The mappings of {@code file} in /proc/self/maps: {@code {lines, bytes}}. */
    static long[] mappings(final Path file)
    {
        final String real = real(file).toString();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(Path.of("/proc/self/maps"));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        long count = 0;
        long bytes = 0;
        for (final String line : lines)
        {
            // start-end perms offset dev inode pathname
            final String[] f = line.split("\\s+", 6);
            if (6 == f.length && f[5].equals(real))
            {
                final String[] range = f[0].split("-");
                bytes += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
                count++;
            }
        }
        return new long[] {count, bytes};
    }

    static Path real(final Path file)
    {
        try
        {
            return file.toRealPath();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Python's {@code data.find(needle, start, end)} (or rfind), by brute force. */
    static long model(final byte[] data, final byte[] needle, final long start, final long end, final boolean reverse)
    {
        final long len = data.length;
        long to = end;
        if (to > len)
        {
            to = len;
        }
        else if (to < 0)
        {
            to = Math.max(0, to + len);
        }
        long from = start;
        if (from < 0)
        {
            from = Math.max(0, from + len);
        }
        final int n = needle.length;
        if (to - from < n)
        {
            return -1;
        }
        if (0 == n)
        {
            return reverse ? to : from;
        }
        if (reverse)
        {
            for (long i = to - n; i >= from; i--)
            {
                if (matches(data, needle, (int)i))
                {
                    return i;
                }
            }
        }
        else
        {
            for (long i = from; i <= to - n; i++)
            {
                if (matches(data, needle, (int)i))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean matches(final byte[] data, final byte[] needle, final int at)
    {
        for (int j = 0; j < needle.length; j++)
        {
            if (data[at + j] != needle[j])
            {
                return false;
            }
        }
        return true;
    }
}
