package dev.unroll.autograd.internal;

import java.util.List;
import java.util.Locale;

/**
 * The one seam through which the library evaluates tanh and sigmoid over arrays (the tanh and
 * sigmoid ops and the fused LSTM/GRU updates). It uses the Vector API when the JVM has
 * {@code --add-modules jdk.incubator.vector} and plain Java otherwise; the system property
 * {@code unroll.activations=scalar} forces the latter. Both compute {@link PortableMath}'s bits
 * (within 2 ulp of the exact values), so neither the kernel chosen nor the JIT changes a result.
 * Internal: not part of the public API.
 */
public final class Activations {

    private static final ActivationKernel KERNEL = choose();

    private Activations() {
    }

    /**
     * {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} for i in [0, length).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        KERNEL.tanh(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} for i in [0, length).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        KERNEL.sigmoid(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} over floats: evaluated by the double
     * kernel and rounded, so float32 gets the same (correctly rounded or nearly) values whatever
     * the kernel, without a second implementation.
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        Widened.apply(true, src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} over floats, as
     * {@link #tanh(float[], int, float[], int, int)}.
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        Widened.apply(false, src, srcFrom, dst, dstFrom, length);
    }

    /**
     * The logistic function of one float value, as the double one rounded.
     *
     * @param v any value
     * @return 1 / (1 + e^-v)
     */
    public static float sigmoid(float v) {
        return (float) PortableMath.sigmoid(v);
    }

    /** Float activations through the double kernel, a block at a time in a per-thread buffer. */
    private static final class Widened {
        private static final int BLOCK = 512;
        private static final ThreadLocal<double[]> BUFFER = ThreadLocal.withInitial(() -> new double[BLOCK]);

        static void apply(boolean tanh, float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
            double[] buffer = BUFFER.get();
            for (int done = 0; done < length; done += BLOCK) {
                int n = Math.min(BLOCK, length - done);
                for (int i = 0; i < n; i++) {
                    buffer[i] = src[srcFrom + done + i];
                }
                if (tanh) {
                    KERNEL.tanh(buffer, 0, buffer, 0, n);
                } else {
                    KERNEL.sigmoid(buffer, 0, buffer, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    dst[dstFrom + done + i] = (float) buffer[i];
                }
            }
        }
    }

    /**
     * The logistic function of one value, without overflow for large |v|, with the bits of the
     * array kernels.
     *
     * @param v any value
     * @return 1 / (1 + e^-v)
     */
    public static double sigmoid(double v) {
        return PortableMath.sigmoid(v);
    }

    /** @return the kernel in use, e.g. {@code vector-api(4 lanes)}, for benchmark reports */
    public static String describe() {
        return KERNEL.name();
    }

    /** @return every activation kernel that can run here, for tests that compare them */
    static List<ActivationKernel> available() {
        ActivationKernel vector = vectorKernel();
        return vector == null ? List.of(ScalarActivations.INSTANCE) : List.of(ScalarActivations.INSTANCE, vector);
    }

    private static ActivationKernel choose() {
        String forced = System.getProperty("unroll.activations", "auto").toLowerCase(Locale.ROOT);
        ActivationKernel vector = vectorKernel();
        return vector == null || forced.equals("scalar") ? ScalarActivations.INSTANCE : vector;
    }

    private static ActivationKernel vectorKernel() {
        if (!VectorSupport.present()) {
            return null;
        }
        try {
            return VectorActivations.INSTANCE;
        } catch (LinkageError e) {
            return null;
        }
    }
}
