package dev.fmmap.jython;

import java.io.FileDescriptor;
import java.lang.reflect.Field;

/**
 * The operating system's file descriptor behind a Jython file. Jython's {@code f.fileno()} and
 * {@code os.open()} return a Java {@code FileIO} rather than an int; the int the core needs is the
 * private field of its {@link FileDescriptor}, readable only where the JVM opens {@code java.io} to
 * this code ({@code --add-opens java.base/java.io=ALL-UNNAMED}, as bin/jython starts Jython).
 */
public final class Descriptors
{
    private static final String OPEN_FLAG = "--add-opens java.base/java.io=ALL-UNNAMED";

    private Descriptors()
    {
    }

    /**
     * @return null when descriptors can be read, else why not and which JVM option is missing.
     */
    public static String unavailableReason()
    {
        try
        {
            field();
            return null;
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return "fmmap cannot read the file descriptor behind a Jython file (" + e.getClass().getSimpleName()
                + "): start the JVM with " + OPEN_FLAG;
        }
    }

    /**
     * @param descriptor an open file's descriptor object.
     * @return its operating-system descriptor number, -1 when it has none (closed).
     * @throws IllegalStateException without {@value #OPEN_FLAG}.
     */
    public static int of(final FileDescriptor descriptor)
    {
        try
        {
            return field().getInt(descriptor);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            throw new IllegalStateException(unavailableReason(), e);
        }
    }

    private static Field field() throws NoSuchFieldException
    {
        final Field fd = FileDescriptor.class.getDeclaredField("fd");
        fd.setAccessible(true);
        return fd;
    }
}
