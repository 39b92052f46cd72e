package dev.fmmap.graalpy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Predicate;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Configures a GraalPy {@link Context.Builder} so that Python code in it can {@code import fmmap}, and
 * share maps with the application through {@code fmmap.mmap.from_java(memoryMap)}.
 *
 * <pre>{@code
 * try (Context context = FmmapContext.configure(Context.newBuilder("python")).build()) {
 *     context.getBindings("python").putMember("shared", memoryMap);
 *     context.eval("python", "import fmmap; m = fmmap.mmap.from_java(shared)");
 * }
 * }</pre>
 *
 * <p>What it sets: native access (fmmap's core calls the C library through {@code java.lang.foreign} on
 * JDK 22 and later, through jnr-ffi, a dependency of this artifact, on JDK 17-21),
 * GraalPy's native POSIX backend (real file descriptors for {@code f.fileno()}), host access and the
 * lookup of the classes fmmap uses, all IO, and {@code python.PythonPath} to the fmmap package. The
 * application must have {@code dev.fmmap:fmmap} on its class path (this artifact depends on it) and, on
 * JDK 22 and later, run the JVM with {@code --enable-native-access=ALL-UNNAMED} (or the modules that
 * hold fmmap and Truffle).
 * For GraalPy's JIT on a stock JDK, put GraalPy's jars on the module path and add
 * {@code -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path <org.graalvm.compiler:compiler jar>};
 * on a plain class path GraalPy runs interpreted.
 */
public final class FmmapContext
{
    /** Where the build puts the Python package among this class's resources. */
    private static final String SHIM = "dev/fmmap/graalpy/shim";
    /** The host classes fmmap's Python code looks up with {@code java.type}. */
    private static final Predicate<String> CLASSES_FMMAP_LOOKS_UP =
        name -> name.startsWith("dev.fmmap.") || name.startsWith("java.lang.");
    private static Path bundled;

    private FmmapContext()
    {
    }

    /**
     * Configures {@code builder} for fmmap with the package bundled in this jar (extracted once per JVM
     * into a temporary directory, removed at exit).
     *
     * @param builder a builder for a context that permits Python.
     * @return {@code builder}.
     */
    public static Context.Builder configure(final Context.Builder builder)
    {
        return configure(builder, bundledShim());
    }

    /**
     * Configures {@code builder} for fmmap with the package in {@code pythonPath} (a directory that
     * holds {@code fmmap/}, such as the repository's {@code python-shim}).
     *
     * @param builder    a builder for a context that permits Python.
     * @param pythonPath the directory to put on {@code python.PythonPath}.
     * @return {@code builder}.
     */
    public static Context.Builder configure(final Context.Builder builder, final Path pythonPath)
    {
        return configureAccess(builder).option("python.PythonPath", pythonPath.toAbsolutePath().toString());
    }

    /**
     * Configures {@code builder} for fmmap without touching its python path: for a context that finds
     * fmmap installed already, such as one from {@code GraalPyResources.contextBuilder(directory)} over
     * resources that the graalpy-maven-plugin filled from fmmap's wheel and the application extracted
     * with {@code GraalPyResources.extractVirtualFileSystemResources}. (The resources cannot stay in
     * the jar: with the native POSIX backend that fmmap needs, Python does not see GraalPy's in-jar
     * virtual file system, so {@code import fmmap} fails with ModuleNotFoundError; with the Java backend
     * fmmap refuses to import, as its file descriptors are not the kernel's.)
     *
     * @param builder a builder for a context that permits Python.
     * @return {@code builder}.
     */
    public static Context.Builder configureAccess(final Context.Builder builder)
    {
        Objects.requireNonNull(builder, "builder");
        return builder
            .allowNativeAccess(true)
            .allowHostAccess(HostAccess.ALL)
            .allowHostClassLookup(CLASSES_FMMAP_LOOKS_UP)
            .allowIO(IOAccess.ALL)
            .option("python.PosixModuleBackend", "native");
    }

    /** The bundled package's directory, extracted on first use. */
    private static synchronized Path bundledShim()
    {
        if (null == bundled)
        {
            try
            {
                final Path root = Files.createTempDirectory("fmmap-shim");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "fmmap-shim-cleanup"));
                copyResources(root);
                bundled = root;
            }
            catch (final IOException | URISyntaxException e)
            {
                throw new IllegalStateException("cannot extract fmmap's Python package", e);
            }
        }
        return bundled;
    }

    /** Copies the package from this class's jar (or classes directory) into {@code root}. */
    private static void copyResources(final Path root) throws IOException, URISyntaxException
    {
        final Path location = Path.of(FmmapContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location))
        {
            final Path shim = null == jar ? location.resolve(SHIM) : jar.getPath(SHIM);
            try (var files = Files.walk(shim))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    final Path target = root.resolve(shim.relativize(file).toString());
                    if (Files.isDirectory(file))
                    {
                        Files.createDirectories(target);
                    }
                    else
                    {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }

    private static void delete(final Path root)
    {
        try (var paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException e)
        {
            // best effort: a temporary directory
        }
    }
}
