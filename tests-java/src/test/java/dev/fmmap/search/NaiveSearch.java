package dev.fmmap.search;

/** The searches' oracle: a plain scan of a byte array, with the same results for empty needles. */
final class NaiveSearch
{
    private NaiveSearch()
    {
    }

    /** The first ({@code backward}: last) match wholly in {@code [from, to)}, or -1. */
    static long search(final byte[] hay, final long from, final long to, final byte[] needle, final boolean backward)
    {
        return backward ? last(hay, from, to, needle) : first(hay, from, to, needle);
    }

    static long first(final byte[] hay, final long from, final long to, final byte[] needle)
    {
        for (long at = from; at + needle.length <= to; at++)
        {
            if (matchesAt(hay, at, needle))
            {
                return at;
            }
        }
        return -1;
    }

    static long last(final byte[] hay, final long from, final long to, final byte[] needle)
    {
        for (long at = to - needle.length; at >= from; at--)
        {
            if (matchesAt(hay, at, needle))
            {
                return at;
            }
        }
        return -1;
    }

    private static boolean matchesAt(final byte[] hay, final long at, final byte[] needle)
    {
        for (int k = 0; k < needle.length; k++)
        {
            if (hay[(int)at + k] != needle[k])
            {
                return false;
            }
        }
        return true;
    }
}
