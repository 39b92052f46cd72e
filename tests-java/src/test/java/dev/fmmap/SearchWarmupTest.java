package dev.fmmap;

import java.util.Set;

import org.junit.jupiter.api.Test;

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
                    assertTrue(!t.isAlive(), "it ends once the search is prepared");
                }
            }
            final Set<Thread> threads = Thread.getAllStackTraces().keySet();
            if (1 < ParallelSearch.threads())
            {
                assertTrue(threads.stream().anyMatch(t -> t.getName().matches("fmmap-search-[0-9]+") && t.isDaemon()),
                    "the pool's threads are started: " + threads);
            }
            assertTrue(0 > ByteSearch.indexOf(m.segment(), 0, (byte)'\n'), "searches still search");
        }
    }
}
