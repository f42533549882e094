package dev.unroll.autograd;

/** Prints {@link Kernels#describe()}; {@link KernelsTest} runs it in a JVM without the natives jars. */
public final class PrintKernels {

    private PrintKernels() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println(Kernels.describe());
    }
}
