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
    private static final VectorSpecies<Long> L = S.withLanes(long.class);
    /*
     * Every constant broadcast once, none in the loops (as in VectorActivationsF32, which says
     * why): each broadcast in a loop adds nodes to the compiled loop, and near C2's budget
     * (NodeCountInliningCutoff) the last operations are left as calls on heap-boxed vectors.
     */
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1);
    private static final DoubleVector TWO = DoubleVector.broadcast(S, 2);
    private static final DoubleVector MINUS_TWO = DoubleVector.broadcast(S, -2);
    private static final DoubleVector ZERO = DoubleVector.zero(S);
    private static final DoubleVector MINUS_LIMIT = DoubleVector.broadcast(S, -LIMIT);
    private static final DoubleVector SATURATION = DoubleVector.broadcast(S, TANH_SATURATION);
    private static final DoubleVector SMALL = DoubleVector.broadcast(S, TANH_SMALL);
    private static final DoubleVector LOG2E_V = DoubleVector.broadcast(S, LOG2E);
    private static final DoubleVector SHIFTER_V = DoubleVector.broadcast(S, SHIFTER);
    private static final DoubleVector UNSCALE_V = DoubleVector.broadcast(S, UNSCALE);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(S, -LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(S, -LN2_LO);
    private static final DoubleVector Q0 = DoubleVector.broadcast(S, PortableMath.Q0);
    private static final DoubleVector Q1 = DoubleVector.broadcast(S, PortableMath.Q1);
    private static final DoubleVector Q2 = DoubleVector.broadcast(S, PortableMath.Q2);
    private static final DoubleVector Q3 = DoubleVector.broadcast(S, PortableMath.Q3);
    private static final DoubleVector Q4 = DoubleVector.broadcast(S, PortableMath.Q4);
    private static final DoubleVector Q5 = DoubleVector.broadcast(S, PortableMath.Q5);
    private static final DoubleVector Q6 = DoubleVector.broadcast(S, PortableMath.Q6);
    private static final DoubleVector Q7 = DoubleVector.broadcast(S, PortableMath.Q7);
    private static final DoubleVector Q8 = DoubleVector.broadcast(S, PortableMath.Q8);
    private static final DoubleVector Q9 = DoubleVector.broadcast(S, PortableMath.Q9);
    /* The scalar code's "- SHIFTER_BITS + BIAS" (and "+ SCALE") as one addition: the same bits in long arithmetic. */
    private static final LongVector TANH_EXPONENT = LongVector.broadcast(L, BIAS - SHIFTER_BITS);
    private static final LongVector SIGMOID_EXPONENT = LongVector.broadcast(L, SCALE + BIAS - SHIFTER_BITS);

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
            DoubleVector y = a.blend(SATURATION, a.compare(VectorOperators.GT, SATURATION)).mul(MINUS_TWO);
            DoubleVector t = y.fma(LOG2E_V, SHIFTER_V);
            DoubleVector n = t.sub(SHIFTER_V);
            DoubleVector hi = n.fma(MINUS_LN2_HI, y);
            DoubleVector r = n.fma(MINUS_LN2_LO, hi);
            DoubleVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            DoubleVector q = Q9.fma(r, Q8).fma(r, Q7).fma(r, Q6).fma(r, Q5).fma(r, Q4).fma(r, Q3).fma(r, Q2)
                    .fma(r, Q1).fma(r, Q0);
            DoubleVector p = r.add(r.mul(r).fma(q, lo));
            DoubleVector s = power(((LongVector) t.viewAsIntegralLanes()).add(TANH_EXPONENT));
            DoubleVector em1 = s.fma(p, s.sub(ONE));
            DoubleVector u = s.fma(p, s);
            VectorMask<Double> small = a.compare(VectorOperators.LT, SMALL);
            DoubleVector quotient = u.add(u).blend(em1.neg(), small).div(u.add(ONE).blend(em1.add(TWO), small));
            DoubleVector magnitude = ONE.sub(quotient).blend(quotient, small).abs();
            magnitude.blend(magnitude.neg(), x.test(VectorOperators.IS_NEGATIVE)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.tanh(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    @Override
    public void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, src, srcFrom + i);
            DoubleVector negative = x.abs().neg();
            DoubleVector y = negative.blend(MINUS_LIMIT, negative.compare(VectorOperators.LT, MINUS_LIMIT));
            DoubleVector t = y.fma(LOG2E_V, SHIFTER_V);
            DoubleVector n = t.sub(SHIFTER_V);
            DoubleVector hi = n.fma(MINUS_LN2_HI, y);
            DoubleVector r = n.fma(MINUS_LN2_LO, hi);
            DoubleVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            DoubleVector q = Q9.fma(r, Q8).fma(r, Q7).fma(r, Q6).fma(r, Q5).fma(r, Q4).fma(r, Q3).fma(r, Q2)
                    .fma(r, Q1).fma(r, Q0);
            DoubleVector p = r.add(r.mul(r).fma(q, lo));
            DoubleVector s = power(((LongVector) t.viewAsIntegralLanes()).add(SIGMOID_EXPONENT));
            DoubleVector e = s.fma(p, s).mul(UNSCALE_V);
            e.blend(ONE, x.compare(VectorOperators.GE, ZERO)).div(e.add(ONE)).intoArray(dst, dstFrom + i);
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

    /** 2^(k - BIAS) for biased integer exponents k in the normal range, assembled in the exponent bits. */
    private static DoubleVector power(LongVector k) {
        return (DoubleVector) k.lanewise(VectorOperators.LSHL, MANTISSA_BITS).viewAsFloatingLanes();
    }
}
