package example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.fmmap.Access;
import dev.fmmap.MemoryMap;
import dev.fmmap.graalpy.FmmapContext;
import org.graalvm.polyglot.Context;
import org.graalvm.python.embedding.GraalPyResources;
import org.graalvm.python.embedding.VirtualFileSystem;

/**
 * Java maps a file and writes a request record into it; Python finds the record with fmmap, over the
 * same mapping, and writes a reply after it; Java reads the reply. Prints what each side did and exits
 * 0 only if the reply is the one expected.
 *
 * <p>Two setups, chosen by the first argument:
 * <ul>
 *   <li>{@code class-path} (the default): fmmap's Python package comes from the fmmap-graalpy jar;</li>
 *   <li>{@code graalpy-plugin}: the graalpy-maven-plugin installed fmmap's wheel into this jar's
 *       resources at build time; they are extracted to a directory that the context runs from.</li>
 * </ul>
 */
public final class SharedRecord
{
    public static void main(final String[] args) throws Exception
    {
        final Path file = Files.createTempFile("fmmap-shared", ".bin");
        try
        {
            Files.write(file, new byte[4096]);
            final byte[] request = "REQUEST:ping;".getBytes(StandardCharsets.US_ASCII);
            final String setup = args.length > 0 ? args[0] : "class-path";
            System.out.println("setup:  " + setup);
            final Context.Builder builder = contextBuilder(setup)
                .option("engine.WarnInterpreterOnly", "false"); // a plain class path runs GraalPy interpreted
            try (MemoryMap map = MemoryMap.map(file, 0, Access.WRITE, 0);
                 Context context = builder.build())
            {
                map.put(1000, request, 0, request.length);
                System.out.println("java:   wrote " + new String(request, StandardCharsets.US_ASCII) + " at 1000");

                context.getBindings("python").putMember("shared", map);
                final long replyAt = context.eval("python", """
                    import fmmap
                    m = fmmap.mmap.from_java(shared)
                    at = m.find(b"REQUEST:")
                    end = m.find(b";", at)
                    m.seek(end + 1)
                    m.write(b"REPLY:pong(" + m[at + 8:end] + b");")
                    m.flush()
                    print("python: fmmap from %s" % fmmap.__file__)
                    print("python: found the request at %d, replied at %d" % (at, end + 1))
                    end + 1
                    """).asLong();

                final byte[] reply = new byte[17];
                map.get(replyAt, reply, 0, reply.length);
                final String text = new String(reply, StandardCharsets.US_ASCII);
                System.out.println("java:   read " + text + " at " + replyAt);
                if (!"REPLY:pong(ping);".equals(text))
                {
                    System.out.println("example: FAILED");
                    System.exit(1);
                }
            }
            final String onDisk = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
            if (!onDisk.contains("REQUEST:ping;REPLY:pong(ping);"))
            {
                System.out.println("example: FAILED (the file does not hold the reply)");
                System.exit(1);
            }
            System.out.println("example: ok (one mapping, written by Java and by Python, flushed to the file)");
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static Context.Builder contextBuilder(final String setup) throws Exception
    {
        switch (setup)
        {
            case "class-path":
                return FmmapContext.configure(Context.newBuilder("python"));
            case "graalpy-plugin":
                // Extracted, not read from the jar: the native POSIX backend does not see in-jar files.
                // An application would pick a directory of its own; this one lies beside its build.
                final Path resources = Path.of("target", "python-resources");
                GraalPyResources.extractVirtualFileSystemResources(VirtualFileSystem.create(), resources);
                return FmmapContext.configureAccess(GraalPyResources.contextBuilder(resources));
            default:
                throw new IllegalArgumentException("setup: class-path or graalpy-plugin, not " + setup);
        }
    }
}
