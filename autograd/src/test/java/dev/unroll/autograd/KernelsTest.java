package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/** The public account of the kernels: what it reports matches what runs, and a missing native library is named. */
class KernelsTest {

    /** The platforms for which openblas 0.3.31-1.5.13 ships natives for the desktop JVM (autograd/pom.xml's natives-* profiles). */
    private static final Set<String> SHIPPED = Set.of("linux-x86_64", "linux-arm64", "macosx-x86_64", "macosx-arm64",
            "windows-x86_64");

    /** A natives jar of bytedeco's, named by its platform classifier (e.g. openblas-0.3.31-1.5.13-linux-x86_64.jar). */
    private static final String NATIVES_JAR = ".*-(linux|macosx|windows|android|ios)-[a-z0-9_]+\\.jar";

    private static List<String> classPath() {
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    @Test
    void describeNamesBothPrecisionsTheActivationKernelAndTheThreads() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        for (DType dtype : DType.values()) {
            assertTrue(Kernels.products(dtype).startsWith(vector ? "small: vector-api(" : "small: java"),
                    dtype + ": " + Kernels.products(dtype));
        }
        assertEquals(vector ? "vector-api" : "scalar", Kernels.activations().replaceAll("\\(.*", ""));
        assertEquals(Integer.getInteger("unroll.threads", Runtime.getRuntime().availableProcessors()), Kernels.threads());
        assertEquals("float64 products: " + Kernels.products(DType.F64) + "; float32 products: "
                + Kernels.products(DType.F32) + "; activations: " + Kernels.activations() + "; threads: "
                + Kernels.threads(), Kernels.describe());
    }

    @Test
    void theBuildBringsThisPlatformsNativesWhereOpenBlasShipsThemAndLargeProductsRunOnThem() {
        String platform = Loader.getPlatform();
        String built = System.getProperty("unroll.natives");
        assertTrue(!SHIPPED.contains(platform) || built.equals(platform), "the build brought the natives for " + built
                + " to " + platform + ": a natives-* profile of autograd/pom.xml should match this machine "
                + "(unless -Djavacpp.platform chose another platform to package for; then skip the tests)");
        String large = Kernels.products(DType.F64).replaceAll(".*large: ", "");
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (built.equals(platform)) {
            assertTrue(large.startsWith("openblas(" + Kernels.threads() + " threads)"), platform + ": " + large);
        } else {
            assertTrue(large.startsWith(vector ? "packed-vector(" : "java") && large.contains("OpenBLAS did not load"),
                    platform + " has no natives here, so it should say so: "
                    + large);
        }
    }

    @Test
    void withoutTheNativesJarsLargeProductsFallBackToJavaAndSayWhy() throws IOException, InterruptedException {
        String stripped = classPath().stream().filter(entry -> !Path.of(entry).getFileName().toString().matches(NATIVES_JAR))
                .collect(Collectors.joining(File.pathSeparator));
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of("target", "javacpp-cache-none").toAbsolutePath(),
                "-cp", stripped, PrintKernels.class.getName()).redirectErrorStream(true).start();
        String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, java.exitValue(), printed);
        assertTrue(printed.contains("large: java (OpenBLAS did not load: UnsatisfiedLinkError: "), printed);
    }
}
