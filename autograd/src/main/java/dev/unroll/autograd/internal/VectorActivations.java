package dev.unroll.autograd.internal;

import static dev.unroll.autograd.internal.PortableMath.BIAS;
import static dev.unroll.autograd.internal.PortableMath.LIMIT;
import static dev.unroll.autograd.internal.PortableMath.LN2_HI;
import static dev.unroll.autograd.internal.PortableMath.LN2_LO;
import static dev.unroll.autograd.internal.PortableMath.LOG2E;
import static dev.unroll.autograd.internal.PortableMath.MANTISSA_BITS;
import static dev.unroll.autograd.internal.PortableMath.SCALE;
import static dev.unroll.autograd.internal.PortableMath.SHIFTER;
import static dev.unroll.autograd.internal.PortableMath.SHIFTER_BITS;
import static dev.unroll.autograd.internal.PortableMath.TANH_SATURATION;
import static dev.unroll.autograd.internal.PortableMath.TANH_SMALL;
import static dev.unroll.autograd.internal.PortableMath.UNSCALE;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PortableMath}'s tanh and sigmoid on the Vector API, step for step: the same exactly
 * rounded operations in the same order, fused where it calls {@link Math#fma}, so each lane gets
 * the bits the scalar code gets (the values that do not fill a vector go through it), compiled or
 * not; float arrays go to {@link VectorActivationsF32}. Loaded only with
 * {@code --add-modules jdk.incubator.vector}. Internal.
 */
final class VectorActivations implements ActivationKernel {

    static final VectorActivations INSTANCE = new VectorActivations();

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /*
     * The constants as vectors, broadcast once: broadcasting them in the loop adds enough nodes
     * to the compiled loop that C2 stops inlining (NodeCountInliningCutoff) and boxes vectors.
     */
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(S, -LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(S, -LN2_LO);
    private static final DoubleVector[] Q = {DoubleVector.broadcast(S, PortableMath.Q0), DoubleVector.broadcast(S, PortableMath.Q1),
        DoubleVector.broadcast(S, PortableMath.Q2), DoubleVector.broadcast(S, PortableMath.Q3), DoubleVector.broadcast(S, PortableMath.Q4),
        DoubleVector.broadcast(S, PortableMath.Q5), DoubleVector.broadcast(S, PortableMath.Q6), DoubleVector.broadcast(S, PortableMath.Q7),
        DoubleVector.broadcast(S, PortableMath.Q8), DoubleVector.broadcast(S, PortableMath.Q9)};

    private VectorActivations() {
    }

    @Override
    public String name() {
        return "vector-api(" + S.length() + " lanes, " + VectorActivationsF32.lanes() + " float lanes)";
    }

    /*
     * Each loop holds its whole lane computation, calling only the Vector API's own methods
     * (which the JIT always inlines): a helper of this class is inlined only when the JIT deems
     * its call site hot, and where it does not, every vector in it is boxed on the heap (seen on
     * the float kernel: 8.6 instead of 1.3 ns per value).
     */
    @Override
    public void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, src, srcFrom + i);
            DoubleVector a = x.abs();
            DoubleVector y = a.blend(TANH_SATURATION, a.compare(VectorOperators.GT, TANH_SATURATION)).mul(-2);
            DoubleVector t = y.fma(LOG2E, SHIFTER);
            DoubleVector n = t.sub(SHIFTER);
            DoubleVector hi = n.fma(MINUS_LN2_HI, y);
            DoubleVector r = n.fma(MINUS_LN2_LO, hi);
            DoubleVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            DoubleVector q = Q[9].fma(r, Q[8]).fma(r, Q[7]).fma(r, Q[6]).fma(r, Q[5]).fma(r, Q[4]).fma(r, Q[3])
                    .fma(r, Q[2]).fma(r, Q[1]).fma(r, Q[0]);
            DoubleVector p = r.add(r.mul(r).fma(q, lo));
            DoubleVector s = power(((LongVector) t.viewAsIntegralLanes()).sub(SHIFTER_BITS));
            DoubleVector em1 = s.fma(p, s.sub(1));
            DoubleVector u = s.fma(p, s);
            VectorMask<Double> small = a.compare(VectorOperators.LT, TANH_SMALL);
            DoubleVector quotient = u.mul(2).blend(em1.neg(), small).div(u.add(1).blend(em1.add(2), small));
            DoubleVector magnitude = quotient.neg().add(1).blend(quotient, small);
            DoubleVector unsigned = magnitude.abs();
            unsigned.blend(unsigned.neg(), x.test(VectorOperators.IS_NEGATIVE)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.tanh(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    @Override
    public void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, src, srcFrom + i);
            DoubleVector negative = x.abs().neg();
            DoubleVector y = negative.blend(-LIMIT, negative.compare(VectorOperators.LT, -LIMIT));
            DoubleVector t = y.fma(LOG2E, SHIFTER);
            DoubleVector n = t.sub(SHIFTER);
            DoubleVector hi = n.fma(MINUS_LN2_HI, y);
            DoubleVector r = n.fma(MINUS_LN2_LO, hi);
            DoubleVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            DoubleVector q = Q[9].fma(r, Q[8]).fma(r, Q[7]).fma(r, Q[6]).fma(r, Q[5]).fma(r, Q[4]).fma(r, Q[3])
                    .fma(r, Q[2]).fma(r, Q[1]).fma(r, Q[0]);
            DoubleVector p = r.add(r.mul(r).fma(q, lo));
            DoubleVector s = power(((LongVector) t.viewAsIntegralLanes()).sub(SHIFTER_BITS).add(SCALE));
            DoubleVector e = s.fma(p, s).mul(UNSCALE);
            e.blend(ONE, x.compare(VectorOperators.GE, 0)).div(e.add(1)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.sigmoid(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    @Override
    public void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        VectorActivationsF32.tanh(src, srcFrom, dst, dstFrom, length);
    }

    @Override
    public void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        VectorActivationsF32.sigmoid(src, srcFrom, dst, dstFrom, length);
    }

    /** 2^k for integer lanes k in the normal exponent range, assembled in the exponent bits. */
    private static DoubleVector power(LongVector k) {
        return (DoubleVector) k.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA_BITS).viewAsFloatingLanes();
    }
}
