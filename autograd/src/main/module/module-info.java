/**
 * Unroll's engine: {@link dev.unroll.autograd.Tensor} over EJML matrices, the recording
 * {@link dev.unroll.autograd.Tape}, the differentiable ops and {@link dev.unroll.autograd.GradCheck}.
 *
 * <p>A tensor is an EJML matrix, so EJML's {@code ejml.core} (an automatic module named after its
 * jar, which has no descriptor) is required transitively. OpenBLAS (JavaCPP's presets) is used
 * only if its natives load; on the module path they load when their platform modules are resolved
 * too ({@code --add-modules ALL-MODULE-PATH}). The Vector API kernels run only when the JVM has
 * {@code --add-modules jdk.incubator.vector}, hence {@code requires static}. The kernel package
 * is exported only to Unroll's own modules (which are compiled after this one, hence "module").
 */
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.unroll.autograd {
    requires transitive ejml.core;
    requires org.bytedeco.openblas;
    requires static jdk.incubator.vector;

    exports dev.unroll.autograd;
    exports dev.unroll.autograd.internal to dev.unroll.nn, dev.unroll.rnn;
}
