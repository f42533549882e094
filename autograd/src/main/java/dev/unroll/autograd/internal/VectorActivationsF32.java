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
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    /*
     * Every constant broadcast once, none in the loops: each broadcast in a loop is one more chain
     * of inlined Vector API calls, and tanh's loop, at about forty operations, came close enough to
     * C2's node budget that the last ones (the store) were left as calls on heap-boxed vectors,
     * depending on what had been compiled before (100 MB allocated per C2 iteration when float64
     * had run first in the JVM). sigmoid is small enough for the JIT to inline into its caller, so
     * a caller's loop calls it once (GateOps applies it to i and f side by side), not twice.
     */
    private static final FloatVector ONE = FloatVector.broadcast(S, 1);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2);
    private static final FloatVector MINUS_TWO = FloatVector.broadcast(S, -2);
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector MINUS_LIMIT = FloatVector.broadcast(S, -LIMIT);
    private static final FloatVector SATURATION = FloatVector.broadcast(S, TANH_SATURATION);
    private static final FloatVector SMALL = FloatVector.broadcast(S, TANH_SMALL);
    private static final FloatVector LOG2E_V = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector SHIFTER_V = FloatVector.broadcast(S, SHIFTER);
    private static final FloatVector UNSCALE_V = FloatVector.broadcast(S, UNSCALE);
    private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector Q0 = FloatVector.broadcast(S, PortableMathF32.Q0);
    private static final FloatVector Q1 = FloatVector.broadcast(S, PortableMathF32.Q1);
    private static final FloatVector Q2 = FloatVector.broadcast(S, PortableMathF32.Q2);
    private static final FloatVector Q3 = FloatVector.broadcast(S, PortableMathF32.Q3);
    private static final FloatVector Q4 = FloatVector.broadcast(S, PortableMathF32.Q4);
    private static final FloatVector Q5 = FloatVector.broadcast(S, PortableMathF32.Q5);
    /* The scalar code's "- SHIFTER_BITS + BIAS" (and "+ SCALE") as one addition: the same bits in int arithmetic. */
    private static final IntVector TANH_EXPONENT = IntVector.broadcast(I, BIAS - SHIFTER_BITS);
    private static final IntVector SIGMOID_EXPONENT = IntVector.broadcast(I, SCALE + BIAS - SHIFTER_BITS);

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
            FloatVector y = a.blend(SATURATION, a.compare(VectorOperators.GT, SATURATION)).mul(MINUS_TWO);
            FloatVector t = y.fma(LOG2E_V, SHIFTER_V);
            FloatVector n = t.sub(SHIFTER_V);
            FloatVector hi = n.fma(MINUS_LN2_HI, y);
            FloatVector r = n.fma(MINUS_LN2_LO, hi);
            FloatVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            FloatVector q = Q5.fma(r, Q4).fma(r, Q3).fma(r, Q2).fma(r, Q1).fma(r, Q0);
            FloatVector p = r.add(r.mul(r).fma(q, lo));
            FloatVector s = power(((IntVector) t.viewAsIntegralLanes()).add(TANH_EXPONENT));
            FloatVector em1 = s.fma(p, s.sub(ONE));
            FloatVector u = s.fma(p, s);
            VectorMask<Float> small = a.compare(VectorOperators.LT, SMALL);
            FloatVector quotient = u.add(u).blend(em1.neg(), small).div(u.add(ONE).blend(em1.add(TWO), small));
            FloatVector magnitude = ONE.sub(quotient).blend(quotient, small).abs();
            magnitude.blend(magnitude.neg(), x.test(VectorOperators.IS_NEGATIVE)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.tanh(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    static void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, srcFrom + i);
            FloatVector negative = x.abs().neg();
            FloatVector y = negative.blend(MINUS_LIMIT, negative.compare(VectorOperators.LT, MINUS_LIMIT));
            FloatVector t = y.fma(LOG2E_V, SHIFTER_V);
            FloatVector n = t.sub(SHIFTER_V);
            FloatVector hi = n.fma(MINUS_LN2_HI, y);
            FloatVector r = n.fma(MINUS_LN2_LO, hi);
            FloatVector lo = n.fma(MINUS_LN2_LO, hi.sub(r));
            FloatVector q = Q5.fma(r, Q4).fma(r, Q3).fma(r, Q2).fma(r, Q1).fma(r, Q0);
            FloatVector p = r.add(r.mul(r).fma(q, lo));
            FloatVector s = power(((IntVector) t.viewAsIntegralLanes()).add(SIGMOID_EXPONENT));
            FloatVector e = s.fma(p, s).mul(UNSCALE_V);
            e.blend(ONE, x.compare(VectorOperators.GE, ZERO)).div(e.add(ONE)).intoArray(dst, dstFrom + i);
        }
        ScalarActivations.INSTANCE.sigmoid(src, srcFrom + i, dst, dstFrom + i, length - i);
    }

    /** 2^(k - BIAS) for biased integer exponents k in the normal range, assembled in the exponent bits. */
    private static FloatVector power(IntVector k) {
        return (FloatVector) k.lanewise(VectorOperators.LSHL, MANTISSA_BITS).viewAsFloatingLanes();
    }
}
