package dev.fmmap.search;


import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RareByteTest
{
    private static int pick(final String needle)
    {
        return RareByte.indexIn(needle.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldPreferBytesThatTextAndBinaryDataRarelyHold()
    {
        assertEquals(0, pick("x"));
        assertEquals(4, pick("the Zone")); // an upper-case letter before lower case and space
        assertEquals(3, pick("   #  "));    // punctuation before space
        assertEquals(1, pick("\0\u0007\0"));  // a control byte before zeros
        assertEquals(2, pick("ee9e"));      // a digit before a frequent letter
        assertEquals(0, pick("NNNN"));      // the first of equals
    }
}
