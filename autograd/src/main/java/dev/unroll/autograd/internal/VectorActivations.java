package dev.unroll.autograd.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activations on the Vector API, whose TANH and EXP lanewise operators the JIT compiles to the
 * JDK's SIMD math library: about 10 ns per tanh and 5 ns per sigmoid instead of 100 and 25, within
 * 2 ulp of {@code Math.tanh} (a test bounds it). The sigmoid is 1 / (1 + e^-x), which saturates to
 * 0 or 1 without overflow to NaN. Loaded only with {@code --add-modules jdk.incubator.vector}.
 * Internal.
 */
final class VectorActivations implements ActivationKernel {

    static final VectorActivations INSTANCE = new VectorActivations();

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorActivations() {
    }

    @Override
    public String name() {
        return "vector-api(" + S.length() + " lanes)";
    }

    @Override
    public void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            DoubleVector.fromArray(S, src, srcFrom + i).lanewise(VectorOperators.TANH).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.tanh(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    @Override
    public void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            DoubleVector e = DoubleVector.fromArray(S, src, srcFrom + i).neg().lanewise(VectorOperators.EXP);
            one.div(one.add(e)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.sigmoid(src, srcFrom + i, dst, dstFrom + i, length - i);
    }
}
