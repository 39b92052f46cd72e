package dev.fmmap.search;

import dev.fmmap.MemoryMap;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchWarmupTest
{
    @Test
    void shouldPrepareTheSearchOnADaemonThreadThatEnds() throws InterruptedException
    {
        try (MemoryMap m = MemoryMap.anonymous(4096)) // the first map of this JVM starts it, if no test did
        {
            SearchWarmup.startOnce();
            for (final Thread t : Thread.getAllStackTraces().keySet())
            {
                if ("fmmap-search-warmup".equals(t.getName()))
                {
                    assertTrue(t.isDaemon(), "never keeps a JVM alive");
                    t.join(30_000);
                    assertFalse(t.isAlive(), "it ends once the search is prepared");
                }
            }
            assertTrue(0 > m.indexOf((byte)'\n', 0), "searches still search");
        }
    }

    @Test
    void shouldRunTheTaskOnAStartedDaemonThreadOfThePool()
    {
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        ParallelSearch.prestart(() -> ranOn.set(Thread.currentThread()));
        assertTrue(ranOn.get().getName().matches("fmmap-search-[0-9]+"), ranOn.get().getName());
        assertTrue(ranOn.get().isDaemon());
        assertTrue(ranOn.get().isAlive(), "the pool keeps its threads for the first split search");
    }
}
