package dev.fmmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernel says this process has mapped (/proc/self/maps), for tests of every package. */
public final class ProcMaps
{
    private ProcMaps()
    {
    }

    /**
     * @param address a virtual address.
     * @return whether some mapping of this process covers it.
     */
    public static boolean isMapped(final long address)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
            {
                final String[] range = line.substring(0, line.indexOf(' ')).split("-");
                if (Long.compareUnsigned(Long.parseUnsignedLong(range[0], 16), address) <= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0)
                {
                    return true;
                }
            }
            return false;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
