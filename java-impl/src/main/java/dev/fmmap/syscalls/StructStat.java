package dev.fmmap.syscalls;

/** Where {@code struct stat} keeps the fields fmmap reads, per architecture (the kernel's generic layout). */
final class StructStat
{
    /** {@code sizeof(struct stat)}. */
    static final int SIZE;
    /** The offset of {@code st_mode} (32 bits). */
    static final int MODE_OFFSET;
    /** The offset of {@code st_size} (64 bits). */
    static final int SIZE_OFFSET;

    static
    {
        final String arch = System.getProperty("os.arch");
        if ("amd64".equals(arch) || "x86_64".equals(arch))
        {
            SIZE = 144;
            MODE_OFFSET = 24;
            SIZE_OFFSET = 48;
        }
        else if ("aarch64".equals(arch))
        {
            SIZE = 128;
            MODE_OFFSET = 16;
            SIZE_OFFSET = 48;
        }
        else
        {
            throw new IllegalStateException("Unsupported system! fmmap's core supports x86-64 and aarch64.");
        }
    }

    private StructStat()
    {
    }
}
