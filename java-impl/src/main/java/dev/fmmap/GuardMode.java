package dev.fmmap;

import java.util.Locale;
import java.util.Objects;

/**
 * How much a map's Python side checks before it touches the mapped memory, chosen per map when it is
 * made. Both modes replace the pages a truncated file no longer backs by zero pages as soon as the
 * core's {@code TruncationWatcher} hears of the truncation, and make every later access through
 * {@link MemoryMap}'s methods fail with {@link ErrnoException} EFAULT; they differ in the window
 * between the truncation and that reaction.
 * <ul>
 * <li>{@link #FAST} (the default): a file map whose file is watched hands its raw address out for
 * the common operations ({@link MemoryMap#rawAccessAddress()} holds 1), with no call into Java per
 * access. An access that races the truncation itself may still fault and end the process, as it does
 * on CPython.</li>
 * <li>{@link #STRICT}: every access goes through {@link MemoryMap}'s guarded methods, which turn the
 * fault of a racing truncation into EFAULT: slower, never fatal (raw buffers handed out by the
 * buffer protocol excepted, where no fmmap code runs).</li>
 * </ul>
 * The process-wide default comes from the system property {@code fmmap.guard}, else the environment
 * variable {@code FMMAP_GUARD} ({@code fast} or {@code strict}), and can be changed with
 * {@link #setDefault(GuardMode)}; maps already made keep theirs.
 */
public enum GuardMode
{
    /** No call into Java per access where the file is watched; a racing truncation may be fatal. */
    FAST,
    /** Every access through the core's guarded methods; a racing truncation gives EFAULT. */
    STRICT;

    private static volatile GuardMode defaultMode = initial();

    /**
     * @return the mode of maps made from now on.
     */
    public static GuardMode getDefault()
    {
        return defaultMode;
    }

    /**
     * Sets the mode of maps made from now on; maps already made keep theirs.
     *
     * @param mode the new default.
     */
    public static void setDefault(final GuardMode mode)
    {
        defaultMode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * @param name {@code "fast"} or {@code "strict"}, in any case.
     * @return the mode of that name.
     * @throws IllegalArgumentException for any other name.
     */
    public static GuardMode parse(final String name)
    {
        final String key = name.trim().toLowerCase(Locale.ROOT);
        for (final GuardMode mode : values())
        {
            if (mode.name().toLowerCase(Locale.ROOT).equals(key))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("fmmap guard mode must be 'fast' or 'strict', not '" + name + "'");
    }

    private static GuardMode initial()
    {
        String setting = System.getProperty("fmmap.guard");
        if (null == setting || setting.isEmpty())
        {
            setting = System.getenv("FMMAP_GUARD");
        }
        return null == setting || setting.isEmpty() ? FAST : parse(setting);
    }
}
