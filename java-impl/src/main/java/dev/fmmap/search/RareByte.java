package dev.fmmap.search;

/**
 * Picks the byte of a needle that is likely rarest in real data, so that a search can hand glibc's
 * memchr (the machine's read ceiling) that one byte and compare the whole needle only where it occurs.
 * A needle's first byte is often a poor choice ("the", "\n    ", a zero-padded record), so each byte
 * value gets a guessed commonness from its class (text letters, space and zero most common; control
 * bytes and rare punctuation least). A wrong guess costs only speed: the search counts the false
 * candidates and moves on to glibc's memmem when they come too often (see {@link ByteSearch}).
 */
final class RareByte
{
    /** Guessed commonness of each byte value: higher is more common. */
    private static final int[] COMMONNESS = commonness();

    private RareByte()
    {
    }

    private static int[] commonness()
    {
        final int[] c = new int[256];
        for (int b = 0; b < 256; b++)
        {
            c[b] = 40; // control bytes and the rest: rare in text, scattered in binary
        }
        for (int b = 0x80; b < 0x100; b++)
        {
            c[b] = 0x80 <= b && b < 0xC0 ? 110 : 0xC2 <= b && b <= 0xF4 ? 100 : 60; // UTF-8 text, else binary
        }
        for (int b = 0x01; b < 0x10; b++)
        {
            c[b] = 100; // small integers in binary records
        }
        for (int b = '!'; b <= '~'; b++)
        {
            c[b] = 90; // printable punctuation
        }
        for (final char p : ".,-_/:;\"'=()".toCharArray())
        {
            c[p] = 130;
        }
        for (int b = '0'; b <= '9'; b++)
        {
            c[b] = 150;
        }
        for (int b = 'A'; b <= 'Z'; b++)
        {
            c[b] = 120;
        }
        for (int b = 'a'; b <= 'z'; b++)
        {
            c[b] = 200;
        }
        final String frequent = "etaoinsrhldcum"; // most frequent first
        for (int i = 0; i < frequent.length(); i++)
        {
            c[frequent.charAt(i)] = 240 - i;
        }
        c['\t'] = 140;
        c['\r'] = 140;
        c['\n'] = 210;
        c[0xFF] = 200;
        c[0x00] = 250;
        c[' '] = 255;
        return c;
    }

    /**
     * @param needle the bytes to look for, at least one.
     * @return the index in {@code needle} of its byte guessed rarest (the first of equals).
     */
    static int indexIn(final byte[] needle)
    {
        int best = 0;
        int bestCommonness = Integer.MAX_VALUE;
        for (int i = 0; i < needle.length; i++)
        {
            final int c = COMMONNESS[needle[i] & 0xFF];
            if (c < bestCommonness)
            {
                best = i;
                bestCommonness = c;
            }
        }
        return best;
    }
}
