package dev.fmmap.junit;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints bin/test's summary line, {@code suite NAME: P passed, F failed, S skipped}, when a test
 * plan (one Surefire execution) has run, so that bin/test adds up these lines instead of reading
 * Surefire's report format. NAME is the environment variable FMMAP_SUITE (bin/test sets it),
 * {@code java} without it.
 *
 * <p>The counts are Surefire's: tests (leaves of the plan) that succeeded, that failed or erred,
 * and that were skipped (disabled, or aborted by an assumption); a skipped class skips each of its
 * tests, and a class or engine that fails outside its tests (a {@code @BeforeAll}, say) is one
 * failure more.
 */
public final class SuiteSummaryListener implements TestExecutionListener
{
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(final TestPlan testPlan)
    {
        plan = testPlan;
        passed.set(0);
        failed.set(0);
        skipped.set(0);
    }

    @Override
    public void executionSkipped(final TestIdentifier identifier, final String reason)
    {
        if (identifier.isTest())
        {
            skipped.incrementAndGet();
        }
        else if (null != plan)
        {
            skipped.addAndGet(plan.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count());
        }
    }

    @Override
    public void executionFinished(final TestIdentifier identifier, final TestExecutionResult result)
    {
        final TestExecutionResult.Status status = result.getStatus();
        if (identifier.isTest())
        {
            (TestExecutionResult.Status.SUCCESSFUL == status ? passed
                : TestExecutionResult.Status.FAILED == status ? failed : skipped).incrementAndGet();
        }
        else if (TestExecutionResult.Status.FAILED == status)
        {
            failed.incrementAndGet(); // a class or engine failing outside its tests
        }
    }

    @Override
    public void testPlanExecutionFinished(final TestPlan testPlan)
    {
        final String name = System.getenv().getOrDefault("FMMAP_SUITE", "java");
        System.out.printf("suite %s: %d passed, %d failed, %d skipped%n",
            name, passed.get(), failed.get(), skipped.get());
        System.out.flush();
    }
}
