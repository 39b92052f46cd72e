package dev.fmmap.search;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * SIMD search kernels (the incubating Vector API), used by {@link ByteSearch} when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}; nothing else may touch this class, which
 * cannot load otherwise.
 *
 * <p>A needle of n bytes is found by comparing, for a whole vector of candidate positions at once,
 * the haystack's bytes with the needle's first byte and, n - 1 bytes further, with its last byte; only
 * positions where both agree are compared in full. Random text rarely passes both filters, so the
 * scan runs at nearly the speed of the loads. Single bytes compare four vectors per step.
 *
 * <p>Offsets are relative to the segment; callers check that {@code 0 <= from <= to <= size} and that
 * the range holds at least one candidate. Nothing is allocated per call.
 */
final class VectorSearch
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorSearch()
    {
    }

    /** @return the number of bytes compared per vector (64 with AVX-512, 32 with AVX2). */
    static int lanes()
    {
        return LANES;
    }

    /** First match of {@code needle} (at least 2 bytes) wholly in {@code [from, to)}, or -1. */
    static long indexOf(final MemorySegment h, final long from, final long to, final MemorySegment needle)
    {
        final int n = (int)needle.byteSize();
        final ByteVector first = ByteVector.broadcast(SPECIES, needle.get(JAVA_BYTE, 0));
        final ByteVector last = ByteVector.broadcast(SPECIES, needle.get(JAVA_BYTE, n - 1));
        final long candidatesEnd = to - n + 1;
        long i = from;
        for (; i + LANES <= candidatesEnd; i += LANES)
        {
            long mask = ByteVector.fromMemorySegment(SPECIES, h, i, ORDER).eq(first)
                .and(ByteVector.fromMemorySegment(SPECIES, h, i + n - 1, ORDER).eq(last)).toLong();
            while (0 != mask)
            {
                final long at = i + Long.numberOfTrailingZeros(mask);
                if (matchesInside(h, at, needle, n))
                {
                    return at;
                }
                mask &= mask - 1;
            }
        }
        for (; i < candidatesEnd; i++)
        {
            if (-1 == MemorySegment.mismatch(h, i, i + n, needle, 0, n))
            {
                return i;
            }
        }
        return -1;
    }

    /** Last match of {@code needle} (at least 2 bytes) wholly in {@code [from, to)}, or -1. */
    static long lastIndexOf(final MemorySegment h, final long from, final long to, final MemorySegment needle)
    {
        final int n = (int)needle.byteSize();
        final ByteVector first = ByteVector.broadcast(SPECIES, needle.get(JAVA_BYTE, 0));
        final ByteVector last = ByteVector.broadcast(SPECIES, needle.get(JAVA_BYTE, n - 1));
        // The vector at i covers the candidates [i, i + LANES); candidates end at to - n + 1.
        long i = to - n + 1 - LANES;
        for (; i >= from; i -= LANES)
        {
            long mask = ByteVector.fromMemorySegment(SPECIES, h, i, ORDER).eq(first)
                .and(ByteVector.fromMemorySegment(SPECIES, h, i + n - 1, ORDER).eq(last)).toLong();
            while (0 != mask)
            {
                final int bit = 63 - Long.numberOfLeadingZeros(mask);
                final long at = i + bit;
                if (matchesInside(h, at, needle, n))
                {
                    return at;
                }
                mask &= ~(1L << bit);
            }
        }
        for (long at = i + LANES - 1; at >= from; at--)
        {
            if (-1 == MemorySegment.mismatch(h, at, at + n, needle, 0, n))
            {
                return at;
            }
        }
        return -1;
    }

    /** First byte equal to {@code value} in {@code [from, to)}, or -1. */
    static long indexOf(final MemorySegment h, final long from, final long to, final byte value)
    {
        final ByteVector v = ByteVector.broadcast(SPECIES, value);
        long i = from;
        for (; i + 4L * LANES <= to; i += 4L * LANES)
        {
            final VectorMask<Byte> m0 = ByteVector.fromMemorySegment(SPECIES, h, i, ORDER).eq(v);
            final VectorMask<Byte> m1 = ByteVector.fromMemorySegment(SPECIES, h, i + LANES, ORDER).eq(v);
            final VectorMask<Byte> m2 = ByteVector.fromMemorySegment(SPECIES, h, i + 2L * LANES, ORDER).eq(v);
            final VectorMask<Byte> m3 = ByteVector.fromMemorySegment(SPECIES, h, i + 3L * LANES, ORDER).eq(v);
            if (m0.or(m1).or(m2).or(m3).anyTrue())
            {
                return m0.anyTrue() ? i + m0.firstTrue()
                    : m1.anyTrue() ? i + LANES + m1.firstTrue()
                    : m2.anyTrue() ? i + 2L * LANES + m2.firstTrue()
                    : i + 3L * LANES + m3.firstTrue();
            }
        }
        for (; i + LANES <= to; i += LANES)
        {
            final VectorMask<Byte> m = ByteVector.fromMemorySegment(SPECIES, h, i, ORDER).eq(v);
            if (m.anyTrue())
            {
                return i + m.firstTrue();
            }
        }
        for (; i < to; i++)
        {
            if (value == h.get(JAVA_BYTE, i))
            {
                return i;
            }
        }
        return -1;
    }

    /** Last byte equal to {@code value} in {@code [from, to)}, or -1. */
    static long lastIndexOf(final MemorySegment h, final long from, final long to, final byte value)
    {
        final ByteVector v = ByteVector.broadcast(SPECIES, value);
        long end = to; // [from, end) is left to search
        for (; end - 4L * LANES >= from; end -= 4L * LANES)
        {
            final long i = end - 4L * LANES;
            final VectorMask<Byte> m0 = ByteVector.fromMemorySegment(SPECIES, h, i, ORDER).eq(v);
            final VectorMask<Byte> m1 = ByteVector.fromMemorySegment(SPECIES, h, i + LANES, ORDER).eq(v);
            final VectorMask<Byte> m2 = ByteVector.fromMemorySegment(SPECIES, h, i + 2L * LANES, ORDER).eq(v);
            final VectorMask<Byte> m3 = ByteVector.fromMemorySegment(SPECIES, h, i + 3L * LANES, ORDER).eq(v);
            if (m0.or(m1).or(m2).or(m3).anyTrue())
            {
                return m3.anyTrue() ? i + 3L * LANES + m3.lastTrue()
                    : m2.anyTrue() ? i + 2L * LANES + m2.lastTrue()
                    : m1.anyTrue() ? i + LANES + m1.lastTrue()
                    : i + m0.lastTrue();
            }
        }
        for (; end - LANES >= from; end -= LANES)
        {
            final VectorMask<Byte> m = ByteVector.fromMemorySegment(SPECIES, h, end - LANES, ORDER).eq(v);
            if (m.anyTrue())
            {
                return end - LANES + m.lastTrue();
            }
        }
        for (long at = end - 1; at >= from; at--)
        {
            if (value == h.get(JAVA_BYTE, at))
            {
                return at;
            }
        }
        return -1;
    }

    /** Whether the needle's inner bytes (its first and last are known to match) match at {@code at}. */
    private static boolean matchesInside(final MemorySegment h, final long at, final MemorySegment needle, final int n)
    {
        return n <= 2 || -1 == MemorySegment.mismatch(h, at + 1, at + n - 1, needle, 1, n - 1);
    }
}
