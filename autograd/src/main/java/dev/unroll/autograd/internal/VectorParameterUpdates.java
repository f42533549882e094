package dev.unroll.autograd.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ParameterUpdates} on the Vector API; the last values that do not fill a vector go
 * through the scalar loops, so both paths give the same bits. Loaded only when the module is
 * present. Internal.
 */
final class VectorParameterUpdates {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorParameterUpdates() {
    }

    static void clamp(double[] values, double limit) {
        int i = 0;
        for (int bound = S.loopBound(values.length); i < bound; i += S.length()) {
            DoubleVector.fromArray(S, values, i).max(-limit).min(limit).intoArray(values, i);
        }
        ParameterUpdates.clampScalar(values, i, limit);
    }

    static void clamp(float[] values, float limit) {
        int i = 0;
        for (int bound = F.loopBound(values.length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, values, i).max(-limit).min(limit).intoArray(values, i);
        }
        ParameterUpdates.clampScalar(values, i, limit);
    }

    static void adagrad(double[] w, double[] g, double[] s, double lr, double eps, boolean epsInsideSqrt) {
        int k = 0;
        for (int bound = S.loopBound(w.length); k < bound; k += S.length()) {
            DoubleVector gv = DoubleVector.fromArray(S, g, k);
            DoubleVector sv = gv.mul(gv).add(DoubleVector.fromArray(S, s, k));
            sv.intoArray(s, k);
            DoubleVector denominator = epsInsideSqrt ? sv.add(eps).lanewise(VectorOperators.SQRT)
                    : sv.lanewise(VectorOperators.SQRT).add(eps);
            DoubleVector.fromArray(S, w, k).sub(gv.mul(lr).div(denominator)).intoArray(w, k);
        }
        ParameterUpdates.adagradScalar(w, g, s, k, lr, eps, epsInsideSqrt);
    }
}
