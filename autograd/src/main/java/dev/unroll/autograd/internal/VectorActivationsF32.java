package dev.unroll.autograd.internal;

import static dev.unroll.autograd.internal.PortableMathF32.BIAS;
import static dev.unroll.autograd.internal.PortableMathF32.LIMIT;
import static dev.unroll.autograd.internal.PortableMathF32.LN2_HI;
import static dev.unroll.autograd.internal.PortableMathF32.LN2_LO;
import static dev.unroll.autograd.internal.PortableMathF32.LOG2E;
import static dev.unroll.autograd.internal.PortableMathF32.MANTISSA_BITS;
import static dev.unroll.autograd.internal.PortableMathF32.SCALE;
import static dev.unroll.autograd.internal.PortableMathF32.SHIFTER;
import static dev.unroll.autograd.internal.PortableMathF32.SHIFTER_BITS;
import static dev.unroll.autograd.internal.PortableMathF32.SIGN;
import static dev.unroll.autograd.internal.PortableMathF32.TANH_SATURATION;
import static dev.unroll.autograd.internal.PortableMathF32.TANH_SMALL;
import static dev.unroll.autograd.internal.PortableMathF32.UNSCALE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PortableMathF32}'s tanh and sigmoid on float lanes, step for step as
 * {@link VectorActivations} does {@link PortableMath}'s on double lanes, so each lane gets the
 * scalar code's bits, compiled or not; the values that do not fill a vector go through the
 * scalar code. Internal.
 */
final class VectorActivationsF32 {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /* Broadcast once, as in VectorActivations: in the loop they would stop C2 from inlining. */
    private static final FloatVector ONE = FloatVector.broadcast(S, 1);
    private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector[] Q = {FloatVector.broadcast(S, PortableMathF32.Q0),
        FloatVector.broadcast(S, PortableMathF32.Q1), FloatVector.broadcast(S, PortableMathF32.Q2),
        FloatVector.broadcast(S, PortableMathF32.Q3), FloatVector.broadcast(S, PortableMathF32.Q4),
        FloatVector.broadcast(S, PortableMathF32.Q5)};

    private VectorActivationsF32() {
    }

    /** @return the number of float lanes, for the kernel's name */
    static int lanes() {
        return S.length();
    }

    /*
     * Each loop holds its whole lane computation, calling only the Vector API's own methods
     * (which the JIT always inlines): a helper of this class would be inlined only when the JIT
     * deems its call site hot, and when it does not, every vector in it is boxed on the heap
     * (seen: 8.6 instead of 1.3 ns per value, 11 MB allocated per call of the benchmark).
     */
    static void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, srcFrom + i);
            FloatVector a = x.abs();
            FloatVector y = a.blend(TANH_SATURATION, a.compare(VectorOperators.GT, TANH_SATURATION)).mul(-2);
            FloatVector t = y.fma(LOG2E, SHIFTER);
            FloatVector n = t.sub(SHIFTER);
            FloatVector hi = n.fma(MINUS_LN2_HI, y);
            FloatVector r = n.fma(MINUS_LN2_LO, hi);
            FloatVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            FloatVector q = Q[5].fma(r, Q[4]).fma(r, Q[3]).fma(r, Q[2]).fma(r, Q[1]).fma(r, Q[0]);
            FloatVector p = r.add(r.mul(r).fma(q, lo));
            FloatVector s = power(((IntVector) t.viewAsIntegralLanes()).sub(SHIFTER_BITS));
            FloatVector em1 = s.fma(p, s.sub(1));
            FloatVector u = s.fma(p, s);
            VectorMask<Float> small = a.compare(VectorOperators.LT, TANH_SMALL);
            FloatVector quotient = u.mul(2).blend(em1.neg(), small).div(u.add(1).blend(em1.add(2), small));
            FloatVector magnitude = quotient.neg().add(1).blend(quotient, small);
            ((IntVector) magnitude.viewAsIntegralLanes()).and(~SIGN).or(((IntVector) x.viewAsIntegralLanes()).and(SIGN))
                    .viewAsFloatingLanes().intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.tanh(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    static void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, srcFrom + i);
            FloatVector negative = x.abs().neg();
            FloatVector y = negative.blend(-LIMIT, negative.compare(VectorOperators.LT, -LIMIT));
            FloatVector t = y.fma(LOG2E, SHIFTER);
            FloatVector n = t.sub(SHIFTER);
            FloatVector hi = n.fma(MINUS_LN2_HI, y);
            FloatVector r = n.fma(MINUS_LN2_LO, hi);
            FloatVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            FloatVector q = Q[5].fma(r, Q[4]).fma(r, Q[3]).fma(r, Q[2]).fma(r, Q[1]).fma(r, Q[0]);
            FloatVector p = r.add(r.mul(r).fma(q, lo));
            FloatVector s = power(((IntVector) t.viewAsIntegralLanes()).sub(SHIFTER_BITS).add(SCALE));
            FloatVector e = s.fma(p, s).mul(UNSCALE);
            e.blend(ONE, x.compare(VectorOperators.GE, 0)).div(e.add(1)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.sigmoid(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    /** 2^k for integer lanes k in the normal exponent range, assembled in the exponent bits. */
    private static FloatVector power(IntVector k) {
        return (FloatVector) k.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA_BITS).viewAsFloatingLanes();
    }
}
