package dev.fmmap.window;

import java.util.SplittableRandom;

import dev.fmmap.window.WindowPlacement.Span;
import org.junit.jupiter.api.Test;

import static dev.fmmap.window.WindowFixtures.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowPlacementTest
{
    private static final long WS = 8L * PAGE;

    private static final WindowPlacement SLIDING = new WindowPlacement(WindowManager.Strategy.SLIDING, WS, PAGE);

    @Test
    void shouldExtendAndAlignAsSmmapsMapWindow()
    {
        // the cases of smmap's test_util.py::test_window, on immutable spans
        final Span left = new Span(0, 1);
        final Span center = new Span(1, 1);
        final Span center2 = new Span(10, 5);
        final Span right = new Span(8000, 50);
        assertEquals(1, left.end());
        assertEquals(2, center.end());
        assertEquals(8050, right.end());

        // already in place: nothing moves
        assertEquals(center, center.extendLeftTo(left.end(), 100));
        assertEquals(left, left.extendRightTo(center.offset(), 100));

        // a real extension to the left keeps the end
        final Span grown = center2.extendLeftTo(center.end(), 100);
        assertEquals(new Span(center.end(), center2.end() - center.end()), grown);

        // the maximum size holds, and a second extension changes nothing
        final Span capped = center.extendRightTo(right.offset(), 100);
        assertEquals(new Span(1, 100), capped);
        assertEquals(capped, capped.extendRightTo(right.offset(), 100));
        assertEquals(new Span(1, right.offset() - 1), center.extendRightTo(right.offset(), Long.MAX_VALUE));

        assertEquals(new Span(8050 - 100, 100), right.extendLeftTo(center2.end(), 100));
        assertEquals(new Span(8050 - 100, 100), right.extendLeftTo(center2.end(), 100).extendLeftTo(center2.end(), 100));
        assertEquals(new Span(center2.end(), 8050 - center2.end()), right.extendLeftTo(center2.end(), Long.MAX_VALUE));

        // aligning starts at a page boundary and ends at one
        assertEquals(new Span(0, PAGE), new Span(1, 1).align(PAGE));
        assertEquals(new Span(0, 2L * PAGE), new Span(1, PAGE).align(PAGE));
        assertEquals(new Span(PAGE, PAGE), new Span(PAGE, PAGE).align(PAGE));
    }

    @Test
    void shouldGiveTheWholeFileToAStaticWindow()
    {
        final WindowPlacement placement = new WindowPlacement(WindowManager.Strategy.STATIC, 0, PAGE);
        assertEquals(new Span(0, 12345), placement.place(5000, 1, 0, 12345, 12345));
    }

    @Test
    void shouldPlaceSlidingWindowsAsSmmapDoes()
    {
        final long fileSize = 100 * WS + 123;
        // a first window grows to the left as far as the window size allows: from the file's start
        assertEquals(new Span(0, WS), SLIDING.place(5000, WS / 2, 0, fileSize, fileSize));
        // far from the start it ends where the request ends, aligned
        assertEquals(new Span(2 * WS, WS), SLIDING.place(3 * WS - 10, 1, 0, fileSize, fileSize));
        // near the file's end it ends there, and starts inside its left neighbour's gap
        final Span last = SLIDING.place(fileSize - WS + 4000, WS, WS, fileSize, fileSize);
        assertEquals(fileSize, last.end());
        assertTrue(last.offset() < fileSize - WS + 4000);
        // a right neighbour clips it
        assertEquals(new Span(4 * WS, PAGE), SLIDING.place(4 * WS + 10, WS, 0, 4 * WS + PAGE, fileSize));
    }

    @Test
    void shouldTrimTheAlignedWindowToTheWindowSizeKeepingTheRequestInside()
    {
        final long fileSize = 100 * WS;
        // smmap's window would be [9P, 18P): a page past the window size once aligned
        final long offset = 10L * PAGE + 100;
        assertEquals(new Span(10L * PAGE, WS), SLIDING.place(offset, WS - PAGE, 0, fileSize, fileSize));
        // a request that cannot fit once aligned keeps its start inside
        assertEquals(new Span(10L * PAGE, WS), SLIDING.place(offset, WS, 0, fileSize, fileSize));
    }

    @Test
    void shouldKeepEveryWindowAlignedInsideItsGapAndIncludingTheRequest()
    {
        final SplittableRandom r = new SplittableRandom(24);
        for (int i = 0; i < 200_000; i++)
        {
            final long fileSize = 1 + r.nextLong(64 * WS);
            final long offset = r.nextLong(fileSize);
            final long size = 1 + r.nextLong(WS);
            final long leftEnd = r.nextBoolean() ? 0 : offset / PAGE * PAGE - r.nextLong(4) * PAGE;
            final long rightStart = r.nextBoolean() ? fileSize
                : Math.min(fileSize, (offset / PAGE + 1 + r.nextLong(16)) * PAGE);
            final long gapStart = Math.max(0, leftEnd);
            final Span s = SLIDING.place(offset, size, gapStart, rightStart, fileSize);
            final String what = s + " for " + offset + "+" + size + " in [" + gapStart + ", " + rightStart + ")";
            assertEquals(0, s.offset() % PAGE, what);
            assertTrue(0 < s.size() && s.size() <= WS, what);
            assertTrue(s.offset() <= offset && offset < s.end(), what);
            assertTrue(gapStart <= s.offset() && s.end() <= rightStart, what);
            final boolean fits = (offset + size + PAGE - 1) / PAGE * PAGE - offset / PAGE * PAGE <= WS;
            if (fits)
            {
                assertTrue(Math.min(offset + size, rightStart) <= s.end(), () -> "request cut: " + what);
            }
        }
    }
}
