package dev.unroll.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tensor;
import dev.unroll.modulepath.OnTheModulePath;
import dev.unroll.nn.Module;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JPMS descriptors of the built library modules (target/classes or the jar, whichever Maven
 * put on this test's class path): each exports every package it contains, except the kernel
 * package, which autograd exports to nn and rnn alone; and a program on the module path trains
 * through them and is refused the kernel package.
 */
class ModuleDescriptorsTest {

    private static final String INTERNAL = "dev.unroll.autograd.internal";

    /** Where a class of each library module was loaded from: its jar or its classes folder. */
    private static Map<String, Path> libraries() throws URISyntaxException {
        return Map.of("dev.unroll.autograd", location(Tensor.class), "dev.unroll.nn", location(Module.class),
                "dev.unroll.rnn", location(RecurrentCell.class));
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor(Path location) {
        return ModuleFinder.of(location).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError(location + " holds no module")).descriptor();
    }

    @Test
    void eachModuleExportsEveryPackageItHoldsAndTheKernelsOnlyToUnrollsModules() throws URISyntaxException {
        for (Map.Entry<String, Path> library : libraries().entrySet()) {
            ModuleDescriptor module = descriptor(library.getValue());
            assertEquals(library.getKey(), module.name(), library.getValue().toString());
            assertTrue(!module.isAutomatic() && !module.isOpen(), module.name() + " should be an explicit, closed module");
            Set<String> everywhere = module.exports().stream().filter(e -> !e.isQualified()).map(Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = new TreeSet<>(module.packages());
            expected.remove(INTERNAL);
            assertEquals(expected, everywhere, module.name() + " should export each of its packages (but the kernels)"
                    + " to everyone: a new package needs an exports line in src/main/module/module-info.java");
            List<Exports> qualified = module.exports().stream().filter(Exports::isQualified).collect(Collectors.toList());
            if (module.name().equals("dev.unroll.autograd")) {
                assertEquals(1, qualified.size(), qualified.toString());
                assertEquals(INTERNAL, qualified.get(0).source());
                assertEquals(Set.of("dev.unroll.nn", "dev.unroll.rnn"), qualified.get(0).targets());
            } else {
                assertEquals(List.of(), qualified);
            }
        }
    }

    @Test
    void aProgramOnTheModulePathTrainsThroughTheQualifiedExportAndIsRefusedTheKernels()
            throws IOException, InterruptedException, URISyntaxException {
        Set<Path> modulePath = new HashSet<>(libraries().values());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("(ejml-core|ejml-ddense|openblas|javacpp|jackson-core)-.*\\.jar")) {
                modulePath.add(Path.of(entry));
            }
        }
        List<String> command = Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "--add-modules", "ALL-MODULE-PATH,jdk.incubator.vector", "-Dunroll.products=openblas",
                "-cp", location(OnTheModulePath.class).toString(), OnTheModulePath.class.getName())
                .collect(Collectors.toList());
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(120, TimeUnit.SECONDS), "the module-path JVM did not finish");
        assertEquals(0, java.exitValue(), printed);
        assertTrue(printed.contains("named: dev.unroll.autograd\n"), printed);
        double[] loss = Stream.of(printed.replaceAll("(?s).*loss: (\\S+) -> (\\S+)\n.*", "$1 $2").split(" "))
                .mapToDouble(Double::parseDouble).toArray();
        assertTrue(loss[1] < loss[0] / 2, "training on the module path should lower the loss: " + printed);
        assertTrue(printed.contains("kernels: float64 products: small: vector-api("), printed);
        // Maven puts the natives jar of this platform on the class path, when the build ships one.
        boolean natives = modulePath.stream().anyMatch(jar -> jar.getFileName().toString()
                .matches("openblas-.*-(linux|macosx|windows)-[a-z0-9_]+\\.jar"));
        assertTrue(printed.contains(natives ? "large: openblas(" : "OpenBLAS did not load"), printed);
        assertTrue(printed.contains("internal exported to nn: true\n"), printed);
        assertTrue(printed.contains("internal: refused\n"), printed);
    }
}
