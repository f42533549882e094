package dev.unroll.autograd.internal;

/** Whether the JVM was started with the incubating Vector API module. Internal. */
final class VectorSupport {

    private VectorSupport() {
    }

    /** @return true when {@code jdk.incubator.vector} is in the boot layer (so the Vector API kernels can load) */
    static boolean present() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
